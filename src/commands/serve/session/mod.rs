//! The incremental build behind `serve`: it keeps what the last build loaded, parsed and
//! wrote, and after a change re-reads, re-parses and re-renders only what the change
//! touches, using the render plan's dependencies. The result is always the tree that a
//! fresh `casebook build` with the same options writes.
//!
//! A rebuild goes through the steps of a build (config, theme, sources, documents, model,
//! plan, render), with caches in between:
//!
//! - **inputs**: casebook.yaml, the theme and each content file are re-read only when the
//!   watcher names them, and a content file is re-parsed only when its text changed;
//! - **model**: when the only change is the Markdown body of files the last build had, the
//!   new bodies are swapped into its model (their links resolved as a build resolves them);
//!   any other content change rebuilds the model from the cached documents, and a change
//!   of templates or static files alone leaves the model as it is;
//! - **render**: every practice and page has fingerprints of what its own page shows and of
//!   what its card shows. A planned page is rendered again only when one of its plan
//!   dependencies changed fingerprint, its template (or one it extends or includes)
//!   changed, or it is new. The index, sitemap, feeds, open data and static files are
//!   recomputed when what they are made of changed. Every file is written only if its
//!   bytes changed;
//! - **deferred**: after a content change, the search index, sitemap, feeds and open data
//!   are brought up to date by [`Session::settle`], after the reload, so that the edited page
//!   comes first. When a change touches many pages (a template used by every practice), the
//!   pages open in a browser are rendered first and the others by `settle`, in batches.
//!
//! A rebuild that finds a problem writes nothing: the last good site stays. Changed files
//! go into a staging folder first and are renamed into place only when the whole rebuild
//! succeeded; each rename is atomic, so a page being served is always a whole file.

mod inputs;
mod prints;
mod rebuild;
mod stage;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tera::Tera;

use crate::commands::build::BuildOptions;
use crate::diagnostics::{self, Diagnostic};
use crate::document::Document;
use crate::incremental::fingerprints::{PageChanges, Prints};
use crate::index::LanguageIndex;
use crate::input::config::{self, Config};
use crate::input::content::Section;
use crate::model::Site;
use crate::plan::Planned;
use crate::render::TemplateFiles;
use crate::theme::Theme;
use crate::theme::i18n::I18n;

/// Kinds of output, for recomputing and pruning outputs kind by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    /// A planned page.
    Page,
    /// A file of the theme's or the site's `static/`.
    Static,
    /// The catalogue indexes.
    Index,
    /// Sitemaps, feeds and open data.
    Published,
    /// The marker of a folder written by casebook.
    Marker,
}

/// A file of the output, as last written.
#[derive(Debug, Clone, Copy)]
struct Written {
    hash: u64,
    kind: Kind,
}

/// A content file as last read, with its parse.
#[derive(Debug, Clone)]
enum Cached {
    /// The file could not be read, or its name is not valid.
    Unreadable(Diagnostic),
    /// Read, and parsed or not.
    Read {
        text_hash: u64,
        result: Result<Document, Vec<Diagnostic>>,
    },
}

type Engine = Arc<(Tera, TemplateFiles)>;

/// The last rebuild that succeeded: what the output folder was made from.
struct Good {
    config_text: String,
    theme: Arc<Theme>,
    i18n: Arc<I18n>,
    engine: Engine,
    site: Site,
    plan: Vec<Planned>,
    index: Vec<LanguageIndex>,
    prints: Prints,
}

/// Everything read from disk, possibly broken.
#[derive(Default)]
struct Inputs {
    config_text: Option<String>,
    config: Option<Config>,
    config_diags: Vec<Diagnostic>,
    theme: Option<Arc<Theme>>,
    i18n: Option<Arc<I18n>>,
    engine: Option<Engine>,
    theme_diags: Vec<Diagnostic>,
    discover_diags: Vec<Diagnostic>,
    files: BTreeMap<(Section, PathBuf), Cached>,
    /// Files re-read with a new text (or unreadable) since the last good rebuild.
    changed: BTreeSet<(Section, PathBuf)>,
    /// Files appeared or disappeared since the last good rebuild.
    tree_changed: bool,
}

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
    /// How the rebuild went: `full`, `model`, `body`, `templates`, `static`, `index` or
    /// `none`.
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

/// What a rebuild must produce again.
#[derive(Debug, Default)]
struct Dirty {
    /// The pages to render again.
    render: PageChanges,
    statics: bool,
    published: bool,
    index: bool,
    /// Settling: render deferred pages (a batch of them), whether open or not.
    settle: bool,
}

/// What one rebuild renders from.
struct View<'a> {
    site: &'a Site,
    plan: &'a [Planned],
    /// Whether the plan differs from the good build's: pages may have appeared or gone.
    plan_changed: bool,
    index: &'a [LanguageIndex],
    theme: &'a Theme,
    i18n: &'a I18n,
    engine: &'a (Tera, TemplateFiles),
}

/// A file written into the staging folder, waiting to be renamed into place.
struct Staged {
    rel: String,
    tmp: PathBuf,
    hash: u64,
    kind: Kind,
}

/// Rendered and staged, not yet in place.
struct Prepared {
    staged: Vec<Staged>,
    stale: Vec<String>,
    rendered: usize,
    /// Pages rendered (whether or not their bytes changed): no longer deferred.
    done: Vec<String>,
    /// Pages that need rendering but were left for `settle`.
    later: Vec<String>,
    index: Option<Vec<LanguageIndex>>,
}

/// The incremental builder of one served site.
pub struct Session {
    opts: BuildOptions,
    root: PathBuf,
    dir: PathBuf,
    staging: PathBuf,
    inputs: Inputs,
    good: Option<Good>,
    tree: HashMap<String, Written>,
    /// The map asset changed since the last good build.
    map_changed: bool,
    /// The good model was patched by a rebuild that then failed: rebuild it next time.
    model_stale: bool,
    /// The search index, sitemap, feeds and open data lag behind the last changes.
    deferred: bool,
    /// Pages (output files) that lag behind the last changes, left for `settle`.
    deferred_pages: BTreeSet<String>,
    /// URL paths of the pages open in a browser: rendered first.
    open_pages: HashSet<String>,
    /// Above this many pages to render, only the open ones are rendered at once.
    eager_pages: usize,
    /// Trash folders made so far (each is emptied in the background).
    trash_count: usize,
}

/// Above this many pages to render, a rebuild renders the open pages first.
pub const EAGER_PAGES: usize = 200;

/// How many deferred pages one call of [`Session::settle`] renders.
pub const SETTLE_BATCH: usize = 1000;

impl Session {
    /// Starts a session that writes the site of `opts.root` into `dir`, using `staging` as
    /// scratch space on the same file system, and builds the site in full. Both folders
    /// are the session's own: `dir` is created if needed and should be empty.
    pub fn start(opts: BuildOptions, dir: PathBuf, staging: PathBuf) -> (Session, Outcome) {
        let root = crate::output::absolute(&opts.root);
        let _ = std::fs::create_dir_all(&dir);
        let mut s = Session {
            opts,
            root,
            dir,
            staging,
            inputs: Inputs::default(),
            good: None,
            tree: HashMap::new(),
            map_changed: false,
            model_stale: false,
            deferred: false,
            deferred_pages: BTreeSet::new(),
            open_pages: HashSet::new(),
            eager_pages: EAGER_PAGES,
            trash_count: 0,
        };
        let outcome = s.rebuild_everything();
        (s, outcome)
    }

    /// The folder being written.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether work was deferred that [`Session::settle`] should do.
    pub fn has_deferred_work(&self) -> bool {
        (self.deferred || !self.deferred_pages.is_empty()) && self.good.is_some()
    }

    /// Tells which pages are open in a browser (URL paths, e.g. `/es/practices/co-city/`):
    /// when a change touches many pages, these are rendered first.
    pub fn set_open_pages(&mut self, pages: impl IntoIterator<Item = String>) {
        self.open_pages = pages
            .into_iter()
            .map(|p| {
                let p = p.strip_suffix("index.html").unwrap_or(&p).to_string();
                if p.starts_with('/') {
                    p
                } else {
                    format!("/{p}")
                }
            })
            .collect();
    }

    /// Sets how many pages a rebuild renders at once before it renders only the open ones
    /// and leaves the rest to [`Session::settle`] (default [`EAGER_PAGES`]).
    pub fn set_eager_pages(&mut self, n: usize) {
        self.eager_pages = n;
    }

    /// Re-reads every input and rebuilds.
    pub fn rebuild_everything(&mut self) -> Outcome {
        let started = Instant::now();
        self.reload_config();
        self.inputs.files.clear();
        self.inputs.tree_changed = true;
        self.rescan_content(None);
        self.map_changed = true;
        self.rebuild(started, true)
    }

    /// Rebuilds after `paths` changed: files or folders, created, modified or removed.
    pub fn apply(&mut self, paths: &[PathBuf]) -> Outcome {
        let started = Instant::now();
        let theme_name = self.inputs.config.as_ref().map(|c| c.theme.clone());
        let (mut config, mut theme) = (false, false);
        let mut content: Vec<PathBuf> = Vec::new();
        for path in paths {
            let Ok(rel) = path.strip_prefix(&self.root) else {
                continue;
            };
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            match parts.first().map(String::as_str) {
                Some(config::CONFIG_FILE) if parts.len() == 1 => config = true,
                Some("content") => content.push(path.clone()),
                Some("templates" | "static" | "i18n") => theme = true,
                Some("map") => {
                    theme = true;
                    self.map_changed = true;
                }
                Some("themes") if parts.len() < 2 || parts.get(1) == theme_name.as_ref() => {
                    theme = true;
                    if parts.len() <= 2 || parts[2] == "map" {
                        self.map_changed = true;
                    }
                }
                _ => {}
            }
        }
        if config {
            let text = std::fs::read_to_string(self.root.join(config::CONFIG_FILE)).ok();
            if text != self.inputs.config_text || self.inputs.config.is_none() {
                return self.rebuild_everything();
            }
        }
        if !theme && content.is_empty() {
            return Outcome {
                path: "none",
                elapsed: started.elapsed(),
                ..Outcome::default()
            };
        }
        if theme {
            self.reload_theme();
        }
        if !content.is_empty() {
            self.update_content(&content);
        }
        self.rebuild(started, false)
    }

    /// Does some of the deferred work: first the search index, sitemap, feeds and open data,
    /// then the deferred pages, [`SETTLE_BATCH`] at a time. Call it while
    /// [`Session::has_deferred_work`] is true and nothing else is waiting.
    pub fn settle(&mut self) -> Outcome {
        let started = Instant::now();
        if !self.has_deferred_work() {
            return Outcome {
                path: "none",
                elapsed: started.elapsed(),
                ..Outcome::default()
            };
        }
        let dirty = Dirty {
            index: self.deferred,
            published: self.deferred,
            settle: true,
            ..Dirty::default()
        };
        let prepared = {
            let g = self.good.as_ref().expect("checked by has_deferred_work");
            let view = View {
                site: &g.site,
                plan: &g.plan,
                plan_changed: false,
                index: &g.index,
                theme: &g.theme,
                i18n: &g.i18n,
                engine: &g.engine,
            };
            self.prepare(&view, &dirty)
        };
        match prepared {
            Err(errors) => failed(errors, started),
            Ok(p) => {
                let what = if self.deferred { "index" } else { "pages" };
                let (outcome, index) = self.commit(p, what, started);
                if let (Some(g), Some(index)) = (self.good.as_mut(), index) {
                    g.index = index;
                }
                self.deferred = false;
                outcome
            }
        }
    }
}

pub(super) fn failed(mut diags: Vec<Diagnostic>, started: Instant) -> Outcome {
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
