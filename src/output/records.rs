//! What casebook knows of each file it wrote: enough to tell, without reading it, whether
//! the file is still as it was written, and what it was made from.

use std::collections::HashMap;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// One file of an output folder, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    /// A hash of what the file was made from (see [`crate::incremental`]): a file whose
    /// inputs have the same hash would be made with the same bytes.
    pub made_from: u64,
    /// xxh3 of its bytes.
    pub hash: u64,
    /// Its size in bytes.
    pub size: u64,
    /// Its modification time, in seconds and nanoseconds.
    pub mtime: (i64, i64),
    /// Its inode: a file put in its place (a link to a file elsewhere) has another.
    pub inode: u64,
}

impl FileRecord {
    /// The record of a file written with `bytes` (hashed as `hash`), whose metadata is `meta`.
    pub fn of(made_from: u64, hash: u64, meta: &std::fs::Metadata) -> FileRecord {
        FileRecord {
            made_from,
            hash,
            size: meta.len(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            inode: meta.ino(),
        }
    }

    /// Whether `meta` (read without following links) is of this file, unchanged.
    pub fn matches(&self, meta: &std::fs::Metadata) -> bool {
        meta.file_type().is_file()
            && meta.len() == self.size
            && (meta.mtime(), meta.mtime_nsec()) == self.mtime
            && meta.ino() == self.inode
    }
}

/// Every file of an output folder, by path relative to it (with `/`).
pub type Records = HashMap<String, FileRecord>;

/// Every entry under `dir`: its path relative to `dir` (with `/`) and its metadata, links
/// not followed (a link is listed as a link, and what it points at is not visited). Folders
/// are read in parallel.
pub fn walk(dir: &Path) -> std::io::Result<Vec<(String, std::fs::Metadata)>> {
    use rayon::prelude::*;
    fn under(dir: &Path, prefix: &str) -> std::io::Result<Vec<(String, std::fs::Metadata)>> {
        let mut found = Vec::new();
        let mut dirs = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            // DirEntry::metadata does not follow a link.
            let meta = entry.metadata()?;
            if meta.is_dir() {
                dirs.push((entry.path(), rel));
            } else {
                found.push((rel, meta));
            }
        }
        let nested: Vec<Vec<(String, std::fs::Metadata)>> = dirs
            .par_iter()
            .map(|(d, rel)| under(d, rel))
            .collect::<std::io::Result<_>>()?;
        found.extend(nested.into_iter().flatten());
        Ok(found)
    }
    under(dir, "")
}

/// Whether the folder `dir` holds exactly the files of `records`, each as recorded (so,
/// unless changed behind casebook's back while keeping its size, time and inode, with its
/// bytes), and nothing else: no other file, no link.
pub fn verify(dir: &Path, records: &Records) -> bool {
    let Ok(entries) = walk(dir) else {
        return false;
    };
    entries.len() == records.len()
        && entries
            .iter()
            .all(|(rel, meta)| records.get(rel).is_some_and(|r| r.matches(meta)))
}
