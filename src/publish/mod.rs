//! Publishing beyond the HTML pages: Atom feeds, open data (JSON, CSV and the JSON Schema
//! they follow), schema.org JSON-LD, share links and citations, and the map of practices.
//! Everything here is a pure function of the site model, so the bytes are deterministic.

pub mod cite;
pub mod feeds;
pub mod jsonld;
pub mod opendata;
pub mod share;
pub mod sitemap;

use crate::model::Site;
use crate::theme::i18n::I18n;
use crate::urls;

/// A file written beside the pages: its output path, and how to make its bytes.
pub struct Job<'a> {
    /// Output path.
    pub path: String,
    /// Makes the bytes (called once, possibly on another thread).
    pub make: Box<dyn Fn() -> Vec<u8> + Send + Sync + 'a>,
}

/// Every file written beside the pages, in a fixed order, to be made and written one by
/// one (in parallel): the open data of a large catalogue is tens of megabytes per file.
pub fn jobs<'a>(
    site: &'a Site,
    i18n: &'a I18n,
    map: Option<&'a crate::theme::map::Map>,
) -> Vec<Job<'a>> {
    let mut out: Vec<Job<'a>> = Vec::new();
    if let Some(m) = map {
        out.push(Job {
            path: urls::output_file(&crate::theme::map::Map::sprite_path(&m.sprite())),
            make: Box::new(move || m.sprite().into_bytes()),
        });
    }
    for lang in &site.config.languages {
        out.push(Job {
            path: urls::output_file(&urls::feed(lang)),
            make: Box::new(move || feeds::atom(site, i18n, lang).into_bytes()),
        });
        out.push(Job {
            path: urls::output_file(&urls::open_data(lang, "json")),
            make: Box::new(move || opendata::catalogue_json(site, i18n, lang).into_bytes()),
        });
        out.push(Job {
            path: urls::output_file(&urls::open_data(lang, "csv")),
            make: Box::new(move || opendata::catalogue_csv(site, lang).into_bytes()),
        });
    }
    out.push(Job {
        path: urls::output_file(urls::OPEN_DATA_ALL),
        make: Box::new(move || opendata::dataset_json(site, i18n).into_bytes()),
    });
    out.push(Job {
        path: urls::output_file(urls::OPEN_DATA_SCHEMA),
        make: Box::new(|| opendata::SCHEMA.as_bytes().to_vec()),
    });
    out
}

/// Every file written beside the pages: `(output path, bytes)`, in a fixed order.
pub fn files(
    site: &Site,
    i18n: &I18n,
    map: Option<&crate::theme::map::Map>,
) -> Vec<(String, Vec<u8>)> {
    jobs(site, i18n, map)
        .into_iter()
        .map(|j| {
            let bytes = (j.make)();
            (j.path, bytes)
        })
        .collect()
}

/// ISO 8601 date-time at midnight UTC for a full date (`2024-09-19T00:00:00Z`), or the
/// date with the precision given (`2017-03`) otherwise.
pub fn datetime(d: &crate::input::dates::PartialDate) -> String {
    if d.is_full() {
        format!("{}T00:00:00Z", d.iso())
    } else {
        d.iso()
    }
}
