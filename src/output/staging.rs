//! A build's output, written whole into a staging folder and swapped in at the end.
//!
//! Files whose bytes did not change are hard-linked from the current output rather than
//! written, so they keep their inode and modification time (rsync and CI caches see them
//! unchanged). After the swap, the staging folder's name holds the previous output, which
//! the next build reuses as its staging folder: its folders and unchanged files are
//! already in place, and nothing has to be deleted, which on some disks costs more than
//! writing. Nothing is ever written through a link: links found in a reused folder are
//! removed, files are always created new, and a file of the output is kept only when it
//! is the very file casebook wrote (same inode, size and time).
//!
//! A sealed folder (see [`SealedFolder`]) that a build kept whole, file for file, is the
//! same in the previous output, which becomes the next staging folder: it is recorded as
//! a twin, and the next build, finding it as stamped, neither lists nor looks at its files.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use super::listing::{Expected, Listed, in_memory, list};
use super::records::{FileRecord, FolderStamp, Records, Sealed, SealedFolder, unchanged_folders};
use super::{Recorded, Sink, swap, write_error};
use crate::diagnostics::{Code, Diagnostic};
pub use found::Scan;
use found::{Found, Twins, prepare};

/// A build in progress: a staging folder for a destination.
#[derive(Debug)]
pub struct Staging<'a> {
    /// The destination (absolute).
    dest: PathBuf,
    /// The folder being written.
    dir: PathBuf,
    /// Whether the folder is kept after the swap, holding the previous output for the next
    /// build (it is in casebook's cache); else it is removed.
    keep_after: bool,
    /// The files of the destination as the last build recorded them.
    previous: &'a dyn Recorded,
    /// What the staging folder held when the build began, once listed (see
    /// [`Staging::ready`]).
    found: OnceLock<Result<Found, Diagnostic>>,
    /// The listing of the staging folder, until it is taken.
    scan: Mutex<Option<Scan>>,
    /// The sealed folders of the destination still as stamped (`_images/`): their files are
    /// as recorded.
    trusted: Vec<String>,
    /// The destination's sealed folders as the last build recorded them.
    sealed: Sealed,
    /// The files of each folder of [`Staging::sealed`] and [`Found::twins`] that this build
    /// kept as the last build recorded them, by the folder's prefix.
    kept: Vec<(String, AtomicUsize)>,
    /// The twin folder kept whole (see [`Sink::keep_whole`]), with how many files it holds:
    /// none of them is in the records the build commits.
    whole: OnceLock<(String, usize)>,
}

/// The sealed folders a build leaves (see [`Staging::commit`]).
#[derive(Debug, Default)]
pub struct Sealing {
    /// The new output's.
    pub sealed: Sealed,
    /// The previous output's that hold the same files, with the same inodes: the next
    /// build's staging folder's, found as they are without being listed.
    pub twins: Sealed,
}

impl<'a> Staging<'a> {
    /// Starts listing what the staging folder `dir` holds (an older output, or nothing), for
    /// [`Staging::begin`]: listing 40,000 files takes a few tenths of a second, which the
    /// build spends making its model, plan and indexes meanwhile. The files of the
    /// destination's `sealed` folders are trusted when those are unchanged: only their
    /// inodes are listed. The folders of `twins` still as stamped are not listed. When the
    /// folder's files are `expected`, its folders unchanged since are not read either: only
    /// the files they held are looked at (except on a tmpfs, where reading costs less).
    pub fn scan(dir: PathBuf, sealed: &Sealed, twins: &Sealed, expected: Option<Expected>) -> Scan {
        let at = dir.clone();
        let inode_only: Vec<String> = sealed.iter().map(SealedFolder::prefix).collect();
        let twins = twins.clone();
        let listing = std::thread::spawn(move || match std::fs::symlink_metadata(&at) {
            Ok(m) if m.is_dir() => {
                let twins: Twins = twins
                    .iter()
                    .filter(|t| t.holds_in(&at))
                    .map(|t| (t.prefix(), t.files))
                    .collect();
                let skip: Vec<String> = twins.iter().map(|(p, _)| p.clone()).collect();
                let expected = expected.filter(|_| !in_memory(&at));
                Ok((list(&at, &inode_only, &skip, expected.as_ref())?, twins))
            }
            _ => Ok((Vec::new(), Vec::new())),
        });
        Scan { dir, listing }
    }

    /// Prepares the folder of `scan` as the staging folder of `dest`, whose files are
    /// `previous` and whose sealed folders are `sealed`; `keep_after` keeps it after the
    /// swap. The folder is made ready (see [`Staging::ready`]) when it is first written or
    /// looked into: the build plans and makes its indexes meanwhile, while it is listed.
    pub fn begin(
        dest: &Path,
        scan: Scan,
        previous: &'a dyn Recorded,
        sealed: &Sealed,
        twins: &Sealed,
        keep_after: bool,
    ) -> Staging<'a> {
        let mut kept: Vec<(String, AtomicUsize)> = Vec::new();
        for f in sealed.iter().chain(twins) {
            if !kept.iter().any(|(p, _)| *p == f.prefix()) {
                kept.push((f.prefix(), AtomicUsize::new(0)));
            }
        }
        Staging {
            dest: dest.to_path_buf(),
            dir: scan.dir.clone(),
            keep_after,
            previous,
            found: OnceLock::new(),
            scan: Mutex::new(Some(scan)),
            trusted: unchanged_folders(dest, sealed),
            sealed: sealed.clone(),
            kept,
            whole: OnceLock::new(),
        }
    }

    /// The files found in the staging folder, once it is ready: created, or, when it holds
    /// an older output, reused, the links and special files in it removed. The first call
    /// waits for the listing; nothing is written into the folder before.
    fn ready(&self) -> Result<&Found, Diagnostic> {
        let found =
            self.found
                .get_or_init(|| match self.scan.lock().ok().and_then(|mut s| s.take()) {
                    Some(scan) => prepare(scan),
                    None => Err(write_error(
                        &self.dir,
                        &std::io::Error::other("the folder was not listed"),
                    )),
                });
        found.as_ref().map_err(Clone::clone)
    }

    /// The path of an output file; refuses anything that would leave the staging folder.
    fn path_of(&self, rel: &str) -> Result<PathBuf, Diagnostic> {
        safe_path(&self.dir, rel)
    }

    /// Links the destination's file `rel`, recorded as `old`, to `path` in the staging
    /// folder (already there when the staging folder is an older output that shares it).
    /// `false` when the destination's file is no longer the one recorded.
    fn link_previous(&self, rel: &str, path: &Path, old: &FileRecord) -> Result<bool, Diagnostic> {
        // Listed at the start as that very file, unchanged (a link to the destination's
        // file, which is then unchanged too): already in place, and nothing to look at.
        if self.ready()?.holds(rel, old) {
            return Ok(true);
        }
        let from = self.dest.join(rel);
        if !self.is_trusted(rel) {
            let Ok(meta) = std::fs::symlink_metadata(&from) else {
                return Ok(false);
            };
            if !old.matches(&meta) {
                return Ok(false);
            }
        }
        let current = std::fs::symlink_metadata(path).ok();
        if current.as_ref().is_some_and(|c| old.matches(c)) {
            return Ok(true);
        }
        if current.is_some() {
            clear(path)?;
        }
        self.parent_of(path)?;
        Ok(std::fs::hard_link(&from, path).is_ok())
    }

    /// Whether `rel` is in a sealed folder of the destination still as stamped.
    fn is_trusted(&self, rel: &str) -> bool {
        self.trusted.iter().any(|t| rel.starts_with(t.as_str()))
    }

    /// `old`, the record of `rel`, kept: counted when `rel` is in a sealed or twin folder.
    fn kept(&self, rel: &str, old: FileRecord) -> FileRecord {
        if let Some((_, n)) = self.kept.iter().find(|(p, _)| rel.starts_with(p.as_str())) {
            n.fetch_add(1, Ordering::Relaxed);
        }
        old
    }

    /// How many files of the folder `prefix` this build kept as recorded.
    fn kept_in(&self, prefix: &str) -> usize {
        self.kept
            .iter()
            .find(|(p, _)| p == prefix)
            .map_or(0, |(_, n)| n.load(Ordering::Relaxed))
            + self.whole_in(prefix)
    }

    /// How many files of the folder `prefix` this build kept whole, without recording them.
    fn whole_in(&self, prefix: &str) -> usize {
        self.whole
            .get()
            .filter(|(p, _)| p == prefix)
            .map_or(0, |(_, n)| *n)
    }

    /// Creates the folders of `path`; a file of an older output where a folder is now
    /// needed gives way.
    fn parent_of(&self, path: &Path) -> Result<(), Diagnostic> {
        let Some(parent) = path.parent() else {
            return Ok(());
        };
        if std::fs::create_dir_all(parent).is_ok() {
            return Ok(());
        }
        let mut at = parent;
        while at != self.dir {
            if std::fs::symlink_metadata(at).is_ok_and(|m| !m.is_dir()) {
                clear(at)?;
            }
            match at.parent() {
                Some(p) => at = p,
                None => break,
            }
        }
        std::fs::create_dir_all(parent).map_err(|e| write_error(parent, &e))
    }

    /// Removes what this build did not write from a reused folder, and the folders that
    /// leaves empty.
    fn clear_stale(&self, records: &Records) -> Result<(), Diagnostic> {
        use rayon::prelude::*;
        let found = self.ready()?;
        let mut stale_twins = Vec::new();
        let mut stale: Vec<&String> = found
            .files
            .par_iter()
            .filter(|(r, _)| !records.contains_key(*r))
            .map(|(r, _)| r)
            .collect();
        // A twin folder holds the last build's files there: when this build did not keep
        // them all, it is listed now.
        for (prefix, files) in &found.twins {
            if self.kept_in(prefix) < *files {
                let folder = self.dir.join(prefix.trim_end_matches('/'));
                let listed =
                    super::records::walk(&folder, &[]).map_err(|e| write_error(&folder, &e))?;
                let held = listed.into_iter().map(|(rel, _)| format!("{prefix}{rel}"));
                stale_twins.extend(held.filter(|r| !records.contains_key(r)));
            }
        }
        stale.extend(stale_twins.iter());
        let mut parents = HashSet::new();
        for rel in stale {
            let path = self.dir.join(rel);
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(write_error(&path, &e)),
            }
            parents.extend(path.parent().map(Path::to_path_buf));
        }
        for dir in parents {
            let mut d = dir.as_path();
            while d != self.dir && std::fs::remove_dir(d).is_ok() {
                match d.parent() {
                    Some(p) => d = p,
                    None => break,
                }
            }
        }
        Ok(())
    }

    /// Swaps the staging folder in place of the destination, which then holds exactly the
    /// files of `records`. The previous output stays at the staging folder's name for the
    /// next build, or is removed. Returns the stamps of the folders of `sealable` (whose
    /// files are all processed images: see [`SealedFolder`]) that have not changed for a
    /// while, and
    /// the twins among the previous output's.
    pub fn commit(self, records: &Records, sealable: &[&str]) -> Result<Sealing, Diagnostic> {
        self.clear_stale(records)?;
        let now = std::time::SystemTime::now();
        let count = |prefix: &str| {
            use rayon::prelude::*;
            records
                .par_iter()
                .filter(|(r, _)| r.starts_with(prefix))
                .count()
                + self.whole_in(prefix)
        };
        let sealed: Sealed = sealable
            .iter()
            .filter_map(|rel| {
                let stamp = FolderStamp::settled(&self.dir.join(rel), now)?;
                let files = count(&format!("{rel}/"));
                Some(SealedFolder {
                    path: rel.to_string(),
                    stamp,
                    files,
                })
            })
            .collect();
        // A sealed folder of the destination, trusted, whose every file this build kept
        // and no other: the new output's holds the same files.
        let twins = self
            .sealed
            .iter()
            .filter(|f| {
                let prefix = f.prefix();
                self.keep_after
                    && self.trusted.contains(&prefix)
                    && self.kept_in(&prefix) == f.files
                    && sealed
                        .iter()
                        .find(|s| s.path == f.path)
                        .map_or_else(|| count(&prefix), |s| s.files)
                        == f.files
            })
            .cloned()
            .collect();
        let sealing = Sealing { sealed, twins };
        if std::fs::symlink_metadata(&self.dest).is_err() {
            std::fs::rename(&self.dir, &self.dest).map_err(|e| write_error(&self.dest, &e))?;
            return Ok(Sealing {
                twins: Vec::new(),
                ..sealing
            });
        }
        if !swap::exchange(&self.dir, &self.dest) {
            let aside = self.dir.with_extension("previous");
            let _ = std::fs::remove_dir_all(&aside);
            std::fs::rename(&self.dest, &aside).map_err(|e| write_error(&self.dest, &e))?;
            if let Err(e) = std::fs::rename(&self.dir, &self.dest) {
                let _ = std::fs::rename(&aside, &self.dest);
                return Err(write_error(&self.dest, &e));
            }
            let _ = std::fs::rename(&aside, &self.dir);
        }
        if !self.keep_after {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
        Ok(sealing)
    }

    /// Gives up: the destination is untouched. The staging folder stays for the next build
    /// when it is kept, or is removed.
    pub fn abort(self) {
        if !self.keep_after {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

impl Sink for Staging<'_> {
    fn write(&self, rel: &str, parts: &[&[u8]], made_from: u64) -> Result<FileRecord, Diagnostic> {
        let path = self.path_of(rel)?;
        self.ready()?;
        let (hash, size) = super::hash_parts(parts);
        if let Some(old) = self.previous.record(rel)
            && old.hash == hash
            && old.size == size
            && self.link_previous(rel, &path, old)?
        {
            return Ok(self.kept(rel, FileRecord { made_from, ..*old }));
        }
        self.parent_of(&path)?;
        // Always a new file, never written through an existing one: in a reused folder it
        // may be a link to a file of the current output.
        let create = || {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
        };
        let mut f = match create() {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                clear(&path)?;
                create()
            }
            other => other,
        }
        .map_err(|e| write_error(&path, &e))?;
        parts
            .iter()
            .try_for_each(|p| f.write_all(p))
            .map_err(|e| write_error(&path, &e))?;
        let meta = f.metadata().map_err(|e| write_error(&path, &e))?;
        Ok(FileRecord::of(made_from, hash, &meta))
    }

    fn previous(&self, rel: &str) -> Option<Vec<u8>> {
        let old = self.previous.record(rel)?;
        let path = safe_path(&self.dest, rel).ok()?;
        let file = std::fs::File::open(&path).ok()?;
        // Checked on the open file: what is read is the file recorded, not one put there since.
        let meta = file.metadata().ok()?;
        let link = std::fs::symlink_metadata(&path).ok()?;
        if !old.matches(&meta) || !old.matches(&link) {
            return None;
        }
        let mut bytes = Vec::with_capacity(old.size as usize);
        std::io::Read::read_to_end(&mut &file, &mut bytes).ok()?;
        (xxhash_rust::xxh3::xxh3_64(&bytes) == old.hash).then_some(bytes)
    }

    fn link(
        &self,
        rel: &str,
        from: &Path,
        known: &FileRecord,
        made_from: u64,
    ) -> Result<Option<FileRecord>, Diagnostic> {
        let path = self.path_of(rel)?;
        self.ready()?;
        if let Some(old) = self.previous.record(rel)
            && old.same_bytes(known)
            && self.link_previous(rel, &path, old)?
        {
            return Ok(Some(self.kept(rel, FileRecord { made_from, ..*old })));
        }
        self.parent_of(&path)?;
        let linked = match std::fs::hard_link(from, &path) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                clear(&path)?;
                std::fs::hard_link(from, &path)
            }
            other => other,
        };
        if linked.is_err() {
            return Ok(None);
        }
        // The very file the cache recorded, or nothing: what was linked is checked, not
        // what was looked at before.
        if std::fs::symlink_metadata(&path).is_ok_and(|m| known.matches(&m)) {
            return Ok(Some(FileRecord {
                made_from,
                ..*known
            }));
        }
        clear(&path)?;
        Ok(None)
    }

    /// The folder is kept whole when it is a twin still as stamped, holding the `files` of
    /// a sealed folder of the destination that is still as stamped too.
    fn keep_whole(&self, prefix: &str, files: usize) -> bool {
        let Ok(found) = self.ready() else {
            return false;
        };
        let sealed = |f: &SealedFolder| f.prefix() == prefix && f.files == files;
        let twin = found.twins.iter().any(|(p, n)| p == prefix && *n == files);
        twin && self.is_trusted(prefix)
            && self.sealed.iter().any(sealed)
            && self.whole.set((prefix.to_string(), files)).is_ok()
    }

    fn keep(&self, rel: &str, made_from: u64) -> Result<Option<FileRecord>, Diagnostic> {
        let Some(old) = self
            .previous
            .record(rel)
            .filter(|r| r.made_from == made_from)
        else {
            return Ok(None);
        };
        // A trusted file already in the staging folder, or one listed there as that very
        // file: nothing to look at or link.
        let found = self.ready()?;
        let trusted =
            self.is_trusted(rel) && found.files.get(rel).map(Listed::inode) == Some(old.inode);
        if trusted || found.holds(rel, old) {
            return Ok(Some(self.kept(rel, *old)));
        }
        let path = self.path_of(rel)?;
        Ok(self
            .link_previous(rel, &path, old)?
            .then(|| self.kept(rel, *old)))
    }
}

/// `dir/rel`, refusing a `rel` that is empty or would leave `dir` (`..`, an absolute path).
pub fn safe_path(dir: &Path, rel: &str) -> Result<PathBuf, Diagnostic> {
    let rel_path = Path::new(rel);
    let safe = !rel.is_empty()
        && rel_path
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
    if !safe {
        return Err(Diagnostic::new(
            Code::WriteFailed,
            format!("refusing to write outside the output folder: `{rel}`"),
        ));
    }
    Ok(dir.join(rel_path))
}

/// Removes what is at `path` (a file, a link, or a folder where an older output had one).
fn clear(path: &Path) -> Result<(), Diagnostic> {
    let result = match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(_) => Ok(()),
    };
    result.map_err(|e| write_error(path, &e))
}

mod found;
#[cfg(test)]
mod tests;
