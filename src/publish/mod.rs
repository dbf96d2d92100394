//! Publishing beyond the HTML pages: Atom feeds, open data (JSON, CSV and the JSON Schema
//! they follow), schema.org JSON-LD, share links and citations, and the map of practices.
//! Everything here is a pure function of the site model, so the bytes are deterministic.

pub mod cite;
pub mod feeds;
pub mod jsonld;
pub mod opendata;
pub mod share;
pub mod sitemap;

use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::output::Content;
use crate::plan::{Dep, Planned};
use crate::theme::i18n::I18n;
use crate::theme::map::Map;
use crate::theme::{FileSource, StaticFile, Theme};
use crate::urls;

/// Files written beside the pages and made together: one feed, the sitemaps, a copy of a
/// static file. The group's name is stable across builds (its first file's path).
pub struct Group<'a> {
    /// Its name.
    pub name: String,
    /// What its files depend on (see [`crate::incremental::Fingerprints`]).
    pub deps: Vec<Dep>,
    /// Makes its files: `(output path, content)` (called once, possibly on another thread).
    #[allow(clippy::type_complexity)]
    pub make: Box<dyn Fn() -> Result<Vec<(String, Content)>, Diagnostic> + Send + Sync + 'a>,
}

impl<'a> Group<'a> {
    fn one(
        path: String,
        deps: Vec<Dep>,
        make: impl Fn() -> Content + Send + Sync + 'a,
    ) -> Group<'a> {
        let name = path.clone();
        Group {
            name,
            deps,
            make: Box::new(move || Ok(vec![(path.clone(), make())])),
        }
    }
}

/// A hash of a static file's name and version (see [`StaticFile::version`]).
pub fn static_stamp(rel: &str, file: &StaticFile) -> u64 {
    crate::hash::hash_value(&(rel, file.version().hash))
}

fn copy<'a>(path: String, rel: &'a str, file: &'a StaticFile) -> Group<'a> {
    Group {
        name: path.clone(),
        deps: vec![Dep::File(static_stamp(rel, file))],
        make: Box::new(move || {
            let bytes = file.bytes().map_err(|e| {
                let shown = match &file.source {
                    FileSource::Disk(path) => path.display().to_string(),
                    FileSource::Embedded(_) => rel.to_string(),
                };
                Diagnostic::new(
                    crate::diagnostics::Code::ReadError,
                    format!("cannot read the static file {shown}: {e}"),
                )
                .at(crate::diagnostics::Location::file(shown))
                .hint("check the file's permissions")
            })?;
            Ok(vec![(path.clone(), Content::Bytes(bytes.into_owned()))])
        }),
    }
}

/// Every group of files written beside the pages, but the catalogue indexes (see
/// [`crate::index`]), in a fixed order, the largest first: the static files of `theme` that
/// are `copied` as they are (not the processed images) and
/// the fingerprinted copies of `assets` (`(static path, fingerprinted path)`), the map's
/// sprite, each language's feed and open data, every practice in every translation, the
/// open data's schema, and the sitemaps of `plan`.
pub fn groups<'a>(
    site: &'a Site,
    i18n: &'a I18n,
    theme: &'a Theme,
    assets: &'a [(String, String)],
    plan: &'a [Planned],
    copied: &dyn Fn(&str) -> bool,
) -> Vec<Group<'a>> {
    let mut out: Vec<Group<'a>> = Vec::new();
    out.push(Group::one(
        urls::output_file(urls::OPEN_DATA_ALL),
        vec![Dep::Catalogue],
        move || Content::Pieces(opendata::dataset_json(site, i18n)),
    ));
    for (li, lang) in site.config.languages.iter().enumerate() {
        // What the language's entries show, in catalogue order (each entry's version with
        // what it inherits, and its practice's shared values: see `Dep::Entries`).
        let listed = || {
            vec![
                Dep::Listing {
                    lang: li,
                    term: None,
                },
                Dep::Entries(li),
            ]
        };
        out.push(Group::one(
            urls::output_file(&urls::open_data(lang, "json")),
            listed(),
            move || Content::Pieces(opendata::catalogue_json(site, i18n, lang)),
        ));
        out.push(Group::one(
            urls::output_file(&urls::open_data(lang, "csv")),
            listed(),
            move || Content::Pieces(opendata::catalogue_csv(site, lang)),
        ));
        out.push(Group::one(
            urls::output_file(&urls::feed(lang)),
            listed(),
            move || Content::Bytes(feeds::atom(site, i18n, lang).into_bytes()),
        ));
    }
    // The sitemaps list URLs and their translations' URLs, nothing of what the pages show:
    // which translations a page has follows from the URLs (and the languages of each
    // practice, in every output's fingerprint).
    out.push(Group {
        name: "sitemap.xml".into(),
        deps: vec![Dep::Urls],
        make: Box::new(move || {
            Ok(sitemap::sitemaps(site, plan)
                .into_iter()
                .map(|(name, xml)| (name, Content::Pieces(xml)))
                .collect())
        }),
    });
    if let Some(m) = theme.map.as_ref() {
        out.push(Group::one(
            urls::output_file(&Map::sprite_path(m.sprite())),
            Vec::new(),
            move || Content::Bytes(m.sprite().as_bytes().to_vec()),
        ));
    }
    out.push(Group::one(
        urls::output_file(urls::OPEN_DATA_SCHEMA),
        Vec::new(),
        || Content::Bytes(opendata::SCHEMA.as_bytes().to_vec()),
    ));
    for (rel, file) in &theme.static_files {
        if copied(rel) {
            out.push(copy(rel.clone(), rel, file));
        }
    }
    for (plain, hashed) in assets {
        if let Some((rel, file)) = theme.static_files.get_key_value(plain) {
            out.push(copy(hashed.clone(), rel, file));
        }
    }
    out
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
