//! One practice from its files: per-language fields inherited by translations, shared fields
//! checked to agree across files.

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::document::{Located, PracticeDoc};
use crate::input::config::Config;

use super::site::{Practice, Version};

pub(super) fn duplicate(
    rel: &std::path::Path,
    other: &std::path::Path,
    slug: &str,
    lang: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateSlug,
        format!("`{slug}` in `{lang}` is defined twice"),
    )
    .at(Location::file(rel))
    .note(Location::file(other), "first defined here")
    .hint(duplicate_hint(rel, other, slug, lang))
}

/// The hint for two files of one slug and language: `co-city.md` and `co-city.en.md` (as a
/// CMS names the default language) are the same version under two names.
fn duplicate_hint(
    rel: &std::path::Path,
    other: &std::path::Path,
    slug: &str,
    lang: &str,
) -> String {
    let name = |p: &std::path::Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    let (plain, suffixed) = (format!("{slug}.md"), format!("{slug}.{lang}.md"));
    let names = [name(rel), name(other)];
    let pair = |a: &str, b: &str| names[0].as_deref() == Some(a) && names[1].as_deref() == Some(b);
    if pair(&plain, &suffixed) || pair(&suffixed, &plain) {
        format!(
            "`{plain}` and `{suffixed}` are both the `{lang}` version (the default language may be named either way): merge them into `{suffixed}`, the name a CMS writes, and delete `{plain}`"
        )
    } else {
        "each slug may have one file per language; rename or delete one of them".to_string()
    }
}

/// Sorts a practice's files as [`merge`] takes them: the default language's first, then
/// in site language order (the first file that gives a shared field gives its value).
pub(super) fn sort_files(config: &Config, docs: &mut [PracticeDoc]) {
    docs.sort_by_key(|d| {
        (
            d.lang != config.default_language,
            language_order(config, &d.lang),
        )
    });
}

/// Where `lang` comes in the site's languages (after them all when it is not one).
fn language_order(config: &Config, lang: &str) -> usize {
    config
        .languages
        .iter()
        .position(|l| l == lang)
        .unwrap_or(usize::MAX)
}

/// Checks one facet across versions: every file that gives it must agree with the first.
fn agree<T: PartialEq + Clone + std::fmt::Debug>(
    docs: &[PracticeDoc],
    name: &str,
    get: impl Fn(&PracticeDoc) -> Option<&Located<T>>,
    show: impl Fn(&T) -> String,
    diags: &mut Vec<Diagnostic>,
) -> Option<T> {
    let mut first: Option<(&Located<T>, &PracticeDoc)> = None;
    for d in docs {
        let Some(v) = get(d) else { continue };
        match first {
            None => first = Some((v, d)),
            Some((f, fd)) if f.value != v.value => diags.push(
                Diagnostic::new(Code::FacetConflict, format!(
                    "`{name}` is {} here but {} in {}", show(&v.value), show(&f.value), fd.rel.display()
                ))
                .at(v.location.clone())
                .note(f.location.clone(), format!("{name} is {} here", show(&f.value)))
                .hint(format!("`{name}` describes the practice, not the language: give it once (in {}) and leave it out of the translations", fd.rel.display())),
            ),
            Some(_) => {}
        }
    }
    first.map(|(v, _)| v.value.clone())
}

/// A practice merged from its files, with its raw `related` and `adapted_by` entries.
type Merged = (Practice, Vec<Located<String>>, Vec<Located<String>>);

pub(super) fn merge(
    config: &Config,
    slug: String,
    docs: Vec<PracticeDoc>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Merged> {
    let before = diags.len();
    let country = agree(
        &docs,
        "country",
        |d| d.facets.country.as_ref(),
        |v| format!("`{v}`"),
        diags,
    );
    let coordinates = agree(
        &docs,
        "coordinates",
        |d| d.facets.coordinates.as_ref(),
        |v| format!("[{}, {}]", v.0, v.1),
        diags,
    );
    let programme = agree(
        &docs,
        "programme",
        |d| d.facets.programme.as_ref(),
        |v| format!("`{v}`"),
        diags,
    );
    let topics = agree(
        &docs,
        "topics",
        |d| d.facets.topics.as_ref(),
        |v| format!("[{}]", v.join(", ")),
        diags,
    );
    let level = agree(
        &docs,
        "level",
        |d| d.facets.level.as_ref(),
        |v| format!("`{}`", v.key()),
        diags,
    );
    let start = agree(
        &docs,
        "start",
        |d| d.facets.start.as_ref(),
        |v| format!("`{}`", v.iso()),
        diags,
    );
    let end = agree(
        &docs,
        "end",
        |d| d.facets.end.as_ref(),
        |v| format!("`{}`", v.iso()),
        diags,
    );
    let budget = agree(
        &docs,
        "budget",
        |d| d.facets.budget.as_ref(),
        |v| format!("{v:?}"),
        diags,
    );
    let image = agree(
        &docs,
        "image.src",
        |d| d.facets.image.as_ref(),
        |v| format!("`{v}`"),
        diags,
    );
    let related_slugs = agree(
        &docs,
        "related",
        |d| d.facets.related.as_ref(),
        |v| {
            format!(
                "[{}]",
                v.iter()
                    .map(|s| s.value.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        },
        diags,
    );
    let adapted_by = agree(
        &docs,
        "adapted_by",
        |d| d.facets.adapted_by.as_ref(),
        |v| {
            format!(
                "[{}]",
                v.iter()
                    .map(|s| s.value.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        },
        diags,
    );
    let mut declared = std::collections::BTreeMap::new();
    for spec in config.fields.iter().filter(|f| f.shared) {
        let value = agree(
            &docs,
            &spec.name,
            |d| d.facets.declared.get(&spec.name),
            |v| format!("`{}`", v.show()),
            diags,
        );
        if let Some(v) = value {
            declared.insert(spec.name.clone(), v);
        }
    }
    let primary = &docs[0];
    // `add` says what to write, e.g. "`topics: [poverty]`".
    let need = |field: &str, add: &str, diags: &mut Vec<Diagnostic>| {
        let files = docs
            .iter()
            .map(|d| d.rel.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let name = field;
        let at = match crate::document::empty_field_line(&primary.source, name) {
            Some(line) => Diagnostic::new(
                Code::MissingField,
                format!(
                    "practice `{}` has no `{name}`: the field has no value",
                    primary.slug
                ),
            )
            .at_source(
                Location::new(&primary.rel, line, 1),
                &primary.source,
                name.len(),
            ),
            None => Diagnostic::new(
                Code::MissingField,
                format!("practice `{}` has no `{field}`", primary.slug),
            )
            .at(primary.front_matter_at.clone()),
        };
        diags.push(at.hint(format!(
            "add {add} to {} (it is shared by all translations; files: {files})",
            primary.rel.display()
        )));
    };
    if country.is_none() && docs.iter().all(|d| d.facets.country.is_none()) {
        need("country", &country_example(&docs), diags);
    }
    if topics.is_none() && docs.iter().all(|d| d.facets.topics.is_none()) {
        let topic = config.topics.keys().next().unwrap_or("poverty");
        need("topics", &format!("`topics: [{topic}]`"), diags);
    }
    for spec in config.fields.iter().filter(|f| f.shared && f.required) {
        if !declared.contains_key(&spec.name) {
            let add = format!("`{}`", crate::document::field_example(config, spec));
            need(&spec.name, &add, diags);
        }
    }
    let inherited_city = docs.iter().find_map(|d| d.city.clone());
    if inherited_city.is_none() && docs.iter().all(|d| d.region.is_none()) {
        need(
            "city",
            "`city: Turin` (or `region: Andalusia` for a practice that covers a whole region)",
            diags,
        );
    }
    if diags.len() > before && diags[before..].iter().any(Diagnostic::is_error) {
        return None;
    }
    let inherited_region = docs.iter().find_map(|d| d.region.clone());
    let inherited_alt = docs.iter().find_map(|d| d.image_alt.clone());
    let mut versions = Vec::with_capacity(docs.len());
    for doc in docs {
        let (Some(title), Some(summary), Some(published)) =
            (doc.title.clone(), doc.summary.clone(), doc.published)
        else {
            continue;
        };
        versions.push(Version {
            title,
            summary,
            published,
            city: doc
                .city
                .clone()
                .or_else(|| inherited_city.clone())
                .unwrap_or_default(),
            region: doc.region.clone().or_else(|| inherited_region.clone()),
            image_alt: doc.image_alt.clone().or_else(|| inherited_alt.clone()),
            doc,
        });
    }
    versions.sort_by_key(|v| language_order(config, &v.doc.lang));
    if versions.is_empty() {
        return None;
    }
    Some((
        Practice {
            slug,
            country: country.unwrap_or_default(),
            coordinates,
            programme,
            topics: topics.unwrap_or_default(),
            level,
            start,
            end,
            budget,
            image,
            declared,
            versions,
            related: Vec::new(),
            related_explicit: Vec::new(),
            similar: Vec::new(),
            adapted_by: Vec::new(),
            adapted_from: Vec::new(),
        },
        related_slugs.unwrap_or_default(),
        adapted_by.unwrap_or_default(),
    ))
}

/// What to write for a missing `country`: the country of the practice's city when casebook
/// knows it, and otherwise the form with examples named, so that no wrong code is suggested.
fn country_example(docs: &[PracticeDoc]) -> String {
    let known = docs.iter().find_map(|d| {
        let city = d.city.as_deref()?;
        crate::input::cities::country_of(city).map(|(code, name)| (city, code, name))
    });
    match known {
        Some((city, code, name)) => format!("`country: {code}` ({city} is in {name})"),
        None => "`country:` with the ISO 3166-1 code of its country, in capitals (`ES` for Spain, `IT` for Italy, `PT` for Portugal…)".into(),
    }
}
