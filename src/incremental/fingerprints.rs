//! Fingerprints of what each output is made of.
//!
//! Every output declares what it depends on ([`Dep`], from the plan for pages, from
//! [`crate::publish`] for the other files). A fingerprint is a hash of one such input as
//! the current model has it: what a practice's own pages show, what its card shows, which
//! practices a listing holds, the terms of a language's facets, the templates a page is
//! made with, and the settings every output shares. The hash of an output's fingerprints
//! ([`Fingerprints::made_from`]) is recorded beside it; the next build makes the output
//! again only when that hash changed.

use std::collections::{BTreeMap, HashMap, HashSet};

use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use super::ModelPrints;
use super::model_prints::text_print;
use crate::document::{PageDoc, PracticeDoc};
use crate::model::Site;
use crate::plan::{CARD_TEMPLATE, Dep, Planned};
use crate::theme::Theme;

pub use crate::hash::hash_value;

/// The fingerprints of one build's inputs.
#[derive(Debug)]
pub struct Fingerprints {
    /// Everything every output depends on: casebook, the options, casebook.yaml, the UI
    /// strings, the map (see [`crate::pipeline`]).
    settings: u64,
    /// Which practices and pages exist in which languages, and the navigation: every page
    /// links to them.
    structure: u64,
    /// Per practice (by index): (what its own pages show, what its card shows).
    practices: Vec<(u64, u64)>,
    /// Per static page (by index).
    pages: Vec<u64>,
    /// Every practice's card.
    catalogue: u64,
    /// Per language (by index): what its catalogue lists of its entries, bodies aside.
    entries: Vec<u64>,
    /// Per language (by index): the bodies of the versions its catalogue lists.
    bodies: Vec<u64>,
    /// Every page's URL.
    urls: u64,
    /// Per listing.
    listings: HashMap<(usize, Option<(usize, usize)>), u64>,
    /// Per language (by index): the terms of every facet with their counts.
    facets: Vec<u64>,
    /// Per template: its text and the texts of every template it uses.
    templates: rustc_hash::FxHashMap<String, u64>,
    /// Per practice with drawn share cards, a hash of their names.
    share_cards: HashMap<usize, u64>,
}

fn body_print(doc: &PracticeDoc) -> u64 {
    doc.source.hash()
}

fn page_prints(versions: &BTreeMap<String, PageDoc>) -> u64 {
    let parts: Vec<(&str, u64, u64)> = versions
        .values()
        .map(|d| (d.lang.as_str(), d.front_matter_hash, d.source.hash()))
        .collect();
    hash_value(&parts)
}

/// [`entry_prints`] with what each listed entry shows of its practice's image (`prints`, per
/// practice).
fn with_entry_images(site: &Site, entries: &[u64], prints: &[u64]) -> Vec<u64> {
    site.config
        .languages
        .iter()
        .zip(entries)
        .map(|(lang, print)| {
            let shown: Vec<u64> = site.listings[lang]
                .entries
                .iter()
                .map(|e| prints[e.practice])
                .collect();
            hash_value(&(print, shown))
        })
        .collect()
}

/// Per language, a hash of the bodies of the versions its catalogue lists, in order.
fn body_prints(site: &Site) -> Vec<u64> {
    site.config
        .languages
        .par_iter()
        .map(|lang| {
            let bodies: Vec<u64> = site.listings[lang]
                .entries
                .iter()
                .map(|e| body_print(&site.practices[e.practice].versions[e.version].doc))
                .collect();
            hash_value(&bodies)
        })
        .collect()
}

/// For each template, a hash of its text and of every template it uses, itself or through
/// `extends`, `include` or `import` (seen as quoted template names in its text). The card
/// template counts for every template: its HTML is in every card (`card.html`).
fn template_prints(theme: &Theme) -> rustc_hash::FxHashMap<String, u64> {
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
    theme
        .templates
        .keys()
        .map(|name| {
            let mut seen = HashSet::new();
            let mut stack = vec![name.as_str(), CARD_TEMPLATE];
            let mut h = Xxh3::new();
            let mut reached: Vec<&str> = Vec::new();
            while let Some(t) = stack.pop() {
                if seen.insert(t) {
                    reached.push(t);
                    stack.extend(uses.get(t).into_iter().flatten().copied());
                }
            }
            reached.sort_unstable();
            for t in reached {
                t.hash(&mut h);
                theme.templates.get(t).map(|f| f.text.as_str()).hash(&mut h);
            }
            (name.clone(), h.finish())
        })
        .collect()
}

impl Fingerprints {
    /// The fingerprints of a model, whose own are `model` (of its plan: see
    /// [`ModelPrints::of`]), built with `theme` and `settings` (a hash of everything else
    /// every output depends on).
    pub fn of(site: &Site, model: &ModelPrints, theme: &Theme, settings: u64) -> Fingerprints {
        let ModelPrints {
            structure,
            practices,
            catalogue,
            entries,
            urls,
            listings,
            facets,
            ..
        } = model;
        // A practice's pages show its bodies too.
        let practices = site
            .practices
            .par_iter()
            .zip(practices)
            .map(|(p, &(own, card))| {
                let mut h = crate::hash::Buffered::default();
                own.hash(&mut h);
                for v in &p.versions {
                    body_print(&v.doc).hash(&mut h);
                }
                (h.finish(), card)
            })
            .collect();
        Fingerprints {
            settings,
            structure: *structure,
            catalogue: *catalogue,
            entries: entries.clone(),
            bodies: body_prints(site),
            urls: *urls,
            practices,
            pages: site
                .pages
                .iter()
                .map(|p| page_prints(&p.versions))
                .collect(),
            listings: listings.clone(),
            facets: facets.clone(),
            templates: template_prints(theme),
            share_cards: HashMap::new(),
        }
    }

    /// What the output at `path`, with these dependencies and made with `template` (if
    /// any), is made from, hashed. `index` is the URL of the catalogue index of the page's
    /// language, for pages that name it ([`Dep::Index`]).
    pub fn made_from(
        &self,
        path: &str,
        template: Option<&str>,
        deps: &[Dep],
        index: Option<&str>,
    ) -> u64 {
        // The prints side by side, hashed in one call: a build asks for tens of thousands.
        let mut bytes: Vec<u8> = Vec::with_capacity(8 * (5 + deps.len()));
        let mut add = |print: u64| bytes.extend_from_slice(&print.to_le_bytes());
        [
            self.settings,
            self.structure,
            text_print(path),
            u64::from(template.is_some()),
            template
                .and_then(|t| self.templates.get(t).copied())
                .unwrap_or(u64::MAX),
        ]
        .into_iter()
        .for_each(&mut add);
        deps.iter()
            .map(|dep| match *dep {
                Dep::Practice(i) => self.practices[i].0,
                Dep::Card(i) => self.practices[i].1,
                Dep::Catalogue => self.catalogue,
                Dep::Entries(lang) => self.entries[lang],
                Dep::Bodies(lang) => self.bodies[lang],
                Dep::Urls => self.urls,
                Dep::Listing { lang, term } => self
                    .listings
                    .get(&(lang, term))
                    .copied()
                    .unwrap_or_default(),
                Dep::Facets(lang) => self.facets[lang],
                Dep::Index => hash_value(&index),
                Dep::Pages => self.structure,
                Dep::Page(i) => self.pages[i],
                Dep::File(stamp) => stamp,
                Dep::ShareCard(i) => self.share_cards.get(&i).copied().unwrap_or_default(),
            })
            .for_each(&mut add);
        xxhash_rust::xxh3::xxh3_64(&bytes)
    }

    /// Adds what pages show of the site's images (see [`crate::images::Images::print`]):
    /// a practice's pages and card change with its image, a page with the images of its
    /// body; a practice's pages with the names of its drawn share cards.
    pub fn with_images(
        mut self,
        site: &Site,
        images: &crate::images::Images,
        theme: &Theme,
    ) -> Self {
        use crate::model::links::Body;
        let body_prints = |body: Body| -> Vec<u64> {
            body.rendered
                .links
                .iter()
                .filter(|l| l.image)
                .filter_map(|l| crate::images::places::body_source(&l.url, &body, theme))
                .map(|rel| images.print(rel))
                .collect()
        };
        // What each practice's card and pages show of its own image.
        let own: Vec<Option<u64>> = site
            .practices
            .par_iter()
            .map(|p| p.image.as_deref().map(|src| images.print(src)))
            .collect();
        if own.iter().any(Option::is_some) {
            let prints: Vec<u64> = own.iter().map(|o| o.unwrap_or(0)).collect();
            self.entries = with_entry_images(site, &self.entries, &prints);
        }
        for i in 0..site.practices.len() {
            if let Some(print) = images.share_card_print(i) {
                self.share_cards.insert(i, print);
            }
        }
        // Each practice's pages and card, in parallel (a site's photos are thousands).
        let shown: Vec<Option<(u64, u64)>> = site
            .practices
            .par_iter()
            .zip(&own)
            .zip(&self.practices)
            .map(|((p, &own), &(page, card))| {
                // Most practices show no image: nothing to collect.
                if own.is_none()
                    && !p
                        .versions
                        .iter()
                        .any(|v| v.doc.body.links.iter().any(|l| l.image))
                {
                    return None;
                }
                let bodies: Vec<Vec<u64>> = p
                    .versions
                    .iter()
                    .map(|v| body_prints(Body::practice(&v.doc)))
                    .collect();
                if own.is_none() && bodies.iter().all(Vec::is_empty) {
                    return None;
                }
                let card = hash_value(&(card, own));
                Some((hash_value(&(page, card, bodies)), card))
            })
            .collect();
        for (prints, shown) in self.practices.iter_mut().zip(shown) {
            if let Some(shown) = shown {
                *prints = shown;
            }
        }
        for (i, p) in site.pages.iter().enumerate() {
            let bodies: Vec<Vec<u64>> = p
                .versions
                .values()
                .map(|d| body_prints(Body::page(d)))
                .collect();
            if bodies.iter().any(|b| !b.is_empty()) {
                self.pages[i] = hash_value(&(self.pages[i], bodies));
            }
        }
        self.catalogue = hash_value(&self.practices.iter().map(|p| p.1).collect::<Vec<_>>());
        self
    }

    /// [`Fingerprints::made_from`] of a planned page.
    pub fn page(&self, page: &Planned, index: Option<&str>) -> u64 {
        self.made_from(&page.url, Some(page.kind.template()), &page.deps, index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_hash_alike_only_when_equal() {
        assert_eq!(hash_value(&("a", 1)), hash_value(&("a", 1)));
        assert_ne!(hash_value(&("a", 1)), hash_value(&("a", 2)));
        assert_ne!(hash_value(&("ab", "")), hash_value(&("a", "b")));
    }
}
