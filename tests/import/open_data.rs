//! casebook's own open data imported back: `/practices.json` into an empty site publishes
//! the same data, a language's catalogue and its CSV import too, and a problem in a JSON
//! file is reported at the line and column of its value.

use super::{practices, read};
use crate::common::{CONFIG, Site};

/// A site with most built-in fields in two languages, an image and relations.
fn fixture() -> Site {
    let site = Site::new();
    site.write_bytes("static/images/turin.png", &photo());
    site.write(
        "content/practices/co-city.md",
        "---\ntitle: CO-CITY\nsubtitle: Urban commons against poverty\ncity: Turin\nregion: Piedmont\n\
         country: IT\ncoordinates: [45.07, 7.69]\nprogramme: uia\ntopics: [urban-commons, poverty]\nlevel: local\n\
         start: 2017-03\nend: 2020\nbudget: { total: 5100000, eu: 4080000, currency: EUR }\n\
         partners: [City of Turin, \"University of Turin, Italy\"]\n\
         owner: { organisation: City of Turin, url: https://www.comune.torino.it/ }\n\
         key_figures:\n  - { value: \"50\", label: pacts signed }\n  - { value: 3.5M, label: euros }\n\
         summary: \"Turin regenerates spaces with residents: \\\"pacts\\\" of collaboration.\"\n\
         published: 2024-01-15\nupdated: 2024-06-01\nrelated: [housing-first]\nadapted_by: [Terrassa, housing-first]\n\
         image: { src: images/turin.png, alt: A square in Turin }\n---\nBody.\n",
    );
    site.write(
        "content/practices/co-city.es.md",
        "---\ntitle: CO-CITY\nsubtitle: Bienes comunes contra la pobreza\ncity: Turín\n\
         partners: [Ayuntamiento de Turín]\nkey_figures:\n  - { value: \"50\", label: pactos firmados }\n\
         summary: Turín regenera espacios con los vecinos.\npublished: 2024-02-01\n\
         image: { src: images/turin.png, alt: Una plaza de Turín }\n---\nCuerpo.\n",
    );
    site.write(
        "content/practices/housing-first.md",
        "---\ntitle: Housing First\ncity: Helsinki\ncountry: FI\ntopics: [housing]\nlevel: national\nstart: 2008\n\
         summary: A home first.\npublished: 2024-03-01\n---\nBody.\n",
    );
    site.write(
        "content/practices/solo.es.md",
        "---\ntitle: Solo en español\nregion: Andalucía\ncountry: ES\ntopics: [poverty]\n\
         summary: Sólo existe en español.\npublished: 2024-04-01\n---\nCuerpo.\n",
    );
    site
}

/// The dataset without what depends on the address the site is published at.
fn without_base_url(json: &str, base: &str) -> String {
    json.replace(base, "BASE/")
}

#[test]
fn importing_a_published_practices_json_into_an_empty_site_publishes_the_same_data() {
    let original = fixture();
    original.build_ok();
    let published = original.read("practices.json");
    let copy =
        Site::with_config(&CONFIG.replace("https://example.org/", "https://copy.example.net/"));
    copy.write_bytes("static/images/turin.png", &photo());
    std::fs::copy(
        original.out().join("practices.json"),
        copy.root().join("practices.json"),
    )
    .unwrap();
    let (code, stdout, stderr) = copy.cli(&["import", "practices.json"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("Imported 3 practices from practices.json: 4 files."),
        "{stdout}"
    );
    assert!(
        stdout.contains("open data never holds the Markdown bodies"),
        "{stdout}"
    );
    copy.build_ok();
    assert_eq!(
        without_base_url(&copy.read("practices.json"), "https://copy.example.net/"),
        without_base_url(&published, "https://example.org/")
    );
    for lang in ["en", "es"] {
        let rel = format!("{lang}/practices.json");
        assert_eq!(
            without_base_url(&copy.read(&rel), "https://copy.example.net/"),
            without_base_url(&original.read(&rel), "https://example.org/"),
            "{rel}"
        );
    }
}

#[test]
fn a_language_catalogue_json_imports_too() {
    let original = fixture();
    original.build_ok();
    let copy = Site::new();
    std::fs::copy(
        original.out().join("es/practices.json"),
        copy.root().join("es.json"),
    )
    .unwrap();
    let (code, stdout, stderr) = copy.cli(&["import", "es.json", "--dry-run"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("Would write content/practices/co-city.es.md"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Would write content/practices/solo.es.md"),
        "{stdout}"
    );
}

#[test]
fn a_bad_value_in_a_json_file_is_reported_at_its_line_and_column() {
    let original = fixture();
    original.build_ok();
    let json = original.read("practices.json").replace(
        "\"published\": \"2024-03-01\"",
        "\"published\": \"2024-13-01\"",
    );
    let copy = Site::new();
    copy.write("data.json", &json);
    let line = json.lines().position(|l| l.contains("2024-13-01")).unwrap() + 1;
    let column = json
        .lines()
        .nth(line - 1)
        .unwrap()
        .find("\"2024-13-01\"")
        .unwrap()
        + 1;
    let (code, _, stderr) = copy.cli(&["import", "data.json"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("month 13 does not exist"), "{stderr}");
    assert!(
        stderr.contains(&format!("--> data.json:{line}:{column}")),
        "{stderr}"
    );
    assert!(stderr.contains(".translations[0].published`"), "{stderr}");
    assert!(practices(&copy).is_empty());
}

#[test]
fn a_published_practices_csv_imports_back() {
    let original = fixture();
    original.build_ok();
    let copy = Site::new();
    copy.write_bytes("static/images/turin.png", &photo());
    std::fs::copy(
        original.out().join("en/practices.csv"),
        copy.root().join("en.csv"),
    )
    .unwrap();
    let (code, stdout, stderr) = copy.cli(&["import", "en.csv"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let en = read(&copy, "content/practices/co-city.md");
    assert!(
        en.contains("image:\n  src: images/turin.png\n  alt: A square in Turin\n"),
        "{en}"
    );
    assert!(
        en.contains("partners: [City of Turin, \"University of Turin, Italy\"]\n"),
        "{en}"
    );
    assert!(
        en.contains("  - { value: \"50\", label: pacts signed }\n"),
        "{en}"
    );
    copy.build_ok();
}

#[test]
fn importing_again_with_update_changes_no_byte() {
    let original = fixture();
    original.build_ok();
    let copy = Site::new();
    std::fs::copy(
        original.out().join("practices.json"),
        copy.root().join("practices.json"),
    )
    .unwrap();
    let (code, stdout, stderr) = copy.cli(&["import", "practices.json"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let first = practices(&copy);
    let (code, _, stderr) = copy.cli(&["import", "practices.json"]);
    assert_eq!(code, 1);
    assert_eq!(stderr.matches("error[E0009]").count(), 4, "{stderr}");
    let (code, stdout, stderr) = copy.cli(&["import", "practices.json", "--update"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("Updated content/practices/solo.es.md"),
        "{stdout}"
    );
    assert_eq!(practices(&copy), first);
    assert!(read(&copy, "content/practices/solo.es.md").contains("# No body was imported"));
}

/// A photo of the fixture: a real PNG, wide enough for a practice's hero.
fn photo() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(1600, 900, image::Rgb([40, 110, 90]));
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}
