//! A practice's front matter as written: each value with its place, before any check.

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::types::{KeyFigure, Owner};
use crate::input::dates::RawDate;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBudget {
    pub(super) total: Option<Spanned<f64>>,
    pub(super) eu: Option<Spanned<f64>>,
    pub(super) currency: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawImage {
    pub(super) src: Option<Spanned<String>>,
    pub(super) alt: Option<Spanned<String>>,
    pub(super) focus: Option<Spanned<(f64, f64)>>,
}

/// A practice's front matter as written, each value with its place.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPractice {
    pub(super) title: Option<Spanned<String>>,
    pub(super) subtitle: Option<Spanned<String>>,
    pub(super) city: Option<Spanned<String>>,
    pub(super) region: Option<Spanned<String>>,
    pub(super) country: Option<Spanned<String>>,
    pub(super) coordinates: Option<Spanned<(f64, f64)>>,
    pub(super) programme: Option<Spanned<String>>,
    pub(super) topics: Option<Spanned<Vec<Spanned<String>>>>,
    pub(super) level: Option<Spanned<String>>,
    pub(super) start: Option<Spanned<RawDate>>,
    pub(super) end: Option<Spanned<RawDate>>,
    pub(super) budget: Option<Spanned<RawBudget>>,
    pub(super) partners: Option<Spanned<Vec<Spanned<String>>>>,
    pub(super) owner: Option<Spanned<Owner>>,
    pub(super) key_figures: Option<Spanned<Vec<Spanned<KeyFigure>>>>,
    pub(super) summary: Option<Spanned<String>>,
    pub(super) published: Option<Spanned<RawDate>>,
    pub(super) updated: Option<Spanned<RawDate>>,
    pub(super) draft: Option<bool>,
    pub(super) related: Option<Spanned<Vec<Spanned<String>>>>,
    pub(super) adapted_by: Option<Spanned<Vec<Spanned<String>>>>,
    pub(super) image: Option<Spanned<RawImage>>,
    pub(super) translated_from: Option<Spanned<String>>,
}
