//! Pages stay the size of a page however large the catalogue grows: structural checks on
//! fixtures with more practices than a page holds (the budgets themselves are measured by
//! `cargo bench --bench catalogue`, never timed here).

mod common;

use std::collections::BTreeSet;

use common::{Site, attrs, practice};
use serde_json::Value;

const PAGINATE: usize = 5;

/// Twelve places in Europe, `[lat, lon]`; practice `i` sits at place `i % 12`, so that
/// catalogues of any size frame the same view.
const PLACES: [(f64, f64); 12] = [
    (45.07, 7.69),
    (41.39, 2.17),
    (40.42, -3.70),
    (48.86, 2.35),
    (52.52, 13.40),
    (59.33, 18.07),
    (38.72, -9.14),
    (50.85, 4.35),
    (52.23, 21.01),
    (37.98, 23.73),
    (53.35, -6.26),
    (60.17, 24.94),
];

/// A site of `n` practices, `PAGINATE` to a page, newest first in slug order.
fn catalogue(n: usize) -> Site {
    let site = Site::with_config(&format!("{}paginate: {PAGINATE}\n", common::CONFIG));
    for i in 0..n {
        let (lat, lon) = PLACES[i % PLACES.len()];
        let topic = ["poverty", "housing", "urban-commons"][i % 3];
        site.write(
            &format!("content/practices/practice-{i:03}.md"),
            &practice(
                &format!("Practice {i:03}"),
                topic,
                &format!(
                    "coordinates: [{lat}, {lon}]\nrelated: [practice-{:03}]\n",
                    (i + 1) % n
                ),
            )
            .replace(
                "published: 2024-01-15",
                &format!("published: 20{:02}-01-15", 99 - i % 100),
            ),
        );
    }
    site.build_ok();
    site
}

/// Slugs of practices (`practice-NNN`) a text names.
fn practices_named(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("practice-") {
        let tail = &rest[at + "practice-".len()..];
        let digits: String = tail.chars().take_while(char::is_ascii_digit).collect();
        if digits.len() == 3 {
            found.insert(format!("practice-{digits}"));
        }
        rest = tail;
    }
    found
}

fn html_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(html_files(&p));
        } else if p.extension().is_some_and(|x| x == "html") {
            out.push(p);
        }
    }
    out
}

#[test]
fn the_catalogue_page_carries_the_dots_of_its_own_practices_and_the_index_the_rest() {
    let site = catalogue(23);
    let doc = site.html("en/index.html");
    let cards: Vec<String> = attrs(&doc, ".cards .card-title a", "href")
        .iter()
        .map(|h| {
            h.trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(cards.len(), PAGINATE);
    // The static map shows the practices listed on the page, and no other.
    let dots = attrs(&doc, ".catalogue-map a.map-dot", "data-slug");
    assert_eq!(dots, cards);
    assert_eq!(attrs(&doc, ".catalogue-map circle", "r").len(), PAGINATE);
    assert_eq!(
        common::texts(&doc, ".catalogue-map figcaption [data-caption-all]"),
        vec!["Each dot is a practice on this page; the list has the same information."]
    );
    // The rest is in the index's map file, which the page names for its script: every entry
    // in catalogue order, at the place the static dots use.
    let file = attrs(&doc, ".catalogue-map", "data-places");
    assert_eq!(file.len(), 1);
    assert!(
        file[0].starts_with("/en/search/map.") && file[0].ends_with(".json"),
        "{file:?}"
    );
    let places: Value = serde_json::from_str(&site.read(file[0].trim_start_matches('/'))).unwrap();
    assert_eq!(places["version"], 1);
    assert_eq!(places["x"].as_array().unwrap().len(), 23);
    assert_eq!(places["y"].as_array().unwrap().len(), 23);
    assert_eq!(places["approximate"], serde_json::json!([]));
    let config: Value =
        serde_json::from_str(&common::texts(&doc, "script#catalogue-config")[0]).unwrap();
    let index: Value =
        serde_json::from_str(&site.read(config["index"].as_str().unwrap().trim_start_matches('/')))
            .unwrap();
    assert_eq!(
        index["map"].as_str().unwrap(),
        file[0].rsplit('/').next().unwrap(),
        "the index names its map file"
    );
    let slugs = index["entries"]["slug"].as_array().unwrap();
    let cx = attrs(&doc, ".catalogue-map circle", "cx");
    let cy = attrs(&doc, ".catalogue-map circle", "cy");
    for (k, slug) in dots.iter().enumerate() {
        let i = slugs.iter().position(|s| s == slug.as_str()).unwrap();
        let (x, y): (f64, f64) = (cx[k].parse().unwrap(), cy[k].parse().unwrap());
        assert_eq!(places["x"][i].as_f64().unwrap(), x.round(), "{slug}");
        assert_eq!(places["y"][i].as_f64().unwrap(), y.round(), "{slug}");
    }
    // Later pages have no map (their no-JavaScript readers have the list).
    assert!(
        attrs(
            &site.html("en/page/2/index.html"),
            ".catalogue-map",
            "class"
        )
        .is_empty()
    );
}

#[test]
fn no_page_names_more_practices_than_a_page_holds() {
    let n = 40;
    let site = catalogue(n);
    // A listing names the practices of one page; a practice page itself, its related
    // practices and up to four similar ones.
    let bound = PAGINATE.max(1 + 1 + 4);
    let mut checked = 0;
    for file in html_files(&site.out()) {
        let named = practices_named(&std::fs::read_to_string(&file).unwrap());
        assert!(
            named.len() <= bound,
            "{} names {} practices: {named:?}",
            file.display(),
            named.len()
        );
        checked += 1;
    }
    assert!(checked > n, "{checked} pages checked");
}

#[test]
fn the_catalogue_page_does_not_grow_with_the_catalogue() {
    let small = catalogue(24);
    let large = catalogue(240);
    let size = |site: &Site| site.read("en/index.html").len();
    let (s, l) = (size(&small), size(&large));
    // Ten times the practices change only numbers (counts, pages, file hashes); a dot, a
    // card or an index row per practice would add tens of kilobytes.
    assert!(
        l.abs_diff(s) < 1_000,
        "/en/index.html: {s} bytes with 24 practices, {l} with 240"
    );
}
