//! Fields and facets a site declares in casebook.yaml: the example site of a network with its
//! own template (examples/network-template), what a reader and a data user get from it, and
//! each mistake in a declaration or a value, located, with nothing written.

mod common;

use common::{Site, copy_dir, repo, snapshot, texts};

/// A copy of the example site, with the repository's default theme.
fn example() -> Site {
    let site = Site::new();
    copy_dir(&repo().join("examples/network-template"), site.root());
    site
}

const FIELDS_CONFIG: &str = "base_url: https://example.org/
default_language: en
languages: [en, es]
taxonomies:
  topics:
    poverty: { en: Poverty, es: Pobreza }
    jobs: { en: Jobs, es: Empleo }
  sectors:
    health: { en: Health, es: Salud }
    housing: { en: Housing, es: Vivienda }
fields:
  sector:
    type: terms
    vocabulary: sectors
    label: { en: Sector, es: Sector }
  participants:
    type: number
    required: true
    label: { en: Participants, es: Participantes }
  lessons:
    type: markdown
    label: { en: Lessons, es: Lecciones }
  launched:
    type: date
    label: { en: Launched, es: Lanzamiento }
  open_source:
    type: boolean
    label: { en: Open source, es: Código abierto }
facets: [topics, sector, { field: participants, buckets: [0, 100] }]
";

fn fields_site() -> Site {
    let site = Site::with_config(FIELDS_CONFIG);
    site.write(
        "content/practices/alpha.md",
        "---
title: Alpha
city: Turin
country: IT
topics: [poverty]
sector: [health, housing]
participants: 250
launched: 2019-05
open_source: true
summary: A practice.
published: 2024-01-01
lessons: |
  Start *small*.
---
Body.
",
    );
    site.write(
        "content/practices/alpha.es.md",
        "---
title: Alfa
summary: Una práctica.
published: 2024-01-01
lessons: Empezar con poco.
---
Cuerpo.
",
    );
    site.write(
        "content/practices/beta.md",
        "---
title: Beta
city: Porto
country: PT
topics: [jobs]
sector: [housing]
participants: 40
summary: Another practice.
published: 2024-02-01
---
Body.
",
    );
    site
}

#[test]
fn the_example_network_site_builds_and_checks() {
    let site = example();
    site.build_ok();
    let (code, stdout, stderr) = site.cli(&["check", "--deny-warnings"]);
    assert_eq!(code, 0, "{stdout}{stderr}");

    // The practice page shows the declared fields with their labels in the reader's language.
    let page = site.html("es/practices/b-mincome/index.html");
    let labels = texts(&page, ".facts dt");
    for label in [
        "Tipo de organización",
        "Personas alcanzadas",
        "Institución principal",
        "Sitio web",
    ] {
        assert!(labels.iter().any(|l| l == label), "{label} in {labels:?}");
    }
    let reached = texts(&page, ".field-people_reached");
    assert_eq!(
        reached,
        ["3.700"],
        "Spanish separators, linked to its range"
    );
    let sections = texts(&page, "section.field h2");
    assert_eq!(
        sections,
        [
            "Pruebas de éxito",
            "Potencial de aprendizaje o transferencia"
        ]
    );

    // Both extra facets have term pages with counts, in every language.
    let municipality = site.html("en/organisation_type/municipality/index.html");
    assert_eq!(texts(&municipality, ".cards .card-title").len(), 3);
    let range = site.html("es/people_reached/0/index.html");
    assert_eq!(texts(&range, "h1"), ["0–499"]);
    assert_eq!(texts(&range, ".cards .card-title"), ["Co-Crea-Te"]);
    let catalogue = site.html("en/index.html");
    let facets = texts(&catalogue, ".facets h3");
    assert_eq!(
        facets,
        [
            "Topics",
            "Type of organisation",
            "People reached",
            "Countries"
        ]
    );
}

#[test]
fn declared_fields_reach_the_open_data_and_the_browser_index() {
    let site = fields_site();
    site.build_ok();
    let data: serde_json::Value = serde_json::from_str(&site.read("practices.json")).unwrap();
    let alpha = &data["practices"][0];
    assert_eq!(alpha["slug"], "alpha");
    assert_eq!(
        alpha["fields"],
        serde_json::json!({"sector": ["health", "housing"], "participants": 250, "launched": "2019-05", "open_source": true})
    );
    assert_eq!(
        alpha["translations"][1]["language_fields"]["lessons"],
        "Empezar con poco."
    );
    assert_eq!(data["vocabularies"]["sectors"]["housing"]["es"], "Vivienda");
    let csv = site.read("en/practices.csv");
    let header = csv.lines().next().unwrap();
    assert!(
        header.ends_with(",sector,participants,lessons,launched,open_source"),
        "{header}"
    );
    assert!(
        csv.contains(",health;housing,250,Start *small*.,2019-05,true"),
        "{csv}"
    );

    let index_file = std::fs::read_dir(site.out().join("es/search"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("catalogue.")
        })
        .unwrap();
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(index_file).unwrap()).unwrap();
    let facets = index["facets"].as_array().unwrap();
    let keys: Vec<&str> = facets.iter().map(|f| f["key"].as_str().unwrap()).collect();
    assert_eq!(
        keys,
        ["topics", "sector", "participants"],
        "the declared order; countries off"
    );
    assert_eq!(facets[1]["name"], "Sector");
    assert_eq!(
        facets[1]["terms"],
        serde_json::json!([["health", "Salud"], ["housing", "Vivienda"]])
    );
    assert_eq!(
        facets[2]["terms"],
        serde_json::json!([["0", "0–99"], ["100", "100+"]])
    );
    assert_eq!(index["entries"]["sector"], serde_json::json!([[1], [0, 1]]));
    assert_eq!(
        index["entries"]["participants"],
        serde_json::json!([[0], [1]])
    );
    assert!(
        index["entries"].get("countries").is_none(),
        "a facet turned off has no column"
    );

    // A page in Spanish reads the Markdown field of its own language, rendered.
    let page = site.html("en/practices/alpha/index.html");
    assert_eq!(texts(&page, ".field-lessons em"), ["small"]);
    assert_eq!(texts(&page, ".field-open_source"), ["Yes"]);
    assert_eq!(texts(&page, ".field-launched time"), ["May 2019"]);
    assert!(
        !site.exists("en/countries/index.html"),
        "countries is not a facet here"
    );
}

#[test]
fn schema_and_new_practice_know_the_declared_fields() {
    let site = fields_site();
    let (code, schema, _) = site.cli(&["schema"]);
    assert_eq!(code, 0);
    let schema: serde_json::Value = serde_json::from_str(&schema).unwrap();
    assert_eq!(
        schema["properties"]["sector"]["items"]["enum"],
        serde_json::json!(["health", "housing"])
    );
    assert_eq!(schema["properties"]["participants"]["type"], "number");
    assert!(
        schema["properties"]["lessons"]["description"]
            .as_str()
            .unwrap()
            .contains("per language")
    );

    let (code, _, stderr) = site.cli(&["new", "practice", "gamma"]);
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(site.root().join("content/practices/gamma.md")).unwrap();
    assert!(
        text.contains("# required, shared: Participants: number"),
        "{text}"
    );
    assert!(text.contains("sector: []"), "{text}");
    // A translation started from it carries the per-language declared fields over.
    site.write(
        "content/practices/gamma.md",
        &std::fs::read_to_string(site.root().join("content/practices/alpha.md")).unwrap(),
    );
    let (code, _, stderr) = site.cli(&["new", "practice", "gamma", "--lang", "es"]);
    assert_eq!(code, 0, "{stderr}");
    let es = std::fs::read_to_string(site.root().join("content/practices/gamma.es.md")).unwrap();
    assert!(es.contains("lessons: |"), "{es}");
    assert!(
        !es.contains("participants:"),
        "shared fields stay in the source: {es}"
    );
}

#[test]
fn mistakes_in_declared_values_are_located_with_a_hint() {
    let site = fields_site();
    site.build_ok();
    let before = snapshot(&site.out());
    site.write(
        "content/practices/beta.md",
        "---
title: Beta
city: Porto
country: PT
topics: [jobs]
sector: [helth]
participants: many
launched: 2019-13
sumary: typo
summary: Another practice.
published: 2024-02-01
---
Body.
",
    );
    let (code, _, stderr) = site.cli(&["build"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(snapshot(&site.out()), before, "the output is unchanged");
    for (at, message, hint) in [
        (
            "content/practices/beta.md:6:10",
            "unknown term `helth` in `sector`",
            "did you mean `health`?",
        ),
        (
            "content/practices/beta.md:7:15",
            "`participants` is a number, not a text",
            "`participants: 120`",
        ),
        (
            "content/practices/beta.md:8:11",
            "bad date in `launched`",
            "",
        ),
        (
            "content/practices/beta.md:9:1",
            "unknown field `sumary`",
            "did you mean `summary`?",
        ),
    ] {
        let line = stderr
            .lines()
            .position(|l| l.contains(message))
            .unwrap_or_else(|| panic!("{message} in {stderr}"));
        let block: String = stderr
            .lines()
            .skip(line)
            .take(8)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(block.contains(at), "{at} in {block}");
        assert!(block.contains(hint), "{hint} in {block}");
    }

    // A required shared field missing from every file of a practice, and two files that
    // disagree on a shared one.
    site.write(
        "content/practices/beta.md",
        &std::fs::read_to_string(site.root().join("content/practices/beta.md"))
            .unwrap()
            .replace("participants: many\n", "")
            .replace("sector: [helth]\n", "")
            .replace("launched: 2019-13\n", "")
            .replace("sumary: typo\n", ""),
    );
    site.write(
        "content/practices/alpha.es.md",
        "---\ntitle: Alfa\nsummary: Una.\npublished: 2024-01-01\nparticipants: 99\n---\n",
    );
    let (code, _, stderr) = site.cli(&["build"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(snapshot(&site.out()), before, "the output is unchanged");
    assert!(
        stderr.contains("practice `beta` has no `participants`"),
        "{stderr}"
    );
    assert!(stderr.contains("`participants: 120`"), "{stderr}");
    assert!(
        stderr.contains("`participants` is `99` here but `250` in content/practices/alpha.md"),
        "{stderr}"
    );
}

#[test]
fn mistakes_in_field_declarations_are_located_with_a_hint() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "fields:\n  size:\n    type: nubmer\n    label: Size\n",
            "casebook.yaml:13:11",
            "field `size` has an unknown type `nubmer`",
            "did you mean `number`?",
        ),
        (
            "fields:\n  size:\n    type: number\n    label: Size\n  size:\n    type: text\n    label: Size\n",
            "casebook.yaml:15:3",
            "`size` is given twice",
            "delete the other",
        ),
        (
            "fields:\n  note:\n    type: text\n    label: Note\nfacets: [topics, note]\n",
            "casebook.yaml:15:18",
            "the field `note` is of type `text`, which cannot be a facet",
            "a `term` or `terms` field",
        ),
        (
            "fields:\n  sector:\n    type: term\n    vocabulary: sectorz\n    label: Sector\n",
            "casebook.yaml:14:17",
            "names the vocabulary `sectorz`, which `taxonomies` does not declare",
            "declare it under `taxonomies: sectorz:`",
        ),
        (
            "fields:\n  size:\n    type: number\n    label: Size\nfacets: [topics, size]\n",
            "casebook.yaml:15:18",
            "the number field `size` needs ranges to be a facet",
            "buckets: [0, 100, 1000]",
        ),
        (
            "fields:\n  title:\n    type: text\n    label: Title\n",
            "casebook.yaml:12:3",
            "`title` is a built-in field",
            "give the new field another name",
        ),
    ];
    let base = common::CONFIG;
    for (extra, at, message, hint) in cases {
        let site = Site::with_config(&format!("{base}{extra}"));
        site.write(
            "content/practices/a.md",
            &common::practice("A", "poverty", ""),
        );
        let (code, _, stderr) = site.cli(&["build"]);
        assert_eq!(code, 1, "{extra}: {stderr}");
        assert!(stderr.contains(message), "{message} in {stderr}");
        assert!(stderr.contains(at), "{at} in {stderr}");
        assert!(stderr.contains(hint), "{hint} in {stderr}");
        assert!(!site.out().exists(), "nothing written for {extra}");
    }
}

/// The catalogue of the example site in Chromium: a declared vocabulary facet and a range
/// facet filter, count, combine, show as chips and live in the URL, as topics do.
#[test]
fn declared_facets_filter_the_catalogue_in_the_browser() {
    use common::browser::{Browser, StaticServer};
    use std::time::Duration;
    let wait = Duration::from_secs(10);
    let site = example();
    site.build_ok();
    let server = StaticServer::start(&site.out());
    let browser = Browser::start(1280, 900);
    let settle = || {
        browser.wait_for(
            "return document.documentElement.dataset.catalogue === 'ready' && casebook.catalogue.pending === 0",
            wait,
        )
    };
    let pick = |facet: &str, term: &str| {
        let id = browser.eval(&format!(
            "return document.querySelector('#facet-form input[name={facet}][value=\"{term}\"]').id"
        ));
        browser.click(&format!("label[for={}]", id.as_str().unwrap()));
        settle();
    };
    let titles = || {
        browser.eval(
            "return [...document.querySelectorAll('.results .cards .card-title')].map(e => e.textContent.trim())",
        )
    };
    let counts = |facet: &str| {
        browser.eval(&format!(
            "return [...document.querySelectorAll('#facet-form input[name={facet}]')].map(i => [i.value, i.labels[0].querySelector('.count').textContent])"
        ))
    };
    browser.goto(&format!("{}/es/", server.url));
    settle();
    let legends = browser.eval(
        "return [...document.querySelectorAll('#facet-form legend')].map(e => e.textContent.trim())",
    );
    let legends: Vec<String> = legends
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect();
    assert!(
        legends
            .iter()
            .any(|l| l.starts_with("Tipo de organización")),
        "{legends:?}"
    );
    assert!(
        legends.iter().any(|l| l.starts_with("Personas alcanzadas")),
        "{legends:?}"
    );

    pick("organisation_type", "municipality");
    assert_eq!(
        titles(),
        serde_json::json!(["CO-CITY", "B-MINCOME", "AS-FABRIK"])
    );
    let url = browser.url();
    assert!(
        url.ends_with("/es/?organisation_type=municipality"),
        "{url}"
    );
    // The range facet counts follow the other facet: CO-CITY gives no number.
    assert_eq!(
        counts("people_reached"),
        serde_json::json!([["0", "(0)"], ["500", "(1)"], ["1000", "(1)"]])
    );
    pick("people_reached", "1000");
    assert_eq!(titles(), serde_json::json!(["B-MINCOME"]));
    let chips = browser.eval(
        "return [...document.querySelectorAll('#active-filters .chip')].map(e => e.textContent)",
    );
    assert_eq!(chips, serde_json::json!(["Ayuntamiento×", "1.000–4.999×"]));

    // The state survives a reload from the URL alone.
    browser.goto(&format!("{}/es/?people_reached=0", server.url));
    settle();
    assert_eq!(titles(), serde_json::json!(["Co-Crea-Te"]));
}

/// Editing a declared field rebuilds exactly what a build from nothing makes, the catalogue
/// index included, whose full-text search finds the words of declared fields.
#[test]
fn editing_a_declared_field_rebuilds_as_a_fresh_build() {
    let site = example();
    site.build_ok();
    let file = site.root().join("content/practices/co-city.es.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("Se firmaron 50", "Se firmaron cincuenta (50)")
            .replace(
                "main_institution: Ciudad de Turín",
                "main_institution: Municipio de Turín",
            ),
    )
    .unwrap();
    let config = site.root().join("casebook.yaml");
    let yaml = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        yaml.replace(
            "local-agency: { en: Local public agency, es: Agencia pública local }",
            "local-agency: { en: Local agency, es: Agencia local }",
        ),
    )
    .unwrap();
    site.build_ok();
    let incremental = snapshot(&site.out());

    let fresh = Site::new();
    copy_dir(site.root(), fresh.root());
    std::fs::remove_dir_all(fresh.root().join(".casebook")).unwrap();
    std::fs::remove_dir_all(fresh.out()).unwrap();
    fresh.build_ok();
    assert!(
        incremental == snapshot(&fresh.out()),
        "the rebuild differs from a fresh build"
    );

    let chunks: String = std::fs::read_dir(site.out().join("es/search"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("text-")
        })
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    assert!(
        chunks.contains("\"cincuent"),
        "a word of a declared Markdown field is searchable"
    );
    assert!(
        chunks.contains("\"municipi"),
        "a word of a declared text field is searchable"
    );
}
