//! What a build left in its output, kept in casebook's cache folder (never in the output):
//! every file with what it was made from, the files of each group of outputs, where each
//! language's catalogue index is, and the build's summary and warnings for an unchanged
//! rebuild to replay.
//!
//! The records of the processed images' folder (`_images/`: nine files per photo) are saved
//! in a file of their own beside the state (`state.images`), written again only when they
//! change and read only when a build asks for one of them: an unchanged rebuild, or one
//! that keeps the images' folder whole (see [`crate::output::Sink::keep_whole`]), does
//! not read them, and a rebuild of a site with 1,000 photos reads 0.4 MB instead of 1.5.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::index::IndexUrls;
use crate::output::{FileRecord, Records, Sealed};

/// Bumped when the state's shape changes: an older state is ignored (the next build is a
/// full one).
const FORMAT: u32 = 7;

/// How many copies of images a folder holds at least to be sealed (see
/// [`BuildState::image_folders`]): a sealed folder spares a build a look at each of its
/// files, but every file's path is compared with each sealed folder's.
const FOLDER_OF_COPIES: usize = 32;

/// Whether the output file `rel` is one of those recorded apart (see the module's doc).
pub fn is_apart(rel: &str) -> bool {
    rel.strip_prefix(crate::images::variants::DIR)
        .is_some_and(|r| r.starts_with('/'))
}

/// The records saved apart: the files of the images' folder, and each group's files there.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Apart {
    files: Records,
    groups: HashMap<String, Vec<String>>,
}

/// What a build said of itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// HTML pages.
    pub pages: usize,
    /// Practices.
    pub practices: usize,
    /// Languages.
    pub languages: usize,
    /// Every warning, sorted.
    pub warnings: Vec<Diagnostic>,
}

/// What an output folder holds, as the last build into it left it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BuildState {
    format: u32,
    /// A hash of everything the build read (see [`crate::pipeline::inputs_hash`]): a build
    /// of the same inputs into an output still as recorded writes nothing.
    pub inputs: u64,
    /// The build's summary.
    pub summary: Summary,
    /// Every file of the output (when loaded, those recorded apart only once
    /// [`BuildState::read_apart`] has read them).
    #[serde(serialize_with = "main_files")]
    pub files: Arc<Records>,
    /// The output's folders whose files are trusted as recorded while they are unchanged.
    pub sealed: Sealed,
    /// The previous output's sealed folders that hold the same files as this output's (see
    /// [`crate::output::Staging`]): the next build's staging folder's.
    pub twins: Sealed,
    /// The previous output (the next build's staging folder), as this build left it.
    pub older: Older,
    /// When this state was saved (its file's modification time), once loaded: the output
    /// was written before.
    #[serde(skip)]
    pub saved_at: Option<(i64, i64)>,
    /// The files of each group of outputs made together (a language's search index, the
    /// sitemaps, …), by the group's name.
    #[serde(serialize_with = "main_groups")]
    pub groups: HashMap<String, Vec<String>>,
    /// Where each language's catalogue index is.
    pub indexes: Vec<IndexUrls>,
    /// A hash of every output's path, which no two outputs shared: a build whose outputs
    /// have the same paths does not look for collisions again (0: not checked).
    pub paths: u64,
    /// The print of the records saved apart, 0 when there are none (see
    /// [`BuildState::save`]).
    apart: u64,
    /// How many files are recorded apart.
    apart_files: usize,
    /// Where the records saved apart are, until [`BuildState::read_apart`] reads them.
    #[serde(skip)]
    apart_at: Option<std::path::PathBuf>,
    /// The records saved apart, read when first asked for (see [`BuildState::record`]);
    /// `None` when they are missing or not the ones this state was saved with.
    #[serde(skip)]
    apart_read: std::sync::OnceLock<Option<Apart>>,
    /// Whether the records saved apart are the last build's, carried over without being
    /// read (see [`BuildState::carry_apart`]).
    #[serde(skip)]
    carried: bool,
    /// A hash of the image groups' names and of what each was made from (0: none): a build
    /// with the same hash makes the same files of `_images/` (see
    /// [`crate::output::Sink::keep_whole`]).
    pub images: u64,
}

/// What a build knows of the previous output, which becomes the next build's staging
/// folder (see [`crate::output::Staging::scan`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Older {
    /// When it was last written (the time its build saved its state), when known: a folder
    /// of it that has not changed since holds what its build left there.
    pub finished: Option<(i64, i64)>,
    /// The files it holds that the new output does not.
    pub dropped: Vec<String>,
}

impl crate::output::Recorded for BuildState {
    fn record(&self, rel: &str) -> Option<&FileRecord> {
        BuildState::record(self, rel)
    }
}

impl BuildState {
    /// A state for a build that recorded `files`.
    pub fn new(files: Records) -> BuildState {
        BuildState {
            format: FORMAT,
            files: Arc::new(files),
            ..BuildState::default()
        }
    }

    /// How many files the output holds.
    pub fn file_count(&self) -> usize {
        if self.apart_at.is_some() || self.carried {
            self.files.len() + self.apart_files
        } else {
            self.files.len()
        }
    }

    /// The folders of the output that hold nothing but copies of images at their sources'
    /// own paths (a site's `photos/`, every photo of it shown by a practice), and hold them
    /// directly: sealed like the images' folder (see [`crate::output::Staging::commit`]), so
    /// a build that keeps them neither lists nor looks at their files. Sorted.
    pub fn image_folders(&self) -> Vec<String> {
        use rustc_hash::FxHashMap;
        // The copies of each folder: the files of image groups out of `_images/`.
        let mut copies: FxHashMap<&str, usize> = FxHashMap::default();
        let image_groups = self.groups.iter().filter(|(name, _)| is_apart(name));
        for f in image_groups
            .flat_map(|(_, files)| files)
            .filter(|f| !is_apart(f))
        {
            if let Some((folder, _)) = f.rsplit_once('/') {
                *copies.entry(folder).or_default() += 1;
            }
        }
        copies.retain(|_, n| *n >= FOLDER_OF_COPIES);
        if copies.is_empty() {
            return Vec::new();
        }
        // Every file of the output under each of those folders, at any depth. Most files
        // (the pages) are in none: only those whose first folder is one of theirs (a few)
        // are looked at further.
        fn first(rel: &str) -> &str {
            let end = rel.bytes().position(|b| b == b'/').unwrap_or(rel.len());
            &rel[..end]
        }
        let mut firsts: Vec<&str> = copies.keys().map(|f| first(f)).collect();
        firsts.sort_unstable();
        firsts.dedup();
        let mut under: FxHashMap<&str, usize> = copies.keys().map(|f| (*f, 0)).collect();
        for rel in self.files.keys() {
            if !firsts.contains(&first(rel)) {
                continue;
            }
            let mut at = rel.as_str();
            while let Some((folder, _)) = at.rsplit_once('/') {
                if let Some(n) = under.get_mut(folder) {
                    *n += 1;
                }
                at = folder;
            }
        }
        let mut folders: Vec<String> = copies
            .into_iter()
            .filter(|(folder, n)| under.get(folder) == Some(n))
            .map(|(folder, _)| folder.to_string())
            .collect();
        folders.sort();
        folders
    }

    /// How many files the last build recorded apart (the files of `_images/`).
    pub fn apart_files(&self) -> usize {
        self.apart_files
    }

    /// Keeps the records `last` saved apart for this state, unread: this build kept the
    /// images' folder whole, as `last` left it, and recorded none of its files.
    pub fn carry_apart(&mut self, last: &BuildState) {
        self.apart = last.apart;
        self.apart_files = last.apart_files;
        self.carried = true;
    }

    /// Reads the state saved at `path`, but for the records saved apart (see
    /// [`BuildState::read_apart`]); the empty state when there is none, or it is of another
    /// format or damaged.
    pub fn load(path: &Path) -> BuildState {
        use std::io::Read;
        use std::os::unix::fs::MetadataExt;
        let Ok(mut file) = std::fs::File::open(path) else {
            return BuildState::default();
        };
        let saved_at = file.metadata().ok().map(|m| (m.mtime(), m.mtime_nsec()));
        let mut bytes = Vec::new();
        if file.read_to_end(&mut bytes).is_err() {
            return BuildState::default();
        }
        postcard::from_bytes::<BuildState>(&bytes)
            .ok()
            .filter(|s| s.format == FORMAT)
            .map(|s| BuildState {
                saved_at,
                apart_at: (s.apart != 0).then(|| apart_path(path)),
                ..s
            })
            .unwrap_or_default()
    }

    /// Makes the state ready to check the output at `dest` against (see
    /// [`crate::output::verify`]): the files of the images' folder are trusted whole while
    /// it is sealed and as stamped; before it is sealed (it changed in the last seconds),
    /// they are looked at one by one, and their records are read. `false` when the state
    /// is of no use (see [`BuildState::read_apart`]).
    pub fn ready_to_verify(&mut self, dest: &Path) -> bool {
        let images = format!("{}/", crate::images::variants::DIR);
        crate::output::unchanged_folders(dest, &self.sealed).contains(&images) || self.read_apart()
    }

    /// Adds the records saved apart to [`BuildState::files`] and [`BuildState::groups`].
    /// When they are missing or not the ones this state was saved with, the state is of no
    /// use: it becomes the empty one, and `false` is returned.
    pub fn read_apart(&mut self) -> bool {
        if self.apart_at.is_none() {
            return true;
        }
        self.apart();
        let Some(apart) = self.apart_read.take().flatten() else {
            *self = BuildState::default();
            return false;
        };
        self.apart_at = None;
        let files = Arc::make_mut(&mut self.files);
        files.extend(apart.files);
        for (name, list) in apart.groups {
            self.groups.entry(name).or_default().extend(list);
        }
        true
    }

    /// The records saved apart, read when first asked for; `None` when they are missing
    /// or damaged (or when there are none).
    fn apart(&self) -> Option<&Apart> {
        let path = self.apart_at.as_ref()?;
        self.apart_read
            .get_or_init(|| {
                read_apart(path)
                    .filter(|(print, _)| *print == self.apart)
                    .map(|(_, apart)| apart)
            })
            .as_ref()
    }

    /// The record of the output file `rel`, when the last build wrote it (and, for a file
    /// of the images' folder, its record saved apart can be read).
    pub fn record(&self, rel: &str) -> Option<&FileRecord> {
        match self.files.get(rel) {
            Some(r) => Some(r),
            None if is_apart(rel) => self.apart()?.files.get(rel),
            None => None,
        }
    }

    /// The files of the group of outputs `name`, when the last build made it and they are
    /// all known (for an image group, when the records saved apart can be read).
    pub fn group(&self, name: &str) -> Option<Vec<&String>> {
        let main = self.groups.get(name);
        if self.apart_at.is_none() || !is_apart(name) {
            return main.map(|files| files.iter().collect());
        }
        let apart = self.apart()?.groups.get(name);
        if main.is_none() && apart.is_none() {
            return None;
        }
        Some(main.into_iter().chain(apart).flatten().collect())
    }

    /// Saves the state at `path`, replacing the file whole. The records of the images'
    /// folder go to a file of their own, written again only when they changed (and not at
    /// all when they are carried: a reading checks the file there against the print).
    pub fn save(&mut self, path: &Path) -> std::io::Result<()> {
        if !self.carried {
            self.save_apart(&apart_path(path))?;
        }
        let bytes = postcard::to_allocvec(self).map_err(std::io::Error::other)?;
        super::cache::write_whole(path, &bytes)
    }

    /// Saves the records kept apart at `at`, unless the file there has their print.
    fn save_apart(&mut self, at: &Path) -> std::io::Result<()> {
        self.apart = apart_print(self.files.iter(), self.groups.iter());
        self.apart_files = (self.files.keys()).filter(|r| is_apart(r)).count();
        if self.apart == 0 {
            let _ = std::fs::remove_file(at);
        } else if saved_print(at) != Some(self.apart) {
            let apart = Apart {
                files: (self.files.iter())
                    .filter(|(rel, _)| is_apart(rel))
                    .map(|(rel, r)| (rel.clone(), *r))
                    .collect(),
                groups: (self.groups.iter())
                    .map(|(name, files)| {
                        let files = files.iter().filter(|f| is_apart(f)).cloned().collect();
                        (name.clone(), files)
                    })
                    .filter(|(_, files): &(String, Vec<String>)| !files.is_empty())
                    .collect(),
            };
            let bytes = postcard::to_allocvec(&apart).map_err(std::io::Error::other)?;
            super::cache::write_parts(at, &[&self.apart.to_le_bytes(), &bytes])?;
        }
        Ok(())
    }
}

/// Where the records of the state at `path` are saved apart.
fn apart_path(path: &Path) -> std::path::PathBuf {
    path.with_extension("images")
}

/// The records saved apart at `path`, with the print they were saved under, when they
/// still have it.
fn read_apart(path: &Path) -> Option<(u64, Apart)> {
    let bytes = std::fs::read(path).ok()?;
    let (print, rest) = bytes.split_first_chunk::<8>()?;
    let apart = postcard::from_bytes::<Apart>(rest).ok()?;
    let print = u64::from_le_bytes(*print);
    let groups = apart.groups.iter();
    (apart_print(apart.files.iter(), groups) == print).then_some((print, apart))
}

/// The print the records saved apart at `path` begin with, when there is such a file.
fn saved_print(path: &Path) -> Option<u64> {
    use std::io::Read;
    let mut print = [0; 8];
    let mut file = std::fs::File::open(path).ok()?;
    file.read_exact(&mut print).ok()?;
    Some(u64::from_le_bytes(print))
}

/// A print of the records of `files` and `groups` that are saved apart, whatever their
/// order: 0 when there are none.
fn apart_print<'a>(
    files: impl Iterator<Item = (&'a String, &'a FileRecord)>,
    groups: impl Iterator<Item = (&'a String, &'a Vec<String>)>,
) -> u64 {
    use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};
    // Each record hashed at once (a build that writes saves 10,000 of them per 1,000
    // photos), and the hashes added, so that their order does not count.
    let files = files.filter(|(rel, _)| is_apart(rel)).map(|(rel, r)| {
        let (s, ns) = r.mtime;
        let numbers = [r.made_from, r.hash, r.size, s as u64, ns as u64, r.inode];
        let mut bytes = [0u8; 48];
        for (chunk, n) in bytes.chunks_exact_mut(8).zip(numbers) {
            chunk.copy_from_slice(&n.to_le_bytes());
        }
        xxh3_64_with_seed(rel.as_bytes(), xxh3_64(&bytes))
    });
    let groups = groups.flat_map(|(name, files)| {
        let seed = xxh3_64(name.as_bytes()) ^ 1;
        (files.iter())
            .filter(|f| is_apart(f))
            .map(move |f| xxh3_64_with_seed(f.as_bytes(), seed))
    });
    files.chain(groups).fold(0, u64::wrapping_add)
}

/// Serializes the records of `files` that are not saved apart.
fn main_files<S: serde::Serializer>(files: &Arc<Records>, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let main = || files.iter().filter(|(rel, _)| !is_apart(rel));
    let mut map = s.serialize_map(Some(main().count()))?;
    for (rel, r) in main() {
        map.serialize_entry(rel, r)?;
    }
    map.end()
}

/// Serializes each group's files that are not saved apart (the groups with none left out).
fn main_groups<S: serde::Serializer>(
    groups: &HashMap<String, Vec<String>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::{SerializeMap, SerializeSeq};
    struct Main<'a>(&'a [String]);
    impl Serialize for Main<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let main = || self.0.iter().filter(|f| !is_apart(f));
            let mut seq = s.serialize_seq(Some(main().count()))?;
            main().try_for_each(|f| seq.serialize_element(f))?;
            seq.end()
        }
    }
    let main = || {
        (groups.iter())
            .filter(|(_, files)| files.iter().any(|f| !is_apart(f)))
            .map(|(name, files)| (name, Main(files)))
    };
    let mut map = s.serialize_map(Some(main().count()))?;
    for (name, files) in main() {
        map.serialize_entry(name, &files)?;
    }
    map.end()
}

#[cfg(test)]
mod tests;
