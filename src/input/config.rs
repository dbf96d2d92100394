//! `casebook.yaml`: the site configuration, validated, with every problem located.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::input::control_chars;
use crate::input::files::{self, MAX_TEXT_FILE_BYTES, SiteRoot};
use crate::input::yaml::{SpannedMap, YamlSource};

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

/// Text given per language, e.g. the site title.
#[derive(Debug, Clone, Default)]
pub struct LangText(pub BTreeMap<String, String>);

impl LangText {
    /// The text in `lang`, else in `default`, else any.
    pub fn get(&self, lang: &str, default: &str) -> &str {
        self.0
            .get(lang)
            .or_else(|| self.0.get(default))
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

    /// The label of `key` in `lang`, falling back to the default language and then the key.
    pub fn label<'a>(&'a self, key: &'a str, lang: &str, default: &str) -> &'a str {
        match self.terms.iter().find(|t| t.key == key) {
            Some(t) => t
                .labels
                .get(lang)
                .or_else(|| t.labels.get(default))
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
    /// Markdown options.
    pub markdown: MarkdownConfig,
    /// Translation options.
    pub translations: TranslationsConfig,
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

    /// Whether `lang` is a site language.
    pub fn has_language(&self, lang: &str) -> bool {
        self.languages.iter().any(|l| l == lang)
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawText {
    One(String),
    PerLanguage(BTreeMap<String, String>),
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawTaxonomies {
    topics: Option<SpannedMap<Spanned<BTreeMap<String, String>>>>,
    programmes: Option<SpannedMap<Spanned<BTreeMap<String, String>>>>,
}

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
    paginate: Option<Spanned<i64>>,
    title: Option<Spanned<RawText>>,
    description: Option<Spanned<RawText>>,
    taxonomies: Option<RawTaxonomies>,
    markdown: Option<RawMarkdown>,
    translations: Option<RawTranslations>,
}

/// Whether `code` looks like a language tag we accept: `es`, `ast`, `pt-br`.
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or("");
    let primary_ok =
        (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_lowercase());
    let rest_ok = parts.all(|p| {
        (2..=8).contains(&p.len())
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    });
    primary_ok && rest_ok && code.split('-').count() <= 2
}

/// Whether `key` is a valid vocabulary term or slug: lowercase ASCII letters, digits and
/// single hyphens.
pub fn is_slug(key: &str) -> bool {
    !key.is_empty()
        && !key.starts_with('-')
        && !key.ends_with('-')
        && !key.contains("--")
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
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
    let mut err = |d: Diagnostic| diags.push(d);

    // Languages.
    if let Some(list) = &raw.languages
        && list.value.len() > MAX_LANGUAGES
    {
        let mut d = src
            .diag(
                Code::ConfigInvalid,
                list,
                format!(
                    "`languages` lists {} languages; the limit is {MAX_LANGUAGES}",
                    list.value.len()
                ),
            )
            .hint(format!(
                "a site has at most {MAX_LANGUAGES} languages; list the ones it is written in"
            ));
        d.span_len = 1;
        return (None, vec![d]);
    }
    let mut languages: Vec<String> = Vec::new();
    match &raw.languages {
        Some(list) => {
            if list.value.is_empty() {
                err(src
                    .diag(Code::ConfigInvalid, list, "`languages` is empty")
                    .hint("list at least one language, e.g. `languages: [en]`"));
            }
            for l in &list.value {
                if !is_language_code(&l.value) {
                    err(src
                        .diag(
                            Code::ConfigInvalid,
                            l,
                            format!("`{}` is not a language code", l.value),
                        )
                        .hint("use lowercase ISO 639-1 codes such as `en`, `es`, `ca`, `it`"));
                } else if languages.contains(&l.value) {
                    err(src.diag(
                        Code::ConfigInvalid,
                        l,
                        format!("language `{}` is listed twice", l.value),
                    ));
                } else {
                    languages.push(l.value.clone());
                }
            }
        }
        None => err(
            Diagnostic::new(Code::MissingField, "casebook.yaml has no `languages`")
                .at(whole.clone())
                .hint("add e.g. `languages: [en, es]`"),
        ),
    }
    let default_language = match &raw.default_language {
        Some(d) if languages.contains(&d.value) => d.value.clone(),
        Some(d) => {
            err(src
                .diag(
                    Code::ConfigInvalid,
                    d,
                    format!("default language `{}` is not in `languages`", d.value),
                )
                .hint(format!(
                    "add it to `languages`, or choose one of: {}",
                    languages.join(", ")
                )));
            languages.first().cloned().unwrap_or_default()
        }
        None => languages.first().cloned().unwrap_or_default(),
    };

    // Base URL.
    let base_url = match (base_url_override, &raw.base_url) {
        (Some(o), _) => match normalize_base_url(o) {
            Ok(u) => u,
            Err(why) => {
                err(Diagnostic::new(
                    Code::ConfigInvalid,
                    format!(
                        "--base-url `{}` is not an absolute http(s) URL: {why}",
                        o.escape_debug()
                    ),
                )
                .hint("e.g. --base-url https://preview.example.org/pr-42/"));
                String::new()
            }
        },
        (None, Some(u)) => match normalize_base_url(&u.value) {
            Ok(url) => url,
            Err(why) => {
                err(src
                    .diag(
                        Code::ConfigInvalid,
                        u,
                        format!(
                            "`base_url` `{}` is not an absolute http(s) URL: {why}",
                            u.value.escape_debug()
                        ),
                    )
                    .hint("e.g. `base_url: https://practices.example.org/`"));
                String::new()
            }
        },
        (None, None) => {
            err(Diagnostic::new(Code::MissingField, "casebook.yaml has no `base_url`")
                .at(whole.clone())
                .hint("add e.g. `base_url: https://practices.example.org/`; it is used for canonical links, hreflang and the sitemap"));
            String::new()
        }
    };

    let theme = match &raw.theme {
        Some(t)
            if is_slug(&t.value)
                || t.value
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            t.value.clone()
        }
        Some(t) => {
            err(src
                .diag(
                    Code::ConfigInvalid,
                    t,
                    format!("`{}` is not a theme name", t.value),
                )
                .hint("a theme is a folder name under themes/, e.g. `theme: default`"));
            "default".into()
        }
        None => "default".into(),
    };

    let untranslated = match raw.untranslated.as_ref().map(|u| (u, u.value.as_str())) {
        None | Some((_, "fallback")) => Untranslated::Fallback,
        Some((_, "hide")) => Untranslated::Hide,
        Some((u, other)) => {
            err(src
                .diag(
                    Code::ConfigInvalid,
                    u,
                    format!("`untranslated: {other}` is not an option"),
                )
                .hint("use `fallback` (list it, marked with its language) or `hide`"));
            Untranslated::Fallback
        }
    };

    let paginate = match &raw.paginate {
        None => 24,
        Some(p) if (1..=10_000).contains(&p.value) => p.value as usize,
        Some(p) => {
            err(src
                .diag(
                    Code::ConfigInvalid,
                    p,
                    format!("`paginate: {}` is out of range", p.value),
                )
                .hint("use a number of practices per page between 1 and 10000, e.g. 24"));
            24
        }
    };

    let title = lang_text(
        &src,
        raw.title.as_ref(),
        "title",
        &languages,
        &default_language,
        &mut diags,
    );
    let description = lang_text(
        &src,
        raw.description.as_ref(),
        "description",
        &languages,
        &default_language,
        &mut diags,
    );
    let taxonomies = raw.taxonomies.unwrap_or_default();
    let topics = vocabulary(
        &src,
        taxonomies.topics,
        "topics",
        &languages,
        &default_language,
        &mut diags,
    );
    let programmes = vocabulary(
        &src,
        taxonomies.programmes,
        "programmes",
        &languages,
        &default_language,
        &mut diags,
    );
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
        paginate,
        title,
        description,
        topics,
        programmes,
        markdown: MarkdownConfig {
            unsafe_html: raw.markdown.and_then(|m| m.unsafe_html).unwrap_or(false),
        },
        translations: TranslationsConfig {
            outdated_notice: raw
                .translations
                .and_then(|t| t.outdated_notice)
                .unwrap_or(true),
        },
    };
    let ok = !diags.iter().any(Diagnostic::is_error);
    (ok.then_some(config), diags)
}

/// The published address, checked as a browser parses it, with a trailing slash; or why it
/// cannot be one.
fn normalize_base_url(text: &str) -> Result<String, String> {
    let text = text.trim();
    if let Some(c) = text.chars().find(|&c| c.is_control() || c.is_whitespace()) {
        return Err(match c {
            ' ' => "it holds a space".into(),
            c => format!("it holds the control character {}", control_chars::name(c)),
        });
    }
    if text.contains(['"', '<', '>', '\'', '\\', '`', '{', '}', '|', '^']) {
        return Err("it holds a character that is not allowed in an address".into());
    }
    let url = url::Url::parse(text).map_err(|e| match e {
        url::ParseError::InvalidPort => "the port is not a number from 1 to 65535".to_string(),
        e => e.to_string(),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("it is a `{}:` address, not http(s)", url.scheme()));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("it has no host".into());
    }
    if url.port() == Some(0) {
        return Err("the port is not a number from 1 to 65535".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("it holds a user name or password".into());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("it has a `?query` or `#fragment`".into());
    }
    let url = url.as_str();
    Ok(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

fn lang_text(
    src: &YamlSource,
    raw: Option<&Spanned<RawText>>,
    field: &str,
    languages: &[String],
    default: &str,
    diags: &mut Vec<Diagnostic>,
) -> LangText {
    let Some(raw) = raw else {
        return LangText::default();
    };
    let texts: Vec<&String> = match &raw.value {
        RawText::One(s) => vec![s],
        RawText::PerLanguage(map) => map.values().collect(),
    };
    if let Some(c) = texts
        .iter()
        .find_map(|t| control_chars::first_forbidden(t))
        .map(|(_, c)| c)
    {
        diags.push(control_chars::in_value(
            field,
            c,
            src.at(raw),
            src.file_text,
        ));
        return LangText::default();
    }
    match &raw.value {
        RawText::One(s) => LangText(languages.iter().map(|l| (l.clone(), s.clone())).collect()),
        RawText::PerLanguage(map) => {
            for lang in map.keys() {
                if !languages.contains(lang) {
                    diags.push(
                        src.diag(
                            Code::UnknownLanguage,
                            raw,
                            format!(
                                "`{field}` has text for `{lang}`, which is not a site language"
                            ),
                        )
                        .hint(format!("site languages: {}", languages.join(", "))),
                    );
                }
            }
            if !map.contains_key(default) && !default.is_empty() {
                diags.push(
                    src.diag(
                        Code::MissingLabel,
                        raw,
                        format!("`{field}` has no text in the default language `{default}`"),
                    )
                    .hint(format!("add `{default}: …` under `{field}`")),
                );
            } else if let Some(fallback) = map.get(default) {
                for lang in languages.iter().filter(|l| !map.contains_key(*l)) {
                    diags.push(
                        src.diag(
                            Code::MissingLabel,
                            raw,
                            format!("`{field}` has no text in `{lang}`"),
                        )
                        .hint(format!(
                            "add `{lang}: …` under `{field}`; until then pages in `{lang}` show \"{fallback}\""
                        )),
                    );
                }
            }
            LangText(map.clone())
        }
    }
}

fn vocabulary(
    src: &YamlSource,
    raw: Option<SpannedMap<Spanned<BTreeMap<String, String>>>>,
    name: &str,
    languages: &[String],
    default: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vocabulary {
    let mut vocab = Vocabulary::default();
    let raw = raw.unwrap_or_default().0;
    if let Some((first_past, _)) = raw.get(MAX_TERMS) {
        diags.push(
            src.diag(
                Code::ConfigInvalid,
                first_past,
                format!("`{name}` declares {} terms; the limit is {MAX_TERMS}", raw.len()),
            )
            .hint(format!(
                "declare at most {MAX_TERMS} {name}: a vocabulary is a list editors choose from; the first term past the limit is here"
            )),
        );
        return vocab;
    }
    let mut declared = std::collections::HashSet::new();
    for (key, labels) in raw {
        if !is_slug(&key.value) {
            diags.push(src.diag(Code::ConfigInvalid, &key, format!("`{}` is not a valid {name} key", key.value))
                .hint("keys are used in URLs: lowercase letters, digits and hyphens, e.g. `urban-commons`"));
            continue;
        }
        if !declared.insert(key.value.clone()) {
            diags.push(src.diag(
                Code::ConfigInvalid,
                &key,
                format!("{name} term `{}` is declared twice", key.value),
            ));
            continue;
        }
        if let Some((_, c)) = labels
            .value
            .values()
            .find_map(|l| control_chars::first_forbidden(l))
        {
            diags.push(control_chars::in_value(
                name,
                c,
                src.at(&labels),
                src.file_text,
            ));
            continue;
        }
        for lang in labels.value.keys() {
            if !languages.contains(lang) {
                diags.push(src.diag(Code::UnknownLanguage, &labels, format!("{name} term `{}` has a label for `{lang}`, which is not a site language", key.value))
                    .hint(format!("site languages: {}", languages.join(", "))));
            }
        }
        for lang in languages {
            if !labels.value.contains_key(lang) {
                let fallback = labels
                    .value
                    .get(default)
                    .map(String::as_str)
                    .unwrap_or(&key.value);
                diags.push(
                    src.diag(
                        Code::MissingLabel,
                        &key,
                        format!("{name} term `{}` has no label in `{lang}`", key.value),
                    )
                    .hint(format!(
                        "add `{lang}: …` under it; until then pages in `{lang}` show \"{fallback}\""
                    )),
                );
            }
        }
        vocab.terms.push(Term {
            location: src.at(&key),
            key: key.value,
            labels: labels.value,
        });
    }
    vocab
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "base_url: https://example.org/sub\nlanguages: [en, es]\ntaxonomies:\n  topics:\n    poverty: { en: Poverty, es: Pobreza }\n";

    #[test]
    fn parses_a_minimal_config_with_defaults() {
        let (config, diags) = parse(GOOD, Path::new("casebook.yaml"), None);
        assert!(diags.is_empty(), "{diags:?}");
        let c = config.unwrap();
        assert_eq!(c.base_url, "https://example.org/sub/");
        assert_eq!(c.base_path(), "/sub/");
        assert_eq!(c.default_language, "en");
        assert_eq!(c.paginate, 24);
        assert_eq!(c.untranslated, Untranslated::Fallback);
        assert_eq!(c.topics.label("poverty", "es", "en"), "Pobreza");
    }

    #[test]
    fn reports_every_problem_with_its_line() {
        let text = "base_url: ftp://x\nlanguages: [en, EN]\nuntranslated: maybe\ntaxonomies:\n  topics:\n    Bad Key: { en: x }\n";
        let (config, diags) = parse(text, Path::new("casebook.yaml"), None);
        assert!(config.is_none());
        let lines: Vec<usize> = diags
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.location.as_ref().unwrap().line)
            .collect();
        assert_eq!(lines, vec![2, 1, 3, 6], "{diags:#?}");
    }

    #[test]
    fn missing_label_is_a_warning() {
        let text = "base_url: https://e.org/\nlanguages: [en, es]\ntaxonomies:\n  topics:\n    poverty: { en: Poverty }\n";
        let (config, diags) = parse(text, Path::new("casebook.yaml"), None);
        assert!(config.is_some());
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, Code::MissingLabel);
        assert_eq!(diags[0].location.as_ref().unwrap().line, 5);
    }

    #[test]
    fn a_title_or_description_missing_in_a_language_is_a_warning() {
        let topics = "taxonomies:\n  topics:\n    poverty: { en: P, es: P, ca: P }\n";
        let text = format!(
            "base_url: https://e.org/\nlanguages: [en, es, ca]\ntitle: {{ en: Practices, es: Prácticas }}\ndescription: {{ en: D, es: D, ca: D }}\n{topics}"
        );
        let (config, diags) = parse(&text, Path::new("casebook.yaml"), None);
        assert!(config.is_some(), "{diags:#?}");
        let found: Vec<(String, usize)> = diags
            .iter()
            .map(|d| (d.message.clone(), d.location.as_ref().unwrap().line))
            .collect();
        assert_eq!(found, [("`title` has no text in `ca`".to_string(), 3)]);
        assert_eq!(diags[0].code, Code::MissingLabel);
        assert!(
            diags[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("pages in `ca` show \"Practices\"")
        );
        // One text for every language needs no translation.
        let text = format!(
            "base_url: https://e.org/\nlanguages: [en, es, ca]\ntitle: Practices\n{topics}"
        );
        let diags = parse(&text, Path::new("casebook.yaml"), None).1;
        assert!(diags.is_empty(), "{diags:#?}");
    }

    #[test]
    fn type_errors_point_at_the_site_configuration() {
        let (_, diags) = parse("base_url: [a]\n", Path::new("casebook.yaml"), None);
        let hint = diags[0].hint.as_deref().unwrap();
        assert!(
            hint.contains("\"Site configuration\" in README.md"),
            "{hint}"
        );
    }

    #[test]
    fn language_codes() {
        assert!(is_language_code("es") && is_language_code("pt-br") && is_language_code("ast"));
        assert!(!is_language_code("ES") && !is_language_code("e") && !is_language_code("es_ES"));
    }
}
