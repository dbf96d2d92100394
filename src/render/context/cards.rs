//! Each language's catalogue: its cards and facets, made once, the first time a page needs
//! them (a rebuild that renders only practice pages never does).

use std::sync::OnceLock;

use tera::Value;

use super::{Contexts, LangData, ListingData, date_value, sort_key};
use crate::images::Role;
use crate::model::{Entry, Taxonomy};
use crate::plan::CARD_TEMPLATE;
use crate::urls;

impl<'a> Contexts<'a> {
    /// The cards and facets of the catalogue of the language at `li`, made once.
    pub(super) fn listing(&self, li: usize) -> &ListingData {
        let ld = &self.langs[li];
        ld.listing.get_or_init(|| self.listing_data(&ld.code))
    }

    /// The card of the `i`th entry of `lang`'s catalogue, made once.
    pub(super) fn listed_card(&self, listing: &ListingData, i: usize, ld: &LangData) -> Value {
        listing.cards[i]
            .get_or_init(|| self.card(&self.site.listings[&ld.code].entries[i], ld))
            .clone()
    }

    pub(super) fn listing_data(&self, lang: &str) -> ListingData {
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
                            "url" => self.url(&urls::term(lang, tax.slug(&self.site.config), key, 1)),
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
                "key" => tax.slug(&self.site.config),
                "name" => super::facet_name(&self.site.config, i18n, tax, lang),
                "url" => self.url(&urls::taxonomy(lang, tax.slug(&self.site.config))),
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

    /// The card of practice `r` on a page of language `ld`: the one of its catalogue entry,
    /// or `None` when the site hides untranslated practices and `r` has no version there.
    pub(super) fn card_for(&self, r: usize, li: usize) -> Option<Value> {
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
    pub(super) fn card(&self, e: &Entry, ld: &LangData) -> Value {
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
            "published" => ld.shared.date(&v.published, || date_value(&v.published, &ld.dates)),
            "lang" => v.doc.lang.as_str(),
            "fallback" => e.fallback,
            "lang_name" => self.i18n.get(lang, &format!("languages.{}", v.doc.lang)),
            "image" => p.image.as_deref().and_then(|src| self.picture(src, Role::Card)).map(|pic| {
                map! { "picture" => pic, "alt" => v.image_alt.clone().unwrap_or_default() }
            }),
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
}
