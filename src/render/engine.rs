//! The Tera engine: templates loaded from the theme (and the site's overrides), template
//! functions for translations, URLs and fingerprinted assets, and template errors turned into
//! diagnostics that point at the template's own `file:line:col`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use tera::{Kwargs, State, Tera, TeraResult};

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::input::config::Config;
use crate::theme::Theme;
use crate::theme::i18n::I18n;
use crate::urls;
use rustc_hash::FxHashMap;

/// Whether asset URLs carry a content hash (`build`) or not (`serve`, where the stylesheet
/// is swapped in place).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssetUrls {
    /// `css/main.1a2b3c4d5e.css`
    Fingerprinted,
    /// `css/main.css`
    Plain,
}

/// Template names mapped to the files they came from, for error locations.
#[derive(Debug, Clone, Default)]
pub struct TemplateFiles(BTreeMap<String, (PathBuf, String)>);

impl TemplateFiles {
    /// The one template `name`, from the file shown as `shown`, with its text.
    pub(super) fn of(name: &str, shown: &std::path::Path, text: &str) -> TemplateFiles {
        let mut files = BTreeMap::new();
        files.insert(name.to_string(), (shown.to_path_buf(), text.to_string()));
        TemplateFiles(files)
    }

    /// Turns a Tera error into a diagnostic located in the template file (the first, when
    /// the error reports several problems).
    pub fn diagnostic(&self, err: &tera::Error, page: Option<&str>) -> Diagnostic {
        let mut d = self
            .diagnostics(err)
            .into_iter()
            .next()
            .unwrap_or_else(|| Diagnostic::new(Code::TemplateError, err.to_string()));
        if let Some(page) = page {
            d = d.note(Location::file(page), "while rendering this page");
        }
        d
    }

    /// Every problem a Tera error reports, each located in its template file
    /// ([`super::template_errors`]).
    pub fn diagnostics(&self, err: &tera::Error) -> Vec<Diagnostic> {
        super::template_errors::diagnostics(&self.0, err)
    }
}

/// Builds the Tera instance with casebook's functions and every template.
pub fn engine(
    theme: &Arc<Theme>,
    config: &Config,
    i18n: &Arc<I18n>,
    assets: AssetUrls,
) -> Result<(Tera, TemplateFiles), Vec<Diagnostic>> {
    let mut tera = Tera::default();
    // Only casebook's own HTML is safe; JSON-LD and feeds escape through their own filters.
    tera.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
    // The same escapes as Tera's own, written in runs rather than byte by byte: escaping was
    // a seventh of the build's instructions (docs/performance.md).
    tera.set_escape_fn(crate::escape::html_into);

    let t_i18n = Arc::clone(i18n);
    // Every string a language defines, as a ready Tera value: most calls are a plain
    // `t(key=…)` found in the page's language, answered with a reference-counted clone.
    let found: FxHashMap<String, FxHashMap<String, tera::Value>> = config
        .languages
        .iter()
        .map(|lang| {
            let strings = i18n
                .keys(lang)
                .filter_map(|k| Some((k.to_string(), tera::Value::from(i18n.lookup(lang, k)?))))
                .collect();
            (lang.clone(), strings)
        })
        .collect();
    tera.register_function(
        "t",
        move |kwargs: Kwargs, state: &State| -> TeraResult<tera::Value> {
            let key = kwargs.must_get::<&str>("key")?;
            let page_lang;
            let lang = match kwargs.get::<&str>("lang")? {
                Some(l) => l,
                None => {
                    page_lang = state.get::<tera::Value>("lang")?;
                    page_lang
                        .as_ref()
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                }
            };
            let plain = kwargs
                .iter()
                .all(|(k, _)| matches!(k.as_str(), Some("key" | "lang")));
            if plain && let Some(v) = found.get(lang).and_then(|t| t.get(key)) {
                return Ok(v.clone());
            }
            let mut text = match kwargs.get::<i64>("n")? {
                Some(n) => t_i18n.plural(lang, key, n),
                None => t_i18n.get(lang, key),
            };
            for (k, v) in kwargs.iter() {
                let k = k.to_string();
                if k == "key" || k == "lang" || k == "n" {
                    continue;
                }
                let v = match v.as_str() {
                    Some(s) => s.to_string(),
                    None => match v.as_i64() {
                        Some(n) => crate::theme::i18n::format_number(&t_i18n, lang, n as f64),
                        None => v.to_string(),
                    },
                };
                text = text.replace(&format!("{{{k}}}"), &v);
            }
            Ok(tera::Value::from(text))
        },
    );

    let base_path = config.base_path().to_string();
    let base_url = config.base_url.clone();
    tera.register_function(
        "url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path = kwargs.must_get::<&str>("path")?;
            if kwargs.get::<bool>("absolute")?.unwrap_or(false) {
                Ok(urls::absolute(&base_url, path))
            } else {
                Ok(urls::prefixed(&base_path, path))
            }
        },
    );

    // The fingerprinted names of the files templates name (see `Theme::assets`): made
    // once, before any page, so that every page sees the same.
    let fingerprinted: HashMap<String, String> = theme.assets().into_iter().collect();
    let plain: HashSet<String> = theme.static_files.keys().cloned().collect();
    let a_base = config.base_path().to_string();
    let a_url = config.base_url.clone();
    tera.register_function(
        "asset",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path = kwargs.must_get::<&str>("path")?.trim_start_matches('/');
            let out = match assets {
                AssetUrls::Plain => plain.get(path).cloned(),
                AssetUrls::Fingerprinted => fingerprinted.get(path).cloned(),
            };
            match out {
                Some(p) if kwargs.get::<bool>("absolute")?.unwrap_or(false) => {
                    Ok(urls::absolute(&a_url, &p))
                }
                Some(p) => Ok(urls::prefixed(&a_base, &p)),
                None if plain.contains(path) => Err(tera::Error::message(format!(
                    "asset() needs the path of the file written in the template, in quotes (`asset(path=\"{path}\")`), so that casebook knows which files to publish"
                ))),
                None => Err(tera::Error::message(format!(
                    "asset `{path}` is not a file in the theme's or the site's static/ folder"
                ))),
            }
        },
    );

    // `{{ value | json_script }}`: JSON safe inside <script type="application/json">, with
    // keys sorted (Tera's maps are hash maps) so that the output is deterministic.
    tera.register_filter("json_script", |value: tera::Value, _: Kwargs, _: &State| {
        let sorted = serde_json::to_value(&value).unwrap_or_default();
        tera::Value::safe_string(&crate::escape::json_for_script(&sorted))
    });

    let mut files = TemplateFiles::default();
    let mut raw = Vec::new();
    // The share card's template has an engine of its own (see `super::share_card`).
    let pages = theme
        .templates
        .iter()
        .filter(|(name, _)| name.as_str() != crate::images::share_card::TEMPLATE);
    for (name, file) in pages {
        files
            .0
            .insert(name.clone(), (file.shown.clone(), file.text.clone()));
        raw.push((name.clone(), file.text.clone()));
    }
    if let Err(e) = tera.add_raw_templates(raw) {
        return Err(files.diagnostics(&e));
    }
    let required = [
        "index.html",
        "404.html",
        "robots.txt",
        "catalogue.html",
        "practice.html",
        "taxonomy.html",
        "term.html",
        "page.html",
    ];
    let missing: Vec<Diagnostic> = required
        .iter()
        .filter(|n| !tera.contains_template(n))
        .map(|n| {
            Diagnostic::new(Code::ThemeMissing, format!("the theme has no `{n}` template"))
                .at(Location::file(theme.dir.join("templates").join(n)))
                .hint("every theme needs index.html, 404.html, robots.txt, catalogue.html, practice.html, taxonomy.html, term.html and page.html")
        })
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    Ok((tera, files))
}
