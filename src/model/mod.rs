//! The site model: practices grouped by slug with their translations, facets inherited and
//! checked across files, catalogue entries and facet terms per language. Pure data, no I/O.

pub mod links;
mod listing;
mod merge;
mod patch;
pub mod related;
mod site;
pub mod translations;

pub use patch::patch_bodies;
pub use site::*;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

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

    let lang_order = |lang: &str| {
        config
            .languages
            .iter()
            .position(|l| l == lang)
            .unwrap_or(usize::MAX)
    };
    let mut practices = Vec::with_capacity(practice_docs.len());
    let mut related_raw: Vec<Vec<Located<String>>> = Vec::new();
    let mut adapted_raw: Vec<Vec<Located<String>>> = Vec::new();
    for (slug, mut docs) in practice_docs {
        if broken.contains(&slug) {
            continue;
        }
        docs.sort_by_key(|d| (d.lang != config.default_language, lang_order(&d.lang)));
        match merge::merge(&config, slug, docs, &mut diags) {
            Some((p, rel, adapted)) => {
                practices.push(p);
                related_raw.push(rel);
                adapted_raw.push(adapted);
            }
            None => continue,
        }
    }
    // Explicit relations.
    let slugs: Vec<&str> = practices.iter().map(|p| p.slug.as_str()).collect();
    let index: HashMap<&str, usize> = slugs.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let mut explicit: Vec<Vec<usize>> = Vec::with_capacity(practices.len());
    for (i, rels) in related_raw.iter().enumerate() {
        let mut list = Vec::new();
        for r in rels {
            match index.get(r.value.as_str()) {
                Some(&j) if j == i => diags.push(
                    Diagnostic::new(
                        Code::UnknownRelated,
                        "a practice cannot be related to itself",
                    )
                    .at(r.location.clone())
                    .hint(format!("remove `{}` from `related`", r.value)),
                ),
                Some(&j) => {
                    if !list.contains(&j) {
                        list.push(j);
                    }
                }
                None if broken.contains(&r.value) => {}
                None => {
                    let hint = match crate::suggest::closest(&r.value, slugs.iter().copied()) {
                        Some(best) => format!("did you mean `{best}`? `related` lists practice slugs (file names without .md)"),
                        None => "`related` lists practice slugs: the file names in content/practices/ without .md".into(),
                    };
                    diags.push(
                        Diagnostic::new(
                            Code::UnknownRelated,
                            format!("no practice has the slug `{}`", r.value),
                        )
                        .at(r.location.clone())
                        .hint(hint),
                    );
                }
            }
        }
        explicit.push(list);
    }
    let adapted = adopters(&adapted_raw, &index, &slugs, broken, &mut diags);
    let mut adapted_from: Vec<Vec<usize>> = vec![Vec::new(); practices.len()];
    for (i, list) in adapted.iter().enumerate() {
        for a in list {
            // `i` grows, so a repeat can only be the last one pushed.
            if let Adopter::Practice(j) = a
                && adapted_from[*j].last() != Some(&i)
            {
                adapted_from[*j].push(i);
            }
        }
    }
    let ranking = related::Ranking::of(&practices);
    let (related, similar): (Vec<Vec<usize>>, Vec<Vec<usize>>) = (0..practices.len())
        .into_par_iter()
        .map(|i| {
            (
                ranking.pick(i, &explicit[i], MAX_RELATED),
                ranking.pick(i, &[], MAX_RELATED + MAX_RELATED),
            )
        })
        .unzip();
    for (i, (((p, e), r), a)) in practices
        .iter_mut()
        .zip(explicit)
        .zip(related)
        .zip(adapted)
        .enumerate()
    {
        p.similar = similar[i]
            .iter()
            .copied()
            .filter(|j| !e.contains(j))
            .take(MAX_RELATED)
            .collect();
        p.related_explicit = e;
        p.related = r;
        p.adapted_by = a;
        p.adapted_from = std::mem::take(&mut adapted_from[i]);
    }

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
    let listings = config
        .languages
        .iter()
        .map(|l| (l.clone(), listing::listing(&config, &practices, l)))
        .collect();
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

/// Resolves `adapted_by` entries: a slug-shaped entry (lowercase letters, digits and
/// hyphens) must name a practice; anything else (`Terrassa`, `L'Hospitalet`) is a name.
fn adopters(
    raw: &[Vec<Located<String>>],
    index: &HashMap<&str, usize>,
    slugs: &[&str],
    broken: &BTreeSet<String>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Vec<Adopter>> {
    raw.iter()
        .enumerate()
        .map(|(i, entries)| {
            let mut list = Vec::new();
            for a in entries {
                let adopter = match index.get(a.value.as_str()) {
                    Some(&j) if j == i => {
                        diags.push(
                            Diagnostic::new(
                                Code::UnknownRelated,
                                "a practice cannot be adapted by itself",
                            )
                            .at(a.location.clone())
                            .hint(format!("remove `{}` from `adapted_by`", a.value)),
                        );
                        continue;
                    }
                    Some(&j) => Adopter::Practice(j),
                    None if broken.contains(&a.value) => continue,
                    None if crate::input::config::is_slug(&a.value) => {
                        let hint = match crate::suggest::closest(&a.value, slugs.iter().copied()) {
                            Some(best) => format!("did you mean `{best}`? An entry written like a slug must be a practice's file name; write a city with its capitals (`Terrassa`)"),
                            None => "an entry written like a slug (lowercase, hyphens) must be a practice's file name without .md; write a city with its capitals (`Terrassa`)".into(),
                        };
                        diags.push(
                            Diagnostic::new(
                                Code::UnknownRelated,
                                format!("no practice has the slug `{}`", a.value),
                            )
                            .at(a.location.clone())
                            .hint(hint),
                        );
                        continue;
                    }
                    None => Adopter::Named(a.value.clone()),
                };
                if !list.contains(&adopter) {
                    list.push(adopter);
                }
            }
            list
        })
        .collect()
}
