//! The model of the last build that built one from every parse, kept in the cache folder.
//!
//! A build whose content files changed in a few places takes it and patches it as `serve`
//! patches the model it keeps ([`crate::pipeline::patch`]), instead of decoding the 30,000
//! parses of a large site and building the model from them again. It records the files it
//! was made from (each file's name in the site and a hash of its text), so the files that
//! changed since are known whatever the builds in between did; a build that cannot patch
//! it builds the model anew and saves that one. Its practices are saved in shards, decoded
//! on every core.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::model::{Listing, Page, Practice, Site};

/// Bumped when the shape of the saved model changes.
const FORMAT: u32 = 1;

/// Practices per shard.
const SHARD: usize = 500;

/// A model as saved, without its configuration (the key says which one it was made with).
pub struct SavedModel {
    /// Every content file it was made from: its name in the site and its print.
    pub files: Vec<(PathBuf, u64)>,
    /// What building it reported besides errors.
    pub warnings: Vec<Diagnostic>,
    /// The practices.
    pub practices: Vec<Practice>,
    /// The pages.
    pub pages: Vec<Page>,
    /// The listings.
    pub listings: BTreeMap<String, Listing>,
}

/// Everything but the practices, saved first.
#[derive(Serialize, Deserialize)]
struct Head {
    format: u32,
    key: u64,
    files: Vec<(PathBuf, u64)>,
    warnings: Vec<Diagnostic>,
    pages: Vec<Page>,
    listings: BTreeMap<String, Listing>,
    shards: Vec<u64>,
}

impl SavedModel {
    /// The model saved at `path` for `key` (casebook, casebook.yaml, the options), if any.
    pub fn load(path: &Path, key: u64) -> Option<SavedModel> {
        let bytes = super::cache::map(path).ok()?;
        let (head_len, rest) = split_len(&bytes)?;
        let head: Head = postcard::from_bytes(rest.get(..head_len)?).ok()?;
        if head.format != FORMAT || head.key != key {
            return None;
        }
        let mut shards = Vec::with_capacity(head.shards.len());
        let mut at = head_len;
        for &len in &head.shards {
            let end = at.checked_add(usize::try_from(len).ok()?)?;
            shards.push(rest.get(at..end)?);
            at = end;
        }
        let decoded: Option<Vec<Vec<Practice>>> = shards
            .par_iter()
            .map(|s| postcard::from_bytes(s).ok())
            .collect();
        Some(SavedModel {
            files: head.files,
            warnings: head.warnings,
            practices: decoded?.into_iter().flatten().collect(),
            pages: head.pages,
            listings: head.listings,
        })
    }

    /// Saves the model of `site`, made from `files` with `warnings`, at `path` for `key`,
    /// replacing the file whole.
    pub fn save(
        path: &Path,
        key: u64,
        site: &Site,
        files: Vec<(PathBuf, u64)>,
        warnings: &[Diagnostic],
    ) -> std::io::Result<()> {
        let shards: Vec<Vec<u8>> = site
            .practices
            .par_chunks(SHARD)
            .map(|c| postcard::to_allocvec(c).map_err(std::io::Error::other))
            .collect::<Result<_, _>>()?;
        let head = Head {
            format: FORMAT,
            key,
            files,
            warnings: warnings.to_vec(),
            pages: site.pages.clone(),
            listings: site.listings.clone(),
            shards: shards.iter().map(|s| s.len() as u64).collect(),
        };
        let head = postcard::to_allocvec(&head).map_err(std::io::Error::other)?;
        let mut bytes =
            Vec::with_capacity(8 + head.len() + shards.iter().map(Vec::len).sum::<usize>());
        bytes.extend_from_slice(&(head.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&head);
        for s in &shards {
            bytes.extend_from_slice(s);
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        super::cache::write_whole(path, &bytes)
    }

    /// Which files of `now` (name in the site, print) are not as this model had them, by
    /// position: `None` when a file came or went (the model must be built anew).
    pub fn changed_files(&self, now: &[(PathBuf, u64)]) -> Option<Vec<usize>> {
        if now.len() != self.files.len() {
            return None;
        }
        let mut changed = Vec::new();
        for (i, ((path, print), (was, was_print))) in now.iter().zip(&self.files).enumerate() {
            if path != was {
                return None;
            }
            if print != was_print {
                changed.push(i);
            }
        }
        Some(changed)
    }
}

/// The length in the first eight bytes of `bytes`, and the bytes after them.
fn split_len(bytes: &[u8]) -> Option<(usize, &[u8])> {
    let (len, rest) = bytes.split_first_chunk::<8>()?;
    Some((usize::try_from(u64::from_le_bytes(*len)).ok()?, rest))
}
