//! Tests of the configuration reader.
use super::*;

const GOOD: &str = "base_url: https://example.org/sub\nlanguages: [en, es]\ntaxonomies:\n  topics:\n    poverty: { en: Poverty, es: Pobreza }\n";

#[test]
fn parses_a_minimal_config_with_defaults() {
    let (config, diags) = parse(GOOD, Path::new("casebook.yaml"), None);
    assert!(diags.is_empty(), "{diags:?}");
    let c = config.unwrap();
    assert_eq!(c.base_url, "https://example.org/sub/");
    assert_eq!(c.base_path(), "/sub/");
    assert_eq!(c.default_language, "en");
    assert_eq!(c.paginate, 24);
    assert_eq!(c.untranslated, Untranslated::Fallback);
    assert_eq!(
        c.topics.label("poverty", "es", c.fallbacks("es")),
        "Pobreza"
    );
}

#[test]
fn reports_every_problem_with_its_line() {
    let text = "base_url: ftp://x\nlanguages: [en, EN]\nuntranslated: maybe\ntaxonomies:\n  topics:\n    Bad Key: { en: x }\n";
    let (config, diags) = parse(text, Path::new("casebook.yaml"), None);
    assert!(config.is_none());
    let lines: Vec<usize> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.location.as_ref().unwrap().line)
        .collect();
    assert_eq!(lines, vec![2, 1, 3, 6], "{diags:#?}");
}

#[test]
fn missing_label_is_a_warning() {
    let text = "base_url: https://e.org/\nlanguages: [en, es]\ntaxonomies:\n  topics:\n    poverty: { en: Poverty }\n";
    let (config, diags) = parse(text, Path::new("casebook.yaml"), None);
    assert!(config.is_some());
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, Code::MissingLabel);
    assert_eq!(diags[0].location.as_ref().unwrap().line, 5);
}

#[test]
fn a_title_or_description_missing_in_a_language_is_a_warning() {
    let topics = "taxonomies:\n  topics:\n    poverty: { en: P, es: P, ca: P }\n";
    let text = format!(
        "base_url: https://e.org/\nlanguages: [en, es, ca]\ntitle: {{ en: Practices, es: Prácticas }}\ndescription: {{ en: D, es: D, ca: D }}\n{topics}"
    );
    let (config, diags) = parse(&text, Path::new("casebook.yaml"), None);
    assert!(config.is_some(), "{diags:#?}");
    let found: Vec<(String, usize)> = diags
        .iter()
        .map(|d| (d.message.clone(), d.location.as_ref().unwrap().line))
        .collect();
    assert_eq!(found, [("`title` has no text in `ca`".to_string(), 3)]);
    assert_eq!(diags[0].code, Code::MissingLabel);
    assert!(
        diags[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("pages in `ca` show \"Practices\"")
    );
    // One text for every language needs no translation.
    let text =
        format!("base_url: https://e.org/\nlanguages: [en, es, ca]\ntitle: Practices\n{topics}");
    let diags = parse(&text, Path::new("casebook.yaml"), None).1;
    assert!(diags.is_empty(), "{diags:#?}");
}

#[test]
fn type_errors_point_at_the_site_configuration() {
    let (_, diags) = parse("base_url: [a]\n", Path::new("casebook.yaml"), None);
    let hint = diags[0].hint.as_deref().unwrap();
    assert!(
        hint.contains("\"Site configuration\" in README.md"),
        "{hint}"
    );
}

#[test]
fn language_codes() {
    assert!(is_language_code("es") && is_language_code("pt-br") && is_language_code("ast"));
    assert!(!is_language_code("ES") && !is_language_code("e") && !is_language_code("es_ES"));
}
