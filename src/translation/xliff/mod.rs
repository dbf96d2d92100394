//! XLIFF 2.1 files, the format translators' tools (CAT tools, translation agencies) read
//! and write: [`write`] makes one, [`dom`] reads one back into a tree with places, and
//! [`read`] takes out what casebook needs, with every problem at its line and column.

pub mod dom;
pub mod read;
pub mod write;

use super::units::Unit;

/// The namespace of XLIFF 2 core (2.1 kept 2.0's).
pub const XLIFF_NAMESPACE: &str = "urn:oasis:names:tc:xliff:document:2.0";
/// The namespace of XLIFF 2's metadata module.
pub const MDA_NAMESPACE: &str = "urn:oasis:names:tc:xliff:metadata:2.0";

/// One practice or page to translate: one `<file>` of an XLIFF document.
#[derive(Debug, Clone)]
pub struct Document {
    /// `practices` or `pages`.
    pub section: String,
    /// Its slug.
    pub slug: String,
    /// The source file, relative to the site root.
    pub source_file: String,
    /// The translation file import writes, relative to the site root.
    pub target_file: String,
    /// The source's fingerprint: import takes the file back only while the source has it.
    pub fingerprint: String,
    /// The state of targets taken from an existing translation: `translated` when it is up
    /// to date, else `initial` (to be reviewed).
    pub target_state: &'static str,
    /// What to translate.
    pub units: Vec<Unit>,
}
