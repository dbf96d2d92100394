//! Publishing beyond the HTML pages: Atom feeds, open data (JSON, CSV and the JSON Schema
//! they follow), schema.org JSON-LD, share links and citations, and the map of practices.
//! Everything here is a pure function of the site model, so the bytes are deterministic.

pub mod cite;
pub mod feeds;
pub mod jsonld;
pub mod map;
pub mod opendata;
pub mod share;

use crate::i18n::I18n;
use crate::model::Site;
use crate::urls;

/// Every file written beside the pages: `(output path, bytes)`, in a fixed order.
pub fn files(site: &Site, i18n: &I18n, map: Option<&map::Map>) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    if let Some(m) = map {
        let sprite = m.sprite();
        out.push((
            urls::output_file(&map::Map::sprite_path(&sprite)),
            sprite.into_bytes(),
        ));
    }
    for lang in &site.config.languages {
        out.push((
            urls::output_file(&urls::feed(lang)),
            feeds::atom(site, i18n, lang).into_bytes(),
        ));
        out.push((
            urls::output_file(&urls::open_data(lang, "json")),
            opendata::catalogue_json(site, i18n, lang).into_bytes(),
        ));
        out.push((
            urls::output_file(&urls::open_data(lang, "csv")),
            opendata::catalogue_csv(site, lang).into_bytes(),
        ));
    }
    out.push((
        urls::output_file(urls::OPEN_DATA_ALL),
        opendata::dataset_json(site, i18n).into_bytes(),
    ));
    out.push((
        urls::output_file(urls::OPEN_DATA_SCHEMA),
        opendata::SCHEMA.as_bytes().to_vec(),
    ));
    out
}

/// ISO 8601 date-time at midnight UTC for a full date (`2024-09-19T00:00:00Z`), or the
/// date with the precision given (`2017-03`) otherwise.
pub fn datetime(d: &crate::dates::PartialDate) -> String {
    if d.is_full() {
        format!("{}T00:00:00Z", d.iso())
    } else {
        d.iso()
    }
}
