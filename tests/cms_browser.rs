//! The real Decap CMS (npm's decap-cms and decap-server) in headless Chromium, on a copy of
//! the demo site with the admin `casebook cms` writes: an editor creates a practice through
//! the forms in English and Spanish, edits the topics of another, uploads an image; then
//! casebook checks and builds what the CMS wrote. Screenshots go to /tmp/cms-*.png.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::browser::{Browser, StaticServer};
use common::cms::{DecapServer, decap_script};

/// A copy of the demo site with its admin, served from a build; decap-server writing into it.
struct Cms {
    _dir: tempfile::TempDir,
    root: PathBuf,
    _decap: DecapServer,
    server: StaticServer,
}

fn casebook(root: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(args)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .output()
        .expect("run casebook");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn start() -> Cms {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::copy(
        common::repo().join("casebook.yaml"),
        root.join("casebook.yaml"),
    )
    .unwrap();
    common::copy_dir(&common::repo().join("content"), &root.join("content"));
    common::copy_dir(&common::repo().join("static"), &root.join("static"));
    let script = decap_script();
    let (ok, said) = casebook(
        &root,
        &[
            "cms",
            "--self-host",
            script.to_str().unwrap(),
            "--rename-default-files",
        ],
    );
    assert!(ok, "{said}");
    let decap = DecapServer::start(&root);
    // The site's own part of config.yml: the local backend on decap-server's port.
    let config = root.join("static/admin/config.yml");
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains("\nlocal_backend: true\n"), "{text}");
    let text = text.replace(
        "\nlocal_backend: true\n",
        &format!("\nlocal_backend:\n  url: {}\n", decap.api()),
    );
    std::fs::write(&config, text).unwrap();
    let (ok, said) = casebook(&root, &["build", "--output", "../out"]);
    assert!(ok, "{said}");
    let server = StaticServer::start(&dir.path().join("out"));
    Cms {
        _dir: dir,
        root,
        _decap: decap,
        server,
    }
}

/// Waits for `js` to be true, or fails with a screenshot and the page's text.
fn wait(browser: &Browser, js: &str, what: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while std::time::Instant::now() < deadline {
        if browser.eval(js) == serde_json::Value::Bool(true) {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    shot(browser, &format!("failed-{what}"));
    let text = browser.eval("return document.body.innerText");
    panic!(
        "timed out waiting for {what} (/tmp/cms-failed-{what}.png); the page says:\n{}",
        text.as_str().unwrap_or("")
    );
}

fn shot(browser: &Browser, name: &str) {
    browser.screenshot(&PathBuf::from(format!("/tmp/cms-{name}.png")));
}

/// Opens the admin and logs in (the local backend needs no account).
fn open_admin(browser: &Browser, cms: &Cms) {
    browser.goto(&format!("{}/admin/", cms.server.url));
    wait(
        browser,
        "return [...document.querySelectorAll('button')].some(b => /login/i.test(b.textContent))",
        "login",
    );
    browser.eval(
        "[...document.querySelectorAll('button')].find(b => /login/i.test(b.textContent)).click()",
    );
}

/// Marks the `nth` element matching `css` so that WebDriver can find it again.
fn mark(browser: &Browser, css: &str, nth: usize) -> String {
    let tag = format!(
        "t{}",
        css.len() * 100
            + nth
            + browser
                .eval("return Math.floor(Math.random() * 1e9)")
                .as_u64()
                .unwrap_or(0) as usize
    );
    let found = browser.eval(&format!(
        "const e = document.querySelectorAll({css:?})[{nth}]; if (!e) return false; e.setAttribute('data-test', '{tag}'); return true;"
    ));
    assert_eq!(
        found,
        serde_json::Value::Bool(true),
        "no element {nth} for {css}"
    );
    format!("[data-test=\"{tag}\"]")
}

/// The input of field `name` in pane `pane` (0: the default language, 1: the other).
fn field(browser: &Browser, name: &str, pane: usize) -> String {
    mark(browser, &format!("[id^=\"{name}-field-\"]"), pane)
}

fn type_field(browser: &Browser, name: &str, pane: usize, text: &str) {
    let css = field(browser, name, pane);
    browser.click(&css);
    browser.type_into(&css, text);
}

const ENTER: &str = "\u{E007}";

/// Picks the option labelled `label` in the select `name` (react-select: type, then Enter).
fn choose(browser: &Browser, name: &str, label: &str) {
    let css = field(browser, name, 0);
    browser.click(&css);
    browser.type_into(&css, label);
    wait(
        browser,
        &format!(
            "return [...document.querySelectorAll('[class*=\"option\"]')].some(o => o.textContent.includes({label:?}))"
        ),
        &format!("option-{name}"),
    );
    browser.keys(ENTER);
}

/// Types into the Markdown editor of pane `pane`.
fn type_body(browser: &Browser, pane: usize, text: &str) {
    let css = mark(browser, "[data-slate-editor=\"true\"]", pane);
    browser.click(&css);
    browser.keys(text);
}

/// Publishes the entry being edited and waits until the CMS says it is saved.
fn publish(browser: &Browser) {
    browser.eval("[...document.querySelectorAll('[role=button],button')].find(b => b.textContent.trim() === 'Publish').click()");
    wait(
        browser,
        "return [...document.querySelectorAll('*')].some(b => b.textContent.trim() === 'Publish now')",
        "publish-menu",
    );
    browser.eval("[...document.querySelectorAll('*')].filter(b => b.textContent.trim() === 'Publish now').pop().click()");
    wait(
        browser,
        "return /saved|published/i.test(document.body.innerText) && !/unsaved changes/i.test(document.body.innerText)",
        "saved",
    );
}

fn files_of(root: &Path, slug: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(root.join("content/practices"))
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(&format!("{slug}."))
        })
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_practice_created_in_the_cms_in_two_languages_checks_and_builds() {
    let cms = start();
    let browser = Browser::start(1400, 1000);
    open_admin(&browser, &cms);
    wait(
        &browser,
        "return /CO-CITY/.test(document.body.innerText)",
        "collection",
    );
    shot(&browser, "collection");
    browser.goto(&format!(
        "{}/admin/#/collections/practices/new",
        cms.server.url
    ));
    wait(
        &browser,
        "return document.querySelectorAll('[id^=\"title-field-\"]').length === 2",
        "form",
    );

    type_field(&browser, "title", 0, "Green Roofs for Porto");
    type_field(
        &browser,
        "summary",
        0,
        "Porto pays residents to plant roofs that cool the streets and hold the rain.",
    );
    type_field(&browser, "city", 0, "Porto");
    choose(&browser, "country", "Portugal");
    choose(&browser, "topics", "Co-production");
    choose(&browser, "topics", "Local economy");
    shot(&browser, "form");
    type_field(&browser, "start", 0, "2021-05");
    type_field(&browser, "end", 0, "2023");
    browser.eval("[...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Add key figures').click()");
    wait(
        &browser,
        "return document.querySelectorAll('[id^=\"value-field-\"]').length > 0",
        "key-figure",
    );
    type_field(&browser, "value", 0, "120");
    type_field(&browser, "label", 0, "roofs planted");
    type_body(&browser, 0, "The city pays for the soil and the plants.");

    type_field(&browser, "title", 1, "Cubiertas verdes para Oporto");
    type_field(
        &browser,
        "summary",
        1,
        "Oporto paga a sus vecinos por plantar cubiertas que refrescan las calles.",
    );
    type_body(&browser, 1, "La ciudad paga la tierra y las plantas.");
    // The publication date, in both languages: the "Now" button of each date field.
    for pane in 0..2 {
        let css = mark(
            &browser,
            "button[aria-label=\"Set published to now\"]",
            pane,
        );
        browser.click(&css);
    }
    shot(&browser, "form-spanish");
    publish(&browser);
    // The preview pane, in the site's own styles.
    browser.eval("document.querySelectorAll('[class*=EditorToggle]')[1].click()");
    wait(
        &browser,
        "const f = document.querySelector('iframe'); return !!(f && f.contentDocument && f.contentDocument.querySelector('.practice h1') && [...f.contentDocument.styleSheets].some(s => (s.href || '').endsWith('/css/main.css')))",
        "preview",
    );
    shot(&browser, "preview");

    let files = files_of(&cms.root, "green-roofs-for-porto");
    for (name, text) in &files {
        println!("--- {name}\n{text}");
    }
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert!(names.contains(&"green-roofs-for-porto.en.md"), "{names:?}");
    assert!(names.contains(&"green-roofs-for-porto.es.md"), "{names:?}");

    // Decap wrote the languages nobody filled in too (decap-cms #6932): shared fields only.
    let catalan = &files
        .iter()
        .find(|(n, _)| n == "green-roofs-for-porto.ca.md")
        .expect("Decap writes every language")
        .1;
    assert!(
        catalan.contains("country: PT") && !catalan.contains("title:"),
        "{catalan}"
    );

    let (ok, said) = casebook(&cms.root, &["check"]);
    assert!(ok, "check fails on what the CMS wrote:\n{said}");
    assert!(
        said.contains("content/practices/green-roofs-for-porto.ca.md is not translated yet"),
        "{said}"
    );
    let (ok, said) = casebook(&cms.root, &["build", "--output", "../out2"]);
    assert!(ok, "{said}");
    let out = cms.root.parent().unwrap().join("out2");
    let en =
        std::fs::read_to_string(out.join("en/practices/green-roofs-for-porto/index.html")).unwrap();
    assert!(
        en.contains("Green Roofs for Porto") && en.contains("120") && en.contains("roofs planted")
    );
    let es =
        std::fs::read_to_string(out.join("es/practices/green-roofs-for-porto/index.html")).unwrap();
    assert!(es.contains("Cubiertas verdes para Oporto") && es.contains("La ciudad paga la tierra"));
}

/// The count the catalogue's topic filters show for each topic, in English, as the
/// catalogue's script computes them from its index.
fn topic_counts(browser: &Browser, server: &StaticServer) -> serde_json::Value {
    browser.goto(&format!("{}/en/", server.url));
    wait(
        browser,
        "const i = document.querySelector('input[name=\"topics\"]'); return !!i && /\\d/.test(document.querySelector('label[for=\"' + i.id + '\"] .count').textContent)",
        "catalogue",
    );
    browser.eval(
        "return Object.fromEntries([...document.querySelectorAll('input[name=\"topics\"]')].map(i => [i.value, document.querySelector('label[for=\"' + i.id + '\"] .count').textContent.trim()]))",
    )
}

#[test]
fn editing_the_topics_of_a_practice_in_the_cms_changes_the_catalogue_counts() {
    let cms = start();
    let browser = Browser::start(1400, 1000);
    let before = topic_counts(&browser, &cms.server);
    assert_eq!(before["co-production"], "(4)", "{before}");
    assert_eq!(before["digital-transition"], "(2)", "{before}");

    open_admin(&browser, &cms);
    wait(
        &browser,
        "return /CO-CITY/.test(document.body.innerText)",
        "collection",
    );
    browser.goto(&format!(
        "{}/admin/#/collections/practices/entries/co-city",
        cms.server.url
    ));
    wait(
        &browser,
        "const t = document.querySelector('[id^=\"title-field-\"]'); return !!t && t.value === 'CO-CITY'",
        "entry",
    );
    // co-city's topics end with co-production: Backspace in the select removes it.
    let topics = field(&browser, "topics", 0);
    browser.click(&topics);
    browser.keys("\u{E003}");
    choose(&browser, "topics", "Digital transition");
    shot(&browser, "edit");
    publish(&browser);

    let files = files_of(&cms.root, "co-city");
    for (name, text) in &files {
        println!("--- {name}\n{text}");
    }
    // The translations keep what the CMS does not show (the hidden translated_from).
    let spanish = &files.iter().find(|(n, _)| n == "co-city.es.md").unwrap().1;
    let recorded = std::fs::read_to_string(common::repo().join("content/practices/co-city.es.md"))
        .unwrap()
        .lines()
        .find(|l| l.starts_with("translated_from: "))
        .unwrap()
        .to_string();
    assert!(spanish.contains(&recorded), "{recorded} in {spanish}");
    assert!(
        spanish.contains("  - digital-transition"),
        "shared topics copied: {spanish}"
    );
    let (ok, said) = casebook(&cms.root, &["check"]);
    assert!(ok, "check fails on what the CMS wrote:\n{said}");
    assert!(
        !said.contains("W0507"),
        "no translation is outdated by a shared field: {said}"
    );
    let (ok, said) = casebook(&cms.root, &["build", "--output", "../out2"]);
    assert!(ok, "{said}");
    let rebuilt = StaticServer::start(&cms.root.parent().unwrap().join("out2"));
    let after = topic_counts(&browser, &rebuilt);
    assert_eq!(after["co-production"], "(3)", "{after}");
    assert_eq!(after["digital-transition"], "(3)", "{after}");
    assert_eq!(after["poverty"], before["poverty"], "{after}");
}

#[test]
fn an_image_uploaded_in_the_cms_lands_in_static_and_is_published() {
    let cms = start();
    let png = cms.root.parent().unwrap().join("roof.png");
    std::fs::copy(
        common::repo().join("themes/default/static/apple-touch-icon.png"),
        &png,
    )
    .unwrap();
    let browser = Browser::start(1400, 1000);
    open_admin(&browser, &cms);
    wait(
        &browser,
        "return /CO-CITY/.test(document.body.innerText)",
        "collection",
    );
    browser.goto(&format!(
        "{}/admin/#/collections/practices/new",
        cms.server.url
    ));
    wait(
        &browser,
        "return document.querySelectorAll('[id^=\"title-field-\"]').length === 2",
        "form",
    );
    type_field(&browser, "title", 0, "Roof Gardens");
    type_field(&browser, "summary", 0, "Gardens on the roofs of schools.");
    type_field(&browser, "city", 0, "Porto");
    choose(&browser, "country", "Portugal");
    choose(&browser, "topics", "Co-production");
    let now = mark(&browser, "button[aria-label=\"Set published to now\"]", 0);
    browser.click(&now);
    // The image object: open it, then the media library, then upload.
    browser.eval(
        "const b = [...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Choose an image'); b.closest('[aria-label=\"object field\"]').querySelector('[data-testid=\"expand-button\"]').click();",
    );
    browser.eval("[...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Choose an image').click()");
    wait(
        &browser,
        "return !!document.querySelector('input[type=\"file\"]')",
        "media-library",
    );
    browser.eval("const i = document.querySelector('input[type=\"file\"]'); i.style.display = 'block'; i.style.visibility = 'visible'; i.removeAttribute('hidden');");
    browser.type_into("input[type=\"file\"]", png.to_str().unwrap());
    wait(
        &browser,
        "return [...document.querySelectorAll('*')].some(e => e.children.length === 0 && e.textContent.trim() === 'roof.png')",
        "uploaded",
    );
    shot(&browser, "media-library");
    browser.eval("[...document.querySelectorAll('button')].find(b => /choose selected/i.test(b.textContent)).click()");
    wait(
        &browser,
        "return !document.querySelector('input[type=\"file\"]') || ![...document.querySelectorAll('button')].some(b => /choose selected/i.test(b.textContent))",
        "chosen",
    );
    type_field(&browser, "alt", 0, "Vegetables on a school roof");
    publish(&browser);

    let en = files_of(&cms.root, "roof-gardens");
    let en = &en
        .iter()
        .find(|(n, _)| n == "roof-gardens.en.md")
        .unwrap()
        .1;
    assert!(en.contains("src: images/roof.png"), "{en}");
    assert!(
        cms.root.join("static/images/roof.png").is_file(),
        "uploaded into static/"
    );
    let (ok, said) = casebook(&cms.root, &["check"]);
    assert!(ok, "{said}");
    let (ok, said) = casebook(&cms.root, &["build", "--output", "../out2"]);
    assert!(ok, "{said}");
    let out = cms.root.parent().unwrap().join("out2");
    assert!(out.join("images/roof.png").is_file());
    let page = std::fs::read_to_string(out.join("en/practices/roof-gardens/index.html")).unwrap();
    assert!(
        page.contains("alt=\"Vegetables on a school roof\""),
        "{page}"
    );
}
