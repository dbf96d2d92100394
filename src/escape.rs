//! Escaping for the text casebook writes itself (outside templates).

/// Escapes text for HTML content and double-quoted attributes.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
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
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            _ => out.push(c),
        }
    }
    out
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
        let json = super::json_for_script(&"</script><!--&");
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
        assert_eq!(
            serde_json::from_str::<String>(&json).unwrap(),
            "</script><!--&"
        );
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
