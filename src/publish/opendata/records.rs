//! The records of the open data, as they are serialized: what describes a practice, its
//! texts in one language, and the files that hold them.

use std::collections::BTreeMap;

use serde::Serialize;

#[derive(Serialize)]
pub(super) struct Coordinates {
    pub(super) lat: f64,
    pub(super) lon: f64,
}

#[derive(Serialize)]
pub(super) struct Budget<'a> {
    pub(super) total: Option<f64>,
    pub(super) eu: Option<f64>,
    pub(super) currency: &'a str,
}

#[derive(Serialize)]
pub(super) struct Owner<'a> {
    pub(super) organisation: &'a str,
    pub(super) url: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct Figure<'a> {
    pub(super) value: &'a str,
    pub(super) label: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
pub(super) enum AdopterOut<'a> {
    Slug(&'a str),
    Name(&'a str),
}

/// What describes the practice, shared by its translations.
#[derive(Serialize)]
pub(super) struct Facets<'a> {
    pub(super) country: &'a str,
    pub(super) coordinates: Option<Coordinates>,
    pub(super) programme: Option<&'a str>,
    pub(super) topics: &'a [String],
    pub(super) level: Option<&'static str>,
    pub(super) start: Option<String>,
    pub(super) end: Option<String>,
    pub(super) budget: Option<Budget<'a>>,
    pub(super) related: Vec<&'a str>,
    pub(super) adapted_by: Vec<AdopterOut<'a>>,
    pub(super) adapted_from: Vec<&'a str>,
    pub(super) image: Option<String>,
    /// The site's declared fields shared by translations (left out when it declares none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) fields: Option<BTreeMap<&'a str, serde_json::Value>>,
}

/// What one language version says.
#[derive(Serialize)]
pub(super) struct Texts<'a> {
    pub(super) lang: &'a str,
    pub(super) url: String,
    pub(super) title: &'a str,
    pub(super) subtitle: Option<&'a str>,
    pub(super) city: Option<&'a str>,
    pub(super) region: Option<&'a str>,
    pub(super) summary: &'a str,
    pub(super) partners: &'a [String],
    pub(super) owner: Option<Owner<'a>>,
    pub(super) key_figures: Vec<Figure<'a>>,
    pub(super) published: String,
    pub(super) updated: Option<String>,
    pub(super) image_alt: Option<&'a str>,
    /// The site's declared fields given per language (left out when it declares none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) language_fields: Option<BTreeMap<&'a str, serde_json::Value>>,
}

#[derive(Serialize)]
pub(super) struct LangLink<'a> {
    pub(super) lang: &'a str,
    pub(super) url: String,
}

#[derive(Serialize)]
pub(super) struct CatalogueRecord<'a> {
    pub(super) slug: &'a str,
    #[serde(flatten)]
    pub(super) texts: Texts<'a>,
    pub(super) fallback: bool,
    pub(super) languages: Vec<LangLink<'a>>,
    #[serde(flatten)]
    pub(super) facets: Facets<'a>,
}

#[derive(Serialize)]
pub(super) struct DatasetRecord<'a> {
    pub(super) slug: &'a str,
    #[serde(flatten)]
    pub(super) facets: Facets<'a>,
    pub(super) translations: Vec<Texts<'a>>,
}

/// Records serialized one at a time as they are made, never all held at once.
pub(super) struct Each<F>(pub(super) F);

impl<F, I> Serialize for Each<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

#[derive(Serialize)]
pub(super) struct Catalogue<'a, P: Serialize> {
    #[serde(rename = "$schema")]
    pub(super) schema: String,
    pub(super) format: &'static str,
    pub(super) version: u32,
    pub(super) language: &'a str,
    pub(super) title: &'a str,
    pub(super) url: String,
    pub(super) updated: Option<String>,
    pub(super) vocabularies: BTreeMap<&'a str, BTreeMap<String, String>>,
    /// [`CatalogueRecord`]s.
    pub(super) practices: P,
}

#[derive(Serialize)]
pub(super) struct Dataset<'a, P: Serialize> {
    #[serde(rename = "$schema")]
    pub(super) schema: String,
    pub(super) format: &'static str,
    pub(super) version: u32,
    pub(super) languages: &'a [String],
    pub(super) default_language: &'a str,
    pub(super) title: BTreeMap<&'a str, &'a str>,
    pub(super) url: &'a str,
    pub(super) updated: Option<String>,
    pub(super) vocabularies: BTreeMap<&'a str, BTreeMap<String, BTreeMap<String, String>>>,
    /// [`DatasetRecord`]s.
    pub(super) practices: P,
}
