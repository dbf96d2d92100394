//! `casebook translations`: the status of every practice and page in every language, for
//! people and as JSON, and what changed in the source of an outdated translation where the
//! site's Git history says.

mod common;

use std::process::Command;

use common::{Site, practice, translation};

/// Three practices and a page in English, Spanish and Catalan: one translation up to
/// date, one outdated, one that records nothing, practices left to fall back, a page
/// missing in Catalan.
fn site() -> Site {
    let site = Site::with_config(&common::CONFIG.replace("[en, es]", "[en, es, ca]"));
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", ""),
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
    site.write(
        "content/practices/housing-first.md",
        &practice("Housing First", "housing", ""),
    )
    .write(
        "content/practices/housing-first.es.md",
        &translation("Housing First ES", ""),
    );
    let source = site.root().join("content/practices/b-mincome.md");
    let text = std::fs::read_to_string(&source).unwrap();
    std::fs::write(
        &source,
        text.replace("Body of B-MINCOME.", "Body of B-MINCOME, with new results."),
    )
    .unwrap();
    site
}

#[test]
fn the_status_report_names_each_state_per_language() {
    let site = site();
    let (code, stdout, stderr) = site.cli(&["translations"]);
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    let row = |slug: &str| {
        lines
            .iter()
            .find(|l| l.trim_start().starts_with(&format!("{slug} ")))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|| panic!("no row for {slug}:\n{stdout}"))
    };
    assert_eq!(row("co-city"), "co-city source up to date fallback");
    assert_eq!(row("b-mincome"), "b-mincome source outdated fallback");
    assert_eq!(
        row("housing-first"),
        "housing-first source unrecorded fallback"
    );
    assert_eq!(row("about"), "about source up to date missing");
    assert!(
        stdout.contains("  es: 2 up to date, 1 outdated, 1 unrecorded\n"),
        "{stdout}"
    );
    assert!(stdout.contains("  ca: 3 fallback, 1 missing\n"), "{stdout}");
    assert!(
        stdout.contains("content/practices/b-mincome.es.md: outdated, made from version "),
        "{stdout}"
    );

    // A site that hides untranslated practices has them missing, not falling back.
    site.write(
        "casebook.yaml",
        &format!(
            "{}untranslated: hide\n",
            common::CONFIG.replace("[en, es]", "[en, es, ca]")
        ),
    );
    let (_, stdout, _) = site.cli(&["translations"]);
    assert!(stdout.contains("  ca: 4 missing\n"), "{stdout}");
}

#[test]
fn the_status_report_as_json_for_dashboards() {
    let site = site();
    let (code, stdout, stderr) = site.cli(&["translations", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON document");
    assert_eq!(v["source_language"], "en");
    assert_eq!(v["languages"], serde_json::json!(["en", "es", "ca"]));
    let item = |slug: &str| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["slug"] == slug)
            .unwrap()
            .clone()
    };
    let b = item("b-mincome");
    assert_eq!(b["section"], "practices");
    let es = &b["languages"][1];
    assert_eq!(es["lang"], "es");
    assert_eq!(es["status"], "outdated");
    assert_eq!(es["file"], "content/practices/b-mincome.es.md");
    let recorded = es["translated_from"].as_str().unwrap();
    let current = es["source_fingerprint"].as_str().unwrap();
    assert!(recorded.len() == 12 && current.len() == 12 && recorded != current);
    assert_eq!(
        es["changes"],
        serde_json::Value::Null,
        "no Git history here"
    );
    let ca = &b["languages"][2];
    assert_eq!(ca["status"], "fallback");
    assert_eq!(ca["shown"], "en");
    assert_eq!(item("about")["section"], "pages");
    assert_eq!(item("about")["languages"][2]["status"], "missing");
    assert_eq!(item("co-city")["languages"][0]["status"], "source");
    assert_eq!(
        item("housing-first")["languages"][1]["status"],
        "unrecorded"
    );
}

#[test]
fn a_site_that_does_not_load_gets_its_problems() {
    let site = site();
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "povrty", ""),
    );
    let (code, stdout, stderr) = site.cli(&["translations"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stderr.contains("unknown topic `povrty`"), "{stderr}");
}

fn git(site: &Site, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Editor",
            "-c",
            "user.email=editor@example.org",
        ])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(site.root())
        .env("GIT_COMMITTER_DATE", "2024-05-02T10:00:00Z")
        .env("GIT_AUTHOR_DATE", "2024-05-02T10:00:00Z")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn with_git_history_the_report_says_when_and_what_changed() {
    let site = site();
    let source = site.root().join("content/practices/co-city.md");
    git(&site, &["init", "-q"]);
    git(&site, &["add", "-A"]);
    git(&site, &["commit", "-qm", "the practices"]);
    let text = std::fs::read_to_string(&source).unwrap();
    std::fs::write(
        &source,
        text.replace(
            "summary: A summary of CO-CITY.",
            "summary: A better summary of CO-CITY.",
        ) + "\n## Results\n\n50 pacts were signed.\n",
    )
    .unwrap();
    git(&site, &["commit", "-qam", "co-city: results"]);
    let (code, stdout, stderr) = site.cli(&["translations"]);
    assert_eq!(code, 0, "{stderr}");
    let at = stdout
        .find("content/practices/co-city.es.md: outdated")
        .unwrap_or_else(|| panic!("{stdout}"));
    let block: Vec<&str> = stdout[at..].lines().take(4).collect();
    assert!(
        block[1].starts_with("  made from the source as committed on 2024-05-02 (")
            && block[1].contains("); it changed on 2024-05-02 ("),
        "{block:?}"
    );
    assert_eq!(block[2], "  texts: Summary");
    assert_eq!(block[3], "  body: «Results» added");

    let (_, stdout, _) = site.cli(&["translations", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let co_city = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["slug"] == "co-city")
        .unwrap();
    let changes = &co_city["languages"][1]["changes"];
    assert_eq!(changes["fields"], serde_json::json!(["Summary"]));
    assert_eq!(
        changes["sections"],
        serde_json::json!([{ "heading": "Results", "change": "added" }])
    );
    assert_eq!(changes["made_from"]["date"], "2024-05-02");
}
