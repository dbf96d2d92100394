//! What the parses cache keeps of one content file: its stamp, and its parse (the saved
//! bytes of its document, or its problems).

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

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
/// so that its other files are not reported against it).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) enum Parsed {
    Document(Stored),
    Problems(Vec<Diagnostic>, Option<String>),
}

/// A document as the cache holds it: its saved bytes, decoded when a build needs it, or
/// decoded. Saved either way as the bytes of the document.
#[derive(Debug, Clone)]
pub(super) enum Stored {
    Saved(Box<[u8]>),
    Decoded(Box<Document>),
}

impl Stored {
    /// The document, decoded from its bytes if need be.
    pub(super) fn decoded(&self) -> Option<Document> {
        match self {
            Stored::Saved(bytes) => postcard::from_bytes(bytes).ok(),
            Stored::Decoded(d) => Some((**d).clone()),
        }
    }

    /// The document, moved out.
    pub(super) fn into_decoded(self) -> Option<Document> {
        match self {
            Stored::Saved(bytes) => postcard::from_bytes(&bytes).ok(),
            Stored::Decoded(d) => Some(*d),
        }
    }
}

impl Serialize for Stored {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Stored::Saved(bytes) => s.serialize_bytes(bytes),
            Stored::Decoded(d) => {
                let bytes = postcard::to_allocvec(d).map_err(serde::ser::Error::custom)?;
                s.serialize_bytes(&bytes)
            }
        }
    }
}

impl<'de> Deserialize<'de> for Stored {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Bytes;
        impl serde::de::Visitor<'_> for Bytes {
            type Value = Stored;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a saved document")
            }
            fn visit_bytes<E>(self, bytes: &[u8]) -> Result<Stored, E> {
                Ok(Stored::Saved(bytes.into()))
            }
        }
        d.deserialize_bytes(Bytes)
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

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Entry {
    pub(super) stamp: Option<Stamp>,
    /// When the stamp was taken, in seconds.
    pub(super) checked: i64,
    /// The file as the site names it, and a hash of its text (see [`Read::contents`]).
    pub(super) rel: PathBuf,
    pub(super) text_hash: u64,
    pub(super) parsed: Parsed,
}

impl Entry {
    /// A hash of the file's name in the site and of its text (see [`Read::contents`]).
    pub(super) fn print(&self) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(self.rel.as_os_str().as_encoded_bytes());
        h.update(&self.text_hash.to_le_bytes());
        h.digest()
    }
}
