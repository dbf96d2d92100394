//! The practice fields a site declares in casebook.yaml (`fields:`), beside the built-in
//! ones, and the facets its catalogue offers (`facets:`).
//!
//! ```yaml
//! fields:
//!   organisation_type:
//!     type: term                 # text, markdown, number, date, url, boolean, list, term, terms
//!     vocabulary: organisation-types   # a vocabulary under `taxonomies:`
//!     required: true
//!     label: { en: Type of organisation, es: Tipo de organización }
//!     help: { en: Who runs the practice. }
//! facets: [topics, countries, programmes, levels, period, organisation_type,
//!          { field: participants, buckets: [0, 100, 1000] }]
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::texts::lang_text;
use super::{LangText, RawText, Vocabulary};
use crate::diagnostics::{Code, Diagnostic, Location};
use crate::input::yaml::{SpannedMap, YamlSource};

/// The most fields a site may declare.
pub const MAX_FIELDS: usize = 100;

/// Names of the built-in practice fields: a declared field may not take one.
pub const BUILT_IN_FIELDS: &[&str] = &[
    "title",
    "subtitle",
    "city",
    "region",
    "country",
    "coordinates",
    "programme",
    "topics",
    "level",
    "start",
    "end",
    "budget",
    "partners",
    "owner",
    "key_figures",
    "summary",
    "published",
    "updated",
    "draft",
    "related",
    "adapted_by",
    "image",
    "translated_from",
];

/// What values a declared field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// One line of plain text.
    Text,
    /// Markdown, rendered to HTML like the body.
    Markdown,
    /// A number.
    Number,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    Date,
    /// An http(s) address.
    Url,
    /// `true` or `false`.
    Boolean,
    /// A list of plain texts.
    List,
    /// One term of a vocabulary.
    Term,
    /// A list of terms of a vocabulary.
    Terms,
}

impl FieldKind {
    /// Every kind, with the name casebook.yaml uses.
    pub const ALL: [(FieldKind, &'static str); 9] = [
        (FieldKind::Text, "text"),
        (FieldKind::Markdown, "markdown"),
        (FieldKind::Number, "number"),
        (FieldKind::Date, "date"),
        (FieldKind::Url, "url"),
        (FieldKind::Boolean, "boolean"),
        (FieldKind::List, "list"),
        (FieldKind::Term, "term"),
        (FieldKind::Terms, "terms"),
    ];

    /// The name casebook.yaml uses.
    pub fn name(self) -> &'static str {
        FieldKind::ALL
            .iter()
            .find(|(k, _)| *k == self)
            .map_or("text", |(_, n)| n)
    }

    /// Whether values are terms of a vocabulary.
    pub fn uses_vocabulary(self) -> bool {
        matches!(self, FieldKind::Term | FieldKind::Terms)
    }

    /// Whether a field of this kind is shared by translations unless it says otherwise:
    /// values that describe the practice rather than a language.
    fn shared_by_default(self) -> bool {
        !matches!(
            self,
            FieldKind::Text | FieldKind::Markdown | FieldKind::List
        )
    }
}

/// A practice field declared by the site.
#[derive(Debug, Clone)]
pub struct FieldSpec {
    /// The key in front matter, e.g. `organisation_type`.
    pub name: String,
    /// What it holds.
    pub kind: FieldKind,
    /// For `term` and `terms`: the vocabulary's name under `taxonomies:`.
    pub vocabulary: Option<String>,
    /// Given once for all translations (inherited, must agree) rather than per language.
    pub shared: bool,
    /// Every practice must give it.
    pub required: bool,
    /// What readers and editors see, per language.
    pub label: LangText,
    /// A short help text for editors, per language.
    pub help: LangText,
    /// Where casebook.yaml declares it.
    pub location: Location,
}

/// A facet of the catalogue: a built-in one, or a declared field.
#[derive(Debug, Clone, PartialEq)]
pub enum FacetSpec {
    /// `topics`, `countries`, `programmes`, `levels` or `period` (the decade a practice
    /// started in).
    BuiltIn(&'static str),
    /// A declared `term` or `terms` field: one facet term per vocabulary term.
    Terms {
        /// The field's name.
        field: String,
    },
    /// A declared `number` or `date` field, in ranges: `buckets` are the lower bounds,
    /// ascending (years for a date); a value below the first is in no range.
    Ranges {
        /// The field's name.
        field: String,
        /// Lower bounds of the ranges, ascending.
        buckets: Vec<f64>,
    },
}

/// The built-in facets, in the order today's catalogues show them.
pub const BUILT_IN_FACETS: [&str; 5] = ["topics", "countries", "programmes", "levels", "period"];

impl FacetSpec {
    /// The key: the URL segment of its term pages and the name in the catalogue index.
    pub fn key(&self) -> &str {
        match self {
            FacetSpec::BuiltIn(k) => k,
            FacetSpec::Terms { field } | FacetSpec::Ranges { field, .. } => field,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawField {
    #[serde(rename = "type")]
    kind: Option<Spanned<String>>,
    vocabulary: Option<Spanned<String>>,
    shared: Option<bool>,
    required: Option<bool>,
    label: Option<Spanned<RawText>>,
    help: Option<Spanned<RawText>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum RawFacet {
    Name(String),
    Ranges { field: String, buckets: Vec<f64> },
}

/// Whether `name` may name a declared field: a lowercase letter, then lowercase letters,
/// digits and `_` (a YAML key, a CSV column and a URL segment alike).
pub fn is_field_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z'))
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && name.len() <= 64
}

/// The declared fields, in declaration order; a field with a problem is left out.
pub(super) fn fields(
    src: &YamlSource,
    raw: Option<Spanned<SpannedMap<Spanned<RawField>>>>,
    vocabularies: &BTreeMap<String, Vocabulary>,
    languages: &[String],
    default: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<FieldSpec> {
    let Some(raw) = raw else {
        return Vec::new();
    };
    if raw.value.0.len() > MAX_FIELDS {
        diags.push(
            src.diag(
                Code::ConfigInvalid,
                &raw,
                format!(
                    "`fields` declares {} fields; the limit is {MAX_FIELDS}",
                    raw.value.0.len()
                ),
            )
            .hint("declare the fields a practice page shows; keep notes for editors in the body"),
        );
        return Vec::new();
    }
    let mut out: Vec<FieldSpec> = Vec::new();
    for (name, field) in raw.value.0 {
        let n = name.value.as_str();
        if !is_field_name(n) {
            diags.push(
                src.diag(Code::ConfigInvalid, &name, format!("`{n}` is not a valid field name"))
                    .hint("a field name is a lowercase letter, then lowercase letters, digits and `_`, e.g. `resources_needed`"),
            );
            continue;
        }
        if BUILT_IN_FIELDS.contains(&n) {
            diags.push(
                src.diag(Code::ConfigInvalid, &name, format!("`{n}` is a built-in field"))
                    .hint(format!("casebook already knows `{n}`; give the new field another name, e.g. `{n}_detail`")),
            );
            continue;
        }
        if let Some(first) = out.iter().find(|f| f.name == n) {
            diags.push(
                src.diag(
                    Code::ConfigInvalid,
                    &name,
                    format!("field `{n}` is declared twice"),
                )
                .note(first.location.clone(), "first declared here")
                .hint("delete one of the two declarations"),
            );
            continue;
        }
        let Some(kind_text) = &field.value.kind else {
            diags.push(
                src.diag(
                    Code::ConfigInvalid,
                    &name,
                    format!("field `{n}` has no `type`"),
                )
                .hint(format!("add `type:` under `{n}`: one of {}", kind_names())),
            );
            continue;
        };
        let Some(kind) = FieldKind::ALL
            .iter()
            .find(|(_, name)| *name == kind_text.value)
            .map(|(k, _)| *k)
        else {
            let guess =
                crate::suggest::closest(&kind_text.value, FieldKind::ALL.iter().map(|(_, n)| *n));
            diags.push(
                src.diag(
                    Code::ConfigInvalid,
                    kind_text,
                    format!("field `{n}` has an unknown type `{}`", kind_text.value),
                )
                .hint(match guess {
                    Some(g) => format!("did you mean `{g}`? The types are {}", kind_names()),
                    None => format!("the types are {}", kind_names()),
                }),
            );
            continue;
        };
        let vocabulary = match (&field.value.vocabulary, kind.uses_vocabulary()) {
            (Some(v), true) if vocabularies.contains_key(&v.value) => Some(v.value.clone()),
            (Some(v), true) => {
                let guess =
                    crate::suggest::closest(&v.value, vocabularies.keys().map(String::as_str));
                diags.push(
                    src.diag(
                        Code::ConfigInvalid,
                        v,
                        format!("field `{n}` names the vocabulary `{}`, which `taxonomies` does not declare", v.value),
                    )
                    .hint(match guess {
                        Some(g) => format!("did you mean `{g}`?"),
                        None => format!("declare it under `taxonomies: {}:`, each term with a label per language", v.value),
                    }),
                );
                continue;
            }
            (None, true) => {
                diags.push(
                    src.diag(Code::ConfigInvalid, &name, format!("field `{n}` is of type `{}` but names no vocabulary", kind.name()))
                        .hint(format!("add `vocabulary: NAME` under `{n}`, NAME being a vocabulary declared under `taxonomies:`")),
                );
                continue;
            }
            (Some(v), false) => {
                diags.push(
                    src.diag(
                        Code::ConfigInvalid,
                        v,
                        format!(
                            "field `{n}` is of type `{}`, which takes no vocabulary",
                            kind.name()
                        ),
                    )
                    .hint("remove `vocabulary`, or make the field `type: term` or `type: terms`"),
                );
                continue;
            }
            (None, false) => None,
        };
        let label_field = format!("fields: {n}: label");
        let label = match &field.value.label {
            Some(l) => lang_text(src, Some(l), &label_field, languages, default, diags),
            None => {
                diags.push(
                    src.diag(Code::ConfigInvalid, &name, format!("field `{n}` has no `label`"))
                        .hint(format!("add `label: {{ {default}: … }}` under `{n}`: readers and editors see it beside the value")),
                );
                continue;
            }
        };
        let help = lang_text(
            src,
            field.value.help.as_ref(),
            &format!("fields: {n}: help"),
            languages,
            default,
            &mut Vec::new(),
        );
        out.push(FieldSpec {
            location: src.at(&name),
            name: name.value,
            kind,
            vocabulary,
            shared: field.value.shared.unwrap_or(kind.shared_by_default()),
            required: field.value.required.unwrap_or(false),
            label,
            help,
        });
    }
    out
}

fn kind_names() -> String {
    FieldKind::ALL
        .iter()
        .map(|(_, n)| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The catalogue's facets: the built-in ones when `facets:` is left out.
pub(super) fn facets(
    src: &YamlSource,
    raw: Option<Spanned<Vec<Spanned<RawFacet>>>>,
    fields: &[FieldSpec],
    diags: &mut Vec<Diagnostic>,
) -> Vec<FacetSpec> {
    let Some(raw) = raw else {
        return BUILT_IN_FACETS
            .iter()
            .map(|k| FacetSpec::BuiltIn(k))
            .collect();
    };
    let mut out: Vec<FacetSpec> = Vec::new();
    let known = || {
        BUILT_IN_FACETS
            .iter()
            .copied()
            .chain(fields.iter().map(|f| f.name.as_str()))
    };
    for item in &raw.value {
        let (name, buckets) = match &item.value {
            RawFacet::Name(n) => (n.as_str(), None),
            RawFacet::Ranges { field, buckets } => (field.as_str(), Some(buckets)),
        };
        let spec = if let Some(b) = BUILT_IN_FACETS.iter().find(|b| **b == name) {
            if buckets.is_some() {
                diags.push(
                    src.diag(
                        Code::ConfigInvalid,
                        item,
                        format!("the built-in facet `{name}` takes no buckets"),
                    )
                    .hint(format!("write it as `- {name}`")),
                );
                continue;
            }
            FacetSpec::BuiltIn(b)
        } else if let Some(field) = fields.iter().find(|f| f.name == name) {
            match (field.kind, buckets) {
                (FieldKind::Term | FieldKind::Terms, None) => FacetSpec::Terms {
                    field: name.to_string(),
                },
                (FieldKind::Number | FieldKind::Date, Some(b)) => {
                    if b.is_empty()
                        || b.windows(2).any(|w| w[0] >= w[1])
                        || b.iter().any(|x| !x.is_finite())
                    {
                        diags.push(
                            src.diag(Code::ConfigInvalid, item, format!("the buckets of facet `{name}` are not ascending numbers"))
                                .hint("list the lower bound of each range, smallest first, e.g. `buckets: [0, 100, 1000]`"),
                        );
                        continue;
                    }
                    FacetSpec::Ranges {
                        field: name.to_string(),
                        buckets: b.clone(),
                    }
                }
                (FieldKind::Number | FieldKind::Date, None) => {
                    diags.push(
                        src.diag(Code::ConfigInvalid, item, format!("the {} field `{name}` needs ranges to be a facet", field.kind.name()))
                            .hint(format!("write `- {{ field: {name}, buckets: [0, 100, 1000] }}`: each number is the lower bound of a range{}", if field.kind == FieldKind::Date { " (a year, for a date)" } else { "" })),
                    );
                    continue;
                }
                (FieldKind::Term | FieldKind::Terms, Some(_)) => {
                    diags.push(
                        src.diag(
                            Code::ConfigInvalid,
                            item,
                            format!("the field `{name}` has terms; it takes no buckets"),
                        )
                        .hint(format!("write it as `- {name}`")),
                    );
                    continue;
                }
                (kind, _) => {
                    diags.push(
                        src.diag(Code::ConfigInvalid, item, format!("the field `{name}` is of type `{}`, which cannot be a facet", kind.name()))
                            .hint("a facet groups practices by a `term` or `terms` field, or by ranges of a `number` or `date` field"),
                    );
                    continue;
                }
            }
        } else {
            let guess = crate::suggest::closest(name, known());
            diags.push(
                src.diag(Code::ConfigInvalid, item, format!("`facets` names `{name}`, which is neither a built-in facet nor a declared field"))
                    .hint(match guess {
                        Some(g) => format!("did you mean `{g}`?"),
                        None => format!("the facets available: {}", known().collect::<Vec<_>>().join(", ")),
                    }),
            );
            continue;
        };
        if out.iter().any(|f| f.key() == spec.key()) {
            diags.push(
                src.diag(
                    Code::ConfigInvalid,
                    item,
                    format!("`facets` names `{name}` twice"),
                )
                .hint("delete one of them"),
            );
            continue;
        }
        out.push(spec);
    }
    out
}
