//! A draft that is not being built does not fail the site: its problems are warnings (in
//! build, check and serve), and errors again with `--drafts`. Links from published pages to
//! a draft stay errors.

mod common;

use std::time::Duration;

use casebook::diagnostics::{Code, Severity};
use common::serve::Server;
use common::{Site, practice, snapshot, translation};

fn site() -> Site {
    let site = Site::new();
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", ""),
    );
    site
}

#[test]
fn a_new_practice_and_its_translation_leave_check_and_build_passing_with_warnings() {
    let site = site();
    for args in [
        &["new", "practice", "housing-first"][..],
        &["new", "practice", "housing-first", "--lang", "es"],
    ] {
        let (code, _, stderr) = site.cli(args);
        assert_eq!(code, 0, "{stderr}");
    }
    let (code, stdout, stderr) = site.cli(&["check"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    for shown in [
        "warning[E0103]: required field `summary` has no value\n  --> content/practices/housing-first.md:",
        "warning[E0111]: `topics` is empty",
        "note: this file is a draft: its problems fail only a build with --drafts, or once it is published (content/practices/housing-first.md:6:1)",
    ] {
        assert!(stderr.contains(shown), "`{shown}` in:\n{stderr}");
    }
    assert!(!stderr.contains("error["), "{stderr}");
    let (code, _, _) = site.cli(&["check", "--deny-warnings"]);
    assert_eq!(code, 1, "the warnings are warnings");

    let (code, stdout, stderr) = site.cli(&["build"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stderr.contains("warning[E0103]"), "{stderr}");
    assert!(site.exists("en/practices/co-city/index.html"));
    assert!(!site.exists("en/practices/housing-first/index.html"));

    // With --drafts they are errors, and the build writes nothing.
    let before = snapshot(&site.out());
    let (code, _, stderr) = site.cli(&["build", "--drafts"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("error[E0103]: required field `summary` has no value"),
        "{stderr}"
    );
    assert!(!stderr.contains("this file is a draft"), "{stderr}");
    assert!(snapshot(&site.out()) == before);
    let (code, _, _) = site.cli(&["check", "--drafts"]);
    assert_eq!(code, 1);
}

#[test]
fn a_draft_whose_yaml_does_not_parse_is_known_by_its_draft_line() {
    let site = site();
    site.write(
        "content/practices/wip.md",
        "---\ndraft: true\ntitle: Housing First: a home\n---\nBody.\n",
    );
    let summary = site.build_ok();
    let d = summary
        .warnings
        .iter()
        .find(|d| d.code == Code::YamlSyntax)
        .expect("the YAML mistake, as a warning");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(
        d.location.as_ref().unwrap().to_string(),
        "content/practices/wip.md:3:21"
    );
    assert_eq!(
        d.notes[0].location.to_string(),
        "content/practices/wip.md:2:1"
    );
    // Without `draft: true`, the same file fails the build.
    site.write(
        "content/practices/wip.md",
        "---\ntitle: Housing First: a home\n---\nBody.\n",
    );
    let failure = site.build().unwrap_err();
    assert_eq!(failure.diagnostics[0].severity, Severity::Error);
}

#[test]
fn a_draft_translation_is_held_back_alone_and_links_to_drafts_are_errors() {
    let site = site();
    // Draft is per file: the Spanish draft is left out, the English version is published.
    site.write(
        "content/practices/co-city.es.md",
        &translation("CO-CITY ES", "draft: true\ntopics: [povrety]\n"),
    );
    site.write(
        "content/practices/wip.md",
        &practice("WIP", "poverty", "draft: true\n").replace("summary: A summary of WIP.\n", ""),
    );
    let summary = site.build_ok();
    let found: Vec<String> = summary
        .warnings
        .iter()
        .map(|d| format!("{} {}", d.location.as_ref().unwrap(), d.message))
        .collect();
    assert!(
        found.contains(&"content/practices/co-city.es.md:6:10 unknown topic `povrety`".into()),
        "{found:?}"
    );
    assert!(site.exists("en/practices/co-city/index.html"));
    assert!(!site.exists("es/practices/co-city/index.html"));
    // A published page that links to a draft fails, whether the draft parses or not.
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\nSee [WIP](@/practices/wip.md).\n",
    );
    let before = snapshot(&site.out());
    let failure = site.build().unwrap_err();
    assert!(snapshot(&site.out()) == before, "a failed build wrote");
    let d = failure
        .diagnostics
        .iter()
        .find(|d| d.code == Code::BrokenLink)
        .expect("a broken link");
    assert_eq!(
        (
            d.location.as_ref().unwrap().to_string().as_str(),
            d.message.as_str()
        ),
        (
            "content/pages/about.md:4:5",
            "link to a practice that is a draft: `wip`"
        )
    );
    assert!(
        d.hint.as_deref().unwrap().contains(
            "remove `draft: true` from content/practices/wip.md), remove the link, or build with --drafts"
        ),
        "{:?}",
        d.hint
    );
}

#[test]
fn serve_shows_a_drafts_problems_as_warnings_and_serves_the_site() {
    let site = site();
    let (code, _, stderr) = site.cli(&["new", "practice", "housing-first"]);
    assert_eq!(code, 0, "{stderr}");
    let server = Server::start(site.root(), &[]);
    server.wait_printed("warning[E0103]", Duration::from_secs(30));
    assert!(
        server.printed().contains("this file is a draft"),
        "{}",
        server.printed()
    );
    let reply = server.get("/en/practices/co-city/");
    assert_eq!(reply.status, 200);
    assert!(!server.printed().contains("error["), "{}", server.printed());
}
