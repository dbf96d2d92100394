//! Typed front matter plus rendered body for each content file, checked field by field:
//! [`parse`] splits the file, reads its YAML, and hands it to [`practice`] or [`page`].

mod declared;
pub mod draft;
pub mod highlight;
pub mod limits;
pub mod link_target;
pub mod markdown;
mod page;
pub mod placeholder;
mod practice;
mod raw;
pub mod sanitize;
mod stray_fence;
pub mod translatable;
mod types;
mod values;
pub mod words;

use std::sync::Arc;

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::input::config::Config;
use crate::input::content::{Section, SourceFile};
use crate::input::front_matter::{self, SplitError};
use crate::input::yaml::YamlSource;
pub use declared::{example as field_example, number_text};
use markdown::MarkdownOptions;
pub use types::*;

/// Parses and checks one file, keeping its body's HTML. Every problem found is returned,
/// not just the first.
pub fn parse(file: &SourceFile, config: &Config) -> Result<Document, Vec<Diagnostic>> {
    parse_as(file, config, BodyHtml::Kept)
}

/// [`parse`], keeping or deferring the HTML of the body. A draft with problems is a
/// [`Document::BrokenDraft`].
pub fn parse_as(
    file: &SourceFile,
    config: &Config,
    html: BodyHtml,
) -> Result<Document, Vec<Diagnostic>> {
    parse_checked(file, config, html).or_else(|problems| {
        draft::BrokenDraft::of(file, problems).map(|d| Document::BrokenDraft(Box::new(d)))
    })
}

fn parse_checked(
    file: &SourceFile,
    config: &Config,
    html: BodyHtml,
) -> Result<Document, Vec<Diagnostic>> {
    let split = front_matter::split(&file.text).map_err(|e| {
        vec![match e {
            SplitError::Missing => Diagnostic::new(Code::FrontMatterMissing, "file does not start with front matter")
                .at_source(Location::new(&file.rel, 1, 1), &file.text, 3)
                .hint("start the file with a line `---`, then the fields (`title: …`), then another `---` line, then the text"),
            SplitError::Unclosed => Diagnostic::new(Code::FrontMatterUnclosed, "front matter is not closed")
                .at_source(Location::new(&file.rel, 1, 1), &file.text, 3)
                .hint("add a line with only `---` after the last field"),
        }]
    })?;
    // Control characters typed anywhere in the file, front matter or body.
    if let Some(d) = crate::input::control_chars::scan(&file.text, &file.rel) {
        return Err(vec![d]);
    }
    if let Some(d) = stray_fence::fields_below(file, &split) {
        return Err(vec![d]);
    }
    let src = YamlSource {
        text: split.yaml,
        file_text: &file.text,
        file: &file.rel,
        first_line: split.yaml_line,
    };
    let md = MarkdownOptions::of(config);
    let render = |body: &str| match html {
        BodyHtml::Kept => markdown::render(body, md),
        BodyHtml::Deferred => markdown::scan(body, md),
    };
    if let Some(p) = placeholder::of(file, config, &src, split.body) {
        return Ok(Document::Placeholder(Box::new(p)));
    }
    match file.section {
        Section::Practices => {
            let raw: raw::RawPractice = src.parse().map_err(|d| vec![d])?;
            let body = Arc::new(render(split.body));
            practice::practice(file, config, &src, raw, body, &split)
                .map(|p| Document::Practice(Box::new(p)))
        }
        Section::Pages => {
            let raw: page::RawPage = src.parse().map_err(|d| vec![d])?;
            let body = Arc::new(render(split.body));
            page::page(file, &src, raw, body, &split).map(|p| Document::Page(Box::new(p)))
        }
    }
}

/// The `translated_from` of a file, checked: a fingerprint as casebook writes it.
fn translated_from(
    src: &YamlSource,
    value: Option<serde_saphyr::Spanned<String>>,
) -> Result<Option<Located<String>>, Diagnostic> {
    let Some(v) = value else { return Ok(None) };
    let written = v.value.trim();
    if !translatable::is_fingerprint(written) {
        return Err(src
            .diag(
                Code::BadValue,
                &v,
                format!("`translated_from: {written}` is not a fingerprint casebook wrote"),
            )
            .hint("it records which version of the source this translation was made from; run `casebook translations mark FILE` to write it again once the translation is up to date"));
    }
    Ok(Some(Located {
        value: written.to_string(),
        location: src.at(&v),
    }))
}

/// The file line where front matter writes `field:` without a value, if it does.
pub fn empty_field_line(text: &str, field: &str) -> Option<usize> {
    text.lines()
        .enumerate()
        .skip(1)
        .take_while(|(_, l)| l.trim_end() != "---")
        .find(|(_, l)| {
            l.strip_prefix(field)
                .and_then(|rest| rest.strip_prefix(':'))
                .is_some_and(|v| v.trim().is_empty() || v.trim_start().starts_with('#'))
        })
        .map(|(i, _)| i + 1)
}

/// `title: Housing First` for `housing-first.md`: an example made from the file's slug.
fn title_example(file: &SourceFile) -> String {
    format!(
        "title: {}",
        crate::input::file_name::title_from_slug(&file.slug)
    )
}

fn missing(file: &SourceFile, field: &str, example: &str) -> Diagnostic {
    // A field written without a value (`summary:`) is pointed at where it is written.
    if let Some(line) = empty_field_line(&file.text, field) {
        return Diagnostic::new(
            Code::MissingField,
            format!("required field `{field}` has no value"),
        )
        .at_source(Location::new(&file.rel, line, 1), &file.text, field.len())
        .hint(format!("write it on this line, e.g. `{example}`"));
    }
    Diagnostic::new(
        Code::MissingField,
        format!("missing required field `{field}`"),
    )
    .at_source(Location::new(&file.rel, 1, 1), &file.text, 3)
    .hint(format!("add `{example}` between the `---` lines"))
}

/// Whether `url` is an absolute http(s) address.
pub fn is_web_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    matches!(rest, Some(r) if !r.is_empty() && !r.starts_with('/') && !url.chars().any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>'))
}
