//! What changed in a source since a translation was made from it, from the site's Git
//! history when there is one: the commit whose version of the source has the fingerprint
//! the translation records, the first change after it, and which texts and body sections
//! differ. Nothing depends on it: without Git, or in a shallow clone that lacks that
//! version, there is simply nothing to say.

use std::path::Path;
use std::process::Command;

use serde::Serialize;

use crate::document::translatable::normalized_body;
use crate::input::config::Config;
use crate::input::content::SourceFile;

use super::source::Source;

/// How many of the source's commits are looked at, newest first.
const MAX_COMMITS: usize = 200;

/// A commit of the site's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Commit {
    /// Its abbreviated hash.
    pub commit: String,
    /// Its date, `YYYY-MM-DD`.
    pub date: String,
}

/// One body section that changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    /// Its heading as the source writes it now (or wrote it, when it was removed); empty
    /// for the text before the first heading.
    pub heading: String,
    /// `changed`, `added` or `removed`.
    pub change: &'static str,
}

/// What changed in a source since the version a translation was made from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changes {
    /// The last commit whose version of the source is the one the translation was made
    /// from.
    pub made_from: Commit,
    /// The first commit after it that changed the source's texts; none when only the
    /// working tree differs.
    pub first_change: Option<Commit>,
    /// The labels of the texts that differ (`Summary`, `Key figure 2: label`).
    pub fields: Vec<String>,
    /// The body sections that differ.
    pub sections: Vec<Section>,
}

fn git(root: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8(out.stdout).ok())
        .flatten()
}

/// What changed in `source` since its version with fingerprint `recorded`, from the Git
/// history of the site at `root`; `None` when the history does not have that version.
pub fn changes_since(
    root: &Path,
    config: &Config,
    source: &Source,
    recorded: &str,
) -> Option<Changes> {
    let rel = source.file.rel.to_string_lossy().replace('\\', "/");
    let log = git(
        root,
        &[
            "log",
            &format!("-n{MAX_COMMITS}"),
            "--format=%h %cs",
            "--",
            &rel,
        ],
    )?;
    let commits: Vec<Commit> = log
        .lines()
        .filter_map(|l| {
            let (commit, date) = l.split_once(' ')?;
            Some(Commit {
                commit: commit.to_string(),
                date: date.to_string(),
            })
        })
        .collect();
    // Newest first: the first version with the recorded fingerprint, and the commit just
    // newer than it, which changed it.
    let mut newer: Option<&Commit> = None;
    for c in &commits {
        let Some(old) = version_at(root, config, source, &rel, &c.commit) else {
            newer = Some(c);
            continue;
        };
        if old.fingerprint() == recorded {
            return Some(Changes {
                made_from: c.clone(),
                first_change: newer.cloned(),
                fields: changed_fields(&old, source),
                sections: changed_sections(old.body(), source.body()),
            });
        }
        newer = Some(c);
    }
    None
}

/// The source as it was at `commit`, parsed; `None` when it does not parse now.
fn version_at(
    root: &Path,
    config: &Config,
    source: &Source,
    rel: &str,
    commit: &str,
) -> Option<Source> {
    let text = git(root, &["show", &format!("{commit}:./{rel}")])?;
    let text = crate::input::files::normalize_line_breaks(text);
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    let file = SourceFile {
        text,
        ..source.file.clone()
    };
    Source::parse(file, config).ok()
}

fn changed_fields(old: &Source, new: &Source) -> Vec<String> {
    let before = old.texts();
    let after = new.texts();
    let mut labels = Vec::new();
    for t in &after {
        if before
            .iter()
            .find(|b| b.key == t.key)
            .is_none_or(|b| b.value != t.value)
        {
            labels.push(t.label.clone());
        }
    }
    for b in &before {
        if !after.iter().any(|t| t.key == b.key) {
            labels.push(b.label.clone());
        }
    }
    labels
}

/// A body cut at its headings (outside fenced code): `(heading, text)`, the text before the
/// first heading under an empty heading.
fn sections(body: &str) -> Vec<(String, String)> {
    let body = normalized_body(body);
    let mut out: Vec<(String, String)> = vec![(String::new(), String::new())];
    let mut fence: Option<&str> = None;
    for line in body.lines() {
        let trimmed = line.trim_start();
        if let Some(f) = fence {
            if trimmed.starts_with(f) {
                fence = None;
            }
        } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
        } else if let Some(h) = heading(line) {
            out.push((h, String::new()));
            continue;
        }
        let text = &mut out.last_mut().expect("one section at least").1;
        text.push_str(line);
        text.push('\n');
    }
    out.retain(|(h, t)| !h.is_empty() || !t.trim().is_empty());
    out
}

/// The text of an ATX heading line (`## Results {#results}` → `Results`).
fn heading(line: &str) -> Option<String> {
    let hashes = line.len() - line.trim_start_matches('#').len();
    if !(1..=6).contains(&hashes) || line.starts_with(' ') {
        return None;
    }
    let rest = &line[hashes..];
    if !rest.is_empty() && !rest.starts_with(' ') {
        return None;
    }
    let text = rest.trim();
    let text = match text.rfind(" {") {
        Some(i) if text.ends_with('}') => &text[..i],
        _ => text,
    };
    Some(text.trim_end_matches('#').trim().to_string())
}

fn changed_sections(old: &str, new: &str) -> Vec<Section> {
    let before = sections(old);
    let after = sections(new);
    let mut out = Vec::new();
    for (i, (h, t)) in after.iter().enumerate() {
        let same_place = before.get(i).filter(|(bh, _)| bh == h);
        let matching = same_place.or_else(|| before.iter().find(|(bh, _)| bh == h));
        match matching {
            None => out.push(Section {
                heading: h.clone(),
                change: "added",
            }),
            Some((_, bt)) if bt.trim() != t.trim() => out.push(Section {
                heading: h.clone(),
                change: "changed",
            }),
            Some(_) => {}
        }
    }
    for (h, _) in &before {
        if !after.iter().any(|(ah, _)| ah == h) {
            out.push(Section {
                heading: h.clone(),
                change: "removed",
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_read_as_markdown_writes_them() {
        assert_eq!(heading("## Results").as_deref(), Some("Results"));
        assert_eq!(heading("## Results {#res}").as_deref(), Some("Results"));
        assert_eq!(heading("### Closed ###").as_deref(), Some("Closed"));
        assert_eq!(heading("#hashtag"), None);
        assert_eq!(heading("####### seven"), None);
    }

    #[test]
    fn sections_that_changed_were_added_or_went() {
        let old = "Intro.\n\n## The challenge\n\nA.\n\n## Results\n\nB.\n\n## Gone\n\nC.\n";
        let new = "Intro.\n\n## The challenge\n\nA.\n\n## Results\n\nB, and more.\n\n```\n## not a heading\n```\n\n## New\n\nD.\n";
        let shown: Vec<(String, &str)> = changed_sections(old, new)
            .into_iter()
            .map(|s| (s.heading, s.change))
            .collect();
        assert_eq!(
            shown,
            [
                ("Results".to_string(), "changed"),
                ("New".to_string(), "added"),
                ("Gone".to_string(), "removed")
            ]
        );
    }
}
