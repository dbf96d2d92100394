//! `casebook cms`: the admin it writes into static/admin/ (the CMS's config.yml generated
//! from casebook.yaml, the site's own part kept), `check` warning when it is stale, and the
//! files a CMS writes read as casebook input (`slug.en.md` for the default language, and
//! the untouched translations Decap writes for every language). The real CMS in a browser
//! is in `cms_browser.rs`.

mod common;

use common::{CONFIG, Site, practice, translation};
use serde_json::Value;

const CONFIG_YML: &str = "static/admin/config.yml";

fn admin(site: &Site) -> (String, Value) {
    let (code, out, err) = site.cli(&["cms"]);
    assert_eq!(code, 0, "{out}{err}");
    let text = std::fs::read_to_string(site.root().join(CONFIG_YML)).unwrap();
    let yaml: Value = serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    (text, yaml)
}

fn collection<'a>(yaml: &'a Value, name: &str) -> &'a Value {
    yaml["collections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no collection {name}"))
}

fn field<'a>(collection: &'a Value, name: &str) -> &'a Value {
    collection["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("no field {name} in {}", collection["name"]))
}

fn check(site: &Site) -> String {
    let (_, out, err) = site.cli(&["check"]);
    format!("{out}{err}")
}

#[test]
fn the_config_has_both_collections_the_languages_and_a_widget_per_field() {
    let site = Site::new();
    let (_, yaml) = admin(&site);
    assert_eq!(yaml["i18n"]["structure"], "multiple_files");
    assert_eq!(yaml["i18n"]["locales"], serde_json::json!(["en", "es"]));
    assert_eq!(yaml["i18n"]["default_locale"], "en");
    assert_eq!(
        yaml["local_backend"], true,
        "the local backend is on to try it"
    );
    assert!(yaml["backend"]["name"].is_string(), "a backend to fill in");
    let practices = collection(&yaml, "practices");
    assert_eq!(practices["folder"], "content/practices");
    assert_eq!(practices["i18n"], true);
    assert_eq!(collection(&yaml, "pages")["folder"], "content/pages");

    let title = field(practices, "title");
    assert_eq!(
        (&title["widget"], &title["required"], &title["i18n"]),
        (&"string".into(), &true.into(), &true.into())
    );
    let summary = field(practices, "summary");
    assert_eq!(summary["widget"], "text");
    assert_eq!(summary["pattern"][0], "^[\\s\\S]{1,300}$");
    // Shared fields are copied into every language's file, so that they agree.
    let topics = field(practices, "topics");
    assert_eq!(topics["widget"], "select");
    assert_eq!(topics["multiple"], true);
    assert_eq!(topics["i18n"], "duplicate");
    assert!(
        topics["options"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!({"label": "Urban commons", "value": "urban-commons"})),
        "{topics}"
    );
    let country = field(practices, "country");
    assert_eq!(country["i18n"], "duplicate");
    assert!(
        country["options"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!({"label": "Italy (IT)", "value": "IT"})),
        "country names in the default language"
    );
    assert_eq!(field(practices, "programme")["options"][0]["value"], "uia");
    let published = field(practices, "published");
    assert_eq!(published["widget"], "datetime");
    assert_eq!(published["format"], "YYYY-MM-DD");
    assert_eq!(published["time_format"], false);
    // Labels the theme translates come in the default language.
    assert_eq!(field(practices, "level")["options"][0]["label"], "Local");
    assert_eq!(field(practices, "key_figures")["label"], "Key figures");
    let start = field(practices, "start");
    assert_eq!(start["widget"], "string");
    assert_eq!(start["pattern"][0], "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$");
    let budget = field(practices, "budget");
    assert_eq!(budget["widget"], "object");
    assert_eq!(field(budget, "total")["widget"], "number");
    assert_eq!(field(budget, "currency")["i18n"], "duplicate");
    assert_eq!(
        field(field(practices, "owner"), "url")["pattern"][0],
        "^https?://[^/\\s\"<>]"
    );
    let image = field(practices, "image");
    assert_eq!(field(image, "src")["widget"], "image");
    assert_eq!(field(image, "src")["i18n"], "duplicate");
    assert_eq!(field(image, "alt")["i18n"], true);
    assert_eq!(
        field(field(practices, "key_figures"), "label")["widget"],
        "string"
    );
    assert_eq!(field(practices, "coordinates")["field"]["widget"], "number");
    assert_eq!(field(practices, "related")["widget"], "relation");
    assert_eq!(field(practices, "translated_from")["widget"], "hidden");
    assert_eq!(field(practices, "body")["widget"], "markdown");
    assert_eq!(
        field(collection(&yaml, "pages"), "menu")["value_type"],
        "int"
    );
}

#[test]
fn a_field_declared_in_casebook_yaml_appears_in_the_form_with_no_extra_work() {
    let site = Site::with_config(&format!(
        "{CONFIG}  organisation-types:
    public: {{ en: Public body, es: Organismo público }}
    ngo: {{ en: Non-profit, es: Sin ánimo de lucro }}
fields:
  organisation_type:
    type: term
    vocabulary: organisation-types
    required: true
    label: {{ en: Type of organisation, es: Tipo de organización }}
    help: {{ en: Who runs the practice. }}
  sectors:
    type: terms
    vocabulary: organisation-types
    label: {{ en: Sectors }}
  participants: {{ type: number, label: {{ en: Participants }} }}
  website: {{ type: url, label: {{ en: Website }} }}
  lessons: {{ type: markdown, label: {{ en: Lessons learnt }} }}
  keywords: {{ type: list, label: {{ en: Keywords }} }}
  since: {{ type: date, label: {{ en: Since }} }}
  online: {{ type: boolean, label: {{ en: Online }} }}
"
    ));
    let (_, yaml) = admin(&site);
    let practices = collection(&yaml, "practices");
    let kind = field(practices, "organisation_type");
    assert_eq!(kind["label"], "Type of organisation");
    assert_eq!(kind["hint"], "Who runs the practice.");
    assert_eq!(kind["widget"], "select");
    assert_eq!(kind["required"], true);
    assert_eq!(
        kind["i18n"], "duplicate",
        "a term is shared unless it says otherwise"
    );
    assert_eq!(
        kind["options"],
        serde_json::json!([{"label": "Public body", "value": "public"}, {"label": "Non-profit", "value": "ngo"}])
    );
    assert_eq!(field(practices, "sectors")["multiple"], true);
    assert_eq!(field(practices, "participants")["widget"], "number");
    assert_eq!(
        field(practices, "website")["pattern"][0],
        "^https?://[^/\\s\"<>]"
    );
    let lessons = field(practices, "lessons");
    assert_eq!(
        (&lessons["widget"], &lessons["i18n"]),
        (&"markdown".into(), &true.into())
    );
    assert_eq!(field(practices, "keywords")["widget"], "list");
    assert_eq!(
        field(practices, "since")["pattern"][0],
        "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
    );
    assert_eq!(field(practices, "online")["widget"], "boolean");
    // Declared fields come before the body, which stays last.
    let names: Vec<&str> = practices["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.last(), Some(&"body"));
}

#[test]
fn regenerating_keeps_what_the_site_wrote_and_says_when_nothing_changed() {
    let site = Site::new();
    let (first, _) = admin(&site);
    let (code, out, _) = site.cli(&["cms"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("static/admin/config.yml is up to date"),
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join(CONFIG_YML)).unwrap(),
        first,
        "same input, same bytes"
    );
    // The site fills in its backend and adds a setting of its own; casebook.yaml gains a topic.
    let edited = first
        .replace(
            "repo: your-organisation/your-site",
            "repo: city-network/practices",
        )
        .replace(
            "local_backend: true\n",
            "local_backend: true\npublish_mode: editorial_workflow # reviews\n",
        );
    std::fs::write(site.root().join(CONFIG_YML), &edited).unwrap();
    let config = CONFIG.replace(
        "    poverty: { en: Poverty, es: Pobreza }\n",
        "    poverty: { en: Poverty, es: Pobreza }\n    energy: { en: Energy, es: Energía }\n",
    );
    site.write("casebook.yaml", &config);
    let (text, yaml) = admin(&site);
    assert!(text.contains("repo: city-network/practices"), "{text}");
    assert!(
        text.contains("publish_mode: editorial_workflow # reviews\n"),
        "{text}"
    );
    assert_eq!(yaml["publish_mode"], "editorial_workflow");
    assert!(
        field(collection(&yaml, "practices"), "topics")["options"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!({"label": "Energy", "value": "energy"}))
    );
    assert_eq!(text.matches("# BEGIN casebook cms").count(), 1);
}

#[test]
fn a_config_without_the_generated_part_is_not_overwritten() {
    let site = Site::new();
    site.write(CONFIG_YML, "backend:\n  name: gitlab\ncollections: []\n");
    let (code, _, err) = site.cli(&["cms"]);
    assert_eq!(code, 1);
    assert!(err.contains("--> static/admin/config.yml"), "{err}");
    assert!(err.contains("has no part generated by casebook"), "{err}");
    assert!(
        err.contains("# BEGIN casebook cms"),
        "the hint names the markers: {err}"
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join(CONFIG_YML)).unwrap(),
        "backend:\n  name: gitlab\ncollections: []\n"
    );
}

#[test]
fn check_warns_when_the_admin_no_longer_matches_casebook_yaml() {
    let site = Site::new();
    site.write(
        "content/practices/co-city.en.md",
        &practice("CO-CITY", "poverty", ""),
    );
    admin(&site);
    let said = check(&site);
    assert!(!said.contains("W0510"), "{said}");
    site.write(
        "casebook.yaml",
        &format!(
            "{CONFIG}fields:\n  participants: {{ type: number, label: {{ en: Participants }} }}\n"
        ),
    );
    let said = check(&site);
    assert!(said.contains("warning[W0510]"), "{said}");
    assert!(
        said.contains(
            "the CMS's settings in static/admin/config.yml no longer match casebook.yaml"
        ),
        "{said}"
    );
    assert!(
        said.contains("--> static/admin/config.yml:"),
        "located: {said}"
    );
    assert!(said.contains("run `casebook cms`"), "{said}");
    admin(&site);
    assert!(
        !check(&site).contains("W0510"),
        "regenerated, in sync again"
    );
}

#[test]
fn check_warns_about_files_the_cms_does_not_list_and_cms_renames_them() {
    let site = Site::new();
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", ""),
    )
    .write(
        "content/practices/co-city.es.md",
        &translation("CO-CITY ES", ""),
    )
    .write(
        "content/pages/about.md",
        "---\ntitle: About\n---\nAbout us.\n",
    );
    admin(&site);
    let said = check(&site);
    assert!(
        said.contains("the CMS does not list 2 files named without a language"),
        "{said}"
    );
    assert!(
        said.contains("casebook cms --rename-default-files"),
        "{said}"
    );
    let (code, out, err) = site.cli(&["cms", "--rename-default-files"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("Renamed content/practices/co-city.md to content/practices/co-city.en.md"),
        "{out}"
    );
    assert!(site.root().join("content/pages/about.en.md").is_file());
    assert!(!site.root().join("content/practices/co-city.md").exists());
    let said = check(&site);
    assert!(
        said.contains("Check passed") && !said.contains("W0510"),
        "{said}"
    );
    site.build_ok();
    assert!(
        site.html("en/practices/co-city/index.html")
            .html()
            .contains("CO-CITY")
    );
    assert!(site.exists("en/about/index.html"));
}

#[test]
fn the_default_language_may_be_named_in_the_file_name() {
    let site = Site::new();
    site.write(
        "content/practices/co-city.en.md",
        &practice("CO-CITY", "poverty", ""),
    )
    .write(
        "content/practices/co-city.es.md",
        &translation("CO-CITY ES", ""),
    );
    site.build_ok();
    let en = site.html("en/practices/co-city/index.html").html();
    assert!(en.contains("CO-CITY"), "{en}");
    let es = site.html("es/practices/co-city/index.html").html();
    assert!(
        es.contains("CO-CITY ES") && es.contains("hreflang=\"en\""),
        "{es}"
    );
}

#[test]
fn an_untouched_translation_a_cms_wrote_is_left_out_with_a_warning() {
    // What Decap CMS writes for a language the editor did not fill in (decap-cms #6932):
    // the shared fields copied from the default language, defaults, no texts.
    let site = Site::new();
    site.write(
        "content/practices/co-city.en.md",
        &practice("CO-CITY", "poverty", ""),
    )
    .write(
        "content/practices/co-city.es.md",
        "---\ncountry: IT\ntopics:\n  - poverty\nstart: null\ndraft: false\n---\n",
    );
    let summary = site.build_ok();
    let warnings: String = summary
        .warnings
        .iter()
        .map(|d| d.render_human(false))
        .collect();
    assert!(
        warnings.contains("content/practices/co-city.es.md is not translated yet"),
        "{warnings}"
    );
    assert!(warnings.contains("warning[W0504]"), "{warnings}");
    assert!(site.exists("en/practices/co-city/index.html"));
    assert!(!site.exists("es/practices/co-city/index.html"));
    // Once translated, it is published.
    site.write(
        "content/practices/co-city.es.md",
        "---\ntitle: CO-CITY ES\nsummary: Resumen.\npublished: 2024-02-01\ncountry: IT\ntopics:\n  - poverty\nstart: null\ndraft: false\n---\nCuerpo.\n",
    );
    site.build_ok();
    assert!(site.exists("es/practices/co-city/index.html"));
    // The default language's file is never a placeholder: a missing title is an error there.
    site.write(
        "content/practices/co-city.en.md",
        "---\ncountry: IT\ntopics: [poverty]\n---\n",
    );
    let (code, _, err) = site.cli(&["build"]);
    assert_eq!(code, 1);
    assert!(err.contains("missing required field `title`"), "{err}");
}

#[test]
fn the_admin_page_says_what_it_loads_and_can_load_the_cms_from_the_site() {
    let site = Site::new();
    admin(&site);
    let page = std::fs::read_to_string(site.root().join("static/admin/index.html")).unwrap();
    assert!(
        page.contains("<script src=\"https://unpkg.com/decap-cms@^3.0.0/dist/decap-cms.js\">"),
        "{page}"
    );
    assert!(page.contains("What this page loads"), "{page}");
    assert!(page.contains("registerPreviewStyle"), "{page}");
    let script = site.root().join("decap-cms.js");
    std::fs::write(&script, "/* the CMS */").unwrap();
    let (code, out, err) = site.cli(&["cms", "--self-host", "decap-cms.js"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        std::fs::read_to_string(site.root().join("static/admin/decap-cms.js")).unwrap(),
        "/* the CMS */"
    );
    let page = std::fs::read_to_string(site.root().join("static/admin/index.html")).unwrap();
    assert!(page.contains("<script src=\"decap-cms.js\">"), "{page}");
    assert!(!page.contains("unpkg"), "nothing from other hosts: {page}");
    // Later runs keep serving it from the site.
    admin(&site);
    let page = std::fs::read_to_string(site.root().join("static/admin/index.html")).unwrap();
    assert!(page.contains("<script src=\"decap-cms.js\">"), "{page}");
    // The build publishes the admin as it publishes static/.
    site.build_ok();
    assert!(site.exists("admin/index.html") && site.exists("admin/config.yml"));
}

#[test]
fn new_practice_knows_the_default_language_file_a_cms_named() {
    let site = Site::new();
    site.write(
        "content/practices/co-city.en.md",
        &practice("CO-CITY", "poverty", ""),
    );
    let (code, _, err) = site.cli(&["new", "practice", "co-city"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("content/practices/co-city.en.md already exists"),
        "{err}"
    );
    let (code, out, err) = site.cli(&["new", "practice", "co-city", "--lang", "es"]);
    assert_eq!(code, 0, "{out}{err}");
    let es = std::fs::read_to_string(site.root().join("content/practices/co-city.es.md")).unwrap();
    assert!(
        es.contains("CO-CITY"),
        "started from the English version: {es}"
    );
    assert!(es.contains("translated_from:"), "records its source: {es}");
}
