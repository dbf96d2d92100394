//! `serve`'s incremental rebuilds against fresh builds: after any sequence of edits,
//! additions, deletions and renames (of practices, translations, pages, templates, static
//! files, UI strings and casebook.yaml), the served folder is byte-identical to what a fresh
//! `casebook build` with the same options writes; a change that breaks the build leaves it
//! exactly as it was; and each kind of change re-renders only what it touches.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use casebook::build::BuildOptions;
use casebook::render::AssetUrls;
use casebook::serve::session::{Outcome, Session};
use common::{Site, snapshot};

const BASE: &str = "http://127.0.0.1:4000/";

const TOPICS: [&str; 3] = ["poverty", "housing", "urban-commons"];

fn options(root: &Path, out: &Path) -> BuildOptions {
    BuildOptions {
        output: Some(out.to_path_buf()),
        base_url: Some(BASE.into()),
        assets: AssetUrls::Plain,
        ..BuildOptions::new(root)
    }
}

/// A small deterministic random generator (xorshift), so that a failing sequence can be
/// replayed from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn practice_file(slug: &str, n: u64, topic: &str, related: Option<&str>, draft: bool) -> String {
    let related = related
        .map(|r| format!("related: [{r}]\n"))
        .unwrap_or_default();
    let link = related_link(related.is_empty());
    format!(
        "---\ntitle: Practice {slug} v{n}\ncity: Turin\ncountry: IT\ntopics: [{topic}]\nsummary: Summary {n} of {slug}.\npublished: 2024-0{}-15\n{related}draft: {draft}\n---\n## The challenge\n\nBody {n} of {slug}.{link}\n",
        1 + n % 9
    )
}

fn related_link(none: bool) -> &'static str {
    if none {
        ""
    } else {
        " See [the about page](@/pages/about.md)."
    }
}

fn translation_file(slug: &str, n: u64) -> String {
    format!(
        "---\ntitle: Práctica {slug} v{n}\nsummary: Resumen {n}.\npublished: 2024-02-01\n---\nCuerpo {n} de {slug}.\n"
    )
}

fn page_file(title: &str, n: u64, menu: u64) -> String {
    format!("---\ntitle: {title}\nmenu: {menu}\n---\nPage body {n}.\n")
}

struct Fixture {
    site: Site,
    work: tempfile::TempDir,
    session: Session,
    rng: Rng,
    counter: u64,
    log: Vec<String>,
}

impl Fixture {
    fn new(seed: u64) -> Fixture {
        let site = Site::new();
        site.write(
            "content/practices/alpha.md",
            &practice_file("alpha", 1, "poverty", None, false),
        )
        .write(
            "content/practices/alpha.es.md",
            &translation_file("alpha", 1),
        )
        .write(
            "content/practices/beta.md",
            &practice_file("beta", 1, "housing", Some("alpha"), false),
        )
        .write(
            "content/practices/gamma.md",
            &practice_file("gamma", 1, "poverty", None, false),
        )
        .write("content/pages/about.md", &page_file("About", 1, 1))
        .write("content/pages/about.es.md", &page_file("Acerca de", 1, 1))
        .write("static/css/site.css", "body { color: #111; }\n");
        let work = tempfile::tempdir().unwrap();
        let (session, first) = Session::start(
            options(site.root(), &work.path().join("site")),
            work.path().join("site"),
            work.path().join("staging"),
        );
        assert!(first.errors.is_empty(), "{:#?}", first.errors);
        Fixture {
            site,
            work,
            session,
            rng: Rng(seed),
            counter: 1,
            log: Vec::new(),
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.site.root().canonicalize().unwrap().join(rel)
    }

    fn practices(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.site.root().join("content/practices"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    fn apply(&mut self, what: String, paths: Vec<PathBuf>) -> Outcome {
        self.log.push(what);
        self.session.apply(&paths)
    }

    /// A fresh build of the same sources, with the same options.
    fn fresh(&self) -> Result<BTreeMap<String, Vec<u8>>, String> {
        let out = self.work.path().join("fresh");
        let _ = std::fs::remove_dir_all(&out);
        match casebook::build(&options(self.site.root(), &out)) {
            Ok(_) => Ok(snapshot(&out)),
            Err(f) => Err(f
                .diagnostics
                .iter()
                .map(|d| d.render_human(false))
                .collect()),
        }
    }

    fn served(&self) -> BTreeMap<String, Vec<u8>> {
        snapshot(self.session.dir())
    }

    /// One random change; returns the outcome of applying it.
    fn step(&mut self) -> Outcome {
        self.counter += 1;
        let n = self.counter;
        let files = self.practices();
        let pick = files[self.rng.below(files.len())].clone();
        let rel = format!("content/practices/{pick}");
        let slug = pick.split('.').next().unwrap().to_string();
        let topic = TOPICS[self.rng.below(TOPICS.len())];
        match self.rng.below(21) {
            4..=5 => {
                // Edit the front matter of a default-language file.
                if pick.matches('.').count() == 2 {
                    std::fs::write(self.path(&rel), translation_file(&slug, n)).unwrap();
                } else {
                    let related = (slug != "alpha"
                        && self.practices().contains(&"alpha.md".into()))
                    .then_some("alpha");
                    std::fs::write(
                        self.path(&rel),
                        practice_file(&slug, n, topic, related, false),
                    )
                    .unwrap();
                }
                self.apply(format!("front matter {rel}"), vec![self.path(&rel)])
            }
            6 => {
                let new = format!("content/practices/p{n}.md");
                std::fs::write(
                    self.path(&new),
                    practice_file(&format!("p{n}"), n, topic, None, false),
                )
                .unwrap();
                self.apply(format!("add {new}"), vec![self.path(&new)])
            }
            7 if slug != "alpha" && slug != "gamma" || pick.matches('.').count() == 2 => {
                std::fs::remove_file(self.path(&rel)).unwrap();
                self.apply(format!("delete {rel}"), vec![self.path(&rel)])
            }
            8 if pick.matches('.').count() == 1 && slug.starts_with('p') => {
                let to = format!("content/practices/q{n}.md");
                std::fs::rename(self.path(&rel), self.path(&to)).unwrap();
                self.apply(
                    format!("rename {rel} → {to}"),
                    vec![self.path(&rel), self.path(&to)],
                )
            }
            9 if pick.matches('.').count() == 1 => {
                let to = format!("content/practices/{slug}.es.md");
                std::fs::write(self.path(&to), translation_file(&slug, n)).unwrap();
                self.apply(format!("translate {to}"), vec![self.path(&to)])
            }
            10 if pick.matches('.').count() == 1 && slug.starts_with('p') => {
                std::fs::write(
                    self.path(&rel),
                    practice_file(&slug, n, topic, None, n.is_multiple_of(2)),
                )
                .unwrap();
                self.apply(format!("draft toggle {rel}"), vec![self.path(&rel)])
            }
            11 => {
                let rel = "templates/partials/card.html";
                let theme = self
                    .site
                    .root()
                    .join("themes/default/templates/partials/card.html");
                let text = std::fs::read_to_string(theme).unwrap();
                self.site.write(rel, &format!("{text}<!-- card {n} -->\n"));
                self.apply(format!("template {rel}"), vec![self.path(rel)])
            }
            12 => {
                let rel = "static/css/site.css";
                self.site
                    .write(rel, &format!("body {{ color: #{:03}; }}\n", n % 1000));
                self.apply(format!("css {rel}"), vec![self.path(rel)])
            }
            13 => {
                let lang = if n.is_multiple_of(2) { "" } else { ".es" };
                let rel = format!("content/pages/about{lang}.md");
                let title = if n % 4 < 2 { "About" } else { "About us" };
                let body_only = !n.is_multiple_of(3);
                let text = if body_only {
                    let old = std::fs::read_to_string(self.path(&rel)).unwrap();
                    format!("{old}More {n}.\n")
                } else {
                    page_file(title, n, 1 + n % 2)
                };
                std::fs::write(self.path(&rel), text).unwrap();
                self.apply(format!("page {rel}"), vec![self.path(&rel)])
            }
            14 => {
                let rel = "i18n/en.yaml";
                self.site
                    .write(rel, &format!("nav:\n  catalogue: Catalogue {n}\n"));
                self.apply(format!("i18n {rel}"), vec![self.path(rel)])
            }
            15 => {
                // A mistake, then its fix: the first leaves the served site as it was.
                let before = self.served();
                let good = std::fs::read_to_string(self.path(&rel)).unwrap();
                let broken = if good.contains("topics:") {
                    good.replacen("topics: [", "topics: [no-such-topic, ", 1)
                } else {
                    good.replacen("title:", "title: [unclosed", 1)
                };
                std::fs::write(self.path(&rel), broken).unwrap();
                let o = self.apply(format!("break {rel}"), vec![self.path(&rel)]);
                assert!(!o.errors.is_empty(), "a broken {rel} was accepted");
                assert!(
                    self.served() == before,
                    "a broken {rel} changed the served site"
                );
                std::fs::write(self.path(&rel), good).unwrap();
                self.apply(format!("fix {rel}"), vec![self.path(&rel)])
            }
            16 => {
                let config = std::fs::read_to_string(self.path("casebook.yaml")).unwrap();
                let config = match config.find("\ntitle:") {
                    Some(i) => format!("{}\ntitle: Site {n}\n", &config[..i]),
                    None => format!("{config}title: Site {n}\n"),
                };
                self.site.write("casebook.yaml", &config);
                self.apply("config title".into(), vec![self.path("casebook.yaml")])
            }
            _ => {
                // Edit the body only.
                let text = std::fs::read_to_string(self.path(&rel)).unwrap();
                let (fm, body) = text.rsplit_once("---\n").unwrap();
                let extra = if n.is_multiple_of(3) {
                    " More: [gamma](@/practices/gamma.md)."
                } else {
                    ""
                };
                let new = format!("{fm}---\n{body}Edit {n}.{extra}\n");
                let new = if !self.practices().contains(&"gamma.md".to_string()) {
                    new.replace(extra, "")
                } else {
                    new
                };
                std::fs::write(self.path(&rel), new).unwrap();
                self.apply(format!("body {rel}"), vec![self.path(&rel)])
            }
        }
    }
}

/// What differs between two outputs, leaving out the marker file: a build's marker holds
/// its manifest (with modification times), the served folder's only the marker text.
fn differences(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut out = Vec::new();
    for (k, v) in a.iter().filter(|(k, _)| *k != casebook::output::MARKER) {
        match b.get(k) {
            None => out.push(format!("only served: {k}")),
            Some(w) if w != v => out.push(format!("differs: {k}")),
            _ => {}
        }
    }
    for k in b
        .keys()
        .filter(|k| !a.contains_key(*k) && *k != casebook::output::MARKER)
    {
        out.push(format!("only in the fresh build: {k}"));
    }
    out
}

#[test]
fn random_edit_sequences_serve_what_a_fresh_build_writes() {
    for seed in [
        0x9e37_79b9_7f4a_7c15_u64,
        0x2545_f491_4f6c_dd1d,
        0xdead_beef_cafe_f00d,
    ] {
        let mut f = Fixture::new(seed);
        // Few pages at once, so that changes to many pages leave most of them to `settle`.
        f.session.set_eager_pages(3);
        f.session
            .set_open_pages(["/en/practices/alpha/".to_string(), "/es/".to_string()]);
        let mut kinds = std::collections::BTreeSet::new();
        assert_eq!(
            differences(&f.served(), &f.fresh().unwrap()),
            Vec::<String>::new()
        );
        for step in 0..30 {
            let outcome = f.step();
            if step % 3 == 0 {
                f.session.settle();
            }
            if !outcome.errors.is_empty() {
                panic!(
                    "seed {seed:x}, step {step} ({}) failed:\n{:#?}",
                    f.log.last().unwrap(),
                    outcome.errors
                );
            }
            while f.session.has_deferred_work() {
                let settled = f.session.settle();
                assert!(settled.errors.is_empty(), "{:#?}", settled.errors);
            }
            let fresh = f.fresh().unwrap_or_else(|e| {
                panic!(
                    "seed {seed:x}: the fresh build failed after {:?}:\n{e}",
                    f.log
                )
            });
            let diff = differences(&f.served(), &fresh);
            kinds.insert(f.log.last().unwrap().split(' ').next().unwrap().to_string());
            assert!(
                diff.is_empty(),
                "seed {seed:x}, after {:#?}:\n{diff:#?}",
                f.log
            );
        }
        eprintln!("seed {seed:x}: {kinds:?}");
    }
}

#[test]
fn a_broken_change_leaves_the_served_site_as_it_was_and_a_fix_recovers() {
    let mut f = Fixture::new(1);
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
    let mut f = Fixture::new(2);
    let pages = f.session.dir().join("en/index.html");
    assert!(pages.exists());
    let total = snapshot(f.session.dir())
        .keys()
        .filter(|k| k.ends_with(".html"))
        .count();

    // A body edit: the practice's pages (in each language) and nothing else.
    let rel = "content/practices/gamma.md";
    let text = std::fs::read_to_string(f.path(rel)).unwrap();
    std::fs::write(f.path(rel), format!("{text}A new paragraph.\n")).unwrap();
    let o = f.apply("body".into(), vec![f.path(rel)]);
    assert_eq!(o.path, "body");
    assert_eq!(o.pages, vec!["/en/practices/gamma/".to_string()], "{o:#?}");
    assert!(o.rendered <= 2, "{o:#?}");
    assert!(f.session.has_deferred_work());
    let settled = f.session.settle();
    assert_eq!(settled.path, "index");
    assert!(
        settled.pages.iter().all(|p| p == "/en/" || p == "/es/"),
        "{settled:#?}"
    );
    assert!(!f.session.has_deferred_work());

    // A front-matter edit: cards and facets too, but not unrelated practices' pages.
    let text = std::fs::read_to_string(f.path(rel)).unwrap();
    std::fs::write(
        f.path(rel),
        text.replace("Summary 1 of gamma", "A new summary"),
    )
    .unwrap();
    let o = f.apply("front matter".into(), vec![f.path(rel)]);
    assert_eq!(o.path, "model");
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
    assert_eq!(o.path, "templates");
    assert_eq!(
        o.pages,
        vec!["/en/about/".to_string(), "/es/about/".to_string()],
        "{o:#?}"
    );

    // A stylesheet: that file alone.
    f.site
        .write("static/css/site.css", "body { color: #222; }\n");
    let o = f.apply("css".into(), vec![f.path("static/css/site.css")]);
    assert_eq!(o.path, "static");
    assert_eq!(o.rendered, 0);
    assert_eq!(o.stylesheets, vec!["/css/site.css".to_string()]);
    assert!(o.pages.is_empty());

    // A touch that changes nothing writes nothing.
    let o = f.apply("touch".into(), vec![f.path(rel)]);
    assert!(!o.changed(), "{o:#?}");
    // The index, feeds and open data of the front-matter edit follow when settling.
    assert!(f.session.has_deferred_work());
    assert!(!differences(&f.served(), &f.fresh().unwrap()).is_empty());
    f.session.settle();
    assert_eq!(
        differences(&f.served(), &f.fresh().unwrap()),
        Vec::<String>::new()
    );
}

#[test]
fn a_change_to_many_pages_renders_the_open_ones_first_and_the_rest_when_settling() {
    let mut f = Fixture::new(3);
    f.session.set_eager_pages(2);
    // As a browser's live-reload script reports it: the URL path of the page.
    f.session.set_open_pages([
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
    let dir = f.session.dir().to_path_buf();
    let page = |rel: &str| std::fs::read_to_string(dir.join(rel)).unwrap();
    assert!(page("es/practices/alpha/index.html").contains("Edited practice template"));
    assert!(!page("en/practices/beta/index.html").contains("Edited practice template"));
    assert!(f.session.has_deferred_work());

    let mut settled_pages = Vec::new();
    while f.session.has_deferred_work() {
        let s = f.session.settle();
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
