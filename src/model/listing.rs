//! Each language's catalogue: which practices it lists, in which order, and the terms of
//! every facet with their entries.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::input::config::{Config, Untranslated};
use crate::input::dates::PartialDate;

use super::site::{Entry, Listing, Practice, Taxonomy, TermList, Version};

/// Sort key for catalogue order: newest first, then by title and slug.
fn entry_key<'a>(
    p: &'a Practice,
    v: &'a Version,
) -> (std::cmp::Reverse<PartialDate>, String, &'a str) {
    (
        std::cmp::Reverse(v.published),
        v.title.to_lowercase(),
        &p.slug,
    )
}

/// The catalogue of every language of the site.
pub(super) fn listings(config: &Config, practices: &[Practice]) -> BTreeMap<String, Listing> {
    config
        .languages
        .par_iter()
        .map(|l| (l.clone(), listing(config, practices, l)))
        .collect()
}

/// Whether two versions of a practice sit in every listing alike: the same catalogue
/// order (each version's date and title) and the same terms of every facet. Their
/// languages must be the same.
pub(super) fn lists_alike(config: &Config, a: &Practice, b: &Practice) -> bool {
    a.versions.len() == b.versions.len()
        && a.versions
            .iter()
            .zip(&b.versions)
            .all(|(va, vb)| entry_key(a, va) == entry_key(b, vb))
        && Taxonomy::of_site(config)
            .into_iter()
            .all(|t| t.terms_of(a, config) == t.terms_of(b, config))
}

fn listing(config: &Config, practices: &[Practice], lang: &str) -> Listing {
    let mut entries: Vec<Entry> = Vec::with_capacity(practices.len());
    for (i, p) in practices.iter().enumerate() {
        match p.versions.iter().position(|v| v.doc.lang == lang) {
            Some(v) => entries.push(Entry {
                practice: i,
                version: v,
                fallback: false,
            }),
            None if config.untranslated == Untranslated::Fallback => {
                // The first language of the chain that has a version, else the first version.
                let v = config
                    .fallbacks(lang)
                    .iter()
                    .find_map(|l| p.versions.iter().position(|v| v.doc.lang == *l))
                    .unwrap_or(0);
                entries.push(Entry {
                    practice: i,
                    version: v,
                    fallback: true,
                });
            }
            None => {}
        }
    }
    let mut keyed: Vec<_> = entries
        .into_iter()
        .map(|e| {
            let p = &practices[e.practice];
            (entry_key(p, &p.versions[e.version]), e)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    let entries: Vec<Entry> = keyed.into_iter().map(|(_, e)| e).collect();

    let taxonomies = Taxonomy::of_site(config)
        .into_iter()
        .map(|taxonomy| {
            let mut terms: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for (i, e) in entries.iter().enumerate() {
                for t in taxonomy.terms_of(&practices[e.practice], config) {
                    terms.entry(t).or_default().push(i);
                }
            }
            let mut terms: Vec<(String, Vec<usize>)> = terms.into_iter().collect();
            let position = |key: &str| {
                taxonomy
                    .term_position(key, config)
                    .unwrap_or(if taxonomy == Taxonomy::Countries {
                        0
                    } else {
                        usize::MAX
                    })
            };
            terms.sort_by(|a, b| {
                position(&a.0)
                    .cmp(&position(&b.0))
                    .then_with(|| a.0.cmp(&b.0))
            });
            TermList { taxonomy, terms }
        })
        .collect();
    Listing {
        entries,
        taxonomies,
    }
}
