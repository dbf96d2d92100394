//! The demo catalogue in a real headless Chromium: the language chooser redirects, the
//! pages render at phone and desktop widths, and axe-core finds no WCAG 2.1 AA violation.

mod common;

use std::time::Duration;

use casebook::BuildOptions;
use common::browser::{Browser, StaticServer, artifacts};

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

#[test]
fn the_chooser_redirects_to_the_visitors_language_and_pages_pass_axe() {
    let (_dir, server) = demo();
    let browser = Browser::start(1280, 900);
    browser.goto(&format!("{}/", server.url));
    browser.wait_for("return location.pathname !== '/'", Duration::from_secs(5));
    // Headless Chromium asks for en-US: the chooser picks English.
    assert!(browser.url().ends_with("/en/"), "{}", browser.url());

    for path in [
        "/en/",
        "/es/",
        "/es/practices/co-city/",
        "/ca/topics/poverty/",
        "/it/about/",
        "/en/contribute/",
        "/404.html",
    ] {
        browser.goto(&format!("{}{path}", server.url));
        let violations = browser.axe_violations();
        assert!(violations.is_empty(), "{path}: {violations:#?}");
    }
    for (width, height) in [(360, 780), (1280, 900)] {
        browser.set_size(width, height);
        for (name, path) in [
            ("catalogue-es", "/es/"),
            ("practice-es", "/es/practices/co-city/"),
        ] {
            browser.goto(&format!("{}{path}", server.url));
            let overflow =
                browser.eval("return document.documentElement.scrollWidth > window.innerWidth");
            assert_eq!(
                overflow,
                serde_json::Value::Bool(false),
                "{path} scrolls sideways at {width}px"
            );
            browser.screenshot(&artifacts().join(format!("{name}-{width}.png")));
        }
    }
}

/// Paths the server answered with 404 so far.
fn not_found(server: &StaticServer) -> Vec<String> {
    server
        .served()
        .into_iter()
        .filter(|(_, status)| *status == 404)
        .map(|(path, _)| path)
        .collect()
}

#[test]
fn every_page_has_an_icon_and_no_request_gets_a_404() {
    let (_dir, server) = demo();
    let browser = Browser::start(390, 844);
    // The browser asks for the page's icon (the one its <link rel=icon> names) once the page
    // has loaded: the first page waits for that request, and its answer.
    browser.goto(&format!("{}/en/", server.url));
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !server
        .served()
        .iter()
        .any(|(path, _)| path.contains("favicon"))
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the browser never asked for an icon: {:?}",
            server.served()
        );
        std::thread::sleep(Duration::from_millis(25));
    }
    for path in [
        "/",
        "/es/?topics=poverty",
        "/en/?q=cooperativs",
        "/en/practices/b-mincome/",
        "/ca/topics/poverty/",
        "/it/about/",
        "/es/countries/",
    ] {
        browser.goto(&format!("{}{path}", server.url));
        browser.wait_for(
            "return document.readyState === 'complete' && (!window.casebook || !casebook.catalogue || casebook.catalogue.ready || !!casebook.catalogue.error)",
            Duration::from_secs(10),
        );
        // Every icon a page names is there, and so is /favicon.ico, which browsers and feed
        // readers ask for on their own.
        let icons = browser.eval_async(
            "const done = arguments[arguments.length - 1];
             const urls = [...document.querySelectorAll('link[rel~=icon], link[rel=apple-touch-icon]')].map(l => l.href);
             Promise.all(urls.concat(['/favicon.ico']).map(u => fetch(u).then(r => [u, r.status, r.headers.get('content-type')])))
               .then(done, e => done(String(e)));",
        );
        let icons = icons
            .as_array()
            .unwrap_or_else(|| panic!("{path}: {icons}"));
        assert!(icons.len() >= 3, "{path}: {icons:?}");
        for icon in icons {
            assert_eq!(icon[1], 200, "{path}: {icon}");
            assert!(
                icon[2].as_str().unwrap().starts_with("image/"),
                "{path}: {icon}"
            );
        }
    }
    assert_eq!(not_found(&server), Vec::<String>::new());
    // The check can fail: a missing page is a 404.
    browser.goto(&format!("{}/en/no-such-page/", server.url));
    assert_eq!(not_found(&server), ["/en/no-such-page/"]);
}

#[test]
fn the_header_is_compact_on_a_phone_and_a_practice_header_meets_it() {
    let (_dir, server) = demo();
    for (width, height) in [(390, 844), (1280, 900)] {
        let browser = Browser::start(width, height);
        for path in [
            "/en/",
            "/es/practices/co-city/",
            "/ca/practices/b-mincome/",
            "/it/about/",
        ] {
            browser.goto(&format!("{}{path}", server.url));
            let header = browser
                .eval(
                    "return document.querySelector('.site-header').getBoundingClientRect().height",
                )
                .as_f64()
                .unwrap();
            let most = if width < 500 { 100.0 } else { 60.0 };
            assert!(
                header <= most,
                "{path} at {width}px: a header {header}px tall"
            );
            // Every language is a tap away; the pages are behind "Menu" on a phone.
            let languages = browser.eval(
                "return [...document.querySelectorAll('.lang-switcher a')].filter(a => a.checkVisibility() && a.getBoundingClientRect().bottom <= innerHeight).length",
            );
            assert_eq!(languages, 4, "{path} at {width}px");
            let pages_shown = browser.eval(
                "return [...document.querySelectorAll('.main-nav a')].every(a => a.checkVisibility())",
            );
            assert_eq!(pages_shown, serde_json::Value::Bool(width > 500), "{path}");
            if width < 500 {
                browser.click(".menu-toggle");
                assert_eq!(
                    browser.eval("return [...document.querySelectorAll('.main-nav a')].every(a => a.checkVisibility())"),
                    serde_json::Value::Bool(true),
                    "{path}: the menu opens"
                );
            }
            if path.contains("/practices/") {
                // No band of the page's white between the dark header and the grey one.
                let gap = browser.eval(
                    "return document.querySelector('.practice-header').getBoundingClientRect().top - document.querySelector('.site-header').getBoundingClientRect().bottom",
                );
                assert_eq!(gap.as_f64(), Some(0.0), "{path} at {width}px");
            }
            let violations = browser.axe_violations();
            assert!(
                violations.is_empty(),
                "{path} at {width}px: {violations:#?}"
            );
        }
    }
}
