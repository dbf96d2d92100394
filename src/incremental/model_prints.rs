//! The fingerprints of a model that do not depend on its bodies (see [`ModelPrints`]):
//! what each practice's card and pages (bodies aside), each catalogue entry, listing and
//! facet show.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use rayon::prelude::*;

use crate::hash::hash_value;
use crate::model::{Adopter, Entry, Practice, Site};
use crate::plan::Planned;

/// The fingerprints of a model that depend neither on its bodies nor on the theme or the
/// images: made once per model (see [`crate::pipeline::Loaded::model_prints`]), and kept
/// while only bodies change, so that a rebuild after a body edit in `serve` does not hash
/// every practice and catalogue entry again (a few tens of thousands of scattered reads).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ModelPrints {
    /// As in [`super::Fingerprints`].
    pub(super) structure: u64,
    /// Per practice (by index): (what its own pages show but their bodies, its card).
    pub(super) practices: Vec<(u64, u64)>,
    pub(super) catalogue: u64,
    pub(super) entries: Vec<u64>,
    /// Per practice: (what its versions share, each version but its body) as its
    /// catalogue entries show them (see [`entry_prints`]).
    parts: Vec<(u64, Vec<u64>)>,
    pub(super) urls: u64,
    pub(super) listings: HashMap<(usize, Option<(usize, usize)>), u64>,
    pub(super) facets: Vec<u64>,
}

fn practice_versions(docs: impl Iterator<Item = (u64, u64)>) -> Vec<(u64, u64)> {
    docs.collect()
}

/// (own pages but their bodies, card) fingerprints of one practice.
fn practice_prints(site: &Site, p: &Practice) -> (u64, u64) {
    let card = hash_value(&practice_versions(
        p.versions
            .iter()
            .map(|v| (hash_value(&v.doc.lang), v.doc.front_matter_hash)),
    ));
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
    let page = hash_value(&(
        card,
        slugs(&p.related),
        slugs(&p.related_explicit),
        slugs(&p.similar),
        slugs(&p.adapted_from),
        adopters,
    ));
    (page, card)
}

/// What a practice's catalogue entries show of it, bodies aside: what its versions share
/// ([`shared_print`]) and each version ([`version_print`]).
fn entry_parts(p: &Practice) -> (u64, Vec<u64>) {
    (
        shared_print(p),
        p.versions.iter().map(version_print).collect(),
    )
}

/// Per language, a hash of what its catalogue lists of each entry, bodies aside (from the
/// [`entry_parts`] of each practice), so that an edit changes the files of the languages
/// whose entries show it, only.
fn entry_prints(site: &Site, parts: &[(u64, Vec<u64>)]) -> Vec<u64> {
    site.config
        .languages
        .par_iter()
        .map(|lang| {
            let entries: Vec<(u64, u64)> = site.listings[lang]
                .entries
                .iter()
                .map(|e| {
                    let (shared, versions) = &parts[e.practice];
                    (*shared, versions[e.version])
                })
                .collect();
            hash_value(&entries)
        })
        .collect()
}

/// A hash of what a practice's versions share (its facets and other shared fields, its
/// languages), as the model has them: whichever file gave them. Every field is named, so
/// that a new one cannot be left out unnoticed.
fn shared_print(p: &Practice) -> u64 {
    let Practice {
        slug,
        country,
        coordinates,
        programme,
        topics,
        level,
        start,
        end,
        budget,
        image,
        declared,
        versions,
        // Pages show these, the catalogue index does not.
        related: _,
        related_explicit: _,
        similar: _,
        adapted_by: _,
        adapted_from: _,
    } = p;
    let langs: Vec<&str> = versions.iter().map(|v| v.doc.lang.as_str()).collect();
    let mut h = crate::hash::Buffered::default();
    (
        slug, langs, country, programme, topics, level, start, end, image,
    )
        .hash(&mut h);
    coordinates
        .map(|(a, b)| (a.to_bits(), b.to_bits()))
        .hash(&mut h);
    if let Some(crate::document::Budget {
        total,
        eu,
        currency,
    }) = budget
    {
        (total.map(f64::to_bits), eu.map(f64::to_bits), currency).hash(&mut h);
    }
    // Rarely given, and without a hash of their own (they hold numbers).
    if !declared.is_empty() {
        format!("{declared:?}").hash(&mut h);
    }
    h.finish()
}

/// [`text_print`] of a text that may be missing (`None` and `Some("")` differ).
fn optional_print(text: Option<&str>) -> u64 {
    text.map_or(u64::MAX, text_print)
}

/// A hash of one version of a practice as the model has it, but its body: its front
/// matter, and what it inherits from the other versions.
fn version_print(v: &crate::model::Version) -> u64 {
    let crate::model::Version {
        doc,
        title,
        summary,
        published,
        city,
        region,
        image_alt,
    } = v;
    hash_value(&[
        text_print(&doc.lang),
        doc.front_matter_hash,
        text_print(title),
        text_print(summary),
        hash_value(published),
        text_print(city),
        optional_print(region.as_deref()),
        optional_print(image_alt.as_deref()),
    ])
}

impl ModelPrints {
    /// The fingerprints of a model and its plan that do not depend on bodies.
    pub fn of(site: &Site, plan: &[Planned]) -> ModelPrints {
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
        let mut facets = Vec::new();
        for (li, lang) in site.config.languages.iter().enumerate() {
            let listing = &site.listings[lang];
            // Each entry once: its practice, the language of the version it lists, and
            // whether that is a fallback; a listing is then a hash of numbers.
            let keys: Vec<u64> = listing
                .entries
                .iter()
                .map(|e: &Entry| {
                    let p = &site.practices[e.practice];
                    hash_value(&[
                        text_print(&p.slug),
                        text_print(&p.versions[e.version].doc.lang),
                        u64::from(e.fallback),
                    ])
                })
                .collect();
            listings.insert((li, None), hash_value(&keys));
            let mut terms = Vec::new();
            for (ti, list) in listing.taxonomies.iter().enumerate() {
                for (termi, (key, entries)) in list.terms.iter().enumerate() {
                    let held: Vec<u64> = entries.iter().map(|&e| keys[e]).collect();
                    listings.insert((li, Some((ti, termi))), hash_value(&held));
                    terms.push((
                        list.taxonomy.slug(&site.config),
                        key.as_str(),
                        entries.len(),
                    ));
                }
            }
            facets.push(hash_value(&terms));
        }
        let practices: Vec<(u64, u64)> = site
            .practices
            .par_iter()
            .map(|p| practice_prints(site, p))
            .collect();
        let urls: Vec<&str> = plan.iter().map(|p| p.url.as_str()).collect();
        let parts: Vec<(u64, Vec<u64>)> = site.practices.par_iter().map(entry_parts).collect();
        ModelPrints {
            structure: hash_value(&structure),
            catalogue: catalogue_print(&practices),
            entries: entry_prints(site, &parts),
            urls: hash_value(&urls),
            practices,
            parts,
            listings,
            facets,
        }
    }

    /// The fingerprints of `site` after [`crate::model::patch`] merged its `practices`
    /// again, where their pages, listings and relations stayed as they were (the plan too).
    pub fn patch(&mut self, site: &Site, practices: &[usize]) {
        for &i in practices {
            let p = &site.practices[i];
            self.practices[i] = practice_prints(site, p);
            self.parts[i] = entry_parts(p);
        }
        self.catalogue = catalogue_print(&self.practices);
        self.entries = entry_prints(site, &self.parts);
    }
}

/// What every practice's card shows, from their (page, card) prints.
fn catalogue_print(practices: &[(u64, u64)]) -> u64 {
    hash_value(&practices.iter().map(|p| p.1).collect::<Vec<_>>())
}

/// A hash of a text on its own: one call, where streaming it into a hasher with other
/// values costs a step per value.
pub(super) fn text_print(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}
