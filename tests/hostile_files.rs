//! Special files and symbolic links: casebook reads only regular files inside the site's
//! folder. A named pipe anywhere would block the build for ever; a link to a file elsewhere
//! on the machine would publish it (or show it in a diagnostic, in a public CI log).

mod common;

use std::os::unix::fs::symlink;

use casebook::diagnostics::Code;
use common::hostile::{at, cli_within, mkfifo, shown, site_with, the_error, the_errors};
use common::{Site, practice};

/// How long a check of a tiny site may take before it counts as hung: far more than it
/// needs (well under a second), so that a slow machine never fails it.
const HANG: u64 = 60;

#[test]
fn a_named_pipe_as_casebook_yaml_is_refused_not_waited_on() {
    let site = site_with(&[]);
    std::fs::remove_file(site.root().join("casebook.yaml")).unwrap();
    mkfifo(&site.root().join("casebook.yaml"));
    let (code, stdout, _) = cli_within(&site, &["check", "--format", "json"], &[], HANG)
        .expect("casebook check waited on a named pipe");
    assert_eq!(code, 1);
    let d: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(d["file"], "casebook.yaml");
    assert_eq!(d["code"], "E0001");
    assert_eq!(
        d["message"], "not a regular file but a named pipe (FIFO)",
        "{stdout}"
    );
}

#[test]
fn named_pipes_among_content_templates_i18n_and_static_files_are_reported() {
    let site = site_with(&[]);
    for rel in [
        "content/practices/pipe.md",
        "content/pages/pipe.md",
        "templates/partials/pipe.html",
        "i18n/es.yaml",
        "static/pipe.css",
    ] {
        mkfifo(&site.root().join(rel));
    }
    let errors = the_errors(&site);
    let found: Vec<(String, Code, String)> = errors
        .iter()
        .map(|d| (at(d), d.code, d.message.clone()))
        .collect();
    let pipe = |rel: &str| {
        (
            rel.to_string(),
            Code::ReadError,
            "not a regular file but a named pipe (FIFO)".to_string(),
        )
    };
    assert_eq!(
        found,
        [
            pipe("content/pages/pipe.md"),
            pipe("content/practices/pipe.md"),
            pipe("i18n/es.yaml"),
            pipe("static/pipe.css"),
            pipe("templates/partials/pipe.html"),
        ],
        "{}",
        shown(&errors)
    );
}

/// A file outside the site holding a secret, and a site beside it.
fn site_and_secret() -> (Site, tempfile::TempDir, std::path::PathBuf) {
    let elsewhere = tempfile::tempdir().unwrap();
    let secret = elsewhere.path().join("secret.md");
    std::fs::write(&secret, practice("hunter2", "poverty", "")).unwrap();
    std::fs::create_dir(elsewhere.path().join("folder")).unwrap();
    std::fs::write(
        elsewhere.path().join("folder/inner.md"),
        practice("hunter2", "poverty", ""),
    )
    .unwrap();
    (site_with(&[]), elsewhere, secret)
}

#[test]
fn links_that_lead_outside_the_site_are_refused_wherever_they_are() {
    let (site, elsewhere, secret) = site_and_secret();
    let root = site.root();
    symlink(&secret, root.join("content/practices/leak.md")).unwrap();
    symlink(
        elsewhere.path().join("folder"),
        root.join("content/pages/more"),
    )
    .unwrap();
    std::fs::create_dir_all(root.join("static")).unwrap();
    symlink(&secret, root.join("static/leak.txt")).unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    symlink(&secret, root.join("templates/page.html")).unwrap();
    std::fs::create_dir_all(root.join("i18n")).unwrap();
    symlink(&secret, root.join("i18n/en.yaml")).unwrap();
    let errors = the_errors(&site);
    let found: Vec<String> = errors.iter().map(at).collect();
    assert_eq!(
        found,
        [
            "content/pages/more",
            "content/practices/leak.md",
            "i18n/en.yaml",
            "static/leak.txt",
            "templates/page.html"
        ],
        "{}",
        shown(&errors)
    );
    for d in &errors {
        assert_eq!(d.code, Code::ReadError);
        assert!(
            d.message.starts_with("symbolic link to `/") && d.message.ends_with("outside the site"),
            "{}",
            d.message
        );
        assert!(
            d.hint
                .as_deref()
                .unwrap()
                .contains("inside the site's folder")
        );
    }
    assert!(!shown(&errors).contains("hunter2"));
}

#[test]
fn a_link_to_proc_self_environ_puts_no_environment_variable_anywhere() {
    let site = site_with(&[]);
    symlink(
        "/proc/self/environ",
        site.root().join("content/practices/env.md"),
    )
    .unwrap();
    symlink(
        "/proc/self/environ",
        site.root().join("content/pages/env.yaml"),
    )
    .unwrap();
    for format in ["human", "json", "github"] {
        let (code, stdout, stderr) = cli_within(
            &site,
            &["build", "--format", format],
            &[("CASEBOOK_SECRET", "hunter2")],
            HANG,
        )
        .expect("casebook build hung");
        assert_eq!(code, 1, "{stderr}");
        assert!(
            !stdout.contains("hunter2") && !stderr.contains("hunter2"),
            "{stdout}{stderr}"
        );
        assert!(
            (stdout.clone() + &stderr).contains("content/practices/env.md"),
            "{stdout}{stderr}"
        );
    }
    assert!(!site.out().exists());
}

#[test]
fn a_link_to_casebook_yaml_outside_the_site_is_refused() {
    let (site, _elsewhere, secret) = site_and_secret();
    let config = site.root().join("casebook.yaml");
    std::fs::remove_file(&config).unwrap();
    symlink(&secret, &config).unwrap();
    let d = the_error(&site);
    assert_eq!((d.code, at(&d)), (Code::ReadError, "casebook.yaml".into()));
    assert!(!d.render_human(false).contains("hunter2"));
}

#[test]
fn links_that_stay_inside_the_site_are_followed() {
    let site = site_with(&[]);
    let root = site.root();
    site.write("shared/other.md", &practice("Shared", "housing", ""));
    symlink(
        "../../shared/other.md",
        root.join("content/practices/other.md"),
    )
    .unwrap();
    site.write(
        "shared/img/a.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    std::fs::create_dir_all(root.join("static")).unwrap();
    symlink("../shared/img", root.join("static/img")).unwrap();
    site.build_ok();
    assert_eq!(
        common::texts(&site.html("en/practices/other/index.html"), "h1"),
        ["Shared"]
    );
    assert!(site.exists("img/a.svg"));
    // A dangling link is an error at the link, not a silent gap.
    symlink("missing.md", root.join("content/practices/dangling.md")).unwrap();
    let d = the_error(&site_with_output_removed(site));
    assert_eq!(at(&d), "content/practices/dangling.md");
    assert!(d.message.starts_with("cannot read"), "{}", d.message);
}

fn site_with_output_removed(site: Site) -> Site {
    std::fs::remove_dir_all(site.out()).unwrap();
    site
}
