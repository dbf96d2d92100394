//! Escaping for the text casebook writes itself (outside templates).

/// The replacement of a byte that HTML escaping changes, if it is one.
fn html_entity(b: u8) -> Option<&'static str> {
    match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#39;"),
        _ => None,
    }
}

/// Escapes text for HTML content and double-quoted attributes.
pub fn html(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    // Writing into a Vec cannot fail.
    let _ = html_into(s, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Escapes text for HTML into `out`, writing the runs between special characters whole:
/// Tera's escape function (the same characters as [`html`], so the same bytes).
pub fn html_into(s: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if let Some(entity) = html_entity(b) {
            if start < i {
                out.write_all(&bytes[start..i])?;
            }
            out.write_all(entity.as_bytes())?;
            start = i + 1;
        }
    }
    if start < bytes.len() {
        out.write_all(&bytes[start..])?;
    }
    Ok(())
}

/// Escapes text for XML content and attributes, and drops the characters XML 1.0 cannot
/// carry at all (control characters other than tab, line feed and carriage return).
pub fn xml(s: &str) -> String {
    let clean: String = s
        .chars()
        .filter(|&c| {
            !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
        })
        .collect();
    html(&clean)
}

/// Serializes to JSON that is safe inside an HTML `<script>` element: `<`, `>` and `&`
/// are written as Unicode escapes, and so are the line separators U+2028/U+2029.
pub fn json_for_script<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let json = serde_json::to_vec(value).unwrap_or_else(|_| b"null".to_vec());
    let mut out = Vec::with_capacity(json.len() + json.len() / 16);
    let mut start = 0;
    let mut i = 0;
    while i < json.len() {
        let escape: Option<(&[u8], usize)> = match json[i] {
            b'<' => Some((b"\\u003c", 1)),
            b'>' => Some((b"\\u003e", 1)),
            b'&' => Some((b"\\u0026", 1)),
            // U+2028 and U+2029 in UTF-8.
            0xE2 if json.get(i + 1) == Some(&0x80) && json.get(i + 2) == Some(&0xA8) => {
                Some((b"\\u2028", 3))
            }
            0xE2 if json.get(i + 1) == Some(&0x80) && json.get(i + 2) == Some(&0xA9) => {
                Some((b"\\u2029", 3))
            }
            _ => None,
        };
        match escape {
            Some((with, len)) => {
                out.extend_from_slice(&json[start..i]);
                out.extend_from_slice(with);
                i += len;
                start = i;
            }
            None => i += 1,
        }
    }
    out.extend_from_slice(&json[start..]);
    // Only whole characters were replaced by ASCII, so the bytes are still UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| "null".into())
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_html_and_script_json() {
        assert_eq!(
            super::html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(super::xml("a\u{1}b\u{b}<"), "ab&lt;");
        // Tera's escape function is replaced by ours: same bytes, also around multi-byte text.
        for text in [
            "",
            "plain",
            "<a href=\"x\">'&'</a>",
            "Què <és> \"l'Hospitalet\" & ŝ",
            "&&",
        ] {
            let (mut ours, mut tera) = (Vec::new(), Vec::new());
            super::html_into(text, &mut ours).unwrap();
            tera::escape_html(text, &mut tera).unwrap();
            assert_eq!(ours, tera, "{text}");
        }
        let json = super::json_for_script(&"</script><!--&");
        assert_eq!(
            super::json_for_script(&"a\u{2028}b\u{2029}c<é>"),
            "\"a\\u2028b\\u2029c\\u003cé\\u003e\""
        );
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
        assert_eq!(
            serde_json::from_str::<String>(&json).unwrap(),
            "</script><!--&"
        );
    }
}
