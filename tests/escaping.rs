//! Hostile strings in every front-matter field come out as text, never as markup.

mod common;

use common::{Site, snapshot, texts};
use scraper::{Html, Selector};

const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(2)>",
    "</title><script>alert(3)</script>",
    "' onmouseover='alert(4)",
    "&lt;b&gt; & <b>bold</b>",
    "\u{202E}evil\u{202C} rtl",
    "{{ site.title }} {% if true %}",
];

fn yaml_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{1b}' => out.push_str("\\e"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn hostile_site() -> Site {
    let site = Site::new();
    let h = |i: usize| yaml_quote(HOSTILE[i % HOSTILE.len()]);
    let fm = format!(
        "---\ntitle: {}\nsubtitle: {}\ncity: {}\nregion: {}\ncountry: IT\ntopics: [poverty]\npartners: [{}, {}]\nowner: {{ organisation: {}, url: \"https://example.org/?a=1&b=2\" }}\nkey_figures:\n  - {{ value: {}, label: {} }}\nsummary: {}\npublished: 2024-01-01\n---\nBody text with [an address](https://example.org/x\"onmouseover=\"alert(5)) and [a link](https://example.org/#\"onclick=\"alert(6)).\n",
        h(0),
        h(1),
        h(2),
        h(3),
        h(4),
        h(5),
        h(6),
        h(0),
        h(1),
        h(2)
    );
    site.write("content/practices/evil.md", &fm);
    site.write(
        "content/practices/evil.es.md",
        &format!(
            "---\ntitle: {}\nsummary: {}\npublished: 2024-01-02\n---\n<script>alert(9)</script>\n",
            h(3),
            h(4)
        ),
    );
    site.write(
        "content/pages/about.md",
        &format!(
            "---\ntitle: {}\nsummary: {}\nmenu: 1\nmenu_title: {}\n---\nx\n",
            h(0),
            h(1),
            h(2)
        ),
    );
    site
}

fn assert_inert(rel: &str, doc: &Html) {
    // The only scripts are the chooser's redirect, the theme's own files, JSON-LD data (whose
    // escaping tests/publishing.rs checks), the catalogue's JSON config, which must parse
    // (nothing broke out of it), and the theme's own few lines that mark its disclosures
    // open on wide screens, which hold no text of the site.
    let scripts = Selector::parse("script").unwrap();
    let inline = doc
        .select(&scripts)
        .filter(|s| {
            let own_file = s
                .value()
                .attr("src")
                .is_some_and(|src| src.starts_with("/js/") && s.inner_html().is_empty());
            let data = s.value().attr("type") == Some("application/ld+json");
            let config = s.value().attr("id") == Some("catalogue-config")
                && s.value().attr("type") == Some("application/json");
            if config {
                let json: String = s.text().collect();
                assert!(
                    serde_json::from_str::<serde_json::Value>(&json).is_ok(),
                    "{rel}: the catalogue config is not valid JSON"
                );
            }
            let disclosures = s.value().attr("id") == Some("casebook-disclosures")
                && !s.inner_html().contains("alert(");
            !own_file && !data && !config && !disclosures
        })
        .count();
    let allowed = if rel == "index.html" { 1 } else { 0 };
    assert_eq!(inline, allowed, "{rel} has an injected <script>");
    let any = Selector::parse("*").unwrap();
    for el in doc.select(&any) {
        assert_ne!(el.value().name(), "img", "{rel} has an injected <img>");
        assert_ne!(el.value().name(), "b", "{rel} has an injected <b>");
        for (name, value) in el.value().attrs() {
            assert!(
                !name.starts_with("on"),
                "{rel}: injected attribute {name}={value}"
            );
            assert!(
                !value.to_ascii_lowercase().starts_with("javascript:"),
                "{rel}: {name}={value}"
            );
        }
    }
}

#[test]
fn hostile_strings_come_out_as_text_in_every_html_page() {
    let site = hostile_site();
    site.build_ok();
    let files = snapshot(&site.out());
    let mut html_pages = 0;
    for (rel, bytes) in &files {
        if rel.ends_with(".html") {
            html_pages += 1;
            assert_inert(rel, &Html::parse_document(&String::from_utf8_lossy(bytes)));
        }
    }
    assert!(html_pages > 10);
    // The strings survive as text, exactly.
    let doc = site.html("en/practices/evil/index.html");
    assert_eq!(texts(&doc, "h1"), vec![HOSTILE[0]]);
    assert_eq!(
        texts(&doc, ".subtitle"),
        vec![HOSTILE[1].split_whitespace().collect::<Vec<_>>().join(" ")]
    );
    let title = texts(&doc, "title");
    assert!(title[0].starts_with(HOSTILE[0]), "{title:?}");
    let figures = texts(&doc, ".key-figures li");
    assert_eq!(
        figures,
        vec![
            format!("{} {}", HOSTILE[0], HOSTILE[1])
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        ]
    );
    assert!(
        texts(&doc, ".facts dd").join(" ").contains(HOSTILE[6]),
        "template syntax in data is not evaluated"
    );
    // The URL keeps its query, escaped in the attribute.
    assert!(
        site.read("en/practices/evil/index.html")
            .contains("href=\"https://example.org/?a=1&amp;b=2\"")
    );
    // Raw HTML in Markdown is shown as text.
    let es = site.read("es/practices/evil/index.html");
    assert!(es.contains("&lt;script&gt;alert(9)&lt;/script&gt;"));
    // Meta description attribute is escaped.
    assert!(site.read("en/practices/evil/index.html").contains("<meta name=\"description\" content=\"&lt;/title&gt;&lt;script&gt;alert(3)&lt;/script&gt;\">"));
}

#[test]
fn hostile_strings_do_not_break_the_sitemap() {
    let site = hostile_site();
    site.build_ok();
    let xml = site.read("sitemap.xml");
    assert!(!xml.contains("<script"));
    assert!(xml.starts_with("<?xml") && xml.trim_end().ends_with("</urlset>"));
}

/// Runs the CLI on a site whose front matter holds `value` as an unknown topic.
fn diagnostics_for(value: &str, format: &str) -> String {
    let site = Site::new();
    site.write(
        "content/practices/evil.md",
        &format!(
            "---\ntitle: T\ncity: C\ncountry: IT\ntopics: [{}]\nsummary: S.\npublished: 2024-01-01\n---\n",
            yaml_quote(value)
        ),
    );
    let (code, stdout, _) = site.cli(&["check", "--format", format]);
    assert_eq!(code, 1);
    stdout
}

#[test]
fn hostile_strings_stay_data_in_json_diagnostics() {
    for value in HOSTILE
        .iter()
        .chain(&["line\nbreak\r\u{2028}", "\u{1b}[2J"])
    {
        let out = diagnostics_for(value, "json");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 1, "one line per diagnostic: {out}");
        let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(
            v["message"].as_str().unwrap(),
            format!("unknown topic `{value}`"),
            "round-trips exactly"
        );
    }
}

#[test]
fn hostile_strings_cannot_forge_github_annotations() {
    for value in HOSTILE
        .iter()
        .chain(&["x\n::error file=forged.md::owned", "100%0A"])
    {
        let out = diagnostics_for(value, "github");
        let commands: Vec<&str> = out.lines().filter(|l| l.starts_with("::")).collect();
        assert_eq!(commands.len(), 1, "{out}");
        assert!(
            commands[0].starts_with("::error file=content/practices/evil.md,line=5,"),
            "{out}"
        );
        assert!(!out.contains('\r'));
    }
    assert!(diagnostics_for("100%0A", "github").contains("100%250A"));
}

#[test]
fn hostile_strings_are_inert_in_the_terminal() {
    let site = Site::new();
    site.write(
        "content/practices/evil.md",
        "---\ntitle: T\ncity: C\ncountry: IT\ntopics: [\"\u{202E}evil\\e[2J\"]\nsummary: S.\npublished: 2024-01-01\n---\n",
    );
    let (_, _, stderr) = site.cli(&["check"]);
    assert!(
        stderr.contains("unknown topic `\u{FFFD}evil\u{FFFD}[2J`"),
        "{stderr}"
    );
    assert!(!stderr.contains('\u{202E}') && !stderr.contains('\u{1b}'));
}

#[test]
fn javascript_urls_in_owner_url_are_refused() {
    for url in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "https://x.org/\" onmouseover=\"alert(1)",
        "data:text/html,<script>alert(1)</script>",
    ] {
        let site = Site::new();
        site.write(
            "content/practices/evil.md",
            &format!(
                "---\ntitle: T\ncity: C\ncountry: IT\ntopics: [poverty]\nowner: {{ organisation: O, url: {} }}\nsummary: S.\npublished: 2024-01-01\n---\n",
                yaml_quote(url)
            ),
        );
        let failure = site.build().unwrap_err();
        let d = &failure.diagnostics[0];
        assert_eq!(d.code.id(), "E0109", "{url}: {d:?}");
        assert_eq!(d.location.as_ref().unwrap().line, 6);
        assert!(!site.out().exists());
    }
}

#[test]
fn the_schema_keeps_hostile_labels_as_data() {
    let label = "</script><img src=x onerror=alert(1)>\u{202E}";
    let site = Site::with_config(&format!(
        "base_url: https://example.org/\nlanguages: [en]\ntaxonomies:\n  topics:\n    poverty: {{ en: {} }}\n",
        yaml_quote(label)
    ));
    let (code, stdout, _) = site.cli(&["schema"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        v["properties"]["topics"]["items"]["enumDescriptions"][0],
        label
    );
}

#[test]
fn an_unclosed_rtl_override_cannot_reverse_the_text_after_its_field() {
    // Each text field ends in a RIGHT-TO-LEFT OVERRIDE that it never closes. Left open, it
    // would show what follows it backwards: the site's name in `<title>`, the next partner,
    // the rest of a line in a feed reader or a spreadsheet.
    let rlo = "\u{202E}";
    let site = Site::new();
    site.write(
        "content/practices/evil.md",
        &format!(
            "---\ntitle: \"CO-CITY{rlo}\"\nsubtitle: \"Sub{rlo}\"\ncity: \"Turin{rlo}\"\nregion: \"Piedmont{rlo}\"\ncountry: IT\ntopics: [poverty]\npartners: [\"A{rlo}\", B]\nowner: {{ organisation: \"O{rlo}\" }}\nkey_figures:\n  - {{ value: \"50{rlo}\", label: \"pacts{rlo}\" }}\nsummary: \"Summary{rlo}\"\npublished: 2024-01-01\nadapted_by: [\"Terrassa{rlo}\"]\n---\nBody.\n"
        ),
    );
    site.write(
        "content/pages/about.md",
        &format!("---\ntitle: \"About{rlo}\"\nsummary: \"S{rlo}\"\nmenu: 1\nmenu_title: \"A{rlo}\"\n---\nx\n"),
    );
    site.build_ok();
    let page = site.read("en/practices/evil/index.html");
    let doc = Html::parse_document(&page);
    assert_eq!(texts(&doc, "h1"), vec!["CO-CITY\u{202E}\u{202C}"]);
    assert!(
        texts(&doc, "title")[0].starts_with("CO-CITY\u{202E}\u{202C} "),
        "{:?}",
        texts(&doc, "title")
    );
    // In every file written, each override is closed right where its field ends.
    let mut seen = 0;
    for (rel, bytes) in snapshot(&site.out()) {
        let text = String::from_utf8_lossy(&bytes);
        for (i, _) in text.match_indices(rlo) {
            seen += 1;
            let before: String = text[..i].chars().rev().take(30).collect();
            let before: String = before.chars().rev().collect();
            assert!(
                text[i + rlo.len()..].starts_with('\u{202C}'),
                "{rel}: an override left open after {before:?}"
            );
        }
    }
    assert!(
        seen > 20,
        "the fields are published ({seen} overrides seen)"
    );
}
