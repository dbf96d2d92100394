//! Template contexts. Everything shared by many pages (site data, navigation, facets, cards)
//! is built once per language as reference-counted Tera values; a page's context only adds
//! what is its own, so building it is O(its own content), never O(site).

use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::sync::OnceLock;

use rayon::prelude::*;
use tera::{Context, Tera, Value};

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::index::IndexUrls;
use crate::input::config::Config;
use crate::input::dates::{DateFormat, PartialDate};
use crate::model::links::{self, Body};
use crate::model::{Adopter, Entry, Practice, Site, Taxonomy, Version};
use crate::plan::{CARD_TEMPLATE, PageKind, page_count};
use crate::publish::{cite, jsonld, share};
use crate::theme::i18n::{I18n, format_money};
use crate::theme::map::{self, Map};
use crate::urls;

/// Size of the locator map on a practice page, in map units.
const LOCATOR_SIZE: (f64, f64) = (400.0, 320.0);
/// The smallest view of the catalogue map (it zooms to its dots), in map units.
const CATALOGUE_MIN: (f64, f64) = (440.0, 330.0);
/// How far apart dots at one place are spread on the catalogue map, in map units.
const SPREAD: f64 = 7.0;

/// Builds the fields of a Tera map from `key => value` pairs.
macro_rules! fields {
    ($($k:expr => $v:expr),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut m: BTreeMap<&'static str, Value> = BTreeMap::new();
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
                .map(|m| urls::prefixed(site.config.base_path(), &Map::sprite_path(&m.sprite())))
                .unwrap_or_default(),
            langs: Vec::new(),
            base_path,
            tera: None,
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
            Some(html) => Ok(Value::safe_string(&html)),
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

    fn term_ref(&self, taxonomy: Taxonomy, key: &str, lang: &str) -> Value {
        map! {
            "key" => key,
            "label" => self.term_label(taxonomy, key, lang),
            "url" => self.url(&urls::term(lang, taxonomy.slug(), key, 1)),
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
            "title" => config.title.get(lang, &config.default_language),
            "description" => config.description.get(lang, &config.default_language),
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
        }
    }

    /// The cards and facets of the catalogue of the language at `li`, made once.
    fn listing(&self, li: usize) -> &ListingData {
        let ld = &self.langs[li];
        ld.listing.get_or_init(|| self.listing_data(&ld.code))
    }

    /// The card of the `i`th entry of `lang`'s catalogue, made once.
    fn listed_card(&self, listing: &ListingData, i: usize, ld: &LangData) -> Value {
        listing.cards[i]
            .get_or_init(|| self.card(&self.site.listings[&ld.code].entries[i], ld))
            .clone()
    }

    /// The catalogue map of the language at `li`, made once.
    fn map_of(&self, li: usize) -> &Option<CatalogueMap> {
        let ld = &self.langs[li];
        ld.map.get_or_init(|| self.catalogue_map(&ld.code))
    }

    fn listing_data(&self, lang: &str) -> ListingData {
        let site = self.site;
        let i18n = self.i18n;
        let listing = &site.listings[lang];
        let cards = listing.entries.iter().map(|_| OnceLock::new()).collect();
        let mut card_of = vec![None; site.practices.len()];
        for (i, e) in listing.entries.iter().enumerate() {
            card_of[e.practice] = Some(i);
        }

        let mut taxonomies = Vec::new();
        let mut terms_all = Vec::new();
        for terms in &listing.taxonomies {
            let tax = terms.taxonomy;
            let mut term_values: Vec<(String, Value)> = terms
                .terms
                .iter()
                .map(|(key, entries)| {
                    let label = self.term_label(tax, key, lang);
                    (
                        label.clone(),
                        map! {
                            "key" => key.as_str(),
                            "label" => label,
                            "count" => entries.len(),
                            "url" => self.url(&urls::term(lang, tax.slug(), key, 1)),
                        },
                    )
                })
                .collect();
            let by_position: Vec<Value> = term_values.iter().map(|(_, v)| v.clone()).collect();
            if tax == Taxonomy::Countries {
                term_values.sort_by_key(|(label, _)| sort_key(label));
            }
            let sorted: Vec<Value> = term_values.into_iter().map(|(_, v)| v).collect();
            taxonomies.push(map! {
                "key" => tax.slug(),
                "name" => i18n.get(lang, &format!("taxonomies.{}", tax.slug())),
                "url" => self.url(&urls::taxonomy(lang, tax.slug())),
                "terms" => sorted,
            });
            terms_all.push(by_position);
        }
        let facets = Value::from(taxonomies.clone());

        ListingData {
            cards,
            card_of,
            facets,
            taxonomies,
            terms: terms_all,
        }
    }

    /// The place of a version, as a reader of `lang` writes it: city, region, country.
    fn place_text(&self, p: &Practice, v: &Version, lang: &str) -> String {
        let country = self.i18n.get(lang, &format!("countries.{}", p.country));
        [
            Some(v.city.as_str()),
            v.region.as_deref(),
            Some(country.as_str()),
        ]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
    }

    /// The catalogue map of `lang`: its view frames every practice of the catalogue that
    /// has a place in view (so that the dots of any selection fit); `None` without a map
    /// asset. Its dots are drawn per page, by [`Contexts::catalogue_map_page`].
    fn catalogue_map(&self, lang: &str) -> Option<CatalogueMap> {
        let m = self.map?;
        let site = self.site;
        let places: Vec<Option<map::Dot>> = site.listings[lang]
            .entries
            .iter()
            .map(|e| {
                let p = &site.practices[e.practice];
                m.place(p.coordinates, &p.country)
            })
            .collect();
        let points: Vec<(f64, f64)> = places.iter().flatten().map(|d| (d.x, d.y)).collect();
        let view = m.fit(&points, 60.0, CATALOGUE_MIN, 4.0 / 3.0);
        let countries: Vec<Value> = m
            .outlines_in(view)
            .map(|(code, d)| map! { "code" => code, "d" => d })
            .collect();
        Some(CatalogueMap {
            view_box: view
                .iter()
                .map(|v| map::units(*v))
                .collect::<Vec<_>>()
                .join(" "),
            radius: map::units(view[2] / 90.0),
            countries: Value::from(countries),
            placed: points.len(),
            approximate: places.iter().flatten().filter(|d| d.approximate).count(),
            places,
        })
    }

    /// The catalogue map of one page: the dots of the practices it lists (entries
    /// `range` of the catalogue), so that the page's HTML stays the size of a page; the
    /// script draws the dots of any selection from the index's map file (`data`).
    fn catalogue_map_page(&self, li: usize, range: std::ops::Range<usize>) -> Value {
        let ld = &self.langs[li];
        let Some(cm) = self.map_of(li) else {
            return Value::none();
        };
        let site = self.site;
        let entries = &site.listings[&ld.code].entries[range.clone()];
        let placed: Vec<(&Entry, map::Dot)> = entries
            .iter()
            .zip(&cm.places[range])
            .filter_map(|(e, d)| Some((e, (*d)?)))
            .collect();
        let mut points: Vec<(f64, f64)> = placed.iter().map(|(_, d)| (d.x, d.y)).collect();
        map::spread(&mut points, SPREAD);
        let dots: Vec<Value> = placed
            .iter()
            .zip(points)
            .map(|((e, dot), (x, y))| {
                let p = &site.practices[e.practice];
                let v = &p.versions[e.version];
                map! {
                    "slug" => p.slug.as_str(),
                    "url" => self.url(&urls::practice(&v.doc.lang, &p.slug)),
                    "title" => v.title.as_str(),
                    "place" => self.place_text(p, v, &ld.code),
                    "lang" => v.doc.lang.as_str(),
                    "fallback" => e.fallback,
                    "x" => map::units(x),
                    "y" => map::units(y),
                    "approximate" => dot.approximate,
                }
            })
            .collect();
        map! {
            "view_box" => cm.view_box.as_str(),
            "radius" => cm.radius.as_str(),
            "countries" => cm.countries.clone(),
            "approximate" => cm.approximate,
            "page_approximate" => placed.iter().any(|(_, d)| d.approximate),
            "placed" => cm.placed,
            "data" => ld.map_url.clone(),
            "dots" => dots,
        }
    }

    /// The locator map of a practice: a crop of the map around its dot, its country marked.
    fn locator(&self, p: &Practice) -> Value {
        let Some(m) = self.map else {
            return Value::none();
        };
        let Some(dot) = m.place(p.coordinates, &p.country) else {
            return Value::none();
        };
        let view = m.crop(dot.x, dot.y, LOCATOR_SIZE.0, LOCATOR_SIZE.1);
        let countries: Vec<Value> = m
            .outlines_in(view)
            .map(|(code, _)| map! { "code" => code, "current" => code == p.country })
            .collect();
        map! {
            "view_box" => view.iter().map(|v| map::units(*v)).collect::<Vec<_>>().join(" "),
            "sprite" => self.sprite_url.as_str(),
            "countries" => countries,
            "dot" => map! { "x" => map::units(dot.x), "y" => map::units(dot.y), "approximate" => dot.approximate },
        }
    }

    /// The card of practice `r` on a page of language `ld`: the one of its catalogue entry,
    /// or `None` when the site hides untranslated practices and `r` has no version there.
    fn card_for(&self, r: usize, li: usize) -> Option<Value> {
        let ld = &self.langs[li];
        let listing = self.listing(li);
        listing
            .card_of
            .get(r)
            .copied()
            .flatten()
            .map(|i| self.listed_card(listing, i, ld))
    }

    /// The card of catalogue entry `e` on the pages of language `ld`, with its HTML: `html`
    /// is none without a card template, or where the template needs more than a card and the
    /// language's variables (themes then include it in the page, as before).
    fn card(&self, e: &Entry, ld: &LangData) -> Value {
        let lang = ld.code.as_str();
        let p = &self.site.practices[e.practice];
        let v = &p.versions[e.version];
        let topics: Vec<Value> = p
            .topics
            .iter()
            .map(|t| self.term_ref(Taxonomy::Topics, t, lang))
            .collect();
        let figure = v
            .doc
            .key_figures
            .first()
            .map(|f| map! { "value" => f.value.as_str(), "label" => f.label.as_str() });
        let mut card = fields! {
            "slug" => p.slug.as_str(),
            "url" => self.url(&urls::practice(&v.doc.lang, &p.slug)),
            "title" => v.title.as_str(),
            "subtitle" => v.doc.subtitle.as_deref(),
            "city" => v.city.as_str(),
            "region" => v.region.as_deref(),
            "country" => self.term_ref(Taxonomy::Countries, &p.country.to_ascii_lowercase(), lang),
            "topics" => topics,
            "summary" => v.summary.as_str(),
            "figure" => figure,
            "published" => date_value(&v.published, &ld.dates),
            "lang" => v.doc.lang.as_str(),
            "fallback" => e.fallback,
            "lang_name" => self.i18n.get(lang, &format!("languages.{}", v.doc.lang)),
        };
        let html = self.tera.and_then(|tera| {
            let mut ctx = ld.common.clone();
            ctx.insert_value("card", Value::from(card.clone()));
            tera.render(CARD_TEMPLATE, &ctx).ok()
        });
        card.insert(
            "html",
            html.map_or_else(Value::none, |h| Value::safe_string(&h)),
        );
        Value::from(card)
    }

    fn alternates(&self, current: usize, targets: &[Option<String>]) -> (Value, Option<String>) {
        let config = &self.site.config;
        let mut list = Vec::new();
        let mut x_default = None;
        for (i, (l, target)) in config.languages.iter().zip(targets).enumerate() {
            if l == &config.default_language {
                x_default = target.as_ref().map(|u| self.abs(u));
            }
            let (url, available) = match target {
                Some(u) => (self.url(u), true),
                None => (
                    format!("{}#untranslated", self.url(&urls::catalogue(l, 1))),
                    false,
                ),
            };
            list.push(map! {
                "code" => l.as_str(),
                "name" => self.i18n.get(l, "language_name"),
                "url" => url,
                "permalink" => target.as_ref().map(|u| self.abs(u)),
                "available" => available,
                "current" => i == current,
            });
        }
        (Value::from(list), x_default)
    }

    fn pagination(
        &self,
        current: usize,
        total_items: usize,
        url_of: impl Fn(usize) -> String,
    ) -> Value {
        let pages = page_count(total_items, self.site.config.paginate);
        // Numbered links: first, last, and two either side of the current page.
        let mut numbers: Vec<Value> = Vec::new();
        // Only the numbers shown are visited, so a page costs the same on a long listing.
        let mut shown: Vec<usize> = vec![1];
        shown.extend(current.saturating_sub(2).max(2)..=(current + 2).min(pages));
        shown.push(pages);
        shown.dedup();
        let mut last_shown = 0;
        for n in shown {
            if n <= last_shown || n > pages {
                continue;
            }
            if last_shown + 1 < n {
                numbers.push(map! { "gap" => true });
            }
            numbers.push(map! { "number" => n, "url" => self.url(&url_of(n)), "current" => n == current, "gap" => false });
            last_shown = n;
        }
        let per = self.site.config.paginate;
        map! {
            "current" => current,
            "total" => pages,
            "prev" => (current > 1).then(|| self.url(&url_of(current - 1))),
            "next" => (current < pages).then(|| self.url(&url_of(current + 1))),
            "pages" => numbers,
            "first_item" => if total_items == 0 { 0 } else { (current - 1) * per + 1 },
            "last_item" => (current * per).min(total_items),
            "total_items" => total_items,
            "per_page" => per,
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
        let lang_index = match *kind {
            PageKind::Catalogue { lang, .. }
            | PageKind::Practice { lang, .. }
            | PageKind::TaxonomyIndex { lang, .. }
            | PageKind::Term { lang, .. }
            | PageKind::Page { lang, .. } => lang,
            _ => default_lang,
        };
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
                ctx.insert_value("practice", self.practice(p, v, lang, &ld.dates, body));
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
                        urls::term(lang, list.taxonomy.slug(), key, n)
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
                }
            }
        }
        Ok(ctx)
    }

    fn practice(
        &self,
        p: &Practice,
        v: &Version,
        lang: &str,
        dates: &DateFormat,
        body: Value,
    ) -> Value {
        let i18n = self.i18n;
        let doc = &v.doc;
        let topics: Vec<Value> = p
            .topics
            .iter()
            .map(|t| self.term_ref(Taxonomy::Topics, t, lang))
            .collect();
        let period = (p.start.is_some() || p.end.is_some()).then(|| {
            map! {
                "start" => p.start.as_ref().map(|d| date_value(d, dates)),
                "end" => p.end.as_ref().map(|d| date_value(d, dates)),
            }
        });
        let budget = p.budget.as_ref().map(|b| {
            map! {
                "total" => b.total.map(|t| format_money(i18n, lang, t, &b.currency)),
                "eu" => b.eu.map(|t| format_money(i18n, lang, t, &b.currency)),
                "total_amount" => b.total,
                "eu_amount" => b.eu,
                "currency" => b.currency.as_str(),
            }
        });
        let languages: Vec<Value> = p
            .versions
            .iter()
            .map(|x| {
                map! {
                    "code" => x.doc.lang.as_str(),
                    "name" => i18n.get(lang, &format!("languages.{}", x.doc.lang)),
                    "url" => self.url(&urls::practice(&x.doc.lang, &p.slug)),
                    "current" => x.doc.lang == lang,
                }
            })
            .collect();
        let key_figures: Vec<Value> = doc
            .key_figures
            .iter()
            .map(|f| map! { "value" => f.value.as_str(), "label" => f.label.as_str() })
            .collect();
        let image = p.image.as_ref().map(|src| {
            let url = if src.starts_with("https://") {
                src.clone()
            } else {
                self.url(src)
            };
            let absolute = if src.starts_with("https://") {
                src.clone()
            } else {
                self.abs(src)
            };
            map! { "src" => url, "absolute" => absolute, "alt" => v.image_alt.clone().unwrap_or_default() }
        });
        let config = &self.site.config;
        let permalink = self.abs(&urls::practice(lang, &p.slug));
        let links = share::links(&permalink, &v.title, &v.summary);
        let full_title = match &doc.subtitle {
            Some(sub) => format!("{}: {sub}", v.title),
            None => v.title.clone(),
        };
        let bibtex = cite::bibtex(&cite::Work {
            slug: &p.slug,
            title: &full_title,
            site: config.title.get(lang, &config.default_language),
            url: &permalink,
            lang,
            published: v.published,
        });
        let json_ld = jsonld::practice(self.site, i18n, p, v);
        let adapted_by: Vec<Value> = p
            .adapted_by
            .iter()
            .map(|a| match a {
                Adopter::Practice(i) => self.practice_link(*i, lang),
                Adopter::Named(n) => map! { "title" => n.as_str(), "url" => Value::none(), "place" => Value::none(), "lang" => Value::none() },
            })
            .collect();
        let adapted_from: Vec<Value> = p
            .adapted_from
            .iter()
            .map(|i| self.practice_link(*i, lang))
            .collect();
        map! {
            "slug" => p.slug.as_str(),
            "permalink" => permalink.as_str(),
            "title" => v.title.as_str(),
            "full_title" => full_title.as_str(),
            "place" => self.place_text(p, v, lang),
            "subtitle" => doc.subtitle.as_deref(),
            "city" => v.city.as_str(),
            "region" => v.region.as_deref(),
            "country" => self.term_ref(Taxonomy::Countries, &p.country.to_ascii_lowercase(), lang),
            "coordinates" => p.coordinates.map(|(lat, lon)| map! { "lat" => lat, "lon" => lon }),
            "programme" => p.programme.as_ref().map(|k| self.term_ref(Taxonomy::Programmes, k, lang)),
            "topics" => topics,
            "level" => p.level.map(|l| self.term_ref(Taxonomy::Levels, l.key(), lang)),
            "period" => period,
            "budget" => budget,
            "partners" => doc.partners.clone(),
            "owner" => doc.owner.as_ref().map(|o| map! { "organisation" => o.organisation.as_str(), "url" => o.url.as_deref() }),
            "key_figures" => key_figures,
            "summary" => v.summary.as_str(),
            "published" => date_value(&v.published, dates),
            "updated" => doc.updated.as_ref().map(|d| date_value(d, dates)),
            "body" => body,
            "has_code" => doc.body.has_code,
            "image" => image,
            "languages" => languages,
            "lang" => doc.lang.as_str(),
            "adapted_by" => adapted_by,
            "adapted_from" => adapted_from,
            "share" => map! {
                "email" => links.email,
                "linkedin" => links.linkedin,
                "bluesky" => links.bluesky,
                "x" => links.x,
                "mastodon_text" => links.mastodon_text,
            },
            "bibtex" => bibtex,
            "json_ld" => Value::safe_string(&json_ld),
            "locator" => self.locator(p),
        }
    }

    /// A link to practice `i` from a page in `lang`: `{title, url, place, lang}`, in `lang`
    /// where translated (`lang` is then none), else in the version shown instead.
    fn practice_link(&self, i: usize, lang: &str) -> Value {
        let config = &self.site.config;
        let p = &self.site.practices[i];
        let v = p.display_version(lang, &config.default_language);
        map! {
            "title" => v.title.as_str(),
            "url" => self.url(&urls::practice(&v.doc.lang, &p.slug)),
            "place" => self.place_text(p, v, lang),
            "lang" => (v.doc.lang != lang).then_some(v.doc.lang.as_str()),
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
    keys.extend(Taxonomy::ALL.map(|t| format!("taxonomies.{}", t.slug())));
    for p in &site.practices {
        keys.insert(format!("countries.{}", p.country));
        keys.extend(p.level.map(|l| format!("levels.{}", l.key())));
    }
    keys
}

/// The label of a facet term in `lang`: vocabularies from casebook.yaml, countries and
/// levels from the theme's i18n files.
pub fn term_label(
    config: &Config,
    i18n: &I18n,
    taxonomy: Taxonomy,
    key: &str,
    lang: &str,
) -> String {
    match taxonomy {
        Taxonomy::Topics => config
            .topics
            .label(key, lang, &config.default_language)
            .to_string(),
        Taxonomy::Programmes => config
            .programmes
            .label(key, lang, &config.default_language)
            .to_string(),
        Taxonomy::Countries => i18n.get(lang, &format!("countries.{}", key.to_ascii_uppercase())),
        Taxonomy::Levels => i18n.get(lang, &format!("levels.{key}")),
    }
}

/// A sort key that orders accented letters with their base letters.
pub fn sort_key(text: &str) -> String {
    crate::input::file_name::suggest_slug(text)
}
