//! A practice's front matter, field by field: every problem is collected, not just the
//! first, and a practice with none becomes a [`PracticeDoc`].

use std::sync::Arc;

use super::raw::RawPractice;
use serde_saphyr::Spanned;

use super::markdown::Rendered;
use super::types::{Facets, Located, PracticeDoc, SourceText, front_matter_hash};
use super::{limits, missing, title_example, translatable, values};
use crate::diagnostics::{Diagnostic, Location};
use crate::input::config::Config;
use crate::input::content::SourceFile;
use crate::input::front_matter::Split;
use crate::input::yaml::YamlSource;

mod checks;

use checks::Checks;

/// Checks a practice's front matter and builds its document.
pub(super) fn practice(
    file: &SourceFile,
    config: &Config,
    src: &YamlSource,
    raw: RawPractice,
    body: Arc<Rendered>,
    split: &Split,
) -> Result<PracticeDoc, Vec<Diagnostic>> {
    let mut c = Checks {
        file,
        src,
        diags: values::practice_control_chars(src, &raw)
            .into_iter()
            .collect(),
    };
    let topics = limits::within(src, raw.topics, "topics", &mut c.diags);
    let related = limits::within(src, raw.related, "related", &mut c.diags);
    let adapted_by = limits::within(src, raw.adapted_by, "adapted_by", &mut c.diags);
    let partners = limits::within(src, raw.partners, "partners", &mut c.diags);
    let key_figures = limits::within(src, raw.key_figures, "key_figures", &mut c.diags);

    let title = c.text(raw.title.clone(), "title");
    if raw.title.is_none() {
        c.diags.push(missing(file, "title", &title_example(file)));
    }
    let summary = c.summary(raw.summary);
    let published = c.date(raw.published.clone(), "published", true);
    if raw.published.is_none() {
        c.diags
            .push(missing(file, "published", "published: 2021-03-01"));
    }
    let updated = c.date(raw.updated, "updated", true);
    let (start, end) = c.period(raw.start, raw.end);
    let country = raw.country.and_then(|v| c.country(v));
    let coordinates = raw.coordinates.and_then(|v| c.coordinates(v));
    let programme = raw.programme.and_then(|p| {
        c.term(&p, &config.programmes, "programme")
            .then(|| Located {
                value: p.value.clone(),
                location: src.at(&p),
            })
    });
    let topics = topics.and_then(|v| c.topics(v, &config.topics));
    let level = raw.level.and_then(|v| c.level(v));
    let budget = raw.budget.and_then(|v| c.budget(v));
    let owner = raw.owner.and_then(|v| c.owner(v));
    let related = related.map(|v| c.related(v));
    let adapted_by = adapted_by.map(|v| c.adapted_by(v));
    let image_focus = raw.image.as_ref().and_then(|i| c.focus(i));
    let (image, image_alt) = match raw.image {
        Some(img) => c.image(img),
        None => (None, None),
    };
    let declared = super::declared::read(src, config, raw.other, &mut c.diags);
    super::declared::missing_required(config, &declared, file, &mut c.diags);
    let translated_from = super::translated_from(src, raw.translated_from)
        .map_err(|d| c.diags.push(d))
        .ok()
        .flatten();
    if !c.diags.is_empty() {
        return Err(c.diags);
    }
    let trimmed = |s: Option<Spanned<String>>| {
        s.map(|s| s.value.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let mut doc = PracticeDoc {
        slug: file.slug.clone(),
        lang: file.lang.clone(),
        rel: file.rel.clone(),
        front_matter_at: Location::new(&file.rel, 1, 1),
        title,
        subtitle: trimmed(raw.subtitle),
        city: trimmed(raw.city),
        region: trimmed(raw.region),
        facets: Facets {
            country,
            coordinates,
            programme,
            topics,
            level,
            start,
            end,
            budget,
            related,
            adapted_by,
            image,
            declared: declared.shared,
            image_focus,
        },
        declared: declared.own,
        partners: partners
            .map(|p| p.value.into_iter().map(|s| s.value).collect())
            .unwrap_or_default(),
        owner,
        key_figures: key_figures
            .map(|k| k.value.into_iter().map(|f| f.value).collect())
            .unwrap_or_default(),
        summary,
        published: published.map(|d| d.value),
        updated: updated.map(|d| d.value),
        draft: raw.draft.unwrap_or(false),
        image_alt,
        translated_from,
        fingerprint: String::new(),
        body,
        body_line: split.body_line,
        body_offset: split.body_offset,
        front_matter_hash: front_matter_hash(&file.text, split.body_offset),
        source: SourceText::lazy(&file.path, &file.text),
    };
    values::close_bidi_in_texts(&mut doc);
    doc.fingerprint = translatable::fingerprint(&translatable::practice_texts(&doc), split.body);
    Ok(doc)
}
