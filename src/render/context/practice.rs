//! A practice page's own data: its fields as the reader's language shows them, its body,
//! budget, dates, citation, share links, structured data and locator; and links to other
//! practices.

use tera::Value;

use super::{Contexts, date_value};
use crate::document::FieldValue;
use crate::document::markdown::{self, MarkdownOptions};
use crate::images::Role;
use crate::input::config::FieldKind;
use crate::input::dates::DateFormat;
use crate::model::{Adopter, Practice, Taxonomy, Version};
use crate::publish::{cite, jsonld, share};
use crate::theme::i18n::format_money;
use crate::urls;

impl<'a> Contexts<'a> {
    pub(super) fn practice(
        &self,
        (pi, p): (usize, &Practice),
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
            map! {
                "src" => url,
                "absolute" => absolute,
                "alt" => v.image_alt.clone().unwrap_or_default(),
                "picture" => self.picture(src, Role::Hero),
                "share" => self.picture(src, Role::Share),
            }
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
            site: config.title.get(lang, config.fallbacks(lang)),
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
        let fields = self.declared_fields(p, v, lang, dates);
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
            "share_card" => self.share_card(pi, lang),
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
            "fields" => fields,
        }
    }

    /// The declared fields this version has a value for, in declaration order: `name`,
    /// `label` (in `lang`), `kind`, and the value as `text`, `html` (Markdown), `url`,
    /// `iso` (dates), `value` (numbers, booleans), `items` (lists) or `terms` (each with
    /// `key`, `label` and, when the field is a facet, `url`).
    fn declared_fields(
        &self,
        p: &Practice,
        v: &Version,
        lang: &str,
        dates: &DateFormat,
    ) -> Vec<Value> {
        let config = &self.site.config;
        let mut out = Vec::new();
        for spec in &config.fields {
            let value = p.declared_value(v, spec);
            let Some(value) = value else { continue };
            let mut field = fields! {
                "name" => spec.name.as_str(),
                "label" => spec.label.get(lang, config.fallbacks(lang)),
                "kind" => spec.kind.name(),
                "text" => value.show(),
            };
            let facet = Taxonomy::of_site(config)
                .into_iter()
                .find(|t| matches!(t, Taxonomy::Declared(_)) && t.slug(config) == spec.name);
            match value {
                FieldValue::Markdown(source) => {
                    let html = markdown::render_html(source, MarkdownOptions::of(config)).html;
                    field.insert("html", Value::safe_string(&html));
                }
                FieldValue::Text(url) if spec.kind == FieldKind::Url => {
                    field.insert("url", Value::from(url.as_str()));
                }
                FieldValue::Number(n) => {
                    field.insert("value", Value::from(*n));
                    let shown = crate::theme::i18n::format_number(self.i18n, lang, *n);
                    field.insert("text", Value::from(shown));
                    if let Some(t) = facet {
                        let terms: Vec<Value> = t
                            .terms_of(p, config)
                            .iter()
                            .map(|k| self.term_ref(t, k, lang))
                            .collect();
                        field.insert("terms", Value::from(terms));
                    }
                }
                FieldValue::Date(d) => {
                    field.insert("iso", Value::from(d.iso()));
                    field.insert("text", Value::from(dates.format(d)));
                }
                FieldValue::Boolean(b) => {
                    field.insert("value", Value::from(*b));
                    let key = if *b { "practice.yes" } else { "practice.no" };
                    field.insert("text", Value::from(self.i18n.get(lang, key)));
                }
                FieldValue::List(items) if spec.kind.uses_vocabulary() => {
                    let vocab = config.vocabulary_of(spec);
                    let terms: Vec<Value> = items
                        .iter()
                        .map(|k| match facet {
                            Some(t) => self.term_ref(t, k, lang),
                            None => map! {
                                "key" => k.as_str(),
                                "label" => vocab.map_or(k.as_str(), |v| v.label(k, lang, config.fallbacks(lang))),
                            },
                        })
                        .collect();
                    field.insert("terms", Value::from(terms));
                }
                FieldValue::List(items) => {
                    field.insert("items", Value::from(items.clone()));
                }
                FieldValue::Text(_) => {}
            }
            out.push(Value::from(field));
        }
        out
    }

    /// A link to practice `i` from a page in `lang`: `{title, url, place, lang}`, in `lang`
    /// where translated (`lang` is then none), else in the version shown instead.
    pub(super) fn practice_link(&self, i: usize, lang: &str) -> Value {
        let config = &self.site.config;
        let p = &self.site.practices[i];
        let v = p.display_version(lang, config.fallbacks(lang));
        map! {
            "title" => v.title.as_str(),
            "url" => self.url(&urls::practice(&v.doc.lang, &p.slug)),
            "place" => self.place_text(p, v, lang),
            "lang" => (v.doc.lang != lang).then_some(v.doc.lang.as_str()),
        }
    }
}
