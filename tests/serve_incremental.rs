//! `serve`'s incremental rebuilds against fresh builds: after any sequence of edits,
//! additions, deletions and renames (of practices, translations, pages, templates, static
//! files, UI strings and casebook.yaml), the served folder is byte-identical to what a fresh
//! `casebook build` with the same options writes; a change that breaks the build leaves it
//! exactly as it was; and each kind of change re-renders only what it touches.

mod common;

use common::edits::{Fixture, differences};
use common::snapshot;

#[test]
fn random_edit_sequences_serve_what_a_fresh_build_writes() {
    for seed in [
        0x9e37_79b9_7f4a_7c15_u64,
        0x2545_f491_4f6c_dd1d,
        0xdead_beef_cafe_f00d,
    ] {
        let mut f = Fixture::serving(seed);
        // Few pages at once, so that changes to many pages leave most of them to `settle`.
        f.session().set_eager_pages(3);
        f.session()
            .set_open_pages(["/en/practices/alpha/".to_string(), "/es/".to_string()]);
        let mut kinds = std::collections::BTreeSet::new();
        assert_eq!(
            differences(&f.served(), &f.fresh().unwrap()),
            Vec::<String>::new()
        );
        for step in 0..30 {
            let outcome = f.step();
            if step % 3 == 0 {
                f.session().settle();
            }
            f.expect_ok(seed, step, &outcome);
            while f.session().has_deferred_work() {
                let settled = f.session().settle();
                assert!(settled.errors.is_empty(), "{:#?}", settled.errors);
            }
            kinds.insert(f.assert_as_fresh(seed));
        }
        eprintln!("seed {seed:x}: {kinds:?}");
    }
}

#[test]
fn front_matter_edits_serve_what_a_fresh_build_writes() {
    // Summaries (the model patched, its plan kept), titles, topics, dates and relations
    // (the listings or relations made again), new practices and bodies, in any order.
    for seed in [0x1234_5678_9abc_def0_u64, 0x0f0f_1e1e_2d2d_3c3c] {
        let mut f = Fixture::serving(seed);
        f.kinds = Some(&[4, 5, 6, 0]);
        let mut kinds = std::collections::BTreeSet::new();
        for step in 0..25 {
            let outcome = f.step();
            f.expect_ok(seed, step, &outcome);
            while f.session().has_deferred_work() {
                let settled = f.session().settle();
                assert!(settled.errors.is_empty(), "{:#?}", settled.errors);
            }
            kinds.insert(f.assert_as_fresh(seed));
        }
        assert!(
            kinds.contains("summary") && kinds.contains("front"),
            "{kinds:?}"
        );
    }
}

#[test]
fn a_broken_change_leaves_the_served_site_as_it_was_and_a_fix_recovers() {
    let mut f = Fixture::serving(1);
    let before = f.served();
    let rel = "content/practices/gamma.md";
    let good = std::fs::read_to_string(f.path(rel)).unwrap();
    for (what, text) in [
        ("unknown topic", good.replace("[poverty]", "[povrty]")),
        ("bad YAML", good.replace("title:", "title: [unclosed")),
        (
            "no front matter end",
            good.replacen("---\n## The", "## The", 1),
        ),
    ] {
        std::fs::write(f.path(rel), &text).unwrap();
        let o = f.apply(what.into(), vec![f.path(rel)]);
        assert!(!o.errors.is_empty(), "{what} was accepted");
        let e = &o.errors[0];
        let loc = e.location.as_ref().expect("located");
        assert!(
            loc.file.ends_with("content/practices/gamma.md"),
            "{what}: {loc}"
        );
        assert!(loc.line > 0, "{what}: {loc}");
        assert_eq!(f.served(), before, "{what} changed the served site");
    }
    // A broken template, then the fix of the content file: still broken, nothing written.
    let tpl = "templates/practice.html";
    f.site.write(
        tpl,
        "{% extends \"base.html\" %}{% block main %}{{ nope.nope }}{% endblock %}",
    );
    std::fs::write(f.path(rel), &good).unwrap();
    let o = f.apply("broken template".into(), vec![f.path(tpl), f.path(rel)]);
    assert!(
        o.errors.iter().any(|e| e
            .location
            .as_ref()
            .is_some_and(|l| l.file.ends_with("templates/practice.html"))),
        "{:#?}",
        o.errors
    );
    assert_eq!(f.served(), before);
    std::fs::remove_file(f.path(tpl)).unwrap();
    let o = f.apply("template fixed".into(), vec![f.path(tpl)]);
    assert!(o.errors.is_empty(), "{:#?}", o.errors);
    assert_eq!(
        f.served(),
        before,
        "back to the same sources, back to the same site"
    );
    assert_eq!(
        differences(&f.served(), &f.fresh().unwrap()),
        Vec::<String>::new()
    );
}

#[test]
fn each_kind_of_change_renders_only_what_it_touches() {
    let mut f = Fixture::serving(2);
    let pages = f.session().dir().join("en/index.html");
    assert!(pages.exists());
    let total = snapshot(f.session().dir())
        .keys()
        .filter(|k| k.ends_with(".html"))
        .count();

    // A body edit: the practice's pages (in each language) and nothing else.
    let rel = "content/practices/gamma.md";
    let text = std::fs::read_to_string(f.path(rel)).unwrap();
    std::fs::write(f.path(rel), format!("{text}A new paragraph.\n")).unwrap();
    let o = f.apply("body".into(), vec![f.path(rel)]);
    assert_eq!(o.path, "build");
    assert_eq!(o.pages, vec!["/en/practices/gamma/".to_string()], "{o:#?}");
    assert!(o.rendered <= 2, "{o:#?}");
    assert!(f.session().has_deferred_work());
    let settled = f.session().settle();
    assert_eq!(settled.path, "pages");
    assert!(
        settled.pages.iter().all(|p| p == "/en/" || p == "/es/"),
        "{settled:#?}"
    );
    assert!(!f.session().has_deferred_work());

    // A front-matter edit: cards and facets too, but not unrelated practices' pages.
    let text = std::fs::read_to_string(f.path(rel)).unwrap();
    std::fs::write(
        f.path(rel),
        text.replace("Summary 1 of gamma", "A new summary"),
    )
    .unwrap();
    let o = f.apply("front matter".into(), vec![f.path(rel)]);
    assert!(o.rendered < total, "{} of {total}", o.rendered);
    assert!(o.pages.contains(&"/en/".to_string()), "{:?}", o.pages);
    assert!(
        o.pages.contains(&"/en/practices/gamma/".to_string()),
        "{:?}",
        o.pages
    );
    assert!(
        !o.pages.contains(&"/en/practices/beta/".to_string()),
        "{:?}",
        o.pages
    );

    // A template: the pages that use it, without touching the model.
    f.site.write(
        "templates/page.html",
        &std::fs::read_to_string(f.site.root().join("themes/default/templates/page.html"))
            .unwrap()
            .replace("</article>", "<p>Edited page template</p></article>"),
    );
    let o = f.apply("template".into(), vec![f.path("templates/page.html")]);
    assert_eq!(
        o.pages,
        vec!["/en/about/".to_string(), "/es/about/".to_string()],
        "{o:#?}"
    );

    // A stylesheet: that file alone.
    f.site
        .write("static/css/site.css", "body { color: #222; }\n");
    let o = f.apply("css".into(), vec![f.path("static/css/site.css")]);
    assert_eq!(o.rendered, 0);
    assert_eq!(o.stylesheets, vec!["/css/site.css".to_string()]);
    assert!(o.pages.is_empty());

    // A touch that changes nothing writes nothing.
    let o = f.apply("touch".into(), vec![f.path(rel)]);
    assert!(!o.changed(), "{o:#?}");
    // The index, feeds and open data of the front-matter edit follow when settling.
    assert!(f.session().has_deferred_work());
    assert!(!differences(&f.served(), &f.fresh().unwrap()).is_empty());
    f.session().settle();
    assert_eq!(
        differences(&f.served(), &f.fresh().unwrap()),
        Vec::<String>::new()
    );
}

#[test]
fn a_change_to_many_pages_renders_the_open_ones_first_and_the_rest_when_settling() {
    let mut f = Fixture::serving(3);
    f.session().set_eager_pages(2);
    // As a browser's live-reload script reports it: the URL path of the page.
    f.session().set_open_pages([
        "/es/practices/alpha/".to_string(),
        "/en/practices/gamma/index.html".to_string(),
    ]);
    f.site.write(
        "templates/practice.html",
        &std::fs::read_to_string(f.site.root().join("themes/default/templates/practice.html"))
            .unwrap()
            .replace("</article>", "<p>Edited practice template</p></article>"),
    );
    let o = f.apply(
        "practice template".into(),
        vec![f.path("templates/practice.html")],
    );
    assert!(o.errors.is_empty(), "{:#?}", o.errors);
    assert_eq!(
        o.pages,
        vec![
            "/en/practices/gamma/".to_string(),
            "/es/practices/alpha/".to_string()
        ],
        "{o:#?}"
    );
    let dir = f.session().dir().to_path_buf();
    let page = |rel: &str| std::fs::read_to_string(dir.join(rel)).unwrap();
    assert!(page("es/practices/alpha/index.html").contains("Edited practice template"));
    assert!(!page("en/practices/beta/index.html").contains("Edited practice template"));
    assert!(f.session().has_deferred_work());

    let mut settled_pages = Vec::new();
    while f.session().has_deferred_work() {
        let s = f.session().settle();
        assert!(s.errors.is_empty(), "{:#?}", s.errors);
        settled_pages.extend(s.pages);
    }
    assert!(
        settled_pages.contains(&"/en/practices/beta/".to_string()),
        "{settled_pages:?}"
    );
    assert!(
        !settled_pages.contains(&"/es/practices/alpha/".to_string()),
        "an open page is not rendered twice: {settled_pages:?}"
    );
    assert!(page("en/practices/beta/index.html").contains("Edited practice template"));
    assert_eq!(
        differences(&f.served(), &f.fresh().unwrap()),
        Vec::<String>::new()
    );
}

#[test]
fn a_rebuild_that_leaves_pages_for_later_makes_listing_pages_of_one_language_at_a_time() {
    // Listing pages show their language's cards, made once per rebuild and held to its end:
    // a batch of them in every language would hold every card of the site at once.
    let edit_card = |f: &mut Fixture| {
        let card = f
            .site
            .root()
            .join("themes/default/templates/partials/card.html");
        let edited =
            std::fs::read_to_string(card)
                .unwrap()
                .replacen('<', "<!-- edited card -->\n<", 1);
        f.site.write("templates/partials/card.html", &edited);
        let o = f.apply("card".into(), vec![f.path("templates/partials/card.html")]);
        assert!(o.errors.is_empty(), "{:#?}", o.errors);
        o.pages
    };
    let is_practice = |url: &String| url.contains("/practices/");
    // The language of a listing page: `/es/topics/housing/` is one of Spanish.
    let languages = |pages: &[String]| -> std::collections::BTreeSet<String> {
        pages
            .iter()
            .filter(|u| !is_practice(u))
            .filter_map(|u| u.split('/').nth(1).map(str::to_string))
            .collect()
    };

    // Made all at once: practice pages (they show related practices' cards), and the
    // listing pages of both languages.
    let mut all = Fixture::serving(7);
    all.session().set_eager_pages(1000);
    let every = edit_card(&mut all);
    let practices = every.iter().filter(|u| is_practice(u)).count();
    let listings = every.len() - practices;
    assert_eq!(languages(&every), ["en".into(), "es".into()].into());
    assert!(practices > 0 && listings > 2, "{every:?}");

    // The template is an input of every page: room for all pages but one gives the
    // practice pages, then the listing pages of one language only, the others later.
    let mut f = Fixture::serving(7);
    let pages = f
        .served()
        .keys()
        .filter(|p| p.ends_with(".html") || p.ends_with("robots.txt"))
        .count();
    f.session().set_eager_pages(pages - 1);
    let first = edit_card(&mut f);
    assert_eq!(first.iter().filter(|u| is_practice(u)).count(), practices);
    assert_eq!(languages(&first).len(), 1, "{first:?}");
    assert!(f.session().has_deferred_work());
    while f.session().has_deferred_work() {
        let settled = f.session().settle();
        assert!(settled.errors.is_empty(), "{:#?}", settled.errors);
    }
    assert_eq!(
        differences(&f.served(), &f.fresh().unwrap()),
        Vec::<String>::new()
    );
}
