//! One test per class of user error. Each checks the message, the `file:line:col`, the hint,
//! the exit code, and that the previous output is exactly as it was.

mod common;

use common::{Site, practice, snapshot, translation};

/// A site that builds, with its output built once.
fn built_site() -> Site {
    let site = Site::new();
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", ""),
    )
    .write(
        "content/practices/co-city.es.md",
        &translation("CO-CITY ES", ""),
    );
    site.build_ok();
    site
}

/// Runs `casebook build` expecting failure; checks each `(location, message)` pair appears
/// in stderr, and that the output folder is unchanged. Returns stderr.
fn fails_with(site: &Site, expected: &[(&str, &str)]) -> String {
    let before = snapshot(&site.out());
    assert!(
        !before.is_empty(),
        "the fixture should have a previous output"
    );
    let (code, stdout, stderr) = site.cli(&["build"]);
    assert_eq!(code, 1, "exit code; stdout: {stdout}\nstderr: {stderr}");
    for (location, message) in expected {
        let at = format!("--> {location}");
        assert!(
            stderr.contains(&at),
            "expected location `{location}` in:\n{stderr}"
        );
        assert!(
            stderr.contains(message),
            "expected message `{message}` in:\n{stderr}"
        );
    }
    assert!(
        stderr.contains("the output folder was not changed"),
        "{stderr}"
    );
    let after = snapshot(&site.out());
    assert!(before == after, "output changed after a failed build");
    // Nothing is left beside the output: casebook's own files are in its cache folder.
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("casebook"))
        .filter(|e| e.file_name() != ".casebook" && e.file_name() != "casebook.yaml")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    stderr
}

#[test]
fn unknown_term_with_did_you_mean() {
    let site = built_site();
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty, urban-comons", ""),
    );
    let err = fails_with(
        &site,
        &[(
            "content/practices/co-city.md:5:19",
            "error[E0102]: unknown topic `urban-comons`",
        )],
    );
    assert!(err.contains("did you mean `urban-commons`?"), "{err}");
    assert!(
        err.contains("topics: [poverty, urban-comons]\n"),
        "shows the line: {err}"
    );
    assert!(err.contains("^^^^^^^^^^^^"), "underlines the term: {err}");
}

#[test]
fn unknown_programme_and_level() {
    let site = built_site();
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", "programme: uai\nlevel: locl\n"),
    );
    let err = fails_with(
        &site,
        &[
            (
                "content/practices/co-city.md:8:12",
                "unknown programme `uai`",
            ),
            ("content/practices/co-city.md:9:8", "unknown level `locl`"),
        ],
    );
    assert!(
        err.contains("did you mean `uia`?") && err.contains("did you mean `local`?"),
        "{err}"
    );
}

#[test]
fn missing_required_fields_are_all_reported() {
    let site = built_site();
    site.write(
        "content/practices/co-city.md",
        "---\ncity: Turin\ncountry: IT\ntopics: [poverty]\n---\nBody\n",
    );
    let err = fails_with(
        &site,
        &[
            (
                "content/practices/co-city.md:1:1",
                "missing required field `title`",
            ),
            (
                "content/practices/co-city.md:1:1",
                "missing required field `summary`",
            ),
            (
                "content/practices/co-city.md:1:1",
                "missing required field `published`",
            ),
        ],
    );
    assert!(
        err.contains("add `title: Co City` between the `---` lines"),
        "{err}"
    );
}

#[test]
fn missing_shared_facet_names_the_file_to_fix() {
    let site = built_site();
    site.write("content/practices/co-city.md", "---\ntitle: CO-CITY\ncity: Turin\ntopics: [poverty]\nsummary: S.\npublished: 2024-01-01\n---\n");
    let err = fails_with(
        &site,
        &[(
            "content/practices/co-city.md:1:1",
            "practice `co-city` has no `country`",
        )],
    );
    assert!(
        err.contains("add `country: IT` (Turin is in Italy) to content/practices/co-city.md"),
        "{err}"
    );
}

#[test]
fn wrong_type() {
    let site = built_site();
    site.write(
        "content/practices/co-city.md",
        &practice("[a, b]", "poverty", ""),
    );
    let err = fails_with(
        &site,
        &[("content/practices/co-city.md:2:8", "error[E0104]")],
    );
    assert!(
        err.contains("`title` is written like this: `title: CO-CITY`"),
        "{err}"
    );
}

#[test]
fn unknown_field_with_suggestion() {
    let site = built_site();
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", "sumary: typo\n"),
    );
    let err = fails_with(
        &site,
        &[("content/practices/co-city.md:8:1", "unknown field `sumary`")],
    );
    assert!(err.contains("did you mean `summary`?"), "{err}");
}

#[test]
fn bad_dates() {
    let site = built_site();
    site.write(
        "content/practices/co-city.md",
        &practice(
            "CO-CITY",
            "poverty",
            "start: 2017-13\nupdated: 2023-02-30\n",
        ),
    );
    fails_with(
        &site,
        &[
            (
                "content/practices/co-city.md:8:8",
                "bad date in `start`: month 13 does not exist",
            ),
            (
                "content/practices/co-city.md:9:10",
                "bad date in `updated`: 2023-02 has no day 30",
            ),
        ],
    );
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", "").replace("published: 2024-01-15", "published: 2024-01"),
    );
    fails_with(
        &site,
        &[(
            "content/practices/co-city.md:7:12",
            "`published` needs a full date, not `2024-01`",
        )],
    );
}

#[test]
fn unknown_language_suffix() {
    let site = built_site();
    site.write(
        "content/practices/co-city.fr.md",
        &translation("CO-CITY FR", ""),
    );
    let err = fails_with(
        &site,
        &[(
            "content/practices/co-city.fr.md",
            "`fr` in the file name is not a site language",
        )],
    );
    assert!(err.contains("site languages: en, es"), "{err}");
    site.write("content/practices/co-city.fr.md", "");
    std::fs::remove_file(site.root().join("content/practices/co-city.fr.md")).unwrap();
    site.write("content/practices/co-city.esp.md", &translation("X", ""));
    let err = fails_with(
        &site,
        &[("content/practices/co-city.esp.md", "not a site language")],
    );
    assert!(err.contains("did you mean `co-city.es.md`?"), "{err}");
}

#[test]
fn bad_file_name() {
    let site = built_site();
    site.write(
        "content/practices/Co City.md",
        &practice("X", "poverty", ""),
    );
    let err = fails_with(
        &site,
        &[(
            "content/practices/Co City.md",
            "`Co City.md` is not a valid content file name",
        )],
    );
    assert!(err.contains("`co-city.md`"), "{err}");
}

#[test]
fn duplicate_slug_names_both_files() {
    let site = built_site();
    site.write(
        "content/practices/co-city.en.md",
        &practice("CO-CITY again", "poverty", ""),
    );
    let err = fails_with(
        &site,
        &[(
            "content/practices/co-city.md",
            "`co-city` in `en` is defined twice",
        )],
    );
    assert!(err.contains("co-city.en.md"), "names the other file: {err}");
    assert!(
        err.contains("are both the `en` version")
            && err.contains("merge them into `co-city.en.md`"),
        "says the two names are one version: {err}"
    );
    std::fs::remove_file(site.root().join("content/practices/co-city.en.md")).unwrap();
    site.write(
        "content/practices/italy/co-city.md",
        &practice("CO-CITY nested", "poverty", ""),
    );
    fails_with(
        &site,
        &[("content/practices/italy/co-city.md", "defined twice")],
    );
}

#[test]
fn facets_that_disagree_between_translations_name_both_files() {
    let site = built_site();
    site.write(
        "content/practices/co-city.es.md",
        &translation("CO-CITY ES", "country: ES\ntopics: [poverty]\n"),
    );
    let err = fails_with(
        &site,
        &[(
            "content/practices/co-city.es.md:5:10",
            "`country` is `ES` here but `IT` in content/practices/co-city.md",
        )],
    );
    assert!(
        err.contains("note: country is `IT` here (content/practices/co-city.md:4:10)"),
        "{err}"
    );
}

#[test]
fn missing_front_matter() {
    let site = built_site();
    site.write(
        "content/practices/co-city.md",
        "# CO-CITY\n\nNo front matter.\n",
    );
    let err = fails_with(
        &site,
        &[(
            "content/practices/co-city.md:1:1",
            "error[E0003]: file does not start with front matter",
        )],
    );
    assert!(err.contains("start the file with a line `---`"), "{err}");
}

#[test]
fn unclosed_front_matter() {
    let site = built_site();
    site.write(
        "content/practices/co-city.md",
        "---\ntitle: CO-CITY\ncity: Turin\n\nBody without a closing fence.\n",
    );
    let err = fails_with(
        &site,
        &[(
            "content/practices/co-city.md:1:1",
            "error[E0004]: front matter is not closed",
        )],
    );
    assert!(err.contains("add a line with only `---`"), "{err}");
}

#[test]
fn yaml_syntax_error_points_into_the_file() {
    let site = built_site();
    site.write(
        "content/practices/co-city.md",
        "---\ntitle: CO-CITY\ncity: Turin\n  country: IT\n---\n",
    );
    let err = fails_with(
        &site,
        &[(
            "content/practices/co-city.md:4:3",
            "error[E0101]: `country` is indented more than `city` above it, which already has a value",
        )],
    );
    assert!(
        err.contains("hint: line `country` up with `city`: `country: IT`"),
        "{err}"
    );
}

#[test]
fn file_that_is_not_utf8() {
    let site = built_site();
    let mut bytes = b"---\ntitle: Caf".to_vec();
    bytes.push(0xE9); // Latin-1 é
    bytes.extend_from_slice(b"\n---\n");
    site.write_bytes("content/practices/co-city.md", &bytes);
    let err = fails_with(
        &site,
        &[(
            "content/practices/co-city.md:2:11",
            "error[E0002]: file is not valid UTF-8",
        )],
    );
    assert!(err.contains("save the file as UTF-8"), "{err}");
}

#[test]
fn summary_over_300_characters() {
    let site = built_site();
    let long = "é".repeat(301);
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", "").replace(
            "summary: A summary of CO-CITY.",
            &format!("summary: {long}"),
        ),
    );
    fails_with(
        &site,
        &[(
            "content/practices/co-city.md:6:10",
            "summary has 301 characters; the limit is 300",
        )],
    );
}

#[test]
fn image_without_alt() {
    let site = built_site();
    site.write("static/images/hub.jpg", "jpg");
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", "image: { src: images/hub.jpg }\n"),
    );
    let err = fails_with(
        &site,
        &[("content/practices/co-city.md:8:8", "image has no alt text")],
    );
    assert!(err.contains("describe what the image shows"), "{err}");
}

#[test]
fn javascript_url_in_owner_is_refused() {
    let site = built_site();
    site.write(
        "content/practices/co-city.md",
        &practice(
            "CO-CITY",
            "poverty",
            "owner: { organisation: X, url: \"javascript:alert(1)\" }\n",
        ),
    );
    fails_with(
        &site,
        &[(
            "content/practices/co-city.md:8:8",
            "`owner.url` `javascript:alert(1)` is not a web address",
        )],
    );
}

#[test]
fn unknown_related_slug() {
    let site = built_site();
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", "related: [co-cty]\n"),
    );
    fails_with(
        &site,
        &[(
            "content/practices/co-city.md:8:11",
            "no practice has the slug `co-cty`",
        )],
    );
}

#[test]
fn template_error_points_at_the_template() {
    let site = built_site();
    site.write("templates/practice.html", "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ practice.titel }}</h1>\n{% endblock main %}\n");
    let err = fails_with(
        &site,
        &[(
            "templates/practice.html:3:17",
            "error[E0303]: Field `titel` is not defined",
        )],
    );
    assert!(
        err.contains("while rendering this page (en/practices/co-city/index.html)"),
        "{err}"
    );
    site.write(
        "templates/practice.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{% if %}\n{% endblock main %}\n",
    );
    fails_with(&site, &[("templates/practice.html:3:", "error[E0303]")]);
}

#[test]
fn missing_template_function_argument_is_located() {
    let site = built_site();
    site.write("templates/page.html", "{% extends \"base.html\" %}\n{% block main %}{{ asset(path='no/such.css') }}{% endblock main %}\n");
    site.write("content/pages/about.md", "---\ntitle: About\n---\nx\n");
    fails_with(
        &site,
        &[(
            "templates/page.html:2:",
            "asset `no/such.css` is not a file",
        )],
    );
}

#[test]
fn bad_config_is_located() {
    let site = built_site();
    site.write(
        "casebook.yaml",
        &common::CONFIG.replace(
            "languages: [en, es]",
            "languages: [en, es]\nuntranslated: sometimes",
        ),
    );
    let err = fails_with(
        &site,
        &[(
            "casebook.yaml:4:15",
            "`untranslated: sometimes` is not an option",
        )],
    );
    assert!(err.contains("use `fallback`"), "{err}");
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let site = built_site();
    site.write("content/practices/a.md", &practice("A", "povrety", ""))
        .write("content/practices/b.md", "no front matter\n")
        .write(
            "content/practices/c.md",
            &practice("C", "poverty", "level: global\n"),
        );
    let err = fails_with(
        &site,
        &[
            ("content/practices/a.md:5:10", "unknown topic `povrety`"),
            (
                "content/practices/b.md:1:1",
                "file does not start with front matter",
            ),
            ("content/practices/c.md:8:8", "unknown level `global`"),
        ],
    );
    assert!(err.contains("Build failed: 3 errors"), "{err}");
}

#[test]
fn one_broken_file_gives_one_error_not_a_cascade() {
    let site = built_site();
    site.write(
        "content/practices/other.md",
        &practice("Other", "poverty", "related: [co-city]\n"),
    );
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", "").replace("country: IT", "country: Italy"),
    );
    let err = fails_with(
        &site,
        &[(
            "content/practices/co-city.md:4:10",
            "`Italy` is not an ISO 3166-1 country code",
        )],
    );
    assert!(err.contains("Build failed: 1 error"), "{err}");
}
