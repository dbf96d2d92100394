//! `casebook import FILE`: practice files from a CSV (`header`, `table`, `cells`) or from
//! casebook's own `practices.json` (`json`), read by `source`. Every practice is composed
//! into the text of its files (`compose`), checked by the practice parser and the model
//! exactly as a build checks it (`check`), each problem reported where it is in the
//! imported file, and written all or nothing (`write`). docs/import.md describes the
//! formats and the decisions.

mod cells;
mod check;
mod compose;
mod fields;
mod header;
mod json;
mod json_positions;
mod source;
mod table;
mod write;

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::commands::scaffold::load_config;
use crate::diagnostics::{Code, Diagnostic};
use compose::Planned;
pub use source::MAX_IMPORT_BYTES;
use source::{at, read_input};

/// What to import, and how.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The site root, holding casebook.yaml.
    pub root: PathBuf,
    /// The CSV or JSON file.
    pub file: PathBuf,
    /// `COLUMN=FIELD` renamings of CSV columns; `COLUMN=` leaves a column out.
    pub map: Vec<String>,
    /// Replace existing files (the fields the import has, and the body when it has one).
    pub update: bool,
    /// Write the valid practices and report the others, instead of writing nothing.
    pub skip_invalid: bool,
    /// Check and show what would be written, and write nothing.
    pub dry_run: bool,
}

/// One file written (or, with `--dry-run`, that would be).
#[derive(Debug, Clone)]
pub struct Written {
    /// Relative to the site root.
    pub file: PathBuf,
    /// Whether it is new (else an existing file was updated).
    pub created: bool,
    /// Whether it has a body.
    pub has_body: bool,
    /// Its text (for `--dry-run`).
    pub text: String,
}

/// What an import did.
#[derive(Debug, Clone)]
pub struct Report {
    /// The files, in order.
    pub files: Vec<Written>,
    /// How many practices they make.
    pub practices: usize,
    /// With `--skip-invalid`: the problems of the practices left out.
    pub skipped: Vec<Diagnostic>,
    /// How many practices were left out.
    pub skipped_practices: usize,
    /// Nothing was written.
    pub dry_run: bool,
    /// The file imported, as shown.
    pub from: PathBuf,
    /// Whether it is casebook's JSON (which never holds bodies).
    pub from_json: bool,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for w in &self.files {
            let verb = match (self.dry_run, w.created) {
                (false, true) => "Wrote",
                (false, false) => "Updated",
                (true, true) => "Would write",
                (true, false) => "Would update",
            };
            writeln!(f, "{verb} {}", w.file.display())?;
            if self.dry_run {
                write!(f, "{}", w.text)?;
            }
        }
        let files = crate::pipeline::plural(self.files.len(), "file");
        let practices = crate::pipeline::plural(self.practices, "practice");
        let from = self.from.display();
        if self.dry_run {
            writeln!(
                f,
                "Dry run: {practices} from {from} would make {files}; nothing was written."
            )?;
        } else {
            writeln!(f, "Imported {practices} from {from}: {files}.")?;
        }
        let bodiless = self.files.iter().filter(|w| !w.has_body).count();
        if bodiless > 0 {
            writeln!(
                f,
                "{} no body: {}. Each says so in a comment; write the text below its front matter.",
                match bodiless {
                    1 => "1 file has".to_string(),
                    n => format!("{n} files have"),
                },
                if self.from_json {
                    "casebook's open data never holds the Markdown bodies".to_string()
                } else {
                    format!("{from} has no `body` (or `body_LANG`) for them")
                }
            )?;
        }
        if self.skipped_practices > 0 {
            writeln!(
                f,
                "Skipped {} with errors (listed above): fix them and import again.",
                crate::pipeline::plural(self.skipped_practices, "practice")
            )?;
        }
        Ok(())
    }
}

/// Imports `opts.file` into the site at `opts.root`. Without `--skip-invalid`, any problem
/// fails the import and nothing is written; every problem is returned at once.
pub fn import(opts: &ImportOptions) -> Result<Report, Vec<Diagnostic>> {
    let root = &opts.root;
    let config = load_config(root).map_err(|d| vec![d])?;
    let map = parse_map(&opts.map)?;
    let input = read_input(root, &opts.file)?;
    let (mut practices, orphans) = if input.csv {
        table::read(&input, &config, &map)?
    } else {
        if !map.is_empty() {
            return Err(vec![
                Diagnostic::new(
                    Code::ImportInvalid,
                    "`--map` renames CSV columns; a JSON file has none",
                )
                .hint("import casebook's practices.json as it is, without `--map`"),
            ]);
        }
        json::read(&input, &config)?
    };
    let mut skipped = orphans;
    let mut skipped_practices = BTreeSet::new();
    // The first round checks every practice, so that every problem is reported at once;
    // with `--skip-invalid`, the next rounds check what is left, since leaving out a
    // practice may break a link to it from another.
    let mut first = true;
    let planned = loop {
        let mut planned: Vec<(usize, Vec<Planned>)> = Vec::new();
        for (i, p) in practices.iter_mut().enumerate() {
            // A slug that is not one would make a path outside content/practices/.
            let bad_slug = !crate::input::config::is_slug(&p.slug);
            if bad_slug || (!first && !p.problems.is_empty()) {
                continue;
            }
            let files = compose::files(root, &config, p, opts.update);
            // A practice that would overwrite a file is not checked as if it replaced it.
            let exists = !opts.update && files.iter().any(|f| f.exists);
            if exists {
                for f in files.iter().filter(|f| f.exists) {
                    p.problems.push(
                        at(&input, &f.origin, Code::FileExists, format!("{} already exists", f.rel.display()))
                            .hint("casebook import never overwrites a file unless asked: `--update` replaces the fields the import has a column for and keeps the others (and the body, unless the import has one)"),
                    );
                }
                continue;
            }
            planned.push((i, files));
        }
        let all: Vec<&Planned> = planned.iter().flat_map(|(_, f)| f.iter()).collect();
        let found = check::check(root, &config, &input, &all);
        let before: usize = practices.iter().filter(|p| !p.problems.is_empty()).count();
        for (slug, d) in found {
            if let Some(p) = practices.iter_mut().find(|p| p.slug == slug) {
                p.problems.push(d);
            }
        }
        let after: usize = practices.iter().filter(|p| !p.problems.is_empty()).count();
        if !opts.skip_invalid || (!first && after == before) {
            break planned;
        }
        first = false;
    };
    let problems: Vec<Diagnostic> = practices
        .iter()
        .flat_map(|p| p.problems.iter().cloned())
        .collect();
    let clean = problems.is_empty() && skipped.is_empty();
    if !opts.skip_invalid && !clean {
        let mut all = skipped;
        all.extend(problems);
        crate::diagnostics::sort_and_dedup(&mut all);
        return Err(all);
    }
    for p in practices.iter().filter(|p| !p.problems.is_empty()) {
        skipped_practices.insert(p.slug.clone());
    }
    skipped.extend(problems);
    crate::diagnostics::sort_and_dedup(&mut skipped);
    let planned: Vec<Planned> = planned
        .into_iter()
        .filter(|(i, _)| practices[*i].problems.is_empty())
        .flat_map(|(_, f)| f)
        .collect();
    let practices_written = planned
        .iter()
        .map(|p| p.slug.as_str())
        .collect::<BTreeSet<_>>()
        .len();
    if !opts.dry_run {
        write::write_all(root, &planned, opts.update)?;
    }
    Ok(Report {
        files: planned
            .into_iter()
            .map(|p| Written {
                file: p.rel,
                created: !p.exists,
                has_body: p.has_body,
                text: p.written,
            })
            .collect(),
        practices: practices_written,
        skipped,
        skipped_practices: skipped_practices.len(),
        dry_run: opts.dry_run,
        from_json: !input.csv,
        from: input.shown,
    })
}

/// `--map COLUMN=FIELD` options as pairs.
fn parse_map(map: &[String]) -> Result<Vec<(String, String)>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for m in map {
        match m.rsplit_once('=') {
            Some((from, to)) if !from.trim().is_empty() => {
                out.push((from.trim().to_string(), to.trim().to_ascii_lowercase()))
            }
            _ => problems.push(
                Diagnostic::new(
                    Code::ImportInvalid,
                    format!("`--map {m}` is not `COLUMN=FIELD`"),
                )
                .hint(
                    "e.g. `--map \"Project name=title\"`; `--map \"Notes=\"` leaves a column out",
                ),
            ),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}
