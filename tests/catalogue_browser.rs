//! The filterable catalogue in a real headless Chromium: facets, counts, search, sort, the
//! URL as state, history, languages, keyboard use, axe-core, and screenshots at phone and
//! desktop widths (target/test-artifacts/catalogue-*.png).

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use casebook::BuildOptions;
use casebook::model::Taxonomy;
use common::browser::{Browser, StaticServer, artifacts};
use fantoccini::key::Key;
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(10);

fn serve(root: &std::path::Path) -> (tempfile::TempDir, StaticServer) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    casebook::build(&BuildOptions {
        output: Some(out.clone()),
        ..BuildOptions::new(root)
    })
    .expect("site builds");
    let server = StaticServer::start(&out);
    (dir, server)
}

fn demo() -> (tempfile::TempDir, StaticServer) {
    serve(&common::repo())
}

/// Opens `path` and waits until the catalogue script has drawn the page.
fn open(browser: &Browser, server: &StaticServer, path: &str) {
    browser.goto(&format!("{}{path}", server.url));
    settle(browser);
}

/// Waits until no update is under way.
fn settle(browser: &Browser) {
    browser.wait_for(
        "return document.documentElement.dataset.catalogue === 'ready' && casebook.catalogue.pending === 0",
        WAIT,
    );
}

fn titles(browser: &Browser) -> Vec<String> {
    strings(
        browser.eval(
            "return [...document.querySelectorAll('.results .cards .card-title')].map(e => e.textContent.trim())",
        ),
    )
}

fn strings(v: Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

fn text(browser: &Browser, css: &str) -> String {
    browser
        .eval(&format!(
            "return document.querySelector({css:?}).textContent.trim().replace(/\\s+/g, ' ')"
        ))
        .as_str()
        .unwrap()
        .to_string()
}

fn path_and_query(browser: &Browser) -> String {
    let url = browser.url();
    let after = url.split_once("://").unwrap().1;
    after[after.find('/').unwrap()..].to_string()
}

fn checkbox(facet: &str, term: &str) -> String {
    format!("#facet-form input[name={facet}][value={term}]")
}

/// Clicks a facet term's label, as a person would, and waits for the cards.
fn pick(browser: &Browser, facet: &str, term: &str) {
    let id = browser
        .eval(&format!(
            "return document.querySelector({:?}).id",
            checkbox(facet, term)
        ))
        .as_str()
        .unwrap()
        .to_string();
    browser.click(&format!("label[for={id}]"));
    settle(browser);
}

fn axe_clean(browser: &Browser, what: &str) {
    let violations = browser.axe_violations();
    assert!(violations.is_empty(), "{what}: {violations:#?}");
}

#[test]
fn filtering_by_one_topic_shows_exactly_its_practices() {
    let (_dir, server) = demo();
    let browser = Browser::start(1280, 900);
    open(&browser, &server, "/en/");
    assert_eq!(titles(&browser).len(), 8, "the static first page");
    // Another script (a map) follows the results through the `casebook:results` event.
    browser.eval(
        "window.seen = []; document.addEventListener('casebook:results', e => seen.push(e.detail));",
    );
    pick(&browser, "topics", "poverty");
    let seen = browser.eval("return seen");
    assert_eq!(seen.as_array().unwrap().len(), 1, "{seen}");
    assert_eq!(
        seen[0]["slugs"],
        serde_json::json!(["inclusive-barcelona-agreement", "co-city", "b-mincome"])
    );
    assert_eq!(seen[0]["filters"]["topics"], serde_json::json!(["poverty"]));
    assert_eq!(seen[0]["total"], 8);
    assert_eq!(browser.eval("return casebook.results.slugs.length"), 3);
    // Newest first: the three demo practices about poverty, and nothing else.
    assert_eq!(
        titles(&browser),
        [
            "Citizens' Agreement for an Inclusive Barcelona",
            "CO-CITY",
            "B-MINCOME"
        ]
    );
    assert_eq!(path_and_query(&browser), "/en/?topics=poverty");
    assert_eq!(text(&browser, "#results-heading"), "3 of 8 practices");
    browser.wait_for(
        "return document.getElementById('results-status').textContent === '3 of 8 practices'",
        WAIT,
    );
    assert_eq!(text(&browser, "#active-filters .chip"), "Poverty×");
    // The JS cards are the static cards: same links and tags.
    let hrefs = strings(browser.eval(
        "return [...document.querySelectorAll('.results .card-title a')].map(a => a.getAttribute('href'))",
    ));
    assert_eq!(
        hrefs,
        [
            "/en/practices/inclusive-barcelona-agreement/",
            "/en/practices/co-city/",
            "/en/practices/b-mincome/"
        ]
    );
    assert!(
        text(&browser, ".results .card:nth-child(2) .tags").contains("Urban commons"),
        "topic tags on the cards"
    );
    axe_clean(&browser, "/en/?topics=poverty");
}

/// The counts the facets should show for `active` filters, from the site model: for each
/// term, the practices that match every other facet's filters and have the term.
fn expected_counts(
    active: &[(&str, &str)],
    lang: &str,
) -> std::collections::BTreeMap<(String, String), usize> {
    let loaded =
        casebook::pipeline::load(&BuildOptions::new(common::repo()), &mut Default::default())
            .unwrap();
    let site = &loaded.site;
    let terms_of = |facet: &str, p: &casebook::model::Practice| -> Vec<String> {
        match facet {
            "period" => p
                .start
                .map(|d| casebook::index::decade(d.year).to_string())
                .into_iter()
                .collect(),
            _ => Taxonomy::of_site(&site.config)
                .into_iter()
                .find(|t| t.slug(&site.config) == facet)
                .unwrap()
                .terms_of(p, &site.config),
        }
    };
    let facets = ["topics", "countries", "programmes", "levels", "period"];
    let mut counts = std::collections::BTreeMap::new();
    for e in &site.listings[lang].entries {
        let p = &site.practices[e.practice];
        for facet in facets {
            let others_match = facets.iter().filter(|f| **f != facet).all(|f| {
                let wanted: Vec<&str> = active
                    .iter()
                    .filter(|(af, _)| af == f)
                    .map(|(_, t)| *t)
                    .collect();
                wanted.is_empty() || terms_of(f, p).iter().any(|t| wanted.contains(&t.as_str()))
            });
            if others_match {
                for t in terms_of(facet, p) {
                    *counts.entry((facet.to_string(), t)).or_default() += 1;
                }
            }
        }
    }
    counts
}

/// The counts the page shows: (facet, term) → (count, checked, disabled).
fn shown_counts(browser: &Browser) -> Vec<(String, String, usize, bool, bool)> {
    let rows = browser.eval(
        "return [...document.querySelectorAll('#facet-form input[type=checkbox]')].map(i => [i.name, i.value, i.labels[0].querySelector('.count').textContent, i.checked, i.disabled])",
    );
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let count = r[2]
                .as_str()
                .unwrap()
                .trim_matches(['(', ')'])
                .parse()
                .unwrap();
            (
                r[0].as_str().unwrap().to_string(),
                r[1].as_str().unwrap().to_string(),
                count,
                r[3].as_bool().unwrap(),
                r[4].as_bool().unwrap(),
            )
        })
        .collect()
}

fn check_counts(browser: &Browser, active: &[(&str, &str)]) {
    let expected = expected_counts(active, "en");
    let shown = shown_counts(browser);
    assert!(
        shown.len() >= 20,
        "every term of every facet is shown: {shown:?}"
    );
    for (facet, term, count, checked, disabled) in shown {
        let want = expected
            .get(&(facet.clone(), term.clone()))
            .copied()
            .unwrap_or(0);
        assert_eq!(count, want, "{facet}={term} with {active:?}");
        let is_active = active.contains(&(facet.as_str(), term.as_str()));
        assert_eq!(checked, is_active, "{facet}={term} checked");
        assert_eq!(disabled, want == 0 && !is_active, "{facet}={term} disabled");
    }
}

#[test]
fn two_facets_combine_and_the_counts_match() {
    let (_dir, server) = demo();
    let browser = Browser::start(1280, 900);
    open(&browser, &server, "/en/");
    check_counts(&browser, &[]);
    pick(&browser, "topics", "poverty");
    check_counts(&browser, &[("topics", "poverty")]);
    pick(&browser, "countries", "es");
    check_counts(&browser, &[("topics", "poverty"), ("countries", "es")]);
    assert_eq!(
        titles(&browser),
        [
            "Citizens' Agreement for an Inclusive Barcelona",
            "B-MINCOME"
        ]
    );
    assert_eq!(text(&browser, "#results-heading"), "2 of 8 practices");
    // Zero-count terms stay in the list, disabled: the one practice about urban commons is
    // Italian. Counts leave out their own facet: Italy would give one poverty practice.
    let term = |facet: &str, key: &str| {
        browser.eval(&format!(
            "const i = document.querySelector({:?}); return [i.disabled, i.labels[0].textContent.trim()]",
            checkbox(facet, key)
        ))
    };
    assert_eq!(
        term("topics", "urban-commons"),
        serde_json::json!([true, "Urban commons (0)"])
    );
    assert_eq!(
        term("countries", "it"),
        serde_json::json!([false, "Italy (1)"])
    );
    // OR within a facet: a second topic widens the Spanish results.
    pick(&browser, "topics", "entrepreneurship");
    check_counts(
        &browser,
        &[
            ("topics", "poverty"),
            ("topics", "entrepreneurship"),
            ("countries", "es"),
        ],
    );
    assert_eq!(titles(&browser).len(), 6);
    assert_eq!(
        path_and_query(&browser),
        "/en/?topics=poverty,entrepreneurship&countries=es"
    );
    // A chip removes its filter; "clear all" removes every one and brings back the static page.
    browser.click("#active-filters .chip");
    settle(&browser);
    check_counts(
        &browser,
        &[("topics", "entrepreneurship"), ("countries", "es")],
    );
    browser.click("#active-filters .clear-all");
    settle(&browser);
    assert_eq!(path_and_query(&browser), "/en/");
    assert_eq!(titles(&browser).len(), 8);
    assert_eq!(text(&browser, "#results-heading"), "Practices 1–8 of 8");
    check_counts(&browser, &[]);
}

#[test]
fn search_ignores_case_and_accents_and_ranks_by_relevance() {
    let (_dir, server) = demo();
    let browser = Browser::start(1280, 900);
    for (path, query, want) in [
        ("/es/", "leon", vec!["COOPERACTIVAS"]),
        ("/es/", "renta ", vec!["B-MINCOME"]),
        ("/es/", "turin", vec!["CO-CITY"]),
        ("/en/", "BESOS", vec!["B-MINCOME"]),
        ("/ca/", "valencia", vec!["Co-Crea-Te"]),
    ] {
        open(&browser, &server, path);
        browser.type_into("#catalogue-q", query);
        settle(&browser);
        assert_eq!(titles(&browser), want, "{path} {query}");
    }
    // While the last word is being typed it is a prefix: `renta` also finds `rentable`,
    // ranked below the practice about a minimum income (renta mínima).
    open(&browser, &server, "/es/");
    browser.type_into("#catalogue-q", "renta");
    settle(&browser);
    assert_eq!(
        titles(&browser),
        [
            "B-MINCOME",
            "#MarketPlace en los telecentros de innovación social"
        ]
    );
    // The practice based in Fuenlabrada ranks above one that mentions it in passing.
    open(&browser, &server, "/en/");
    assert_eq!(
        browser.eval("const s = document.getElementById('catalogue-sort'); return [s.value, s.options[0].disabled]"),
        serde_json::json!(["newest", true]),
        "no relevance without a query"
    );
    browser.type_into("#catalogue-q", "fuenla");
    settle(&browser);
    assert_eq!(
        browser.eval("const s = document.getElementById('catalogue-sort'); return [s.value, s.options[0].disabled]"),
        serde_json::json!(["relevance", false]),
        "a query sorts by relevance"
    );
    assert_eq!(
        titles(&browser)[0],
        "CAMUS: citizen auditors against structural discrimination"
    );
    // Several words must all match; sorting by title keeps the matches.
    browser.type_into("#catalogue-q", "brada minimum");
    settle(&browser);
    assert!(titles(&browser).is_empty(), "{:?}", titles(&browser));
    assert!(text(&browser, ".no-results").starts_with("No practice matches"));
    open(&browser, &server, "/en/?q=cities&sort=title");
    let sorted = titles(&browser);
    assert!(sorted.len() >= 2, "{sorted:?}");
    let mut by_title = sorted.clone();
    by_title.sort_by_key(|t| t.to_lowercase());
    assert_eq!(sorted, by_title);
    assert_eq!(
        browser.eval("return document.getElementById('catalogue-sort').value"),
        "title"
    );
}

#[test]
fn a_shared_url_restores_the_view_and_back_undoes_the_last_filter() {
    let (_dir, server) = demo();
    let browser = Browser::start(1280, 900);
    open(
        &browser,
        &server,
        "/es/?topics=poverty&countries=es&q=renta&sort=newest",
    );
    assert_eq!(titles(&browser), ["B-MINCOME"]);
    assert_eq!(
        browser.eval("return [document.getElementById('catalogue-q').value, document.getElementById('catalogue-sort').value]"),
        serde_json::json!(["renta", "newest"])
    );
    let checked = strings(browser.eval(
        "return [...document.querySelectorAll('#facet-form input:checked')].map(i => i.name + '=' + i.value)",
    ));
    assert_eq!(checked, ["topics=poverty", "countries=es"]);
    assert_eq!(
        strings(browser.eval(
            "return [...document.querySelectorAll('#active-filters .chip')].map(c => c.textContent)"
        )),
        ["Pobreza×", "España×", "Palabras: renta×"]
    );
    axe_clean(&browser, "/es/ filtered and searched");

    open(&browser, &server, "/en/");
    pick(&browser, "topics", "poverty");
    pick(&browser, "countries", "es");
    browser.type_into("#catalogue-q", "bar");
    settle(&browser);
    assert_eq!(
        path_and_query(&browser),
        "/en/?topics=poverty&countries=es&q=bar"
    );
    // Typing is one step of history, not one per character.
    browser.back();
    settle(&browser);
    assert_eq!(path_and_query(&browser), "/en/?topics=poverty&countries=es");
    assert_eq!(
        browser.eval("return document.getElementById('catalogue-q').value"),
        ""
    );
    browser.back();
    settle(&browser);
    assert_eq!(path_and_query(&browser), "/en/?topics=poverty");
    assert_eq!(titles(&browser).len(), 3);
    assert_eq!(
        browser.eval(&format!(
            "return document.querySelector({:?}).checked",
            checkbox("countries", "es")
        )),
        false
    );
    browser.back();
    settle(&browser);
    assert_eq!(path_and_query(&browser), "/en/");
    assert_eq!(titles(&browser).len(), 8);
    browser.forward();
    settle(&browser);
    assert_eq!(titles(&browser).len(), 3);
}

#[test]
fn the_spanish_catalogue_has_spanish_labels_and_marks_fallback_entries() {
    let site = common::Site::with_config(&format!(
        "title: {{ en: Good practices, es: Buenas prácticas }}\n{}",
        common::CONFIG
    ));
    site.write(
        "content/practices/co-city.md",
        &common::practice("CO-CITY", "urban-commons, poverty", "programme: uia\n"),
    )
    .write(
        "content/practices/co-city.es.md",
        &common::translation("CO-CITY", ""),
    )
    .write(
        "content/practices/housing-first.md",
        &common::practice("Housing First", "housing, poverty", ""),
    );
    let (_dir, server) = serve(site.root());
    let browser = Browser::start(1280, 900);
    open(&browser, &server, "/es/");
    let legends = strings(browser.eval(
        "return [...document.querySelectorAll('#facet-form legend')].map(l => l.textContent)",
    ));
    assert_eq!(legends, ["Temas", "Países", "Programas"]);
    assert_eq!(
        text(&browser, "label[for=f-topics-0]"),
        "Pobreza (2)",
        "Spanish term labels"
    );
    assert_eq!(text(&browser, "label[for=catalogue-q]"), "Buscar prácticas");
    pick(&browser, "topics", "poverty");
    assert_eq!(text(&browser, "#results-heading"), "2 de 2 prácticas");
    browser.wait_for(
        "return !document.querySelector('.results .summary-loading')",
        WAIT,
    );
    // The English-only practice is listed, marked with its language, linking to English.
    let fallback = browser.eval(
        "const c = [...document.querySelectorAll('.results .card')].find(c => c.textContent.includes('Housing First'));
         const a = c.querySelector('.card-title a');
         return [c.className, c.querySelector('.badge').textContent, a.getAttribute('href'), a.lang, c.querySelector('.summary').lang]",
    );
    assert_eq!(
        fallback,
        serde_json::json!([
            "card card-fallback",
            "Disponible en inglés",
            "/en/practices/housing-first/",
            "en",
            "en"
        ])
    );
    // Search covers the fallback entry, in its own words.
    browser.type_into("#catalogue-q", "housing");
    settle(&browser);
    assert_eq!(titles(&browser), ["Housing First"]);
    axe_clean(&browser, "/es/ with a fallback entry");
}

#[test]
fn show_more_adds_cards_and_moves_focus_to_the_first_new_one() {
    let site = common::Site::new();
    for i in 0..30 {
        site.write(
            &format!("content/practices/p{i:02}.md"),
            &common::practice(&format!("Practice {i:02}"), "poverty", ""),
        );
    }
    let (_dir, server) = serve(site.root());
    let browser = Browser::start(1280, 900);
    open(&browser, &server, "/en/?sort=title");
    assert_eq!(titles(&browser).len(), 24);
    assert_eq!(titles(&browser)[0], "Practice 00");
    assert_eq!(text(&browser, "#results-heading"), "30 of 30 practices");
    browser.click(".show-more");
    assert_eq!(titles(&browser).len(), 30);
    assert_eq!(
        browser.eval("return document.activeElement.textContent"),
        "Practice 24"
    );
    assert_eq!(
        browser.eval("return !!document.querySelector('.show-more')"),
        false
    );
    // From a later static page, a filter leads to the catalogue's own URL.
    open(&browser, &server, "/en/page/2/");
    assert_eq!(titles(&browser).len(), 6);
    pick(&browser, "topics", "poverty");
    assert_eq!(path_and_query(&browser), "/en/?topics=poverty");
    browser.back();
    settle(&browser);
    assert_eq!(path_and_query(&browser), "/en/page/2/");
    assert_eq!(titles(&browser).len(), 6);
}

#[test]
fn everything_works_from_the_keyboard() {
    let (_dir, server) = demo();
    let browser = Browser::start(1280, 900);
    open(&browser, &server, "/en/");
    // Tab from the search box reaches the sort menu; the facets are checkboxes that Space
    // toggles.
    browser.eval("document.getElementById('catalogue-q').focus()");
    browser.keys("barcelona");
    browser.keys(&Key::Tab.to_string());
    assert_eq!(
        browser.eval("return document.activeElement.id"),
        "catalogue-sort"
    );
    browser.eval(&format!(
        "document.querySelector({:?}).focus()",
        checkbox("topics", "poverty")
    ));
    browser.keys(" ");
    settle(&browser);
    assert_eq!(path_and_query(&browser), "/en/?topics=poverty&q=barcelona");
    // Every control has a visible focus indicator.
    let outline = browser.eval(
        "const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]",
    );
    assert_eq!(outline, serde_json::json!(["solid", "3px"]));
    // Removing a chip keeps focus in the chip list, then goes back to the search box.
    browser.eval("document.querySelector('#active-filters .chip').focus()");
    browser.keys(&Key::Enter.to_string());
    settle(&browser);
    assert_eq!(path_and_query(&browser), "/en/?q=barcelona");
    assert_eq!(
        browser.eval("return document.activeElement.textContent"),
        "Words: barcelona×"
    );
    browser.keys(&Key::Enter.to_string());
    settle(&browser);
    assert_eq!(path_and_query(&browser), "/en/");
    assert_eq!(
        browser.eval("return document.activeElement.id"),
        "catalogue-q"
    );
}

#[test]
fn the_javascript_text_rules_match_the_index() {
    let (_dir, server) = demo();
    let browser = Browser::start(800, 600);
    open(&browser, &server, "/en/");
    let samples = [
        (
            "es",
            "València, León y Turín: rentas mínimas; políticas sociales y ciudades",
        ),
        (
            "ca",
            "Col·laboració de les persones als barris de l'eix Besòs, accions i comuns",
        ),
        (
            "it",
            "Città, comuni e povertà: patti di collaborazione nei quartieri",
        ),
        (
            "en",
            "Co-production of cities' policies, the CITIZENS and 5G pilots",
        ),
        ("fr", "Les travaux sociaux des villes européennes"),
        ("de", "Städte und Bürgerinnen: Straße, Häuser"),
        ("xx", "ÆTHER Øresund Œuvre İstanbul ﬁnance ΟΔΟΣ"),
    ];
    for (lang, sample) in samples {
        let js =
            strings(browser.eval(&format!("return casebook.text.terms({sample:?}, {lang:?})")));
        let rust = casebook::index::text::terms(sample, lang);
        assert_eq!(js, rust, "{lang}: {sample}");
    }
}

#[test]
fn pages_pass_axe_and_fit_phones_and_desktops() {
    let (_dir, server) = demo();
    let browser = Browser::start(1280, 900);
    for path in [
        "/en/",
        "/es/",
        "/en/?topics=poverty&countries=es",
        "/es/?q=econom&sort=title",
        "/en/practices/b-mincome/",
        "/es/practices/co-city/",
        "/en/topics/poverty/",
        "/es/countries/es/",
        "/en/topics/",
        "/es/programmes/",
    ] {
        browser.goto(&format!("{}{path}", server.url));
        if !path.contains("/practices/") && path.matches('/').count() <= 2 {
            settle(&browser);
        }
        axe_clean(&browser, path);
    }
    for (width, height) in [(360, 780), (1280, 900)] {
        browser.set_size(width, height);
        open(&browser, &server, "/es/?topics=poverty&q=barcelona");
        let narrow = width < 900;
        let expanded = browser.eval(
            "const b = document.querySelector('.facets-toggle'); return getComputedStyle(b).display === 'none' ? null : String(b.parentElement.open)",
        );
        let form_visible =
            browser.eval("return document.getElementById('facet-form').checkVisibility()");
        if narrow {
            assert_eq!(expanded, "false", "facets collapse behind a disclosure");
            assert_eq!(form_visible, false);
        } else {
            assert_eq!(expanded, Value::Null, "no toggle on wide screens");
            assert_eq!(form_visible, true);
        }
        let overflow =
            browser.eval("return document.documentElement.scrollWidth > window.innerWidth");
        assert_eq!(overflow, false, "scrolls sideways at {width}px");
        browser.screenshot(&artifacts().join(format!("catalogue-filtered-es-{width}.png")));
        if narrow {
            browser.click(".facets-toggle");
            assert_eq!(
                browser.eval("return document.querySelector('.facets-toggle').parentElement.open"),
                true
            );
            assert_eq!(
                browser.eval("return document.getElementById('facet-form').checkVisibility()"),
                true
            );
            axe_clean(&browser, "facets open at 360px");
            browser.screenshot(&artifacts().join(format!("catalogue-facets-open-es-{width}.png")));
        }
        open(&browser, &server, "/en/");
        browser.screenshot(&artifacts().join(format!("catalogue-en-{width}.png")));
        // The other kinds of page, in two languages, fit too.
        for (path, name) in [
            ("/es/", "catalogue-es"),
            ("/en/?topics=poverty", "catalogue-filtered-en"),
            ("/en/practices/b-mincome/", "practice-en"),
            ("/es/practices/co-city/", "practice-es"),
            ("/en/topics/poverty/", "term-en"),
            ("/es/countries/es/", "term-es"),
            ("/en/topics/", "taxonomy-en"),
            ("/es/programmes/", "taxonomy-es"),
        ] {
            browser.goto(&format!("{}{path}", server.url));
            if name.starts_with("catalogue") {
                settle(&browser);
            }
            let overflow =
                browser.eval("return document.documentElement.scrollWidth > window.innerWidth");
            assert_eq!(overflow, false, "{path} scrolls sideways at {width}px");
            browser.screenshot(&artifacts().join(format!("{name}-{width}.png")));
        }
    }
    let seen: BTreeSet<String> = std::fs::read_dir(artifacts())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("catalogue-"))
        .collect();
    assert!(seen.len() >= 5, "{seen:?}");
}

/// The top of the first result card and of the map (null without one), and the
/// viewport's height, in CSS pixels.
fn first_card_and_map(browser: &Browser) -> (f64, Option<f64>, f64) {
    let v = browser.eval(
        "const card = document.querySelector('.results .card');
         const map = document.querySelector('.catalogue-map');
         return [card.getBoundingClientRect().top, map ? map.getBoundingClientRect().top : null, innerHeight]",
    );
    (
        v[0].as_f64().unwrap(),
        v[1].as_f64(),
        v[2].as_f64().unwrap(),
    )
}

#[test]
fn practices_come_first_on_phones_and_desktops_with_and_without_javascript() {
    let (_dir, server) = demo();
    for (width, height) in [(390, 844), (1280, 900)] {
        for javascript in [true, false] {
            let browser = if javascript {
                Browser::start(width, height)
            } else {
                Browser::start_without_javascript(width, height)
            };
            let paths: &[&str] = if javascript {
                &["/en/", "/es/?topics=poverty", "/ca/", "/it/?q=comuni"]
            } else {
                &["/en/", "/es/", "/ca/topics/poverty/"]
            };
            for path in paths {
                browser.goto(&format!("{}{path}", server.url));
                let what = format!("{path} at {width}×{height}, JavaScript {javascript}");
                if javascript {
                    settle(&browser);
                } else {
                    assert_eq!(
                        browser.eval("return document.documentElement.dataset.catalogue || null"),
                        Value::Null,
                        "{what}: the script did not run"
                    );
                    // No search box that could not search.
                    assert_eq!(
                        browser.eval("const f = document.getElementById('catalogue-search'); return !f || getComputedStyle(f).display === 'none'"),
                        true,
                        "{what}"
                    );
                }
                let (card, map, viewport) = first_card_and_map(&browser);
                // The first card's title and place at least are on the first screen.
                assert!(
                    card >= 0.0 && card + 80.0 <= viewport,
                    "{what}: the first card starts at {card}px of {viewport}px"
                );
                if let Some(map) = map {
                    if width < 768 {
                        assert!(
                            map > card,
                            "{what}: the map comes after the list on a phone"
                        );
                    } else {
                        assert!(
                            map < viewport,
                            "{what}: the map is on the first screen beside the list"
                        );
                    }
                }
                browser.screenshot(&artifacts().join(format!(
                    "first-screen{}-{width}{}.png",
                    path.replace(['/', '?', '='], "-").trim_end_matches('-'),
                    if javascript { "" } else { "-nojs" }
                )));
            }
        }
    }
}

/// The layout shift of the page so far, as Chromium's `layout-shift` entries give it (those
/// that followed recent input left out), with what moved.
fn layout_shift(browser: &Browser) -> (f64, Vec<String>) {
    let v = browser.eval(
        "const o = new PerformanceObserver(() => {});
         o.observe({type: 'layout-shift', buffered: true});
         const entries = o.takeRecords().filter(e => !e.hadRecentInput);
         o.disconnect();
         return [entries.reduce((sum, e) => sum + e.value, 0),
                 entries.flatMap(e => e.sources.map(s => !s.node ? '?'
                   : (typeof s.node.className === 'string' && s.node.className)
                     || (s.node.getAttribute && s.node.getAttribute('class')) || s.node.nodeName))]",
    );
    (v[0].as_f64().unwrap(), strings(v[1].clone()))
}

/// Waits until the catalogue has drawn its results and the map has caught up with them,
/// then for one more frame, so that whatever they moved has been laid out.
fn settle_everything(browser: &Browser) {
    settle(browser);
    browser.wait_for(
        "const map = document.querySelector('[data-map]'); return !map || !map.hasAttribute('data-stale')",
        WAIT,
    );
    browser.eval_async(
        "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
    );
}

#[test]
fn nothing_moves_while_the_catalogue_and_a_practice_load() {
    let (_dir, server) = demo();
    for (width, height) in [(390, 844), (412, 823), (1280, 900)] {
        let browser = Browser::start(width, height);
        for path in [
            "/en/",
            "/es/?topics=poverty",
            "/en/practices/b-mincome/",
            "/ca/practices/inclusive-barcelona-agreement/",
        ] {
            browser.goto(&format!("{}{path}", server.url));
            if path.contains("/practices/") {
                browser.wait_for(
                    "const copy = document.querySelector('.share-copy'); return document.readyState === 'complete' && !!copy && !copy.hidden",
                    WAIT,
                );
                browser.eval_async(
                    "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                );
            } else {
                settle_everything(&browser);
            }
            let (shift, moved) = layout_shift(&browser);
            assert!(
                shift < 0.1,
                "{path} at {width}×{height}: cumulative layout shift {shift:.3} ({moved:?})"
            );
        }
        // The measure can fail: something pushed in above the list moves it.
        open(&browser, &server, "/en/");
        browser.eval(
            "const p = document.createElement('p'); p.style.height = '300px'; document.querySelector('.catalogue').prepend(p);",
        );
        browser.eval_async(
            "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
        );
        let (shift, _) = layout_shift(&browser);
        assert!(shift > 0.1, "a shift the measure should see: {shift}");
    }
}

/// The first "no practice matches" message and the map: their tops, and whether the
/// message comes first in the page.
fn message_and_map(browser: &Browser) -> (f64, f64, bool) {
    let v = browser.eval(
        "const m = document.querySelector('.results .no-results');
         const map = document.querySelector('.catalogue-map');
         return [m.getBoundingClientRect().top, map.getBoundingClientRect().top,
                 !!(m.compareDocumentPosition(map) & Node.DOCUMENT_POSITION_FOLLOWING)]",
    );
    (
        v[0].as_f64().unwrap(),
        v[1].as_f64().unwrap(),
        v[2].as_bool().unwrap(),
    )
}

fn way_out(browser: &Browser) -> Vec<String> {
    strings(browser.eval(
        "return [...document.querySelectorAll('.no-results .way-out button')].map(b => b.textContent)",
    ))
}

#[test]
fn no_results_say_so_first_and_offer_a_way_out() {
    let (_dir, server) = demo();
    for (width, height) in [(390, 844), (1280, 900)] {
        let browser = Browser::start(width, height);
        // The one practice about urban commons is Italian: none in Spain.
        open(&browser, &server, "/en/?topics=urban-commons&countries=es");
        assert!(titles(&browser).is_empty());
        let (message, map, first) = message_and_map(&browser);
        assert!(
            first,
            "at {width}px the message comes before the map in the page"
        );
        assert!(
            message + 100.0 < height as f64,
            "at {width}px the message is on the first screen: {message}"
        );
        if width < 768 {
            assert!(message < map, "at {width}px the message is above the map");
        }
        assert!(text(&browser, ".no-results").starts_with("No practice matches"));
        assert_eq!(
            text(&browser, ".catalogue-map figcaption"),
            "No practice to show on the map."
        );
        // Each way out says what it gives.
        assert_eq!(
            way_out(&browser),
            [
                "Remove the filter “Urban commons” (7 practices)",
                "Remove the filter “Spain” (1 practice)"
            ]
        );
        axe_clean(&browser, &format!("no results at {width}px"));
        browser.click(".no-results .way-out li:nth-child(2) button");
        settle(&browser);
        assert_eq!(titles(&browser), ["CO-CITY"]);
        assert_eq!(path_and_query(&browser), "/en/?topics=urban-commons");
        assert_eq!(
            browser.eval("return document.activeElement.id"),
            "catalogue-q"
        );
        // Words that match nothing: searching without them.
        open(&browser, &server, "/es/?q=brada%20minimum&topics=poverty");
        assert!(titles(&browser).is_empty());
        assert_eq!(
            way_out(&browser),
            ["Buscar sin «brada minimum» (3 prácticas)"]
        );
        browser.click(".no-results .way-out button");
        settle(&browser);
        assert_eq!(titles(&browser).len(), 3);
        assert_eq!(path_and_query(&browser), "/es/?topics=poverty");
        // The map's caption follows the results two frames later, whether or not the map
        // itself is near enough to the viewport to be drawn.
        browser.wait_for(
            "return document.querySelector('.catalogue-map figcaption').textContent.trim().startsWith('Cada punto')",
            WAIT,
        );
    }
}

#[test]
fn a_typo_offers_the_catalogues_own_word_and_it_finds_practices() {
    let (_dir, server) = demo();
    let browser = Browser::start(390, 844);
    for (path, typed, offered, found) in [
        (
            "/en/",
            "cooperativs",
            "cooperatives",
            vec!["COOPERACTIVAS", "B-MINCOME"],
        ),
        (
            "/es/",
            "cooperatvas",
            "cooperativas",
            vec!["COOPERACTIVAS", "B-MINCOME"],
        ),
        ("/es/", "probreza", "pobreza", vec![]),
    ] {
        open(&browser, &server, path);
        browser.type_into("#catalogue-q", typed);
        settle(&browser);
        assert!(titles(&browser).is_empty(), "{path} {typed}");
        assert_eq!(
            text(&browser, ".no-results .suggestion"),
            offered,
            "{path} {typed}"
        );
        // The live region says it too.
        browser.wait_for(
            &format!(
                "return document.getElementById('results-status').textContent.includes({offered:?})"
            ),
            WAIT,
        );
        axe_clean(&browser, &format!("{path} {typed}"));
        browser.click(".no-results .suggestion");
        settle(&browser);
        assert_eq!(
            browser.eval("return document.getElementById('catalogue-q').value"),
            offered
        );
        let shown = titles(&browser);
        assert!(!shown.is_empty(), "{path} {offered}");
        for title in found {
            assert!(
                shown.iter().any(|t| t == title),
                "{path} {offered}: {shown:?}"
            );
        }
        assert!(path_and_query(&browser).ends_with(&format!("q={offered}")));
    }
    // Words that are close to nothing get no suggestion.
    open(&browser, &server, "/en/");
    browser.type_into("#catalogue-q", "zzyzx");
    settle(&browser);
    assert_eq!(
        browser.eval("return document.querySelector('.no-results .suggestion')"),
        Value::Null
    );
}

/// The candidates of every search chunk of a built language: (term, word shown, entries).
fn suggestion_candidates(site: &std::path::Path, lang: &str) -> Vec<(String, String, usize)> {
    let dir = site.join(lang).join("search");
    let catalogue = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with("catalogue."))
        .unwrap()
        .path();
    let catalogue: Value = serde_json::from_slice(&std::fs::read(catalogue).unwrap()).unwrap();
    let mut out = Vec::new();
    for chunk in catalogue["chunks"].as_array().unwrap() {
        let file = dir.join(chunk[1].as_str().unwrap());
        let chunk: Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
        let terms = chunk["terms"].as_array().unwrap();
        let words = chunk["words"].as_array().expect("the chunk has words");
        assert_eq!(terms.len(), words.len());
        for (k, term) in terms.iter().enumerate() {
            let Some(word) = words[k].as_str() else {
                continue;
            };
            let term = term.as_str().unwrap();
            let shown = if word.is_empty() { term } else { word };
            let entries = chunk["postings"][k].as_array().unwrap().len() / 2;
            out.push((term.to_string(), shown.to_string(), entries));
        }
    }
    out
}

#[test]
fn rust_and_javascript_agree_on_suggestions() {
    let (dir, server) = demo();
    let browser = Browser::start(800, 600);
    open(&browser, &server, "/en/");
    let typos = [
        (
            "en",
            vec![
                "cooperativs",
                "povrety",
                "barcelna",
                "neighbourhods",
                "citzens",
                "employmnet",
                "xyzzy",
                "tori",
            ],
        ),
        (
            "es",
            vec![
                "cooperatvas",
                "probreza",
                "ciudadnos",
                "vivenda",
                "baecelona",
            ],
        ),
        ("ca", vec!["pobresaa", "ciutadnia", "barclona"]),
        ("it", vec!["poverta", "citadini", "torino"]),
    ];
    for (lang, words) in typos {
        let candidates = suggestion_candidates(&dir.path().join("site"), lang);
        assert!(
            candidates.len() > 40,
            "{lang}: {} words offered",
            candidates.len()
        );
        // Every word offered is one search word whose term is the one it stands for, in
        // Rust and in the browser: a click on it finds the term's practices.
        let list = serde_json::to_string(&candidates).unwrap();
        let js_terms = browser.eval(&format!(
            "return {list}.map(([, shown]) => casebook.text.terms(shown, {lang:?}))"
        ));
        for (k, (term, shown, _)) in candidates.iter().enumerate() {
            assert_eq!(
                casebook::index::text::terms(shown, lang),
                std::slice::from_ref(term),
                "{lang}: {shown}"
            );
            assert_eq!(js_terms[k], serde_json::json!([term]), "{lang}: {shown}");
        }
        let mut offered = 0;
        for word in words {
            let rust = casebook::index::text::suggest(
                word,
                lang,
                candidates
                    .iter()
                    .map(|(t, s, n)| (t.as_str(), s.as_str(), *n)),
            );
            let js = browser.eval(&format!(
                "return casebook.text.suggest({word:?}, {lang:?}, {list})"
            ));
            assert_eq!(js.as_str(), rust, "{lang}: {word}");
            offered += usize::from(rust.is_some());
        }
        assert!(offered >= 2, "{lang}: suggestions for most typos");
    }
    assert_eq!(
        casebook::index::text::suggest(
            "cooperativs",
            "en",
            suggestion_candidates(&dir.path().join("site"), "en")
                .iter()
                .map(|(t, s, n)| (t.as_str(), s.as_str(), *n))
        ),
        Some("cooperatives")
    );
    // The distance itself, on random words of a small alphabet (accents included).
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let alphabet: Vec<char> = "abcàé·".chars().collect();
    let mut word = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (0..seed % 7)
            .map(|k| alphabet[((seed >> (k * 5)) % alphabet.len() as u64) as usize])
            .collect::<String>()
    };
    let pairs: Vec<(String, String)> = (0..300).map(|_| (word(), word())).collect();
    let js = browser.eval(&format!(
        "return {}.map(([a, b]) => casebook.text.editDistance([...a], [...b], 3))",
        serde_json::to_string(&pairs).unwrap()
    ));
    for (k, (a, b)) in pairs.iter().enumerate() {
        let a_chars: Vec<char> = a.chars().collect();
        let b_chars: Vec<char> = b.chars().collect();
        let rust = casebook::index::text::edit_distance(&a_chars, &b_chars, 3);
        assert_eq!(
            js[k].as_i64(),
            Some(rust.map_or(-1, |d| d as i64)),
            "{a:?} / {b:?}"
        );
    }
}
