//! What a link written in a Markdown body points at, from its text alone: another site, a
//! heading of the same page, a practice or page by its file (`@/practices/co-city.md`,
//! `co-city.it.md`), a path from the site root, or a path relative to the page. The model
//! resolves links to content files once it knows every page ([`crate::model::links`]).

use crate::input::content::Section;
use crate::input::file_name;

/// What a link in a body points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Another site, or a scheme such as `mailto:`; not checked.
    External,
    /// `#id`: a heading of the same page.
    Fragment(String),
    /// A practice or page, by file.
    Content {
        /// Practices or pages.
        section: Section,
        /// The slug.
        slug: String,
        /// The language asked for, if the link names one (`co-city.it.md`).
        lang: Option<String>,
        /// The heading, if any.
        fragment: Option<String>,
    },
    /// A path from the site root: a page or a file from static/.
    SitePath {
        /// The path, without fragment or query.
        path: String,
        /// The fragment, if any.
        fragment: Option<String>,
    },
    /// A path relative to the page's own URL.
    Relative {
        /// The path, without fragment or query.
        path: String,
        /// The fragment, if any.
        fragment: Option<String>,
    },
    /// A link to a content file that cannot be understood; carries a hint.
    Invalid(String),
}

fn has_scheme(url: &str) -> bool {
    match url.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && !scheme.contains('/')
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

fn split_fragment(url: &str) -> (&str, Option<String>) {
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (url, None),
    };
    let path = path.split('?').next().unwrap_or("");
    (path, fragment.filter(|f| !f.is_empty()))
}

fn content(section: Section, file: &str, fragment: Option<String>) -> Target {
    match file_name::parse(file) {
        Ok(name) => Target::Content {
            section,
            slug: name.slug.to_string(),
            lang: name.lang.map(str::to_string),
            fragment,
        },
        Err(_) => Target::Invalid(format!(
            "`{file}` is not a content file name; link to a practice as `@/practices/<slug>.md` or `@/practices/<slug>.<lang>.md`"
        )),
    }
}

/// Classifies a link target written in a body of `from`'s section.
pub fn classify(url: &str, from: Section) -> Target {
    let url = url.trim();
    if url.is_empty() || url.starts_with("//") || has_scheme(url) {
        return Target::External;
    }
    if let Some(f) = url.strip_prefix('#') {
        return Target::Fragment(f.to_string());
    }
    let (path, fragment) = split_fragment(url);
    if let Some(rest) = path.strip_prefix("@/") {
        let parts: Vec<&str> = rest.split('/').collect();
        let section = match parts.first() {
            Some(&"practices") => Some(Section::Practices),
            Some(&"pages") => Some(Section::Pages),
            _ => None,
        };
        return match (section, parts.as_slice()) {
            (Some(section), [_, file]) if file.ends_with(".md") => content(section, file, fragment),
            _ => Target::Invalid(
                "write `@/practices/<slug>.md` for a practice or `@/pages/<slug>.md` for a page"
                    .into(),
            ),
        };
    }
    if path.starts_with('/') {
        return Target::SitePath {
            path: path.to_string(),
            fragment,
        };
    }
    if path.ends_with(".md") {
        let parts: Vec<&str> = path
            .split('/')
            .filter(|p| !p.is_empty() && *p != ".")
            .collect();
        let file = parts.last().copied().unwrap_or("");
        let section = match parts.len().checked_sub(2).map(|i| parts[i]) {
            Some("practices") => Section::Practices,
            Some("pages") => Section::Pages,
            _ => from,
        };
        return content(section, file, fragment);
    }
    Target::Relative {
        path: path.to_string(),
        fragment,
    }
}

/// Whether a link is written as a placeholder and resolved once the model is built.
pub fn is_deferred(url: &str) -> bool {
    matches!(
        classify(url, Section::Practices),
        Target::Content { .. } | Target::SitePath { .. } | Target::Invalid(_)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(url: &str) -> Target {
        classify(url, Section::Practices)
    }

    #[test]
    fn classifies_links() {
        assert_eq!(c("https://example.org/x.md"), Target::External);
        assert_eq!(c("mailto:a@b.org"), Target::External);
        assert_eq!(c("//cdn.example.org/a.png"), Target::External);
        assert_eq!(c("#results"), Target::Fragment("results".into()));
        assert_eq!(
            c("@/practices/co-city.it.md#results"),
            Target::Content {
                section: Section::Practices,
                slug: "co-city".into(),
                lang: Some("it".into()),
                fragment: Some("results".into())
            }
        );
        assert_eq!(
            c("../pages/about.md"),
            Target::Content {
                section: Section::Pages,
                slug: "about".into(),
                lang: None,
                fragment: None
            }
        );
        assert!(
            matches!(c("./b-mincome.md"), Target::Content { ref slug, .. } if slug == "b-mincome")
        );
        assert_eq!(
            c("/images/map.png?v=1"),
            Target::SitePath {
                path: "/images/map.png".into(),
                fragment: None
            }
        );
        assert_eq!(
            c("../co-city/"),
            Target::Relative {
                path: "../co-city/".into(),
                fragment: None
            }
        );
        assert!(matches!(c("@/blog/x.md"), Target::Invalid(_)));
        assert!(matches!(c("My File.md"), Target::Invalid(_)));
        assert!(is_deferred("@/practices/x.md") && is_deferred("/a.png") && !is_deferred("a.png"));
    }
}
