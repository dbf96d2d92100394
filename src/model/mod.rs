//! The site model: practices grouped by slug with their translations, facets inherited and
//! checked across files, catalogue entries and facet terms per language. Pure data, no I/O.

pub mod links;
mod listing;
mod merge;
mod patch;
pub mod related;
mod site;
pub mod translations;

pub use patch::{Patched, patch};
pub use site::*;

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::document::{Document, Located, PageDoc, PracticeDoc};
use crate::input::config::Config;
use crate::input::content::Section;

/// Builds the model from parsed documents. `drafts` keeps drafts in; without it, the
/// problems of a draft are warnings. `broken` holds the slugs of practice files that failed
/// to parse: their other files are not checked against them, and links to them are not
/// reported, so one mistake gives one error.
pub fn build(
    config: Config,
    docs: Vec<Document>,
    drafts: bool,
    broken: &BTreeSet<String>,
) -> (Option<Site>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut practice_docs: BTreeMap<String, Vec<PracticeDoc>> = BTreeMap::new();
    let mut page_docs: BTreeMap<String, BTreeMap<String, PageDoc>> = BTreeMap::new();
    let mut broken = broken.clone();
    // Drafts left out of this build, so that a link to one says so.
    let mut left_out: BTreeSet<(Section, String)> = BTreeSet::new();
    for doc in docs {
        match doc {
            Document::Practice(p) if drafts || !p.draft => {
                let list = practice_docs.entry(p.slug.clone()).or_default();
                if let Some(other) = list.iter().find(|o| o.lang == p.lang) {
                    diags.push(merge::duplicate(&p.rel, &other.rel, &p.slug, &p.lang));
                } else {
                    list.push(*p);
                }
            }
            Document::Page(p) if drafts || !p.draft => {
                if RESERVED_SLUGS.contains(&p.slug.as_str()) || config.has_language(&p.slug) {
                    diags.push(
                        Diagnostic::new(
                            Code::BadFileName,
                            format!(
                                "a page cannot be called `{}`: the URL is used by the catalogue",
                                p.slug
                            ),
                        )
                        .at(Location::file(&p.rel))
                        .hint(format!(
                            "rename the file; reserved names: {}, and the language codes",
                            RESERVED_SLUGS.join(", ")
                        )),
                    );
                    continue;
                }
                let versions = page_docs.entry(p.slug.clone()).or_default();
                if let Some(other) = versions.get(&p.lang) {
                    diags.push(merge::duplicate(&p.rel, &other.rel, &p.slug, &p.lang));
                } else {
                    versions.insert(p.lang.clone(), *p);
                }
            }
            Document::BrokenDraft(d) if drafts => {
                if d.section == Section::Practices {
                    broken.insert(d.slug.clone());
                }
                diags.extend(d.problems);
            }
            Document::BrokenDraft(d) => {
                left_out.insert((d.section, d.slug.clone()));
                diags.extend(d.warnings());
            }
            Document::Placeholder(p) => diags.push(p.warning()),
            Document::Practice(p) => {
                left_out.insert((Section::Practices, p.slug));
            }
            Document::Page(p) => {
                left_out.insert((Section::Pages, p.slug));
            }
        }
    }
    let broken = &broken;

    let mut practices = Vec::with_capacity(practice_docs.len());
    let mut related_raw: Vec<Vec<Located<String>>> = Vec::with_capacity(practice_docs.len());
    let mut adapted_raw: Vec<Vec<Located<String>>> = Vec::with_capacity(practice_docs.len());
    // One by one: each practice's files are moved into it (merging them in parallel holds
    // the files and the practices at once, 30 MB more at 10,000 practices, for no time
    // gained while the build's other threads are busy).
    for (slug, mut docs) in practice_docs {
        if broken.contains(&slug) {
            continue;
        }
        merge::sort_files(&config, &mut docs);
        if let Some((p, rel, adapted)) = merge::merge(&config, slug, docs, &mut diags) {
            practices.push(p);
            related_raw.push(rel);
            adapted_raw.push(adapted);
        }
    }
    // Relations.
    let slugs = related::Slugs {
        slugs: practices.iter().map(|p| p.slug.as_str()).collect(),
        broken,
    };
    let relations: Vec<(Vec<usize>, Vec<Adopter>)> = related_raw
        .iter()
        .zip(&adapted_raw)
        .enumerate()
        .map(|(i, (rels, adapted))| {
            (
                slugs.explicit(i, rels, &mut diags),
                slugs.adopters(i, adapted, &mut diags),
            )
        })
        .collect();
    drop(slugs);
    for (p, (explicit, adopters)) in practices.iter_mut().zip(relations) {
        p.related_explicit = explicit;
        p.adapted_by = adopters;
    }
    related::relate(&mut practices);

    let mut pages: Vec<Page> = page_docs
        .into_iter()
        .map(|(slug, versions)| Page { slug, versions })
        .collect();
    diags.extend(crate::model::links::rewrite(
        &config,
        &mut practices,
        &mut pages,
        &left_out,
    ));
    let listings = listing::listings(&config, &practices);
    if diags.iter().any(Diagnostic::is_error) {
        return (None, diags);
    }
    (
        Some(Site {
            config,
            practices,
            pages,
            listings,
        }),
        diags,
    )
}
