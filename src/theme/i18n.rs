//! UI strings per language from the theme's `i18n/<lang>.yaml` files, with fallback along
//! the language's chain (`fallback:` in casebook.yaml, else the default language) and a
//! warning for every missing key.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::input::config::Fallbacks;
use crate::input::dates::DateFormat;
use crate::input::yaml::YamlSource;

/// A UI strings file, e.g. `es.yaml` or `countries/es.yaml`.
#[derive(Debug, Clone)]
pub struct I18nFile {
    /// Its path under the i18n folder, with `/`.
    pub rel: String,
    /// How it is shown in diagnostics.
    pub shown: PathBuf,
    /// Its text.
    pub text: String,
}

impl I18nFile {
    /// The language it is for: its file stem.
    pub fn lang(&self) -> &str {
        let name = self.rel.rsplit('/').next().unwrap_or(&self.rel);
        name.strip_suffix(".yaml").unwrap_or(name)
    }
}

/// Past this many missing keys in one language, they are reported as one warning.
const MAX_SEPARATE_MISSING: usize = 12;

/// Translations for every site language.
#[derive(Debug, Default)]
pub struct I18n {
    default: String,
    /// What each language falls back to.
    fallbacks: Fallbacks,
    tables: BTreeMap<String, BTreeMap<String, String>>,
    files: BTreeMap<String, PathBuf>,
    /// For each key of the default language, the file (relative to i18n/) defining it.
    origins: BTreeMap<String, String>,
}

fn flatten(prefix: &str, value: &Value, out: &mut BTreeMap<String, String>) {
    let key = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                flatten(&key(k), v, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten(&key(&i.to_string()), v, out);
            }
        }
        Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
        }
        Value::Number(n) => {
            out.insert(prefix.to_string(), n.to_string());
        }
        Value::Bool(b) => {
            out.insert(prefix.to_string(), b.to_string());
        }
        Value::Null => {}
    }
}

/// The diagnostic for the first string of an i18n file that holds a control character
/// written as a YAML escape (`"\x1b"`), on the line of its key.
fn escaped_control_char(strings: &BTreeMap<String, String>, file: &I18nFile) -> Option<Diagnostic> {
    let (key, c) = strings
        .iter()
        .find_map(|(k, v)| crate::input::control_chars::first_forbidden(v).map(|(_, c)| (k, c)))?;
    let last = key.rsplit('.').next().unwrap_or(key);
    let line = file
        .text
        .lines()
        .position(|l| {
            let l = l.trim_start().trim_start_matches(['"', '\'']);
            l.starts_with(last)
                && l[last.len()..]
                    .trim_start_matches(['"', '\''])
                    .starts_with(':')
        })
        .map_or(1, |i| i + 1);
    Some(crate::input::control_chars::in_value(
        key,
        c,
        Location::new(&file.shown, line, 1),
        &file.text,
    ))
}

impl I18n {
    /// Loads the UI strings of each language from `files` (`<lang>.yaml` and
    /// `<folder>/<lang>.yaml`, e.g. `countries/es.yaml`), later files overriding earlier ones.
    pub fn load(
        files: &[I18nFile],
        languages: &[String],
        default: &str,
    ) -> (I18n, Vec<Diagnostic>) {
        let mut i18n = I18n {
            default: default.to_string(),
            fallbacks: Fallbacks::to_default(default),
            ..I18n::default()
        };
        let mut diags = Vec::new();
        for lang in languages {
            let mut table = BTreeMap::new();
            for file in files.iter().filter(|f| f.lang() == lang) {
                if !file.rel.contains('/') {
                    i18n.files.insert(lang.clone(), file.shown.clone());
                }
                let src = YamlSource {
                    text: &file.text,
                    file_text: &file.text,
                    file: &file.shown,
                    first_line: 1,
                };
                let before: BTreeSet<String> = if lang == default {
                    table.keys().cloned().collect()
                } else {
                    BTreeSet::new()
                };
                if let Some(d) = crate::input::control_chars::scan(&file.text, &file.shown) {
                    diags.push(d);
                    continue;
                }
                match src.parse::<Value>() {
                    Ok(v @ Value::Object(_)) => {
                        let mut strings = BTreeMap::new();
                        flatten("", &v, &mut strings);
                        match escaped_control_char(&strings, file) {
                            Some(d) => diags.push(d),
                            None => table.extend(strings),
                        }
                    }
                    Ok(Value::Null) => {}
                    Ok(_) => diags.push(
                        Diagnostic::new(
                            Code::I18nInvalid,
                            "an i18n file must be a mapping of keys to strings",
                        )
                        .at(Location::new(&file.shown, 1, 1))
                        .hint("write `key: text` lines, e.g. `nav.catalogue: Catalogue`"),
                    ),
                    Err(mut d) => {
                        d.code = Code::I18nInvalid;
                        diags.push(d);
                    }
                }
                if lang == default {
                    for key in table.keys().filter(|k| !before.contains(*k)) {
                        i18n.origins.insert(key.clone(), file.rel.clone());
                    }
                }
            }
            i18n.tables.insert(lang.clone(), table);
        }
        (i18n, diags)
    }

    /// The i18n file (relative to an i18n folder) where `lang` should define `key`: the
    /// language's file in the folder where the default language defines it.
    pub fn file_for(&self, lang: &str, key: &str) -> String {
        match self.origins.get(key).and_then(|o| o.rsplit_once('/')) {
            Some((dir, _)) => format!("{dir}/{lang}.yaml"),
            None => format!("{lang}.yaml"),
        }
    }

    /// An in-memory table, for tests.
    pub fn from_tables(default: &str, tables: BTreeMap<String, BTreeMap<String, String>>) -> I18n {
        I18n {
            default: default.into(),
            fallbacks: Fallbacks::to_default(default),
            tables,
            ..I18n::default()
        }
    }

    /// The same strings, each language falling back along its chain in `fallbacks` (the
    /// site's `fallback:`) rather than to the default language alone.
    pub fn with_fallbacks(mut self, fallbacks: Fallbacks) -> I18n {
        self.fallbacks = fallbacks;
        self
    }

    /// The string for `key` in `lang`, else in the first language of its chain that has it.
    fn find(&self, lang: &str, key: &str) -> Option<&str> {
        self.fallbacks
            .with_own(lang)
            .find_map(|l| self.lookup(l, key))
    }

    /// The string for `key` in `lang`: falls back along the language's chain (which ends
    /// with the default language), then to the key itself (the misses are warned of by
    /// [`I18n::missing_warnings`]). Never empty.
    pub fn get(&self, lang: &str, key: &str) -> String {
        self.find(lang, key).unwrap_or(key).to_string()
    }

    /// The string for `key` in `lang` without fallback or warning.
    pub fn lookup(&self, lang: &str, key: &str) -> Option<&str> {
        self.tables
            .get(lang)?
            .get(key)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }

    /// A plural form: `key.one` when `n` is 1, else `key.other`, with `{n}` replaced.
    pub fn plural(&self, lang: &str, key: &str, n: i64) -> String {
        let form = if n == 1 { "one" } else { "other" };
        let full = format!("{key}.{form}");
        let text = if self.find(lang, &full).is_some() {
            self.get(lang, &full)
        } else {
            self.get(lang, key)
        };
        text.replace("{n}", &format_number(self, lang, n as f64))
    }

    /// Every key of `lang`.
    pub fn keys(&self, lang: &str) -> impl Iterator<Item = &str> {
        self.tables
            .get(lang)
            .into_iter()
            .flat_map(|t| t.keys().map(String::as_str))
    }

    /// The i18n file of `lang`, as shown to users.
    pub fn file(&self, lang: &str) -> Option<&Path> {
        self.files.get(lang).map(PathBuf::as_path)
    }

    /// Whether `lang` has `key`, or its plural forms `key.one` and `key.other`.
    fn has(&self, lang: &str, key: &str) -> bool {
        self.lookup(lang, key).is_some()
            || self.lookup(lang, &format!("{key}.one")).is_some()
            || self.lookup(lang, &format!("{key}.other")).is_some()
    }

    /// One warning per UI string missing in a language, naming the key and the language:
    /// every key of the default language that another language lacks, and every key of
    /// `used` (the keys templates name, and those casebook asks for itself) that a
    /// language lacks. A function of the files and templates alone, so `build`, `check`
    /// and `serve` warn alike.
    pub fn missing_warnings(&self, used: &BTreeSet<String>) -> Vec<Diagnostic> {
        let mut missing: BTreeSet<(String, String)> = BTreeSet::new();
        for lang in self.tables.keys() {
            // A key the default language has is reported below, form by form.
            for key in used {
                if !self.has(lang, key) && !self.has(&self.default, key) {
                    missing.insert((lang.clone(), key.clone()));
                }
            }
            if *lang != self.default
                && let Some(default) = self.tables.get(&self.default)
            {
                for key in default.keys() {
                    if self.lookup(lang, key).is_none() {
                        missing.insert((lang.clone(), key.clone()));
                    }
                }
            }
        }
        let mut by_lang: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (lang, key) in missing {
            by_lang.entry(lang).or_default().push(key);
        }
        let mut out = Vec::new();
        for (lang, keys) in by_lang {
            let located = |d: Diagnostic| match self.file(&lang) {
                Some(f) => d.at(Location::file(f)),
                None => d,
            };
            if keys.len() > MAX_SEPARATE_MISSING {
                // A language without its own files: one warning, not hundreds.
                let mut files: Vec<String> = keys.iter().map(|k| self.file_for(&lang, k)).collect();
                files.sort();
                files.dedup();
                let shown: Vec<String> = keys.iter().take(8).map(|k| format!("`{k}`")).collect();
                let fallback = self.shown_instead(&lang, None);
                out.push(
                    located(Diagnostic::new(
                        Code::MissingTranslationKey,
                        format!(
                            "{} UI strings are missing in `{lang}` ({}, …); pages show {fallback}",
                            keys.len(),
                            shown.join(", ")
                        ),
                    ))
                    .hint(format!(
                        "translate the default language's files into i18n/{} (the site's own i18n/ folder overrides the theme's)",
                        files.join(" and i18n/")
                    )),
                );
                continue;
            }
            for key in keys {
                let fallback = self.shown_instead(&lang, Some(&key));
                out.push(
                    located(Diagnostic::new(
                        Code::MissingTranslationKey,
                        format!("UI string `{key}` is missing in `{lang}`; pages show {fallback}"),
                    ))
                    .hint(format!(
                        "add `{key}` to i18n/{} (the site's own i18n/ folder overrides the theme's)",
                        self.file_for(&lang, &key)
                    )),
                );
            }
        }
        out
    }

    /// What pages in `lang` show instead of a missing string: the key itself in the default
    /// language, else the text of the first language of its chain that has `key` (or, when
    /// none has it or no key is given, the chain).
    fn shown_instead(&self, lang: &str, key: Option<&str>) -> String {
        if lang == self.default {
            return "the key itself".into();
        }
        let chain = self.fallbacks.of(lang);
        if let Some(l) = key.and_then(|k| chain.iter().find(|l| self.has(l, k))) {
            return format!("the `{l}` text");
        }
        match chain {
            [only] => format!("the `{only}` text"),
            [first, rest @ ..] => {
                let rest: Vec<String> = rest.iter().map(|l| format!("`{l}`")).collect();
                format!("the `{first}` text (else {})", rest.join(", then "))
            }
            [] => "the key itself".into(),
        }
    }

    /// How `lang` writes dates.
    pub fn date_format(&self, lang: &str) -> DateFormat {
        let list = |key: &str| -> Vec<String> {
            (0..12)
                .filter_map(|i| self.find(lang, &format!("{key}.{i}")).map(String::from))
                .collect()
        };
        DateFormat {
            months: list("date.months"),
            months_in_date: list("date.months_in_date"),
            full: self.get(lang, "date.full"),
            month_year: self.get(lang, "date.month_year"),
        }
    }
}

/// Formats a number with the language's separators (`number.thousands`, `number.decimal`),
/// without decimals when it is whole.
pub fn format_number(i18n: &I18n, lang: &str, n: f64) -> String {
    let thousands = i18n.lookup(lang, "number.thousands").unwrap_or(",");
    let decimal = i18n.lookup(lang, "number.decimal").unwrap_or(".");
    let negative = n < 0.0;
    let n = n.abs();
    let whole = n.trunc() as u128;
    let frac = ((n - n.trunc()) * 100.0).round() as u128;
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(thousands);
        }
        out.push(c);
    }
    if frac > 0 {
        out.push_str(decimal);
        out.push_str(&format!("{frac:02}"));
    }
    if negative { format!("-{out}") } else { out }
}

/// Formats money: `money.format` with `{amount}` and `{currency}` (the symbol from
/// `currency.<CODE>`, else the code).
pub fn format_money(i18n: &I18n, lang: &str, amount: f64, currency: &str) -> String {
    let symbol = i18n
        .lookup(lang, &format!("currency.{currency}"))
        .unwrap_or(currency);
    let pattern = i18n
        .lookup(lang, "money.format")
        .unwrap_or("{amount} {currency}");
    pattern
        .replace("{amount}", &format_number(i18n, lang, amount))
        .replace("{currency}", symbol)
}

/// The keys named in `t(key="…")` calls in a template's text (single or double quotes,
/// spaces allowed around `(` and `=`).
pub fn keys_named(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("t(") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + 2..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let Some(args) = rest.trim_start().strip_prefix("key") else {
            continue;
        };
        let Some(args) = args.trim_start().strip_prefix('=') else {
            continue;
        };
        let args = args.trim_start();
        let Some(quote) = args.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        // Only a whole literal: `"languages." ~ code` is made when the page is rendered.
        if let Some(end) = args[1..].find(quote)
            && !args[2 + end..].trim_start().starts_with('~')
        {
            out.push(args[1..1 + end].to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests;
