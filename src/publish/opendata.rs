//! Open data: each language's catalogue as JSON (`/{lang}/practices.json`) and CSV
//! (`/{lang}/practices.csv`), and every practice with every translation as JSON
//! (`/practices.json`). The JSON follows [`SCHEMA`], published at `/practices.schema.json`;
//! docs/open-data.md describes both formats.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::document::Level;
use crate::model::{Adopter, Practice, Site, Version};
use crate::theme::i18n::I18n;
use crate::urls;

/// The JSON Schema (draft 2020-12) of the JSON files.
pub const SCHEMA: &str = include_str!("practices.schema.json");

/// The version of the format: it changes only when a change could break a reader
/// (a field removed, renamed or retyped); new fields keep it.
pub const FORMAT_VERSION: u32 = 1;

/// The columns of the CSV files, in order.
pub const CSV_COLUMNS: &[&str] = &[
    "slug",
    "url",
    "lang",
    "languages",
    "fallback",
    "title",
    "subtitle",
    "city",
    "region",
    "country",
    "latitude",
    "longitude",
    "programme",
    "topics",
    "level",
    "start",
    "end",
    "budget_total",
    "budget_eu",
    "budget_currency",
    "partners",
    "owner_organisation",
    "owner_url",
    "key_figures",
    "summary",
    "published",
    "updated",
    "related",
    "adapted_by",
    "adapted_from",
    "image_url",
    "image_alt",
];

#[derive(Serialize)]
struct Coordinates {
    lat: f64,
    lon: f64,
}

#[derive(Serialize)]
struct Budget<'a> {
    total: Option<f64>,
    eu: Option<f64>,
    currency: &'a str,
}

#[derive(Serialize)]
struct Owner<'a> {
    organisation: &'a str,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct Figure<'a> {
    value: &'a str,
    label: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum AdopterOut<'a> {
    Slug(&'a str),
    Name(&'a str),
}

/// What describes the practice, shared by its translations.
#[derive(Serialize)]
struct Facets<'a> {
    country: &'a str,
    coordinates: Option<Coordinates>,
    programme: Option<&'a str>,
    topics: &'a [String],
    level: Option<&'static str>,
    start: Option<String>,
    end: Option<String>,
    budget: Option<Budget<'a>>,
    related: Vec<&'a str>,
    adapted_by: Vec<AdopterOut<'a>>,
    adapted_from: Vec<&'a str>,
    image: Option<String>,
}

/// What one language version says.
#[derive(Serialize)]
struct Texts<'a> {
    lang: &'a str,
    url: String,
    title: &'a str,
    subtitle: Option<&'a str>,
    city: Option<&'a str>,
    region: Option<&'a str>,
    summary: &'a str,
    partners: &'a [String],
    owner: Option<Owner<'a>>,
    key_figures: Vec<Figure<'a>>,
    published: String,
    updated: Option<String>,
    image_alt: Option<&'a str>,
}

#[derive(Serialize)]
struct LangLink<'a> {
    lang: &'a str,
    url: String,
}

#[derive(Serialize)]
struct CatalogueRecord<'a> {
    slug: &'a str,
    #[serde(flatten)]
    texts: Texts<'a>,
    fallback: bool,
    languages: Vec<LangLink<'a>>,
    #[serde(flatten)]
    facets: Facets<'a>,
}

#[derive(Serialize)]
struct DatasetRecord<'a> {
    slug: &'a str,
    #[serde(flatten)]
    facets: Facets<'a>,
    translations: Vec<Texts<'a>>,
}

#[derive(Serialize)]
struct Catalogue<'a> {
    #[serde(rename = "$schema")]
    schema: String,
    format: &'static str,
    version: u32,
    language: &'a str,
    title: &'a str,
    url: String,
    updated: Option<String>,
    vocabularies: BTreeMap<&'static str, BTreeMap<String, String>>,
    practices: Vec<CatalogueRecord<'a>>,
}

#[derive(Serialize)]
struct Dataset<'a> {
    #[serde(rename = "$schema")]
    schema: String,
    format: &'static str,
    version: u32,
    languages: &'a [String],
    default_language: &'a str,
    title: BTreeMap<&'a str, &'a str>,
    url: &'a str,
    updated: Option<String>,
    vocabularies: BTreeMap<&'static str, BTreeMap<String, BTreeMap<String, String>>>,
    practices: Vec<DatasetRecord<'a>>,
}

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
    }
}

fn texts<'a>(site: &Site, p: &'a Practice, v: &'a Version) -> Texts<'a> {
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

fn pretty<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".into());
    s.push('\n');
    s
}

/// `/{lang}/practices.json`: the practices of `lang`'s catalogue, in catalogue order.
pub fn catalogue_json(site: &Site, i18n: &I18n, lang: &str) -> String {
    let config = &site.config;
    let entries = &site.listings[lang].entries;
    let practices: Vec<CatalogueRecord> = entries
        .iter()
        .map(|e| {
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
        .collect();
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
                        .label(k, lang, &config.default_language)
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
                        .label(k, lang, &config.default_language)
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
    pretty(&Catalogue {
        schema: abs(site, urls::OPEN_DATA_SCHEMA),
        format: "casebook-catalogue",
        version: FORMAT_VERSION,
        language: lang,
        title: config.title.get(lang, &config.default_language),
        url: abs(site, &urls::catalogue(lang, 1)),
        updated: newest(
            entries
                .iter()
                .map(|e| &site.practices[e.practice].versions[e.version]),
        ),
        vocabularies,
        practices,
    })
}

/// `/practices.json`: every practice, with every translation, and every label in every
/// language.
pub fn dataset_json(site: &Site, i18n: &I18n) -> String {
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
                    per_lang(&|l| {
                        config
                            .topics
                            .label(k, l, &config.default_language)
                            .to_string()
                    }),
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
                            .label(k, l, &config.default_language)
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
    pretty(&Dataset {
        schema: abs(site, urls::OPEN_DATA_SCHEMA),
        format: "casebook-dataset",
        version: FORMAT_VERSION,
        languages: langs,
        default_language: &config.default_language,
        title: langs
            .iter()
            .map(|l| (l.as_str(), config.title.get(l, &config.default_language)))
            .collect(),
        url: &config.base_url,
        updated: newest(site.practices.iter().flat_map(|p| p.versions.iter())),
        vocabularies,
        practices: site
            .practices
            .iter()
            .map(|p| DatasetRecord {
                slug: &p.slug,
                facets: facets(site, p),
                translations: p.versions.iter().map(|v| texts(site, p, v)).collect(),
            })
            .collect(),
    })
}

/// `/{lang}/practices.csv`: RFC 4180 (comma-separated, CRLF line ends, fields quoted when
/// needed, quotes doubled), UTF-8 without a byte-order mark, one header row, one row per
/// practice in catalogue order. Lists are joined by `;` (a `;` inside an item becomes `,`).
/// A cell that a spreadsheet would run as a formula starts with `'`.
pub fn catalogue_csv(site: &Site, lang: &str) -> String {
    let mut out = String::new();
    row(&mut out, CSV_COLUMNS.iter().map(|c| c.to_string()));
    for e in &site.listings[lang].entries {
        let p = &site.practices[e.practice];
        let v = &p.versions[e.version];
        let f = facets(site, p);
        let t = texts(site, p, v);
        let list = |items: &mut dyn Iterator<Item = String>| {
            items
                .map(|s| s.replace(';', ","))
                .collect::<Vec<_>>()
                .join(";")
        };
        let num = |n: Option<f64>| n.map(|n| n.to_string()).unwrap_or_default();
        let opt = |s: Option<&str>| s.unwrap_or("").to_string();
        let cells = vec![
            p.slug.clone(),
            t.url.clone(),
            t.lang.to_string(),
            list(&mut p.versions.iter().map(|x| x.doc.lang.clone())),
            e.fallback.to_string(),
            t.title.to_string(),
            opt(t.subtitle),
            opt(t.city),
            opt(t.region),
            p.country.clone(),
            num(p.coordinates.map(|c| c.0)),
            num(p.coordinates.map(|c| c.1)),
            opt(f.programme),
            list(&mut p.topics.iter().cloned()),
            opt(f.level),
            f.start.clone().unwrap_or_default(),
            f.end.clone().unwrap_or_default(),
            num(p.budget.as_ref().and_then(|b| b.total)),
            num(p.budget.as_ref().and_then(|b| b.eu)),
            opt(p.budget.as_ref().map(|b| b.currency.as_str())),
            list(&mut t.partners.iter().cloned()),
            opt(t.owner.as_ref().map(|o| o.organisation)),
            opt(t.owner.as_ref().and_then(|o| o.url)),
            list(
                &mut t
                    .key_figures
                    .iter()
                    .map(|k| format!("{} {}", k.value, k.label)),
            ),
            t.summary.to_string(),
            t.published.clone(),
            t.updated.clone().unwrap_or_default(),
            list(&mut f.related.iter().map(|s| s.to_string())),
            list(&mut f.adapted_by.iter().map(|a| match a {
                AdopterOut::Slug(s) | AdopterOut::Name(s) => s.to_string(),
            })),
            list(&mut f.adapted_from.iter().map(|s| s.to_string())),
            f.image.clone().unwrap_or_default(),
            opt(t.image_alt),
        ];
        row(&mut out, cells.into_iter());
    }
    out
}

fn row(out: &mut String, cells: impl Iterator<Item = String>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&csv_cell(&cell));
    }
    out.push_str("\r\n");
}

/// One CSV field: formula-looking text defused, quoted when it holds a comma, quote, CR or
/// LF (or leading/trailing spaces), quotes doubled.
pub fn csv_cell(value: &str) -> String {
    let is_number = |s: &str| !s.is_empty() && s.parse::<f64>().is_ok();
    let defused = match value.chars().next() {
        Some('=' | '@' | '\t' | '\r') => format!("'{value}"),
        Some('+' | '-') if !is_number(value) && !is_number(value.trim_end_matches('%')) => {
            format!("'{value}")
        }
        _ => value.to_string(),
    };
    if defused.contains([',', '"', '\r', '\n']) || defused.trim() != defused {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_cell("=1+2"), "'=1+2");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("+500"), "+500");
        assert_eq!(csv_cell("-12%"), "-12%");
        assert_eq!(csv_cell("-cmd|' /C calc'!A0"), "'-cmd|' /C calc'!A0");
    }
}
