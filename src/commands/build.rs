//! The pipeline, end to end: config → sources → documents → site model → plan → render →
//! output. Every step reports all the problems it finds; nothing is written unless all pass.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diagnostics::{self, Diagnostic};
use crate::document::{self, BodyHtml, Document};
use crate::incremental::PageInputs;
use crate::input::config::{self, Config};
use crate::input::content;
use crate::model::{self, Site};
use crate::output::Staging;
use crate::plan::{self, Planned};
use crate::render::{self, AssetUrls};
use crate::theme::Theme;
use crate::theme::i18n::I18n;

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
    /// Reading config, theme and i18n files, and finding content files.
    pub load: Duration,
    /// Reading content files, front matter and Markdown.
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
    /// HTML pages in the output.
    pub pages: usize,
    /// Pages rendered: the others were kept from the last build, their inputs unchanged
    /// (see [`crate::incremental`]).
    pub rendered: usize,
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
    /// Whether the output was already up to date (same inputs, untouched), so that nothing
    /// was rendered or written.
    pub up_to_date: bool,
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
    /// A hash of everything the build reads (see [`inputs_hash`]).
    pub inputs: u64,
    /// A hash of its settings (see [`settings_hash`]).
    pub settings: u64,
}

/// A hash of how the site is built, besides its content and templates: casebook itself,
/// the options, casebook.yaml, UI strings, static files (by size and modification time) and
/// map. Pages of two builds with the same settings differ only where their content or
/// templates do (see [`crate::incremental`]).
pub fn settings_hash(opts: &BuildOptions, config: &Config, theme: &Theme) -> u64 {
    use std::hash::Hasher;
    use std::os::unix::fs::MetadataExt;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut put = |bytes: &[u8]| {
        h.write_u64(bytes.len() as u64);
        h.write(bytes);
    };
    let stamp = |path: &Path| -> String {
        std::fs::metadata(path)
            .map(|m| format!("{} {} {}", m.len(), m.mtime(), m.mtime_nsec()))
            .unwrap_or_default()
    };
    put(env!("CARGO_PKG_VERSION").as_bytes());
    if let Ok(exe) = std::env::current_exe() {
        put(stamp(&exe).as_bytes());
    }
    put(format!("{:?} {} {:?}", opts.base_url, opts.drafts, opts.assets).as_bytes());
    put(&std::fs::read(opts.root.join(config::CONFIG_FILE)).unwrap_or_default());
    for f in &theme.i18n_files {
        put(f.rel.as_bytes());
        put(f.text.as_bytes());
    }
    for (name, f) in &theme.static_files {
        put(name.as_bytes());
        match &f.source {
            crate::theme::FileSource::Disk(path) => put(stamp(path).as_bytes()),
            crate::theme::FileSource::Embedded(bytes) => {
                put(&xxhash_rust::xxh3::xxh3_64(bytes).to_le_bytes())
            }
        }
    }
    let map = crate::theme::map::MAP_FILE;
    put(stamp(&opts.root.join(map)).as_bytes());
    put(stamp(&opts.root.join("themes").join(&config.theme).join(map)).as_bytes());
    h.digest()
}

/// A hash of everything a build reads and of how it was asked for: its settings (see
/// [`settings_hash`]), the theme's and the site's templates, and every content file
/// (`contents`: path and hash of its text). Two builds with the same hash write the same
/// bytes.
pub fn inputs_hash(settings: u64, theme: &Theme, contents: &[(PathBuf, u64)]) -> u64 {
    use std::hash::Hasher;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut put = |bytes: &[u8]| {
        h.write_u64(bytes.len() as u64);
        h.write(bytes);
    };
    put(&settings.to_le_bytes());
    for (name, t) in &theme.templates {
        put(name.as_bytes());
        put(t.text.as_bytes());
    }
    for (path, hash) in contents {
        put(path.as_os_str().as_encoded_bytes());
        put(&hash.to_le_bytes());
    }
    h.digest()
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
    let (paths, d) = content::discover(root);
    diags.extend(d);
    timings.load = started.elapsed();

    let t = Instant::now();
    let (docs, broken, contents) = read_and_parse(root, &paths, &config, &mut diags);
    timings.parse = t.elapsed();

    let t = Instant::now();
    let (site, d) = model::build(config, docs, opts.drafts, &broken);
    diags.extend(d);
    timings.model = t.elapsed();

    match (site, theme, i18n) {
        (Some(site), Some(theme), Some(i18n)) if !diags.iter().any(Diagnostic::is_error) => {
            let settings = settings_hash(opts, &site.config, &theme);
            let inputs = inputs_hash(settings, &theme, &contents);
            Ok(Loaded {
                site,
                theme,
                i18n,
                warnings: diags,
                timings,
                inputs,
                settings,
            })
        }
        _ => Err(fail(diags)),
    }
}

/// A content file's part of [`inputs_hash`]: its path under `root` and a hash of its text.
fn content_entry(root: &Path, path: &Path, text: &str) -> (PathBuf, u64) {
    let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    (rel, xxhash_rust::xxh3::xxh3_64(text.as_bytes()))
}

/// Reads and parses the content files at `paths` (from [`content::discover`]) in parallel,
/// each file dropped once parsed, so that the texts of a large site are never all in memory
/// at once. Collects their problems; also returns the slugs of practices with a file that
/// did not parse, and each file's path with a hash of its text (for [`inputs_hash`]).
#[allow(clippy::type_complexity)]
pub fn read_and_parse(
    root: &Path,
    paths: &[(content::Section, PathBuf)],
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Document>, BTreeSet<String>, Vec<(PathBuf, u64)>) {
    let results: Vec<(
        (PathBuf, u64),
        Result<Document, (Vec<Diagnostic>, Option<String>)>,
    )> = paths
        .par_iter()
        .map(|(section, path)| {
            let file = match content::read(root, config, *section, path) {
                Ok(f) => f,
                Err(d) => return (content_entry(root, path, ""), Err((vec![d], None))),
            };
            let entry = content_entry(root, path, &file.text);
            let doc = document::parse_as(&file, config, BodyHtml::Deferred).map_err(|d| {
                let broken = (file.section == content::Section::Practices).then_some(file.slug);
                (d, broken)
            });
            (entry, doc)
        })
        .collect();
    let mut docs = Vec::with_capacity(results.len());
    let mut broken = BTreeSet::new();
    let mut contents = Vec::with_capacity(results.len());
    for (entry, r) in results {
        contents.push(entry);
        match r {
            Ok(d) => docs.push(d),
            Err((d, slug)) => {
                diags.extend(d);
                broken.extend(slug);
            }
        }
    }
    (docs, broken, contents)
}

/// Parses documents in parallel, collecting their problems. Also returns the slugs of
/// practices with a file that did not parse.
pub fn parse_all(
    files: &[content::SourceFile],
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
                if file.section == content::Section::Practices {
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
        inputs,
        settings,
    } = loaded;
    let t = Instant::now();
    let plan: Vec<Planned> = plan::plan(&site);
    timings.plan = t.elapsed();
    let pages = plan.iter().filter(|p| p.file().ends_with(".html")).count();

    let t = Instant::now();
    let labels = |tax, key: &str, lang: &str| {
        render::context::term_label(&site.config, &i18n, tax, key, lang)
    };
    let index = crate::index::build(&site, &labels, theme.map.as_ref());
    timings.index = t.elapsed();
    // The plain text of the bodies only feeds the search index: free it before rendering.
    let mut site = site;
    site.drop_search_text();

    let (tera, files) = render::engine(&theme, &site.config, &i18n, opts.assets).map_err(|d| {
        let mut all = warnings.clone();
        all.extend(d);
        fail(all)
    })?;
    let staging = Staging::begin(&opts.root, dest).map_err(|d| fail(vec![d]))?;
    let t = Instant::now();
    // What the pages are made of, against what the last build's were: the pages whose
    // inputs did not change are kept (and ask again for what they asked for).
    let mut page_inputs = PageInputs::of(&site, settings, &theme, &index);
    let last = staging
        .previous()
        .prints
        .as_deref()
        .and_then(PageInputs::parse);
    let unchanged = last
        .as_ref()
        .and_then(|last| page_inputs.since(last, &site, &theme));
    let result = render::render_all(
        &site,
        &plan,
        &index,
        &tera,
        &files,
        &i18n,
        &theme,
        &staging,
        unchanged.as_ref(),
    );
    timings.render = t.elapsed();
    warnings.extend(i18n.missing_warnings());
    let written = match result {
        Ok(w) => w,
        Err(errors) => {
            staging.abort();
            warnings.extend(errors);
            return Err(fail(warnings));
        }
    };
    let t = Instant::now();
    diagnostics::sort_and_dedup(&mut warnings);
    let recorded = crate::output::Recorded {
        pages,
        practices: site.practices.len(),
        languages: site.config.languages.len(),
        warnings: warnings.clone(),
    };
    page_inputs.note_asks(written.asks);
    let output = staging
        .commit(Some(inputs), Some(recorded), page_inputs.to_json())
        .map_err(|d| fail(vec![d]))?;
    timings.commit = t.elapsed();
    let (languages, practices) = (site.config.languages.len(), site.practices.len());
    crate::memory::drop_in_background((site, index, plan, tera));
    Ok(BuildSummary {
        pages,
        rendered: written.rendered,
        files: written.files,
        languages,
        practices,
        elapsed: started.elapsed(),
        timings,
        warnings,
        output,
        up_to_date: false,
    })
}

/// Builds the site: loads, checks, renders and swaps the output in.
pub fn build(opts: &BuildOptions) -> Result<BuildSummary, BuildFailure> {
    let started = Instant::now();
    let dest = opts.output_dir();
    // Refuse a bad destination before doing any work.
    crate::output::check_destination(&opts.root, &dest).map_err(|d| fail(vec![d]))?;
    if let Some(summary) = already_built(opts, &dest, started) {
        return Ok(summary);
    }
    let loaded = load(opts)?;
    write(loaded, opts, &dest, started)
}

/// The short way for an unchanged rebuild: when `dest` was written by a build of exactly
/// these inputs (the same hash, see [`inputs_hash`]) and is as that build left it, its
/// summary and warnings come from its manifest, and nothing is parsed, rendered or written.
/// Reading and hashing the content files is all the work. `None` sends the build the long
/// way, which reports any problem.
fn already_built(opts: &BuildOptions, dest: &Path, started: Instant) -> Option<BuildSummary> {
    let current = crate::output::Manifest::read(dest);
    let recorded = current.recorded.as_ref()?;
    let inputs = current.inputs?;
    let (config, diags) = config::load(&opts.root, opts.base_url.as_deref());
    let config = config.filter(|_| !diags.iter().any(Diagnostic::is_error))?;
    let theme = Theme::load(&opts.root, &config).ok()?;
    let (paths, diags) = content::discover(&opts.root);
    if diags.iter().any(Diagnostic::is_error) {
        return None;
    }
    let mut timings = Timings {
        load: started.elapsed(),
        ..Timings::default()
    };
    let t = Instant::now();
    let contents: Option<Vec<(PathBuf, u64)>> = paths
        .par_iter()
        .map(|(section, path)| {
            let file = content::read(&opts.root, &config, *section, path).ok()?;
            Some(content_entry(&opts.root, path, &file.text))
        })
        .collect();
    timings.parse = t.elapsed();
    if inputs_hash(settings_hash(opts, &config, &theme), &theme, &contents?) != inputs {
        return None;
    }
    let t = Instant::now();
    if !current.verify(dest) {
        return None;
    }
    timings.commit = t.elapsed();
    Some(BuildSummary {
        pages: recorded.pages,
        rendered: 0,
        files: current.files.len(),
        languages: recorded.languages,
        practices: recorded.practices,
        elapsed: started.elapsed(),
        timings,
        warnings: recorded.warnings.clone(),
        output: crate::output::absolute(dest),
        up_to_date: true,
    })
}
