//! Rendering: each planned page through its Tera template, in parallel. A page is rendered
//! by a function that returns its HTML or the problem with it; what becomes of the HTML
//! (written, compared, thrown away) is up to the caller.
//!
//! - [`engine`]: the Tera instance with casebook's functions (`t`, `url`, `asset`), and
//!   template errors as diagnostics located in the template;
//! - [`context`]: what each template sees, shared parts made once per language;
//! - [`share_card`]: the SVG of a drawn share card, from the theme's `share-card.svg`.

pub mod context;
pub mod engine;
pub mod share_card;
mod template_errors;

use rayon::prelude::*;
use tera::Tera;

use crate::diagnostics::Diagnostic;
use crate::index::IndexUrls;
use crate::model::Site;
use crate::plan::Planned;
use crate::theme::Theme;
use crate::theme::i18n::I18n;

pub use context::Contexts;
pub use engine::{AssetUrls, TemplateFiles, engine};

/// Renders the pages of one site.
pub struct Renderer<'a> {
    tera: &'a Tera,
    files: &'a TemplateFiles,
    contexts: Contexts<'a>,
}

impl<'a> Renderer<'a> {
    /// A renderer of `site`'s pages with the templates of `tera` (with `files`, where they
    /// come from); catalogue pages name the indexes at `index`.
    pub fn new(
        site: &'a Site,
        i18n: &'a I18n,
        theme: &'a Theme,
        (tera, files): &'a (Tera, TemplateFiles),
        index: &[IndexUrls],
    ) -> Renderer<'a> {
        Renderer {
            tera,
            files,
            contexts: Contexts::new(site, i18n, theme.map.as_ref())
                .with_index(index)
                .with_card_html(tera),
        }
    }

    /// Pages show the processed files of `images` (`<picture>` with widths and formats)
    /// instead of the sources.
    pub fn with_images(mut self, images: &'a crate::images::Images) -> Self {
        self.contexts = self.contexts.with_images(images);
        self
    }

    /// The HTML (or text) of one planned page.
    pub fn page(&self, page: &Planned) -> Result<String, Diagnostic> {
        let ctx = self.contexts.build(&page.kind, &page.url)?;
        self.tera
            .render(page.kind.template(), &ctx)
            .map_err(|e| self.files.diagnostic(&e, Some(page.file())))
    }

    /// Hands what the renderer made once per language (cards, facets, maps) to a
    /// background thread to be freed: see [`crate::memory`].
    pub fn free_in_background(mut self) {
        self.contexts.free_in_background();
    }
}

/// Keeps one diagnostic per template place: the same broken template fails many pages the
/// same way. The one kept names the first page in plan order, so the report is the same
/// on every run.
pub fn distinct(mut errors: Vec<(usize, Diagnostic)>) -> Vec<Diagnostic> {
    errors.sort_by_key(|(i, _)| *i);
    let mut seen = std::collections::HashSet::new();
    errors
        .into_iter()
        .filter(|(_, d)| seen.insert((d.location.clone(), d.message.clone())))
        .map(|(_, d)| d)
        .collect()
}

/// Renders every planned page in memory and throws the pages away: how `check` finds
/// template errors without writing anything. Returns the distinct errors.
pub fn errors(renderer: &Renderer, plan: &[Planned]) -> Vec<Diagnostic> {
    distinct(
        plan.par_iter()
            .enumerate()
            .filter_map(|(i, page)| renderer.page(page).err().map(|d| (i, d)))
            .collect(),
    )
}
