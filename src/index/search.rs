//! The search part of a catalogue index: an inverted index of folded, stemmed terms split
//! into chunks of similar size, with the words a "did you mean" may offer.
//!
//! The entries are read in a few stretches, one per task, each with its own numbering of
//! terms ([`stems::Stems`]); the stretches' numbers are then mapped to one numbering of the
//! whole catalogue, in which the postings are gathered.

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::stretch::{self, Stretch};
use super::{CHUNK_POSTINGS, IndexFile, Labels, hashed, json, text};
use crate::model::{Entry, Site};

#[derive(Serialize)]
struct Chunk<'a> {
    terms: Vec<&'a str>,
    postings: Vec<&'a [u32]>,
    /// Per term, the word a "did you mean" shows for it: `""` when that is the term
    /// itself, `null` when the term is not offered (see [`Stretch::written`]).
    words: Vec<Option<&'a str>>,
}

/// A stretch of entries, as the last build saved it or read again.
enum Found<'a> {
    /// As saved, with its bytes in the saved file.
    Kept(Stretch<'a>, &'a [u8]),
    Read(stretch::Read),
}

/// What [`search_chunks`] reads the entries with.
pub(super) struct Reading<'a> {
    /// The language of the catalogue.
    pub lang: &'a str,
    /// Its stemmer (`""`: none).
    pub stemmer: &'a str,
    /// The facets' labels.
    pub labels: &'a Labels<'a>,
    /// The stretches the last build saved for this language.
    pub saved: &'a stretch::Saved<'a>,
    /// A hash of the build's settings (see [`stretch::print`]).
    pub settings: u64,
    /// Entries per stretch ([`stretch::STRETCH`]).
    pub per_stretch: usize,
}

/// The inverted index of a catalogue, split into chunks: `(first term, file)`; with the
/// bytes of its stretches to save, when any was read anew.
pub(super) fn search_chunks<'a>(
    site: &Site,
    entries: &[Entry],
    reading: &Reading<'a>,
    dir: &str,
) -> (Vec<(String, IndexFile)>, Option<Vec<u8>>) {
    use rayon::prelude::*;
    let Reading {
        lang,
        stemmer,
        labels,
        saved,
        settings,
        per_stretch,
    } = *reading;
    // Each stretch as saved when it was read from the same texts, else read again.
    let found: Vec<(u64, Found<'a>)> = entries
        .par_chunks(per_stretch.max(1))
        .enumerate()
        .map(|(i, part)| {
            let print = stretch::print(site, part, lang, stemmer, settings);
            let found = match saved.get(i, print) {
                Some((kept, bytes)) => Found::Kept(kept, bytes),
                None => Found::Read(stretch::read(site, part, lang, stemmer, labels)),
            };
            (print, found)
        })
        .collect();
    let read: Vec<Option<Stretch>> = found
        .par_iter()
        .map(|(_, f)| match f {
            Found::Read(r) => Some(r.stretch()),
            Found::Kept(..) => None,
        })
        .collect();
    let stretches: Vec<&Stretch> = found
        .iter()
        .zip(&read)
        .filter_map(|((_, f), read)| match f {
            Found::Kept(kept, _) => Some(kept),
            Found::Read(_) => read.as_ref(),
        })
        .collect();
    let to_save = read.iter().any(Option::is_some).then(|| {
        let parts: Vec<(u64, std::borrow::Cow<[u8]>)> = stretches
            .par_iter()
            .zip(&found)
            .map(|(s, (print, f))| {
                let bytes = match f {
                    Found::Kept(_, bytes) => std::borrow::Cow::Borrowed(*bytes),
                    Found::Read(_) => {
                        std::borrow::Cow::Owned(postcard::to_allocvec(s).unwrap_or_default())
                    }
                };
                (*print, bytes)
            })
            .collect();
        stretch::save(&parts)
    });

    // One numbering of the catalogue's terms, and each stretch's numbers in it.
    let mut terms: Vec<&str> = Vec::new();
    let mut numbers: FxHashMap<&str, u32> = FxHashMap::default();
    let renumbered: Vec<Vec<u32>> = stretches
        .iter()
        .map(|s| {
            s.terms
                .iter()
                .map(|&t| {
                    *numbers.entry(t).or_insert_with(|| {
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
    drop(stretches);
    drop(read);
    let read_anew: Vec<stretch::Read> = found
        .into_iter()
        .filter_map(|(_, f)| match f {
            Found::Read(r) => Some(r),
            Found::Kept(..) => None,
        })
        .collect();
    crate::memory::drop_in_background((postings, read_anew));
    (chunks, to_save)
}

/// Per term of the catalogue (numbered as in `renumbered`, `terms` of them), its entries
/// (each as the difference from the one before) and weights, from the `stretches` in
/// order, so that each list is sorted as it grows.
fn postings(stretches: &[&Stretch], renumbered: &[Vec<u32>], terms: usize) -> Vec<Vec<u32>> {
    let mut postings: Vec<Vec<u32>> = vec![Vec::new(); terms];
    let mut last = vec![0u32; terms];
    let mut entry = 0u32;
    for (s, numbers) in stretches.iter().zip(renumbered) {
        let mut start = 0;
        for &end in &s.ends {
            let end = end as usize;
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

/// Per term of the catalogue (numbered as in `numbers`), the word a "did you mean" offers
/// for it, as the catalogue writes it: the commonest word with that term (of at least
/// three characters, without digits) among those written in a title, place, subtitle,
/// partner, summary, key figure or label of an entry in `lang`, in the spelling used most
/// often there (`participación`). The bodies count towards how common a word is, but they
/// keep it folded only (`participacion`), so a term found only in bodies is searched but
/// not offered, except in English, which folding leaves as it is written.
fn shown_words<'a>(
    stretches: &'a [&'a Stretch<'a>],
    renumbered: &[Vec<u32>],
    numbers: &FxHashMap<&str, u32>,
    terms: usize,
    stemmer: &str,
    lang: &str,
) -> Vec<Option<&'a str>> {
    // How often each folded word occurs, bodies included, and its term when known.
    let mut words: FxHashMap<&str, (u32, Option<u32>)> = FxHashMap::default();
    for (s, numbers) in stretches.iter().zip(renumbered) {
        for &(word, local, n) in &s.counted {
            words
                .entry(word)
                .or_insert((0, Some(numbers[local as usize])))
                .0 += n;
        }
    }
    let mut written: FxHashMap<&str, FxHashMap<&str, u32>> = FxHashMap::default();
    for s in stretches {
        for &(word, ref spellings) in &s.written {
            let to = written.entry(word).or_default();
            for &(spelling, n) in spellings {
                *to.entry(spelling).or_default() += n;
                words.entry(word).or_insert((0, None)).0 += n;
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

#[cfg(test)]
mod tests;
