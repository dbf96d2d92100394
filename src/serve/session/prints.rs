//! What changed: fingerprints of what each practice and page shows, the templates a change
//! reaches, and the body-only fast path that patches the last good model.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use super::{Cached, Dirty, Good, Prints, Session, Written};
use crate::diagnostics::Diagnostic;
use crate::document::{self, Document};
use crate::links::{self, Body};
use crate::model::{Adopter, Entry, Practice, Site};
use crate::plan::{Dep, PageKind, Planned};
use crate::source::Section;
use crate::theme::Theme;

pub(super) fn hash_value<T: Hash + ?Sized>(v: &T) -> u64 {
    let mut h = Xxh3::new();
    v.hash(&mut h);
    h.finish()
}

/// The page templates that use `changed` templates, themselves or through `extends`,
/// `include` or `import` (seen as quoted template names in the templates' text). The card
/// template reaches every template: its HTML is in every card (`card.html`).
pub(super) fn templates_using(theme: &Theme, changed: &BTreeSet<String>) -> HashSet<String> {
    if changed.contains(crate::render::context::CARD_TEMPLATE) {
        return theme.templates.keys().cloned().collect();
    }
    let uses: HashMap<&str, Vec<&str>> = theme
        .templates
        .iter()
        .map(|(name, file)| {
            let used = theme
                .templates
                .keys()
                .filter(|n| {
                    file.text.contains(&format!("\"{n}\"")) || file.text.contains(&format!("'{n}'"))
                })
                .map(String::as_str)
                .collect();
            (name.as_str(), used)
        })
        .collect();
    let mut out = HashSet::new();
    for name in theme.templates.keys() {
        let mut seen = HashSet::new();
        let mut stack = vec![name.as_str()];
        while let Some(t) = stack.pop() {
            if !seen.insert(t) {
                continue;
            }
            if changed.contains(t) {
                out.insert(name.clone());
                break;
            }
            stack.extend(uses.get(t).into_iter().flatten().copied());
        }
    }
    out
}

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

pub(super) fn page_prints(versions: &BTreeMap<String, document::PageDoc>) -> u64 {
    let parts: Vec<(&str, u64, &str)> = versions
        .values()
        .map(|d| (d.lang.as_str(), d.front_matter_hash, d.body.html.as_str()))
        .collect();
    hash_value(&parts)
}

/// (own pages, card) fingerprints of one practice.
pub(super) fn practice_prints(site: &Site, p: &Practice) -> (u64, u64) {
    let card: Vec<(&str, u64)> = p
        .versions
        .iter()
        .map(|v| (v.doc.lang.as_str(), v.doc.front_matter_hash))
        .collect();
    let card = hash_value(&card);
    let slugs = |list: &[usize]| -> Vec<&str> {
        list.iter()
            .map(|&i| site.practices[i].slug.as_str())
            .collect()
    };
    let adopters: Vec<String> = p
        .adapted_by
        .iter()
        .map(|a| match a {
            Adopter::Practice(i) => format!("p:{}", site.practices[*i].slug),
            Adopter::Named(n) => format!("n:{n}"),
        })
        .collect();
    let bodies: Vec<&str> = p
        .versions
        .iter()
        .map(|v| v.doc.body.html.as_str())
        .collect();
    let page = hash_value(&(
        card,
        bodies,
        slugs(&p.related),
        slugs(&p.related_explicit),
        slugs(&p.similar),
        slugs(&p.adapted_from),
        adopters,
    ));
    (page, card)
}

impl Prints {
    pub(super) fn of(site: &Site) -> Prints {
        let mut structure: Vec<String> = site
            .practices
            .iter()
            .map(|p| {
                let langs: Vec<&str> = p.versions.iter().map(|v| v.doc.lang.as_str()).collect();
                format!("practice {} {}", p.slug, langs.join(","))
            })
            .collect();
        for p in &site.pages {
            for d in p.versions.values() {
                structure.push(format!(
                    "page {} {} {:x}",
                    p.slug, d.lang, d.front_matter_hash
                ));
            }
        }
        let mut listings = HashMap::new();
        let mut facets = HashMap::new();
        for (li, lang) in site.config.languages.iter().enumerate() {
            let listing = &site.listings[lang];
            let slug = |e: &Entry| {
                let p = &site.practices[e.practice];
                (
                    p.slug.as_str(),
                    p.versions[e.version].doc.lang.as_str(),
                    e.fallback,
                )
            };
            let all: Vec<_> = listing.entries.iter().map(slug).collect();
            listings.insert(listing_key(site, li, None), hash_value(&all));
            let mut terms = Vec::new();
            for (ti, list) in listing.taxonomies.iter().enumerate() {
                for (termi, (key, entries)) in list.terms.iter().enumerate() {
                    let held: Vec<_> = entries.iter().map(|&e| slug(&listing.entries[e])).collect();
                    listings.insert(listing_key(site, li, Some((ti, termi))), hash_value(&held));
                    terms.push((list.taxonomy.slug(), key.as_str(), entries.len()));
                }
            }
            facets.insert(lang.clone(), hash_value(&terms));
        }
        Prints {
            listings,
            facets,
            structure: hash_value(&structure),
            practices: site
                .practices
                .par_iter()
                .map(|p| (p.slug.clone(), practice_prints(site, p)))
                .collect(),
            pages: site
                .pages
                .iter()
                .map(|p| (p.slug.clone(), page_prints(&p.versions)))
                .collect(),
        }
    }

    /// Marks in `dirty` what differs from `old`; anything structural marks everything.
    pub(super) fn compare(&self, old: &Prints, dirty: &mut Dirty) {
        if old.structure != self.structure {
            dirty.all = true;
            return;
        }
        for (slug, (page, card)) in &self.practices {
            let (old_page, old_card) = old.practices.get(slug).copied().unwrap_or_default();
            if *page != old_page {
                dirty.practices.insert(slug.clone());
            }
            if *card != old_card {
                dirty.cards.insert(slug.clone());
                dirty.catalogue = true;
            }
        }
        for (slug, print) in &self.pages {
            if old.pages.get(slug) != Some(print) {
                dirty.pages.insert(slug.clone());
            }
        }
        for (key, print) in &self.listings {
            if old.listings.get(key) != Some(print) {
                dirty.listings.insert(key.clone());
            }
        }
        for (lang, print) in &self.facets {
            if old.facets.get(lang) != Some(print) {
                dirty.facets.insert(lang.clone());
            }
        }
    }
}

/// The language of a catalogue page.
pub(super) fn catalogue_lang(kind: &PageKind) -> Option<usize> {
    match *kind {
        PageKind::Catalogue { lang, .. } => Some(lang),
        _ => None,
    }
}

/// Whether `page` must be rendered again.
pub(super) fn needs_render(
    site: &Site,
    page: &Planned,
    dirty: &Dirty,
    index_langs: &HashSet<usize>,
    new_pages: Option<&HashMap<String, Written>>,
) -> bool {
    if dirty.all
        || dirty.templates.contains(page.kind.template())
        || catalogue_lang(&page.kind).is_some_and(|l| index_langs.contains(&l))
        || new_pages.is_some_and(|tree| !tree.contains_key(&page.file()))
    {
        return true;
    }
    page.deps.iter().any(|dep| match *dep {
        Dep::Practice(i) => dirty.practices.contains(&site.practices[i].slug),
        Dep::Card(i) => !dirty.cards.is_empty() && dirty.cards.contains(&site.practices[i].slug),
        Dep::Catalogue => dirty.catalogue,
        // Catalogue pages name their index: handled above, by language.
        Dep::Index => false,
        // A change of the navigation changes the structure print: everything is dirty.
        Dep::Pages => false,
        Dep::Page(i) => dirty.pages.contains(&site.pages[i].slug),
        Dep::Listing { lang, term } => {
            !dirty.listings.is_empty() && dirty.listings.contains(&listing_key(site, lang, term))
        }
        Dep::Facets(lang) => dirty.facets.contains(&site.config.languages[lang]),
    })
}

/// A name for a listing that stays the same across rebuilds: `es` for the Spanish
/// catalogue, `es/topics/poverty` for a term's practices.
pub(super) fn listing_key(site: &Site, lang: usize, term: Option<(usize, usize)>) -> String {
    let code = &site.config.languages[lang];
    match term {
        None => code.clone(),
        Some((ti, termi)) => {
            let list = &site.listings[code].taxonomies[ti];
            format!("{code}/{}/{}", list.taxonomy.slug(), list.terms[termi].0)
        }
    }
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
                dirty.practices.insert(slug);
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
                dirty.pages.insert(slug);
            }
        }
    }
    Ok(())
}
