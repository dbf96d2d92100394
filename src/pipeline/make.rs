//! Each output kept or made: the pages, and the groups of files beside them, into a sink,
//! their problems gathered in one order whatever the cores did first.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::Urgency;
use super::indexes::Files;
use crate::diagnostics::Diagnostic;
use crate::incremental::{BuildState, is_apart};
use crate::output::{self, Content, Records, Sink};
use crate::plan::{Dep, PageKind, Planned};
use crate::publish;
use crate::render::Renderer;

/// Stop rendering after this many distinct template errors: one broken template would
/// otherwise fail the same way on every page.
const MAX_ERRORS: usize = 20;

/// Planned pages, each with what it is made from.
pub(super) struct Work<'a> {
    pub(super) pages: Vec<(&'a Planned, u64, Option<Retarget<'a>>)>,
    /// Per page: whether it waits for its catalogue index.
    pub(super) waiting: Vec<bool>,
}

/// The errors of the outputs made, by position (pages first, then groups of files), so
/// that the report is the same on every run; counted, to stop after [`MAX_ERRORS`].
#[derive(Default)]
pub(super) struct Errors {
    pub(super) found: std::sync::Mutex<Vec<(usize, Diagnostic)>>,
    count: AtomicUsize,
}

impl Errors {
    fn report(&self, i: usize, d: Diagnostic) {
        if let Ok(mut e) = self.found.lock() {
            e.push((i, d));
            self.count.store(e.len(), Ordering::Relaxed);
        }
    }

    fn too_many(&self) -> bool {
        self.count.load(Ordering::Relaxed) >= MAX_ERRORS
    }
}

/// A catalogue page whose language's index got a new name: when nothing else it depends on
/// changed (it was made from `old_made_from`), the new page is the last one with the index's
/// old URLs replaced by the new ones, which costs a read instead of a render. The URLs
/// hold a hash of the index, so they appear nowhere else in a page.
pub(super) struct Retarget<'a> {
    pub(super) old_made_from: u64,
    pub(super) urls: Vec<(&'a str, &'a str)>,
}

impl Retarget<'_> {
    /// The page `before` with the index's old URLs replaced.
    fn apply(&self, before: Vec<u8>) -> Option<Vec<u8>> {
        let mut text = String::from_utf8(before).ok()?;
        for (old, new) in &self.urls {
            text = text.replace(old, new);
        }
        Some(text.into_bytes())
    }
}

/// What [`make_pages`] did.
pub(super) struct Made {
    pub(super) records: Records,
    pub(super) rendered: usize,
}

/// Keeps or makes every page of `work`, reporting problems to `errors` and counting the
/// pages left for later in `pending`.
pub(super) fn make_pages(
    work: &Work,
    renderer: &Renderer,
    last: &BuildState,
    sink: &dyn Sink,
    urgency: &Urgency,
    errors: &Errors,
    pending: &AtomicUsize,
) -> Made {
    // The pages whose inputs changed, and of those, the ones to make now (by position).
    let changed: Vec<usize> = work
        .pages
        .par_iter()
        .enumerate()
        .filter(|(_, (p, made_from, _))| {
            last.files
                .get(p.file())
                .is_none_or(|r| r.made_from != *made_from)
        })
        .map(|(i, _)| i)
        .collect();
    let mut now = vec![false; work.pages.len()];
    match urgency.pages {
        Some(limit) if changed.len() > limit => {
            // The open pages first, then practices' pages (an edited practice's own among
            // them), then the rest: listing pages, which a new title or date shifts by the
            // hundred.
            let first: HashSet<&str> = urgency.first.iter().map(String::as_str).collect();
            let (open, rest): (Vec<usize>, Vec<usize>) = changed
                .iter()
                .partition(|&&i| first.contains(work.pages[i].0.url.as_str()));
            let (practices, listings): (Vec<usize>, Vec<usize>) = rest
                .into_iter()
                .partition(|&i| matches!(work.pages[i].0.kind, PageKind::Practice { .. }));
            // Listing pages of one language at a time: they show its cards, which are made
            // once per rebuild and held to its end (30 MB a language at 10,000 practices).
            let lang = |i: usize| work.pages[i].0.kind.lang();
            let first_lang = listings.iter().find_map(|&i| lang(i));
            let listings = listings
                .into_iter()
                .filter(|&i| lang(i).is_none() || lang(i) == first_lang);
            for i in open
                .into_iter()
                .chain(practices)
                .chain(listings)
                .take(limit.max(urgency.first.len()))
            {
                now[i] = true;
            }
        }
        _ => changed.iter().for_each(|&i| now[i] = true),
    }
    let mut is_changed = vec![false; work.pages.len()];
    changed.iter().for_each(|&i| is_changed[i] = true);
    let (changed, now) = (is_changed, now);

    let rendered = AtomicUsize::new(0);
    let records: Records = work
        .pages
        .par_iter()
        .enumerate()
        .filter_map(|(i, (page, made_from, retarget))| {
            if errors.too_many() {
                return None;
            }
            let file = page.file();
            let outcome = (|| {
                if work.waiting[i] {
                    pending.fetch_add(1, Ordering::Relaxed);
                    return Ok(last.files.get(file).copied());
                }
                if !changed[i]
                    && let Some(r) = sink.keep(file, *made_from)?
                {
                    return Ok(Some(r));
                }
                if changed[i] && !now[i] {
                    pending.fetch_add(1, Ordering::Relaxed);
                    return Ok(last.files.get(file).copied());
                }
                let was = last.files.get(file).map(|r| r.made_from);
                if let Some(r) = retarget
                    && was == Some(r.old_made_from)
                    && let Some(bytes) = sink.previous(file).and_then(|b| r.apply(b))
                {
                    return sink.write(file, &[&bytes], *made_from).map(Some);
                }
                if file.ends_with(".html") {
                    rendered.fetch_add(1, Ordering::Relaxed);
                }
                let html = renderer.page(page)?;
                sink.write(file, &[html.as_bytes()], *made_from).map(Some)
            })();
            match outcome {
                Ok(r) => r.map(|r| (file.to_string(), r)),
                Err(d) => {
                    errors.report(i, d);
                    None
                }
            }
        })
        .collect();
    Made {
        records,
        rendered: rendered.into_inner(),
    }
}

/// A hash of the names of the image groups of `groups` (the files of `_images/`) and of
/// what each is made from; 0 when there are none.
pub(super) fn images_print(groups: &[(publish::Group, u64)]) -> u64 {
    let images: Vec<(&str, u64)> = groups
        .iter()
        .filter(|(g, _)| is_apart(&g.name))
        .map(|(g, made_from)| (g.name.as_str(), *made_from))
        .collect();
    if images.is_empty() {
        return 0;
    }
    crate::hash::hash_value(&images)
}

/// Keeps or makes every group of files of `groups`, reporting problems to `errors` (at
/// `offset` and after, past the pages) and counting the groups left for later in
/// `pending`. When the images' folder is kept `whole`, the files of image groups there
/// are neither kept nor written one by one, nor recorded.
pub(super) fn make_files(
    (groups, offset, whole): (&[(publish::Group, u64)], usize, bool),
    last: &BuildState,
    sink: &dyn Sink,
    urgency: &Urgency,
    errors: &Errors,
    pending: &AtomicUsize,
) -> Vec<(String, Files)> {
    groups
        .par_iter()
        .enumerate()
        .filter_map(|(gi, (group, made_from))| {
            // Only the files out of the images' folder, when it is kept whole.
            let whole = whole && is_apart(&group.name);
            let outcome = (|| -> Result<Option<Files>, Diagnostic> {
                // Kept whole, an image group is the one the last build made: its files
                // out of the images' folder are in the state itself (none for a drawn
                // card), and the records saved apart are not read.
                let files = match whole {
                    true => Some(last.groups.get(&group.name).map_or(Vec::new(), |files| {
                        files.iter().filter(|f| !is_apart(f)).collect()
                    })),
                    false => last.group(&group.name),
                };
                if let Some(files) = files {
                    let mut kept = Vec::new();
                    for f in &files {
                        match sink.keep(f, *made_from)? {
                            Some(r) => kept.push(((*f).clone(), r)),
                            None => break,
                        }
                    }
                    if kept.len() == files.len() {
                        return Ok(Some(kept));
                    }
                    let copy = matches!(group.deps.as_slice(), [Dep::File(_)]);
                    if urgency.defer_files && !copy {
                        pending.fetch_add(1, Ordering::Relaxed);
                        return Ok(Some(
                            files
                                .iter()
                                .filter_map(|f| last.record(f).map(|r| ((*f).clone(), *r)))
                                .collect(),
                        ));
                    }
                }
                let copy = matches!(group.deps.as_slice(), [Dep::File(_)]);
                if urgency.defer_files && !copy && !last.groups.contains_key(&group.name) {
                    // Not made yet, and not needed to show a page: made later.
                    pending.fetch_add(1, Ordering::Relaxed);
                    return Ok(None);
                }
                let mut written = Vec::new();
                for (path, content) in (group.make)()? {
                    if whole && is_apart(&path) {
                        continue;
                    }
                    let record = match content {
                        Content::Bytes(bytes) => sink.write(&path, &[&bytes], *made_from)?,
                        Content::Pieces(pieces) => {
                            sink.write(&path, &pieces.slices(), *made_from)?
                        }
                        Content::Cached(from, known) => {
                            match sink.link(&path, &from, &known, *made_from)? {
                                Some(r) => r,
                                None => {
                                    let bytes = output::read_cached(&from, &known)?;
                                    sink.write(&path, &[&bytes], *made_from)?
                                }
                            }
                        }
                    };
                    written.push((path, record));
                }
                Ok(Some(written))
            })();
            match outcome {
                Ok(r) => r.map(|r| (group.name.clone(), r)),
                Err(d) => {
                    errors.report(offset + gi, d);
                    None
                }
            }
        })
        .collect()
}
