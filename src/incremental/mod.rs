//! What changed since the last build, and what must be made again: one engine for `build`
//! and `serve`.
//!
//! Every output (a page, a language's search index, a feed, a copy of a static file)
//! declares what it is made of ([`crate::plan::Dep`]). [`Fingerprints`] hashes each of those
//! inputs as the current model has it, and [`Fingerprints::made_from`] combines them into
//! one hash per output. The last build recorded that hash beside each file it wrote
//! ([`BuildState`]); an output whose hash is unchanged, and whose file is still as written,
//! is kept, and every other one is made again. A fresh build (no state) makes everything;
//! either way the bytes are those of a build into an empty folder.
//!
//! State lives in casebook's cache folder ([`Cache`]), never in the published output:
//! the parsed content files ([`Documents`]), the model of the last build that built one
//! ([`SavedModel`]), and per output folder its [`BuildState`] and
//! the staging folder that the next build reuses.

pub mod cache;
pub mod documents;
pub mod fingerprints;
mod model_prints;
mod saved_model;
mod state;

pub use cache::Cache;
pub use documents::{Documents, Read};
pub use fingerprints::Fingerprints;
pub use model_prints::ModelPrints;
pub use saved_model::{ModelParts, SavedModel, SavedShards, Unchanged};
pub use state::{BuildState, Older, Summary, is_apart};
