//! Translations that keep up with their sources: each translation records the version of
//! its source it was made from (`translated_from`), `build`, `check` and `serve` warn when
//! the source changed since (W0507) and the page says so in its own language;
//! `casebook translations mark` records the current version.

mod common;

use casebook::diagnostics::{Code, Diagnostic};
use casebook::{BuildOptions, CheckOptions, check};
use common::{Site, practice, texts, translation};

/// A practice and a page in English with Spanish translations that record their sources;
/// it passes `check --deny-warnings`.
fn translated_site() -> Site {
    let site = Site::new();
    site.write(
        "content/practices/co-city.md",
        &practice(
            "CO-CITY",
            "poverty, housing, urban-commons",
            "programme: uia\n",
        ),
    )
    .write(
        "content/practices/co-city.es.md",
        &translation("CO-CITY ES", ""),
    )
    .write(
        "content/pages/about.md",
        "---\ntitle: About\n---\n## Who we are\n",
    )
    .write(
        "content/pages/about.es.md",
        "---\ntitle: Acerca de\n---\n## Quiénes somos\n",
    );
    site.mark_translations();
    site
}

/// The source gets a new paragraph: its translations are now outdated.
fn change_source(site: &Site) {
    let path = site.root().join("content/practices/co-city.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}\nA new paragraph about results.\n")).unwrap();
}

fn of(diags: &[Diagnostic], code: Code) -> Vec<&Diagnostic> {
    diags.iter().filter(|d| d.code == code).collect()
}

fn read(site: &Site, rel: &str) -> String {
    std::fs::read_to_string(site.root().join(rel)).unwrap()
}

#[test]
fn marked_translations_are_up_to_date_and_record_their_source() {
    let site = translated_site();
    let es = read(&site, "content/practices/co-city.es.md");
    let line = es
        .lines()
        .find(|l| l.starts_with("translated_from: "))
        .expect("a translated_from line");
    let fingerprint = line.trim_start_matches("translated_from: ");
    assert!(
        fingerprint.len() == 12 && fingerprint.bytes().all(|b| b.is_ascii_hexdigit()),
        "{line}"
    );
    // The record sits at the end of the front matter, the rest of the file as it was.
    assert_eq!(
        es,
        translation("CO-CITY ES", &format!("{line}\n")),
        "only the line is added"
    );
    let report = check(&CheckOptions::new(site.root()));
    assert!(report.passed(true), "{:#?}", report.diagnostics);
    let summary = site.build_ok();
    assert!(summary.warnings.is_empty(), "{:#?}", summary.warnings);
    assert!(
        texts(
            &site.html("es/practices/co-city/index.html"),
            ".translation-notice"
        )
        .is_empty()
    );
}

#[test]
fn an_outdated_translation_is_a_warning_at_its_record_naming_its_source() {
    let site = translated_site();
    change_source(&site);
    let report = check(&CheckOptions::new(site.root()));
    let outdated = of(&report.diagnostics, Code::OutdatedTranslation);
    assert_eq!(outdated.len(), 1, "{:#?}", report.diagnostics);
    let d = outdated[0];
    let es = read(&site, "content/practices/co-city.es.md");
    let line = es
        .lines()
        .position(|l| l.starts_with("translated_from:"))
        .unwrap()
        + 1;
    assert_eq!(
        d.location.as_ref().unwrap().to_string(),
        format!("content/practices/co-city.es.md:{line}:18")
    );
    assert_eq!(
        d.message,
        "translation made from an older version of co-city.md"
    );
    assert_eq!(
        d.notes[0].location.file,
        std::path::Path::new("content/practices/co-city.md")
    );
    let hint = d.hint.as_deref().unwrap();
    assert!(
        hint.contains("casebook translations mark content/practices/co-city.es.md"),
        "{hint}"
    );
    // The page was not touched: it is still up to date.
    assert!(
        of(&report.diagnostics, Code::OutdatedTranslation)
            .iter()
            .all(|d| !d.location.as_ref().unwrap().file.ends_with("about.es.md"))
    );

    // The same warning from the command line, and `--allow` leaves it out.
    let (code, stdout, stderr) = site.cli(&["check", "--deny-warnings"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stderr.contains("warning[W0507]: translation made from an older version of co-city.md")
            && stderr.contains(&format!("--> content/practices/co-city.es.md:{line}:18")),
        "{stderr}"
    );
    let (code, stdout, stderr) = site.cli(&[
        "check",
        "--deny-warnings",
        "--allow",
        "outdated-translation",
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");

    // A build warns too, and still builds.
    let summary = site.build_ok();
    assert_eq!(of(&summary.warnings, Code::OutdatedTranslation).len(), 1);

    // Once brought up to date and marked, nothing is left to say.
    let (code, stdout, stderr) =
        site.cli(&["translations", "mark", "content/practices/co-city.es.md"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("Marked content/practices/co-city.es.md up to date with its source"),
        "{stdout}"
    );
    let report = check(&CheckOptions::new(site.root()));
    assert!(report.passed(true), "{:#?}", report.diagnostics);
}

#[test]
fn the_page_of_an_outdated_translation_says_so_in_its_language_and_links_to_the_source() {
    let site = translated_site();
    change_source(&site);
    let page = read(&site, "content/pages/about.md");
    std::fs::write(
        site.root().join("content/pages/about.md"),
        page.replace("Who we are", "Who we are and what we do"),
    )
    .unwrap();
    site.build_ok();
    for (file, source) in [
        ("es/practices/co-city/index.html", "/en/practices/co-city/"),
        ("es/about/index.html", "/en/about/"),
    ] {
        let html = site.html(file);
        let notice = texts(&html, ".translation-notice");
        assert_eq!(
            notice,
            [
                "Esta traducción se hizo a partir de una versión anterior del texto en inglés, que ha cambiado desde entonces. Leer la versión en inglés"
            ],
            "{file}"
        );
        assert_eq!(
            common::attrs(&html, ".translation-notice a", "href"),
            [source]
        );
        assert_eq!(
            common::attrs(&html, ".translation-notice a", "hreflang"),
            ["en"]
        );
    }
    // The source itself has no notice.
    assert!(
        texts(
            &site.html("en/practices/co-city/index.html"),
            ".translation-notice"
        )
        .is_empty()
    );
    assert!(common::broken_links(&site.out(), "https://example.org/").is_empty());

    // A site can turn the notice off; the warning stays.
    site.write(
        "casebook.yaml",
        &format!(
            "{}translations: {{ outdated_notice: false }}\n",
            common::CONFIG
        ),
    );
    let summary = site.build_ok();
    assert_eq!(of(&summary.warnings, Code::OutdatedTranslation).len(), 2);
    assert!(
        texts(
            &site.html("es/practices/co-city/index.html"),
            ".translation-notice"
        )
        .is_empty()
    );
    assert!(texts(&site.html("es/about/index.html"), ".translation-notice").is_empty());
}

#[test]
fn serve_warns_and_shows_the_notice_as_the_source_is_edited() {
    use casebook::commands::serve::session::Session;
    let site = translated_site();
    let work = tempfile::tempdir().unwrap();
    let opts = BuildOptions {
        output: Some(work.path().join("site")),
        ..BuildOptions::new(site.root())
    };
    let (mut session, first) =
        Session::start(opts, work.path().join("site"), work.path().join("staging"));
    assert!(
        first.errors.is_empty() && first.warnings.is_empty(),
        "{first:#?}"
    );
    let served = |rel: &str| std::fs::read_to_string(work.path().join("site").join(rel)).unwrap();
    assert!(!served("es/practices/co-city/index.html").contains("translation-notice"));

    // A change to the source's body only: the model is patched, and tells the same.
    change_source(&site);
    let outcome = session.apply(&[site.root().join("content/practices/co-city.md")]);
    assert!(outcome.errors.is_empty(), "{outcome:#?}");
    let outdated = of(&outcome.warnings, Code::OutdatedTranslation);
    assert_eq!(outdated.len(), 1, "{:#?}", outcome.warnings);
    assert_eq!(
        outdated[0].location.as_ref().unwrap().file,
        std::path::Path::new("content/practices/co-city.es.md")
    );
    while session.has_deferred_work() {
        session.settle();
    }
    assert!(served("es/practices/co-city/index.html").contains("translation-notice"));

    // Marked up to date: the warning and the notice go.
    casebook::commands::translations::mark(
        site.root(),
        &[site.root().join("content/practices/co-city.es.md")],
    )
    .unwrap();
    let outcome = session.apply(&[site.root().join("content/practices/co-city.es.md")]);
    assert!(
        outcome.errors.is_empty() && outcome.warnings.is_empty(),
        "{outcome:#?}"
    );
    while session.has_deferred_work() {
        session.settle();
    }
    assert!(!served("es/practices/co-city/index.html").contains("translation-notice"));
}

#[test]
fn a_translation_that_records_nothing_is_a_warning_of_check_only() {
    let site = translated_site();
    site.write(
        "content/practices/co-city.es.md",
        &translation("CO-CITY ES", ""),
    );
    let report = check(&CheckOptions::new(site.root()));
    let unrecorded = of(&report.diagnostics, Code::UnrecordedTranslation);
    assert_eq!(unrecorded.len(), 1, "{:#?}", report.diagnostics);
    assert_eq!(
        unrecorded[0].location.as_ref().unwrap().to_string(),
        "content/practices/co-city.es.md"
    );
    assert_eq!(
        unrecorded[0].message,
        "translation does not record which version of co-city.md it was made from"
    );
    assert!(site.build_ok().warnings.is_empty());
    let (code, _, _) = site.cli(&["check", "--deny-warnings", "--allow", "W0508"]);
    assert_eq!(code, 0);
}

#[test]
fn a_record_that_is_not_a_fingerprint_is_an_error_at_its_value() {
    let site = translated_site();
    let es = read(&site, "content/practices/co-city.es.md");
    let broken = es.replace("translated_from: ", "translated_from: <<<<<<< ");
    site.write("content/practices/co-city.es.md", &broken);
    let failure = site.build().unwrap_err();
    let d = &failure.diagnostics[0];
    assert_eq!(d.code, Code::BadValue);
    assert!(
        d.message.contains("is not a fingerprint casebook wrote"),
        "{}",
        d.message
    );
    assert!(
        d.location
            .as_ref()
            .unwrap()
            .to_string()
            .starts_with("content/practices/co-city.es.md:"),
        "{:?}",
        d.location
    );
}

#[test]
fn mark_refuses_sources_and_strangers_and_writes_nothing_then() {
    let site = translated_site();
    change_source(&site);
    let es_before = read(&site, "content/practices/co-city.es.md");
    site.write("notes.md", "---\ntitle: Notes\n---\n");
    let (code, stdout, stderr) = site.cli(&[
        "translations",
        "mark",
        "content/practices/co-city.es.md",
        "content/practices/co-city.md",
        "notes.md",
    ]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stderr.contains("content/practices/co-city.md is in the default language (en): it is the source, not a translation"),
        "{stderr}"
    );
    assert!(
        stderr.contains("notes.md is not a content file of this site"),
        "{stderr}"
    );
    assert!(stderr.contains("Nothing was written."), "{stderr}");
    assert_eq!(read(&site, "content/practices/co-city.es.md"), es_before);
}

#[test]
fn every_demo_translation_records_its_source_and_is_up_to_date() {
    let report = check(&CheckOptions::new(common::repo()));
    let stale: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| {
            matches!(
                d.code,
                Code::OutdatedTranslation | Code::UnrecordedTranslation
            )
        })
        .map(|d| d.render_human(false))
        .collect();
    assert!(stale.is_empty(), "{}", stale.join(""));
    assert_eq!(report.errors(), 0);
}

#[test]
fn a_translation_started_with_new_practice_records_its_source() {
    let site = translated_site();
    let (code, _, stderr) = site.cli(&["new", "practice", "co-city", "--lang", "es"]);
    assert_eq!(code, 1, "never overwrites: {stderr}");
    std::fs::remove_file(site.root().join("content/practices/co-city.es.md")).unwrap();
    let (code, _, stderr) = site.cli(&["new", "practice", "co-city", "--lang", "es"]);
    assert_eq!(code, 0, "{stderr}");
    let started = read(&site, "content/practices/co-city.es.md");
    let (_, stdout, _) = site.cli(&["translations", "mark", "content/practices/co-city.es.md"]);
    assert!(stdout.starts_with("Already marked"), "{stdout}");
    assert_eq!(read(&site, "content/practices/co-city.es.md"), started);
    // The translation is a draft until translated; with drafts it is up to date.
    let mut opts = CheckOptions::new(site.root());
    opts.build.drafts = true;
    let report = check(&opts);
    assert!(
        !report.diagnostics.iter().any(|d| matches!(
            d.code,
            Code::OutdatedTranslation | Code::UnrecordedTranslation
        )),
        "{:#?}",
        report.diagnostics
    );
}
