//! The site model: practices grouped by slug with their translations, facets inherited and
//! checked across files, catalogue entries and facet terms per language. Pure data, no I/O.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::config::{Config, Untranslated};
use crate::dates::PartialDate;
use crate::diagnostics::{Code, Diagnostic, Location};
use crate::document::{Budget, Document, Level, Located, PageDoc, PracticeDoc};

/// How many related practices a practice page lists.
pub const MAX_RELATED: usize = 4;

/// URL segments that static pages may not use as slugs.
pub const RESERVED_SLUGS: &[&str] = &[
    "practices",
    "topics",
    "countries",
    "programmes",
    "levels",
    "page",
    "search",
    "static",
];

/// A practice with all its language versions.
#[derive(Debug, Clone)]
pub struct Practice {
    /// Slug.
    pub slug: String,
    /// ISO country code.
    pub country: String,
    /// `(lat, lon)`.
    pub coordinates: Option<(f64, f64)>,
    /// Programme term.
    pub programme: Option<String>,
    /// Topic terms, in the order written.
    pub topics: Vec<String>,
    /// Reach.
    pub level: Option<Level>,
    /// Start.
    pub start: Option<PartialDate>,
    /// End.
    pub end: Option<PartialDate>,
    /// Money.
    pub budget: Option<Budget>,
    /// Image path.
    pub image: Option<String>,
    /// Language versions, in site language order.
    pub versions: Vec<Version>,
    /// Related practices (indices), explicit ones first.
    pub related: Vec<usize>,
    /// Explicitly related practices (indices).
    pub related_explicit: Vec<usize>,
    /// Practices sharing the most topics (indices), not counting the explicit ones.
    pub similar: Vec<usize>,
    /// Who took the practice over, in the order written.
    pub adapted_by: Vec<Adopter>,
    /// Practices that this one was adapted from (indices): the other side of `adapted_by`.
    pub adapted_from: Vec<usize>,
}

/// An entry of `adapted_by`: another practice of the catalogue, or a city by name.
#[derive(Debug, Clone, PartialEq)]
pub enum Adopter {
    /// A practice (index into `Site::practices`).
    Practice(usize),
    /// A city, region or organisation named in plain text.
    Named(String),
}

impl Practice {
    /// The version in `lang`, if translated.
    pub fn version(&self, lang: &str) -> Option<&Version> {
        self.versions.iter().find(|v| v.doc.lang == lang)
    }

    /// The version to show to readers of `lang`: theirs, else the default language's, else the first.
    pub fn display_version(&self, lang: &str, default: &str) -> &Version {
        self.version(lang)
            .or_else(|| self.version(default))
            .unwrap_or(&self.versions[0])
    }
}

/// One language version of a practice, with inherited per-language fields resolved.
#[derive(Debug, Clone)]
pub struct Version {
    /// The parsed file.
    pub doc: PracticeDoc,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Published.
    pub published: PartialDate,
    /// City, in this language's spelling or inherited; empty for region-wide practices.
    pub city: String,
    /// Region, in this language's spelling or inherited.
    pub region: Option<String>,
    /// Image alt text, in this language or inherited.
    pub image_alt: Option<String>,
}

/// A static page with its language versions.
#[derive(Debug, Clone)]
pub struct Page {
    /// Slug.
    pub slug: String,
    /// Versions by language.
    pub versions: BTreeMap<String, PageDoc>,
}

/// A facet of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Taxonomy {
    /// Topics (declared vocabulary).
    Topics,
    /// Countries (ISO codes).
    Countries,
    /// Programmes (declared vocabulary).
    Programmes,
    /// Levels (local, regional, national).
    Levels,
}

impl Taxonomy {
    /// Every taxonomy, in display order.
    pub const ALL: [Taxonomy; 4] = [
        Taxonomy::Topics,
        Taxonomy::Countries,
        Taxonomy::Programmes,
        Taxonomy::Levels,
    ];

    /// URL segment and key.
    pub fn slug(self) -> &'static str {
        match self {
            Taxonomy::Topics => "topics",
            Taxonomy::Countries => "countries",
            Taxonomy::Programmes => "programmes",
            Taxonomy::Levels => "levels",
        }
    }

    /// The term keys of a practice in this taxonomy (URL form: countries are lowercase).
    pub fn terms_of(self, p: &Practice) -> Vec<String> {
        match self {
            Taxonomy::Topics => p.topics.clone(),
            Taxonomy::Countries => vec![p.country.to_ascii_lowercase()],
            Taxonomy::Programmes => p.programme.iter().cloned().collect(),
            Taxonomy::Levels => p.level.iter().map(|l| l.key().to_string()).collect(),
        }
    }
}

/// One practice as listed in a language's catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Index into `Site::practices`.
    pub practice: usize,
    /// Index into that practice's `versions`: the version shown.
    pub version: usize,
    /// Whether that version is in another language (a fallback).
    pub fallback: bool,
}

/// The terms of one taxonomy in one language, with the entries of each.
#[derive(Debug, Clone)]
pub struct TermList {
    /// The taxonomy.
    pub taxonomy: Taxonomy,
    /// Terms with at least one entry: key and entry indices (into `Listing::entries`), in
    /// catalogue order.
    pub terms: Vec<(String, Vec<usize>)>,
}

/// What one language's catalogue lists.
#[derive(Debug, Clone)]
pub struct Listing {
    /// The entries, newest first.
    pub entries: Vec<Entry>,
    /// Facets.
    pub taxonomies: Vec<TermList>,
}

/// The whole site, ready to plan.
#[derive(Debug, Clone)]
pub struct Site {
    /// Configuration.
    pub config: Config,
    /// Practices, by slug.
    pub practices: Vec<Practice>,
    /// Static pages, by slug.
    pub pages: Vec<Page>,
    /// Per language, in site language order.
    pub listings: BTreeMap<String, Listing>,
}

impl Site {
    /// Frees the search words of every body (see [`crate::markdown::Rendered::words`]),
    /// once the search index is built: nothing after it reads them. Bodies shared with
    /// another holder (serve's cache) keep their words.
    pub fn drop_search_text(&mut self) {
        let drop = |body: &mut std::sync::Arc<crate::markdown::Rendered>| {
            if let Some(b) = std::sync::Arc::get_mut(body) {
                b.words = String::new();
            }
        };
        for p in &mut self.practices {
            for v in &mut p.versions {
                drop(&mut v.doc.body);
            }
        }
        for p in &mut self.pages {
            for d in p.versions.values_mut() {
                drop(&mut d.body);
            }
        }
    }

    /// Index of the practice `slug`.
    pub fn practice_index(&self, slug: &str) -> Option<usize> {
        self.practices
            .binary_search_by(|p| p.slug.as_str().cmp(slug))
            .ok()
    }
}

/// Builds the model from parsed documents. `drafts` keeps drafts in. `broken` holds the
/// slugs of practice files that failed to parse: their other files are not checked against
/// them, and links to them are not reported, so one mistake gives one error.
pub fn build(
    config: Config,
    docs: Vec<Document>,
    drafts: bool,
    broken: &BTreeSet<String>,
) -> (Option<Site>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut practice_docs: BTreeMap<String, Vec<PracticeDoc>> = BTreeMap::new();
    let mut page_docs: BTreeMap<String, BTreeMap<String, PageDoc>> = BTreeMap::new();
    for doc in docs {
        match doc {
            Document::Practice(p) if drafts || !p.draft => {
                let list = practice_docs.entry(p.slug.clone()).or_default();
                if let Some(other) = list.iter().find(|o| o.lang == p.lang) {
                    diags.push(duplicate(&p.rel, &other.rel, &p.slug, &p.lang));
                } else {
                    list.push(*p);
                }
            }
            Document::Page(p) if drafts || !p.draft => {
                if RESERVED_SLUGS.contains(&p.slug.as_str()) || config.has_language(&p.slug) {
                    diags.push(
                        Diagnostic::new(
                            Code::BadFileName,
                            format!(
                                "a page cannot be called `{}`: the URL is used by the catalogue",
                                p.slug
                            ),
                        )
                        .at(Location::file(&p.rel))
                        .hint(format!(
                            "rename the file; reserved names: {}, and the language codes",
                            RESERVED_SLUGS.join(", ")
                        )),
                    );
                    continue;
                }
                let versions = page_docs.entry(p.slug.clone()).or_default();
                if let Some(other) = versions.get(&p.lang) {
                    diags.push(duplicate(&p.rel, &other.rel, &p.slug, &p.lang));
                } else {
                    versions.insert(p.lang.clone(), *p);
                }
            }
            _ => {}
        }
    }

    let lang_order = |lang: &str| {
        config
            .languages
            .iter()
            .position(|l| l == lang)
            .unwrap_or(usize::MAX)
    };
    let mut practices = Vec::with_capacity(practice_docs.len());
    let mut related_raw: Vec<Vec<Located<String>>> = Vec::new();
    let mut adapted_raw: Vec<Vec<Located<String>>> = Vec::new();
    for (slug, mut docs) in practice_docs {
        if broken.contains(&slug) {
            continue;
        }
        docs.sort_by_key(|d| (d.lang != config.default_language, lang_order(&d.lang)));
        match merge(&config, slug, docs, &mut diags) {
            Some((p, rel, adapted)) => {
                practices.push(p);
                related_raw.push(rel);
                adapted_raw.push(adapted);
            }
            None => continue,
        }
    }
    // Explicit relations.
    let slugs: Vec<&str> = practices.iter().map(|p| p.slug.as_str()).collect();
    let index: HashMap<&str, usize> = slugs.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let mut explicit: Vec<Vec<usize>> = Vec::with_capacity(practices.len());
    for (i, rels) in related_raw.iter().enumerate() {
        let mut list = Vec::new();
        for r in rels {
            match index.get(r.value.as_str()) {
                Some(&j) if j == i => diags.push(
                    Diagnostic::new(
                        Code::UnknownRelated,
                        "a practice cannot be related to itself",
                    )
                    .at(r.location.clone())
                    .hint(format!("remove `{}` from `related`", r.value)),
                ),
                Some(&j) => {
                    if !list.contains(&j) {
                        list.push(j);
                    }
                }
                None if broken.contains(&r.value) => {}
                None => {
                    let hint = match crate::suggest::closest(&r.value, slugs.iter().copied()) {
                        Some(best) => format!("did you mean `{best}`? `related` lists practice slugs (file names without .md)"),
                        None => "`related` lists practice slugs: the file names in content/practices/ without .md".into(),
                    };
                    diags.push(
                        Diagnostic::new(
                            Code::UnknownRelated,
                            format!("no practice has the slug `{}`", r.value),
                        )
                        .at(r.location.clone())
                        .hint(hint),
                    );
                }
            }
        }
        explicit.push(list);
    }
    let adapted = adopters(&adapted_raw, &index, &slugs, broken, &mut diags);
    let mut adapted_from: Vec<Vec<usize>> = vec![Vec::new(); practices.len()];
    for (i, list) in adapted.iter().enumerate() {
        for a in list {
            if let Adopter::Practice(j) = a
                && !adapted_from[*j].contains(&i)
            {
                adapted_from[*j].push(i);
            }
        }
    }
    let related = crate::related::compute(&practices, &explicit, MAX_RELATED);
    let similar = crate::related::compute(&practices, &[], MAX_RELATED + MAX_RELATED);
    for (i, (((p, e), r), a)) in practices
        .iter_mut()
        .zip(explicit)
        .zip(related)
        .zip(adapted)
        .enumerate()
    {
        p.similar = similar[i]
            .iter()
            .copied()
            .filter(|j| !e.contains(j))
            .take(MAX_RELATED)
            .collect();
        p.related_explicit = e;
        p.related = r;
        p.adapted_by = a;
        p.adapted_from = std::mem::take(&mut adapted_from[i]);
    }

    let mut pages: Vec<Page> = page_docs
        .into_iter()
        .map(|(slug, versions)| Page { slug, versions })
        .collect();
    diags.extend(crate::links::rewrite(&config, &mut practices, &mut pages));
    let listings = config
        .languages
        .iter()
        .map(|l| (l.clone(), listing(&config, &practices, l)))
        .collect();
    if diags.iter().any(Diagnostic::is_error) {
        return (None, diags);
    }
    (
        Some(Site {
            config,
            practices,
            pages,
            listings,
        }),
        diags,
    )
}

/// Resolves `adapted_by` entries: a slug-shaped entry (lowercase letters, digits and
/// hyphens) must name a practice; anything else (`Terrassa`, `L'Hospitalet`) is a name.
fn adopters(
    raw: &[Vec<Located<String>>],
    index: &HashMap<&str, usize>,
    slugs: &[&str],
    broken: &BTreeSet<String>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Vec<Adopter>> {
    raw.iter()
        .enumerate()
        .map(|(i, entries)| {
            let mut list = Vec::new();
            for a in entries {
                let adopter = match index.get(a.value.as_str()) {
                    Some(&j) if j == i => {
                        diags.push(
                            Diagnostic::new(
                                Code::UnknownRelated,
                                "a practice cannot be adapted by itself",
                            )
                            .at(a.location.clone())
                            .hint(format!("remove `{}` from `adapted_by`", a.value)),
                        );
                        continue;
                    }
                    Some(&j) => Adopter::Practice(j),
                    None if broken.contains(&a.value) => continue,
                    None if crate::config::is_slug(&a.value) => {
                        let hint = match crate::suggest::closest(&a.value, slugs.iter().copied()) {
                            Some(best) => format!("did you mean `{best}`? An entry written like a slug must be a practice's file name; write a city with its capitals (`Terrassa`)"),
                            None => "an entry written like a slug (lowercase, hyphens) must be a practice's file name without .md; write a city with its capitals (`Terrassa`)".into(),
                        };
                        diags.push(
                            Diagnostic::new(
                                Code::UnknownRelated,
                                format!("no practice has the slug `{}`", a.value),
                            )
                            .at(a.location.clone())
                            .hint(hint),
                        );
                        continue;
                    }
                    None => Adopter::Named(a.value.clone()),
                };
                if !list.contains(&adopter) {
                    list.push(adopter);
                }
            }
            list
        })
        .collect()
}

fn duplicate(rel: &std::path::Path, other: &std::path::Path, slug: &str, lang: &str) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateSlug,
        format!("`{slug}` in `{lang}` is defined twice"),
    )
    .at(Location::file(rel))
    .note(Location::file(other), "first defined here")
    .hint("each slug may have one file per language; rename or delete one of them")
}

/// Checks one facet across versions: every file that gives it must agree with the first.
fn agree<T: PartialEq + Clone + std::fmt::Debug>(
    docs: &[PracticeDoc],
    name: &str,
    get: impl Fn(&PracticeDoc) -> Option<&Located<T>>,
    show: impl Fn(&T) -> String,
    diags: &mut Vec<Diagnostic>,
) -> Option<T> {
    let mut first: Option<(&Located<T>, &PracticeDoc)> = None;
    for d in docs {
        let Some(v) = get(d) else { continue };
        match first {
            None => first = Some((v, d)),
            Some((f, fd)) if f.value != v.value => diags.push(
                Diagnostic::new(Code::FacetConflict, format!(
                    "`{name}` is {} here but {} in {}", show(&v.value), show(&f.value), fd.rel.display()
                ))
                .at(v.location.clone())
                .note(f.location.clone(), format!("{name} is {} here", show(&f.value)))
                .hint(format!("`{name}` describes the practice, not the language: give it once (in {}) and leave it out of the translations", fd.rel.display())),
            ),
            Some(_) => {}
        }
    }
    first.map(|(v, _)| v.value.clone())
}

/// A practice merged from its files, with its raw `related` and `adapted_by` entries.
type Merged = (Practice, Vec<Located<String>>, Vec<Located<String>>);

fn merge(
    config: &Config,
    slug: String,
    docs: Vec<PracticeDoc>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Merged> {
    let before = diags.len();
    let country = agree(
        &docs,
        "country",
        |d| d.facets.country.as_ref(),
        |v| format!("`{v}`"),
        diags,
    );
    let coordinates = agree(
        &docs,
        "coordinates",
        |d| d.facets.coordinates.as_ref(),
        |v| format!("[{}, {}]", v.0, v.1),
        diags,
    );
    let programme = agree(
        &docs,
        "programme",
        |d| d.facets.programme.as_ref(),
        |v| format!("`{v}`"),
        diags,
    );
    let topics = agree(
        &docs,
        "topics",
        |d| d.facets.topics.as_ref(),
        |v| format!("[{}]", v.join(", ")),
        diags,
    );
    let level = agree(
        &docs,
        "level",
        |d| d.facets.level.as_ref(),
        |v| format!("`{}`", v.key()),
        diags,
    );
    let start = agree(
        &docs,
        "start",
        |d| d.facets.start.as_ref(),
        |v| format!("`{}`", v.iso()),
        diags,
    );
    let end = agree(
        &docs,
        "end",
        |d| d.facets.end.as_ref(),
        |v| format!("`{}`", v.iso()),
        diags,
    );
    let budget = agree(
        &docs,
        "budget",
        |d| d.facets.budget.as_ref(),
        |v| format!("{v:?}"),
        diags,
    );
    let image = agree(
        &docs,
        "image.src",
        |d| d.facets.image.as_ref(),
        |v| format!("`{v}`"),
        diags,
    );
    let related_slugs = agree(
        &docs,
        "related",
        |d| d.facets.related.as_ref(),
        |v| {
            format!(
                "[{}]",
                v.iter()
                    .map(|s| s.value.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        },
        diags,
    );
    let adapted_by = agree(
        &docs,
        "adapted_by",
        |d| d.facets.adapted_by.as_ref(),
        |v| {
            format!(
                "[{}]",
                v.iter()
                    .map(|s| s.value.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        },
        diags,
    );
    let primary = &docs[0];
    let need = |field: &str, example: &str, diags: &mut Vec<Diagnostic>| {
        let files = docs
            .iter()
            .map(|d| d.rel.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let name = field.split(':').next().unwrap_or(field);
        let at = match crate::document::empty_field_line(&primary.source, name) {
            Some(line) => Diagnostic::new(
                Code::MissingField,
                format!(
                    "practice `{}` has no `{name}`: the field has no value",
                    primary.slug
                ),
            )
            .at_source(
                Location::new(&primary.rel, line, 1),
                &primary.source,
                name.len(),
            ),
            None => Diagnostic::new(
                Code::MissingField,
                format!("practice `{}` has no `{field}`", primary.slug),
            )
            .at(primary.front_matter_at.clone()),
        };
        diags.push(at.hint(format!(
            "add `{example}` to {} (it is shared by all translations; files: {files})",
            primary.rel.display()
        )));
    };
    if country.is_none() && docs.iter().all(|d| d.facets.country.is_none()) {
        need("country", "country: ES", diags);
    }
    if topics.is_none() && docs.iter().all(|d| d.facets.topics.is_none()) {
        need("topics", "topics: [poverty]", diags);
    }
    let inherited_city = docs.iter().find_map(|d| d.city.clone());
    if inherited_city.is_none() && docs.iter().all(|d| d.region.is_none()) {
        need(
            "city",
            "city: Turin` (or `region: Andalusia` for a practice that covers a whole region",
            diags,
        );
    }
    if diags.len() > before && diags[before..].iter().any(Diagnostic::is_error) {
        return None;
    }
    let inherited_region = docs.iter().find_map(|d| d.region.clone());
    let inherited_alt = docs.iter().find_map(|d| d.image_alt.clone());
    let mut versions = Vec::with_capacity(docs.len());
    for doc in docs {
        let (Some(title), Some(summary), Some(published)) =
            (doc.title.clone(), doc.summary.clone(), doc.published)
        else {
            continue;
        };
        versions.push(Version {
            title,
            summary,
            published,
            city: doc
                .city
                .clone()
                .or_else(|| inherited_city.clone())
                .unwrap_or_default(),
            region: doc.region.clone().or_else(|| inherited_region.clone()),
            image_alt: doc.image_alt.clone().or_else(|| inherited_alt.clone()),
            doc,
        });
    }
    let order = |l: &str| {
        config
            .languages
            .iter()
            .position(|x| x == l)
            .unwrap_or(usize::MAX)
    };
    versions.sort_by_key(|v| order(&v.doc.lang));
    if versions.is_empty() {
        return None;
    }
    Some((
        Practice {
            slug,
            country: country.unwrap_or_default(),
            coordinates,
            programme,
            topics: topics.unwrap_or_default(),
            level,
            start,
            end,
            budget,
            image,
            versions,
            related: Vec::new(),
            related_explicit: Vec::new(),
            similar: Vec::new(),
            adapted_by: Vec::new(),
            adapted_from: Vec::new(),
        },
        related_slugs.unwrap_or_default(),
        adapted_by.unwrap_or_default(),
    ))
}

/// Sort key for catalogue order: newest first, then by title and slug.
fn entry_key<'a>(
    p: &'a Practice,
    v: &'a Version,
) -> (std::cmp::Reverse<PartialDate>, String, &'a str) {
    (
        std::cmp::Reverse(v.published),
        v.title.to_lowercase(),
        &p.slug,
    )
}

fn listing(config: &Config, practices: &[Practice], lang: &str) -> Listing {
    let mut entries: Vec<Entry> = Vec::with_capacity(practices.len());
    for (i, p) in practices.iter().enumerate() {
        match p.versions.iter().position(|v| v.doc.lang == lang) {
            Some(v) => entries.push(Entry {
                practice: i,
                version: v,
                fallback: false,
            }),
            None if config.untranslated == Untranslated::Fallback => {
                let v = p
                    .versions
                    .iter()
                    .position(|v| v.doc.lang == config.default_language)
                    .unwrap_or(0);
                entries.push(Entry {
                    practice: i,
                    version: v,
                    fallback: true,
                });
            }
            None => {}
        }
    }
    let mut keyed: Vec<_> = entries
        .into_iter()
        .map(|e| {
            let p = &practices[e.practice];
            (entry_key(p, &p.versions[e.version]), e)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    let entries: Vec<Entry> = keyed.into_iter().map(|(_, e)| e).collect();

    let taxonomies = Taxonomy::ALL
        .iter()
        .map(|&taxonomy| {
            let mut terms: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for (i, e) in entries.iter().enumerate() {
                for t in taxonomy.terms_of(&practices[e.practice]) {
                    terms.entry(t).or_default().push(i);
                }
            }
            let mut terms: Vec<(String, Vec<usize>)> = terms.into_iter().collect();
            let vocab_pos = |key: &str| match taxonomy {
                Taxonomy::Topics => config.topics.position(key).unwrap_or(usize::MAX),
                Taxonomy::Programmes => config.programmes.position(key).unwrap_or(usize::MAX),
                Taxonomy::Levels => Level::ALL
                    .iter()
                    .position(|l| l.key() == key)
                    .unwrap_or(usize::MAX),
                Taxonomy::Countries => 0,
            };
            terms.sort_by(|a, b| {
                vocab_pos(&a.0)
                    .cmp(&vocab_pos(&b.0))
                    .then_with(|| a.0.cmp(&b.0))
            });
            TermList { taxonomy, terms }
        })
        .collect();
    Listing {
        entries,
        taxonomies,
    }
}
