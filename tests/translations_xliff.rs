//! The XLIFF round trip with translators: `casebook translations export` writes XLIFF 2.1
//! that the OASIS schema accepts, with existing translations as targets; a file whose
//! targets are copies of its sources imports into a translation that builds and has the
//! structure of its source; and a damaged file is refused at its line and column, with
//! nothing written.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use casebook::translation::blocks::{BlockKind, blocks};
use common::{Site, practice, snapshot};

/// A practice whose body has every kind of Markdown a translator meets, in English only.
const BODY: &str = r#"
## The challenge {#challenge}

Turin's *distressed* neighbourhoods have **under-used** public spaces, see
[CO-CITY](@/practices/b-mincome.md) and `code`.[^1]

- community gardens;
- creative **placemaking**;
  over two lines

> A quote with a [link](https://example.org "title").

| Figure | Value |
|---|---:|
| pacts | 50 \| more |

1. First step\
   with a hard break
2. Second step

```
code blocks stay as they are
```

[^1]: A footnote with ~~strikethrough~~.
"#;

fn site() -> Site {
    let site = Site::new();
    site.write(
        "content/practices/co-city.md",
        &format!(
            "---\ntitle: CO-CITY\nsubtitle: \"Urban commons: pacts\"\ncity: Turin\ncountry: IT\ntopics: [poverty, housing, urban-commons]\nprogramme: uia\npartners: [City of Turin, University of Turin]\nowner: {{ organisation: City of Turin, url: \"https://www.comune.torino.it/\" }}\nkey_figures:\n  - {{ value: \"50\", label: pacts signed }}\nsummary: Turin hands neglected spaces to residents.\npublished: 2024-01-15\n---\n{BODY}"
        ),
    )
    .write(
        "content/practices/b-mincome.md",
        &practice("B-MINCOME", "poverty", ""),
    )
    .write(
        "content/practices/b-mincome.es.md",
        &common::translation("B-MINCOME ES", ""),
    )
    .write(
        "content/pages/about.md",
        "---\ntitle: About\nmenu: 1\nsummary: What this is.\n---\n## Who we are\n\nA *small* team.\n",
    );
    site.mark_translations();
    site
}

fn schema() -> PathBuf {
    common::repo().join("tests/schemas/xliff-2.1/casebook-xliff.xsd")
}

/// Asserts that xmllint finds `file` valid against the XLIFF 2.1 core and metadata schemas.
fn assert_valid(file: &Path) {
    let out = Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(schema())
        .arg(file)
        .output()
        .expect("xmllint (libxml2-utils) is installed");
    assert!(
        out.status.success(),
        "{} is not valid XLIFF 2.1:\n{}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// "Translates" an XLIFF file the simplest way: every target a copy of its source.
fn copy_sources_to_targets(file: &Path) {
    let text = std::fs::read_to_string(file).unwrap();
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find("<source>") {
        let end = rest[start..].find("</source>").unwrap() + start + "</source>".len();
        out.push_str(&rest[..end]);
        let source = &rest[start + "<source>".len()..end - "</source>".len()];
        rest = &rest[end..];
        // Drop the target that is there, if any.
        let trimmed = rest.trim_start();
        if trimmed.starts_with("<target") {
            let close = trimmed.find("</target>").unwrap() + "</target>".len();
            rest = &trimmed[close..];
        }
        out.push_str(&format!("\n     <target>{source}</target>"));
    }
    out.push_str(rest);
    std::fs::write(file, out).unwrap();
}

fn shape(markdown: &str) -> Vec<BlockKind> {
    blocks(markdown).into_iter().map(|b| b.kind).collect()
}

fn body_of(text: &str) -> &str {
    text.splitn(3, "---\n").nth(2).unwrap()
}

fn tags(markdown: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Options, Parser};
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    Parser::new_ext(markdown, options)
        .filter_map(|e| match e {
            Event::Start(t) => Some(format!("{t:?}")),
            Event::End(t) => Some(format!("/{t:?}")),
            Event::Code(_) => Some("code".into()),
            Event::HardBreak => Some("br".into()),
            Event::FootnoteReference(_) => Some("footnote".into()),
            _ => None,
        })
        .collect()
}

#[test]
fn export_writes_xliff_2_1_that_the_oasis_schema_accepts() {
    let site = site();
    let (code, stdout, stderr) = site.cli(&["translations", "export", "es"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("3 files to translate into es."), "{stdout}");
    let dir = site.root().join("translations");
    for rel in [
        "practices/co-city.es.xlf",
        "practices/b-mincome.es.xlf",
        "pages/about.es.xlf",
    ] {
        assert_valid(&dir.join(rel));
    }
    let xlf = std::fs::read_to_string(dir.join("practices/co-city.es.xlf")).unwrap();
    for expected in [
        "version=\"2.1\" srcLang=\"en\" trgLang=\"es\"",
        "<mda:meta type=\"target-file\">content/practices/co-city.es.md</mda:meta>",
        "<note category=\"label\">Key figure 1: label</note>",
        "<source>Urban commons: pacts</source>",
        // Markdown is in codes that translators cannot delete, the text is theirs.
        "<source>Turin&apos;s <pc id=\"1\" dataRefStart=\"d1\" dataRefEnd=\"d1e\" canCopy=\"no\" canDelete=\"no\" type=\"fmt\" subType=\"xlf:i\">distressed</pc> neighbourhoods",
        "<data id=\"d3e\">](@/practices/b-mincome.md)</data>",
        "<note category=\"label\">Body, table cell</note>",
    ] {
        assert!(xlf.contains(expected), "`{expected}` missing:\n{xlf}");
    }
    assert!(
        !xlf.contains("code blocks stay"),
        "code blocks are not translated"
    );
    // The existing Spanish translation starts the targets, up to date.
    let b = std::fs::read_to_string(dir.join("practices/b-mincome.es.xlf")).unwrap();
    assert!(
        b.contains("<segment state=\"translated\">\n     <source>B-MINCOME</source>\n     <target>B-MINCOME ES</target>"),
        "{b}"
    );

    // Only the slugs asked for, elsewhere.
    let out = site.root().join("for-agency");
    let (code, stdout, stderr) = site.cli(&[
        "translations",
        "export",
        "es",
        "about",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("1 file to translate into es."), "{stdout}");
    assert_valid(&out.join("pages/about.es.xlf"));
}

#[test]
fn export_refuses_the_default_language_and_unknown_names() {
    let site = site();
    let (code, _, stderr) = site.cli(&["translations", "export", "en"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("`en` is the default language"), "{stderr}");
    let (code, _, stderr) = site.cli(&["translations", "export", "fr"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("`fr` is not a site language"), "{stderr}");
    let (code, _, stderr) = site.cli(&["translations", "export", "es", "co-citty"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("no practice or page has the slug `co-citty`")
            && stderr.contains("did you mean `co-city`?"),
        "{stderr}"
    );
    assert!(!site.root().join("translations").exists());
}

#[test]
fn sources_copied_to_targets_import_into_translations_that_build_with_the_source_structure() {
    let site = site();
    let (code, _, stderr) = site.cli(&["translations", "export", "es"]);
    assert_eq!(code, 0, "{stderr}");
    let dir = site.root().join("translations");
    let files = [
        "practices/co-city.es.xlf",
        "practices/b-mincome.es.xlf",
        "pages/about.es.xlf",
    ];
    for f in files {
        copy_sources_to_targets(&dir.join(f));
        assert_valid(&dir.join(f));
    }
    let mut args = vec!["translations".to_string(), "import".to_string()];
    args.extend(files.iter().map(|f| format!("translations/{f}")));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, stdout, stderr) = site.cli(&args);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains(
            "Wrote content/practices/co-city.es.md from translations/practices/co-city.es.xlf"
        ) && stdout.contains("Updated content/practices/b-mincome.es.md")
            && stdout.contains("Wrote content/pages/about.es.md"),
        "{stdout}"
    );
    // Every translation builds, records its source, and has the source's structure.
    let (code, stdout, stderr) = site.cli(&["check", "--deny-warnings"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    for (source, translation) in [
        (
            "content/practices/co-city.md",
            "content/practices/co-city.es.md",
        ),
        ("content/pages/about.md", "content/pages/about.es.md"),
    ] {
        let s = std::fs::read_to_string(site.root().join(source)).unwrap();
        let t = std::fs::read_to_string(site.root().join(translation)).unwrap();
        assert_eq!(shape(body_of(&t)), shape(body_of(&s)), "{t}");
        assert_eq!(tags(body_of(&t)), tags(body_of(&s)), "{t}");
    }
    let es = std::fs::read_to_string(site.root().join("content/practices/co-city.es.md")).unwrap();
    for expected in [
        "title: CO-CITY\n",
        "subtitle: \"Urban commons: pacts\"\n",
        "partners:\n  - City of Turin\n  - University of Turin\n",
        "owner:\n  organisation: City of Turin\n  url: https://www.comune.torino.it/\n",
        "key_figures:\n  - value: \"50\"\n    label: pacts signed\n",
        "[CO-CITY](@/practices/b-mincome.md)",
        "| pacts | 50 \\| more |",
    ] {
        assert!(es.contains(expected), "`{expected}` missing:\n{es}");
    }
    assert!(
        !es.contains("country:"),
        "shared fields are inherited:\n{es}"
    );
    // The page translation took the source's place in the menu.
    let about = std::fs::read_to_string(site.root().join("content/pages/about.es.md")).unwrap();
    assert!(about.contains("menu: 1\n"), "{about}");
    // The existing translation kept its own date.
    let b = std::fs::read_to_string(site.root().join("content/practices/b-mincome.es.md")).unwrap();
    assert!(b.contains("published: 2024-02-01\n"), "{b}");
    let summary = site.build_ok();
    assert!(summary.warnings.is_empty(), "{:#?}", summary.warnings);
    assert!(site.exists("es/practices/co-city/index.html"));
}

#[test]
fn every_demo_translation_survives_a_round_trip() {
    let site = Site::new();
    common::copy_dir(
        &common::repo().join("content"),
        &site.root().join("content"),
    );
    common::copy_dir(&common::repo().join("static"), &site.root().join("static"));
    std::fs::copy(
        common::repo().join("casebook.yaml"),
        site.root().join("casebook.yaml"),
    )
    .unwrap();
    let before = snapshot(&site.root().join("content"));
    let mut files = Vec::new();
    for lang in ["es", "ca", "it"] {
        let (code, _, stderr) = site.cli(&["translations", "export", lang]);
        assert_eq!(code, 0, "{stderr}");
    }
    for entry in walkdir::WalkDir::new(site.root().join("translations")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "xlf") {
            copy_sources_to_targets(entry.path());
            files.push(entry.path().to_string_lossy().into_owned());
        }
    }
    assert!(files.len() > 30, "{files:?}");
    let out = Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(schema())
        .args(&files)
        .output()
        .expect("xmllint (libxml2-utils) is installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut args = vec!["translations", "import"];
    args.extend(files.iter().map(String::as_str));
    let (code, stdout, stderr) = site.cli(&args);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let (code, stdout, stderr) = site.cli(&["check", "--deny-warnings"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let after = snapshot(&site.root().join("content"));
    let mut compared = 0;
    for (rel, bytes) in &after {
        let name = rel.rsplit('/').next().unwrap();
        if name.matches('.').count() != 2 {
            continue;
        }
        let source_rel = format!("{}.md", rel.split('.').next().unwrap());
        let source = String::from_utf8(before[&source_rel].clone()).unwrap();
        let translation = String::from_utf8(bytes.clone()).unwrap();
        assert_eq!(tags(body_of(&translation)), tags(body_of(&source)), "{rel}");
        compared += 1;
    }
    assert_eq!(
        compared,
        3 * 11,
        "every practice and page in every language"
    );
}

/// The line and column (1-based) where `needle` is in `text`.
fn place(text: &str, needle: &str) -> String {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in the file"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
    format!("{line}:{column}")
}

#[test]
fn a_damaged_file_is_refused_at_its_line_and_column_and_nothing_is_written() {
    let site = site();
    let (code, _, stderr) = site.cli(&["translations", "export", "es", "co-city", "about"]);
    assert_eq!(code, 0, "{stderr}");
    let dir = site.root().join("translations");
    let good = dir.join("pages/about.es.xlf");
    copy_sources_to_targets(&good);
    let bad = dir.join("practices/co-city.es.xlf");
    copy_sources_to_targets(&bad);
    let translated = std::fs::read_to_string(&bad).unwrap();
    let before = snapshot(&site.root().join("content"));
    let import = |text: &str| {
        std::fs::write(&bad, text).unwrap();
        site.cli(&[
            "translations",
            "import",
            "translations/pages/about.es.xlf",
            "translations/practices/co-city.es.xlf",
        ])
    };

    // A code removed from a target: the emphasis of "distressed".
    let damaged = translated.replacen(
        "<target>Turin&apos;s <pc id=\"1\" dataRefStart=\"d1\" dataRefEnd=\"d1e\" canCopy=\"no\" canDelete=\"no\" type=\"fmt\" subType=\"xlf:i\">distressed</pc>",
        "<target>Turin&apos;s distressed",
        1,
    );
    assert_ne!(damaged, translated);
    let (code, _, stderr) = import(&damaged);
    assert_eq!(code, 1);
    let at = place(&damaged, "<target>Turin&apos;s distressed");
    assert!(
        stderr.contains(&format!("--> translations/practices/co-city.es.xlf:{at}"))
            && stderr.contains("error[E0010]: unit `body.2`: the translation lacks code 1 (`*…*`)"),
        "{stderr}"
    );
    assert!(stderr.contains("Nothing was written."), "{stderr}");

    // A segment left without translation.
    let untranslated = translated.replacen("\n     <target>Turin</target>", "", 1);
    let (code, _, stderr) = import(&untranslated);
    assert_eq!(code, 1);
    let segment = untranslated[..untranslated.find("<source>Turin</source>").unwrap()]
        .rfind("<segment")
        .unwrap();
    let line = untranslated[..segment].matches('\n').count() + 1;
    assert!(
        stderr.contains(&format!("co-city.es.xlf:{line}:5"))
            && stderr.contains("unit `city` (City) is not translated"),
        "{stderr}"
    );

    // Not well-formed XML.
    let broken = translated.replacen("</target>", "</targte>", 1);
    let (code, _, stderr) = import(&broken);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("not well-formed XML") && stderr.contains("co-city.es.xlf:"),
        "{stderr}"
    );

    // A code the source does not have.
    let foreign = translated.replacen(
        "<target>Turin</target>",
        "<target>Turin<ph id=\"99\"/></target>",
        1,
    );
    let (code, _, stderr) = import(&foreign);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(&format!(
            "co-city.es.xlf:{}",
            place(&foreign, "<ph id=\"99\"/>")
        )) && stderr.contains("code `99` is not in the source"),
        "{stderr}"
    );

    // The source changed after the export.
    std::fs::write(&bad, &translated).unwrap();
    let source = site.root().join("content/practices/co-city.md");
    let text = std::fs::read_to_string(&source).unwrap();
    std::fs::write(
        &source,
        text.replace("pacts signed", "pacts of collaboration signed"),
    )
    .unwrap();
    let before_source = snapshot(&site.root().join("content"));
    let (code, _, stderr) = site.cli(&[
        "translations",
        "import",
        "translations/practices/co-city.es.xlf",
    ]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(&format!(
            "co-city.es.xlf:{}",
            place(&translated, "<mda:meta type=\"source-version\">")
        )) && stderr.contains("of content/practices/co-city.md, which is now version")
            && stderr.contains("casebook translations export es co-city"),
        "{stderr}"
    );
    assert_eq!(snapshot(&site.root().join("content")), before_source);
    std::fs::write(&source, text).unwrap();

    // Nothing was written through all of it, not even the valid page.
    assert_eq!(snapshot(&site.root().join("content")), before);
    assert!(!site.root().join("content/pages/about.es.md").exists());
}
