//! The site model's types: practices with their language versions, static pages, facets and
//! the catalogue of each language. Pure data.

use std::collections::BTreeMap;

use crate::document::{Budget, FieldValue, Level, PageDoc, PracticeDoc};
use crate::input::config::{Config, FacetSpec, FieldSpec};
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
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
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
    /// The site's declared fields that are shared by translations, by name.
    pub declared: BTreeMap<String, FieldValue>,
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
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Adopter {
    /// A practice (index into `Site::practices`).
    Practice(usize),
    /// A city, region or organisation named in plain text.
    Named(String),
}

impl Practice {
    /// The value of the declared field `spec` as version `v` shows it: the practice's own
    /// when the field is shared, else the version's.
    pub fn declared_value<'a>(
        &'a self,
        v: &'a Version,
        spec: &FieldSpec,
    ) -> Option<&'a FieldValue> {
        if spec.shared {
            self.declared.get(&spec.name)
        } else {
            v.doc.declared.get(&spec.name).map(|l| &l.value)
        }
    }

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
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
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
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Page {
    /// Slug.
    pub slug: String,
    /// Versions by language.
    pub versions: BTreeMap<String, PageDoc>,
}

/// A facet of the catalogue that has term pages.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Taxonomy {
    /// Topics (declared vocabulary).
    Topics,
    /// Countries (ISO codes).
    Countries,
    /// Programmes (declared vocabulary).
    Programmes,
    /// Levels (local, regional, national).
    Levels,
    /// A facet on a field the site declares: its position in `Config::facets`.
    Declared(usize),
}

impl Taxonomy {
    /// The facets with term pages, in the order casebook.yaml lists them (`period` has none:
    /// it lives in the browser's catalogue only).
    pub fn of_site(config: &Config) -> Vec<Taxonomy> {
        config
            .facets
            .iter()
            .enumerate()
            .filter_map(|(i, f)| match f {
                FacetSpec::BuiltIn("topics") => Some(Taxonomy::Topics),
                FacetSpec::BuiltIn("countries") => Some(Taxonomy::Countries),
                FacetSpec::BuiltIn("programmes") => Some(Taxonomy::Programmes),
                FacetSpec::BuiltIn("levels") => Some(Taxonomy::Levels),
                FacetSpec::BuiltIn(_) => None,
                FacetSpec::Terms { .. } | FacetSpec::Ranges { .. } => Some(Taxonomy::Declared(i)),
            })
            .collect()
    }

    /// URL segment and key.
    pub fn slug(self, config: &Config) -> &str {
        match self {
            Taxonomy::Topics => "topics",
            Taxonomy::Countries => "countries",
            Taxonomy::Programmes => "programmes",
            Taxonomy::Levels => "levels",
            Taxonomy::Declared(i) => config.facets.get(i).map_or("", FacetSpec::key),
        }
    }

    /// The term keys of a practice in this taxonomy (URL form: countries are lowercase).
    pub fn terms_of(self, p: &Practice, config: &Config) -> Vec<String> {
        match self {
            Taxonomy::Topics => p.topics.clone(),
            Taxonomy::Countries => vec![p.country.to_ascii_lowercase()],
            Taxonomy::Programmes => p.programme.iter().cloned().collect(),
            Taxonomy::Levels => p.level.iter().map(|l| l.key().to_string()).collect(),
            Taxonomy::Declared(i) => match config.facets.get(i) {
                Some(FacetSpec::Terms { field }) => match p.declared.get(field) {
                    Some(FieldValue::List(keys)) => keys.clone(),
                    _ => Vec::new(),
                },
                Some(FacetSpec::Ranges { field, buckets }) => {
                    let value = match p.declared.get(field) {
                        Some(FieldValue::Number(n)) => Some(*n),
                        Some(FieldValue::Date(d)) => Some(f64::from(d.year)),
                        _ => None,
                    };
                    value
                        .and_then(|v| buckets.iter().rposition(|b| *b <= v))
                        .map(|i| vec![crate::document::number_text(buckets[i])])
                        .unwrap_or_default()
                }
                _ => Vec::new(),
            },
        }
    }

    /// Where a term sits in the order the facet lists its terms: declaration order for
    /// vocabularies and levels, the ranges' order, `None` for countries (sorted by name).
    pub fn term_position(self, key: &str, config: &Config) -> Option<usize> {
        match self {
            Taxonomy::Topics => config.topics.position(key),
            Taxonomy::Programmes => config.programmes.position(key),
            Taxonomy::Levels => Level::ALL.iter().position(|l| l.key() == key),
            Taxonomy::Countries => None,
            Taxonomy::Declared(i) => match config.facets.get(i) {
                Some(FacetSpec::Terms { field }) => config
                    .field(field)
                    .and_then(|f| config.vocabulary_of(f))
                    .and_then(|v| v.position(key)),
                Some(FacetSpec::Ranges { buckets, .. }) => buckets
                    .iter()
                    .position(|b| crate::document::number_text(*b) == key),
                _ => None,
            },
        }
    }
}

/// The label of range `key` of a facet with `buckets`, its numbers written by `show`:
/// `100–999`, `1,000+`.
pub fn range_label(buckets: &[f64], key: &str, show: &dyn Fn(f64) -> String) -> String {
    let Some(i) = buckets
        .iter()
        .position(|b| crate::document::number_text(*b) == key)
    else {
        return key.to_string();
    };
    let low = buckets[i];
    match buckets.get(i + 1) {
        Some(next) if low.fract() == 0.0 && next.fract() == 0.0 => {
            format!("{}–{}", show(low), show(next - 1.0))
        }
        Some(next) => format!("{}–{}", show(low), show(*next)),
        None => format!("{}+", show(low)),
    }
}

/// One practice as listed in a language's catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    /// Index into `Site::practices`.
    pub practice: usize,
    /// Index into that practice's `versions`: the version shown.
    pub version: usize,
    /// Whether that version is in another language (a fallback).
    pub fallback: bool,
}

/// The terms of one taxonomy in one language, with the entries of each.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TermList {
    /// The taxonomy.
    pub taxonomy: Taxonomy,
    /// Terms with at least one entry: key and entry indices (into `Listing::entries`), in
    /// catalogue order.
    pub terms: Vec<(String, Vec<usize>)>,
}

/// What one language's catalogue lists.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
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
    /// Index of the practice `slug`.
    pub fn practice_index(&self, slug: &str) -> Option<usize> {
        self.practices
            .binary_search_by(|p| p.slug.as_str().cmp(slug))
            .ok()
    }
}
