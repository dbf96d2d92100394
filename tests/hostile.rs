//! The hostile files of tests/hostile/: each gives one clear diagnostic, located, with a
//! hint, and never a panic, a hang or a half-written output. The 20 MB file and the symbolic
//! link loop are made here rather than committed.

mod common;

use casebook::diagnostics::Code;
use common::hostile::{at, hostile, site_with, the_error};

#[test]
fn bom_crlf_and_tabs_in_the_body_build() {
    let site = site_with(&[("windows.md", hostile("bom-crlf-tabs.md"))]);
    site.build_ok();
    let doc = site.html("en/practices/windows/index.html");
    assert_eq!(common::texts(&doc, "h1"), ["Tabs and CRLF"]);
    assert_eq!(common::texts(&doc, ".practice-body h2"), ["The challenge"]);
}

#[test]
fn tabs_in_front_matter_indentation() {
    let d = the_error(&site_with(&[("tabs.md", hostile("tab-indent.md"))]));
    assert_eq!(d.code, Code::YamlSyntax);
    assert_eq!(at(&d), "content/practices/tabs.md:6:1");
    assert_eq!(
        d.message,
        "line 6 is indented with a tab; YAML indents with spaces only"
    );
    assert_eq!(d.hint.unwrap(), "indent it with spaces: `  - poverty`");
}

#[test]
fn non_utf8_bytes() {
    let d = the_error(&site_with(&[("latin1.md", hostile("not-utf8.md"))]));
    assert_eq!(d.code, Code::NotUtf8);
    assert_eq!(at(&d), "content/practices/latin1.md:2:11");
}

#[test]
fn an_empty_file_and_a_file_that_is_only_a_fence() {
    let d = the_error(&site_with(&[("empty.md", hostile("empty.md"))]));
    assert_eq!(
        (d.code, at(&d)),
        (
            Code::FrontMatterMissing,
            "content/practices/empty.md:1:1".into()
        )
    );
    let d = the_error(&site_with(&[("fence.md", hostile("only-fence.md"))]));
    assert_eq!(
        (d.code, at(&d)),
        (
            Code::FrontMatterUnclosed,
            "content/practices/fence.md:1:1".into()
        )
    );
}

#[test]
fn a_20_mb_file_is_refused_without_reading_it() {
    let mut big = b"---\ntitle: Big\n---\n".to_vec();
    big.resize(20 * 1024 * 1024, b'x');
    let d = the_error(&site_with(&[("big.md", big)]));
    assert_eq!(d.code, Code::FileTooLarge);
    assert_eq!(d.message, "file is 20 MB; the limit is 8 MB");
}

#[test]
fn an_alias_bomb_is_stopped() {
    // In front matter, the expansion budget stops it where it would blow up; keys casebook
    // does not know are read (a site may declare them), so it is this budget that counts.
    let d = the_error(&site_with(&[("bomb.md", hostile("alias-bomb.md"))]));
    assert_eq!(
        (d.code, at(&d)),
        (Code::YamlSyntax, "content/practices/bomb.md:8:11".into())
    );
    assert!(d.hint.unwrap().contains("alias bomb"));
    // In an i18n file, read as free-form YAML, the expansion budget stops it.
    let site = site_with(&[]);
    let bomb = String::from_utf8(hostile("alias-bomb.md")).unwrap();
    let yaml: String = bomb
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()) && !l.starts_with("title"))
        .map(|l| format!("{l}\n"))
        .collect();
    site.write("i18n/en.yaml", &yaml);
    let d = the_error(&site);
    assert_eq!(d.code, Code::I18nInvalid);
    assert!(
        d.message.contains("too large or too complex"),
        "{}",
        d.message
    );
    assert!(d.hint.unwrap().contains("alias bomb"));
}

#[test]
fn deeply_nested_yaml() {
    let d = the_error(&site_with(&[("deep.md", hostile("deep-nesting.md"))]));
    assert_eq!(
        (d.code, at(&d)),
        (Code::WrongType, "content/practices/deep.md:2:8".into())
    );
    let shown = d.render_human(false);
    assert!(
        shown.len() < 1000,
        "a 200 KB line is shown in part: {} bytes",
        shown.len()
    );
    let site = site_with(&[]);
    site.write(
        "i18n/en.yaml",
        &format!("x: {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
    );
    let d = the_error(&site);
    assert_eq!(
        (d.message.as_str(), at(&d).as_str()),
        (
            "lists and maps are nested here more than 16 levels deep",
            "i18n/en.yaml:1:19"
        )
    );
    assert!(d.hint.unwrap().contains("no field needs this much nesting"));
}

#[test]
fn duplicate_keys() {
    let d = the_error(&site_with(&[("dup.md", hostile("duplicate-keys.md"))]));
    assert_eq!(
        (d.code, at(&d)),
        (Code::YamlSyntax, "content/practices/dup.md:8:1".into())
    );
    assert!(
        d.message.contains("`title` is given twice"),
        "{}",
        d.message
    );
}

#[test]
fn a_symlink_loop_in_content() {
    let site = site_with(&[]);
    std::os::unix::fs::symlink(".", site.root().join("content/practices/loop")).unwrap();
    let d = the_error(&site);
    assert_eq!(d.code, Code::ReadError);
    assert_eq!(d.message, "symbolic link loop");
    assert_eq!(at(&d), "content/practices/loop");
}

#[test]
fn file_names_with_spaces_or_non_ascii_characters() {
    let d = the_error(&site_with(&[(
        "name with spaces.md",
        hostile("name with spaces.md"),
    )]));
    assert_eq!(d.code, Code::BadFileName);
    assert!(d.hint.unwrap().contains("e.g. `name-with-spaces.md`"));
    let d = the_error(&site_with(&[("València.md", hostile("València.md"))]));
    assert_eq!(at(&d), "content/practices/València.md");
    assert!(d.hint.unwrap().contains("e.g. `valencia.md`"));
}

#[test]
fn slugs_that_collide_after_case_folding() {
    let d = the_error(&site_with(&[(
        "CO-CITY.md",
        hostile("case-collision/CO-CITY.md"),
    )]));
    assert_eq!(d.code, Code::BadFileName);
    assert_eq!(
        d.message,
        "`CO-CITY.md` and `co-city.md` differ only in case"
    );
    assert!(
        d.hint
            .unwrap()
            .contains("on macOS and Windows these two names are the same file")
    );
}

#[test]
fn check_gives_the_same_diagnostics_and_writes_nothing() {
    let site = site_with(&[("tabs.md", hostile("tab-indent.md"))]);
    let (code, _, stderr) = site.cli(&["check"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("--> content/practices/tabs.md:6:1"),
        "{stderr}"
    );
    assert!(!site.out().exists());
}

#[test]
fn classic_mac_line_breaks_are_lines_as_editors_show_them() {
    // Lone carriage returns: YAML and editors break lines there; casebook once saw one
    // line, and reported YAML errors on lines the file did not have.
    let text = String::from_utf8(hostile("case-collision/co-city.md"))
        .unwrap()
        .replace("published: 2024-01-15", "published: 2024-02-30")
        .replace('\n', "\r");
    let d = the_error(&site_with(&[("mac.md", text.into_bytes())]));
    assert_eq!(d.code, Code::BadDate);
    let line = String::from_utf8(hostile("case-collision/co-city.md"))
        .unwrap()
        .lines()
        .position(|l| l.starts_with("published:"))
        .unwrap()
        + 1;
    assert_eq!(at(&d), format!("content/practices/mac.md:{line}:12"));
}

#[test]
fn file_names_with_a_line_break_or_a_bidi_override_stay_on_their_line() {
    let site = site_with(&[
        ("new\nline.md", hostile("case-collision/co-city.md")),
        ("\u{202e}dm.evil.md", hostile("case-collision/co-city.md")),
    ]);
    let (code, _, stderr) = site.cli(&["check"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("--> content/practices/new\u{fffd}line.md\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--> content/practices/\u{fffd}dm.evil.md\n"),
        "{stderr}"
    );
    assert!(!stderr.contains('\u{202e}'), "{stderr}");
}
