//! An imported practice as the text of its files: YAML front matter in the order of
//! DESIGN.md (shared values in one file, the default language's when it is imported), then
//! the body. Each line of a file remembers the place of the imported file it came from, so
//! that a problem the practice parser finds there is reported where the user can fix it.
//! With `--update`, the front matter of an existing file keeps the fields the import has no
//! column for, and its body when the import has none.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::fields::{Given, Origin, Practice, Scope, Value, Version, keys, scope, top_key};
use crate::diagnostics::display_path;
use crate::input::config::Config;
use crate::input::front_matter;

/// The line written in place of a body the import did not have.
pub const NO_BODY: &str =
    "# No body was imported: write the practice's text below the closing `---`.";

/// One file to write.
#[derive(Debug, Clone)]
pub struct Planned {
    /// The practice's slug.
    pub slug: String,
    /// The file's language.
    pub lang: String,
    /// Where to write it.
    pub path: PathBuf,
    /// Its path relative to the site root, as diagnostics show it.
    pub rel: PathBuf,
    /// Its text, as checked: with every shared value the import gives.
    pub text: String,
    /// Its text as written: without the shared values the site's default-language file
    /// already gives (checked to agree), which a translation inherits.
    pub written: String,
    /// Where each line came from (index: line − 1); a line the import did not make has
    /// the version's origin.
    pub origins: Vec<Origin>,
    /// Where the version starts in the imported file.
    pub origin: Origin,
    /// Whether the file exists now.
    pub exists: bool,
    /// Whether the file has a body (imported, or kept with `--update`).
    pub has_body: bool,
    /// The cells (or JSON values) the import has for this file's top-level keys, given or
    /// empty: where to point at a required field left empty.
    pub cells: BTreeMap<String, Origin>,
}

/// The path of a practice file: `slug.md` in the default language, `slug.LANG.md` else.
pub fn practice_path(root: &Path, config: &Config, slug: &str, lang: &str) -> PathBuf {
    let name = if lang == config.default_language {
        format!("{slug}.md")
    } else {
        format!("{slug}.{lang}.md")
    };
    root.join("content").join("practices").join(name)
}

/// The version that carries the shared values: the default language's, else the first.
pub fn primary(config: &Config, p: &Practice) -> usize {
    p.versions
        .iter()
        .position(|v| v.lang == config.default_language)
        .unwrap_or(0)
}

/// The files of a practice. `update` merges into existing files.
pub fn files(root: &Path, config: &Config, p: &Practice, update: bool) -> Vec<Planned> {
    let first = primary(config, p);
    let inherited = inherited_keys(root, config, p);
    p.versions
        .iter()
        .enumerate()
        .map(|(i, v)| file(root, config, p, v, i == first, update, &inherited))
        .collect()
}

/// The top-level keys of the site's file of the practice in the default language, when
/// the import has no version in that language: its translations inherit them.
fn inherited_keys(root: &Path, config: &Config, p: &Practice) -> BTreeSet<String> {
    if p.versions.iter().any(|v| v.lang == config.default_language) {
        return BTreeSet::new();
    }
    let path = practice_path(root, config, &p.slug, &config.default_language);
    let site = crate::input::files::SiteRoot::new(root);
    let Ok(bytes) = site.read(&path, crate::input::files::MAX_TEXT_FILE_BYTES) else {
        return BTreeSet::new();
    };
    let text =
        crate::input::files::normalize_line_breaks(String::from_utf8_lossy(&bytes).into_owned());
    match front_matter::split(text.trim_start_matches('\u{feff}')) {
        Ok(split) => front_matter::top_level_entries(split.yaml)
            .into_iter()
            .map(|(k, _)| k)
            .collect(),
        Err(_) => BTreeSet::new(),
    }
}

/// One block of front matter: its top-level key and its lines.
struct Entry {
    key: String,
    order: usize,
    lines: Vec<(String, Option<Origin>)>,
    /// An imported shared value (as [`imported`] makes it), then: one the site's
    /// default-language file already gives.
    inherited: bool,
}

/// Front matter and body as text, with where each line came from; `inherited` entries
/// only when `all`.
fn assemble(
    entries: &[Entry],
    body: &Option<(String, Option<Origin>)>,
    fallback: &Origin,
    all: bool,
) -> (String, Vec<Origin>) {
    let mut text = String::from("---\n");
    let mut origins = vec![fallback.clone()];
    let mut line = |text: &mut String, l: &str, o: &Option<Origin>| {
        text.push_str(l);
        text.push('\n');
        origins.push(o.clone().unwrap_or_else(|| fallback.clone()));
    };
    for e in entries.iter().filter(|e| all || !e.inherited) {
        for (l, o) in &e.lines {
            line(&mut text, l, o);
        }
    }
    if body.is_none() {
        line(&mut text, NO_BODY, &None);
    }
    line(&mut text, "---", &None);
    if let Some((b, origin)) = body {
        let b = crate::input::files::normalize_line_breaks(b.clone());
        for l in b.lines() {
            line(&mut text, l, origin);
        }
    }
    (text, origins)
}

fn file(
    root: &Path,
    config: &Config,
    p: &Practice,
    v: &Version,
    primary: bool,
    update: bool,
    inherited: &BTreeSet<String>,
) -> Planned {
    let path = practice_path(root, config, &p.slug, &v.lang);
    let rel = display_path(root, &path);
    // A link counts as a file: it is never written through.
    let exists = path.symlink_metadata().is_ok();
    let order_of = order(config);
    let mut entries = imported(config, p, v, primary, &order_of);
    for e in &mut entries {
        e.inherited = e.inherited && primary && inherited.contains(e.key.as_str());
    }
    let mut body: Option<(String, Option<Origin>)> = v
        .body
        .as_ref()
        .filter(|b| !b.value.is_empty())
        .map(|b| (text_of(&b.value), Some(b.origin.clone())));
    let site = crate::input::files::SiteRoot::new(root);
    if update
        && exists
        && let Ok(bytes) = site.read(&path, crate::input::files::MAX_TEXT_FILE_BYTES)
        && let Ok(existing) = String::from_utf8(bytes)
    {
        let existing = existing.strip_prefix('\u{feff}').unwrap_or(&existing);
        let existing = crate::input::files::normalize_line_breaks(existing.to_string());
        if let Ok(split) = front_matter::split(&existing) {
            for (key, text) in front_matter::top_level_entries(split.yaml) {
                if decides(config, p, v, primary, &key) {
                    continue;
                }
                // This import says again whether the body is missing.
                let lines = text
                    .lines()
                    .filter(|l| *l != NO_BODY)
                    .map(|l| (l.to_string(), None))
                    .collect();
                entries.push(Entry {
                    order: order_of(&key),
                    lines,
                    inherited: false,
                    key,
                });
            }
            if body.is_none() && !split.body.trim().is_empty() {
                body = Some((split.body.to_string(), None));
            }
        }
    }
    entries.sort_by_key(|e| e.order);
    let (text, origins) = assemble(&entries, &body, &v.origin, true);
    let (written, _) = assemble(&entries, &body, &v.origin, false);
    let has_body = body.is_some();
    let mut cells = BTreeMap::new();
    let shared = p.decided.iter().filter(|_| primary);
    for (k, o) in v.decided.iter().chain(shared) {
        cells
            .entry(top_key(k).to_string())
            .or_insert_with(|| o.clone());
    }
    Planned {
        slug: p.slug.clone(),
        lang: v.lang.clone(),
        path,
        rel,
        text,
        written,
        origins,
        origin: v.origin.clone(),
        exists,
        has_body,
        cells,
    }
}

/// The position of a top-level key in the written order; keys casebook does not import
/// (`translated_from`, others) go last, in the order the file has them.
fn order(config: &Config) -> impl Fn(&str) -> usize {
    let mut tops: Vec<String> = Vec::new();
    for (k, _, _) in keys(config) {
        let t = top_key(&k).to_string();
        if !tops.contains(&t) {
            tops.push(t);
        }
    }
    move |key: &str| tops.iter().position(|t| t == key).unwrap_or(tops.len())
}

/// Whether the import decides the top-level `key` of this version's file (`--update`
/// replaces it, given or empty).
fn decides(config: &Config, p: &Practice, v: &Version, primary: bool, key: &str) -> bool {
    let decided = |k: &String| {
        top_key(k) == key
            && match scope(config, k) {
                Some(Scope::Shared) => primary,
                _ => true,
            }
    };
    v.decided.keys().any(decided) || (primary && p.decided.keys().any(decided))
}

/// The front matter the import gives for this version, block by block.
fn imported(
    config: &Config,
    p: &Practice,
    v: &Version,
    primary: bool,
    order_of: &impl Fn(&str) -> usize,
) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    let mut done: Vec<String> = Vec::new();
    for (key, _, _) in keys(config) {
        let top = top_key(&key).to_string();
        let top = top.as_str();
        if done.iter().any(|d| d == top) {
            continue;
        }
        let value_of = |k: &str| -> Option<&Given> {
            let given = match super::fields::scope(config, k) {
                Some(Scope::Shared) if k == "image.src" => {
                    // The image's path is shared, but a translation with its own alt text
                    // writes it beside the alt.
                    if primary || v.values.contains_key("image.alt") {
                        p.shared.get(k)
                    } else {
                        None
                    }
                }
                Some(Scope::Shared) if primary => p.shared.get(k),
                Some(Scope::Shared) => None,
                _ => v.values.get(k),
            };
            given.filter(|g| !g.value.is_empty())
        };
        if key.contains('.') {
            done.push(top.to_string());
            let subs: Vec<(String, &Given)> = keys(config)
                .into_iter()
                .filter(|(k, _, _)| top_key(k) == top)
                .filter_map(|(k, _, _)| {
                    let g = value_of(&k)?;
                    Some((k.split('.').nth(1).unwrap_or("").to_string(), g))
                })
                .collect();
            if subs.is_empty() {
                continue;
            }
            let mut lines = vec![(format!("{top}:"), Some(subs[0].1.origin.clone()))];
            for (sub, g) in subs {
                lines.push((
                    format!("  {sub}: {}", inline(&g.value)),
                    Some(g.origin.clone()),
                ));
            }
            // `image` is not: its alt text is per language.
            let shared = keys(config)
                .iter()
                .filter(|(k, _, _)| top_key(k) == top)
                .all(|(_, s, _)| *s == Scope::Shared);
            out.push(Entry {
                key: top.to_string(),
                order: order_of(top),
                lines,
                inherited: shared,
            });
            continue;
        }
        let Some(g) = value_of(&key) else { continue };
        let lines = match &g.value {
            Value::Figures(figures) => {
                let mut lines = vec![(format!("{key}:"), Some(g.origin.clone()))];
                for (value, label) in figures {
                    lines.push((
                        format!(
                            "  - {{ value: {}, label: {} }}",
                            yaml_string(value, true),
                            yaml_string(label, true)
                        ),
                        Some(g.origin.clone()),
                    ));
                }
                lines
            }
            Value::Text(t)
                if matches!(key.as_str(), "summary" | "subtitle") && folded(t).is_some() =>
            {
                let mut lines = vec![(format!("{key}: >"), Some(g.origin.clone()))];
                for line in folded(t).unwrap_or_default() {
                    lines.push((format!("  {line}"), Some(g.origin.clone())));
                }
                lines
            }
            other => vec![(format!("{key}: {}", inline(other)), Some(g.origin.clone()))],
        };
        out.push(Entry {
            order: order_of(&key),
            lines,
            inherited: scope(config, &key) == Some(Scope::Shared),
            key,
        });
    }
    out
}

fn text_of(v: &Value) -> String {
    match v {
        Value::Text(s) | Value::Raw(s) => s.clone(),
        Value::List(l) => l.join("\n"),
        Value::Figures(_) => String::new(),
    }
}

/// A value on one line.
fn inline(v: &Value) -> String {
    match v {
        Value::Text(s) => yaml_string(s, false),
        Value::Raw(s) => s.clone(),
        Value::List(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| yaml_string(i, true))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Figures(_) => String::new(),
    }
}

/// The width of the lines of a long summary.
const WIDTH: usize = 88;

/// A long text as the lines of a folded block (`summary: >`), as editors write it, when
/// YAML reads it back as the same words: one line of text, single spaces.
fn folded(s: &str) -> Option<Vec<String>> {
    let plain = s.chars().count() > WIDTH - 10
        && s.trim() == s
        && !s.contains("  ")
        && !s
            .chars()
            .any(|c| c.is_control() || (c.is_whitespace() && c != ' '));
    if !plain {
        return None;
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > WIDTH {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    Some(lines)
}

/// A string as YAML reads it back unchanged: plain when that is safe (`Turin`,
/// `2021-03-01`, `L'Hospitalet`), double-quoted otherwise. `flow`: inside `[…]` or `{…}`.
pub fn yaml_string(s: &str, flow: bool) -> String {
    if is_plain_safe(s, flow) {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
    }
}

fn is_plain_safe(s: &str, flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let lower = s.to_ascii_lowercase();
    let special = [
        "true", "false", "yes", "no", "on", "off", "null", "y", "n", "~",
    ];
    first.is_alphanumeric()
        && s.trim() == s
        && !special.contains(&lower.as_str())
        && s.parse::<f64>().is_err()
        && !lower.starts_with("0x")
        && !lower.starts_with("0o")
        && !s.chars().any(|c| c.is_control() || c == '"' || c == '\\')
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !(flow && s.contains([',', '[', ']', '{', '}']))
}

#[cfg(test)]
mod tests {
    use super::{folded, yaml_string};

    #[test]
    fn long_texts_fold_at_spaces_only_when_yaml_reads_back_the_same() {
        let long = "word ".repeat(40);
        let lines = folded(long.trim()).unwrap();
        assert!(lines.len() > 1 && lines.iter().all(|l| l.chars().count() <= 88));
        assert_eq!(lines.join(" "), long.trim());
        assert_eq!(folded("short"), None);
        assert_eq!(folded(&format!("{long}  double")), None);
        assert_eq!(folded(&format!("{long}\nnewline")), None);
    }

    #[test]
    fn strings_are_plain_only_when_safe() {
        assert_eq!(yaml_string("Turin", false), "Turin");
        assert_eq!(yaml_string("2021-03-01", false), "2021-03-01");
        assert_eq!(yaml_string("L'Hospitalet", true), "L'Hospitalet");
        assert_eq!(yaml_string("2017", false), "\"2017\"");
        assert_eq!(yaml_string("yes", false), "\"yes\"");
        assert_eq!(yaml_string("a, b", true), "\"a, b\"");
        assert_eq!(yaml_string("a, b", false), "a, b");
        assert_eq!(
            yaml_string("Housing First: a home", false),
            "\"Housing First: a home\""
        );
        assert_eq!(yaml_string("#tag", false), "\"#tag\"");
        assert_eq!(yaml_string("say \"hi\"", false), "\"say \\\"hi\\\"\"");
        assert_eq!(yaml_string("two\nlines", false), "\"two\\nlines\"");
        assert_eq!(yaml_string("", false), "\"\"");
    }
}
