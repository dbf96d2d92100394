//! The drawn share cards of a build (see [`super::share_card`]) beside its photos: which
//! card a page names, what a practice's pages depend on, and each card's file, taken from
//! the cache folder or drawn (once) and cached.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::Images;
use super::share_card::Card;
use crate::diagnostics::Diagnostic;
use crate::output::Content;

/// Draws a card: its PNG, from the theme's template (see [`crate::render::share_card`]).
pub type Draw<'a> = dyn Fn(&Card) -> Result<Vec<u8>, Diagnostic> + Sync + 'a;

/// The cards of a build.
#[derive(Debug, Default)]
pub struct Cards {
    cards: Vec<Card>,
    /// Each card by (practice, language).
    index: HashMap<(usize, String), usize>,
    /// Per practice with cards, a hash of their names.
    prints: HashMap<usize, u64>,
    /// How many were drawn (the others came from the cache).
    drawn: AtomicUsize,
}

impl Cards {
    /// The names of their files in the cache.
    pub fn cache_names(&self) -> impl Iterator<Item = &str> {
        self.cards.iter().map(|c| c.cache.as_str())
    }
}

impl<'a> Images<'a> {
    /// These images with the drawn share cards `cards` (see [`share_card::plan`]).
    pub fn with_share_cards(mut self, cards: Vec<Card>) -> Images<'a> {
        let index = cards
            .iter()
            .enumerate()
            .map(|(i, c)| ((c.practice, c.fields.lang.clone()), i))
            .collect();
        let mut prints: HashMap<usize, Vec<&str>> = HashMap::new();
        for c in &cards {
            prints.entry(c.practice).or_default().push(c.path.as_str());
        }
        let prints = prints
            .into_iter()
            .map(|(p, names)| (p, crate::hash::hash_value(&names)))
            .collect();
        self.cards = Cards {
            cards,
            index,
            prints,
            drawn: AtomicUsize::new(0),
        };
        self
    }

    /// The drawn card of practice `practice` in `lang`, if it has one.
    pub fn share_card(&self, practice: usize, lang: &str) -> Option<&Card> {
        let i = self.cards.index.get(&(practice, lang.to_string()))?;
        self.cards.cards.get(*i)
    }

    /// A hash of the names of the drawn cards of practice `practice` (its pages name
    /// them); `None` when it has none.
    pub fn share_card_print(&self, practice: usize) -> Option<u64> {
        self.cards.prints.get(&practice).copied()
    }

    /// How many cards this build drew (the others came from the cache folder).
    pub fn cards_drawn(&self) -> usize {
        self.cards.drawn.load(Ordering::Relaxed)
    }

    /// One group per card (see [`crate::publish::Group`]): from the cache, or drawn by
    /// `draw` and cached.
    pub(super) fn card_groups<'b>(&'b self, draw: &'b Draw<'b>) -> Vec<crate::publish::Group<'b>> {
        self.cards
            .cards
            .iter()
            .map(|card| crate::publish::Group {
                name: card.path.clone(),
                // Not a copy: `serve` draws new cards after the pages it shows first.
                deps: vec![crate::plan::Dep::ShareCard(card.practice)],
                make: Box::new(move || Ok(vec![(card.path.clone(), self.card(card, draw)?)])),
            })
            .collect()
    }

    /// The PNG of `card`: from the cache, or drawn now (and cached).
    fn card(&self, card: &Card, draw: &Draw) -> Result<Content, Diagnostic> {
        if let Some(cached) = self.store.as_ref().and_then(|s| s.get(&card.cache)) {
            return Ok(cached);
        }
        let bytes = draw(card)?;
        self.cards.drawn.fetch_add(1, Ordering::Relaxed);
        self.changed.store(true, Ordering::Relaxed);
        if let Some(s) = &self.store {
            s.put(&card.cache, &bytes);
        }
        Ok(Content::Bytes(bytes))
    }
}
