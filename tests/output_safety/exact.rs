//! The output is exact and stays inside `--output`: two builds at once, a link placed
//! inside the output, a static file where a page goes, `--output link/`.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::common::{Site, practice, snapshot};

fn site_with(practices: usize) -> Site {
    let site = Site::new();
    for i in 0..practices {
        site.write(
            &format!("content/practices/p{i:03}.md"),
            &practice(&format!("Practice {i}"), "poverty", ""),
        );
    }
    site
}

fn spawn_build(site: &Site) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["build", "--output", "output"])
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run casebook")
}

#[test]
fn a_build_waits_while_another_build_writes_the_same_output() {
    let site = site_with(3);
    // Another build holds the output: this test takes the lock a build takes.
    let held = std::fs::File::open(site.root()).unwrap();
    held.lock().unwrap();
    let mut child = spawn_build(&site);
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(
        line.contains("Waiting for another casebook build into")
            && line.contains("output to finish"),
        "{line}"
    );
    // It says it waits, and waits: nothing of the output exists while the lock is held.
    assert!(!site.out().exists());
    drop(held);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert!(child.wait().unwrap().success(), "{rest}");
    assert!(site.out().join("en/practices/p002/index.html").exists());
}

#[test]
fn two_builds_at_once_both_leave_the_whole_output() {
    let site = site_with(150);
    site.build_ok();
    let expected = snapshot(&site.out());
    std::fs::remove_dir_all(site.out()).unwrap();
    std::fs::remove_dir_all(site.root().join(".casebook")).unwrap();
    let children = [spawn_build(&site), spawn_build(&site)];
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(
        snapshot(&site.out()) == expected,
        "the output differs from one build's"
    );
}

#[test]
fn a_link_placed_inside_the_output_is_replaced_never_followed() {
    let site = site_with(2);
    site.build_ok();
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("keep.txt"), "keep").unwrap();
    let outside = snapshot(elsewhere.path());
    // A folder of the output and a file of it become links to a folder outside.
    let folder = site.out().join("en/practices/p000");
    std::fs::remove_dir_all(&folder).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), &folder).unwrap();
    let file = site.out().join("en/index.html");
    std::fs::remove_file(&file).unwrap();
    std::os::unix::fs::symlink(elsewhere.path().join("keep.txt"), &file).unwrap();
    // An edit, so that the build writes these pages again.
    site.write(
        "content/practices/p000.md",
        &practice("Practice zero", "poverty", ""),
    );
    site.build_ok();
    assert!(
        snapshot(elsewhere.path()) == outside,
        "a file outside the output changed"
    );
    assert!(!folder.symlink_metadata().unwrap().is_symlink());
    assert!(
        site.read("en/practices/p000/index.html")
            .contains("Practice zero")
    );
    assert!(!file.symlink_metadata().unwrap().is_symlink());
    assert!(site.read("en/index.html").contains("Practice zero"));
}

#[test]
fn a_static_file_where_a_page_goes_is_an_error_in_build_and_check() {
    for (rel, needs) in [
        ("static/en/index.html", "the page /en/"),
        ("static/sitemap.xml", "sitemap.xml"),
        ("static/en", "the page /en/"),
    ] {
        let site = site_with(1);
        site.build_ok();
        let before = snapshot(site.root());
        site.write(rel, "mine");
        let (code, _, stderr) = site.cli(&["build"]);
        assert_eq!(code, 1, "{rel}: {stderr}");
        assert!(stderr.contains("error[E0403]"), "{rel}: {stderr}");
        assert!(stderr.contains(&format!("--> {rel}")), "{rel}: {stderr}");
        assert!(stderr.contains(needs), "{rel}: {stderr}");
        assert!(
            stderr.contains("rename or move the static file"),
            "{rel}: {stderr}"
        );
        let mut after = snapshot(site.root());
        after.remove(rel);
        let mut unchanged = before.clone();
        unchanged.retain(|k, _| !k.starts_with(".casebook/"));
        after.retain(|k, _| !k.starts_with(".casebook/"));
        assert!(after == unchanged, "{rel}: the output changed");
        let (code, stdout, stderr) = site.cli(&["check"]);
        assert_eq!(code, 1, "{rel}: {stdout}{stderr}");
        assert!(
            format!("{stdout}{stderr}").contains("E0403"),
            "{rel}: {stdout}{stderr}"
        );
    }
}

#[test]
fn an_output_named_through_a_link_with_a_trailing_slash_is_refused() {
    let site = site_with(1);
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), site.root().join("linked")).unwrap();
    for output in ["linked", "linked/", "linked//"] {
        let (code, _, stderr) = site.cli(&["build", "--output", output]);
        assert_eq!(code, 1, "{output}: {stderr}");
        assert!(stderr.contains("is a symbolic link"), "{output}: {stderr}");
        assert!(
            std::fs::read_dir(elsewhere.path())
                .unwrap()
                .next()
                .is_none(),
            "{output}: wrote through the link"
        );
    }
}
