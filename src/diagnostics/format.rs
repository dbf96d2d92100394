//! Diagnostics for every reader: people (`human`, rustc style), tools (`json`, one object
//! per line) and GitHub pull requests (`github`, workflow-command annotations).

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use super::{Diagnostic, Location, Severity};

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For a terminal: the source line with a caret, colour when asked for.
    Human,
    /// One JSON object per line.
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…::…`).
    Github,
}

impl Format {
    /// Parses `human`, `json` or `github`.
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "human" => Some(Format::Human),
            "json" => Some(Format::Json),
            "github" => Some(Format::Github),
            _ => None,
        }
    }

    /// The format asked for, or else `github` inside GitHub Actions (`GITHUB_ACTIONS=true`)
    /// and `human` everywhere else.
    pub fn choose(explicit: Option<Format>, github_actions: Option<&str>) -> Format {
        match (explicit, github_actions) {
            (Some(f), _) => f,
            (None, Some("true")) => Format::Github,
            (None, _) => Format::Human,
        }
    }

    /// Whether this format is meant for programs (and so goes to standard output, alone).
    pub fn is_machine(self) -> bool {
        self != Format::Human
    }
}

/// Renders one diagnostic; `color` only matters for `human`. Ends with a newline.
pub fn render(d: &Diagnostic, format: Format, color: bool) -> String {
    match format {
        Format::Human => d.render_human(color),
        Format::Json => json(d) + "\n",
        Format::Github => github(d) + "\n",
    }
}

/// Writes every diagnostic in `format`.
pub fn write_all(
    out: &mut dyn Write,
    diags: &[Diagnostic],
    format: Format,
    color: bool,
) -> std::io::Result<()> {
    for d in diags {
        out.write_all(render(d, format, color).as_bytes())?;
    }
    out.flush()
}

fn path_str(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

#[derive(Serialize)]
struct JsonNote<'a> {
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    end_column: Option<usize>,
    severity: &'static str,
    code: &'static str,
    name: &'static str,
    message: &'a str,
    hint: Option<&'a str>,
    notes: Vec<JsonNote<'a>>,
}

fn known(n: usize) -> Option<usize> {
    (n > 0).then_some(n)
}

/// The column just past the underlined span, when the diagnostic shows one.
fn end_column(d: &Diagnostic) -> Option<usize> {
    let loc = d.location.as_ref()?;
    (d.source_line.is_some() && loc.column > 0).then(|| loc.column + d.span_len)
}

/// One diagnostic as a single-line JSON object: `file`, `line`, `column`, `end_column`
/// (null when unknown), `severity`, `code`, `name`, `message`, `hint` and `notes`.
pub fn json(d: &Diagnostic) -> String {
    let loc = d.location.as_ref();
    let value = JsonDiagnostic {
        file: loc.map(|l| path_str(&l.file)),
        line: loc.and_then(|l| known(l.line)),
        column: loc.and_then(|l| known(l.column)),
        end_column: end_column(d),
        severity: d.severity.as_str(),
        code: d.code.id(),
        name: d.code.name(),
        message: &d.message,
        hint: d.hint.as_deref(),
        notes: d
            .notes
            .iter()
            .map(|n| JsonNote {
                file: path_str(&n.location.file),
                line: known(n.location.line),
                column: known(n.location.column),
                message: &n.message,
            })
            .collect(),
    };
    // Serializing plain strings and numbers cannot fail.
    serde_json::to_string(&value).unwrap_or_default()
}

/// Escapes the message of a workflow command: `%`, `\r` and `\n`.
pub fn escape_github_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a property value of a workflow command: as data, plus `:` and `,`.
pub fn escape_github_property(s: &str) -> String {
    escape_github_data(s)
        .replace(':', "%3A")
        .replace(',', "%2C")
}

fn location_text(l: &Location) -> String {
    let mut s = path_str(&l.file);
    if l.line > 0 {
        s.push_str(&format!(":{}", l.line));
        if l.column > 0 {
            s.push_str(&format!(":{}", l.column));
        }
    }
    s
}

/// One diagnostic as a GitHub Actions annotation, e.g.
/// `::error file=content/practices/co-city.md,line=5,col=19,endColumn=31,title=E0102 unknown-term::…`.
/// The message carries the hint and notes on further lines.
pub fn github(d: &Diagnostic) -> String {
    let command = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props: Vec<String> = Vec::new();
    if let Some(loc) = &d.location {
        props.push(format!(
            "file={}",
            escape_github_property(&path_str(&loc.file))
        ));
        if loc.line > 0 {
            props.push(format!("line={}", loc.line));
            if loc.column > 0 {
                props.push(format!("col={}", loc.column));
                if let Some(end) = end_column(d) {
                    props.push(format!("endColumn={end}"));
                }
            }
        }
    }
    props.push(format!(
        "title={}",
        escape_github_property(&format!("{} {}", d.code.id(), d.code.name()))
    ));
    let mut message = d.message.clone();
    for note in &d.notes {
        message.push_str(&format!(
            "\nnote: {} ({})",
            note.message,
            location_text(&note.location)
        ));
    }
    if let Some(hint) = &d.hint {
        message.push_str(&format!("\nhint: {hint}"));
    }
    format!(
        "::{command} {}::{}",
        props.join(","),
        escape_github_data(&message)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;

    fn typo() -> Diagnostic {
        let file = "---\ntitle: A\ntopics: [povrty]\n---\n";
        Diagnostic::new(Code::UnknownTerm, "unknown topic `povrty`")
            .at_source(Location::new("content/practices/a.md", 3, 10), file, 6)
            .hint("did you mean `poverty`?")
    }

    #[test]
    fn json_is_one_line_with_every_field() {
        let line = json(&typo());
        assert!(!line.contains('\n'));
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["file"], "content/practices/a.md");
        assert_eq!(
            (v["line"].as_u64(), v["column"].as_u64()),
            (Some(3), Some(10))
        );
        assert_eq!(v["end_column"], 16);
        assert_eq!(v["severity"], "error");
        assert_eq!(
            (v["code"].as_str(), v["name"].as_str()),
            (Some("E0102"), Some("unknown-term"))
        );
        assert_eq!(v["message"], "unknown topic `povrty`");
        assert_eq!(v["hint"], "did you mean `poverty`?");
        let bare = json(&Diagnostic::new(Code::ConfigInvalid, "x"));
        let v: serde_json::Value = serde_json::from_str(&bare).unwrap();
        assert!(v["file"].is_null() && v["line"].is_null() && v["hint"].is_null());
    }

    #[test]
    fn github_annotation_shape() {
        assert_eq!(
            github(&typo()),
            "::error file=content/practices/a.md,line=3,col=10,endColumn=16,title=E0102 unknown-term::unknown topic `povrty`%0Ahint: did you mean `poverty`?"
        );
        let w = Diagnostic::new(Code::UnusedTerm, "unused");
        assert_eq!(github(&w), "::warning title=W0505 unused-term::unused");
    }

    #[test]
    fn github_escapes_data_and_properties() {
        let d = Diagnostic::new(Code::BadValue, "100% wrong\r\nnext::error x").at(Location::new(
            "content/a,b:c%.md",
            2,
            0,
        ));
        let line = github(&d);
        assert_eq!(
            line,
            "::error file=content/a%2Cb%3Ac%25.md,line=2,title=E0111 bad-value::100%25 wrong%0D%0Anext::error x"
        );
        assert_eq!(
            line.lines().count(),
            1,
            "a message can never start a new command"
        );
    }

    #[test]
    fn format_is_chosen_from_the_environment() {
        assert_eq!(Format::choose(None, Some("true")), Format::Github);
        assert_eq!(Format::choose(None, None), Format::Human);
        assert_eq!(Format::choose(None, Some("false")), Format::Human);
        assert_eq!(
            Format::choose(Some(Format::Json), Some("true")),
            Format::Json
        );
    }
}
