//! Content file names the CMS reads: with Decap's `multiple_files` structure every language
//! has a suffix, the default one too (`co-city.en.md`), and a file without one
//! (`co-city.md`) is not listed. casebook reads both names as the same practice.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic, Location, display_path};
use crate::input::config::Config;
use crate::input::content;
use crate::input::file_name;

/// The content files named without a language (`slug.md`), with the name the CMS reads.
fn unsuffixed(root: &Path, config: &Config) -> Vec<(PathBuf, PathBuf)> {
    let (paths, _) = content::discover(root);
    paths
        .into_iter()
        .filter_map(|(_, path)| {
            let name = path.file_name()?.to_string_lossy().into_owned();
            let parsed = file_name::parse(&name).ok()?;
            if parsed.lang.is_some() {
                return None;
            }
            let renamed =
                path.with_file_name(format!("{}.{}.md", parsed.slug, config.default_language));
            Some((path, renamed))
        })
        .collect()
}

/// Renames every `slug.md` of content/ to `slug.LANG.md`, LANG being the default language;
/// nothing is renamed when one of the new names is taken. Returns a line per file.
pub fn rename_default_files(root: &Path, config: &Config) -> Result<Vec<String>, Vec<Diagnostic>> {
    let pairs = unsuffixed(root, config);
    let taken: Vec<Diagnostic> = pairs
        .iter()
        .filter(|(_, to)| to.exists())
        .map(|(from, to)| {
            Diagnostic::new(
                Code::FileExists,
                format!(
                    "cannot rename {}: {} exists",
                    display_path(root, from).display(),
                    display_path(root, to).display()
                ),
            )
            .at(Location::file(display_path(root, from)))
            .hint("both files are the same practice in the same language: merge them into one and delete the other")
        })
        .collect();
    if !taken.is_empty() {
        return Err(taken);
    }
    let mut done = Vec::new();
    for (from, to) in pairs {
        std::fs::rename(&from, &to).map_err(|e| {
            vec![
                Diagnostic::new(Code::WriteFailed, format!("cannot rename: {e}"))
                    .at(Location::file(display_path(root, &from))),
            ]
        })?;
        done.push(format!(
            "Renamed {} to {}",
            display_path(root, &from).display(),
            display_path(root, &to).display()
        ));
    }
    Ok(done)
}

/// One warning when content files are named without a language: the CMS does not list them.
pub fn unsuffixed_warning(root: &Path, config: &Config) -> Option<Diagnostic> {
    let pairs = unsuffixed(root, config);
    let (first, renamed) = pairs.first()?;
    let name = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    Some(
        Diagnostic::new(
            Code::CmsOutOfSync,
            format!(
                "the CMS does not list {} named without a language, such as {}",
                crate::pipeline::plural(pairs.len(), "file"),
                name(first)
            ),
        )
        .at(Location::file(display_path(root, first)))
        .hint(format!(
            "the CMS names every language's file, the default one too: run `casebook cms --rename-default-files` to rename them ({} → {}); casebook reads both names",
            name(first),
            name(renamed)
        )),
    )
}
