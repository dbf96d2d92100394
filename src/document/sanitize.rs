//! Raw HTML in Markdown bodies, when a site allows it (`markdown: { unsafe_html: true }`),
//! goes through an allow-list sanitizer (ammonia, on the HTML parser of Servo): what editors
//! write to format a text stays (tables, figures, details, abbreviations, images, links),
//! what runs code goes (`<script>`, `<style>`, event handlers such as `onerror`,
//! `javascript:` and `data:` URLs, SVG and MathML), and so does what loads from another host
//! by itself (`<iframe>`, `<object>`, `<embed>`, forms): the site promises to load nothing
//! from any other host. The HTML casebook writes itself passes unchanged: heading ids,
//! footnotes, task-list checkboxes, aligned table cells, highlighted code.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Every element an editor may write in raw HTML, besides text formatting.
const TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// The URL schemes a link or an image may use; relative URLs are kept as written.
const SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut b = ammonia::Builder::empty();
        b.tags(TAGS.iter().copied().collect())
            .clean_content_tags(["script", "style", "svg", "math", "template"].into())
            .generic_attributes(["id", "class", "lang", "dir", "title"].into())
            .tag_attributes(
                [
                    ("a", ["href", "hreflang"].as_slice()),
                    ("img", &["src", "alt", "width", "height", "loading"]),
                    ("td", &["colspan", "rowspan", "style"]),
                    ("th", &["colspan", "rowspan", "scope", "style"]),
                    ("col", &["span"]),
                    ("colgroup", &["span"]),
                    ("ol", &["start", "reversed", "type"]),
                    ("li", &["value"]),
                    ("time", &["datetime"]),
                    ("abbr", &["title"]),
                    ("details", &["open"]),
                    ("pre", &["tabindex", "data-lang"]),
                    ("input", &["type", "checked", "disabled"]),
                    ("q", &["cite"]),
                    ("blockquote", &["cite"]),
                ]
                .into_iter()
                .map(|(tag, attrs)| (tag, attrs.iter().copied().collect::<HashSet<_>>()))
                .collect(),
            )
            // Task lists' checkboxes only: no text field or button in a page of text.
            .attribute_filter(|element, attribute, value| {
                if element == "input" && attribute == "type" && value != "checkbox" {
                    None
                } else {
                    Some(value.into())
                }
            })
            // Aligned table cells (`| :-: |`) are written with `style="text-align: …"`.
            .filter_style_properties(["text-align"].into())
            .url_schemes(SCHEMES.iter().copied().collect())
            .url_relative(ammonia::UrlRelative::PassThrough)
            // casebook's own links carry no rel; outside links open in the same tab.
            .link_rel(None)
            .strip_comments(true);
        b
    })
}

/// The HTML of a body with everything that could run code or load from elsewhere removed.
pub fn sanitize(html: &str) -> String {
    cleaner().clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn removes_what_runs_code_and_keeps_what_formats_text() {
        for (attack, kept) in [
            ("<a href=\"javascript:alert(1)\">x</a>", "<a>x</a>"),
            ("<a href=\" JaVaScRiPt:alert(1)\">x</a>", "<a>x</a>"),
            ("<img src=x onerror=alert(1)>", "<img src=\"x\">"),
            ("<script>alert(1)</script>ok", "ok"),
            (
                "<svg onload=alert(1)><script>alert(1)</script></svg>ok",
                "ok",
            ),
            (
                "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
                "<a>x</a>",
            ),
            ("<iframe src=\"https://example.org/\"></iframe>ok", "ok"),
            (
                "<p style=\"background:url(javascript:x)\">t</p>",
                "<p>t</p>",
            ),
            (
                "<form action=\"https://evil\"><input type=\"text\"></form>",
                "<input>",
            ),
        ] {
            assert_eq!(sanitize(attack), kept, "{attack}");
        }
        let own = "<h2 id=\"results\">Results</h2>\n<table><thead><tr><th style=\"text-align: center\">a</th></tr></thead></table>\n<pre class=\"code\" tabindex=\"0\" data-lang=\"yaml\"><code><span class=\"hl-key\">a</span></code></pre>\n<ul><li><input disabled=\"\" type=\"checkbox\" checked=\"\">\ndone</li></ul>\n<p><a href=\"@@casebook-link-0@@\">CO-CITY</a> <a href=\"https://example.org/a?b=1&amp;c=2\">out</a></p>\n<figure><img src=\"images/a.jpg\" alt=\"A\"><figcaption>A</figcaption></figure>\n<details open=\"\"><summary>More</summary><abbr title=\"European Union\">EU</abbr></details>";
        // The same, but for the spacing of the style it keeps.
        assert_eq!(
            sanitize(own),
            own.replace("text-align: center", "text-align:center")
        );
    }
}
