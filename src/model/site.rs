//! The site model's types: practices with their language versions, static pages, facets and
//! the catalogue of each language. Pure data.

use std::collections::BTreeMap;

use crate::document::{Budget, Level, PageDoc, PracticeDoc};
use crate::input::config::Config;
use crate::input::dates::PartialDate;

/// How many related practices a practice page lists.
pub const MAX_RELATED: usize = 4;

/// URL segments that static pages may not use as slugs.
pub const RESERVED_SLUGS: &[&str] = &[
    "practices",
    "topics",
    "countries",
    "programmes",
    "levels",
    "page",
    "search",
    "static",
];

/// A practice with all its language versions.
#[derive(Debug, Clone)]
pub struct Practice {
    /// Slug.
    pub slug: String,
    /// ISO country code.
    pub country: String,
    /// `(lat, lon)`.
    pub coordinates: Option<(f64, f64)>,
    /// Programme term.
    pub programme: Option<String>,
    /// Topic terms, in the order written.
    pub topics: Vec<String>,
    /// Reach.
    pub level: Option<Level>,
    /// Start.
    pub start: Option<PartialDate>,
    /// End.
    pub end: Option<PartialDate>,
    /// Money.
    pub budget: Option<Budget>,
    /// Image path.
    pub image: Option<String>,
    /// Language versions, in site language order.
    pub versions: Vec<Version>,
    /// Related practices (indices), explicit ones first.
    pub related: Vec<usize>,
    /// Explicitly related practices (indices).
    pub related_explicit: Vec<usize>,
    /// Practices sharing the most topics (indices), not counting the explicit ones.
    pub similar: Vec<usize>,
    /// Who took the practice over, in the order written.
    pub adapted_by: Vec<Adopter>,
    /// Practices that this one was adapted from (indices): the other side of `adapted_by`.
    pub adapted_from: Vec<usize>,
}

/// An entry of `adapted_by`: another practice of the catalogue, or a city by name.
#[derive(Debug, Clone, PartialEq)]
pub enum Adopter {
    /// A practice (index into `Site::practices`).
    Practice(usize),
    /// A city, region or organisation named in plain text.
    Named(String),
}

impl Practice {
    /// The version in `lang`, if translated.
    pub fn version(&self, lang: &str) -> Option<&Version> {
        self.versions.iter().find(|v| v.doc.lang == lang)
    }

    /// The version to show to readers of `lang`: theirs, else the one in the first language
    /// of `fallbacks` that has one ([`Config::fallbacks`], which ends with the default
    /// language), else the first in site language order.
    pub fn display_version(&self, lang: &str, fallbacks: &[String]) -> &Version {
        self.version(lang)
            .or_else(|| fallbacks.iter().find_map(|l| self.version(l)))
            .unwrap_or(&self.versions[0])
    }
}

/// One language version of a practice, with inherited per-language fields resolved.
#[derive(Debug, Clone)]
pub struct Version {
    /// The parsed file.
    pub doc: PracticeDoc,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Published.
    pub published: PartialDate,
    /// City, in this language's spelling or inherited; empty for region-wide practices.
    pub city: String,
    /// Region, in this language's spelling or inherited.
    pub region: Option<String>,
    /// Image alt text, in this language or inherited.
    pub image_alt: Option<String>,
}

/// A static page with its language versions.
#[derive(Debug, Clone)]
pub struct Page {
    /// Slug.
    pub slug: String,
    /// Versions by language.
    pub versions: BTreeMap<String, PageDoc>,
}

/// A facet of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Taxonomy {
    /// Topics (declared vocabulary).
    Topics,
    /// Countries (ISO codes).
    Countries,
    /// Programmes (declared vocabulary).
    Programmes,
    /// Levels (local, regional, national).
    Levels,
}

impl Taxonomy {
    /// Every taxonomy, in display order.
    pub const ALL: [Taxonomy; 4] = [
        Taxonomy::Topics,
        Taxonomy::Countries,
        Taxonomy::Programmes,
        Taxonomy::Levels,
    ];

    /// URL segment and key.
    pub fn slug(self) -> &'static str {
        match self {
            Taxonomy::Topics => "topics",
            Taxonomy::Countries => "countries",
            Taxonomy::Programmes => "programmes",
            Taxonomy::Levels => "levels",
        }
    }

    /// The term keys of a practice in this taxonomy (URL form: countries are lowercase).
    pub fn terms_of(self, p: &Practice) -> Vec<String> {
        match self {
            Taxonomy::Topics => p.topics.clone(),
            Taxonomy::Countries => vec![p.country.to_ascii_lowercase()],
            Taxonomy::Programmes => p.programme.iter().cloned().collect(),
            Taxonomy::Levels => p.level.iter().map(|l| l.key().to_string()).collect(),
        }
    }
}

/// One practice as listed in a language's catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Index into `Site::practices`.
    pub practice: usize,
    /// Index into that practice's `versions`: the version shown.
    pub version: usize,
    /// Whether that version is in another language (a fallback).
    pub fallback: bool,
}

/// The terms of one taxonomy in one language, with the entries of each.
#[derive(Debug, Clone)]
pub struct TermList {
    /// The taxonomy.
    pub taxonomy: Taxonomy,
    /// Terms with at least one entry: key and entry indices (into `Listing::entries`), in
    /// catalogue order.
    pub terms: Vec<(String, Vec<usize>)>,
}

/// What one language's catalogue lists.
#[derive(Debug, Clone)]
pub struct Listing {
    /// The entries, newest first.
    pub entries: Vec<Entry>,
    /// Facets.
    pub taxonomies: Vec<TermList>,
}

/// The whole site, ready to plan.
#[derive(Debug, Clone)]
pub struct Site {
    /// Configuration.
    pub config: Config,
    /// Practices, by slug.
    pub practices: Vec<Practice>,
    /// Static pages, by slug.
    pub pages: Vec<Page>,
    /// Per language, in site language order.
    pub listings: BTreeMap<String, Listing>,
}

impl Site {
    /// Frees the search words of every body (see [`crate::document::markdown::Rendered::words`]),
    /// once the search index is built: nothing after it reads them. Bodies shared with
    /// another holder (serve's cache) keep their words.
    pub fn drop_search_text(&mut self) {
        let drop = |body: &mut std::sync::Arc<crate::document::markdown::Rendered>| {
            if let Some(b) = std::sync::Arc::get_mut(body) {
                b.words = String::new();
            }
        };
        for p in &mut self.practices {
            for v in &mut p.versions {
                drop(&mut v.doc.body);
            }
        }
        for p in &mut self.pages {
            for d in p.versions.values_mut() {
                drop(&mut d.body);
            }
        }
    }

    /// Index of the practice `slug`.
    pub fn practice_index(&self, slug: &str) -> Option<usize> {
        self.practices
            .binary_search_by(|p| p.slug.as_str().cmp(slug))
            .ok()
    }
}
