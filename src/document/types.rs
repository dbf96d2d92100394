//! What a parsed content file is: a practice or a page, its fields typed, each shared
//! value with the place it was written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use super::draft;
use super::markdown::Rendered;
use crate::diagnostics::Location;
use crate::input::dates::PartialDate;

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

    pub(super) fn parse(s: &str) -> Option<Level> {
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
    /// The site's declared fields that are shared by translations, by name.
    pub declared: BTreeMap<String, Located<FieldValue>>,
    /// The point of the image to keep in cropped cards: fractions of its width and height.
    #[serde(default)]
    pub image_focus: Option<(f64, f64)>,
}

/// The value of a field the site declares, checked against its type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FieldValue {
    /// Plain text, or an http(s) address (`url`).
    Text(String),
    /// Markdown source, rendered where it is shown.
    Markdown(String),
    /// A number.
    Number(f64),
    /// A date.
    Date(PartialDate),
    /// `true` or `false`.
    Boolean(bool),
    /// Texts (`list`) or term keys (`terms`); a `term` is a list of one.
    List(Vec<String>),
}

impl FieldValue {
    /// The value as text, as an error message or a CSV cell shows it.
    pub fn show(&self) -> String {
        match self {
            FieldValue::Text(s) | FieldValue::Markdown(s) => s.clone(),
            FieldValue::Number(n) => crate::document::number_text(*n),
            FieldValue::Date(d) => d.iso(),
            FieldValue::Boolean(b) => b.to_string(),
            FieldValue::List(l) => l.join("; "),
        }
    }
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

    /// The same text, found at `path` now (the site's folder named another way).
    pub fn relocate(&mut self, path: &Path) {
        if self.path != path {
            self.path = path.to_path_buf();
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
pub(super) fn front_matter_hash(text: &str, body_offset: usize) -> u64 {
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
    /// The site's declared fields that are given per language, by name.
    pub declared: BTreeMap<String, Located<FieldValue>>,
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
    /// The fingerprint of this file's translatable content
    /// ([`super::translatable::fingerprint`]).
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
    /// The fingerprint of this file's translatable content
    /// ([`super::translatable::fingerprint`]).
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
    /// A translation a CMS wrote with nothing translated in it yet: left out, with a
    /// warning.
    Placeholder(Box<super::placeholder::Placeholder>),
}

impl Document {
    /// The document of the same file found at `path` now: a cached parse keeps the path
    /// the file was read at, which names the site's folder as that build did (`.`, or
    /// resolved).
    pub fn relocate(&mut self, path: &Path) {
        match self {
            Document::Practice(d) => d.source.relocate(path),
            Document::Page(d) => d.source.relocate(path),
            Document::BrokenDraft(_) | Document::Placeholder(_) => {}
        }
    }
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
