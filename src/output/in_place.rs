//! A served site, updated file by file.
//!
//! `serve` writes into a folder of its own that is being read while it changes. Changed
//! files are first written into a scratch folder on the same file system; only when the
//! whole rebuild succeeded are they renamed into place, one atomic rename each, so a page
//! being served is always a whole file, and a rebuild that fails changes nothing. Files
//! whose bytes did not change are not written at all.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::records::{FileRecord, Records};
use super::staging::safe_path;
use super::{Sink, write_error};
use crate::diagnostics::Diagnostic;

/// One rebuild of a served folder in progress.
#[derive(Debug)]
pub struct InPlace<'a> {
    dir: PathBuf,
    scratch: PathBuf,
    current: &'a Records,
    staged: Mutex<Vec<(String, PathBuf)>>,
    counter: AtomicUsize,
}

/// What a rebuild changed in the folder.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changed {
    /// Files written (relative paths, with `/`), sorted.
    pub written: Vec<String>,
    /// Files removed, sorted.
    pub removed: Vec<String>,
}

impl<'a> InPlace<'a> {
    /// Starts a rebuild of `dir`, whose files are `current`, with `scratch` (a folder on
    /// the same file system, created and emptied as needed) for files not yet in place.
    pub fn begin(
        dir: &Path,
        scratch: &Path,
        current: &'a Records,
    ) -> Result<InPlace<'a>, Diagnostic> {
        let _ = std::fs::remove_dir_all(scratch);
        std::fs::create_dir_all(scratch).map_err(|e| write_error(scratch, &e))?;
        std::fs::create_dir_all(dir).map_err(|e| write_error(dir, &e))?;
        Ok(InPlace {
            dir: dir.to_path_buf(),
            scratch: scratch.to_path_buf(),
            current,
            staged: Mutex::new(Vec::new()),
            counter: AtomicUsize::new(0),
        })
    }

    /// Moves the files written into place and removes those that are not in `records`
    /// (what the folder holds from now on).
    pub fn commit(self, records: &Records) -> Result<Changed, Diagnostic> {
        let staged = self.staged.into_inner().unwrap_or_default();
        let mut changed = Changed::default();
        for (rel, tmp) in staged {
            let target = self.dir.join(&rel);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| write_error(parent, &e))?;
            }
            std::fs::rename(&tmp, &target).map_err(|e| write_error(&target, &e))?;
            changed.written.push(rel);
        }
        for rel in self.current.keys().filter(|r| !records.contains_key(*r)) {
            let file = self.dir.join(rel);
            if std::fs::remove_file(&file).is_ok() || !file.exists() {
                remove_empty_parents(&self.dir, &file);
                changed.removed.push(rel.clone());
            }
        }
        let _ = std::fs::remove_dir_all(&self.scratch);
        changed.written.sort();
        changed.removed.sort();
        Ok(changed)
    }

    /// Gives up the rebuild: the folder is untouched.
    pub fn abort(self) {
        let _ = std::fs::remove_dir_all(&self.scratch);
    }
}

impl Sink for InPlace<'_> {
    fn write(&self, rel: &str, parts: &[&[u8]], made_from: u64) -> Result<FileRecord, Diagnostic> {
        let target = safe_path(&self.dir, rel)?;
        let (hash, size) = super::hash_parts(parts);
        if let Some(old) = self.current.get(rel)
            && old.hash == hash
            && old.size == size
        {
            return Ok(FileRecord { made_from, ..*old });
        }
        let tmp = self
            .scratch
            .join(self.counter.fetch_add(1, Ordering::Relaxed).to_string());
        let write = || -> std::io::Result<()> {
            let mut f = std::fs::File::create(&tmp)?;
            parts.iter().try_for_each(|p| f.write_all(p))
        };
        write().map_err(|e| write_error(&tmp, &e))?;
        let meta = std::fs::metadata(&tmp).map_err(|e| write_error(&tmp, &e))?;
        if let Ok(mut staged) = self.staged.lock() {
            staged.push((rel.to_string(), tmp));
        }
        let _ = target;
        Ok(FileRecord::of(made_from, hash, &meta))
    }

    fn link(
        &self,
        rel: &str,
        from: &Path,
        known: &FileRecord,
        made_from: u64,
    ) -> Result<Option<FileRecord>, Diagnostic> {
        safe_path(&self.dir, rel)?;
        if let Some(old) = self.current.get(rel)
            && old.same_bytes(known)
        {
            return Ok(Some(FileRecord { made_from, ..*old }));
        }
        let tmp = self
            .scratch
            .join(self.counter.fetch_add(1, Ordering::Relaxed).to_string());
        if std::fs::hard_link(from, &tmp).is_err() {
            return Ok(None);
        }
        if !std::fs::symlink_metadata(&tmp).is_ok_and(|m| known.matches(&m)) {
            let _ = std::fs::remove_file(&tmp);
            return Ok(None);
        }
        if let Ok(mut staged) = self.staged.lock() {
            staged.push((rel.to_string(), tmp));
        }
        Ok(Some(FileRecord {
            made_from,
            ..*known
        }))
    }

    fn previous(&self, rel: &str) -> Option<Vec<u8>> {
        let old = self.current.get(rel)?;
        let bytes = std::fs::read(safe_path(&self.dir, rel).ok()?).ok()?;
        (xxhash_rust::xxh3::xxh3_64(&bytes) == old.hash).then_some(bytes)
    }

    fn keep(&self, rel: &str, made_from: u64) -> Result<Option<FileRecord>, Diagnostic> {
        // The folder is the session's own: its files are as recorded.
        Ok(self
            .current
            .get(rel)
            .filter(|old| old.made_from == made_from)
            .copied())
    }
}

/// Removes the folders that removing `file` left empty, up to `root`.
fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}
