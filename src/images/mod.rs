//! Responsive images: every image a practice shows (its front-matter `image`, and the
//! images of bodies that are files of static/) published in a few widths for where it is
//! shown, as WebP with a JPEG or PNG fallback, its EXIF orientation applied and its
//! metadata left behind.
//!
//! - [`decode`]: a source's header and pixels, within limits;
//! - [`variants`]: which files a source becomes (pure arithmetic on its size);
//! - [`encode`]: cropping, resizing and encoding them;
//! - [`store`]: the processed files in the cache folder, reused across builds and `serve`
//!   sessions, and the sources' sizes, so that an unchanged source is not read again;
//! - [`share_card`]: the share cards casebook draws for practices without a photo, kept in
//!   the same cache (which card a page names, and their files: [`cards`]).
//!
//! [`Images::probe`] runs before the pages are planned: pages name the files (with their
//! widths and heights) from the sources' headers alone. The files are made by
//! [`Images::groups`], beside the pages, in parallel with them; a rebuild keeps them like
//! any unchanged output, and a build into a new folder takes them from the cache.

pub mod cards;
pub mod decode;
pub mod encode;
pub mod places;
pub mod share_card;
pub mod store;
pub mod variants;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic};
use crate::model::Site;
use crate::output::Content;
use crate::theme::{FileSource, Theme};

pub use decode::Header;
pub use places::Place;
pub use variants::{Format, Role, Variant};

/// A source larger than this many pixels is worth a warning (a phone's photo is 12).
const LARGE_PIXELS: u64 = 20_000_000;
/// A source file larger than this is worth a warning.
const LARGE_BYTES: u64 = 10 << 20;

/// One source image, as probed.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    /// Its file on disk.
    pub path: &'a Path,
    /// Its size in bytes.
    pub len: u64,
    /// xxh3 of its bytes.
    pub hash: u64,
    /// Its header, or why it cannot be read.
    pub header: Result<Header, decode::Unreadable>,
    /// Where it is first used, for diagnostics.
    pub place: Place,
    /// Where it is shown: each role once, in order.
    uses: Vec<(Role, Use)>,
    /// A hash of what pages show of it: its files' names and sizes, from what they are
    /// worked out of (see [`variants::print`]).
    pub print: u64,
}

/// One place a source is shown.
#[derive(Debug, Clone)]
struct Use {
    /// The focal point there.
    focus: (f64, f64),
    /// The files made of the source for it, named when first asked for (see
    /// [`Source::files`]).
    files: OnceLock<Vec<Variant>>,
}

impl Source<'_> {
    /// The files made of this source (found at `rel` under static/) for `role`; none when
    /// it is not shown there or its header cannot be read. A rebuild that keeps its files
    /// and renders no page showing it never names them.
    pub fn files(&self, rel: &str, role: Role) -> &[Variant] {
        let (Ok(h), Some(at)) = (&self.header, self.shown_as(role)) else {
            return &[];
        };
        at.files
            .get_or_init(|| variants::of(rel, self.hash, h, role, at.focus))
    }

    /// How it is shown as `role`, when it is.
    fn shown_as(&self, role: Role) -> Option<&Use> {
        self.uses.iter().find(|(r, _)| *r == role).map(|(_, at)| at)
    }

    /// Every file made of this source (found at `rel`), role after role.
    fn all_files<'a>(&'a self, rel: &'a str) -> impl Iterator<Item = &'a Variant> {
        self.uses
            .iter()
            .flat_map(move |&(role, _)| self.files(rel, role))
    }

    /// Whether files are made of it: its header can be read and it is shown somewhere.
    fn has_files(&self) -> bool {
        self.header.is_ok() && !self.uses.is_empty()
    }
}

/// The files of one image in one place, as a page names them.
#[derive(Debug, Clone)]
pub struct Picture {
    /// `srcset` of the WebP files.
    pub webp: String,
    /// `srcset` of the fallbacks.
    pub srcset: String,
    /// The fallbacks' MIME type.
    pub mime: &'static str,
    /// The URL of the file for `src`: the widest fallback at most 800 pixels wide.
    pub src: String,
    /// Its path from the site root.
    pub path: String,
    /// Its width.
    pub width: u32,
    /// Its height.
    pub height: u32,
    /// The `sizes` attribute.
    pub sizes: &'static str,
}

/// The width of the file named by `src` (and whose size fills `width` and `height`): the
/// widest at most this, or the narrowest.
const DEFAULT_WIDTH: u32 = 800;

/// The sources a site shows, by path under static/ (as the theme holds them).
#[derive(Debug, Default)]
pub struct Images<'a> {
    /// In the order of their paths.
    sources: Vec<(&'a str, Source<'a>)>,
    /// Each source's place in `sources`, by path.
    at: rustc_hash::FxHashMap<&'a str, usize>,
    /// The cache folder's images (`None`: nothing is cached).
    store: Option<store::Store>,
    /// Whether the sources differ from the last build's, or a file was made: only then can
    /// the cache hold files nothing uses.
    changed: std::sync::atomic::AtomicBool,
    /// The drawn share cards (see [`cards`]).
    cards: cards::Cards,
}

/// Whether `rel` (a path under static/) names a kind of image casebook processes.
pub fn processed_kind(rel: &str) -> bool {
    rel.rsplit_once('.').is_some_and(|(_, ext)| {
        ["jpg", "jpeg", "png", "webp"]
            .iter()
            .any(|e| ext.eq_ignore_ascii_case(e))
    })
}

impl<'a> Images<'a> {
    /// The images of `site`: every source is looked at (its size and bytes' hash from the
    /// cache in `store_dir` when the file did not change, else from its header), and the
    /// files it becomes are named.
    pub fn probe(site: &Site, theme: &'a Theme, store_dir: Option<PathBuf>) -> Images<'a> {
        let uses = places::collect(site, theme);
        let store = store_dir.map(store::Store::new);
        let saved = store.as_ref().map(store::Store::read_probes);
        let known = saved.as_deref().map(store::known).unwrap_or_default();
        // Both in the order of their paths: each source's probe found side by side.
        let mut last = known.iter().peekable();
        let uses: Vec<_> = uses
            .into_iter()
            .map(|(rel, file, uses)| {
                while last.next_if(|(k, _)| *k < rel).is_some() {}
                let known = last.next_if(|(k, _)| *k == rel).map(|(_, p)| p);
                (rel, file, uses, known)
            })
            .collect();
        let probed: Vec<(&str, store::Probe, Source)> = uses
            .into_par_iter()
            .filter_map(|(rel, file, (place, uses), known)| {
                // A file of the built-in theme is published as it is.
                let FileSource::Disk(path) = &file.source else {
                    return None;
                };
                let probe = store::probe(path, file.version().disk, known);
                let header = probe.header.clone();
                let print = variants::print(rel, probe.hash, header.as_ref().ok(), &uses);
                let uses = uses
                    .into_iter()
                    .map(|(role, focus)| {
                        let files = OnceLock::new();
                        (role, Use { focus, files })
                    })
                    .collect();
                let source = Source {
                    path,
                    len: probe.len,
                    hash: probe.hash,
                    header,
                    place,
                    uses,
                    print,
                };
                Some((rel, probe, source))
            })
            .collect();
        // In the order of their paths, as `known` is: compared side by side.
        let changed = !probed
            .iter()
            .map(|(rel, probe, _)| (*rel, probe))
            .eq(known.iter().map(|(rel, probe)| (*rel, probe)));
        if let Some(s) = &store
            && changed
        {
            let probes: Vec<(&str, &store::Probe)> =
                probed.iter().map(|(rel, probe, _)| (*rel, probe)).collect();
            s.save_probes(&probes);
        }
        let sources: Vec<(&str, Source)> = probed
            .into_iter()
            .map(|(rel, _, source)| (rel, source))
            .collect();
        let at = sources
            .iter()
            .enumerate()
            .map(|(i, (rel, _))| (*rel, i))
            .collect();
        Images {
            sources,
            at,
            store,
            changed: changed.into(),
            cards: cards::Cards::default(),
        }
    }

    /// Frees these images, the share cards and the cache's records on a background thread
    /// (see [`crate::memory::drop_in_background`]); the sources, which borrow the theme's
    /// paths, here.
    pub fn free_in_background(self) {
        let Images {
            sources,
            at,
            store,
            cards,
            ..
        } = self;
        crate::memory::drop_in_background((store, cards));
        drop((sources, at));
    }

    /// The source at `rel`, when it is shown somewhere.
    pub fn source(&self, rel: &str) -> Option<&Source<'a>> {
        self.at.get(rel).map(|&i| &self.sources[i].1)
    }

    /// Whether `rel` is a source whose processed files are published instead of it.
    pub fn is_source(&self, rel: &str) -> bool {
        self.source(rel).is_some_and(|s| s.header.is_ok())
    }

    /// The files of `rel` for `role`, when it has any.
    pub fn variants(&self, rel: &str, role: Role) -> Option<&[Variant]> {
        Some(self.source(rel)?.files(rel, role)).filter(|v| !v.is_empty())
    }

    /// How a page names the files of `rel` shown as `role`, `url` making a path a URL.
    pub fn picture(&self, rel: &str, role: Role, url: &dyn Fn(&str) -> String) -> Option<Picture> {
        let variants = self.variants(rel, role)?;
        let fallback = variants.iter().find(|v| v.format != Format::WebP)?.format;
        let shown = variants
            .iter()
            .filter(|v| v.format == fallback)
            .take_while(|v| v.width <= DEFAULT_WIDTH)
            .last()
            .or_else(|| variants.iter().find(|v| v.format == fallback))?;
        let srcset = |format: Format| {
            variants
                .iter()
                .filter(|v| v.format == format)
                .map(|v| format!("{} {}w", url(&v.path), v.width))
                .collect::<Vec<_>>()
                .join(", ")
        };
        Some(Picture {
            webp: srcset(Format::WebP),
            srcset: srcset(fallback),
            mime: fallback.mime(),
            src: url(&shown.path),
            path: shown.path.clone(),
            width: shown.width,
            height: shown.height,
            sizes: role.sizes(),
        })
    }

    /// A hash of what pages show of `rel` (the names and sizes of its files), to tell when
    /// pages that show it must be made again.
    pub fn print(&self, rel: &str) -> u64 {
        self.source(rel).map_or(0, |s| s.print)
    }

    /// The unreadable sources (errors), and the ones too large or too small (warnings).
    pub fn diagnostics(&self, site: &Site) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for (rel, s) in &self.sources {
            let at = |code: Code, message: String, hint: &str| {
                s.place
                    .diagnostic(site, code, message)
                    .hint(hint.to_string())
            };
            let h = match &s.header {
                Err(e) => {
                    out.push(at(
                        Code::ImageUnreadable,
                        format!("static/{rel} cannot be used: {}", e.0),
                        "save it again as a JPEG, PNG or WebP from an image editor, or replace it",
                    ));
                    continue;
                }
                Ok(h) => h,
            };
            let pixels = u64::from(h.width) * u64::from(h.height);
            if pixels > LARGE_PIXELS || s.len > LARGE_BYTES {
                out.push(at(
                    Code::ImageTooLarge,
                    format!(
                        "static/{rel} is {} × {} pixels, {:.1} MB: larger than any screen needs",
                        h.width,
                        h.height,
                        s.len as f64 / 1e6
                    ),
                    "casebook publishes smaller copies, but the repository and every build carry the original: 3000 pixels wide is plenty",
                ));
            }
            if s.shown_as(Role::Hero).is_some() && h.width < Role::HERO_MIN_WIDTH {
                out.push(at(
                    Code::ImageTooSmall,
                    format!(
                        "static/{rel} is {} pixels wide: blurred at the top of a practice page (at least {} wanted)",
                        h.width,
                        Role::HERO_MIN_WIDTH
                    ),
                    "use a larger version of the picture, 1600 pixels wide or more",
                ));
            }
        }
        out
    }

    /// Removes from the cache the processed files and cards that no page names any more
    /// (after a build whose sources changed, that made a file, or whose pages name other
    /// files: a rebuild that touched no image lists nothing), and saves the records of the
    /// files it wrote or read.
    pub fn prune(&self) {
        let Some(s) = &self.store else {
            return;
        };
        // What the names are worked out of: the same prints, the same names.
        let prints: Vec<(&str, u64)> = self
            .sources
            .iter()
            .filter(|(_, s)| s.has_files())
            .map(|(rel, s)| (*rel, s.print))
            .collect();
        let cards: Vec<&str> = self.cards.cache_names().collect();
        let none = prints.is_empty() && cards.is_empty();
        let renamed = s.record_names(crate::hash::hash_value(&(prints, cards)), none);
        let changed = renamed || self.changed.load(std::sync::atomic::Ordering::Relaxed);
        if !changed && !s.recorded_any() {
            return;
        }
        let used: std::collections::HashSet<&str> = self
            .sources
            .iter()
            .flat_map(|(rel, s)| s.all_files(rel))
            .map(|v| v.cache.as_str())
            .chain(self.cards.cache_names())
            .collect();
        if changed {
            s.prune(&used);
        }
        s.save_index(&used);
    }

    /// One group of files per source, made beside the pages (see
    /// [`crate::publish::Group`]): taken from the cache, or made and cached. Then one per
    /// drawn share card, drawn by `draw` when it is not in the cache.
    pub fn groups<'b>(&'b self, draw: &'b cards::Draw<'b>) -> Vec<crate::publish::Group<'b>> {
        let mut groups: Vec<crate::publish::Group<'b>> = self
            .sources
            .par_iter()
            .filter(|(_, s)| s.has_files())
            .map(|(rel, s)| crate::publish::Group {
                name: variants::group_name(rel, s.hash),
                deps: vec![crate::plan::Dep::File(s.print)],
                make: Box::new(move || {
                    let mut files: Vec<&Variant> = s.all_files(rel).collect();
                    files.sort();
                    files.dedup_by(|a, b| a.path == b.path);
                    self.make(rel, s, &files)
                }),
            })
            .collect();
        groups.extend(self.card_groups(draw));
        groups
    }

    /// The files of source `rel`: from the cache, or made now (and cached).
    #[allow(clippy::type_complexity)]
    fn make(
        &self,
        rel: &str,
        s: &Source,
        files: &[&Variant],
    ) -> Result<Vec<(String, Content)>, Diagnostic> {
        let mut cached: Vec<Option<Content>> = files
            .iter()
            .map(|v| self.store.as_ref().and_then(|st| st.get(&v.cache)))
            .collect();
        let missing: Vec<&Variant> = files
            .iter()
            .zip(&cached)
            .filter(|(_, c)| c.is_none())
            .map(|(v, _)| *v)
            .collect();
        if !missing.is_empty() {
            let made = self.encode(rel, s, &missing)?;
            let mut made: BTreeMap<&str, Vec<u8>> =
                missing.iter().map(|v| v.cache.as_str()).zip(made).collect();
            for (v, c) in files.iter().zip(cached.iter_mut()) {
                if c.is_none() {
                    *c = made.remove(v.cache.as_str()).map(Content::Bytes);
                }
            }
        }
        Ok(files
            .iter()
            .zip(cached)
            .map(|(v, c)| (v.path.clone(), c.unwrap_or(Content::Bytes(Vec::new()))))
            .collect())
    }

    /// The files `missing` of source `rel`, made now from its pixels (and cached).
    fn encode(
        &self,
        rel: &str,
        s: &Source,
        missing: &[&Variant],
    ) -> Result<Vec<Vec<u8>>, Diagnostic> {
        let fail = |why: String| {
            Diagnostic::new(
                Code::ImageUnreadable,
                format!("static/{rel} cannot be used: {why}"),
            )
            .at(crate::diagnostics::Location::file(format!("static/{rel}")))
            .hint("save it again as a JPEG, PNG or WebP from an image editor, or replace it")
        };
        let bytes = std::fs::read(s.path).map_err(|e| fail(e.to_string()))?;
        if xxhash_rust::xxh3::xxh3_64(&bytes) != s.hash {
            return Err(fail(
                "the file changed while the site was being built; build again".into(),
            ));
        }
        let pixels = decode::pixels(&bytes).map_err(|e| fail(e.0))?;
        drop(bytes);
        let made = encode::variants(pixels, missing).map_err(fail)?;
        self.changed
            .store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(st) = &self.store {
            for (v, bytes) in missing.iter().zip(&made) {
                st.put(&v.cache, bytes);
            }
        }
        Ok(made)
    }
}
