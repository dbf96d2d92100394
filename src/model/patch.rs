//! A model with new versions of some of its files swapped in: what `serve` does after an
//! editor saves a practice, instead of building the model anew. A body edit swaps the
//! body in; a front-matter edit merges that practice again, and the whole-site steps
//! (relations, listings) run again only when what they read of it changed.

use std::collections::BTreeSet;

use crate::diagnostics::Diagnostic;
use crate::document::{Document, PracticeDoc};

use super::links::{self, Body};
use super::site::{Practice, Site};
use super::{listing, merge, related};

/// What [`patch`] changed besides bodies.
#[derive(Debug, Default)]
pub struct Patched {
    /// The practices merged again from new front matter (indices).
    pub practices: Vec<usize>,
    /// Whether the listings or the practices' relations changed with them: what depends
    /// on them (the render plan) must be made again.
    pub structure: bool,
    /// Whether the practices' relations changed: any practice may then have changed.
    pub relations: bool,
    /// The practices given a new body only (indices).
    pub bodies: Vec<usize>,
}

/// Where a new version of a file goes in the model.
enum Place {
    /// Version `1` of practice `0`, with its front matter as it was.
    Body(usize, usize),
    /// A version of practice `0`, with new front matter.
    FrontMatter(usize),
    /// The page `0`, with its front matter as it was.
    Page(usize),
}

/// Swaps `docs` into the model: new versions of files it holds, their links resolved as
/// [`super::build`] resolves them. `Ok(None)`, with the model unchanged, when that cannot
/// be done in place and the model must be built anew: a new file, a draft left out
/// (`drafts` false), a page's new front matter, a practice whose front matter gives a
/// problem or had one (`warned` tells whether the model had a warning in a file), or whose
/// files did not all parse (`broken`). The links' problems, with the model unchanged, when
/// a link of a new body does not resolve.
pub fn patch(
    site: &mut Site,
    docs: &[Document],
    drafts: bool,
    broken: &BTreeSet<String>,
    warned: impl Fn(&std::path::Path) -> bool,
) -> Result<Option<Patched>, Vec<Diagnostic>> {
    let mut places = Vec::with_capacity(docs.len());
    for doc in docs {
        let Some(place) = place(site, doc) else {
            return Ok(None);
        };
        if let (Place::FrontMatter(i), Document::Practice(d)) = (&place, doc) {
            let p = &site.practices[*i];
            if (d.draft && !drafts)
                || broken.contains(&p.slug)
                || p.versions.iter().any(|v| warned(&v.doc.rel))
            {
                return Ok(None);
            }
        }
        places.push(place);
    }
    // A practice with new front matter is merged again from all its new files.
    let mut remerged: Vec<usize> = places
        .iter()
        .filter_map(|p| match p {
            Place::FrontMatter(i) => Some(*i),
            _ => None,
        })
        .collect();
    remerged.sort_unstable();
    remerged.dedup();
    for place in &mut places {
        if let Place::Body(i, _) = *place
            && remerged.binary_search(&i).is_ok()
        {
            *place = Place::FrontMatter(i);
        }
    }
    let mut merged: Vec<(usize, Practice)> = Vec::with_capacity(remerged.len());
    for i in remerged {
        let files: Vec<&PracticeDoc> = docs
            .iter()
            .zip(&places)
            .filter_map(|(doc, place)| match (doc, place) {
                (Document::Practice(d), Place::FrontMatter(j)) if *j == i => Some(&**d),
                _ => None,
            })
            .collect();
        match remerge(site, i, &files, broken) {
            Some(p) => merged.push((i, p)),
            None => return Ok(None),
        }
    }
    // The new bodies' links.
    let mut problems = Vec::new();
    for (doc, place) in docs.iter().zip(&places) {
        let body = match (doc, place) {
            (Document::Practice(d), Place::Body(..)) => Body::practice(d),
            (Document::Page(d), Place::Page(_)) => Body::page(d),
            _ => continue,
        };
        let (_, d) = links::resolve_body(&site.config, &site.practices, &site.pages, body);
        problems.extend(d);
    }
    if problems.iter().any(Diagnostic::is_error) {
        return Err(problems);
    }
    // Nothing failed: the model changes.
    let mut patched = Patched::default();
    for (doc, place) in docs.iter().zip(&places) {
        match (doc, place) {
            (Document::Practice(d), Place::Body(i, v)) => {
                site.practices[*i].versions[*v].doc = (**d).clone();
                patched.bodies.push(*i);
            }
            (Document::Page(d), Place::Page(i)) => {
                site.pages[*i]
                    .versions
                    .insert(d.lang.clone(), (**d).clone());
            }
            _ => {}
        }
    }
    let (mut relations, mut listings) = (false, false);
    for (i, mut p) in merged {
        let old = &site.practices[i];
        relations |= p.related_explicit != old.related_explicit
            || p.adapted_by != old.adapted_by
            || !related::ranks_alike(&p, old);
        listings |= !listing::lists_alike(&site.config, &p, old);
        p.related = old.related.clone();
        p.similar = old.similar.clone();
        p.adapted_from = old.adapted_from.clone();
        site.practices[i] = p;
        patched.practices.push(i);
    }
    if relations {
        related::relate(&mut site.practices);
    }
    if listings {
        site.listings = listing::listings(&site.config, &site.practices);
    }
    patched.structure = relations || listings;
    patched.relations = relations;
    Ok(Some(patched))
}

/// Where `doc` goes in the model, when it is a new version of a file the model holds.
fn place(site: &Site, doc: &Document) -> Option<Place> {
    match doc {
        Document::Practice(d) => {
            let i = site.practice_index(&d.slug)?;
            let v = site.practices[i]
                .versions
                .iter()
                .position(|v| v.doc.lang == d.lang)?;
            let old = &site.practices[i].versions[v].doc;
            if old.rel != d.rel {
                return None;
            }
            Some(if old.front_matter_hash == d.front_matter_hash {
                Place::Body(i, v)
            } else {
                Place::FrontMatter(i)
            })
        }
        Document::Page(d) => {
            let i = site
                .pages
                .binary_search_by(|p| p.slug.as_str().cmp(&d.slug))
                .ok()?;
            let old = site.pages[i].versions.get(&d.lang)?;
            (old.rel == d.rel && old.front_matter_hash == d.front_matter_hash)
                .then_some(Place::Page(i))
        }
        Document::BrokenDraft(_) | Document::Placeholder(_) => None,
    }
}

/// Practice `i` merged again with the new versions `files` of some of its files, as
/// [`super::build`] merges it, with its explicit relations resolved; `None` when that
/// gives any problem or changes its languages.
fn remerge(
    site: &Site,
    i: usize,
    files: &[&PracticeDoc],
    broken: &BTreeSet<String>,
) -> Option<Practice> {
    let old = &site.practices[i];
    let mut docs: Vec<PracticeDoc> = old
        .versions
        .iter()
        .map(|v| {
            let new = files.iter().find(|d| d.lang == v.doc.lang);
            new.map_or_else(|| v.doc.clone(), |d| (*d).clone())
        })
        .collect();
    merge::sort_files(&site.config, &mut docs);
    let mut diags = Vec::new();
    // The new files' links, resolved as the model resolves them.
    for d in docs.iter_mut() {
        if !files.iter().any(|f| f.lang == d.lang) {
            continue;
        }
        let (html, problems) = links::resolve_body(
            &site.config,
            &site.practices,
            &site.pages,
            Body::practice(d),
        );
        diags.extend(problems);
        if let Some(html) = html
            && !d.body.html_deferred
        {
            std::sync::Arc::make_mut(&mut d.body).html = html;
        }
    }
    let (mut p, related, adapted) = merge::merge(&site.config, old.slug.clone(), docs, &mut diags)?;
    let slugs = related::Slugs {
        slugs: site.practices.iter().map(|p| p.slug.as_str()).collect(),
        broken,
    };
    p.related_explicit = slugs.explicit(i, &related, &mut diags);
    p.adapted_by = slugs.adopters(i, &adapted, &mut diags);
    let same_languages = p.versions.len() == old.versions.len()
        && p.versions
            .iter()
            .zip(&old.versions)
            .all(|(a, b)| a.doc.lang == b.doc.lang);
    (diags.is_empty() && same_languages).then_some(p)
}
