//! `casebook check`: everything a build checks, without writing anything (templates are
//! rendered in memory and thrown away, links, anchors and images checked as a build checks
//! them), plus what a build lets pass: translation coverage, UI strings missing in a
//! language, terms that are declared but unused, and a CMS admin that no longer matches
//! casebook.yaml.

pub mod coverage;
pub mod vocabulary;

use std::time::{Duration, Instant};

use crate::commands::build::BuildOptions;
use crate::diagnostics::{self, Code, Diagnostic, Severity};
use crate::incremental::{Cache, Documents};
use crate::pipeline;
use crate::plan;
use crate::render::{self, AssetUrls, Renderer};

pub use coverage::Coverage;

/// What to check, and how.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The site, its base URL and whether drafts count, as for a build.
    pub build: BuildOptions,
    /// Warning codes not to report (`--allow untranslated`).
    pub allow: Vec<Code>,
}

impl CheckOptions {
    /// Options for checking the site at `root`.
    pub fn new(root: impl Into<std::path::PathBuf>) -> Self {
        CheckOptions {
            build: BuildOptions::new(root),
            allow: Vec::new(),
        }
    }
}

/// What `check` found.
#[derive(Debug)]
pub struct CheckReport {
    /// Every problem, errors and warnings, sorted by place.
    pub diagnostics: Vec<Diagnostic>,
    /// Which practices exist in which languages; `None` when the site did not load.
    pub coverage: Option<Coverage>,
    /// Pages rendered in memory.
    pub pages: usize,
    /// Wall time.
    pub elapsed: Duration,
}

impl CheckReport {
    /// The number of errors.
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    /// The number of warnings.
    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// Whether the site passes: no errors, and no warnings either when they are denied.
    pub fn passed(&self, deny_warnings: bool) -> bool {
        self.errors() == 0 && (!deny_warnings || self.warnings() == 0)
    }
}

/// Checks the site. Never writes a file.
pub fn check(opts: &CheckOptions) -> CheckReport {
    let started = Instant::now();
    let finish = |mut diags: Vec<Diagnostic>, coverage, pages| {
        diags.retain(|d| d.is_error() || !opts.allow.contains(&d.code));
        diagnostics::sort_and_dedup(&mut diags);
        CheckReport {
            diagnostics: diags,
            coverage,
            pages,
            elapsed: started.elapsed(),
        }
    };
    // Pages are rendered in memory with plain asset URLs: nothing is published.
    let build = BuildOptions {
        assets: AssetUrls::Plain,
        ..opts.build.clone()
    };
    let cache = Cache::new(&build.root, build.cache_dir.as_deref());
    let mut documents = Documents::load(&cache.documents(), pipeline::parse_key(&build));
    let loaded = match pipeline::load(&build, &mut documents) {
        Ok(l) => l,
        Err(failure) => return finish(failure.diagnostics, None, 0),
    };
    let site = &loaded.site;
    let mut diags = loaded.warnings.clone();
    let plan = plan::plan(site);
    diags.extend(pipeline::collisions(&loaded, &plan));
    let images = crate::images::Images::probe(site, &loaded.theme, Some(loaded.cache.images()));
    diags.extend(images.diagnostics(site));
    diags.extend(share_card_errors(&loaded));
    let renderer =
        Renderer::new(site, &loaded.i18n, &loaded.theme, &loaded.engine, &[]).with_images(&images);
    diags.extend(render::errors(&renderer, &plan));
    diags.extend(pipeline::references(site, &loaded.theme, &plan));
    let coverage = Coverage::of(site);
    diags.extend(coverage.warnings(site));
    diags.extend(crate::model::translations::unrecorded_warnings(site));
    let config_text = crate::input::files::read_regular(
        &opts.build.root.join(crate::input::config::CONFIG_FILE),
        crate::input::files::MAX_TEXT_FILE_BYTES,
    )
    .ok()
    .and_then(|b| String::from_utf8(b).ok());
    diags.extend(vocabulary::unused(site, config_text.as_deref()));
    diags.extend(crate::commands::cms::out_of_sync(
        &opts.build.root,
        &site.config,
        &loaded.i18n,
    ));
    // Counted as a build counts them: the HTML pages (not the feeds, sitemap or data).
    let pages = plan.iter().filter(|p| p.file().ends_with(".html")).count();
    finish(diags, Some(coverage), pages)
}

/// The problems of the share card template, when the site draws cards (`share_cards:
/// drawn`): each card's SVG made, the first one drawn.
fn share_card_errors(loaded: &pipeline::Loaded) -> Vec<Diagnostic> {
    use crate::images::share_card;
    use crate::render::share_card::CardTemplate;
    if loaded.site.config.share_cards != crate::input::config::ShareCards::Drawn {
        return Vec::new();
    }
    match CardTemplate::load(&loaded.theme) {
        Err(d) => d,
        Ok(None) => Vec::new(),
        Ok(Some(t)) => {
            let cards = share_card::plan(&loaded.site, &loaded.i18n, &loaded.theme, Some(t.text()));
            t.errors(&cards, loaded.theme.map.as_ref())
        }
    }
}
