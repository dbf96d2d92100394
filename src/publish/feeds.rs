//! Atom feeds (RFC 4287), one per language at `/{lang}/atom.xml`: the newest practices of
//! that language's catalogue by `published`. The feed's `updated` is the newest date in it,
//! never the build time, so that two builds of the same input are byte-identical.

use std::fmt::Write as _;

use crate::escape;
use crate::model::Site;
use crate::publish::datetime;
use crate::theme::i18n::I18n;
use crate::urls;

/// How many entries a feed holds.
pub const MAX_ENTRIES: usize = 50;

/// The Atom feed of `lang`.
pub fn atom(site: &Site, i18n: &I18n, lang: &str) -> String {
    let config = &site.config;
    let base = &config.base_url;
    let listing = &site.listings[lang];
    let mut entries: Vec<_> = listing.entries.iter().collect();
    // The catalogue is already newest first; keep that order, stable on ties.
    entries.truncate(MAX_ENTRIES);
    let title = config.title.get(lang, config.fallbacks(lang));
    let description = config.description.get(lang, config.fallbacks(lang));
    let feed_url = urls::absolute(base, &urls::feed(lang));
    let catalogue = urls::absolute(base, &urls::catalogue(lang, 1));
    let updated = entries
        .iter()
        .map(|e| {
            let v = &site.practices[e.practice].versions[e.version];
            v.doc.updated.unwrap_or(v.published).max(v.published)
        })
        .max();
    let h = escape::xml;
    let mut xml = String::new();
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        xml,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        h(lang)
    );
    let _ = writeln!(xml, "  <id>{}</id>", h(&catalogue));
    let _ = writeln!(xml, "  <title type=\"text\">{}</title>", h(title));
    if !description.is_empty() {
        let _ = writeln!(
            xml,
            "  <subtitle type=\"text\">{}</subtitle>",
            h(description)
        );
    }
    let _ = writeln!(
        xml,
        "  <updated>{}</updated>",
        updated
            .map(|d| datetime(&d))
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".into())
    );
    let _ = writeln!(
        xml,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        h(&feed_url)
    );
    let _ = writeln!(
        xml,
        "  <link rel=\"alternate\" type=\"text/html\" hreflang=\"{}\" href=\"{}\"/>",
        h(lang),
        h(&catalogue)
    );
    let _ = writeln!(
        xml,
        "  <author><name>{}</name><uri>{}</uri></author>",
        h(title),
        h(base)
    );
    let _ = writeln!(
        xml,
        "  <generator uri=\"https://github.com/casebook-ssg/casebook\">casebook</generator>"
    );
    for e in entries {
        let p = &site.practices[e.practice];
        let v = &p.versions[e.version];
        let vlang = &v.doc.lang;
        let url = urls::absolute(base, &urls::practice(vlang, &p.slug));
        let updated = v.doc.updated.unwrap_or(v.published).max(v.published);
        let _ = writeln!(xml, "  <entry xml:lang=\"{}\">", h(vlang));
        let _ = writeln!(xml, "    <id>{}</id>", h(&url));
        let _ = writeln!(xml, "    <title type=\"text\">{}</title>", h(&v.title));
        let _ = writeln!(
            xml,
            "    <link rel=\"alternate\" type=\"text/html\" hreflang=\"{}\" href=\"{}\"/>",
            h(vlang),
            h(&url)
        );
        let _ = writeln!(xml, "    <published>{}</published>", datetime(&v.published));
        let _ = writeln!(xml, "    <updated>{}</updated>", datetime(&updated));
        let country = i18n.get(lang, &format!("countries.{}", p.country));
        let place = [Some(v.city.as_str()), v.region.as_deref(), Some(&country)]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        let summary = match &v.doc.subtitle {
            Some(sub) => format!("{sub}. {place}. {}", v.summary),
            None => format!("{place}. {}", v.summary),
        };
        let _ = writeln!(xml, "    <summary type=\"text\">{}</summary>", h(&summary));
        for t in &p.topics {
            let label = config.topics.label(t, lang, config.fallbacks(lang));
            let _ = writeln!(
                xml,
                "    <category term=\"{}\" scheme=\"{}\" label=\"{}\"/>",
                h(t),
                h(&urls::absolute(base, &urls::taxonomy(lang, "topics"))),
                h(label)
            );
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}
