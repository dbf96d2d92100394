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

/// Writes `s` as a JSON string (quoted) that is safe inside an HTML `<script>` element: the
/// bytes [`json_for_script`] gives for a string, written straight into `out`.
pub fn json_str_for_script(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (with, len): (&str, usize) = match b {
            b'"' => ("\\\"", 1),
            b'\\' => ("\\\\", 1),
            b'\n' => ("\\n", 1),
            b'\r' => ("\\r", 1),
            b'\t' => ("\\t", 1),
            0x08 => ("\\b", 1),
            0x0C => ("\\f", 1),
            b'<' => ("\\u003c", 1),
            b'>' => ("\\u003e", 1),
            b'&' => ("\\u0026", 1),
            0x00..=0x1F => ("", 1),
            // U+2028 and U+2029 in UTF-8.
            0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA8) => {
                ("\\u2028", 3)
            }
            0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA9) => {
                ("\\u2029", 3)
            }
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[start..i]);
        if with.is_empty() {
            // Other control characters: \u00XX, lower-case hex, as serde_json writes them.
            out.push_str("\\u00");
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 0xF) as usize] as char);
        } else {
            out.push_str(with);
        }
        i += len;
        start = i;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// Closes the bidirectional embeddings, overrides and isolates that `s` opens and leaves
/// open, by appending the missing POP DIRECTIONAL FORMATTING (U+202C) and POP DIRECTIONAL
/// ISOLATE (U+2069). A field of front matter then cannot reverse the text that follows it on
/// a page: a title ending in an unclosed RIGHT-TO-LEFT OVERRIDE would otherwise show the
/// site's name backwards in `<title>`, and the next words of a sentence in the body.
/// Balanced controls, and right-to-left text itself, are kept as they are.
pub fn close_bidi(s: &str) -> String {
    const PDF: char = '\u{202C}';
    const PDI: char = '\u{2069}';
    // What is open, innermost last: `true` for an isolate, `false` for an embedding or
    // override (UAX #9, rules X1–X8, without the depth limit).
    let mut open: Vec<bool> = Vec::new();
    for c in s.chars() {
        match c {
            '\u{202A}' | '\u{202B}' | '\u{202D}' | '\u{202E}' => open.push(false),
            '\u{2066}' | '\u{2067}' | '\u{2068}' => open.push(true),
            PDF if open.last() == Some(&false) => {
                open.pop();
            }
            PDI => {
                if let Some(i) = open.iter().rposition(|&isolate| isolate) {
                    open.truncate(i);
                }
            }
            _ => {}
        }
    }
    if open.is_empty() {
        return s.to_string();
    }
    let mut out = s.to_string();
    out.extend(
        open.iter()
            .rev()
            .map(|&isolate| if isolate { PDI } else { PDF }),
    );
    out
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

    #[test]
    fn writes_json_strings_as_json_for_script_does() {
        let mut texts: Vec<String> = [
            "",
            "plain",
            "</script><!--&",
            "\"quoted\" back\\slash",
            "a\u{2028}b\u{2029}c<é>\u{e2}",
            "\u{7f}\u{80}\u{2027}\u{202a}",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        texts.push((0u8..0x20).map(char::from).collect());
        for text in texts {
            let mut ours = String::new();
            super::json_str_for_script(&text, &mut ours);
            assert_eq!(ours, super::json_for_script(&text), "{text:?}");
        }
    }

    #[test]
    fn closes_what_a_text_leaves_open_in_bidi() {
        use super::close_bidi;
        // An override left open is closed.
        assert_eq!(close_bidi("CO-CITY\u{202E}"), "CO-CITY\u{202E}\u{202C}");
        // Balanced controls and plain right-to-left text are untouched.
        assert_eq!(
            close_bidi("\u{202E}evil\u{202C} rtl"),
            "\u{202E}evil\u{202C} rtl"
        );
        assert_eq!(
            close_bidi("تورينو \u{2067}x\u{2069}"),
            "تورينو \u{2067}x\u{2069}"
        );
        // Nested: an isolate inside an embedding, each closed innermost first.
        assert_eq!(
            close_bidi("\u{202B}a\u{2068}b"),
            "\u{202B}a\u{2068}b\u{2069}\u{202C}"
        );
        // A PDI closes the isolate and whatever was opened inside it; a stray PDF or PDI
        // changes nothing.
        assert_eq!(
            close_bidi("\u{2066}\u{202E}x\u{2069}"),
            "\u{2066}\u{202E}x\u{2069}"
        );
        assert_eq!(close_bidi("\u{202C}\u{2069}x"), "\u{202C}\u{2069}x");
        // A PDF does not close an isolate opened after the embedding.
        assert_eq!(
            close_bidi("\u{202D}a\u{2066}b\u{202C}"),
            "\u{202D}a\u{2066}b\u{202C}\u{2069}\u{202C}"
        );
    }
}
