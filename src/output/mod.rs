//! Writing the site, all or nothing, never outside the destination.
//!
//! - [`check_destination`]: the folders casebook refuses to write (the site itself, its
//!   sources, links, someone else's files);
//! - [`OutputLock`]: one build at a time into one output;
//! - [`Staging`]: a build's output written whole beside the current one and swapped in;
//! - [`InPlace`]: a served folder updated file by file, each file replaced atomically;
//! - [`FileRecord`]: what casebook knows of each file it wrote.
//!
//! Both ways of writing take files through [`Sink`], so the pipeline writes the same way
//! into either.

mod destination;
mod in_place;
mod listing;
mod lock;
mod pieces;
mod records;
mod staging;
mod swap;

use std::path::Path;

pub use destination::{SIGNATURE, absolute, check_destination, looks_like_output};
pub use in_place::{Changed, InPlace};
pub use listing::Expected;
pub use lock::OutputLock;
pub use pieces::{Pieces, hash_parts};
pub use records::{
    FileRecord, FolderStamp, Records, Sealed, SealedFolder, unchanged_folders, verify, walk,
};
pub use staging::{Sealing, Staging};

use crate::diagnostics::{Code, Diagnostic};

/// What the last build recorded of the files of an output, looked up file by file.
pub trait Recorded: Sync + std::fmt::Debug {
    /// The record of the file `rel`, when the last build wrote it.
    fn record(&self, rel: &str) -> Option<&FileRecord>;
}

impl Recorded for Records {
    fn record(&self, rel: &str) -> Option<&FileRecord> {
        self.get(rel)
    }
}

/// Where the pipeline writes the files of a site.
pub trait Sink: Sync {
    /// Writes the file `rel` (relative path with `/`) with the bytes of `parts`, one after
    /// the other, made from inputs that hash to `made_from`; returns its record.
    fn write(&self, rel: &str, parts: &[&[u8]], made_from: u64) -> Result<FileRecord, Diagnostic>;

    /// Keeps the file `rel` as the last build wrote it, when it was made from the same
    /// inputs (`made_from`) and is still there as written; `None` when it must be made.
    fn keep(&self, rel: &str, made_from: u64) -> Result<Option<FileRecord>, Diagnostic>;

    /// Keeps the folder `prefix` (`_images/`) whole, as the last build left it with its
    /// `files` files, when it is sure to be so without looking at them: the build then
    /// neither keeps nor records them one by one. `false` (the default) when they must be
    /// kept one by one.
    fn keep_whole(&self, _prefix: &str, _files: usize) -> bool {
        false
    }

    /// The bytes of the file `rel` as the last build wrote it, when it is still there as
    /// written; `None` otherwise.
    fn previous(&self, rel: &str) -> Option<Vec<u8>>;

    /// Publishes as `rel` the file `from` (in casebook's cache, recorded there as `known`)
    /// by a hard link rather than a copy; `None` when it cannot be linked (another file
    /// system, or the file is no longer the one recorded) and must be written.
    fn link(
        &self,
        rel: &str,
        from: &Path,
        known: &FileRecord,
        made_from: u64,
    ) -> Result<Option<FileRecord>, Diagnostic>;
}

/// What a file of the output is made of: its bytes, or a file of casebook's cache, as the
/// cache recorded it (see [`Sink::link`]).
#[derive(Debug)]
pub enum Content {
    /// The file's bytes.
    Bytes(Vec<u8>),
    /// The file's bytes, made in pieces (a large file).
    Pieces(Pieces),
    /// A file of the cache, linked when the output is on the same file system.
    Cached(std::path::PathBuf, FileRecord),
}

/// A diagnostic for a file or folder that cannot be written.
pub fn write_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        Code::WriteFailed,
        format!("cannot write {}: {e}", path.display()),
    )
    .hint("check free disk space and permissions")
}

/// The bytes of the cache's file `from`, when they are still those recorded as `known`.
pub fn read_cached(from: &Path, known: &FileRecord) -> Result<Vec<u8>, Diagnostic> {
    match std::fs::read(from) {
        Ok(bytes) if xxhash_rust::xxh3::xxh3_64(&bytes) == known.hash => Ok(bytes),
        Ok(_) => Err(Diagnostic::new(
            Code::ReadError,
            format!("{} changed while the site was being built", from.display()),
        )
        .hint("build again; if this keeps happening, run `casebook clean`")),
        Err(e) => Err(Diagnostic::new(
            Code::ReadError,
            format!("cannot read {}: {e}", from.display()),
        )
        .hint("build again; if this keeps happening, run `casebook clean`")),
    }
}
