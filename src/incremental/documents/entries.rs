//! The parses cache's entries, one map per shard of the saved cache, so that loading the
//! cache makes each map on a core of its own.

use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

use super::entry::Entry;
use super::{SHARDS, shard_of};

/// The entries by path inside the site, in one map per shard ([`shard_of`]).
#[derive(Debug)]
pub(super) struct Entries(Vec<FxHashMap<PathBuf, Entry>>);

impl Default for Entries {
    fn default() -> Entries {
        Entries((0..SHARDS).map(|_| FxHashMap::default()).collect())
    }
}

impl Entries {
    /// The entries of each shard as saved, in the shards' order.
    pub(super) fn from_shards(shards: Vec<Vec<(PathBuf, Entry)>>) -> Entries {
        use rayon::prelude::*;
        let mut maps: Vec<FxHashMap<PathBuf, Entry>> = shards
            .into_par_iter()
            .map(|entries| entries.into_iter().collect())
            .collect();
        maps.resize_with(SHARDS as usize, FxHashMap::default);
        Entries(maps)
    }

    /// The map of shard `i`.
    pub(super) fn shard(&self, i: usize) -> &FxHashMap<PathBuf, Entry> {
        &self.0[i]
    }

    /// The entry of `key`.
    pub(super) fn get(&self, key: &Path) -> Option<&Entry> {
        self.0[shard_of(key)].get(key)
    }

    /// Sets the entry of `key`.
    pub(super) fn insert(&mut self, key: PathBuf, entry: Entry) {
        self.0[shard_of(&key)].insert(key, entry);
    }

    /// Takes the entry of `key` out.
    pub(super) fn remove(&mut self, key: &Path) -> Option<Entry> {
        self.0[shard_of(key)].remove(key)
    }

    /// How many entries there are.
    pub(super) fn len(&self) -> usize {
        self.0.iter().map(FxHashMap::len).sum()
    }

    /// Keeps the entries whose key passes `keep`.
    pub(super) fn retain(&mut self, mut keep: impl FnMut(&Path) -> bool) {
        for map in &mut self.0 {
            map.retain(|k, _| keep(k));
        }
    }

    /// Every entry, to change.
    pub(super) fn values_mut(&mut self) -> impl Iterator<Item = &mut Entry> {
        self.0.iter_mut().flat_map(FxHashMap::values_mut)
    }
}
