//! Template errors read like content errors: the template's path in the site, its line and
//! column, a one-line message and a hint, in every format. Once, unknown filters and
//! functions, missing or circular includes and extends had no location in `--format json`,
//! and people read Tera's multi-line report squashed onto one line.

mod common;

use common::Site;
use common::hostile::site_with;

/// `casebook check --format json` of `site`: the errors as JSON values.
fn json_check(site: &Site) -> Vec<serde_json::Value> {
    let (code, stdout, stderr) = site.cli(&["check", "--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|d| d["severity"] == "error")
        .collect()
}

/// (file, line, column, message) of each diagnostic.
fn places(diags: &[serde_json::Value]) -> Vec<(String, u64, u64, String)> {
    diags
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap_or("null").to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn with_template(rel: &str, text: &str) -> Site {
    let site = site_with(&[]);
    site.write(rel, text);
    site
}

#[test]
fn unknown_filters_functions_and_tests_are_located() {
    let site = with_template(
        "templates/page.html",
        "<p>\n  {{ page.title | shout }} {{ nowhere() }}\n  {% if x is odd_number %}{% endif %}\n</p>\n",
    );
    let diags = json_check(&site);
    assert_eq!(
        places(&diags),
        [
            (
                "templates/page.html".into(),
                2,
                19,
                "Unknown filter `shout`".into()
            ),
            (
                "templates/page.html".into(),
                2,
                31,
                "Unknown function `nowhere`".into()
            ),
            (
                "templates/page.html".into(),
                3,
                14,
                "Unknown test `odd_number`".into()
            ),
        ]
    );
    assert!(
        diags
            .iter()
            .all(|d| d["code"] == "E0303" && d["hint"].is_string())
    );
    assert!(
        diags[1]["hint"]
            .as_str()
            .unwrap()
            .contains("t(), url() and asset()")
    );
    // For people: the path, the line with a caret, no report squashed onto one line.
    let (_, _, stderr) = site.cli(&["check"]);
    assert!(
        stderr.contains("error[E0303]: Unknown filter `shout`\n  --> templates/page.html:2:19\n"),
        "{stderr}"
    );
    assert!(!stderr.contains('\u{fffd}'), "{stderr}");
}

#[test]
fn includes_of_missing_absolute_or_parent_paths_are_located() {
    let site = with_template(
        "templates/page.html",
        "{% include \"partials/nope.html\" %}\n{% include \"/etc/passwd\" %}\n{% include \"../casebook.yaml\" %}\n",
    );
    let diags = json_check(&site);
    assert_eq!(
        places(&diags),
        [
            (
                "templates/page.html".into(),
                1,
                12,
                "Unknown template `partials/nope.html`".into()
            ),
            (
                "templates/page.html".into(),
                2,
                12,
                "Unknown template `/etc/passwd`".into()
            ),
            (
                "templates/page.html".into(),
                3,
                12,
                "Unknown template `../casebook.yaml`".into()
            ),
        ]
    );
    assert!(
        diags[0]["hint"]
            .as_str()
            .unwrap()
            .contains("path under templates/")
    );
}

#[test]
fn circular_includes_and_extends_and_missing_parents_are_located() {
    // A template that includes itself, through another one.
    let site = with_template(
        "templates/partials/a.html",
        "x\n{% include \"partials/b.html\" %}\n",
    );
    site.write(
        "templates/partials/b.html",
        "{% include 'partials/a.html' %}\n",
    );
    assert_eq!(
        places(&json_check(&site)),
        [(
            "templates/partials/a.html".into(),
            2,
            12,
            "`partials/a.html` includes itself: partials/a.html → partials/b.html → partials/a.html".into()
        )]
    );
    // Extends: a loop, and a parent that does not exist.
    let site = with_template("templates/x.html", "{% extends \"y.html\" %}\n");
    site.write("templates/y.html", "{% extends \"x.html\" %}\n");
    let found = places(&json_check(&site));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].1, found[0].2), (1, 12));
    assert!(found[0].3.contains(" extends itself: "), "{found:?}");
    let site = with_template("templates/x.html", "{% extends \"base-gone.html\" %}\n");
    assert_eq!(
        places(&json_check(&site)),
        [(
            "templates/x.html".into(),
            1,
            12,
            "`x.html` extends `base-gone.html`, which is not a template".into()
        )]
    );
}

#[test]
fn a_theme_template_is_named_by_its_path_in_the_site() {
    let site = with_template(
        "themes/default/templates/page.html",
        "{{ page.title | shout }}\n",
    );
    let diags = json_check(&site);
    assert_eq!(diags[0]["file"], "themes/default/templates/page.html");
    assert_eq!(
        (diags[0]["line"].as_u64(), diags[0]["column"].as_u64()),
        (Some(1), Some(17))
    );
}

#[test]
fn a_component_that_renders_itself_without_end_is_located() {
    let site = with_template(
        "templates/partials/loop.html",
        "{% component again(n: integer) %}\n  {{ <again n={n} /> }}\n{% endcomponent again %}\n",
    );
    site.write("templates/practice.html", "{{ <again n={1} /> }}\n");
    let found = places(&json_check(&site));
    assert_eq!(
        found,
        [(
            "templates/partials/loop.html".into(),
            2,
            6,
            "component `again` renders itself without end".into()
        )]
    );
}
