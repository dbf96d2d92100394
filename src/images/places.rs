//! Where a site shows its images: the front-matter `image` of each practice (its page, its
//! card, its share card) and the images of bodies that are files of static/.

use std::borrow::Cow;

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic};
use crate::document::link_target::{Target, classify};
use crate::model::Site;
use crate::model::links::Body;
use crate::theme::{StaticFile, Theme};

use super::variants::Role;

/// Where an image is first used: what its diagnostics point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The front matter of a practice (by index).
    Practice(usize),
    /// A link of a practice's body: (practice, version, link).
    PracticeBody(usize, usize, usize),
    /// A link of a page's body: (page, language, link).
    PageBody(usize, String, usize),
}

impl Place {
    /// A diagnostic at this place: at the `src` value, or at the image in the body.
    pub fn diagnostic(&self, site: &Site, code: Code, message: String) -> Diagnostic {
        match self {
            Place::Practice(pi) => {
                let p = &site.practices[*pi];
                let found = p
                    .versions
                    .iter()
                    .find_map(|v| v.doc.facets.image.as_ref().map(|i| (&v.doc, i)));
                match found {
                    Some((doc, at)) => Diagnostic::new(code, message).at_source(
                        at.location.clone(),
                        &doc.source,
                        at.value.chars().count(),
                    ),
                    None => Diagnostic::new(code, message),
                }
            }
            Place::PracticeBody(pi, vi, li) => {
                let doc = &site.practices[*pi].versions[*vi].doc;
                let body = Body::practice(doc);
                body.diagnostic(code, message, &body.rendered.links[*li])
            }
            Place::PageBody(pi, lang, li) => match site.pages[*pi].versions.get(lang) {
                Some(doc) => {
                    let body = Body::page(doc);
                    body.diagnostic(code, message, &body.rendered.links[*li])
                }
                None => Diagnostic::new(code, message),
            },
        }
    }
}

/// The path under static/ of a body image's target, when it is a file casebook processes.
pub fn body_source<'a>(url: &str, body: &Body, theme: &'a Theme) -> Option<&'a str> {
    let rel = body_target(url, body)?;
    theme
        .static_files
        .get_key_value(rel.as_ref())
        .map(|(rel, _)| rel.as_str())
}

/// The path under static/ a body image's target names, when it is of a kind casebook
/// processes (whether static/ has it is not asked).
fn body_target(url: &str, body: &Body) -> Option<Cow<'static, str>> {
    let Target::SitePath { path, .. } = classify(url, body.section) else {
        return None;
    };
    let rel =
        percent_encoding::percent_decode_str(path.trim_start_matches('/')).decode_utf8_lossy();
    super::processed_kind(&rel).then(|| Cow::Owned(rel.into_owned()))
}

/// The focal point of practice `pi`'s image: its `image.focus`, else the middle.
fn focus(site: &Site, pi: usize) -> (f64, f64) {
    site.practices[pi]
        .versions
        .iter()
        .find_map(|v| v.doc.facets.image_focus)
        .unwrap_or((0.5, 0.5))
}

/// Where a practice's front-matter image is shown.
const FRONT: &[Role] = &[Role::Hero, Role::Card, Role::Share, Role::Original];
/// Where a body's image is shown.
const BODY: &[Role] = &[Role::Body, Role::Original];

/// A focal point: fractions of the width and the height.
type Focus = (f64, f64);

/// A source's roles, each once, in order, with its focal point there (a source has a few).
pub type Roles = Vec<(Role, Focus)>;

/// Where a source is first used, and its roles.
pub type Uses = (Place, Roles);

/// Every source shown, in order of its path under static/: its path and file as the theme
/// holds them, where it is first used, and its roles.
pub fn collect<'a>(site: &Site, theme: &'a Theme) -> Vec<(&'a str, &'a StaticFile, Uses)> {
    // Each use as it is met, put in order of path, then matched with the files of static/,
    // which are in that order too: side by side, rather than a lookup each (a site's photos
    // are thousands of paths that share long beginnings). Practices come in the order of
    // their slugs, and so, most often, do their photos, which are then in order already.
    // The practices are looked at in parallel, and their uses kept in their order.
    let mut out: Vec<(Cow<str>, Place, &[Role], Focus)> = site
        .practices
        .par_iter()
        .enumerate()
        .flat_map_iter(|(pi, p)| {
            let mut uses = Vec::new();
            if let Some(src) = &p.image
                && !src.starts_with("https://")
                && super::processed_kind(src)
            {
                let src = Cow::Borrowed(src.as_str());
                uses.push((src, Place::Practice(pi), FRONT, focus(site, pi)));
            }
            for (vi, v) in p.versions.iter().enumerate() {
                let body = Body::practice(&v.doc);
                for (li, link) in body.rendered.links.iter().enumerate() {
                    if link.image
                        && let Some(rel) = body_target(&link.url, &body)
                    {
                        uses.push((rel, Place::PracticeBody(pi, vi, li), BODY, (0.5, 0.5)));
                    }
                }
            }
            uses
        })
        .collect();
    for (pi, p) in site.pages.iter().enumerate() {
        for (lang, d) in &p.versions {
            let body = Body::page(d);
            for (li, link) in body.rendered.links.iter().enumerate() {
                if link.image
                    && let Some(rel) = body_target(&link.url, &body)
                {
                    let place = Place::PageBody(pi, lang.clone(), li);
                    out.push((rel, place, BODY, (0.5, 0.5)));
                }
            }
        }
    }
    // A stable sort: each path's first use stays first, and gives its place.
    out.sort_by(|a, b| a.0.cmp(&b.0));
    let mut files = theme.static_files.iter().peekable();
    let mut merged: Vec<(&'a str, &'a StaticFile, Uses)> = Vec::with_capacity(out.len());
    for (rel, place, roles, focus) in out {
        let same = merged.last().is_some_and(|(last, ..)| *last == rel);
        if !same {
            while files
                .next_if(|(name, _)| name.as_str() < rel.as_ref())
                .is_some()
            {}
            // A path static/ does not have is not a source (its link is reported as broken).
            let Some((name, file)) = files.next_if(|(name, _)| name.as_str() == rel.as_ref())
            else {
                continue;
            };
            merged.push((name, file, (place, Vec::with_capacity(roles.len()))));
        }
        if let Some((.., (_, uses))) = merged.last_mut() {
            for &role in roles {
                if let Err(at) = uses.binary_search_by_key(&role, |(r, _)| *r) {
                    uses.insert(at, (role, focus));
                }
            }
        }
    }
    merged
}
