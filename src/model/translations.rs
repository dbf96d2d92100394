//! Whether each translation is up to date with its source: the version in the site's
//! default language, whose fingerprint a translation records as `translated_from`
//! ([`crate::document::translatable`]). Pure data, computed from the documents, so that a
//! model whose bodies were swapped in ([`super::patch_bodies`]) tells the same.

use std::path::Path;

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::document::{Located, SourceText};

use super::site::{Page, Practice, Site};

/// How a language version stands against its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Freshness {
    /// It is the source: the version in the default language.
    Source,
    /// It records the source's current fingerprint.
    UpToDate,
    /// It records an older fingerprint of the source.
    Outdated {
        /// The fingerprint it records.
        recorded: String,
        /// The source's fingerprint now.
        current: String,
    },
    /// It records nothing: casebook cannot tell.
    Unrecorded,
    /// There is no version in the default language to be a translation of.
    NoSource,
}

/// What the freshness of a version depends on: its file, language and record, and the
/// source's fingerprint (`None` without a source).
fn freshness(
    lang: &str,
    recorded: Option<&Located<String>>,
    default_language: &str,
    source: Option<&str>,
) -> Freshness {
    if lang == default_language {
        return Freshness::Source;
    }
    match (source, recorded) {
        (None, _) => Freshness::NoSource,
        (Some(_), None) => Freshness::Unrecorded,
        (Some(current), Some(r)) if r.value == current => Freshness::UpToDate,
        (Some(current), Some(r)) => Freshness::Outdated {
            recorded: r.value.clone(),
            current: current.to_string(),
        },
    }
}

/// The freshness of practice `p`'s version in `lang` (which must exist).
pub fn practice_freshness(site: &Site, p: &Practice, lang: &str) -> Freshness {
    let default = &site.config.default_language;
    let source = p.version(default).map(|v| v.doc.fingerprint.as_str());
    let recorded = p.version(lang).and_then(|v| v.doc.translated_from.as_ref());
    freshness(lang, recorded, default, source)
}

/// The freshness of page `page`'s version in `lang` (which must exist).
pub fn page_freshness(site: &Site, page: &Page, lang: &str) -> Freshness {
    let default = &site.config.default_language;
    let source = page.versions.get(default).map(|d| d.fingerprint.as_str());
    let recorded = page
        .versions
        .get(lang)
        .and_then(|d| d.translated_from.as_ref());
    freshness(lang, recorded, default, source)
}

/// One translation with its source, as the warnings name them.
struct Pair<'a> {
    file: &'a Path,
    text: &'a SourceText,
    source: &'a Path,
    lang: &'a str,
    slug: &'a str,
    recorded: Option<&'a Located<String>>,
    freshness: Freshness,
}

fn pairs(site: &Site) -> Vec<Pair<'_>> {
    let default = site.config.default_language.as_str();
    let mut out = Vec::new();
    for p in &site.practices {
        let Some(source) = p.version(default) else {
            continue;
        };
        for v in p.versions.iter().filter(|v| v.doc.lang != default) {
            out.push(Pair {
                file: &v.doc.rel,
                text: &v.doc.source,
                source: &source.doc.rel,
                lang: &v.doc.lang,
                slug: &p.slug,
                recorded: v.doc.translated_from.as_ref(),
                freshness: practice_freshness(site, p, &v.doc.lang),
            });
        }
    }
    for page in &site.pages {
        let Some(source) = page.versions.get(default) else {
            continue;
        };
        for (lang, d) in page.versions.iter().filter(|(l, _)| *l != default) {
            out.push(Pair {
                file: &d.rel,
                text: &d.source,
                source: &source.rel,
                lang,
                slug: &page.slug,
                recorded: d.translated_from.as_ref(),
                freshness: page_freshness(site, page, lang),
            });
        }
    }
    out
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A warning for every translation made from an older version of its source (`build`,
/// `check` and `serve` alike), at its `translated_from`.
pub fn outdated_warnings(site: &Site) -> Vec<Diagnostic> {
    pairs(site)
        .into_iter()
        .filter_map(|pair| {
            let Freshness::Outdated { recorded, current } = &pair.freshness else {
                return None;
            };
            let at = pair.recorded?.location.clone();
            let file = pair.file.display();
            Some(
                Diagnostic::new(
                    Code::OutdatedTranslation,
                    format!(
                        "translation made from an older version of {}",
                        file_name(pair.source)
                    ),
                )
                .at_source(at, pair.text, recorded.len())
                .note(
                    Location::file(pair.source),
                    format!("the source changed since: it was {recorded}, it is now {current}"),
                )
                .hint(format!(
                    "bring the translation up to date (`casebook translations` says what changed, where Git history is available), then run `casebook translations mark {file}`; or send it to a translator with `casebook translations export {} {}`",
                    pair.lang, pair.slug
                )),
            )
        })
        .collect()
}

/// A warning for every translation that does not record which version of its source it was
/// made from (`check` only): casebook cannot tell whether it is up to date.
pub fn unrecorded_warnings(site: &Site) -> Vec<Diagnostic> {
    pairs(site)
        .into_iter()
        .filter(|pair| pair.freshness == Freshness::Unrecorded)
        .map(|pair| {
            let file = pair.file.display();
            Diagnostic::new(
                Code::UnrecordedTranslation,
                format!(
                    "translation does not record which version of {} it was made from",
                    file_name(pair.source)
                ),
            )
            .at(Location::file(pair.file))
            .hint(format!(
                "if it says what {} says now, run `casebook translations mark {file}`: casebook then warns when the source changes",
                file_name(pair.source)
            ))
        })
        .collect()
}
