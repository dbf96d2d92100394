//! What a build keeps from the last one: the pages whose inputs did not change.
//!
//! Each build records in its output's manifest what its pages were made of
//! ([`PageInputs`]): a hash of the settings, a hash of each template, the fingerprints of
//! the model ([`Prints`]), the name of each language's catalogue index, and what each page
//! asked for as it was rendered ([`crate::render::needs`]: missing UI strings, fingerprinted static
//! files). The next build into the same folder compares them with its own. When the
//! settings are the same, a page whose plan dependencies, template and index are unchanged
//! would come out byte for byte as before: it is linked from the current output instead of
//! rendered (see [`crate::output::Staging::keep`]), and asks again for what it asked for.
//! Everything else (the index, sitemap, feeds, open data and static files) is made again,
//! and written only where its bytes changed.

pub mod fingerprints;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::incremental::fingerprints::{PageChanges, Prints, needs_render, templates_using};
use crate::index::LanguageIndex;
use crate::model::Site;
use crate::plan::Planned;
use crate::render::needs::{Ask, Asks};
use crate::theme::Theme;
use crate::theme::i18n::I18n;

/// What a build's pages were made of.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PageInputs {
    /// A hash of everything but content and templates (see [`crate::commands::build::settings_hash`]):
    /// when it differs, every page is rendered.
    pub settings: u64,
    /// A hash of each template's text, by name.
    pub templates: BTreeMap<String, u64>,
    /// The model's fingerprints.
    pub prints: Prints,
    /// Per language, the URL paths of its catalogue index and map file.
    pub index: BTreeMap<String, (String, Option<String>)>,
    /// What the pages asked for as they were rendered: each distinct set of asks, with the
    /// pages (output files) that asked for it.
    pub asks: Vec<(Asks, Vec<String>)>,
}

impl PageInputs {
    /// The inputs of a build's pages; what they ask for is noted once they are rendered
    /// ([`PageInputs::note_asks`]).
    pub fn of(site: &Site, settings: u64, theme: &Theme, index: &[LanguageIndex]) -> PageInputs {
        PageInputs {
            settings,
            templates: theme
                .templates
                .iter()
                .map(|(name, t)| (name.clone(), xxhash_rust::xxh3::xxh3_64(t.text.as_bytes())))
                .collect(),
            prints: Prints::of(site),
            index: index
                .iter()
                .map(|i| (i.lang.clone(), (i.url.clone(), i.map_url.clone())))
                .collect(),
            asks: Vec::new(),
        }
    }

    /// Notes what the pages asked for as they were rendered or kept: each distinct set of
    /// asks, with the pages (output files) that asked for it.
    pub fn note_asks(&mut self, asks: HashMap<Asks, Vec<String>>) {
        self.asks = asks
            .into_iter()
            .map(|(asks, mut files)| {
                files.sort_unstable();
                (asks, files)
            })
            .collect();
        self.asks.sort_unstable();
    }

    /// Reads the manifest's line; `None` if it is not one (an older casebook's, say).
    pub fn parse(json: &str) -> Option<PageInputs> {
        serde_json::from_str(json).ok()
    }

    /// The manifest's line: JSON on one line.
    pub fn to_json(&self) -> Option<String> {
        serde_json::to_string(self).ok()
    }

    /// Which pages must be rendered again, against the inputs of the last build:
    /// `None` when the settings changed and every page must be.
    pub fn since(&self, last: &PageInputs, site: &Site, theme: &Theme) -> Option<Unchanged> {
        if self.settings != last.settings {
            return None;
        }
        let mut changes = PageChanges::default();
        let edited: BTreeSet<String> = self
            .templates
            .iter()
            .filter(|(name, hash)| last.templates.get(*name) != Some(hash))
            .map(|(name, _)| name.clone())
            .chain(
                last.templates
                    .keys()
                    .filter(|name| !self.templates.contains_key(*name))
                    .cloned(),
            )
            .collect();
        if !edited.is_empty() {
            changes.templates = templates_using(theme, &edited);
        }
        self.prints.compare(&last.prints, &mut changes);
        let index_langs = site
            .config
            .languages
            .iter()
            .enumerate()
            .filter(|(_, lang)| self.index.get(*lang) != last.index.get(*lang))
            .map(|(li, _)| li)
            .collect();
        let asks = last
            .asks
            .iter()
            .flat_map(|(asks, files)| {
                let asks = Arc::new(asks.clone());
                files.iter().map(move |f| (f.clone(), Arc::clone(&asks)))
            })
            .collect();
        Some(Unchanged {
            changes,
            index_langs,
            asks,
        })
    }
}

/// What changed since the last build, for telling the pages that can be kept.
#[derive(Debug, Default)]
pub struct Unchanged {
    changes: PageChanges,
    index_langs: HashSet<usize>,
    /// What each page of the last build asked for, by output file.
    asks: HashMap<String, Arc<Asks>>,
}

impl Unchanged {
    /// Whether `page` would come out as the last build wrote it.
    pub fn page(&self, site: &Site, page: &Planned) -> bool {
        !needs_render(site, page, &self.changes, &self.index_langs)
    }

    /// Asks again what the page written to `file` asked for in the last build, for a page
    /// kept from it.
    pub fn ask_again(&self, file: &str, i18n: &I18n, theme: &Theme) {
        for ask in self.asks.get(file).into_iter().flat_map(|a| a.iter()) {
            match ask {
                Ask::Missing(lang, key) => i18n.record(lang, key),
                Ask::Asset(path) => {
                    theme.fingerprinted(path);
                }
            }
        }
    }
}
