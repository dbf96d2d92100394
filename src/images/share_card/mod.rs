//! Drawn share cards (`share_cards: drawn`): for each version of a practice that has no
//! photo, a 1200 × 630 PNG with its title, its place and a dot on the theme's map, in the
//! version's language, for the `og:image` of its page. Links shared on LinkedIn, Mastodon
//! or in a chat then show the practice rather than the site's generic image.
//!
//! - this file: which cards a site has, what each shows ([`Fields`]) and its file name;
//! - [`text`]: the bundled fonts, and titles broken into lines that fit;
//! - [`raster`]: the SVG a template made, drawn to a PNG.
//!
//! The SVG comes from the theme's template `share-card.svg`, through
//! [`crate::render::share_card`]. A card's name holds a hash of everything it is drawn
//! from (its fields, the template, the fonts, the map, casebook's version): pages name a
//! card before it is drawn, a card is drawn once and then taken from the cache folder like
//! a processed photo ([`super::store`]), and a page is made again when its card's name
//! changes.

pub mod raster;
pub mod text;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use crate::hash::hash_value;
use crate::input::config::ShareCards;
use crate::model::{Practice, Site, Version};
use crate::theme::Theme;
use crate::theme::i18n::I18n;

/// The theme template a card is drawn from; a site overrides it in its own templates/.
pub const TEMPLATE: &str = "share-card.svg";
/// The width of a card, in pixels (what Facebook, LinkedIn and Mastodon show best).
pub const WIDTH: u32 = 1200;
/// The height of a card, in pixels.
pub const HEIGHT: u32 = 630;
/// The UI strings a card's template is given (as `text.label` for `share_card.label`).
pub const STRINGS: &str = "share_card.";

/// Bumped when what a template is given or how a card is drawn changes: every card gets
/// a new name, and is drawn again.
const VERSION: u32 = 1;

/// What a card shows: everything its pixels depend on besides its template and the fonts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fields {
    /// The version's language.
    pub lang: String,
    /// The practice's title in it.
    pub title: String,
    /// Its city (empty for a region-wide practice).
    pub city: String,
    /// Its region.
    pub region: Option<String>,
    /// Its country's name in the language.
    pub country: String,
    /// Its country's ISO code (`IT`).
    pub country_code: String,
    /// The site's title in the language.
    pub site_title: String,
    /// The UI strings under [`STRINGS`] in the language, without the prefix.
    pub strings: Arc<BTreeMap<String, String>>,
    /// Where the practice is on the theme's map, in tenths of map units, and whether
    /// that is only its country's centre; `None` without a map or outside it.
    pub dot: Option<(i64, i64, bool)>,
}

/// One drawn card: a version of a practice without a photo.
#[derive(Debug, Clone)]
pub struct Card {
    /// The practice (index into `Site::practices`).
    pub practice: usize,
    /// Output path from the site root (`_images/co-city.es.1f2e3d4c5b6a.png`).
    pub path: String,
    /// Its file name in the cache folder.
    pub cache: String,
    /// What it shows.
    pub fields: Fields,
}

/// Text without the characters XML cannot carry (a card's SVG would not parse).
fn clean(s: &str) -> String {
    s.chars()
        .filter(|&c| {
            !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
        })
        .collect()
}

/// What the cards of a language share: its UI strings under [`STRINGS`] and the site's
/// title in it, made once per language.
struct Language {
    strings: Arc<BTreeMap<String, String>>,
    site_title: String,
}

impl Language {
    fn of(site: &Site, i18n: &I18n, lang: &str) -> Language {
        let config = &site.config;
        let strings = i18n
            .keys(&config.default_language)
            .chain(i18n.keys(lang))
            .filter_map(|k| k.strip_prefix(STRINGS))
            .map(|k| {
                (
                    k.to_string(),
                    clean(&i18n.get(lang, &format!("{STRINGS}{k}"))),
                )
            })
            .collect();
        Language {
            strings: Arc::new(strings),
            site_title: clean(config.title.get(lang, config.fallbacks(lang))),
        }
    }
}

/// What the card of version `v` of `p` shows (`language`: what the cards of its language
/// share).
fn fields(language: &Language, i18n: &I18n, theme: &Theme, p: &Practice, v: &Version) -> Fields {
    let lang = v.doc.lang.as_str();
    let dot = theme
        .map
        .as_ref()
        .and_then(|m| m.place(p.coordinates, &p.country))
        .map(|d| {
            (
                (d.x * 10.0).round() as i64,
                (d.y * 10.0).round() as i64,
                d.approximate,
            )
        });
    Fields {
        lang: lang.to_string(),
        title: clean(&v.title),
        city: clean(&v.city),
        region: v.region.as_deref().map(clean),
        country: clean(&i18n.get(lang, &format!("countries.{}", p.country))),
        country_code: p.country.clone(),
        site_title: language.site_title.clone(),
        strings: Arc::clone(&language.strings),
        dot,
    }
}

/// Whether the bundled fonts can draw every text of `f`.
fn drawable(f: &Fields) -> bool {
    [&f.title, &f.city, &f.country, &f.site_title]
        .into_iter()
        .chain(f.region.as_ref())
        .chain(f.strings.values())
        .all(|t| text::drawable(t))
}

/// A hash of what every card is drawn with: the template's text, the fonts, the map,
/// casebook's version.
fn stamp(template: &str, theme: &Theme) -> u64 {
    hash_value(&(
        VERSION,
        env!("CARGO_PKG_VERSION"),
        template,
        text::fonts_hash(),
        theme.map.as_ref().map(|m| hash_value(&m.sprite())),
    ))
}

/// The cards of `site`: one per version of each practice without an image, when the site
/// draws them (`share_cards: drawn`) and its theme has the template (`template`, its text).
/// A version with a character the bundled fonts cannot draw has no card.
pub fn plan(site: &Site, i18n: &I18n, theme: &Theme, template: Option<&str>) -> Vec<Card> {
    let Some(template) = template else {
        return Vec::new();
    };
    if site.config.share_cards != ShareCards::Drawn {
        return Vec::new();
    }
    let stamp = stamp(template, theme);
    let languages: HashMap<&str, Language> = site
        .config
        .languages
        .iter()
        .map(|l| (l.as_str(), Language::of(site, i18n, l)))
        .collect();
    let languages = &languages;
    site.practices
        .par_iter()
        .enumerate()
        .filter(|(_, p)| p.image.is_none())
        .flat_map_iter(|(pi, p)| {
            p.versions.iter().filter_map(move |v| {
                let language = languages.get(v.doc.lang.as_str())?;
                let fields = fields(language, i18n, theme, p, v);
                if !drawable(&fields) {
                    return None;
                }
                let key = hash_value(&(stamp, &fields));
                let cache = format!("{}.{}.{:012x}.png", p.slug, fields.lang, key >> 16);
                Some(Card {
                    practice: pi,
                    path: format!("{}/{cache}", super::variants::DIR),
                    cache,
                    fields,
                })
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_left_out() {
        assert_eq!(clean("a\u{1}b\tc\u{fffe}"), "ab\tc");
    }
}
