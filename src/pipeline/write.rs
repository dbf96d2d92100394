//! Plan, index, render, publish: every output kept or made, into a sink.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::AtomicUsize;
use std::time::Instant;

use rayon::prelude::*;

use super::collisions::{check_collisions, paths_hash};
use super::indexes::{SearchCache, indexes};
use super::make::{Errors, Retarget, Work, images_print, make_files, make_pages};
use super::{Loaded, Timings, Urgency};
use crate::diagnostics::Diagnostic;
use crate::images::{Images, share_card};
use crate::incremental::{BuildState, Fingerprints};
use crate::input::config::ShareCards;
use crate::output::{Records, Sink};
use crate::plan::{self, Planned};
use crate::publish;
use crate::render::share_card::CardTemplate;
use crate::render::{self, AssetUrls, Renderer};

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
