//! What the fuzz driver and the property tests check of each parser: it returns (no panic,
//! no hang) and every diagnostic it gives points inside the file it read.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use casebook::diagnostics::Diagnostic;
use casebook::document;
use casebook::input::config;
use casebook::input::content::{Section, SourceFile};
use casebook::theme::i18n::{I18n, I18nFile};

/// A site configuration for the parsers that need one.
pub const CONFIG: &str = "base_url: https://example.org/\nlanguages: [en, es]\ntaxonomies:\n  topics:\n    poverty: { en: Poverty, es: Pobreza }\n  programmes:\n    uia: { en: UIA, es: UIA }\n";

/// The parsers that read user files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A practice file: front matter and body.
    Practice,
    /// A static page file.
    Page,
    /// casebook.yaml.
    Config,
    /// An i18n file.
    I18n,
    /// A content file name (the first line of the input).
    FileName,
    /// An XLIFF file back from a translator.
    Xliff,
    /// A Markdown body cut into blocks for translators and put back together.
    Blocks,
}

impl Target {
    /// Every target.
    pub const ALL: [Target; 7] = [
        Target::Practice,
        Target::Page,
        Target::Config,
        Target::I18n,
        Target::FileName,
        Target::Xliff,
        Target::Blocks,
    ];
}

/// An XLIFF file as `casebook translations export` writes it: the demo's CO-CITY, with its
/// Spanish translation as targets.
pub fn xliff_sample() -> String {
    use casebook::translation::source::Source;
    use casebook::translation::units::units;
    use casebook::translation::xliff::{Document, write::xliff};
    let repo = super::repo();
    let (config, _) = config::load(&repo, None);
    let config = config.expect("the demo's casebook.yaml");
    let read = |name: &str| {
        let path = repo.join("content/practices").join(name);
        let file =
            casebook::input::content::read(&repo, &config, Section::Practices, &path).unwrap();
        Source::parse(file, &config).unwrap()
    };
    let source = read("co-city.md");
    let es = read("co-city.es.md");
    let doc = Document {
        section: "practices".into(),
        slug: "co-city".into(),
        source_file: "content/practices/co-city.md".into(),
        target_file: "content/practices/co-city.es.md".into(),
        fingerprint: source.fingerprint().into(),
        target_state: "translated",
        units: units(&source, Some(&es)),
    };
    xliff("en", "es", &[doc])
}

/// Checks that every located diagnostic points at a line of `text` and at most one column
/// past its end; returns what is wrong.
pub fn located_inside(diags: &[Diagnostic], text: &str) -> Result<(), String> {
    let lines: Vec<&str> = text.split('\n').collect();
    for d in diags {
        if d.message.is_empty() {
            return Err(format!("empty message: {d:?}"));
        }
        let Some(loc) = &d.location else { continue };
        if loc.line == 0 {
            continue;
        }
        let Some(line) = lines.get(loc.line - 1) else {
            return Err(format!("{d:?} points past the end ({} lines)", lines.len()));
        };
        let width = line.trim_end_matches('\r').chars().count() + 1;
        if loc.column > width + 1 {
            return Err(format!(
                "{d:?} points past the end of line {} ({width} columns)",
                loc.line
            ));
        }
    }
    Ok(())
}

fn source_file(text: &str, section: Section) -> SourceFile {
    SourceFile {
        section,
        rel: Path::new("content/practices/p.md").to_path_buf(),
        path: Path::new("content/practices/p.md").to_path_buf(),
        slug: "p".into(),
        lang: "en".into(),
        explicit_lang: false,
        text: text.to_string(),
    }
}

/// Runs `target` on `text`, as casebook's readers hand it over (without a byte-order mark,
/// lone carriage returns made line feeds), and checks what it returned.
pub fn run(target: Target, text: &str) -> Result<(), String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = &casebook::input::files::normalize_line_breaks(text.to_string());
    let (config, _) = config::parse(CONFIG, Path::new("casebook.yaml"), None);
    let config = config.ok_or("the fuzz configuration does not parse")?;
    match target {
        Target::Practice | Target::Page => {
            let section = if target == Target::Practice {
                Section::Practices
            } else {
                Section::Pages
            };
            match document::parse(&source_file(text, section), &config) {
                Ok(_) => Ok(()),
                Err(diags) if diags.is_empty() => Err("failed without a diagnostic".into()),
                Err(diags) => located_inside(&diags, text),
            }
        }
        Target::Config => {
            let (parsed, diags) = config::parse(text, Path::new("casebook.yaml"), None);
            if parsed.is_none() && !diags.iter().any(Diagnostic::is_error) {
                return Err("refused without an error".into());
            }
            located_inside(&diags, text)
        }
        Target::I18n => {
            let file = I18nFile {
                rel: "es.yaml".into(),
                shown: "i18n/es.yaml".into(),
                text: text.to_string(),
            };
            let (_, diags) = I18n::load(&[file], &["en".into(), "es".into()], "en");
            located_inside(&diags, text)
        }
        Target::Xliff => {
            let root = match casebook::translation::xliff::dom::parse(text) {
                Ok(root) => root,
                Err(e) if e.at > text.len() => return Err(format!("an error past the end: {e:?}")),
                Err(_) => return Ok(()),
            };
            match casebook::translation::xliff::read::read(&root) {
                Ok(_) => Ok(()),
                Err(problems) => match problems.iter().find(|p| !text.is_char_boundary(p.at)) {
                    Some(p) => Err(format!("a problem outside the text: {p:?}")),
                    None if problems.is_empty() => Err("refused without a problem".into()),
                    None => Ok(()),
                },
            }
        }
        Target::Blocks => {
            use casebook::translation::blocks::{blocks, reassemble};
            let found = blocks(text);
            let mut end = 0;
            for b in &found {
                if b.range.start < end || text.get(b.range.clone()).is_none() {
                    return Err(format!("a block out of place: {:?}", b.range));
                }
                end = b.range.end;
            }
            let written: Vec<_> = found.iter().map(|b| b.content.clone()).collect();
            let _ = reassemble(text, &found, &written);
            Ok(())
        }
        Target::FileName => {
            let name = text.lines().next().unwrap_or("");
            if let Err(casebook::input::file_name::NameError::BadSlug(s)) =
                casebook::input::file_name::parse(name)
                && !config::is_slug(&s)
            {
                return Err(format!("suggested `{s}`, which is not a slug"));
            }
            Ok(())
        }
    }
}

/// [`run`] in a thread of its own, given at most `limit`: an error on a panic (with its
/// message) or when the parser is still running then.
pub fn run_within(target: Target, text: String, limit: Duration) -> Result<(), String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let result = std::panic::catch_unwind(|| run(target, &text));
        let _ = tx.send(result);
    });
    match rx.recv_timeout(limit) {
        Ok(Ok(result)) => result,
        Ok(Err(panic)) => Err(format!(
            "panicked: {}",
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default()
        )),
        Err(_) => Err(format!("still running after {limit:?}")),
    }
}
