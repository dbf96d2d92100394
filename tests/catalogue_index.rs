//! The catalogue index the build writes for the browser: where it is, what it holds, that it
//! is deterministic, and that the static catalogue stays the no-JavaScript baseline.

mod common;

use common::{Site, attrs, practice, snapshot, texts, translation};
use serde_json::Value;

/// The catalogue index of `lang` referenced by its catalogue page, parsed.
fn index_of(site: &Site, lang: &str) -> (String, Value) {
    let doc = site.html(&format!("{lang}/index.html"));
    let config = texts(&doc, "script#catalogue-config");
    assert_eq!(
        config.len(),
        1,
        "the {lang} catalogue carries its script config"
    );
    let config: Value = serde_json::from_str(&config[0]).unwrap();
    let url = config["index"].as_str().unwrap().to_string();
    let json: Value = serde_json::from_str(&site.read(url.trim_start_matches('/'))).unwrap();
    (url, json)
}

fn two_language_site() -> Site {
    let site = Site::new();
    site.write(
        "content/practices/co-city.md",
        &practice(
            "CO-CITY",
            "urban-commons, poverty",
            "programme: uia\nlevel: local\nstart: 2017-03\nsubtitle: Pacts of collaboration\n",
        ),
    )
    .write(
        "content/practices/co-city.es.md",
        &translation("CO-CITY", "city: Turín\nsubtitle: Pactos de colaboración\n"),
    )
    .write(
        "content/practices/housing-first.md",
        &practice("Housing First", "housing", "start: 2009\n"),
    );
    site
}

#[test]
fn each_catalogue_references_its_own_index_with_labels_in_its_language() {
    let site = two_language_site();
    site.build_ok();
    let (url, es) = index_of(&site, "es");
    assert!(
        url.starts_with("/es/search/catalogue.") && url.ends_with(".json"),
        "{url}"
    );
    assert_eq!(es["lang"], "es");
    assert_eq!(es["stemmer"], "es");
    assert_eq!(es["entries"]["slug"].as_array().unwrap().len(), 2);
    let topics = &es["facets"][0];
    assert_eq!(topics["key"], "topics");
    let labels: Vec<&str> = topics["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t[1].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["Pobreza", "Vivienda", "Bienes comunes urbanos"]);
    // The English-only practice is a fallback entry in Spanish, marked with its language.
    let slugs = es["entries"]["slug"].as_array().unwrap();
    let at = slugs.iter().position(|s| s == "housing-first").unwrap();
    let languages = es["languages"].as_array().unwrap();
    assert_eq!(
        languages[es["entries"]["lang"][at].as_u64().unwrap() as usize],
        "en"
    );
    assert_eq!(es["entries"]["title"][at], "Housing First");
    // Decades of the start year, the practice's place in its language.
    let period = &es["facets"][4];
    assert_eq!(period["key"], "period");
    assert_eq!(
        period["terms"],
        serde_json::json!([["2000", "2000–2009"], ["2010", "2010–2019"]])
    );
    let co = slugs.iter().position(|s| s == "co-city").unwrap();
    assert_eq!(es["entries"]["place"][co], "Turín");
    // The files it names exist beside it.
    let dir = url
        .trim_start_matches('/')
        .rsplit_once('/')
        .unwrap()
        .0
        .to_string();
    assert!(site.exists(&format!("{dir}/{}", es["cards"].as_str().unwrap())));
    for chunk in es["chunks"].as_array().unwrap() {
        assert!(site.exists(&format!("{dir}/{}", chunk[1].as_str().unwrap())));
    }
    let (en_url, _) = index_of(&site, "en");
    assert!(en_url.starts_with("/en/search/"), "{en_url}");
}

#[test]
fn the_search_index_holds_folded_stemmed_terms_of_every_field() {
    let site = two_language_site();
    site.build_ok();
    let (url, es) = index_of(&site, "es");
    let dir = url
        .trim_start_matches('/')
        .rsplit_once('/')
        .unwrap()
        .0
        .to_string();
    let mut terms = Vec::new();
    for chunk in es["chunks"].as_array().unwrap() {
        let c: Value =
            serde_json::from_str(&site.read(&format!("{dir}/{}", chunk[1].as_str().unwrap())))
                .unwrap();
        for t in c["terms"].as_array().unwrap() {
            terms.push(t.as_str().unwrap().to_string());
        }
    }
    // Accents folded (Turín), Spanish stems (pactos → pact), the English fallback entry
    // indexed too (Housing), facet labels (Pobreza), and the body.
    for want in [
        "turin",
        "pact",
        "colaboracion",
        "housing",
        "pobrez",
        "cuerp",
    ] {
        assert!(
            terms.contains(&want.to_string()),
            "no `{want}` in {terms:?}"
        );
    }
    let mut sorted = terms.clone();
    sorted.sort();
    assert_eq!(terms, sorted, "terms are sorted across chunks");
}

#[test]
fn the_index_is_deterministic() {
    let site = two_language_site();
    site.build_ok();
    let first = snapshot(&site.out());
    site.build_ok();
    let second = snapshot(&site.out());
    let index_files: Vec<&String> = first.keys().filter(|k| k.contains("/search/")).collect();
    assert!(index_files.len() >= 6, "{index_files:?}");
    assert_eq!(first, second);
}

#[test]
fn without_javascript_the_catalogue_is_the_static_list_with_facet_links() {
    let site = Site::new();
    for i in 0..30 {
        site.write(
            &format!("content/practices/p{i:02}.md"),
            &practice(&format!("Practice {i:02}"), "poverty", ""),
        );
    }
    site.build_ok();
    let doc = site.html("en/index.html");
    // The page carries one page of cards, not the whole catalogue, and links to the rest.
    assert_eq!(texts(&doc, ".cards .card").len(), 24);
    assert_eq!(
        attrs(&doc, ".pagination a[rel=next]", "href"),
        ["/en/page/2/"]
    );
    // The facet links of the static site are there; the search form is shown only where
    // scripts run (by the stylesheet, so that it takes its place from the first paint: see
    // catalogue_browser.rs for what a browser without JavaScript shows).
    assert!(attrs(&doc, ".facets a", "href").contains(&"/en/topics/poverty/".to_string()));
    assert_eq!(attrs(&doc, "form#catalogue-search", "id").len(), 1);
    assert!(
        site.read("css/main.css")
            .contains("@media (scripting: enabled)")
    );
    assert_eq!(attrs(&doc, "#active-filters[hidden]", "id").len(), 1);
    let scripts = attrs(&doc, "script[src]", "src");
    assert!(
        scripts.iter().any(|s| s.starts_with("/js/catalogue.")),
        "{scripts:?}"
    );
    for script in &scripts {
        assert!(site.exists(script.trim_start_matches('/')), "{script}");
    }
    // Later pages carry the script too; term pages stay static.
    assert!(
        attrs(&site.html("en/page/2/index.html"), "script[src]", "src")
            .iter()
            .any(|s| s.starts_with("/js/catalogue."))
    );
    assert!(
        attrs(
            &site.html("en/topics/poverty/index.html"),
            "script[src]",
            "src"
        )
        .is_empty()
    );
}

#[test]
fn the_script_config_is_escaped_for_html() {
    let site = Site::new();
    site.write("content/practices/a.md", &practice("A", "poverty", ""))
        .write(
            "i18n/en.yaml",
            "search:\n  filters: \"</script><script>alert(1)</script> & Filters\"\n",
        );
    site.build_ok();
    let html = site.read("en/index.html");
    assert!(!html.contains("<script>alert(1)"), "raw markup in the page");
    let doc = site.html("en/index.html");
    let config: Value = serde_json::from_str(&texts(&doc, "script#catalogue-config")[0]).unwrap();
    assert_eq!(
        config["strings"]["filters"],
        "</script><script>alert(1)</script> & Filters"
    );
}

#[test]
fn the_script_config_carries_the_base_path() {
    let site = Site::with_config(
        &common::CONFIG.replace("https://example.org/", "https://example.org/sub/"),
    );
    site.write("content/practices/a.md", &practice("A", "poverty", ""));
    site.build_ok();
    let doc = site.html("es/index.html");
    let config: Value = serde_json::from_str(&texts(&doc, "script#catalogue-config")[0]).unwrap();
    let index = config["index"].as_str().unwrap();
    assert!(index.starts_with("/sub/es/search/catalogue."), "{index}");
    assert!(site.exists(index.trim_start_matches("/sub/")));
    assert_eq!(config["catalogue"], "/sub/es/");
    assert_eq!(config["practice_url"], "/sub/{lang}/practices/{slug}/");
    assert_eq!(config["term_url"], "/sub/es/{taxonomy}/{term}/");
    assert_eq!(config["per_page"], 24);
    let scripts = attrs(&doc, "script[src]", "src");
    assert!(scripts[0].starts_with("/sub/js/catalogue."), "{scripts:?}");
}
