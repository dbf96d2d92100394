//! Texts given per language (the site title) and the controlled vocabularies (topics,
//! programmes), each label checked against the site's languages.

use std::collections::BTreeMap;

use serde_saphyr::Spanned;

use super::{Fallbacks, LangText, MAX_TERMS, RawText, Term, Vocabulary, is_slug};
use crate::diagnostics::{Code, Diagnostic};
use crate::input::control_chars;
use crate::input::yaml::{SpannedMap, YamlSource};

/// A text per language, or one text for every language.
pub(super) fn lang_text(
    src: &YamlSource,
    raw: Option<&Spanned<RawText>>,
    field: &str,
    languages: &[String],
    fallbacks: &Fallbacks,
    diags: &mut Vec<Diagnostic>,
) -> LangText {
    let default = fallbacks.default_language();
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
            } else {
                for lang in languages.iter().filter(|l| !map.contains_key(*l)) {
                    let Some(fallback) = fallbacks.of(lang).iter().find_map(|l| map.get(l)) else {
                        continue;
                    };
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

/// A vocabulary in declaration order; a term with a problem is left out.
pub(super) fn vocabulary(
    src: &YamlSource,
    raw: Option<SpannedMap<Spanned<BTreeMap<String, String>>>>,
    name: &str,
    languages: &[String],
    fallbacks: &Fallbacks,
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
                let fallback = fallbacks
                    .of(lang)
                    .iter()
                    .find_map(|l| labels.value.get(l))
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
