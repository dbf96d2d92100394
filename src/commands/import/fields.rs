//! What an imported practice holds before it becomes files: values by front-matter key,
//! each with the place of the imported file it came from, and the catalogue of keys in the
//! order practice files write them (DESIGN.md's order, then the site's declared fields).

use std::collections::BTreeMap;

use crate::diagnostics::Diagnostic;
use crate::input::config::{Config, FieldKind};

/// Where a value was read: a CSV row and column (1-based), or a JSON line and column, and
/// the name the user knows it by (the column's header, or the JSON path).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// CSV row (the header is row 1) or JSON line.
    pub line: usize,
    /// CSV column (1-based) or JSON column, in characters.
    pub column: usize,
    /// The column's header, or the JSON path (`practices[3].translations[0].published`).
    pub name: String,
}

/// A value to write in front matter.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A string: written plain when YAML reads it back unchanged, else double-quoted.
    Text(String),
    /// Written as it is: a number or `true`/`false`, checked by the reader.
    Raw(String),
    /// A list of strings, written `[a, b]`.
    List(Vec<String>),
    /// Key figures, one `- { value: …, label: … }` line each.
    Figures(Vec<(String, String)>),
}

impl Value {
    /// Whether the value says nothing (an empty cell, an empty list).
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Text(s) | Value::Raw(s) => s.trim().is_empty(),
            Value::List(l) => l.is_empty(),
            Value::Figures(f) => f.is_empty(),
        }
    }
}

/// A value and where it came from.
#[derive(Debug, Clone)]
pub struct Given {
    /// The value.
    pub value: Value,
    /// Where it was read.
    pub origin: Origin,
}

/// Values by key (`title`, `budget.total`, a declared field's name).
pub type Values = BTreeMap<String, Given>;

/// One language version of an imported practice.
#[derive(Debug, Clone)]
pub struct Version {
    /// Its language.
    pub lang: String,
    /// Where it starts (the row, or the translation's object).
    pub origin: Origin,
    /// Its per-language values.
    pub values: Values,
    /// The per-language keys the import has a column for, given or empty, with the place
    /// of the cell: with `--update` these replace what the file says, and the others are
    /// kept.
    pub decided: BTreeMap<String, Origin>,
    /// The Markdown body, when the import has one.
    pub body: Option<Given>,
}

/// One imported practice: its shared values and its versions.
#[derive(Debug, Clone)]
pub struct Practice {
    /// Its slug.
    pub slug: String,
    /// Values shared by its translations.
    pub shared: Values,
    /// The shared keys the import has a column for, with the place of the first cell.
    pub decided: BTreeMap<String, Origin>,
    /// Its versions, in the order read.
    pub versions: Vec<Version>,
    /// Problems found while reading it: the practice is not written.
    pub problems: Vec<Diagnostic>,
}

/// Whether a key is shared by translations or written per language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Given once, for every translation.
    Shared,
    /// Given per language.
    Language,
}

/// The built-in keys, in the order practice files write them.
pub const BUILT_IN: &[(&str, Scope)] = &[
    ("title", Scope::Language),
    ("subtitle", Scope::Language),
    ("city", Scope::Language),
    ("region", Scope::Language),
    ("country", Scope::Shared),
    ("coordinates", Scope::Shared),
    ("programme", Scope::Shared),
    ("topics", Scope::Shared),
    ("level", Scope::Shared),
    ("start", Scope::Shared),
    ("end", Scope::Shared),
    ("budget.total", Scope::Shared),
    ("budget.eu", Scope::Shared),
    ("budget.currency", Scope::Shared),
    ("partners", Scope::Language),
    ("owner.organisation", Scope::Language),
    ("owner.url", Scope::Language),
    ("key_figures", Scope::Language),
    ("summary", Scope::Language),
    ("published", Scope::Language),
    ("updated", Scope::Language),
    ("draft", Scope::Language),
    ("related", Scope::Shared),
    ("adapted_by", Scope::Shared),
    ("image.src", Scope::Shared),
    ("image.alt", Scope::Language),
];

/// Every key of the site, built-in then declared, with its scope and, for a declared
/// field, its kind.
pub fn keys(config: &Config) -> Vec<(String, Scope, Option<FieldKind>)> {
    BUILT_IN
        .iter()
        .map(|(k, s)| (k.to_string(), *s, None))
        .chain(config.fields.iter().map(|f| {
            let scope = if f.shared {
                Scope::Shared
            } else {
                Scope::Language
            };
            (f.name.clone(), scope, Some(f.kind))
        }))
        .collect()
}

/// The scope of `key` in this site, if it is a key.
pub fn scope(config: &Config, key: &str) -> Option<Scope> {
    if let Some((_, s)) = BUILT_IN.iter().find(|(k, _)| *k == key) {
        return Some(*s);
    }
    config.fields.iter().find(|f| f.name == key).map(|f| {
        if f.shared {
            Scope::Shared
        } else {
            Scope::Language
        }
    })
}

/// The front-matter key a value is written under: `budget` for `budget.total`.
pub fn top_key(key: &str) -> &str {
    key.split('.').next().unwrap_or(key)
}

/// A number as casebook writes it: `5100000`, `45.07`.
pub fn number(n: f64) -> String {
    format!("{n}")
}

/// A date as written: a bare year stays a number (`start: 2008`), as editors write it.
pub fn date(s: &str) -> Value {
    if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
        Value::Raw(s.to_string())
    } else {
        Value::Text(s.to_string())
    }
}
