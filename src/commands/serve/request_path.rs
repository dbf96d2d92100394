//! Request paths to files of the served folder, refusing anything that could leave it.

use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;

/// What a request path asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file or folder under the served folder: the relative path, with `/`, possibly empty
    /// for the root. `trailing_slash` tells whether the request ended with `/`.
    Path {
        /// Decoded segments joined with `/`.
        rel: String,
        /// Whether the request path ended with `/`.
        trailing_slash: bool,
    },
    /// A path that is malformed or tries to leave the served folder: answered with 400.
    Bad(&'static str),
}

/// Parses the request target (`/es/practices/co-city/?q=1`) into a safe relative path.
///
/// Refused: targets that do not start with `/` (absolute URIs, `*`), encoded slashes and
/// backslashes, backslashes, NUL and other control characters, `.` and `..` segments (also
/// when percent-encoded), and bytes that do not decode to UTF-8.
pub fn parse(target: &str) -> Target {
    let path = target.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return Target::Bad("the request path must start with /");
    }
    let lower = path.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || path.contains('\\') {
        return Target::Bad("encoded slashes and backslashes are not allowed");
    }
    let Ok(decoded) = percent_decode_str(path).decode_utf8() else {
        return Target::Bad("the path is not valid UTF-8");
    };
    if decoded.chars().any(char::is_control) {
        return Target::Bad("control characters are not allowed");
    }
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" => {}
            "." | ".." => return Target::Bad("`.` and `..` are not allowed"),
            s => segments.push(s),
        }
    }
    Target::Path {
        rel: segments.join("/"),
        trailing_slash: decoded.ends_with('/'),
    }
}

/// The file under `root` for a relative path from [`parse`]; `None` if, after resolving
/// symbolic links, it would be outside `root`.
pub fn resolve(root: &Path, rel: &str) -> Option<PathBuf> {
    let path = root.join(rel);
    match path.canonicalize() {
        Ok(real) => real.starts_with(root).then_some(real),
        // Not there: nothing to serve, but nothing outside either.
        Err(_) => Some(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(rel: &str, trailing_slash: bool) -> Target {
        Target::Path {
            rel: rel.into(),
            trailing_slash,
        }
    }

    #[test]
    fn plain_and_encoded_paths() {
        assert_eq!(parse("/"), ok("", true));
        assert_eq!(
            parse("/es/practices/co-city/"),
            ok("es/practices/co-city", true)
        );
        assert_eq!(
            parse("/es/practices/co-city"),
            ok("es/practices/co-city", false)
        );
        assert_eq!(parse("/es/?topics=poverty&q=renta"), ok("es", true));
        assert_eq!(parse("/ca/pr%C3%A0ctiques/"), ok("ca/pràctiques", true));
        assert_eq!(parse("/a%20b.html"), ok("a b.html", false));
        assert_eq!(parse("//en//about/"), ok("en/about", true));
    }

    #[test]
    fn traversal_and_oddities_are_refused() {
        for bad in [
            "/../etc/passwd",
            "/en/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/.%2e/etc/passwd",
            "/en/%2fetc%2fpasswd",
            "/en%2F..%2F..%2Fetc",
            "/en/%5c..%5cetc",
            "/en\\..\\etc",
            "/en/%00.html",
            "/en/%0a",
            "/./en/",
            "http://example.org/etc/passwd",
            "etc/passwd",
            "*",
            "/%ff%fe",
        ] {
            assert!(matches!(parse(bad), Target::Bad(_)), "{bad} was accepted");
        }
    }

    #[test]
    fn symlinks_out_of_the_root_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        std::fs::write(root.join("page.html"), "page").unwrap();
        let root = root.canonicalize().unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("link.txt")).unwrap();
        assert!(resolve(&root, "page.html").is_some());
        #[cfg(unix)]
        assert_eq!(resolve(&root, "link.txt"), None);
    }
}
