//! The common YAML mistakes of front matter, each said in plain words at its line and
//! column, with the corrected line in the hint; and a failed build writes nothing. The table
//! is the one of docs/diagnostics.md (E0101).

mod common;

use casebook::diagnostics::{Code, Diagnostic};
use common::{Site, practice, snapshot};

/// A practice file, lines 2–7 being the fields: title, city, country, topics, summary and
/// published.
const BASE: &str = "---\ntitle: CO-CITY\ncity: Turin\ncountry: IT\ntopics: [poverty]\nsummary: A summary.\npublished: 2024-01-15\n---\nBody.\n";

/// One mistake: the line of BASE it replaces, what replaces it, and what the editor reads.
struct Case {
    replace: &'static str,
    with: &'static str,
    at: &'static str,
    message: &'static str,
    hint: &'static str,
}

const CASES: &[Case] = &[
    Case {
        replace: "title: CO-CITY",
        with: "title: Housing First: a home",
        at: "2:21",
        message: "`: ` inside the value of `title` makes YAML read a new field here",
        hint: "write the value in quotes: `title: \"Housing First: a home\"`",
    },
    Case {
        replace: "title: CO-CITY",
        with: "title: #MarketPlace Lisbon",
        at: "2:8",
        message: "`#` starts a comment, so `title` has no value",
        hint: "write the value in quotes: `title: \"#MarketPlace Lisbon\"` (or put a space after `#` if it is a comment)",
    },
    Case {
        replace: "title: CO-CITY",
        with: "title: Lisbon #MarketPlace",
        at: "2:15",
        message: "` #` starts a comment, so `#MarketPlace` is left out of `title`",
        hint: "write the value in quotes: `title: \"Lisbon #MarketPlace\"` (or remove what follows `#`)",
    },
    Case {
        replace: "topics: [poverty]",
        with: "topics:\n\t- poverty",
        at: "6:1",
        message: "line 6 is indented with a tab; YAML indents with spaces only",
        hint: "indent it with spaces: `  - poverty`",
    },
    Case {
        replace: "summary: A summary.",
        with: "summary: >\n\tA summary.",
        at: "7:1",
        message: "line 7 is indented with a tab; YAML indents with spaces only",
        hint: "indent it with spaces, like the text of `summary`: `  A summary.`",
    },
    Case {
        replace: "country: IT",
        with: "  country: IT",
        at: "4:3",
        message: "`country` is indented more than `city` above it, which already has a value",
        hint: "line `country` up with `city`: `country: IT`",
    },
    Case {
        replace: "summary: A summary.",
        with: "owner:\n    organisation: City of Turin\n  url: https://www.comune.torino.it/\nsummary: A summary.",
        at: "8:3",
        message: "`url` is indented by 2 spaces, but `organisation` above it by 4",
        hint: "line the fields of a group up: `    url: https://www.comune.torino.it/`",
    },
    Case {
        replace: "summary: A summary.",
        with: "partners:\n  - City of Turin\n  University of Turin\nsummary: A summary.",
        at: "8:3",
        message: "this line is in the list of `partners` but does not start with `- `",
        hint: "start each item of a list with `- `: `  - University of Turin`",
    },
    Case {
        replace: "topics: [poverty]",
        with: "topics:\n  -poverty",
        at: "6:3",
        message: "a list item needs a space after `-`",
        hint: "write `  - poverty`",
    },
    Case {
        replace: "title: CO-CITY",
        with: "title: \"Housing First",
        at: "2:8",
        message: "the quote `\"` of `title` is never closed",
        hint: "close it on the same line: `title: \"Housing First\"`",
    },
    Case {
        replace: "title: CO-CITY",
        with: "title: \"The \"Housing First\" model\"",
        at: "2:13",
        message: "the quoted value of `title` ends at this `\"`, and text follows it",
        hint: "to keep `\"` inside the value, quote it with the other kind of quote: `title: 'The \"Housing First\" model'`",
    },
    Case {
        replace: "topics: [poverty]",
        with: "topics: [poverty, housing",
        at: "5:9",
        message: "the `[` of `topics` is never closed by a `]`",
        hint: "close it on the same line: `topics: [poverty, housing]`",
    },
    Case {
        replace: "published: 2024-01-15",
        with: "published: 2024-01-15\ntitle: CO-CITY again",
        at: "8:1",
        message: "`title` is given twice",
        hint: "a field can be given once: keep line 2 or line 8, and delete the other",
    },
    Case {
        replace: "title: CO-CITY",
        with: "title:CO-CITY",
        at: "2:6",
        message: "`title:` needs a space after the `:`",
        hint: "write `title: CO-CITY`",
    },
    Case {
        replace: "summary: A summary.",
        with: "summary: >\nA summary.",
        at: "7:1",
        message: "the text of `summary` must be indented under it",
        hint: "indent each line of the text with spaces: `  A summary.`",
    },
    Case {
        replace: "summary: A summary.",
        with: "summary: A summary\nthat goes on.",
        at: "7:1",
        message: "this line has no `field:`; if it goes on with the value of `summary`, it must be indented under it",
        hint: "indent it: `  that goes on.`, or give it its field: `field: that goes on.`",
    },
    Case {
        replace: "summary: A summary.",
        with: "summary: A summary.\n... ",
        at: "7:1",
        message: "`...` at the start of a line ends the YAML here",
        hint: "delete this line: the front matter is one block of `field: value` lines, and it ends at a line with only `---`",
    },
    Case {
        replace: "title: CO-CITY",
        with: "title: - CO-CITY",
        at: "2:8",
        message: "`- ` after `title:` starts a list, which cannot begin on the field's line",
        hint: "write a text that begins with `-` in quotes: `title: \"- CO-CITY\"`; or put each item of a list on its own line, under `title:`",
    },
];

/// A value starting with a character YAML reads as syntax: the message, then the hint.
const INDICATORS: &[(&str, &str, &str)] = &[
    (
        "@home",
        "a value cannot start with `@` unless it is in quotes",
        "write the value in quotes: `title: \"@home\"`",
    ),
    (
        "`code` first",
        "a value cannot start with `` ` `` unless it is in quotes",
        "write the value in quotes: `` title: \"`code` first\" ``",
    ),
    (
        "%50 more homes",
        "a value cannot start with `%` unless it is in quotes",
        "write the value in quotes: `title: \"%50 more homes\"`",
    ),
    (
        "*Best practice",
        "`*` at the start of a value refers to a YAML anchor, and there is no anchor `&Best`",
        "write the value in quotes: `title: \"*Best practice\"`",
    ),
    (
        "&Co city",
        "`&Co` at the start of a value makes a YAML anchor, so `title` would be just `city`",
        "write the value in quotes: `title: \"&Co city\"`",
    ),
    (
        "!Important thing",
        "`!Important` at the start of a value is a YAML tag, so `title` would be just `thing`",
        "write the value in quotes: `title: \"!Important thing\"`",
    ),
    (
        "| a home",
        "`|` at the start of a value begins a block of text on the lines below it, so nothing can follow it on this line",
        "write the value in quotes: `title: \"| a home\"`",
    ),
    (
        "> a home",
        "`>` at the start of a value begins a block of text on the lines below it, so nothing can follow it on this line",
        "write the value in quotes: `title: \"> a home\"`",
    ),
];

/// Builds a site once, then checks each file: the build fails with exactly one diagnostic,
/// `(location, message, hint)`, and leaves the output as it was.
fn each_fails(files: &[(String, &str, &str, &str)]) {
    let site = Site::new();
    site.write(
        "content/practices/other.md",
        &practice("Other", "poverty", ""),
    );
    site.write("content/practices/co-city.md", BASE);
    site.build_ok();
    let before = snapshot(&site.out());
    for (text, at, message, hint) in files {
        site.write("content/practices/co-city.md", text);
        let failure = site.build().expect_err(text);
        let shown: Vec<String> = failure
            .diagnostics
            .iter()
            .map(|d| d.render_human(false))
            .collect();
        let [d]: &[Diagnostic; 1] = failure
            .diagnostics
            .as_slice()
            .try_into()
            .unwrap_or_else(|_| panic!("one diagnostic for {text:?}:\n{}", shown.concat()));
        assert_eq!(d.code, Code::YamlSyntax, "{text:?}");
        let location = d.location.as_ref().unwrap().to_string();
        assert_eq!(
            (location.as_str(), d.message.as_str(), d.hint.as_deref()),
            (
                format!("content/practices/co-city.md:{at}").as_str(),
                *message,
                Some(*hint)
            ),
            "{text:?}"
        );
        assert!(snapshot(&site.out()) == before, "output changed: {text:?}");
    }
}

#[test]
fn each_common_mistake_is_said_plainly_with_the_corrected_line() {
    let files: Vec<(String, &str, &str, &str)> = CASES
        .iter()
        .map(|c| {
            assert!(BASE.contains(c.replace), "{}", c.replace);
            (BASE.replace(c.replace, c.with), c.at, c.message, c.hint)
        })
        .collect();
    each_fails(&files);
}

#[test]
fn a_value_that_starts_with_yaml_syntax_must_be_quoted() {
    let files: Vec<(String, &str, &str, &str)> = INDICATORS
        .iter()
        .map(|(value, message, hint)| {
            (
                BASE.replace("title: CO-CITY", &format!("title: {value}")),
                "2:8",
                *message,
                *hint,
            )
        })
        .collect();
    each_fails(&files);
}

#[test]
fn a_stray_fence_is_one_error_at_its_line_not_a_list_of_missing_fields() {
    let site = Site::new();
    site.write(
        "content/practices/co-city.md",
        &BASE.replace("title: CO-CITY\n", "title: CO-CITY\n---\n"),
    );
    let failure = site.build().unwrap_err();
    assert_eq!(failure.diagnostics.len(), 1, "{:?}", failure.diagnostics);
    let d = &failure.diagnostics[0];
    assert_eq!(
        d.location.as_ref().unwrap().to_string(),
        "content/practices/co-city.md:3:1"
    );
    assert_eq!(
        d.message,
        "the front matter ends at this `---`, but `city:` on line 4 below it is a field"
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("delete this line: the front matter then goes on to the `---` on line 9")
    );
    assert!(!site.out().exists());
}

#[test]
fn a_repeated_field_names_both_lines_and_casebook_yaml_is_explained_alike() {
    let site = Site::new();
    site.write(
        "content/practices/other.md",
        &practice("Other", "poverty", ""),
    );
    site.write(
        "content/practices/co-city.md",
        &BASE.replace(
            "published: 2024-01-15",
            "published: 2024-01-15\ntitle: Again",
        ),
    );
    let (code, _, stderr) = site.cli(&["check"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(
            "error[E0101]: `title` is given twice\n  --> content/practices/co-city.md:8:1\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("note: `title` is first given here (content/practices/co-city.md:2:1)"),
        "{stderr}"
    );
    // casebook.yaml goes through the same explanations.
    site.write(
        "casebook.yaml",
        &common::CONFIG.replace(
            "languages: [en, es]",
            "languages: [en, es]\ntitle: Good: practices",
        ),
    );
    let (code, _, stderr) = site.cli(&["check"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("--> casebook.yaml:4:12")
            && stderr.contains("write the value in quotes: `title: \"Good: practices\"`"),
        "{stderr}"
    );
}
