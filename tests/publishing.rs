//! Publishing beyond the pages: Atom feeds, open data (JSON, CSV, JSON Schema), JSON-LD,
//! Open Graph meta, share and cite blocks, maps, and `adapted_by`.

mod common;

use std::path::Path;
use std::process::Command;

use casebook::publish::opendata::CSV_COLUMNS;
use common::{Site, attrs, practice, texts, translation};
use scraper::{Html, Selector};
use serde_json::Value;

/// Validates an Atom file against RFC 4287's RELAX NG grammar with xmllint.
fn xmllint_atom(file: &Path) -> Result<(), String> {
    let schema = common::repo().join("tests/schemas/atom.rng");
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--relaxng")
        .arg(&schema)
        .arg(file)
        .output()
        .expect("xmllint is missing: install Debian's libxml2-utils (or run .ci/run)");
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// Runs an XPath query on an XML file with xmllint; namespaces are matched by local name.
fn xpath(file: &Path, query: &str) -> String {
    let out = Command::new("xmllint")
        .args(["--xpath", query])
        .arg(file)
        .output()
        .expect("xmllint");
    String::from_utf8_lossy(&out.stdout)
        .trim_end_matches('\n')
        .to_string()
}

fn schema() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(casebook::publish::opendata::SCHEMA).expect("schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles")
}

fn schema_errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn json(site: &Site, rel: &str) -> Value {
    serde_json::from_str(&site.read(rel)).unwrap_or_else(|e| panic!("{rel} is not JSON: {e}"))
}

/// The parsed JSON-LD of a page.
fn json_ld(doc: &Html) -> Value {
    let sel = Selector::parse("script[type=\"application/ld+json\"]").unwrap();
    let scripts: Vec<String> = doc.select(&sel).map(|e| e.inner_html()).collect();
    assert_eq!(scripts.len(), 1, "one JSON-LD block");
    serde_json::from_str(&scripts[0]).expect("JSON-LD is JSON")
}

fn meta(doc: &Html, key: &str) -> Vec<String> {
    let mut v = attrs(doc, &format!("meta[property=\"{key}\"]"), "content");
    v.extend(attrs(doc, &format!("meta[name=\"{key}\"]"), "content"));
    v
}

fn csv_rows(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .expect("header row")
        .iter()
        .map(String::from)
        .collect();
    let rows = reader
        .records()
        .map(|r| {
            r.expect("a valid RFC 4180 record")
                .iter()
                .map(String::from)
                .collect()
        })
        .collect();
    (header, rows)
}

fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

/// Three practices in English, one of them in Spanish too, with most fields filled in.
fn rich_site() -> Site {
    let site = Site::with_config(&format!(
        "{}title: {{ en: Good practices in social innovation, es: Buenas prácticas }}\n",
        common::CONFIG
    ));
    site.write(
        "content/practices/co-city.md",
        &practice(
            "CO-CITY",
            "urban-commons, poverty",
            "subtitle: Pacts of collaboration\nregion: Piedmont\ncoordinates: [45.07, 7.69]\nprogramme: uia\nlevel: local\nstart: 2017-03\nend: 2020-02\nbudget: { total: 5100000, eu: 4080000, currency: EUR }\npartners: [City of Turin, \"University of Turin; Department of Law\"]\nowner: { organisation: City of Turin, url: \"https://www.comune.torino.it/\" }\nkey_figures:\n  - { value: \"50\", label: pacts signed }\nupdated: 2024-06-01\nadapted_by: [b-mincome, Terrassa, \"L'Hospitalet de Llobregat\"]\n",
        ),
    );
    site.write(
        "content/practices/co-city.es.md",
        &translation("CO-CITY", "city: Turín\n"),
    );
    site.write(
        "content/practices/b-mincome.md",
        &practice("B-MINCOME", "poverty", "coordinates: [41.39, 2.17]\n")
            .replace("city: Turin\ncountry: IT", "city: Barcelona\ncountry: ES")
            .replace("published: 2024-01-15", "published: 2023-05-02"),
    );
    site.write(
        "content/practices/rural.md",
        &practice("Rural hubs", "housing", "")
            .replace("city: Turin\n", "region: Andalusia\n")
            .replace("country: IT", "country: ES")
            .replace("published: 2024-01-15", "published: 2022-11-30"),
    );
    site
}

#[test]
fn atom_feeds_validate_against_rfc_4287_and_list_the_newest_first() {
    let site = rich_site();
    site.build_ok();
    for lang in ["en", "es"] {
        let file = site.out().join(format!("{lang}/atom.xml"));
        if let Err(e) = xmllint_atom(&file) {
            panic!("{lang}/atom.xml does not validate:\n{e}");
        }
    }
    let en = site.out().join("en/atom.xml");
    let titles = xpath(
        &en,
        "//*[local-name()='entry']/*[local-name()='title']/text()",
    );
    assert_eq!(
        titles.lines().collect::<Vec<_>>(),
        vec!["CO-CITY", "B-MINCOME", "Rural hubs"],
        "newest first by `published`"
    );
    // The feed's date is the newest date in it (CO-CITY's `updated`), never the build time.
    assert_eq!(
        xpath(
            &en,
            "string(/*[local-name()='feed']/*[local-name()='updated'])"
        ),
        "2024-06-01T00:00:00Z"
    );
    assert_eq!(
        xpath(
            &en,
            "string(//*[local-name()='entry'][1]/*[local-name()='link']/@href)"
        ),
        "https://example.org/en/practices/co-city/"
    );
    // The Spanish feed lists the Spanish version, and the others as fallbacks in English.
    let es = site.out().join("es/atom.xml");
    assert_eq!(
        xpath(&es, "string(//*[local-name()='entry'][1]/@xml:lang)"),
        "es"
    );
    assert_eq!(
        xpath(&es, "string(//*[local-name()='entry'][2]/@xml:lang)"),
        "en"
    );

    // Every page links its language's feed from its head.
    for (rel, bytes) in common::snapshot(&site.out()) {
        if !rel.ends_with(".html") {
            continue;
        }
        let doc = Html::parse_document(&String::from_utf8_lossy(&bytes));
        let lang = attrs(&doc, "html", "lang").remove(0);
        if rel == "index.html" {
            // The language chooser links the feed of every language.
            assert_eq!(
                attrs(&doc, "head link[type=\"application/atom+xml\"]", "href"),
                vec![
                    "https://example.org/en/atom.xml",
                    "https://example.org/es/atom.xml"
                ]
            );
            continue;
        }
        assert_eq!(
            attrs(
                &doc,
                "head link[rel=alternate][type=\"application/atom+xml\"]",
                "href"
            ),
            vec![format!("https://example.org/{lang}/atom.xml")],
            "{rel}"
        );
    }
}

#[test]
fn the_atom_schema_rejects_a_broken_feed() {
    // The check can fail: a feed whose entry lacks its id does not validate.
    let site = rich_site();
    site.build_ok();
    let text = site.read("en/atom.xml");
    let start = text.find("<entry").unwrap();
    let id_start = start + text[start..].find("<id>").unwrap();
    let id_end = id_start + text[id_start..].find("</id>").unwrap() + "</id>".len();
    let broken = format!("{}{}", &text[..id_start], &text[id_end..]);
    let file = site.root().join("broken.xml");
    std::fs::write(&file, broken).unwrap();
    assert!(xmllint_atom(&file).is_err());
}

#[test]
fn open_data_follows_the_published_json_schema() {
    let site = rich_site();
    site.build_ok();
    let validator = schema();
    for rel in ["en/practices.json", "es/practices.json", "practices.json"] {
        let doc = json(&site, rel);
        let errors = schema_errors(&validator, &doc);
        assert!(errors.is_empty(), "{rel}:\n{}", errors.join("\n"));
    }
    // The schema is published next to the data, and the data points at it.
    assert_eq!(
        site.read("practices.schema.json"),
        casebook::publish::opendata::SCHEMA
    );
    let en = json(&site, "en/practices.json");
    assert_eq!(en["$schema"], "https://example.org/practices.schema.json");
    assert_eq!(en["version"], 1);
    assert_eq!(en["format"], "casebook-catalogue");

    // Every front-matter field, the URL and the languages.
    let co = &en["practices"][0];
    assert_eq!(co["slug"], "co-city");
    assert_eq!(co["url"], "https://example.org/en/practices/co-city/");
    assert_eq!(
        co["languages"],
        serde_json::json!([
            { "lang": "en", "url": "https://example.org/en/practices/co-city/" },
            { "lang": "es", "url": "https://example.org/es/practices/co-city/" }
        ])
    );
    assert_eq!(co["subtitle"], "Pacts of collaboration");
    assert_eq!(
        co["coordinates"],
        serde_json::json!({ "lat": 45.07, "lon": 7.69 })
    );
    assert_eq!(co["programme"], "uia");
    assert_eq!(
        co["topics"],
        serde_json::json!(["urban-commons", "poverty"])
    );
    assert_eq!(co["level"], "local");
    assert_eq!(co["start"], "2017-03");
    assert_eq!(co["end"], "2020-02");
    assert_eq!(
        co["budget"],
        serde_json::json!({ "total": 5100000.0, "eu": 4080000.0, "currency": "EUR" })
    );
    assert_eq!(co["owner"]["url"], "https://www.comune.torino.it/");
    assert_eq!(co["key_figures"][0]["label"], "pacts signed");
    assert_eq!(co["published"], "2024-01-15");
    assert_eq!(co["updated"], "2024-06-01");
    assert_eq!(
        co["adapted_by"],
        serde_json::json!([{ "slug": "b-mincome" }, { "name": "Terrassa" }, { "name": "L'Hospitalet de Llobregat" }])
    );
    assert_eq!(
        en["vocabularies"]["topics"]["urban-commons"],
        "Urban commons"
    );
    assert_eq!(en["vocabularies"]["countries"]["ES"], "Spain");

    // The Spanish catalogue shows Spanish labels and marks fallbacks.
    let es = json(&site, "es/practices.json");
    assert_eq!(es["vocabularies"]["countries"]["ES"], "España");
    let fallbacks: Vec<(&str, bool)> = es["practices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["slug"].as_str().unwrap(),
                p["fallback"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        fallbacks,
        vec![("co-city", false), ("b-mincome", true), ("rural", true)]
    );

    // All languages: every translation of every practice.
    let all = json(&site, "practices.json");
    assert_eq!(all["format"], "casebook-dataset");
    let co = all["practices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == "co-city")
        .unwrap();
    let langs: Vec<&str> = co["translations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["lang"].as_str().unwrap())
        .collect();
    assert_eq!(langs, vec!["en", "es"]);
    assert_eq!(co["translations"][1]["city"], "Turín");
    assert_eq!(all["vocabularies"]["topics"]["poverty"]["es"], "Pobreza");
    let b = all["practices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == "b-mincome")
        .unwrap();
    assert_eq!(b["adapted_from"], serde_json::json!(["co-city"]));

    // The check can fail: the schema rejects a record without its title, or with a
    // misspelt field.
    let mut broken = en.clone();
    broken["practices"][0]
        .as_object_mut()
        .unwrap()
        .remove("title");
    assert!(!schema_errors(&validator, &broken).is_empty());
    let mut broken = en.clone();
    broken["practices"][0]["titel"] = Value::from("x");
    assert!(!schema_errors(&validator, &broken).is_empty());
}

#[test]
fn csv_is_rfc_4180_utf8_with_a_header_row_and_lists_joined_by_semicolons() {
    let site = rich_site();
    site.build_ok();
    let text = site.read("en/practices.csv");
    assert!(!text.starts_with('\u{feff}'), "no byte-order mark");
    assert!(text.ends_with("\r\n"));
    assert!(
        text.split("\r\n").all(|l| !l.contains('\n')),
        "records end with CRLF (no field here holds a line break)"
    );
    let (header, rows) = csv_rows(&text);
    assert_eq!(header, CSV_COLUMNS);
    assert_eq!(rows.len(), 3);
    let co = &rows[0];
    let get = |name: &str| co[column(&header, name)].as_str();
    assert_eq!(get("slug"), "co-city");
    assert_eq!(get("url"), "https://example.org/en/practices/co-city/");
    assert_eq!(get("languages"), "en;es");
    assert_eq!(get("topics"), "urban-commons;poverty");
    // A `;` inside an item cannot be told from the separator: it becomes a comma.
    assert_eq!(
        get("partners"),
        "City of Turin;University of Turin, Department of Law"
    );
    assert_eq!(get("latitude"), "45.07");
    assert_eq!(get("budget_eu"), "4080000");
    assert_eq!(
        get("adapted_by"),
        "b-mincome;Terrassa;L'Hospitalet de Llobregat"
    );
    assert_eq!(get("key_figures"), "50 pacts signed");
    // Region-wide practice: empty city, coordinates empty.
    let rural = &rows[2];
    assert_eq!(rural[column(&header, "city")], "");
    assert_eq!(rural[column(&header, "region")], "Andalusia");
    assert_eq!(rural[column(&header, "latitude")], "");
    // The Spanish file is UTF-8 and keeps accents.
    let (_, es) = csv_rows(&site.read("es/practices.csv"));
    assert_eq!(es[0][column(&header, "city")], "Turín");
}

const HOSTILE_TITLE: &str = "</script><script>alert(1)</script> & \"quotes\", commas; ]]> <!--";
const HOSTILE_SUMMARY: &str = "=HYPERLINK(\"http://evil.example\",\"x\") </title><b>bold</b> '";

#[test]
fn hostile_strings_stay_text_in_feeds_open_data_json_ld_and_meta_tags() {
    let site = Site::new();
    let q = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    site.write(
        "content/practices/evil.md",
        &format!(
            "---\ntitle: {}\nsubtitle: {}\ncity: {}\ncountry: IT\ntopics: [poverty]\npartners: [{}]\nsummary: {}\npublished: 2024-01-01\nadapted_by: [{}]\n---\nBody.\n",
            q(HOSTILE_TITLE),
            "\"a subtitle\"",
            q(HOSTILE_TITLE),
            q(HOSTILE_SUMMARY),
            q(HOSTILE_SUMMARY),
            q("Vila <b>"),
        ),
    );
    site.build_ok();

    // Atom: still valid, the texts intact. (A control character, which XML cannot carry, is
    // refused where it is written: tests/hostile_values.rs.)
    let feed = site.out().join("en/atom.xml");
    xmllint_atom(&feed).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        xpath(
            &feed,
            "string(//*[local-name()='entry']/*[local-name()='title'])"
        ),
        HOSTILE_TITLE
    );
    assert!(
        xpath(
            &feed,
            "string(//*[local-name()='entry']/*[local-name()='summary'])"
        )
        .starts_with("a subtitle. ")
    );

    // JSON: valid against the schema, texts intact.
    let data = json(&site, "en/practices.json");
    assert!(schema_errors(&schema(), &data).is_empty());
    assert_eq!(data["practices"][0]["title"], HOSTILE_TITLE);
    assert_eq!(data["practices"][0]["summary"], HOSTILE_SUMMARY.trim());
    assert_eq!(data["practices"][0]["adapted_by"][0]["name"], "Vila <b>");

    // CSV: parses strictly, texts intact, the formula defused.
    let (header, rows) = csv_rows(&site.read("en/practices.csv"));
    assert_eq!(rows[0][column(&header, "title")], HOSTILE_TITLE);
    assert_eq!(
        rows[0][column(&header, "summary")],
        format!("'{}", HOSTILE_SUMMARY.trim())
    );

    // JSON-LD: the script element cannot be closed from inside, and the data is intact.
    let page = site.read("en/practices/evil/index.html");
    let open = page.find("<script type=\"application/ld+json\">").unwrap();
    let close = open + page[open..].find("</script>").unwrap();
    let inside = &page[open..close];
    assert!(!inside.contains("</") && !inside.contains("<!--") && !inside.contains('\u{2028}'));
    let doc = Html::parse_document(&page);
    let ld = json_ld(&doc);
    assert_eq!(ld["headline"], HOSTILE_TITLE);
    assert_eq!(ld["description"], HOSTILE_SUMMARY.trim());

    // Meta tags: attributes carry the exact text.
    assert_eq!(meta(&doc, "og:title"), vec![HOSTILE_TITLE]);
    assert_eq!(meta(&doc, "twitter:title"), vec![HOSTILE_TITLE]);
    assert_eq!(meta(&doc, "og:description"), vec![HOSTILE_SUMMARY.trim()]);
    assert!(!page.contains("<b>bold</b>") && !page.contains("<script>alert(1)"));

    // Share links carry the title percent-encoded, so it cannot break out of the URL.
    let share = attrs(&doc, ".share-links a", "href");
    assert!(
        share
            .iter()
            .all(|h| !h.contains(' ') && !h.contains('<') && !h.contains('"'))
    );
    // The BibTeX entry escapes TeX's special characters.
    let bib = texts(&doc, ".cite-bibtex code").join("");
    assert!(bib.contains("\\&"), "{bib}");
}

#[test]
fn practice_pages_carry_schema_org_json_ld_and_open_graph() {
    let site = rich_site();
    site.build_ok();
    let en = site.html("en/practices/co-city/index.html");
    let ld = json_ld(&en);
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "Article");
    assert_eq!(ld["inLanguage"], "en");
    assert_eq!(ld["url"], "https://example.org/en/practices/co-city/");
    assert_eq!(ld["datePublished"], "2024-01-15T00:00:00Z");
    assert_eq!(ld["dateModified"], "2024-06-01T00:00:00Z");
    assert_eq!(ld["about"]["@type"], "Project");
    assert_eq!(ld["about"]["foundingDate"], "2017-03");
    assert_eq!(ld["spatialCoverage"]["@type"], "Place");
    assert_eq!(ld["spatialCoverage"]["geo"]["latitude"], 45.07);
    assert_eq!(ld["spatialCoverage"]["address"]["addressCountry"], "IT");
    assert_eq!(ld["about"]["funding"]["@type"], "MonetaryGrant");
    assert_eq!(ld["about"]["funding"]["amount"]["value"], 4080000.0);
    assert_eq!(ld["about"]["funding"]["name"], "Urban Innovative Actions");
    assert_eq!(ld["about"]["funder"]["name"], "European Union");
    assert_eq!(
        ld["workTranslation"][0]["url"],
        "https://example.org/es/practices/co-city/"
    );
    assert_eq!(ld["workTranslation"][0]["inLanguage"], "es");
    let es = json_ld(&site.html("es/practices/co-city/index.html"));
    assert_eq!(es["inLanguage"], "es");
    assert_eq!(
        es["translationOfWork"]["@id"],
        "https://example.org/en/practices/co-city/#article"
    );
    assert!(es.get("workTranslation").is_none());
    // No budget, no funder.
    let b = json_ld(&site.html("en/practices/b-mincome/index.html"));
    assert!(b["about"].get("funding").is_none());

    // Open Graph and Twitter cards: title, summary, image (the theme's default here),
    // locale and the locales of the other versions.
    assert_eq!(meta(&en, "og:type"), vec!["article"]);
    assert_eq!(meta(&en, "og:title"), vec!["CO-CITY"]);
    assert_eq!(meta(&en, "og:description"), vec!["A summary of CO-CITY."]);
    assert_eq!(
        meta(&en, "og:url"),
        vec!["https://example.org/en/practices/co-city/"]
    );
    let image = meta(&en, "og:image").remove(0);
    assert!(
        image.starts_with("https://example.org/img/share.") && image.ends_with(".png"),
        "{image}"
    );
    assert!(site.exists(image.trim_start_matches("https://example.org/")));
    assert_eq!(meta(&en, "og:locale"), vec!["en_GB"]);
    assert_eq!(meta(&en, "og:locale:alternate"), vec!["es_ES"]);
    assert_eq!(meta(&en, "twitter:card"), vec!["summary_large_image"]);
    assert_eq!(meta(&en, "twitter:image"), vec![image]);
    // A practice translated in one language has no alternate locale.
    assert!(
        meta(
            &site.html("en/practices/b-mincome/index.html"),
            "og:locale:alternate"
        )
        .is_empty()
    );
    // Other pages are websites with the site's title.
    let catalogue = site.html("es/index.html");
    assert_eq!(meta(&catalogue, "og:type"), vec!["website"]);
    assert_eq!(meta(&catalogue, "og:locale"), vec!["es_ES"]);
}

#[test]
fn adapted_by_is_shown_on_both_sides_of_the_link() {
    let site = rich_site();
    site.build_ok();
    let co = site.html("en/practices/co-city/index.html");
    let dts = texts(&co, ".facts dt");
    assert!(dts.contains(&"Adapted by".to_string()), "{dts:?}");
    assert_eq!(
        texts(&co, ".facts ul.adapted li"),
        vec![
            "B-MINCOME (Barcelona, Spain)",
            "Terrassa",
            "L'Hospitalet de Llobregat"
        ]
    );
    assert_eq!(
        attrs(&co, ".facts ul.adapted a", "href"),
        vec!["/en/practices/b-mincome/"]
    );
    let b = site.html("en/practices/b-mincome/index.html");
    assert!(texts(&b, ".facts dt").contains(&"Adapted from".to_string()));
    assert_eq!(
        attrs(&b, ".facts ul.adapted a", "href"),
        vec!["/en/practices/co-city/"]
    );
    // In Spanish, with the untranslated practice marked with its language.
    let es = site.html("es/practices/co-city/index.html");
    assert!(texts(&es, ".facts dt").contains(&"Adaptada por".to_string()));
    assert_eq!(attrs(&es, ".facts ul.adapted a", "hreflang"), vec!["en"]);
}

#[test]
fn adapted_by_mistakes_are_located_with_a_hint() {
    let site = Site::new();
    site.write(
        "content/practices/co-city.md",
        &practice(
            "CO-CITY",
            "poverty",
            "adapted_by: [Terrassa, b-mincom, co-city]\n",
        ),
    );
    site.write(
        "content/practices/b-mincome.md",
        &practice("B-MINCOME", "poverty", ""),
    );
    let failure = site.build().expect_err("unknown slug fails the build");
    let errors: Vec<String> = failure
        .diagnostics
        .iter()
        .map(|d| d.render_human(false))
        .collect();
    let all = errors.join("\n");
    // The line of `adapted_by` (line 8 of the file), at the column of each entry.
    assert!(all.contains("content/practices/co-city.md:8:24"), "{all}");
    assert!(all.contains("no practice has the slug `b-mincom`"), "{all}");
    assert!(all.contains("did you mean `b-mincome`?"), "{all}");
    assert!(all.contains("content/practices/co-city.md:8:34"), "{all}");
    assert!(
        all.contains("a practice cannot be adapted by itself"),
        "{all}"
    );
    assert_eq!(
        failure.diagnostics.iter().filter(|d| d.is_error()).count(),
        2
    );
}

#[test]
fn adapted_by_is_shared_by_translations() {
    let site = Site::new();
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", "adapted_by: [Terrassa]\n"),
    );
    // The same list in a translation is fine (wherever it is written)…
    site.write(
        "content/practices/co-city.es.md",
        &translation("CO-CITY", "adapted_by:\n  - Terrassa\n"),
    );
    site.build_ok();
    assert_eq!(
        texts(
            &site.html("es/practices/co-city/index.html"),
            ".facts ul.adapted li"
        ),
        vec!["Terrassa"]
    );
    // …a different one is a conflict that names both files.
    site.write(
        "content/practices/co-city.es.md",
        &translation("CO-CITY", "adapted_by: [Mataró]\n"),
    );
    let failure = site.build().expect_err("conflict");
    let all: String = failure
        .diagnostics
        .iter()
        .map(|d| d.render_human(false))
        .collect();
    assert!(
        all.contains(
            "`adapted_by` is [Mataró] here but [Terrassa] in content/practices/co-city.md"
        ),
        "{all}"
    );
    assert!(all.contains("content/practices/co-city.es.md:5:"), "{all}");
}

#[test]
fn practice_pages_list_related_then_similar_practices() {
    let site = Site::new();
    site.write(
        "content/practices/a.md",
        &practice("Alpha", "poverty, housing", "related: [c]\n"),
    );
    site.write(
        "content/practices/b.md",
        &practice("Beta", "poverty, housing", ""),
    );
    site.write(
        "content/practices/c.md",
        &practice("Gamma", "urban-commons", ""),
    );
    site.write("content/practices/d.md", &practice("Delta", "poverty", ""));
    site.build_ok();
    let a = site.html("en/practices/a/index.html");
    assert_eq!(texts(&a, "#related"), vec!["Related practices"]);
    assert_eq!(
        texts(&a, ".related:not(.similar) .card-title"),
        vec!["Gamma"]
    );
    assert_eq!(texts(&a, "#similar"), vec!["Similar practices"]);
    // Those sharing the most topics first; the explicitly related one is not repeated.
    assert_eq!(texts(&a, ".similar .card-title"), vec!["Beta", "Delta"]);
    // A practice sharing no topic and related to none has neither section.
    let c = site.html("en/practices/c/index.html");
    assert!(texts(&c, ".related").is_empty());
}

#[test]
fn every_practice_with_a_place_has_a_dot_on_the_catalogue_map() {
    let site = rich_site();
    site.write(
        "content/practices/far.md",
        &practice("Far away", "poverty", "")
            .replace("country: IT", "country: US")
            .replace("city: Turin", "city: Boston"),
    );
    site.build_ok();
    let doc = site.html("en/index.html");
    // The map is hidden from assistive technology, its links out of the tab order: the
    // list carries the same information.
    assert_eq!(
        attrs(&doc, ".catalogue-map svg", "aria-hidden"),
        vec!["true"]
    );
    let dots = attrs(&doc, ".catalogue-map a.map-dot", "data-slug");
    assert_eq!(
        dots,
        vec!["co-city", "b-mincome", "rural"],
        "Boston is off the map"
    );
    assert!(
        attrs(&doc, ".catalogue-map a.map-dot", "tabindex")
            .iter()
            .all(|t| t == "-1")
    );
    assert_eq!(
        attrs(&doc, ".catalogue-map a.map-dot", "href"),
        vec![
            "/en/practices/co-city/",
            "/en/practices/b-mincome/",
            "/en/practices/rural/"
        ]
    );
    // Without coordinates, the dot sits at the country's centre and says so.
    assert_eq!(
        attrs(&doc, ".catalogue-map a.map-dot.approximate", "data-slug"),
        vec!["rural"]
    );
    // Every card of the list is on the map or has no place in view.
    let cards = attrs(&doc, ".card-title a", "href");
    assert_eq!(cards.len(), 4);
    // Each dot lies inside the drawn view.
    let view: Vec<f64> = attrs(&doc, ".catalogue-map svg", "viewBox")[0]
        .split(' ')
        .map(|v| v.parse().unwrap())
        .collect();
    for (cx, cy) in attrs(&doc, ".catalogue-map circle", "cx").iter().zip(attrs(
        &doc,
        ".catalogue-map circle",
        "cy",
    )) {
        let (x, y): (f64, f64) = (cx.parse().unwrap(), cy.parse().unwrap());
        assert!(x >= view[0] && x <= view[0] + view[2] && y >= view[1] && y <= view[1] + view[3]);
    }
    // Each practice page has a small locator map with an accessible name, except the one
    // off the map.
    let co = site.html("en/practices/co-city/index.html");
    assert_eq!(attrs(&co, ".locator svg", "role"), vec!["img"]);
    assert_eq!(
        texts(&co, "#locator-caption"),
        vec!["Location: Turin, Piedmont, Italy"]
    );
    // The locator draws the countries from one cached SVG file rather than repeating them.
    let uses = attrs(&co, ".locator use", "href");
    assert!(uses.len() > 3, "{uses:?}");
    assert_eq!(attrs(&co, ".locator use.current", "href").len(), 1);
    assert!(attrs(&co, ".locator use.current", "href")[0].ends_with("#c-IT"));
    let (file, id) = uses[0].split_once('#').unwrap();
    let sprite = site.read(file.trim_start_matches('/'));
    assert!(
        sprite.contains(&format!("<path id=\"{id}\" d=\"M")),
        "{file}"
    );
    let rural = site.html("en/practices/rural/index.html");
    assert!(texts(&rural, "#locator-caption")[0].contains("approximate"));
    assert!(texts(&site.html("en/practices/far/index.html"), ".locator").is_empty());
}

#[test]
fn catalogue_links_its_open_data_and_practice_pages_offer_share_and_cite() {
    let site = rich_site();
    site.build_ok();
    let es = site.html("es/index.html");
    let downloads = texts(&es, ".downloads");
    assert!(
        downloads[0].starts_with("Descarga este catálogo: CSV, JSON"),
        "{downloads:?}"
    );
    assert_eq!(
        attrs(&es, ".downloads a", "href"),
        vec![
            "/es/practices.csv",
            "/es/practices.json",
            "/practices.json",
            "https://example.org/es/atom.xml"
        ]
    );
    let broken = common::broken_links(&site.out(), "https://example.org/");
    assert!(broken.is_empty(), "{broken:#?}");

    let co = site.html("en/practices/co-city/index.html");
    let links = attrs(&co, ".share-links a", "href");
    assert_eq!(links.len(), 4);
    assert!(links[0].starts_with("mailto:?subject=CO-CITY&body="));
    let encoded = "https%3A%2F%2Fexample.org%2Fen%2Fpractices%2Fco-city%2F";
    assert_eq!(
        links[1],
        format!("https://www.linkedin.com/sharing/share-offsite/?url={encoded}")
    );
    assert!(links[2].starts_with("https://bsky.app/intent/compose?text=CO-CITY%20"));
    assert_eq!(
        links[3],
        format!("https://x.com/intent/post?text=CO-CITY&url={encoded}")
    );
    // Copy and Mastodon need JavaScript: hidden until the script shows them.
    assert_eq!(attrs(&co, ".share-copy", "hidden"), vec![""]);
    assert_eq!(attrs(&co, ".share-mastodon", "hidden"), vec![""]);
    // No script from anywhere else, no third-party resource.
    for src in attrs(&co, "script[src]", "src")
        .into_iter()
        .chain(attrs(&co, "link[rel=stylesheet]", "href"))
        .chain(attrs(&co, "img[src]", "src"))
    {
        assert!(src.starts_with('/'), "{src}");
    }

    let cite = texts(&co, ".cite-text").remove(0);
    assert_eq!(
        cite,
        "Good practices in social innovation (2024). CO-CITY: Pacts of collaboration. Published 15 January 2024. https://example.org/en/practices/co-city/ Updated 1 June 2024."
    );
    let bib = texts(&co, ".cite-bibtex code").remove(0);
    assert!(bib.starts_with("@misc{co-city-2024,"), "{bib}");
    assert!(
        bib.contains("url = {https://example.org/en/practices/co-city/}"),
        "{bib}"
    );
    assert!(bib.contains("date = {2024-01-15}"), "{bib}");
}

#[test]
fn a_broken_map_asset_is_reported_where_it_is_broken() {
    let site = Site::new();
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", ""),
    );
    // A site's own map replaces the theme's; this one is cut short.
    site.write(
        "map/europe.json",
        "{\n  \"projection\": {\"name\": \"laea\",\n",
    );
    let failure = site.build().expect_err("a broken map fails the build");
    let all: String = failure
        .diagnostics
        .iter()
        .map(|d| d.render_human(false))
        .collect();
    assert!(all.contains("the map asset is not valid"), "{all}");
    assert!(all.contains("map/europe.json:3:"), "{all}");
    assert!(all.contains("scripts/map/build-europe-map.mjs"), "{all}");
    assert!(!site.exists("en/index.html"), "nothing was written");
}

#[test]
fn publishing_outputs_follow_the_base_path() {
    let site = Site::with_config(&common::CONFIG.replace(
        "base_url: https://example.org/",
        "base_url: https://example.org/sub/",
    ));
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", "coordinates: [45.07, 7.69]\n"),
    );
    site.build_ok();
    let doc = site.html("en/practices/co-city/index.html");
    assert_eq!(
        attrs(&doc, "head link[type=\"application/atom+xml\"]", "href"),
        vec!["https://example.org/sub/en/atom.xml"]
    );
    let sprite = attrs(&doc, ".locator use", "href").remove(0);
    assert!(sprite.starts_with("/sub/map/europe."), "{sprite}");
    assert!(
        site.exists(
            sprite
                .trim_start_matches("/sub/")
                .split('#')
                .next()
                .unwrap()
        )
    );
    assert_eq!(
        json(&site, "en/practices.json")["$schema"],
        "https://example.org/sub/practices.schema.json"
    );
    assert_eq!(
        xpath(
            &site.out().join("en/atom.xml"),
            "string(//*[local-name()='entry']/*[local-name()='id'])"
        ),
        "https://example.org/sub/en/practices/co-city/"
    );
    assert_eq!(
        attrs(&site.html("en/index.html"), ".downloads a", "href")[0],
        "/sub/en/practices.csv"
    );
}
