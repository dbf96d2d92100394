//! What a translation translates: the per-language texts of a file (title, summary,
//! key-figure labels…) and its body; and the fingerprint of them that a translation
//! records as `translated_from`, so that casebook can tell when its source changed.
//!
//! Shared fields (country, topics, dates…) are not part of it: they describe the practice,
//! not the language, and a translation inherits them. Neither are `published`, `updated`
//! and `draft`, which each file says for itself.

use super::{PageDoc, PracticeDoc};

/// The length of a fingerprint, in hexadecimal digits (48 bits).
pub const FINGERPRINT_LEN: usize = 12;

/// One translatable text of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// Where it is written: `title`, `partners.2`, `key_figures.0.label`, `owner.organisation`.
    pub key: String,
    /// What it is, for translators: `Title`, `Key figure 1: label`.
    pub label: String,
    /// How to translate it.
    pub help: &'static str,
    /// The text.
    pub value: String,
}

fn text(key: impl Into<String>, label: impl Into<String>, help: &'static str, value: &str) -> Text {
    Text {
        key: key.into(),
        label: label.into(),
        help,
        value: value.to_string(),
    }
}

/// The translatable texts of a practice file, in the order the front matter lists them.
pub fn practice_texts(doc: &PracticeDoc) -> Vec<Text> {
    let mut out = Vec::new();
    if let Some(t) = &doc.title {
        out.push(text(
            "title",
            "Title",
            "The practice's name, as it is known in this language; keep proper names and acronyms.",
            t,
        ));
    }
    if let Some(s) = &doc.subtitle {
        out.push(text("subtitle", "Subtitle", "One line under the title.", s));
    }
    if let Some(c) = &doc.city {
        out.push(text(
            "city",
            "City",
            "The city's name in this language (Turin, Torino, Turín).",
            c,
        ));
    }
    if let Some(r) = &doc.region {
        out.push(text(
            "region",
            "Region",
            "The region's name in this language.",
            r,
        ));
    }
    for (i, p) in doc.partners.iter().enumerate() {
        out.push(text(
            format!("partners.{i}"),
            format!("Partner {}", i + 1),
            "An organisation's name: translate it only where it has an official name in this language.",
            p,
        ));
    }
    if let Some(o) = &doc.owner {
        out.push(text(
            "owner.organisation",
            "Owner",
            "The organisation behind the practice: translate it only where it has an official name in this language.",
            &o.organisation,
        ));
    }
    for (i, f) in doc.key_figures.iter().enumerate() {
        out.push(text(
            format!("key_figures.{i}.value"),
            format!("Key figure {}: value", i + 1),
            "A short figure (\"3,700\", \"84%\"): keep the number, write it as this language does.",
            &f.value,
        ));
        out.push(text(
            format!("key_figures.{i}.label"),
            format!("Key figure {}: label", i + 1),
            "What the figure counts, as a short phrase shown after the number.",
            &f.label,
        ));
    }
    if let Some(s) = &doc.summary {
        out.push(text(
            "summary",
            "Summary",
            "Plain text, at most 300 characters: shown on cards, in search results and in meta descriptions.",
            s,
        ));
    }
    if let Some(a) = &doc.image_alt {
        out.push(text(
            "image.alt",
            "Image description",
            "The text alternative of the practice's image: what it shows, for people who cannot see it.",
            a,
        ));
    }
    out
}

/// The translatable texts of a static page.
pub fn page_texts(doc: &PageDoc) -> Vec<Text> {
    let mut out = vec![text("title", "Title", "The page's title.", &doc.title)];
    if let Some(s) = &doc.summary {
        out.push(text(
            "summary",
            "Summary",
            "One paragraph of plain text, used as the page's meta description.",
            s,
        ));
    }
    if let Some(m) = &doc.menu_title {
        out.push(text(
            "menu_title",
            "Menu title",
            "A short name for the page in the navigation menu.",
            m,
        ));
    }
    out
}

/// The body as the fingerprint sees it: without trailing spaces on lines, nor blank lines
/// at its start and end (editors add and remove them without changing the text).
pub fn normalized_body(body: &str) -> String {
    let lines: Vec<&str> = body.lines().map(str::trim_end).collect();
    lines.join("\n").trim_matches('\n').to_string()
}

/// The fingerprint of a file's translatable content: the first [`FINGERPRINT_LEN`]
/// hexadecimal digits of the xxh3 hash of each text's key and value, then the body. It
/// never changes between casebook versions: translations record it.
pub fn fingerprint(texts: &[Text], body: &str) -> String {
    let mut bytes = Vec::new();
    for t in texts {
        bytes.extend_from_slice(t.key.as_bytes());
        bytes.push(0);
        bytes.extend_from_slice(t.value.as_bytes());
        bytes.push(0);
    }
    bytes.extend_from_slice(b"body\0");
    bytes.extend_from_slice(normalized_body(body).as_bytes());
    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    format!("{hash:016x}")[..FINGERPRINT_LEN].to_string()
}

/// Whether `s` is written as casebook writes fingerprints: [`FINGERPRINT_LEN`] lowercase
/// hexadecimal digits.
pub fn is_fingerprint(s: &str) -> bool {
    s.len() == FINGERPRINT_LEN
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(title: &str) -> Vec<Text> {
        vec![text("title", "Title", "", title)]
    }

    #[test]
    fn fingerprints_are_stable_and_ignore_blank_lines_and_trailing_spaces() {
        let a = fingerprint(&texts("CO-CITY"), "## The challenge\n\nText.\n");
        assert_eq!(a.len(), FINGERPRINT_LEN);
        assert!(is_fingerprint(&a));
        assert_eq!(
            a,
            fingerprint(&texts("CO-CITY"), "\n\n## The challenge  \n\nText.\n\n\n")
        );
        assert_ne!(
            a,
            fingerprint(&texts("CO-CITY"), "## The challenge\n\nText!\n")
        );
        assert_ne!(
            a,
            fingerprint(&texts("CO CITY"), "## The challenge\n\nText.\n")
        );
        // A value cannot pass for a key: the parts are separated.
        assert_ne!(
            fingerprint(&[text("title", "", "", "ab")], ""),
            fingerprint(&[text("titlea", "", "", "b")], "")
        );
        // Written down in translations: it must never change.
        assert_eq!(fingerprint(&texts("CO-CITY"), "Text.\n"), "018c0a1d3d5d");
    }

    #[test]
    fn only_lowercase_hexadecimal_of_the_right_length_is_a_fingerprint() {
        assert!(is_fingerprint("0123456789ab"));
        assert!(!is_fingerprint("0123456789AB"));
        assert!(!is_fingerprint("0123456789a"));
        assert!(!is_fingerprint("0123456789abc"));
        assert!(!is_fingerprint("0123456789ag"));
    }
}
