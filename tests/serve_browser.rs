//! `casebook serve` in a real headless Chromium: an open practice page changes by itself
//! when its file is saved; a stylesheet change is swapped in without a reload and keeps the
//! scroll position; a broken change shows the overlay over the last good page, and the fix
//! clears it; a broken save right after a good one keeps the overlay on open and new pages; the page reconnects and reloads when the server restarts; eight tabs load and
//! reload; `content/` replaced by a copy is still watched; a site that never built says so.

mod common;

use std::time::Duration;

use common::browser::Browser;
use common::serve::Server;
use common::{Site, copy_dir, practice};

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

/// The long site served, its co-city practice open in a connected browser: the site, the
/// server, the browser and the page's URL.
fn co_city_open() -> (Site, Server, Browser, String) {
    let site = long_site();
    let s = Server::start(site.root(), &[]);
    let browser = Browser::start(1280, 900);
    let url = format!("http://127.0.0.1:{}/en/practices/co-city/", s.port);
    browser.goto(&url);
    connected(&browser);
    (site, s, browser, url)
}

#[test]
fn an_open_page_follows_its_file_without_any_action() {
    let (site, _server, browser, _) = co_city_open();
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
fn a_broken_save_right_after_a_good_one_keeps_the_overlay_on_every_page() {
    let (site, s, browser, url) = co_city_open();
    let file = site.root().join("content/practices/co-city.md");
    let good = std::fs::read_to_string(&file).unwrap();
    let problem = "did you mean `urban-commons`?";
    // A good save, then a broken one at once: the work the good one left for later (the
    // catalogue's index, its listings) must not report the site as built.
    let edited = good.replace("Paragraph 1 of", "A quickly edited paragraph of");
    std::fs::write(&file, &edited).unwrap();
    std::fs::write(&file, edited.replace("[urban-commons]", "[urban-comons]")).unwrap();
    let shows_problem = format!(
        "const o = document.getElementById('casebook-overlay');
         return !!o && o.shadowRoot.textContent.includes('{problem}');"
    );
    browser.wait_for(&shows_problem, WAIT);
    s.wait_printed(problem, WAIT);
    // Another change while the practice is broken (a stylesheet): a rebuild, which must
    // report the problem again, never that the site is up to date.
    let from = s.printed().len();
    let theme_css =
        std::fs::read_to_string(site.root().join("themes/default/static/css/main.css")).unwrap();
    site.write(
        "static/css/main.css",
        &format!("{theme_css}\nb {{ color: #123; }}\n"),
    );
    s.wait_printed_times(problem, 2, WAIT);
    let since = s.printed()[from..].to_string();
    assert!(!since.contains("up to date"), "{since}");
    // The open page keeps the overlay, and a page opened now shows it too.
    browser.wait_for(&shows_problem, WAIT);
    browser.goto(&url);
    browser.wait_for(&shows_problem, WAIT);
    // The fix clears it.
    std::fs::write(&file, &edited).unwrap();
    browser.wait_for(
        "return !document.getElementById('casebook-overlay')
           && document.body.innerText.includes('A quickly edited paragraph of');",
        WAIT,
    );
}

#[test]
fn what_check_finds_the_open_page_shows() {
    let (site, s, browser, _) = co_city_open();
    let file = site.root().join("content/practices/co-city.md");
    let good = std::fs::read_to_string(&file).unwrap();
    let line =
        |needle: &str, text: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;

    // A warning (raw HTML shown as text): the page builds and shows it, and a note in a
    // corner lists the warning, apart from errors, without hiding the page.
    let warned = good.replace("Paragraph 3 of", "Paragraph <b>three</b> of");
    std::fs::write(&file, &warned).unwrap();
    let at = format!(
        "content/practices/co-city.md:{}:",
        line("<b>three</b>", &warned)
    );
    browser.wait_for(
        &format!(
            "const n = document.getElementById('casebook-warnings');
             return !!n && n.shadowRoot.textContent.includes('1 warning')
               && n.shadowRoot.textContent.includes('{at}')
               && !document.getElementById('casebook-overlay');"
        ),
        WAIT,
    );
    assert!(
        browser.eval("return document.body.innerText.includes('<b>three</b>');")
            == serde_json::Value::Bool(true),
        "the page built, with the HTML shown as text"
    );
    // It opens on demand.
    browser.eval(
        "document.getElementById('casebook-warnings').shadowRoot.querySelector('button').click(); return true;",
    );
    let list = browser.eval(
        "const r = document.getElementById('casebook-warnings').shadowRoot;
         return r.querySelector('button').getAttribute('aria-expanded') + ' ' + r.textContent;",
    );
    let list = list.as_str().unwrap();
    assert!(
        list.starts_with("true ") && list.contains("W0503"),
        "{list}"
    );

    // A link to a heading that does not exist and an image file that does not: errors, on
    // the overlay, with their lines, as `check` and `build` report them.
    let broken = warned.replace(
        "Paragraph 5 of",
        "See [the results](#results) and ![A plan](/images/plan.png). Paragraph 5 of",
    );
    std::fs::write(&file, &broken).unwrap();
    let at = line("#results", &broken);
    browser.wait_for(
        &format!(
            "const o = document.getElementById('casebook-overlay');
             return !!o && o.shadowRoot.textContent.includes('content/practices/co-city.md:{at}:')
               && o.shadowRoot.textContent.includes('E0205')
               && o.shadowRoot.textContent.includes('E0203');"
        ),
        WAIT,
    );
    s.wait_printed("no heading `#results` on this page", WAIT);

    // Fixed: the overlay and the note go.
    std::fs::write(&file, &good).unwrap();
    browser.wait_for(
        "return !document.getElementById('casebook-overlay')
           && !document.getElementById('casebook-warnings')
           && document.body.innerText.includes('Paragraph 3 of');",
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

#[test]
fn eight_tabs_all_load_and_all_reload() {
    let site = long_site();
    let s = Server::start(site.root(), &[]);
    let browser = Browser::start(1024, 768);
    // Chrome keeps at most six HTTP/1.1 connections per host: with one live-reload
    // connection per page over HTTP, the seventh tab would never load.
    let pages = [
        "/en/practices/co-city/",
        "/en/",
        "/en/practices/co-city/",
        "/en/about/",
        "/en/practices/co-city/",
        "/en/",
        "/en/practices/co-city/",
        "/en/practices/co-city/",
    ];
    let mut tabs = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let tab = if i == 0 {
            browser.tab()
        } else {
            browser.new_tab()
        };
        browser.goto(&format!("http://127.0.0.1:{}{page}", s.port));
        connected(&browser);
        mark(&browser);
        tabs.push(tab);
    }
    // A change to the base template, which every page uses: each tab reloads.
    let base =
        std::fs::read_to_string(site.root().join("themes/default/templates/base.html")).unwrap();
    assert!(base.contains("</body>"));
    site.write(
        "templates/base.html",
        &base.replace("</body>", "<p id=\"edited-base\">edited</p></body>"),
    );
    for tab in &tabs {
        browser.switch_to(tab);
        browser.wait_for("return !!document.getElementById('edited-base');", WAIT);
        assert!(!marked(&browser), "the tab reloaded");
        connected(&browser);
    }
}

#[test]
fn content_replaced_by_a_copy_is_still_watched() {
    let (site, s, browser, _) = co_city_open();

    // content/ deleted and a copy put in its place at once (a restore from a backup; `git
    // stash` does the same file by file): the watch on the old folder sees nothing more.
    let backup = tempfile::tempdir().unwrap();
    let copy = backup.path().join("content");
    copy_dir(&site.root().join("content"), &copy);
    std::fs::remove_dir_all(site.root().join("content")).unwrap();
    std::fs::rename(&copy, site.root().join("content")).unwrap();
    let deadline = std::time::Instant::now() + WAIT;
    while !s.printed().contains("content/ was replaced")
        && !s.printed().contains("content/ is back")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the log does not say that content/ is watched again:\n{}",
            s.printed()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    browser.wait_for(
        "return document.body.innerText.includes('Paragraph 1 of') && !!window.casebookLive && window.casebookLive.socket.readyState === 1;",
        WAIT,
    );
    mark(&browser);

    // A later edit shows.
    let file = site.root().join("content/practices/co-city.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("Paragraph 1 of", "Edited after the restore, of"),
    )
    .unwrap();
    browser.wait_for(
        "return document.body.innerText.includes('Edited after the restore, of');",
        WAIT,
    );
    assert!(!marked(&browser), "the page was reloaded");
}

#[test]
fn a_site_that_never_built_says_so_and_loads_once_fixed() {
    let site = long_site();
    let file = site.root().join("content/practices/co-city.md");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, good.replace("[urban-commons]", "[urban-comons]")).unwrap();
    let s = Server::start(site.root(), &[]);
    let browser = Browser::start(1280, 900);
    browser.goto(&format!(
        "http://127.0.0.1:{}/en/practices/co-city/",
        s.port
    ));
    browser.wait_for(
        "const o = document.getElementById('casebook-overlay');
         return !!o && o.shadowRoot.textContent.includes('content/practices/co-city.md:5:10');",
        WAIT,
    );
    let overlay =
        browser.eval("return document.getElementById('casebook-overlay').shadowRoot.textContent;");
    let overlay = overlay.as_str().unwrap();
    assert!(
        overlay.contains("The site has not built yet: fix the errors below"),
        "{overlay}"
    );
    assert!(
        overlay.contains("casebook: the site does not build"),
        "{overlay}"
    );
    assert!(!overlay.contains("last version that built"), "{overlay}");
    let title = browser.eval("return document.title;");
    assert_eq!(title, serde_json::Value::from("The site has not built yet"));
    browser.screenshot(&common::browser::artifacts().join("serve-not-built-1280.png"));

    // The fix: the page becomes the practice, without the overlay.
    std::fs::write(&file, &good).unwrap();
    browser.wait_for(
        "return !document.getElementById('casebook-overlay') && document.body.innerText.includes('Paragraph 1 of');",
        WAIT,
    );
}
