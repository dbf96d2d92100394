//! The URL layout, in one place. Every function returns a path from the site root, starting
//! and ending with `/`; `output_file` turns it into the file written.

/// `/{lang}/`, or `/{lang}/page/{n}/` for later pages.
pub fn catalogue(lang: &str, page: usize) -> String {
    if page <= 1 {
        format!("/{lang}/")
    } else {
        format!("/{lang}/page/{page}/")
    }
}

/// `/{lang}/practices/{slug}/`
pub fn practice(lang: &str, slug: &str) -> String {
    format!("/{lang}/practices/{slug}/")
}

/// `/{lang}/{taxonomy}/`
pub fn taxonomy(lang: &str, taxonomy: &str) -> String {
    format!("/{lang}/{taxonomy}/")
}

/// `/{lang}/{taxonomy}/{term}/`, or `…/page/{n}/` for later pages.
pub fn term(lang: &str, taxonomy: &str, term: &str, page: usize) -> String {
    if page <= 1 {
        format!("/{lang}/{taxonomy}/{term}/")
    } else {
        format!("/{lang}/{taxonomy}/{term}/page/{page}/")
    }
}

/// `/{lang}/{slug}/`
pub fn page(lang: &str, slug: &str) -> String {
    format!("/{lang}/{slug}/")
}

/// `/{lang}/atom.xml`: the language's feed of the newest practices.
pub fn feed(lang: &str) -> String {
    format!("/{lang}/atom.xml")
}

/// `/{lang}/practices.{ext}`: the language's catalogue as open data (`json` or `csv`).
pub fn open_data(lang: &str, ext: &str) -> String {
    format!("/{lang}/practices.{ext}")
}

/// `/practices.json`: every practice with every translation.
pub const OPEN_DATA_ALL: &str = "/practices.json";

/// `/practices.schema.json`: the JSON Schema of the open-data files.
pub const OPEN_DATA_SCHEMA: &str = "/practices.schema.json";

/// The file a URL path is written to: `/es/` → `es/index.html`; paths with an extension
/// (`/sitemap.xml`) are files themselves.
pub fn output_file(url: &str) -> String {
    let trimmed = url.trim_start_matches('/');
    if trimmed.is_empty() {
        "index.html".into()
    } else if url.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

/// Joins the site's base path (`/` or `/sub/`) and a root path (`/es/`).
pub fn prefixed(base_path: &str, path: &str) -> String {
    format!(
        "{}{}",
        base_path.trim_end_matches('/'),
        if path.starts_with('/') {
            path.to_string()
        } else {
            format!("/{path}")
        }
    )
}

/// Joins the base URL (`https://x.org/sub/`) and a root path (`/es/`).
pub fn absolute(base_url: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base_url.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout() {
        assert_eq!(catalogue("es", 1), "/es/");
        assert_eq!(catalogue("es", 3), "/es/page/3/");
        assert_eq!(
            term("it", "topics", "poverty", 2),
            "/it/topics/poverty/page/2/"
        );
        assert_eq!(output_file("/"), "index.html");
        assert_eq!(
            output_file("/es/practices/co-city/"),
            "es/practices/co-city/index.html"
        );
        assert_eq!(output_file("/sitemap.xml"), "sitemap.xml");
        assert_eq!(prefixed("/", "/es/"), "/es/");
        assert_eq!(prefixed("/sub/", "/es/"), "/sub/es/");
        assert_eq!(
            absolute("https://x.org/sub/", "/es/"),
            "https://x.org/sub/es/"
        );
    }
}
