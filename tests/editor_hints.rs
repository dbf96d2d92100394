//! Hints that say what the editor meant: an image path under static/, a language code in
//! capitals or a country's code for a language, a date written day first, examples taken
//! from the file itself, and Markdown files that casebook would not read.

mod common;

use casebook::diagnostics::{Code, Diagnostic, Severity};
use casebook::{CheckOptions, check};
use common::{Site, practice, snapshot, translation};

/// A built site with one practice in English and Spanish.
fn built() -> Site {
    let site = Site::new();
    site.write(
        "content/practices/housing-first.md",
        &practice("Housing First", "housing", ""),
    )
    .write(
        "content/practices/housing-first.es.md",
        &translation("Housing First ES", ""),
    );
    site.build_ok();
    site
}

/// Builds, expecting one error of `code`; checks nothing was written. Returns it.
fn the_error(site: &Site, code: Code) -> Diagnostic {
    let before = snapshot(&site.out());
    let failure = site.build().unwrap_err();
    assert!(snapshot(&site.out()) == before, "a failed build wrote");
    let errors: Vec<&Diagnostic> = failure
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].code, code, "{:#?}", errors[0]);
    errors[0].clone()
}

fn at(d: &Diagnostic) -> String {
    d.location
        .as_ref()
        .map(|l| l.to_string())
        .unwrap_or_default()
}

#[test]
fn an_image_path_that_names_static_is_given_without_it() {
    let site = built();
    site.write("static/images/flat.png", "png");
    site.write(
        "content/practices/housing-first.md",
        &practice(
            "Housing First",
            "housing",
            "image: { src: /static/images/flat.png, alt: A flat }\n",
        ),
    );
    let d = the_error(&site, Code::BadUrl);
    assert_eq!(at(&d), "content/practices/housing-first.md:8:15");
    assert_eq!(
        d.message,
        "image `/static/images/flat.png` names static/, but `src` is already a path under static/"
    );
    assert_eq!(d.hint.as_deref(), Some("write `src: images/flat.png`"));
    // In a body, `check` says the same of a site path.
    site.write(
        "content/practices/housing-first.md",
        &practice("Housing First", "housing", "").replace(
            "Body of Housing First.",
            "![A flat](/static/images/flat.png)",
        ),
    );
    let report = check(&CheckOptions::new(site.root()));
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.code == Code::MissingImage)
        .expect("a missing image");
    assert_eq!(at(d), "content/practices/housing-first.md:11:1");
    assert_eq!(
        d.hint.as_deref(),
        Some(
            "the files of static/ are published at the site's root, without `static/`: write `/images/flat.png`"
        )
    );
}

#[test]
fn a_language_code_in_capitals_or_a_countrys_code_suggests_the_language() {
    let site = built();
    std::fs::remove_file(site.root().join("content/practices/housing-first.es.md")).unwrap();
    site.write(
        "content/practices/housing-first.ES.md",
        &translation("Housing First ES", ""),
    );
    let d = the_error(&site, Code::BadFileName);
    assert_eq!(at(&d), "content/practices/housing-first.ES.md");
    assert_eq!(
        d.message,
        "`housing-first.ES.md` is not a valid content file name"
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("rename it `housing-first.es.md`: language codes are lowercase")
    );
    std::fs::remove_file(site.root().join("content/practices/housing-first.ES.md")).unwrap();
    site.write(
        "content/practices/housing-first.sp.md",
        &translation("Housing First ES", ""),
    );
    let d = the_error(&site, Code::UnknownLanguage);
    assert_eq!(at(&d), "content/practices/housing-first.sp.md");
    assert_eq!(d.message, "`sp` in the file name is not a site language");
    assert_eq!(
        d.hint.as_deref(),
        Some("did you mean `housing-first.es.md`? Spanish is `es`. Site languages: en, es")
    );
    // A confusion whose language the site does not have: the right code, and what to add.
    std::fs::remove_file(site.root().join("content/practices/housing-first.sp.md")).unwrap();
    site.write(
        "content/practices/housing-first.gr.md",
        &translation("Housing First EL", ""),
    );
    let d = the_error(&site, Code::UnknownLanguage);
    assert_eq!(
        d.hint.as_deref(),
        Some(
            "Greek is `el`: rename the file `housing-first.el.md` and add `el` to `languages` in casebook.yaml; site languages: en, es"
        )
    );
}

#[test]
fn a_date_written_day_first_is_read_and_published_asks_for_a_full_date() {
    let site = built();
    let with_published = |date: &str| {
        practice("Housing First", "housing", "")
            .replace("published: 2024-01-15", &format!("published: {date}"))
    };
    site.write(
        "content/practices/housing-first.md",
        &with_published("20/11/2026"),
    );
    let d = the_error(&site, Code::BadDate);
    assert_eq!(at(&d), "content/practices/housing-first.md:7:12");
    assert_eq!(
        d.message,
        "bad date in `published`: `20/11/2026` is not a date in the form YYYY-MM-DD"
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("write `published: 2026-11-20` (YYYY-MM-DD, year first)")
    );
    site.write(
        "content/practices/housing-first.md",
        &with_published("05/03/2026"),
    );
    let d = the_error(&site, Code::BadDate);
    assert_eq!(
        d.hint.as_deref(),
        Some(
            "`05/03/2026` could be read day first or month first: write `published: 2026-03-05` or `published: 2026-05-03` (YYYY-MM-DD, year first)"
        )
    );
    site.write(
        "content/practices/housing-first.md",
        &with_published("11/2026"),
    );
    let d = the_error(&site, Code::BadDate);
    assert_eq!(
        d.hint.as_deref(),
        Some("`published` needs the day too: e.g. `published: 2026-11-01`")
    );
    // `start` takes a month: its message lists the three forms.
    site.write(
        "content/practices/housing-first.md",
        &practice("Housing First", "housing", "start: 03/2017\n"),
    );
    let d = the_error(&site, Code::BadDate);
    assert_eq!(
        (d.message.as_str(), d.hint.as_deref()),
        (
            "bad date in `start`: `03/2017` is not a date in the form YYYY, YYYY-MM or YYYY-MM-DD",
            Some("write `start: 2017-03` (YYYY-MM-DD, year first)")
        )
    );
}

#[test]
fn missing_title_and_country_take_their_examples_from_the_file() {
    let site = built();
    site.write(
        "content/practices/housing-first.md",
        "---\ncity: Lisbon\ntopics: [housing]\nsummary: S.\npublished: 2024-01-15\n---\nBody.\n",
    );
    let before = snapshot(&site.out());
    let failure = site.build().unwrap_err();
    assert!(snapshot(&site.out()) == before, "a failed build wrote");
    let hints: Vec<(String, String)> = failure
        .diagnostics
        .iter()
        .map(|d| (d.message.clone(), d.hint.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        hints,
        [(
            "missing required field `title`".to_string(),
            "add `title: Housing First` between the `---` lines".to_string()
        )]
    );
    site.write(
        "content/practices/housing-first.md",
        "---\ntitle: Housing First\ncity: Lisbon\ntopics: [housing]\nsummary: S.\npublished: 2024-01-15\n---\nBody.\n",
    );
    let d = the_error(&site, Code::MissingField);
    assert_eq!(at(&d), "content/practices/housing-first.md:1:1");
    assert_eq!(d.message, "practice `housing-first` has no `country`");
    assert!(
        d.hint.as_deref().unwrap().starts_with(
            "add `country: PT` (Lisbon is in Portugal) to content/practices/housing-first.md"
        ),
        "{:?}",
        d.hint
    );
    // A city casebook does not know gets no code it could get wrong.
    site.write(
        "content/practices/housing-first.md",
        "---\ntitle: Housing First\ncity: Sintra\ntopics: [housing]\nsummary: S.\npublished: 2024-01-15\n---\nBody.\n",
    );
    let d = the_error(&site, Code::MissingField);
    assert!(
        d.hint.as_deref().unwrap().starts_with(
            "add `country:` with the ISO 3166-1 code of its country, in capitals (`ES` for Spain, `IT` for Italy, `PT` for Portugal…)"
        ),
        "{:?}",
        d.hint
    );
}

#[test]
fn markdown_files_casebook_does_not_read_are_named_in_a_warning() {
    let site = built();
    std::fs::rename(
        site.root().join("content/practices/housing-first.es.md"),
        site.root()
            .join("content/practices/housing-first.es.md.txt"),
    )
    .unwrap();
    site.write(
        "content/pages/about.es.markdown",
        "---\ntitle: Acerca de\n---\n",
    );
    site.write("content/practices/photo.jpg", "jpeg");
    let summary = site.build_ok();
    let ignored: Vec<(String, &str, Option<&str>)> = summary
        .warnings
        .iter()
        .filter(|d| d.code == Code::IgnoredFile)
        .map(|d| {
            assert_eq!(d.severity, Severity::Warning);
            (at(d), d.message.as_str(), d.hint.as_deref())
        })
        .collect();
    assert_eq!(
        ignored,
        [
            (
                "content/pages/about.es.markdown".to_string(),
                "`about.es.markdown` is ignored: casebook reads only files whose names end in `.md`",
                Some("rename it `about.es.md` to publish it")
            ),
            (
                "content/practices/housing-first.es.md.txt".to_string(),
                "`housing-first.es.md.txt` is ignored: casebook reads only files whose names end in `.md`",
                Some("rename it `housing-first.es.md` to publish it")
            ),
        ]
    );
    let (code, _, stderr) = site.cli(&["check", "--deny-warnings", "--allow", "untranslated"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("warning[W0506]: `housing-first.es.md.txt` is ignored")
            && stderr.contains("--> content/practices/housing-first.es.md.txt"),
        "{stderr}"
    );
}
