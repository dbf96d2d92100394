//! Typed front matter plus rendered body for each content file, checked field by field.

pub mod draft;
pub mod highlight;
pub mod limits;
pub mod link_target;
pub mod markdown;
pub mod sanitize;
mod stray_fence;
pub mod translatable;
mod values;
pub mod words;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::escape::close_bidi;
use crate::input::config::Config;
use crate::input::content::{Section, SourceFile};
use crate::input::dates::{PartialDate, RawDate};
use crate::input::front_matter::{self, SplitError};
use crate::input::yaml::YamlSource;
use markdown::{MarkdownOptions, Rendered};

/// The longest summary allowed, in characters.
pub const MAX_SUMMARY_CHARS: usize = 300;

/// A value with the place it was written. Two located values are equal when their values
/// are, wherever they were written: `related: [a]` in two translations agrees.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub location: Location,
}

impl<T: PartialEq> PartialEq for Located<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

/// How far a practice reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    /// A city or municipality.
    Local,
    /// A region or province.
    Regional,
    /// A country.
    National,
}

impl Level {
    /// Every level, in order.
    pub const ALL: [Level; 3] = [Level::Local, Level::Regional, Level::National];

    /// The key used in front matter and URLs.
    pub fn key(self) -> &'static str {
        match self {
            Level::Local => "local",
            Level::Regional => "regional",
            Level::National => "national",
        }
    }

    fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.key() == s)
    }
}

/// Money given to a practice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Budget {
    /// Total budget.
    pub total: Option<f64>,
    /// EU contribution.
    pub eu: Option<f64>,
    /// ISO 4217 currency code.
    pub currency: String,
}

/// The organisation behind a practice.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Owner {
    /// Its name.
    pub organisation: String,
    /// Its website.
    pub url: Option<String>,
}

/// A headline number.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KeyFigure {
    /// The number, as text (`3,700`, `84%`).
    pub value: String,
    /// What it counts.
    pub label: String,
}

/// An illustrative image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Image {
    /// Path under `static/`, or an absolute https URL.
    pub src: Located<String>,
    /// Alternative text.
    pub alt: Option<String>,
}

/// The facets: what describes the practice rather than the language. Shared by translations.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Facets {
    /// ISO 3166-1 alpha-2, uppercase.
    pub country: Option<Located<String>>,
    /// `[lat, lon]`.
    pub coordinates: Option<Located<(f64, f64)>>,
    /// A programme term.
    pub programme: Option<Located<String>>,
    /// Topic terms.
    pub topics: Option<Located<Vec<String>>>,
    /// Reach.
    pub level: Option<Located<Level>>,
    /// Start date.
    pub start: Option<Located<PartialDate>>,
    /// End date.
    pub end: Option<Located<PartialDate>>,
    /// Money.
    pub budget: Option<Located<Budget>>,
    /// Slugs of related practices.
    pub related: Option<Located<Vec<Located<String>>>>,
    /// Cities, or slugs of practices, that took this practice over.
    pub adapted_by: Option<Located<Vec<Located<String>>>>,
    /// Image path (its alt text is per language).
    pub image: Option<Located<String>>,
}

/// The text of a content file, to show the offending line of problems found after parsing.
/// Parsed files are not kept in memory (10,000 practices in three languages are 200 MB of
/// text): the file is read again the first time a problem needs it, which is rare.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SourceText {
    path: PathBuf,
    /// xxh3 of the text that was parsed.
    hash: u64,
    #[serde(skip)]
    text: OnceLock<Arc<str>>,
}

impl SourceText {
    /// The file at `path`, whose text (without a byte-order mark) was `parsed`; read again
    /// when needed.
    pub fn lazy(path: &Path, parsed: &str) -> SourceText {
        SourceText {
            path: path.to_path_buf(),
            hash: xxhash_rust::xxh3::xxh3_64(parsed.as_bytes()),
            text: OnceLock::new(),
        }
    }

    /// The xxh3 hash of the text that was parsed.
    pub fn hash(&self) -> u64 {
        self.hash
    }

    /// The text read from the file now, if it is still the text that was parsed: `None`
    /// when the file changed (or went away) since.
    pub fn read_unchanged(&self) -> Option<String> {
        self.read_now()
            .filter(|t| xxhash_rust::xxh3::xxh3_64(t.as_bytes()) == self.hash)
    }

    /// The text read from the file now, and not kept; `None` if it can no longer be read.
    pub fn read_now(&self) -> Option<String> {
        let bytes =
            crate::input::files::read_regular(&self.path, crate::input::files::MAX_TEXT_FILE_BYTES)
                .ok()?;
        let text = String::from_utf8(bytes).ok()?;
        Some(crate::input::files::normalize_line_breaks(
            match text.strip_prefix('\u{feff}') {
                Some(t) => t.to_string(),
                None => text,
            },
        ))
    }

    /// The text; empty if the file can no longer be read.
    pub fn get(&self) -> &str {
        self.text
            .get_or_init(|| Arc::from(self.read_now().unwrap_or_default()))
    }
}

impl std::ops::Deref for SourceText {
    type Target = str;

    fn deref(&self) -> &str {
        self.get()
    }
}

/// A hash of a file's text before `body_offset`.
fn front_matter_hash(text: &str, body_offset: usize) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.get(..body_offset).unwrap_or(text).as_bytes())
}

/// One practice file, parsed and checked on its own.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PracticeDoc {
    /// Slug.
    pub slug: String,
    /// Language.
    pub lang: String,
    /// File, relative to the site root.
    pub rel: PathBuf,
    /// Where the front matter starts (for "missing field" errors).
    pub front_matter_at: Location,
    /// Title.
    pub title: Option<String>,
    /// Subtitle.
    pub subtitle: Option<String>,
    /// City, in this language's spelling.
    pub city: Option<String>,
    /// Region, in this language's spelling.
    pub region: Option<String>,
    /// Shared facets given in this file.
    pub facets: Facets,
    /// Partners.
    pub partners: Vec<String>,
    /// Owner.
    pub owner: Option<Owner>,
    /// Key figures.
    pub key_figures: Vec<KeyFigure>,
    /// Summary.
    pub summary: Option<String>,
    /// Date published in the catalogue.
    pub published: Option<PartialDate>,
    /// Date last updated.
    pub updated: Option<PartialDate>,
    /// Draft.
    pub draft: bool,
    /// Image alt text in this language.
    pub image_alt: Option<String>,
    /// The fingerprint of the source version this translation was made from
    /// (`translated_from`), where it records one.
    pub translated_from: Option<Located<String>>,
    /// The fingerprint of this file's translatable content ([`translatable::fingerprint`]).
    pub fingerprint: String,
    /// Rendered body, shared: documents are cloned cheaply (serve keeps them between
    /// rebuilds).
    pub body: Arc<Rendered>,
    /// File line of the body's first line.
    pub body_line: usize,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
    /// A hash of the front matter's text (everything before the body): two versions of a
    /// file with the same hash differ only in their body.
    pub front_matter_hash: u64,
    /// The whole file, to show the offending line of problems found after parsing.
    pub source: SourceText,
}

/// One static page file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PageDoc {
    /// Slug.
    pub slug: String,
    /// Language.
    pub lang: String,
    /// File, relative to the site root.
    pub rel: PathBuf,
    /// Title.
    pub title: String,
    /// One-paragraph summary, used as the meta description.
    pub summary: Option<String>,
    /// Position in the navigation; pages without it are not in the menu.
    pub menu: Option<i64>,
    /// Shorter title for the navigation.
    pub menu_title: Option<String>,
    /// Draft.
    pub draft: bool,
    /// The fingerprint of the source version this translation was made from
    /// (`translated_from`), where it records one.
    pub translated_from: Option<Located<String>>,
    /// The fingerprint of this file's translatable content ([`translatable::fingerprint`]).
    pub fingerprint: String,
    /// Rendered body, shared: documents are cloned cheaply (serve keeps them between
    /// rebuilds).
    pub body: Arc<Rendered>,
    /// File line of the body's first line.
    pub body_line: usize,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
    /// A hash of the front matter's text (everything before the body): two versions of a
    /// file with the same hash differ only in their body.
    pub front_matter_hash: u64,
    /// The whole file, to show the offending line of problems found after parsing.
    pub source: SourceText,
}

/// A parsed content file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Document {
    /// A practice.
    Practice(Box<PracticeDoc>),
    /// A static page.
    Page(Box<PageDoc>),
    /// A draft that did not parse or check: left out of a build without drafts, which
    /// reports its problems as warnings.
    BrokenDraft(Box<draft::BrokenDraft>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBudget {
    total: Option<Spanned<f64>>,
    eu: Option<Spanned<f64>>,
    currency: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImage {
    src: Option<Spanned<String>>,
    alt: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPractice {
    title: Option<Spanned<String>>,
    subtitle: Option<Spanned<String>>,
    city: Option<Spanned<String>>,
    region: Option<Spanned<String>>,
    country: Option<Spanned<String>>,
    coordinates: Option<Spanned<(f64, f64)>>,
    programme: Option<Spanned<String>>,
    topics: Option<Spanned<Vec<Spanned<String>>>>,
    level: Option<Spanned<String>>,
    start: Option<Spanned<RawDate>>,
    end: Option<Spanned<RawDate>>,
    budget: Option<Spanned<RawBudget>>,
    partners: Option<Spanned<Vec<Spanned<String>>>>,
    owner: Option<Spanned<Owner>>,
    key_figures: Option<Spanned<Vec<Spanned<KeyFigure>>>>,
    summary: Option<Spanned<String>>,
    published: Option<Spanned<RawDate>>,
    updated: Option<Spanned<RawDate>>,
    draft: Option<bool>,
    related: Option<Spanned<Vec<Spanned<String>>>>,
    adapted_by: Option<Spanned<Vec<Spanned<String>>>>,
    image: Option<Spanned<RawImage>>,
    translated_from: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    title: Option<Spanned<String>>,
    summary: Option<Spanned<String>>,
    menu: Option<i64>,
    menu_title: Option<Spanned<String>>,
    draft: Option<bool>,
    translated_from: Option<Spanned<String>>,
}

/// Whether a parsed document keeps the HTML of its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyHtml {
    /// Rendered and kept (serve keeps documents between rebuilds and compares bodies).
    Kept,
    /// Left out ([`markdown::scan`]) and rendered again from the file when its page is
    /// rendered, so that a full build never holds the HTML of every body at once.
    Deferred,
}

/// Parses and checks one file, keeping its body's HTML. Every problem found is returned,
/// not just the first.
pub fn parse(file: &SourceFile, config: &Config) -> Result<Document, Vec<Diagnostic>> {
    parse_as(file, config, BodyHtml::Kept)
}

/// [`parse`], keeping or deferring the HTML of the body. A draft with problems is a
/// [`Document::BrokenDraft`].
pub fn parse_as(
    file: &SourceFile,
    config: &Config,
    html: BodyHtml,
) -> Result<Document, Vec<Diagnostic>> {
    parse_checked(file, config, html).or_else(|problems| {
        draft::BrokenDraft::of(file, problems).map(|d| Document::BrokenDraft(Box::new(d)))
    })
}

fn parse_checked(
    file: &SourceFile,
    config: &Config,
    html: BodyHtml,
) -> Result<Document, Vec<Diagnostic>> {
    let split = front_matter::split(&file.text).map_err(|e| {
        vec![match e {
            SplitError::Missing => Diagnostic::new(Code::FrontMatterMissing, "file does not start with front matter")
                .at_source(Location::new(&file.rel, 1, 1), &file.text, 3)
                .hint("start the file with a line `---`, then the fields (`title: …`), then another `---` line, then the text"),
            SplitError::Unclosed => Diagnostic::new(Code::FrontMatterUnclosed, "front matter is not closed")
                .at_source(Location::new(&file.rel, 1, 1), &file.text, 3)
                .hint("add a line with only `---` after the last field"),
        }]
    })?;
    // Control characters typed anywhere in the file, front matter or body.
    if let Some(d) = crate::input::control_chars::scan(&file.text, &file.rel) {
        return Err(vec![d]);
    }
    if let Some(d) = stray_fence::fields_below(file, &split) {
        return Err(vec![d]);
    }
    let src = YamlSource {
        text: split.yaml,
        file_text: &file.text,
        file: &file.rel,
        first_line: split.yaml_line,
    };
    let md = MarkdownOptions::of(config);
    let render = |body: &str| match html {
        BodyHtml::Kept => markdown::render(body, md),
        BodyHtml::Deferred => markdown::scan(body, md),
    };
    match file.section {
        Section::Practices => {
            let raw: RawPractice = src.parse().map_err(|d| vec![d])?;
            let body = Arc::new(render(split.body));
            practice(file, config, &src, raw, body, &split).map(|p| Document::Practice(Box::new(p)))
        }
        Section::Pages => {
            let raw: RawPage = src.parse().map_err(|d| vec![d])?;
            let texts = [
                ("title", &raw.title),
                ("summary", &raw.summary),
                ("menu_title", &raw.menu_title),
            ];
            let escaped = texts
                .into_iter()
                .filter_map(|(field, s)| Some((field, s.as_ref()?)))
                .find_map(|(field, s)| values::control_char(&src, field, s));
            if let Some(d) = escaped {
                return Err(vec![d]);
            }
            let body = Arc::new(render(split.body));
            let Some(title) = raw.title.filter(|t| !t.value.trim().is_empty()) else {
                return Err(vec![missing(file, "title", &title_example(file))]);
            };
            let translated_from =
                translated_from(&src, raw.translated_from).map_err(|d| vec![d])?;
            let mut doc = PageDoc {
                slug: file.slug.clone(),
                lang: file.lang.clone(),
                rel: file.rel.clone(),
                title: close_bidi(&title.value),
                summary: raw.summary.map(|s| close_bidi(s.value.trim())),
                menu: raw.menu,
                menu_title: raw
                    .menu_title
                    .map(|s| close_bidi(s.value.trim()))
                    .filter(|s| !s.is_empty()),
                draft: raw.draft.unwrap_or(false),
                translated_from,
                fingerprint: String::new(),
                body,
                body_line: split.body_line,
                body_offset: split.body_offset,
                front_matter_hash: front_matter_hash(&file.text, split.body_offset),
                source: SourceText::lazy(&file.path, &file.text),
            };
            doc.fingerprint =
                translatable::fingerprint(&translatable::page_texts(&doc), split.body);
            Ok(Document::Page(Box::new(doc)))
        }
    }
}

/// The `translated_from` of a file, checked: a fingerprint as casebook writes it.
fn translated_from(
    src: &YamlSource,
    value: Option<Spanned<String>>,
) -> Result<Option<Located<String>>, Diagnostic> {
    let Some(v) = value else { return Ok(None) };
    let written = v.value.trim();
    if !translatable::is_fingerprint(written) {
        return Err(src
            .diag(
                Code::BadValue,
                &v,
                format!("`translated_from: {written}` is not a fingerprint casebook wrote"),
            )
            .hint("it records which version of the source this translation was made from; run `casebook translations mark FILE` to write it again once the translation is up to date"));
    }
    Ok(Some(Located {
        value: written.to_string(),
        location: src.at(&v),
    }))
}

/// The file line where front matter writes `field:` without a value, if it does.
pub fn empty_field_line(text: &str, field: &str) -> Option<usize> {
    text.lines()
        .enumerate()
        .skip(1)
        .take_while(|(_, l)| l.trim_end() != "---")
        .find(|(_, l)| {
            l.strip_prefix(field)
                .and_then(|rest| rest.strip_prefix(':'))
                .is_some_and(|v| v.trim().is_empty() || v.trim_start().starts_with('#'))
        })
        .map(|(i, _)| i + 1)
}

/// `title: Housing First` for `housing-first.md`: an example made from the file's slug.
fn title_example(file: &SourceFile) -> String {
    format!(
        "title: {}",
        crate::input::file_name::title_from_slug(&file.slug)
    )
}

fn missing(file: &SourceFile, field: &str, example: &str) -> Diagnostic {
    // A field written without a value (`summary:`) is pointed at where it is written.
    if let Some(line) = empty_field_line(&file.text, field) {
        return Diagnostic::new(
            Code::MissingField,
            format!("required field `{field}` has no value"),
        )
        .at_source(Location::new(&file.rel, line, 1), &file.text, field.len())
        .hint(format!("write it on this line, e.g. `{example}`"));
    }
    Diagnostic::new(
        Code::MissingField,
        format!("missing required field `{field}`"),
    )
    .at_source(Location::new(&file.rel, 1, 1), &file.text, 3)
    .hint(format!("add `{example}` between the `---` lines"))
}

fn practice(
    file: &SourceFile,
    config: &Config,
    src: &YamlSource,
    raw: RawPractice,
    body: Arc<Rendered>,
    split: &front_matter::Split,
) -> Result<PracticeDoc, Vec<Diagnostic>> {
    let mut diags: Vec<Diagnostic> = values::control_chars(src, &raw).into_iter().collect();
    let topics = limits::within(src, raw.topics, "topics", &mut diags);
    let related = limits::within(src, raw.related, "related", &mut diags);
    let adapted_by = limits::within(src, raw.adapted_by, "adapted_by", &mut diags);
    let partners = limits::within(src, raw.partners, "partners", &mut diags);
    let key_figures = limits::within(src, raw.key_figures, "key_figures", &mut diags);
    let text =
        |s: Option<Spanned<String>>, diags: &mut Vec<Diagnostic>, field: &str| -> Option<String> {
            let s = s?;
            if s.value.trim().is_empty() {
                diags.push(
                    src.diag(Code::BadValue, &s, format!("`{field}` is empty"))
                        .hint(format!("write a value, or remove `{field}`")),
                );
                return None;
            }
            Some(s.value.trim().to_string())
        };

    let title = raw.title.clone();
    let title = text(title, &mut diags, "title");
    if raw.title.is_none() {
        diags.push(missing(file, "title", &title_example(file)));
    }
    let summary = match raw.summary {
        None => {
            diags.push(missing(
                file,
                "summary",
                "summary: One paragraph of plain text, at most 300 characters.",
            ));
            None
        }
        Some(s) => {
            let trimmed = s.value.trim().to_string();
            let count = trimmed.chars().count();
            if count > MAX_SUMMARY_CHARS {
                diags.push(src.diag(Code::SummaryTooLong, &s, format!("summary has {count} characters; the limit is {MAX_SUMMARY_CHARS}"))
                    .hint("the summary is shown on cards and in search results: keep one or two sentences and move the rest to the body"));
            } else if trimmed.is_empty() {
                diags.push(
                    src.diag(Code::BadValue, &s, "`summary` is empty")
                        .hint("write one paragraph that says what the practice does"),
                );
            }
            Some(trimmed)
        }
    };
    let date = |d: Option<Spanned<RawDate>>,
                field: &str,
                full: bool,
                diags: &mut Vec<Diagnostic>|
     -> Option<Located<PartialDate>> {
        let d = d?;
        match PartialDate::read(&d.value, full) {
            Ok(date) if full && !date.is_full() => {
                let example = format!("{}-{:02}-01", date.year, date.month.unwrap_or(1));
                diags.push(
                    src.diag(
                        Code::BadDate,
                        &d,
                        format!("`{field}` needs a full date, not `{}`", date.iso()),
                    )
                    .hint(format!(
                        "write `{field}: YYYY-MM-DD`, e.g. `{field}: {example}`"
                    )),
                );
                None
            }
            Ok(date) => Some(Located {
                value: date,
                location: src.at(&d),
            }),
            Err(why) => {
                let hint = crate::input::dates::hint(&d.value, field, full);
                diags.push(
                    src.diag(Code::BadDate, &d, format!("bad date in `{field}`: {why}"))
                        .hint(hint),
                );
                None
            }
        }
    };
    let published = date(raw.published.clone(), "published", true, &mut diags).map(|d| d.value);
    if raw.published.is_none() {
        diags.push(missing(file, "published", "published: 2021-03-01"));
    }
    let updated = date(raw.updated, "updated", true, &mut diags).map(|d| d.value);
    let start = date(raw.start, "start", false, &mut diags);
    let end = date(raw.end, "end", false, &mut diags);
    if let (Some(s), Some(e)) = (&start, &end)
        && e.value < s.value
    {
        diags.push(
            Diagnostic::new(
                Code::BadDate,
                format!(
                    "`end` ({}) is before `start` ({})",
                    e.value.iso(),
                    s.value.iso()
                ),
            )
            .at_source(e.location.clone(), &file.text, e.value.iso().len())
            .hint("check the two dates"),
        );
    }

    let country = raw.country.and_then(|c| {
        let code = c.value.trim();
        if crate::input::countries::is_country_code(code) {
            Some(Located { value: code.to_string(), location: src.at(&c) })
        } else {
            let upper = code.to_ascii_uppercase();
            let hint = if crate::input::countries::is_country_code(&upper) {
                format!("country codes are uppercase: `country: {upper}`")
            } else {
                "use the ISO 3166-1 alpha-2 code, e.g. `country: ES` for Spain, `IT` for Italy, `GB` for the United Kingdom".into()
            };
            diags.push(src.diag(Code::UnknownCountry, &c, format!("`{code}` is not an ISO 3166-1 country code")).hint(hint));
            None
        }
    });
    let coordinates = raw.coordinates.and_then(|c| {
        let (lat, lon) = c.value;
        if lat.is_finite() && lon.is_finite() && (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) {
            Some(Located { value: (lat, lon), location: src.at(&c) })
        } else {
            diags.push(src.diag(Code::BadValue, &c, format!("coordinates [{lat}, {lon}] are not a place on Earth"))
                .hint("write `[latitude, longitude]` in degrees, latitude first: `coordinates: [45.07, 7.69]`"));
            None
        }
    });
    let term = |t: &Spanned<String>,
                vocab: &crate::input::config::Vocabulary,
                name: &str,
                diags: &mut Vec<Diagnostic>|
     -> bool {
        if vocab.position(&t.value).is_some() {
            return true;
        }
        let d = src.diag(
            Code::UnknownTerm,
            t,
            format!("unknown {name} `{}`", t.value),
        );
        let hint = match crate::suggest::closest(&t.value, vocab.keys()) {
            Some(best) => format!(
                "did you mean `{best}`? The {name}s are declared in casebook.yaml under `taxonomies`"
            ),
            None => format!(
                "declare it in casebook.yaml under `taxonomies`, or use one of: {}",
                vocab.keys().collect::<Vec<_>>().join(", ")
            ),
        };
        diags.push(d.hint(hint));
        false
    };
    let programme = raw.programme.and_then(|p| {
        term(&p, &config.programmes, "programme", &mut diags).then(|| Located {
            value: p.value.clone(),
            location: src.at(&p),
        })
    });
    let topics = topics.and_then(|ts| {
        if ts.value.is_empty() {
            diags.push(
                src.diag(Code::BadValue, &ts, "`topics` is empty")
                    .hint("give at least one topic, e.g. `topics: [poverty]`"),
            );
            return None;
        }
        let mut keys: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for t in &ts.value {
            if term(t, &config.topics, "topic", &mut diags) && seen.insert(t.value.as_str()) {
                keys.push(t.value.clone());
            }
        }
        Some(Located {
            value: keys,
            location: src.at(&ts),
        })
    });
    let level = raw.level.and_then(|l| match Level::parse(&l.value) {
        Some(level) => Some(Located {
            value: level,
            location: src.at(&l),
        }),
        None => {
            let hint = match crate::suggest::closest(&l.value, Level::ALL.map(Level::key)) {
                Some(best) => {
                    format!("did you mean `{best}`? Levels are local, regional and national")
                }
                None => "use `local`, `regional` or `national`".into(),
            };
            diags.push(
                src.diag(
                    Code::UnknownTerm,
                    &l,
                    format!("unknown level `{}`", l.value),
                )
                .hint(hint),
            );
            None
        }
    });
    let budget = raw.budget.and_then(|b| {
        let location = src.at(&b);
        let mut ok = true;
        for amount in [&b.value.total, &b.value.eu].into_iter().flatten() {
            if !amount.value.is_finite() || amount.value < 0.0 {
                diags.push(src.diag(Code::BadValue, amount, "a budget amount must be a positive number").hint("write plain numbers without separators: `total: 5100000`"));
                ok = false;
            }
        }
        let currency = match &b.value.currency {
            Some(c) if c.value.len() == 3 && c.value.bytes().all(|x| x.is_ascii_uppercase()) => c.value.clone(),
            Some(c) => {
                diags.push(src.diag(Code::BadValue, c, format!("`{}` is not an ISO 4217 currency code", c.value)).hint("e.g. `currency: EUR`"));
                ok = false;
                String::new()
            }
            None => "EUR".into(),
        };
        if b.value.total.is_none() && b.value.eu.is_none() {
            diags.push(src.diag(Code::BadValue, &b, "`budget` has no amount").hint("give `total`, `eu` or both: `budget: { total: 5100000, eu: 4080000, currency: EUR }`"));
            ok = false;
        }
        ok.then(|| Located {
            value: Budget { total: b.value.total.as_ref().map(|t| t.value), eu: b.value.eu.as_ref().map(|t| t.value), currency },
            location,
        })
    });
    let owner = raw.owner.and_then(|o| {
        if let Some(url) = &o.value.url
            && !is_web_url(url)
        {
            diags.push(
                src.diag(
                    Code::BadUrl,
                    &o,
                    format!("`owner.url` `{url}` is not a web address"),
                )
                .hint("write a full http(s) address, e.g. `url: https://www.comune.torino.it/`"),
            );
            return None;
        }
        Some(o.value)
    });
    let related = related.map(|r| Located {
        location: src.at(&r),
        value: r
            .value
            .iter()
            .map(|s| Located {
                value: s.value.clone(),
                location: src.at(s),
            })
            .collect(),
    });
    let adapted_by = adapted_by.map(|r| Located {
        location: src.at(&r),
        value: r
            .value
            .iter()
            .filter_map(|s| {
                let v = s.value.trim();
                if v.is_empty() {
                    diags.push(
                        src.diag(Code::BadValue, s, "an entry of `adapted_by` is empty")
                            .hint("list city names (`Terrassa`) or slugs of practices (`co-city`)"),
                    );
                    return None;
                }
                Some(Located {
                    value: v.to_string(),
                    location: src.at(s),
                })
            })
            .collect(),
    });
    let (image, image_alt) = match raw.image {
        None => (None, None),
        Some(img) => {
            let alt = img
                .value
                .alt
                .as_ref()
                .map(|a| a.value.trim().to_string())
                .filter(|a| !a.is_empty());
            if alt.is_none() {
                diags.push(src.diag(Code::ImageWithoutAlt, &img, "image has no alt text")
                    .hint("describe what the image shows for people who cannot see it: `image: { src: …, alt: \"Volunteers painting a mural\" }`"));
            }
            let src_path = img.value.src.as_ref().and_then(|s| {
                let v = s.value.trim();
                if let Some(under) = v.trim_start_matches('/').strip_prefix("static/") {
                    diags.push(src.diag(Code::BadUrl, s, format!("image `{v}` names static/, but `src` is already a path under static/"))
                        .hint(format!("write `src: {under}`")));
                    None
                } else if v.is_empty() || v.contains("..") || v.starts_with('/') && v.starts_with("//") || (v.contains(':') && !v.starts_with("https://")) {
                    diags.push(src.diag(Code::BadUrl, s, format!("image `{v}` is not a path under static/ or an https URL"))
                        .hint("put the image in static/ and write its path, e.g. `src: images/cumiana15.jpg`"));
                    None
                } else {
                    Some(Located { value: v.trim_start_matches('/').to_string(), location: src.at(s) })
                }
            });
            if img.value.src.is_none() {
                diags.push(
                    src.diag(Code::MissingField, &img, "image has no `src`")
                        .hint("e.g. `image: { src: images/cumiana15.jpg, alt: … }`"),
                );
            }
            (src_path, alt)
        }
    };
    let key_figures: Vec<KeyFigure> = key_figures
        .map(|k| k.value.into_iter().map(|f| f.value).collect())
        .unwrap_or_default();
    let translated_from = translated_from(src, raw.translated_from)
        .map_err(|d| diags.push(d))
        .ok()
        .flatten();
    if !diags.is_empty() {
        return Err(diags);
    }
    let mut doc = PracticeDoc {
        slug: file.slug.clone(),
        lang: file.lang.clone(),
        rel: file.rel.clone(),
        front_matter_at: Location::new(&file.rel, 1, 1),
        title,
        subtitle: raw
            .subtitle
            .map(|s| s.value.trim().to_string())
            .filter(|s| !s.is_empty()),
        city: raw
            .city
            .map(|s| s.value.trim().to_string())
            .filter(|s| !s.is_empty()),
        region: raw
            .region
            .map(|s| s.value.trim().to_string())
            .filter(|s| !s.is_empty()),
        facets: Facets {
            country,
            coordinates,
            programme,
            topics,
            level,
            start,
            end,
            budget,
            related,
            adapted_by,
            image,
        },
        partners: partners
            .map(|p| p.value.into_iter().map(|s| s.value).collect())
            .unwrap_or_default(),
        owner,
        key_figures,
        summary,
        published,
        updated,
        draft: raw.draft.unwrap_or(false),
        image_alt,
        translated_from,
        fingerprint: String::new(),
        body,
        body_line: split.body_line,
        body_offset: split.body_offset,
        front_matter_hash: front_matter_hash(&file.text, split.body_offset),
        source: SourceText::lazy(&file.path, &file.text),
    };
    close_bidi_in_texts(&mut doc);
    doc.fingerprint = translatable::fingerprint(&translatable::practice_texts(&doc), split.body);
    Ok(doc)
}

/// Closes the bidirectional controls each text of a practice leaves open (see
/// [`close_bidi`]), so that no field can reverse the text around it where it is shown.
fn close_bidi_in_texts(doc: &mut PracticeDoc) {
    let close = |s: &mut String| *s = close_bidi(s);
    for s in [
        &mut doc.title,
        &mut doc.subtitle,
        &mut doc.city,
        &mut doc.region,
    ]
    .into_iter()
    .chain([&mut doc.summary, &mut doc.image_alt])
    .flatten()
    {
        close(s);
    }
    doc.partners.iter_mut().for_each(close);
    if let Some(owner) = &mut doc.owner {
        close(&mut owner.organisation);
    }
    for figure in &mut doc.key_figures {
        close(&mut figure.value);
        close(&mut figure.label);
    }
    if let Some(places) = &mut doc.facets.adapted_by {
        places.value.iter_mut().for_each(|p| close(&mut p.value));
    }
}

/// Whether `url` is an absolute http(s) address.
pub fn is_web_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    matches!(rest, Some(r) if !r.is_empty() && !r.starts_with('/') && !url.chars().any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>'))
}
