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
