//! `casebook schema`: a JSON Schema of practice front matter that accepts every practice of
//! the demo catalogue and rejects each invalid fixture in tests/fixtures/invalid/, which
//! casebook itself rejects too.

mod common;

use std::path::Path;

use common::{Site, repo};
use serde_json::Value;

fn schema_of(root: &Path) -> Value {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["schema", "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("casebook schema prints JSON")
}

/// The front matter of a practice file, as JSON (what yaml-language-server validates).
fn front_matter(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    let split = casebook::input::front_matter::split(&text).unwrap();
    serde_saphyr::from_str::<Value>(split.yaml)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn md_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_schema_accepts_every_practice_of_the_demo_catalogue() {
    let schema = schema_of(&repo());
    let validator = jsonschema::draft7::new(&schema).expect("a valid draft-07 schema");
    let files = md_files(&repo().join("content/practices"));
    assert!(files.len() >= 19);
    for file in files {
        let fm = front_matter(&file);
        let errors: Vec<String> = validator.iter_errors(&fm).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", file.display());
    }
}

#[test]
fn the_schema_has_the_sites_vocabularies_and_field_docs() {
    let schema = schema_of(&repo());
    let topics = &schema["properties"]["topics"]["items"]["enum"];
    assert_eq!(topics[0], "co-production");
    assert_eq!(topics.as_array().unwrap().len(), 12);
    assert_eq!(
        schema["properties"]["programme"]["enum"],
        serde_json::json!(["uia", "interreg-europe"])
    );
    assert!(
        schema["properties"]["country"]["enum"]
            .as_array()
            .unwrap()
            .contains(&Value::from("IT"))
    );
    for (field, spec) in schema["properties"].as_object().unwrap() {
        let described = spec["description"].as_str().is_some_and(|d| d.len() > 10);
        assert!(described, "`{field}` has no description");
    }
    assert_eq!(schema["additionalProperties"], false);
}

#[test]
fn the_schema_and_casebook_reject_every_invalid_fixture() {
    let schema = schema_of(&repo());
    let validator = jsonschema::draft7::new(&schema).unwrap();
    let fixtures = md_files(&repo().join("tests/fixtures/invalid"));
    assert!(fixtures.len() >= 12);
    for file in fixtures {
        let fm = front_matter(&file);
        assert!(
            !validator.is_valid(&fm),
            "the schema accepts {}",
            file.display()
        );
        // casebook rejects it too, in a site that has the image and the vocabulary.
        let site = Site::new();
        site.write("static/images/hub.jpg", "jpeg");
        site.write(
            "content/practices/co-city.md",
            &std::fs::read_to_string(&file).unwrap(),
        );
        assert!(site.build().is_err(), "casebook accepts {}", file.display());
    }
}

#[test]
fn a_site_without_topics_still_gets_a_schema() {
    let site = Site::with_config(
        "base_url: https://example.org/\nlanguages: [en]\ntaxonomies:\n  topics:\n    poverty: { en: \"</script> & co\" }\n",
    );
    let schema = schema_of(site.root());
    assert_eq!(
        schema["properties"]["topics"]["items"]["enumDescriptions"][0],
        "</script> & co"
    );
    assert_eq!(
        schema["properties"]["programme"]["description"],
        "casebook.yaml declares no programmes yet: declare one under `taxonomies` first."
    );
}
