//! Common YAML mistakes, recognised in the text and said in plain words with the corrected
//! line, instead of the parser's own terms ("mapping values are not allowed in this
//! context"). [`explain`] finds the mistake behind a parse error; [`silent`] finds the
//! mistakes YAML accepts without a word but that change what a field says (`#` starting a
//! comment, `&` an anchor, `!` a tag). The table of mistakes is in docs/diagnostics.md.

/// One mistake, on one line of the YAML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mistake {
    /// Line in the YAML text, 1-based.
    pub line: usize,
    /// Column, 1-based, in characters.
    pub column: usize,
    /// Width of the underline, in characters.
    pub len: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it, with the corrected line.
    pub hint: String,
    /// Another place involved (where a repeated key is first given): line, column and
    /// what is there.
    pub other: Option<(usize, usize, String)>,
}

/// The mistake behind a parse error reported at `error_line` (1-based; 0 when unknown)
/// with `message`. `offset` is added to line numbers written in the texts (the file line of
/// the YAML's first line, minus one).
pub fn explain(text: &str, error_line: usize, message: &str, offset: usize) -> Option<Mistake> {
    if let Some(key) = message
        .strip_prefix("duplicate mapping key `")
        .and_then(|k| k.split('`').next())
    {
        return duplicate(text, error_line, key, offset);
    }
    // The parser often stops on the line before the mistake (a plain value may go on).
    let limit = if error_line == 0 {
        usize::MAX
    } else {
        error_line + 1
    };
    let found = scanner::Scanner::new(text, offset).run(false);
    let before = |quiet: bool| {
        found
            .iter()
            .find(|(q, m)| *q == quiet && m.line <= limit)
            .map(|(_, m)| m.clone())
    };
    before(false).or_else(|| before(true))
}

/// The first mistake YAML accepts silently, in a text that parsed.
pub fn silent(text: &str, offset: usize) -> Option<Mistake> {
    scanner::Scanner::new(text, offset)
        .run(true)
        .into_iter()
        .map(|(_, m)| m)
        .next()
}

/// The parser's message in plain words, for errors [`explain`] cannot pin on a mistake.
/// `key` is the field written on the error's line, if any.
pub fn plain_message(message: &str, key: Option<&str>) -> Option<String> {
    let field = |fallback: &str| {
        key.map(|k| format!("`{k}`"))
            .unwrap_or_else(|| fallback.to_string())
    };
    let m = message;
    Some(if m.contains("mapping values are not allowed") {
        "a `:` here starts a field where no field can start: a value with `: ` in it must be in quotes, and a field must line up with the fields around it".into()
    } else if m.contains("did not find expected key") {
        "this line does not line up with the fields above it".into()
    } else if m.contains("simple key expected") {
        "this line is not a `field: value` line".into()
    } else if m.contains("expected '-' indicator") {
        "this line is not a list item (`- …`) like the lines above it".into()
    } else if m.contains("tab") {
        "a tab where YAML needs spaces: YAML indents with spaces only".into()
    } else if m.contains("unclosed bracket") || m.contains("flow sequence") {
        "a `[` is not closed by a `]`".into()
    } else if m.contains("flow mapping") {
        "a `{` is not closed by a `}`".into()
    } else if m.contains("quoted scalar") {
        "a quoted value is not closed, or text follows its closing quote".into()
    } else if m.contains("unexpected character") {
        "a value cannot start with this character unless it is in quotes".into()
    } else if m.contains("multiple found") {
        "a `---` or `...` line inside the front matter ends it early".into()
    } else if m.contains("block sequence entries are not allowed") {
        "a list item (`- `) where a single value is expected".into()
    } else if m.contains("reference to unknown value") {
        "`*` at the start of a value refers to a YAML anchor, and there is none by that name".into()
    } else if m.contains("expected sequence start") {
        format!("{} must be a list", field("this value"))
    } else if m.contains("expected mapping start") {
        match key {
            Some(k) => format!("`{k}` must be a group of `field: value` lines"),
            None => "the front matter must be `field: value` lines".into(),
        }
    } else if m.contains("expected string scalar") {
        format!(
            "{} must be a single text, not a list or a group of fields",
            field("this value")
        )
    } else {
        return None;
    })
}

/// A piece of YAML as shown in a message: in backticks, or in double backticks with spaces
/// when it has a backtick itself (as Markdown does).
pub fn show(s: &str) -> String {
    if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}

/// A value written in quotes, as YAML reads it back unchanged.
pub fn quote(value: &str) -> String {
    if !value.contains('"') && !value.contains('\\') {
        format!("\"{value}\"")
    } else if !value.contains('\'') {
        format!("'{value}'")
    } else {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

fn duplicate(text: &str, error_line: usize, key: &str, offset: usize) -> Option<Mistake> {
    let lines: Vec<&str> = text.lines().collect();
    let here = lines.get(error_line.checked_sub(1)?)?;
    let col = key_column(here)?;
    let mut first = None;
    for i in (0..error_line - 1).rev() {
        match key_column(lines[i]) {
            Some(c) if c < col => break,
            Some(c) if c == col && line_key(lines[i]) == Some(key) => {
                first = Some(i + 1);
                break;
            }
            _ => {}
        }
    }
    let message = format!("`{key}` is given twice");
    Some(Mistake {
        line: error_line,
        column: col + 1,
        len: key.chars().count(),
        hint: match first {
            Some(f) => format!(
                "a field can be given once: keep line {} or line {}, and delete the other",
                f + offset,
                error_line + offset
            ),
            None => "a field can be given once: delete one of them".into(),
        },
        other: first.map(|f| (f, col + 1, format!("`{key}` is first given here"))),
        message,
    })
}

/// The column (0-based) where the key of a `key: value` line starts, after any `- `.
fn key_column(line: &str) -> Option<usize> {
    let rest = line.trim_start_matches([' ', '-']);
    line_key(line)?;
    Some(line.chars().count() - rest.chars().count())
}

/// The key of a `key: value` or `key:` line (after indentation and `- `), if it is one.
fn line_key(line: &str) -> Option<&str> {
    let rest = line.trim_start_matches([' ', '-']);
    let end = separator(rest)?;
    let key = rest[..end].trim_end();
    (!key.is_empty()
        && !key.starts_with(['"', '\'', '[', '{', '#'])
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ' ')))
    .then_some(key)
}

/// The byte offset of the `:` that ends a plain key: followed by a space or the end.
fn separator(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    (0..b.len()).find(|&i| b[i] == b':' && (i + 1 == b.len() || b[i + 1] == b' '))
}

/// Characters in `s[..byte]`.
fn chars(s: &str, byte: usize) -> usize {
    s[..byte].chars().count()
}

mod scanner;
mod values;

#[cfg(test)]
mod tests;
