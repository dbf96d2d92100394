//! `casebook schema`: a JSON Schema (draft-07, which yaml-language-server reads) of practice
//! front matter, with the site's topics and programmes as enums and each field's doc as its
//! description. It accepts what casebook accepts, except for rules that span files (shared
//! fields agreeing, a city or region somewhere), which `casebook check` reports.

use std::path::Path;

use serde_json::{Value, json};

use crate::diagnostics::Diagnostic;
use crate::document::{Level, MAX_SUMMARY_CHARS};
use crate::input::config::{self, Config, FieldKind, FieldSpec, Vocabulary};
use crate::input::countries::ISO_3166_ALPHA2;

fn term_schema(vocab: &Vocabulary, config: &Config, what: &str) -> Value {
    let keys: Vec<&str> = vocab.keys().collect();
    let labels: Vec<String> = vocab
        .terms
        .iter()
        .map(|t| {
            t.labels
                .get(&config.default_language)
                .cloned()
                .unwrap_or_else(|| t.key.clone())
        })
        .collect();
    let list: Vec<String> = keys
        .iter()
        .zip(&labels)
        .map(|(k, l)| format!("`{k}` ({l})"))
        .collect();
    json!({
        "type": "string",
        "enum": keys,
        "enumDescriptions": labels,
        "description": if list.is_empty() {
            format!("casebook.yaml declares no {what}s yet: declare one under `taxonomies` first.")
        } else {
            format!("A {what} declared in casebook.yaml: {}.", list.join(", "))
        },
    })
}

fn date(description: &str, partial: bool) -> Value {
    let pattern = if partial {
        "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
    } else {
        "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
    };
    let text = json!({ "type": "string", "pattern": pattern });
    if partial {
        json!({
            "description": description,
            "anyOf": [text, { "type": "integer", "minimum": 1000, "maximum": 9999 }],
        })
    } else {
        let mut v = text;
        v["description"] = json!(description);
        v
    }
}

fn text(description: &str) -> Value {
    json!({ "type": "string", "minLength": 1, "description": description })
}

/// The JSON Schema of practice front matter for `config`'s site, its declared fields too.
pub fn practice_schema(config: &Config) -> Value {
    let mut schema = built_in_schema(config);
    for spec in &config.fields {
        schema["properties"][spec.name.as_str()] = declared_schema(config, spec);
        if spec.required
            && !spec.shared
            && let Some(required) = schema["required"].as_array_mut()
        {
            required.push(json!(spec.name));
        }
    }
    schema
}

fn built_in_schema(config: &Config) -> Value {
    let slug = json!({ "type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$" });
    let levels: Vec<&str> = Level::ALL.iter().map(|l| l.key()).collect();
    let title = config
        .title
        .get(
            &config.default_language,
            config.fallbacks(&config.default_language),
        )
        .to_string();
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": if title.is_empty() { "casebook practice".to_string() } else { format!("casebook practice ({title})") },
        "description": "The front matter of a practice file in content/practices/. Shared fields describe the practice and are given once, in any one language's file; per-language fields are written in each file.",
        "type": "object",
        "additionalProperties": false,
        "required": ["title", "summary", "published"],
        "properties": {
            "title": text("Required, per language. The practice's name."),
            "subtitle": text("Optional, per language. One line under the title."),
            "city": text("Per language, inherited by translations that leave it out. A practice needs a city or, for region-wide practices, a region."),
            "region": text("Optional, per language, inherited."),
            "country": {
                "type": "string",
                "enum": &ISO_3166_ALPHA2[..],
                "description": "Required, shared. ISO 3166-1 alpha-2 code in capitals, e.g. ES, IT, GB.",
            },
            "coordinates": {
                "type": "array",
                "description": "Optional, shared. [latitude, longitude] in decimal degrees, e.g. [45.07, 7.69].",
                "items": [
                    { "type": "number", "minimum": -90, "maximum": 90 },
                    { "type": "number", "minimum": -180, "maximum": 180 },
                ],
                "minItems": 2,
                "maxItems": 2,
            },
            "programme": term_schema(&config.programmes, config, "programme"),
            "topics": {
                "type": "array",
                "minItems": 1,
                "items": term_schema(&config.topics, config, "topic"),
                "description": "Required, shared. One or more topics declared in casebook.yaml.",
            },
            "level": {
                "type": "string",
                "enum": levels,
                "description": "Optional, shared. How far the practice reaches: local, regional or national.",
            },
            "start": date("Optional, shared. YYYY, YYYY-MM or YYYY-MM-DD.", true),
            "end": date("Optional, shared. YYYY, YYYY-MM or YYYY-MM-DD, not before start.", true),
            "budget": {
                "type": "object",
                "description": "Optional, shared. { total: 5100000, eu: 4080000, currency: EUR }: plain numbers without separators; eu is the EU contribution.",
                "additionalProperties": false,
                "anyOf": [{ "required": ["total"] }, { "required": ["eu"] }],
                "properties": {
                    "total": { "type": "number", "minimum": 0, "description": "The whole budget." },
                    "eu": { "type": "number", "minimum": 0, "description": "The EU contribution." },
                    "currency": { "type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217 code; EUR when left out." },
                },
            },
            "partners": {
                "type": "array",
                "items": { "type": "string" },
                "description": "Optional, per language. Organisation names.",
            },
            "owner": {
                "type": "object",
                "description": "Optional, per language. { organisation: City of Turin, url: https://… }",
                "additionalProperties": false,
                "required": ["organisation"],
                "properties": {
                    "organisation": text("The organisation behind the practice."),
                    "url": { "type": "string", "pattern": "^https?://[^/\\s\"<>]", "description": "Its website: a full http(s) address." },
                },
            },
            "key_figures": {
                "type": "array",
                "description": "Optional, per language. Headline numbers: - { value: \"50\", label: pacts of collaboration signed }",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["value", "label"],
                    "properties": {
                        "value": { "type": ["string", "number"], "description": "A short figure; quote it: \"3,700\", \"84%\"." },
                        "label": { "type": "string", "description": "What it counts, as a short phrase." },
                    },
                },
            },
            "summary": {
                "type": "string",
                "minLength": 1,
                "maxLength": MAX_SUMMARY_CHARS + 1,
                "description": format!("Required, per language. Plain text, at most {MAX_SUMMARY_CHARS} characters, shown on cards and in search results."),
            },
            "published": date("Required, per language. YYYY-MM-DD: when this language version was published.", false),
            "updated": date("Optional, per language. YYYY-MM-DD of the last significant change.", false),
            "draft": { "type": "boolean", "description": "Optional. true keeps the file out of the site (build --drafts shows it)." },
            "translated_from": {
                "type": ["string", "integer"],
                "pattern": "^[0-9a-f]{12}$",
                "description": "Written by casebook in a translation: the fingerprint of the version of the source it was made from (`casebook translations mark FILE` records the current one).",
            },
            "related": {
                "type": "array",
                "items": slug,
                "description": "Optional, shared. Slugs of other practices (their file names without .md).",
            },
            "adapted_by": {
                "type": "array",
                "items": { "type": "string", "minLength": 1 },
                "description": "Optional, shared. Who took the practice over: practice slugs (shown as links, both ways) or place names, e.g. [co-city, Terrassa].",
            },
            "image": {
                "type": "object",
                "description": "Optional. { src: images/photo.jpg, alt: \"What it shows\" }; src is under static/ (or an https URL) and shared, alt is per language.",
                "additionalProperties": false,
                "required": ["src", "alt"],
                "properties": {
                    "src": { "type": "string", "minLength": 1, "description": "A path under static/, or an https URL." },
                    "alt": text("The text alternative: what the image shows, for people who cannot see it."),
                    "focus": focus_schema(),
                },
            },
        },
    })
}

/// The schema of a field the site declares, with its label and help as the description.
fn declared_schema(config: &Config, spec: &FieldSpec) -> Value {
    let lang = &config.default_language;
    let help = spec.help.get(lang, config.fallbacks(lang));
    let description = format!(
        "{}, {}. {}{}",
        if spec.required {
            "Required"
        } else {
            "Optional"
        },
        if spec.shared {
            "shared"
        } else {
            "per language"
        },
        spec.label.get(lang, config.fallbacks(lang)),
        if help.is_empty() {
            String::new()
        } else {
            format!(": {help}")
        },
    );
    let mut v = match spec.kind {
        FieldKind::Text => json!({ "type": "string", "minLength": 1 }),
        FieldKind::Markdown => {
            json!({ "type": "string", "minLength": 1, "contentMediaType": "text/markdown" })
        }
        FieldKind::Url => json!({ "type": "string", "pattern": "^https?://[^/\\s\"<>]" }),
        FieldKind::Number => json!({ "type": "number" }),
        FieldKind::Boolean => json!({ "type": "boolean" }),
        FieldKind::Date => date("", true),
        FieldKind::List => {
            json!({ "type": "array", "items": { "type": "string", "minLength": 1 } })
        }
        FieldKind::Term | FieldKind::Terms => {
            let vocab = config.vocabulary_of(spec).cloned().unwrap_or_default();
            let what = spec.vocabulary.as_deref().unwrap_or("term");
            let term = term_schema(&vocab, config, what);
            if spec.kind == FieldKind::Term {
                term
            } else {
                json!({ "type": "array", "minItems": 1, "items": term })
            }
        }
    };
    v["description"] = json!(description);
    v
}

/// `image.focus`, apart: one more level inside `json!` passes its recursion limit.
fn focus_schema() -> Value {
    json!({
        "type": "array",
        "items": { "type": "number", "minimum": 0, "maximum": 1 },
        "minItems": 2,
        "maxItems": 2,
        "description": "Optional. The point to keep when the picture is cropped for a card: fractions of its width and height, e.g. [0.5, 0.3].",
    })
}

/// The schema of the site at `root`, pretty-printed.
pub fn for_site(root: &Path) -> Result<String, Vec<Diagnostic>> {
    let (config, diags) = config::load(root, None);
    match config {
        Some(c) => Ok(serde_json::to_string_pretty(&practice_schema(&c)).unwrap_or_default()),
        None => Err(diags),
    }
}
