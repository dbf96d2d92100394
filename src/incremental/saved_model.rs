//! The model of the last build that built one from every parse, kept in the cache folder.
//!
//! A build whose content files changed in a few places takes it and patches it as `serve`
//! patches the model it keeps ([`crate::pipeline::patch`]), instead of decoding the 30,000
//! parses of a large site and building the model from them again. It records the files it
//! was made from (each file's name in the site and a hash of its text), so the files that
//! changed since are known whatever the builds in between did; a build that cannot patch
//! it builds the model anew and saves that one. It keeps the model's render plan and
//! fingerprints too, which the patch keeps or patches. Its practices and its plan are saved
//! in shards, decoded on every core.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::ModelPrints;
use crate::diagnostics::Diagnostic;
use crate::model::{Listing, Page, Practice, Site};
use crate::plan::Planned;

/// Bumped when the shape of the saved model changes.
const FORMAT: u32 = 3;

/// Practices per shard.
const SHARD: usize = 500;

/// Planned pages per shard.
const PLAN_SHARD: usize = 4_000;

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
    /// Its render plan.
    pub plan: Vec<Planned>,
    /// Its fingerprints that do not depend on bodies.
    pub prints: ModelPrints,
    /// The site's folder, as the build that saved it was given it: the practices hold the
    /// paths of their files under it.
    pub root: PathBuf,
    /// Its practices as they lie in its file.
    pub shards: SavedShards,
}

/// The practices' shards of a saved model as they lie in its file (mapped): saving the
/// model again after a patch encodes only the shards whose practices changed.
pub struct SavedShards {
    file: memmap2::Mmap,
    ranges: Vec<std::ops::Range<usize>>,
}

/// What a patch changed in a saved model, for [`SavedModel::save`]: the shards of the
/// practices it did not change are written as they were.
pub struct Unchanged<'a> {
    /// The saved model's shards.
    pub shards: &'a SavedShards,
    /// The practices that changed (indices).
    pub changed: &'a [usize],
}

/// What [`SavedModel::save`] saves of a model.
pub struct ModelParts<'a> {
    /// The model.
    pub site: &'a Site,
    /// Its render plan.
    pub plan: &'a [Planned],
    /// Its fingerprints that do not depend on bodies.
    pub prints: &'a ModelPrints,
    /// What building it reported besides errors.
    pub warnings: &'a [Diagnostic],
    /// The site's folder, as the build was given it.
    pub root: &'a Path,
}

/// Everything but the practices and the plan, saved first.
#[derive(Serialize, Deserialize)]
struct Head {
    format: u32,
    key: u64,
    files: Vec<(PathBuf, u64)>,
    warnings: Vec<Diagnostic>,
    pages: Vec<Page>,
    listings: BTreeMap<String, Listing>,
    prints: ModelPrints,
    root: PathBuf,
    /// The lengths of the practices' shards, then of the plan's.
    shards: Vec<u64>,
    plan_shards: Vec<u64>,
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
        // The shards' places in the file.
        let mut at = 8 + head_len;
        let mut cut = |lengths: &[u64]| -> Option<Vec<std::ops::Range<usize>>> {
            let mut ranges = Vec::with_capacity(lengths.len());
            for &len in lengths {
                let end = at.checked_add(usize::try_from(len).ok()?)?;
                bytes.get(at..end)?;
                ranges.push(at..end);
                at = end;
            }
            Some(ranges)
        };
        let (ranges, plan_ranges) = (cut(&head.shards)?, cut(&head.plan_shards)?);
        let slices = |ranges: &[std::ops::Range<usize>]| -> Vec<&[u8]> {
            ranges.iter().map(|r| &bytes[r.clone()]).collect()
        };
        let (shards, plan_shards) = (slices(&ranges), slices(&plan_ranges));
        fn decode<T: serde::de::DeserializeOwned + Send>(shards: &[&[u8]]) -> Option<Vec<T>> {
            let decoded: Option<Vec<Vec<T>>> = shards
                .par_iter()
                .map(|s| postcard::from_bytes(s).ok())
                .collect();
            Some(decoded?.into_iter().flatten().collect())
        }
        let (practices, plan) = rayon::join(|| decode(&shards), || decode(&plan_shards));
        Some(SavedModel {
            files: head.files,
            warnings: head.warnings,
            practices: practices?,
            pages: head.pages,
            listings: head.listings,
            plan: plan?,
            prints: head.prints,
            root: head.root,
            shards: SavedShards {
                file: bytes,
                ranges,
            },
        })
    }

    /// Saves the model of `model`, made from `files`, at `path` for `key`, replacing the
    /// file whole; with the shards of the practices that are as in a saved model
    /// (`unchanged`) taken as they are.
    pub fn save(
        path: &Path,
        key: u64,
        model: ModelParts,
        files: Vec<(PathBuf, u64)>,
        unchanged: Option<Unchanged>,
    ) -> std::io::Result<()> {
        fn encode<T: Serialize + Sync>(
            items: &[T],
            per_shard: usize,
        ) -> std::io::Result<Vec<Vec<u8>>> {
            items
                .par_chunks(per_shard)
                .map(|c| postcard::to_allocvec(c).map_err(std::io::Error::other))
                .collect()
        }
        let ModelParts {
            site,
            plan,
            prints,
            warnings,
            root,
        } = model;
        // A shard as saved, when none of its practices changed.
        let kept = |i: usize| -> Option<&[u8]> {
            let Unchanged { shards, changed } = unchanged.as_ref()?;
            let same = shards.ranges.len() == site.practices.len().div_ceil(SHARD)
                && !changed.iter().any(|p| p / SHARD == i);
            same.then(|| &shards.file[shards.ranges[i].clone()])
        };
        let shards: Vec<std::borrow::Cow<[u8]>> = site
            .practices
            .par_chunks(SHARD)
            .enumerate()
            .map(|(i, c)| match kept(i) {
                Some(bytes) => Ok(std::borrow::Cow::Borrowed(bytes)),
                None => postcard::to_allocvec(c)
                    .map(std::borrow::Cow::Owned)
                    .map_err(std::io::Error::other),
            })
            .collect::<Result<_, _>>()?;
        let plan_shards = encode(plan, PLAN_SHARD)?;
        fn lengths<T: AsRef<[u8]>>(shards: &[T]) -> Vec<u64> {
            shards.iter().map(|s| s.as_ref().len() as u64).collect()
        }
        let head = Head {
            format: FORMAT,
            key,
            files,
            warnings: warnings.to_vec(),
            pages: site.pages.clone(),
            listings: site.listings.clone(),
            prints: prints.clone(),
            root: root.to_path_buf(),
            shards: lengths(&shards),
            plan_shards: lengths(&plan_shards),
        };
        let head = postcard::to_allocvec(&head).map_err(std::io::Error::other)?;
        let head_len = (head.len() as u64).to_le_bytes();
        let mut parts: Vec<&[u8]> = vec![&head_len, &head];
        parts.extend(shards.iter().map(|s| s.as_ref()));
        parts.extend(plan_shards.iter().map(Vec::as_slice));
        super::cache::write_parts(path, &parts)
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
