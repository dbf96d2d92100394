//! schema.org structured data for a practice page: an `Article` (the page) about a
//! `Project` (the practice), with where it happens, who funds it and its translations.
//!
//! Written straight into a string, ready for `<script type="application/ld+json">`: every
//! string goes through [`crate::escape::json_str_for_script`], so no field can close the
//! element. The bytes are those `serde_json` writes for the same tree (keys sorted, as in its
//! `Map`); [`JsonObject`] checks the order of the keys in debug builds.

use crate::document::FieldValue;
use crate::escape::json_str_for_script;
use crate::model::{Practice, Site, Version};
use crate::publish::datetime;
use crate::theme::i18n::I18n;
use crate::urls;

fn abs(site: &Site, path: &str) -> String {
    urls::absolute(&site.config.base_url, path)
}

/// A JSON object being written: `{`, then each key and value, then `}` on [`Self::end`].
/// Keys must come in the order `serde_json` sorts them (byte order).
struct JsonObject<'a> {
    out: &'a mut String,
    first: bool,
    #[cfg(debug_assertions)]
    last: &'static str,
}

impl<'a> JsonObject<'a> {
    fn new(out: &'a mut String) -> Self {
        out.push('{');
        JsonObject {
            out,
            first: true,
            #[cfg(debug_assertions)]
            last: "",
        }
    }

    /// Writes `"key":` (after a comma, unless first) and returns the output for the value.
    fn key(&mut self, key: &'static str) -> &mut String {
        #[cfg(debug_assertions)]
        {
            debug_assert!(
                self.first || self.last < key,
                "JSON keys out of order: {key}"
            );
            self.last = key;
        }
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\":");
        self.out
    }

    fn str(&mut self, key: &'static str, value: &str) {
        json_str_for_script(value, self.key(key));
    }

    /// A value already written as JSON.
    fn raw(&mut self, key: &'static str, json: &str) {
        self.key(key).push_str(json);
    }

    fn number(&mut self, key: &'static str, value: f64) {
        let out = self.key(key);
        number(value, out);
    }

    fn end(self) {
        self.out.push('}');
    }
}

/// A number as `serde_json` writes an `f64` (by `serde_json` itself: its float formatting
/// has changed between versions), `null` when not finite.
fn number(value: f64, out: &mut String) {
    match serde_json::to_string(&value) {
        Ok(n) => out.push_str(&n),
        Err(_) => out.push_str("null"),
    }
}

/// `{"@type": kind, "name": name}`.
fn named(kind: &str, name: &str, out: &mut String) {
    let mut o = JsonObject::new(out);
    o.raw("@type", kind);
    o.str("name", name);
    o.end();
}

/// The `Place` of a version: its address, coordinates and name.
fn place(p: &Practice, v: &Version, country: &str) -> String {
    let mut out = String::with_capacity(256);
    let mut o = JsonObject::new(&mut out);
    o.raw("@type", "\"Place\"");
    {
        let mut a = JsonObject::new(o.key("address"));
        a.raw("@type", "\"PostalAddress\"");
        a.str("addressCountry", &p.country);
        if !v.city.is_empty() {
            a.str("addressLocality", &v.city);
        }
        if let Some(r) = &v.region {
            a.str("addressRegion", r);
        }
        a.end();
    }
    if let Some((lat, lon)) = p.coordinates {
        let mut g = JsonObject::new(o.key("geo"));
        g.raw("@type", "\"GeoCoordinates\"");
        g.number("latitude", lat);
        g.number("longitude", lon);
        g.end();
    }
    let name = [Some(v.city.as_str()), v.region.as_deref(), Some(country)]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    o.str("name", &name);
    o.end();
    out
}

/// The JSON-LD of version `v` of practice `p`, escaped for a `<script>` element.
pub fn practice(site: &Site, i18n: &I18n, p: &Practice, v: &Version) -> String {
    let config = &site.config;
    let lang = v.doc.lang.as_str();
    let url = abs(site, &urls::practice(lang, &p.slug));
    let site_title = config.title.get(lang, config.fallbacks(lang));
    let country = i18n.get(lang, &format!("countries.{}", p.country));
    // The original is the default language's version, or the first there is.
    let original = p.display_version(&config.default_language, &[]);
    let place = place(p, v, &country);

    let mut out = String::with_capacity(2048 + 2 * place.len());
    let mut article = JsonObject::new(&mut out);
    article.raw("@context", "\"https://schema.org\"");
    article.str("@id", &format!("{url}#article"));
    article.raw("@type", "\"Article\"");
    {
        let mut project = JsonObject::new(article.key("about"));
        let original_url = abs(site, &urls::practice(&original.doc.lang, &p.slug));
        project.str("@id", &format!("{original_url}#project"));
        project.raw("@type", "\"Project\"");
        project.str("description", &v.summary);
        if let Some(end) = p.end {
            project.str("dissolutionDate", &end.iso());
        }
        if let Some(start) = p.start {
            project.str("foundingDate", &start.iso());
        }
        // The EU contribution is a grant from the European Union; a total without it says
        // nothing about who funds the practice, so it is left to the open data.
        let eu = p.budget.as_ref().and_then(|b| Some((b.eu?, &b.currency)));
        const FUNDER: &str = "{\"@type\":\"GovernmentOrganization\",\"name\":\"European Union\"}";
        if let Some((eu, currency)) = eu {
            project.raw("funder", FUNDER);
            let mut grant = JsonObject::new(project.key("funding"));
            grant.raw("@type", "\"MonetaryGrant\"");
            {
                let mut amount = JsonObject::new(grant.key("amount"));
                amount.raw("@type", "\"MonetaryAmount\"");
                amount.str("currency", currency);
                amount.number("value", eu);
                amount.end();
            }
            grant.raw("funder", FUNDER);
            if let Some(prog) = &p.programme {
                grant.str(
                    "name",
                    config.programmes.label(prog, lang, config.fallbacks(lang)),
                );
            }
            grant.end();
        }
        project.raw("location", &place);
        if !v.doc.partners.is_empty() {
            let out = project.key("member");
            out.push('[');
            for (i, n) in v.doc.partners.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                named("\"Organization\"", n, out);
            }
            out.push(']');
        }
        project.str("name", &v.title);
        if let Some(o) = &v.doc.owner {
            let mut org = JsonObject::new(project.key("parentOrganization"));
            org.raw("@type", "\"Organization\"");
            org.str("name", &o.organisation);
            if let Some(u) = &o.url {
                org.str("url", u);
            }
            org.end();
        }
        project.end();
    }
    if let Some(sub) = &v.doc.subtitle {
        article.str("alternativeHeadline", sub);
    }
    article.str(
        "dateModified",
        &datetime(&v.doc.updated.unwrap_or(v.published).max(v.published)),
    );
    article.str("datePublished", &datetime(&v.published));
    article.str("description", &v.summary);
    article.str("headline", &v.title);
    if let Some(src) = &p.image {
        let image = if src.starts_with("https://") {
            src.clone()
        } else {
            abs(site, src)
        };
        let mut img = JsonObject::new(article.key("image"));
        img.raw("@type", "\"ImageObject\"");
        if let Some(alt) = &v.image_alt {
            img.str("description", alt);
        }
        img.str("url", &image);
        img.end();
    }
    article.str("inLanguage", lang);
    {
        let mut site_ref = JsonObject::new(article.key("isPartOf"));
        site_ref.raw("@type", "\"WebSite\"");
        site_ref.str("name", site_title);
        site_ref.str("url", &abs(site, &urls::catalogue(lang, 1)));
        site_ref.end();
    }
    {
        let out = article.key("keywords");
        out.push('[');
        let topics = p
            .topics
            .iter()
            .map(|t| config.topics.label(t, lang, config.fallbacks(lang)));
        // The terms of the site's own vocabulary fields are keywords too.
        let declared = config.fields.iter().flat_map(|f| {
            let vocab = config.vocabulary_of(f);
            let value = p.declared_value(v, f);
            let terms: &[String] = match value {
                Some(FieldValue::List(keys)) if vocab.is_some() => keys,
                _ => &[],
            };
            terms
                .iter()
                .filter_map(move |k| vocab.map(|v| v.label(k, lang, config.fallbacks(lang))))
        });
        for (i, label) in topics.chain(declared).enumerate() {
            if i > 0 {
                out.push(',');
            }
            json_str_for_script(label, out);
        }
        out.push(']');
    }
    article.str("mainEntityOfPage", &url);
    {
        let mut publisher = JsonObject::new(article.key("publisher"));
        publisher.raw("@type", "\"Organization\"");
        publisher.str("name", site_title);
        publisher.str("url", &config.base_url);
        publisher.end();
    }
    article.raw("spatialCoverage", &place);
    let work = |x: &Version, out: &mut String| {
        let u = abs(site, &urls::practice(&x.doc.lang, &p.slug));
        let mut w = JsonObject::new(out);
        w.str("@id", &format!("{u}#article"));
        w.raw("@type", "\"Article\"");
        w.str("inLanguage", &x.doc.lang);
        w.str("url", &u);
        w.end();
    };
    if !std::ptr::eq(original, v) {
        work(original, article.key("translationOfWork"));
    }
    article.str("url", &url);
    if std::ptr::eq(original, v) {
        let others: Vec<&Version> = p.versions.iter().filter(|x| !std::ptr::eq(*x, v)).collect();
        if !others.is_empty() {
            let out = article.key("workTranslation");
            out.push('[');
            for (i, x) in others.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                work(x, out);
            }
            out.push(']');
        }
    }
    article.end();
    out
}

#[cfg(test)]
mod tests {
    use super::{JsonObject, number};

    /// What serde_json writes for the same value, sorted and escaped for a script.
    fn canonical(json: &str) -> String {
        let value: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
        crate::escape::json_for_script(&value)
    }

    #[test]
    fn writes_what_serde_json_writes() {
        let mut out = String::new();
        let mut o = JsonObject::new(&mut out);
        o.raw("@type", "\"Place\"");
        o.number("a", 59.85);
        o.number("b", 598004.0);
        o.number("c", f64::NAN);
        o.number("d", -0.5e-7);
        o.str(
            "e",
            "</script><!-- \"q\" \\ \u{1}\n\t\u{7f} é \u{2028}\u{2029} &",
        );
        o.end();
        assert_eq!(out, canonical(&out));
        let mut n = String::new();
        number(1e21, &mut n);
        assert_eq!(n, serde_json::to_string(&1e21).unwrap());
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "out of order")]
    fn refuses_keys_out_of_order() {
        let mut out = String::new();
        let mut o = JsonObject::new(&mut out);
        o.str("name", "x");
        o.str("@type", "y");
    }
}
