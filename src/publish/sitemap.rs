//! `sitemap.xml` with hreflang alternates, split into a sitemap index past 50,000 URLs.

use std::fmt::Write as _;

use crate::escape;
use crate::model::Site;
use crate::output::Pieces;
use crate::plan::{PageKind, Planned, translations};
use crate::urls;

/// The most URLs one sitemap file may hold.
pub const MAX_URLS: usize = 50_000;

/// The sitemap files: `(output path, XML)`, each written as it is made (at 10,000
/// practices the sitemap is 16 MB).
pub fn sitemaps(site: &Site, plan: &[Planned]) -> Vec<(String, Pieces)> {
    let base = &site.config.base_url;
    let listed: Vec<&Planned> = plan
        .iter()
        .filter(|p| match p.kind {
            PageKind::Catalogue { page, .. } | PageKind::Term { page, .. } => page == 1,
            PageKind::Practice { .. } | PageKind::TaxonomyIndex { .. } | PageKind::Page { .. } => {
                true
            }
            PageKind::Chooser | PageKind::NotFound | PageKind::Robots => false,
        })
        .collect();
    let urlset = |pages: &[&Planned]| {
        let mut xml = Pieces::new();
        xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
        for p in pages {
            url(&mut xml, site, p);
        }
        xml.push_str("</urlset>\n");
        xml
    };
    if listed.len() <= MAX_URLS {
        return vec![("sitemap.xml".into(), urlset(&listed))];
    }
    let mut files = Vec::new();
    let mut index = Pieces::new();
    index.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (i, chunk) in listed.chunks(MAX_URLS).enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        let _ = writeln!(
            index,
            "  <sitemap><loc>{}</loc></sitemap>",
            escape::html(&urls::absolute(base, &name))
        );
        files.push((name, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.push(("sitemap.xml".into(), index));
    files
}

/// The `<url>` entry of the page `p`, with its translations as alternates.
fn url(xml: &mut Pieces, site: &Site, p: &Planned) {
    let base = &site.config.base_url;
    let _ = write!(
        xml,
        "  <url>\n    <loc>{}</loc>\n",
        escape::html(&urls::absolute(base, &p.url))
    );
    let alts: Vec<(&String, String)> = site
        .config
        .languages
        .iter()
        .zip(translations(site, &p.kind))
        .filter_map(|(l, t)| t.map(|t| (l, t)))
        .collect();
    if alts.len() > 1 {
        for (l, t) in &alts {
            let _ = writeln!(
                xml,
                "    <xhtml:link rel=\"alternate\" hreflang=\"{l}\" href=\"{}\"/>",
                escape::html(&urls::absolute(base, t))
            );
        }
        if let Some((_, t)) = alts
            .iter()
            .find(|(l, _)| **l == site.config.default_language)
        {
            let _ = writeln!(
                xml,
                "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>",
                escape::html(&urls::absolute(base, t))
            );
        }
    }
    xml.push_str("  </url>\n");
}
