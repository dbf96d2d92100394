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
pub mod text;

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use crate::model::{Entry, Site, Taxonomy};
use crate::theme::map::Map;

/// Format version, bumped when the JSON changes shape.
pub const VERSION: u32 = 1;

/// A search chunk is closed once it holds this many postings.
pub const CHUNK_POSTINGS: usize = 12_000;

/// How much a word counts, by the field it is found in: title, city and region, subtitle,
/// partners, summary, facet labels, body.
const WEIGHTS: [u32; FIELDS] = [8, 4, 4, 3, 2, 2, 1];
const FIELDS: usize = 7;

use rustc_hash::FxHashMap;

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
    facets: Vec<Facet>,
    entries: Rows<'a>,
    cards: String,
    chunks: Vec<(String, String)>,
    map: Option<String>,
}

#[derive(Serialize)]
struct Facet {
    key: &'static str,
    terms: Vec<(String, String)>,
}

#[derive(Serialize, Default)]
struct Rows<'a> {
    slug: Vec<&'a str>,
    title: Vec<&'a str>,
    place: Vec<&'a str>,
    lang: Vec<usize>,
    topics: Vec<Vec<usize>>,
    countries: Vec<i64>,
    programmes: Vec<i64>,
    levels: Vec<i64>,
    period: Vec<i64>,
}

#[derive(Serialize, Default)]
struct Cards<'a> {
    summary: Vec<&'a str>,
    figure: Vec<Option<(&'a str, &'a str)>>,
}

#[derive(Serialize)]
struct Chunk<'a> {
    terms: Vec<&'a str>,
    postings: Vec<Vec<u32>>,
    /// Per term, the word a "did you mean" shows for it: `""` when that is the term
    /// itself, `null` when the term is not offered (see [`shown_words`]).
    words: Vec<Option<&'a str>>,
}

/// Builds the index of every language; with the theme's `map`, the map files too.
pub fn build(site: &Site, labels: &Labels, map: Option<&Map>) -> Vec<LanguageIndex> {
    use rayon::prelude::*;
    site.config
        .languages
        .par_iter()
        .map(|lang| language(site, lang, labels, map))
        .collect()
}

fn hashed(dir: &str, stem: &str, bytes: Vec<u8>) -> IndexFile {
    let hash = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes));
    IndexFile {
        path: format!("{dir}/{stem}.{}.json", &hash[..10]),
        bytes,
    }
}

fn file_name(f: &IndexFile) -> String {
    f.path.rsplit('/').next().unwrap_or_default().to_string()
}

/// The decade a practice started in, as the year that opens it (`2017` → `2010`).
pub fn decade(year: u16) -> u16 {
    year - year % 10
}

/// Builds the index of one language; with the theme's `map`, its map file too.
pub fn language(site: &Site, lang: &str, labels: &Labels, map: Option<&Map>) -> LanguageIndex {
    let config = &site.config;
    let listing = &site.listings[lang];
    let dir = format!("{lang}/search");

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
            key: tax.slug(),
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
    facets.push(Facet {
        key: "period",
        terms: decades
            .iter()
            .map(|d| (d.to_string(), format!("{d}–{}", d + 9)))
            .collect(),
    });

    let mut rows = Rows::default();
    let mut cards = Cards::default();
    let lang_index = |l: &str| config.languages.iter().position(|x| x == l).unwrap_or(0);
    let position = |t: usize, key: &str| positions[t].get(key).copied();
    let single = |t: usize, key: Option<&str>| -> i64 {
        key.and_then(|k| position(t, k)).map_or(-1, |i| i as i64)
    };
    let tax_pos = |tax: Taxonomy| {
        listing
            .taxonomies
            .iter()
            .position(|l| l.taxonomy == tax)
            .unwrap_or(0)
    };
    let (t_topics, t_countries, t_programmes, t_levels) = (
        tax_pos(Taxonomy::Topics),
        tax_pos(Taxonomy::Countries),
        tax_pos(Taxonomy::Programmes),
        tax_pos(Taxonomy::Levels),
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
        rows.topics.push(
            p.topics
                .iter()
                .filter_map(|t| position(t_topics, t))
                .collect(),
        );
        let country = p.country.to_ascii_lowercase();
        rows.countries.push(single(t_countries, Some(&country)));
        rows.programmes
            .push(single(t_programmes, p.programme.as_deref()));
        rows.levels.push(single(t_levels, p.level.map(|l| l.key())));
        rows.period.push(
            p.start
                .and_then(|d| decades.binary_search(&decade(d.year)).ok())
                .map_or(-1, |i| i as i64),
        );
        cards.summary.push(&v.summary);
        cards.figure.push(
            v.doc
                .key_figures
                .first()
                .map(|f| (f.value.as_str(), f.label.as_str())),
        );
    }

    let cards_file = hashed(&dir, "cards", json(&cards));
    let stemmer = if text::STEMMED.contains(&lang) {
        lang
    } else {
        ""
    };
    let chunk_files = search_chunks(site, &listing.entries, lang, stemmer, labels, &dir);
    let map_file = map.map(|m| {
        hashed(
            &dir,
            "map",
            json(&places::places(site, &listing.entries, m)),
        )
    });
    let catalogue = Catalogue {
        version: VERSION,
        lang,
        stemmer,
        languages: &config.languages,
        facets,
        entries: rows,
        cards: file_name(&cards_file),
        chunks: chunk_files
            .iter()
            .map(|(first, f)| (first.clone(), file_name(f)))
            .collect(),
        map: map_file.as_ref().map(file_name),
    };
    let main = hashed(&dir, "catalogue", json(&catalogue));
    let map_url = map_file.as_ref().map(|f| format!("/{}", f.path));
    let mut files = vec![main, cards_file];
    files.extend(chunk_files.into_iter().map(|(_, f)| f));
    files.extend(map_file);
    LanguageIndex {
        lang: lang.to_string(),
        url: format!("/{}", files[0].path),
        map_url,
        files,
    }
}

fn json<T: Serialize>(value: &T) -> Vec<u8> {
    // Serializing plain structs of strings and numbers cannot fail.
    serde_json::to_vec(value).unwrap_or_default()
}

/// The inverted index of a catalogue, split into chunks: `(first term, file)`.
fn search_chunks(
    site: &Site,
    entries: &[Entry],
    lang: &str,
    stemmer: &str,
    labels: &Labels,
    dir: &str,
) -> Vec<(String, IndexFile)> {
    use rayon::prelude::*;
    // Per task: the terms met so far, and per term how often it occurs in each field of
    // the current entry (up to 3), reset after each entry through the list of those touched.
    struct Counter {
        stems: text::Stems,
        counts: Vec<[u8; FIELDS]>,
        touched: Vec<u32>,
    }
    let per_entry: Vec<Vec<(Arc<str>, u32)>> = entries
        .par_iter()
        .map_init(
            || Counter {
                stems: text::Stems::new(stemmer),
                counts: Vec::new(),
                touched: Vec::new(),
            },
            |c, e| {
                let p = &site.practices[e.practice];
                let v = &p.versions[e.version];
                // `bag`: the text is a word bag (see [`text::word_bag`]).
                let mut add_text = |text: &str, field: usize, bag: bool| {
                    let Counter {
                        stems,
                        counts,
                        touched,
                    } = c;
                    let count = |id: u32| {
                        let i = id as usize;
                        if i >= counts.len() {
                            counts.resize(i + 1, [0; FIELDS]);
                        }
                        if counts[i] == [0; FIELDS] {
                            touched.push(id);
                        }
                        counts[i][field] = (counts[i][field] + 1).min(text::MAX_COUNT);
                    };
                    if bag {
                        stems.for_each_bag_term(text, count);
                    } else {
                        stems.for_each_term(text, count);
                    }
                };
                let mut add = |text: &str, field: usize| add_text(text, field, false);
                add(&v.title, 0);
                add(&v.city, 1);
                if let Some(r) = &v.region {
                    add(r, 1);
                }
                if let Some(s) = &v.doc.subtitle {
                    add(s, 2);
                }
                add(&v.doc.partners.join("\n"), 3);
                add(&v.summary, 4);
                let mut facet_labels: Vec<String> = p
                    .topics
                    .iter()
                    .map(|t| labels(Taxonomy::Topics, t, lang))
                    .collect();
                facet_labels.push(labels(
                    Taxonomy::Countries,
                    &p.country.to_ascii_lowercase(),
                    lang,
                ));
                if let Some(prog) = &p.programme {
                    facet_labels.push(labels(Taxonomy::Programmes, prog, lang));
                }
                add(&facet_labels.join("\n"), 5);
                add_text(&v.doc.body.words, 6, true);
                let out = c
                    .touched
                    .iter()
                    .map(|&id| {
                        let n = std::mem::take(&mut c.counts[id as usize]);
                        let w: u32 = n.iter().zip(WEIGHTS).map(|(&n, w)| u32::from(n) * w).sum();
                        (Arc::clone(c.stems.term(id)), w)
                    })
                    .collect();
                c.touched.clear();
                out
            },
        )
        .collect();
    let mut postings: FxHashMap<&str, Vec<(u32, u32)>> = FxHashMap::default();
    for (i, weights) in per_entry.iter().enumerate() {
        for (t, w) in weights {
            postings
                .entry(&**t)
                .or_default()
                .push((i as u32, (*w).min(255)));
        }
    }
    let mut chunks: Vec<(String, IndexFile)> = Vec::new();
    let shown = shown_words(site, entries, lang, stemmer, labels);
    let mut current = Chunk {
        terms: Vec::new(),
        postings: Vec::new(),
        words: Vec::new(),
    };
    let mut size = 0;
    let close = |chunk: &mut Chunk, chunks: &mut Vec<(String, IndexFile)>| {
        if chunk.terms.is_empty() {
            return;
        }
        let first = if chunks.is_empty() {
            String::new()
        } else {
            chunk.terms[0].to_string()
        };
        let n = chunks.len();
        chunks.push((first, hashed(dir, &format!("text-{n}"), json(&*chunk))));
        chunk.terms.clear();
        chunk.postings.clear();
        chunk.words.clear();
    };
    let mut postings: Vec<(&str, Vec<(u32, u32)>)> = postings.into_iter().collect();
    // In UTF-16 order, the order of JavaScript's `<` with which the page searches them.
    postings.sort_unstable_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    for (term, mut list) in postings {
        list.sort_unstable();
        let mut flat = Vec::with_capacity(list.len() * 2);
        let mut last = 0;
        for (i, (entry, weight)) in list.iter().enumerate() {
            flat.push(if i == 0 { *entry } else { entry - last });
            flat.push(*weight);
            last = *entry;
        }
        size += list.len();
        current.terms.push(term);
        current.postings.push(flat);
        current.words.push(
            shown
                .get(term)
                .map(|w| if w.as_str() == term { "" } else { w.as_str() }),
        );
        if size >= CHUNK_POSTINGS {
            close(&mut current, &mut chunks);
            size = 0;
        }
    }
    close(&mut current, &mut chunks);
    chunks
}

/// For each term of the catalogue's own entries (those in `lang`, not the fallback ones of
/// other languages), the word a "did you mean" offers for it, as the catalogue writes it:
/// the commonest word with that term (of at least three characters, without digits) among
/// those written in a title, place, subtitle, partner, summary, key figure or label, in
/// the spelling used most often there (`participación`). The body counts towards how
/// common a word is, but the index keeps it folded only (`participacion`), so a term found
/// only in bodies is searched but not offered, except in English, which folding leaves as
/// it is written.
fn shown_words(
    site: &Site,
    entries: &[Entry],
    lang: &str,
    stemmer: &str,
    labels: &Labels,
) -> FxHashMap<String, String> {
    use rayon::prelude::*;
    #[derive(Default)]
    struct Seen<'a> {
        /// folded word of a body → how often
        body: FxHashMap<&'a str, u32>,
        /// folded word written elsewhere → written word → how often
        written: FxHashMap<String, FxHashMap<String, u32>>,
    }
    let seen = entries
        .par_iter()
        .filter(|e| site.practices[e.practice].versions[e.version].doc.lang == lang)
        .fold(Seen::default, |mut seen, e| {
            let p = &site.practices[e.practice];
            let v = &p.versions[e.version];
            let mut note = |text: &str| {
                text::for_each_written_word(text, |written, folded| {
                    let spellings = match seen.written.get_mut(folded) {
                        Some(s) => s,
                        None => seen.written.entry(folded.to_string()).or_default(),
                    };
                    match spellings.get_mut(written) {
                        Some(n) => *n += 1,
                        None => {
                            spellings.insert(written.to_string(), 1);
                        }
                    }
                });
            };
            note(&v.title);
            note(&v.city);
            note(v.region.as_deref().unwrap_or_default());
            note(v.doc.subtitle.as_deref().unwrap_or_default());
            for partner in &v.doc.partners {
                note(partner);
            }
            note(&v.summary);
            for figure in &v.doc.key_figures {
                note(&figure.label);
            }
            for t in &p.topics {
                note(&labels(Taxonomy::Topics, t, lang));
            }
            note(&labels(
                Taxonomy::Countries,
                &p.country.to_ascii_lowercase(),
                lang,
            ));
            if let Some(prog) = &p.programme {
                note(&labels(Taxonomy::Programmes, prog, lang));
            }
            for word in v.doc.body.words.split(' ').filter(|w| !w.is_empty()) {
                *seen.body.entry(word).or_default() += 1;
            }
            seen
        })
        .reduce(Seen::default, |mut a, b| {
            for (w, n) in b.body {
                *a.body.entry(w).or_default() += n;
            }
            for (w, spellings) in b.written {
                let to = a.written.entry(w).or_default();
                for (s, n) in spellings {
                    *to.entry(s).or_default() += n;
                }
            }
            a
        });
    // How often each folded word occurs, bodies included.
    let Seen { body, written } = seen;
    let mut words = body;
    for (w, spellings) in &written {
        *words.entry(w.as_str()).or_default() += spellings.values().sum::<u32>();
    }
    // Most often first, then in alphabetical order: the same choice on every build.
    fn commonest<'w>(counts: impl Iterator<Item = (&'w str, u32)>) -> Option<&'w str> {
        counts
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(w, _)| w)
    }
    // Languages written without accents: what the body holds, folded, is how it is written.
    let unaccented = lang == "en";
    let mut by_term: FxHashMap<String, Vec<(&str, u32)>> = FxHashMap::default();
    for (word, n) in words {
        if word.chars().count() < 3
            || word.chars().any(char::is_numeric)
            || !(unaccented || written.contains_key(word))
        {
            continue;
        }
        by_term
            .entry(text::stem(word, stemmer))
            .or_default()
            .push((word, n));
    }
    by_term
        .into_iter()
        .filter_map(|(term, words)| {
            let word = commonest(words.into_iter())?;
            let shown = match written.get(word) {
                Some(spellings) => commonest(spellings.iter().map(|(s, n)| (s.as_str(), *n)))?,
                None => word,
            };
            Some((term, shown.to_string()))
        })
        .collect()
}
