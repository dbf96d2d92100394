//! One rebuild: what changed, the model kept, patched or built anew, then rendered.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Instant;

use super::prints::{changed_templates, patch_bodies, same_strings};
use super::{Cached, Dirty, Good, Outcome, Session, View, failed};
use crate::diagnostics::Diagnostic;
use crate::document::Document;
use crate::incremental::fingerprints::{Prints, templates_using};
use crate::model::{self, Site};
use crate::plan::{self, Planned};

impl Session {
    /// Rebuilds from the current inputs.
    pub(super) fn rebuild(&mut self, started: Instant, everything: bool) -> Outcome {
        let mut diags = self.input_problems();
        let (Some(config), Some(config_text), Some(theme), Some(i18n), Some(engine)) = (
            self.inputs.config.clone(),
            self.inputs.config_text.clone(),
            self.inputs.theme.clone(),
            self.inputs.i18n.clone(),
            self.inputs.engine.clone(),
        ) else {
            return failed(diags, started);
        };
        if diags.iter().any(Diagnostic::is_error) {
            return failed(diags, started);
        }

        // What changed besides content.
        let mut dirty = Dirty::default();
        match &self.good {
            Some(g)
                if !everything
                    && !self.map_changed
                    && g.config_text == config_text
                    && same_strings(&g.theme, &theme) =>
            {
                if !Arc::ptr_eq(&g.theme, &theme) {
                    dirty.render.templates =
                        templates_using(&theme, &changed_templates(&g.theme, &theme));
                    dirty.statics = true;
                }
            }
            _ => dirty.render.all = true,
        }

        // The model: kept, patched, or built anew.
        let content_changed = self.model_stale
            || self.good.is_none()
            || self.inputs.tree_changed
            || !self.inputs.changed.is_empty();
        let mut path = if dirty.render.all {
            "full"
        } else if !dirty.render.templates.is_empty() {
            "templates"
        } else {
            "static"
        };
        let mut patched = false;
        let mut new_model: Option<(Site, Vec<Planned>, Prints)> = None;
        // The model holds the config: a new setup needs a new model.
        if content_changed || dirty.render.all {
            let fast = !dirty.render.all
                && !self.model_stale
                && self.good.as_ref().is_some_and(|g| self.body_only(g));
            if fast {
                let g = self.good.as_mut().expect("checked above");
                if let Err(d) =
                    patch_bodies(g, &self.inputs.files, &self.inputs.changed, &mut dirty)
                {
                    diags.extend(d);
                    return failed(diags, started);
                }
                patched = true;
                path = "body";
            } else {
                let docs: Vec<Document> = self
                    .inputs
                    .files
                    .values()
                    .filter_map(|c| match c {
                        Cached::Read { result: Ok(d), .. } => Some(d.clone()),
                        _ => None,
                    })
                    .collect();
                let (site, d) = model::build(config, docs, self.opts.drafts, &BTreeSet::new());
                diags.extend(d);
                let Some(site) = site.filter(|_| !diags.iter().any(Diagnostic::is_error)) else {
                    return failed(diags, started);
                };
                let prints = Prints::of(&site);
                match &self.good {
                    Some(g) if !dirty.render.all => {
                        prints.compare(&g.prints, &mut dirty.render);
                        path = if dirty.render.all { "full" } else { "model" };
                    }
                    _ => dirty.render.all = true,
                }
                // The index, sitemap, feeds and open data follow in `settle`, after the
                // reload; unless everything is redone anyway.
                let plan = plan::plan(&site);
                new_model = Some((site, plan, prints));
            }
        }

        let prepared = {
            let (site, plan) = match (&new_model, &self.good) {
                (Some((s, p, _)), _) => (s, p.as_slice()),
                (None, Some(g)) => (&g.site, g.plan.as_slice()),
                (None, None) => unreachable!("no good build means content_changed"),
            };
            let index = self
                .good
                .as_ref()
                .map(|g| g.index.as_slice())
                .unwrap_or(&[]);
            let view = View {
                site,
                plan,
                plan_changed: new_model.as_ref().is_some_and(|(_, plan, _)| {
                    self.good.as_ref().is_none_or(|g| {
                        g.plan.len() != plan.len()
                            || g.plan.iter().zip(plan).any(|(a, b)| a.url != b.url)
                    })
                }),
                index,
                theme: &theme,
                i18n: &i18n,
                engine: &engine,
            };
            self.prepare(&view, &dirty)
        };
        let prepared = match prepared {
            Ok(p) => p,
            Err(errors) => {
                self.model_stale |= patched;
                diags.extend(errors);
                return failed(diags, started);
            }
        };
        let (mut outcome, index) = self.commit(prepared, path, started);
        let new_model_built = new_model.is_some();
        let good = match (self.good.take(), new_model) {
            (Some(mut g), None) => {
                if let Some(index) = index {
                    g.index = index;
                }
                g
            }
            (previous, Some((site, plan, prints))) => Good {
                config_text: String::new(),
                theme: Arc::clone(&theme),
                i18n: Arc::clone(&i18n),
                engine: Arc::clone(&engine),
                site,
                plan,
                index: index
                    .or_else(|| previous.map(|g| g.index))
                    .unwrap_or_default(),
                prints,
            },
            (None, None) => unreachable!("no good build means a new model"),
        };
        self.good = Some(Good {
            config_text,
            theme,
            i18n,
            engine,
            ..good
        });
        self.map_changed = false;
        self.model_stale = false;
        self.inputs.changed.clear();
        self.inputs.tree_changed = false;
        if dirty.render.all {
            self.deferred = false;
        } else if new_model_built || patched && !dirty.render.practices.is_empty() {
            self.deferred = true;
        }
        diags.retain(|d| !d.is_error());
        outcome.warnings.splice(0..0, diags);
        outcome
    }
}
