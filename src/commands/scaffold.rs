//! Scaffolding: `casebook new practice` writes a practice with every field present and
//! commented (or, for a translation, the per-language fields of an existing version, with
//! the version of the source it starts from recorded as `translated_from`), and
//! `casebook init` creates a minimal site that builds with the built-in theme.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic, Location, display_path};
use crate::input::config::{self, Config, FieldKind, is_slug};
use crate::input::content::{self, Section};
use crate::input::file_name::{suggest_slug, title_from_slug};
use crate::input::front_matter::{self, top_level_entries};
use crate::translation::record;
use crate::translation::source::Source;

mod init;
pub use init::init;

/// Front matter fields written per language, copied into a new translation.
pub const TRANSLATABLE: &[&str] = &[
    "title",
    "subtitle",
    "city",
    "region",
    "partners",
    "owner",
    "key_figures",
    "summary",
    "image",
];

/// Today's date as `YYYY-MM-DD` (UTC), for `published`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    civil_date(secs / 86_400)
}

/// The calendar date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_date(days: u64) -> String {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// casebook.yaml of the site at `root`, or its first error.
pub(crate) fn load_config(root: &Path) -> Result<Config, Diagnostic> {
    let (config, diags) = config::load(root, None);
    match config {
        Some(c) => Ok(c),
        None => Err(diags
            .into_iter()
            .find(Diagnostic::is_error)
            .unwrap_or_else(|| Diagnostic::new(Code::ConfigInvalid, "casebook.yaml is not valid"))),
    }
}

/// Body headings in the languages of the built-in theme, English elsewhere.
fn headings(lang: &str) -> [&'static str; 5] {
    match lang.split('-').next().unwrap_or(lang) {
        "es" => [
            "El reto",
            "La solución",
            "Cómo se coprodujo",
            "Resultados",
            "Transferibilidad",
        ],
        "ca" => [
            "El repte",
            "La solució",
            "Com es va coproduir",
            "Resultats",
            "Transferibilitat",
        ],
        "it" => [
            "La sfida",
            "La soluzione",
            "Come è stato coprodotto",
            "Risultati",
            "Trasferibilità",
        ],
        _ => [
            "The challenge",
            "The solution",
            "How it was co-produced",
            "Results",
            "Transferability",
        ],
    }
}

fn terms(vocab: &config::Vocabulary) -> String {
    let keys: Vec<&str> = vocab.keys().collect();
    if keys.is_empty() {
        "none declared yet".into()
    } else {
        keys.join(", ")
    }
}

/// A new practice with every field, commented; optional fields are left empty, which
/// counts as not given.
pub fn practice_template(config: &Config, slug: &str, lang: &str, today: &str) -> String {
    let title = title_from_slug(slug);
    let [h1, h2, h3, h4, h5] = headings(lang);
    let title_line = format!("title: {title}");
    let title_line = format!("{title_line:<18}");
    let published_line = format!("published: {today}");
    let published_line = format!("{published_line:<18}");
    format!(
        "---
# A new practice. Every field is here, with what it takes; an empty field counts as not
# given. `casebook check` points at anything missing or wrong. Shared fields describe the
# practice and are given once, in any one language's file; per-language fields are written
# in each file. Remove `draft: true` to publish the practice.
draft: true        # optional: true keeps the practice out of the site
{title_line} # required, per language: the practice's name
subtitle:          # optional, per language: one line under the title
city:              # required unless `region` is given; per language: Turin, Torino
region:            # optional, per language: Piedmont
country:           # required, shared: ISO 3166-1 alpha-2 code in capitals: ES, IT, GB
coordinates:       # optional, shared: [latitude, longitude], e.g. [45.07, 7.69]
programme:         # optional, shared: one of {programmes}
topics: []         # required, shared: one or more of {topics}
level:             # optional, shared: local, regional or national
start:             # optional, shared: YYYY, YYYY-MM or YYYY-MM-DD
end:               # optional, shared: YYYY, YYYY-MM or YYYY-MM-DD
budget:            # optional, shared: {{ total: 5100000, eu: 4080000, currency: EUR }}
partners: []       # optional, per language: [City of Turin, University of Turin]
owner:             # optional, per language: {{ organisation: City of Turin, url: \"https://www.comune.torino.it/\" }}
key_figures: []    # optional, per language: [{{ value: \"50\", label: pacts of collaboration signed }}]
summary:           # required, per language: plain text, at most 300 characters
{published_line} # required, per language: YYYY-MM-DD
updated:           # optional, per language: YYYY-MM-DD of the last significant change
related: []        # optional, shared: slugs of other practices, e.g. [co-city]
adapted_by: []     # optional, shared: practice slugs or places that took it over, e.g. [Terrassa]
image:             # optional: {{ src: images/photo.jpg, alt: \"What the photo shows\" }}; src (under static/) is shared, alt per language
{declared}---

## {h1}

## {h2}

## {h3}

## {h4}

## {h5}
",
        programmes = terms(&config.programmes),
        topics = terms(&config.topics),
        declared = declared_lines(config, lang),
    )
}

/// The fields the site declares, one commented line each, after the built-in ones.
fn declared_lines(config: &Config, lang: &str) -> String {
    let mut out = String::new();
    if !config.fields.is_empty() {
        out.push_str("# The fields this site declares in casebook.yaml:\n");
    }
    for spec in &config.fields {
        let empty = match spec.kind {
            FieldKind::List | FieldKind::Terms => format!("{}: []", spec.name),
            _ => format!("{}:", spec.name),
        };
        let what = match spec.kind {
            FieldKind::Term | FieldKind::Terms => format!(
                "{} of {}",
                if spec.kind == FieldKind::Term {
                    "one"
                } else {
                    "any"
                },
                config.vocabulary_of(spec).map(terms).unwrap_or_default()
            ),
            FieldKind::Markdown => {
                "Markdown: write `|`, then the text on the lines below, indented".to_string()
            }
            _ => format!(
                "{}, e.g. `{}`",
                spec.kind.name(),
                crate::document::field_example(config, spec)
            ),
        };
        let help = spec.help.get(lang, config.fallbacks(lang));
        let help = if help.is_empty() {
            String::new()
        } else {
            format!(" ({help})")
        };
        let line = format!(
            "{empty:<18} # {}, {}: {}: {what}{help}",
            if spec.required {
                "required"
            } else {
                "optional"
            },
            if spec.shared {
                "shared"
            } else {
                "per language"
            },
            spec.label.get(lang, config.fallbacks(lang)),
        );
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// A translation of `source` (a practice file's text) into `lang`: the per-language fields
/// and the body, to be translated, marked as a draft.
pub fn translation_template(
    source: &str,
    source_name: &str,
    lang: &str,
    today: &str,
    declared: &[&str],
) -> Option<String> {
    let split = front_matter::split(source.strip_prefix('\u{feff}').unwrap_or(source)).ok()?;
    let mut out = format!(
        "---
# The `{lang}` version, started from {source_name}: translate the values below and the
# text after the front matter. Shared fields (country, topics, programme, level, dates,
# budget, coordinates, related, adapted_by) come from the other files and are left out here.
# Remove `draft: true` when the translation is ready.
draft: true
"
    );
    for (key, text) in top_level_entries(split.yaml) {
        if TRANSLATABLE.contains(&key.as_str()) || declared.contains(&key.as_str()) {
            out.push_str(&text);
            if !text.ends_with('\n') {
                out.push('\n');
            }
        }
    }
    out.push_str(&format!(
        "published: {today} # the date this language version is published\n---\n"
    ));
    out.push_str(split.body);
    Some(out)
}

/// Writes a new practice file and returns its path. With `lang`, writes that language's
/// version: a translation of an existing version when there is one.
pub fn new_practice(
    root: &Path,
    slug: &str,
    lang: Option<&str>,
    today: String,
) -> Result<PathBuf, Diagnostic> {
    let config = load_config(root)?;
    if !is_slug(slug) {
        return Err(Diagnostic::new(
            Code::BadFileName,
            format!("`{slug}` is not a valid slug"),
        )
        .hint(format!(
            "the slug becomes the URL: lowercase ASCII letters, digits and single hyphens, e.g. `{}`",
            suggest_slug(slug)
        )));
    }
    let lang = match lang {
        Some(l) if config.has_language(l) => l.to_string(),
        Some(l) => {
            return Err(Diagnostic::new(
                Code::UnknownLanguage,
                format!("`{l}` is not a site language"),
            )
            .hint(format!(
                "site languages: {}; add it to `languages` in casebook.yaml first",
                config.languages.join(", ")
            )));
        }
        None => config.default_language.clone(),
    };
    let dir = root.join("content").join("practices");
    // The names of a language's file, the one written first: the default language's file
    // may also be named with its language, as a CMS names it (`co-city.en.md`).
    let file_names = |l: &str| {
        let named = format!("{slug}.{l}.md");
        if l == config.default_language {
            vec![format!("{slug}.md"), named]
        } else {
            vec![named]
        }
    };
    let names = file_names(&lang);
    let path = dir.join(&names[0]);
    let shown = display_path(root, &path);
    if let Some(taken) = names.iter().map(|n| dir.join(n)).find(|p| p.exists()) {
        let taken = display_path(root, &taken);
        return Err(Diagnostic::new(
            Code::FileExists,
            format!("{} already exists", taken.display()),
        )
        .at(Location::file(&taken))
        .hint("casebook never overwrites a file: edit it, or choose another slug or language"));
    }
    // The version to translate from: the default language's, else the first that exists.
    let mut order: Vec<&String> = config.languages.iter().collect();
    order.sort_by_key(|l| **l != config.default_language);
    let existing = order
        .into_iter()
        .flat_map(|l| file_names(l))
        .map(|n| dir.join(n))
        .find(|p| p.is_file());
    let text = match existing {
        Some(from) => {
            let from_shown = display_path(root, &from);
            let site = crate::input::files::SiteRoot::new(root);
            let bytes = site
                .read(&from, crate::input::files::MAX_TEXT_FILE_BYTES)
                .map_err(|refusal| refusal.diagnostic(&from_shown))?;
            let source = String::from_utf8(bytes).map_err(|_| {
                Diagnostic::new(Code::NotUtf8, "file is not valid UTF-8")
                    .at(Location::file(&from_shown))
                    .hint("save the file as UTF-8")
            })?;
            let name = from_shown
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let per_language: Vec<&str> = config
                .fields
                .iter()
                .filter(|f| !f.shared)
                .map(|f| f.name.as_str())
                .collect();
            let text = translation_template(&source, &name, &lang, &today, &per_language)
                .ok_or_else(|| {
                    Diagnostic::new(
                        Code::FrontMatterMissing,
                        "cannot start a translation from a file without front matter",
                    )
                    .at(Location::file(&from_shown))
                    .hint("fix that file first; `casebook check` says what is wrong")
                })?;
            match source_fingerprint(root, &config, &from) {
                Some(fingerprint) => record::set(&text, &fingerprint).unwrap_or(text),
                None => text,
            }
        }
        None => practice_template(&config, slug, &lang, &today),
    };
    std::fs::create_dir_all(&dir).map_err(|e| write_error(&dir, &e))?;
    write_new(&path, &text)?;
    Ok(shown)
}

/// The fingerprint of `path` when it is the source of translations (the version in the
/// default language) and parses: what a translation started from it records.
fn source_fingerprint(root: &Path, config: &Config, path: &Path) -> Option<String> {
    let file = content::read(root, config, Section::Practices, path).ok()?;
    if file.lang != config.default_language {
        return None;
    }
    Source::parse(file, config)
        .ok()
        .map(|s| s.fingerprint().to_string())
}

fn write_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        Code::WriteFailed,
        format!("cannot write {}: {e}", path.display()),
    )
    .hint("check the folder's permissions")
}

/// Creates `path` with `text`, refusing to replace an existing file.
fn write_new(path: &Path, text: &str) -> Result<(), Diagnostic> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| write_error(path, &e))?;
    f.write_all(text.as_bytes())
        .map_err(|e| write_error(path, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(19_782), "2024-02-29");
        assert_eq!(civil_date(20_454), "2026-01-01");
    }

    #[test]
    fn titles_from_slugs() {
        assert_eq!(title_from_slug("co-city"), "Co City");
    }
}
