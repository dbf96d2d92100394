//! The search part of a catalogue index: an inverted index of folded, stemmed terms split
//! into chunks of similar size, with the words a "did you mean" may offer.
//!
//! The entries are read in a few stretches, one per task, each with its own numbering of
//! terms ([`stems::Stems`]); the stretches' numbers are then mapped to one numbering of the
//! whole catalogue, in which the postings are gathered.

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::{CHUNK_POSTINGS, FIELDS, IndexFile, Labels, WEIGHTS, hashed, json, stems, text};
use crate::document::FieldValue;
use crate::model::{Entry, Site, Taxonomy};

#[derive(Serialize)]
struct Chunk<'a> {
    terms: Vec<&'a str>,
    postings: Vec<&'a [u32]>,
    /// Per term, the word a "did you mean" shows for it: `""` when that is the term
    /// itself, `null` when the term is not offered (see [`Stretch::written`]).
    words: Vec<Option<&'a str>>,
}

/// What one stretch of the catalogue's entries gives, read on one core.
struct Stretch {
    /// Its terms, numbered as met; with how often each word occurs in the bodies of the
    /// entries in the catalogue's own language.
    stems: stems::Stems,
    /// Per entry of the stretch, in order: where its terms end in `weights`.
    ends: Vec<usize>,
    /// Each entry's terms (by the stretch's numbers) with their weights, one after another.
    weights: Vec<(u32, u32)>,
    /// The words written in the titles, places, subtitles, partners, summaries, key figures
    /// and labels of the entries in the catalogue's own language: folded word → word as
    /// written (lowercased) → how often.
    written: FxHashMap<String, FxHashMap<String, u32>>,
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
    let tasks = rayon::current_num_threads().max(1) * 2;
    let stretches: Vec<Stretch> = entries
        .par_chunks(entries.len().div_ceil(tasks).max(1))
        .map(|stretch| read(site, stretch, lang, stemmer, labels))
        .collect();

    // One numbering of the catalogue's terms, and each stretch's numbers in it.
    let mut terms: Vec<&str> = Vec::new();
    let mut numbers: FxHashMap<&str, u32> = FxHashMap::default();
    let renumbered: Vec<Vec<u32>> = stretches
        .iter()
        .map(|s| {
            s.stems
                .terms()
                .iter()
                .map(|t| {
                    *numbers.entry(&**t).or_insert_with(|| {
                        terms.push(t);
                        terms.len() as u32 - 1
                    })
                })
                .collect()
        })
        .collect();

    // The postings, and beside them the words a "did you mean" offers.
    let (postings, shown) = rayon::join(
        || postings(&stretches, &renumbered, terms.len()),
        || {
            shown_words(
                &stretches,
                &renumbered,
                &numbers,
                terms.len(),
                stemmer,
                lang,
            )
        },
    );

    // In UTF-16 order, the order of JavaScript's `<` with which the page searches them.
    let mut order: Vec<usize> = (0..terms.len())
        .filter(|&t| !postings[t].is_empty())
        .collect();
    order.par_sort_unstable_by(|&a, &b| terms[a].encode_utf16().cmp(terms[b].encode_utf16()));
    // Cut into chunks of about CHUNK_POSTINGS postings each, written on every core.
    let mut spans = Vec::new();
    let (mut from, mut size) = (0, 0);
    for (i, &t) in order.iter().enumerate() {
        size += postings[t].len() / 2;
        if size >= CHUNK_POSTINGS {
            spans.push((from, i + 1));
            (from, size) = (i + 1, 0);
        }
    }
    if from < order.len() {
        spans.push((from, order.len()));
    }
    let chunks = spans
        .par_iter()
        .enumerate()
        .map(|(n, &(from, to))| {
            let ts = &order[from..to];
            let chunk = Chunk {
                terms: ts.iter().map(|&t| terms[t]).collect(),
                postings: ts.iter().map(|&t| postings[t].as_slice()).collect(),
                words: ts
                    .iter()
                    .map(|&t| shown[t].map(|w| if w == terms[t] { "" } else { w }))
                    .collect(),
            };
            let first = if n == 0 {
                String::new()
            } else {
                chunk.terms[0].to_string()
            };
            (first, hashed(dir, &format!("text-{n}"), json(&chunk)))
        })
        .collect();
    // Hundreds of thousands of small allocations, whose freeing the index need not wait for.
    drop((shown, numbers, terms));
    crate::memory::drop_in_background((postings, stretches));
    chunks
}

/// Per term of the catalogue (numbered as in `renumbered`, `terms` of them), its entries
/// (each as the difference from the one before) and weights, from the `stretches` in
/// order, so that each list is sorted as it grows.
fn postings(stretches: &[Stretch], renumbered: &[Vec<u32>], terms: usize) -> Vec<Vec<u32>> {
    let mut postings: Vec<Vec<u32>> = vec![Vec::new(); terms];
    let mut last = vec![0u32; terms];
    let mut entry = 0u32;
    for (s, numbers) in stretches.iter().zip(renumbered) {
        let mut start = 0;
        for &end in &s.ends {
            for &(local, weight) in &s.weights[start..end] {
                let t = numbers[local as usize] as usize;
                let list = &mut postings[t];
                list.push(if list.is_empty() {
                    entry
                } else {
                    entry - last[t]
                });
                list.push(weight.min(255));
                last[t] = entry;
            }
            start = end;
            entry += 1;
        }
    }
    postings
}

/// Reads one stretch of the catalogue's entries (see [`Stretch`]).
fn read(site: &Site, entries: &[Entry], lang: &str, stemmer: &str, labels: &Labels) -> Stretch {
    let mut out = Stretch {
        stems: stems::Stems::new(stemmer),
        ends: Vec::with_capacity(entries.len()),
        weights: Vec::new(),
        written: FxHashMap::default(),
    };
    // Per term, how often it occurs in each field of the current entry (up to 3), reset
    // after each entry through the list of those touched.
    let mut counts: Vec<[u8; FIELDS]> = Vec::new();
    let mut touched: Vec<u32> = Vec::new();
    for e in entries {
        let p = &site.practices[e.practice];
        let v = &p.versions[e.version];
        let own = v.doc.lang == lang;
        let Stretch {
            stems, written: w, ..
        } = &mut out;
        let mut count = |id: u32, field: usize| {
            let i = id as usize;
            if i >= counts.len() {
                counts.resize(i + 1, [0; FIELDS]);
            }
            if counts[i] == [0; FIELDS] {
                touched.push(id);
            }
            counts[i][field] = (counts[i][field] + 1).min(text::MAX_COUNT);
        };
        let mut add = |text: &str, field: usize| stems.for_each_term(text, |id| count(id, field));
        // The words as written, for "did you mean" (the entries in this language only).
        let mut note = |text: &str| {
            if own {
                note_written(w, text);
            }
        };
        add(&v.title, 0);
        note(&v.title);
        add(&v.city, 1);
        note(&v.city);
        if let Some(r) = &v.region {
            add(r, 1);
            note(r);
        }
        if let Some(s) = &v.doc.subtitle {
            add(s, 2);
            note(s);
        }
        add(&v.doc.partners.join("\n"), 3);
        for partner in &v.doc.partners {
            note(partner);
        }
        add(&v.summary, 4);
        note(&v.summary);
        for figure in &v.doc.key_figures {
            note(&figure.label);
        }
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
        for label in &facet_labels {
            note(label);
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
        stems.for_each_bag_term(&v.doc.body.words, own, |id| count(id, 6));
        for &id in &touched {
            let n = std::mem::take(&mut counts[id as usize]);
            let weight: u32 = n.iter().zip(WEIGHTS).map(|(&n, w)| u32::from(n) * w).sum();
            out.weights.push((id, weight));
        }
        touched.clear();
        out.ends.push(out.weights.len());
    }
    out
}

/// Counts the words of `text` as written into `written` (see [`Stretch::written`]).
fn note_written(written: &mut FxHashMap<String, FxHashMap<String, u32>>, text: &str) {
    text::for_each_written_word(text, |as_written, folded| {
        let spellings = match written.get_mut(folded) {
            Some(s) => s,
            None => written.entry(folded.to_string()).or_default(),
        };
        match spellings.get_mut(as_written) {
            Some(n) => *n += 1,
            None => {
                spellings.insert(as_written.to_string(), 1);
            }
        }
    });
}

/// Per term of the catalogue (numbered as in `numbers`), the word a "did you mean" offers
/// for it, as the catalogue writes it: the commonest word with that term (of at least
/// three characters, without digits) among those written in a title, place, subtitle,
/// partner, summary, key figure or label of an entry in `lang`, in the spelling used most
/// often there (`participación`). The bodies count towards how common a word is, but they
/// keep it folded only (`participacion`), so a term found only in bodies is searched but
/// not offered, except in English, which folding leaves as it is written.
fn shown_words<'a>(
    stretches: &'a [Stretch],
    renumbered: &[Vec<u32>],
    numbers: &FxHashMap<&str, u32>,
    terms: usize,
    stemmer: &str,
    lang: &str,
) -> Vec<Option<&'a str>> {
    // How often each folded word occurs, bodies included, and its term when known.
    let mut words: FxHashMap<&str, (u32, Option<u32>)> = FxHashMap::default();
    for (s, numbers) in stretches.iter().zip(renumbered) {
        for (word, local, n) in s.stems.counted() {
            words
                .entry(word)
                .or_insert((0, Some(numbers[local as usize])))
                .0 += n;
        }
    }
    let mut written: FxHashMap<&str, FxHashMap<&str, u32>> = FxHashMap::default();
    for s in stretches {
        for (word, spellings) in &s.written {
            let to = written.entry(word.as_str()).or_default();
            for (spelling, n) in spellings {
                *to.entry(spelling.as_str()).or_default() += n;
                words.entry(word.as_str()).or_insert((0, None)).0 += n;
            }
        }
    }
    // Most often first, then in alphabetical order: the same choice on every build.
    fn better(a: (&str, u32), than: Option<(&str, u32)>) -> bool {
        than.is_none_or(|b| a.1 > b.1 || (a.1 == b.1 && a.0 < b.0))
    }
    // Languages written without accents: what the body holds, folded, is how it is written.
    let unaccented = lang == "en";
    let mut commonest: Vec<Option<(&str, u32)>> = vec![None; terms];
    for (word, (n, term)) in words {
        if word.chars().count() < 3
            || word.chars().any(char::is_numeric)
            || !(unaccented || written.contains_key(word))
        {
            continue;
        }
        let term = match term {
            Some(t) => t,
            // A word written only where the index does not look (a key figure's label).
            None => match numbers.get(text::stem(word, stemmer).as_str()) {
                Some(&t) => t,
                None => continue,
            },
        };
        let best = &mut commonest[term as usize];
        if better((word, n), *best) {
            *best = Some((word, n));
        }
    }
    commonest
        .into_iter()
        .map(|best| {
            let (word, _) = best?;
            let Some(spellings) = written.get(word) else {
                return Some(word);
            };
            let mut shown: Option<(&str, u32)> = None;
            for (&s, &n) in spellings {
                if better((s, n), shown) {
                    shown = Some((s, n));
                }
            }
            shown.map(|(s, _)| s)
        })
        .collect()
}
