//! Input, document, model: the site read, parsed and checked, nothing written.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use tera::Tera;

use super::settings::{inputs_hash, settings_hash};
use super::{BuildFailure, BuildOptions, Timings, fail};
use crate::diagnostics::Diagnostic;
use crate::incremental::Documents;
use crate::input::config::{self, Config};
use crate::input::content;
use crate::model::{self, Site};
use crate::render::{self, AssetUrls, TemplateFiles};
use crate::theme::Theme;
use crate::theme::i18n::{self, I18n};

/// The inputs of a build, before the content files are parsed.
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
    /// Problems found so far (warnings only, or the build stops at [`load`]).
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads casebook.yaml, the theme, the UI strings and the templates, and finds the content
/// files. `None` with the problems when the site cannot be built at all.
pub fn inputs(opts: &BuildOptions) -> (Option<Inputs>, Vec<Diagnostic>) {
    let root = &opts.root;
    let (config, mut diags) = config::load(root, opts.base_url.as_deref());
    let Some(config) = config else {
        return (None, diags);
    };
    let theme = match Theme::load(root, &config) {
        Ok(t) => Arc::new(t),
        Err(d) => {
            diags.extend(d);
            return (None, diags);
        }
    };
    let (i18n, d) = I18n::load(
        &theme.i18n_files,
        &config.languages,
        &config.default_language,
    );
    diags.extend(d);
    let i18n = Arc::new(i18n);
    let engine = match render::engine(&theme, &config, &i18n, opts.assets) {
        Ok(e) => Arc::new(e),
        Err(d) => {
            diags.extend(d);
            return (None, diags);
        }
    };
    let (paths, d) = content::discover(root);
    diags.extend(d);
    let settings = settings_hash(opts, &theme);
    (
        Some(Inputs {
            config,
            theme,
            i18n,
            engine,
            paths,
            settings,
            diagnostics: Vec::new(),
        }),
        diags,
    )
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
    /// Per phase.
    pub timings: Timings,
    /// A hash of everything the build read (see [`inputs_hash`]).
    pub inputs: u64,
    /// A hash of its settings (see [`Inputs::settings`]).
    pub settings: u64,
    /// Fingerprinted or plain asset URLs.
    pub assets: AssetUrls,
}

/// The site's inputs with its content files parsed, before the model.
pub struct Parsed {
    inputs: Inputs,
    read: crate::incremental::Read,
    /// A hash of everything the build read (see [`inputs_hash`]).
    pub inputs_hash: u64,
    /// Problems so far.
    pub diagnostics: Vec<Diagnostic>,
    /// Per phase.
    pub timings: Timings,
}

impl Parsed {
    /// How many content files were read and parsed (the others came from the cache).
    pub fn parsed(&self) -> usize {
        self.read.parsed
    }
}

/// Input and document: reads the inputs and parses the content files (through the cache
/// `documents`).
pub fn parse(opts: &BuildOptions, documents: &mut Documents) -> Result<Parsed, BuildFailure> {
    let mut timings = Timings::default();
    let started = Instant::now();
    let (inputs, mut diags) = inputs(opts);
    timings.load = started.elapsed();
    let Some(inputs) = inputs else {
        return Err(fail(diags));
    };
    let t = Instant::now();
    let read = documents.read(&opts.root, &inputs.paths, &inputs.config);
    diags.extend(read.diagnostics.iter().cloned());
    timings.parse = t.elapsed();
    Ok(Parsed {
        inputs_hash: inputs_hash(inputs.settings, &inputs.theme, &read.contents),
        inputs,
        read,
        diagnostics: diags,
        timings,
    })
}

/// Model: builds and checks the model of the parsed site (`documents` holds the parses).
pub fn model(
    parsed: Parsed,
    documents: &Documents,
    opts: &BuildOptions,
) -> Result<Loaded, BuildFailure> {
    let Parsed {
        inputs,
        read,
        inputs_hash,
        diagnostics: mut diags,
        mut timings,
    } = parsed;
    let t = Instant::now();
    let docs = documents.documents(&inputs.paths);
    let (site, d) = model::build(inputs.config, docs, opts.drafts, &read.broken);
    diags.extend(d);
    if let Some(site) = &site {
        diags.extend(ui_warnings(site, &inputs.theme, &inputs.i18n));
    }
    timings.model = t.elapsed();
    match site {
        Some(site) if !diags.iter().any(Diagnostic::is_error) => Ok(Loaded {
            site,
            inputs: inputs_hash,
            theme: inputs.theme,
            i18n: inputs.i18n,
            engine: inputs.engine,
            warnings: diags,
            timings,
            settings: inputs.settings,
            assets: opts.assets,
        }),
        _ => Err(fail(diags)),
    }
}

/// Input, document, model: loads and checks the whole site without writing anything but
/// the documents' cache in memory (`documents`).
pub fn load(opts: &BuildOptions, documents: &mut Documents) -> Result<Loaded, BuildFailure> {
    let parsed = parse(opts, documents)?;
    model(parsed, documents, opts)
}

/// The UI-string warnings of a site: see [`I18n::missing_warnings`].
pub fn ui_warnings(site: &Site, theme: &Theme, i18n: &I18n) -> Vec<Diagnostic> {
    let mut used: BTreeSet<String> = render::context::ui_keys(site);
    for t in theme.templates.values() {
        used.extend(i18n::keys_named(&t.text));
    }
    i18n.missing_warnings(&used)
}
