//! casebook's cache folder: `.casebook/` in the site unless `--cache-dir` says otherwise.
//!
//! ```text
//! .casebook/
//!   documents                 the parsed content files (see crate::incremental::documents)
//!   images/                   processed images and their sources' sizes (crate::images::store)
//!   search/<lang>             the search terms of a language's catalogue, in stretches of
//!                             entries (crate::index::language)
//!   builds/<output>/state     what the last build into an output left there
//!   builds/<output>/staging   the next build's staging folder: the output before the last
//!   builds/<output>/output    the output's path, so that the folder of an output that is
//!                             gone can be removed (see Cache::forget_gone_outputs)
//! ```
//!
//! Nothing in it is needed: deleting it is always safe, and the next build is a full one
//! with the same bytes. `casebook clean` removes it.

use std::ffi::OsStr;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// How the name of a folder of `builds/` being removed starts.
const GONE: &[u8] = b".gone-";

/// The cache folder's name in the site, by default.
pub const DEFAULT_DIR: &str = ".casebook";

/// The cache folder of one site.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// The cache of the site at `root`: `dir` when given, else `.casebook/` in the site.
    pub fn new(root: &Path, dir: Option<&Path>) -> Cache {
        Cache {
            dir: dir.map_or_else(|| root.join(DEFAULT_DIR), Path::to_path_buf),
        }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where parsed content files are kept.
    pub fn documents(&self) -> PathBuf {
        self.dir.join("documents")
    }

    /// Where the model of the last build that built one is kept (see [`super::SavedModel`]).
    pub fn model(&self) -> PathBuf {
        self.dir.join("model")
    }

    /// Where the search terms of each language's catalogue are kept, one file per
    /// language (see [`crate::index::language`]).
    pub fn search(&self) -> PathBuf {
        self.dir.join("search")
    }

    /// Where processed images are kept (see [`crate::images::store`]).
    pub fn images(&self) -> PathBuf {
        self.dir.join("images")
    }

    /// The folder of what concerns builds into the output `dest` (absolute).
    pub fn build_dir(&self, dest: &Path) -> PathBuf {
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".into());
        let hash = xxhash_rust::xxh3::xxh3_64(dest.as_os_str().as_encoded_bytes());
        let clean: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .take(40)
            .collect();
        self.dir
            .join("builds")
            .join(format!("{clean}-{:08x}", hash as u32))
    }

    /// Where the state of the last build into `dest` is kept.
    pub fn state(&self, dest: &Path) -> PathBuf {
        self.build_dir(dest).join("state")
    }

    /// The staging folder for builds into `dest`, and whether it is kept between builds:
    /// in the cache when the cache is on the same file system as `dest` (a folder can only
    /// be swapped with one on its own file system), else beside `dest`, removed after each
    /// build.
    pub fn staging(&self, dest: &Path) -> (PathBuf, bool) {
        let build = self.build_dir(dest);
        let device = |p: &Path| std::fs::metadata(p).map(|m| m.dev()).ok();
        let parent = dest.parent().unwrap_or(dest);
        let _ = std::fs::create_dir_all(&build);
        if device(&build).is_some() && device(&build) == device(parent) {
            return (build.join("staging"), true);
        }
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".into());
        (
            dest.with_file_name(format!(".{name}.casebook-staging")),
            false,
        )
    }

    /// Records in the folder of `builds/` for `dest` (absolute) which output it is for,
    /// and removes the folders whose output is gone (deleted since its last build into it,
    /// as a preview build's often is): each holds an older copy of that output, which no
    /// build will use again. A folder whose output another build is writing is kept.
    /// Returns how many were removed.
    pub fn forget_gone_outputs(&self, dest: &Path) -> usize {
        let builds = self.dir.join("builds");
        let own = self.build_dir(dest);
        let recorded = own.join("output");
        let path = dest.as_os_str().as_bytes();
        if std::fs::read(&recorded).ok().as_deref() != Some(path) {
            let _ = write_whole(&recorded, path);
        }
        let Ok(entries) = std::fs::read_dir(&builds) else {
            return 0;
        };
        let mut removed = 0;
        for entry in entries.flatten() {
            let folder = entry.path();
            // One whose removal was cut short.
            if entry.file_name().as_bytes().starts_with(GONE) {
                let _ = std::fs::remove_dir_all(&folder);
                continue;
            }
            let Ok(recorded) = std::fs::read(folder.join("output")) else {
                continue;
            };
            let output = PathBuf::from(std::ffi::OsString::from_vec(recorded));
            if folder == own || !output.is_absolute() || output.symlink_metadata().is_ok() {
                continue;
            }
            // The lock of a folder beside `dest` is held by this build already.
            let lock = match output.parent() == dest.parent() {
                true => None,
                false => match crate::output::OutputLock::try_take(&output) {
                    Ok(Some(lock)) => Some(lock),
                    Ok(None) => continue,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                    Err(_) => continue,
                },
            };
            // Renamed first, so that a removal cut short is finished by the next build.
            let gone = builds.join(OsStr::from_bytes(
                &[GONE, entry.file_name().as_bytes()].concat(),
            ));
            if output.symlink_metadata().is_err()
                && std::fs::rename(&folder, &gone).is_ok()
                && std::fs::remove_dir_all(&gone).is_ok()
            {
                removed += 1;
            }
            drop(lock);
        }
        removed
    }

    /// Removes the cache folder; `false` when there was none.
    pub fn clean(&self) -> std::io::Result<bool> {
        match std::fs::remove_dir_all(&self.dir) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e),
        }
    }
}

/// The bytes of the cache file at `path`, mapped into memory rather than read: pages of
/// the file the kernel already holds are shared, not copied into fresh memory.
pub fn map(path: &Path) -> std::io::Result<memmap2::Mmap> {
    let file = std::fs::File::open(path)?;
    // SAFETY: a mapped file that changes or shrinks while mapped changes the bytes under
    // us. casebook never changes a cache file in place: it writes a new file and renames it
    // over the old one ([`write_whole`]), and the old file mapped here stays as it was
    // until unmapped. Only a program that truncated the cache's files in place could.
    unsafe { memmap2::MmapOptions::new().populate().map(&file) }
}

/// Writes `bytes` to `path` whole: into a file beside it, then renamed over it, so that a
/// reader (another build) never sees half a file.
pub fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_parts(path, &[bytes])
}

/// [`write_whole`], of the bytes of `parts` one after the other.
pub fn write_parts(path: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::File::create(&tmp)
        .and_then(|mut f| parts.iter().try_for_each(|p| f.write_all(p)))
        .and_then(|()| std::fs::rename(&tmp, path));
    written.inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
