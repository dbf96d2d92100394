//! Drafts with problems. A draft that is not being built must not fail the build: when a
//! file that says `draft: true` does not parse or check, its problems are kept with it
//! ([`BrokenDraft`]) and the model reports them as warnings, or as errors in a build with
//! drafts. A file whose front matter is not valid YAML is still known to be a draft when a
//! line of its front matter is `draft: true`.

use std::path::PathBuf;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Location, Severity};
use crate::input::content::{Section, SourceFile};
use crate::input::front_matter::{self, SplitError};

/// A draft file that did not parse or check, with its problems.
#[derive(Debug, Clone, serde::Serialize, Deserialize)]
pub struct BrokenDraft {
    /// Practices or pages.
    pub section: Section,
    /// Slug.
    pub slug: String,
    /// Language.
    pub lang: String,
    /// File, relative to the site root.
    pub rel: PathBuf,
    /// Where the file says `draft: true`.
    pub draft_at: Location,
    /// What is wrong with it, as errors.
    pub problems: Vec<Diagnostic>,
}

impl BrokenDraft {
    /// `file`'s problems, kept with it if it is a draft; given back if it is not one.
    pub fn of(
        file: &SourceFile,
        problems: Vec<Diagnostic>,
    ) -> Result<BrokenDraft, Vec<Diagnostic>> {
        match draft_line(&file.text) {
            Some(line) => Ok(BrokenDraft {
                section: file.section,
                slug: file.slug.clone(),
                lang: file.lang.clone(),
                rel: file.rel.clone(),
                draft_at: Location::new(&file.rel, line, 1),
                problems,
            }),
            None => Err(problems),
        }
    }

    /// Its problems as warnings, each with a note that the file is a draft: for a build
    /// that leaves drafts out.
    pub fn warnings(self) -> impl Iterator<Item = Diagnostic> {
        let at = self.draft_at;
        self.problems.into_iter().map(move |mut d| {
            d.severity = Severity::Warning;
            d.note(
                at.clone(),
                "this file is a draft: its problems fail only a build with --drafts, or once it is published",
            )
        })
    }
}

#[derive(Deserialize)]
struct DraftFlag {
    draft: Option<bool>,
}

/// The file line (1-based) where a content file's front matter says `draft: true`, if it
/// says so: read as YAML when the front matter parses (other fields may be wrong), else
/// from a line that is exactly `draft: true` (a comment may follow). An unclosed front
/// matter runs to the end of the file, as casebook reads it.
pub fn draft_line(text: &str) -> Option<usize> {
    let (yaml, first_line) = match front_matter::split(text) {
        Ok(split) => (split.yaml, split.yaml_line),
        Err(SplitError::Unclosed) => (text.split_once('\n').map_or("", |(_, rest)| rest), 2),
        Err(SplitError::Missing) => return None,
    };
    let line = yaml
        .lines()
        .position(|l| {
            let rest = l
                .strip_prefix("draft:")
                .map(|r| r.split(" #").next().unwrap_or(""));
            rest.is_some_and(|v| matches!(v.trim(), "true" | "True" | "TRUE"))
        })
        .map(|i| i + first_line);
    match serde_saphyr::from_str_with_options::<DraftFlag>(yaml, crate::input::yaml::options()) {
        Ok(flag) => (flag.draft == Some(true)).then(|| line.unwrap_or(1)),
        Err(_) => line,
    }
}

#[cfg(test)]
mod tests {
    use super::draft_line;

    #[test]
    fn drafts_are_known_even_when_the_yaml_is_broken() {
        assert_eq!(draft_line("---\ntitle: A\ndraft: true\n---\n"), Some(3));
        assert_eq!(
            draft_line("---\ndraft: true        # optional\ntopics: [\n---\n"),
            Some(2)
        );
        assert_eq!(draft_line("---\ndraft: true\ntitle: A: b\n"), Some(2));
        assert_eq!(draft_line("---\ntitle: A\ndraft: false\n---\n"), None);
        assert_eq!(draft_line("---\ntitle: A\n  draft: true\n---\n"), None);
        assert_eq!(draft_line("---\nowner:\n  draft: true\n---\n"), None);
        assert_eq!(draft_line("draft: true\n"), None);
        assert_eq!(draft_line("---\n{ draft: true }\n---\n"), Some(1));
    }
}
