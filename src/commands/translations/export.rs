//! `casebook translations export LANG [SLUG…]`: one XLIFF 2.1 file per practice and page,
//! with every text of the source in the default language and the blocks of its body to
//! translate into LANG, and the existing translation's as targets to start from.

use std::path::{Path, PathBuf};

use crate::commands::build::BuildOptions;
use crate::diagnostics::{Code, Diagnostic};
use crate::incremental::{Cache, Documents};
use crate::input::config::Config;
use crate::input::content::{self, Section};
use crate::pipeline;
use crate::translation::source::{ContentFiles, Source};
use crate::translation::units::units;
use crate::translation::xliff::{self, Document};

/// One XLIFF file written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// Where.
    pub file: PathBuf,
    /// Its units.
    pub units: usize,
    /// How many of them have a target from an existing translation.
    pub prefilled: usize,
}

impl std::fmt::Display for Exported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Wrote {} ({} units, {} with a translation to start from)",
            self.file.display(),
            self.units,
            self.prefilled
        )
    }
}

/// The folder export writes into by default: `translations/` in the site.
pub fn default_output(root: &Path) -> PathBuf {
    root.join("translations")
}

/// The file export writes for a practice or page: `practices/co-city.es.xlf`.
pub fn file_name(section: Section, slug: &str, lang: &str) -> PathBuf {
    Path::new(section.dir()).join(format!("{slug}.{lang}.xlf"))
}

/// Writes the XLIFF files of the practices and pages named by `slugs` (all of them when
/// empty) to translate into `lang`, into `output`.
pub fn export(
    opts: &BuildOptions,
    lang: &str,
    slugs: &[String],
    output: &Path,
) -> Result<Vec<Exported>, Vec<Diagnostic>> {
    let cache = Cache::new(&opts.root, opts.cache_dir.as_deref());
    let mut documents = Documents::load(&cache.documents(), pipeline::parse_key(opts));
    let loaded = pipeline::load(opts, &mut documents).map_err(|f| f.diagnostics)?;
    let site = &loaded.site;
    let config = &site.config;
    check_language(config, lang)?;
    let mut wanted: Vec<(Section, &str)> = site
        .practices
        .iter()
        .map(|p| (Section::Practices, p.slug.as_str()))
        .chain(site.pages.iter().map(|p| (Section::Pages, p.slug.as_str())))
        .collect();
    if !slugs.is_empty() {
        let unknown: Vec<Diagnostic> = slugs
            .iter()
            .filter(|s| !wanted.iter().any(|(_, w)| w == s))
            .map(|s| {
                let hint = match crate::suggest::closest(s, wanted.iter().map(|(_, w)| *w)) {
                    Some(best) => format!("did you mean `{best}`? Name practices and pages by their slug, the file name without .md"),
                    None => "name practices and pages by their slug, the file name without .md".into(),
                };
                Diagnostic::new(Code::BadValue, format!("no practice or page has the slug `{s}`")).hint(hint)
            })
            .collect();
        if !unknown.is_empty() {
            return Err(unknown);
        }
        wanted.retain(|(_, w)| slugs.iter().any(|s| s == w));
    }
    let content = ContentFiles::find(&opts.root);
    let mut docs = Vec::new();
    let mut problems = Vec::new();
    for (section, slug) in wanted {
        match document(&content, config, &opts.root, section, slug, lang) {
            Ok(Some(d)) => docs.push((section, d)),
            Ok(None) => {}
            Err(d) => problems.extend(d),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut written = Vec::new();
    for (section, d) in docs {
        let file = output.join(file_name(section, &d.slug, lang));
        let text = xliff::write::xliff(&config.default_language, lang, std::slice::from_ref(&d));
        let result = file
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&file, text));
        if let Err(e) = result {
            return Err(vec![
                Diagnostic::new(
                    Code::WriteFailed,
                    format!("cannot write {}: {e}", file.display()),
                )
                .hint("check the folder's permissions, or write elsewhere with `--output DIR`"),
            ]);
        }
        written.push(Exported {
            file: crate::diagnostics::display_path(&opts.root, &file),
            units: d.units.len(),
            prefilled: d.units.iter().filter(|u| u.target.is_some()).count(),
        });
    }
    Ok(written)
}

/// An error unless `lang` is a site language other than the default one.
pub fn check_language(config: &Config, lang: &str) -> Result<(), Vec<Diagnostic>> {
    if lang == config.default_language {
        return Err(vec![
            Diagnostic::new(
                Code::UnknownLanguage,
                format!(
                    "`{lang}` is the default language: translations are made from it, not into it"
                ),
            )
            .hint(format!(
                "name the language to translate into, one of: {}",
                others(config)
            )),
        ]);
    }
    if !config.has_language(lang) {
        return Err(vec![
            Diagnostic::new(
                Code::UnknownLanguage,
                format!("`{lang}` is not a site language"),
            )
            .hint(format!(
                "translate into one of: {}; or add `{lang}` to `languages` in casebook.yaml",
                others(config)
            )),
        ]);
    }
    Ok(())
}

fn others(config: &Config) -> String {
    config
        .languages
        .iter()
        .filter(|l| **l != config.default_language)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ")
}

/// The XLIFF document of one practice or page; none when it has no version in the default
/// language to translate from.
fn document(
    content: &ContentFiles,
    config: &Config,
    root: &Path,
    section: Section,
    slug: &str,
    lang: &str,
) -> Result<Option<Document>, Vec<Diagnostic>> {
    let read = |l: &str| -> Result<Option<Source>, Vec<Diagnostic>> {
        let Some(path) = content.version(config, section, slug, l) else {
            return Ok(None);
        };
        let file = content::read(root, config, section, path).map_err(|d| vec![d])?;
        Source::parse(file, config).map(Some)
    };
    let Some(source) = read(&config.default_language)? else {
        return Ok(None);
    };
    // A translation that does not parse is not a start: its problems are the editor's.
    let existing = read(lang).ok().flatten();
    let up_to_date = existing.as_ref().is_some_and(|e| {
        let recorded = match &e.document {
            crate::document::Document::Practice(p) => p.translated_from.as_ref(),
            crate::document::Document::Page(p) => p.translated_from.as_ref(),
            crate::document::Document::BrokenDraft(_)
            | crate::document::Document::Placeholder(_) => None,
        };
        recorded.is_some_and(|r| r.value == source.fingerprint())
    });
    let target_file = source.file.rel.with_file_name(format!("{slug}.{lang}.md"));
    Ok(Some(Document {
        section: section.dir().to_string(),
        slug: slug.to_string(),
        source_file: slash(&source.file.rel),
        target_file: slash(&target_file),
        fingerprint: source.fingerprint().to_string(),
        target_state: if up_to_date { "translated" } else { "initial" },
        units: units(&source, existing.as_ref()),
    }))
}

/// A path as XLIFF files and every system write it: with `/`.
fn slash(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}
