//! `fallback:` in casebook.yaml: per language, the languages to show instead when something
//! is missing in it (a practice's version, a UI string, a term label, the site's title), in
//! the order to try them.
//!
//! A chain is the explicit list written for a language: it is not followed further (the
//! chain of `ca: [es]` does not go on with the chain of `es`), so the only loop it can hold
//! is a language listing itself. After its chain, every language still falls back to the
//! default language, as a site without `fallback:` does.

use std::collections::{BTreeMap, HashSet};

use serde_saphyr::Spanned;

use crate::diagnostics::{Code, Diagnostic};
use crate::input::yaml::{SpannedMap, YamlSource};

/// `fallback:` as written: a chain of languages per language.
pub(super) type RawFallbacks = SpannedMap<Spanned<Vec<Spanned<String>>>>;

/// Per site language, the other languages to try, in order, when something is missing in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fallbacks {
    /// The chain of each language with one, the default language last.
    chains: BTreeMap<String, Vec<String>>,
    /// The chain of every other language: the default language alone.
    default_only: Vec<String>,
}

impl Fallbacks {
    /// Every language falls back to `default` alone (a site without `fallback:`).
    pub fn to_default(default: &str) -> Fallbacks {
        Fallbacks {
            chains: BTreeMap::new(),
            default_only: vec![default.to_string()],
        }
    }

    /// The languages to try after `lang` itself, in order: its chain, then the default
    /// language. Without a chain, the default language alone (which may be `lang`).
    pub fn of(&self, lang: &str) -> &[String] {
        self.chains.get(lang).unwrap_or(&self.default_only)
    }

    /// `lang` followed by the languages to try after it.
    pub fn with_own<'a>(&'a self, lang: &'a str) -> impl Iterator<Item = &'a str> {
        std::iter::once(lang).chain(self.of(lang).iter().map(String::as_str))
    }

    /// The default language, which ends every chain.
    pub fn default_language(&self) -> &str {
        self.default_only.first().map_or("", String::as_str)
    }
}

/// Checks `fallback:` against the site's languages. A chain with a problem is left out, so
/// that its language falls back to the default language alone.
pub(super) fn fallbacks(
    src: &YamlSource,
    raw: Option<&RawFallbacks>,
    languages: &[String],
    default: &str,
    diags: &mut Vec<Diagnostic>,
) -> Fallbacks {
    let mut out = Fallbacks::to_default(default);
    let Some(raw) = raw else {
        return out;
    };
    let site_languages = languages.join(", ");
    for (lang, chain) in &raw.0 {
        let name = &lang.value;
        if !languages.contains(name) {
            diags.push(
                src.diag(
                    Code::FallbackUnknownLanguage,
                    lang,
                    format!("`fallback` has a chain for `{name}`, which is not a site language"),
                )
                .hint(format!(
                    "give chains to site languages only ({site_languages}), or add `{name}` to `languages`"
                )),
            );
            continue;
        }
        if chain.value.len() > languages.len() {
            // It repeats a language or names another: one problem, not one per entry.
            diags.push(
                src.diag(
                    Code::ConfigInvalid,
                    chain,
                    format!(
                        "the fallback chain of `{name}` lists {} languages; the site has {}",
                        chain.value.len(),
                        languages.len()
                    ),
                )
                .hint("list site languages, each once, in the order to try them"),
            );
            continue;
        }
        let before = diags.len();
        let mut seen = HashSet::new();
        let mut list = Vec::with_capacity(chain.value.len() + 1);
        for entry in &chain.value {
            let other = &entry.value;
            if other == name {
                diags.push(
                    src.diag(
                        Code::FallbackLoop,
                        entry,
                        format!("`{name}` falls back to itself"),
                    )
                    .hint(format!(
                        "remove `{name}` from its own chain: a chain lists the other languages to show when something is missing in `{name}`"
                    )),
                );
            } else if !languages.contains(other) {
                diags.push(
                    src.diag(
                        Code::FallbackUnknownLanguage,
                        entry,
                        format!(
                            "the fallback chain of `{name}` names `{other}`, which is not a site language"
                        ),
                    )
                    .hint(format!(
                        "name site languages only ({site_languages}), or add `{other}` to `languages`"
                    )),
                );
            } else if !seen.insert(other.as_str()) {
                diags.push(
                    src.diag(
                        Code::FallbackDuplicate,
                        entry,
                        format!("the fallback chain of `{name}` lists `{other}` twice"),
                    )
                    .hint("list each language once, in the order to try them"),
                );
            } else {
                list.push(other.clone());
            }
        }
        if diags.len() > before {
            continue;
        }
        if name != default && !list.iter().any(|l| l == default) {
            list.push(default.to_string());
        }
        out.chains.insert(name.clone(), list);
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn parse(text: &str) -> (Fallbacks, Vec<Diagnostic>) {
        let src = YamlSource {
            text,
            file_text: text,
            file: Path::new("casebook.yaml"),
            first_line: 1,
        };
        let raw: RawFallbacks = src.parse().expect("YAML");
        let languages: Vec<String> = ["en", "es", "ca", "it"].map(String::from).into();
        let mut diags = Vec::new();
        let f = fallbacks(&src, Some(&raw), &languages, "en", &mut diags);
        (f, diags)
    }

    #[test]
    fn a_chain_ends_with_the_default_language() {
        let (f, diags) = parse("ca: [es]\nit: [en, es]\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(f.of("ca"), ["es", "en"]);
        assert_eq!(f.of("it"), ["en", "es"]);
        assert_eq!(f.of("es"), ["en"]);
        assert_eq!(f.with_own("ca").collect::<Vec<_>>(), ["ca", "es", "en"]);
    }

    #[test]
    fn each_mistake_is_located() {
        let (f, diags) = parse("ca: [ca, pt, es, es]\npt: [es]\n");
        let found: Vec<(Code, usize, usize)> = diags
            .iter()
            .map(|d| {
                let at = d.location.as_ref().unwrap();
                (d.code, at.line, at.column)
            })
            .collect();
        assert_eq!(
            found,
            [
                (Code::FallbackLoop, 1, 6),
                (Code::FallbackUnknownLanguage, 1, 10),
                (Code::FallbackDuplicate, 1, 18),
                (Code::FallbackUnknownLanguage, 2, 1),
            ]
        );
        // The faulty chain is left out: Catalan falls back to the default language.
        assert_eq!(f.of("ca"), ["en"]);
    }

    #[test]
    fn a_chain_longer_than_the_languages_is_one_problem() {
        let long = format!("ca: [{}]\n", vec!["es"; 10_000].join(", "));
        let (_, diags) = parse(&long);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].code, Code::ConfigInvalid);
        assert!(
            diags[0]
                .message
                .contains("lists 10000 languages; the site has 4")
        );
    }
}
