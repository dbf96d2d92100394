//! What rendering a page asks for besides its own bytes: UI strings that turn out to be
//! missing (each a warning) and fingerprinted copies of static files (each a file to
//! write). A build that keeps a page from the last build instead of rendering it (see
//! [`crate::incremental`]) asks for them again, so that its warnings and files are those of a
//! fresh build.
//!
//! Asks are noted on the thread that renders the page, inside [`capture`]; outside one
//! they are not kept. A value made once and shared by many pages (a card) keeps its own
//! asks, and every page that shows it notes them ([`note_all`]).

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// One thing a page asked for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Ask {
    /// A UI string (language, key) that the language lacks.
    Missing(String, String),
    /// The fingerprinted copy of a static file (its path under `static/`).
    Asset(String),
}

/// What one page asked for.
pub type Asks = BTreeSet<Ask>;

thread_local! {
    static NOTED: RefCell<Option<Asks>> = const { RefCell::new(None) };
}

/// Notes `ask` for what is being captured on this thread, if anything is.
pub fn note(ask: Ask) {
    NOTED.with(|n| {
        if let Some(asks) = n.borrow_mut().as_mut() {
            asks.insert(ask);
        }
    });
}

/// Notes every ask of `asks` (see [`note`]).
pub fn note_all(asks: &Asks) {
    NOTED.with(|n| {
        if let Some(noted) = n.borrow_mut().as_mut() {
            noted.extend(asks.iter().cloned());
        }
    });
}

/// Runs `f` and returns what it asked for; those asks also count for a capture around this
/// one (a card made while a page is rendered counts for the page).
pub fn capture<T>(f: impl FnOnce() -> T) -> (T, Asks) {
    let outer = NOTED.with(|n| n.replace(Some(Asks::new())));
    let value = f();
    let inner = NOTED.with(|n| n.replace(outer)).unwrap_or_default();
    note_all(&inner);
    (value, inner)
}

/// The value in `cell`, made by `make` the first time (what that asked for kept beside it);
/// either way, what making it asked for is noted for the current capture.
pub fn made_once<T>(cell: &OnceLock<(T, Asks)>, make: impl FnOnce() -> T) -> &T {
    let (value, asks) = cell.get_or_init(|| capture(make));
    note_all(asks);
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captures_nest_and_notes_outside_are_not_kept() {
        note(Ask::Asset("lost.css".into()));
        let ((_, inner), outer) = capture(|| {
            note(Ask::Asset("page.css".into()));
            capture(|| note(Ask::Missing("es".into(), "card.x".into())))
        });
        assert_eq!(
            inner,
            Asks::from([Ask::Missing("es".into(), "card.x".into())])
        );
        assert_eq!(
            outer,
            Asks::from([
                Ask::Missing("es".into(), "card.x".into()),
                Ask::Asset("page.css".into())
            ])
        );
        let (_, none) = capture(|| ());
        assert!(none.is_empty());
    }
}
