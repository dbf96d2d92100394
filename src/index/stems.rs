//! The search terms of one language, numbered: each word of a catalogue folded and stemmed
//! once ([`Stems`]).

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::text::{fold, for_each_token, stem_into};

/// The search terms of one language, numbered as they are met: remembers the term of every
/// word it has seen (texts of a catalogue share most of their words, so each is folded and
/// stemmed once), and gives words with the same stem the same number. It can also count
/// how often words are met (see [`Stems::count`]).
pub struct Stems {
    lang: String,
    /// Per folded word: its term, and how often it was counted.
    of_word: FxHashMap<Box<str>, (u32, u32)>,
    of_stem: FxHashMap<Arc<str>, u32>,
    terms: Vec<Arc<str>>,
    buf: Vec<char>,
    out: String,
}

impl Stems {
    /// No terms yet, for `lang`.
    pub fn new(lang: &str) -> Stems {
        Stems {
            lang: lang.to_string(),
            of_word: FxHashMap::default(),
            of_stem: FxHashMap::default(),
            terms: Vec::new(),
            buf: Vec::new(),
            out: String::new(),
        }
    }

    /// The number of the term of a folded word (see [`stem`](super::text::stem)).
    pub fn id(&mut self, word: &str) -> u32 {
        match self.of_word.get(word) {
            Some(&(id, _)) => id,
            None => self.add(word, 0),
        }
    }

    /// [`Stems::id`], counting the word once more (see [`Stems::counted`]).
    pub fn count(&mut self, word: &str) -> u32 {
        match self.of_word.get_mut(word) {
            Some((id, n)) => {
                *n += 1;
                *id
            }
            None => self.add(word, 1),
        }
    }

    /// Remembers a word not met before, counted `count` times; returns its term's number.
    fn add(&mut self, word: &str, count: u32) -> u32 {
        stem_into(word, &self.lang, &mut self.buf, &mut self.out);
        let id = match self.of_stem.get(self.out.as_str()) {
            Some(&id) => id,
            None => {
                let id = self.terms.len() as u32;
                let term: Arc<str> = Arc::from(self.out.as_str());
                self.terms.push(Arc::clone(&term));
                self.of_stem.insert(term, id);
                id
            }
        };
        self.of_word.insert(word.into(), (id, count));
        id
    }

    /// The term numbered `id`.
    pub fn term(&self, id: u32) -> &Arc<str> {
        &self.terms[id as usize]
    }

    /// Every term, by number.
    pub fn terms(&self) -> &[Arc<str>] {
        &self.terms
    }

    /// Each word counted at least once: the word, its term's number and its count.
    pub fn counted(&self) -> impl Iterator<Item = (&str, u32, u32)> {
        self.of_word
            .iter()
            .filter(|(_, (_, n))| *n > 0)
            .map(|(w, (id, n))| (&**w, *id, *n))
    }

    /// How many terms there are: numbers go from 0 to this.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether there are no terms yet.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Calls `f` with the number of each search term of `text` (see
    /// [`for_each_term`](super::text::for_each_term)).
    pub fn for_each_term(&mut self, text: &str, mut f: impl FnMut(u32)) {
        let folded = fold(text);
        for_each_token(&folded, |t| f(self.id(t)));
    }

    /// Calls `f` with the number of the term of each word of a
    /// [`word_bag`](super::text::word_bag); counts each word when `counting`.
    pub fn for_each_bag_term(&mut self, bag: &str, counting: bool, mut f: impl FnMut(u32)) {
        for word in bag.split(' ').filter(|w| !w.is_empty()) {
            f(if counting {
                self.count(word)
            } else {
                self.id(word)
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::text::{MAX_COUNT, word_bag};

    #[test]
    fn a_word_bag_gives_the_capped_counts_of_its_text() {
        let text = "Houses, houses and HOUSE; co-production: València, valencia, Valencias, \
                    valencias and a house. Col·lectiu col·lectius";
        let bag = word_bag(text);
        // Each word at most three times, however often it is written.
        assert_eq!(
            word_bag(&[text; 10].join(" ")),
            word_bag(&[text; 3].join(" "))
        );
        for lang in ["en", "es", "ca", "xx"] {
            let capped = |ids: Vec<u32>, stems: &Stems| {
                let mut counts: std::collections::BTreeMap<String, u8> = Default::default();
                for id in ids {
                    let n = counts.entry(stems.term(id).to_string()).or_default();
                    *n = (*n + 1).min(MAX_COUNT);
                }
                counts
            };
            let mut stems = Stems::new(lang);
            let mut ids = Vec::new();
            stems.for_each_term(text, |id| ids.push(id));
            let whole = capped(ids, &stems);
            let mut ids = Vec::new();
            stems.for_each_bag_term(&bag, false, |id| ids.push(id));
            assert_eq!(capped(ids, &stems), whole, "{lang}");
        }
    }
}
