//! Helpers for the hostile-input tests: the files of tests/hostile/, a site holding one valid
//! practice beside them, and the one error a build of it gives.

use casebook::diagnostics::Diagnostic;

use super::{Site, repo};

/// The bytes of `tests/hostile/<name>`.
pub fn hostile(name: &str) -> Vec<u8> {
    std::fs::read(repo().join("tests/hostile").join(name)).unwrap()
}

/// A site holding one valid practice and `files` (name → bytes) in content/practices/.
pub fn site_with(files: &[(&str, Vec<u8>)]) -> Site {
    let site = Site::new();
    site.write_bytes(
        "content/practices/co-city.md",
        &hostile("case-collision/co-city.md"),
    );
    for (name, bytes) in files {
        site.write_bytes(&format!("content/practices/{name}"), bytes);
    }
    site
}

/// Builds (expecting failure) and returns the errors, after checking that the output was
/// not written and that each has a hint.
pub fn the_errors(site: &Site) -> Vec<Diagnostic> {
    let failure = site.build().expect_err("the build should fail");
    assert!(!site.out().exists(), "a failed build wrote output");
    let errors: Vec<Diagnostic> = failure
        .diagnostics
        .into_iter()
        .filter(|d| d.is_error())
        .collect();
    for d in &errors {
        assert!(
            d.hint.as_deref().is_some_and(|h| !h.is_empty()),
            "no hint: {d:?}"
        );
    }
    errors
}

/// Builds (expecting failure) and returns the only error, after checking that the output
/// was not written.
pub fn the_error(site: &Site) -> Diagnostic {
    let errors = the_errors(site);
    assert_eq!(errors.len(), 1, "{}", shown(&errors));
    errors.into_iter().next().unwrap()
}

/// Diagnostics as a person reads them, for assertion messages.
pub fn shown(diags: &[Diagnostic]) -> String {
    diags.iter().map(|d| d.render_human(false)).collect()
}

/// `file:line:col` of a diagnostic (empty without a location).
pub fn at(d: &Diagnostic) -> String {
    d.location
        .as_ref()
        .map(|l| l.to_string())
        .unwrap_or_default()
}

/// Runs the casebook binary in the site with only `env` set, and waits for it to exit, at
/// most `seconds` (it is killed then): `None` when it did not exit in time, else (exit
/// code, stdout, stderr).
pub fn cli_within(
    site: &Site,
    args: &[&str],
    env: &[(&str, &str)],
    seconds: u64,
) -> Option<(i32, String, String)> {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(args)
        .current_dir(site.root())
        .env_clear()
        .envs(env.iter().copied())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run casebook");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        if child.try_wait().expect("wait for casebook").is_some() {
            let out = child.wait_with_output().expect("read casebook's output");
            return Some((
                out.status.code().unwrap_or(-1),
                String::from_utf8_lossy(&out.stdout).into_owned(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            ));
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Makes a named pipe (FIFO) at `path`.
pub fn mkfifo(path: &std::path::Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let made = std::process::Command::new("mkfifo").arg(path).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo {}", path.display());
}
