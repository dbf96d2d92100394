//! What follows a key or a `- `: quoted values, `[`/`{` collections, blocks of text, values
//! that start with YAML syntax, `: ` and ` #` inside plain values, and lines with no key.

use super::scanner::{Block, Kind, Open, Scanner, continue_open};
use super::{line_key, quote, separator, show};

impl Scanner<'_> {
    /// The value of `key`, starting at byte `at` of `raw` (`at == raw.len()`: none).
    pub(super) fn value(&mut self, no: usize, raw: &str, key_col: usize, key: &str, at: usize) {
        let prefix = &raw[..at];
        let (value, comment) = split_comment(&raw[at..]);
        self.opens = value.is_empty();
        self.prev = Some((key.into(), key_col, false));
        let comment_at = comment.map(|c| c.as_ptr() as usize - raw.as_ptr() as usize);
        // The line with `v` in quotes as the value, and the comment kept.
        let requote = |v: &str| {
            let kept = comment.map(|c| format!(" {c}")).unwrap_or_default();
            show(&format!("{prefix}{}{kept}", quote(v)))
        };
        if value.is_empty() {
            if let (Some(c), Some(c_at)) = (comment, comment_at)
                && c[1..].starts_with(|ch: char| !ch.is_whitespace() && ch != '#')
            {
                // `title: #MarketPlace Lisbon`: the whole value is a comment.
                self.quiet(
                    no,
                    c_at,
                    c.chars().count(),
                    format!("`#` starts a comment, so `{key}` has no value"),
                    format!(
                        "write the value in quotes: {} (or put a space after `#` if it is a comment)",
                        show(&format!("{prefix}{}", quote(c)))
                    ),
                );
            }
            return;
        }
        let first = value.chars().next().expect("not empty");
        match first {
            '"' | '\'' => match closing_quote(value, first) {
                None => {
                    self.open = Some(Open {
                        line: no,
                        at,
                        key_col,
                        quote: Some(first),
                        depth: 0,
                    });
                }
                Some(end) if !value[end + 1..].trim().is_empty() => {
                    let inner = &value[1..value.len() - usize::from(value.ends_with(first))];
                    self.push(
                        no,
                        at + end,
                        1,
                        format!(
                            "the quoted value of `{key}` ends at this `{first}`, and text follows it"
                        ),
                        format!(
                            "to keep `{first}` inside the value, quote it with the other kind of quote: {}",
                            requote(inner)
                        ),
                    );
                }
                Some(_) => {}
            },
            '[' | '{' => {
                let open = Open {
                    line: no,
                    at,
                    key_col,
                    quote: None,
                    depth: 0,
                };
                self.open = continue_open(raw, at, open);
            }
            '|' | '>' => {
                let indicators = value[1..]
                    .trim_start_matches(|c: char| c == '-' || c == '+' || c.is_ascii_digit());
                if indicators.is_empty() {
                    self.block = Some(Block {
                        key: key.into(),
                        key_col,
                        content_col: None,
                    });
                } else {
                    self.push(
                        no,
                        at,
                        1,
                        format!(
                            "`{first}` at the start of a value begins a block of text on the lines below it, so nothing can follow it on this line"
                        ),
                        format!("write the value in quotes: {}", requote(value)),
                    );
                }
            }
            '-' if value.starts_with("- ") || value == "-" => {
                self.push(
                    no,
                    at,
                    1,
                    format!("`- ` after `{key}:` starts a list, which cannot begin on the field's line"),
                    format!(
                        "write a text that begins with `-` in quotes: {}; or put each item of a list on its own line, under `{key}:`",
                        requote(value)
                    ),
                );
            }
            '@' | '`' | '%' => {
                self.push(
                    no,
                    at,
                    1,
                    format!(
                        "a value cannot start with {} unless it is in quotes",
                        show(&first.to_string())
                    ),
                    format!("write the value in quotes: {}", requote(value)),
                );
            }
            '*' => {
                let name = anchor_name(&value[1..]);
                if !self.text.contains(&format!("&{name}")) {
                    self.push(
                        no,
                        at,
                        name.chars().count() + 1,
                        format!(
                            "`*` at the start of a value refers to a YAML anchor, and there is no anchor `&{name}`"
                        ),
                        format!("write the value in quotes: {}", requote(value)),
                    );
                }
            }
            '&' | '!' => {
                let name = anchor_name(&value[1..]);
                let rest = value[1 + name.len()..].trim();
                let used = first == '&' && self.text.contains(&format!("*{name}"));
                let standard = value.starts_with("!!");
                if !used && !standard && !rest.is_empty() && !name.is_empty() {
                    let what = if first == '&' {
                        "makes a YAML anchor"
                    } else {
                        "is a YAML tag"
                    };
                    self.quiet(
                        no,
                        at,
                        name.chars().count() + 1,
                        format!(
                            "`{first}{name}` at the start of a value {what}, so `{key}` would be just `{rest}`"
                        ),
                        format!("write the value in quotes: {}", requote(value)),
                    );
                }
            }
            _ => {
                self.prev = Some((key.into(), key_col, true));
                if let Some(colon) = separator(value) {
                    self.push(
                        no,
                        at + colon,
                        1,
                        format!(
                            "`: ` inside the value of `{key}` makes YAML read a new field here"
                        ),
                        format!("write the value in quotes: {}", requote(value)),
                    );
                } else if let (Some(c), Some(c_at)) = (comment, comment_at)
                    && c[1..].starts_with(|ch: char| ch.is_alphanumeric())
                {
                    // `title: Lisbon #MarketPlace`: the end is a comment, left out.
                    let whole = format!("{value} {c}");
                    self.quiet(
                        no,
                        c_at,
                        c.chars().count(),
                        format!("` #` starts a comment, so `{c}` is left out of `{key}`"),
                        format!(
                            "write the value in quotes: {} (or remove what follows `#`)",
                            show(&format!("{prefix}{}", quote(&whole)))
                        ),
                    );
                }
            }
        }
    }

    /// A line with no `key:`: a list item's value, text going on from the line above, or a
    /// mistake.
    pub(super) fn bare(&mut self, no: usize, raw: &str, col: usize, dashed: bool) {
        let content = &raw[col..];
        let opened = std::mem::replace(&mut self.opens, false);
        if !self.silent
            && let Some((key, sep)) = glued_key(content)
        {
            let fixed = format!("{}{}: {}", &raw[..col], key, &content[sep + 1..]);
            self.push(
                no,
                col + sep,
                1,
                format!("`{key}:` needs a space after the `:`"),
                format!("write {}", show(&fixed)),
            );
            return;
        }
        if dashed || opened {
            if dashed {
                // A list item's value: check it as a value of the list.
                let name = self
                    .levels
                    .iter()
                    .rev()
                    .find(|l| l.kind == Kind::Seq)
                    .map(|l| l.name.clone())
                    .unwrap_or_default();
                let prev = self.prev.clone();
                self.value(no, raw, col, &name, col);
                self.prev = prev.map(|(k, c, _)| (k, c, false));
                self.opens = false;
            }
            return;
        }
        if self.silent {
            return;
        }
        let at_level = self.levels.iter().rev().find(|l| l.col <= col).cloned();
        match at_level {
            Some(l) if l.col == col && l.kind == Kind::Seq => {
                let fixed = format!("{}- {content}", &raw[..col]);
                self.push(
                    no,
                    col,
                    content.trim_end().chars().count(),
                    format!(
                        "this line is in the list of `{}` but does not start with `- `",
                        l.name
                    ),
                    format!("start each item of a list with `- `: {}", show(&fixed)),
                );
            }
            _ => match &self.prev {
                Some((key, key_col, true)) if col <= *key_col => {
                    let fixed = format!("{}{content}", " ".repeat(key_col + 2));
                    let key = key.clone();
                    self.push(
                        no,
                        col,
                        content.trim_end().chars().count(),
                        format!("this line has no `field:`; if it goes on with the value of `{key}`, it must be indented under it"),
                        format!(
                            "indent it: {}, or give it its field: {}",
                            show(&fixed),
                            show(&format!("field: {content}"))
                        ),
                    );
                }
                Some(_) if col > 0 => {}
                _ => {
                    self.push(
                        no,
                        col,
                        content.trim_end().chars().count(),
                        "this line is not a `field: value` line".into(),
                        format!(
                            "write {} with the field's name, or remove the line",
                            show(&format!("field: {content}"))
                        ),
                    );
                }
            },
        }
    }

    pub(super) fn unclosed(&mut self, open: &Open) {
        let raw = self.lines[open.line - 1].trim_end_matches('\r');
        let opener = raw[open.at..].chars().next().unwrap_or('"');
        let (closer, what) = match (open.quote, opener) {
            (Some(q), _) => (q, "quote"),
            (None, '[') => (']', "bracket"),
            (None, _) => ('}', "brace"),
        };
        let (value, comment) = split_comment(&raw[open.at..]);
        let value = if open.quote.is_some() {
            raw[open.at..].trim_end()
        } else {
            value
        };
        let fixed = format!(
            "{}{value}{closer}{}",
            &raw[..open.at],
            comment.map(|c| format!(" {c}")).unwrap_or_default()
        );
        let of = line_key(raw)
            .map(|k| format!(" of `{k}`"))
            .unwrap_or_default();
        let message = match what {
            "quote" => format!("the quote `{opener}`{of} is never closed"),
            _ => format!("the `{opener}`{of} is never closed by a `{closer}`"),
        };
        self.push(
            open.line,
            open.at,
            1,
            message,
            format!("close it on the same line: {}", show(&fixed)),
        );
    }
}

/// The byte offset of the quote that closes a value starting with `q`.
fn closing_quote(value: &str, q: char) -> Option<usize> {
    let b = value.as_bytes();
    let mut i = 1;
    while i < b.len() {
        let c = b[i] as char;
        if q == '"' && c == '\\' {
            i += 2;
            continue;
        }
        if c == q {
            if q == '\'' && b.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i);
        }
        i += 1;
    }
    None
}

/// A plain value and its trailing comment (from ` #`), both trimmed at the end.
fn split_comment(s: &str) -> (&str, Option<&str>) {
    let b = s.as_bytes();
    let quoted = s.starts_with(['"', '\'']);
    for i in 0..b.len() {
        if b[i] == b'#' && (i == 0 || b[i - 1] == b' ' || b[i - 1] == b'\t') {
            if quoted && closing_quote(s, s.chars().next().unwrap_or('"')).is_none_or(|e| e > i) {
                continue;
            }
            return (s[..i].trim_end(), Some(s[i..].trim_end()));
        }
    }
    (s.trim_end(), None)
}

/// `title:Housing First`: a key glued to its value.
fn glued_key(content: &str) -> Option<(&str, usize)> {
    let colon = content.find(':')?;
    let key = &content[..colon];
    let next = content[colon + 1..].chars().next()?;
    let keyish = !key.is_empty()
        && key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    (keyish && !next.is_whitespace() && next != '/' && next != ':').then_some((key, colon))
}

/// The name after `&`, `*` or `!`: up to the first space.
fn anchor_name(s: &str) -> &str {
    let end = s.find([' ', '\t', ',', ']', '}']).unwrap_or(s.len());
    &s[..end]
}
