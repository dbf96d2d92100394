//! The inline content of one block of a body, as translators get it: text, and the
//! Markdown around and inside it (emphasis, links, code spans, line breaks…) as *codes*
//! that carry the Markdown as written, so that a translation can move them but cannot
//! break them. Written back as Markdown with the text escaped, so that a translated `*` or
//! `[` stays a character.

/// What a code stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `**strong**`.
    Strong,
    /// `*emphasis*`.
    Emphasis,
    /// `~~strikethrough~~`.
    Strike,
    /// `[text](target)`.
    Link,
    /// `![description](src)`.
    Image,
    /// `` `code` ``, kept as it is.
    CodeSpan,
    /// Raw inline HTML, an autolink, a footnote reference: kept as it is.
    Other,
    /// A hard line break.
    LineBreak,
}

impl Kind {
    /// Whether the code encloses text (`<pc>`) rather than standing alone (`<ph>`).
    pub fn is_paired(self) -> bool {
        matches!(
            self,
            Kind::Strong | Kind::Emphasis | Kind::Strike | Kind::Link | Kind::Image
        )
    }
}

/// A code: the Markdown it stands for, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    /// Its id in its block: `1`, `2`…
    pub id: String,
    /// What it is.
    pub kind: Kind,
    /// The Markdown before the enclosed text (`**`, `[`), or the whole of a lone code.
    pub start: String,
    /// The Markdown after the enclosed text (`**`, `](target)`); empty for a lone code.
    pub end: String,
}

/// A piece of inline content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// A lone code (a code span, a line break, inline HTML).
    Code(Code),
    /// A code enclosing content (emphasis, a link).
    Pair(Code, Vec<Inline>),
}

/// Every code of `content`, depth first, in document order.
pub fn codes(content: &[Inline]) -> Vec<&Code> {
    let mut out = Vec::new();
    for i in content {
        match i {
            Inline::Text(_) => {}
            Inline::Code(c) => out.push(c),
            Inline::Pair(c, inner) => {
                out.push(c);
                out.extend(codes(inner));
            }
        }
    }
    out
}

/// The plain text of `content`, codes left out.
pub fn plain_text(content: &[Inline]) -> String {
    let mut out = String::new();
    for i in content {
        match i {
            Inline::Text(t) => out.push_str(t),
            Inline::Code(_) => {}
            Inline::Pair(_, inner) => out.push_str(&plain_text(inner)),
        }
    }
    out
}

/// `content` as Markdown on one line (but for hard line breaks): text escaped, codes as
/// written, runs of white space as one space, none at either end.
pub fn to_markdown(content: &[Inline]) -> String {
    let mut out = String::new();
    write(content, &mut out);
    let trimmed = out.trim();
    // A text that starts a line must not start a block (`# `, `- `, `1. `, `> `).
    let mut s = String::with_capacity(trimmed.len() + 2);
    let mut line_start = true;
    for line in trimmed.split_inclusive('\n') {
        if line_start {
            s.push_str(&escape_line_start(line));
        } else {
            s.push_str(line);
        }
        line_start = line.ends_with('\n');
    }
    // Nor end with what closes a heading (`## Title #`).
    let before = s.trim_end_matches('#').len();
    if before < s.len() && (before == 0 || s[..before].ends_with(' ')) {
        s.insert(before, '\\');
    }
    s
}

fn write(content: &[Inline], out: &mut String) {
    for i in content {
        match i {
            Inline::Text(t) => escape_text(t, out),
            Inline::Code(c) => out.push_str(&c.start),
            Inline::Pair(c, inner) => {
                out.push_str(&c.start);
                write(inner, out);
                out.push_str(&c.end);
            }
        }
    }
}

/// Text as Markdown: white space runs made one space, and every character that could
/// start markup escaped.
fn escape_text(text: &str, out: &mut String) {
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev = if i > 0 {
            Some(chars[i - 1])
        } else {
            out.chars().last()
        };
        let next = chars.get(i + 1).copied();
        if c.is_whitespace() {
            if prev.is_some_and(char::is_whitespace) {
                continue;
            }
            out.push(' ');
            continue;
        }
        let escape = match c {
            '\\' | '`' | '*' | '[' | ']' | '|' | '~' | '{' | '}' => true,
            '_' => {
                !(prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric))
            }
            '<' => next.is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')),
            '&' => looks_like_entity(&chars[i + 1..]),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Whether the characters after a `&` would make it an entity reference (`amp;`, `#38;`).
fn looks_like_entity(after: &[char]) -> bool {
    let name = after
        .iter()
        .take(32)
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .count();
    name > 0 && after.get(name) == Some(&';')
}

/// A line's start escaped where it would begin a block: `#`, `>`, `-`, `+`, `=`, and a
/// number followed by `.` or `)`.
fn escape_line_start(line: &str) -> String {
    let trimmed = line.trim_start_matches(' ');
    let first = trimmed.chars().next();
    if matches!(first, Some('#' | '>' | '-' | '+' | '=')) {
        return format!("\\{trimmed}");
    }
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && matches!(trimmed.as_bytes().get(digits), Some(b'.' | b')')) {
        return format!("{}\\{}", &trimmed[..digits], &trimmed[digits..]);
    }
    trimmed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    #[test]
    fn text_that_looks_like_markup_stays_text() {
        let md = to_markdown(&[text("3 * 4 = [12] `x` a_b _c_ <b> AT&T &amp; ~50 | {#id}")]);
        assert_eq!(
            md,
            "3 \\* 4 = \\[12\\] \\`x\\` a_b \\_c\\_ \\<b> AT&T \\&amp; \\~50 \\| \\{#id\\}"
        );
        assert_eq!(to_markdown(&[text("# not a heading")]), "\\# not a heading");
        assert_eq!(to_markdown(&[text("  1. not a list")]), "1\\. not a list");
        assert_eq!(to_markdown(&[text("- not an item")]), "\\- not an item");
        assert_eq!(to_markdown(&[text("a\n  b \t c ")]), "a b c");
    }

    #[test]
    fn codes_are_written_as_they_were() {
        let link = Code {
            id: "1".into(),
            kind: Kind::Link,
            start: "[".into(),
            end: "](@/practices/co-city.md)".into(),
        };
        let strong = Code {
            id: "2".into(),
            kind: Kind::Strong,
            start: "**".into(),
            end: "**".into(),
        };
        let br = Code {
            id: "3".into(),
            kind: Kind::LineBreak,
            start: "\\\n".into(),
            end: String::new(),
        };
        let content = vec![
            text("See "),
            Inline::Pair(link, vec![Inline::Pair(strong, vec![text("CO-CITY")])]),
            Inline::Code(br),
            text("1. and more"),
        ];
        assert_eq!(
            to_markdown(&content),
            "See [**CO-CITY**](@/practices/co-city.md)\\\n1\\. and more"
        );
        assert_eq!(codes(&content).len(), 3);
        assert_eq!(plain_text(&content), "See CO-CITY1. and more");
    }
}
