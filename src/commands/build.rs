//! `casebook build`: the site into its output folder, all or nothing, making again only
//! what changed since the last build into the same folder.
//!
//! One build at a time writes into one output ([`OutputLock`]). The cache folder holds what
//! the last build left ([`BuildState`]) and the parsed content files ([`Documents`]); the
//! output holds exactly the published site.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::diagnostics::Diagnostic;
use crate::incremental::{
    BuildState, Cache, Documents, ModelParts, Older, SavedModel, Summary, Unchanged, is_apart,
};
use crate::output::{self, OutputLock, Staging};
use crate::pipeline::{self, Urgency, fail};

pub use crate::pipeline::{BuildFailure, BuildOptions, Timings};

/// A successful build.
#[derive(Debug)]
pub struct BuildSummary {
    /// HTML pages in the output.
    pub pages: usize,
    /// Pages rendered: the others were kept from the last build, their inputs unchanged.
    pub rendered: usize,
    /// Files in the output.
    pub files: usize,
    /// Languages.
    pub languages: usize,
    /// Practices.
    pub practices: usize,
    /// Content files read and parsed (the others came from the cache).
    pub parsed: usize,
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
    /// Share cards drawn (`share_cards: drawn`): the others were kept, or taken from the
    /// cache folder.
    pub cards_drawn: usize,
}

impl std::fmt::Display for BuildSummary {
    /// What `casebook build` says when it is done: `Built 125 pages (8 practices) in 4
    /// languages in 140 ms → output`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::pipeline::plural;
        let verb = if self.up_to_date {
            "Up to date:"
        } else {
            "Built"
        };
        write!(
            f,
            "{verb} {} ({}) in {} in {} ms",
            plural(self.pages, "page"),
            plural(self.practices, "practice"),
            plural(self.languages, "language"),
            self.elapsed.as_millis()
        )?;
        if !self.up_to_date && self.rendered < self.pages {
            write!(f, " ({} rendered, the others unchanged)", self.rendered)?;
        }
        if self.cards_drawn > 0 {
            write!(f, ", {} drawn", plural(self.cards_drawn, "share card"))?;
        }
        if !self.warnings.is_empty() {
            write!(f, ", {}", plural(self.warnings.len(), "warning"))?;
        }
        write!(f, " → {}", self.output.display())
    }
}

/// Builds the site: loads, checks, renders and swaps the output in.
pub fn build(opts: &BuildOptions) -> Result<BuildSummary, BuildFailure> {
    let started = Instant::now();
    let dest = output::absolute(&opts.output_dir());
    // A bad destination is refused before any work, and again once it is ours to write.
    output::check_destination(&opts.root, &opts.output_dir(), true).map_err(|d| fail(vec![d]))?;
    let _lock = OutputLock::take(&dest, || {
        eprintln!(
            "Waiting for another casebook build into {} to finish…",
            dest.display()
        )
    })
    .map_err(|d| fail(vec![d]))?;
    let cache = Cache::new(&opts.root, opts.cache_dir.as_deref());
    // The last build's record and the parses cache are read while the inputs are.
    let (state_file, documents_dir) = (cache.state(&dest), cache.documents());
    let key = pipeline::parse_key(opts);
    let mut last = BuildState::default();
    let (parsed, mut documents) = pipeline::parse_loading(opts, || {
        let (state, documents) = rayon::join(
            || BuildState::load(&state_file),
            || Documents::load(&documents_dir, key),
        );
        last = state;
        documents
    })?;
    let known = !last.files.is_empty();
    output::check_destination(&opts.root, &opts.output_dir(), known).map_err(|d| fail(vec![d]))?;
    // The output is accepted: the cache notes it, and forgets those that are gone.
    cache.forget_gone_outputs(&dest);
    let parsed_files = parsed.parsed();
    // Nothing changed since the last build into this output, which is as it left it.
    let t = Instant::now();
    if parsed.inputs_hash == last.inputs
        && known
        && last.ready_to_verify(&dest)
        && output::verify(&dest, &last.files, &last.sealed)
    {
        let _ = documents.save(&cache.documents());
        let mut timings = parsed.timings.clone();
        timings.commit = t.elapsed();
        let summary = BuildSummary {
            pages: last.summary.pages,
            rendered: 0,
            files: last.file_count(),
            languages: last.summary.languages,
            practices: last.summary.practices,
            parsed: parsed_files,
            elapsed: started.elapsed(),
            timings,
            warnings: last.summary.warnings.clone(),
            output: dest,
            up_to_date: true,
            cards_drawn: 0,
        };
        crate::memory::drop_in_background((documents, parsed, last));
        return Ok(summary);
    }
    // The staging folder is listed while the model is built.
    let (staging_dir, keep_after) = cache.staging(&dest);
    let expected = last.older.finished.map(|before| output::Expected {
        before,
        files: last.files.clone(),
        dropped: last.older.dropped.clone(),
    });
    let scan = Staging::scan(staging_dir.clone(), &last.sealed, &last.twins, expected);
    let _ = documents.save(&cache.documents());
    // The model a previous build saved, patched with what changed since; else the model
    // built anew from every parse (moved into it, which holds the only copy). The model is
    // saved for the next builds when it was built anew, unless this build is the first into
    // its output (a build from an empty cache folder, as CI often makes, would pay for a
    // file no build reads), or when patching it was costly (see [`pipeline::saved_model`]).
    let model_key = crate::hash::hash_value(&(key, opts.drafts));
    let t = Instant::now();
    let saved = SavedModel::load(&cache.model(), model_key);
    let prints = documents.prints(&parsed.inputs.paths);
    let patched =
        saved.and_then(|s| pipeline::saved_model(&parsed, s, (&documents, &prints), opts));
    // Whether to save the model, and the saved one's shards with the practices that changed
    // since (when they are known: not after the relations changed).
    let (loaded, save, unchanged) = match patched {
        Some(p) => {
            crate::memory::drop_in_background((documents, parsed));
            let mut loaded = p.loaded;
            // Decoding the saved model is part of making it.
            loaded.timings.model = t.elapsed();
            let unchanged = p.changed.map(|changed| (p.shards, changed));
            (loaded, p.save_again, unchanged)
        }
        None => {
            let docs = documents
                .into_documents(&parsed.inputs.paths)
                .map_err(|d| fail(vec![d]))?;
            (pipeline::model(parsed, docs, opts)?, known, None)
        }
    };
    // Mapped, the saved model's file counts in the build's memory.
    let unchanged = unchanged.filter(|_| save);

    let staging = Staging::begin(&dest, scan, &last, &last.sealed, &last.twins, keep_after);
    let mut warnings = loaded.warnings.clone();
    // The model is saved while the output is written.
    let written = std::thread::scope(|scope| {
        if save {
            scope.spawn(|| {
                let model = ModelParts {
                    site: &loaded.site,
                    plan: loaded.plan(),
                    prints: loaded.model_prints(),
                    warnings: loaded.model_warnings(),
                    root: &opts.root,
                };
                let unchanged = unchanged
                    .as_ref()
                    .map(|(shards, changed)| Unchanged { shards, changed });
                let _ = SavedModel::save(&cache.model(), model_key, model, prints, unchanged);
            });
        }
        pipeline::write(&loaded, &last, &staging, &Urgency::default())
    });
    let written = match written {
        Ok(w) => w,
        Err(errors) => {
            staging.abort();
            warnings.extend(errors);
            return Err(fail(warnings));
        }
    };
    warnings.extend(written.warnings.iter().cloned());
    let mut timings = loaded.timings.clone();
    timings.plan = written.timings.plan;
    timings.index = written.timings.index;
    timings.render = written.timings.render;
    let t = Instant::now();
    crate::diagnostics::sort_and_dedup(&mut warnings);
    // The images' folder, and the folders of copies of images at their own paths.
    let folders = written.state.image_folders();
    let sealable: Vec<&str> = std::iter::once(crate::images::variants::DIR)
        .chain(folders.iter().map(String::as_str))
        .collect();
    let sealing = staging
        .commit(&written.state.files, &sealable)
        .map_err(|d| fail(vec![d]))?;
    let mut state = written.state;
    state.sealed = sealing.sealed;
    state.twins = sealing.twins;
    // The previous output, the next staging folder, holds what it held when its build
    // saved its state, and nothing was written there since.
    state.older = Older {
        finished: last.saved_at,
        dropped: dropped(&last.files, &state.files),
    };
    state.inputs = loaded.inputs;
    state.summary = Summary {
        pages: written.pages,
        practices: loaded.site.practices.len(),
        languages: loaded.site.config.languages.len(),
        warnings: warnings.clone(),
    };
    // The output is in place: what it holds is recorded for the next build. A build that
    // stops before this leaves a record that no longer matches: the next build makes what
    // it cannot keep.
    let _ = state.save(&cache.state(&dest));
    timings.commit = t.elapsed();
    let summary = BuildSummary {
        pages: written.pages,
        rendered: written.rendered,
        files: state.file_count(),
        languages: loaded.site.config.languages.len(),
        practices: loaded.site.practices.len(),
        parsed: parsed_files,
        elapsed: started.elapsed(),
        timings,
        warnings,
        output: dest,
        up_to_date: false,
        cards_drawn: written.cards_drawn,
    };
    crate::memory::drop_in_background((loaded, state, last));
    Ok(summary)
}

/// The files of `before` that `after` does not have, but for the images' (the listing of
/// the next build reads their folder whole, not knowing its files: see
/// [`crate::incremental::is_apart`]).
fn dropped(before: &output::Records, after: &output::Records) -> Vec<String> {
    use rayon::prelude::*;
    before
        .par_iter()
        .filter(|(rel, _)| !after.contains_key(*rel) && !is_apart(rel))
        .map(|(rel, _)| rel.clone())
        .collect()
}

/// Removes the cache folder of the site at `root` (`dir` when given): `casebook clean`.
/// Returns the folder, and whether there was one.
pub fn clean(
    root: &std::path::Path,
    dir: Option<&std::path::Path>,
) -> std::io::Result<(PathBuf, bool)> {
    let cache = Cache::new(root, dir);
    let removed = cache.clean()?;
    Ok((cache.dir().to_path_buf(), removed))
}
