//! What changed since the last good rebuild: templates, UI strings, and the body-only fast
//! path that patches the last good model (the fingerprints are [`crate::incremental::fingerprints`]'s).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::{Cached, Dirty, Good, Session};
use crate::diagnostics::Diagnostic;
use crate::document::Document;
use crate::incremental::fingerprints::{page_prints, practice_prints};
use crate::input::content::Section;
use crate::model::Site;
use crate::model::links::{self, Body};
use crate::theme::Theme;

pub(super) fn same_strings(a: &Theme, b: &Theme) -> bool {
    a.i18n_files.len() == b.i18n_files.len()
        && a.i18n_files
            .iter()
            .zip(&b.i18n_files)
            .all(|(x, y)| x.rel == y.rel && x.text == y.text)
}

/// Templates added, removed or edited between two themes.
pub(super) fn changed_templates(old: &Theme, new: &Theme) -> BTreeSet<String> {
    let edited = old
        .templates
        .iter()
        .filter(|(n, t)| new.templates.get(*n).is_none_or(|x| x.text != t.text))
        .map(|(n, _)| n.clone());
    let added = new
        .templates
        .keys()
        .filter(|n| !old.templates.contains_key(*n))
        .cloned();
    edited.chain(added).collect()
}

impl Session {
    /// Whether the only changes since the good build are in the bodies of files it holds.
    pub(super) fn body_only(&self, g: &Good) -> bool {
        !self.inputs.tree_changed
            && self.inputs.changed.iter().all(|key| {
                let Some(Cached::Read {
                    result: Ok(doc), ..
                }) = self.inputs.files.get(key)
                else {
                    return false;
                };
                match doc {
                    Document::Practice(d) => g
                        .site
                        .practice_index(&d.slug)
                        .and_then(|i| g.site.practices[i].version(&d.lang))
                        .is_some_and(|v| {
                            v.doc.rel == d.rel && v.doc.front_matter_hash == d.front_matter_hash
                        }),
                    Document::Page(d) => page_index(&g.site, &d.slug)
                        .and_then(|i| g.site.pages[i].versions.get(&d.lang))
                        .is_some_and(|v| {
                            v.rel == d.rel && v.front_matter_hash == d.front_matter_hash
                        }),
                    Document::BrokenDraft(_) => false,
                }
            })
    }
}

pub(super) fn page_index(site: &Site, slug: &str) -> Option<usize> {
    site.pages
        .binary_search_by(|p| p.slug.as_str().cmp(slug))
        .ok()
}

/// Swaps the changed bodies into the good model, resolving their links, and marks their
/// pages dirty. Nothing changes if a link does not resolve.
pub(super) fn patch_bodies(
    g: &mut Good,
    files: &BTreeMap<(Section, PathBuf), Cached>,
    changed: &BTreeSet<(Section, PathBuf)>,
    dirty: &mut Dirty,
) -> Result<(), Vec<Diagnostic>> {
    let changed: Vec<&Document> = changed
        .iter()
        .filter_map(|k| match files.get(k) {
            Some(Cached::Read { result: Ok(d), .. }) => Some(d),
            _ => None,
        })
        .collect();
    let mut resolved = Vec::new();
    let mut errors = Vec::new();
    for doc in &changed {
        let body = match doc {
            Document::Practice(p) => Body::practice(p),
            Document::Page(p) => Body::page(p),
            Document::BrokenDraft(_) => {
                resolved.push(None);
                continue;
            }
        };
        let (html, d) = links::resolve_body(&g.site.config, &g.site.practices, &g.site.pages, body);
        errors.extend(d);
        resolved.push(html);
    }
    if errors.iter().any(Diagnostic::is_error) {
        return Err(errors);
    }
    for (doc, html) in changed.into_iter().zip(resolved) {
        match doc {
            Document::Practice(p) => {
                let mut p = (**p).clone();
                if let Some(html) = html {
                    std::sync::Arc::make_mut(&mut p.body).html = html;
                }
                let Some(i) = g.site.practice_index(&p.slug) else {
                    continue;
                };
                if let Some(v) = g.site.practices[i]
                    .versions
                    .iter_mut()
                    .find(|v| v.doc.lang == p.lang)
                {
                    v.doc = p;
                }
                let prints = practice_prints(&g.site, &g.site.practices[i]);
                let slug = g.site.practices[i].slug.clone();
                g.prints.practices.insert(slug.clone(), prints);
                dirty.render.practices.insert(slug);
            }
            Document::Page(p) => {
                let mut p = (**p).clone();
                if let Some(html) = html {
                    std::sync::Arc::make_mut(&mut p.body).html = html;
                }
                let Some(i) = page_index(&g.site, &p.slug) else {
                    continue;
                };
                g.site.pages[i].versions.insert(p.lang.clone(), p);
                let slug = g.site.pages[i].slug.clone();
                g.prints
                    .pages
                    .insert(slug.clone(), page_prints(&g.site.pages[i].versions));
                dirty.render.pages.insert(slug);
            }
            Document::BrokenDraft(_) => {}
        }
    }
    Ok(())
}
