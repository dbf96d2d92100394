//! Plan, index, render, publish: every output kept or made, into a sink.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use rayon::prelude::*;

use super::collisions::{check_collisions, paths_hash};
use super::indexes::{Files, SearchCache, indexes};
use super::{Loaded, Timings, Urgency};
use crate::diagnostics::Diagnostic;
use crate::images::{Images, share_card};
use crate::incremental::{BuildState, Fingerprints, is_apart};
use crate::input::config::ShareCards;
use crate::output::{self, Content, Records, Sink};
use crate::plan::{self, Dep, PageKind, Planned};
use crate::publish;
use crate::render::share_card::CardTemplate;
use crate::render::{self, AssetUrls, Renderer};

/// Stop rendering after this many distinct template errors: one broken template would
/// otherwise fail the same way on every page.
const MAX_ERRORS: usize = 20;

/// What [`write`] did.
#[derive(Debug)]
pub struct Written {
    /// What the output holds now.
    pub state: BuildState,
    /// HTML pages planned.
    pub pages: usize,
    /// Pages made (the others were kept).
    pub rendered: usize,
    /// Outputs whose inputs changed but that were left for later (see [`Urgency`]).
    pub pending: usize,
    /// Per phase.
    pub timings: Timings,
    /// Warnings about what bodies point at (see [`super::references`]).
    pub warnings: Vec<Diagnostic>,
    /// Share cards drawn (the others were kept, or taken from the cache folder).
    pub cards_drawn: usize,
}

/// Planned pages, each with what it is made from.
struct Work<'a> {
    pages: Vec<(&'a Planned, u64, Option<Retarget<'a>>)>,
    /// Per page: whether it waits for its catalogue index.
    waiting: Vec<bool>,
}

/// The errors of the outputs made, by position (pages first, then groups of files), so
/// that the report is the same on every run; counted, to stop after [`MAX_ERRORS`].
#[derive(Default)]
struct Errors {
    found: std::sync::Mutex<Vec<(usize, Diagnostic)>>,
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
struct Retarget<'a> {
    old_made_from: u64,
    urls: Vec<(&'a str, &'a str)>,
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

/// Plan, index, render, publish: writes the outputs of `loaded` into `sink`, keeping those
/// whose inputs did not change since `last` (what the output holds now). Returns the new
/// state, to be committed with the sink's own commit.
pub fn write(
    loaded: &Loaded,
    last: &BuildState,
    sink: &dyn Sink,
    urgency: &Urgency,
) -> Result<Written, Vec<Diagnostic>> {
    let Loaded {
        site,
        theme,
        i18n,
        engine,
        settings,
        ..
    } = loaded;
    let mut timings = Timings::default();
    let t = Instant::now();
    let plan = loaded.plan();
    let card_template = match site.config.share_cards {
        ShareCards::Drawn => CardTemplate::load(theme)?,
        ShareCards::Generic => None,
    };
    let cards = share_card::plan(site, i18n, theme, card_template.as_ref().map(|t| t.text()));
    // The images are looked at while the pages' prints are worked out and their links
    // checked, which need none of them. The model's prints are made first, here: made in a
    // parallel task, they would hold a thread of the pool waiting for work that thread may
    // be needed for (two builds at once would wait for each other).
    let model_prints = loaded.model_prints();
    let (images, (prints, mut found)) = rayon::join(
        || Images::probe(site, theme, Some(loaded.cache.images())).with_share_cards(cards),
        || {
            rayon::join(
                || Fingerprints::of(site, model_prints, theme, *settings),
                || super::references(site, theme, plan),
            )
        },
    );
    let draw = |card: &share_card::Card| match &card_template {
        Some(t) => t.draw(card, theme.map.as_ref()),
        None => Err(Diagnostic::new(
            crate::diagnostics::Code::ThemeMissing,
            "the theme has no share-card.svg",
        )),
    };
    let prints = prints.with_images(site, &images, theme);
    let assets = match loaded.assets {
        AssetUrls::Fingerprinted => theme.assets(),
        AssetUrls::Plain => Vec::new(),
    };
    // A processed source is published only as its processed files: the original keeps its
    // metadata (the GPS position of a phone's photo) and its megabytes.
    let mut groups = publish::groups(site, i18n, theme, &assets, plan, &|rel| {
        !images.is_source(rel)
    });
    groups.extend(images.groups(&draw));
    let paths = paths_hash(plan, &groups);
    if paths != last.paths {
        check_collisions(plan, &groups, theme)?;
    }
    found.extend(images.diagnostics(site));
    let (errors, warnings): (Vec<_>, Vec<_>) = found.into_iter().partition(Diagnostic::is_error);
    if !errors.is_empty() {
        return Err(errors);
    }
    timings.plan = t.elapsed();

    let t = Instant::now();
    let mut records = Records::default();
    let mut state_groups: HashMap<String, Vec<String>> = HashMap::new();
    // The languages whose catalogue pages are asked for first: their indexes are made now.
    let needed: HashSet<usize> = plan
        .iter()
        .filter(|p| urgency.first.contains(&p.url))
        .filter_map(|p| match p.kind {
            plan::PageKind::Catalogue { lang, .. } => Some(lang),
            _ => None,
        })
        .collect();
    let groups: Vec<(publish::Group, u64)> = groups
        .into_par_iter()
        .map(|g| {
            let made_from = prints.made_from(&g.name, None, &g.deps, None);
            (g, made_from)
        })
        .collect();
    // The files beside the pages (open data, feeds, sitemaps, images) need no index: they
    // are made while the indexes are, each on a core of its own when one language's index
    // is all there is to make (a summary edited).
    let errors = Errors::default();
    let pending = AtomicUsize::new(0);
    let images_print = images_print(&groups);
    let (index, (files, whole)) = rayon::join(
        || {
            indexes(
                site,
                i18n,
                theme,
                &prints,
                last,
                sink,
                (urgency, &needed),
                &images,
                SearchCache {
                    dir: &loaded.cache.search(),
                    settings: loaded.settings,
                },
                &mut records,
                &mut state_groups,
            )
        },
        || {
            // The images' folder kept whole: it holds the files these groups make.
            let prefix = format!("{}/", crate::images::variants::DIR);
            let whole = images_print != 0
                && last.images == images_print
                && sink.keep_whole(&prefix, last.apart_files());
            let groups = (groups.as_slice(), plan.len(), whole);
            (
                make_files(groups, last, sink, urgency, &errors, &pending),
                whole,
            )
        },
    );
    let (index, index_pending) = index?;
    timings.index = t.elapsed();

    let t = Instant::now();
    let index_url = |lang: usize| -> Option<&str> {
        let code = &site.config.languages[lang];
        index
            .iter()
            .find(|i| &i.lang == code)
            .map(|i| i.url.as_str())
    };
    let retarget = |p: &Planned, lang: usize| -> Option<Retarget> {
        let code = &site.config.languages[lang];
        let old = last.indexes.iter().find(|i| &i.lang == code)?;
        let new = index.iter().find(|i| &i.lang == code)?;
        if old.url == new.url {
            return None;
        }
        let mut urls = vec![(old.url.as_str(), new.url.as_str())];
        if let (Some(o), Some(n)) = (&old.map_url, &new.map_url)
            && o != n
        {
            urls.push((o.as_str(), n.as_str()));
        }
        Some(Retarget {
            old_made_from: prints.page(p, Some(&old.url)),
            urls,
        })
    };
    let work = Work {
        pages: plan
            .par_iter()
            .map(|p| {
                let lang = match p.kind {
                    plan::PageKind::Catalogue { lang, .. } => Some(lang),
                    _ => None,
                };
                let made_from = prints.page(p, lang.and_then(index_url));
                (p, made_from, lang.and_then(|l| retarget(p, l)))
            })
            .collect(),
        // Catalogue pages whose index is not made yet (see [`Urgency::defer_indexes`]).
        waiting: plan
            .iter()
            .map(|p| match p.kind {
                plan::PageKind::Catalogue { lang, .. } => index_url(lang).is_none(),
                _ => false,
            })
            .collect(),
    };
    let renderer = Renderer::new(site, i18n, theme, engine, &index).with_images(&images);
    let made = make_pages(&work, &renderer, last, sink, urgency, &errors, &pending);
    renderer.free_in_background();
    let errors = errors.found.into_inner().unwrap_or_default();
    if !errors.is_empty() {
        return Err(render::distinct(errors));
    }
    images.prune();
    timings.render = t.elapsed();
    drop(work);
    drop(groups);
    let cards_drawn = images.cards_drawn();
    images.free_in_background();

    // The few files of the indexes into the many of the pages, not the other way round.
    let mut all = made.records;
    all.reserve(records.len() + files.iter().map(|(_, f)| f.len()).sum::<usize>());
    all.extend(records);
    for (name, files) in files {
        state_groups.insert(name, files.iter().map(|(f, _)| f.clone()).collect());
        all.extend(files);
    }
    let mut state = BuildState::new(all);
    state.groups = state_groups;
    state.images = images_print;
    if whole {
        state.carry_apart(last);
    }
    state.indexes = index;
    state.paths = paths;
    Ok(Written {
        state,
        pages: plan.iter().filter(|p| p.file().ends_with(".html")).count(),
        rendered: made.rendered,
        pending: pending.into_inner() + index_pending,
        timings,
        warnings,
        cards_drawn,
    })
}

/// What [`make_pages`] did.
struct Made {
    records: Records,
    rendered: usize,
}

/// Keeps or makes every page of `work`, reporting problems to `errors` and counting the
/// pages left for later in `pending`.
fn make_pages(
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
fn images_print(groups: &[(publish::Group, u64)]) -> u64 {
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
fn make_files(
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
