//! Rendering: every planned page through its Tera template, in parallel, straight into the
//! staging folder; then static files, fingerprinted copies, the sitemap, and the feeds and
//! open data of [`crate::publish`].

pub mod context;
pub mod engine;
pub mod needs;

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use tera::Tera;

use crate::diagnostics::Diagnostic;
use crate::incremental::Unchanged;
use crate::index::LanguageIndex;
use crate::model::Site;
use crate::output::Staging;
use crate::plan::Planned;
use crate::theme::i18n::I18n;
use crate::theme::{FileSource, StaticFile, Theme};
use needs::Asks;

pub use context::Contexts;
pub use engine::{AssetUrls, TemplateFiles, engine};

/// Stop rendering after this many distinct template errors: one broken template would
/// otherwise fail the same way on every page.
const MAX_ERRORS: usize = 20;

/// Renders one page to a string.
pub fn render_page(
    tera: &Tera,
    files: &TemplateFiles,
    contexts: &Contexts,
    page: &Planned,
) -> Result<String, Diagnostic> {
    let ctx = contexts.build(&page.kind, &page.url);
    tera.render(page.kind.template(), &ctx)
        .map_err(|e| files.diagnostic(&e, Some(&page.file())))
}

fn copy_static(staging: &Staging, rel: &str, file: &StaticFile) -> Result<(), Diagnostic> {
    match &file.source {
        FileSource::Disk(path) => staging.copy(rel, path),
        FileSource::Embedded(bytes) => staging.write(rel, bytes),
    }
}

/// Renders every planned page in memory and throws the pages away: how `check` finds
/// template errors without writing anything. Returns the distinct errors.
pub fn render_discard(
    site: &Site,
    plan: &[Planned],
    tera: &Tera,
    files: &TemplateFiles,
    i18n: &I18n,
    theme: &Theme,
) -> Vec<Diagnostic> {
    let contexts = Contexts::new(site, i18n, theme.map.as_ref()).with_card_html(tera);
    let mut errors: Vec<Diagnostic> = plan
        .par_iter()
        .filter_map(|page| render_page(tera, files, &contexts, page).err())
        .collect();
    // One error per template place, naming the first page in plan order.
    let mut seen = std::collections::HashSet::new();
    errors.retain(|d| seen.insert((d.location.clone(), d.message.clone())));
    errors
}

/// What [`render_all`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// Files in the output.
    pub files: usize,
    /// HTML pages rendered (the others were kept from the last build).
    pub rendered: usize,
    /// What the pages asked for ([`crate::render::needs`]): each distinct set of asks, with the
    /// pages (output files) that asked for it.
    pub asks: HashMap<Asks, Vec<String>>,
}

/// Renders every planned page and writes it, with the catalogue index of every language.
/// A page that `unchanged` says would come out as the last build wrote it is kept from the
/// destination instead, when it can be.
#[allow(clippy::too_many_arguments)]
pub fn render_all(
    site: &Site,
    plan: &[Planned],
    index: &[LanguageIndex],
    tera: &Tera,
    files: &TemplateFiles,
    i18n: &I18n,
    theme: &Theme,
    staging: &Staging,
    unchanged: Option<&Unchanged>,
) -> Result<Written, Vec<Diagnostic>> {
    let mut contexts = Contexts::new(site, i18n, theme.map.as_ref())
        .with_index(index)
        .with_card_html(tera);
    let errors: Mutex<Vec<Diagnostic>> = Mutex::new(Vec::new());
    let error_count = AtomicUsize::new(0);
    let written = AtomicUsize::new(0);
    let rendered = AtomicUsize::new(0);
    let asked: Mutex<HashMap<Asks, Vec<String>>> = Mutex::new(HashMap::new());
    // The same template error fails many pages: keep one, naming the first page in file
    // order, so that the report is the same on every run.
    let report = |d: Diagnostic| {
        if let Ok(mut e) = errors.lock() {
            match e
                .iter_mut()
                .find(|x| x.location == d.location && x.message == d.message)
            {
                Some(existing) if d.notes < existing.notes => *existing = d,
                Some(_) => {}
                None => {
                    e.push(d);
                    error_count.store(e.len(), Ordering::Relaxed);
                }
            }
        }
    };
    let pages = || {
        plan.par_iter().for_each(|page| {
            if error_count.load(Ordering::Relaxed) >= MAX_ERRORS {
                return;
            }
            let file = page.file();
            let (result, asks) = needs::capture(|| {
                if let Some(u) = unchanged.filter(|u| u.page(site, page))
                    && staging.keep(&file)?
                {
                    u.ask_again(&file, i18n, theme);
                    return Ok(());
                }
                if file.ends_with(".html") {
                    rendered.fetch_add(1, Ordering::Relaxed);
                }
                render_page(tera, files, &contexts, page)
                    .and_then(|html| staging.write(&file, html.as_bytes()))
            });
            match result {
                Ok(()) => {
                    written.fetch_add(1, Ordering::Relaxed);
                    if let Ok(mut a) = asked.lock() {
                        a.entry(asks).or_default().push(file);
                    }
                }
                Err(d) => report(d),
            }
        })
    };
    // Everything else, beside the pages: the open data and feeds, largest first, while
    // the pages keep the other threads busy.
    let others = || {
        let statics: Vec<(&String, &StaticFile)> = theme.static_files.iter().collect();
        let mut jobs = crate::publish::jobs(site, i18n, theme.map.as_ref());
        jobs.push(crate::publish::Job {
            path: String::new(),
            make: Box::new(|| {
                let results: Vec<Result<(), Diagnostic>> = statics
                    .par_iter()
                    .map(|(rel, file)| copy_static(staging, rel, file))
                    .chain(
                        index
                            .par_iter()
                            .flat_map(|l| l.files.par_iter())
                            .map(|f| staging.write(&f.path, &f.bytes)),
                    )
                    .chain(
                        crate::publish::sitemap::sitemaps(site, plan)
                            .into_par_iter()
                            .map(|(name, xml)| staging.write(&name, xml.as_bytes())),
                    )
                    .collect();
                for r in results {
                    match r {
                        Ok(()) => {
                            written.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(d) => report(d),
                    }
                }
                Vec::new()
            }),
        });
        jobs.par_iter().for_each(|job| {
            let bytes = (job.make)();
            if job.path.is_empty() {
                return;
            }
            match staging.write(&job.path, &bytes) {
                Ok(()) => {
                    written.fetch_add(1, Ordering::Relaxed);
                }
                Err(d) => report(d),
            }
        });
    };
    rayon::join(others, pages);
    // The fingerprinted copies of the static files the pages asked for, now known.
    for (plain, hashed) in theme.fingerprinted_files() {
        if let Some(file) = theme.static_files.get(&plain) {
            match copy_static(staging, &hashed, file) {
                Ok(()) => {
                    written.fetch_add(1, Ordering::Relaxed);
                }
                Err(d) => report(d),
            }
        }
    }
    let mut errors = errors.into_inner().unwrap_or_default();
    errors.extend(contexts.changed_files());
    contexts.free_in_background();
    if errors.is_empty() {
        Ok(Written {
            files: written.into_inner(),
            rendered: rendered.into_inner(),
            asks: asked.into_inner().unwrap_or_default(),
        })
    } else {
        Err(errors)
    }
}
