//! The render plan: every page, which template makes it, and what it depends on. Being
//! explicit about dependencies is what lets a rebuild make again only what a change
//! touches ([`crate::incremental`]); the other outputs declare theirs in
//! [`crate::publish`].

use rayon::prelude::*;

use crate::model::{Site, Taxonomy};
use crate::urls;

/// The template of one card. casebook renders it once per card and language, with `card`
/// and the variables every page of the language has, and hands the HTML to templates as
/// `card.html` (docs/templates.md).
pub const CARD_TEMPLATE: &str = "partials/card.html";

/// What an output shows.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum PageKind {
    /// `/`: the language chooser.
    Chooser,
    /// `/404.html`.
    NotFound,
    /// `/robots.txt`.
    Robots,
    /// `/{lang}/` and its later pages (1-based).
    Catalogue { lang: usize, page: usize },
    /// `/{lang}/practices/{slug}/`: a translated practice.
    Practice { lang: usize, practice: usize },
    /// `/{lang}/{taxonomy}/`.
    TaxonomyIndex { lang: usize, taxonomy: usize },
    /// `/{lang}/{taxonomy}/{term}/` and its later pages.
    Term {
        lang: usize,
        taxonomy: usize,
        term: usize,
        page: usize,
    },
    /// `/{lang}/{slug}/`: a static page.
    Page { lang: usize, page: usize },
}

impl PageKind {
    /// The language of its pages (by position in the config), if it has one.
    pub fn lang(&self) -> Option<usize> {
        match *self {
            PageKind::Chooser | PageKind::NotFound | PageKind::Robots => None,
            PageKind::Catalogue { lang, .. }
            | PageKind::Practice { lang, .. }
            | PageKind::TaxonomyIndex { lang, .. }
            | PageKind::Term { lang, .. }
            | PageKind::Page { lang, .. } => Some(lang),
        }
    }

    /// The template that renders it.
    pub fn template(&self) -> &'static str {
        match self {
            PageKind::Chooser => "index.html",
            PageKind::NotFound => "404.html",
            PageKind::Robots => "robots.txt",
            PageKind::Catalogue { .. } => "catalogue.html",
            PageKind::Practice { .. } => "practice.html",
            PageKind::TaxonomyIndex { .. } => "taxonomy.html",
            PageKind::Term { .. } => "term.html",
            PageKind::Page { .. } => "page.html",
        }
    }
}

/// What an output's content depends on, besides its template, the config and the i18n files
/// (see [`crate::incremental::Fingerprints`]).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Dep {
    /// One practice's body and fields: its own pages.
    Practice(usize),
    /// What a card or a link shows of one practice (its front matter and languages): pages
    /// that list it as related, similar or adapted.
    Card(usize),
    /// What every practice's card shows (the catalogue's map of page 1 shows them all).
    Catalogue,
    /// Which practices a listing holds, in which order: the catalogue of a language
    /// (`term: None`) or the practices of one term (`Some((taxonomy, term))`, positions in
    /// the language's `listings`). A listing page shows its slice and the page count.
    Listing {
        /// Language (position in the config).
        lang: usize,
        /// Taxonomy and term positions, for a term's listing.
        term: Option<(usize, usize)>,
    },
    /// The terms of every facet of a language, with their counts (the facet lists).
    Facets(usize),
    /// The catalogue index of the page's language (`/{lang}/search/`): every practice's
    /// text, since the page names the index by its hash.
    Index,
    /// The list of static pages (the navigation).
    Pages,
    /// One static page.
    Page(usize),
    /// What a language's catalogue lists of its entries (by language position): each
    /// entry's version with what it inherits, and its practice's shared values; not the
    /// body (the open data and the feed show no body).
    Entries(usize),
    /// The bodies of the versions a language's catalogue lists (by language position): its
    /// search index holds their words.
    Bodies(usize),
    /// Every page's URL (the sitemap lists them).
    Urls,
    /// A file copied as it is, by a hash of its name and its size and time (or bytes).
    File(u64),
    /// The names of one practice's drawn share cards (its pages name its card in their
    /// `og:image`; see [`crate::images::share_card`]).
    ShareCard(usize),
}

/// One output file.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Planned {
    /// URL path from the site root, e.g. `/es/practices/co-city/`.
    pub url: String,
    /// What it shows.
    pub kind: PageKind,
    /// What it depends on.
    pub deps: Vec<Dep>,
    /// The file written, relative to the output folder (see [`urls::output_file`]).
    file: String,
}

impl Planned {
    /// The output at `url`, showing `kind`, depending on `deps`.
    pub fn new(url: String, kind: PageKind, deps: Vec<Dep>) -> Planned {
        let file = urls::output_file(&url);
        Planned {
            url,
            kind,
            deps,
            file,
        }
    }

    /// The file written, relative to the output folder.
    pub fn file(&self) -> &str {
        &self.file
    }
}

/// Number of listing pages for `count` items.
pub fn page_count(count: usize, per_page: usize) -> usize {
    count.div_ceil(per_page.max(1)).max(1)
}

/// Plans every output of the site, in a deterministic order.
pub fn plan(site: &Site) -> Vec<Planned> {
    let mut out = Vec::new();
    out.push(Planned::new("/".to_string(), PageKind::Chooser, vec![]));
    out.push(Planned::new(
        "/404.html".to_string(),
        PageKind::NotFound,
        vec![Dep::Pages],
    ));
    out.push(Planned::new(
        "/robots.txt".to_string(),
        PageKind::Robots,
        vec![],
    ));
    // Each language's pages, planned at the same time, in the order of the languages.
    let languages: Vec<Vec<Planned>> = site
        .config
        .languages
        .par_iter()
        .enumerate()
        .map(|(li, lang)| plan_language(site, li, lang))
        .collect();
    out.extend(languages.into_iter().flatten());
    out
}

/// The pages of language `lang` (index `li`): catalogue, practices, taxonomies, pages.
fn plan_language(site: &Site, li: usize, lang: &str) -> Vec<Planned> {
    let mut out = Vec::new();
    let per_page = site.config.paginate;
    let listing = &site.listings[lang];
    for page in 1..=page_count(listing.entries.len(), per_page) {
        let mut deps = vec![
            Dep::Listing {
                lang: li,
                term: None,
            },
            Dep::Facets(li),
            Dep::Index,
            Dep::Pages,
        ];
        if page == 1 {
            deps.push(Dep::Catalogue);
        }
        let shown = listing
            .entries
            .iter()
            .skip((page - 1) * per_page)
            .take(per_page);
        deps.extend(shown.map(|e| Dep::Card(e.practice)));
        out.push(Planned::new(
            urls::catalogue(lang, page),
            PageKind::Catalogue { lang: li, page },
            deps,
        ));
    }
    for (pi, p) in site.practices.iter().enumerate() {
        if p.version(lang).is_some() {
            let mut deps = vec![Dep::Practice(pi), Dep::ShareCard(pi), Dep::Pages];
            // The page shows cards or links of its related, similar and adapted practices.
            let adapted = p.adapted_by.iter().filter_map(|a| match a {
                crate::model::Adopter::Practice(i) => Some(*i),
                crate::model::Adopter::Named(_) => None,
            });
            let mut others: Vec<usize> = p
                .related
                .iter()
                .chain(&p.similar)
                .chain(&p.adapted_from)
                .copied()
                .chain(adapted)
                .collect();
            others.sort_unstable();
            others.dedup();
            deps.extend(others.into_iter().map(Dep::Card));
            out.push(Planned::new(
                urls::practice(lang, &p.slug),
                PageKind::Practice {
                    lang: li,
                    practice: pi,
                },
                deps,
            ));
        }
    }
    for (ti, terms) in listing.taxonomies.iter().enumerate() {
        let tax = terms.taxonomy.slug(&site.config);
        out.push(Planned::new(
            urls::taxonomy(lang, tax),
            PageKind::TaxonomyIndex {
                lang: li,
                taxonomy: ti,
            },
            vec![Dep::Facets(li), Dep::Pages],
        ));
        for (termi, (key, entries)) in terms.terms.iter().enumerate() {
            for page in 1..=page_count(entries.len(), per_page) {
                let mut deps = vec![
                    Dep::Listing {
                        lang: li,
                        term: Some((ti, termi)),
                    },
                    Dep::Facets(li),
                    Dep::Pages,
                ];
                let shown = entries.iter().skip((page - 1) * per_page).take(per_page);
                deps.extend(shown.map(|&e| Dep::Card(listing.entries[e].practice)));
                out.push(Planned::new(
                    urls::term(lang, tax, key, page),
                    PageKind::Term {
                        lang: li,
                        taxonomy: ti,
                        term: termi,
                        page,
                    },
                    deps,
                ));
            }
        }
    }
    for (pi, p) in site.pages.iter().enumerate() {
        if p.versions.contains_key(lang) {
            out.push(Planned::new(
                urls::page(lang, &p.slug),
                PageKind::Page { lang: li, page: pi },
                vec![Dep::Page(pi), Dep::Pages],
            ));
        }
    }
    out
}

/// The taxonomy of a `TermList` index, for templates that need it by position.
pub fn taxonomy_at(site: &Site, lang: &str, index: usize) -> Taxonomy {
    site.listings[lang].taxonomies[index].taxonomy
}

/// The same page in each site language (by language index), where it exists.
pub fn translations(site: &Site, kind: &PageKind) -> Vec<Option<String>> {
    let per = site.config.paginate;
    let langs = &site.config.languages;
    langs
        .iter()
        .map(|l| match *kind {
            PageKind::Chooser | PageKind::NotFound | PageKind::Robots => {
                Some(urls::catalogue(l, 1))
            }
            PageKind::Catalogue { page, .. } => {
                let count = site.listings[l].entries.len();
                Some(urls::catalogue(
                    l,
                    if page <= page_count(count, per) {
                        page
                    } else {
                        1
                    },
                ))
            }
            PageKind::Practice { practice, .. } => {
                let p = &site.practices[practice];
                p.version(l).map(|_| urls::practice(l, &p.slug))
            }
            PageKind::TaxonomyIndex { lang, taxonomy } => {
                let tax = site.listings[&langs[lang]].taxonomies[taxonomy].taxonomy;
                Some(urls::taxonomy(l, tax.slug(&site.config)))
            }
            PageKind::Term {
                lang,
                taxonomy,
                term,
                page,
            } => {
                let list = &site.listings[&langs[lang]].taxonomies[taxonomy];
                let key = &list.terms[term].0;
                let other = site.listings[l]
                    .taxonomies
                    .iter()
                    .find(|t| t.taxonomy == list.taxonomy)?;
                let (_, entries) = other.terms.iter().find(|(k, _)| k == key)?;
                Some(urls::term(
                    l,
                    list.taxonomy.slug(&site.config),
                    key,
                    if page <= page_count(entries.len(), per) {
                        page
                    } else {
                        1
                    },
                ))
            }
            PageKind::Page { page, .. } => {
                let p = &site.pages[page];
                p.versions.get(l).map(|_| urls::page(l, &p.slug))
            }
        })
        .collect()
}
