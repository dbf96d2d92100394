//! The pipeline, end to end: config → sources → documents → site model → plan → render →
//! output. Every step reports all the problems it finds; nothing is written unless all pass.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::diagnostics::{self, Diagnostic};
use crate::document::{self, Document};
use crate::i18n::I18n;
use crate::model::{self, Site};
use crate::output::Staging;
use crate::plan::{self, Planned};
use crate::render::{self, AssetUrls};
use crate::source;
use crate::theme::Theme;

/// What to build, and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root (holding casebook.yaml).
    pub root: PathBuf,
    /// Destination; default `<root>/output`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` (preview deploys, serve).
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Fingerprinted or plain asset URLs.
    pub assets: AssetUrls,
}

impl BuildOptions {
    /// Options for building the site at `root` with defaults.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            assets: AssetUrls::Fingerprinted,
        }
    }

    /// The destination folder.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("output"))
    }
}

/// Time spent per phase.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// Reading config, theme, i18n and content files.
    pub load: Duration,
    /// Front matter and Markdown.
    pub parse: Duration,
    /// Grouping, checks, facets, related practices.
    pub model: Duration,
    /// Planning outputs.
    pub plan: Duration,
    /// The catalogue's search and facet index.
    pub index: Duration,
    /// Templates and writing files.
    pub render: Duration,
    /// Swapping the output in.
    pub commit: Duration,
}

/// A successful build.
#[derive(Debug)]
pub struct BuildSummary {
    /// HTML pages rendered.
    pub pages: usize,
    /// Files written in all.
    pub files: usize,
    /// Languages.
    pub languages: usize,
    /// Practices.
    pub practices: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// Per phase.
    pub timings: Timings,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
    /// Where the site was written.
    pub output: PathBuf,
}

/// A failed build: every problem found, errors and warnings, sorted by place.
#[derive(Debug)]
pub struct BuildFailure {
    /// The problems.
    pub diagnostics: Vec<Diagnostic>,
}

/// Everything loaded and checked, ready to render.
pub struct Loaded {
    /// The model.
    pub site: Site,
    /// The theme.
    pub theme: Arc<Theme>,
    /// UI strings.
    pub i18n: Arc<I18n>,
    /// Warnings so far.
    pub warnings: Vec<Diagnostic>,
    /// Per phase.
    pub timings: Timings,
}

/// Loads and checks the whole site without writing anything.
pub fn load(opts: &BuildOptions) -> Result<Loaded, BuildFailure> {
    let mut timings = Timings::default();
    let started = Instant::now();
    let root = &opts.root;
    let (config, mut diags) = config::load(root, opts.base_url.as_deref());
    let Some(config) = config else {
        return Err(fail(diags));
    };
    let theme = match Theme::load(root, &config) {
        Ok(t) => Some(Arc::new(t)),
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    let i18n = theme.as_ref().map(|t| {
        let (i18n, d) = I18n::load(&t.i18n_files, &config.languages, &config.default_language);
        diags.extend(d);
        Arc::new(i18n)
    });
    let (files, d) = source::load(root, &config);
    diags.extend(d);
    timings.load = started.elapsed();

    let t = Instant::now();
    let (docs, broken) = parse_all(&files, &config, &mut diags);
    timings.parse = t.elapsed();

    let t = Instant::now();
    let (site, d) = model::build(config, docs, opts.drafts, &broken);
    diags.extend(d);
    timings.model = t.elapsed();

    match (site, theme, i18n) {
        (Some(site), Some(theme), Some(i18n)) if !diags.iter().any(Diagnostic::is_error) => {
            Ok(Loaded {
                site,
                theme,
                i18n,
                warnings: diags,
                timings,
            })
        }
        _ => Err(fail(diags)),
    }
}

/// Parses documents in parallel, collecting their problems. Also returns the slugs of
/// practices with a file that did not parse.
pub fn parse_all(
    files: &[source::SourceFile],
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Document>, BTreeSet<String>) {
    let results: Vec<Result<Document, Vec<Diagnostic>>> = files
        .par_iter()
        .map(|f| document::parse(f, config))
        .collect();
    let mut docs = Vec::with_capacity(results.len());
    let mut broken = BTreeSet::new();
    for (file, r) in files.iter().zip(results) {
        match r {
            Ok(d) => docs.push(d),
            Err(d) => {
                diags.extend(d);
                if file.section == source::Section::Practices {
                    broken.insert(file.slug.clone());
                }
            }
        }
    }
    (docs, broken)
}

fn fail(mut diags: Vec<Diagnostic>) -> BuildFailure {
    diagnostics::sort_and_dedup(&mut diags);
    BuildFailure { diagnostics: diags }
}

/// Renders a loaded site into `dest`, all or nothing.
pub fn write(
    loaded: Loaded,
    opts: &BuildOptions,
    dest: &Path,
    started: Instant,
) -> Result<BuildSummary, BuildFailure> {
    let Loaded {
        site,
        theme,
        i18n,
        mut warnings,
        mut timings,
    } = loaded;
    let t = Instant::now();
    let plan: Vec<Planned> = plan::plan(&site);
    timings.plan = t.elapsed();

    let t = Instant::now();
    let labels = |tax, key: &str, lang: &str| {
        render::context::term_label(&site.config, &i18n, tax, key, lang)
    };
    let index = crate::index::build(&site, &labels, theme.map.as_ref());
    timings.index = t.elapsed();

    let (tera, files) = render::engine(&theme, &site.config, &i18n, opts.assets).map_err(|d| {
        let mut all = warnings.clone();
        all.extend(d);
        fail(all)
    })?;
    let staging = Staging::begin(&opts.root, dest).map_err(|d| fail(vec![d]))?;
    let t = Instant::now();
    let result = render::render_all(&site, &plan, &index, &tera, &files, &i18n, &theme, &staging);
    timings.render = t.elapsed();
    warnings.extend(i18n.missing_warnings());
    let written = match result {
        Ok(n) => n,
        Err(errors) => {
            staging.abort();
            warnings.extend(errors);
            return Err(fail(warnings));
        }
    };
    let t = Instant::now();
    let output = staging.commit().map_err(|d| fail(vec![d]))?;
    timings.commit = t.elapsed();
    diagnostics::sort_and_dedup(&mut warnings);
    Ok(BuildSummary {
        pages: plan.iter().filter(|p| p.file().ends_with(".html")).count(),
        files: written,
        languages: site.config.languages.len(),
        practices: site.practices.len(),
        elapsed: started.elapsed(),
        timings,
        warnings,
        output,
    })
}

/// Builds the site: loads, checks, renders and swaps the output in.
pub fn build(opts: &BuildOptions) -> Result<BuildSummary, BuildFailure> {
    let started = Instant::now();
    let dest = opts.output_dir();
    // Refuse a bad destination before doing any work.
    crate::output::check_destination(&opts.root, &dest).map_err(|d| fail(vec![d]))?;
    let loaded = load(opts)?;
    write(loaded, opts, &dest, started)
}
