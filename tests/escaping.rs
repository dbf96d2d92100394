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
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn hostile_site() -> Site {
    let site = Site::new();
    let h = |i: usize| yaml_quote(HOSTILE[i % HOSTILE.len()]);
    let fm = format!(
        "---\ntitle: {}\nsubtitle: {}\ncity: {}\nregion: {}\ncountry: IT\ntopics: [poverty]\npartners: [{}, {}]\nowner: {{ organisation: {}, url: \"https://example.org/?a=1&b=2\" }}\nkey_figures:\n  - {{ value: {}, label: {} }}\nsummary: {}\npublished: 2024-01-01\n---\nBody text.\n",
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
    // The theme's own scripts: the chooser's redirect, and on catalogue pages the catalogue
    // script and its JSON config (which must parse: nothing broke out of it).
    let scripts = Selector::parse("script").unwrap();
    let count = doc
        .select(&scripts)
        .filter(|s| {
            let own_src = s
                .value()
                .attr("src")
                .is_some_and(|src| src.starts_with("/js/catalogue."));
            let config = s.value().attr("id") == Some("catalogue-config");
            if config {
                let json: String = s.text().collect();
                assert!(
                    serde_json::from_str::<serde_json::Value>(&json).is_ok(),
                    "{rel}: the catalogue config is not valid JSON"
                );
            }
            !own_src && !config
        })
        .count();
    let allowed = if rel == "index.html" { 1 } else { 0 };
    assert_eq!(count, allowed, "{rel} has an injected <script>");
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
