//! `casebook serve` in a real headless Chromium: an open practice page changes by itself
//! when its file is saved; a stylesheet change is swapped in without a reload and keeps the
//! scroll position; a broken change shows the overlay over the last good page, and the fix
//! clears it; the page reconnects and reloads when the server restarts.

mod common;

use std::time::Duration;

use common::browser::Browser;
use common::serve::Server;
use common::{Site, practice};

const WAIT: Duration = Duration::from_secs(30);

fn long_site() -> Site {
    let site = Site::new();
    let filler: String = (1..=60)
        .map(|i| format!("Paragraph {i} of a long description.\n\n"))
        .collect();
    site.write(
        "content/practices/co-city.md",
        &format!("{}\n{filler}", practice("CO-CITY", "urban-commons", "")),
    );
    site
}

/// Marks the page, so that a reload (which forgets the mark) can be told from an update.
fn mark(browser: &Browser) {
    browser.eval("window.__casebookMark = 'still here'; return true;");
}

fn marked(browser: &Browser) -> bool {
    browser.eval("return window.__casebookMark === 'still here';") == serde_json::Value::Bool(true)
}

fn connected(browser: &Browser) {
    browser.wait_for(
        "return !!window.casebookLive && window.casebookLive.socket.readyState === 1;",
        WAIT,
    );
}

#[test]
fn an_open_page_follows_its_file_without_any_action() {
    let site = long_site();
    let s = Server::start(site.root(), &[]);
    let browser = Browser::start(1280, 900);
    let url = format!("http://127.0.0.1:{}/en/practices/co-city/", s.port);
    browser.goto(&url);
    connected(&browser);
    mark(&browser);

    // Save the practice: the page shows the new text by itself.
    let file = site.root().join("content/practices/co-city.md");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        good.replace("Paragraph 1 of", "The first paragraph, edited, of"),
    )
    .unwrap();
    browser.wait_for(
        "return document.body.innerText.includes('The first paragraph, edited, of');",
        WAIT,
    );
    assert!(!marked(&browser), "the page was reloaded");
    connected(&browser);

    // A stylesheet: swapped in place, no reload, the scroll position kept.
    browser.eval("window.scrollTo({ top: 600, behavior: 'instant' }); return true;");
    let scrolled = browser.eval("return window.scrollY;").as_f64().unwrap();
    assert!(scrolled > 300.0, "the page scrolls: {scrolled}");
    mark(&browser);
    let theme_css =
        std::fs::read_to_string(site.root().join("themes/default/static/css/main.css")).unwrap();
    site.write(
        "static/css/main.css",
        &format!("{theme_css}\nbody {{ outline: 7px solid rgb(200, 0, 0); }}\n"),
    );
    browser.wait_for(
        "return getComputedStyle(document.body).outlineWidth === '7px';",
        WAIT,
    );
    assert!(
        marked(&browser),
        "a stylesheet change does not reload the page"
    );
    let kept = browser.eval("return window.scrollY;").as_f64().unwrap();
    assert!(
        (kept - scrolled).abs() < 2.0,
        "the scroll position moved from {scrolled} to {kept}"
    );

    // A broken change: the overlay with the problem, over the last good page.
    std::fs::write(&file, good.replace("[urban-commons]", "[urban-comons]")).unwrap();
    browser.wait_for(
        "const o = document.getElementById('casebook-overlay');
         return !!o && o.shadowRoot.textContent.includes('content/practices/co-city.md:5:10');",
        WAIT,
    );
    let overlay =
        browser.eval("return document.getElementById('casebook-overlay').shadowRoot.textContent;");
    let overlay = overlay.as_str().unwrap();
    assert!(
        overlay.contains("did you mean `urban-commons`?"),
        "{overlay}"
    );
    assert!(
        browser.eval("return document.body.innerText.includes('The first paragraph, edited, of');")
            == serde_json::Value::Bool(true),
        "the last good version stays under the overlay"
    );
    browser.screenshot(&common::browser::artifacts().join("serve-overlay-1280.png"));

    // The fix clears it by itself.
    std::fs::write(&file, good.replace("Paragraph 2 of", "Fixed paragraph of")).unwrap();
    browser.wait_for(
        "return !document.getElementById('casebook-overlay') && document.body.innerText.includes('Fixed paragraph of');",
        WAIT,
    );
}

#[test]
fn the_page_reconnects_and_reloads_when_the_server_restarts() {
    let site = long_site();
    let first = Server::start(site.root(), &[]);
    let port = first.port.to_string();
    let browser = Browser::start(1280, 900);
    browser.goto(&format!("http://127.0.0.1:{port}/en/practices/co-city/"));
    connected(&browser);
    mark(&browser);
    drop(first);
    browser.wait_for("return window.casebookLive.socket.readyState !== 1;", WAIT);

    // A new server on the same port, with a changed practice.
    let file = site.root().join("content/practices/co-city.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("Paragraph 3 of", "After the restart, paragraph of"),
    )
    .unwrap();
    let _second = Server::start(site.root(), &["--port", &port]);
    browser.wait_for(
        "return !window.__casebookMark && document.body.innerText.includes('After the restart, paragraph of');",
        WAIT,
    );
}
