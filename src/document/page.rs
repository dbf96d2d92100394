//! A static page's front matter: a title, and optionally a summary and a place in the menu.

use std::sync::Arc;

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::markdown::Rendered;
use super::types::{PageDoc, SourceText, front_matter_hash};
use super::{missing, title_example, translatable, values};
use crate::diagnostics::Diagnostic;
use crate::escape::close_bidi;
use crate::input::content::SourceFile;
use crate::input::front_matter::Split;
use crate::input::yaml::YamlSource;

/// A page's front matter as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPage {
    title: Option<Spanned<String>>,
    summary: Option<Spanned<String>>,
    menu: Option<i64>,
    menu_title: Option<Spanned<String>>,
    draft: Option<bool>,
    translated_from: Option<Spanned<String>>,
}

/// Checks a page's front matter and builds its document.
pub(super) fn page(
    file: &SourceFile,
    src: &YamlSource,
    raw: RawPage,
    body: Arc<Rendered>,
    split: &Split,
) -> Result<PageDoc, Vec<Diagnostic>> {
    let texts = [
        ("title", &raw.title),
        ("summary", &raw.summary),
        ("menu_title", &raw.menu_title),
    ];
    let escaped = texts
        .into_iter()
        .filter_map(|(field, s)| Some((field, s.as_ref()?)))
        .find_map(|(field, s)| values::control_char(src, field, s));
    if let Some(d) = escaped {
        return Err(vec![d]);
    }
    let Some(title) = raw.title.filter(|t| !t.value.trim().is_empty()) else {
        return Err(vec![missing(file, "title", &title_example(file))]);
    };
    let translated_from = super::translated_from(src, raw.translated_from).map_err(|d| vec![d])?;
    let mut doc = PageDoc {
        slug: file.slug.clone(),
        lang: file.lang.clone(),
        rel: file.rel.clone(),
        title: close_bidi(&title.value),
        summary: raw.summary.map(|s| close_bidi(s.value.trim())),
        menu: raw.menu,
        menu_title: raw
            .menu_title
            .map(|s| close_bidi(s.value.trim()))
            .filter(|s| !s.is_empty()),
        draft: raw.draft.unwrap_or(false),
        translated_from,
        fingerprint: String::new(),
        body,
        body_line: split.body_line,
        body_offset: split.body_offset,
        front_matter_hash: front_matter_hash(&file.text, split.body_offset),
        source: SourceText::lazy(&file.path, &file.text),
    };
    doc.fingerprint = translatable::fingerprint(&translatable::page_texts(&doc), split.body);
    Ok(doc)
}
