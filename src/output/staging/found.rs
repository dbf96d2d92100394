//! What a reused staging folder held when its build began: listed on a thread of its own,
//! then prepared (links and special files removed) before the first write.

use rustc_hash::FxHashMap;
use std::path::PathBuf;

use super::super::FileRecord;
use super::super::listing::Listed;
use super::super::write_error;
use crate::diagnostics::Diagnostic;

/// What [`super::super::listing::list`] gives: every entry but folders, with what was found of a plain file.
pub(super) type Listing = Vec<(String, Option<Listed>)>;

/// Twin folders found as stamped, by prefix (`_images/`), with how many files each holds.
pub(super) type Twins = Vec<(String, usize)>;

/// What a staging folder held when the build began.
#[derive(Debug)]
pub(super) struct Found {
    /// Its files, with their stamps, out of its twin folders.
    pub(super) files: FxHashMap<String, Listed>,
    /// Its twin folders still as stamped: they hold the files the last build recorded
    /// there, which were not listed.
    pub(super) twins: Twins,
}

/// The files of a staging folder, listed on a thread of their own while the build goes on
/// (see [`super::Staging::scan`]).
#[derive(Debug)]
pub struct Scan {
    pub(super) dir: PathBuf,
    pub(super) listing: std::thread::JoinHandle<std::io::Result<(Listing, Twins)>>,
}

/// The staging folder of `scan`, once listed: created, or, when it holds an older output,
/// reused, the links and special files in it removed. Returns the files it holds, with
/// their stamps.
pub(super) fn prepare(scan: Scan) -> Result<Found, Diagnostic> {
    let Scan { dir, listing } = scan;
    let listed = listing
        .join()
        .unwrap_or_else(|_| Err(std::io::Error::other("listing the folder failed")));
    match std::fs::symlink_metadata(&dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => std::fs::remove_file(&dir).map_err(|e| write_error(&dir, &e))?,
        Err(_) => {}
    }
    std::fs::create_dir_all(&dir).map_err(|e| write_error(&dir, &e))?;
    let (listed, twins) = listed.map_err(|e| write_error(&dir, &e))?;
    let mut found = FxHashMap::default();
    found.reserve(listed.len());
    for (rel, file) in listed {
        if let Some(file) = file {
            found.insert(rel, file);
        } else {
            let path = dir.join(&rel);
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(write_error(&path, &e));
                }
                _ => {}
            }
        }
    }
    Ok(Found {
        files: found,
        twins,
    })
}

impl Found {
    /// Whether `rel` is in a twin folder: the last build's file, not listed.
    pub(super) fn is_twin(&self, rel: &str) -> bool {
        self.twins.iter().any(|(t, _)| rel.starts_with(t.as_str()))
    }

    /// Whether the staging folder holds the file `rel` as recorded in `old`: listed as that
    /// very file, or in a twin folder.
    pub(super) fn holds(&self, rel: &str, old: &FileRecord) -> bool {
        self.files.get(rel) == Some(&Listed::Stamp(old.stamp())) || self.is_twin(rel)
    }
}
