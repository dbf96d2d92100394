//! The scanner: follows the text line by line (indentation levels, lists, `|` and `>`
//! blocks of text, values left open across lines) and records the mistakes it meets.

use super::{Mistake, chars, line_key, separator, show};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Kind {
    Map,
    Seq,
}

/// A level of indentation that is open: fields (or list items) at this column.
#[derive(Clone, Debug)]
pub(super) struct Level {
    pub(super) col: usize,
    pub(super) kind: Kind,
    /// The key whose value this level is (`partners` for its items), or the first key.
    pub(super) name: String,
}

/// A quoted value or a `[`/`{` collection still open at the end of a line.
pub(super) struct Open {
    pub(super) line: usize,
    /// Byte offset of the opening character.
    pub(super) at: usize,
    /// Column of the line's key: a line starting at or before it ends the value.
    pub(super) key_col: usize,
    pub(super) quote: Option<char>,
    pub(super) depth: usize,
}

/// A `|` or `>` block of text: its lines are text, whatever they hold.
pub(super) struct Block {
    pub(super) key: String,
    pub(super) key_col: usize,
    pub(super) content_col: Option<usize>,
}

pub(super) struct Scanner<'a> {
    pub(super) lines: Vec<&'a str>,
    pub(super) text: &'a str,
    pub(super) offset: usize,
    pub(super) levels: Vec<Level>,
    /// The previous line asks for a nested value on the following lines.
    pub(super) opens: bool,
    /// The previous line's key, column and whether it has a plain value.
    pub(super) prev: Option<(String, usize, bool)>,
    pub(super) open: Option<Open>,
    pub(super) block: Option<Block>,
    /// Mistakes found, each marked `true` when YAML accepts it silently.
    pub(super) found: Vec<(bool, Mistake)>,
    /// Whether only silent mistakes are looked for (the text parsed).
    pub(super) silent: bool,
}

impl<'a> Scanner<'a> {
    pub(super) fn new(text: &'a str, offset: usize) -> Self {
        Scanner {
            lines: text.lines().collect(),
            text,
            offset,
            levels: Vec::new(),
            opens: true,
            prev: None,
            open: None,
            block: None,
            found: Vec::new(),
            silent: false,
        }
    }

    /// Every mistake found, in line order; only those YAML accepts silently if `silent`.
    pub(super) fn run(mut self, silent: bool) -> Vec<(bool, Mistake)> {
        self.silent = silent;
        for i in 0..self.lines.len() {
            self.line(i + 1);
        }
        if let Some(open) = self.open.take()
            && !silent
        {
            self.unclosed(&open);
        }
        self.found
    }

    /// Records a mistake of structure (one the parser stops at).
    pub(super) fn push(
        &mut self,
        line: usize,
        byte: usize,
        len: usize,
        message: String,
        hint: String,
    ) {
        self.record(false, line, byte, len, message, hint);
    }

    /// Records a mistake YAML accepts silently.
    pub(super) fn quiet(
        &mut self,
        line: usize,
        byte: usize,
        len: usize,
        message: String,
        hint: String,
    ) {
        self.record(true, line, byte, len, message, hint);
    }

    fn record(
        &mut self,
        quiet: bool,
        line: usize,
        byte: usize,
        len: usize,
        message: String,
        hint: String,
    ) {
        if self.silent && !quiet {
            return;
        }
        let column = chars(self.lines[line - 1], byte) + 1;
        let mistake = Mistake {
            line,
            column,
            len: len.max(1),
            message,
            hint,
            other: None,
        };
        self.found.push((quiet, mistake));
    }

    fn line(&mut self, no: usize) {
        let raw = self.lines[no - 1].trim_end_matches('\r');
        let indent_bytes = raw.len() - raw.trim_start_matches([' ', '\t']).len();
        let leading = &raw[..indent_bytes];
        let body = &raw[indent_bytes..];

        if let Some(open) = &self.open {
            let starts_field = !body.is_empty() && leading.len() <= open.key_col;
            if starts_field && !body.starts_with(['#', ']', '}']) {
                let open = self.open.take().expect("checked");
                self.unclosed(&open);
            } else {
                let open = self.open.take().expect("checked");
                self.open = continue_open(raw, 0, open);
                return;
            }
        }

        if let Some(block) = &self.block {
            if body.is_empty() {
                return;
            }
            let spaces = leading.len() - leading.trim_start_matches(' ').len();
            let wanted = block.content_col.unwrap_or(block.key_col + 2);
            if leading.contains('\t') && spaces < wanted {
                let tab = leading.find('\t').unwrap_or(0);
                self.push(
                    no,
                    tab,
                    1,
                    format!(
                        "line {} is indented with a tab; YAML indents with spaces only",
                        no + self.offset
                    ),
                    format!(
                        "indent it with spaces, like the text of `{}`: {}",
                        block.key,
                        show(&format!("{}{body}", " ".repeat(wanted)))
                    ),
                );
                return;
            }
            let inside = match block.content_col {
                Some(c) => spaces >= c,
                None => spaces > block.key_col,
            };
            if inside {
                if let Some(b) = &mut self.block {
                    b.content_col.get_or_insert(spaces);
                }
                return;
            }
            let block = self.block.take().expect("checked");
            if block.content_col.is_none() && spaces == block.key_col && separator(body).is_none() {
                // `summary: >` and its text on the next line, not indented.
                self.push(
                    no,
                    indent_bytes,
                    body.chars().count(),
                    format!("the text of `{}` must be indented under it", block.key),
                    format!(
                        "indent each line of the text with spaces: {}",
                        show(&format!("{}{body}", " ".repeat(block.key_col + 2)))
                    ),
                );
                return;
            }
        }

        if body.is_empty() || body.starts_with('#') {
            return;
        }
        if indent_bytes == 0 && (body.starts_with("---") || body.starts_with("...")) {
            {
                let marker = &body[..3];
                self.push(
                    no,
                    0,
                    raw.chars().count(),
                    format!("`{marker}` at the start of a line ends the YAML here"),
                    "delete this line: the front matter is one block of `field: value` lines, and it ends at a line with only `---`".into(),
                );
            }
            return;
        }
        if leading.contains('\t') {
            {
                let tab = leading.find('\t').unwrap_or(0);
                let wanted = match &self.prev {
                    Some((_, col, _)) if !self.opens => *col,
                    Some((_, col, _)) => col + 2,
                    None => 0,
                };
                self.push(
                    no,
                    tab,
                    1,
                    format!(
                        "line {} is indented with a tab; YAML indents with spaces only",
                        no + self.offset
                    ),
                    format!(
                        "indent it with spaces: {}",
                        show(&format!("{}{body}", " ".repeat(wanted)))
                    ),
                );
            }
            return;
        }
        self.structure(no, raw, indent_bytes);
    }

    /// A line without tabs in its indentation, outside text blocks and open values.
    fn structure(&mut self, no: usize, raw: &str, indent: usize) {
        let mut pos = indent;
        // List items: `- ` (possibly nested, `- - a`).
        loop {
            let rest = &raw[pos..];
            if rest == "-" || rest.starts_with("- ") {
                if !self.item(no, pos) {
                    return;
                }
                pos += 1;
                pos += raw[pos..].len() - raw[pos..].trim_start_matches(' ').len();
                if pos >= raw.len() {
                    self.opens = true;
                    return;
                }
                continue;
            }
            break;
        }
        let content = &raw[pos..];
        let dashed = pos > indent;
        if content.starts_with('-')
            && !content.starts_with("--")
            && content.len() > 1
            && self.expects_item(pos)
        {
            let fixed = format!("{}- {}", &raw[..pos], &content[1..]);
            self.push(
                no,
                pos,
                1,
                "a list item needs a space after `-`".into(),
                format!("write {}", show(&fixed)),
            );
            return;
        }
        match separator(content).filter(|_| line_key(&raw[pos..]).is_some()) {
            Some(sep) => {
                let key = content[..sep].trim_end().to_string();
                if !dashed && !self.place_key(no, raw, pos, &key) {
                    return;
                }
                if dashed {
                    self.levels.push(Level {
                        col: pos,
                        kind: Kind::Map,
                        name: key.clone(),
                    });
                }
                let value_at = pos + sep + 1;
                let value_at =
                    value_at + raw[value_at..].len() - raw[value_at..].trim_start().len();
                self.value(no, raw, pos, &key, value_at);
            }
            None => self.bare(no, raw, pos, dashed),
        }
    }

    /// Whether a list item is expected at column `col`: the line before opened a value, or
    /// items are listed at this column.
    fn expects_item(&self, col: usize) -> bool {
        self.opens
            || self
                .levels
                .iter()
                .any(|l| l.col == col && l.kind == Kind::Seq)
    }

    /// Places a `- ` at `col` among the open levels. Returns false after a mistake.
    fn item(&mut self, no: usize, col: usize) -> bool {
        if self.prev.is_none() && self.levels.is_empty() {
            let line = self.lines[no - 1];
            let fixed = line[col + 1..].trim_start();
            self.push(
                no,
                col,
                1,
                "these fields start with `- `, which makes them a list; they must be `field: value` lines".into(),
                format!("remove the `- `: {}", show(fixed)),
            );
            return false;
        }
        while self.levels.last().is_some_and(|l| l.col > col) {
            self.levels.pop();
        }
        match self.levels.last() {
            Some(l) if l.col == col && l.kind == Kind::Seq => {}
            top if self.opens && top.is_none_or(|l| l.col <= col) => {
                let name = self.prev.as_ref().map(|p| p.0.clone()).unwrap_or_default();
                self.levels.push(Level {
                    col,
                    kind: Kind::Seq,
                    name,
                });
            }
            _ => {
                self.push(
                    no,
                    col,
                    1,
                    "this list item does not line up with a list above it".into(),
                    "line up every `- ` of a list, under the field it belongs to".into(),
                );
                return false;
            }
        }
        self.opens = false;
        true
    }

    /// Places a key at column `col`. Returns false after a mistake.
    fn place_key(&mut self, no: usize, raw: &str, col: usize, key: &str) -> bool {
        let mut popped: Option<usize> = None;
        while self
            .levels
            .last()
            .is_some_and(|l| l.col > col || (l.col == col && l.kind == Kind::Seq))
        {
            if let Some(l) = self.levels.pop().filter(|l| l.col > col) {
                popped = Some(l.col);
            }
        }
        let top = self.levels.last().map(|l| l.col);
        let deeper = self.prev.as_ref().is_none_or(|p| col > p.1);
        match top {
            Some(t) if t == col => return true,
            _ if self.opens && deeper => {
                self.levels.push(Level {
                    col,
                    kind: Kind::Map,
                    name: key.into(),
                });
                return true;
            }
            _ => {}
        }
        let body = &raw[col..];
        match (popped, &self.prev) {
            (None, Some((prev_key, prev_col, _))) => {
                let (prev_key, prev_col) = (prev_key.clone(), *prev_col);
                self.push(
                    no,
                    col,
                    key.chars().count(),
                    format!("`{key}` is indented more than `{prev_key}` above it, which already has a value"),
                    format!(
                        "line `{key}` up with `{prev_key}`: {}",
                        show(&format!("{}{body}", " ".repeat(prev_col)))
                    ),
                );
            }
            (Some(wanted), _) => {
                let sibling = self.prev.as_ref().map(|p| p.0.clone()).unwrap_or_default();
                self.push(
                    no,
                    col,
                    key.chars().count(),
                    format!(
                        "`{key}` is indented by {col} spaces, but `{sibling}` above it by {wanted}"
                    ),
                    format!(
                        "line the fields of a group up: {}",
                        show(&format!("{}{body}", " ".repeat(wanted)))
                    ),
                );
            }
            (None, None) => {
                self.push(
                    no,
                    col,
                    key.chars().count(),
                    format!("the first field, `{key}`, is indented"),
                    format!(
                        "start top-level fields at the beginning of the line: {}",
                        show(body)
                    ),
                );
            }
        }
        false
    }
}

/// Follows a quoted value or a `[`/`{` collection from byte `from` of `raw`: `None` once
/// it is closed on this line.
pub(super) fn continue_open(raw: &str, from: usize, mut open: Open) -> Option<Open> {
    let b = raw.as_bytes();
    let mut i = from;
    while i < b.len() {
        let c = b[i] as char;
        match open.quote {
            Some('"') if c == '\\' => i += 1,
            Some('\'') if c == '\'' && b.get(i + 1) == Some(&b'\'') => i += 1,
            Some(q) if c == q => {
                open.quote = None;
                if open.depth == 0 {
                    return None;
                }
            }
            Some(_) => {}
            None => match c {
                '"' | '\'' => open.quote = Some(c),
                '[' | '{' => open.depth += 1,
                ']' | '}' => {
                    open.depth = open.depth.saturating_sub(1);
                    if open.depth == 0 {
                        return None;
                    }
                }
                '#' if i > 0 && b[i - 1] == b' ' => break,
                _ => {}
            },
        }
        i += 1;
    }
    Some(open)
}
