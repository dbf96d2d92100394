//! One stable, fast hash of any value (xxh3), for fingerprints and cache keys.

use std::hash::{Hash, Hasher};

use xxhash_rust::xxh3::Xxh3;

/// A hash of any hashable value.
pub fn hash_value<T: Hash + ?Sized>(v: &T) -> u64 {
    let mut h = Buffered::default();
    v.hash(&mut h);
    h.finish()
}

/// A [`Hasher`] that gives the hash a streaming [`Xxh3`] gives of the same bytes, without
/// setting a stream up for a short value: most values hashed are a few words (a build
/// hashes tens of thousands), and a stream's set-up costs more than hashing them. The
/// bytes are gathered, and hashed at once; beyond [`Buffered::SHORT`], they are streamed.
pub struct Buffered {
    short: [u8; Buffered::SHORT],
    len: usize,
    stream: Option<Box<Xxh3>>,
}

impl Buffered {
    /// How many bytes are gathered before they are streamed.
    pub const SHORT: usize = 240;
}

impl Default for Buffered {
    fn default() -> Self {
        Buffered {
            short: [0; Buffered::SHORT],
            len: 0,
            stream: None,
        }
    }
}

impl Buffered {
    /// Writes a value of `N` bytes: gathered with a copy of a known size (most writes are
    /// a number's few bytes, and a copy of any size costs more than they do).
    #[inline]
    fn write_array<const N: usize>(&mut self, bytes: [u8; N]) {
        match self.short.get_mut(self.len..self.len + N) {
            Some(room) if self.stream.is_none() => {
                room.copy_from_slice(&bytes);
                self.len += N;
            }
            _ => self.write(&bytes),
        }
    }
}

impl Hasher for Buffered {
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.write_array(i.to_ne_bytes());
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.write_array(i.to_ne_bytes());
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.write_array(i.to_ne_bytes());
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.write_array(i.to_ne_bytes());
    }

    #[inline]
    fn write_isize(&mut self, i: isize) {
        self.write_array(i.to_ne_bytes());
    }

    #[inline]
    fn write_i64(&mut self, i: i64) {
        self.write_array(i.to_ne_bytes());
    }

    fn write(&mut self, bytes: &[u8]) {
        if let Some(stream) = &mut self.stream {
            stream.update(bytes);
        } else if let Some(room) = self.short.get_mut(self.len..self.len + bytes.len()) {
            room.copy_from_slice(bytes);
            self.len += bytes.len();
        } else {
            let mut stream = Box::new(Xxh3::new());
            stream.update(&self.short[..self.len]);
            stream.update(bytes);
            self.stream = Some(stream);
        }
    }

    fn finish(&self) -> u64 {
        match &self.stream {
            Some(stream) => stream.digest(),
            None => xxhash_rust::xxh3::xxh3_64(&self.short[..self.len]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gathered_or_streamed_the_hash_is_xxh3_of_the_same_bytes() {
        let streamed = |v: &Writes| {
            let mut h = Xxh3::new();
            v(&mut h);
            h.finish()
        };
        let buffered = |v: &Writes| {
            let mut h = Buffered::default();
            v(&mut h);
            h.finish()
        };
        let long = "a long text ".repeat(40);
        let values: [&Writes<'_>; 5] = [
            &|_| {},
            &|h| (1u64, "photos/a.jpg", [3u32, 4]).hash(&mut HasherRef(h)),
            &|h| h.write(&[7; Buffered::SHORT]),
            &|h| (vec![9u64; 29], 5u8, 6u64).hash(&mut HasherRef(h)),
            &|h| (&long, 1u64, &long).hash(&mut HasherRef(h)),
        ];
        for v in values {
            assert_eq!(buffered(v), streamed(v));
        }
        // Through `hash_value`, numbers take the writes of a known size: across the
        // buffer's edge too.
        let numbers = (vec![9u64; 29], 5u8, 6u64, 7u32, -8i64, 9usize, -10isize);
        assert_eq!(
            hash_value(&numbers),
            streamed(&|h| numbers.hash(&mut HasherRef(h)))
        );
        assert_eq!(
            hash_value(&("a", 1)),
            streamed(&|h| ("a", 1).hash(&mut HasherRef(h)))
        );
    }

    /// What a value writes into a hasher.
    type Writes<'a> = dyn Fn(&mut dyn Hasher) + 'a;

    /// A `&mut dyn Hasher` as a `Hasher`.
    struct HasherRef<'a>(&'a mut dyn Hasher);

    impl Hasher for HasherRef<'_> {
        fn write(&mut self, bytes: &[u8]) {
            self.0.write(bytes);
        }
        fn finish(&self) -> u64 {
            self.0.finish()
        }
    }
}
