//! The catalogue index: what the browser needs to filter, search, sort and draw the cards
//! of one language's catalogue, written as JSON files under `/{lang}/search/`.
//!
//! Three kinds of file per language, each named with a hash of its content so that it can
//! be cached forever:
//!
//! - `catalogue.<hash>.json`, loaded with the page: the facet terms with their labels, and
//!   one row per catalogue entry (slug, title, place, language, facet terms), in catalogue
//!   order (newest first); plus the names of the other files.
//! - `cards.<hash>.json`, loaded when the reader first reaches for a control: the summary
//!   and headline figure of every entry.
//! - `text-<n>.<hash>.json`, loaded when a query needs it: an inverted index of folded,
//!   stemmed terms (see [`text`]), split by term range into chunks of similar size.
//! - `map.<hash>.json`, when the theme has a map, loaded when the catalogue map comes into
//!   view: where each entry sits on the map (see [`places`]).
//!
//! The format is described in docs/catalogue.md. Output is deterministic: same site, same
//! bytes.

mod places;
mod search;
pub mod stems;
mod stretch;
pub mod text;

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::model::{Site, Taxonomy};
use crate::theme::map::Map;

/// Format version, bumped when the JSON changes shape.
pub const VERSION: u32 = 1;

/// A search chunk is closed once it holds this many postings.
pub const CHUNK_POSTINGS: usize = 12_000;

/// How much a word counts, by the field it is found in: title, city and region, subtitle,
/// partners, summary, facet labels, body.
const WEIGHTS: [u32; FIELDS] = [8, 4, 4, 3, 2, 2, 1];
const FIELDS: usize = 7;

/// One file of the index.
#[derive(Debug, Clone)]
pub struct IndexFile {
    /// Path in the output folder, e.g. `es/search/catalogue.1a2b3c4d5e.json`.
    pub path: String,
    /// Content.
    pub bytes: Vec<u8>,
}

/// The index of one language's catalogue.
#[derive(Debug, Clone)]
pub struct LanguageIndex {
    /// Language code.
    pub lang: String,
    /// URL path (from the site root) of the file loaded with the page.
    pub url: String,
    /// URL path of the map file, when the theme has a map.
    pub map_url: Option<String>,
    /// Every file, the one loaded with the page first.
    pub files: Vec<IndexFile>,
}

/// Where a language's index is: what its catalogue pages name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, Serialize)]
pub struct IndexUrls {
    /// Language code.
    pub lang: String,
    /// URL path (from the site root) of the file loaded with the page.
    pub url: String,
    /// URL path of the map file, when the theme has a map.
    pub map_url: Option<String>,
}

impl LanguageIndex {
    /// Its URLs.
    pub fn urls(&self) -> IndexUrls {
        IndexUrls {
            lang: self.lang.clone(),
            url: self.url.clone(),
            map_url: self.map_url.clone(),
        }
    }
}

/// Labels of facet terms: `(taxonomy, term key, language) → label`.
pub type Labels<'a> = dyn Fn(Taxonomy, &str, &str) -> String + Sync + 'a;

#[derive(Serialize)]
struct Catalogue<'a> {
    version: u32,
    lang: &'a str,
    stemmer: &'a str,
    languages: &'a [String],
    facets: Vec<Facet<'a>>,
    entries: Rows<'a>,
    cards: String,
    chunks: Vec<(String, String)>,
    map: Option<String>,
}

#[derive(Serialize)]
struct Facet<'a> {
    key: &'a str,
    /// The facet's name, for a facet the site declares (the theme names the built-in ones).
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    terms: Vec<(String, String)>,
}

/// One column per facet: a row's term positions (`topics` and declared facets), or its
/// one term's position, -1 for none (the other built-in facets).
#[derive(Serialize, Default)]
struct Rows<'a> {
    slug: Vec<&'a str>,
    title: Vec<&'a str>,
    place: Vec<&'a str>,
    lang: Vec<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    topics: Option<Vec<Vec<usize>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    countries: Option<Vec<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    programmes: Option<Vec<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    levels: Option<Vec<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<Vec<i64>>,
    #[serde(flatten)]
    declared: BTreeMap<&'a str, Vec<Vec<usize>>>,
}

#[derive(Serialize, Default)]
struct Cards<'a> {
    summary: Vec<&'a str>,
    figure: Vec<Option<(&'a str, &'a str)>>,
    /// Per card, its picture: `[webp srcset, fallback srcset, src, width, height, alt]`;
    /// left out when no card has one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    image: Vec<Option<CardImage<'a>>>,
    /// The `sizes` of every card picture.
    #[serde(skip_serializing_if = "str::is_empty")]
    sizes: &'static str,
}

/// A card's picture, as the browser draws it.
type CardImage<'a> = (String, String, String, u32, u32, &'a str);

pub(super) fn hashed(dir: &str, stem: &str, bytes: Vec<u8>) -> IndexFile {
    let hash = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes));
    IndexFile {
        path: format!("{dir}/{stem}.{}.json", &hash[..10]),
        bytes,
    }
}

pub(super) fn file_name(f: &IndexFile) -> String {
    name_of(&f.path).to_string()
}

/// The file name of an index file's path.
fn name_of(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or_default()
}

/// Whether the index file at `path` shows only what a language's catalogue lists of its
/// entries, in order (the cards file and the map file: see [`crate::plan::Dep::Entries`]).
/// A build whose edits change only bodies keeps them (see [`language`]).
pub fn shows_entries_only(path: &str) -> bool {
    let name = name_of(path);
    name.starts_with("cards.") || name.starts_with("map.")
}

/// The decade a practice started in, as the year that opens it (`2017` → `2010`).
pub fn decade(year: u16) -> u16 {
    year - year % 10
}

/// What the search terms of a language's entries are read with: the stretches a previous
/// build saved (see [`stretch`]), and a hash of the build's settings.
#[derive(Debug, Clone, Copy, Default)]
pub struct SavedTerms<'a> {
    /// The bytes of the file a previous build saved for the language (empty: none).
    pub bytes: &'a [u8],
    /// A hash of everything besides the content files that the terms depend on: casebook
    /// itself, casebook.yaml, the UI strings.
    pub settings: u64,
}

/// Builds the index of one language; with the theme's `map`, its map file too; with
/// `images`, the cards' pictures. The cards and map files among `kept` (paths of files
/// [`shows_entries_only`] the last build made, still in place) are named, not made again,
/// and are not among the files returned. The search terms of entries whose texts are as
/// when `saved` was saved are taken from it; returns, beside the index, the bytes to save
/// for the next build when any was read anew.
pub fn language(
    site: &Site,
    lang: &str,
    labels: &Labels,
    (map, images): (Option<&Map>, Option<&crate::images::Images>),
    kept: &[String],
    saved: SavedTerms,
) -> (LanguageIndex, Option<Vec<u8>>) {
    let config = &site.config;
    let listing = &site.listings[lang];
    let dir = format!("{lang}/search");
    let stemmer = if text::STEMMED.contains(&lang) {
        lang
    } else {
        ""
    };
    // The search terms are found on every core, while one makes the other files.
    let reading = search::Reading {
        lang,
        stemmer,
        labels,
        saved: &stretch::Saved::parse(saved.bytes),
        settings: saved.settings,
        per_stretch: stretch::STRETCH,
    };
    let kept_file = |stem: &str| {
        kept.iter().find(|p| {
            name_of(p)
                .strip_prefix(stem)
                .is_some_and(|r| r.starts_with('.'))
        })
    };
    // A file named as the last build made it, or made now: its path, and its bytes.
    let kept_or_made = |kept: Option<&String>, make: &dyn Fn() -> IndexFile| match kept {
        Some(path) => (path.clone(), None),
        None => {
            let f = make();
            (f.path.clone(), Some(f))
        }
    };
    let ((Columns { facets, rows }, cards, map), (chunk_files, terms)) = rayon::join(
        || {
            let cards = kept_or_made(kept_file("cards"), &|| cards_file(site, lang, images, &dir));
            let map = map.map(|m| {
                kept_or_made(kept_file("map"), &|| {
                    hashed(
                        &dir,
                        "map",
                        json(&places::places(site, &listing.entries, m)),
                    )
                })
            });
            (columns(site, lang, labels), cards, map)
        },
        || search::search_chunks(site, &listing.entries, &reading, &dir),
    );
    let catalogue = Catalogue {
        version: VERSION,
        lang,
        stemmer,
        languages: &config.languages,
        facets,
        entries: rows,
        cards: name_of(&cards.0).to_string(),
        chunks: chunk_files
            .iter()
            .map(|(first, f)| (first.clone(), file_name(f)))
            .collect(),
        map: map.as_ref().map(|(path, _)| name_of(path).to_string()),
    };
    let main = hashed(&dir, "catalogue", json(&catalogue));
    let map_url = map.as_ref().map(|(path, _)| format!("/{path}"));
    let mut files = vec![main];
    files.extend(cards.1);
    files.extend(chunk_files.into_iter().map(|(_, f)| f));
    files.extend(map.and_then(|(_, f)| f));
    let index = LanguageIndex {
        lang: lang.to_string(),
        url: format!("/{}", files[0].path),
        map_url,
        files,
    };
    (index, terms)
}

/// What the main file of a catalogue index holds besides the names of the others: the
/// facets, and a row per entry.
struct Columns<'a> {
    facets: Vec<Facet<'a>>,
    rows: Rows<'a>,
}

/// The [`Columns`] of the index of `lang` (see [`language`]).
fn columns<'a>(site: &'a Site, lang: &str, labels: &Labels) -> Columns<'a> {
    let config = &site.config;
    let listing = &site.listings[lang];

    // Facet terms, in the order the static facet lists use.
    let mut facets = Vec::new();
    let mut positions: Vec<HashMap<String, usize>> = Vec::new();
    for list in &listing.taxonomies {
        let tax = list.taxonomy;
        let mut terms: Vec<(String, String)> = list
            .terms
            .iter()
            .map(|(key, _)| (key.clone(), labels(tax, key, lang)))
            .collect();
        if tax == Taxonomy::Countries {
            terms.sort_by_key(|(_, label)| crate::input::file_name::suggest_slug(label));
        }
        positions.push(
            terms
                .iter()
                .enumerate()
                .map(|(i, (k, _))| (k.clone(), i))
                .collect(),
        );
        facets.push(Facet {
            key: tax.slug(config),
            name: match tax {
                Taxonomy::Declared(i) => config
                    .facets
                    .get(i)
                    .and_then(|f| config.field(f.key()))
                    .map(|f| f.label.get(lang, config.fallbacks(lang)).to_string()),
                _ => None,
            },
            terms,
        });
    }
    let mut decades: Vec<u16> = listing
        .entries
        .iter()
        .filter_map(|e| site.practices[e.practice].start.map(|d| decade(d.year)))
        .collect();
    decades.sort_unstable();
    decades.dedup();
    let has_period = config.has_facet("period");
    if has_period {
        // In the place casebook.yaml gives it among the facets.
        let at = config
            .facets
            .iter()
            .take_while(|f| f.key() != "period")
            .count()
            .min(facets.len());
        facets.insert(
            at,
            Facet {
                key: "period",
                name: None,
                terms: decades
                    .iter()
                    .map(|d| (d.to_string(), format!("{d}–{}", d + 9)))
                    .collect(),
            },
        );
    }

    let mut rows = Rows::default();
    let lang_index = |l: &str| config.languages.iter().position(|x| x == l).unwrap_or(0);
    let position = |t: usize, key: &str| positions[t].get(key).copied();
    let single = |t: usize, key: Option<&str>| -> i64 {
        key.and_then(|k| position(t, k)).map_or(-1, |i| i as i64)
    };
    let tax_pos = |tax: Taxonomy| listing.taxonomies.iter().position(|l| l.taxonomy == tax);
    rows.topics = tax_pos(Taxonomy::Topics).map(|_| Vec::new());
    rows.countries = tax_pos(Taxonomy::Countries).map(|_| Vec::new());
    rows.programmes = tax_pos(Taxonomy::Programmes).map(|_| Vec::new());
    rows.levels = tax_pos(Taxonomy::Levels).map(|_| Vec::new());
    rows.period = has_period.then(Vec::new);
    let declared: Vec<(usize, Taxonomy)> = listing
        .taxonomies
        .iter()
        .enumerate()
        .filter(|(_, l)| matches!(l.taxonomy, Taxonomy::Declared(_)))
        .map(|(i, l)| (i, l.taxonomy))
        .collect();
    for (_, tax) in &declared {
        rows.declared.insert(tax.slug(config), Vec::new());
    }
    let (t_topics, t_countries, t_programmes, t_levels) = (
        tax_pos(Taxonomy::Topics).unwrap_or(0),
        tax_pos(Taxonomy::Countries).unwrap_or(0),
        tax_pos(Taxonomy::Programmes).unwrap_or(0),
        tax_pos(Taxonomy::Levels).unwrap_or(0),
    );
    for e in &listing.entries {
        let p = &site.practices[e.practice];
        let v = &p.versions[e.version];
        rows.slug.push(&p.slug);
        rows.title.push(&v.title);
        rows.place.push(if v.city.is_empty() {
            v.region.as_deref().unwrap_or("")
        } else {
            &v.city
        });
        rows.lang.push(lang_index(&v.doc.lang));
        if let Some(col) = &mut rows.topics {
            col.push(
                p.topics
                    .iter()
                    .filter_map(|t| position(t_topics, t))
                    .collect(),
            );
        }
        if let Some(col) = &mut rows.countries {
            let country = p.country.to_ascii_lowercase();
            col.push(single(t_countries, Some(&country)));
        }
        if let Some(col) = &mut rows.programmes {
            col.push(single(t_programmes, p.programme.as_deref()));
        }
        if let Some(col) = &mut rows.levels {
            col.push(single(t_levels, p.level.map(|l| l.key())));
        }
        if let Some(col) = &mut rows.period {
            col.push(
                p.start
                    .and_then(|d| decades.binary_search(&decade(d.year)).ok())
                    .map_or(-1, |i| i as i64),
            );
        }
        for (ti, tax) in &declared {
            let terms = tax
                .terms_of(p, config)
                .iter()
                .filter_map(|t| position(*ti, t))
                .collect();
            if let Some(col) = rows.declared.get_mut(tax.slug(config)) {
                col.push(terms);
            }
        }
    }
    Columns { facets, rows }
}

/// The cards file of the index of `lang`, in the folder `dir`: each entry's summary,
/// headline figure and, with `images`, picture.
fn cards_file(
    site: &Site,
    lang: &str,
    images: Option<&crate::images::Images>,
    dir: &str,
) -> IndexFile {
    let config = &site.config;
    let mut cards = Cards::default();
    for e in &site.listings[lang].entries {
        let p = &site.practices[e.practice];
        let v = &p.versions[e.version];
        let url = |path: &str| crate::urls::prefixed(config.base_path(), path);
        cards.image.push(
            p.image
                .as_deref()
                .zip(images)
                .and_then(|(src, i)| i.picture(src, crate::images::Role::Card, &url))
                .map(|pic| {
                    let alt = v.image_alt.as_deref().unwrap_or("");
                    (pic.webp, pic.srcset, pic.src, pic.width, pic.height, alt)
                }),
        );
        cards.summary.push(&v.summary);
        cards.figure.push(
            v.doc
                .key_figures
                .first()
                .map(|f| (f.value.as_str(), f.label.as_str())),
        );
    }

    if cards.image.iter().all(Option::is_none) {
        cards.image.clear();
    } else {
        cards.sizes = crate::images::Role::Card.sizes();
    }
    hashed(dir, "cards", json(&cards))
}

pub(super) fn json<T: Serialize>(value: &T) -> Vec<u8> {
    // Serializing plain structs of strings and numbers cannot fail.
    serde_json::to_vec(value).unwrap_or_default()
}
