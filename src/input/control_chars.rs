//! Control characters (NUL, ESC, DEL, the C1 controls) and noncharacters (U+FFFE, U+FFFF…)
//! are invisible in most editors and forbidden in HTML and XML: a page that carries one is
//! invalid, and a feed that carries one does not parse. casebook refuses them where they are
//! written, with their line and column, in content files, casebook.yaml and i18n files,
//! whether typed (pasted from a terminal or a PDF) or written as a YAML escape (`"\x1b"`).
//! Tab, line feed and carriage return are text.

use std::path::Path;

use crate::diagnostics::{Code, Diagnostic, Location};

/// Whether `c` may not appear in a text casebook publishes.
pub fn is_forbidden(c: char) -> bool {
    match c {
        '\t' | '\n' | '\r' => false,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{fdd0}'..='\u{fdef}' => true,
        c => (c as u32) & 0xFFFE == 0xFFFE,
    }
}

/// The first forbidden character of `s`, with its byte offset.
pub fn first_forbidden(s: &str) -> Option<(usize, char)> {
    s.char_indices().find(|&(_, c)| is_forbidden(c))
}

/// How a forbidden character is named in messages: `U+001B`.
pub fn name(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

const HINT: &str = "delete it: control characters are invisible in most editors and not allowed in web pages or feeds (they come from text pasted from a terminal or a PDF, or from a YAML escape such as \"\\x1b\")";

/// The diagnostic for the first forbidden character typed in `text` (a whole file), at its
/// line and column, counting the others.
pub fn scan(text: &str, file: &Path) -> Option<Diagnostic> {
    let (offset, c) = first_forbidden(text)?;
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let more = text[offset..].chars().filter(|&c| is_forbidden(c)).count() - 1;
    let message = match more {
        0 => format!("invisible control character {}", name(c)),
        n => format!(
            "invisible control character {} ({n} more in this file)",
            name(c)
        ),
    };
    Some(
        Diagnostic::new(Code::BadValue, message)
            .at_source(Location::new(file, line, column), text, 1)
            .hint(HINT),
    )
}

/// The diagnostic for a value (`field`) holding a forbidden character that the file does not
/// show as such (a YAML escape), located at the value.
pub fn in_value(field: &str, c: char, at: Location, file_text: &str) -> Diagnostic {
    Diagnostic::new(
        Code::BadValue,
        format!("`{field}` holds the control character {}", name(c)),
    )
    .at_source(at, file_text, 1)
    .hint(HINT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbids_controls_and_noncharacters_but_not_whitespace() {
        for c in [
            '\0',
            '\u{1}',
            '\u{1b}',
            '\u{7f}',
            '\u{85}',
            '\u{9f}',
            '\u{fffe}',
            '\u{ffff}',
            '\u{1fffe}',
            '\u{fdd0}',
        ] {
            assert!(is_forbidden(c), "{c:?}");
        }
        for c in [
            '\t',
            '\n',
            '\r',
            ' ',
            'é',
            '\u{a0}',
            '\u{200b}',
            '\u{fffd}',
            '\u{1f600}',
        ] {
            assert!(!is_forbidden(c), "{c:?}");
        }
    }

    #[test]
    fn points_at_the_first_one_and_counts_the_rest() {
        let d = scan("---\ntitle: a\u{1b}b\u{0}\n", Path::new("p.md")).unwrap();
        let loc = d.location.unwrap();
        assert_eq!((loc.line, loc.column), (2, 9));
        assert_eq!(
            d.message,
            "invisible control character U+001B (1 more in this file)"
        );
        assert!(scan("plain\ttext\r\n", Path::new("p.md")).is_none());
    }
}
