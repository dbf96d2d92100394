//! casebook: a static site generator for multilingual, filterable catalogues of good-practice
//! case studies.
//!
//! The folders follow the pipeline, in the order data flows:
//!
//! ```text
//! casebook.yaml ─► input ─┐
//! content/ ─────► input ─► document ─► model ─► plan ─► render ─► output
//! themes/ ──────► theme ─────────────────────────────────┘   │
//!                                  index, publish ───────────┘
//!           incremental: fingerprints + the plan's dependencies ─► what to make again
//! ```
//!
//! - [`input`]: casebook.yaml, the content tree, file names, front matter;
//! - [`theme`]: templates, static files, UI strings and the map of the theme in use;
//! - [`document`]: each content file typed and checked, its Markdown body read;
//! - [`model`]: practices with their translations, facets, relations and resolved links;
//! - [`plan`]: every output, its template and what it depends on;
//! - [`index`]: the catalogue's search and facet index for the browser;
//! - [`render`]: the pages through their templates;
//! - [`publish`]: sitemap, feeds, open data, structured data;
//! - [`output`]: writing the site, all or nothing, never outside the destination;
//! - [`incremental`]: what changed since the last build, and what must be made again;
//! - [`translation`]: which version of its source a translation was made from, and XLIFF
//!   files for translators;
//! - [`commands`]: `build`, `check`, `serve`, `new`, `init`, `schema`, `translations`,
//!   `import` and `cms` on top, and the command line's arguments (`commands::args`).
//!
//! Every problem a user can cause is a [`diagnostics::Diagnostic`] with a location and a
//! hint.

// Diagnostics are the error type of the whole pipeline. They are large (location, source
// line, hint, notes) but only travel on the error path, so boxing them buys nothing.
#![allow(clippy::result_large_err)]

pub mod commands;
pub mod diagnostics;
pub mod document;
pub mod escape;
pub mod hash;
pub mod images;
pub mod incremental;
pub mod index;
pub mod input;
pub mod memory;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod plan;
pub mod publish;
pub mod render;
pub mod suggest;
pub mod theme;
pub mod translation;
pub mod urls;

pub use commands::build::{BuildFailure, BuildOptions, BuildSummary, build};
pub use commands::check::{CheckOptions, CheckReport, check};
