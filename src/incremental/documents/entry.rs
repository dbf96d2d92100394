//! What the parses cache keeps of one content file: its stamp, and its parse (the saved
//! bytes of its document, or its problems).

use std::ops::Range;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::document::Document;

/// What identifies a file's version without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Stamp {
    pub(super) size: u64,
    pub(super) mtime: (i64, i64),
    pub(super) inode: u64,
}

impl Stamp {
    pub(super) fn of(path: &Path) -> Option<Stamp> {
        let m = std::fs::metadata(path).ok()?;
        Some(Stamp {
            size: m.len(),
            mtime: (m.mtime(), m.mtime_nsec()),
            inode: m.ino(),
        })
    }
}

/// A file's parse, or its problems (with the slug of a practice file that did not parse,
/// so that its other files are not reported against it). The parse is held as `D`: a
/// [`Stored`] document, or, while a shard is decoded, its saved bytes in the shard's file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) enum Parsed<D = Stored> {
    Document(D),
    Problems(Vec<Diagnostic>, Option<String>),
}

/// A document as the cache holds it: its saved bytes, decoded when a build needs it, or
/// decoded. Saved either way as the bytes of the document.
#[derive(Debug, Clone)]
pub(super) enum Stored {
    /// Its bytes in the cache file they were loaded from, mapped (not copied).
    Mapped(Arc<memmap2::Mmap>, Range<usize>),
    /// Its bytes, encoded since it was parsed.
    Saved(Box<[u8]>),
    Decoded(Box<Document>),
}

impl Stored {
    /// The document's saved bytes, when it is held saved.
    pub(super) fn bytes(&self) -> Option<&[u8]> {
        match self {
            Stored::Mapped(file, range) => file.get(range.clone()),
            Stored::Saved(bytes) => Some(bytes),
            Stored::Decoded(_) => None,
        }
    }

    /// The document, decoded from its bytes if need be.
    pub(super) fn decoded(&self) -> Option<Document> {
        match self {
            Stored::Decoded(d) => Some((**d).clone()),
            saved => postcard::from_bytes(saved.bytes()?).ok(),
        }
    }

    /// The document, moved out.
    pub(super) fn into_decoded(self) -> Option<Document> {
        match self {
            Stored::Decoded(d) => Some(*d),
            saved => postcard::from_bytes(saved.bytes()?).ok(),
        }
    }

    /// The document saved as `bytes`, which lie in `file` (mapped).
    pub(super) fn mapped(file: &Arc<memmap2::Mmap>, bytes: &[u8]) -> Stored {
        // Where the bytes lie in the file, from the addresses alone.
        let start = (bytes.as_ptr() as usize).wrapping_sub(file.as_ptr() as usize);
        let range = start..start.wrapping_add(bytes.len());
        if file
            .get(range.clone())
            .is_some_and(|b| b.as_ptr() == bytes.as_ptr())
        {
            Stored::Mapped(Arc::clone(file), range)
        } else {
            Stored::Saved(bytes.into())
        }
    }
}

impl Serialize for Stored {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Stored::Decoded(d) => {
                let bytes = postcard::to_allocvec(d).map_err(serde::ser::Error::custom)?;
                s.serialize_bytes(&bytes)
            }
            saved => s.serialize_bytes(saved.bytes().unwrap_or_default()),
        }
    }
}

/// The problem of a saved document that cannot be decoded (a damaged cache folder).
pub(super) fn damaged(rel: &Path) -> Diagnostic {
    Diagnostic::new(
        crate::diagnostics::Code::ReadError,
        format!(
            "casebook's cache of parsed files is damaged: cannot read its copy of {}",
            rel.display()
        ),
    )
    .at(crate::diagnostics::Location::file(rel))
    .hint("delete the cache folder (`casebook clean`) and build again")
}

/// What the cache keeps of one file, its parse held as `D` (see [`Parsed`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Entry<D = Stored> {
    pub(super) stamp: Option<Stamp>,
    /// When the stamp was taken, in seconds.
    pub(super) checked: i64,
    /// The file as the site names it, and a hash of its text (see [`Read::contents`]).
    pub(super) rel: PathBuf,
    pub(super) text_hash: u64,
    pub(super) parsed: Parsed<D>,
}

impl Entry<&[u8]> {
    /// The entry decoded from the mapped `file`, its document's bytes left there.
    pub(super) fn in_file(self, file: &Arc<memmap2::Mmap>) -> Entry {
        Entry {
            stamp: self.stamp,
            checked: self.checked,
            rel: self.rel,
            text_hash: self.text_hash,
            parsed: match self.parsed {
                Parsed::Document(bytes) => Parsed::Document(Stored::mapped(file, bytes)),
                Parsed::Problems(d, slug) => Parsed::Problems(d, slug),
            },
        }
    }
}

impl Entry {
    /// A hash of the file's name in the site and of its text (see [`Read::contents`]).
    pub(super) fn print(&self) -> u64 {
        use std::hash::Hasher;
        let mut h = crate::hash::Buffered::default();
        h.write(self.rel.as_os_str().as_encoded_bytes());
        h.write(&self.text_hash.to_le_bytes());
        h.finish()
    }
}
