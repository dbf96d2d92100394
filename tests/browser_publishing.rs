//! Publishing features in a real headless Chromium: pages make no request to a third
//! party, the catalogue map follows the filters and shows a practice on click, sharing
//! gives feedback, and a practice prints as a one- or two-page handout.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use casebook::build::BuildOptions;
use common::browser::{Browser, StaticServer, artifacts};
use serde_json::Value;

fn demo() -> (tempfile::TempDir, StaticServer) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    casebook::build(&BuildOptions {
        output: Some(out.clone()),
        ..BuildOptions::new(common::repo())
    })
    .expect("demo builds");
    let server = StaticServer::start(&out);
    (dir, server)
}

fn strings(v: Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap_or_default().to_string())
        .collect()
}

/// Every resource the page loaded (and the page itself), as the browser recorded them.
fn requested(browser: &Browser) -> Vec<String> {
    strings(browser.eval(
        "return [location.href].concat(performance.getEntriesByType('resource').map(e => e.name))",
    ))
}

#[test]
fn pages_make_no_request_to_any_other_host() {
    let (_dir, server) = demo();
    let browser = Browser::start(1280, 900);
    for path in ["/en/", "/es/practices/co-city/", "/ca/practices/b-mincome/"] {
        browser.goto(&format!("{}{path}", server.url));
        // Let deferred scripts run and anything lazy start.
        browser.wait_for(
            "return document.readyState === 'complete'",
            Duration::from_secs(5),
        );
        std::thread::sleep(Duration::from_millis(300));
        let urls = requested(&browser);
        assert!(urls.len() > 1, "{path}: the stylesheet at least: {urls:?}");
        let foreign: Vec<&String> = urls
            .iter()
            .filter(|u| !u.starts_with(&format!("{}/", server.url)))
            .collect();
        assert!(foreign.is_empty(), "{path} requested {foreign:?}");
        // Nothing in the page would load from elsewhere later either (images, frames,
        // scripts, styles, media, preloads).
        let sources = strings(browser.eval(
            "return Array.from(document.querySelectorAll(
                 '[src], object[data], link[rel~=stylesheet], link[rel~=icon], link[rel~=preload], link[rel~=modulepreload], link[rel~=prefetch], link[rel~=manifest]'))
               .map(e => e.src || e.href || e.data || '')",
        ));
        for s in sources {
            assert!(s.starts_with(&server.url), "{path} refers to {s}");
        }
    }
}

#[test]
fn the_catalogue_map_follows_the_results_and_shows_a_practice_on_click() {
    let (_dir, server) = demo();
    let browser = Browser::start(1280, 900);
    browser.goto(&format!("{}/en/", server.url));
    browser.wait_for(
        "return document.readyState === 'complete'",
        Duration::from_secs(5),
    );

    let visible_dots = "return Array.from(document.querySelectorAll('.catalogue-map .map-dot'))
        .filter(d => getComputedStyle(d).display !== 'none' && d.getBoundingClientRect().width > 0)
        .map(d => d.dataset.slug).sort()";
    let listed = "return Array.from(document.querySelectorAll('.cards .card-title a'))
        .map(a => a.pathname.split('/').filter(Boolean).pop()).sort()";
    // Before any filter: every practice of the list is on the map (all eight have a place).
    let dots: BTreeSet<String> = strings(browser.eval(visible_dots)).into_iter().collect();
    let list: BTreeSet<String> = strings(browser.eval(listed)).into_iter().collect();
    assert_eq!(list.len(), 8);
    assert_eq!(dots, list);

    // "Download the current selection" appears once the faceted catalogue has said what it
    // lists.
    browser.wait_for(
        "return !!(window.casebook && window.casebook.results)",
        Duration::from_secs(5),
    );
    assert_ne!(
        browser.eval("return getComputedStyle(document.querySelector('.selection-csv')).display"),
        Value::from("none")
    );

    // Filtering the catalogue by a topic (a real click on its checkbox): the dots follow.
    let id = browser
        .eval("return document.querySelector('#facet-form input[name=topics][value=poverty]').id");
    browser.click(&format!("label[for={}]", id.as_str().unwrap()));
    let poverty = vec!["b-mincome", "co-city", "inclusive-barcelona-agreement"];
    browser.wait_for(
        "return casebook.results.slugs.length === 3",
        Duration::from_secs(5),
    );
    assert_eq!(strings(browser.eval(visible_dots)), poverty);
    // The selection downloads as CSV: the export's header and the three rows.
    browser.eval(
        "URL.createObjectURL = (blob) => { window.__csv = blob; return 'about:blank'; };
         HTMLAnchorElement.prototype.click = function () { window.__file = this.download; };
         return true",
    );
    browser.click("[data-selection-csv]");
    browser.wait_for("return !!window.__csv", Duration::from_secs(5));
    let csv = browser.eval_async(
        "const done = arguments[arguments.length - 1]; window.__csv.text().then(done);",
    );
    let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_str().unwrap().as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        casebook::publish::opendata::CSV_COLUMNS
    );
    let mut chosen: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    chosen.sort();
    assert_eq!(chosen, poverty);
    assert_eq!(
        browser.eval("return window.__file"),
        Value::from("practices-selection.csv")
    );

    // Clearing the filters brings every dot back.
    browser.click("#active-filters .clear-all");
    browser.wait_for(
        "return casebook.results.slugs.length === 8",
        Duration::from_secs(5),
    );
    assert_eq!(strings(browser.eval(visible_dots)).len(), 8);

    // A click on a dot shows the practice beside the map, with a link to it.
    browser.eval(
        "document.querySelector('.map-dot[data-slug=\"co-city\"]')
           .dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 })); return true",
    );
    browser.wait_for(
        "return !document.querySelector('[data-map-panel]').hidden",
        Duration::from_secs(2),
    );
    assert!(
        browser.url().ends_with("/en/"),
        "the click did not navigate away"
    );
    let panel = browser.eval(
        "const p = document.querySelector('[data-map-panel]');
         return [p.querySelector('a').textContent, p.querySelector('a').pathname, p.querySelector('.map-panel-place').textContent]",
    );
    assert_eq!(
        strings(panel),
        vec![
            "CO-CITY",
            "/en/practices/co-city/",
            "Turin, Piedmont, Italy"
        ]
    );
    // Filtering it out closes the panel.
    browser.eval(
        "document.dispatchEvent(new CustomEvent('casebook:results', { detail: { slugs: ['as-fabrik'] } })); return true",
    );
    assert_eq!(
        browser.eval("return document.querySelector('[data-map-panel]').hidden"),
        Value::Bool(true)
    );
    browser.screenshot(&artifacts().join("catalogue-map-en.png"));
    let violations = browser.axe_violations();
    assert!(violations.is_empty(), "{violations:#?}");
}

#[test]
fn copy_link_gives_feedback_and_mastodon_asks_for_the_server() {
    let (_dir, server) = demo();
    let browser = Browser::start(1280, 900);
    browser.goto(&format!("{}/es/practices/co-city/", server.url));
    browser.wait_for(
        "return !document.querySelector('.share-copy').hidden",
        Duration::from_secs(5),
    );
    browser.click("[data-copy]");
    browser.wait_for(
        "return document.querySelector('.share-status').textContent !== ''",
        Duration::from_secs(5),
    );
    assert_eq!(
        browser.eval("return document.querySelector('.share-status').textContent"),
        Value::from("Enlace copiado")
    );
    assert_eq!(
        browser.eval("return document.querySelector('[data-copy]').dataset.copy"),
        Value::from("https://casebook.example.org/es/practices/co-city/")
    );

    // Mastodon: a bad server name is refused in place; a good one opens its share page.
    browser.eval(
        "window.__opened = []; window.open = (u) => { window.__opened.push(u); return null; };
         const f = document.querySelector('.share-mastodon');
         f.querySelector('input').value = 'not a server';
         f.requestSubmit(); return true",
    );
    assert_eq!(
        browser.eval("return window.__opened.length"),
        Value::from(0)
    );
    assert_eq!(
        browser.eval("return document.querySelector('#mastodon-server').validationMessage"),
        Value::from("Escribe el nombre de un servidor, como mastodon.social")
    );
    browser.eval(
        "const f = document.querySelector('.share-mastodon');
         f.querySelector('input').value = 'https://Mastodon.Example/@me';
         f.requestSubmit(); return true",
    );
    let opened = strings(browser.eval("return window.__opened"));
    assert_eq!(opened.len(), 1);
    assert!(
        opened[0].starts_with("https://mastodon.example/share?text=CO-CITY%20https%3A%2F%2Fcasebook.example.org%2Fes%2Fpractices%2Fco-city%2F"),
        "{}",
        opened[0]
    );
    let violations = browser.axe_violations();
    assert!(violations.is_empty(), "{violations:#?}");
}

/// Pages in a PDF: Chromium writes one `/Type /Page` dictionary per page.
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type /Page")
        .filter(|(i, _)| !text[i + "/Type /Page".len()..].starts_with('s'))
        .count()
}

#[test]
fn a_practice_prints_as_a_one_or_two_page_handout() {
    let (_dir, server) = demo();
    let browser = Browser::start(1280, 900);
    let practices = [
        "as-fabrik",
        "b-mincome",
        "camus-fuenlabrada",
        "co-city",
        "co-crea-te",
        "cooperactivas",
        "inclusive-barcelona-agreement",
        "marketplace-telecentres",
    ];
    for slug in practices {
        browser.goto(&format!("{}/en/practices/{slug}/", server.url));
        let pdf = browser.print_pdf();
        std::fs::write(artifacts().join(format!("print-{slug}.pdf")), &pdf).unwrap();
        let pages = pdf_pages(&pdf);
        assert!(
            (1..=2).contains(&pages),
            "{slug} prints on {pages} pages (see target/test-artifacts/print-{slug}.pdf)"
        );
    }
    // The check can fail: the catalogue, which is not meant as a handout, is longer.
    browser.goto(&format!("{}/en/", server.url));
    assert!(pdf_pages(&browser.print_pdf()) > 2);
}
