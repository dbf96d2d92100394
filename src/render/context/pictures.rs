//! What templates see of an image: the processed files of [`crate::images`] as `srcset`
//! lists with their sizes, and the images of bodies turned into `<picture>` elements.

use std::borrow::Cow;

use tera::Value;

use super::Contexts;
use crate::images::Role;

impl<'a> Contexts<'a> {
    /// Pages show the processed files of `images`.
    pub fn with_images(mut self, images: &'a crate::images::Images) -> Self {
        self.images = Some(images);
        self
    }

    /// `{ webp, srcset, type, src, absolute, width, height, sizes }` of the source `rel`
    /// shown as `role`, when it was processed.
    pub(super) fn picture(&self, rel: &str, role: Role) -> Option<Value> {
        let p = self.images?.picture(rel, role, &|path| self.url(path))?;
        Some(map! {
            "webp" => p.webp,
            "srcset" => p.srcset,
            "type" => p.mime,
            "src" => p.src,
            "absolute" => self.abs(&p.path),
            "width" => p.width,
            "height" => p.height,
            "sizes" => p.sizes,
        })
    }

    /// `{ src, absolute, width, height }` of the drawn share card of practice `pi` in
    /// `lang`, when it has one (see [`crate::images::share_card`]).
    pub(super) fn share_card(&self, pi: usize, lang: &str) -> Option<Value> {
        use crate::images::share_card::{HEIGHT, WIDTH};
        let card = self.images?.share_card(pi, lang)?;
        Some(map! {
            "src" => self.url(&card.path),
            "absolute" => self.abs(&card.path),
            "width" => WIDTH,
            "height" => HEIGHT,
        })
    }

    /// `html` (a body) with each image that is a processed file of static/ made a
    /// `<picture>`: WebP and the fallback in every width, its size, loaded when near.
    pub(super) fn body_pictures<'h>(&self, html: &'h str) -> Cow<'h, str> {
        const OPEN: &str = "<img src=\"";
        let Some(images) = self.images else {
            return Cow::Borrowed(html);
        };
        if !html.contains(OPEN) {
            return Cow::Borrowed(html);
        }
        let base = self.base_path.trim_end_matches('/');
        let mut out = String::with_capacity(html.len() + 512);
        let mut rest = html;
        while let Some(at) = rest.find(OPEN) {
            out.push_str(&rest[..at]);
            let after = &rest[at + OPEN.len()..];
            let (Some(q), Some(close)) = (after.find('"'), after.find('>')) else {
                out.push_str(OPEN);
                rest = after;
                continue;
            };
            let url = after[..q].replace("&amp;", "&");
            let rel = url
                .strip_prefix(base)
                .filter(|r| r.starts_with('/'))
                .map(|r| {
                    percent_encoding::percent_decode_str(&r[1..])
                        .decode_utf8_lossy()
                        .into_owned()
                });
            let parts = rel
                .as_deref()
                .filter(|r| images.variants(r, Role::Body).is_some())
                .and_then(|r| images.picture(r, Role::Body, &|path| self.url(path)));
            let Some(p) = parts else {
                out.push_str(OPEN);
                rest = after;
                continue;
            };
            let esc = crate::escape::html;
            out.push_str(&format!(
                "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{}\"><img src=\"{}\" srcset=\"{}\" sizes=\"{}\" width=\"{}\" height=\"{}\" loading=\"lazy\" decoding=\"async\"",
                esc(&p.webp),
                esc(p.sizes),
                esc(&p.src),
                esc(&p.srcset),
                esc(p.sizes),
                p.width,
                p.height,
            ));
            // The rest of the tag as written (alt, title), then the picture closes.
            out.push_str(&after[q + 1..=close]);
            out.push_str("</picture>");
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        Cow::Owned(out)
    }
}
