//! `casebook translations`: the status of every practice and page in every language (the
//! source, up to date, outdated, not recorded, missing, or shown in another language),
//! for people or as JSON for dashboards; for outdated translations, what changed in the
//! source since, where the site's Git history says.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;

use crate::commands::build::BuildOptions;
use crate::diagnostics::Diagnostic;
use crate::incremental::{Cache, Documents};
use crate::input::config::{Config, Untranslated};
use crate::input::content::{self, Section};
use crate::model::Site;
use crate::model::translations::{Freshness, page_freshness, practice_freshness};
use crate::pipeline;
use crate::translation::history::{self, Changes};
use crate::translation::source::Source;

/// Where a practice or page stands in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// The version in the default language, which translations are made from.
    Source,
    /// A translation made from the source as it is now.
    UpToDate,
    /// A translation made from an older version of the source.
    Outdated,
    /// A translation that does not record which version it was made from.
    Unrecorded,
    /// A version in a language other than the default one, of a practice or page that has
    /// no version in the default language.
    NoSource,
    /// No version in this language: the catalogue shows another language's instead.
    Fallback,
    /// No version in this language.
    Missing,
}

impl State {
    /// How the text report writes it.
    pub fn label(&self) -> &'static str {
        match self {
            State::Source => "source",
            State::UpToDate => "up to date",
            State::Outdated => "outdated",
            State::Unrecorded => "unrecorded",
            State::NoSource => "no source",
            State::Fallback => "fallback",
            State::Missing => "missing",
        }
    }
}

/// One practice or page in one language.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    /// The language.
    pub lang: String,
    /// Where it stands.
    pub status: State,
    /// Its file, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<PathBuf>,
    /// The source version it records (`translated_from`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translated_from: Option<String>,
    /// The source's fingerprint now (translations), or its own (the source).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_fingerprint: Option<String>,
    /// The language shown instead (a fallback).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shown: Option<String>,
    /// What changed in the source since (outdated translations, from Git history).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<Changes>,
}

/// A practice or page, in every language.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// `practices` or `pages`.
    pub section: &'static str,
    /// The slug.
    pub slug: String,
    /// One cell per site language, in the site's order.
    pub languages: Vec<Cell>,
}

/// The status of every translation of a site.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// The language translations are made from.
    pub source_language: String,
    /// The site languages.
    pub languages: Vec<String>,
    /// Practices, then pages, by slug.
    pub items: Vec<Item>,
}

/// The status of the translations of the site `opts` names; the site's problems when it
/// does not load.
pub fn status(opts: &BuildOptions) -> Result<Status, Vec<Diagnostic>> {
    let cache = Cache::new(&opts.root, opts.cache_dir.as_deref());
    let mut documents = Documents::load(&cache.documents(), pipeline::parse_key(opts));
    let loaded = pipeline::load(opts, &mut documents).map_err(|f| f.diagnostics)?;
    Ok(of_site(opts, &loaded.site))
}

fn of_site(opts: &BuildOptions, site: &Site) -> Status {
    let config = &site.config;
    let default = config.default_language.as_str();
    let mut items = Vec::new();
    for p in &site.practices {
        let languages = config
            .languages
            .iter()
            .map(|lang| match p.version(lang) {
                Some(v) => {
                    let source = p.version(default).map(|s| &s.doc.rel);
                    let fresh = practice_freshness(site, p, lang);
                    cell(
                        opts,
                        config,
                        lang,
                        &v.doc.rel,
                        Section::Practices,
                        source,
                        fresh,
                    )
                }
                None => {
                    let shown = p
                        .display_version(lang, config.fallbacks(lang))
                        .doc
                        .lang
                        .clone();
                    let fallback = config.untranslated == Untranslated::Fallback;
                    absent(lang, fallback.then_some(shown))
                }
            })
            .collect();
        items.push(Item {
            section: "practices",
            slug: p.slug.clone(),
            languages,
        });
    }
    for page in &site.pages {
        let languages = config
            .languages
            .iter()
            .map(|lang| match page.versions.get(lang) {
                Some(d) => {
                    let source = page.versions.get(default).map(|s| &s.rel);
                    let fresh = page_freshness(site, page, lang);
                    cell(opts, config, lang, &d.rel, Section::Pages, source, fresh)
                }
                None => absent(lang, None),
            })
            .collect();
        items.push(Item {
            section: "pages",
            slug: page.slug.clone(),
            languages,
        });
    }
    Status {
        source_language: default.to_string(),
        languages: config.languages.clone(),
        items,
    }
}

fn absent(lang: &str, shown: Option<String>) -> Cell {
    Cell {
        lang: lang.to_string(),
        status: if shown.is_some() {
            State::Fallback
        } else {
            State::Missing
        },
        file: None,
        translated_from: None,
        source_fingerprint: None,
        shown,
        changes: None,
    }
}

fn cell(
    opts: &BuildOptions,
    config: &Config,
    lang: &str,
    file: &std::path::Path,
    section: Section,
    source: Option<&PathBuf>,
    freshness: Freshness,
) -> Cell {
    let mut c = Cell {
        lang: lang.to_string(),
        status: State::NoSource,
        file: Some(file.to_path_buf()),
        translated_from: None,
        source_fingerprint: None,
        shown: None,
        changes: None,
    };
    match freshness {
        Freshness::Source => c.status = State::Source,
        Freshness::NoSource => c.status = State::NoSource,
        Freshness::Unrecorded => c.status = State::Unrecorded,
        Freshness::UpToDate => c.status = State::UpToDate,
        Freshness::Outdated { recorded, current } => {
            c.status = State::Outdated;
            c.changes = source.and_then(|s| changes(opts, config, section, s, &recorded));
            c.translated_from = Some(recorded);
            c.source_fingerprint = Some(current);
        }
    }
    c
}

/// What changed in the source at `rel` since version `recorded`, from Git history.
fn changes(
    opts: &BuildOptions,
    config: &Config,
    section: Section,
    rel: &std::path::Path,
    recorded: &str,
) -> Option<Changes> {
    let file = content::read(&opts.root, config, section, &opts.root.join(rel)).ok()?;
    let source = Source::parse(file, config).ok()?;
    history::changes_since(&opts.root, config, &source, recorded)
}

impl Status {
    /// The cells of language `lang` (by position) in state `state`.
    pub fn count(&self, lang: usize, state: &State) -> usize {
        self.items
            .iter()
            .filter(|i| i.languages[lang].status == *state)
            .count()
    }

    /// Whether every translation exists and is up to date.
    pub fn complete(&self) -> bool {
        self.items.iter().all(|i| {
            i.languages
                .iter()
                .all(|c| matches!(c.status, State::Source | State::UpToDate))
        })
    }

    /// The report for people: a table per section, a count per language, and what changed
    /// in the sources of outdated translations.
    pub fn text(&self) -> String {
        let mut out = format!("Translations (made from {}):\n", self.source_language);
        let width = self
            .items
            .iter()
            .map(|i| i.slug.chars().count())
            .max()
            .unwrap_or(0)
            .max("practices".len())
            + 2;
        let column = self
            .items
            .iter()
            .flat_map(|i| &i.languages)
            .map(|c| c.status.label().len())
            .max()
            .unwrap_or(0)
            .max(2)
            + 2;
        for section in ["practices", "pages"] {
            let items: Vec<&Item> = self.items.iter().filter(|i| i.section == section).collect();
            if items.is_empty() {
                continue;
            }
            let header: String = self
                .languages
                .iter()
                .map(|l| format!("{l:column$}"))
                .collect();
            let _ = writeln!(out, "\n  {section:width$}{}", header.trim_end());
            for item in items {
                let cells: String = item
                    .languages
                    .iter()
                    .map(|c| format!("{:column$}", c.status.label()))
                    .collect();
                let _ = writeln!(out, "  {:width$}{}", item.slug, cells.trim_end());
            }
        }
        let _ = writeln!(out);
        for (i, lang) in self.languages.iter().enumerate() {
            let states = [
                State::Source,
                State::UpToDate,
                State::Outdated,
                State::Unrecorded,
                State::NoSource,
                State::Fallback,
                State::Missing,
            ];
            let counts: Vec<String> = states
                .iter()
                .filter_map(|s| match self.count(i, s) {
                    0 => None,
                    n => Some(format!("{n} {}", s.label())),
                })
                .collect();
            let _ = writeln!(out, "  {lang}: {}", counts.join(", "));
        }
        for item in &self.items {
            for c in item
                .languages
                .iter()
                .filter(|c| c.status == State::Outdated)
            {
                out.push_str(&outdated_line(c));
            }
        }
        out
    }

    /// The report as one JSON document.
    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

fn outdated_line(c: &Cell) -> String {
    let file = c
        .file
        .as_deref()
        .map(|f| f.display().to_string())
        .unwrap_or_default();
    let mut line = format!(
        "\n{file}: outdated, made from version {} of its source, now {}",
        c.translated_from.as_deref().unwrap_or(""),
        c.source_fingerprint.as_deref().unwrap_or("")
    );
    if let Some(ch) = &c.changes {
        let when = match &ch.first_change {
            Some(first) => format!("it changed on {} ({})", first.date, first.commit),
            None => "it changed since, not committed yet".to_string(),
        };
        let _ = write!(
            line,
            "\n  made from the source as committed on {} ({}); {when}",
            ch.made_from.date, ch.made_from.commit
        );
        if !ch.fields.is_empty() {
            let _ = write!(line, "\n  texts: {}", ch.fields.join(", "));
        }
        if !ch.sections.is_empty() {
            let parts: Vec<String> = ch
                .sections
                .iter()
                .map(|s| {
                    let name = if s.heading.is_empty() {
                        "the opening text".to_string()
                    } else {
                        format!("«{}»", s.heading)
                    };
                    format!("{name} {}", s.change)
                })
                .collect();
            let _ = write!(line, "\n  body: {}", parts.join(", "));
        }
    }
    line.push('\n');
    line
}
