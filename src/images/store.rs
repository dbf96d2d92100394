//! The processed images in the cache folder (`.casebook/images/`): each file under its
//! published name, which holds a hash of the source's bytes and of how it was processed,
//! so a name is never reused for other bytes; `probes`, each source's size and hash as
//! last seen with its file's size and time, so that an unchanged source is not read again;
//! and `index`, each file's record (its bytes' hash, size, time and inode), so that a build
//! into a new output links the files without reading them.
//! Deleting any of it is safe: what is missing is made again, and a file that is not as
//! its record says is read, not linked.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use serde::{Deserialize, Serialize};

use super::decode::{self, Header, Unreadable};
use crate::output::{Content, FileRecord};

/// The cache's record of one source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Probe {
    /// The file's size.
    pub len: u64,
    /// Its modification time (seconds, nanoseconds).
    pub mtime: (i64, i64),
    /// xxh3 of its bytes.
    pub hash: u64,
    /// Its header, or why it cannot be read.
    #[serde(with = "header_result")]
    pub header: Result<Header, Unreadable>,
}

mod header_result {
    use super::{Header, Unreadable};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    type Flat = Result<(u32, u32, bool), String>;

    pub fn serialize<S: Serializer>(
        r: &Result<Header, Unreadable>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let flat: Flat = match r {
            Ok(h) => Ok((h.width, h.height, h.alpha)),
            Err(e) => Err(e.0.clone()),
        };
        flat.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Result<Header, Unreadable>, D::Error> {
        Ok(match Flat::deserialize(d)? {
            Ok((width, height, alpha)) => Ok(Header {
                width,
                height,
                alpha,
            }),
            Err(e) => Err(Unreadable(e)),
        })
    }
}

/// The probe of the bytes of a source.
pub fn probe_bytes(bytes: &[u8]) -> Probe {
    Probe {
        len: bytes.len() as u64,
        mtime: (0, 0),
        hash: xxhash_rust::xxh3::xxh3_64(bytes),
        header: decode::header(bytes),
    }
}

/// The probe of the source at `path`, whose size and modification time are `stamp` (see
/// [`crate::theme::Version`]): `known` when they did not change.
pub fn probe(path: &Path, stamp: Option<(u64, (i64, i64))>, known: Option<&Probe>) -> Probe {
    if let (Some(k), Some((len, mtime))) = (known, stamp)
        && k.len == len
        && k.mtime == mtime
    {
        return k.clone();
    }
    match std::fs::read(path) {
        Ok(bytes) => Probe {
            mtime: stamp.map(|s| s.1).unwrap_or_default(),
            ..probe_bytes(&bytes)
        },
        Err(e) => Probe {
            len: 0,
            mtime: (0, 0),
            hash: 0,
            header: Err(Unreadable(format!("it cannot be read ({e})"))),
        },
    }
}

/// The probes in `saved` (as [`Store::read_probes`] gives them), by path in order, the
/// paths borrowed from it; none when it cannot be read.
pub fn known(saved: &[u8]) -> Vec<(&str, Probe)> {
    postcard::from_bytes(saved).unwrap_or_default()
}

/// The images folder of a cache.
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
    /// The files' records as the last build saved them, read when first needed.
    index: OnceLock<HashMap<String, FileRecord>>,
    /// The records of the files written or read during this build.
    recorded: Mutex<Vec<(String, FileRecord)>>,
}

const PROBES: &str = "probes";
/// A hash of the names of the files and cards pages name, as last seen.
const NAMES: &str = "names";
const INDEX: &str = "index";

impl Store {
    /// The store in `dir`.
    pub fn new(dir: PathBuf) -> Store {
        Store {
            dir,
            index: OnceLock::new(),
            recorded: Mutex::new(Vec::new()),
        }
    }

    fn index(&self) -> &HashMap<String, FileRecord> {
        self.index.get_or_init(|| {
            std::fs::read(self.dir.join(INDEX))
                .ok()
                .and_then(|b| postcard::from_bytes(&b).ok())
                .unwrap_or_default()
        })
    }

    fn record(&self, name: &str, record: FileRecord) {
        if let Ok(mut r) = self.recorded.lock() {
            r.push((name.to_string(), record));
        }
    }

    /// Whether this build recorded a file (wrote one, or read one that had no record).
    pub fn recorded_any(&self) -> bool {
        self.recorded.lock().is_ok_and(|r| !r.is_empty())
    }

    /// Saves the files' records for the next build, when this build recorded any, keeping
    /// only those of `kept` (the names of the files still in the folder).
    pub fn save_index(&self, kept: &HashSet<&str>) {
        let recorded =
            std::mem::take(&mut *self.recorded.lock().unwrap_or_else(|e| e.into_inner()));
        if recorded.is_empty() {
            return;
        }
        let mut index: BTreeMap<&str, FileRecord> =
            self.index().iter().map(|(n, r)| (n.as_str(), *r)).collect();
        index.extend(recorded.iter().map(|(n, r)| (n.as_str(), *r)));
        index.retain(|n, _| kept.contains(n));
        if let Ok(bytes) = postcard::to_allocvec(&index) {
            let _ = crate::incremental::cache::write_whole(&self.dir.join(INDEX), &bytes);
        }
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The probes saved by the last build, as saved (see [`known`]); empty when the file is
    /// missing.
    pub fn read_probes(&self) -> Vec<u8> {
        std::fs::read(self.dir.join(PROBES)).unwrap_or_default()
    }

    /// Saves `probes` (in the order of their paths) for the next build.
    pub fn save_probes(&self, probes: &[(&str, &Probe)]) {
        if let Ok(bytes) = postcard::to_allocvec(probes) {
            let _ = crate::incremental::cache::write_whole(&self.dir.join(PROBES), &bytes);
        }
    }

    /// Records `stamp` (a hash of the names of the files and cards pages name, `none` when
    /// there are none); whether it differs from the last one recorded: what nobody names
    /// any more is then pruned, even when no source changed and nothing was made (a
    /// practice's photo that leaves its front matter but stays in its body).
    pub fn record_names(&self, stamp: u64, none: bool) -> bool {
        let path = self.dir.join(NAMES);
        let last = std::fs::read(&path).ok();
        if last.as_deref() == Some(&stamp.to_le_bytes()[..]) || (last.is_none() && none) {
            return false;
        }
        let _ = crate::incremental::cache::write_whole(&path, &stamp.to_le_bytes());
        true
    }

    /// The cached file named `name`, if any: the file to link when it is as its record
    /// says, else its bytes (and it is recorded again). A file whose bytes are not those
    /// recorded is not used: it is made again.
    pub fn get(&self, name: &str) -> Option<Content> {
        let path = self.file(name);
        let known = self.index().get(name);
        if let Some(known) = known
            && std::fs::symlink_metadata(&path).is_ok_and(|m| known.matches(&m))
        {
            return Some(Content::Cached(path, *known));
        }
        let mut file = std::fs::File::open(&path).ok()?;
        let meta = file.metadata().ok()?;
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.read_to_end(&mut bytes).ok()?;
        let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
        if known.is_some_and(|k| k.hash != hash) {
            return None;
        }
        if meta.is_file() && meta.len() == bytes.len() as u64 {
            self.record(name, FileRecord::of(0, hash, &meta));
        }
        Some(Content::Bytes(bytes))
    }

    /// Keeps `bytes` under `name` (a cache that cannot be written is no failure: the next
    /// build makes the file again).
    pub fn put(&self, name: &str, bytes: &[u8]) {
        let path = self.file(name);
        if crate::incremental::cache::write_whole(&path, bytes).is_ok()
            && let Ok(meta) = std::fs::symlink_metadata(&path)
        {
            self.record(
                name,
                FileRecord::of(0, xxhash_rust::xxh3::xxh3_64(bytes), &meta),
            );
        }
    }

    /// Removes the files whose names are not in `keep`.
    pub fn prune(&self, keep: &HashSet<&str>) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for e in entries.flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            if name != PROBES
                && name != NAMES
                && name != INDEX
                && !name.starts_with('.')
                && !keep.contains(name.as_ref())
            {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}
