//! casebook's own open data as imported practices: the dataset (`/practices.json`, every
//! practice with every translation) or a language's catalogue (`/{lang}/practices.json`),
//! as docs/open-data.md describes them. What the build adds (URLs, `languages`,
//! `fallback`, `adapted_from`) is left out; images go back to their path under `static/`.
//! The JSON holds no Markdown body.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json};

use super::cells::{image_src, language};
use super::fields::{
    BUILT_IN, Given, Origin, Practice, Scope, Value, Values, Version, date, number,
};
use super::json_positions::{Positions, positions};
use super::source::{Input, at};
use crate::diagnostics::{Code, Diagnostic};
use crate::input::config::Config;
use crate::publish::opendata::FORMAT_VERSION;

/// The JSON's values with their places.
struct Reader<'a> {
    input: &'a Input,
    config: &'a Config,
    positions: Positions,
    /// The site's address the JSON was published at, to take images back under static/.
    base_url: String,
}

impl Reader<'_> {
    fn origin(&self, path: &str) -> Origin {
        let (line, column) = self.positions.of(path);
        Origin {
            line,
            column,
            name: path.to_string(),
        }
    }

    fn error(&self, path: &str, code: Code, message: impl Into<String>) -> Diagnostic {
        at(self.input, &self.origin(path), code, message)
    }
}

/// Reads the practices of a `practices.json`.
pub fn read(
    input: &Input,
    config: &Config,
) -> Result<(Vec<Practice>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let json: Json = serde_json::from_str(&input.text).map_err(|e| {
        vec![
            at(
                input,
                &Origin {
                    line: e.line(),
                    column: e.column(),
                    name: String::new(),
                },
                Code::ImportInvalid,
                format!("the file is not valid JSON: {e}"),
            )
            .hint("import casebook's practices.json as the site published it, or a CSV"),
        ]
    })?;
    let r = Reader {
        input,
        config,
        positions: positions(&input.text),
        base_url: json["$schema"]
            .as_str()
            .and_then(|s| s.strip_suffix(crate::urls::OPEN_DATA_SCHEMA))
            .map(|b| format!("{b}/"))
            .unwrap_or_default(),
    };
    let format = json["format"].as_str().unwrap_or("");
    if !matches!(format, "casebook-dataset" | "casebook-catalogue") {
        return Err(vec![r.error("format", Code::ImportInvalid, "the file is not casebook's open data: its `format` is neither `casebook-dataset` nor `casebook-catalogue`")
            .hint("import the `/practices.json` (or `/{lang}/practices.json`) that a casebook site publishes, or a CSV")]);
    }
    if json["version"]
        .as_u64()
        .is_some_and(|v| v > u64::from(FORMAT_VERSION))
    {
        return Err(vec![r.error("version", Code::ImportInvalid, format!("the file is version {} of the format; this casebook reads version {FORMAT_VERSION}", json["version"]))
            .hint("import it with a newer casebook")]);
    }
    let Some(records) = json["practices"].as_array() else {
        return Err(vec![
            r.error(
                "practices",
                Code::ImportInvalid,
                "the file has no `practices` list",
            )
            .hint("import the file as a casebook site published it"),
        ]);
    };
    let mut practices: Vec<Practice> = Vec::new();
    let mut orphans = Vec::new();
    for (i, record) in records.iter().enumerate() {
        let path = format!("practices[{i}]");
        let Some(obj) = record.as_object() else {
            orphans.push(r.error(&path, Code::WrongType, "a practice is not an object"));
            continue;
        };
        let Some(slug) = obj.get("slug").and_then(Json::as_str) else {
            orphans.push(
                r.error(&path, Code::MissingField, "the practice has no `slug`")
                    .hint("every practice of casebook's open data has its slug"),
            );
            continue;
        };
        let mut problems = Vec::new();
        if !crate::input::config::is_slug(slug) {
            problems.push(
                r.error(
                    &format!("{path}.slug"),
                    Code::BadFileName,
                    format!("`{slug}` is not a valid slug"),
                )
                .hint("a slug is lowercase ASCII letters, digits and hyphens"),
            );
        }
        let shared = shared(&r, obj, &path, &mut problems);
        let mut versions = Vec::new();
        if format == "casebook-dataset" {
            let translations = obj.get("translations").and_then(Json::as_array);
            for (j, t) in translations.into_iter().flatten().enumerate() {
                let tpath = format!("{path}.translations[{j}]");
                if let Some(v) = version(&r, t, &tpath, &mut problems) {
                    versions.push(v);
                }
            }
        } else if let Some(v) = version(&r, record, &path, &mut problems) {
            versions.push(v);
        }
        let n = match practices.iter().position(|p| p.slug == slug) {
            Some(n) => n,
            None => {
                practices.push(Practice {
                    slug: slug.to_string(),
                    shared: Values::new(),
                    decided: Default::default(),
                    versions: Vec::new(),
                    problems: Vec::new(),
                });
                practices.len() - 1
            }
        };
        let p = &mut practices[n];
        p.problems.extend(problems);
        super::table::merge(input, p, shared, versions);
    }
    Ok((practices, orphans))
}

fn text(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn list(v: &Json) -> Vec<String> {
    match v {
        Json::Array(items) => items
            .iter()
            .filter_map(|i| match i {
                Json::Object(o) => o.get("slug").or_else(|| o.get("name")).and_then(text),
                other => text(other),
            })
            .collect(),
        other => text(other).into_iter().collect(),
    }
}

/// A declared field's value as JSON gives it.
fn declared(v: &Json) -> Option<Value> {
    match v {
        Json::String(s) => Some(Value::Text(s.clone())),
        Json::Number(n) => n.as_f64().map(|f| Value::Raw(number(f))),
        Json::Bool(b) => Some(Value::Raw(b.to_string())),
        Json::Array(_) => Some(Value::List(list(v))),
        _ => None,
    }
}

/// Every built-in key of `scope`, and the declared fields the JSON gives: what an
/// `--update` replaces.
fn decided(
    scope: Scope,
    given: &Values,
    origin: impl Fn(&str) -> Origin,
) -> BTreeMap<String, Origin> {
    let mut out: BTreeMap<String, Origin> = BTreeMap::new();
    for (k, _) in BUILT_IN.iter().filter(|(_, s)| *s == scope) {
        out.insert(k.to_string(), origin(k));
    }
    for (k, g) in given {
        out.insert(k.clone(), g.origin.clone());
    }
    out
}

fn put(values: &mut Values, key: &str, value: Option<Value>, origin: Origin) {
    if let Some(value) = value.filter(|v| !v.is_empty()) {
        values.insert(key.to_string(), Given { value, origin });
    }
}

/// The declared fields with this `scope`: shared ones are under `fields`, per-language ones
/// under `language_fields` (a catalogue record holds both objects).
fn fields(
    r: &Reader,
    obj: &Map<String, Json>,
    path: &str,
    scope: Scope,
    values: &mut Values,
    problems: &mut Vec<Diagnostic>,
) {
    let key = match scope {
        Scope::Shared => "fields",
        Scope::Language => "language_fields",
    };
    let Some(fields) = obj.get(key).and_then(Json::as_object) else {
        return;
    };
    for (name, v) in fields {
        let fpath = format!("{path}.{key}.{name}");
        match super::fields::scope(r.config, name) {
            Some(s) if s == scope => {
                let is_date = r
                    .config
                    .fields
                    .iter()
                    .any(|f| f.name == *name && f.kind == crate::input::config::FieldKind::Date);
                let value = match v.as_str() {
                    Some(d) if is_date => Some(date(d)),
                    _ => declared(v),
                };
                put(values, name, value, r.origin(&fpath));
            }
            Some(_) => problems.push(
                r.error(&fpath, Code::ImportInvalid, format!(
                    "field `{name}` is {} in this site's casebook.yaml, but the file gives it {}",
                    if scope == Scope::Shared { "per language" } else { "shared" },
                    if scope == Scope::Shared { "once for all translations" } else { "per language" },
                ))
                .hint(format!("declare `{name}` with `shared: {}` under `fields:`, as the site that published the file does", scope == Scope::Shared)),
            ),
            None => problems.push(r.error(&fpath, Code::UnknownField, format!("field `{name}` is not declared in this site's casebook.yaml"))
                .hint(format!("declare it under `fields:` (as the site that published the file does), then import again: `{name}: {{ type: …, label: … }}`"))),
        }
    }
}

fn shared(
    r: &Reader,
    obj: &Map<String, Json>,
    path: &str,
    problems: &mut Vec<Diagnostic>,
) -> (Values, BTreeMap<String, Origin>) {
    let mut values = Values::new();
    let o = |key: &str| r.origin(&format!("{path}.{key}"));
    let get = |key: &str| obj.get(key).unwrap_or(&Json::Null);
    for key in ["country", "programme", "level"] {
        put(&mut values, key, text(get(key)).map(Value::Text), o(key));
    }
    for key in ["start", "end"] {
        put(&mut values, key, text(get(key)).map(|d| date(&d)), o(key));
    }
    for key in ["topics", "related", "adapted_by"] {
        put(&mut values, key, Some(Value::List(list(get(key)))), o(key));
    }
    if let (Some(lat), Some(lon)) = (
        get("coordinates")["lat"].as_f64(),
        get("coordinates")["lon"].as_f64(),
    ) {
        let v = Value::Raw(format!("[{}, {}]", number(lat), number(lon)));
        put(&mut values, "coordinates", Some(v), o("coordinates"));
    }
    let budget = get("budget");
    for key in ["total", "eu"] {
        let v = budget[key].as_f64().map(|n| Value::Raw(number(n)));
        put(
            &mut values,
            &format!("budget.{key}"),
            v,
            o(&format!("budget.{key}")),
        );
    }
    let currency = text(&budget["currency"]).map(Value::Text);
    put(
        &mut values,
        "budget.currency",
        currency,
        o("budget.currency"),
    );
    let image = text(get("image")).map(|s| Value::Text(image_src(&s, &r.base_url)));
    put(&mut values, "image.src", image, o("image"));
    fields(r, obj, path, Scope::Shared, &mut values, problems);
    let decided = decided(Scope::Shared, &values, o);
    (values, decided)
}

fn version(r: &Reader, t: &Json, path: &str, problems: &mut Vec<Diagnostic>) -> Option<Version> {
    let Some(obj) = t.as_object() else {
        problems.push(r.error(path, Code::WrongType, "a translation is not an object"));
        return None;
    };
    let o = |key: &str| r.origin(&format!("{path}.{key}"));
    let get = |key: &str| obj.get(key).unwrap_or(&Json::Null);
    let lang = match text(get("lang")) {
        Some(l) => match language(r.config, &l) {
            Ok(l) => l,
            Err((message, hint)) => {
                problems.push(
                    r.error(&format!("{path}.lang"), Code::UnknownLanguage, message)
                        .hint(hint),
                );
                return None;
            }
        },
        None => {
            problems.push(r.error(path, Code::MissingField, "the translation has no `lang`"));
            return None;
        }
    };
    let mut values = Values::new();
    for key in ["title", "subtitle", "city", "region", "summary"] {
        put(&mut values, key, text(get(key)).map(Value::Text), o(key));
    }
    for key in ["published", "updated"] {
        put(&mut values, key, text(get(key)).map(|d| date(&d)), o(key));
    }
    put(
        &mut values,
        "partners",
        Some(Value::List(list(get("partners")))),
        o("partners"),
    );
    let owner = get("owner");
    for key in ["organisation", "url"] {
        let v = text(&owner[key]).map(Value::Text);
        put(
            &mut values,
            &format!("owner.{key}"),
            v,
            o(&format!("owner.{key}")),
        );
    }
    let figures: Vec<(String, String)> = get("key_figures")
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                text(&f["value"]).unwrap_or_default(),
                text(&f["label"]).unwrap_or_default(),
            )
        })
        .collect();
    put(
        &mut values,
        "key_figures",
        Some(Value::Figures(figures)),
        o("key_figures"),
    );
    put(
        &mut values,
        "image.alt",
        text(get("image_alt")).map(Value::Text),
        o("image_alt"),
    );
    fields(r, obj, path, Scope::Language, &mut values, problems);
    let decided = decided(Scope::Language, &values, o);
    Some(Version {
        lang,
        origin: r.origin(path),
        values,
        decided,
        // Not in casebook's open data today; a hand-made file (or a later format) may
        // carry the Markdown body of each translation.
        body: get("body").as_str().map(|b| Given {
            value: Value::Text(b.to_string()),
            origin: o("body"),
        }),
    })
}
