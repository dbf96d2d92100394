//! The site behind `serve`: the shared pipeline ([`crate::pipeline`]), run again after each
//! change into a folder of the session's own, written in place ([`InPlace`]).
//!
//! The session keeps between rebuilds what a build keeps in its cache folder: the parsed
//! content files and what the folder holds ([`BuildState`]). A rebuild makes again only
//! the outputs whose inputs changed. When a change touches many pages (a template used by
//! every practice), the pages open in a browser are made first and the others by
//! [`Session::settle`], in batches; after a content change the catalogue indexes, feeds,
//! open data and sitemaps follow in `settle` too, so that the edited page comes first.
//!
//! What a rebuild reports is always a function of the current sources: a rebuild that
//! finds a problem writes nothing and reports it, and `settle` does nothing while the
//! sources are broken, so the site is never said to be up to date while a file is broken.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::commands::build::BuildOptions;
use crate::diagnostics::{self, Diagnostic};
use crate::incremental::{BuildState, Cache, Documents};
use crate::input::config::CONFIG_FILE;
use crate::output::InPlace;
use crate::pipeline::{self, Inputs, Loaded, Parsed, Urgency};

/// Above this many pages to render, a rebuild renders the open pages first.
pub const EAGER_PAGES: usize = 200;

/// How many deferred pages one call of [`Session::settle`] renders.
pub const SETTLE_BATCH: usize = 1000;

/// How a rebuild went.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Errors: nothing was written, the last good site stays.
    pub errors: Vec<Diagnostic>,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
    /// URL paths of the pages that changed or appeared.
    pub pages: Vec<String>,
    /// URL paths of the stylesheets that changed.
    pub stylesheets: Vec<String>,
    /// Whether scripts, images or fonts changed: every page should reload.
    pub assets: bool,
    /// Pages rendered.
    pub rendered: usize,
    /// Files written.
    pub written: usize,
    /// Files removed.
    pub removed: usize,
    /// What the rebuild was: `build`, `pages` (deferred work) or `none`.
    pub path: &'static str,
    /// Wall time.
    pub elapsed: Duration,
}

impl Outcome {
    /// Whether the output changed.
    pub fn changed(&self) -> bool {
        self.written > 0 || self.removed > 0
    }
}

/// The incremental builder of one served site.
pub struct Session {
    opts: BuildOptions,
    dir: PathBuf,
    scratch: PathBuf,
    cache: Cache,
    documents: Documents,
    /// casebook.yaml, the theme and the content files found, as last read.
    inputs: Option<Inputs>,
    /// The model of the last rebuild that succeeded.
    loaded: Option<Loaded>,
    state: BuildState,
    /// Outputs whose inputs changed, left for [`Session::settle`].
    pending: usize,
    /// Whether the last rebuild failed: nothing is settled until the sources build.
    broken: bool,
    /// URL paths of the pages open in a browser: rendered first.
    open_pages: Vec<String>,
    /// Above this many pages to render, only the open ones are rendered at once.
    eager_pages: usize,
    /// No file: what settling reads again.
    nothing: HashSet<PathBuf>,
    /// Pages asked for by a browser, made now (see [`Session::make_now`]).
    asked: Vec<String>,
}

/// A URL path as the plan writes it: `/en/` for `en/index.html`.
fn page_url(p: &str) -> String {
    let p = p.strip_suffix("index.html").unwrap_or(p);
    if p.starts_with('/') {
        p.to_string()
    } else {
        format!("/{p}")
    }
}

impl Session {
    /// Starts a session that writes the site of `opts.root` into `dir`, using `scratch` as
    /// scratch space on the same file system, and builds the site. Both folders are the
    /// session's own. Parsed content files come from the site's cache folder when it has
    /// them.
    pub fn start(opts: BuildOptions, dir: PathBuf, scratch: PathBuf) -> (Session, Outcome) {
        let cache = Cache::new(&opts.root, opts.cache_dir.as_deref());
        // Kept as saved: each model built anew decodes the documents it is made from, and
        // the model holds the only decoded copy.
        let documents = Documents::load(&cache.documents(), pipeline::parse_key(&opts));
        let mut s = Session {
            opts,
            dir,
            scratch,
            cache,
            documents,
            inputs: None,
            loaded: None,
            state: BuildState::default(),
            pending: 0,
            broken: false,
            open_pages: Vec::new(),
            eager_pages: EAGER_PAGES,
            nothing: HashSet::new(),
            asked: Vec::new(),
        };
        let outcome = s.run(Change::Everything, false);
        if !s.has_deferred_work() {
            s.save_documents();
        }
        (s, outcome)
    }

    /// The folder being written.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether work was deferred that [`Session::settle`] should do.
    pub fn has_deferred_work(&self) -> bool {
        self.pending > 0 && !self.broken
    }

    /// Tells which pages are open in a browser (URL paths, e.g. `/es/practices/co-city/`):
    /// when a change touches many pages, these are rendered first.
    pub fn set_open_pages(&mut self, pages: impl IntoIterator<Item = String>) {
        self.open_pages = pages.into_iter().map(|p| page_url(&p)).collect();
    }

    /// Makes the deferred pages at `pages` (URL paths asked for by a browser) now, and
    /// nothing else: a page asked for is answered without waiting for its batch.
    pub fn make_now(&mut self, pages: &[String]) -> Outcome {
        if !self.has_deferred_work() {
            return Outcome {
                path: "none",
                ..Outcome::default()
            };
        }
        self.asked = pages.iter().map(|p| page_url(p)).collect();
        let outcome = self.run(Change::Nothing, true);
        self.asked.clear();
        outcome
    }

    /// Sets how many pages a rebuild renders at once before it renders only the open ones
    /// and leaves the rest to [`Session::settle`] (default [`EAGER_PAGES`]).
    pub fn set_eager_pages(&mut self, n: usize) {
        self.eager_pages = n;
    }

    /// Re-reads every input and rebuilds.
    pub fn rebuild_everything(&mut self) -> Outcome {
        self.run(Change::Everything, false)
    }

    /// Rebuilds after `paths` changed (files or folders, created, modified or removed);
    /// does nothing when none of them is an input of the site (casebook.yaml, content/,
    /// themes/, templates/, static/, i18n/, map/).
    pub fn apply(&mut self, paths: &[PathBuf]) -> Outcome {
        let root = crate::output::absolute(&self.opts.root);
        let (mut everything, mut theme, mut found) = (false, false, false);
        let mut named = HashSet::new();
        for path in paths {
            let Ok(rel) = path.strip_prefix(&root) else {
                continue;
            };
            let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
            match parts.next().as_deref() {
                Some(CONFIG_FILE) if parts.next().is_none() => everything = true,
                Some("themes" | "templates" | "static" | "i18n" | "map") => theme = true,
                Some("content") => {
                    // A file that appeared or went, or a folder: the tree is found again.
                    found |= !path.is_file() || !named_before(&self.inputs, &self.opts.root, rel);
                    named.insert(path.clone());
                }
                _ => {}
            }
        }
        let change = if everything {
            Change::Everything
        } else if theme {
            Change::Theme { named, found }
        } else if named.is_empty() {
            return Outcome {
                path: "none",
                ..Outcome::default()
            };
        } else {
            Change::Content { named, found }
        };
        self.run(change, false)
    }

    /// Does some of the deferred work: the indexes, feeds, open data and sitemaps, and up
    /// to [`SETTLE_BATCH`] deferred pages. Call it while [`Session::has_deferred_work`] is
    /// true and nothing else is waiting.
    pub fn settle(&mut self) -> Outcome {
        if !self.has_deferred_work() {
            return Outcome {
                path: "none",
                ..Outcome::default()
            };
        }
        // The parses of the start, encoded before the batch adds what it makes.
        self.documents.encode_all();
        let outcome = self.run(Change::Nothing, true);
        self.save_documents();
        outcome
    }

    /// Saves the parses that changed into the cache folder, for the next session and
    /// build. Not during the start, so that the first page is served sooner, but in the
    /// first batch of deferred work after it: a session stopped before every page is made
    /// (20 s and more at 10,000 practices) does not lose them. They are kept encoded, as
    /// saved: the model holds the decoded copy.
    fn save_documents(&mut self) {
        self.documents.encode_all();
        let _ = self.documents.save(&self.cache.documents());
    }

    /// Reads what `change` says changed, and runs the pipeline into the folder: everything
    /// that changed when settling (a batch of pages at a time), else the open pages first
    /// when many changed.
    fn run(&mut self, change: Change, settling: bool) -> Outcome {
        let started = Instant::now();
        // The inputs: read again when casebook.yaml or the theme changed, the content tree
        // found again when files appeared or went.
        match &change {
            Change::Everything | Change::Theme { .. } => {
                if matches!(change, Change::Everything) {
                    self.loaded = None;
                }
                self.inputs = None;
                match pipeline::inputs(&self.opts) {
                    Ok(i) => self.inputs = Some(i),
                    Err(f) => return self.failed(f.diagnostics, started),
                }
            }
            Change::Content { found: true, .. } => {
                if let Some(inputs) = &mut self.inputs {
                    let (paths, warnings) = crate::input::content::discover(&self.opts.root);
                    inputs.paths = paths;
                    inputs
                        .warnings
                        .retain(|d| d.code != crate::diagnostics::Code::ReadError);
                    inputs.warnings.extend(warnings);
                }
            }
            Change::Content { .. } | Change::Nothing => {}
        }
        let Some(inputs) = self.inputs.clone() else {
            return self.failed(Vec::new(), started);
        };
        // The content files: those named read again (all of them after a bigger change).
        let named = match &change {
            Change::Content {
                named,
                found: false,
            }
            | Change::Theme {
                named,
                found: false,
            } => Some(named),
            Change::Nothing => Some(&self.nothing),
            _ => None,
        };
        let parsed = pipeline::parse_inputs(inputs, &self.opts, &mut self.documents, named);
        // The model: patched when only bodies changed, else built anew.
        let documents = &self.documents;
        let opts = &self.opts;
        let anew = |parsed: Parsed| {
            let docs = documents
                .documents(&parsed.inputs.paths)
                .map_err(|d| pipeline::fail(vec![d]))?;
            pipeline::model(parsed, docs, opts)
        };
        let loaded = match self.loaded.take() {
            Some(mut loaded) => match pipeline::patch(&mut loaded, &parsed, &self.documents) {
                Ok(true) => Ok(loaded),
                Ok(false) => {
                    // Millions of small allocations: freed beside the new model's making.
                    crate::memory::drop_in_background(loaded);
                    anew(parsed)
                }
                Err(f) => {
                    self.loaded = Some(loaded);
                    Err(f)
                }
            },
            None => anew(parsed),
        };
        let loaded = match loaded {
            Ok(l) => l,
            Err(f) => return self.failed(f.diagnostics, started),
        };
        let urgency = if !self.asked.is_empty() {
            Urgency {
                pages: Some(0),
                first: self.asked.clone(),
                defer_files: true,
                defer_indexes: true,
            }
        } else if settling {
            Urgency {
                pages: Some(SETTLE_BATCH),
                first: self.open_pages.clone(),
                defer_files: false,
                defer_indexes: false,
            }
        } else {
            // The first build of a large site makes only the pages open in a browser and
            // leaves the rest for later (the catalogue indexes, feeds, open data and
            // sitemaps too): a page asked for is made at once (see `make_now`), so the
            // first page is served sooner.
            let large = self
                .inputs
                .as_ref()
                .is_some_and(|i| i.paths.len() > self.eager_pages);
            let first = self.state.files.is_empty();
            Urgency {
                pages: Some(if first && large { 0 } else { self.eager_pages }),
                first: self.open_pages.clone(),
                defer_files: !first || large,
                defer_indexes: first && large,
            }
        };
        let sink = match InPlace::begin(&self.dir, &self.scratch, &self.state.files) {
            Ok(s) => s,
            Err(d) => return self.failed(vec![d], started),
        };
        let written = match pipeline::write(&loaded, &self.state, &sink, &urgency) {
            Ok(w) => w,
            Err(errors) => {
                sink.abort();
                let mut all = loaded.warnings.clone();
                all.extend(errors);
                self.loaded = Some(loaded);
                return self.failed(all, started);
            }
        };
        let changed = match sink.commit(&written.state.files) {
            Ok(c) => c,
            Err(d) => return self.failed(vec![d], started),
        };
        self.broken = false;
        self.pending = written.pending;
        self.state = written.state;
        let mut warnings = loaded.warnings.clone();
        warnings.extend(written.warnings);
        diagnostics::sort_and_dedup(&mut warnings);
        self.loaded = Some(loaded);
        let mut outcome = Outcome {
            warnings,
            rendered: written.rendered,
            written: changed.written.len(),
            removed: changed.removed.len(),
            path: if !self.asked.is_empty() {
                "asked"
            } else if settling {
                "pages"
            } else {
                "build"
            },
            ..Outcome::default()
        };
        for rel in &changed.written {
            note_change(&mut outcome, rel);
        }
        outcome.elapsed = started.elapsed();
        outcome
    }

    fn failed(&mut self, mut diags: Vec<Diagnostic>, started: Instant) -> Outcome {
        self.broken = true;
        diagnostics::sort_and_dedup(&mut diags);
        let (errors, warnings) = diags.into_iter().partition(Diagnostic::is_error);
        Outcome {
            errors,
            warnings,
            path: "none",
            elapsed: started.elapsed(),
            ..Outcome::default()
        }
    }
}

/// What changed since the last rebuild.
enum Change {
    /// casebook.yaml, or everything (the first build).
    Everything,
    /// The theme or the site's templates, static files, UI strings or map; with the
    /// content files `named` in the same batch, and whether files or folders appeared or
    /// went there (parsing does not depend on the theme: the other content files are
    /// taken from the cache).
    Theme {
        named: HashSet<PathBuf>,
        found: bool,
    },
    /// Content files: those `named`; `found` when files or folders appeared or went.
    Content {
        named: HashSet<PathBuf>,
        found: bool,
    },
    /// Nothing: deferred work is done.
    Nothing,
}

/// Whether the file at `rel` in the site at `root` is a content file the last rebuild
/// found (found under `root` as given: `./content/…` when serving `.`).
fn named_before(inputs: &Option<Inputs>, root: &Path, rel: &Path) -> bool {
    // As the content tree was found: the root as given, joined with the path below it.
    let path = root.join(rel);
    inputs.as_ref().is_some_and(|i| {
        i.paths
            .iter()
            .any(|(_, p)| p.as_os_str() == path.as_os_str())
    })
}

/// Notes a written file: a page's URL path, a stylesheet, or another asset.
fn note_change(outcome: &mut Outcome, rel: &str) {
    const ASSETS: [&str; 10] = [
        ".js", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".woff", ".woff2",
    ];
    if rel == "index.html" {
        outcome.pages.push("/".into());
    } else if let Some(dir) = rel.strip_suffix("/index.html") {
        outcome.pages.push(format!("/{dir}/"));
    } else if rel.ends_with(".html") {
        outcome.pages.push(format!("/{rel}"));
    } else if rel.ends_with(".css") {
        outcome.stylesheets.push(format!("/{rel}"));
    } else if ASSETS.iter().any(|e| rel.ends_with(e)) {
        outcome.assets = true;
    }
}
