//! `casebook new practice` and `casebook init`, and the built-in theme.

mod common;

use common::{Site, practice, snapshot};

fn run(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const FIELDS: &[&str] = &[
    "title",
    "subtitle",
    "city",
    "region",
    "country",
    "coordinates",
    "programme",
    "topics",
    "level",
    "start",
    "end",
    "budget",
    "partners",
    "owner",
    "key_figures",
    "summary",
    "published",
    "updated",
    "draft",
    "related",
    "image",
];

#[test]
fn a_new_practice_has_every_field_commented_and_check_guides_the_editor() {
    let site = Site::new();
    let (code, stdout, stderr) = site.cli(&["new", "practice", "water-commons"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("content/practices/water-commons.md"),
        "{stdout}"
    );
    let text =
        std::fs::read_to_string(site.root().join("content/practices/water-commons.md")).unwrap();
    for field in FIELDS {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("{field}:")))
            .unwrap_or_else(|| panic!("no `{field}` in:\n{text}"));
        assert!(line.contains(" # "), "`{field}` has no comment: {line}");
    }
    assert!(text.contains("title: Water Commons"), "{text}");
    assert!(
        text.contains("one or more of poverty, housing, urban-commons"),
        "{text}"
    );
    assert!(text.contains("draft: true"));
    // A draft does not fail the site: its empty required fields are warnings…
    let (code, stdout, stderr) = site.cli(&["check"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stderr.contains("warning[E0103]: required field `summary` has no value"),
        "{stderr}"
    );
    // … and errors with --drafts, pointed at line by line.
    let (code, _, stderr) = site.cli(&["check", "--drafts"]);
    assert_eq!(code, 1);
    let line_of = |field: &str| {
        text.lines()
            .position(|l| l.starts_with(&format!("{field}:")))
            .unwrap()
            + 1
    };
    assert!(
        stderr.contains(&format!(
            "--> content/practices/water-commons.md:{}:1",
            line_of("summary")
        )) && stderr.contains("required field `summary` has no value"),
        "{stderr}"
    );
    assert!(stderr.contains("`topics` is empty"), "{stderr}");
    // Filled in, it passes.
    let filled = text
        .replace("summary:           #", "summary: Water as a commons. #")
        .replace("topics: []", "topics: [urban-commons]")
        .replace("city:              #", "city: Naples #")
        .replace("country:           #", "country: IT #");
    site.write("content/practices/water-commons.md", &filled);
    let (code, stdout, stderr) = site.cli(&["check", "--drafts"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    site.build_ok();
    assert!(
        !site.exists("en/practices/water-commons/index.html"),
        "a draft until published"
    );
}

#[test]
fn a_translation_copies_only_the_per_language_fields_and_the_body() {
    let site = Site::new();
    site.write(
        "content/practices/co-city.md",
        &practice(
            "CO-CITY",
            "poverty",
            "subtitle: Pacts\nprogramme: uia\nlevel: local\npartners:\n  - City of Turin\nkey_figures:\n  - { value: \"50\", label: pacts signed }\n",
        ),
    );
    let (code, _, stderr) = site.cli(&["new", "practice", "co-city", "--lang", "es"]);
    assert_eq!(code, 0, "{stderr}");
    let text =
        std::fs::read_to_string(site.root().join("content/practices/co-city.es.md")).unwrap();
    for kept in [
        "title: CO-CITY",
        "subtitle: Pacts",
        "city: Turin",
        "partners:\n  - City of Turin",
        "key_figures:\n  - { value: \"50\"",
        "summary: A summary of CO-CITY.",
        "## The challenge",
        "draft: true",
    ] {
        assert!(text.contains(kept), "`{kept}` missing:\n{text}");
    }
    for left_out in ["country:", "topics:", "programme:", "level:", "2024-01-15"] {
        assert!(!text.contains(left_out), "`{left_out}` copied:\n{text}");
    }
    let (code, stdout, stderr) = site.cli(&["check", "--drafts"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    // Never overwrites.
    let before = snapshot(site.root());
    let (code, _, stderr) = site.cli(&["new", "practice", "co-city", "--lang", "es"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("error[E0009]: content/practices/co-city.es.md already exists"),
        "{stderr}"
    );
    assert!(snapshot(site.root()) == before);
}

#[test]
fn bad_slugs_and_languages_are_refused() {
    let site = Site::new();
    let (code, _, stderr) = site.cli(&["new", "practice", "Água Viva"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("`Água Viva` is not a valid slug") && stderr.contains("e.g. `agua-viva`"),
        "{stderr}"
    );
    let (code, _, stderr) = site.cli(&["new", "practice", "x", "--lang", "fr"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("`fr` is not a site language") && stderr.contains("site languages: en, es"),
        "{stderr}"
    );
}

#[test]
fn init_creates_a_site_that_passes_check_and_builds_with_the_built_in_theme() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run(tmp.path(), &["init", "my-site"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Created a new site in my-site"), "{stdout}");
    let root = tmp.path().join("my-site");
    assert!(!root.join("themes").exists(), "no copy of the theme");
    let (code, stdout, stderr) = run(&root, &["check", "--deny-warnings"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let checked = stdout.split("; ").nth(1).unwrap_or_default().to_string();
    let (code, stdout, stderr) = run(&root, &["build"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    // The summaries agree on the number of pages and speak English: one practice, one
    // language.
    let built = stdout.split(" (").next().unwrap_or_default();
    assert!(
        checked.starts_with(&format!(
            "{} rendered in memory",
            built.trim_start_matches("Built ")
        )),
        "check: {checked:?}, build: {stdout:?}"
    );
    assert!(
        stdout.contains(" (1 practice) in 1 language in "),
        "{stdout}"
    );
    let out = root.join("output");
    assert!(out.join("en/practices/co-city/index.html").is_file());
    assert!(out.join("en/about/index.html").is_file());
    let css: Vec<String> = snapshot(&out)
        .into_keys()
        .filter(|k| k.starts_with("css/main.") && k.ends_with(".css"))
        .collect();
    assert_eq!(
        css.len(),
        2,
        "the built-in stylesheet, plain and fingerprinted: {css:?}"
    );
    assert!(common::broken_links(&out, "https://practices.example.org/").is_empty());
    // A second init into a non-empty folder is refused.
    let (code, _, stderr) = run(tmp.path(), &["init", "my-site"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("error[E0009]"), "{stderr}");
}

#[test]
fn a_sites_own_theme_folder_replaces_the_built_in_one() {
    let site = Site::new();
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", ""),
    );
    site.write(
        "themes/default/templates/practice.html",
        "{% extends \"base.html\" %}{% block main %}<p id=\"own\">{{ practice.title }}</p>{% endblock main %}",
    );
    site.build_ok();
    assert_eq!(
        common::texts(&site.html("en/practices/co-city/index.html"), "#own"),
        ["CO-CITY"]
    );
    site.write(
        "casebook.yaml",
        &common::CONFIG.replace("default_language: en", "default_language: en\ntheme: dark"),
    );
    let failure = site.build().unwrap_err();
    let hint = failure.diagnostics[0].hint.clone().unwrap_or_default();
    assert!(hint.contains("themes available: default"), "{hint}");
}
