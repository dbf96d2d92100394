//! The catalogue map (its frame and places made once per language, its dots per page)
//! and the locator map of a practice.

use tera::Value;

use super::{CatalogueMap, Contexts};
use crate::model::{Entry, Practice, Version};
use crate::theme::map;
use crate::urls;

/// Size of the locator map on a practice page, in map units.
const LOCATOR_SIZE: (f64, f64) = (400.0, 320.0);
/// The smallest view of the catalogue map (it zooms to its dots), in map units.
const CATALOGUE_MIN: (f64, f64) = (440.0, 330.0);
/// How far apart dots at one place are spread on the catalogue map, in map units.
const SPREAD: f64 = 7.0;

impl<'a> Contexts<'a> {
    /// The catalogue map of the language at `li`, made once.
    pub(super) fn map_of(&self, li: usize) -> &Option<CatalogueMap> {
        let ld = &self.langs[li];
        ld.map.get_or_init(|| self.catalogue_map(&ld.code))
    }

    /// The place of a version, as a reader of `lang` writes it: city, region, country.
    pub(super) fn place_text(&self, p: &Practice, v: &Version, lang: &str) -> String {
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
    pub(super) fn catalogue_map(&self, lang: &str) -> Option<CatalogueMap> {
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
    pub(super) fn catalogue_map_page(&self, li: usize, range: std::ops::Range<usize>) -> Value {
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
    pub(super) fn locator(&self, p: &Practice) -> Value {
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
}
