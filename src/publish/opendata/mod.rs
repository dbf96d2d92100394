//! Open data: each language's catalogue as JSON (`/{lang}/practices.json`) and CSV
//! (`/{lang}/practices.csv`), and every practice with every translation as JSON
//! (`/practices.json`). The JSON follows [`SCHEMA`], published at `/practices.schema.json`;
//! docs/open-data.md describes both formats.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::document::{FieldValue, Level};
use crate::input::config::FieldKind;
use crate::model::{Adopter, Practice, Site, Version};
use crate::output::Pieces;
use crate::theme::i18n::I18n;
use crate::urls;

mod csv;
mod records;

pub use csv::{CSV_COLUMNS, catalogue_csv, csv_cell};
use records::{
    AdopterOut, Budget, Catalogue, CatalogueRecord, Coordinates, Dataset, DatasetRecord, Each,
    Facets, Figure, LangLink, Owner, Texts,
};

/// The JSON Schema (draft 2020-12) of the JSON files.
pub const SCHEMA: &str = include_str!("practices.schema.json");

/// The version of the format: it changes only when a change could break a reader
/// (a field removed, renamed or retyped); new fields keep it.
pub const FORMAT_VERSION: u32 = 1;

fn abs(site: &Site, path: &str) -> String {
    urls::absolute(&site.config.base_url, path)
}

fn image_url(site: &Site, src: &str) -> String {
    if src.starts_with("https://") {
        src.to_string()
    } else {
        abs(site, src)
    }
}

fn facets<'a>(site: &'a Site, p: &'a Practice) -> Facets<'a> {
    let slug = |i: &usize| site.practices[*i].slug.as_str();
    Facets {
        country: &p.country,
        coordinates: p.coordinates.map(|(lat, lon)| Coordinates { lat, lon }),
        programme: p.programme.as_deref(),
        topics: &p.topics,
        level: p.level.map(Level::key),
        start: p.start.map(|d| d.iso()),
        end: p.end.map(|d| d.iso()),
        budget: p.budget.as_ref().map(|b| Budget {
            total: b.total,
            eu: b.eu,
            currency: &b.currency,
        }),
        related: p.related_explicit.iter().map(slug).collect(),
        adapted_by: p
            .adapted_by
            .iter()
            .map(|a| match a {
                Adopter::Practice(i) => AdopterOut::Slug(slug(i)),
                Adopter::Named(n) => AdopterOut::Name(n),
            })
            .collect(),
        adapted_from: p.adapted_from.iter().map(slug).collect(),
        image: p.image.as_deref().map(|s| image_url(site, s)),
        fields: declared(site, true, |name| p.declared.get(name)),
    }
}

/// A declared field's value in the open data: numbers and booleans as JSON's, lists as
/// arrays, a `term` as its key, dates as `YYYY[-MM[-DD]]`, texts as written (Markdown too).
pub fn field_json(kind: FieldKind, value: &FieldValue) -> serde_json::Value {
    use serde_json::Value;
    match value {
        FieldValue::Text(s) | FieldValue::Markdown(s) => Value::from(s.as_str()),
        FieldValue::Number(n) if n.fract() == 0.0 && n.abs() < 9e15 => Value::from(*n as i64),
        FieldValue::Number(n) => Value::from(*n),
        FieldValue::Date(d) => Value::from(d.iso()),
        FieldValue::Boolean(b) => Value::from(*b),
        FieldValue::List(items) if kind == FieldKind::Term => {
            Value::from(items.first().cloned().unwrap_or_default())
        }
        FieldValue::List(items) => Value::from(items.clone()),
    }
}

/// The declared fields that are `shared` (or per language), by name, with the values `get`
/// finds; `None` when the site declares no such field.
fn declared<'a>(
    site: &'a Site,
    shared: bool,
    get: impl Fn(&str) -> Option<&'a FieldValue>,
) -> Option<BTreeMap<&'a str, serde_json::Value>> {
    let specs: Vec<_> = site
        .config
        .fields
        .iter()
        .filter(|f| f.shared == shared)
        .collect();
    (!specs.is_empty()).then(|| {
        specs
            .into_iter()
            .filter_map(|f| Some((f.name.as_str(), field_json(f.kind, get(&f.name)?))))
            .collect()
    })
}

fn texts<'a>(site: &'a Site, p: &'a Practice, v: &'a Version) -> Texts<'a> {
    let doc = &v.doc;
    Texts {
        lang: &doc.lang,
        url: abs(site, &urls::practice(&doc.lang, &p.slug)),
        title: &v.title,
        subtitle: doc.subtitle.as_deref(),
        city: Some(v.city.as_str()).filter(|c| !c.is_empty()),
        region: v.region.as_deref(),
        summary: &v.summary,
        partners: &doc.partners,
        owner: doc.owner.as_ref().map(|o| Owner {
            organisation: &o.organisation,
            url: o.url.as_deref(),
        }),
        key_figures: doc
            .key_figures
            .iter()
            .map(|f| Figure {
                value: &f.value,
                label: &f.label,
            })
            .collect(),
        published: v.published.iso(),
        updated: doc.updated.map(|d| d.iso()),
        image_alt: p.image.as_ref().and(v.image_alt.as_deref()),
        language_fields: declared(site, false, |name| doc.declared.get(name).map(|l| &l.value)),
    }
}

/// The newest `published` or `updated` date of the given versions: the data's own date,
/// so that the files do not change unless the content does.
fn newest<'a>(versions: impl Iterator<Item = &'a Version>) -> Option<String> {
    versions
        .map(|v| v.doc.updated.unwrap_or(v.published).max(v.published))
        .max()
        .map(|d| d.iso())
}

/// `value` as indented JSON and a line end, made in pieces: the open data of a large
/// catalogue is tens of megabytes.
fn pretty<T: Serialize>(value: &T) -> Pieces {
    let mut out = Pieces::new();
    if serde_json::to_writer_pretty(&mut out, value).is_err() {
        out = Pieces::from(b"null".to_vec());
    }
    out.push_str("\n");
    out
}

/// `/{lang}/practices.json`: the practices of `lang`'s catalogue, in catalogue order.
pub fn catalogue_json(site: &Site, i18n: &I18n, lang: &str) -> Pieces {
    let config = &site.config;
    let entries = &site.listings[lang].entries;
    let practices = || {
        entries.iter().map(|e| {
            let p = &site.practices[e.practice];
            let v = &p.versions[e.version];
            CatalogueRecord {
                slug: &p.slug,
                texts: texts(site, p, v),
                fallback: e.fallback,
                languages: p
                    .versions
                    .iter()
                    .map(|x| LangLink {
                        lang: &x.doc.lang,
                        url: abs(site, &urls::practice(&x.doc.lang, &p.slug)),
                    })
                    .collect(),
                facets: facets(site, p),
            }
        })
    };
    let mut vocabularies = BTreeMap::new();
    vocabularies.insert(
        "topics",
        config
            .topics
            .keys()
            .map(|k| {
                (
                    k.to_string(),
                    config
                        .topics
                        .label(k, lang, config.fallbacks(lang))
                        .to_string(),
                )
            })
            .collect(),
    );
    vocabularies.insert(
        "programmes",
        config
            .programmes
            .keys()
            .map(|k| {
                (
                    k.to_string(),
                    config
                        .programmes
                        .label(k, lang, config.fallbacks(lang))
                        .to_string(),
                )
            })
            .collect(),
    );
    vocabularies.insert(
        "levels",
        Level::ALL
            .iter()
            .map(|l| {
                (
                    l.key().to_string(),
                    i18n.get(lang, &format!("levels.{}", l.key())),
                )
            })
            .collect(),
    );
    vocabularies.insert(
        "countries",
        entries
            .iter()
            .map(|e| {
                let c = &site.practices[e.practice].country;
                (c.clone(), i18n.get(lang, &format!("countries.{c}")))
            })
            .collect(),
    );
    for (name, vocab) in &config.vocabularies {
        vocabularies.insert(
            name.as_str(),
            vocab
                .keys()
                .map(|k| {
                    let label = vocab.label(k, lang, config.fallbacks(lang));
                    (k.to_string(), label.to_string())
                })
                .collect(),
        );
    }
    pretty(&Catalogue {
        schema: abs(site, urls::OPEN_DATA_SCHEMA),
        format: "casebook-catalogue",
        version: FORMAT_VERSION,
        language: lang,
        title: config.title.get(lang, config.fallbacks(lang)),
        url: abs(site, &urls::catalogue(lang, 1)),
        updated: newest(
            entries
                .iter()
                .map(|e| &site.practices[e.practice].versions[e.version]),
        ),
        vocabularies,
        practices: Each(practices),
    })
}

/// `/practices.json`: every practice, with every translation, and every label in every
/// language.
pub fn dataset_json(site: &Site, i18n: &I18n) -> Pieces {
    let config = &site.config;
    let langs = &config.languages;
    let per_lang = |label: &dyn Fn(&str) -> String| -> BTreeMap<String, String> {
        langs.iter().map(|l| (l.clone(), label(l))).collect()
    };
    let mut vocabularies = BTreeMap::new();
    vocabularies.insert(
        "topics",
        config
            .topics
            .keys()
            .map(|k| {
                (
                    k.to_string(),
                    per_lang(&|l| config.topics.label(k, l, config.fallbacks(l)).to_string()),
                )
            })
            .collect(),
    );
    vocabularies.insert(
        "programmes",
        config
            .programmes
            .keys()
            .map(|k| {
                (
                    k.to_string(),
                    per_lang(&|l| {
                        config
                            .programmes
                            .label(k, l, config.fallbacks(l))
                            .to_string()
                    }),
                )
            })
            .collect(),
    );
    vocabularies.insert(
        "levels",
        Level::ALL
            .iter()
            .map(|lv| {
                (
                    lv.key().to_string(),
                    per_lang(&|l| i18n.get(l, &format!("levels.{}", lv.key()))),
                )
            })
            .collect(),
    );
    vocabularies.insert(
        "countries",
        site.practices
            .iter()
            .map(|p| {
                (
                    p.country.clone(),
                    per_lang(&|l| i18n.get(l, &format!("countries.{}", p.country))),
                )
            })
            .collect(),
    );
    for (name, vocab) in &config.vocabularies {
        vocabularies.insert(
            name.as_str(),
            vocab
                .keys()
                .map(|k| {
                    let labels = per_lang(&|l| vocab.label(k, l, config.fallbacks(l)).to_string());
                    (k.to_string(), labels)
                })
                .collect(),
        );
    }
    pretty(&Dataset {
        schema: abs(site, urls::OPEN_DATA_SCHEMA),
        format: "casebook-dataset",
        version: FORMAT_VERSION,
        languages: langs,
        default_language: &config.default_language,
        title: langs
            .iter()
            .map(|l| (l.as_str(), config.title.get(l, config.fallbacks(l))))
            .collect(),
        url: &config.base_url,
        updated: newest(site.practices.iter().flat_map(|p| p.versions.iter())),
        vocabularies,
        practices: Each(|| {
            site.practices.iter().map(|p| DatasetRecord {
                slug: &p.slug,
                facets: facets(site, p),
                translations: p
                    .versions
                    .iter()
                    .map(|v| texts(site, p, v))
                    .collect::<Vec<_>>(),
            })
        }),
    })
}
