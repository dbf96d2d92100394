//! Parsed content files, kept between builds in the cache folder, so that a rebuild after
//! one practice was edited reads and parses that practice, not the thousands of others.
//!
//! A file's parse is reused when the file has the size, modification time and inode it had
//! when it was parsed, and when nothing else that parsing depends on changed (casebook
//! itself, casebook.yaml, the options: the `key`). A file modified less than a second
//! before it was last looked at is read again and compared by its bytes (the file system's
//! clock may not tell two writes in the same instant apart). Problems are kept with the
//! parse, so an unchanged broken file is reported again without being read.
//!
//! The documents are saved in shards, by a hash of their path, so that one edit rewrites
//! one small shard rather than the whole cache. Each document is kept as saved, in the
//! shard's file mapped into memory (not copied), until a build needs it: an unchanged build
//! looks at stamps and hashes only, and never decodes the 30,000 documents of a large site.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::document::{self, BodyHtml, Document};
use crate::input::config::Config;
use crate::input::content::{self, Section};

/// How many shards the documents are saved in.
const SHARDS: u64 = 32;
/// Bumped when the shape of a saved document changes.
const FORMAT: u32 = 2;

mod entries;
mod entry;

use entries::Entries;
use entry::{Entry, Parsed, Stamp, Stored, damaged};

/// A file as [`Documents::read`] found it: read again, or kept from the cache.
enum Fresh {
    Read(Box<Entry>),
    Kept { print: u64, problems: bool },
}

/// A shard as it is read: its documents' bytes borrowed from the shard's file.
#[derive(Deserialize)]
struct Shard<'a> {
    format: u32,
    key: u64,
    #[serde(borrow)]
    entries: Vec<(PathBuf, Entry<&'a [u8]>)>,
}

/// A [`Shard`] as it is saved, borrowing its entries (the same bytes).
#[derive(Serialize)]
struct ShardRef<'a> {
    format: u32,
    key: u64,
    entries: Vec<(&'a PathBuf, &'a Entry)>,
}

/// The parsed content files of one site.
#[derive(Debug, Default)]
pub struct Documents {
    key: u64,
    /// The site's folder as the paths given to [`Documents::read`] begin with.
    root: PathBuf,
    /// Keyed by path inside the site (`content/practices/a.md`), however the site's folder
    /// is spelt (`.`, `/srv/site`: `build` and `serve` share the cache) or wherever it moved.
    entries: Entries,
    dirty: [bool; SHARDS as usize],
}

/// The content files of a build, read through the cache (the documents themselves are
/// in the cache: [`Documents::documents`]).
#[derive(Debug, Default)]
pub struct Read {
    /// The slugs of practices with a file that did not parse.
    pub broken: BTreeSet<String>,
    /// Every problem of every file.
    pub diagnostics: Vec<Diagnostic>,
    /// A hash of every file, in order: its name in the site and a hash of its text.
    pub contents: u64,
    /// How many files were read and parsed (the others came from the cache).
    pub parsed: usize,
    /// The files whose parse changed (new, or with another text), in order.
    pub changed: Vec<PathBuf>,
    /// How many files the cache had that were not found any more.
    pub removed: usize,
}

fn shard_of(path: &Path) -> usize {
    (xxhash_rust::xxh3::xxh3_64(path.as_os_str().as_encoded_bytes()) % SHARDS) as usize
}

fn shard_file(dir: &Path, i: usize) -> PathBuf {
    dir.join(format!("{i:02}"))
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

impl Documents {
    /// The key of the file at `path` (as found under the root given to [`Documents::read`]).
    fn key<'p>(&self, path: &'p Path) -> &'p Path {
        // The paths are the root joined with what is below it: a prefix of their text, found
        // without splitting both into components (tens of thousands of times per build).
        let below = match (path.to_str(), self.root.to_str()) {
            (Some(p), Some(r)) => p
                .strip_prefix(r.trim_end_matches('/'))
                .and_then(|rest| rest.strip_prefix('/'))
                .filter(|rest| !rest.is_empty() && !r.is_empty()),
            _ => None,
        };
        match below {
            Some(rest) => Path::new(rest),
            None => path.strip_prefix(&self.root).unwrap_or(path),
        }
    }

    /// No documents yet; `key` hashes what parsing depends on besides each file.
    pub fn new(key: u64) -> Documents {
        Documents {
            key,
            ..Documents::default()
        }
    }

    /// The documents saved in `dir` with the same `key` (none if it differs, or the cache
    /// is missing or damaged).
    pub fn load(dir: &Path, key: u64) -> Documents {
        // Each shard's map is made on a core of its own.
        let shards = (0..SHARDS as usize)
            .into_par_iter()
            .map(|i| {
                // The documents stay in the mapped file until a build needs one.
                let Ok(file) = super::cache::map(&shard_file(dir, i)) else {
                    return Vec::new();
                };
                let file = std::sync::Arc::new(file);
                let Some(shard) = postcard::from_bytes::<Shard>(&file)
                    .ok()
                    .filter(|s| s.format == FORMAT && s.key == key)
                else {
                    return Vec::new();
                };
                shard
                    .entries
                    .into_iter()
                    .map(|(path, entry)| (path, entry.in_file(&file)))
                    .collect()
            })
            .collect();
        Documents {
            entries: Entries::from_shards(shards),
            ..Documents::new(key)
        }
    }

    /// Saves the shards that changed into `dir`, each file replaced whole.
    pub fn save(&mut self, dir: &Path) -> std::io::Result<()> {
        if !self.dirty.contains(&true) {
            return Ok(());
        }
        let results: Vec<std::io::Result<()>> = (0..SHARDS as usize)
            .into_par_iter()
            .filter(|i| self.dirty[*i])
            .map(|i| {
                let mut entries: Vec<(&PathBuf, &Entry)> = self.entries.shard(i).iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                let shard = ShardRef {
                    format: FORMAT,
                    key: self.key,
                    entries,
                };
                let bytes = postcard::to_allocvec(&shard).map_err(std::io::Error::other)?;
                super::cache::write_whole(&shard_file(dir, i), &bytes)
            })
            .collect();
        for r in results {
            r?;
        }
        self.dirty = [false; SHARDS as usize];
        Ok(())
    }

    /// Reads the content files at `paths` (found by [`content::discover`] under `root`):
    /// each from the cache when unchanged, else read and parsed, in parallel. With `named`,
    /// the files the cache has are taken as they are unless named (`serve` knows what
    /// changed). Files no longer found are forgotten.
    pub fn read(
        &mut self,
        root: &Path,
        paths: &[(Section, PathBuf)],
        config: &Config,
        named: Option<&HashSet<PathBuf>>,
    ) -> Read {
        let checked = now();
        self.root = root.to_path_buf();
        // Per file: read again (a new entry), or what the build needs of the cached one
        // (its print for `Read::contents`, and whether it has problems to report), so that
        // the cache is looked up once per file, in parallel.
        let results: Vec<Fresh> = paths
            .par_iter()
            .map(|(section, path)| {
                let cached = self.entries.get(self.key(path));
                let kept = |e: &Entry| Fresh::Kept {
                    print: e.print(),
                    problems: matches!(e.parsed, Parsed::Problems(..)),
                };
                if let (Some(named), Some(e)) = (named, cached)
                    && !named.contains(path)
                {
                    return kept(e);
                }
                let stamp = Stamp::of(path);
                if let (Some(s), Some(e)) = (stamp, cached)
                    && e.stamp == Some(s)
                    && s.mtime.0 < e.checked - 1
                {
                    return kept(e);
                }
                Fresh::Read(Box::new(parse(
                    root, config, *section, path, stamp, checked, cached,
                )))
            })
            .collect();
        let mut read = Read::default();
        let mut contents = xxhash_rust::xxh3::Xxh3::new();
        for ((_, path), fresh) in paths.iter().zip(results) {
            let problems = match fresh {
                Fresh::Kept { print, problems } => {
                    contents.update(&print.to_le_bytes());
                    problems
                }
                Fresh::Read(entry) => {
                    read.parsed += 1;
                    contents.update(&entry.print().to_le_bytes());
                    let problems = matches!(entry.parsed, Parsed::Problems(..));
                    let key = self.key(path).to_path_buf();
                    let old = self.entries.get(&key);
                    let same_text =
                        old.is_some_and(|o| o.text_hash == entry.text_hash && o.rel == entry.rel);
                    if !same_text {
                        read.changed.push(path.clone());
                    }
                    // A file read again only because it was too recent to trust its stamp
                    // has a newer `checked` to save, or it would be read again on every build.
                    let same = old.is_some_and(|o| {
                        same_text && o.stamp == entry.stamp && o.checked == entry.checked
                    });
                    self.dirty[shard_of(&key)] |= !same;
                    self.entries.insert(key, *entry);
                    problems
                }
            };
            if problems
                && let Some(Entry {
                    parsed: Parsed::Problems(d, slug),
                    ..
                }) = self.entries.get(self.key(path))
            {
                read.diagnostics.extend(d.iter().cloned());
                read.broken.extend(slug.clone());
            }
        }
        // Each file of `paths` (found once each) has its entry now: any other entry is of a
        // file no longer found.
        if self.entries.len() > paths.len() {
            let found: HashSet<&Path> = paths.iter().map(|(_, p)| self.key(p)).collect();
            let before = self.entries.len();
            self.entries.retain(|p| found.contains(p));
            read.removed = before - self.entries.len();
            self.dirty = [true; SHARDS as usize];
        }
        read.contents = contents.digest();
        read
    }
}

impl Documents {
    /// The documents of the files at `paths` that parsed, in that order (copies: the cache
    /// keeps its own).
    pub fn documents(&self, paths: &[(Section, PathBuf)]) -> Result<Vec<Document>, Diagnostic> {
        let paths: Vec<&PathBuf> = paths.iter().map(|(_, p)| p).collect();
        self.documents_at(paths)
    }

    /// Encodes every document the cache holds decoded (those parsed since it was loaded)
    /// into the bytes it saves, in parallel, so that the cache holds each document once, in
    /// its compact form, beside the model's copy (`serve`: 40 MB less at 10,000 practices).
    /// One that cannot be encoded stays decoded.
    pub fn encode_all(&mut self) {
        let mut decoded: Vec<&mut Stored> = self
            .entries
            .values_mut()
            .filter_map(|e| match &mut e.parsed {
                Parsed::Document(s @ Stored::Decoded(_)) => Some(s),
                _ => None,
            })
            .collect();
        decoded.par_iter_mut().for_each(|s| {
            if let Stored::Decoded(d) = &**s
                && let Ok(bytes) = postcard::to_allocvec(&**d)
            {
                **s = Stored::Saved(bytes.into_boxed_slice());
            }
        });
    }

    /// The documents of the files at `paths` that parsed, in that order, moved out of the
    /// cache, which is spent (a build saves it first): the model then holds the only copy.
    pub fn into_documents(
        mut self,
        paths: &[(Section, PathBuf)],
    ) -> Result<Vec<Document>, Diagnostic> {
        let entries: Vec<(&PathBuf, Entry)> = paths
            .iter()
            .filter_map(|(_, p)| {
                let key = self.key(p).to_path_buf();
                Some((p, self.entries.remove(&key)?))
            })
            .collect();
        entries
            .into_par_iter()
            .filter_map(|(path, e)| match e.parsed {
                Parsed::Document(s) => Some(found_at(s.into_decoded(), path, &e.rel)),
                Parsed::Problems(..) => None,
            })
            .collect()
    }

    /// The name in the site and print (a hash of the name and of the text) of each file at
    /// `paths` that the cache holds, in that order.
    pub fn prints(&self, paths: &[(Section, PathBuf)]) -> Vec<(PathBuf, u64)> {
        paths
            .par_iter()
            .filter_map(|(_, p)| {
                let e = self.entries.get(self.key(p))?;
                Some((e.rel.clone(), e.print()))
            })
            .collect()
    }

    /// The documents of the files at `paths` that parsed, in that order.
    pub fn documents_at<'p>(
        &self,
        paths: impl IntoIterator<Item = &'p PathBuf>,
    ) -> Result<Vec<Document>, Diagnostic> {
        let entries: Vec<(&PathBuf, &Entry)> = paths
            .into_iter()
            .filter_map(|p| Some((p, self.entries.get(self.key(p))?)))
            .collect();
        entries
            .into_par_iter()
            .filter_map(|(path, e)| match &e.parsed {
                Parsed::Document(s) => Some(found_at(s.decoded(), path, &e.rel)),
                Parsed::Problems(..) => None,
            })
            .collect()
    }
}

/// The `decoded` document of the file found at `path` now (named `rel` in the site), or
/// the error of a damaged cache.
fn found_at(decoded: Option<Document>, path: &Path, rel: &Path) -> Result<Document, Diagnostic> {
    let mut doc = decoded.ok_or_else(|| damaged(rel))?;
    doc.relocate(path);
    Ok(doc)
}

/// Reads and parses one file; reuses the `cached` parse when the text is the same.
fn parse(
    root: &Path,
    config: &Config,
    section: Section,
    path: &Path,
    stamp: Option<Stamp>,
    checked: i64,
    cached: Option<&Entry>,
) -> Entry {
    let file = match content::read(root, config, section, path) {
        Ok(f) => f,
        Err(d) => {
            return Entry {
                stamp,
                checked,
                rel: crate::diagnostics::display_path(root, path),
                text_hash: 0,
                parsed: Parsed::Problems(vec![d], None),
            };
        }
    };
    let text_hash = xxhash_rust::xxh3::xxh3_64(file.text.as_bytes());
    if let Some(c) = cached.filter(|c| c.text_hash == text_hash && c.rel == file.rel) {
        return Entry {
            stamp,
            checked,
            ..c.clone()
        };
    }
    let parsed = match document::parse_as(&file, config, BodyHtml::Deferred) {
        Ok(d) => Parsed::Document(Stored::Decoded(Box::new(d))),
        Err(d) => {
            let slug = (file.section == Section::Practices).then(|| file.slug.clone());
            Parsed::Problems(d, slug)
        }
    };
    Entry {
        stamp,
        checked,
        rel: file.rel,
        text_hash,
        parsed,
    }
}

#[cfg(test)]
mod tests;
