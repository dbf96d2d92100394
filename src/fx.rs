//! rustc's FxHash, for maps of short keys looked up millions of times (search terms, UI
//! strings), where the standard hasher's resistance to collision attacks buys nothing: the
//! keys are the site's own text.

use std::collections::HashMap;

/// The FxHash hasher.
#[derive(Default, Clone, Copy)]
pub struct Fx(u64);

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl std::hash::Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A hash map with [`Fx`]: iteration order is arbitrary, so sort before writing anything out.
pub type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fx>>;
