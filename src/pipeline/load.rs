//! Input, document, model: the site read, parsed and checked, nothing written.

use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use tera::Tera;

use super::settings::{inputs_hash, settings_hash};
use super::{BuildFailure, BuildOptions, Timings, fail};
use crate::diagnostics::Diagnostic;
use crate::document::Document;
use crate::incremental::{Documents, ModelPrints, Read};
use crate::input::config::{self, Config};
use crate::input::content;
use crate::model::{self, Site};
use crate::plan::{self, Planned};
use crate::render::{self, AssetUrls, TemplateFiles};
use crate::theme::Theme;
use crate::theme::i18n::{self, I18n};

/// The inputs of a build, before the content files are parsed.
#[derive(Clone)]
pub struct Inputs {
    /// casebook.yaml.
    pub config: Config,
    /// The theme with the site's overrides.
    pub theme: Arc<Theme>,
    /// UI strings.
    pub i18n: Arc<I18n>,
    /// The templates, ready to render.
    pub engine: Arc<(Tera, TemplateFiles)>,
    /// The content files found.
    pub paths: Vec<(content::Section, PathBuf)>,
    /// A hash of everything every output depends on, besides content and templates.
    pub settings: u64,
    /// The problems found in them: warnings only (an error stops at [`inputs`]).
    pub warnings: Vec<Diagnostic>,
}

/// Reads casebook.yaml, the theme, the UI strings and the templates, and finds the content
/// files; every problem when the site cannot be built at all.
pub fn inputs(opts: &BuildOptions) -> Result<Inputs, BuildFailure> {
    let root = &opts.root;
    let (config, mut diags) = config::load(root, opts.base_url.as_deref());
    let Some(config) = config else {
        return Err(fail(diags));
    };
    let theme = match Theme::load(root, &config) {
        Ok(t) => Arc::new(t),
        Err(d) => {
            diags.extend(d);
            return Err(fail(diags));
        }
    };
    let (i18n, d) = I18n::load(
        &theme.i18n_files,
        &config.languages,
        &config.default_language,
    );
    diags.extend(d);
    let i18n = Arc::new(i18n.with_fallbacks(config.fallback.clone()));
    let engine = match render::engine(&theme, &config, &i18n, opts.assets) {
        Ok(e) => Arc::new(e),
        Err(d) => {
            diags.extend(d);
            return Err(fail(diags));
        }
    };
    let (paths, d) = content::discover(root);
    diags.extend(d);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(fail(diags));
    }
    Ok(Inputs {
        settings: settings_hash(opts, &theme),
        config,
        theme,
        i18n,
        engine,
        paths,
        warnings: diags,
    })
}

/// Everything loaded and checked, ready to write.
pub struct Loaded {
    /// The model.
    pub site: Site,
    /// The theme.
    pub theme: Arc<Theme>,
    /// UI strings.
    pub i18n: Arc<I18n>,
    /// The templates.
    pub engine: Arc<(Tera, TemplateFiles)>,
    /// Warnings so far.
    pub warnings: Vec<Diagnostic>,
    /// The model's own warnings (a draft's problems, say): kept by [`patch`].
    model_warnings: Vec<Diagnostic>,
    /// Per phase.
    pub timings: Timings,
    /// A hash of everything the build read (see [`inputs_hash`]).
    pub inputs: u64,
    /// A hash of its settings (see [`Inputs::settings`]).
    pub settings: u64,
    /// Fingerprinted or plain asset URLs.
    pub assets: AssetUrls,
    /// casebook's cache folder: processed images, the catalogues' search terms.
    pub cache: crate::incremental::Cache,
    /// Whether drafts are in.
    drafts: bool,
    /// The render plan of `site`, made when first asked for, once per model ([`patch`]
    /// keeps it when what it depends on did not change).
    pub(super) plan: OnceLock<Vec<Planned>>,
    /// The fingerprints of `site` that do not depend on its bodies, made when first asked
    /// for, once per model, like the plan (and patched by [`patch`]).
    pub(super) model_prints: OnceLock<ModelPrints>,
}

impl Loaded {
    /// Every output page of the site, with what it depends on (see [`crate::plan`]).
    pub fn plan(&self) -> &[Planned] {
        self.plan.get_or_init(|| plan::plan(&self.site))
    }

    /// `site`, with its own `model_warnings`, to be made with the theme, UI strings,
    /// templates and settings of `inputs` as `opts` say (no other warnings yet, and no
    /// inputs hash or timings: the caller's).
    pub(super) fn new(
        site: Site,
        model_warnings: Vec<Diagnostic>,
        inputs: &Inputs,
        opts: &BuildOptions,
    ) -> Loaded {
        Loaded {
            site,
            theme: Arc::clone(&inputs.theme),
            i18n: Arc::clone(&inputs.i18n),
            engine: Arc::clone(&inputs.engine),
            warnings: Vec::new(),
            model_warnings,
            timings: Timings::default(),
            inputs: 0,
            settings: inputs.settings,
            assets: opts.assets,
            cache: crate::incremental::Cache::new(&opts.root, opts.cache_dir.as_deref()),
            drafts: opts.drafts,
            plan: OnceLock::new(),
            model_prints: OnceLock::new(),
        }
    }

    /// The model's own warnings (see [`model::build`]).
    pub fn model_warnings(&self) -> &[Diagnostic] {
        &self.model_warnings
    }

    /// The fingerprints of the model that do not depend on its bodies (see
    /// [`ModelPrints`]).
    pub fn model_prints(&self) -> &ModelPrints {
        self.model_prints
            .get_or_init(|| ModelPrints::of(&self.site, self.plan()))
    }
}

/// The site's inputs with its content files parsed, before the model.
pub struct Parsed {
    /// The inputs.
    pub inputs: Inputs,
    /// The content files, as read.
    pub read: Read,
    /// A hash of everything the build read (see [`inputs_hash`]).
    pub inputs_hash: u64,
    /// Per phase.
    pub timings: Timings,
}

impl Parsed {
    /// How many content files were read and parsed (the others came from the cache).
    pub fn parsed(&self) -> usize {
        self.read.parsed
    }

    /// Every problem so far: the inputs' warnings and the content files' problems.
    fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut d = self.inputs.warnings.clone();
        d.extend(self.read.diagnostics.iter().cloned());
        d
    }

    /// Whether a content file has an error.
    pub fn has_errors(&self) -> bool {
        self.read.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Input and document: reads the inputs and parses the content files (through the cache
/// `documents`).
pub fn parse(opts: &BuildOptions, documents: &mut Documents) -> Result<Parsed, BuildFailure> {
    let started = Instant::now();
    let inputs = inputs(opts);
    parsed(opts, inputs, started.elapsed(), documents)
}

/// [`parse`] with the parses cache loaded by `load_documents` while the inputs are read
/// (on two cores, the one reading the content folder leaves the other idle). Returns the
/// cache too, with what this build parsed in it.
pub fn parse_loading(
    opts: &BuildOptions,
    load_documents: impl FnOnce() -> Documents + Send,
) -> Result<(Parsed, Documents), BuildFailure> {
    let started = Instant::now();
    let (inputs, mut documents) = std::thread::scope(|s| {
        let loading = s.spawn(load_documents);
        let inputs = inputs(opts);
        let documents = loading
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (inputs, documents)
    });
    let parsed = parsed(opts, inputs, started.elapsed(), &mut documents)?;
    Ok((parsed, documents))
}

/// The inputs `inputs`, read in `load`, with their content files parsed through the cache.
fn parsed(
    opts: &BuildOptions,
    inputs: Result<Inputs, BuildFailure>,
    load: Duration,
    documents: &mut Documents,
) -> Result<Parsed, BuildFailure> {
    let inputs = match inputs {
        Ok(i) => i,
        Err(f) => return Err(with_content_problems(f, opts, documents)),
    };
    let mut parsed = parse_inputs(inputs, opts, documents, None);
    parsed.timings.load = load;
    Ok(parsed)
}

/// `failure` (of the theme, the templates, the UI strings) with the problems of the content
/// files too, when casebook.yaml can be read: a build reports all its problems at once.
fn with_content_problems(
    failure: BuildFailure,
    opts: &BuildOptions,
    documents: &mut Documents,
) -> BuildFailure {
    let (Some(config), _) = config::load(&opts.root, opts.base_url.as_deref()) else {
        return failure;
    };
    let (paths, mut diags) = content::discover(&opts.root);
    let read = documents.read(&opts.root, &paths, &config, None);
    diags.extend(read.diagnostics);
    diags.extend(failure.diagnostics);
    fail(diags)
}

/// Document: parses the content files of `inputs` through the cache `documents`; of the
/// files it has, only those of `named` are looked at again when it is given (the others
/// are taken as they were: `serve` knows which files changed).
pub fn parse_inputs(
    inputs: Inputs,
    opts: &BuildOptions,
    documents: &mut Documents,
    named: Option<&HashSet<PathBuf>>,
) -> Parsed {
    let t = Instant::now();
    let read = documents.read(&opts.root, &inputs.paths, &inputs.config, named);
    let timings = Timings {
        parse: t.elapsed(),
        ..Timings::default()
    };
    Parsed {
        inputs_hash: inputs_hash(inputs.settings, &inputs.theme, read.contents),
        inputs,
        read,
        timings,
    }
}

/// Model: builds and checks the model of the parsed site from its documents (those of
/// `parsed.inputs.paths` that parsed, in that order: see [`Documents::documents`]).
pub fn model(
    parsed: Parsed,
    docs: Vec<Document>,
    opts: &BuildOptions,
) -> Result<Loaded, BuildFailure> {
    let mut diags = parsed.diagnostics();
    let Parsed {
        inputs,
        read,
        inputs_hash,
        mut timings,
    } = parsed;
    let t = Instant::now();
    let (site, d) = model::build(inputs.config.clone(), docs, opts.drafts, &read.broken);
    let model_warnings: Vec<Diagnostic> = d.iter().filter(|d| !d.is_error()).cloned().collect();
    diags.extend(d);
    if let Some(site) = &site {
        diags.extend(ui_warnings(site, &inputs.theme, &inputs.i18n));
        diags.extend(model::translations::outdated_warnings(site));
    }
    timings.model = t.elapsed();
    match site {
        Some(site) if !diags.iter().any(Diagnostic::is_error) => Ok(Loaded {
            warnings: diags,
            timings,
            inputs: inputs_hash,
            ..Loaded::new(site, model_warnings, &inputs, opts)
        }),
        _ => Err(fail(diags)),
    }
}

/// Model, the short way: when the only files that changed since `loaded` was made are
/// new versions of files it holds, swaps them into its model instead of building it anew
/// (`serve` keeps the model between rebuilds; see [`model::patch`]), and takes the theme of
/// `parsed` (the model does not depend on it). The plan and the model's fingerprints are
/// kept, or patched, when the practices' relations and the listings did not change.
/// `Ok(false)` when that cannot be done: call [`model`]. casebook.yaml must be the one
/// `loaded` was made with.
pub fn patch(
    loaded: &mut Loaded,
    parsed: &Parsed,
    documents: &Documents,
) -> Result<bool, BuildFailure> {
    if parsed.read.removed > 0 {
        return Ok(false);
    }
    Ok(patch_files(loaded, parsed, documents, &parsed.read.changed)?.is_some())
}

/// [`patch`], with the files at `paths` as the ones that changed since `loaded` was made.
/// `None` when that cannot be done.
pub(super) fn patch_files(
    loaded: &mut Loaded,
    parsed: &Parsed,
    documents: &Documents,
    paths: &[PathBuf],
) -> Result<Option<model::Patched>, BuildFailure> {
    if parsed.has_errors() {
        return Ok(None);
    }
    let Ok(changed) = documents.documents_at(paths) else {
        return Ok(None);
    };
    if changed.len() != paths.len() {
        return Ok(None);
    }
    let warnings = &loaded.model_warnings;
    let warned = |rel: &std::path::Path| {
        warnings
            .iter()
            .any(|d| d.location.as_ref().is_some_and(|l| l.file == rel))
    };
    let patched = match model::patch(
        &mut loaded.site,
        &changed,
        loaded.drafts,
        &parsed.read.broken,
        warned,
    ) {
        Ok(None) => return Ok(None),
        Ok(Some(p)) => p,
        Err(d) => {
            let mut all = parsed.diagnostics();
            all.extend(d);
            return Err(fail(all));
        }
    };
    if patched.structure {
        loaded.plan = OnceLock::new();
        loaded.model_prints = OnceLock::new();
    } else if let Some(prints) = loaded.model_prints.get_mut() {
        prints.patch(&loaded.site, &patched.practices);
    }
    // The model does not depend on the theme: a new one is taken as it is.
    loaded.theme = Arc::clone(&parsed.inputs.theme);
    loaded.i18n = Arc::clone(&parsed.inputs.i18n);
    loaded.engine = Arc::clone(&parsed.inputs.engine);
    loaded.settings = parsed.inputs.settings;
    let mut warnings = parsed.diagnostics();
    warnings.extend(loaded.model_warnings.iter().cloned());
    warnings.extend(ui_warnings(
        &loaded.site,
        &parsed.inputs.theme,
        &parsed.inputs.i18n,
    ));
    warnings.extend(model::translations::outdated_warnings(&loaded.site));
    loaded.warnings = warnings;
    loaded.inputs = parsed.inputs_hash;
    Ok(Some(patched))
}

/// Input, document, model: loads and checks the whole site without writing anything but
/// the documents' cache in memory (`documents`).
pub fn load(opts: &BuildOptions, documents: &mut Documents) -> Result<Loaded, BuildFailure> {
    let parsed = parse(opts, documents)?;
    let docs = documents
        .documents(&parsed.inputs.paths)
        .map_err(|d| fail(vec![d]))?;
    model(parsed, docs, opts)
}

/// The UI-string warnings of a site: see [`I18n::missing_warnings`].
pub fn ui_warnings(site: &Site, theme: &Theme, i18n: &I18n) -> Vec<Diagnostic> {
    let mut used: BTreeSet<String> = render::context::ui_keys(site);
    for t in theme.templates.values() {
        used.extend(i18n::keys_named(&t.text));
    }
    i18n.missing_warnings(&used)
}
