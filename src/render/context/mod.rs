//! Template contexts. Everything shared by many pages (site data, navigation, facets, cards)
//! is built once per language as reference-counted Tera values; a page's context only adds
//! what is its own, so building it is O(its own content), never O(site).
//!
//! - [`cards`]: each language's catalogue (cards, facets, terms), made once;
//! - [`practice`]: a practice page's own data, and links to other practices;
//! - [`maps`]: the catalogue map and a practice's locator map;
//! - [`navigation`]: the language switcher and pagination;
//! - [`shared`]: the term references and dates many pages show alike, made once.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use rayon::prelude::*;
use tera::{Context, Tera, Value};

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::index::IndexUrls;
use crate::input::dates::{DateFormat, PartialDate};
use crate::model::links::{self, Body};
use crate::model::translations::{self, Freshness};
use crate::model::{Site, Taxonomy};
use crate::plan::{CARD_TEMPLATE, PageKind};
use crate::theme::i18n::I18n;
use crate::theme::map::{self, Map};
use crate::urls;

/// Builds the fields of a Tera map from `key => value` pairs.
macro_rules! fields {
    ($($k:expr => $v:expr),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut m: std::collections::BTreeMap<&'static str, Value> =
            std::collections::BTreeMap::new();
        $(m.insert($k, Value::from($v));)*
        m
    }};
}

/// Builds a Tera map from `key => value` pairs.
macro_rules! map {
    ($($t:tt)*) => {
        Value::from(fields! { $($t)* })
    };
}

mod cards;
mod maps;
mod navigation;
mod pictures;
mod practice;
mod shared;
mod terms;

pub use terms::{facet_name, term_label};

/// Per-language data shared by every page of that language.
struct LangData {
    code: String,
    common: Context,
    dates: DateFormat,
    index_url: Option<String>,
    /// Made on first use: a rebuild that renders only practice pages never needs it.
    listing: OnceLock<ListingData>,
    /// The catalogue map's frame and places, made on first use.
    map: OnceLock<Option<CatalogueMap>>,
    /// The URL of the index's map file (every entry's place), when there is an index.
    map_url: Option<String>,
    /// The terms' references and the dates its pages show, each made once (see [`shared`]).
    shared: shared::Shared,
}

/// The parts of a language's catalogue map shared by its pages.
struct CatalogueMap {
    view_box: String,
    radius: String,
    countries: Value,
    /// How many practices have a place in view.
    placed: usize,
    /// How many of them sit at their country's centre.
    approximate: usize,
    /// Where each entry of the catalogue sits, in catalogue order.
    places: Vec<Option<map::Dot>>,
}

/// The cards and facets of one language's catalogue.
struct ListingData {
    /// One per catalogue entry, each made when a page first shows it.
    cards: Vec<OnceLock<Value>>,
    /// For each practice, its card in `cards` (its catalogue entry in this language), or
    /// `None` when this language's catalogue leaves it out.
    card_of: Vec<Option<usize>>,
    facets: Value,
    taxonomies: Vec<Value>,
    terms: Vec<Vec<Value>>,
}

/// Builds the context of any planned page.
pub struct Contexts<'a> {
    site: &'a Site,
    i18n: &'a I18n,
    map: Option<&'a Map>,
    sprite_url: String,
    langs: Vec<LangData>,
    base_path: String,
    /// Renders `card.html`, when given.
    tera: Option<&'a Tera>,
    /// The processed images, when pages show them.
    images: Option<&'a crate::images::Images<'a>>,
}

fn date_value(d: &PartialDate, fmt: &DateFormat) -> Value {
    map! { "iso" => d.iso(), "display" => fmt.format(d), "year" => d.year as i64 }
}

impl<'a> Contexts<'a> {
    /// Precomputes the shared data of every language.
    pub fn new(site: &'a Site, i18n: &'a I18n, map: Option<&'a Map>) -> Contexts<'a> {
        let base_path = site.config.base_path().to_string();
        let mut c = Contexts {
            site,
            i18n,
            map,
            sprite_url: map
                .map(|m| urls::prefixed(site.config.base_path(), &Map::sprite_path(m.sprite())))
                .unwrap_or_default(),
            langs: Vec::new(),
            base_path,
            tera: None,
            images: None,
        };
        let langs = site
            .config
            .languages
            .par_iter()
            .map(|l| c.lang_data(l))
            .collect();
        c.langs = langs;
        c
    }

    /// Hands the shared data of every language (cards, facets, maps) to a background thread
    /// to be freed: see [`crate::memory`].
    pub fn free_in_background(&mut self) {
        crate::memory::drop_in_background(std::mem::take(&mut self.langs));
    }

    /// The HTML of a body, as a safe string (see [`links::body_html`]); an error when the
    /// file changed since it was parsed: what was checked is no longer what would be
    /// published.
    fn body_html(&self, body: Body) -> Result<Value, Diagnostic> {
        let site = self.site;
        match links::body_html(&site.config, &site.practices, &site.pages, body) {
            Some(html) => Ok(Value::safe_string(&self.body_pictures(&html))),
            None => Err(Diagnostic::new(
                Code::ReadError,
                "the file changed while the site was being built",
            )
            .at(Location::file(body.file))
            .hint("build again once the file is saved; nothing was written")),
        }
    }

    fn url(&self, path: &str) -> String {
        urls::prefixed(&self.base_path, path)
    }

    fn abs(&self, path: &str) -> String {
        urls::absolute(&self.site.config.base_url, path)
    }

    /// Renders each card's HTML (`card.html`) with `tera`'s [`CARD_TEMPLATE`], once per card
    /// and language.
    pub fn with_card_html(mut self, tera: &'a Tera) -> Self {
        self.tera = tera.contains_template(CARD_TEMPLATE).then_some(tera);
        self
    }

    /// Gives catalogue pages the URLs of their language's index (`catalogue_index`) and
    /// of its map file.
    pub fn with_index(mut self, index: &[IndexUrls]) -> Self {
        for ld in &mut self.langs {
            if let Some(i) = index.iter().find(|i| i.lang == ld.code) {
                ld.index_url = Some(urls::prefixed(&self.base_path, &i.url));
                ld.map_url = i
                    .map_url
                    .as_ref()
                    .map(|u| urls::prefixed(&self.base_path, u));
            }
        }
        self
    }

    /// The label of a term in `lang`.
    pub fn term_label(&self, taxonomy: Taxonomy, key: &str, lang: &str) -> String {
        term_label(&self.site.config, self.i18n, taxonomy, key, lang)
    }

    /// A term with its label and, when the site has term pages for its facet, their `url`.
    fn term_ref(&self, taxonomy: Taxonomy, key: &str, lang: &str) -> Value {
        let make = || self.make_term_ref(taxonomy, key, lang);
        match self.langs.iter().find(|l| l.code == lang) {
            Some(ld) => ld.shared.term(taxonomy, key, make),
            None => make(),
        }
    }

    fn make_term_ref(&self, taxonomy: Taxonomy, key: &str, lang: &str) -> Value {
        let config = &self.site.config;
        let has_pages = match taxonomy {
            Taxonomy::Declared(_) => true,
            _ => config.has_facet(taxonomy.slug(config)),
        };
        map! {
            "key" => key,
            "label" => self.term_label(taxonomy, key, lang),
            "url" => has_pages.then(|| self.url(&urls::term(lang, taxonomy.slug(config), key, 1))),
        }
    }

    fn lang_data(&self, lang: &str) -> LangData {
        let site = self.site;
        let config = &site.config;
        let i18n = self.i18n;
        let dates = i18n.date_format(lang);
        let languages: Vec<Value> = config
            .languages
            .iter()
            .map(|l| {
                map! {
                    "code" => l.as_str(),
                    "name" => i18n.get(l, "language_name"),
                    "url" => self.url(&urls::catalogue(l, 1)),
                }
            })
            .collect();
        let site_value = map! {
            "title" => config.title.get(lang, config.fallbacks(lang)),
            "description" => config.description.get(lang, config.fallbacks(lang)),
            "base_url" => config.base_url.as_str(),
            "default_language" => config.default_language.as_str(),
            "languages" => languages,
        };
        let mut nav: Vec<(i64, Value)> = site
            .pages
            .iter()
            .filter_map(|p| {
                let doc = p.versions.get(lang)?;
                Some((doc.menu?, map! { "title" => doc.menu_title.as_deref().unwrap_or(&doc.title), "url" => self.url(&urls::page(lang, &p.slug)), "slug" => p.slug.as_str() }))
            })
            .collect();
        nav.sort_by_key(|(m, _)| *m);
        let nav: Vec<Value> = nav.into_iter().map(|(_, v)| v).collect();

        let mut common = Context::new();
        common.insert_value("lang", Value::from(lang));
        common.insert_value("site", site_value);
        common.insert_value("nav", Value::from(nav));
        common.insert_value(
            "catalogue_url",
            Value::from(self.url(&urls::catalogue(lang, 1))),
        );
        common.insert_value("base_path", Value::from(self.base_path.as_str()));
        common.insert_value(
            "total_practices",
            Value::from(site.listings[lang].entries.len()),
        );
        common.insert_value("feed_url", Value::from(self.abs(&urls::feed(lang))));
        common.insert_value(
            "open_data",
            map! {
                "json" => self.url(&urls::open_data(lang, "json")),
                "csv" => self.url(&urls::open_data(lang, "csv")),
                "all" => self.url(urls::OPEN_DATA_ALL),
                "schema" => self.url(urls::OPEN_DATA_SCHEMA),
            },
        );
        LangData {
            code: lang.to_string(),
            common,
            dates,
            index_url: None,
            listing: OnceLock::new(),
            map: OnceLock::new(),
            map_url: None,
            shared: shared::Shared::default(),
        }
    }

    /// The context of one planned page.
    pub fn build(&self, kind: &PageKind, url: &str) -> Result<Context, Diagnostic> {
        let site = self.site;
        let config = &site.config;
        let default_lang = config
            .languages
            .iter()
            .position(|l| *l == config.default_language)
            .unwrap_or(0);
        let lang_index = kind.lang().unwrap_or(default_lang);
        let ld = &self.langs[lang_index];
        let lang = ld.code.as_str();
        let mut ctx = ld.common.clone();
        ctx.insert_value("page_url", Value::from(self.url(url)));
        ctx.insert_value("canonical", Value::from(self.abs(url)));
        let per = config.paginate;
        let targets = crate::plan::translations(site, kind);
        let (alternates, x_default) = self.alternates(lang_index, &targets);
        ctx.insert_value("alternates", alternates);
        ctx.insert_value("x_default", Value::from(x_default));
        let kind_name = match kind {
            PageKind::Chooser => "chooser",
            PageKind::NotFound => "not_found",
            PageKind::Robots => "robots",
            PageKind::Catalogue { .. } => "catalogue",
            PageKind::Practice { .. } => "practice",
            PageKind::TaxonomyIndex { .. } => "taxonomy",
            PageKind::Term { .. } => "term",
            PageKind::Page { .. } => "page",
        };
        ctx.insert_value("kind", Value::from(kind_name));
        match *kind {
            PageKind::Chooser | PageKind::NotFound | PageKind::Robots => {
                ctx.insert_value("sitemap_url", Value::from(self.abs("/sitemap.xml")));
            }
            PageKind::Catalogue { page, .. } => {
                let entries = &site.listings[lang].entries;
                let shown = ((page - 1) * per).min(entries.len())..(page * per).min(entries.len());
                ctx.insert_value(
                    "map",
                    if page == 1 {
                        self.catalogue_map_page(lang_index, shown.clone())
                    } else {
                        Value::none()
                    },
                );
                let listing = self.listing(lang_index);
                let cards: Vec<Value> = shown.map(|i| self.listed_card(listing, i, ld)).collect();
                ctx.insert_value("cards", Value::from(cards));
                ctx.insert_value(
                    "pagination",
                    self.pagination(page, entries.len(), |n| urls::catalogue(lang, n)),
                );
                ctx.insert_value("facets", listing.facets.clone());
                ctx.insert_value("catalogue_index", Value::from(ld.index_url.clone()));
            }
            PageKind::Practice { practice, .. } => {
                let p = &site.practices[practice];
                let v = p.version(lang).unwrap_or(&p.versions[0]);
                let body = self.body_html(Body::practice(&v.doc))?;
                let value = self.practice((practice, p), v, lang, &ld.dates, body);
                ctx.insert_value("practice", value);
                let freshness = translations::practice_freshness(site, p, &v.doc.lang);
                let source = urls::practice(&config.default_language, &p.slug);
                ctx.insert_value("outdated", self.outdated(&freshness, &source, lang));
                let cards = |list: &[usize]| -> Vec<Value> {
                    list.iter()
                        .filter_map(|&r| self.card_for(r, lang_index))
                        .collect()
                };
                let related = cards(&p.related_explicit);
                ctx.insert_value("similar", Value::from(cards(&p.similar)));
                ctx.insert_value("related", Value::from(related));
            }
            PageKind::TaxonomyIndex { taxonomy, .. } => {
                let listing = self.listing(lang_index);
                ctx.insert_value("taxonomy", listing.taxonomies[taxonomy].clone());
                ctx.insert_value("facets", listing.facets.clone());
            }
            PageKind::Term {
                taxonomy,
                term,
                page,
                ..
            } => {
                let listing = self.listing(lang_index);
                let list = &site.listings[lang].taxonomies[taxonomy];
                let (key, entries) = &list.terms[term];
                let start = ((page - 1) * per).min(entries.len());
                let end = (page * per).min(entries.len());
                let cards: Vec<Value> = entries[start..end]
                    .iter()
                    .map(|&i| self.listed_card(listing, i, ld))
                    .collect();
                ctx.insert_value("taxonomy", listing.taxonomies[taxonomy].clone());
                ctx.insert_value("term", listing.terms[taxonomy][term].clone());
                ctx.insert_value("cards", Value::from(cards));
                ctx.insert_value(
                    "pagination",
                    self.pagination(page, entries.len(), |n| {
                        urls::term(lang, list.taxonomy.slug(config), key, n)
                    }),
                );
                ctx.insert_value("facets", listing.facets.clone());
            }
            PageKind::Page { page, .. } => {
                let p = &site.pages[page];
                if let Some(doc) = p.versions.get(lang) {
                    let body = self.body_html(Body::page(doc))?;
                    ctx.insert_value(
                        "page",
                        map! {
                            "slug" => p.slug.as_str(),
                            "title" => doc.title.as_str(),
                            "summary" => doc.summary.as_deref(),
                            "body" => body,
                            "has_code" => doc.body.has_code,
                        },
                    );
                    let freshness = translations::page_freshness(site, p, lang);
                    let source = urls::page(&config.default_language, &p.slug);
                    ctx.insert_value("outdated", self.outdated(&freshness, &source, lang));
                }
            }
        }
        Ok(ctx)
    }
}

impl Contexts<'_> {
    /// `outdated` of a page in `lang`: the source's language (`lang`, `name`) and `url`
    /// when the page is a translation made from an older version of its source (and the
    /// site shows the notice), else none.
    fn outdated(&self, freshness: &Freshness, source_url: &str, lang: &str) -> Value {
        let config = &self.site.config;
        if !config.translations.outdated_notice || !matches!(freshness, Freshness::Outdated { .. })
        {
            return Value::none();
        }
        let source = config.default_language.as_str();
        map! {
            "lang" => source,
            "name" => self.i18n.get(lang, &format!("languages.{source}")),
            "url" => self.url(source_url),
        }
    }
}

/// The UI strings that casebook asks for itself, besides those templates name: language
/// names, facet names, the names of the countries and levels the site's practices have,
/// and the date formats (see [`I18n::missing_warnings`]).
pub fn ui_keys(site: &Site) -> BTreeSet<String> {
    let mut keys: BTreeSet<String> = ["language_name", "date.full", "date.month_year"]
        .map(String::from)
        .into();
    keys.extend(
        site.config
            .languages
            .iter()
            .map(|l| format!("languages.{l}")),
    );
    keys.extend(
        Taxonomy::of_site(&site.config)
            .into_iter()
            .filter(|t| !matches!(t, Taxonomy::Declared(_)))
            .map(|t| format!("taxonomies.{}", t.slug(&site.config))),
    );
    if site
        .config
        .fields
        .iter()
        .any(|f| f.kind == crate::input::config::FieldKind::Boolean)
    {
        keys.extend(["practice.yes", "practice.no"].map(String::from));
    }
    for p in &site.practices {
        keys.insert(format!("countries.{}", p.country));
        keys.extend(p.level.map(|l| format!("levels.{}", l.key())));
    }
    keys
}

/// A sort key that orders accented letters with their base letters.
pub fn sort_key(text: &str) -> String {
    crate::input::file_name::suggest_slug(text)
}
