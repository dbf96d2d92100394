//! At most [`MAX_DIAGNOSTICS_PER_FILE`] diagnostics per file, the others counted in one
//! more: a file with a thousand mistakes is better fixed from its first ones, the output of a
//! build stays readable, and a body with a million broken links costs a count, not a million
//! located diagnostics.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{Code, Diagnostic, Location, Severity};

/// The most diagnostics shown for one file; the others are counted in one more diagnostic
/// (errors are kept before warnings). A file with a thousand mistakes is better fixed from
/// its first ones, and the output of a build stays readable.
pub const MAX_DIAGNOSTICS_PER_FILE: usize = 50;

/// The diagnostics of one file as they are found, kept up to [`MAX_DIAGNOSTICS_PER_FILE`]
/// and only counted past it, so that a body with a million broken links costs a count, not
/// a million located diagnostics (each one finds its line in the file).
#[derive(Debug, Default)]
pub struct PerFile {
    kept: Vec<Diagnostic>,
    hidden: usize,
    hidden_code: Option<Code>,
}

impl PerFile {
    /// Keeps the diagnostic `make` makes, or counts one of `code` when enough are kept.
    pub fn push(&mut self, code: Code, make: impl FnOnce() -> Diagnostic) {
        if self.kept.len() < MAX_DIAGNOSTICS_PER_FILE {
            self.kept.push(make());
        } else {
            self.hidden += 1;
            self.hidden_code.get_or_insert(code);
        }
    }

    /// The diagnostics kept, and one that counts the others ([`sort_and_dedup`] merges it
    /// with the other counts of the file).
    pub fn finish(self, file: &Path) -> Vec<Diagnostic> {
        let mut out = self.kept;
        if let Some(code) = self.hidden_code {
            let mut summary = Diagnostic::new(
                code,
                format!(
                    "{} more problems in this file are not shown (at most {MAX_DIAGNOSTICS_PER_FILE} per file)",
                    self.hidden
                ),
            )
            .at(Location::file(file))
            .hint("fix the problems shown, then run casebook again to see the others");
            summary.severity = code.severity();
            summary.hidden = self.hidden;
            out.push(summary);
        }
        out
    }
}

/// Sorts diagnostics by file, line and column, drops exact duplicates, and keeps at most
/// [`MAX_DIAGNOSTICS_PER_FILE`] per file (counting the rest in one diagnostic, last in its
/// file). Sorting again what it returned changes nothing.
pub fn sort_and_dedup(diags: &mut Vec<Diagnostic>) {
    // The counts of diagnostics not shown, from [`PerFile`] or an earlier sort, per file.
    let mut counted: BTreeMap<Option<PathBuf>, Hidden> = BTreeMap::new();
    diags.retain(|d| {
        if d.hidden == 0 {
            return true;
        }
        let file = d.location.as_ref().map(|l| l.file.clone());
        counted
            .entry(file)
            .or_default()
            .add(d.hidden, d.code, d.severity);
        false
    });
    let key = |d: &Diagnostic| (d.location.clone(), d.severity, d.code, d.message.clone());
    diags.sort_by_cached_key(key);
    diags.dedup();
    let all = std::mem::take(diags);
    let mut rest = all.into_iter().peekable();
    while let Some(first) = rest.next() {
        let file = first.location.as_ref().map(|l| l.file.clone());
        let mut group = vec![first];
        while let Some(d) = rest.next_if(|d| d.location.as_ref().map(|l| &l.file) == file.as_ref())
        {
            group.push(d);
        }
        let hidden = counted.remove(&file).unwrap_or_default();
        diags.extend(limit_one_file(group, file, hidden));
    }
    // Files whose every diagnostic was counted, none kept.
    for (file, hidden) in counted {
        diags.extend(limit_one_file(Vec::new(), file, hidden));
    }
}

/// Diagnostics counted rather than kept, for one file.
#[derive(Debug, Default)]
struct Hidden {
    count: usize,
    code: Option<Code>,
    severity: Option<Severity>,
}

impl Hidden {
    fn add(&mut self, count: usize, code: Code, severity: Severity) {
        self.count += count;
        self.code.get_or_insert(code);
        self.severity = Some(self.severity.map_or(severity, |s| s.min(severity)));
    }
}

/// The diagnostics of one file, sorted, cut to [`MAX_DIAGNOSTICS_PER_FILE`] (errors kept
/// before warnings), with one diagnostic last that counts the others.
fn limit_one_file(
    mut group: Vec<Diagnostic>,
    file: Option<PathBuf>,
    mut hidden: Hidden,
) -> Vec<Diagnostic> {
    if group.len() > MAX_DIAGNOSTICS_PER_FILE {
        // Errors first, each kind in place order; the ones kept stay in place order.
        let mut order: Vec<usize> = (0..group.len()).collect();
        order.sort_by_key(|&i| (!group[i].is_error(), i));
        let mut keep = vec![false; group.len()];
        for &i in &order[..MAX_DIAGNOSTICS_PER_FILE] {
            keep[i] = true;
        }
        let mut kept = Vec::with_capacity(MAX_DIAGNOSTICS_PER_FILE + 1);
        for (d, keep) in group.into_iter().zip(keep) {
            if keep {
                kept.push(d);
            } else {
                hidden.add(1, d.code, d.severity);
            }
        }
        group = kept;
    }
    if let Some(code) = hidden.code {
        let mut summary = Diagnostic::new(
            code,
            format!(
                "{} more problems in this file are not shown (at most {MAX_DIAGNOSTICS_PER_FILE} per file)",
                hidden.count
            ),
        )
        .hint("fix the problems shown, then run casebook again to see the others");
        summary.severity = hidden.severity.unwrap_or(Severity::Error);
        summary.hidden = hidden.count;
        if let Some(file) = file {
            summary = summary.at(Location::file(file));
        }
        group.push(summary);
    }
    group
}
