//! `casebook build` into an existing output renders only the pages whose inputs changed and
//! keeps the others: after any sequence of edits, additions, deletions and renames (of
//! practices, translations, pages, templates, static files, UI strings and casebook.yaml)
//! the output is byte-identical to a fresh build's, each kind of change renders only what
//! it touches, and a page changed behind casebook's back is rendered again, not kept.

use crate::common::edits::{Fixture, differences};
use crate::common::snapshot;

/// The number of pages a build rendered (`None` when it found the site up to date).
fn rendered(f: &mut Fixture, what: &str) -> Option<usize> {
    let o = f.apply(what.into(), Vec::new());
    assert!(o.errors.is_empty(), "{what}: {:#?}", o.errors);
    (o.path != "none").then_some(o.rendered)
}

/// The text of the one file of the English catalogue index whose name starts with `stem`.
fn index_file(f: &Fixture, stem: &str) -> (String, String) {
    let dir = f.out().join("en/search");
    let mut found = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(stem));
    let name = found.next().expect("the file");
    assert_eq!(found.next(), None, "one {stem} file");
    let text = std::fs::read_to_string(dir.join(&name)).unwrap();
    (name, text)
}

fn pages(f: &Fixture) -> usize {
    snapshot(&f.out())
        .keys()
        .filter(|k| k.ends_with(".html"))
        .count()
}

/// Adds `text` to the end of gamma's body (a practice in English only).
fn add_to_gamma(f: &Fixture, text: &str) {
    let path = f.path("content/practices/gamma.md");
    let old = std::fs::read_to_string(&path).unwrap();
    std::fs::write(path, format!("{old}{text}\n")).unwrap();
}

/// Overrides the theme's page template with its text, `</article>` replaced by `end`.
fn page_template(f: &Fixture, end: &str) {
    let theme = f.site.root().join("themes/default/templates/page.html");
    let text = std::fs::read_to_string(theme).unwrap();
    f.site
        .write("templates/page.html", &text.replace("</article>", end));
}

#[test]
fn random_edit_sequences_build_what_a_fresh_build_writes() {
    for seed in [
        0x9e37_79b9_7f4a_7c15_u64,
        0x2545_f491_4f6c_dd1d,
        0xdead_beef_cafe_f00d,
    ] {
        let mut f = Fixture::building(seed);
        let mut kinds = std::collections::BTreeSet::new();
        let mut kept_some = 0;
        for step in 0..30 {
            let outcome = f.step();
            f.expect_ok(seed, step, &outcome);
            if outcome.path == "build" && outcome.rendered < pages(&f) {
                kept_some += 1;
            }
            kinds.insert(f.assert_as_fresh(seed));
        }
        // The sequences exercise keeping pages, not only full builds.
        assert!(
            kept_some >= 5,
            "seed {seed:x}: {kept_some} builds kept pages"
        );
        eprintln!("seed {seed:x}: {kinds:?}, {kept_some} builds kept pages");
    }
}

#[test]
fn each_kind_of_change_renders_only_what_it_touches() {
    let mut f = Fixture::building(2);
    let total = pages(&f);
    assert_eq!(
        rendered(&mut f, "nothing"),
        None,
        "an unchanged site is up to date"
    );

    // A body edit: the practice's pages are rendered. The catalogue pages of the languages
    // whose search index it changed name the index by its hash: they are the last ones
    // with the index's new name, not rendered (and byte for byte what a render gives: the
    // random sequences above compare every build with a fresh one).
    let rel = "content/practices/gamma.md";
    let index_before = std::fs::read_to_string(f.out().join("en/index.html")).unwrap();
    let (cards_before, catalogue_before) = (index_file(&f, "cards."), index_file(&f, "catalogue."));
    add_to_gamma(&f, "A new paragraph.");
    let n = rendered(&mut f, "body").unwrap();
    assert!(
        (1..=2).contains(&n),
        "a body edit rendered {n} of {total} pages"
    );
    assert_ne!(
        std::fs::read_to_string(f.out().join("en/index.html")).unwrap(),
        index_before,
        "the catalogue names the new index"
    );
    // Its cards show no body: the same file, named by the new index.
    assert_ne!(index_file(&f, "catalogue."), catalogue_before);
    assert_eq!(index_file(&f, "cards."), cards_before);
    assert!(index_file(&f, "catalogue.").1.contains(&cards_before.0));
    f.assert_as_fresh(2);
    assert!(
        std::fs::read_to_string(f.out().join("en/practices/gamma/index.html"))
            .unwrap()
            .contains("A new paragraph.")
    );

    // A front-matter edit: cards, listings and facets too, but fewer than every page.
    let text = std::fs::read_to_string(f.path(rel)).unwrap();
    std::fs::write(
        f.path(rel),
        text.replace("Summary 1 of gamma", "A new summary"),
    )
    .unwrap();
    let n = rendered(&mut f, "front matter").unwrap();
    assert!(n > 2 && n < total, "{n} of {total}");
    let (cards, text) = index_file(&f, "cards.");
    assert!(text.contains("A new summary"), "{text}");
    assert!(index_file(&f, "catalogue.").1.contains(&cards));

    // A template: the pages that use it, and those alone.
    page_template(&f, "<p>Edited page template</p></article>");
    assert_eq!(
        rendered(&mut f, "template"),
        Some(2),
        "/en/about/ and /es/about/"
    );
    assert!(
        std::fs::read_to_string(f.out().join("es/about/index.html"))
            .unwrap()
            .contains("Edited page template")
    );

    // A static file no template names: copied, and no page rendered.
    f.site
        .write("static/css/site.css", "body { color: #222; }\n");
    assert_eq!(rendered(&mut f, "css"), Some(0));
    assert_eq!(
        std::fs::read_to_string(f.out().join("css/site.css")).unwrap(),
        "body { color: #222; }\n"
    );
    // The stylesheet the templates name with asset(): every page names it by its
    // fingerprint, so every page is rendered.
    let main =
        std::fs::read_to_string(f.site.root().join("themes/default/static/css/main.css")).unwrap();
    f.site.write(
        "static/css/main.css",
        &format!("{main}\nbody {{ color: #333; }}\n"),
    );
    assert_eq!(rendered(&mut f, "main css"), Some(total));
    assert_eq!(
        differences(&f.served(), &f.fresh().unwrap()),
        Vec::<String>::new()
    );
}

#[test]
fn a_page_changed_behind_casebooks_back_is_rendered_again() {
    let mut f = Fixture::building(3);
    let page = f.out().join("en/practices/beta/index.html");
    let good = std::fs::read(&page).unwrap();
    // Written through the link: the kept older output beside it shares the file.
    std::fs::remove_file(&page).unwrap();
    std::fs::write(&page, "changed by hand").unwrap();
    add_to_gamma(&f, "More.");
    rendered(&mut f, "body").unwrap();
    assert_eq!(std::fs::read(&page).unwrap(), good);
    assert_eq!(
        differences(&f.served(), &f.fresh().unwrap()),
        Vec::<String>::new()
    );
}

#[test]
fn what_templates_name_is_published_and_warned_of_whether_pages_are_kept_or_rendered() {
    let mut f = Fixture::building(4);
    // A template naming a UI string no language has.
    page_template(&f, "{{ t(key=\"no.such.key\") }}</article>");
    let first = f.apply("template".into(), Vec::new());
    let missing = |o: &casebook::commands::serve::session::Outcome| {
        o.warnings
            .iter()
            .filter(|w| w.code == casebook::diagnostics::Code::MissingTranslationKey)
            .count()
    };
    assert!(missing(&first) > 0, "{:#?}", first.warnings);
    // A body edit elsewhere: the about pages are kept, not rendered, and still warned of.
    add_to_gamma(&f, "More.");
    let again = f.apply("body".into(), Vec::new());
    assert!(again.rendered < pages(&f));
    assert_eq!(missing(&again), missing(&first), "{:#?}", again.warnings);
    // The fingerprinted copies of the files templates name in asset() are published,
    // whether a page of this site shows them or not (the highlighting stylesheet is named
    // for pages with code; this site has none).
    let highlight = |f: &Fixture| {
        snapshot(&f.out())
            .keys()
            .filter(|k| k.starts_with("css/highlight.") && *k != "css/highlight.css")
            .count()
    };
    assert_eq!(highlight(&f), 1);
    assert_eq!(
        differences(&f.served(), &f.fresh().unwrap()),
        Vec::<String>::new()
    );
    // The template no longer names the string: no warning, though most pages are kept.
    page_template(&f, "</article>");
    let o = f.apply("template fixed".into(), Vec::new());
    assert_eq!(o.rendered, 2, "the about pages");
    assert_eq!(missing(&o), 0, "{:#?}", o.warnings);
    assert_eq!(
        differences(&f.served(), &f.fresh().unwrap()),
        Vec::<String>::new()
    );
}
