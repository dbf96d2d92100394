//! The settings of casebook.yaml one by one: languages, the published address, the theme,
//! what to do with untranslated practices, the page size, the share cards.

use super::{MAX_LANGUAGES, RawConfig, ShareCards, Untranslated};
use crate::diagnostics::{Code, Diagnostic, Location};
use crate::input::control_chars;
use crate::input::yaml::YamlSource;

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

/// The site's languages and its default language; `None` when the list is too long to read.
pub(super) fn languages(
    src: &YamlSource,
    raw: &RawConfig,
    whole: &Location,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Vec<String>, String)> {
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
        diags.push(d);
        return None;
    }
    let mut err = |d: Diagnostic| diags.push(d);
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

    Some((languages, default_language))
}

/// The published address, from `--base-url` or casebook.yaml.
pub(super) fn base_url(
    src: &YamlSource,
    base_url_override: Option<&str>,
    raw: &RawConfig,
    whole: &Location,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let mut err = |d: Diagnostic| diags.push(d);
    match (base_url_override, &raw.base_url) {
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
    }
}

/// The theme's folder name.
pub(super) fn theme(src: &YamlSource, raw: &RawConfig, diags: &mut Vec<Diagnostic>) -> String {
    let mut err = |d: Diagnostic| diags.push(d);
    match &raw.theme {
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
    }
}

/// What catalogues do with untranslated practices.
pub(super) fn untranslated(
    src: &YamlSource,
    raw: &RawConfig,
    diags: &mut Vec<Diagnostic>,
) -> Untranslated {
    let mut err = |d: Diagnostic| diags.push(d);
    match raw.untranslated.as_ref().map(|u| (u, u.value.as_str())) {
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
    }
}

/// The share card of practices without a photo.
pub(super) fn share_cards(
    src: &YamlSource,
    raw: &RawConfig,
    diags: &mut Vec<Diagnostic>,
) -> ShareCards {
    match raw.share_cards.as_ref().map(|u| (u, u.value.as_str())) {
        None | Some((_, "generic")) => ShareCards::Generic,
        Some((_, "drawn")) => ShareCards::Drawn,
        Some((u, other)) => {
            diags.push(
                src.diag(
                    Code::ConfigInvalid,
                    u,
                    format!("`share_cards: {other}` is not an option"),
                )
                .hint("use `drawn` (casebook draws a card per practice and language) or `generic` (the theme's image)"),
            );
            ShareCards::Generic
        }
    }
}

/// Practices per listing page.
pub(super) fn paginate(src: &YamlSource, raw: &RawConfig, diags: &mut Vec<Diagnostic>) -> usize {
    let mut err = |d: Diagnostic| diags.push(d);
    match &raw.paginate {
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
    }
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
