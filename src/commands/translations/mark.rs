//! `casebook translations mark FILE…`: records in each translation the fingerprint of its
//! source as it is now, once an editor has brought the translation up to date.

use std::path::{Path, PathBuf};

use crate::commands::scaffold::load_config;
use crate::diagnostics::{Code, Diagnostic, Location};
use crate::translation::record;
use crate::translation::source::ContentFiles;

/// A translation marked up to date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marked {
    /// The file, relative to the site root.
    pub file: PathBuf,
    /// The fingerprint recorded.
    pub fingerprint: String,
    /// Whether the file changed (it may have recorded that fingerprint already).
    pub changed: bool,
}

impl std::fmt::Display for Marked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verb = if self.changed {
            "Marked"
        } else {
            "Already marked"
        };
        write!(
            f,
            "{verb} {} up to date with its source ({})",
            self.file.display(),
            self.fingerprint
        )
    }
}

/// Records the current fingerprint of each file's source in `files`. Nothing is written
/// unless every file is a translation whose source can be read.
pub fn mark(root: &Path, files: &[PathBuf]) -> Result<Vec<Marked>, Vec<Diagnostic>> {
    let config = load_config(root).map_err(|d| vec![d])?;
    let content = ContentFiles::find(root);
    let mut problems = Vec::new();
    let mut planned = Vec::new();
    for path in files {
        let file = match content.named(&config, path) {
            Ok(f) => f,
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        let source = match content.source_of(&config, &file) {
            Ok(s) => s,
            Err(d) => {
                problems.extend(d);
                continue;
            }
        };
        let fingerprint = source.fingerprint().to_string();
        let raw = match std::fs::read(&file.path).map(String::from_utf8) {
            Ok(Ok(t)) => t,
            _ => {
                problems.push(
                    Diagnostic::new(Code::ReadError, "cannot read the file as UTF-8 text")
                        .at(Location::file(&file.rel)),
                );
                continue;
            }
        };
        match record::set(&raw, &fingerprint) {
            Some(text) => planned.push((file, fingerprint, raw, text)),
            None => problems.push(
                Diagnostic::new(
                    Code::FrontMatterMissing,
                    "file does not start with front matter",
                )
                .at(Location::new(&file.rel, 1, 1))
                .hint("start the file with a line `---`, then the fields, then another `---` line"),
            ),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut marked = Vec::new();
    for (file, fingerprint, raw, text) in planned {
        let changed = raw != text;
        if changed {
            std::fs::write(&file.path, &text).map_err(|e| {
                vec![
                    Diagnostic::new(
                        Code::WriteFailed,
                        format!("cannot write {}: {e}", file.rel.display()),
                    )
                    .hint("check the file's permissions"),
                ]
            })?;
        }
        marked.push(Marked {
            file: file.rel,
            fingerprint,
            changed,
        });
    }
    Ok(marked)
}
