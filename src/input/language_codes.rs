//! Language codes written by mistake in file names: `ES` for `es`, a country code (`dk`,
//! `se`) for its language (`da`, `sv`), a three-letter code (`spa`) for the two-letter one,
//! or a typo of a site language.

/// `(written, meant, language)`: codes people write for a language whose ISO 639-1 code is
/// another one.
const CONFUSIONS: &[(&str, &str, &str)] = &[
    ("sp", "es", "Spanish"),
    ("spa", "es", "Spanish"),
    ("esp", "es", "Spanish"),
    ("gr", "el", "Greek"),
    ("gre", "el", "Greek"),
    ("ell", "el", "Greek"),
    ("dk", "da", "Danish"),
    ("dan", "da", "Danish"),
    ("cz", "cs", "Czech"),
    ("cze", "cs", "Czech"),
    ("ces", "cs", "Czech"),
    ("ua", "uk", "Ukrainian"),
    ("ukr", "uk", "Ukrainian"),
    ("jp", "ja", "Japanese"),
    ("jpn", "ja", "Japanese"),
    ("cn", "zh", "Chinese"),
    ("zho", "zh", "Chinese"),
    ("chi", "zh", "Chinese"),
    ("se", "sv", "Swedish"),
    ("swe", "sv", "Swedish"),
    ("eng", "en", "English"),
    ("cat", "ca", "Catalan"),
    ("ita", "it", "Italian"),
    ("fra", "fr", "French"),
    ("fre", "fr", "French"),
    ("deu", "de", "German"),
    ("ger", "de", "German"),
    ("por", "pt", "Portuguese"),
    ("nld", "nl", "Dutch"),
    ("dut", "nl", "Dutch"),
    ("pol", "pl", "Polish"),
];

/// A language code suggested for one written by mistake.
#[derive(Debug, PartialEq, Eq)]
pub struct Suggested {
    /// The code meant.
    pub code: String,
    /// Why, when it is not a plain typo: "Spanish is `es`".
    pub why: Option<String>,
}

/// The language meant by `written` (a file name's language part), among the site's
/// `languages` where possible: the same code in lowercase, a known confusion, or the closest
/// site language.
pub fn suggest(written: &str, languages: &[String]) -> Option<Suggested> {
    let lower = written.to_ascii_lowercase();
    let site = |c: &str| languages.iter().any(|l| l == c);
    if lower != written && site(&lower) {
        return Some(Suggested {
            code: lower,
            why: Some("language codes are lowercase".into()),
        });
    }
    if let Some((_, meant, name)) = CONFUSIONS.iter().find(|(w, _, _)| *w == lower) {
        return Some(Suggested {
            code: meant.to_string(),
            why: Some(format!("{name} is `{meant}`")),
        });
    }
    if let Some(best) = crate::suggest::closest(&lower, languages.iter().map(String::as_str)) {
        return Some(Suggested {
            code: best.to_string(),
            why: None,
        });
    }
    (lower != written && crate::input::config::is_language_code(&lower)).then(|| Suggested {
        code: lower,
        why: Some("language codes are lowercase".into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Vec<String> {
        ["en", "es", "ca", "it"].map(String::from).to_vec()
    }

    #[test]
    fn suggests_what_was_meant() {
        let code = |w: &str| suggest(w, &site()).map(|s| s.code);
        assert_eq!(code("ES").as_deref(), Some("es"));
        assert_eq!(code("sp").as_deref(), Some("es"));
        assert_eq!(code("SP").as_deref(), Some("es"));
        assert_eq!(code("gr").as_deref(), Some("el"));
        assert_eq!(code("dk").as_deref(), Some("da"));
        assert_eq!(code("esp").as_deref(), Some("es"));
        assert_eq!(code("itt").as_deref(), Some("it"));
        assert_eq!(code("FR").as_deref(), Some("fr"));
        assert_eq!(code("fr"), None);
        assert_eq!(
            suggest("sp", &site()).unwrap().why.as_deref(),
            Some("Spanish is `es`")
        );
    }
}
