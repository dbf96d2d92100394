//! Building fixture sites: pages under the documented URLs in every language, language
//! switching, facets and their counts, pagination, drafts and determinism.

mod common;

use common::{Site, attrs, file_for, practice, snapshot, texts, translation};

fn two_practices() -> Site {
    let site = Site::new();
    site.write("content/practices/co-city.md", &practice("CO-CITY", "poverty, urban-commons", "programme: uia\nlevel: local\nkey_figures:\n  - { value: \"50\", label: pacts signed }\n"))
        .write("content/practices/co-city.es.md", &translation("CO-CITY ES", "city: Turín\n"))
        .write("content/practices/housing-first.md", &practice("Housing First", "housing, poverty", "level: regional\n"))
        .write("content/pages/about.md", "---\ntitle: About\nmenu: 1\n---\nAbout us.\n")
        .write("content/pages/about.es.md", "---\ntitle: Acerca de\nmenu: 1\n---\nSobre nosotros.\n");
    site
}

#[test]
fn pages_exist_under_the_documented_urls_in_every_language() {
    let site = two_practices();
    let summary = site.build_ok();
    for file in [
        "index.html",
        "404.html",
        "robots.txt",
        "sitemap.xml",
        "en/index.html",
        "es/index.html",
        "en/practices/co-city/index.html",
        "es/practices/co-city/index.html",
        "en/practices/housing-first/index.html",
        "en/topics/index.html",
        "en/topics/poverty/index.html",
        "es/topics/poverty/index.html",
        "en/countries/it/index.html",
        "en/programmes/uia/index.html",
        "en/levels/local/index.html",
        "en/about/index.html",
        "es/about/index.html",
    ] {
        assert!(site.exists(file), "missing output/{file}");
    }
    // The untranslated practice has no Spanish page: the Spanish catalogue falls back.
    assert!(!site.exists("es/practices/housing-first/index.html"));
    assert_eq!(summary.languages, 2);
    assert_eq!(summary.practices, 2);
    assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);
    // <html lang> matches the language of each page.
    let es = site.html("es/practices/co-city/index.html");
    assert_eq!(attrs(&es, "html", "lang"), vec!["es"]);
    assert_eq!(texts(&es, "h1"), vec!["CO-CITY ES"]);
    assert!(
        texts(&es, ".place").iter().any(|p| p.starts_with("Turín")),
        "translation's own city spelling"
    );
}

#[test]
fn hreflang_and_the_language_switcher_point_at_real_files() {
    let site = two_practices();
    site.build_ok();
    let en = site.html("en/practices/co-city/index.html");
    let hreflangs = attrs(&en, "link[rel=alternate][hreflang]", "href");
    assert_eq!(
        hreflangs,
        vec![
            "https://example.org/en/practices/co-city/",
            "https://example.org/es/practices/co-city/",
            "https://example.org/en/practices/co-city/",
        ]
    );
    for href in attrs(&en, ".lang-switcher a", "href") {
        assert!(
            site.exists(&file_for(&href)),
            "switcher link {href} has no file"
        );
    }
    assert_eq!(
        attrs(&en, ".lang-switcher a", "href"),
        vec!["/en/practices/co-city/", "/es/practices/co-city/"]
    );

    // Untranslated: the switcher leads to that language's catalogue with a notice.
    let hf = site.html("en/practices/housing-first/index.html");
    let links = attrs(&hf, ".lang-switcher a", "href");
    assert_eq!(
        links,
        vec!["/en/practices/housing-first/", "/es/#untranslated"]
    );
    assert_eq!(
        attrs(&hf, "link[rel=alternate][hreflang]", "hreflang"),
        vec!["en", "x-default"]
    );
    let es_catalogue = site.html("es/index.html");
    assert_eq!(
        attrs(&es_catalogue, "#untranslated", "class"),
        vec!["notice"]
    );
    assert!(texts(&es_catalogue, "#untranslated")[0].contains("no está traducida al español"));
}

#[test]
fn catalogue_lists_every_practice_and_marks_fallbacks() {
    let site = two_practices();
    site.build_ok();
    let en = site.html("en/index.html");
    assert_eq!(texts(&en, ".card-title"), vec!["CO-CITY", "Housing First"]);
    assert_eq!(texts(&en, ".card .figure"), vec!["50 pacts signed"]);
    let es = site.html("es/index.html");
    assert_eq!(
        texts(&es, ".card-title"),
        vec!["CO-CITY ES", "Housing First"]
    );
    assert_eq!(texts(&es, ".card .badge"), vec!["Disponible en inglés"]);
    assert_eq!(
        attrs(&es, ".card-fallback .card-title a", "href"),
        vec!["/en/practices/housing-first/"]
    );
    assert_eq!(
        attrs(&es, ".card-fallback .card-title a", "lang"),
        vec!["en"]
    );
    // Labels per language.
    assert!(texts(&es, ".facet a").iter().any(|t| t == "Pobreza (2)"));
    assert!(texts(&es, ".facet a").iter().any(|t| t == "Italia (2)"));
}

#[test]
fn untranslated_hide_leaves_practices_out_of_other_catalogues() {
    let site = Site::with_config(&format!("{}untranslated: hide\n", common::CONFIG));
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", ""),
    )
    .write(
        "content/practices/co-city.es.md",
        &translation("CO-CITY ES", ""),
    )
    .write(
        "content/practices/housing-first.md",
        &practice("Housing First", "housing, poverty", ""),
    );
    site.build_ok();
    assert_eq!(
        texts(&site.html("es/index.html"), ".card-title"),
        vec!["CO-CITY ES"]
    );
    assert_eq!(
        texts(&site.html("es/topics/poverty/index.html"), ".card-title"),
        vec!["CO-CITY ES"]
    );
    assert!(!site.exists("es/topics/housing/index.html"));
    assert!(site.exists("en/topics/housing/index.html"));
}

#[test]
fn facet_pages_list_the_right_practices_with_the_right_counts() {
    let site = two_practices();
    site.build_ok();
    let poverty = site.html("en/topics/poverty/index.html");
    assert_eq!(texts(&poverty, "h1"), vec!["Poverty"]);
    assert_eq!(
        texts(&poverty, ".card-title"),
        vec!["CO-CITY", "Housing First"]
    );
    let commons = site.html("en/topics/urban-commons/index.html");
    assert_eq!(texts(&commons, ".card-title"), vec!["CO-CITY"]);
    let facets = texts(&site.html("en/index.html"), ".facet a");
    for expected in [
        "Poverty (2)",
        "Housing (1)",
        "Urban commons (1)",
        "Italy (2)",
        "Urban Innovative Actions (1)",
        "Local (1)",
        "Regional (1)",
    ] {
        assert!(
            facets.iter().any(|f| f == expected),
            "{expected} not in {facets:?}"
        );
    }
    let index = site.html("en/topics/index.html");
    assert_eq!(
        texts(&index, ".term-list li"),
        vec![
            "Poverty 2 practices",
            "Housing 1 practice",
            "Urban commons 1 practice"
        ]
    );
    // Every facet link leads to a real page.
    for href in attrs(&site.html("en/index.html"), ".facets a", "href") {
        assert!(site.exists(&file_for(&href)), "{href}");
    }
}

#[test]
fn practice_pages_show_every_field_and_related_practices() {
    let site = Site::new();
    let extra = "subtitle: Commons pacts\nregion: Piedmont\ncoordinates: [45.07, 7.69]\nprogramme: uia\nlevel: local\nstart: 2017-03\nend: 2020-02\nbudget: { total: 5100000, eu: 4080000, currency: EUR }\npartners: [City of Turin, University of Turin]\nowner: { organisation: City of Turin, url: \"https://www.comune.torino.it/\" }\nkey_figures:\n  - { value: \"50\", label: pacts signed }\n  - { value: \"214\", label: organisations }\nupdated: 2024-03-02\nrelated: [zeta]\n";
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty, urban-commons", extra),
    )
    .write(
        "content/practices/co-city.es.md",
        &translation("CO-CITY ES", ""),
    )
    .write(
        "content/practices/alpha.md",
        &practice("Alpha", "poverty, urban-commons", ""),
    )
    .write(
        "content/practices/beta.md",
        &practice("Beta", "poverty", ""),
    )
    .write(
        "content/practices/gamma.md",
        &practice("Gamma", "housing", ""),
    )
    .write(
        "content/practices/zeta.md",
        &practice("Zeta", "housing", ""),
    );
    site.build_ok();
    let doc = site.html("en/practices/co-city/index.html");
    let facts = texts(&doc, ".facts dd");
    let all = facts.join(" | ");
    for expected in [
        "Urban Innovative Actions",
        "Local",
        "March 2017 – February 2020",
        "€5,100,000",
        "€4,080,000",
        "City of Turin",
        "University of Turin",
        "15 January 2024",
        "2 March 2024",
        "Turin, Piedmont, Italy",
    ] {
        assert!(all.contains(expected), "{expected} not in {all}");
    }
    assert_eq!(
        texts(&doc, ".key-figures li"),
        vec!["50 pacts signed", "214 organisations"]
    );
    assert_eq!(texts(&doc, ".subtitle"), vec!["Commons pacts"]);
    assert_eq!(
        attrs(&doc, ".facts a[rel=noopener]", "href"),
        vec!["https://www.comune.torino.it/"]
    );
    // Explicit related first, then those sharing the most topics.
    // Gamma shares no topic, so it is not suggested.
    assert_eq!(
        texts(&doc, ".related .card-title"),
        vec!["Zeta", "Alpha", "Beta"]
    );
    let es = site.html("es/practices/co-city/index.html");
    let all_es = texts(&es, ".facts dd").join(" | ");
    assert!(
        all_es.contains("5.100.000 €") && all_es.contains("marzo de 2017"),
        "{all_es}"
    );
}

#[test]
fn listings_paginate() {
    let site = Site::with_config(&format!("{}paginate: 2\n", common::CONFIG));
    for i in 0..5 {
        site.write(
            &format!("content/practices/p{i}.md"),
            &practice(
                &format!("P{i}"),
                "poverty",
                &format!("published: 2024-01-1{i}\n"),
            )
            .replace("published: 2024-01-15\n", ""),
        );
    }
    site.build_ok();
    let first = site.html("en/index.html");
    assert_eq!(texts(&first, ".card-title"), vec!["P4", "P3"]);
    assert_eq!(
        attrs(&first, ".pagination a[rel=next]", "href"),
        vec!["/en/page/2/"]
    );
    let third = site.html("en/page/3/index.html");
    assert_eq!(texts(&third, ".card-title"), vec!["P0"]);
    assert_eq!(
        attrs(&third, ".pagination a[rel=prev]", "href"),
        vec!["/en/page/2/"]
    );
    assert!(!site.exists("en/page/4/index.html"));
    assert_eq!(
        texts(
            &site.html("en/topics/poverty/page/2/index.html"),
            ".card-title"
        ),
        vec!["P2", "P1"]
    );
    assert!(texts(&third, ".results-count")[0].contains("5–5 of 5"));
}

#[test]
fn drafts_build_only_with_the_flag() {
    let site = two_practices();
    site.write(
        "content/practices/secret.md",
        &practice("Secret", "poverty", "draft: true\n"),
    );
    site.build_ok();
    assert!(!site.exists("en/practices/secret/index.html"));
    assert!(!site.read("en/index.html").contains("Secret"));
    let (code, stdout, stderr) = site.cli(&["build", "--drafts"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("3 practices"), "{stdout}");
    assert!(site.exists("en/practices/secret/index.html"));
}

#[test]
fn two_builds_are_byte_identical() {
    let site = two_practices();
    site.build_ok();
    let first = snapshot(&site.out());
    site.build_ok();
    let second = snapshot(&site.out());
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (k, v) in &first {
        assert!(second[k] == *v, "{k} differs between builds");
    }
}

#[test]
fn cli_prints_a_one_line_summary_and_honours_options() {
    let site = two_practices();
    let (code, stdout, _) = site.cli(&["build"]);
    assert_eq!(code, 0);
    let line = stdout.lines().next().unwrap();
    assert!(
        line.starts_with("Built ") && line.contains("2 languages") && line.contains(" ms"),
        "{line}"
    );
    let (code, stdout, _) = site.cli(&[
        "build",
        "--quiet",
        "--output",
        "elsewhere",
        "--base-url",
        "https://preview.example.org/pr-7/",
    ]);
    assert_eq!(code, 0);
    assert_eq!(stdout, "");
    let html = std::fs::read_to_string(site.root().join("elsewhere/en/index.html")).unwrap();
    assert!(
        html.contains("href=\"https://preview.example.org/pr-7/en/\""),
        "canonical uses the base URL"
    );
    assert!(
        html.contains("href=\"/pr-7/en/practices/co-city/\""),
        "links carry the base path"
    );
    let other = tempfile::tempdir().unwrap();
    let (code, _, stderr) = common::Site::new().cli(&[
        "build",
        "--root",
        site.root().to_str().unwrap(),
        "--output",
        other.path().join("o").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(other.path().join("o/en/index.html").exists());
}

#[test]
fn sitemap_lists_pages_with_hreflang_alternates() {
    let site = two_practices();
    site.build_ok();
    let xml = site.read("sitemap.xml");
    assert!(xml.contains("<loc>https://example.org/en/practices/co-city/</loc>"));
    assert!(xml.contains("<xhtml:link rel=\"alternate\" hreflang=\"es\" href=\"https://example.org/es/practices/co-city/\"/>"));
    assert!(!xml.contains("es/practices/housing-first"));
    assert!(!xml.contains("404"));
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://example.org/sitemap.xml")
    );
}

#[test]
fn the_root_is_a_language_chooser() {
    let site = two_practices();
    site.build_ok();
    let root = site.html("index.html");
    assert_eq!(
        attrs(&root, ".language-list a", "href"),
        vec!["/en/", "/es/"]
    );
    assert_eq!(texts(&root, ".language-list a"), vec!["English", "Español"]);
    assert!(site.read("index.html").contains("location.replace"));
}

#[test]
fn code_is_highlighted_with_classes_and_the_theme_stylesheet_is_linked() {
    let site = two_practices();
    site.write(
        "content/pages/guide.md",
        "---\ntitle: Guide\n---\n```yaml\ntitle: x\n```\n",
    );
    site.build_ok();
    let html = site.read("en/guide/index.html");
    assert!(html.contains("class=\"hl-"), "{html}");
    let css = attrs(
        &site.html("en/guide/index.html"),
        "link[rel=stylesheet]",
        "href",
    );
    assert_eq!(css.len(), 2);
    for href in css {
        assert!(site.exists(&file_for(&href)), "{href}");
        assert!(
            href.contains("highlight.") || href.contains("main."),
            "{href}"
        );
    }
    assert!(!site.read("en/about/index.html").contains("highlight."));
}

#[test]
fn site_templates_and_static_files_override_the_theme() {
    let site = two_practices();
    site.write("templates/page.html", "{% extends \"base.html\" %}{% block main %}<p class=\"custom\">{{ page.title }}</p>{% endblock main %}")
        .write("static/css/main.css", "body { color: black; }")
        .write("static/extra.txt", "extra");
    site.build_ok();
    assert_eq!(
        texts(&site.html("en/about/index.html"), ".custom"),
        vec!["About"]
    );
    assert_eq!(site.read("css/main.css"), "body { color: black; }");
    assert_eq!(site.read("extra.txt"), "extra");
}

#[test]
fn a_card_template_that_needs_the_page_still_works() {
    // The default theme shows each card's HTML, rendered once per language (`card.html`);
    // a card template that needs a page's own variables is included in each page instead.
    let site = two_practices();
    site.write(
        "templates/partials/card.html",
        "<li class=\"card\" data-page=\"{{ page_url }}\">{{ card.title }}</li>\n",
    );
    site.build_ok();
    assert_eq!(
        attrs(&site.html("en/index.html"), ".card", "data-page"),
        vec!["/en/", "/en/"]
    );
    assert_eq!(
        attrs(
            &site.html("en/practices/co-city/index.html"),
            ".card",
            "data-page"
        ),
        vec!["/en/practices/co-city/"]
    );

    // One that needs only the card and the language is the same on every page.
    site.write(
        "templates/partials/card.html",
        "<li class=\"card\" lang=\"{{ lang }}\">{{ card.title }} · {{ t(key=\"nav.catalogue\") }}</li>\n",
    );
    site.build_ok();
    assert_eq!(
        texts(&site.html("es/index.html"), ".card"),
        vec!["CO-CITY ES · Catálogo", "Housing First · Catálogo"]
    );
    assert_eq!(
        texts(&site.html("es/practices/co-city/index.html"), ".card"),
        vec!["Housing First · Catálogo"]
    );
}

/// A small deterministic generator for the random catalogues below.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

#[test]
fn similar_practices_are_those_sharing_the_most_topics_on_random_catalogues() {
    // The model ranks groups of practices with the same topics (src/related.rs); this checks
    // its result on the pages against the rule written out plainly: practices sharing more
    // of the page's topics first, then groups in the order their newest practice comes,
    // newest first within a group (ties by slug), at most four, explicit ones left out.
    const TOPICS: [&str; 6] = ["t0", "t1", "t2", "t3", "t4", "t5"];
    let mut config = String::from(
        "base_url: https://example.org/\ndefault_language: en\nlanguages: [en]\ntaxonomies:\n  topics:\n",
    );
    for t in TOPICS {
        config.push_str(&format!("    {t}: {{ en: Topic {t} }}\n"));
    }
    for seed in [1u64, 7, 42] {
        let mut rng = Lcg(seed);
        let n = 40;
        let site = Site::with_config(&config);
        // (slug, topics, published, explicit related)
        let mut practices: Vec<(String, Vec<&str>, String, Vec<usize>)> = Vec::new();
        for i in 0..n {
            let mut topics: Vec<&str> = Vec::new();
            for _ in 0..1 + rng.below(3) {
                let t = TOPICS[rng.below(TOPICS.len() as u64) as usize];
                if !topics.contains(&t) {
                    topics.push(t);
                }
            }
            let published = format!(
                "202{}-0{}-1{}",
                rng.below(4),
                1 + rng.below(9),
                rng.below(2)
            );
            let explicit: Vec<usize> = if rng.below(4) == 0 {
                vec![rng.below(n as u64) as usize]
            } else {
                Vec::new()
            }
            .into_iter()
            .filter(|&j| j != i)
            .collect();
            practices.push((format!("p{i:02}"), topics, published, explicit));
        }
        for (slug, topics, published, explicit) in &practices {
            let related = if explicit.is_empty() {
                String::new()
            } else {
                format!("related: [p{:02}]\n", explicit[0])
            };
            site.write(
                &format!("content/practices/{slug}.md"),
                &format!(
                    "---\ntitle: T-{slug}\ncity: Turin\ncountry: IT\ntopics: [{}]\nsummary: S.\npublished: {published}\n{related}---\nBody.\n",
                    topics.join(", ")
                ),
            );
        }
        site.build_ok();

        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| {
            practices[b]
                .2
                .cmp(&practices[a].2)
                .then_with(|| practices[a].0.cmp(&practices[b].0))
        });
        let set = |i: usize| {
            let mut s = practices[i].1.clone();
            s.sort_unstable();
            s
        };
        // Each practice's group: the position in `order` of the first practice with its set.
        let group = |j: usize| {
            order
                .iter()
                .position(|&k| set(k) == set(j))
                .expect("in order")
        };
        for i in 0..n {
            let shared = |j: usize| practices[i].1.iter().filter(|t| set(j).contains(t)).count();
            let mut candidates: Vec<usize> = order
                .iter()
                .copied()
                .filter(|&j| j != i && shared(j) > 0)
                .collect();
            // Stable: within a group, `order`'s order stays.
            candidates.sort_by(|&a, &b| shared(b).cmp(&shared(a)).then(group(a).cmp(&group(b))));
            let expected: Vec<String> = candidates
                .into_iter()
                .take(8)
                .filter(|j| !practices[i].3.contains(j))
                .take(4)
                .map(|j| format!("T-{}", practices[j].0))
                .collect();
            let doc = site.html(&format!("en/practices/{}/index.html", practices[i].0));
            assert_eq!(
                texts(&doc, ".similar .card-title"),
                expected,
                "seed {seed}, practice {}",
                practices[i].0
            );
        }
    }
}
