//! Control characters that front matter holds without showing them: YAML escapes in double
//! quotes (`"\x1b"`, `"\0"`), which the scan of the file's text cannot see. Each is refused
//! at its value (see [`crate::input::control_chars`]). And the bidirectional controls a
//! practice's texts leave open, closed.

use serde_saphyr::Spanned;

use crate::diagnostics::Diagnostic;
use crate::input::control_chars;
use crate::input::yaml::YamlSource;

use super::raw::RawPractice;
use super::types::PracticeDoc;
use crate::escape::close_bidi;

/// The diagnostic for `value` of `field` if it holds a control character.
pub(super) fn control_char(
    src: &YamlSource,
    field: &str,
    value: &Spanned<String>,
) -> Option<Diagnostic> {
    let (_, c) = control_chars::first_forbidden(&value.value)?;
    Some(control_chars::in_value(
        field,
        c,
        src.at(value),
        src.file_text,
    ))
}

/// The first text of a practice's front matter that holds a control character, as a
/// diagnostic at its value. Terms, codes and dates are checked against their own rules.
pub(super) fn practice_control_chars(src: &YamlSource, raw: &RawPractice) -> Option<Diagnostic> {
    let single = [
        ("title", &raw.title),
        ("subtitle", &raw.subtitle),
        ("city", &raw.city),
        ("region", &raw.region),
        ("summary", &raw.summary),
    ];
    for (field, value) in single {
        if let Some(d) = value.as_ref().and_then(|v| control_char(src, field, v)) {
            return Some(d);
        }
    }
    let lists = [
        ("partners", &raw.partners),
        ("adapted_by", &raw.adapted_by),
        ("related", &raw.related),
    ];
    for (field, list) in lists {
        for value in list.iter().flat_map(|l| &l.value) {
            if let Some(d) = control_char(src, field, value) {
                return Some(d);
            }
        }
    }
    let mut whole: Vec<(&str, &str, serde_saphyr::Location)> = Vec::new();
    if let Some(owner) = &raw.owner {
        whole.push(("owner", &owner.value.organisation, owner.referenced));
        if let Some(url) = &owner.value.url {
            whole.push(("owner", url, owner.referenced));
        }
    }
    for figure in raw.key_figures.iter().flat_map(|k| &k.value) {
        whole.push(("key_figures", &figure.value.value, figure.referenced));
        whole.push(("key_figures", &figure.value.label, figure.referenced));
    }
    if let Some(image) = &raw.image {
        for part in [&image.value.alt, &image.value.src].into_iter().flatten() {
            whole.push(("image", &part.value, part.referenced));
        }
    }
    whole.into_iter().find_map(|(field, text, at)| {
        let (_, c) = control_chars::first_forbidden(text)?;
        let location = src.location(at.line(), at.column());
        Some(control_chars::in_value(field, c, location, src.file_text))
    })
}

/// Closes the bidirectional controls each text of a practice leaves open (see
/// [`close_bidi`]), so that no field can reverse the text around it where it is shown.
pub(super) fn close_bidi_in_texts(doc: &mut PracticeDoc) {
    let close = |s: &mut String| *s = close_bidi(s);
    for s in [
        &mut doc.title,
        &mut doc.subtitle,
        &mut doc.city,
        &mut doc.region,
    ]
    .into_iter()
    .chain([&mut doc.summary, &mut doc.image_alt])
    .flatten()
    {
        close(s);
    }
    doc.partners.iter_mut().for_each(close);
    if let Some(owner) = &mut doc.owner {
        close(&mut owner.organisation);
    }
    for figure in &mut doc.key_figures {
        close(&mut figure.value);
        close(&mut figure.label);
    }
    if let Some(places) = &mut doc.facets.adapted_by {
        places.value.iter_mut().for_each(|p| close(&mut p.value));
    }
}
