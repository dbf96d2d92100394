//! The CI recipes of docs/ci.md: every casebook command in them runs as written against a
//! copy of the demo catalogue (with GitHub's or GitLab's environment), and a typo turns into
//! a GitHub annotation.

mod common;

use std::path::Path;
use std::process::Command;

use common::{copy_dir, repo};

/// The casebook commands of each ```yaml block, with the block's heading.
fn recipe_commands() -> Vec<(String, String)> {
    let doc = std::fs::read_to_string(repo().join("docs/ci.md")).unwrap();
    let mut out = Vec::new();
    let mut heading = String::new();
    let mut in_yaml = false;
    for line in doc.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            heading = h.to_string();
        } else if line.starts_with("```yaml") {
            in_yaml = true;
        } else if line.starts_with("```") {
            in_yaml = false;
        } else if in_yaml && let Some(i) = line.find("./target/release/casebook ") {
            out.push((heading.clone(), line[i..].to_string()));
        }
    }
    out
}

/// A copy of the demo catalogue's sources, without its theme folder (the built-in one is used).
fn demo_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        repo().join("casebook.yaml"),
        dir.path().join("casebook.yaml"),
    )
    .unwrap();
    copy_dir(&repo().join("content"), &dir.path().join("content"));
    copy_dir(&repo().join("static"), &dir.path().join("static"));
    dir
}

fn run(dir: &Path, heading: &str, command: &str) -> std::process::Output {
    let bin = env!("CARGO_BIN_EXE_casebook");
    let command = command
        .replace("./target/release/casebook", bin)
        .replace("$CI_PAGES_URL", "https://group.gitlab.io/catalogue");
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(&command).current_dir(dir);
    cmd.env_remove("GITHUB_ACTIONS");
    if heading == "GitHub Actions" {
        cmd.env("GITHUB_ACTIONS", "true");
    }
    cmd.output().unwrap()
}

#[test]
fn every_casebook_command_of_the_recipes_runs_on_the_demo_catalogue() {
    let commands = recipe_commands();
    let headings: Vec<&str> = commands.iter().map(|(h, _)| h.as_str()).collect();
    assert_eq!(
        headings,
        ["GitHub Actions", "GitHub Actions", "GitLab CI", "GitLab CI"],
        "{commands:?}"
    );
    let dir = demo_copy();
    for (heading, command) in &commands {
        let out = run(dir.path(), heading, command);
        assert!(
            out.status.success(),
            "{heading}: `{command}` failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(
        dir.path()
            .join("site/en/practices/co-city/index.html")
            .is_file()
    );
    let gitlab = std::fs::read_to_string(dir.path().join("public/en/index.html")).unwrap();
    assert!(
        gitlab.contains("href=\"https://group.gitlab.io/catalogue/en/\""),
        "GitLab Pages address as base URL"
    );
}

#[test]
fn a_typo_in_a_pull_request_becomes_an_annotation_on_its_line() {
    let dir = demo_copy();
    let file = dir.path().join("content/practices/co-city.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("urban-commons", "urban-comons", 1)).unwrap();
    let line = text.lines().position(|l| l.starts_with("topics:")).unwrap() + 1;
    let (heading, check) = recipe_commands()
        .into_iter()
        .find(|(h, c)| h == "GitHub Actions" && c.contains(" check "))
        .unwrap();
    let out = run(dir.path(), &heading, &check);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let expected = format!(
        "::error file=content/practices/co-city.md,line={line},col=10,endColumn=22,title=E0102 unknown-term::unknown topic `urban-comons`%0Ahint: did you mean `urban-commons`?"
    );
    assert!(stdout.lines().any(|l| l.starts_with(&expected)), "{stdout}");
}
