//! casebook: a static site generator for multilingual, filterable catalogues of good-practice
//! case studies.
//!
//! The pipeline flows one way: [`config`] → [`source`] → [`document`] → [`model`] →
//! [`plan`] → [`render`] → [`output`], orchestrated by [`build`]. Every problem a user can
//! cause is a [`diagnostics::Diagnostic`] with a location and a hint.

// Diagnostics are the error type of the whole pipeline. They are large (location, source
// line, hint, notes) but only travel on the error path, so boxing them buys nothing.
#![allow(clippy::result_large_err)]

pub mod asks;
pub mod build;
pub mod check;
pub mod config;
pub mod countries;
pub mod dates;
pub mod diagnostics;
pub mod document;
pub mod embedded;
pub mod escape;
pub mod filename;
pub mod frontmatter;
pub mod fx;
pub mod highlight;
pub mod i18n;
pub mod index;
pub mod links;
pub mod markdown;
pub mod model;
pub mod output;
pub mod plan;
pub mod prints;
pub mod publish;
pub mod reclaim;
pub mod related;
pub mod render;
pub mod reuse;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod sitemap;
pub mod source;
pub mod suggest;
pub mod theme;
pub mod urls;
pub mod yaml;

pub use build::{BuildFailure, BuildOptions, BuildSummary, build};
