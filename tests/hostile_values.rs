//! Odd values that once reached the output raw: a `base_url` with a NUL or a port past
//! 65535 (an ill-formed sitemap), control characters in front matter (pages the HTML
//! checker rejects), and raw HTML with `javascript:` links when `unsafe_html` is on.

mod common;

use casebook::diagnostics::Code;
use common::hostile::{at, site_with, the_error};
use common::{CONFIG, Site, practice};

fn config_with_base_url(value: &str) -> String {
    CONFIG.replace(
        "base_url: https://example.org/",
        &format!("base_url: {value}"),
    )
}

#[test]
fn a_base_url_that_is_not_a_web_address_is_refused_at_its_value() {
    for (value, why) in [
        (
            "\"https://example.org/\\0\"",
            "it holds the control character U+0000",
        ),
        (
            "https://example.org:99999/",
            "the port is not a number from 1 to 65535",
        ),
        (
            "https://example.org:0/",
            "the port is not a number from 1 to 65535",
        ),
        ("\"https://exa mple.org/\"", "it holds a space"),
        (
            "https://user:pw@example.org/",
            "it holds a user name or password",
        ),
        (
            "https://example.org/?preview=1",
            "it has a `?query` or `#fragment`",
        ),
        ("\"https://\"", "empty host"),
        ("ftp://example.org/", "it is a `ftp:` address, not http(s)"),
    ] {
        let site = Site::with_config(&config_with_base_url(value));
        site.write("content/practices/a.md", &practice("A", "poverty", ""));
        let Err(failure) = site.build() else {
            panic!("{value} was accepted")
        };
        let d = failure.diagnostics[0].clone();
        assert_eq!(d.code, Code::ConfigInvalid, "{value}");
        assert_eq!(at(&d), "casebook.yaml:1:11", "{value}");
        assert!(
            d.message.starts_with("`base_url` `") && d.message.ends_with(why),
            "{value}: {}",
            d.message
        );
    }
    // A well-formed one is written as browsers write it, host in lowercase.
    let site = Site::with_config(&config_with_base_url("https://Example.ORG:8443/sub"));
    site.write("content/practices/a.md", &practice("A", "poverty", ""));
    site.build_ok();
    assert!(
        site.read("sitemap.xml")
            .contains("<loc>https://example.org:8443/sub/en/</loc>")
    );
}

#[test]
fn control_characters_typed_in_a_file_are_refused_at_their_line_and_column() {
    for (name, c, line, column) in [
        ("nul", '\0', 2, 11),
        ("soh", '\u{1}', 2, 11),
        ("esc", '\u{1b}', 2, 11),
        ("del", '\u{7f}', 2, 11),
        ("c1", '\u{85}', 2, 11),
        ("nonchar", '\u{fffe}', 2, 11),
        ("nonchar-ffff", '\u{ffff}', 2, 11),
    ] {
        let text = practice(&format!("Bad{c}title"), "poverty", "");
        let d = the_error(&site_with(&[(&format!("{name}.md"), text.into_bytes())]));
        assert_eq!(d.code, Code::BadValue, "{name}");
        assert_eq!(
            at(&d),
            format!("content/practices/{name}.md:{line}:{column}"),
            "{name}"
        );
        // The title is shown three times in the file: in the title, the summary, the body.
        assert_eq!(
            d.message,
            format!(
                "invisible control character U+{:04X} (2 more in this file)",
                c as u32
            )
        );
    }
    // In the body too: pages carry it as they carry the body.
    let text = practice("Fine", "poverty", "") + "Results \u{1b}[31mred\n";
    let d = the_error(&site_with(&[("body.md", text.into_bytes())]));
    assert_eq!(at(&d), "content/practices/body.md:12:9");
}

#[test]
fn control_characters_written_as_yaml_escapes_are_refused_at_their_value() {
    for (field, value, line) in [
        ("title", "\"A\\x1bB\"", 2),
        ("summary", "\"Line\\0break\"", 6),
        ("partners", "[\"Ok\", \"Bad\\u0007\"]", 8),
        ("key_figures", "[{ value: \"1\\e\", label: x }]", 8),
    ] {
        let text = match field {
            "title" => practice("T", "poverty", "").replace("title: T", &format!("title: {value}")),
            "summary" => practice("T", "poverty", "")
                .replace("summary: A summary of T.", &format!("summary: {value}")),
            _ => practice("T", "poverty", &format!("{field}: {value}\n")),
        };
        let d = the_error(&site_with(&[("esc.md", text.into_bytes())]));
        assert_eq!(d.code, Code::BadValue, "{field}");
        assert!(
            d.message
                .starts_with(&format!("`{field}` holds the control character U+00")),
            "{field}: {}",
            d.message
        );
        assert_eq!(d.location.as_ref().map(|l| l.line), Some(line), "{field}");
    }
    // casebook.yaml and i18n files alike.
    let site = Site::with_config(&CONFIG.replace("es: Pobreza", "es: \"Pob\\x01reza\""));
    site.write("content/practices/a.md", &practice("A", "poverty", ""));
    let d = the_error(&site);
    assert_eq!(at(&d), "casebook.yaml:6:14");
    assert_eq!(d.message, "`topics` holds the control character U+0001");
    let site = site_with(&[]);
    site.write("i18n/es.yaml", "nav:\n  catalogue: \"Cat\\x7fálogo\"\n");
    let d = the_error(&site);
    assert_eq!(at(&d), "i18n/es.yaml:2:1");
    assert_eq!(
        d.message,
        "`nav.catalogue` holds the control character U+007F"
    );
}

/// The body of the practice page built from `body` with raw HTML allowed.
fn raw_html_body(body: &str) -> String {
    let site = Site::with_config(&format!("{CONFIG}markdown: {{ unsafe_html: true }}\n"));
    site.write(
        "content/practices/a.md",
        &(practice("A", "poverty", "") + body),
    );
    site.build_ok();
    let page = site.html("en/practices/a/index.html");
    let body = scraper::Selector::parse(".practice-body").unwrap();
    let found: String = page.select(&body).map(|e| e.inner_html()).collect();
    assert!(!found.is_empty(), "{}", page.html());
    found
}

#[test]
fn raw_html_is_sanitized_when_it_is_allowed() {
    let body = raw_html_body(
        "\n<a href=\"javascript:alert(1)\">js</a> <a href=\"JaVaScRiPt:alert(2)\">mixed</a>\n\n\
         <img src=\"x.png\" alt=\"x\" onerror=\"alert(3)\">\n\n\
         <script>alert(4)</script>\n\n\
         <a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg==\">data</a>\n\n\
         <svg><a href=\"javascript:alert(6)\"><circle r=\"9\"/></a></svg>\n\n\
         <p onclick=\"alert(7)\" style=\"color:red\">para</p>\n\n\
         <iframe src=\"https://example.org/\"></iframe>\n\n\
         <table><tr><td>cell</td></tr></table>\n\n\
         <details><summary>More</summary>kept</details>\n",
    );
    let lower = body.to_lowercase();
    for gone in [
        "javascript:",
        "onerror",
        "onclick",
        "<script",
        "alert(4)",
        "data:",
        "<svg",
        "<iframe",
        "style=",
    ] {
        assert!(!lower.contains(gone), "`{gone}` survived in:\n{body}");
    }
    for kept in [
        "<a>js</a>",
        "src=\"x.png\"",
        "<p>para</p>",
        "<td>cell</td>",
        "<details><summary>More</summary>kept</details>",
    ] {
        assert!(body.contains(kept), "`{kept}` is missing in:\n{body:?}");
    }
}
