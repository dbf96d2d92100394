//! The search part of a catalogue index: an inverted index of folded, stemmed terms split
//! into chunks of similar size, with the words a "did you mean" may offer.

use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::{CHUNK_POSTINGS, FIELDS, IndexFile, Labels, WEIGHTS, hashed, json, text};
use crate::document::FieldValue;
use crate::model::{Entry, Site, Taxonomy};

#[derive(Serialize)]
struct Chunk<'a> {
    terms: Vec<&'a str>,
    postings: Vec<Vec<u32>>,
    /// Per term, the word a "did you mean" shows for it: `""` when that is the term
    /// itself, `null` when the term is not offered (see [`shown_words`]).
    words: Vec<Option<&'a str>>,
}

/// The inverted index of a catalogue, split into chunks: `(first term, file)`.
pub(super) fn search_chunks(
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
                // The site's declared fields: term labels beside the facets', texts as body.
                let mut declared_text = String::new();
                for f in &site.config.fields {
                    let value = p.declared_value(v, f);
                    match (value, site.config.vocabulary_of(f)) {
                        (Some(FieldValue::List(keys)), Some(vocab)) => {
                            facet_labels.extend(keys.iter().map(|k| {
                                vocab
                                    .label(k, lang, site.config.fallbacks(lang))
                                    .to_string()
                            }))
                        }
                        (Some(FieldValue::List(items)), None) => {
                            declared_text.push_str(&items.join("\n"));
                            declared_text.push('\n');
                        }
                        (Some(FieldValue::Text(t) | FieldValue::Markdown(t)), _) => {
                            declared_text.push_str(t);
                            declared_text.push('\n');
                        }
                        _ => {}
                    }
                }
                add(&facet_labels.join("\n"), 5);
                add(&declared_text, 6);
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
