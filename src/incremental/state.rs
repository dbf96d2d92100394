//! What a build left in its output, kept in casebook's cache folder (never in the output):
//! every file with what it was made from, the files of each group of outputs, where each
//! language's catalogue index is, and the build's summary and warnings for an unchanged
//! rebuild to replay.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::index::IndexUrls;
use crate::output::{Records, Sealed};

/// Bumped when the state's shape changes: an older state is ignored (the next build is a
/// full one).
const FORMAT: u32 = 5;

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
    pub groups: HashMap<String, Vec<String>>,
    /// Where each language's catalogue index is.
    pub indexes: Vec<IndexUrls>,
    /// A hash of every output's path, which no two outputs shared: a build whose outputs
    /// have the same paths does not look for collisions again (0: not checked).
    pub paths: u64,
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

impl BuildState {
    /// A state for a build that recorded `files`.
    pub fn new(files: Records) -> BuildState {
        BuildState {
            format: FORMAT,
            files: Arc::new(files),
            ..BuildState::default()
        }
    }

    /// Reads the state saved at `path`; the empty state when there is none, or it is of
    /// another format or damaged.
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
            .map(|s| BuildState { saved_at, ..s })
            .unwrap_or_default()
    }

    /// Saves the state at `path`, replacing the file whole.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let bytes = postcard::to_allocvec(self).map_err(std::io::Error::other)?;
        super::cache::write_whole(path, &bytes)
    }
}
