//! Model, the short way for `build`: the model a previous build saved, with the content
//! files that changed since patched in as `serve` patches the model it keeps.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;

use super::BuildOptions;
use super::load::{Loaded, Parsed, patch_files};
use crate::incremental::{Documents, SavedModel, SavedShards};
use crate::model::Site;

/// A saved model, patched (see [`saved_model`]).
pub struct PatchedModel {
    /// The model.
    pub loaded: Loaded,
    /// Whether it is worth saving again: when the patch changed the relations or the
    /// listings, or more than a few files changed since it was saved, the builds after
    /// this one would each pay for that again.
    pub save_again: bool,
    /// The saved model's practices as they lie in its file.
    pub shards: SavedShards,
    /// The practices that changed since it was saved (indices); `None` when any may have,
    /// or when the site's folder is named otherwise (each practice then holds other paths).
    pub changed: Option<Vec<usize>>,
}

/// Model, the short way for `build`: the model a previous build saved (`saved`, see
/// [`SavedModel`]), with the content files that changed since patched in as
/// [`super::patch`] does. `None` when that cannot be done (a file came or went, too many
/// changed, or [`super::patch`] cannot): call [`super::model`]. `prints` are those of
/// `documents` for the files of `parsed` (see [`Documents::prints`]).
pub fn saved_model(
    parsed: &Parsed,
    saved: SavedModel,
    (documents, prints): (&Documents, &[(PathBuf, u64)]),
    opts: &BuildOptions,
) -> Option<PatchedModel> {
    /// Beyond this many changed files, building the model anew costs less than patching.
    const MOST_CHANGED: usize = 200;
    /// Beyond this many changed files, the patched model is saved for the next builds.
    const SAVE_AFTER: usize = 20;
    let paths = &parsed.inputs.paths;
    if prints.len() != paths.len() {
        return None;
    }
    let changed = saved.changed_files(prints)?;
    if changed.len() > MOST_CHANGED {
        return None;
    }
    let SavedModel {
        warnings,
        mut practices,
        mut pages,
        listings,
        plan,
        prints: model_prints,
        root,
        shards,
        ..
    } = saved;
    // Each file as this build found it, when the site's folder is spelt otherwise than when
    // the model was saved, or was moved.
    let relocated = root != opts.root;
    if relocated {
        let found: HashMap<&Path, &Path> = prints
            .iter()
            .zip(paths)
            .map(|((rel, _), (_, path))| (rel.as_path(), path.as_path()))
            .collect();
        practices.par_iter_mut().for_each(|p| {
            for v in &mut p.versions {
                if let Some(path) = found.get(v.doc.rel.as_path()) {
                    v.doc.source.relocate(path);
                }
            }
        });
        for p in &mut pages {
            for d in p.versions.values_mut() {
                if let Some(path) = found.get(d.rel.as_path()) {
                    d.source.relocate(path);
                }
            }
        }
    }
    let site = Site {
        config: parsed.inputs.config.clone(),
        practices,
        pages,
        listings,
    };
    // The plan and fingerprints of the model as saved, which the patch keeps or patches.
    let mut loaded = Loaded::new(site, warnings, &parsed.inputs, opts);
    loaded.timings = parsed.timings.clone();
    loaded.plan = OnceLock::from(plan);
    loaded.model_prints = OnceLock::from(model_prints);
    let changed: Vec<PathBuf> = changed.into_iter().map(|i| paths[i].1.clone()).collect();
    match patch_files(&mut loaded, parsed, documents, &changed) {
        Ok(Some(patched)) => Some(PatchedModel {
            loaded,
            save_again: patched.structure || changed.len() > SAVE_AFTER,
            shards,
            changed: (!patched.relations && !relocated).then(|| {
                let mut all = patched.practices;
                all.extend(patched.bodies);
                all
            }),
        }),
        Ok(None) | Err(_) => None,
    }
}
