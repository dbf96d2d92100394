//! The fields a site declares in casebook.yaml, read from a practice's front matter: each
//! value checked against its declared type, and any other key an "unknown field" error.

use std::collections::BTreeMap;

use serde_saphyr::Spanned;

use super::raw::RawValue;
use super::types::{FieldValue, Located};
use crate::diagnostics::{Code, Diagnostic};
use crate::input::config::{BUILT_IN_FIELDS, Config, FieldKind, FieldSpec};
use crate::input::control_chars;
use crate::input::dates::{PartialDate, RawDate};
use crate::input::yaml::YamlSource;

/// The declared fields of one file, split into shared and per-language ones.
#[derive(Default)]
pub(super) struct Declared {
    /// Fields shared by translations.
    pub(super) shared: BTreeMap<String, Located<FieldValue>>,
    /// Fields given per language.
    pub(super) own: BTreeMap<String, Located<FieldValue>>,
}

/// A number as people write it: `1200`, not `1200.0`.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Reads every key that is not a built-in field: a declared field's value is checked
/// against its type, anything else is an unknown field.
pub(super) fn read(
    src: &YamlSource,
    config: &Config,
    other: Vec<(Spanned<String>, Spanned<RawValue>)>,
    diags: &mut Vec<Diagnostic>,
) -> Declared {
    let mut out = Declared::default();
    for (key, value) in other {
        let Some(spec) = config.field(&key.value) else {
            diags.push(unknown(src, config, &key));
            continue;
        };
        if matches!(value.value, RawValue::Null) {
            continue;
        }
        let Some(checked) = check(src, config, spec, &value, diags) else {
            continue;
        };
        let located = Located {
            value: checked,
            location: src.at(&value),
        };
        let into = if spec.shared {
            &mut out.shared
        } else {
            &mut out.own
        };
        into.insert(spec.name.clone(), located);
    }
    out
}

/// Required per-language fields this file leaves out.
pub(super) fn missing_required(
    config: &Config,
    declared: &Declared,
    file: &crate::input::content::SourceFile,
    diags: &mut Vec<Diagnostic>,
) {
    for spec in config.fields.iter().filter(|f| f.required && !f.shared) {
        if !declared.own.contains_key(&spec.name) {
            diags.push(super::missing(file, &spec.name, &example(config, spec)));
        }
    }
}

/// A line that gives `spec` a value, for hints.
pub fn example(config: &Config, spec: &FieldSpec) -> String {
    let term = || {
        config
            .vocabulary_of(spec)
            .and_then(|v| v.keys().next())
            .unwrap_or("term")
            .to_string()
    };
    let value = match spec.kind {
        FieldKind::Text => "a short text".to_string(),
        FieldKind::Markdown => "A paragraph of *Markdown*.".to_string(),
        FieldKind::Number => "120".to_string(),
        FieldKind::Date => "2021-03".to_string(),
        FieldKind::Url => "https://example.org/".to_string(),
        FieldKind::Boolean => "true".to_string(),
        FieldKind::List => "[first, second]".to_string(),
        FieldKind::Term => term(),
        FieldKind::Terms => format!("[{}]", term()),
    };
    format!("{}: {value}", spec.name)
}

fn unknown(src: &YamlSource, config: &Config, key: &Spanned<String>) -> Diagnostic {
    let known = BUILT_IN_FIELDS
        .iter()
        .copied()
        .chain(config.fields.iter().map(|f| f.name.as_str()));
    let hint = match crate::suggest::closest(&key.value, known.clone()) {
        Some(best) => format!("did you mean `{best}`? Field names are case-sensitive."),
        None if config.fields.is_empty() => format!(
            "remove `{}`, or declare it in casebook.yaml under `fields:` (docs/fields.md); the fields allowed here are: {}",
            key.value,
            known.collect::<Vec<_>>().join(", ")
        ),
        None => format!(
            "remove `{}`, or declare it in casebook.yaml under `fields:`; the fields allowed here are: {}",
            key.value,
            known.collect::<Vec<_>>().join(", ")
        ),
    };
    let mut d = src.diag(
        Code::UnknownField,
        key,
        format!("unknown field `{}`", key.value),
    );
    d.span_len = key.value.chars().count().max(1);
    d.hint(hint)
}

fn check(
    src: &YamlSource,
    config: &Config,
    spec: &FieldSpec,
    value: &Spanned<RawValue>,
    diags: &mut Vec<Diagnostic>,
) -> Option<FieldValue> {
    let name = &spec.name;
    let wrong = |diags: &mut Vec<Diagnostic>, what: &str| {
        diags.push(
            src.diag(
                Code::WrongType,
                value,
                format!("`{name}` is {what}, not {}", describe(&value.value)),
            )
            .hint(format!(
                "`{name}` is written like this: `{}`",
                example(config, spec)
            )),
        );
        None
    };
    let text = |v: &RawValue| match v {
        RawValue::Text(s) => Some(s.clone()),
        RawValue::Number(n) => Some(number_text(*n)),
        RawValue::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    let checked = match spec.kind {
        FieldKind::Text | FieldKind::Markdown | FieldKind::Url => {
            let Some(s) = text(&value.value) else {
                return wrong(diags, "a text");
            };
            let s = s.trim().to_string();
            if s.is_empty() {
                let d = src.diag(Code::BadValue, value, format!("`{name}` is empty"));
                diags.push(d.hint(format!("write a value, or remove `{name}`")));
                return None;
            }
            if let Some((_, c)) = control_chars::first_forbidden(&s) {
                diags.push(control_chars::in_value(
                    name,
                    c,
                    src.at(value),
                    src.file_text,
                ));
                return None;
            }
            match spec.kind {
                FieldKind::Markdown => FieldValue::Markdown(s),
                FieldKind::Url if !super::is_web_url(&s) => {
                    diags.push(
                        src.diag(
                            Code::BadUrl,
                            value,
                            format!("`{name}` is not a web address: `{s}`"),
                        )
                        .hint(format!(
                            "write a full address starting with https://, e.g. `{}`",
                            example(config, spec)
                        )),
                    );
                    return None;
                }
                _ if spec.kind == FieldKind::Text && s.contains('\n') => {
                    diags.push(
                        src.diag(Code::BadValue, value, format!("`{name}` is one line of text, but this value has several"))
                            .hint("write it on one line; a field for paragraphs is declared with `type: markdown`"),
                    );
                    return None;
                }
                _ => FieldValue::Text(s),
            }
        }
        FieldKind::Number => match value.value {
            RawValue::Number(n) if n.is_finite() => FieldValue::Number(n),
            RawValue::Text(ref s) if s.trim().parse::<f64>().is_ok_and(f64::is_finite) => {
                FieldValue::Number(s.trim().parse().unwrap_or_default())
            }
            _ => return wrong(diags, "a number"),
        },
        FieldKind::Boolean => match value.value {
            RawValue::Bool(b) => FieldValue::Boolean(b),
            _ => return wrong(diags, "`true` or `false`"),
        },
        FieldKind::Date => {
            let raw = match &value.value {
                RawValue::Text(s) => RawDate::Text(s.clone()),
                RawValue::Number(n) if n.fract() == 0.0 => RawDate::Year(*n as i64),
                _ => return wrong(diags, "a date"),
            };
            match PartialDate::read(&raw, false) {
                Ok(d) => FieldValue::Date(d),
                Err(why) => {
                    diags.push(
                        src.diag(Code::BadDate, value, format!("bad date in `{name}`: {why}"))
                            .hint(crate::input::dates::hint(&raw, name, false)),
                    );
                    return None;
                }
            }
        }
        FieldKind::List => {
            let RawValue::List(items) = &value.value else {
                return wrong(diags, "a list");
            };
            let mut out = Vec::new();
            for item in items {
                match text(&item.value).map(|s| s.trim().to_string()) {
                    Some(s) if !s.is_empty() && control_chars::first_forbidden(&s).is_none() => {
                        out.push(s)
                    }
                    _ => {
                        diags.push(
                            src.diag(
                                Code::WrongType,
                                item,
                                format!(
                                    "an item of `{name}` is {}, not a text",
                                    describe(&item.value)
                                ),
                            )
                            .hint(format!(
                                "`{name}` is written like this: `{}`",
                                example(config, spec)
                            )),
                        );
                        return None;
                    }
                }
            }
            FieldValue::List(out)
        }
        FieldKind::Term | FieldKind::Terms => {
            let items: Vec<&Spanned<RawValue>> = match (&value.value, spec.kind) {
                (RawValue::List(items), FieldKind::Terms) => items.iter().collect(),
                (RawValue::Text(_), FieldKind::Term) => vec![value],
                (_, FieldKind::Terms) => return wrong(diags, "a list of terms"),
                _ => return wrong(diags, "one term"),
            };
            let vocab = config.vocabulary_of(spec)?;
            let mut out: Vec<String> = Vec::new();
            let mut ok = true;
            for item in items {
                let RawValue::Text(t) = &item.value else {
                    ok = false;
                    diags.push(
                        src.diag(
                            Code::WrongType,
                            item,
                            format!(
                                "an item of `{name}` is {}, not a term",
                                describe(&item.value)
                            ),
                        )
                        .hint(format!(
                            "`{name}` is written like this: `{}`",
                            example(config, spec)
                        )),
                    );
                    continue;
                };
                let t = t.trim();
                if vocab.position(t).is_none() {
                    ok = false;
                    let vocab_name = spec.vocabulary.as_deref().unwrap_or(name);
                    let hint = match crate::suggest::closest(t, vocab.keys()) {
                        Some(best) => format!(
                            "did you mean `{best}`? The terms of `{name}` are declared in casebook.yaml under `taxonomies: {vocab_name}:`"
                        ),
                        None => format!(
                            "declare it in casebook.yaml under `taxonomies: {vocab_name}:`, or use one of: {}",
                            vocab.keys().collect::<Vec<_>>().join(", ")
                        ),
                    };
                    diags.push(
                        src.diag(
                            Code::UnknownTerm,
                            item,
                            format!("unknown term `{t}` in `{name}`"),
                        )
                        .hint(hint),
                    );
                } else if !out.iter().any(|o| o == t) {
                    out.push(t.to_string());
                }
            }
            if !ok {
                return None;
            }
            FieldValue::List(out)
        }
    };
    Some(checked)
}

fn describe(v: &RawValue) -> &'static str {
    match v {
        RawValue::Null => "empty",
        RawValue::Bool(_) => "`true` or `false`",
        RawValue::Number(_) => "a number",
        RawValue::Text(_) => "a text",
        RawValue::List(_) => "a list",
        RawValue::Map => "a mapping",
    }
}
