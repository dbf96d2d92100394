//! Translation coverage: which practices lack which languages.

use std::fmt::Write as _;

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::model::Site;

/// Which practices exist in which languages.
#[derive(Debug, Clone)]
pub struct Coverage {
    /// The site languages, in order.
    pub languages: Vec<String>,
    /// Each practice's slug and, per language, whether it has a version.
    pub rows: Vec<(String, Vec<bool>)>,
}

impl Coverage {
    /// The coverage of the site's practices.
    pub fn of(site: &Site) -> Coverage {
        let languages = site.config.languages.clone();
        let rows = site
            .practices
            .iter()
            .map(|p| {
                let have = languages.iter().map(|l| p.version(l).is_some()).collect();
                (p.slug.clone(), have)
            })
            .collect();
        Coverage { languages, rows }
    }

    /// Whether every practice exists in every language.
    pub fn complete(&self) -> bool {
        self.rows.iter().all(|(_, have)| have.iter().all(|h| *h))
    }

    /// A text table: one line per language with its count, then the practices that lack a
    /// language, with `✓` where a version exists and `–` where it does not.
    pub fn table(&self) -> String {
        let total = self.rows.len();
        let mut out = String::from("Translation coverage:\n");
        let counts: Vec<String> = self
            .languages
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let n = self.rows.iter().filter(|(_, h)| h[i]).count();
                format!("{l} {n}/{total}")
            })
            .collect();
        let _ = writeln!(out, "  {}", counts.join(", "));
        let missing: Vec<&(String, Vec<bool>)> = self
            .rows
            .iter()
            .filter(|(_, h)| h.iter().any(|x| !x))
            .collect();
        if missing.is_empty() {
            return out;
        }
        let width = missing
            .iter()
            .map(|(s, _)| s.chars().count())
            .max()
            .unwrap_or(0)
            .max("practice".len());
        let header: Vec<String> = self.languages.iter().map(|l| format!("{l:^5}")).collect();
        let _ = writeln!(out, "  {:width$}  {}", "practice", header.join(""));
        for (slug, have) in missing {
            let cells: Vec<String> = have
                .iter()
                .map(|h| format!("{:^5}", if *h { "✓" } else { "–" }))
                .collect();
            let _ = writeln!(out, "  {slug:width$}  {}", cells.join(""));
        }
        out
    }

    /// One warning per practice that lacks a language, at its first file.
    pub fn warnings(&self, site: &Site) -> Vec<Diagnostic> {
        self.rows
            .iter()
            .zip(&site.practices)
            .filter_map(|((slug, have), p)| {
                let missing: Vec<&str> = self
                    .languages
                    .iter()
                    .zip(have)
                    .filter(|(_, h)| !**h)
                    .map(|(l, _)| l.as_str())
                    .collect();
                if missing.is_empty() {
                    return None;
                }
                let first = &p.versions[0].doc;
                Some(
                    Diagnostic::new(
                        Code::Untranslated,
                        format!(
                            "practice `{slug}` is not translated into {}",
                            missing.join(", ")
                        ),
                    )
                    .at(Location::file(&first.rel))
                    .hint(format!(
                        "add {} (`casebook new practice {slug} --lang {}` starts one from this file); or pass `--allow untranslated` if a partial catalogue is intended",
                        missing
                            .iter()
                            .map(|l| format!("{slug}.{l}.md"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        missing[0]
                    )),
                )
            })
            .collect()
    }
}
