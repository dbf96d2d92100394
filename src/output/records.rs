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

    /// Whether `other` records the same bytes (by their hash and size).
    pub fn same_bytes(&self, other: &FileRecord) -> bool {
        self.hash == other.hash && self.size == other.size
    }

    /// Whether `meta` (read without following links) is of this file, unchanged.
    pub fn matches(&self, meta: &std::fs::Metadata) -> bool {
        meta.file_type().is_file() && FileStamp::of(meta) == self.stamp()
    }

    /// What [`FileRecord::matches`] compares.
    pub fn stamp(&self) -> FileStamp {
        FileStamp {
            inode: self.inode,
            size: self.size,
            mtime: self.mtime,
        }
    }
}

/// A plain file as found on disk: its inode, size and modification time. A file with the
/// stamp of a [`FileRecord`] is the file recorded, unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    /// Its inode.
    pub inode: u64,
    /// Its size in bytes.
    pub size: u64,
    /// Its modification time, in seconds and nanoseconds.
    pub mtime: (i64, i64),
}

impl FileStamp {
    /// The stamp of the file whose metadata is `meta`.
    pub fn of(meta: &std::fs::Metadata) -> FileStamp {
        FileStamp {
            inode: meta.ino(),
            size: meta.len(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
        }
    }
}

/// Every file of an output folder, by path relative to it (with `/`).
pub type Records = rustc_hash::FxHashMap<String, FileRecord>;

/// A folder as it was at one moment: its inode and the times of its last change. Adding,
/// removing or renaming an entry changes a folder's times, so a folder with the same stamp
/// holds the same names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderStamp {
    inode: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

/// How long a folder must have stayed unchanged for its stamp to be trusted: a change
/// within the file system's clock tick of the last one can leave its times as they were.
const SETTLED: std::time::Duration = std::time::Duration::from_secs(2);

impl FolderStamp {
    fn of(meta: &std::fs::Metadata) -> FolderStamp {
        FolderStamp {
            inode: meta.ino(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
        }
    }

    /// The stamp of the folder at `path`, when it has not changed in the moments before
    /// `now`; `None` otherwise (and when it is not a folder).
    pub fn settled(path: &Path, now: std::time::SystemTime) -> Option<FolderStamp> {
        let meta = std::fs::symlink_metadata(path).ok()?;
        let stamp = FolderStamp::of(&meta);
        let since = now
            .checked_sub(SETTLED)?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?;
        let before =
            |(s, ns): (i64, i64)| (s, ns) < (since.as_secs() as i64, since.subsec_nanos() as i64);
        (meta.is_dir() && before(stamp.mtime) && before(stamp.ctime)).then_some(stamp)
    }

    /// Whether the folder at `path` is still as stamped.
    pub fn holds(&self, path: &Path) -> bool {
        std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir() && FolderStamp::of(&m) == *self)
    }
}

/// A folder of an output whose files are all processed images (`_images/`, whose files are
/// named after their content, and a folder of photos' copies at their own paths), with
/// its stamp: while it is as stamped, its files are the ones recorded, and a build trusts
/// them without looking at each (a file changed in place there is not noticed; see
/// docs/performance.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedFolder {
    /// Its path relative to the output (`_images`).
    pub path: String,
    /// Its stamp.
    pub stamp: FolderStamp,
    /// How many files it holds.
    pub files: usize,
}

impl SealedFolder {
    /// Its path with a final `/`: the start of the paths of its files.
    pub fn prefix(&self) -> String {
        format!("{}/", self.path)
    }

    /// Whether it is still as stamped in the folder `dir`.
    pub fn holds_in(&self, dir: &Path) -> bool {
        self.stamp.holds(&dir.join(&self.path))
    }
}

/// The sealed folders of an output.
pub type Sealed = Vec<SealedFolder>;

/// The folders of `sealed` still as stamped under `dir`, each as a prefix (`_images/`).
pub fn unchanged_folders(dir: &Path, sealed: &Sealed) -> Vec<String> {
    sealed
        .iter()
        .filter(|f| f.holds_in(dir))
        .map(SealedFolder::prefix)
        .collect()
}

/// Every entry under `dir` that is not a folder: its path relative to `dir` (with `/`) and
/// its metadata, links not followed (an entry's type comes with its folder's listing, so a
/// link to a folder is listed, not visited). Folders are read in parallel; those whose
/// relative path with a final `/` is in `skip` are not.
pub fn walk(dir: &Path, skip: &[String]) -> std::io::Result<Vec<(String, std::fs::Metadata)>> {
    walk_under(dir, "", skip)
}

/// [`walk`] of the folder `dir`, at `prefix` from the walk's start.
fn walk_under(
    dir: &Path,
    prefix: &str,
    skip: &[String],
) -> std::io::Result<Vec<(String, std::fs::Metadata)>> {
    use rayon::prelude::*;
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
        if entry.file_type()?.is_dir() {
            if !skip
                .iter()
                .any(|s| s.strip_suffix('/') == Some(rel.as_str()))
            {
                dirs.push((entry.path(), rel));
            }
        } else {
            // DirEntry::metadata does not follow a link.
            found.push((rel, entry.metadata()?));
        }
    }
    let nested: Vec<Vec<(String, std::fs::Metadata)>> = dirs
        .par_iter()
        .map(|(d, rel)| walk_under(d, rel, skip))
        .collect::<std::io::Result<_>>()?;
    found.extend(nested.into_iter().flatten());
    Ok(found)
}

/// Whether the folder `dir` holds exactly the files of `records`, each as recorded (so,
/// unless changed behind casebook's back while keeping its size, time and inode, with its
/// bytes), and nothing else: no other file, no link. The files of the folders of `sealed`
/// that are still as stamped are trusted as recorded.
pub fn verify(dir: &Path, records: &Records, sealed: &Sealed) -> bool {
    let skip = unchanged_folders(dir, sealed);
    let Ok(entries) = walk(dir, &skip) else {
        return false;
    };
    let trusted = records
        .keys()
        .filter(|rel| skip.iter().any(|s| rel.starts_with(s.as_str())))
        .count();
    entries.len() + trusted == records.len()
        && entries
            .iter()
            .all(|(rel, meta)| records.get(rel).is_some_and(|r| r.matches(meta)))
}
