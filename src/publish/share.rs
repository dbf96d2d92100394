//! Share links that are plain links: no script, no widget, no request to anyone until the
//! reader follows one. Mastodon has no central server, so the page asks for the reader's.

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
            }
        }
    }
    out
}

/// The share links of a page at `url` titled `title`.
#[derive(Debug, Clone, PartialEq)]
pub struct Links {
    /// `mailto:` with the title as subject and summary plus link as body.
    pub email: String,
    /// LinkedIn's share page.
    pub linkedin: String,
    /// Bluesky's compose intent.
    pub bluesky: String,
    /// X's post intent.
    pub x: String,
    /// The text a Mastodon post starts with (title and link), for `https://{server}/share?text=`.
    pub mastodon_text: String,
}

/// Builds the share links.
pub fn links(url: &str, title: &str, summary: &str) -> Links {
    let text = format!("{title} {url}");
    Links {
        email: format!(
            "mailto:?subject={}&body={}",
            encode(title),
            encode(&format!("{summary}\n\n{url}"))
        ),
        linkedin: format!(
            "https://www.linkedin.com/sharing/share-offsite/?url={}",
            encode(url)
        ),
        bluesky: format!("https://bsky.app/intent/compose?text={}", encode(&text)),
        x: format!(
            "https://x.com/intent/post?text={}&url={}",
            encode(title),
            encode(url)
        ),
        mastodon_text: text,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn encodes_everything_that_could_break_out() {
        assert_eq!(
            super::encode("a b&c=\"<é>#"),
            "a%20b%26c%3D%22%3C%C3%A9%3E%23"
        );
        let l = super::links("https://x.org/a/", "T&C", "S");
        assert_eq!(
            l.x,
            "https://x.com/intent/post?text=T%26C&url=https%3A%2F%2Fx.org%2Fa%2F"
        );
        assert!(
            l.email
                .starts_with("mailto:?subject=T%26C&body=S%0A%0Ahttps")
        );
    }
}
