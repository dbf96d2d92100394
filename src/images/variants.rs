//! Which files one source becomes: for each place it is shown ([`Role`]), a few widths,
//! cropped to the place's shape around the focal point, in WebP and in a fallback (JPEG,
//! or PNG for an image with transparency). Pure arithmetic on the source's size: pages name
//! the files before they exist.

use serde::{Deserialize, Serialize};

use super::decode::Header;

/// Bumped when the processing changes (filters, qualities, encoders): every file gets a new
/// name, and browsers and the cache take the new ones.
const VERSION: u32 = 1;

/// Where an image is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// At the top of its practice's page, full width of the text.
    Hero,
    /// On a catalogue card, cropped to 3:2.
    Card,
    /// In a body, as written.
    Body,
    /// The share card (`og:image`), 1200 × 630, JPEG only (what every network reads).
    Share,
    /// At the source's own path, in its own format, at most 1600 pixels wide: what links,
    /// feeds and open data name, without the source's metadata.
    Original,
}

impl Role {
    /// The widths made for this role, smallest first.
    fn widths(self) -> &'static [u32] {
        match self {
            Role::Hero => &[480, 800, 1200, 1600],
            Role::Card => &[400, 800],
            Role::Body => &[480, 800, 1200],
            Role::Share => &[1200],
            Role::Original => &[1600],
        }
    }

    /// Width : height, when the role crops.
    fn aspect(self) -> Option<(u32, u32)> {
        match self {
            Role::Card => Some((3, 2)),
            Role::Share => Some((40, 21)),
            Role::Hero | Role::Body | Role::Original => None,
        }
    }

    /// The `sizes` attribute: how wide the theme shows it (the text column is 48rem at
    /// most; cards are one column on a phone, two on a tablet, 17–20rem each beyond).
    pub fn sizes(self) -> &'static str {
        match self {
            Role::Hero | Role::Body => "(min-width: 52rem) 48rem, calc(100vw - 2rem)",
            Role::Card => "(min-width: 56rem) 20rem, (min-width: 38rem) 50vw, 100vw",
            Role::Share | Role::Original => "100vw",
        }
    }

    /// The smallest width the hero looks sharp at on a phone: below it, a warning.
    pub const HERO_MIN_WIDTH: u32 = 800;
}

/// A file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Format {
    /// Lossy WebP.
    WebP,
    /// JPEG, the fallback of opaque images.
    Jpeg,
    /// PNG, the fallback of images with transparency.
    Png,
}

impl Format {
    /// The file extension.
    pub fn ext(self) -> &'static str {
        match self {
            Format::WebP => "webp",
            Format::Jpeg => "jpg",
            Format::Png => "png",
        }
    }

    /// The MIME type, for `<source type>`.
    pub fn mime(self) -> &'static str {
        match self {
            Format::WebP => "image/webp",
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
        }
    }
}

/// One published file of a source.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Variant {
    /// Output path from the site root, without a leading slash (`_images/hub.1f…​.800.webp`).
    pub path: String,
    /// Its file name in the cache folder, which holds a hash of the source's bytes and of
    /// the processing (the path of a [`Role::Original`] does not).
    pub cache: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The part of the source shown: left, top, width, height, in source pixels.
    pub crop: [u32; 4],
    /// Its format.
    pub format: Format,
}

/// The folder of the output (and of the cache) that holds the processed images.
pub const DIR: &str = "_images";

/// The part of a `width × height` source of shape `aspect` that keeps `focus` (fractions of
/// the width and height) as near its middle as the edges allow.
fn crop_box(width: u32, height: u32, aspect: Option<(u32, u32)>, focus: (f64, f64)) -> [u32; 4] {
    let Some((aw, ah)) = aspect else {
        return [0, 0, width, height];
    };
    let (w, h) = (u64::from(width), u64::from(height));
    let (aw, ah) = (u64::from(aw), u64::from(ah));
    let place = |full: u64, part: u64, at: f64| -> u32 {
        let centre = (at.clamp(0.0, 1.0) * full as f64) - part as f64 / 2.0;
        centre.clamp(0.0, (full - part) as f64).round() as u32
    };
    if w * ah > h * aw {
        let cw = (h * aw / ah).max(1);
        [place(w, cw, focus.0), 0, cw as u32, height]
    } else {
        let ch = (w * ah / aw).max(1);
        [0, place(h, ch, focus.1), width, ch as u32]
    }
}

/// A name safe in any URL and file system, from the source's file name: `Hub Photo.JPG`
/// becomes `hub-photo`.
fn stem(src: &str) -> String {
    let file = src.rsplit('/').next().unwrap_or(src);
    let base = file.rsplit_once('.').map_or(file, |(b, _)| b);
    let mut out: Vec<u8> = Vec::with_capacity(base.len().min(40));
    // Byte by byte: every byte of a character beyond ASCII is a separator, as the
    // character is.
    for b in base.bytes() {
        if b.is_ascii_alphanumeric() {
            out.push(b.to_ascii_lowercase());
        } else if out.last().is_some_and(|&last| last != b'-') {
            out.push(b'-');
        }
        if out.len() >= 40 {
            break;
        }
    }
    while out.last() == Some(&b'-') {
        out.pop();
    }
    // Only ASCII letters, digits and dashes were pushed.
    match String::from_utf8(out) {
        Ok(stem) if !stem.is_empty() => stem,
        _ => "image".into(),
    }
}

/// A hash of what [`of`] names for the source `src` (bytes hashed to `hash`, header
/// `header`, none when it cannot be read) shown in the places `uses`, each with its focal
/// point: the same inputs make the same files, with the same names and sizes.
pub fn print(src: &str, hash: u64, header: Option<&Header>, uses: &[(Role, (f64, f64))]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::hash::Buffered::default();
    let header = header.map(|h| (h.width, h.height, h.alpha));
    (VERSION, src, hash, header).hash(&mut h);
    // As a list of (role, x, y) would be hashed, without making one.
    h.write_usize(uses.len());
    for &(role, (x, y)) in uses {
        (role, x.to_bits(), y.to_bits()).hash(&mut h);
    }
    h.finish()
}

/// The name that stands for the files of the source `src` (bytes hashed to `hash`) among a
/// build's outputs: a path in their folder, without a width or format, that no file of it
/// takes (see [`crate::publish::Group`]).
pub fn group_name(src: &str, hash: u64) -> String {
    let stem = stem(src);
    let mut name = String::with_capacity(DIR.len() + stem.len() + 18);
    name.push_str(DIR);
    name.push('/');
    name.push_str(&stem);
    name.push('.');
    push_hex(&mut name, hash);
    name
}

/// Pushes `n` as 16 hexadecimal digits (as `{n:016x}` writes it, without formatting).
fn push_hex(out: &mut String, n: u64) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for shift in (0..16).rev() {
        out.push(char::from(DIGITS[((n >> (shift * 4)) & 0xf) as usize]));
    }
}

/// The files made of a source (`src` under static/, bytes hashed to `hash`, of size
/// `header`) for `role`, with the focal point `focus`: a WebP at each width, and one
/// fallback (JPEG, or PNG for transparency) at the width a page's `src` names, the widest
/// at most 800 pixels, just after its WebP. Every browser of the last five years reads
/// WebP; an older one gets that one width (see docs/performance.md, "Images").
pub fn of(src: &str, hash: u64, header: &Header, role: Role, focus: (f64, f64)) -> Vec<Variant> {
    let crop = crop_box(header.width, header.height, role.aspect(), focus);
    let key = crate::hash::hash_value(&(
        VERSION,
        hash,
        crop,
        role == Role::Share,
        role == Role::Original,
    ));
    let (cw, ch) = (crop[2], crop[3]);
    let wanted = role.widths();
    let mut widths: Vec<u32> = wanted.iter().copied().filter(|&w| w <= cw).collect();
    let largest = wanted.last().copied().unwrap_or(cw);
    // A source narrower than the widest variant is also published at its own width, unless
    // a variant is nearly as wide already.
    if cw < largest
        && widths
            .last()
            .is_none_or(|&w| u64::from(cw) * 10 > u64::from(w) * 11)
    {
        widths.push(cw);
    }
    let own = [
        match src.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()) {
            Some(e) if e == "png" => Format::Png,
            Some(e) if e == "webp" => Format::WebP,
            _ => Format::Jpeg,
        },
    ];
    let formats: &[Format] = match (role, header.alpha) {
        (Role::Original, _) => &own,
        (Role::Share, _) => &[Format::Jpeg],
        (_, true) => &[Format::WebP, Format::Png],
        (_, false) => &[Format::WebP, Format::Jpeg],
    };
    let fallback_width = widths
        .iter()
        .copied()
        .rfind(|&w| w <= super::DEFAULT_WIDTH)
        .or(widths.first().copied());
    let name = stem(src);
    let mut out = Vec::new();
    for w in widths {
        let h = ((u64::from(ch) * u64::from(w) + u64::from(cw) / 2) / u64::from(cw)).max(1) as u32;
        for &format in formats {
            if format != formats[0] && Some(w) != fallback_width {
                continue;
            }
            let cache = format!("{name}.{:012x}.{w}.{}", key >> 16, format.ext());
            out.push(Variant {
                path: if role == Role::Original {
                    src.to_string()
                } else {
                    format!("{DIR}/{cache}")
                },
                cache,
                width: w,
                height: h,
                crop,
                format,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(width: u32, height: u32) -> Header {
        Header {
            width,
            height,
            alpha: false,
        }
    }

    #[test]
    fn widths_stop_at_the_source_and_keep_its_shape() {
        let v = of(
            "photos/Hub Photo.JPG",
            7,
            &header(4000, 3000),
            Role::Hero,
            (0.5, 0.5),
        );
        let widths: Vec<_> = v.iter().map(|v| (v.width, v.format)).collect();
        // A WebP at every width; one fallback, at the width `src` names.
        assert_eq!(
            widths,
            [
                (480, Format::WebP),
                (800, Format::WebP),
                (800, Format::Jpeg),
                (1200, Format::WebP),
                (1600, Format::WebP)
            ]
        );
        assert_eq!((v[2].width, v[2].height), (800, 600));
        assert!(v[0].path.starts_with("_images/hub-photo."));
        let small = of("a.png", 7, &header(1000, 500), Role::Hero, (0.5, 0.5));
        let widths: Vec<_> = small.iter().map(|v| v.width).collect();
        assert_eq!(widths, [480, 800, 800, 1000]);
        // A source narrower than every width: its own width, in both formats.
        let tiny = of("a.jpg", 7, &header(300, 200), Role::Hero, (0.5, 0.5));
        let widths: Vec<_> = tiny.iter().map(|v| (v.width, v.format)).collect();
        assert_eq!(widths, [(300, Format::WebP), (300, Format::Jpeg)]);
    }

    #[test]
    fn names_keep_the_letters_and_digits_of_the_file_name() {
        assert_eq!(stem("photos/Hub Photo.JPG"), "hub-photo");
        assert_eq!(
            stem("Fotografía del Barrio (2).jpeg"),
            "fotograf-a-del-barrio-2"
        );
        assert_eq!(stem("fotos/Ñandú.png"), "and");
        assert_eq!(stem("…….png"), "image");
        assert_eq!(stem(&format!("{}.jpg", "a".repeat(60))).len(), 40);
        assert_eq!(stem("photos/--a b--.jpg"), "a-b");
        for hash in [0, 0xab, 0x0123_4567_89ab_cdef, u64::MAX] {
            assert_eq!(
                group_name("photos/Hub Photo.JPG", hash),
                format!("_images/hub-photo.{hash:016x}")
            );
        }
    }

    #[test]
    fn cards_are_cropped_around_the_focus() {
        assert_eq!(
            crop_box(4000, 3000, Some((3, 2)), (0.5, 0.5)),
            [0, 167, 4000, 2666]
        );
        assert_eq!(
            crop_box(4000, 3000, Some((3, 2)), (0.5, 0.0)),
            [0, 0, 4000, 2666]
        );
        assert_eq!(
            crop_box(3000, 3000, Some((3, 2)), (0.5, 1.0)),
            [0, 1000, 3000, 2000]
        );
        assert_eq!(
            crop_box(6000, 1000, Some((3, 2)), (0.9, 0.5)),
            [4500, 0, 1500, 1000]
        );
        let card = of("a.jpg", 1, &header(4000, 3000), Role::Card, (0.5, 0.5));
        assert_eq!((card[0].width, card[0].height), (400, 267));
        let share = of("a.jpg", 1, &header(4000, 3000), Role::Share, (0.5, 0.5));
        assert_eq!(share.len(), 1);
        assert_eq!((share[0].width, share[0].height), (1200, 630));
    }
}
