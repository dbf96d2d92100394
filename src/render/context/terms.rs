//! What facets and their terms are called in a language: built-in ones from the theme's UI
//! strings and casebook.yaml's vocabularies, declared ones from the site's field labels.

use crate::input::config::{Config, FacetSpec};
use crate::model::Taxonomy;
use crate::theme::i18n::I18n;

/// The label of a facet term in `lang`: vocabularies from casebook.yaml, countries and
/// levels from the theme's i18n files.
pub fn term_label(
    config: &Config,
    i18n: &I18n,
    taxonomy: Taxonomy,
    key: &str,
    lang: &str,
) -> String {
    match taxonomy {
        Taxonomy::Topics => config
            .topics
            .label(key, lang, config.fallbacks(lang))
            .to_string(),
        Taxonomy::Programmes => config
            .programmes
            .label(key, lang, config.fallbacks(lang))
            .to_string(),
        Taxonomy::Countries => i18n.get(lang, &format!("countries.{}", key.to_ascii_uppercase())),
        Taxonomy::Levels => i18n.get(lang, &format!("levels.{key}")),
        Taxonomy::Declared(i) => match config.facets.get(i) {
            Some(FacetSpec::Terms { field }) => config
                .field(field)
                .and_then(|f| config.vocabulary_of(f))
                .map(|v| v.label(key, lang, config.fallbacks(lang)).to_string())
                .unwrap_or_else(|| key.to_string()),
            Some(FacetSpec::Ranges { buckets, .. }) => {
                crate::model::range_label(buckets, key, &|n| {
                    crate::theme::i18n::format_number(i18n, lang, n)
                })
            }
            _ => key.to_string(),
        },
    }
}

/// The name of a facet in `lang`: the theme's UI string for a built-in one, the field's
/// label from casebook.yaml for a declared one.
pub fn facet_name(config: &Config, i18n: &I18n, taxonomy: Taxonomy, lang: &str) -> String {
    match taxonomy {
        Taxonomy::Declared(i) => config
            .facets
            .get(i)
            .and_then(|f| config.field(f.key()))
            .map(|f| f.label.get(lang, config.fallbacks(lang)).to_string())
            .unwrap_or_default(),
        _ => i18n.get(lang, &format!("taxonomies.{}", taxonomy.slug(config))),
    }
}
