//! A small site edited at random (practices, translations, pages, templates, static files,
//! UI strings and casebook.yaml) that draws share cards, for checking that incremental
//! rebuilds, `serve`'s and `build`'s, write what a fresh build writes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use casebook::BuildOptions;
use casebook::commands::serve::session::{Outcome, Session};
use casebook::render::AssetUrls;

use super::{Site, snapshot};

const BASE: &str = "http://127.0.0.1:4000/";

const TOPICS: [&str; 3] = ["poverty", "housing", "urban-commons"];

/// The options of the fixture's builds: plain asset URLs for `serve`, fingerprinted ones
/// for `build` (as each uses by default).
pub fn options(root: &Path, out: &Path, assets: AssetUrls) -> BuildOptions {
    BuildOptions {
        output: Some(out.to_path_buf()),
        base_url: Some(BASE.into()),
        assets,
        ..BuildOptions::new(root)
    }
}

/// A small deterministic random generator (xorshift), so that a failing sequence can be
/// replayed from its seed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn practice_file(slug: &str, n: u64, topic: &str, related: Option<&str>, draft: bool) -> String {
    let related = related
        .map(|r| format!("related: [{r}]\n"))
        .unwrap_or_default();
    let link = related_link(related.is_empty());
    format!(
        "---\ntitle: Practice {slug} v{n}\ncity: {}\ncountry: IT\ntopics: [{topic}]\nsummary: Summary {n} of {slug}.\npublished: 2024-0{}-15\n{related}draft: {draft}\n---\n## The challenge\n\nBody {n} of {slug}.{link}\n",
        // Translations inherit the city: an edit of it changes what they show.
        ["Turin", "Milan"][(n % 2) as usize],
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

/// What the edits are applied to.
pub enum Target {
    /// A `serve` session's incremental rebuilds.
    Serve(Box<Session>),
    /// `casebook build` into the same output folder, again and again.
    Build,
}

/// A small site, edited at random, with what it is built into.
pub struct Fixture {
    pub site: Site,
    pub work: tempfile::TempDir,
    pub target: Target,
    pub rng: Rng,
    pub counter: u64,
    pub log: Vec<String>,
    /// The warnings of the last build or rebuild, as printed.
    pub warnings: Vec<String>,
    /// The kinds of change [`Fixture::step`] picks from (see its arms); every kind when
    /// `None`.
    pub kinds: Option<&'static [usize]>,
}

/// Every file of an output, by path.
pub type Files = BTreeMap<String, Vec<u8>>;

/// Diagnostics as printed, in a stable order.
fn printed(diags: &[casebook::diagnostics::Diagnostic]) -> Vec<String> {
    let mut v: Vec<String> = diags.iter().map(|d| d.render_human(false)).collect();
    v.sort();
    v
}

impl Fixture {
    /// The site served by a `serve` session.
    pub fn serving(seed: u64) -> Fixture {
        Fixture::new(seed, true)
    }

    /// The site built once into an output folder.
    pub fn building(seed: u64) -> Fixture {
        Fixture::new(seed, false)
    }

    fn new(seed: u64, serve: bool) -> Fixture {
        // With drawn share cards: a title edit changes a card's name, and so its pages.
        let site = Site::with_config(&format!("{}share_cards: drawn\n", super::CONFIG));
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
        let target = if serve {
            let (session, first) = Session::start(
                options(site.root(), &work.path().join("site"), AssetUrls::Plain),
                work.path().join("site"),
                work.path().join("staging"),
            );
            assert!(first.errors.is_empty(), "{:#?}", first.errors);
            Target::Serve(Box::new(session))
        } else {
            Target::Build
        };
        let mut f = Fixture {
            site,
            work,
            target,
            rng: Rng(seed),
            counter: 1,
            log: Vec::new(),
            warnings: Vec::new(),
            kinds: None,
        };
        if !serve {
            let first = f.apply("first build".into(), Vec::new());
            assert!(first.errors.is_empty(), "{:#?}", first.errors);
        }
        f
    }

    /// The `serve` session.
    pub fn session(&mut self) -> &mut Session {
        match &mut self.target {
            Target::Serve(s) => s,
            Target::Build => panic!("a build fixture has no session"),
        }
    }

    fn assets(&self) -> AssetUrls {
        match self.target {
            Target::Serve(_) => AssetUrls::Plain,
            Target::Build => AssetUrls::Fingerprinted,
        }
    }

    /// The folder served, or built into.
    pub fn out(&self) -> PathBuf {
        match &self.target {
            Target::Serve(s) => s.dir().to_path_buf(),
            Target::Build => self.work.path().join("site"),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.site.root().canonicalize().unwrap().join(rel)
    }

    pub fn practices(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.site.root().join("content/practices"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    /// Tells the session of the changed `paths`, or builds again. A build's outcome has
    /// its errors, warnings and the number of pages rendered.
    pub fn apply(&mut self, what: String, paths: Vec<PathBuf>) -> Outcome {
        self.log.push(what);
        let opts = options(self.site.root(), &self.out(), self.assets());
        let outcome = match &mut self.target {
            Target::Serve(s) => s.apply(&paths),
            Target::Build => match casebook::build(&opts) {
                Ok(summary) => Outcome {
                    warnings: summary.warnings,
                    rendered: summary.rendered,
                    path: if summary.up_to_date { "none" } else { "build" },
                    ..Outcome::default()
                },
                Err(f) => Outcome {
                    errors: f.diagnostics,
                    ..Outcome::default()
                },
            },
        };
        self.warnings = printed(&outcome.warnings);
        outcome
    }

    /// A fresh build of the same sources, with the same options, from an empty output
    /// and an empty cache.
    pub fn fresh(&self) -> Result<BTreeMap<String, Vec<u8>>, String> {
        self.fresh_with_warnings().map(|(files, _)| files)
    }

    /// [`Fixture::fresh`], with the build's warnings as printed.
    pub fn fresh_with_warnings(&self) -> Result<(Files, Vec<String>), String> {
        let out = self.work.path().join("fresh");
        let cache = self.work.path().join("fresh-cache");
        let _ = std::fs::remove_dir_all(&out);
        let _ = std::fs::remove_dir_all(&cache);
        let opts = BuildOptions {
            cache_dir: Some(cache),
            ..options(self.site.root(), &out, self.assets())
        };
        match casebook::build(&opts) {
            Ok(summary) => Ok((snapshot(&out), printed(&summary.warnings))),
            Err(f) => Err(f
                .diagnostics
                .iter()
                .map(|d| d.render_human(false))
                .collect()),
        }
    }

    /// Panics, naming the edit, when `outcome` (of edit `step` of the sequence of `seed`)
    /// has errors.
    pub fn expect_ok(&self, seed: u64, step: usize, outcome: &Outcome) {
        if !outcome.errors.is_empty() {
            panic!(
                "seed {seed:x}, step {step} ({}) failed:\n{:#?}",
                self.log.last().unwrap(),
                outcome.errors
            );
        }
    }

    /// Asserts that the folder holds what a fresh build writes, naming the edits so far
    /// (of the sequence of `seed`); returns the kind of the last edit.
    pub fn assert_as_fresh(&self, seed: u64) -> String {
        let (fresh, warnings) = self.fresh_with_warnings().unwrap_or_else(|e| {
            panic!(
                "seed {seed:x}: the fresh build failed after {:?}:\n{e}",
                self.log
            )
        });
        let diff = differences(&self.served(), &fresh);
        assert!(
            diff.is_empty(),
            "seed {seed:x}, after {:#?}:\n{diff:#?}",
            self.log
        );
        assert_eq!(
            self.warnings, warnings,
            "seed {seed:x}: the warnings differ from a fresh build's after {:#?}",
            self.log
        );
        self.log
            .last()
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .to_string()
    }

    /// What is in the folder served, or built into.
    pub fn served(&self) -> BTreeMap<String, Vec<u8>> {
        snapshot(&self.out())
    }

    /// One random change; returns the outcome of applying it.
    pub fn step(&mut self) -> Outcome {
        self.counter += 1;
        let n = self.counter;
        let files = self.practices();
        let pick = files[self.rng.below(files.len())].clone();
        let rel = format!("content/practices/{pick}");
        let slug = pick.split('.').next().unwrap().to_string();
        let topic = TOPICS[self.rng.below(TOPICS.len())];
        let kind = match self.kinds {
            Some(kinds) => kinds[self.rng.below(kinds.len())],
            None => self.rng.below(21),
        };
        match kind {
            4..=5 if n.is_multiple_of(3) => {
                // Only the summary: what the catalogue lists, and in which order, stays.
                let text = std::fs::read_to_string(self.path(&rel)).unwrap();
                let text: String = text
                    .lines()
                    .map(|l| match l.starts_with("summary:") {
                        true => format!("summary: Summary {n}, edited.\n"),
                        false => format!("{l}\n"),
                    })
                    .collect();
                std::fs::write(self.path(&rel), text).unwrap();
                self.apply(format!("summary {rel}"), vec![self.path(&rel)])
            }
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
                // The catalogue's card, or the share card every practice page names.
                let rel = if n.is_multiple_of(2) {
                    "templates/share-card.svg"
                } else {
                    "templates/partials/card.html"
                };
                let theme = self.site.root().join("themes/default").join(rel);
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

/// What differs between two outputs.
pub fn differences(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut out = Vec::new();
    for (k, v) in a {
        match b.get(k) {
            None => out.push(format!("only served: {k}")),
            Some(w) if w != v => out.push(format!("differs: {k}")),
            _ => {}
        }
    }
    for k in b.keys().filter(|k| !a.contains_key(*k)) {
        out.push(format!("only in the fresh build: {k}"));
    }
    out
}
