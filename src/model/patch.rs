//! A model with new bodies swapped in, for files whose front matter did not change: what
//! `serve` does after an editor saves the text of a practice, instead of building the
//! model anew.

use crate::diagnostics::Diagnostic;
use crate::document::Document;

use super::links::{self, Body};
use super::site::Site;

/// Swaps `docs` into the model: new versions of files it holds whose front matter is as
/// the model has it (only their bodies changed), their links resolved as [`super::build`]
/// resolves them. `Ok(false)`, with the model unchanged, when one of them is not such a
/// file (a new file, a draft left out, another front matter): build the model anew. The
/// links' problems, with the model unchanged, when a link does not resolve.
pub fn patch_bodies(site: &mut Site, docs: &[Document]) -> Result<bool, Vec<Diagnostic>> {
    let mut places = Vec::with_capacity(docs.len());
    for doc in docs {
        let place = match doc {
            Document::Practice(d) => site.practice_index(&d.slug).and_then(|i| {
                let v = site.practices[i]
                    .versions
                    .iter()
                    .position(|v| v.doc.lang == d.lang)?;
                let old = &site.practices[i].versions[v].doc;
                (old.rel == d.rel && old.front_matter_hash == d.front_matter_hash).then_some((i, v))
            }),
            Document::Page(d) => site
                .pages
                .binary_search_by(|p| p.slug.as_str().cmp(&d.slug))
                .ok()
                .filter(|&i| {
                    site.pages[i].versions.get(&d.lang).is_some_and(|old| {
                        old.rel == d.rel && old.front_matter_hash == d.front_matter_hash
                    })
                })
                .map(|i| (i, 0)),
            Document::BrokenDraft(_) | Document::Placeholder(_) => None,
        };
        match place {
            Some(p) => places.push(p),
            None => return Ok(false),
        }
    }
    let mut problems = Vec::new();
    for doc in docs {
        let body = match doc {
            Document::Practice(d) => Body::practice(d),
            Document::Page(d) => Body::page(d),
            Document::BrokenDraft(_) | Document::Placeholder(_) => continue,
        };
        let (_, d) = links::resolve_body(&site.config, &site.practices, &site.pages, body);
        problems.extend(d);
    }
    if problems.iter().any(Diagnostic::is_error) {
        return Err(problems);
    }
    for (doc, (i, v)) in docs.iter().zip(places) {
        match doc {
            Document::Practice(d) => site.practices[i].versions[v].doc = (**d).clone(),
            Document::Page(d) => {
                site.pages[i].versions.insert(d.lang.clone(), (**d).clone());
            }
            Document::BrokenDraft(_) | Document::Placeholder(_) => {}
        }
    }
    Ok(true)
}
