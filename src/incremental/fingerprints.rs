//! What each page is made of, fingerprinted: what each practice's own pages and its card
//! show, which practices each listing holds, and each language's facets. Comparing the
//! fingerprints of two models, with the render plan's dependencies ([`Dep`]), tells which
//! pages must be rendered again; the others would come out byte for byte the same. `serve`
//! keeps them between rebuilds; `build` keeps them in the output's manifest.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use crate::document;
use crate::model::{Adopter, Entry, Practice, Site};
use crate::plan::{Dep, PageKind, Planned};
use crate::theme::Theme;

/// What each practice's and page's outputs are made of, hashed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Prints {
    /// Which practices and pages exist in which languages, and the navigation (every page's
    /// front matter): when these change, every page changes.
    pub structure: u64,
    /// Per practice slug: (its own pages, its card).
    pub practices: HashMap<String, (u64, u64)>,
    /// Per page slug.
    pub pages: HashMap<String, u64>,
    /// Per listing (see [`listing_key`]): which practices it holds, in which order.
    pub listings: HashMap<String, u64>,
    /// Per language: the terms of every facet with their counts.
    pub facets: HashMap<String, u64>,
}

/// Which pages must be rendered again, by what changed.
#[derive(Debug, Default)]
pub struct PageChanges {
    /// Everything.
    pub all: bool,
    /// Practices (by slug) whose own pages changed.
    pub practices: HashSet<String>,
    /// Practices whose cards changed.
    pub cards: HashSet<String>,
    /// Static pages that changed.
    pub pages: HashSet<String>,
    /// Any card (the catalogue map shows them all).
    pub catalogue: bool,
    /// Listings whose practices or order changed (by [`listing_key`]).
    pub listings: HashSet<String>,
    /// Languages whose facet terms or counts changed.
    pub facets: HashSet<String>,
    /// Page templates to render again.
    pub templates: HashSet<String>,
}

/// A hash of any hashable value.
pub fn hash_value<T: Hash + ?Sized>(v: &T) -> u64 {
    let mut h = Xxh3::new();
    v.hash(&mut h);
    h.finish()
}

/// The page templates that use `changed` templates, themselves or through `extends`,
/// `include` or `import` (seen as quoted template names in the templates' text). The card
/// template reaches every template: its HTML is in every card (`card.html`).
pub fn templates_using(theme: &Theme, changed: &BTreeSet<String>) -> HashSet<String> {
    if changed.contains(crate::plan::CARD_TEMPLATE) {
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

/// The fingerprint of a static page's versions: their front matter and text.
pub fn page_prints(versions: &BTreeMap<String, document::PageDoc>) -> u64 {
    let parts: Vec<(&str, u64, u64)> = versions
        .values()
        .map(|d| (d.lang.as_str(), d.front_matter_hash, d.source.hash()))
        .collect();
    hash_value(&parts)
}

/// (own pages, card) fingerprints of one practice.
pub fn practice_prints(site: &Site, p: &Practice) -> (u64, u64) {
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
    let bodies: Vec<u64> = p.versions.iter().map(|v| v.doc.source.hash()).collect();
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
    /// The fingerprints of a model.
    pub fn of(site: &Site) -> Prints {
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

    /// Marks in `changes` what differs from `old`; anything structural marks everything.
    pub fn compare(&self, old: &Prints, changes: &mut PageChanges) {
        if old.structure != self.structure {
            changes.all = true;
            return;
        }
        for (slug, (page, card)) in &self.practices {
            let (old_page, old_card) = old.practices.get(slug).copied().unwrap_or_default();
            if *page != old_page {
                changes.practices.insert(slug.clone());
            }
            if *card != old_card {
                changes.cards.insert(slug.clone());
                changes.catalogue = true;
            }
        }
        for (slug, print) in &self.pages {
            if old.pages.get(slug) != Some(print) {
                changes.pages.insert(slug.clone());
            }
        }
        for (key, print) in &self.listings {
            if old.listings.get(key) != Some(print) {
                changes.listings.insert(key.clone());
            }
        }
        for (lang, print) in &self.facets {
            if old.facets.get(lang) != Some(print) {
                changes.facets.insert(lang.clone());
            }
        }
    }
}

/// The language of a catalogue page.
pub fn catalogue_lang(kind: &PageKind) -> Option<usize> {
    match *kind {
        PageKind::Catalogue { lang, .. } => Some(lang),
        _ => None,
    }
}

/// Whether `page` must be rendered again after `changes`; `index_langs` are the languages
/// whose catalogue index has a new name (their catalogue pages name it).
pub fn needs_render(
    site: &Site,
    page: &Planned,
    changes: &PageChanges,
    index_langs: &HashSet<usize>,
) -> bool {
    if changes.all
        || changes.templates.contains(page.kind.template())
        || catalogue_lang(&page.kind).is_some_and(|l| index_langs.contains(&l))
    {
        return true;
    }
    page.deps.iter().any(|dep| match *dep {
        Dep::Practice(i) => changes.practices.contains(&site.practices[i].slug),
        Dep::Card(i) => {
            !changes.cards.is_empty() && changes.cards.contains(&site.practices[i].slug)
        }
        Dep::Catalogue => changes.catalogue,
        // Catalogue pages name their index: handled above, by language.
        Dep::Index => false,
        // A change of the navigation changes the structure print: everything is rendered.
        Dep::Pages => false,
        Dep::Page(i) => changes.pages.contains(&site.pages[i].slug),
        Dep::Listing { lang, term } => {
            !changes.listings.is_empty()
                && changes.listings.contains(&listing_key(site, lang, term))
        }
        Dep::Facets(lang) => changes.facets.contains(&site.config.languages[lang]),
    })
}

/// A name for a listing that stays the same across rebuilds: `es` for the Spanish
/// catalogue, `es/topics/poverty` for a term's practices.
pub fn listing_key(site: &Site, lang: usize, term: Option<(usize, usize)>) -> String {
    let code = &site.config.languages[lang];
    match term {
        None => code.clone(),
        Some((ti, termi)) => {
            let list = &site.listings[code].taxonomies[ti];
            format!("{code}/{}/{}", list.taxonomy.slug(), list.terms[termi].0)
        }
    }
}
