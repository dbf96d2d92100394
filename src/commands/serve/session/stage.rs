//! Rendering into the staging folder, then moving what changed into place.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use super::{Dirty, Kind, Outcome, Prepared, Session, Staged, View, Written};
use crate::diagnostics::{Code, Diagnostic, Location};
use crate::incremental::fingerprints::needs_render;
use crate::index::LanguageIndex;
use crate::output::{MARKER, MARKER_TEXT};
use crate::plan::Planned;
use crate::render::{self, Contexts};

/// Output files with their bytes.
type Files = Vec<(String, Vec<u8>)>;

impl Session {
    /// Renders the pages `dirty` calls for and recomputes the other outputs it names, into
    /// the staging folder. Writes nothing in place.
    pub(super) fn prepare(&self, view: &View, dirty: &Dirty) -> Result<Prepared, Vec<Diagnostic>> {
        let site = view.site;
        // The search index: with the model, or when settling after body-only changes.
        let mut index_langs = HashSet::new();
        let new_index = (dirty.render.all || dirty.index).then(|| {
            let labels = |tax, key: &str, lang: &str| {
                render::context::term_label(&site.config, view.i18n, tax, key, lang)
            };
            let index = crate::index::build(site, &labels, view.theme.map.as_ref());
            for (li, lang) in site.config.languages.iter().enumerate() {
                // Catalogue pages name the index and its map file.
                let url = |all: &[LanguageIndex]| {
                    all.iter()
                        .find(|i| &i.lang == lang)
                        .map(|i| (i.url.clone(), i.map_url.clone()))
                };
                if url(view.index) != url(&index) {
                    index_langs.insert(li);
                }
            }
            index
        });
        let index: &[LanguageIndex] = new_index.as_deref().unwrap_or(view.index);

        let _ = std::fs::remove_dir_all(&self.staging);
        std::fs::create_dir_all(&self.staging).map_err(|e| {
            vec![
                Diagnostic::new(
                    Code::WriteFailed,
                    format!("cannot create {}: {e}", self.staging.display()),
                )
                .hint("check free disk space and permissions"),
            ]
        })?;
        let counter = AtomicUsize::new(0);
        let stage = |rel: &str, bytes: &[u8], kind: Kind| -> Result<Option<Staged>, Diagnostic> {
            let hash = xxh3_64(bytes);
            if self
                .tree
                .get(rel)
                .is_some_and(|w| w.hash == hash && w.kind == kind)
            {
                return Ok(None);
            }
            let tmp = self
                .staging
                .join(counter.fetch_add(1, Ordering::Relaxed).to_string());
            std::fs::write(&tmp, bytes).map_err(|e| {
                Diagnostic::new(
                    Code::WriteFailed,
                    format!("cannot write {}: {e}", tmp.display()),
                )
                .hint("check free disk space and permissions")
            })?;
            Ok(Some(Staged {
                rel: rel.to_string(),
                tmp,
                hash,
                kind,
            }))
        };

        let (tera, files) = view.engine;
        let contexts = Contexts::new(site, view.i18n, view.theme.map.as_ref())
            .with_index(index)
            .with_card_html(tera);
        // When settling, a batch of the deferred pages is rendered too.
        let batch: HashSet<&String> = if dirty.settle {
            self.deferred_pages
                .iter()
                .take(super::SETTLE_BATCH)
                .collect()
        } else {
            HashSet::new()
        };
        let mut todo: Vec<&Planned> = view
            .plan
            .iter()
            .filter(|p| {
                let new = view.plan_changed && !self.tree.contains_key(&p.file());
                new || needs_render(site, p, &dirty.render, &index_langs) || {
                    let file = p.file();
                    self.deferred_pages.contains(&file)
                        && (batch.contains(&file) || self.open_pages.contains(&p.url))
                }
            })
            .collect();
        // Many pages (a template used everywhere): the open ones now, the rest later.
        let mut later = Vec::new();
        if !view.plan_changed && !dirty.settle && todo.len() > self.eager_pages {
            let (now, rest): (Vec<&Planned>, Vec<&Planned>) = todo
                .into_iter()
                .partition(|p| self.open_pages.contains(&p.url));
            later = rest.iter().map(|p| p.file()).collect();
            todo = now;
        }
        // Deferred pages that are rendered now, or no longer planned, are done with.
        let mut done: Vec<String> = todo.iter().map(|p| p.file()).collect();
        done.extend(batch.into_iter().cloned());
        if view.plan_changed {
            let planned: HashSet<String> = view.plan.iter().map(Planned::file).collect();
            done.extend(
                self.deferred_pages
                    .iter()
                    .filter(|f| !planned.contains(*f))
                    .cloned(),
            );
        }
        let results: Vec<Result<Option<Staged>, Diagnostic>> = todo
            .par_iter()
            .map(|page| {
                let html = render::render_page(tera, files, &contexts, page)?;
                stage(&page.file(), html.as_bytes(), Kind::Page)
            })
            .collect();
        let mut errors = Vec::new();
        let mut staged = Vec::new();
        for r in results {
            match r {
                Ok(Some(s)) => staged.push(s),
                Ok(None) => {}
                Err(d) => errors.push(d),
            }
        }

        // The other outputs, each kind recomputed as a whole.
        let mut recomputed: Vec<(Kind, Files)> = Vec::new();
        if dirty.render.all || dirty.statics {
            let mut out = Vec::new();
            for (rel, file) in &view.theme.static_files {
                match file.bytes() {
                    Ok(b) => out.push((rel.clone(), b.into_owned())),
                    Err(e) => errors.push(
                        Diagnostic::new(Code::ReadError, format!("cannot read: {e}"))
                            .at(Location::file(rel))
                            .hint("check the file's permissions"),
                    ),
                }
            }
            for (plain, hashed) in view.theme.fingerprinted_files() {
                if let Some(Ok(b)) = view.theme.static_files.get(&plain).map(|f| f.bytes()) {
                    out.push((hashed, b.into_owned()));
                }
            }
            recomputed.push((Kind::Static, out));
        }
        if let Some(index) = &new_index {
            let out = index
                .iter()
                .flat_map(|l| l.files.iter().map(|f| (f.path.clone(), f.bytes.clone())))
                .collect();
            recomputed.push((Kind::Index, out));
        }
        if dirty.render.all || dirty.published {
            let mut out: Vec<(String, Vec<u8>)> =
                crate::publish::sitemap::sitemaps(site, view.plan)
                    .into_iter()
                    .map(|(n, x)| (n, x.into_bytes()))
                    .collect();
            out.extend(crate::publish::files(
                site,
                view.i18n,
                view.theme.map.as_ref(),
            ));
            recomputed.push((Kind::Published, out));
        }
        if dirty.render.all {
            recomputed.push((
                Kind::Marker,
                vec![(MARKER.to_string(), MARKER_TEXT.as_bytes().to_vec())],
            ));
        }
        let mut keep: HashMap<Kind, HashSet<&str>> = HashMap::new();
        keep.insert(Kind::Page, HashSet::new());
        for (kind, out) in &recomputed {
            let set = keep.entry(*kind).or_default();
            for (rel, bytes) in out {
                set.insert(rel);
                match stage(rel, bytes, *kind) {
                    Ok(Some(s)) => staged.push(s),
                    Ok(None) => {}
                    Err(d) => errors.push(d),
                }
            }
        }
        if !errors.is_empty() {
            let _ = std::fs::remove_dir_all(&self.staging);
            // One broken template fails many pages the same way: report it once.
            let mut seen = HashSet::new();
            errors.retain(|d| seen.insert((d.location.clone(), d.message.clone())));
            return Err(errors);
        }
        // Pages of the good plan that are no longer planned, when the plan changed.
        let pages: HashSet<String> = if view.plan_changed {
            view.plan.iter().map(Planned::file).collect()
        } else {
            HashSet::new()
        };
        let stale = self
            .tree
            .iter()
            .filter(|(rel, w)| match w.kind {
                Kind::Page => view.plan_changed && !pages.contains(*rel),
                kind => keep.get(&kind).is_some_and(|s| !s.contains(rel.as_str())),
            })
            .map(|(rel, _)| rel.clone())
            .collect();
        Ok(Prepared {
            staged,
            stale,
            rendered: todo.len(),
            done,
            later,
            index: new_index,
        })
    }

    /// Moves the staged files into place and removes stale ones.
    pub(super) fn commit(
        &mut self,
        p: Prepared,
        path: &'static str,
        started: Instant,
    ) -> (Outcome, Option<Vec<LanguageIndex>>) {
        let mut outcome = Outcome {
            rendered: p.rendered,
            path,
            ..Outcome::default()
        };
        // Replaced and removed files go to a trash folder first (a hard link, or a rename),
        // which is emptied in the background: freeing a file's blocks can take a
        // millisecond on some file systems, and a rebuild may replace thousands of them.
        let trash = self.trash_dir();
        let mut trashed = 0usize;
        let mut to_trash = |file: &Path, move_it: bool| {
            if trashed == 0 {
                let _ = std::fs::create_dir_all(&trash);
            }
            trashed += 1;
            let spot = trash.join(trashed.to_string());
            if move_it {
                std::fs::rename(file, spot).is_ok()
            } else {
                std::fs::hard_link(file, spot).is_ok()
            }
        };
        for s in p.staged {
            let target = self.dir.join(&s.rel);
            if let Some(parent) = target.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            if self.tree.contains_key(&s.rel) {
                to_trash(&target, false);
            }
            match std::fs::rename(&s.tmp, &target) {
                Ok(()) => {
                    self.tree.insert(
                        s.rel.clone(),
                        Written {
                            hash: s.hash,
                            kind: s.kind,
                        },
                    );
                    outcome.written += 1;
                    note_change(&mut outcome, &s.rel);
                }
                Err(e) => outcome.errors.push(
                    Diagnostic::new(
                        Code::WriteFailed,
                        format!("cannot write {}: {e}", target.display()),
                    )
                    .hint("check free disk space and permissions"),
                ),
            }
        }
        for rel in p.stale {
            let file = self.dir.join(&rel);
            if to_trash(&file, true) || std::fs::remove_file(&file).is_ok() || !file.exists() {
                self.tree.remove(&rel);
                outcome.removed += 1;
                remove_empty_parents(&self.dir, &file);
            }
        }
        let _ = std::fs::remove_dir_all(&self.staging);
        if trashed > 0 {
            std::thread::spawn(move || std::fs::remove_dir_all(trash));
        }
        for f in &p.done {
            self.deferred_pages.remove(f);
        }
        self.deferred_pages.extend(p.later);
        outcome.pages.sort();
        outcome.stylesheets.sort();
        if let Some(g) = &self.good {
            outcome.warnings = g.i18n.missing_warnings();
        }
        outcome.elapsed = started.elapsed();
        (outcome, p.index)
    }
}

impl Session {
    /// A new folder for the files a commit replaces or removes, beside the staging folder.
    fn trash_dir(&mut self) -> std::path::PathBuf {
        self.trash_count += 1;
        let name = format!("trash-{}", self.trash_count);
        self.staging.with_file_name(name)
    }
}

/// Notes a written file: a page's URL path, a stylesheet, or another asset.
pub(super) fn note_change(outcome: &mut Outcome, rel: &str) {
    const ASSETS: [&str; 10] = [
        ".js", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".woff", ".woff2",
    ];
    if rel == "index.html" {
        outcome.pages.push("/".into());
    } else if let Some(dir) = rel.strip_suffix("/index.html") {
        outcome.pages.push(format!("/{dir}/"));
    } else if rel.ends_with(".html") {
        outcome.pages.push(format!("/{rel}"));
    } else if rel.ends_with(".css") {
        outcome.stylesheets.push(format!("/{rel}"));
    } else if ASSETS.iter().any(|e| rel.ends_with(e)) {
        outcome.assets = true;
    }
}

/// Removes the folders that removing `file` left empty, up to `root`.
pub(super) fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}
