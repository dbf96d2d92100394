//! Inputs whose cost would grow with the square of a list: each is cut short by a named
//! limit (docs/diagnostics.md, "Limits") with one located diagnostic, instead of one per
//! item, so that time and memory stay linear in the size of the input.

mod common;

use casebook::diagnostics::{Code, Severity};
use common::hostile::{at, shown, site_with, the_error};
use common::{Site, practice};

/// A practice file whose front matter adds `extra` lines to a valid one.
fn with(extra: &str) -> Vec<u8> {
    practice("Many", "poverty", extra).into_bytes()
}

fn list(n: usize, item: impl Fn(usize) -> String) -> String {
    let items: Vec<String> = (0..n).map(item).collect();
    format!("[{}]", items.join(", "))
}

#[test]
fn a_topics_list_of_100000_unknown_terms_gets_one_diagnostic() {
    // 100,000 terms, 1.1 MB on one line: one diagnostic per term, each holding the line,
    // once needed gigabytes.
    let topics = list(100_000, |i| format!("unknown-{i}"));
    let text = practice("Many", &topics[1..topics.len() - 1], "");
    let d = the_error(&site_with(&[("many.md", text.into_bytes())]));
    assert_eq!(d.code, Code::BadValue);
    assert_eq!(d.message, "`topics` lists 100000 terms; the limit is 50");
    assert_eq!(at(&d), "content/practices/many.md:5:9");
    assert!(d.hint.as_deref().unwrap().contains("at most 50 topics"));
    let shown = d.render_human(false);
    assert!(shown.len() < 1000, "{} bytes shown", shown.len());
}

#[test]
fn long_lists_of_names_are_refused_at_their_field() {
    for (field, item) in [
        ("adapted_by", "Place {}"),
        ("related", "practice-{}"),
        ("partners", "Partner {}"),
    ] {
        let value = list(20_000, |i| item.replace("{}", &i.to_string()));
        let site = site_with(&[("many.md", with(&format!("{field}: {value}\n")))]);
        let d = the_error(&site);
        assert_eq!(d.code, Code::BadValue, "{field}");
        assert_eq!(
            d.message,
            format!("`{field}` lists 20000 entries; the limit is 200")
        );
        let column = field.len() + 3;
        assert_eq!(at(&d), format!("content/practices/many.md:8:{column}"));
    }
}

#[test]
fn a_key_figures_list_past_the_limit_is_refused() {
    let figures = list(1_000, |i| format!("{{ value: \"{i}\", label: things }}"));
    let site = site_with(&[("many.md", with(&format!("key_figures: {figures}\n")))]);
    let d = the_error(&site);
    assert_eq!(
        (d.message.as_str(), at(&d).as_str()),
        (
            "`key_figures` lists 1000 entries; the limit is 200",
            "content/practices/many.md:8:14"
        )
    );
}

/// casebook.yaml with `terms` topics, each labelled in English only, in a site of `langs`.
fn config_with_terms(terms: usize, langs: &str) -> String {
    let mut config = format!(
        "base_url: https://example.org/\nlanguages: {langs}\ntaxonomies:\n  topics:\n    poverty: {{ en: Poverty, es: Pobreza }}\n"
    );
    for i in 0..terms {
        config.push_str(&format!("    term-{i}: {{ en: Term {i} }}\n"));
    }
    config
}

#[test]
fn a_file_shows_at_most_50_diagnostics_then_counts_the_rest() {
    // 300 topics without a Spanish label: 300 warnings, of which 50 are shown.
    let site = Site::with_config(&config_with_terms(300, "[en, es]"));
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", ""),
    );
    let warnings = site.build_ok().warnings;
    assert_eq!(warnings.len(), 51, "{}", shown(&warnings));
    let last = warnings.last().unwrap();
    assert_eq!(last.severity, Severity::Warning);
    assert_eq!(at(last), "casebook.yaml");
    assert_eq!(
        last.message,
        "250 more problems in this file are not shown (at most 50 per file)"
    );
    assert!(warnings[..50].iter().all(|w| w.code == Code::MissingLabel));
}

#[test]
fn vocabularies_and_languages_past_their_limits_are_refused() {
    let site = Site::with_config(&config_with_terms(5_000, "[en]"));
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", ""),
    );
    let d = the_error(&site);
    assert_eq!(d.code, Code::ConfigInvalid);
    assert_eq!(d.message, "`topics` declares 5001 terms; the limit is 1000");
    // At the first term past the limit.
    assert_eq!(at(&d), "casebook.yaml:1005:5");

    let codes: Vec<String> = (0..26 * 26)
        .map(|i| {
            format!(
                "{}{}",
                (b'a' + (i / 26) as u8) as char,
                (b'a' + (i % 26) as u8) as char
            )
        })
        .collect();
    let site = Site::with_config(&format!(
        "base_url: https://example.org/\nlanguages: [{}]\ntaxonomies:\n  topics:\n    poverty: {{ en: Poverty }}\n",
        codes.join(", ")
    ));
    let d = the_error(&site);
    assert_eq!(
        d.message,
        "`languages` lists 676 languages; the limit is 100"
    );
    assert_eq!(at(&d), "casebook.yaml:2:12");
}

#[test]
fn twenty_thousand_headings_of_one_text_get_their_ids_in_linear_time() {
    // Each heading once searched `same`, `same-1`, … from the start: 200 million tries.
    let body: String = "## Same\n\n".repeat(20_000);
    let site = site_with(&[(
        "many.md",
        (practice("Many", "poverty", "") + &body).into_bytes(),
    )]);
    let (code, _, stderr) = common::hostile::cli_within(&site, &["build"], &[], 60)
        .expect("the build did not finish in a minute");
    assert_eq!(code, 0, "{stderr}");
    let page = site.read("en/practices/many/index.html");
    assert!(page.contains("<h2 id=\"same\">") && page.contains("<h2 id=\"same-19999\">"));
}

#[test]
fn fifty_thousand_links_to_practices_resolve_in_linear_time() {
    // Each resolved link once rewrote the whole HTML of its body: 49 s in a release build.
    let body: String = "[again](@/practices/many.md) ".repeat(50_000);
    let site = site_with(&[(
        "many.md",
        (practice("Many", "poverty", "") + &body).into_bytes(),
    )]);
    let (code, _, stderr) = common::hostile::cli_within(&site, &["build"], &[], 60)
        .expect("the build did not finish in a minute");
    assert_eq!(code, 0, "{stderr}");
    let page = site.read("en/practices/many/index.html");
    assert_eq!(page.matches("href=\"/en/practices/many/\"").count(), 50_002);
}

#[test]
fn twenty_thousand_broken_anchors_are_checked_in_linear_time_and_shown_50() {
    // Each broken anchor once looked for a suggestion among 20,000 headings, and found its
    // line from the start of the file: over 5 minutes in a release build.
    let headings: String = (0..20_000).map(|i| format!("## H {i}\n\n")).collect();
    let anchors: String = (0..20_000).map(|i| format!("[a](#nope-{i}) ")).collect();
    let text = practice("Many", "poverty", "") + &headings + &anchors;
    let site = site_with(&[("many.md", text.into_bytes())]);
    let (code, stdout, stderr) =
        common::hostile::cli_within(&site, &["check", "--format", "json"], &[], 60)
            .expect("the check did not finish in a minute");
    assert_eq!(code, 1, "{stderr}");
    let lines: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("content/practices/many.md"))
        .collect();
    assert_eq!(lines.len(), 51);
    // 19,950 broken anchors past the first 50, and the warning that the practice has no
    // Spanish version (errors are shown first).
    assert!(
        lines[50].contains(
            "\"message\":\"19951 more problems in this file are not shown (at most 50 per file)\""
        ),
        "{}",
        lines[50]
    );
}

#[test]
fn lists_and_maps_nested_past_the_limit_are_refused_where_they_go_too_deep() {
    // Each shape nests 17 levels (one past the limit) and 20,000; parsing recurses once per
    // level, so without the limit a deep enough file overflowed a thread's stack (at about
    // 55 levels in a debug build) and aborted casebook.
    for depth in [17usize, 20_000] {
        let staircase: String = (0..depth.min(2_000))
            .map(|i| format!("{}-\n", "  ".repeat(i + 1)))
            .collect();
        for (shape, value, line, column) in [
            ("compact", format!("\n{}x\n", "- ".repeat(depth)), 9, 31),
            (
                "flow",
                format!(" {}{}\n", "[".repeat(depth), "]".repeat(depth)),
                8,
                23,
            ),
            ("staircase", format!("\n{staircase}"), 24, 33),
        ] {
            let file = with(&format!("extra:{value}"));
            let site = site_with(&[("deep.md", file)]);
            let d = the_error(&site);
            assert_eq!(d.code, Code::YamlSyntax, "{shape} {depth}");
            assert_eq!(
                d.message, "lists and maps are nested here more than 16 levels deep",
                "{shape} {depth}"
            );
            assert_eq!(
                at(&d),
                format!("content/practices/deep.md:{line}:{column}"),
                "{shape} {depth}"
            );
        }
    }
    // casebook.yaml and the i18n files are read with the same limit; a deep value there is
    // refused at its line (as an unknown field or a wrong type, before it is descended).
    let deep = format!("{}{}", "[".repeat(20_000), "]".repeat(20_000));
    let site = Site::with_config(&format!("{}extra: {deep}\n", common::CONFIG));
    let d = the_error(&site);
    let last = common::CONFIG.lines().count() + 1;
    assert_eq!(at(&d), format!("casebook.yaml:{last}:1"), "{}", d.message);
    let site = Site::new();
    site.write("i18n/en.yaml", &format!("search: {deep}\n"));
    let d = the_error(&site);
    assert!(
        at(&d).starts_with("i18n/en.yaml:1:"),
        "{}: {}",
        at(&d),
        d.message
    );
}
