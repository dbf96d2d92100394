//! `casebook.yaml`: the site configuration, validated, with every problem located.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::input::control_chars;
use crate::input::files::{self, MAX_TEXT_FILE_BYTES, SiteRoot};
use crate::input::yaml::{SpannedMap, YamlSource};
pub use fallback::Fallbacks;
pub use fields::{
    BUILT_IN_FACETS, BUILT_IN_FIELDS, FacetSpec, FieldKind, FieldSpec, is_field_name,
};
pub use settings::{is_language_code, is_slug};
use texts::{lang_text, vocabulary};

mod fallback;
mod fields;
mod settings;
mod texts;

/// The configuration file name at the site root.
pub const CONFIG_FILE: &str = "casebook.yaml";

/// The most languages a site may have (the European Union has 24 official languages).
pub const MAX_LANGUAGES: usize = 100;

/// The most terms a vocabulary (`topics`, `programmes`) may declare: a controlled
/// vocabulary is a list people choose from, and each term gets a page per language.
pub const MAX_TERMS: usize = 1_000;

/// What a language's catalogue does with practices that have no version in that language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Untranslated {
    /// List them, marked with the language they are available in.
    Fallback,
    /// Leave them out.
    Hide,
}

/// The share card (`og:image`) of a practice without a photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ShareCards {
    /// The theme's image (`img/share.png`), the same for every page.
    #[default]
    Generic,
    /// A card casebook draws per practice and language (title, place, locator map) from the
    /// theme's `share-card.svg` (see [`crate::images::share_card`]).
    Drawn,
}

/// Text given per language, e.g. the site title.
#[derive(Debug, Clone, Default)]
pub struct LangText(pub BTreeMap<String, String>);

impl LangText {
    /// The text in `lang`, else in the first language of `fallbacks` that has one
    /// ([`Config::fallbacks`]), else any.
    pub fn get(&self, lang: &str, fallbacks: &[String]) -> &str {
        self.0
            .get(lang)
            .or_else(|| fallbacks.iter().find_map(|l| self.0.get(l)))
            .or_else(|| self.0.values().next())
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// One declared term of a controlled vocabulary.
#[derive(Debug, Clone)]
pub struct Term {
    /// The key used in front matter and URLs, e.g. `poverty`.
    pub key: String,
    /// Label per language.
    pub labels: BTreeMap<String, String>,
    /// Where casebook.yaml declares it.
    pub location: Location,
}

/// A controlled vocabulary (topics, programmes), in declaration order.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// The terms, in the order casebook.yaml declares them.
    pub terms: Vec<Term>,
}

impl Vocabulary {
    /// Position of `key` in the vocabulary.
    pub fn position(&self, key: &str) -> Option<usize> {
        self.terms.iter().position(|t| t.key == key)
    }

    /// The label of `key` in `lang`, else in the first language of `fallbacks` that has one
    /// ([`Config::fallbacks`]), else the key.
    pub fn label<'a>(&'a self, key: &'a str, lang: &str, fallbacks: &[String]) -> &'a str {
        match self.terms.iter().find(|t| t.key == key) {
            Some(t) => t
                .labels
                .get(lang)
                .or_else(|| fallbacks.iter().find_map(|l| t.labels.get(l)))
                .map(String::as_str)
                .unwrap_or(key),
            None => key,
        }
    }

    /// Every key.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().map(|t| t.key.as_str())
    }
}

/// Markdown options.
#[derive(Debug, Clone, Default)]
pub struct MarkdownConfig {
    /// Pass raw HTML in Markdown through unchanged. Off by default: raw HTML is shown as text.
    pub unsafe_html: bool,
}

/// What the site does with translations.
#[derive(Debug, Clone)]
pub struct TranslationsConfig {
    /// Whether the page of a translation made from an older version of its source says so,
    /// with a link to the source (on unless `translations: { outdated_notice: false }`).
    pub outdated_notice: bool,
}

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Absolute URL of the published site, with a trailing slash.
    pub base_url: String,
    /// The language of files without a language suffix.
    pub default_language: String,
    /// Every site language, in menu order.
    pub languages: Vec<String>,
    /// Theme name, looked up in `themes/`.
    pub theme: String,
    /// What catalogues do with untranslated practices.
    pub untranslated: Untranslated,
    /// Per language, the languages shown instead when something is missing in it.
    pub fallback: Fallbacks,
    /// Practices per listing page.
    pub paginate: usize,
    /// Site title per language.
    pub title: LangText,
    /// Site description per language.
    pub description: LangText,
    /// Declared topics.
    pub topics: Vocabulary,
    /// Declared programmes.
    pub programmes: Vocabulary,
    /// The other vocabularies under `taxonomies:`, by name, for declared fields.
    pub vocabularies: BTreeMap<String, Vocabulary>,
    /// Practice fields the site declares, in declaration order.
    pub fields: Vec<FieldSpec>,
    /// The catalogue's facets, in display order.
    pub facets: Vec<FacetSpec>,
    /// Markdown options.
    pub markdown: MarkdownConfig,
    /// Translation options.
    pub translations: TranslationsConfig,
    /// The share card of practices without a photo.
    pub share_cards: ShareCards,
}

impl Config {
    /// The path of the URL prefix, e.g. `/casebook/` for `https://example.org/casebook/`.
    pub fn base_path(&self) -> &str {
        let after_scheme = self
            .base_url
            .split_once("://")
            .map(|(_, r)| r)
            .unwrap_or(&self.base_url);
        match after_scheme.find('/') {
            Some(i) => &after_scheme[i..],
            None => "/",
        }
    }

    /// The declared field called `name`.
    pub fn field(&self, name: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The vocabulary of a `term` or `terms` field.
    pub fn vocabulary_of(&self, field: &FieldSpec) -> Option<&Vocabulary> {
        field
            .vocabulary
            .as_deref()
            .and_then(|v| self.vocabularies.get(v))
    }

    /// Whether the catalogue offers the built-in facet `key` (`topics`, `countries`, …).
    pub fn has_facet(&self, key: &str) -> bool {
        self.facets.iter().any(|f| f.key() == key)
    }

    /// Whether `lang` is a site language.
    pub fn has_language(&self, lang: &str) -> bool {
        self.languages.iter().any(|l| l == lang)
    }

    /// The languages to try, in order, for what is missing in `lang`: its `fallback:`
    /// chain, then the default language.
    pub fn fallbacks(&self, lang: &str) -> &[String] {
        self.fallback.of(lang)
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawText {
    One(String),
    PerLanguage(BTreeMap<String, String>),
}

/// `taxonomies:`: each vocabulary by name, its terms with their labels.
type RawTaxonomies = SpannedMap<Option<SpannedMap<Spanned<BTreeMap<String, String>>>>>;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMarkdown {
    unsafe_html: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawTranslations {
    outdated_notice: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    base_url: Option<Spanned<String>>,
    default_language: Option<Spanned<String>>,
    languages: Option<Spanned<Vec<Spanned<String>>>>,
    theme: Option<Spanned<String>>,
    untranslated: Option<Spanned<String>>,
    fallback: Option<fallback::RawFallbacks>,
    paginate: Option<Spanned<i64>>,
    title: Option<Spanned<RawText>>,
    description: Option<Spanned<RawText>>,
    taxonomies: Option<RawTaxonomies>,
    fields: Option<Spanned<SpannedMap<Spanned<fields::RawField>>>>,
    facets: Option<Spanned<Vec<Spanned<fields::RawFacet>>>>,
    markdown: Option<RawMarkdown>,
    translations: Option<RawTranslations>,
    share_cards: Option<Spanned<String>>,
}

/// Loads and validates `casebook.yaml` from the site root. Returns the config (when usable)
/// and every problem found.
pub fn load(root: &Path, base_url_override: Option<&str>) -> (Option<Config>, Vec<Diagnostic>) {
    let file = PathBuf::from(CONFIG_FILE);
    let path = root.join(CONFIG_FILE);
    let read = match std::fs::symlink_metadata(&path) {
        // A missing file is not the site's folder: say how to find it.
        Err(e) => Err(e),
        Ok(_) => match SiteRoot::new(root).read(&path, MAX_TEXT_FILE_BYTES) {
            Ok(bytes) => Ok(bytes),
            Err(refusal) => return (None, vec![refusal.diagnostic(&file)]),
        },
    };
    let text = match read {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                let d = Diagnostic::new(Code::NotUtf8, "casebook.yaml is not valid UTF-8")
                    .at(Location::file(&file))
                    .hint("save the file as UTF-8");
                return (None, vec![d]);
            }
        },
        Err(e) => {
            let d = Diagnostic::new(Code::ConfigInvalid, format!("cannot read {}: {e}", path.display()))
                .hint("run casebook from the site's root, or pass `--root DIR`; a site has casebook.yaml at its root");
            return (None, vec![d]);
        }
    };
    let text = files::normalize_line_breaks(text);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    parse(text, &file, base_url_override)
}

/// Parses configuration text; `file` names it in diagnostics.
pub fn parse(
    text: &str,
    file: &Path,
    base_url_override: Option<&str>,
) -> (Option<Config>, Vec<Diagnostic>) {
    if let Some(d) = control_chars::scan(text, file) {
        return (None, vec![d]);
    }
    let src = YamlSource {
        text,
        file_text: text,
        file,
        first_line: 1,
    };
    let raw: RawConfig = match src.parse() {
        Ok(r) => r,
        Err(mut d) => {
            if d.code == Code::YamlSyntax
                || d.code == Code::WrongType
                || d.code == Code::UnknownField
            {
                // The YAML reader's hints speak of front matter; this is the configuration.
                d.hint = Some(match d.hint {
                    Some(h) => h.replace(
                        "the front matter reference in README.md",
                        "\"Site configuration\" in README.md",
                    ),
                    None => "see \"Site configuration\" in README.md".into(),
                });
            }
            return (None, vec![d]);
        }
    };
    let mut diags = Vec::new();
    let whole = Location::new(file, 1, 1);
    let Some((languages, default_language)) = settings::languages(&src, &raw, &whole, &mut diags)
    else {
        return (None, diags);
    };
    let base_url = settings::base_url(&src, base_url_override, &raw, &whole, &mut diags);
    let theme = settings::theme(&src, &raw, &mut diags);
    let untranslated = settings::untranslated(&src, &raw, &mut diags);
    let fallback = fallback::fallbacks(
        &src,
        raw.fallback.as_ref(),
        &languages,
        &default_language,
        &mut diags,
    );
    let paginate = settings::paginate(&src, &raw, &mut diags);
    let share_cards = settings::share_cards(&src, &raw, &mut diags);

    let title = lang_text(
        &src,
        raw.title.as_ref(),
        "title",
        &languages,
        &fallback,
        &mut diags,
    );
    let description = lang_text(
        &src,
        raw.description.as_ref(),
        "description",
        &languages,
        &fallback,
        &mut diags,
    );
    let mut vocabularies = BTreeMap::new();
    for (name, terms) in raw.taxonomies.unwrap_or_default().0 {
        if !is_slug(&name.value) {
            diags.push(
                src.diag(Code::ConfigInvalid, &name, format!("`{}` is not a valid vocabulary name", name.value))
                    .hint("a vocabulary's name is used in URLs: lowercase letters, digits and hyphens, e.g. `organisation-types`"),
            );
            continue;
        }
        if vocabularies.contains_key(&name.value) {
            diags.push(
                src.diag(
                    Code::ConfigInvalid,
                    &name,
                    format!("the vocabulary `{}` is declared twice", name.value),
                )
                .hint("delete one of the two declarations"),
            );
            continue;
        }
        let vocab = vocabulary(&src, terms, &name.value, &languages, &fallback, &mut diags);
        vocabularies.insert(name.value.clone(), (name, vocab));
    }
    let mut take = |name: &str| {
        vocabularies
            .remove(name)
            .map(|(_, v)| v)
            .unwrap_or_default()
    };
    let topics = take("topics");
    let programmes = take("programmes");
    let vocabulary_places: Vec<(String, Location)> = vocabularies
        .iter()
        .map(|(k, (name, _))| (k.clone(), src.at(name)))
        .collect();
    let vocabularies: BTreeMap<String, Vocabulary> =
        vocabularies.into_iter().map(|(k, (_, v))| (k, v)).collect();
    let fields = fields::fields(
        &src,
        raw.fields,
        &vocabularies,
        &languages,
        &fallback,
        &mut diags,
    );
    let facets = fields::facets(&src, raw.facets, &fields, &mut diags);
    for (name, location) in &vocabulary_places {
        if !fields
            .iter()
            .any(|f| f.vocabulary.as_deref() == Some(name.as_str()))
        {
            let guess = crate::suggest::closest(name, ["topics", "programmes"]);
            diags.push(
                Diagnostic::new(
                    Code::UnusedVocabulary,
                    format!("the vocabulary `{name}` is used by no field"),
                )
                .at(location.clone())
                .hint(match guess {
                    Some(g) => format!("did you mean `{g}`? Otherwise declare a field of `type: term` or `terms` with `vocabulary: {name}`"),
                    None => format!("declare a field of `type: term` or `terms` with `vocabulary: {name}`, or remove the vocabulary"),
                }),
            );
        }
    }
    if topics.terms.is_empty() && !diags.iter().any(|d| d.is_error()) {
        diags.push(
            Diagnostic::new(Code::MissingField, "casebook.yaml declares no topics")
                .at(whole)
                .hint("declare the topics under `taxonomies: topics:`, each with a label per language"),
        );
    }

    let config = Config {
        base_url,
        default_language,
        languages,
        theme,
        untranslated,
        fallback,
        paginate,
        title,
        description,
        topics,
        programmes,
        vocabularies,
        fields,
        facets,
        markdown: MarkdownConfig {
            unsafe_html: raw.markdown.and_then(|m| m.unsafe_html).unwrap_or(false),
        },
        translations: TranslationsConfig {
            outdated_notice: raw
                .translations
                .and_then(|t| t.outdated_notice)
                .unwrap_or(true),
        },
        share_cards,
    };
    let ok = !diags.iter().any(Diagnostic::is_error);
    (ok.then_some(config), diags)
}

#[cfg(test)]
mod tests;
