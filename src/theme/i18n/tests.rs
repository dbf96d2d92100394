use super::*;

fn i18n() -> I18n {
    let mut tables = BTreeMap::new();
    let en: BTreeMap<String, String> = [
        ("hello", "Hello"),
        ("only_en", "English only"),
        ("n.one", "{n} practice"),
        ("n.other", "{n} practices"),
        ("number.thousands", ","),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let es: BTreeMap<String, String> = [
        ("hello", "Hola"),
        ("number.thousands", "."),
        ("money.format", "{amount} {currency}"),
        ("currency.EUR", "€"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    tables.insert("en".into(), en);
    tables.insert("es".into(), es);
    I18n::from_tables("en", tables)
}

#[test]
fn finds_the_keys_named_in_t_calls() {
    let text = r#"{{ t(key="a.b") }}{{ t( key = 'c', n=2) }}{{ at(key="no") }}{{ t(key=k) }}{{ t(key="languages." ~ code) }}"#;
    assert_eq!(keys_named(text), ["a.b", "c"]);
}

#[test]
fn falls_back_to_default_language_with_a_warning() {
    let i = i18n();
    assert_eq!(i.get("es", "hello"), "Hola");
    assert_eq!(i.get("es", "only_en"), "English only");
    assert_eq!(i.get("es", "nowhere"), "nowhere");
    let used: BTreeSet<String> = ["hello", "nowhere", "n"].map(String::from).into();
    let warnings = i.missing_warnings(&used);
    let messages: Vec<&str> = warnings.iter().map(|d| d.message.as_str()).collect();
    // `es` lacks `nowhere` (used), and `only_en`, `n.one` and `n.other` (the default
    // language's); `en` lacks `nowhere`. `n` counts as there in `en`: its plural forms.
    assert_eq!(warnings.len(), 5, "{messages:?}");
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`only_en` is missing in `es`"))
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`nowhere` is missing in `en`"))
    );
}

#[test]
fn plurals_and_numbers() {
    let i = i18n();
    assert_eq!(i.plural("en", "n", 1), "1 practice");
    assert_eq!(i.plural("en", "n", 2400), "2,400 practices");
    assert_eq!(format_money(&i, "es", 5_100_000.0, "EUR"), "5.100.000 €");
    assert_eq!(format_number(&i, "en", 12.5), "12.50");
}
