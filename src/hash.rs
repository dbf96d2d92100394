//! One stable, fast hash of any value (xxh3), for fingerprints and cache keys.

use std::hash::{Hash, Hasher};

use xxhash_rust::xxh3::Xxh3;

/// A hash of any hashable value.
pub fn hash_value<T: Hash + ?Sized>(v: &T) -> u64 {
    let mut h = Xxh3::new();
    v.hash(&mut h);
    h.finish()
}
