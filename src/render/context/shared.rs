//! Values many pages of one language show alike: a term's `{key, label, url}`, a date's
//! `{iso, display, year}`. Each is made once and shared (tera's maps are reference-counted,
//! so a shared value is one allocation however many cards hold it): the cards kept for the
//! whole build then hold only their own values.

use std::sync::RwLock;

use rustc_hash::FxHashMap;
use tera::Value;

use crate::input::dates::PartialDate;
use crate::model::Taxonomy;

/// The shared values of one language.
#[derive(Default)]
pub(super) struct Shared {
    terms: RwLock<FxHashMap<Taxonomy, FxHashMap<Box<str>, Value>>>,
    dates: RwLock<FxHashMap<PartialDate, Value>>,
}

impl Shared {
    /// The reference to term `key` of `taxonomy`, made by `make` the first time.
    pub(super) fn term(
        &self,
        taxonomy: Taxonomy,
        key: &str,
        make: impl FnOnce() -> Value,
    ) -> Value {
        once(
            &self.terms,
            |terms| terms.get(&taxonomy)?.get(key).cloned(),
            |terms, value| {
                let of = terms.entry(taxonomy).or_default();
                of.entry(key.into()).or_insert(value);
            },
            make,
        )
    }

    /// The date `d`, made by `make` the first time.
    pub(super) fn date(&self, d: &PartialDate, make: impl FnOnce() -> Value) -> Value {
        once(
            &self.dates,
            |dates| dates.get(d).cloned(),
            |dates, value| {
                dates.entry(*d).or_insert(value);
            },
            make,
        )
    }
}

/// The value `get` finds in `lock`, or the one `make` makes, kept there by `put`.
fn once<M>(
    lock: &RwLock<M>,
    get: impl FnOnce(&M) -> Option<Value>,
    put: impl FnOnce(&mut M, Value),
    make: impl FnOnce() -> Value,
) -> Value {
    if let Some(value) = lock.read().ok().and_then(|m| get(&m)) {
        return value;
    }
    let value = make();
    if let Ok(mut m) = lock.write() {
        put(&mut m, value.clone());
    }
    value
}
