//! The generated part of the CMS's config.yml: i18n, and one collection for practices and
//! one for pages, each field with its widget, whether it is required, its pattern, and
//! whether it is translated (`i18n: true`) or shared by every language (`i18n: duplicate`),
//! as casebook reads them (src/commands/schema.rs says the same for editors' YAML).

use super::yaml::{Yaml, s, strs};
use crate::document::{Level, MAX_SUMMARY_CHARS};
use crate::input::config::{Config, FieldKind, FieldSpec, Vocabulary};
use crate::input::countries::ISO_3166_ALPHA2;
use crate::theme::i18n::I18n;

/// A partial date, as `start` and `end` take it.
pub const PARTIAL_DATE: &str = "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$";
/// An http(s) address.
pub const WEB_URL: &str = "^https?://[^/\\s\"<>]";

/// Whether a field is written in each language or once for all of them.
#[derive(Clone, Copy)]
enum Lang {
    /// Translated: each language's file has its own value.
    Own,
    /// Shared: the CMS copies the default language's value into every file.
    Shared,
    /// Shared, in the default language's form only: Decap cannot copy a list, nor an object
    /// whose own fields are not all copied, into the other languages (`i18n: duplicate` is
    /// for single values), so translations leave it out and inherit it.
    DefaultOnly,
}

/// One field: its name, label, widget and options.
fn field(name: &str, label: &str, widget: &str, required: bool, lang: Lang) -> Yaml {
    let mut f = Yaml::map([
        ("name", s(name)),
        ("label", s(label)),
        ("widget", s(widget)),
        ("required", Yaml::Bool(required)),
    ]);
    match lang {
        Lang::Own => f.push("i18n", Yaml::Bool(true)),
        Lang::Shared => f.push("i18n", s("duplicate")),
        Lang::DefaultOnly => {}
    }
    f
}

fn with(mut f: Yaml, extra: impl IntoIterator<Item = (&'static str, Yaml)>) -> Yaml {
    for (k, v) in extra {
        f.push(k, v);
    }
    f
}

fn pattern(regex: &str, message: &str) -> (&'static str, Yaml) {
    ("pattern", strs([regex, message]))
}

fn hint(text: &str) -> (&'static str, Yaml) {
    ("hint", s(text))
}

/// A select of a vocabulary's terms, labelled in the default language.
fn options(vocab: &Vocabulary, config: &Config) -> (&'static str, Yaml) {
    (
        "options",
        Yaml::List(
            vocab
                .terms
                .iter()
                .map(|t| {
                    let label = vocab.label(
                        &t.key,
                        &config.default_language,
                        config.fallbacks(&config.default_language),
                    );
                    Yaml::map([("label", s(label)), ("value", s(&t.key))])
                })
                .collect(),
        ),
    )
}

fn date(name: &str, label: &str, required: bool, lang: Lang) -> Yaml {
    with(
        field(name, label, "datetime", required, lang),
        [
            ("format", s("YYYY-MM-DD")),
            ("date_format", s("YYYY-MM-DD")),
            ("time_format", Yaml::Bool(false)),
            ("picker_utc", Yaml::Bool(true)),
        ],
    )
}

fn partial_date(name: &str, label: &str, lang: Lang) -> Yaml {
    with(
        field(name, label, "string", false, lang),
        [
            pattern(PARTIAL_DATE, "YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2017-03"),
            hint("YYYY, YYYY-MM or YYYY-MM-DD"),
        ],
    )
}

/// The fields of a practice, built-in ones first, then those casebook.yaml declares.
pub fn practice_fields(config: &Config, i18n: &I18n) -> Vec<Yaml> {
    use Lang::{DefaultOnly, Own, Shared};
    let countries = Yaml::List(
        ISO_3166_ALPHA2
            .iter()
            .map(|code| {
                let name = i18n.get(&config.default_language, &format!("countries.{code}"));
                let label = if name == format!("countries.{code}") {
                    code.to_string()
                } else {
                    format!("{name} ({code})")
                };
                Yaml::map([("label", s(label)), ("value", s(*code))])
            })
            .collect(),
    );
    // Labels the theme translates are in the default language; the others in English.
    let ui = |key: &str, english: &str| {
        i18n.lookup(&config.default_language, key)
            .unwrap_or(english)
            .to_string()
    };
    let levels = Yaml::List(
        Level::ALL
            .iter()
            .map(|l| {
                let label = ui(&format!("levels.{}", l.key()), l.key());
                Yaml::map([("label", s(label)), ("value", s(l.key()))])
            })
            .collect(),
    );
    let summary_pattern = format!("^[\\s\\S]{{1,{MAX_SUMMARY_CHARS}}}$");
    let mut fields = vec![
        field("title", "Title", "string", true, Own),
        field("subtitle", "Subtitle", "string", false, Own),
        with(
            field("summary", "Summary", "text", true, Own),
            [
                pattern(
                    &summary_pattern,
                    &format!("Plain text, at most {MAX_SUMMARY_CHARS} characters"),
                ),
                hint("Shown on cards, in search results and in feeds."),
            ],
        ),
        with(
            field("city", "City", "string", false, Own),
            [hint(
                "A practice needs a city or, for region-wide practices, a region.",
            )],
        ),
        field("region", "Region", "string", false, Own),
        with(
            field("country", "Country", "select", true, Shared),
            [("options", countries)],
        ),
        with(
            field(
                "topics",
                &ui("taxonomies.topics", "Topics"),
                "select",
                true,
                Shared,
            ),
            [
                options(&config.topics, config),
                ("multiple", Yaml::Bool(true)),
                ("min", Yaml::Int(1)),
            ],
        ),
        with(
            field(
                "programme",
                &ui("practice.programme", "Programme"),
                "select",
                false,
                Shared,
            ),
            [options(&config.programmes, config)],
        ),
        with(
            field(
                "level",
                &ui("practice.level", "Level"),
                "select",
                false,
                Shared,
            ),
            [("options", levels)],
        ),
        partial_date("start", "Start", Shared),
        partial_date("end", "End", Shared),
        with(
            field("coordinates", "Coordinates", "list", false, DefaultOnly),
            [
                hint("Latitude, then longitude, in decimal degrees."),
                ("min", Yaml::Int(2)),
                ("max", Yaml::Int(2)),
                (
                    "field",
                    Yaml::map([
                        ("name", s("value")),
                        ("label", s("Degrees")),
                        ("widget", s("number")),
                        ("value_type", s("float")),
                    ]),
                ),
            ],
        ),
        with(
            field(
                "budget",
                &ui("practice.budget", "Budget"),
                "object",
                false,
                Own,
            ),
            [
                ("collapsed", Yaml::Bool(true)),
                (
                    "fields",
                    Yaml::List(vec![
                        with(
                            field(
                                "total",
                                &ui("practice.budget_total", "Total"),
                                "number",
                                false,
                                Shared,
                            ),
                            [("value_type", s("float")), ("min", Yaml::Int(0))],
                        ),
                        with(
                            field(
                                "eu",
                                &ui("practice.budget_eu", "EU contribution"),
                                "number",
                                false,
                                Shared,
                            ),
                            [("value_type", s("float")), ("min", Yaml::Int(0))],
                        ),
                        with(
                            field("currency", "Currency", "string", false, Shared),
                            [pattern("^[A-Z]{3}$", "An ISO 4217 code, e.g. EUR")],
                        ),
                    ]),
                ),
            ],
        ),
        with(
            field(
                "key_figures",
                &ui("practice.key_figures", "Key figures"),
                "list",
                false,
                Own,
            ),
            [
                ("summary", s("{{fields.value}} {{fields.label}}")),
                (
                    "fields",
                    Yaml::List(vec![
                        with(
                            field("value", "Figure", "string", true, Own),
                            [hint("A short figure, e.g. 3,700 or 84%.")],
                        ),
                        field("label", "What it counts", "string", true, Own),
                    ]),
                ),
            ],
        ),
        with(
            field(
                "partners",
                &ui("practice.partners", "Partners"),
                "list",
                false,
                Own,
            ),
            [hint("Organisation names, separated by commas.")],
        ),
        with(
            field(
                "owner",
                &ui("practice.owner", "Owner"),
                "object",
                false,
                Own,
            ),
            [
                ("collapsed", Yaml::Bool(true)),
                (
                    "fields",
                    Yaml::List(vec![
                        // Optional objects: Decap checks the fields inside one even when it is left empty, so
                        // they are optional here and `casebook check` asks for them.
                        with(
                            field("organisation", "Organisation", "string", false, Own),
                            [hint("Required when an owner is given.")],
                        ),
                        with(
                            field("url", "Website", "string", false, Own),
                            [pattern(WEB_URL, "A full http(s) address")],
                        ),
                    ]),
                ),
            ],
        ),
        with(
            field("image", "Image", "object", false, Own),
            [
                ("collapsed", Yaml::Bool(true)),
                (
                    "fields",
                    Yaml::List(vec![
                        with(
                            field("src", "File", "image", false, Shared),
                            [hint(
                                "Uploaded into static/; written as a path under static/.",
                            )],
                        ),
                        with(
                            field("alt", "Text alternative", "string", false, Own),
                            [hint(
                                "Required with an image: what it shows, for people who cannot see it.",
                            )],
                        ),
                    ]),
                ),
            ],
        ),
        with(
            field(
                "related",
                &ui("practice.related", "Related practices"),
                "relation",
                false,
                Shared,
            ),
            [
                ("collection", s("practices")),
                ("value_field", s("{{slug}}")),
                ("search_fields", strs(["title"])),
                ("display_fields", strs(["title"])),
                ("multiple", Yaml::Bool(true)),
            ],
        ),
        with(
            field(
                "adapted_by",
                &ui("practice.adapted_by", "Adapted by"),
                "list",
                false,
                DefaultOnly,
            ),
            [hint(
                "Slugs of practices or names of places that took the practice over, separated by commas.",
            )],
        ),
        date(
            "published",
            &ui("practice.published", "Published"),
            true,
            Own,
        ),
        date("updated", &ui("practice.updated", "Updated"), false, Own),
        with(
            field("draft", "Draft", "boolean", false, Own),
            [("default", Yaml::Bool(false))],
        ),
        field("translated_from", "Translated from", "hidden", false, Own),
    ];
    fields.extend(config.fields.iter().map(|f| declared(f, config)));
    fields.push(field("body", "Text", "markdown", false, Own));
    fields
}

/// A field declared in casebook.yaml, with the widget of its kind.
pub fn declared(spec: &FieldSpec, config: &Config) -> Yaml {
    let lang = match (spec.shared, spec.kind) {
        (true, FieldKind::List) => Lang::DefaultOnly,
        (true, _) => Lang::Shared,
        (false, _) => Lang::Own,
    };
    let label = spec.label.get(
        &config.default_language,
        config.fallbacks(&config.default_language),
    );
    let label = if label.is_empty() {
        spec.name.as_str()
    } else {
        label
    };
    let widget = match spec.kind {
        FieldKind::Text | FieldKind::Url | FieldKind::Date => "string",
        FieldKind::Markdown => "markdown",
        FieldKind::Number => "number",
        FieldKind::Boolean => "boolean",
        FieldKind::List => "list",
        FieldKind::Term | FieldKind::Terms => "select",
    };
    let mut f = field(&spec.name, label, widget, spec.required, lang);
    let help = spec.help.get(
        &config.default_language,
        config.fallbacks(&config.default_language),
    );
    if !help.is_empty() {
        f.push("hint", s(help));
    }
    match spec.kind {
        FieldKind::Url => f.push("pattern", strs([WEB_URL, "A full http(s) address"])),
        FieldKind::Date => f.push(
            "pattern",
            strs([PARTIAL_DATE, "YYYY, YYYY-MM or YYYY-MM-DD"]),
        ),
        FieldKind::Number => f.push("value_type", s("float")),
        FieldKind::Term | FieldKind::Terms => {
            let vocab = config.vocabulary_of(spec).cloned().unwrap_or_default();
            let (k, v) = options(&vocab, config);
            f.push(k, v);
            if spec.kind == FieldKind::Terms {
                f.push("multiple", Yaml::Bool(true));
            }
        }
        _ => {}
    }
    f
}

/// The fields of a static page.
pub fn page_fields() -> Vec<Yaml> {
    use Lang::{Own, Shared};
    vec![
        field("title", "Title", "string", true, Own),
        field("summary", "Summary", "text", false, Own),
        with(
            field("menu", "Position in the menu", "number", false, Shared),
            [("value_type", s("int"))],
        ),
        field("menu_title", "Name in the menu", "string", false, Own),
        with(
            field("draft", "Draft", "boolean", false, Own),
            [("default", Yaml::Bool(false))],
        ),
        field("translated_from", "Translated from", "hidden", false, Own),
        field("body", "Text", "markdown", false, Own),
    ]
}

/// The generated settings: slugs as casebook wants them, i18n, and the two collections.
pub fn generated(config: &Config, i18n: &I18n) -> Yaml {
    let collection = |name: &str, label: &str, singular: &str, fields: Vec<Yaml>, summary: &str| {
        Yaml::map([
            ("name", s(name)),
            ("label", s(label)),
            ("label_singular", s(singular)),
            ("folder", s(format!("content/{name}"))),
            ("create", Yaml::Bool(true)),
            ("extension", s("md")),
            ("format", s("frontmatter")),
            ("slug", s("{{slug}}")),
            ("identifier_field", s("title")),
            ("summary", s(summary)),
            ("i18n", Yaml::Bool(true)),
            ("fields", Yaml::List(fields)),
        ])
    };
    Yaml::map([
        (
            "slug",
            Yaml::map([
                ("encoding", s("ascii")),
                ("clean_accents", Yaml::Bool(true)),
                ("sanitize_replacement", s("-")),
            ]),
        ),
        (
            "i18n",
            Yaml::map([
                ("structure", s("multiple_files")),
                ("locales", strs(config.languages.iter().map(String::as_str))),
                ("default_locale", s(&config.default_language)),
            ]),
        ),
        (
            "collections",
            Yaml::List(vec![
                collection(
                    "practices",
                    "Practices",
                    "Practice",
                    practice_fields(config, i18n),
                    "{{title}}",
                ),
                collection("pages", "Pages", "Page", page_fields(), "{{title}}"),
            ]),
        ),
    ])
}
