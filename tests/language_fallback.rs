//! Language fallback chains (`fallback:` in casebook.yaml): what a language's pages show
//! when something is missing in it (a practice, a UI string, a country name, a term label,
//! the site's title), hreflang and the switcher staying truthful, the mistakes a chain can
//! hold, and rebuilds equal to fresh builds when what a chain finds changes.

mod common;

use std::collections::BTreeMap;

use common::{Site, attrs, practice, snapshot, texts, translation};

/// English, Spanish and Catalan; `housing` has no Catalan label, the title no Catalan text.
const CONFIG: &str = "\
base_url: https://example.org/
default_language: en
languages: [en, es, ca]
title: { en: Good practices, es: Buenas prácticas }
taxonomies:
  topics:
    poverty: { en: Poverty, es: Pobreza, ca: Pobresa }
    housing: { en: Housing, es: Vivienda }
";

const CHAIN: &str = "fallback:\n  ca: [es, en]\n";

/// A site where CO-CITY is in English and Spanish, Housing First in English only and
/// B-MINCOME in all three; the theme's Catalan files lack the search label and Italy's name.
fn site(config: &str) -> Site {
    let site = Site::with_config(config);
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty, housing", ""),
    )
    .write(
        "content/practices/co-city.es.md",
        &translation("CO-CITY ES", "city: Turín\n"),
    )
    .write(
        "content/practices/housing-first.md",
        &practice("Housing First", "housing", ""),
    )
    .write(
        "content/practices/b-mincome.md",
        &practice("B-MINCOME", "poverty", ""),
    )
    .write(
        "content/practices/b-mincome.es.md",
        &translation("B-MINCOME ES", ""),
    )
    .write(
        "content/practices/b-mincome.ca.md",
        &translation("B-MINCOME CA", ""),
    )
    .write(
        "content/pages/about.md",
        "---\ntitle: About\n---\nSee [CO-CITY](@/practices/co-city.md).\n",
    )
    .write(
        "content/pages/about.ca.md",
        "---\ntitle: Sobre\n---\nVegeu [CO-CITY](@/practices/co-city.md).\n",
    );
    drop_line(
        &site,
        "themes/default/i18n/ca.yaml",
        "  label: Cerca pràctiques",
    );
    drop_line(&site, "themes/default/i18n/countries/ca.yaml", "\"IT\":");
    site
}

/// Removes the line of `rel` that starts with `start` (after indentation, for countries).
fn drop_line(site: &Site, rel: &str, start: &str) {
    let path = site.root().join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !(l.starts_with(start) || l.trim_start().starts_with(start)))
        .collect();
    assert_eq!(kept.len() + 1, text.lines().count(), "{rel}: `{start}`");
    std::fs::write(&path, kept.join("\n") + "\n").unwrap();
}

/// `(title, href, lang of the title, badge)` of each card of a catalogue page.
fn cards(site: &Site, rel: &str) -> Vec<(String, String, String, String)> {
    let doc = site.html(rel);
    let sel = scraper::Selector::parse(".card").unwrap();
    let a = scraper::Selector::parse(".card-title a").unwrap();
    let badge = scraper::Selector::parse(".badge").unwrap();
    doc.select(&sel)
        .map(|card| {
            let link = card.select(&a).next().unwrap();
            (
                link.text().collect::<String>(),
                link.value().attr("href").unwrap_or("").to_string(),
                link.value().attr("lang").unwrap_or("").to_string(),
                card.select(&badge)
                    .next()
                    .map(|b| b.text().collect())
                    .unwrap_or_default(),
            )
        })
        .collect()
}

fn card(title: &str, href: &str, lang: &str, badge: &str) -> (String, String, String, String) {
    (title.into(), href.into(), lang.into(), badge.into())
}

#[test]
fn without_a_chain_catalan_falls_back_to_the_default_language() {
    let site = site(CONFIG);
    site.build_ok();
    assert_eq!(
        cards(&site, "ca/index.html"),
        [
            card("B-MINCOME CA", "/ca/practices/b-mincome/", "", ""),
            card(
                "CO-CITY",
                "/en/practices/co-city/",
                "en",
                "Disponible en anglès"
            ),
            card(
                "Housing First",
                "/en/practices/housing-first/",
                "en",
                "Disponible en anglès"
            ),
        ]
    );
    let ca = site.html("ca/index.html");
    assert_eq!(texts(&ca, ".catalogue-intro h1"), ["Good practices"]);
    assert_eq!(texts(&ca, "label[for=catalogue-q]"), ["Search practices"]);
    let place = texts(&ca, ".card .place");
    assert!(place.iter().all(|p| p.ends_with(", Italy")), "{place:?}");
}

#[test]
fn a_chain_shows_the_first_language_that_has_a_version() {
    let site = site(&format!("{CONFIG}{CHAIN}"));
    let summary = site.build_ok();
    // Spanish where there is a Spanish version, English otherwise; each says so, in the
    // language of its text, and links to the page in that language.
    assert_eq!(
        cards(&site, "ca/index.html"),
        [
            card("B-MINCOME CA", "/ca/practices/b-mincome/", "", ""),
            card(
                "CO-CITY ES",
                "/es/practices/co-city/",
                "es",
                "Disponible en castellà"
            ),
            card(
                "Housing First",
                "/en/practices/housing-first/",
                "en",
                "Disponible en anglès"
            ),
        ]
    );
    let ca = site.html("ca/index.html");
    let summaries = attrs(&ca, ".card .summary", "lang");
    assert_eq!(summaries, ["es", "en"], "the fallbacks' summaries");
    assert!(!site.exists("ca/practices/co-city/index.html"));

    // The same chain for the site's texts, UI strings, country names and term labels.
    assert_eq!(texts(&ca, ".catalogue-intro h1"), ["Buenas prácticas"]);
    assert_eq!(texts(&ca, "label[for=catalogue-q]"), ["Buscar prácticas"]);
    let place = texts(&ca, ".card .place");
    assert!(place.iter().all(|p| p.ends_with(", Italia")), "{place:?}");
    let topics = site.html("ca/topics/index.html");
    let labels = texts(&topics, ".term-list a");
    assert!(labels.iter().any(|l| l.contains("Vivienda")), "{labels:?}");
    assert!(labels.iter().any(|l| l.contains("Pobresa")), "{labels:?}");
    // English and Spanish pages are as before.
    let es = site.html("es/index.html");
    assert_eq!(texts(&es, "label[for=catalogue-q]"), ["Buscar prácticas"]);
    assert_eq!(texts(&es, ".catalogue-intro h1"), ["Buenas prácticas"]);

    // A link from a Catalan page to a practice without a Catalan version follows the chain.
    let about = site.html("ca/about/index.html");
    assert_eq!(
        attrs(&about, "main p a", "href"),
        ["/es/practices/co-city/"]
    );
    // The warnings name what Catalan pages show instead.
    let warnings: Vec<String> = summary
        .warnings
        .iter()
        .map(|d| format!("{} {}", d.message, d.hint.clone().unwrap_or_default()))
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w
                .contains("UI string `search.label` is missing in `ca`; pages show the `es` text")),
        "{warnings:#?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("no label in `ca`") && w.contains("show \"Vivienda\"")),
        "{warnings:#?}"
    );
}

#[test]
fn hreflang_and_the_switcher_list_only_real_translations() {
    let site = site(&format!("{CONFIG}{CHAIN}"));
    site.build_ok();
    let es = site.html("es/practices/co-city/index.html");
    assert_eq!(
        attrs(&es, "link[rel=alternate][hreflang]", "hreflang"),
        ["en", "es", "x-default"]
    );
    // Catalan is offered as untranslated: its catalogue, with the notice.
    assert_eq!(
        attrs(&es, ".lang-switcher a", "href"),
        [
            "/en/practices/co-city/",
            "/es/practices/co-city/",
            "/ca/#untranslated"
        ]
    );
    let sitemap = site.read("sitemap.xml");
    assert!(!sitemap.contains("/ca/practices/co-city/"), "{sitemap}");
}

#[test]
fn hide_leaves_untranslated_practices_out_but_chains_still_serve_the_rest() {
    let site = site(&format!("{CONFIG}{CHAIN}untranslated: hide\n"));
    site.build_ok();
    assert_eq!(
        cards(&site, "ca/index.html"),
        [card("B-MINCOME CA", "/ca/practices/b-mincome/", "", "")]
    );
    let ca = site.html("ca/index.html");
    assert_eq!(texts(&ca, "label[for=catalogue-q]"), ["Buscar prácticas"]);
    let about = site.html("ca/about/index.html");
    assert_eq!(
        attrs(&about, "main p a", "href"),
        ["/es/practices/co-city/"]
    );
}

#[test]
fn the_status_report_names_the_language_shown() {
    let site = site(&format!("{CONFIG}{CHAIN}"));
    let (code, stdout, stderr) = site.cli(&["translations", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let shown = |slug: &str| {
        let item = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["slug"] == slug)
            .unwrap();
        item["languages"][2]["shown"].clone()
    };
    assert_eq!(shown("co-city"), "es");
    assert_eq!(shown("housing-first"), "en");
}

/// The output as a fresh build into an empty folder writes it.
fn fresh(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let (code, _, stderr) = site.cli(&["build", "--output", "fresh"]);
    assert_eq!(code, 0, "{stderr}");
    let out = site.root().join("fresh");
    let files = snapshot(&out);
    std::fs::remove_dir_all(&out).unwrap();
    files
}

/// What a step of a rebuild test does, and how.
type Step<'a> = (&'a str, &'a dyn Fn(&Site));

#[test]
fn rebuilds_equal_fresh_builds_when_what_a_chain_finds_changes() {
    let site = site(&format!("{CONFIG}{CHAIN}"));
    site.build_ok();
    let steps: [Step; 5] = [
        ("Housing First gets a Spanish version", &|s| {
            s.write(
                "content/practices/housing-first.es.md",
                &translation("Primero la vivienda", ""),
            );
        }),
        ("its Spanish title changes", &|s| {
            s.write(
                "content/practices/housing-first.es.md",
                &translation("Vivienda primero", ""),
            );
        }),
        ("the chain changes", &|s| {
            s.write(
                "casebook.yaml",
                &format!("{CONFIG}fallback:\n  ca: [en, es]\n"),
            );
        }),
        ("the chain goes", &|s| {
            s.write("casebook.yaml", CONFIG);
        }),
        ("the chain comes back and a Spanish version goes", &|s| {
            s.write("casebook.yaml", &format!("{CONFIG}{CHAIN}"));
            std::fs::remove_file(s.root().join("content/practices/co-city.es.md")).unwrap();
        }),
    ];
    for (what, change) in steps {
        change(&site);
        site.build_ok();
        assert!(
            snapshot(&site.out()) == fresh(&site),
            "after `{what}` the output differs from a fresh build"
        );
    }
    assert!(
        cards(&site, "ca/index.html").contains(&card(
            "Vivienda primero",
            "/es/practices/housing-first/",
            "es",
            "Disponible en castellà"
        )),
        "{:?}",
        cards(&site, "ca/index.html")
    );
}

/// Runs `casebook build` on a site built once, with `chain` as its `fallback:`; expects it
/// to fail with `message` at `location`, `hint` in the output, and the output untouched.
fn refused(chain: &str, location: &str, message: &str, hint: &str) {
    let site = site(CONFIG);
    site.build_ok();
    let before = snapshot(&site.out());
    site.write("casebook.yaml", &format!("{CONFIG}fallback:\n{chain}"));
    let (code, _, stderr) = site.cli(&["build"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains(&format!("--> {location}")), "{stderr}");
    assert!(stderr.contains(message), "{stderr}");
    assert!(stderr.contains(hint), "{stderr}");
    assert!(
        stderr.contains("the output folder was not changed"),
        "{stderr}"
    );
    assert!(before == snapshot(&site.out()), "output changed");
}

#[test]
fn a_chain_naming_an_undeclared_language() {
    refused(
        "  ca: [es, pt]\n",
        "casebook.yaml:10:12",
        "error[E0310]: the fallback chain of `ca` names `pt`, which is not a site language",
        "name site languages only (en, es, ca), or add `pt` to `languages`",
    );
}

#[test]
fn a_chain_for_an_undeclared_language() {
    refused(
        "  ca: [es]\n  pt: [es]\n",
        "casebook.yaml:11:3",
        "error[E0310]: `fallback` has a chain for `pt`, which is not a site language",
        "give chains to site languages only (en, es, ca), or add `pt` to `languages`",
    );
}

#[test]
fn a_language_falling_back_to_itself() {
    refused(
        "  ca: [ca, es]\n",
        "casebook.yaml:10:8",
        "error[E0311]: `ca` falls back to itself",
        "remove `ca` from its own chain",
    );
}

#[test]
fn a_language_listed_twice_in_a_chain_or_given_two_chains() {
    refused(
        "  ca: [es, en, es]\n",
        "casebook.yaml:10:16",
        "error[E0312]: the fallback chain of `ca` lists `es` twice",
        "list each language once, in the order to try them",
    );
    // Two chains for one language are two values of one key, as the YAML reader says.
    refused(
        "  ca: [es]\n  ca: [en]\n",
        "casebook.yaml:11:3",
        "error[E0101]: `ca` is given twice",
        "keep line 10 or line 11",
    );
}

#[test]
fn a_chain_that_is_not_a_list() {
    let site = site(&format!("{CONFIG}fallback:\n  ca: es\n"));
    let (code, _, stderr) = site.cli(&["build"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("--> casebook.yaml:10:7"), "{stderr}");
    assert!(stderr.contains("`ca` must be a list"), "{stderr}");
}
