//! The files an import would write, checked as a build checks them: each by the practice
//! parser, then all of them with the site's other files by the model (shared fields that
//! disagree, related practices that do not exist, a practice without a country). Each
//! problem is moved from the generated file to the place of the imported file its line
//! came from, naming the column (or JSON path).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::compose::Planned;
use super::fields::{Scope, scope};
use super::source::{Input, column_letter, location};
use crate::diagnostics::{Code, Diagnostic, Location};
use crate::document::{self, Document};
use crate::input::config::Config;
use crate::input::content::{self, Section, SourceFile};

/// The problems of the planned files, each with the slug of its practice.
pub fn check(
    root: &Path,
    config: &Config,
    input: &Input,
    planned: &[&Planned],
) -> Vec<(String, Diagnostic)> {
    let by_rel: BTreeMap<&Path, &Planned> = planned.iter().map(|p| (p.rel.as_path(), *p)).collect();
    let mut out = Vec::new();
    let mut docs = Vec::new();
    let mut broken = BTreeSet::new();
    for p in planned {
        let file = SourceFile {
            section: Section::Practices,
            rel: p.rel.clone(),
            path: p.path.clone(),
            slug: p.slug.clone(),
            lang: p.lang.clone(),
            explicit_lang: p.lang != config.default_language,
            text: p.text.clone(),
        };
        match document::parse(&file, config) {
            Ok(Document::BrokenDraft(d)) => {
                broken.insert(p.slug.clone());
                out.extend(
                    d.problems
                        .into_iter()
                        .map(|d| (p.slug.clone(), moved(config, input, p, d))),
                );
            }
            Ok(doc) => docs.push(doc),
            Err(problems) => {
                broken.insert(p.slug.clone());
                out.extend(
                    problems
                        .into_iter()
                        .map(|d| (p.slug.clone(), moved(config, input, p, d))),
                );
            }
        }
    }
    // The site's own files, but those the import replaces.
    let replaced: BTreeSet<PathBuf> = planned.iter().map(|p| p.path.clone()).collect();
    let (files, _) = content::load(root, config);
    for f in files.iter().filter(|f| !replaced.contains(&f.path)) {
        match document::parse(f, config) {
            Ok(Document::BrokenDraft(d)) if d.section == Section::Practices => {
                broken.insert(d.slug.clone());
            }
            Ok(doc) => docs.push(doc),
            Err(_) if f.section == Section::Practices => {
                broken.insert(f.slug.clone());
            }
            Err(_) => {}
        }
    }
    let (_, found) = crate::model::build(config.clone(), docs, true, &broken);
    for d in found.into_iter().filter(Diagnostic::is_error) {
        let mine = d
            .location
            .as_ref()
            .and_then(|l| by_rel.get(l.file.as_path()).copied());
        let noted = d
            .notes
            .iter()
            .find_map(|n| by_rel.get(n.location.file.as_path()).copied());
        match (mine, noted) {
            (Some(p), _) => out.push((p.slug.clone(), moved(config, input, p, d))),
            (None, Some(p)) => {
                let mut d = d;
                for n in &mut d.notes {
                    if let Some(q) = by_rel.get(n.location.file.as_path()) {
                        n.location = place(input, q, &n.location);
                    }
                }
                out.push((p.slug.clone(), d));
            }
            (None, None) => {}
        }
    }
    out
}

/// Where in the imported file a place of a generated file came from.
fn place(input: &Input, p: &Planned, at: &Location) -> Location {
    let origin = match at.line {
        0 => &p.origin,
        n => p.origins.get(n - 1).unwrap_or(&p.origin),
    };
    location(input, origin)
}

/// `d`, found in the generated file of `p`, moved to the imported file.
fn moved(config: &Config, input: &Input, p: &Planned, mut d: Diagnostic) -> Diagnostic {
    let Some(at) = d.location.take() else {
        return d;
    };
    let field = d.message.split('`').rev().nth(1).unwrap_or("").to_string();
    let cell = (d.code == Code::MissingField)
        .then(|| p.cells.get(&field))
        .flatten();
    let origin = match (cell, at.line) {
        (Some(cell), _) => cell,
        (None, 0) => &p.origin,
        (None, n) => p.origins.get(n - 1).unwrap_or(&p.origin),
    };
    let new = location(input, origin);
    let what = match (input.csv, origin.name.is_empty()) {
        (true, false) => format!(
            "column {} `{}`, {} in `{}`",
            column_letter(origin.column),
            origin.name,
            p.slug,
            p.lang
        ),
        (false, false) => format!("`{}`", origin.name),
        _ => format!("practice `{}` in `{}`", p.slug, p.lang),
    };
    d.message = format!("{} ({what})", d.message);
    if d.code == Code::MissingField {
        d.hint = Some(match (input.csv, cell.is_some()) {
            (true, true) => format!("fill in this cell: `{field}` is required"),
            (true, false) if scope(config, &field) == Some(Scope::Language) => format!(
                "add a `{field}` column (`{field}_{}` in a row that gives several languages), or write it in {} after the import",
                p.lang,
                at.file.display()
            ),
            (true, false) => format!(
                "add a `{field}` column, or write it in {} after the import",
                at.file.display()
            ),
            (false, _) => format!("the JSON gives no `{field}` for this practice"),
        });
    }
    d.source_line = None;
    d.source_column = 0;
    d.span_len = 1;
    for n in &mut d.notes {
        if n.location.file == at.file {
            n.location = place(input, p, &n.location);
        }
    }
    d.location = Some(new);
    d
}
