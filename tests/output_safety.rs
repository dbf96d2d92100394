//! casebook never deletes or overwrites what it did not create, and never writes into the
//! site's own folders.

mod common;
#[path = "output_safety/exact.rs"]
mod exact;

use common::{Site, practice, snapshot};

/// A site with a previous build in output/, which a refused build must leave as it was.
fn site() -> Site {
    let site = Site::new();
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", ""),
    );
    site.build_ok();
    assert!(site.out().join("en/index.html").exists());
    site
}

fn refused(site: &Site, output: &str, message: &str) {
    let before = snapshot(site.root());
    let (code, _, stderr) = site.cli(&["build", "--output", output]);
    assert_eq!(code, 1, "--output {output} should be refused: {stderr}");
    assert!(
        stderr.contains("error[E0401]") && stderr.contains(message),
        "{stderr}"
    );
    assert!(
        stderr.contains("the output folder was not changed"),
        "{stderr}"
    );
    assert!(
        snapshot(site.root()) == before,
        "--output {output}: files changed"
    );
}

#[test]
fn refuses_the_site_its_parent_and_its_source_folders() {
    let site = site();
    refused(&site, ".", "is the site itself or a folder above it");
    refused(&site, "..", "is the site itself or a folder above it");
    refused(&site, "content/out", "inside the site's content/ folder");
    refused(&site, "content", "inside the site's content/ folder");
    refused(&site, "themes", "inside the site's themes/ folder");
    refused(&site, "static/x", "inside the site's static/ folder");
}

#[test]
fn refuses_a_non_empty_folder_it_did_not_create() {
    let site = site();
    site.write("mine/notes.txt", "precious");
    refused(
        &site,
        "mine",
        "a non-empty folder that casebook did not create",
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join("mine/notes.txt")).unwrap(),
        "precious"
    );
}

#[test]
fn refuses_a_file_and_a_symlink() {
    let site = site();
    site.write("afile", "x");
    refused(&site, "afile", "is a file");
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("keep.txt"), "keep").unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), site.root().join("linked")).unwrap();
    refused(&site, "linked", "is a symbolic link");
    assert_eq!(
        std::fs::read_to_string(elsewhere.path().join("keep.txt")).unwrap(),
        "keep"
    );
}

#[test]
fn uses_an_empty_folder_and_replaces_its_own_output() {
    let site = site();
    std::fs::create_dir(site.root().join("empty")).unwrap();
    let (code, _, stderr) = site.cli(&["build", "--output", "empty"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(site.root().join("empty/en/index.html").exists());
    // A file left in casebook's own output is gone after the next build: the output is
    // replaced as a whole.
    std::fs::write(site.root().join("empty/stale.html"), "old").unwrap();
    let (code, _, _) = site.cli(&["build", "--output", "empty"]);
    assert_eq!(code, 0);
    assert!(!site.root().join("empty/stale.html").exists());
}

#[test]
fn a_content_folder_named_output_is_just_content() {
    let site = site();
    site.write("content/output/notes.txt", "mine");
    site.build_ok();
    assert_eq!(
        std::fs::read_to_string(site.root().join("content/output/notes.txt")).unwrap(),
        "mine"
    );
    site.build_ok();
    assert_eq!(
        std::fs::read_to_string(site.root().join("content/output/notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn dot_dot_in_the_output_path_cannot_reach_the_sources() {
    let site = site();
    refused(
        &site,
        "output/../content/x",
        "inside the site's content/ folder",
    );
    refused(
        &site,
        "./static/../static/y",
        "inside the site's static/ folder",
    );
}

#[test]
fn check_new_and_schema_write_only_what_they_say() {
    let site = site();
    let before = snapshot(site.root());
    for args in [&["check"][..], &["schema"][..]] {
        let (code, _, stderr) = site.cli(args);
        assert_eq!(code, 0, "{args:?}: {stderr}");
        assert!(snapshot(site.root()) == before, "{args:?} wrote files");
    }
    let (code, _, _) = site.cli(&["new", "practice", "fresh"]);
    assert_eq!(code, 0);
    let after = snapshot(site.root());
    let added: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    assert_eq!(added, ["content/practices/fresh.md"]);
    assert!(
        before.iter().all(|(k, v)| after.get(k) == Some(v)),
        "an existing file changed"
    );
}

#[test]
fn a_symbolic_link_on_the_way_to_the_output_is_followed_but_cannot_reach_the_sources() {
    let site = site();
    // A link into content/ does not smuggle the output into the sources.
    std::os::unix::fs::symlink("content", site.root().join("alias")).unwrap();
    refused(&site, "alias/out", "inside the site's content/ folder");
    // A link to a folder elsewhere leads to a real output there, and nothing else is
    // written in that folder (no staging folder is left behind).
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("keep.txt"), "keep").unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), site.root().join("ext")).unwrap();
    let (code, _, stderr) = site.cli(&["build", "--output", "ext/site"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(elsewhere.path().join("site/en/index.html").exists());
    let mut names: Vec<String> = std::fs::read_dir(elsewhere.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["keep.txt", "site"]);
    assert_eq!(
        std::fs::read_to_string(elsewhere.path().join("keep.txt")).unwrap(),
        "keep"
    );
}

#[test]
fn a_content_file_edited_during_a_build_stops_it_and_nothing_is_written() {
    let site = site();
    let before = snapshot(&site.out());
    let opts = casebook::BuildOptions::new(site.root());
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", "").replace("Body of", "New body of"),
    );
    // Parsed (and checked) first …
    let loaded = casebook::pipeline::load(&opts, &mut Default::default()).expect("the site loads");
    // … then saved again by an editor, with a link that was never checked, before the
    // pages are rendered (a build reads each body again when its page is rendered).
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", "").replace(
            "Body of CO-CITY.",
            "Now with [a link](@/practices/nowhere.md).",
        ),
    );
    let dest = casebook::output::absolute(&opts.output_dir());
    let (files, sealed): (casebook::output::Records, _) = (Default::default(), Default::default());
    let staging = casebook::output::Staging::begin(
        &dest,
        casebook::output::Staging::scan(site.root().join("staging"), &sealed, &sealed, None),
        &files,
        &sealed,
        &sealed,
        false,
    );
    let errors =
        casebook::pipeline::write(&loaded, &Default::default(), &staging, &Default::default())
            .expect_err("a build that renders what it did not check must not publish");
    staging.abort();
    let d = errors
        .iter()
        .find(|d| d.message.contains("changed while the site was being built"))
        .unwrap_or_else(|| panic!("{errors:#?}"));
    let loc = d.location.as_ref().expect("located");
    assert!(loc.file.ends_with("content/practices/co-city.md"), "{loc}");
    assert!(d.hint.as_deref().unwrap_or("").contains("build again"));
    assert_eq!(snapshot(&site.out()), before, "the output changed");
    // The next build checks the new text, and reports the broken link.
    let (code, _, stderr) = site.cli(&["build"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("nowhere"), "{stderr}");
}
