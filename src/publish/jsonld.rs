//! schema.org structured data for a practice page: an `Article` (the page) about a
//! `Project` (the practice), with where it happens, who funds it and its translations.
//! Embedded as `<script type="application/ld+json">` through
//! [`crate::escape::json_for_script`], so no field can close the element.

use serde_json::{Map, Value, json};

use crate::i18n::I18n;
use crate::model::{Practice, Site, Version};
use crate::publish::datetime;
use crate::urls;

fn abs(site: &Site, path: &str) -> String {
    urls::absolute(&site.config.base_url, path)
}

/// The JSON-LD of version `v` of practice `p`.
pub fn practice(site: &Site, i18n: &I18n, p: &Practice, v: &Version) -> Value {
    let config = &site.config;
    let lang = v.doc.lang.as_str();
    let url = abs(site, &urls::practice(lang, &p.slug));
    let site_title = config.title.get(lang, &config.default_language);
    let country = i18n.get(lang, &format!("countries.{}", p.country));
    // The original is the default language's version, or the first there is.
    let original = p.display_version(&config.default_language, &config.default_language);

    let mut address = Map::new();
    address.insert("@type".into(), json!("PostalAddress"));
    if !v.city.is_empty() {
        address.insert("addressLocality".into(), json!(v.city));
    }
    if let Some(r) = &v.region {
        address.insert("addressRegion".into(), json!(r));
    }
    address.insert("addressCountry".into(), json!(p.country));
    let name = [
        Some(v.city.as_str()),
        v.region.as_deref(),
        Some(country.as_str()),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    let mut place = json!({ "@type": "Place", "name": name, "address": address });
    if let Some((lat, lon)) = p.coordinates {
        place["geo"] = json!({ "@type": "GeoCoordinates", "latitude": lat, "longitude": lon });
    }

    let mut project = json!({
        "@type": "Project",
        "@id": format!("{}#project", abs(site, &urls::practice(&original.doc.lang, &p.slug))),
        "name": v.title,
        "description": v.summary,
        "location": place.clone(),
    });
    if let Some(start) = p.start {
        project["foundingDate"] = json!(start.iso());
    }
    if let Some(end) = p.end {
        project["dissolutionDate"] = json!(end.iso());
    }
    if let Some(o) = &v.doc.owner {
        let mut org = json!({ "@type": "Organization", "name": o.organisation });
        if let Some(u) = &o.url {
            org["url"] = json!(u);
        }
        project["parentOrganization"] = org;
    }
    if !v.doc.partners.is_empty() {
        project["member"] = Value::Array(
            v.doc
                .partners
                .iter()
                .map(|n| json!({ "@type": "Organization", "name": n }))
                .collect(),
        );
    }
    if let Some(b) = &p.budget {
        // The EU contribution is a grant from the European Union; a total without it says
        // nothing about who funds the practice, so it is left to the open data.
        if let Some(eu) = b.eu {
            let funder = json!({ "@type": "GovernmentOrganization", "name": "European Union" });
            let mut grant = json!({
                "@type": "MonetaryGrant",
                "amount": { "@type": "MonetaryAmount", "value": eu, "currency": b.currency },
                "funder": funder.clone(),
            });
            if let Some(prog) = &p.programme {
                grant["name"] = json!(config.programmes.label(
                    prog,
                    lang,
                    &config.default_language
                ));
            }
            project["funder"] = funder;
            project["funding"] = grant;
        }
    }

    let mut article = json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "@id": format!("{url}#article"),
        "url": url,
        "mainEntityOfPage": url,
        "headline": v.title,
        "description": v.summary,
        "inLanguage": lang,
        "datePublished": datetime(&v.published),
        "dateModified": datetime(&v.doc.updated.unwrap_or(v.published).max(v.published)),
        "spatialCoverage": place,
        "about": project,
        "keywords": p.topics.iter().map(|t| config.topics.label(t, lang, &config.default_language)).collect::<Vec<_>>(),
        "isPartOf": { "@type": "WebSite", "name": site_title, "url": abs(site, &urls::catalogue(lang, 1)) },
        "publisher": { "@type": "Organization", "name": site_title, "url": config.base_url },
    });
    if let Some(sub) = &v.doc.subtitle {
        article["alternativeHeadline"] = json!(sub);
    }
    if let Some(src) = &p.image {
        let image = if src.starts_with("https://") {
            src.clone()
        } else {
            abs(site, src)
        };
        let mut img = json!({ "@type": "ImageObject", "url": image });
        if let Some(alt) = &v.image_alt {
            img["description"] = json!(alt);
        }
        article["image"] = img;
    }
    let work = |x: &Version| {
        let u = abs(site, &urls::practice(&x.doc.lang, &p.slug));
        json!({ "@type": "Article", "@id": format!("{u}#article"), "url": u, "inLanguage": x.doc.lang })
    };
    if std::ptr::eq(original, v) {
        let others: Vec<Value> = p
            .versions
            .iter()
            .filter(|x| !std::ptr::eq(*x, v))
            .map(work)
            .collect();
        if !others.is_empty() {
            article["workTranslation"] = Value::Array(others);
        }
    } else {
        article["translationOfWork"] = work(original);
    }
    article
}
