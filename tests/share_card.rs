//! Drawn share cards (`share_cards: drawn`): a practice without a photo gets a 1200 × 630
//! PNG per language with its title and place, named in its page's `og:image`; the card is
//! drawn once and then taken from the cache folder; a site's own template and a hostile
//! title are drawn too; a broken template is an error at its line.

mod common;

use std::collections::BTreeMap;

use common::{CONFIG, Site, attrs, cached_images, practice, snapshot, tiny_jpeg, translation};

/// The fixture's configuration, with drawn cards.
fn config() -> String {
    format!("{CONFIG}share_cards: drawn\n")
}

/// CO-CITY (English and Spanish, no photo, at Turin) and B-MINCOME (a photo).
fn site() -> Site {
    let site = Site::with_config(&config());
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", "coordinates: [45.07, 7.69]\n"),
    )
    .write(
        "content/practices/co-city.es.md",
        &translation("CO-CIUDAD y los pactos de colaboración", "city: Turín\n"),
    )
    .write_bytes("static/photos/hub.jpg", &tiny_jpeg(1200, 630))
    .write(
        "content/practices/b-mincome.md",
        &practice(
            "B-MINCOME",
            "poverty",
            "image: { src: photos/hub.jpg, alt: A street in Barcelona }\n",
        ),
    )
    .write(
        "content/pages/about.md",
        "---\ntitle: About\n---\nAbout us.\n",
    );
    site
}

/// The value of `<meta property="{property}">` on the page at `rel`.
fn meta(site: &Site, rel: &str, property: &str) -> String {
    let page = site.html(rel);
    attrs(&page, &format!("meta[property='{property}']"), "content")
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("{rel} has no {property}"))
}

/// The output path of an absolute URL of the fixture's site.
fn output_path(url: &str) -> String {
    url.strip_prefix("https://example.org/")
        .unwrap_or_else(|| panic!("{url} is not of the site"))
        .to_string()
}

/// The card's pixels, checked to be a 1200 × 630 PNG.
fn card(site: &Site, rel: &str) -> image::RgbImage {
    let bytes = std::fs::read(site.out().join(rel)).unwrap();
    assert_eq!(
        image::guess_format(&bytes).unwrap(),
        image::ImageFormat::Png
    );
    let img = image::load_from_memory(&bytes).unwrap().to_rgb8();
    assert_eq!((img.width(), img.height()), (1200, 630), "{rel}");
    img
}

/// How many colours an image has.
fn colours(img: &image::RgbImage) -> usize {
    img.pixels()
        .map(|p| p.0)
        .collect::<std::collections::HashSet<_>>()
        .len()
}

#[test]
fn a_practice_without_a_photo_gets_a_drawn_card_in_each_language() {
    let site = site();
    let summary = site.build_ok();
    assert_eq!(summary.cards_drawn, 2, "{summary}");
    assert!(
        summary.to_string().contains("2 share cards drawn"),
        "{summary}"
    );

    let en = output_path(&meta(&site, "en/practices/co-city/index.html", "og:image"));
    let es = output_path(&meta(&site, "es/practices/co-city/index.html", "og:image"));
    assert!(
        en.starts_with("_images/co-city.en.") && en.ends_with(".png"),
        "{en}"
    );
    assert!(
        es.starts_with("_images/co-city.es.") && es.ends_with(".png"),
        "{es}"
    );
    for (rel, lang) in [
        ("en/practices/co-city/index.html", "en"),
        ("es/practices/co-city/index.html", "es"),
    ] {
        assert_eq!(meta(&site, rel, "og:image:width"), "1200", "{lang}");
        assert_eq!(meta(&site, rel, "og:image:height"), "630", "{lang}");
        let twitter = site.html(rel);
        assert_eq!(
            attrs(&twitter, "meta[name='twitter:image']", "content"),
            [meta(&site, rel, "og:image")]
        );
    }
    assert_eq!(
        meta(&site, "en/practices/co-city/index.html", "og:image:alt"),
        "CO-CITY, a good practice in Turin, Italy: its name over a map with a dot where it is"
    );
    assert_eq!(
        meta(&site, "es/practices/co-city/index.html", "og:image:alt"),
        "CO-CIUDAD y los pactos de colaboración, una buena práctica en Turín, Italia: su nombre sobre un mapa con un punto donde está"
    );
    let (en_card, es_card) = (card(&site, &en), card(&site, &es));
    assert!(colours(&en_card) > 50, "the card is drawn, not one colour");
    assert_ne!(en_card, es_card, "the Spanish card says other things");
    // The theme's colours: its header's navy in a corner, the map's land at the dot's right.
    assert_eq!(en_card.get_pixel(5, 5).0, [0x10, 0x25, 0x3f]);

    // A practice with a photo keeps the photo's card; other pages keep the theme's image.
    let photo = meta(&site, "en/practices/b-mincome/index.html", "og:image");
    assert!(photo.ends_with(".1200.jpg"), "{photo}");
    assert!(!site.out().join("_images").read_dir().unwrap().any(|e| {
        e.unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with("b-mincome.")
    }));
    for page in ["en/about/index.html", "en/index.html"] {
        let generic = meta(&site, page, "og:image");
        assert!(generic.contains("/img/share."), "{page}: {generic}");
    }
}

#[test]
fn without_the_setting_practices_without_a_photo_show_the_theme_image() {
    let site = Site::new();
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", ""),
    );
    assert_eq!(site.build_ok().cards_drawn, 0);
    let og = meta(&site, "en/practices/co-city/index.html", "og:image");
    assert!(og.contains("/img/share."), "{og}");
    assert!(!site.out().join("_images").exists());
}

#[test]
fn a_hostile_title_and_place_still_give_a_card() {
    let site = Site::with_config(&config());
    site.write(
        "content/practices/evil.md",
        &practice(
            "\"<script>alert(1)</script> & \\\"q\\\" 'x' ]]> <!-- \"",
            "poverty",
            "",
        )
        .replace("city: Turin", "city: \"<b>Turin</b> & 'co'\""),
    );
    let summary = site.build_ok();
    assert_eq!(summary.cards_drawn, 1);
    let rel = "en/practices/evil/index.html";
    let url = output_path(&meta(&site, rel, "og:image"));
    assert!(colours(&card(&site, &url)) > 50);
    let alt = meta(&site, rel, "og:image:alt");
    assert!(
        alt.starts_with("<script>alert(1)</script> & \"q\" 'x'"),
        "{alt}"
    );
    assert!(
        !site.read(rel).contains("<script>alert"),
        "the title is escaped"
    );
}

#[test]
fn a_title_the_fonts_cannot_draw_keeps_the_theme_image() {
    let site = Site::with_config(&config());
    site.write(
        "content/practices/tokyo.md",
        &practice("東京の共有地", "poverty", ""),
    );
    assert_eq!(site.build_ok().cards_drawn, 0);
    let og = meta(&site, "en/practices/tokyo/index.html", "og:image");
    assert!(og.contains("/img/share."), "{og}");
}

fn cards_in(cache: &BTreeMap<String, (u64, i64, i64)>) -> Vec<&String> {
    cache.keys().filter(|k| k.starts_with("co-city.")).collect()
}

#[test]
fn cards_are_drawn_once_then_taken_from_the_cache_and_pruned_when_unused() {
    let site = site();
    assert_eq!(site.build_ok().cards_drawn, 2);
    let cache = cached_images(site.root());
    assert_eq!(cards_in(&cache).len(), 2, "{cache:?}");
    let first = snapshot(&site.out());

    // A rebuild draws nothing; so does a build into an empty output folder, from the cache.
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", "coordinates: [45.07, 7.69]\n")
            .replace("Body of", "New body of"),
    );
    assert_eq!(site.build_ok().cards_drawn, 0);
    std::fs::remove_dir_all(site.out()).unwrap();
    assert_eq!(site.build_ok().cards_drawn, 0);
    assert_eq!(cached_images(site.root()), cache, "a card was drawn again");
    let second = snapshot(&site.out());
    let cards = |s: &BTreeMap<String, Vec<u8>>| -> Vec<(String, Vec<u8>)> {
        s.iter()
            .filter(|(k, _)| k.starts_with("_images/co-city."))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    assert_eq!(cards(&first), cards(&second));

    // The Spanish title changes: only the Spanish card is drawn again, the old one pruned.
    site.write(
        "content/practices/co-city.es.md",
        &translation("CO-CIUDAD y los bienes comunes", "city: Turín\n"),
    );
    assert_eq!(site.build_ok().cards_drawn, 1);
    let now = cached_images(site.root());
    let (old_es, en): (Vec<&String>, Vec<&String>) = cards_in(&cache)
        .into_iter()
        .partition(|k| k.contains(".es."));
    assert!(!now.contains_key(old_es[0]), "{now:?}");
    assert_eq!(
        now.get(en[0]),
        cache.get(en[0]),
        "the English card was drawn again"
    );
    let es = output_path(&meta(&site, "es/practices/co-city/index.html", "og:image"));
    assert!(now.contains_key(es.trim_start_matches("_images/")), "{es}");
    assert!(!site.exists(&format!("_images/{}", old_es[0])));

    // The practice gets a photo: no card any more, none left in the cache or the output.
    site.write(
        "content/practices/co-city.md",
        &practice(
            "CO-CITY",
            "poverty",
            "coordinates: [45.07, 7.69]\nimage: { src: photos/hub.jpg, alt: A hub }\n",
        ),
    );
    assert_eq!(site.build_ok().cards_drawn, 0);
    assert!(cards_in(&cached_images(site.root())).is_empty());
    let rebuilt = snapshot(&site.out());
    assert!(
        !rebuilt.keys().any(|k| k.starts_with("_images/co-city.")),
        "{:?}",
        rebuilt.keys()
    );
    // Each rebuild wrote what a fresh build writes.
    std::fs::remove_dir_all(site.root().join(".casebook")).unwrap();
    std::fs::remove_dir_all(site.out()).unwrap();
    site.build_ok();
    assert_eq!(snapshot(&site.out()), rebuilt);
}

#[test]
fn a_site_draws_cards_with_its_own_template() {
    let site = site();
    site.write(
        "templates/share-card.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"600\" height=\"315\"><rect width=\"600\" height=\"315\" fill=\"#c0392b\"/><text x=\"20\" y=\"100\" font-size=\"{{ 40 }}\" fill=\"#fff\">{% for l in title | wrap(width=560, size=40, lines=2, bold=true) %}<tspan x=\"20\" dy=\"48\">{{ l }}</tspan>{% endfor %}</text><text x=\"20\" y=\"280\" fill=\"#fff\" font-size=\"24\">{{ text.label }} · {{ place }}</text></svg>",
    );
    site.build_ok();
    let url = output_path(&meta(&site, "en/practices/co-city/index.html", "og:image"));
    let img = card(&site, &url);
    // Drawn at 600 × 315 and scaled to the card's size.
    assert_eq!(img.get_pixel(1190, 10).0, [0xc0, 0x39, 0x2b]);
    assert!(colours(&img) > 10);
}

#[test]
fn a_broken_card_template_is_an_error_at_its_line() {
    let site = site();
    site.write(
        "templates/share-card.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\">\n{{ title | no_such_filter }}</svg>\n",
    );
    let failure = site.build().expect_err("the template is broken");
    let shown: String = failure
        .diagnostics
        .iter()
        .map(|d| d.render_human(false))
        .collect();
    assert!(shown.contains("templates/share-card.svg:2"), "{shown}");
    let (code, _, err) = site.cli(&["check"]);
    assert_ne!(code, 0);
    assert!(err.contains("templates/share-card.svg:2"), "{err}");

    // A template that makes no SVG document fails at the template too.
    site.write("templates/share-card.svg", "<svg {{ title }}\n");
    let failure = site.build().expect_err("no SVG");
    let shown: String = failure
        .diagnostics
        .iter()
        .map(|d| d.render_human(false))
        .collect();
    assert!(shown.contains("templates/share-card.svg"), "{shown}");
    assert!(shown.contains("cannot be drawn"), "{shown}");
}

#[test]
fn an_unknown_setting_is_an_error_with_the_options() {
    let site = Site::with_config(&format!("{CONFIG}share_cards: yes\n"));
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", ""),
    );
    let failure = site.build().expect_err("not an option");
    let shown: String = failure
        .diagnostics
        .iter()
        .map(|d| d.render_human(false))
        .collect();
    assert!(
        shown.contains("`share_cards: yes` is not an option"),
        "{shown}"
    );
    assert!(shown.contains("`drawn`"), "{shown}");
}
