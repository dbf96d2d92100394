//! The catalogue index of every language, kept or made before the pages that name it.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::Urgency;
use crate::diagnostics::Diagnostic;
use crate::images::Images;
use crate::incremental::{BuildState, Fingerprints};
use crate::index::{self, IndexUrls};
use crate::model::Site;
use crate::output::{FileRecord, Records, Sink};
use crate::plan::Dep;
use crate::render;
use crate::theme::Theme;
use crate::theme::i18n::I18n;

/// The catalogue index of every language: kept when what it is made of did not change,
/// else built (in parallel) and written. Returns where each is.
#[allow(clippy::too_many_arguments)]
pub(super) fn indexes(
    site: &Site,
    i18n: &I18n,
    theme: &Theme,
    prints: &Fingerprints,
    last: &BuildState,
    sink: &dyn Sink,
    (urgency, needed): (&Urgency, &HashSet<usize>),
    images: &Images,
    search: SearchCache,
    records: &mut Records,
    groups: &mut HashMap<String, Vec<String>>,
) -> Result<(Vec<IndexUrls>, usize), Vec<Diagnostic>> {
    let labels = |tax, key: &str, lang: &str| {
        render::context::term_label(&site.config, i18n, tax, key, lang)
    };
    let results: Vec<Result<Option<LanguageIndexFiles>, Diagnostic>> = site
        .config
        .languages
        .par_iter()
        .enumerate()
        .map(|(li, lang)| {
            let name = format!("{lang}/search/");
            let deps = [
                Dep::Entries(li),
                Dep::Bodies(li),
                Dep::Listing {
                    lang: li,
                    term: None,
                },
                Dep::Facets(li),
            ];
            let made_from = prints.made_from(&name, None, &deps, None);
            // The cards and the map show what the entries show, not their bodies: a body
            // edit keeps them.
            let entries_from = prints.made_from(&name, None, &[Dep::Entries(li)], None);
            let made_from_of = |f: &str| {
                if index::shows_entries_only(f) {
                    entries_from
                } else {
                    made_from
                }
            };
            let recorded = last.indexes.iter().find(|i| &i.lang == lang);
            let files = last.groups.get(&name);
            let mut kept = Vec::new();
            if let (Some(urls), Some(files)) = (recorded, files) {
                for f in files {
                    match sink.keep(f, made_from_of(f))? {
                        Some(r) => kept.push((f.clone(), r)),
                        None => break,
                    }
                }
                if kept.len() == files.len() {
                    return Ok(Some((urls.clone(), kept, false)));
                }
                // Those that show the entries only, if they can be kept, are.
                kept.retain(|(f, _)| index::shows_entries_only(f));
                for f in files {
                    if index::shows_entries_only(f)
                        && !kept.iter().any(|(k, _)| k == f)
                        && let Some(r) = sink.keep(f, entries_from)?
                    {
                        kept.push((f.clone(), r));
                    }
                }
                if urgency.defer_files {
                    // Left as it is, for later: the old files under their old names.
                    let old: Files = files
                        .iter()
                        .filter_map(|f| last.files.get(f).map(|r| (f.clone(), *r)))
                        .collect();
                    return Ok(Some((urls.clone(), old, true)));
                }
            } else if urgency.defer_indexes && !needed.contains(&li) {
                // Never made: made later, with the catalogue pages that name it.
                return Ok(None);
            }
            // The search terms of the entries unchanged since they were saved are taken
            // as saved; those read anew are saved for the next build.
            let terms_file = search.dir.join(lang);
            let bytes = crate::incremental::cache::map(&terms_file).ok();
            let saved = index::SavedTerms {
                bytes: bytes.as_deref().unwrap_or_default(),
                settings: search.settings,
            };
            let kept_paths: Vec<String> = kept.iter().map(|(f, _)| f.clone()).collect();
            let (built, terms) = index::language(
                site,
                lang,
                &labels,
                (theme.map.as_ref(), Some(images)),
                &kept_paths,
                saved,
            );
            drop(bytes);
            if let Some(terms) = terms {
                let _ = crate::incremental::cache::write_whole(&terms_file, &terms);
            }
            let mut written = kept;
            for f in &built.files {
                let record = sink.write(&f.path, &[&f.bytes], made_from_of(&f.path))?;
                written.push((f.path.clone(), record));
            }
            Ok(Some((built.urls(), written, false)))
        })
        .collect();
    let mut urls = Vec::new();
    let mut errors = Vec::new();
    let mut pending = 0;
    for r in results {
        match r {
            Ok(None) => pending += 1,
            Ok(Some((u, files, deferred))) => {
                pending += usize::from(deferred);
                groups.insert(
                    format!("{}/search/", u.lang),
                    files.iter().map(|(f, _)| f.clone()).collect(),
                );
                records.extend(files);
                urls.push(u);
            }
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok((urls, pending))
    } else {
        Err(errors)
    }
}

/// Where the search terms of each language are cached, and a hash of the build's settings
/// (see [`index::SavedTerms`]).
#[derive(Debug, Clone, Copy)]
pub(super) struct SearchCache<'a> {
    pub dir: &'a std::path::Path,
    pub settings: u64,
}

/// Files with their records.
pub(super) type Files = Vec<(String, FileRecord)>;

/// A language's index: where it is, its files, and whether they were left for later.
type LanguageIndexFiles = (IndexUrls, Files, bool);
