//! The pipeline, end to end, for `build`, `check` and `serve` alike:
//!
//! ```text
//! casebook.yaml, content/, themes/ ─► input ─► document ─► model ─► plan
//!     ─► index, render, publish ─► output      (incremental: what to make again)
//! ```
//!
//! - [`load`]: reads the inputs ([`inputs`]), parses the documents through the cache of
//!   [`crate::incremental::Documents`] ([`parse`]) and builds the model ([`model`]);
//! - `from_saved`: the model a previous `build` saved, patched ([`saved_model`]);
//! - [`write`]: plans every output, keeps those whose inputs did not change, and makes the
//!   others (the catalogue indexes, the pages and the files beside them) into an
//!   [`crate::output::Sink`];
//! - `make`: each page and group of files kept or made, for [`write`];
//! - [`settings`]: what every output depends on, hashed;
//! - [`indexes`]: the catalogue index of every language, kept or made first;
//! - [`collisions`]: outputs that would need the same path;
//! - [`references`]: links, anchors and images that point at nothing.
//!
//! Every step reports all the problems it finds; nothing is written unless all pass.

mod collisions;
mod from_saved;
mod indexes;
mod load;
mod make;
mod references;
mod settings;
#[cfg(test)]
mod tests;
mod write;

use std::path::PathBuf;
use std::time::Duration;

use crate::diagnostics::{self, Diagnostic};
use crate::render::AssetUrls;

pub use collisions::collisions;
pub use from_saved::{PatchedModel, saved_model};
pub use load::{
    Inputs, Loaded, Parsed, inputs, load, model, parse, parse_inputs, parse_loading, patch,
    ui_warnings,
};
pub use references::references;
pub use settings::{inputs_hash, parse_key};
pub use write::{Written, write};

/// What to build, and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root (holding casebook.yaml).
    pub root: PathBuf,
    /// Destination; default `<root>/output`.
    pub output: Option<PathBuf>,
    /// casebook's cache folder; default `<root>/.casebook`.
    pub cache_dir: Option<PathBuf>,
    /// Overrides `base_url` (preview deploys, serve).
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Fingerprinted or plain asset URLs.
    pub assets: AssetUrls,
}

impl BuildOptions {
    /// Options for building the site at `root` with defaults.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            cache_dir: None,
            base_url: None,
            drafts: false,
            assets: AssetUrls::Fingerprinted,
        }
    }

    /// The destination folder.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("output"))
    }
}

/// Which outputs [`write()`] makes now.
#[derive(Debug, Clone, Default)]
pub struct Urgency {
    /// Make at most this many pages now, those of `first` first; the others stay as they
    /// are, and a later call makes them. `None`: every page.
    pub pages: Option<usize>,
    /// The URL paths of pages to make first (the pages open in a browser).
    pub first: Vec<String>,
    /// Leave the catalogue indexes, feeds, open data and sitemaps for later (the static
    /// files are always copied at once).
    pub defer_files: bool,
    /// Leave a catalogue index that was never made for later too, and with it the
    /// catalogue pages that name it (`serve`'s first build of a large site), unless one of
    /// those pages is in `first`.
    pub defer_indexes: bool,
}

/// Time spent per phase.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// Reading config, theme and i18n files, and finding content files.
    pub load: Duration,
    /// Reading content files, front matter and Markdown (or their parses from the cache).
    pub parse: Duration,
    /// Grouping, checks, facets, related practices.
    pub model: Duration,
    /// Planning outputs and telling which must be made again.
    pub plan: Duration,
    /// The catalogue's search and facet index.
    pub index: Duration,
    /// Templates and writing files.
    pub render: Duration,
    /// Swapping the output in, saving the cache.
    pub commit: Duration,
}

impl std::fmt::Display for Timings {
    /// `timings: load 1.2 ms, parse …`, as `--timings` prints it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        write!(
            f,
            "timings: load {:.1} ms, parse {:.1} ms, model {:.1} ms, plan {:.1} ms, index {:.1} ms, render+write {:.1} ms, commit {:.1} ms",
            ms(self.load),
            ms(self.parse),
            ms(self.model),
            ms(self.plan),
            ms(self.index),
            ms(self.render),
            ms(self.commit)
        )
    }
}

/// `1 page`, `2 pages`: a count and its noun.
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// A failed build: every problem found, errors and warnings, sorted by place.
#[derive(Debug)]
pub struct BuildFailure {
    /// The problems.
    pub diagnostics: Vec<Diagnostic>,
}

/// A failure with these problems, sorted.
pub fn fail(mut diags: Vec<Diagnostic>) -> BuildFailure {
    diagnostics::sort_and_dedup(&mut diags);
    BuildFailure { diagnostics: diags }
}
