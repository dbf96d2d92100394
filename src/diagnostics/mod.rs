//! One type for every problem a user can cause: where it is, what is wrong, how to fix it.
//! [`format`] prints them for people, as JSON lines, or as GitHub Actions annotations.

pub mod format;
mod per_file;
pub mod report;

pub use per_file::{MAX_DIAGNOSTICS_PER_FILE, PerFile, sort_and_dedup};

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build fails.
    Error,
    /// The build goes on; `--deny-warnings` turns these into failures.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

macro_rules! codes {
    ($($variant:ident = $num:literal, $name:literal, $sev:ident;)*) => {
        /// Stable diagnostic codes. Numbers and names never change meaning once released.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant,)* }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];
            /// The stable identifier, e.g. `E0102`.
            pub fn id(self) -> &'static str { match self { $(Code::$variant => $num,)* } }
            /// The stable kebab-case name, e.g. `unknown-term`.
            pub fn name(self) -> &'static str { match self { $(Code::$variant => $name,)* } }
            /// The severity this code has by default.
            pub fn severity(self) -> Severity { match self { $(Code::$variant => Severity::$sev,)* } }
            /// The code with this identifier (`E0102`, any case) or name (`unknown-term`).
            pub fn parse(s: &str) -> Option<Code> {
                Code::ALL.iter().copied().find(|c| c.id().eq_ignore_ascii_case(s) || c.name() == s)
            }
        }
    };
}

/// A code is stored as its identifier (`E0102`).
impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
        let id = String::deserialize(d)?;
        Code::parse(&id).ok_or_else(|| serde::de::Error::custom(format!("unknown code {id}")))
    }
}

codes! {
    // Files and front matter.
    ReadError = "E0001", "read-error", Error;
    NotUtf8 = "E0002", "not-utf8", Error;
    FrontMatterMissing = "E0003", "front-matter-missing", Error;
    FrontMatterUnclosed = "E0004", "front-matter-unclosed", Error;
    BadFileName = "E0005", "bad-file-name", Error;
    UnknownLanguage = "E0006", "unknown-language", Error;
    DuplicateSlug = "E0007", "duplicate-slug", Error;
    FileTooLarge = "E0008", "file-too-large", Error;
    FileExists = "E0009", "file-exists", Error;
    XliffInvalid = "E0010", "xliff-invalid", Error;
    ImportInvalid = "E0011", "import-invalid", Error;
    // Values inside front matter.
    YamlSyntax = "E0101", "yaml-syntax", Error;
    UnknownTerm = "E0102", "unknown-term", Error;
    MissingField = "E0103", "missing-field", Error;
    WrongType = "E0104", "wrong-type", Error;
    BadDate = "E0105", "bad-date", Error;
    UnknownField = "E0106", "unknown-field", Error;
    SummaryTooLong = "E0107", "summary-too-long", Error;
    ImageWithoutAlt = "E0108", "image-without-alt", Error;
    BadUrl = "E0109", "bad-url", Error;
    UnknownCountry = "E0110", "unknown-country", Error;
    BadValue = "E0111", "bad-value", Error;
    // Across files.
    FacetConflict = "E0201", "facet-conflict", Error;
    UnknownRelated = "E0202", "unknown-related", Error;
    MissingImage = "E0203", "missing-image", Error;
    BrokenLink = "E0204", "broken-link", Error;
    BrokenAnchor = "E0205", "broken-anchor", Error;
    ImageUnreadable = "E0206", "image-unreadable", Error;
    // Configuration, theme and templates.
    ConfigInvalid = "E0301", "config-invalid", Error;
    ThemeMissing = "E0302", "theme-missing", Error;
    TemplateError = "E0303", "template-error", Error;
    I18nInvalid = "E0304", "i18n-invalid", Error;
    FallbackUnknownLanguage = "E0310", "fallback-unknown-language", Error;
    FallbackLoop = "E0311", "fallback-loop", Error;
    FallbackDuplicate = "E0312", "fallback-duplicate", Error;
    // Output.
    OutputRefused = "E0401", "output-refused", Error;
    WriteFailed = "E0402", "write-failed", Error;
    OutputCollision = "E0403", "output-collision", Error;
    // Warnings.
    MissingTranslationKey = "W0501", "missing-translation-key", Warning;
    MissingLabel = "W0502", "missing-label", Warning;
    RawHtmlEscaped = "W0503", "raw-html-escaped", Warning;
    Untranslated = "W0504", "untranslated", Warning;
    UnusedTerm = "W0505", "unused-term", Warning;
    IgnoredFile = "W0506", "ignored-file", Warning;
    OutdatedTranslation = "W0507", "outdated-translation", Warning;
    UnrecordedTranslation = "W0508", "unrecorded-translation", Warning;
    UnusedVocabulary = "W0509", "unused-vocabulary", Warning;
    CmsOutOfSync = "W0510", "cms-out-of-sync", Warning;
    ImageTooLarge = "W0511", "image-too-large", Warning;
    ImageTooSmall = "W0512", "image-too-small", Warning;
    ExternalImage = "W0513", "external-image", Warning;
}

/// A place in a file. Lines and columns are 1-based; 0 means unknown.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub struct Location {
    /// Path as the user knows it: relative to the site root where possible.
    pub file: PathBuf,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// 1-based column in characters, 0 when unknown.
    pub column: usize,
}

impl Location {
    /// A location at `line:column` of `file`.
    pub fn new(file: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        Location {
            file: file.into(),
            line,
            column,
        }
    }

    /// A whole-file location.
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Location::new(file, 0, 0)
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        Ok(())
    }
}

/// A secondary place that helps explain a diagnostic ("the other file says ...").
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Note {
    /// Where.
    pub location: Location,
    /// What is there.
    pub message: String,
}

/// A problem found in the user's site. It serializes (for a build's manifest, which
/// replays the warnings of an unchanged rebuild), but the JSON diagnostics users read are
/// made by [`format`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Where the problem is; `None` for problems that belong to no file.
    pub location: Option<Location>,
    /// Error or warning.
    pub severity: Severity,
    /// Stable code.
    pub code: Code,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// The offending source line, shown with a caret: at most about a hundred characters of
    /// it, around the column (a minified or generated line can be megabytes long, and every
    /// diagnostic of that line would hold a copy).
    pub source_line: Option<String>,
    /// The column of the caret in `source_line`, in characters (1-based; 0: the location's).
    #[serde(default)]
    pub source_column: usize,
    /// Width of the caret underline, in characters.
    pub span_len: usize,
    /// Other places involved.
    pub notes: Vec<Note>,
    /// For the diagnostic that stands for the problems of a file past
    /// [`MAX_DIAGNOSTICS_PER_FILE`]: how many it stands for (0 for every other one).
    #[serde(default)]
    pub hidden: usize,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            location: None,
            severity: code.severity(),
            code,
            message: message.into(),
            hint: None,
            source_line: None,
            source_column: 0,
            span_len: 1,
            notes: Vec::new(),
            hidden: 0,
        }
    }

    /// Sets the location.
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Sets the location and copies the offending line out of `source` for display (the
    /// part of it around the column, on a long line).
    pub fn at_source(mut self, location: Location, source: &str, span_len: usize) -> Self {
        if location.line > 0
            && let Some(line) = source.lines().nth(location.line - 1)
        {
            let (shown, column) = window(line, location.column);
            self.source_line = Some(shown);
            self.source_column = column;
        }
        self.span_len = span_len.max(1);
        self.location = Some(location);
        self
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a note about another place.
    pub fn note(mut self, location: Location, message: impl Into<String>) -> Self {
        self.notes.push(Note {
            location,
            message: message.into(),
        });
        self
    }

    /// Whether this diagnostic fails the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders for a terminal, rustc style. `color` adds ANSI colours.
    pub fn render_human(&self, color: bool) -> String {
        let (red, yellow, blue, bold, reset) = if color {
            ("\x1b[31m", "\x1b[33m", "\x1b[34m", "\x1b[1m", "\x1b[0m")
        } else {
            ("", "", "", "", "")
        };
        let sev_color = if self.is_error() { red } else { yellow };
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{bold}{sev_color}{}[{}]{reset}{bold}: {}{reset}",
            self.severity.as_str(),
            self.code.id(),
            sanitize_terminal(&self.message)
        );
        if let Some(loc) = &self.location {
            // A file name may hold a line break or a bidi override too.
            let _ = writeln!(
                out,
                "  {blue}-->{reset} {}",
                sanitize_terminal(&loc.to_string())
            );
            if let Some(line) = &self.source_line {
                let num = loc.line.to_string();
                let pad = " ".repeat(num.len());
                let column = match self.source_column {
                    0 => loc.column,
                    c => c,
                };
                let (shown, column) = window(&line.replace('\t', " "), column);
                let caret_pad: String = " ".repeat(column.saturating_sub(1));
                let _ = writeln!(out, "  {pad} {blue}|{reset}");
                let _ = writeln!(out, "  {blue}{num} |{reset} {}", sanitize_terminal(&shown));
                let _ = writeln!(
                    out,
                    "  {pad} {blue}|{reset} {caret_pad}{sev_color}{}{reset}",
                    "^".repeat(self.span_len.min(MAX_SHOWN_CHARS))
                );
            }
        }
        for note in &self.notes {
            let _ = writeln!(
                out,
                "  {blue}note{reset}: {} ({})",
                sanitize_terminal(&note.message),
                sanitize_terminal(&note.location.to_string())
            );
        }
        if let Some(hint) = &self.hint {
            let _ = writeln!(out, "  {blue}= hint{reset}: {}", sanitize_terminal(hint));
        }
        out
    }
}

/// The longest part of a source line shown under a diagnostic, in characters.
const MAX_SHOWN_CHARS: usize = 100;

/// The part of a long line around `column`, and the column within it: a minified or
/// generated line can be megabytes long.
fn window(line: &str, column: usize) -> (String, usize) {
    let count = line.chars().count();
    if count <= MAX_SHOWN_CHARS {
        return (line.to_string(), column);
    }
    let start = column
        .saturating_sub(MAX_SHOWN_CHARS / 2)
        .min(count - MAX_SHOWN_CHARS);
    let mut shown: String = line.chars().skip(start).take(MAX_SHOWN_CHARS).collect();
    let mut column = column.saturating_sub(start);
    if start > 0 {
        shown.insert(0, '…');
        column += 1;
    }
    if start + MAX_SHOWN_CHARS < count {
        shown.push('…');
    }
    (shown, column)
}

/// Keeps control characters (and the bidi overrides used in "trojan source" tricks) out of
/// the terminal.
pub(crate) fn sanitize_terminal(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control()
                || ('\u{202A}'..='\u{202E}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
            {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// Makes `path` relative to `root` when it lies under it, for display.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}
