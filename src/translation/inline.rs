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

/// How a block is laid out: on one line, or wrapped at `width` columns with `prefix`
/// starting each line after the first (the indentation of a list item, the `>` of a
/// quote), which also follows hard line breaks.
#[derive(Debug, Clone, Copy)]
pub struct Layout<'a> {
    /// The widest line, in characters; 0 keeps the block on one line.
    pub width: usize,
    /// The columns the first line's start already takes (`- `, `> `).
    pub first: usize,
    /// What starts each line after the first.
    pub prefix: &'a str,
}

impl Layout<'_> {
    /// One line, no prefix.
    pub const ONE_LINE: Layout<'static> = Layout {
        width: 0,
        first: 0,
        prefix: "",
    };
}

/// A piece of written Markdown: a word (text and codes with no breakable space in it),
/// a space where a line may break, or a hard line break as written.
enum Part {
    Word(String),
    Space,
    Break(String),
}

/// `content` as Markdown on one line (but for hard line breaks): text escaped, codes as
/// written, runs of white space as one space, none at either end.
pub fn to_markdown(content: &[Inline]) -> String {
    to_markdown_in(content, Layout::ONE_LINE)
}

/// `content` as Markdown laid out by `layout`. A line never starts with what would begin
/// another block (`# `, `- `, `1. `, `> `, a fence), nor ends with what closes a heading.
pub fn to_markdown_in(content: &[Inline], layout: Layout) -> String {
    let mut parts = Vec::new();
    write(content, &mut parts);
    // Logical lines (cut at hard breaks), each a list of words.
    let mut lines: Vec<Vec<String>> = vec![Vec::new()];
    let mut breaks: Vec<String> = Vec::new();
    for p in parts {
        match p {
            Part::Word(w) => lines.last_mut().expect("a line").push(w),
            Part::Space => {}
            Part::Break(b) => {
                breaks.push(b);
                lines.push(Vec::new());
            }
        }
    }
    for line in &mut lines {
        if let Some(first) = line.first_mut() {
            *first = escape_line_start(first);
        }
    }
    if let Some(last) = lines.last_mut().and_then(|l| l.last_mut())
        && last.chars().all(|c| c == '#')
    {
        last.insert(0, '\\');
    }
    let prefix_width = layout.prefix.chars().count();
    let mut out = String::new();
    let mut column = layout.first;
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push_str(&breaks[i - 1]);
            out.push_str(layout.prefix);
            column = prefix_width;
        }
        for (j, word) in line.iter().enumerate() {
            let len = word.chars().count();
            if j > 0 {
                if layout.width > 0 && column + 1 + len > layout.width && can_start_line(word) {
                    out.push('\n');
                    out.push_str(layout.prefix);
                    column = prefix_width;
                } else {
                    out.push(' ');
                    column += 1;
                }
            }
            out.push_str(word);
            column += len;
        }
    }
    out
}

/// Whether a line may start with `word` without starting another block.
fn can_start_line(word: &str) -> bool {
    !word.starts_with(|c: char| c.is_ascii_digit() || "#>-+=*|_~`[<!{".contains(c))
}

fn push_word(parts: &mut Vec<Part>, s: &str) {
    if s.is_empty() {
        return;
    }
    if let Some(Part::Word(w)) = parts.last_mut() {
        w.push_str(s);
    } else {
        parts.push(Part::Word(s.to_string()));
    }
}

fn write(content: &[Inline], parts: &mut Vec<Part>) {
    for i in content {
        match i {
            Inline::Text(t) => {
                let prev = match parts.last() {
                    Some(Part::Word(w)) => w.chars().last(),
                    Some(Part::Space) => Some(' '),
                    Some(Part::Break(_)) => Some('\n'),
                    None => None,
                };
                let mut escaped = String::new();
                escape_text(t, prev, &mut escaped);
                for (k, word) in escaped.split(' ').enumerate() {
                    if k > 0 && !matches!(parts.last(), Some(Part::Space) | None) {
                        parts.push(Part::Space);
                    }
                    push_word(parts, word);
                }
            }
            Inline::Code(c) if c.kind == Kind::LineBreak => {
                // A space before the break stays (it is in the HTML).
                let space = matches!(parts.last(), Some(Part::Space));
                if space {
                    parts.pop();
                }
                let lead = if space { " " } else { "" };
                parts.push(Part::Break(format!("{lead}{}", c.start)));
            }
            Inline::Code(c) => push_word(parts, &c.start),
            Inline::Pair(c, inner) => {
                push_word(parts, &c.start);
                write(inner, parts);
                push_word(parts, &c.end);
            }
        }
    }
}

/// Text as Markdown: white space runs made one space, and every character that could
/// start markup escaped.
fn escape_text(text: &str, before: Option<char>, out: &mut String) {
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev = if i > 0 { Some(chars[i - 1]) } else { before };
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
