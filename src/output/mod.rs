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
mod lock;
mod records;
mod staging;
mod swap;

use std::path::Path;

pub use destination::{SIGNATURE, absolute, check_destination, looks_like_output};
pub use in_place::{Changed, InPlace};
pub use lock::OutputLock;
pub use records::{FileRecord, Records, verify, walk};
pub use staging::Staging;

use crate::diagnostics::{Code, Diagnostic};

/// Where the pipeline writes the files of a site.
pub trait Sink: Sync {
    /// Writes the file `rel` (relative path with `/`) with `bytes`, made from inputs that
    /// hash to `made_from`; returns its record.
    fn write(&self, rel: &str, bytes: &[u8], made_from: u64) -> Result<FileRecord, Diagnostic>;

    /// Keeps the file `rel` as the last build wrote it, when it was made from the same
    /// inputs (`made_from`) and is still there as written; `None` when it must be made.
    fn keep(&self, rel: &str, made_from: u64) -> Result<Option<FileRecord>, Diagnostic>;

    /// The bytes of the file `rel` as the last build wrote it, when it is still there as
    /// written; `None` otherwise.
    fn previous(&self, rel: &str) -> Option<Vec<u8>>;
}

/// A diagnostic for a file or folder that cannot be written.
pub fn write_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        Code::WriteFailed,
        format!("cannot write {}: {e}", path.display()),
    )
    .hint("check free disk space and permissions")
}
