//! The plan and the incremental decision, on small sites: which outputs a site has, what
//! each depends on, and which ones an edit makes again.

use std::collections::HashMap;

use super::{BuildOptions, Loaded, load, model, parse, patch};
use crate::incremental::{Documents, Fingerprints, ModelPrints};
use crate::plan::{Dep, PageKind, Planned, plan};

const CONFIG: &str = "base_url: https://example.org/
languages: [en, es]
paginate: 2
taxonomies:
  topics:
    poverty: { en: Poverty, es: Pobreza }
    housing: { en: Housing, es: Vivienda }
";

fn practice(title: &str, topics: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\ncity: Turin\ncountry: IT\ntopics: [{topics}]\nsummary: About {title}.\npublished: 2024-01-01\n---\n{body}\n"
    )
}

/// A site of three practices (`a` also in Spanish) and one page, loaded.
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let f = Fixture { dir };
        f.write("casebook.yaml", CONFIG);
        f.write(
            "content/practices/a.md",
            &practice("A", "poverty", "Body of a."),
        );
        f.write(
            "content/practices/a.es.md",
            "---\ntitle: A es\nsummary: Sobre A.\npublished: 2024-01-01\n---\nCuerpo.\n",
        );
        f.write(
            "content/practices/b.md",
            &practice("B", "poverty, housing", "Body of b."),
        );
        f.write(
            "content/practices/c.md",
            &practice("C", "housing", "Body of c."),
        );
        f.write(
            "content/pages/about.md",
            "---\ntitle: About\nmenu: 1\n---\nAbout us.\n",
        );
        f
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn load(&self) -> Loaded {
        let opts = BuildOptions::new(self.dir.path());
        let mut documents = Documents::new(0);
        match load(&opts, &mut documents) {
            Ok(l) => l,
            Err(f) => panic!("{:?}", f.diagnostics),
        }
    }

    /// Every output's URL with what it is made from, the catalogue index named by a
    /// fixed URL (as it is when no practice's text changed).
    fn made_from(&self) -> HashMap<String, u64> {
        let loaded = self.load();
        let planned = plan(&loaded.site);
        let prints = Fingerprints::of(
            &loaded.site,
            &ModelPrints::of(&loaded.site, &planned),
            &loaded.theme,
            0,
        );
        planned
            .iter()
            .map(|p| (p.url.clone(), prints.page(p, Some("/index.json"))))
            .collect()
    }

    /// Loads the site, writes `rel` with `text`, and patches the model (see [`patch`]):
    /// whether it was patched, and the patched model with its plan and fingerprints made
    /// before the edit.
    fn patched(&self, rel: &str, text: &str) -> (bool, Loaded) {
        let opts = BuildOptions::new(self.dir.path());
        let mut documents = Documents::new(0);
        let mut loaded = load(&opts, &mut documents).unwrap();
        loaded.model_prints();
        self.write(rel, text);
        let parsed = parse(&opts, &mut documents).unwrap();
        assert_eq!(parsed.read.changed.len(), 1, "only {rel} is read again");
        let done = patch(&mut loaded, &parsed, &documents).unwrap();
        (done, loaded)
    }
}

/// What every output of a loaded site is made from, by URL, through its own plan and
/// fingerprints.
fn made_from(loaded: &Loaded) -> Vec<(String, u64)> {
    let prints = Fingerprints::of(&loaded.site, loaded.model_prints(), &loaded.theme, 0);
    loaded
        .plan()
        .iter()
        .map(|p| (p.url.clone(), prints.page(p, Some("/index.json"))))
        .collect()
}

fn urls(planned: &[Planned]) -> Vec<&str> {
    planned.iter().map(|p| p.url.as_str()).collect()
}

fn find<'a>(planned: &'a [Planned], url: &str) -> &'a Planned {
    planned
        .iter()
        .find(|p| p.url == url)
        .unwrap_or_else(|| panic!("no {url}"))
}

/// `serve` keeps the parses encoded between rebuilds (the model holds the decoded copy):
/// a model made from them is the one made from the parses as they came.
#[test]
fn parses_kept_encoded_make_the_same_site() {
    let f = Fixture::new();
    let opts = BuildOptions::new(f.dir.path());
    let mut documents = Documents::new(0);
    let fresh = load(&opts, &mut documents).unwrap_or_else(|e| panic!("{:?}", e.diagnostics));
    documents.encode_all();
    let again = load(&opts, &mut documents).unwrap_or_else(|e| panic!("{:?}", e.diagnostics));
    assert_eq!(again.site.practices.len(), 3);
    assert_eq!(format!("{:?}", again.site), format!("{:?}", fresh.site));
}

/// A build reads the parses the last one saved, each left in the saved file until it is
/// needed: a model made from them is the one made from the parses as they came.
#[test]
fn parses_saved_and_loaded_make_the_same_site() {
    let f = Fixture::new();
    // Files saved a while ago: the cache trusts their stamps rather than reading them again.
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in walkdir::WalkDir::new(f.dir.path().join("content")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let file = std::fs::File::options()
                .write(true)
                .open(entry.path())
                .unwrap();
            file.set_modified(hour_ago).unwrap();
        }
    }
    let opts = BuildOptions::new(f.dir.path());
    let mut documents = Documents::new(0);
    let fresh = load(&opts, &mut documents).unwrap_or_else(|e| panic!("{:?}", e.diagnostics));
    let cache = tempfile::tempdir().unwrap();
    documents.save(cache.path()).unwrap();
    let mut loaded = Documents::load(cache.path(), 0);
    let parsed = parse(&opts, &mut loaded).unwrap_or_else(|e| panic!("{:?}", e.diagnostics));
    assert_eq!(parsed.parsed(), 0, "every parse taken from the cache");
    let docs = loaded.documents(&parsed.inputs.paths).unwrap();
    let again = model(parsed, docs, &opts).unwrap_or_else(|e| panic!("{:?}", e.diagnostics));
    assert_eq!(again.site.practices.len(), 3);
    assert_eq!(format!("{:?}", again.site), format!("{:?}", fresh.site));
}

#[test]
fn the_plan_has_every_page_once_in_a_stable_order() {
    let f = Fixture::new();
    let site = f.load().site;
    let planned = plan(&site);
    let all = urls(&planned);
    for url in [
        "/",
        "/404.html",
        "/en/",
        "/en/page/2/",
        "/es/",
        "/en/practices/a/",
        "/es/practices/a/",
        "/en/practices/c/",
        "/en/topics/",
        "/en/topics/poverty/",
        "/es/topics/housing/",
        "/en/about/",
    ] {
        assert!(all.contains(&url), "{url} is not planned: {all:?}");
    }
    // Three practices at two a page: two catalogue pages, not three.
    assert!(!all.contains(&"/en/page/3/"), "{all:?}");
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), all.len(), "a URL is planned twice");
    assert_eq!(urls(&plan(&site)), all, "two plans of one site differ");
}

#[test]
fn each_page_depends_on_what_it_shows() {
    let f = Fixture::new();
    let site = f.load().site;
    let planned = plan(&site);
    let a = site.practices.iter().position(|p| p.slug == "a").unwrap();
    let page = find(&planned, "/en/practices/a/");
    assert!(matches!(page.kind, PageKind::Practice { .. }));
    assert!(page.deps.contains(&Dep::Practice(a)), "{:?}", page.deps);
    let catalogue = find(&planned, "/en/");
    assert!(
        catalogue.deps.contains(&Dep::Listing {
            lang: 0,
            term: None
        }),
        "{:?}",
        catalogue.deps
    );
    assert!(catalogue.deps.contains(&Dep::Index), "{:?}", catalogue.deps);
    assert!(
        !catalogue.deps.contains(&Dep::Practice(a)),
        "{:?}",
        catalogue.deps
    );
}

#[test]
fn a_body_edit_makes_again_only_the_practice_s_own_pages() {
    let f = Fixture::new();
    let before = f.made_from();
    f.write(
        "content/practices/c.md",
        &practice("C", "housing", "A new body."),
    );
    let after = f.made_from();
    let changed: Vec<&str> = before
        .iter()
        .filter(|(url, print)| after[*url] != **print)
        .map(|(url, _)| url.as_str())
        .collect();
    // The search index changes too, and the catalogue pages that name it follow it
    // (their index URL is a hash of its bytes); with the same index URL they are kept.
    assert_eq!(changed, vec!["/en/practices/c/"], "{changed:?}");
}

#[test]
fn a_title_edit_makes_again_the_pages_that_show_the_card() {
    let f = Fixture::new();
    let before = f.made_from();
    f.write(
        "content/practices/c.md",
        &practice("C renamed", "housing", "Body of c."),
    );
    let after = f.made_from();
    let changed = |url: &str| before[url] != after[url];
    assert!(changed("/en/practices/c/"));
    assert!(changed("/en/page/2/"), "c's card is on the second page");
    assert!(changed("/en/topics/housing/"));
    assert!(!changed("/en/practices/a/"), "a is not related to c");
    assert!(!changed("/es/practices/a/"));
    assert!(!changed("/en/about/"));
}

#[test]
fn a_template_edit_makes_again_the_pages_it_renders() {
    let f = Fixture::new();
    let before = f.made_from();
    let page = crate::theme::embedded::file("templates/page.html").expect("built-in page.html");
    let page = String::from_utf8_lossy(page);
    f.write("templates/page.html", &format!("{page}\n{{# edited #}}"));
    let after = f.made_from();
    assert_ne!(before["/en/about/"], after["/en/about/"]);
    assert_eq!(before["/en/practices/a/"], after["/en/practices/a/"]);
}

#[test]
fn a_summary_edit_patches_the_model_and_keeps_its_plan() {
    let f = Fixture::new();
    let text = practice("C", "housing", "Body of c.").replace("About C.", "All about C.");
    let (done, patched) = f.patched("content/practices/c.md", &text);
    assert!(done);
    let plan_before = patched.plan().as_ptr();
    assert_eq!(made_from(&patched), made_from(&f.load()));
    assert_eq!(patched.plan().as_ptr(), plan_before, "the plan is kept");
    assert_eq!(
        patched.site.practices[2].versions[0].summary,
        "All about C."
    );
}

#[test]
fn a_title_or_topic_edit_patches_the_model_and_plans_again() {
    for text in [
        practice("A later title", "housing", "Body of c."),
        practice("C", "poverty", "Body of c."),
    ] {
        let f = Fixture::new();
        let (done, patched) = f.patched("content/practices/c.md", &text);
        assert!(done);
        let fresh = f.load();
        assert_eq!(made_from(&patched), made_from(&fresh));
        let related = |l: &Loaded| -> Vec<Vec<usize>> {
            l.site.practices.iter().map(|p| p.related.clone()).collect()
        };
        assert_eq!(related(&patched), related(&fresh));
    }
}

#[test]
fn a_front_matter_edit_with_a_problem_builds_the_model_anew() {
    let f = Fixture::new();
    let text =
        practice("C", "housing", "Body of c.").replacen("---\n", "---\nrelated: [nope]\n", 1);
    let (done, unchanged) = f.patched("content/practices/c.md", &text);
    assert!(!done);
    assert!(unchanged.site.practices[2].related_explicit.is_empty());
}
