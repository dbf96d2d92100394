//! Maps with rustc's FxHash ([`rustc_hash`]), for short keys looked up millions of times
//! (search terms, UI strings), where the standard hasher's resistance to collision attacks
//! buys nothing: the keys are the site's own text.

/// A hash map with FxHash: iteration order is arbitrary, so sort before writing anything out.
pub type FxMap<K, V> = rustc_hash::FxHashMap<K, V>;
