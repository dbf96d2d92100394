//! What a build left in its output, kept in casebook's cache folder (never in the output):
//! every file with what it was made from, the files of each group of outputs, where each
//! language's catalogue index is, and the build's summary and warnings for an unchanged
//! rebuild to replay.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::index::IndexUrls;
use crate::output::{Records, Sealed};

/// Bumped when the state's shape changes: an older state is ignored (the next build is a
/// full one).
const FORMAT: u32 = 4;

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
    /// Every file of the output.
    pub files: Records,
    /// The output's folders whose files are trusted as recorded while they are unchanged.
    pub sealed: Sealed,
    /// The previous output's sealed folders that hold the same files as this output's (see
    /// [`crate::output::Staging`]): the next build's staging folder's.
    pub twins: Sealed,
    /// The files of each group of outputs made together (a language's search index, the
    /// sitemaps, …), by the group's name.
    pub groups: HashMap<String, Vec<String>>,
    /// Where each language's catalogue index is.
    pub indexes: Vec<IndexUrls>,
    /// A hash of every output's path, which no two outputs shared: a build whose outputs
    /// have the same paths does not look for collisions again (0: not checked).
    pub paths: u64,
}

impl BuildState {
    /// A state for a build that recorded `files`.
    pub fn new(files: Records) -> BuildState {
        BuildState {
            format: FORMAT,
            files,
            ..BuildState::default()
        }
    }

    /// Reads the state saved at `path`; the empty state when there is none, or it is of
    /// another format or damaged.
    pub fn load(path: &Path) -> BuildState {
        std::fs::read(path)
            .ok()
            .and_then(|bytes| postcard::from_bytes::<BuildState>(&bytes).ok())
            .filter(|s| s.format == FORMAT)
            .unwrap_or_default()
    }

    /// Saves the state at `path`, replacing the file whole.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let bytes = postcard::to_allocvec(self).map_err(std::io::Error::other)?;
        super::cache::write_whole(path, &bytes)
    }
}
