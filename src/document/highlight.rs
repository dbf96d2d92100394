//! Code highlighting with syntect, into CSS classes (`hl-…`); the theme ships the colours.
//!
//! The syntax definitions load on first use, so pages without code blocks never pay for them.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// The class prefix of highlighted tokens.
pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();

/// The syntax set, loaded on first call.
pub fn syntaxes() -> &'static SyntaxSet {
    SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Whether the syntax set has been loaded (for tests of laziness).
pub fn loaded() -> bool {
    SYNTAXES.get().is_some()
}

/// Highlights `code` written in `lang` into `<pre><code>` HTML. Unknown languages and an
/// empty `lang` give escaped plain text.
pub fn highlight(code: &str, lang: &str) -> String {
    let lang = lang.split([',', ' ']).next().unwrap_or("").trim();
    let lang_attr = crate::escape::html(lang);
    if lang.is_empty() {
        return format!(
            "<pre class=\"code\" tabindex=\"0\"><code>{}</code></pre>\n",
            crate::escape::html(code)
        );
    }
    let ss = syntaxes();
    let Some(syntax) = ss.find_syntax_by_token(lang) else {
        return format!(
            "<pre class=\"code\" tabindex=\"0\" data-lang=\"{lang_attr}\"><code>{}</code></pre>\n",
            crate::escape::html(code)
        );
    };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, ss, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return format!(
                "<pre class=\"code\" tabindex=\"0\" data-lang=\"{lang_attr}\"><code>{}</code></pre>\n",
                crate::escape::html(code)
            );
        }
    }
    format!(
        "<pre class=\"code\" tabindex=\"0\" data-lang=\"{lang_attr}\"><code>{}</code></pre>\n",
        generator.finalize()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_with_classes_not_styles() {
        let html = highlight("title: \"<CO-CITY>\"\n", "yaml");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="));
        assert!(html.contains("&lt;CO-CITY&gt;"));
    }

    #[test]
    fn unknown_language_is_escaped_text() {
        let html = highlight("<b>", "no-such-language");
        assert!(html.contains("&lt;b&gt;"));
        assert!(html.contains("data-lang=\"no-such-language\""));
    }
}
