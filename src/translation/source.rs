//! Content files named on the command line, and the source each translation is made from:
//! the version of its slug in the site's default language, parsed and fingerprinted.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic, Location, display_path};
use crate::document::{self, Document, translatable};
use crate::input::config::Config;
use crate::input::content::{self, Section, SourceFile};
use crate::input::file_name;

/// The content files of a site, found once for several look-ups.
pub struct ContentFiles {
    root: PathBuf,
    paths: Vec<(Section, PathBuf)>,
    /// Each file by section, slug and language suffix (none for the default language).
    by_name: HashMap<(Section, String, Option<String>), usize>,
}

impl ContentFiles {
    /// The content files of the site at `root`.
    pub fn find(root: &Path) -> ContentFiles {
        let (paths, _) = content::discover(root);
        let mut by_name = HashMap::new();
        for (i, (section, p)) in paths.iter().enumerate() {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            if let Ok(n) = file_name::parse(&name) {
                let key = (*section, n.slug.to_string(), n.lang.map(str::to_string));
                by_name.entry(key).or_insert(i);
            }
        }
        ContentFiles {
            root: root.to_path_buf(),
            paths,
            by_name,
        }
    }

    /// The content file at `path` (as given: relative to the current folder, or to the
    /// site root), read; an error when it is not one of the site's content files.
    pub fn named(&self, config: &Config, path: &Path) -> Result<SourceFile, Diagnostic> {
        let given = if path.exists() {
            path.to_path_buf()
        } else {
            self.root.join(path)
        };
        let wanted = given.canonicalize().map_err(|e| {
            Diagnostic::new(Code::ReadError, format!("cannot read {}: {e}", path.display()))
                .hint("name a file of content/practices/ or content/pages/, e.g. `content/practices/co-city.es.md`")
        })?;
        // The file named like it, if it is that file; else any file that is.
        let name = wanted
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let same = |p: &Path| p.canonicalize().is_ok_and(|c| c == wanted);
        let by_name = file_name::parse(&name).ok().and_then(|n| {
            [Section::Practices, Section::Pages]
                .into_iter()
                .find_map(|section| {
                    let key = (section, n.slug.to_string(), n.lang.map(str::to_string));
                    let i = *self.by_name.get(&key)?;
                    same(&self.paths[i].1).then_some(i)
                })
        });
        let found = by_name
            .map(|i| &self.paths[i])
            .or_else(|| self.paths.iter().find(|(_, p)| same(p)));
        match found {
            Some((section, p)) => content::read(&self.root, config, *section, p),
            None => Err(Diagnostic::new(
                Code::BadFileName,
                format!("{} is not a content file of this site", path.display()),
            )
            .hint("name a Markdown file of content/practices/ or content/pages/ in the site given by `--root`")),
        }
    }

    /// The file of `slug` in `lang` in `section`, if there is one.
    pub fn version(
        &self,
        config: &Config,
        section: Section,
        slug: &str,
        lang: &str,
    ) -> Option<&Path> {
        let key = |suffix: Option<&str>| (section, slug.to_string(), suffix.map(str::to_string));
        let mut i = self.by_name.get(&key(Some(lang)));
        if lang == config.default_language {
            i = self.by_name.get(&key(None)).or(i);
        }
        i.map(|&i| self.paths[i].1.as_path())
    }

    /// The source of `file`: its slug's version in the default language, read and parsed.
    pub fn source_of(&self, config: &Config, file: &SourceFile) -> Result<Source, Vec<Diagnostic>> {
        if file.lang == config.default_language {
            return Err(vec![
                Diagnostic::new(
                    Code::BadValue,
                    format!(
                        "{} is in the default language ({}): it is the source, not a translation",
                        file.rel.display(),
                        config.default_language
                    ),
                )
                .at(Location::file(&file.rel))
                .hint(format!(
                    "name a translation, e.g. `{}`",
                    self.example(file, config)
                )),
            ]);
        }
        let Some(path) = self.version(config, file.section, &file.slug, &config.default_language)
        else {
            return Err(vec![
                Diagnostic::new(
                    Code::BadValue,
                    format!(
                        "{} has no source: there is no `{}` version of `{}`",
                        file.rel.display(),
                        config.default_language,
                        file.slug
                    ),
                )
                .at(Location::file(&file.rel))
                .hint(format!(
                    "a translation is made from the version in the default language, `{}.md`",
                    file.slug
                )),
            ]);
        };
        let source = content::read(&self.root, config, file.section, path).map_err(|d| vec![d])?;
        Source::parse(source, config)
    }

    fn example(&self, file: &SourceFile, config: &Config) -> String {
        let lang = config
            .languages
            .iter()
            .find(|l| **l != config.default_language)
            .map(String::as_str)
            .unwrap_or("es");
        display_path(&self.root, &file.path)
            .with_file_name(format!("{}.{lang}.md", file.slug))
            .display()
            .to_string()
    }
}

/// A source file, parsed.
pub struct Source {
    /// The file as read.
    pub file: SourceFile,
    /// Its document.
    pub document: Document,
}

impl Source {
    /// Parses `file` as a source; its problems when it does not parse.
    pub fn parse(file: SourceFile, config: &Config) -> Result<Source, Vec<Diagnostic>> {
        match document::parse(&file, config)? {
            Document::BrokenDraft(d) => Err(d.problems),
            Document::Placeholder(p) => Err(vec![p.warning()]),
            document => Ok(Source { file, document }),
        }
    }

    /// The fingerprint of its translatable content.
    pub fn fingerprint(&self) -> &str {
        match &self.document {
            Document::Practice(p) => &p.fingerprint,
            Document::Page(p) => &p.fingerprint,
            Document::BrokenDraft(_) | Document::Placeholder(_) => "",
        }
    }

    /// Its translatable texts.
    pub fn texts(&self) -> Vec<translatable::Text> {
        match &self.document {
            Document::Practice(p) => translatable::practice_texts(p),
            Document::Page(p) => translatable::page_texts(p),
            Document::BrokenDraft(_) | Document::Placeholder(_) => Vec::new(),
        }
    }

    /// Its Markdown body, as written.
    pub fn body(&self) -> &str {
        let offset = match &self.document {
            Document::Practice(p) => p.body_offset,
            Document::Page(p) => p.body_offset,
            Document::BrokenDraft(_) | Document::Placeholder(_) => self.file.text.len(),
        };
        self.file.text.get(offset..).unwrap_or("")
    }
}
