//! Property tests: the parsers that read user files never panic, and what they return is
//! consistent, whatever the input. Cases per property: 512 by default; set PROPTEST_CASES
//! for a longer run (e.g. `PROPTEST_CASES=20000 cargo test --release --test properties`).
//! tests/fuzz.rs mutates real files for a bounded time; here, generators build hostile
//! structure on purpose.

mod common;

use std::path::Path;

use casebook::diagnostics::Diagnostic;
use casebook::document;
use casebook::input::config;
use casebook::input::content::{Section, SourceFile};
use casebook::input::file_name as filename;
use casebook::input::front_matter as frontmatter;
use proptest::prelude::*;

const CONFIG: &str = "base_url: https://example.org/\nlanguages: [en, es]\ntaxonomies:\n  topics:\n    poverty: { en: Poverty, es: Pobreza }\n  programmes:\n    uia: { en: UIA, es: UIA }\n";

fn cases() -> ProptestConfig {
    common::property_cases(512)
}

/// Lines that look like front matter: known keys, odd values, fences, tabs, anchors.
fn yamlish() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("title"),
        Just("city"),
        Just("country"),
        Just("topics"),
        Just("summary"),
        Just("published"),
        Just("start"),
        Just("end"),
        Just("budget"),
        Just("coordinates"),
        Just("image"),
        Just("owner"),
        Just("related"),
        Just("key_figures"),
        Just("draft"),
        Just("level"),
        Just("programme"),
        Just("partners"),
        Just("x"),
    ];
    let value = prop_oneof![
        Just("".to_string()),
        Just("[poverty]".to_string()),
        Just("2024-02-30".to_string()),
        Just("{ total: -1, eu: .inf }".to_string()),
        Just("[91, 181]".to_string()),
        Just("&a [*a, *a]".to_string()),
        Just("\"\\u202e<script>\"".to_string()),
        Just("{ src: ../x, alt: \"\" }".to_string()),
        Just("- - - -".to_string()),
        "[ -~\t]{0,20}",
    ];
    let line = prop_oneof![
        (key, value).prop_map(|(k, v)| format!("{k}: {v}")),
        Just("---".to_string()),
        Just("  - nested".to_string()),
        Just("\t- tab".to_string()),
        "[ -~]{0,30}",
    ];
    prop::collection::vec(line, 0..16)
        .prop_map(|lines| format!("---\n{}\n---\nbody\n", lines.join("\n")))
}

/// Front matter with hostile structure: deep nesting, long lists, control characters,
/// anchors and aliases, tags, several documents, a byte-order mark, CRLF or lone CR line
/// breaks, tabs.
fn hostile_structure() -> impl Strategy<Value = String> {
    let part = prop_oneof![
        (
            1usize..3_000,
            prop_oneof![Just("["), Just("{a: "), Just("- "), Just("  - ")]
        )
            .prop_map(|(n, open)| format!("topics: {}\n", open.repeat(n))),
        (
            1usize..3_000,
            prop_oneof![Just("poverty"), Just("Place x"), Just("\"\\x1b\"")]
        )
            .prop_map(|(n, item)| format!("adapted_by: [{}]\n", vec![item; n].join(", "))),
        (0u32..0x20).prop_map(|c| format!("title: a{}b\n", char::from_u32(c).unwrap_or(' '))),
        Just("title: &t T\ncity: *t\n".to_string()),
        Just("a: &a [x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n".to_string()),
        Just("title: !!binary aGVsbG8=\n".to_string()),
        Just("title: !custom T\n".to_string()),
        Just("title: T\n---\ntitle: U\n...\n".to_string()),
        Just("%YAML 1.2\n---\n".to_string()),
        Just("summary: |\n\tTabbed\n".to_string()),
        Just("? [complex, key]\n: value\n".to_string()),
        Just("published: 2024-01-15\n".to_string()),
        yamlish().prop_map(|s| s.replace("---\n", "")),
    ];
    (
        prop::collection::vec(part, 1..6),
        any::<bool>(),
        prop_oneof![Just("\n"), Just("\r\n"), Just("\r")],
    )
        .prop_map(|(parts, bom, eol)| {
            let text = format!("---\n{}---\nBody\n", parts.concat()).replace('\n', eol);
            if bom { format!("\u{feff}{text}") } else { text }
        })
}

fn located_within(diags: &[Diagnostic], text: &str) {
    let lines = text.lines().count() + 1;
    for d in diags {
        if let Some(loc) = &d.location {
            assert!(
                loc.line <= lines,
                "{d:?} points past the end ({lines} lines)"
            );
        }
        assert!(!d.message.is_empty());
    }
}

fn source_file(text: String, section: Section) -> SourceFile {
    SourceFile {
        section,
        rel: Path::new("content/practices/p.md").to_path_buf(),
        path: Path::new("content/practices/p.md").to_path_buf(),
        slug: "p".into(),
        lang: "en".into(),
        explicit_lang: false,
        text,
    }
}

proptest! {
    #![proptest_config(cases())]

    #[test]
    fn the_splitter_never_panics_and_keeps_offsets(text in any::<String>()) {
        if let Ok(split) = frontmatter::split(&text) {
            prop_assert_eq!(&text[split.body_offset..], split.body);
            prop_assert!(split.body_line >= 3);
            prop_assert!(text.contains(split.yaml));
        }
    }

    #[test]
    fn the_splitter_handles_fences_and_line_endings(parts in prop::collection::vec(prop_oneof![Just("---"), Just("--- "), Just("\r\n"), Just("\n"), Just("a: 1"), Just("\u{feff}")], 0..12)) {
        let text: String = parts.concat();
        let _ = frontmatter::split(&text);
    }

    #[test]
    fn file_names_parse_to_valid_slugs_or_suggest_one(name in any::<String>()) {
        match filename::parse(&name) {
            Ok(parsed) => {
                prop_assert!(config::is_slug(parsed.slug));
                if let Some(l) = parsed.lang {
                    prop_assert!(config::is_language_code(l));
                }
            }
            Err(filename::NameError::BadSlug(suggested)) => prop_assert!(config::is_slug(&suggested), "{}", suggested),
            Err(_) => {}
        }
    }

    #[test]
    fn front_matter_never_panics_on_arbitrary_text(text in any::<String>()) {
        let (config, _) = config::parse(CONFIG, Path::new("casebook.yaml"), None);
        let config = config.unwrap();
        for section in [Section::Practices, Section::Pages] {
            if let Err(diags) = document::parse(&source_file(text.clone(), section), &config) {
                prop_assert!(!diags.is_empty());
                located_within(&diags, &text);
            }
        }
    }

    #[test]
    fn front_matter_never_panics_on_yamlish_text(text in yamlish()) {
        let (config, _) = config::parse(CONFIG, Path::new("casebook.yaml"), None);
        let config = config.unwrap();
        match document::parse(&source_file(text.clone(), Section::Practices), &config) {
            Ok(_) => {}
            Err(diags) => {
                prop_assert!(!diags.is_empty());
                located_within(&diags, &text);
            }
        }
    }

    #[test]
    fn casebook_yaml_never_panics(text in any::<String>(), yamlish in yamlish()) {
        for t in [text, yamlish.replace("---\n", "")] {
            let (config, diags) = config::parse(&t, Path::new("casebook.yaml"), None);
            prop_assert!(config.is_some() || diags.iter().any(Diagnostic::is_error));
            located_within(&diags, &t);
        }
    }

    #[test]
    fn hostile_structure_is_parsed_in_bounded_time_with_located_diagnostics(text in hostile_structure()) {
        use common::fuzz::{Target, run_within};
        for target in [Target::Practice, Target::Page, Target::Config, Target::I18n] {
            let text = if target == Target::Practice || target == Target::Page {
                text.clone()
            } else {
                text.replace("---", "")
            };
            let result = run_within(target, text, std::time::Duration::from_secs(10));
            prop_assert!(result.is_ok(), "{:?}: {:?}", target, result);
        }
    }

    #[test]
    fn links_and_markdown_never_panic(text in any::<String>()) {
        let _ = casebook::document::link_target::classify(&text, Section::Practices);
        let r = casebook::document::markdown::render(&text, Default::default());
        for link in &r.links {
            prop_assert!(link.offset + link.len <= text.len());
        }
    }
}
