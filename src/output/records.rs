//! What casebook knows of each file it wrote: enough to tell, without reading it, whether
//! the file is still as it was written, and what it was made from.

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
pub type Records = rustc_hash::FxHashMap<String, FileRecord>;

/// Every entry under `dir`: its path relative to `dir` (with `/`) and its metadata, links
/// not followed (a link is listed as a link, and what it points at is not visited). Folders
/// are read in parallel.
pub fn walk(dir: &Path) -> std::io::Result<Vec<(String, std::fs::Metadata)>> {
    // DirEntry::metadata does not follow a link.
    entries(dir, &|entry, _| entry.metadata())
}

/// Every entry under `dir` that is not a folder: its path relative to `dir` (with `/`) and,
/// for a plain file, its inode (`None` for a link or a special file). Like [`walk`], from
/// the folders' listings alone, without reading each entry's metadata.
pub fn list(dir: &Path) -> std::io::Result<Vec<(String, Option<u64>)>> {
    use std::os::unix::fs::DirEntryExt;
    entries(dir, &|entry, kind| Ok(kind.is_file().then(|| entry.ino())))
}

/// Every entry under `dir` that is not a folder, with what `of` says of it. An entry's type
/// comes with its folder's listing and does not follow a link, so a link to a folder is
/// listed, not visited. Folders are read in parallel.
fn entries<T: Send>(
    dir: &Path,
    of: &(dyn Fn(&std::fs::DirEntry, std::fs::FileType) -> std::io::Result<T> + Sync),
) -> std::io::Result<Vec<(String, T)>> {
    use rayon::prelude::*;
    fn under<T: Send>(
        dir: &Path,
        prefix: &str,
        of: &(dyn Fn(&std::fs::DirEntry, std::fs::FileType) -> std::io::Result<T> + Sync),
    ) -> std::io::Result<Vec<(String, T)>> {
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
            let kind = entry.file_type()?;
            if kind.is_dir() {
                dirs.push((entry.path(), rel));
            } else {
                found.push((rel, of(&entry, kind)?));
            }
        }
        let nested: Vec<Vec<(String, T)>> = dirs
            .par_iter()
            .map(|(d, rel)| under(d, rel, of))
            .collect::<std::io::Result<_>>()?;
        found.extend(nested.into_iter().flatten());
        Ok(found)
    }
    under(dir, "", of)
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
