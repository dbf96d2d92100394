//! Publishing features in a real headless Chromium: pages make no request to a third
//! party, the catalogue map follows the filters and shows a practice on click, sharing
//! gives feedback, and a practice prints as a one- or two-page handout.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use casebook::BuildOptions;
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

/// The demo with #MarketPlace's coordinates taken out: its dot falls back to its country's
/// centre (a hollow dot), as a practice without coordinates does. Returns the site's root
/// too.
fn demo_with_a_centred_practice() -> (tempfile::TempDir, std::path::PathBuf, StaticServer) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    for part in ["casebook.yaml", "content", "static", "themes"] {
        let from = common::repo().join(part);
        if from.is_dir() {
            common::copy_dir(&from, &root.join(part));
        } else {
            std::fs::create_dir_all(&root).unwrap();
            std::fs::copy(&from, root.join(part)).unwrap();
        }
    }
    let file = root.join("content/practices/marketplace-telecentres.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let without = text.replacen("coordinates: [37.46, -4.58]\n", "", 1);
    assert_ne!(text, without, "#MarketPlace's coordinates moved");
    std::fs::write(&file, without).unwrap();
    let out = dir.path().join("site");
    casebook::build(&BuildOptions {
        output: Some(out.clone()),
        ..BuildOptions::new(&root)
    })
    .expect("the demo builds without one practice's coordinates");
    let server = StaticServer::start(&out);
    (dir, root, server)
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
        // Wait until the page has loaded and every request it started has finished.
        browser.wait_for(
            "return document.readyState === 'complete'
               && performance.getEntriesByType('resource').every(e => e.responseEnd > 0)",
            Duration::from_secs(5),
        );
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

/// Where practices sit on the theme's map, by slug, as the index rounds them (map units),
/// with whether they sit at their country's centre: computed here from the site model.
fn places_of(root: &std::path::Path) -> BTreeMap<String, ((i64, i64), bool)> {
    let loaded = casebook::pipeline::load(&BuildOptions::new(root), &mut Default::default())
        .expect("site loads");
    let map = loaded.theme.map.as_ref().expect("the theme has a map");
    loaded
        .site
        .practices
        .iter()
        .filter_map(|p| {
            let dot = map.place(p.coordinates, &p.country)?;
            let at = (dot.x.round() as i64, dot.y.round() as i64);
            Some((p.slug.clone(), (at, dot.approximate)))
        })
        .collect()
}

/// The colour the map's canvas shows at each of `points` (map units), as `[r, g, b, a]`:
/// where the SVG draws that point (its own transform), read back from the canvas above it.
fn colours_at(browser: &Browser, points: &[(i64, i64)]) -> Vec<[u8; 4]> {
    let list = serde_json::to_string(points).unwrap();
    let v = browser.eval(&format!(
        "const svg = document.querySelector('.catalogue-map svg');
         const canvas = document.querySelector('.catalogue-map canvas');
         const m = svg.getScreenCTM();
         const box = canvas.getBoundingClientRect();
         const ctx = canvas.getContext('2d');
         return {list}.map(([x, y]) => {{
           const cx = (m.a * x + m.c * y + m.e - box.left) * canvas.width / box.width;
           const cy = (m.b * x + m.d * y + m.f - box.top) * canvas.height / box.height;
           return Array.from(ctx.getImageData(Math.floor(cx), Math.floor(cy), 1, 1).data);
         }})"
    ));
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let c: Vec<u8> = c
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap() as u8)
                .collect();
            [c[0], c[1], c[2], c[3]]
        })
        .collect()
}

const ACCENT: [u8; 4] = [0x0b, 0x5c, 0xad, 255];
const FOCUS: [u8; 4] = [0xc0, 0x56, 0x00, 255];
const WHITE: [u8; 4] = [255, 255, 255, 255];
const NOTHING: [u8; 4] = [0, 0, 0, 0];

/// Slugs of the cards listed, as the reader sees them.
fn listed(browser: &Browser) -> Vec<String> {
    strings(browser.eval(
        "return Array.from(document.querySelectorAll('.results .cards .card-title a'))
            .map(a => a.pathname.split('/').filter(Boolean).pop())",
    ))
}

/// Waits until the map shows the latest results (it draws them after the new cards).
fn map_caught_up(browser: &Browser) {
    browser.wait_for(
        "return !document.querySelector('[data-map]').hasAttribute('data-stale')",
        Duration::from_secs(5),
    );
}

/// Checks that the map shows exactly the places of `slugs`: a dot at each (hollow where
/// approximate), nothing at the places of the other practices.
fn assert_map_shows(
    browser: &Browser,
    places: &BTreeMap<String, ((i64, i64), bool)>,
    slugs: &[String],
) {
    map_caught_up(browser);
    let want: BTreeMap<(i64, i64), bool> = slugs
        .iter()
        .filter_map(|s| places.get(s))
        .map(|(at, approximate)| (*at, *approximate))
        .collect();
    assert_eq!(
        browser.eval("return document.querySelector('[data-map]').dataset.dots"),
        Value::from(want.len().to_string()),
        "one dot per place of {slugs:?}"
    );
    let points: Vec<(i64, i64)> = want.keys().copied().collect();
    for (at, colour) in points.iter().zip(colours_at(browser, &points)) {
        let expected = if want[at] { WHITE } else { ACCENT };
        assert_eq!(colour, expected, "the dot at {at:?} for {slugs:?}");
    }
    let others: Vec<(i64, i64)> = places
        .values()
        .map(|(at, _)| *at)
        .filter(|at| !want.contains_key(at))
        .collect();
    for (at, colour) in others.iter().zip(colours_at(browser, &others)) {
        assert_eq!(colour, NOTHING, "no dot at {at:?} for {slugs:?}");
    }
}

/// Clicks the map where `at` (map units) is drawn, with real mouse events.
fn click_map_at(browser: &Browser, at: (i64, i64)) {
    let screen = browser.eval(&format!(
        "const svg = document.querySelector('.catalogue-map svg');
         svg.scrollIntoView({{block: 'center', behavior: 'instant'}});
         const m = svg.getScreenCTM();
         return [m.a * {x} + m.c * {y} + m.e, m.b * {x} + m.d * {y} + m.f]",
        x = at.0,
        y = at.1
    ));
    browser.click_at(screen[0].as_f64().unwrap(), screen[1].as_f64().unwrap());
}

fn panel(browser: &Browser) -> Vec<Vec<String>> {
    browser
        .eval(
            "return Array.from(document.querySelectorAll('[data-map-panel] li'))
               .map(li => [li.querySelector('a').textContent, li.querySelector('a').pathname, li.querySelector('.map-panel-place').textContent])",
        )
        .as_array()
        .unwrap()
        .iter()
        .map(|row| strings(row.clone()))
        .collect()
}

#[test]
fn the_catalogue_maps_dots_match_the_filtered_list_and_a_click_shows_the_practice() {
    let (_dir, root, server) = demo_with_a_centred_practice();
    let places = places_of(&root);
    let browser = Browser::start(1280, 900);
    browser.goto(&format!("{}/en/", server.url));
    // The map draws the selection once the catalogue has listed it and the index's map file
    // has arrived.
    let drawn_selection =
        "return document.querySelector('[data-map]').dataset.layer === 'selection'";
    browser.wait_for(drawn_selection, Duration::from_secs(10));
    // Before any filter: every practice of the list is on the map.
    let list = listed(&browser);
    assert_eq!(list.len(), 8);
    assert_map_shows(&browser, &places, &list);
    assert!(
        places.values().any(|(_, approximate)| *approximate),
        "the site has a practice at its country's centre"
    );
    assert_eq!(
        browser.eval("return document.querySelector('.catalogue-map .map-key').hidden"),
        false,
        "the caption explains hollow dots"
    );
    assert_eq!(
        browser.eval("return document.querySelectorAll('.catalogue-map a.map-dot').length"),
        0,
        "the page's own dots gave way to the drawn selection"
    );

    // "Download the current selection" appears once the faceted catalogue has said what it
    // lists.
    assert_ne!(
        browser.eval("return getComputedStyle(document.querySelector('.selection-csv')).display"),
        Value::from("none")
    );

    // Filtering the catalogue by a topic (a real click on its checkbox): the dots follow.
    let id = browser
        .eval("return document.querySelector('#facet-form input[name=topics][value=poverty]').id");
    browser.click(&format!("label[for={}]", id.as_str().unwrap()));
    browser.wait_for(
        "return casebook.results.slugs.length === 3",
        Duration::from_secs(5),
    );
    let mut poverty = listed(&browser);
    assert_map_shows(&browser, &places, &poverty);
    // None of them sits at its country's centre: the key to hollow dots goes.
    assert_eq!(
        browser.eval("return document.querySelector('.catalogue-map .map-key').hidden"),
        true
    );
    poverty.sort();
    assert_eq!(
        poverty,
        vec!["b-mincome", "co-city", "inclusive-barcelona-agreement"]
    );
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
    assert_map_shows(&browser, &places, &listed(&browser));

    // A click on a dot shows the practice beside the map, with a link to it.
    click_map_at(&browser, places["co-city"].0);
    browser.wait_for(
        "return !document.querySelector('[data-map-panel]').hidden",
        Duration::from_secs(2),
    );
    assert!(
        browser.url().ends_with("/en/"),
        "the click did not navigate away"
    );
    assert_eq!(
        panel(&browser),
        vec![vec!["CO-CITY", "/en/practices/co-city/", "Turin, Italy"]]
    );
    assert_eq!(
        colours_at(&browser, &[places["co-city"].0]),
        vec![FOCUS],
        "the dot shown is marked"
    );
    browser.screenshot(&artifacts().join("catalogue-map-en.png"));
    // Practices at one place share a dot, and a click on it lists them all.
    let mut by_place: BTreeMap<(i64, i64), Vec<&str>> = BTreeMap::new();
    for (slug, (at, _)) in &places {
        by_place.entry(*at).or_default().push(slug);
    }
    let (&shared, together) = by_place
        .iter()
        .find(|(_, slugs)| slugs.len() > 1)
        .expect("two demo practices share a city");
    click_map_at(&browser, shared);
    let mut shown: Vec<String> = panel(&browser)
        .into_iter()
        .map(|row| {
            row[1]
                .trim_matches('/')
                .rsplit('/')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    shown.sort();
    assert_eq!(shown, *together);
    // Filtering the practice out closes the panel.
    click_map_at(&browser, places["co-city"].0);
    assert_eq!(panel(&browser).len(), 1);
    let id = browser
        .eval("return document.querySelector('#facet-form input[name=countries][value=es]').id");
    browser.click(&format!("label[for={}]", id.as_str().unwrap()));
    browser.wait_for(
        "return !casebook.results.slugs.includes('co-city')",
        Duration::from_secs(5),
    );
    assert_map_shows(&browser, &places, &listed(&browser));
    assert_eq!(
        browser.eval("return document.querySelector('[data-map-panel]').hidden"),
        Value::Bool(true)
    );
    let violations = browser.axe_violations();
    assert!(violations.is_empty(), "{violations:#?}");
}

#[test]
fn beyond_the_first_page_the_map_draws_the_whole_selection_from_the_index() {
    let site = common::Site::new();
    for i in 0..30 {
        let (lat, lon) = (40 + 4 * (i / 6), -5 + 6 * (i % 6));
        site.write(
            &format!("content/practices/p{i:02}.md"),
            &common::practice(
                &format!("Practice {i:02}"),
                if i % 3 == 0 { "poverty" } else { "housing" },
                &format!("coordinates: [{lat}, {lon}]\n"),
            ),
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    casebook::build(&BuildOptions {
        output: Some(out.clone()),
        ..BuildOptions::new(site.root())
    })
    .expect("fixture builds");
    // The page's HTML carries the dots of its 24 cards only.
    let html = std::fs::read_to_string(out.join("en/index.html")).unwrap();
    assert_eq!(html.matches("<a class=\"map-dot").count(), 24);
    let server = StaticServer::start(&out);
    let places = places_of(site.root());
    assert_eq!(places.len(), 30);
    let browser = Browser::start(1280, 900);
    browser.goto(&format!("{}/en/", server.url));
    browser.wait_for(
        "return document.querySelector('[data-map]').dataset.layer === 'selection'",
        Duration::from_secs(10),
    );
    // With JavaScript, the whole catalogue is the selection: all thirty are on the map,
    // while the list shows its first page and says how many there are.
    assert_eq!(listed(&browser).len(), 24);
    let all: Vec<String> = places.keys().cloned().collect();
    assert_map_shows(&browser, &places, &all);
    assert_eq!(
        browser.eval("return document.querySelector('.catalogue-map figcaption').textContent"),
        Value::from("Each dot is a practice; the list has the same information.")
    );
    let id = browser
        .eval("return document.querySelector('#facet-form input[name=topics][value=poverty]').id");
    browser.click(&format!("label[for={}]", id.as_str().unwrap()));
    browser.wait_for(
        "return casebook.results.slugs.length === 10",
        Duration::from_secs(5),
    );
    let poverty = listed(&browser);
    assert_eq!(poverty.len(), 10);
    assert_map_shows(&browser, &places, &poverty);
    browser.screenshot(&artifacts().join("catalogue-map-selection-en.png"));
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
    // The print rules, applied on screen at the width of A4 within its margins: the body's
    // first heading keeps clear of the key figures.
    browser.set_size(700, 900);
    for slug in practices {
        browser.goto(&format!("{}/en/practices/{slug}/", server.url));
        let gap = browser.eval(
            "for (const sheet of document.styleSheets) for (const rule of sheet.cssRules) {
               if (rule instanceof CSSMediaRule && rule.media.mediaText === 'print') {
                 const style = document.createElement('style');
                 style.textContent = [...rule.cssRules].filter(r => r instanceof CSSStyleRule || r instanceof CSSMediaRule).map(r => r.cssText).join('\\n');
                 document.head.append(style);
               }
             }
             const figures = document.querySelector('.key-figures');
             const first = [...document.querySelector('.practice-body').children].find(e => getComputedStyle(e).display !== 'none');
             return figures ? first.getBoundingClientRect().top - figures.getBoundingClientRect().bottom : null",
        );
        if let Some(gap) = gap.as_f64() {
            assert!(
                gap >= 8.0,
                "{slug}: {gap}px between the key figures and the text in print"
            );
        }
    }
}

#[test]
fn a_phone_downloads_only_the_small_card_images_of_the_catalogue() {
    let (_dir, server) = demo();
    let browser = Browser::start(390, 844);
    browser.goto(&format!("{}/en/", server.url));
    // Every card scrolled into view, so that each lazy image loads.
    browser.eval("window.scrollTo(0, document.body.scrollHeight); return true");
    browser.wait_for(
        "return document.readyState === 'complete'
           && Array.from(document.querySelectorAll('.card-image img')).every(i => i.complete && i.currentSrc)
           && performance.getEntriesByType('resource').every(e => e.responseEnd > 0)",
        Duration::from_secs(10),
    );
    let chosen = strings(browser.eval(
        "return Array.from(document.querySelectorAll('.card-image img')).map(i => i.currentSrc)",
    ));
    assert_eq!(chosen.len(), 8, "a picture on each demo card: {chosen:?}");
    let images: Vec<(String, u16)> = server
        .served()
        .into_iter()
        .filter(|(p, _)| p.starts_with("/_images/") || p.starts_with("/images/"))
        .collect();
    assert_eq!(images.len(), 8, "{images:?}");
    for (path, status) in &images {
        assert_eq!(*status, 200, "{path}");
        assert!(
            path.starts_with("/_images/") && path.ends_with(".400.webp"),
            "a 390-pixel screen loaded {path}"
        );
    }
    let bytes: u64 = images
        .iter()
        .map(|(p, _)| {
            std::fs::metadata(_dir.path().join("site").join(&p[1..]))
                .unwrap()
                .len()
        })
        .sum();
    assert!(
        bytes < 500_000,
        "the catalogue's images weigh {bytes} bytes"
    );
}
