//! Content file names: `co-city.md` is the default language, `co-city.it.md` is Italian.
//! The default language may also be named (`co-city.en.md` where `en` is the default), as
//! a CMS with one file per language writes it: both names are the same version, and a slug
//! with both files is an error that names them.

use crate::input::config::{is_language_code, is_slug};

/// What a content file name says.
#[derive(Debug, PartialEq, Eq)]
pub struct FileName<'a> {
    /// The slug: same in every language.
    pub slug: &'a str,
    /// The language suffix, if any.
    pub lang: Option<&'a str>,
}

/// Why a file name is not a valid content file name.
#[derive(Debug, PartialEq, Eq)]
pub enum NameError {
    /// The slug has characters that do not belong in a URL; carries a suggested slug.
    BadSlug(String),
    /// The language part is not a language code.
    BadLanguage(String),
    /// More dots than `slug.lang.md`.
    TooManyParts,
}

/// Parses `name` (a file name ending in `.md`).
pub fn parse(name: &str) -> Result<FileName<'_>, NameError> {
    let stem = name.strip_suffix(".md").unwrap_or(name);
    let mut parts = stem.split('.');
    let slug = parts.next().unwrap_or("");
    let lang = parts.next();
    if parts.next().is_some() {
        return Err(NameError::TooManyParts);
    }
    if !is_slug(slug) {
        return Err(NameError::BadSlug(suggest_slug(slug)));
    }
    if let Some(l) = lang
        && !is_language_code(l)
    {
        return Err(NameError::BadLanguage(l.to_string()));
    }
    Ok(FileName { slug, lang })
}

/// A slug made from arbitrary text: accents dropped, lowercase, hyphens between words.
pub fn suggest_slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(fold_char) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "practice".into()
    } else {
        trimmed.into()
    }
}

/// A title made from a slug, as an example to start from: `housing-first` → `Housing First`.
pub fn title_from_slug(slug: &str) -> String {
    slug.split('-')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// Latin letters with diacritics folded to ASCII, enough for slug suggestions.
fn fold_char(c: char) -> impl Iterator<Item = char> {
    let folded: &str = match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' | 'À' | 'Á' | 'Â' | 'Ä' | 'Ã' | 'Å' => "a",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'Ò' | 'Ó' | 'Ô' | 'Ö' | 'Õ' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ñ' | 'Ñ' => "n",
        'ç' | 'Ç' => "c",
        'ß' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ø' | 'Ø' => "o",
        '·' => "",
        _ => "",
    };
    let keep = folded.is_empty() && c != '·';
    folded.chars().chain(keep.then_some(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_and_translated_names() {
        assert_eq!(
            parse("co-city.md"),
            Ok(FileName {
                slug: "co-city",
                lang: None
            })
        );
        assert_eq!(
            parse("co-city.it.md"),
            Ok(FileName {
                slug: "co-city",
                lang: Some("it")
            })
        );
        assert_eq!(
            parse("b2.pt-br.md"),
            Ok(FileName {
                slug: "b2",
                lang: Some("pt-br")
            })
        );
    }

    #[test]
    fn rejects_bad_names_with_suggestions() {
        assert_eq!(
            parse("Co City.md"),
            Err(NameError::BadSlug("co-city".into()))
        );
        assert_eq!(
            parse("València.md"),
            Err(NameError::BadSlug("valencia".into()))
        );
        assert_eq!(parse("a--b.md"), Err(NameError::BadSlug("a-b".into())));
        assert_eq!(parse("x.ES.md"), Err(NameError::BadLanguage("ES".into())));
        assert_eq!(parse("x.es.old.md"), Err(NameError::TooManyParts));
        assert_eq!(parse(".md"), Err(NameError::BadSlug("practice".into())));
    }
}
