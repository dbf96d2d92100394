//! `casebook check`: everything a build checks, without writing, plus links, anchors,
//! images, coverage, UI strings and vocabulary hygiene; and the three diagnostic formats.

mod common;

use casebook::diagnostics::{Code, Diagnostic};
use casebook::{CheckOptions, CheckReport, check};
use common::{Site, practice, repo, snapshot, translation};

fn run(site: &Site) -> CheckReport {
    check(&CheckOptions::new(site.root()))
}

/// The diagnostics of `code`, as `file:line:col message`.
fn found(report: &CheckReport, code: Code) -> Vec<String> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| {
            format!(
                "{} {}",
                d.location
                    .as_ref()
                    .map(|l| l.to_string())
                    .unwrap_or_default(),
                d.message
            )
        })
        .collect()
}

fn human(report: &CheckReport) -> String {
    report
        .diagnostics
        .iter()
        .map(|d| d.render_human(false))
        .collect()
}

/// Two practices in English and Spanish, one page; passes `check --deny-warnings` (each
/// translation records the version of its source it was made from).
fn clean_site() -> Site {
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
        "content/practices/b-mincome.md",
        &practice("B-MINCOME", "poverty", ""),
    )
    .write(
        "content/practices/b-mincome.es.md",
        &translation("B-MINCOME ES", ""),
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

#[test]
fn a_clean_site_passes_with_warnings_denied() {
    let site = clean_site();
    let report = run(&site);
    assert!(report.passed(true), "{}", human(&report));
    assert!(report.coverage.as_ref().unwrap().complete());
    assert!(report.pages > 10, "renders every page in memory");
    let (code, stdout, stderr) = site.cli(&["check", "--deny-warnings"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("Check passed: 0 errors, 0 warnings"),
        "{stdout}"
    );
}

#[test]
fn check_writes_nothing() {
    let site = clean_site();
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "povrty", ""),
    );
    let before = snapshot(site.root());
    let (code, _, _) = site.cli(&["check"]);
    assert_eq!(code, 1);
    let site2 = clean_site();
    let before2 = snapshot(site2.root());
    let (code, _, _) = site2.cli(&["check"]);
    assert_eq!(code, 0);
    assert!(
        snapshot(site.root()) == before,
        "a failing check wrote files"
    );
    assert!(
        snapshot(site2.root()) == before2,
        "a passing check wrote files"
    );
    assert!(!site2.out().exists());
}

#[test]
fn the_demo_catalogue_has_no_errors_and_its_coverage_is_reported() {
    let report = check(&CheckOptions::new(repo()));
    assert_eq!(report.errors(), 0, "{}", human(&report));
    let coverage = report.coverage.as_ref().unwrap();
    assert_eq!(coverage.languages, ["en", "es", "ca", "it"]);
    let table = coverage.table();
    assert!(table.contains("en 8/8"), "{table}");
    // Every warning of the demo is a coverage warning, which CI allows explicitly.
    let mut opts = CheckOptions::new(repo());
    opts.allow = vec![Code::Untranslated];
    let report = check(&opts);
    assert!(report.passed(true), "{}", human(&report));
}

#[test]
fn template_errors_are_found_without_writing() {
    let site = clean_site();
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ page.titel }}{% endblock main %}",
    );
    let report = run(&site);
    let errors = found(&report, Code::TemplateError);
    assert_eq!(errors.len(), 1, "{}", human(&report));
    assert!(
        errors[0].starts_with("templates/page.html:1:"),
        "{errors:?}"
    );
    assert!(!site.out().exists());
}

#[test]
fn links_to_content_resolve_in_the_readers_language_or_the_fallback() {
    let site = clean_site();
    site.write(
        "content/practices/only-en.md",
        &practice("Only English", "poverty", ""),
    );
    site.write(
        "content/practices/b-mincome.es.md",
        "---\ntitle: B-MINCOME ES\nsummary: Resumen.\npublished: 2024-02-01\n---\n## The challenge\n",
    );
    let body = "See [B](@/practices/b-mincome.md), [its results](@/practices/b-mincome.md#the-challenge), \
                [English only](@/practices/only-en.md), [Spanish](@/practices/b-mincome.es.md), \
                [relative](b-mincome.md), [about](../pages/about.md) and [map](/css/main.css).\n";
    site.write(
        "content/practices/co-city.es.md",
        &format!("---\ntitle: CO-CITY ES\nsummary: Resumen.\npublished: 2024-02-01\n---\n{body}"),
    );
    site.write(
        "content/practices/co-city.md",
        &format!(
            "---\ntitle: CO-CITY\ncity: Turin\ncountry: IT\ntopics: [poverty, housing, urban-commons]\nprogramme: uia\nsummary: S.\npublished: 2024-01-15\n---\n{body}"
        ),
    );
    site.build_ok();
    let hrefs = |rel: &str| common::attrs(&site.html(rel), ".practice-body a", "href");
    assert_eq!(
        hrefs("es/practices/co-city/index.html"),
        [
            "/es/practices/b-mincome/",
            "/es/practices/b-mincome/#the-challenge",
            "/en/practices/only-en/",
            "/es/practices/b-mincome/",
            "/es/practices/b-mincome/",
            "/es/about/",
            "/css/main.css"
        ]
    );
    assert_eq!(
        hrefs("en/practices/co-city/index.html"),
        [
            "/en/practices/b-mincome/",
            "/en/practices/b-mincome/#the-challenge",
            "/en/practices/only-en/",
            "/es/practices/b-mincome/",
            "/en/practices/b-mincome/",
            "/en/about/",
            "/css/main.css"
        ]
    );
    assert!(common::broken_links(&site.out(), "https://example.org/").is_empty());
    // Under a base path, every resolved link carries it.
    site.write(
        "casebook.yaml",
        &common::CONFIG.replace("https://example.org/", "https://example.org/sub/"),
    );
    site.build_ok();
    assert_eq!(
        hrefs("en/practices/co-city/index.html")[0],
        "/sub/en/practices/b-mincome/"
    );
    assert_eq!(
        hrefs("en/practices/co-city/index.html")[6],
        "/sub/css/main.css"
    );
}

#[test]
fn a_link_to_a_missing_practice_fails_the_build_at_its_line() {
    let site = clean_site();
    site.write(
        "content/practices/b-mincome.md",
        "---\ntitle: B\ncity: Barcelona\ncountry: ES\ntopics: [poverty]\nsummary: S.\npublished: 2024-01-15\n---\nIntro.\n\nSee [CO-CITY](@/practices/cocity.md).\n",
    );
    let failure = site.build().unwrap_err();
    let d = failure
        .diagnostics
        .iter()
        .find(|d| d.code == Code::BrokenLink)
        .expect("a broken-link error");
    assert_eq!(
        d.location.as_ref().unwrap().to_string(),
        "content/practices/b-mincome.md:11:5"
    );
    assert_eq!(
        d.message,
        "link to a practice that does not exist: `cocity`"
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("did you mean `@/practices/co-city.md`?")
    );
    assert_eq!(
        d.source_line.as_deref(),
        Some("See [CO-CITY](@/practices/cocity.md).")
    );
}

#[test]
fn check_reports_anchors_site_paths_relative_links_and_images() {
    let site = clean_site();
    site.write_bytes("static/images/hub.jpg", &common::tiny_jpeg(900, 600));
    site.write(
        "content/practices/b-mincome.md",
        "---\ntitle: B\ncity: Barcelona\ncountry: ES\ntopics: [poverty]\nsummary: S.\npublished: 2024-01-15\n\
image: { src: images/missing.jpg, alt: A hub }\n---\n\
## The results\n\
[ok](#the-results) [bad](#results)\n\
[far](@/practices/co-city.md#nowhere)\n\
[pdf](/files/report.pdf) [page](/es/practices/co-city/) [rel](../co-city/) [relbad](images/hub.jpg)\n\
![A hub](/images/hub.jpg) ![](/images/hub.jpg) ![Gone](/images/gone.png)\n",
    );
    let report = run(&site);
    assert_eq!(
        found(&report, Code::BrokenAnchor),
        [
            "content/practices/b-mincome.md:11:20 no heading `#results` on this page",
            "content/practices/b-mincome.md:12:1 no heading `#nowhere` on /en/practices/co-city/",
        ],
        "{}",
        human(&report)
    );
    assert_eq!(
        found(&report, Code::BrokenLink),
        [
            "content/practices/b-mincome.md:13:1 nothing is published at `/files/report.pdf`",
            "content/practices/b-mincome.md:13:76 `images/hub.jpg` leads to `/en/practices/b-mincome/images/hub.jpg`, where nothing is published",
        ]
    );
    assert_eq!(
        found(&report, Code::MissingImage),
        [
            "content/practices/b-mincome.md:8:15 image `images/missing.jpg` is not in static/",
            "content/practices/b-mincome.md:14:48 nothing is published at `/images/gone.png`",
        ]
    );
    assert_eq!(
        found(&report, Code::ImageWithoutAlt),
        ["content/practices/b-mincome.md:14:27 image has no alt text"]
    );
    let text = human(&report);
    assert!(
        text.contains("= hint: the headings there are: #the-results"),
        "{text}"
    );
    assert!(
        text.contains(
            "  11 | [ok](#the-results) [bad](#results)\n     |                    ^^^^^^^^^^^^^^^\n"
        ),
        "underlines the link: {text}"
    );
    // A build finds the same problems, and writes nothing.
    let failure = site
        .build()
        .expect_err("a build with broken links and images");
    let mut codes: Vec<&str> = failure
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code.id())
        .collect();
    codes.sort();
    codes.dedup();
    assert_eq!(
        codes,
        ["E0108", "E0203", "E0204", "E0205"],
        "{:?}",
        failure.diagnostics
    );
    assert!(!site.out().exists());
}

#[test]
fn raw_html_unused_terms_and_missing_ui_strings_are_warnings() {
    let site = clean_site();
    site.write(
        "casebook.yaml",
        &format!("{}    rural: {{ en: Rural, es: Rural }}\n", common::CONFIG.replace("  programmes:\n    uia: { en: Urban Innovative Actions, es: Acciones Urbanas Innovadoras }\n", "")),
    );
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty, housing, urban-commons", "")
            .replace("Body of CO-CITY.", "Body with <b>bold</b> HTML."),
    );
    // A site-level i18n override that leaves a key out of Spanish.
    site.write("i18n/es.yaml", "nav:\n  catalogue: \"\"\n");
    let report = run(&site);
    assert_eq!(report.errors(), 0, "{}", human(&report));
    assert_eq!(
        found(&report, Code::RawHtmlEscaped),
        ["content/practices/co-city.md:11:11 raw HTML is shown as text"]
    );
    let unused = found(&report, Code::UnusedTerm);
    assert_eq!(
        unused,
        ["casebook.yaml:9:5 topic `rural` is declared but no practice uses it"],
        "{}",
        human(&report)
    );
    let ui = found(&report, Code::MissingTranslationKey);
    assert!(
        ui.iter()
            .any(|m| m.contains("UI string `nav.catalogue` is missing in `es`")),
        "{ui:?}"
    );
    assert!(report.passed(false) && !report.passed(true));
    let (code, _, _) = site.cli(&["check"]);
    assert_eq!(code, 0);
    let (code, _, _) = site.cli(&["check", "--deny-warnings"]);
    assert_eq!(code, 1);
}

#[test]
fn drafts_are_checked_as_build_drafts_would_publish_them() {
    let site = clean_site();
    site.write(
        "content/practices/wip.md",
        &practice("WIP", "poverty", "draft: true\n"),
    );
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\n## Who we are\n\n[wip](@/practices/wip.md)\n",
    );
    let report = run(&site);
    assert_eq!(
        found(&report, Code::BrokenLink),
        ["content/pages/about.md:6:1 link to a practice that is a draft: `wip`"]
    );
    let mut opts = CheckOptions::new(site.root());
    opts.build.drafts = true;
    let report = check(&opts);
    assert_eq!(report.errors(), 0, "{}", human(&report));
}

#[test]
fn untranslated_practices_are_listed_and_can_be_allowed() {
    let site = clean_site();
    site.write(
        "content/practices/only-en.md",
        &practice("Only English", "poverty", ""),
    );
    let report = run(&site);
    assert_eq!(
        found(&report, Code::Untranslated),
        ["content/practices/only-en.md practice `only-en` is not translated into es"]
    );
    let table = report.coverage.as_ref().unwrap().table();
    assert!(table.contains("en 3/3, es 2/3"), "{table}");
    assert!(
        table.contains("only-en") && !table.contains("co-city"),
        "{table}"
    );
    let (code, stdout, _) = site.cli(&["check", "--deny-warnings"]);
    assert_eq!(code, 1);
    assert!(stdout.contains("Translation coverage:"), "{stdout}");
    let (code, stdout, stderr) = site.cli(&["check", "--deny-warnings", "--allow", "untranslated"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let (code, _, stderr) = site.cli(&["check", "--allow", "E0102"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("only warnings can be allowed"), "{stderr}");
}

/// The newcomer's typo, in each format.
fn typo_site() -> Site {
    let site = clean_site();
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty, urban-comons", "programme: uia\n"),
    );
    site
}

#[test]
fn human_format_shows_the_line_and_a_caret() {
    let (code, _, stderr) = typo_site().cli(&["check"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(
            "error[E0102]: unknown topic `urban-comons`\n  --> content/practices/co-city.md:5:19\n    |\n  5 | topics: [poverty, urban-comons]\n    |                   ^^^^^^^^^^^^\n  = hint: did you mean `urban-commons`?"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains('\x1b'), "NO_COLOR and a pipe: no colour");
}

/// Runs `casebook check` in `site` on a pseudo-terminal (util-linux `script`), with
/// NO_COLOR set to `no_color` or unset; returns what the terminal showed.
fn check_on_a_terminal(site: &Site, no_color: Option<&str>) -> String {
    let mut cmd = std::process::Command::new("script");
    cmd.args(["-qec"])
        .arg(format!("'{}' check", env!("CARGO_BIN_EXE_casebook")))
        .arg("/dev/null")
        .current_dir(site.root())
        .env_remove("NO_COLOR")
        .env_remove("GITHUB_ACTIONS");
    if let Some(v) = no_color {
        cmd.env("NO_COLOR", v);
    }
    let out = cmd
        .output()
        .expect("util-linux `script` runs casebook on a pseudo-terminal");
    assert_eq!(out.status.code(), Some(1), "the typo fails the check");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn human_format_is_in_colour_on_a_terminal_unless_no_color_is_set() {
    let site = typo_site();
    let red_error = "\x1b[1m\x1b[31merror[E0102]\x1b[0m";
    let shown = check_on_a_terminal(&site, None);
    assert!(shown.contains(red_error), "{shown:?}");
    let shown = check_on_a_terminal(&site, Some("1"));
    assert!(
        shown.contains("error[E0102]: unknown topic `urban-comons`") && !shown.contains('\x1b'),
        "{shown:?}"
    );
    // no-color.org: an empty NO_COLOR does not turn colour off.
    let shown = check_on_a_terminal(&site, Some(""));
    assert!(shown.contains(red_error), "{shown:?}");
}

#[test]
fn json_format_prints_one_object_per_line_on_stdout() {
    let site = typo_site();
    let (code, stdout, stderr) = site.cli(&["check", "--format", "json"]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "only JSON on stdout: {stdout}");
    let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(v["file"], "content/practices/co-city.md");
    assert_eq!(
        (v["line"].as_u64(), v["column"].as_u64()),
        (Some(5), Some(19))
    );
    assert_eq!(v["severity"], "error");
    assert_eq!(v["code"], "E0102");
    assert_eq!(v["message"], "unknown topic `urban-comons`");
    assert!(
        v["hint"]
            .as_str()
            .unwrap()
            .starts_with("did you mean `urban-commons`?")
    );
    assert!(stderr.contains("Check failed"), "{stderr}");
    // build takes the same flag.
    let (code, stdout, _) = site.cli(&["build", "--format", "json"]);
    assert_eq!(code, 1);
    assert!(
        serde_json::from_str::<serde_json::Value>(stdout.trim()).is_ok(),
        "{stdout}"
    );
}

#[test]
fn github_format_is_chosen_inside_github_actions() {
    let site = typo_site();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["check"])
        .current_dir(site.root())
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout.lines().any(|l| l
            == "::error file=content/practices/co-city.md,line=5,col=19,endColumn=31,title=E0102 unknown-term::unknown topic `urban-comons`%0Ahint: did you mean `urban-commons`? The topics are declared in casebook.yaml under `taxonomies`"),
        "{stdout}"
    );
    let (_, stdout, _) = site.cli(&["build", "--format", "github"]);
    assert!(
        stdout.starts_with("::error file=content/practices/co-city.md,line=5,col=19"),
        "{stdout}"
    );
}

#[test]
fn every_code_is_documented_with_an_example_and_a_fix() {
    let doc = std::fs::read_to_string(repo().join("docs/diagnostics.md")).unwrap();
    for code in Code::ALL {
        let heading = format!("\n### {} {}\n", code.id(), code.name());
        let start = doc
            .find(&heading)
            .unwrap_or_else(|| panic!("docs/diagnostics.md has no section `{}`", heading.trim()));
        let section = &doc[start + heading.len()..];
        let section = &section[..section
            .find("\n### ")
            .or_else(|| section.find("\n## "))
            .unwrap_or(section.len())];
        assert!(
            section.contains("**Example**") && section.contains("**Fix**"),
            "{} needs an example and a fix",
            code.id()
        );
    }
    assert_eq!(Code::parse("unknown-term"), Some(Code::UnknownTerm));
    assert_eq!(Code::parse("e0102"), Some(Code::UnknownTerm));
    let _: Option<Diagnostic> = None;
}

#[test]
fn a_language_the_theme_lacks_gives_one_warning_not_hundreds() {
    let site = Site::with_config(
        "base_url: https://example.org/\nlanguages: [en, fr]\ntaxonomies:\n  topics:\n    poverty: { en: Poverty, fr: Pauvreté }\n",
    );
    site.write("content/practices/a.md", &practice("A", "poverty", ""));
    site.write("content/practices/a.fr.md", &translation("A FR", ""));
    let report = run(&site);
    let ui = found(&report, Code::MissingTranslationKey);
    let fr: Vec<&String> = ui.iter().filter(|m| m.contains("in `fr`")).collect();
    assert_eq!(fr.len(), 1, "{ui:?}");
    assert!(fr[0].contains("UI strings are missing in `fr`"), "{ui:?}");
    // The theme has no name for French in English either: one key, said as such.
    assert!(
        ui.iter()
            .any(|m| m.contains("UI string `languages.fr` is missing in `en`")),
        "{ui:?}"
    );
    assert_eq!(ui.len(), 2, "{ui:?}");
    let hint = report
        .diagnostics
        .iter()
        .find(|d| d.code == Code::MissingTranslationKey)
        .unwrap()
        .hint
        .clone()
        .unwrap();
    assert!(
        hint.contains("i18n/countries/fr.yaml") && hint.contains("i18n/fr.yaml"),
        "{hint}"
    );
}
