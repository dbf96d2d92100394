//! Walks `content/`, reads each Markdown file and works out its slug and language.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{Code, Diagnostic, Location, display_path};
use crate::input::config::Config;
use crate::input::file_name::{self, NameError};
use crate::input::files::{self, Refusal, SiteRoot};
use crate::input::language_codes;

/// Content files larger than this are refused rather than read.
pub const MAX_FILE_BYTES: u64 = files::MAX_TEXT_FILE_BYTES;

/// Which part of the content tree a file belongs to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Section {
    /// `content/practices/`
    Practices,
    /// `content/pages/`
    Pages,
}

impl Section {
    /// The folder name under `content/`.
    pub fn dir(self) -> &'static str {
        match self {
            Section::Practices => "practices",
            Section::Pages => "pages",
        }
    }
}

/// One content file, read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Practices or pages.
    pub section: Section,
    /// The path relative to the site root, as shown in diagnostics.
    pub rel: PathBuf,
    /// The path to read it from.
    pub path: PathBuf,
    /// The slug (file stem).
    pub slug: String,
    /// The language (the suffix, or the default language).
    pub lang: String,
    /// Whether the language came from a suffix.
    pub explicit_lang: bool,
    /// The text, without a byte-order mark.
    pub text: String,
}

/// Whether a file name is an editor's temporary or backup file.
pub fn is_editor_temp(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || [".swp", ".swx", ".swo", ".tmp", ".bak", ".orig", ".crswap"]
            .iter()
            .any(|s| name.ends_with(s))
}

/// The content files of the site, found but not read. Symbolic links are followed while
/// they stay inside the site; one that leads outside it, and a special file (a named pipe,
/// a socket, a device) named like a content file, are reported and skipped.
pub fn discover(root: &Path) -> (Vec<(Section, PathBuf)>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let diags = std::cell::RefCell::new(Vec::new());
    let site = SiteRoot::new(root);
    for section in [Section::Practices, Section::Pages] {
        let dir = root.join("content").join(section.dir());
        if !dir.is_dir() {
            continue;
        }
        // Siblings' paths share their folder's path, so comparing them compares their names
        // (as `sort_by_file_name` does), without finding the name in each path again.
        let walker = WalkDir::new(&dir)
            .follow_links(true)
            .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
            .into_iter()
            .filter_entry(|e| {
                if e.depth() > 0 && is_editor_temp(&e.file_name().to_string_lossy()) {
                    return false;
                }
                match files::vet_entry(&site, e) {
                    None => true,
                    Some(refusal) => {
                        diags
                            .borrow_mut()
                            .push(refusal.diagnostic(&display_path(root, e.path())));
                        false
                    }
                }
            });
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    if e.path().extension().is_some_and(|x| x == "md") {
                        found.push((section, e.into_path()));
                    } else if let Some(d) = ignored_markdown(root, e.path()) {
                        diags.borrow_mut().push(d);
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    let path = e
                        .path()
                        .map(|p| display_path(root, p))
                        .unwrap_or_else(|| dir.clone());
                    let (message, hint) = if e.loop_ancestor().is_some() {
                        (
                            "symbolic link loop".to_string(),
                            "remove the link that points back to a folder above it",
                        )
                    } else {
                        (format!("cannot read: {e}"), "check the file's permissions")
                    };
                    diags.borrow_mut().push(
                        Diagnostic::new(Code::ReadError, message)
                            .at(Location::file(path))
                            .hint(hint),
                    );
                }
            }
        }
    }
    (found, diags.into_inner())
}

/// A warning for a file that looks like Markdown but is not read, since only `.md` files
/// are: `co-city.es.md.txt`, `co-city.es.markdown`, `co-city.MD`.
fn ignored_markdown(root: &Path, path: &Path) -> Option<Diagnostic> {
    let name = path.file_name()?.to_string_lossy();
    let lower = name.to_ascii_lowercase();
    let stem = [
        ".md.txt",
        ".markdown",
        ".mdown",
        ".mkdn",
        ".mkd",
        ".mdwn",
        ".md",
    ]
    .iter()
    .find_map(|ext| {
        lower
            .strip_suffix(ext)
            .map(|_| &name[..name.len() - ext.len()])
    })?;
    Some(
        Diagnostic::new(
            Code::IgnoredFile,
            format!("`{name}` is ignored: casebook reads only files whose names end in `.md`"),
        )
        .at(Location::file(display_path(root, path)))
        .hint(format!("rename it `{stem}.md` to publish it")),
    )
}

/// Reads the discovered files in parallel and parses their names.
pub fn load(root: &Path, config: &Config) -> (Vec<SourceFile>, Vec<Diagnostic>) {
    let (paths, mut diags) = discover(root);
    let results: Vec<Result<SourceFile, Diagnostic>> = paths
        .par_iter()
        .map(|(section, path)| read(root, config, *section, path))
        .collect();
    let mut files = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => diags.push(d),
        }
    }
    (files, diags)
}

/// Reads one content file found by [`discover`] and parses its name.
pub fn read(
    root: &Path,
    config: &Config,
    section: Section,
    path: &Path,
) -> Result<SourceFile, Diagnostic> {
    let rel = display_path(root, path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let parsed = file_name::parse(&name).map_err(|e| match e {
        NameError::BadSlug(suggested) => case_collision(path, &rel, &name, &suggested)
            .unwrap_or_else(|| name_error(&rel, &name, NameError::BadSlug(suggested))),
        NameError::BadLanguage(l) => bad_language(&rel, &name, &l, &config.languages),
        e => name_error(&rel, &name, e),
    })?;
    let lang = match parsed.lang {
        Some(l) if config.has_language(l) => l.to_string(),
        Some(l) => {
            let mut d = Diagnostic::new(
                Code::UnknownLanguage,
                format!("`{l}` in the file name is not a site language"),
            )
            .at(Location::file(&rel));
            let site = config.languages.join(", ");
            d = match language_codes::suggest(l, &config.languages) {
                Some(s) if config.has_language(&s.code) => d.hint(format!(
                    "did you mean `{}.{}.md`? {}Site languages: {site}",
                    parsed.slug,
                    s.code,
                    s.why.map(|w| format!("{w}. ")).unwrap_or_default()
                )),
                Some(s) => d.hint(format!(
                    "{}: rename the file `{}.{}.md` and add `{}` to `languages` in casebook.yaml; site languages: {site}",
                    s.why.unwrap_or_else(|| format!("`{l}` is close to `{}`", s.code)),
                    parsed.slug,
                    s.code,
                    s.code
                )),
                None => d.hint(format!("add `{l}` to `languages` in casebook.yaml, or rename the file; site languages: {site}")),
            };
            return Err(d);
        }
        None => config.default_language.clone(),
    };
    let bytes =
        SiteRoot::new(root)
            .read(path, MAX_FILE_BYTES)
            .map_err(|refusal| match refusal {
                Refusal::TooLarge(size) => Diagnostic::new(
                    Code::FileTooLarge,
                    format!(
                        "file is {} MB; the limit is {} MB",
                        size / 1_000_000,
                        MAX_FILE_BYTES / 1_000_000
                    ),
                )
                .at(Location::file(&rel))
                .hint("a practice is a page of text: move large data to static/ and link to it"),
                other => other.diagnostic(&rel),
            })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let valid = std::str::from_utf8(valid).unwrap_or("");
        let line = valid.matches('\n').count() + 1;
        let column = valid
            .rsplit('\n')
            .next()
            .map(|l| l.chars().count())
            .unwrap_or(0)
            + 1;
        Diagnostic::new(Code::NotUtf8, "file is not valid UTF-8")
            .at(Location::new(&rel, line, column))
            .hint("save the file as UTF-8 (in most editors: \"Save with encoding\" → UTF-8)")
    })?;
    let text = match text.strip_prefix('\u{feff}') {
        Some(t) => t.to_string(),
        None => text,
    };
    let text = files::normalize_line_breaks(text);
    Ok(SourceFile {
        section,
        rel,
        path: path.to_path_buf(),
        slug: parsed.slug.to_string(),
        explicit_lang: parsed.lang.is_some(),
        lang,
        text,
    })
}

/// `CO-CITY.md` beside `co-city.md`: on macOS and Windows these are one file.
fn case_collision(path: &Path, rel: &Path, name: &str, suggested: &str) -> Option<Diagnostic> {
    let stem_len = name.find('.').unwrap_or(name.len());
    let rest = &name[stem_len..];
    let other = format!("{suggested}{rest}");
    if other == name || !name[..stem_len].eq_ignore_ascii_case(suggested) {
        return None;
    }
    path.with_file_name(&other).is_file().then(|| {
        Diagnostic::new(
            Code::BadFileName,
            format!("`{name}` and `{other}` differ only in case"),
        )
        .at(Location::file(rel))
        .hint(format!(
            "slugs are lowercase, and on macOS and Windows these two names are the same file: merge `{name}` into `{other}` and delete it"
        ))
    })
}

/// `co-city.ES.md`: the language part is not a language code as written.
fn bad_language(rel: &Path, name: &str, written: &str, languages: &[String]) -> Diagnostic {
    let slug = name.split('.').next().unwrap_or(name);
    let d = Diagnostic::new(
        Code::BadFileName,
        format!("`{name}` is not a valid content file name"),
    )
    .at(Location::file(rel));
    match language_codes::suggest(written, languages) {
        Some(s) => d.hint(format!(
            "rename it `{slug}.{}.md`{}",
            s.code,
            s.why.map(|w| format!(": {w}")).unwrap_or_default()
        )),
        None => name_error(rel, name, NameError::BadLanguage(written.into())),
    }
}

fn name_error(rel: &Path, name: &str, e: NameError) -> Diagnostic {
    let d = Diagnostic::new(
        Code::BadFileName,
        format!("`{name}` is not a valid content file name"),
    )
    .at(Location::file(rel));
    match e {
        NameError::BadSlug(s) => d.hint(format!(
            "the file name becomes the URL: use lowercase ASCII letters, digits and hyphens, e.g. `{s}.md`"
        )),
        NameError::BadLanguage(l) => d.hint(format!("`{l}` is not a language code; name translations like `slug.es.md`")),
        NameError::TooManyParts => d.hint("name files `slug.md` (default language) or `slug.LANG.md`, e.g. `co-city.it.md`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_files_are_found_in_the_order_of_their_names_folder_by_folder() {
        let site = tempfile::tempdir().unwrap();
        let dir = site.path().join("content/practices");
        for name in [
            "b.md", "b/x.md", "b/a/z.md", "b.c.md", "b-c.md", "a.md", "B.md", "é.md",
        ] {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "---\n---\n").unwrap();
        }
        let (found, diags) = discover(site.path());
        assert!(diags.is_empty(), "{diags:?}");
        let names: Vec<String> = found
            .iter()
            .map(|(_, p)| p.strip_prefix(&dir).unwrap().display().to_string())
            .collect();
        // By the bytes of each name, a folder's files where its name falls among its
        // siblings' (as `sort_by_file_name` orders them).
        assert_eq!(
            names,
            [
                "B.md", "a.md", "b/a/z.md", "b/x.md", "b-c.md", "b.c.md", "b.md", "é.md"
            ]
        );
    }
}
