//! The search terms of a catalogue's entries, read in stretches of [`STRETCH`] entries, and
//! kept from one build to the next: a rebuild after one body edit reads the stretch of the
//! edited entry again, and takes the others as the last build saved them.
//!
//! A stretch is kept under a print of everything it was read from: the texts of its
//! entries' practices (every language version's, since a version inherits from the
//! others), which versions they are, the language and its stemmer, and the build's settings
//! (casebook itself, casebook.yaml and the UI strings, which give the facets' labels). The
//! saved stretches of one language are one file of the cache folder
//! ([`crate::incremental::Cache::search`]), read in place: their words are borrowed from it.

use std::hash::{Hash, Hasher};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::{FIELDS, Labels, WEIGHTS, stems, text};
use crate::document::FieldValue;
use crate::model::{Entry, Site, Taxonomy};

/// Entries per stretch: a body edit reads this many entries again.
pub const STRETCH: usize = 500;

/// Bumped when the shape of a saved stretch, or how one is read, changes.
const FORMAT: u64 = 1;

/// What one stretch of a catalogue's entries gives the search index, as saved and as used.
#[derive(Serialize, Deserialize)]
pub(super) struct Stretch<'a> {
    /// Its terms, numbered as met.
    #[serde(borrow)]
    pub terms: Vec<&'a str>,
    /// Each folded word met in the bodies of the entries in the catalogue's own language
    /// (see [`stems::Stems::counted`]): the word, its term's number, how often.
    #[serde(borrow)]
    pub counted: Vec<(&'a str, u32, u32)>,
    /// Per entry of the stretch, in order: where its terms end in `weights`.
    pub ends: Vec<u32>,
    /// Each entry's terms (by the stretch's numbers) with their weights, one after another.
    pub weights: Vec<(u32, u32)>,
    /// The words written in the titles, places, subtitles, partners, summaries, key figures
    /// and labels of the entries in the catalogue's own language: folded word → each way
    /// it is written (lowercased), with how often.
    #[serde(borrow)]
    pub written: Vec<(&'a str, Vec<(&'a str, u32)>)>,
}

/// A stretch read from the entries.
pub(super) struct Read {
    stems: stems::Stems,
    ends: Vec<u32>,
    weights: Vec<(u32, u32)>,
    written: FxHashMap<String, FxHashMap<String, u32>>,
}

impl Read {
    /// The stretch it gives.
    pub fn stretch(&self) -> Stretch<'_> {
        Stretch {
            terms: self.stems.terms().iter().map(|t| &**t).collect(),
            counted: self.stems.counted().collect(),
            ends: self.ends.clone(),
            weights: self.weights.clone(),
            written: self
                .written
                .iter()
                .map(|(w, s)| {
                    (
                        w.as_str(),
                        s.iter().map(|(s, n)| (s.as_str(), *n)).collect(),
                    )
                })
                .collect(),
        }
    }
}

/// The stretches a build saved for one language, as they lie in their file.
pub(super) struct Saved<'a> {
    /// Each stretch's print and bytes, in order.
    stretches: Vec<(u64, &'a [u8])>,
}

impl<'a> Saved<'a> {
    /// The stretches saved in `bytes` (see [`save`]); none when the bytes are not such a file.
    pub fn parse(bytes: &'a [u8]) -> Saved<'a> {
        let parsed = || -> Option<Vec<(u64, &'a [u8])>> {
            let (head, mut rest) =
                postcard::take_from_bytes::<(u64, Vec<(u64, u64)>)>(bytes).ok()?;
            let (format, lengths) = head;
            if format != FORMAT {
                return None;
            }
            let mut stretches = Vec::with_capacity(lengths.len());
            for (print, len) in lengths {
                let (this, after) = rest.split_at_checked(usize::try_from(len).ok()?)?;
                stretches.push((print, this));
                rest = after;
            }
            Some(stretches)
        };
        Saved {
            stretches: parsed().unwrap_or_default(),
        }
    }

    /// The stretch at `i` as saved, with its bytes, when it was read from what `print` says.
    pub fn get(&self, i: usize, print: u64) -> Option<(Stretch<'a>, &'a [u8])> {
        let &(saved, bytes) = self.stretches.get(i)?;
        if saved != print {
            return None;
        }
        Some((postcard::from_bytes(bytes).ok()?, bytes))
    }
}

/// The bytes of a file of stretches (see [`Saved::parse`]): each stretch's print and bytes.
pub(super) fn save(stretches: &[(u64, std::borrow::Cow<[u8]>)]) -> Vec<u8> {
    let lengths: Vec<(u64, u64)> = stretches
        .iter()
        .map(|(print, bytes)| (*print, bytes.len() as u64))
        .collect();
    let mut out = postcard::to_allocvec(&(FORMAT, lengths)).unwrap_or_default();
    for (_, bytes) in stretches {
        out.extend_from_slice(bytes);
    }
    out
}

/// The print of what the stretch of `entries` is read from (see the module's comment), in a
/// build whose settings hash to `settings`.
pub(super) fn print(
    site: &Site,
    entries: &[Entry],
    lang: &str,
    stemmer: &str,
    settings: u64,
) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    (FORMAT, settings, lang, stemmer, entries.len()).hash(&mut h);
    for e in entries {
        let p = &site.practices[e.practice];
        (e.version, p.versions.len()).hash(&mut h);
        for v in &p.versions {
            (&v.doc.lang, v.doc.source.hash()).hash(&mut h);
        }
    }
    h.finish()
}

/// Reads one stretch of the catalogue's entries (see [`Stretch`]).
pub(super) fn read(
    site: &Site,
    entries: &[Entry],
    lang: &str,
    stemmer: &str,
    labels: &Labels,
) -> Read {
    let mut out = Read {
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
        let Read {
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
        out.ends.push(out.weights.len() as u32);
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
