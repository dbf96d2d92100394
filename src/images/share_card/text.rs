//! The text of a drawn card: the two fonts casebook bundles (a subset of DejaVu Sans
//! Condensed, regular and bold; see `fonts/README.md`), which characters they can draw, how
//! wide a text is in them, and a title broken into lines that fit a width.
//!
//! Only these fonts are ever used, never the machine's: the same card is drawn the same way
//! on every machine.

use std::collections::HashMap;
use std::sync::OnceLock;

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

/// The regular face (weight 400).
pub const REGULAR: &[u8] = include_bytes!("fonts/DejaVuSansCondensed.ttf");
/// The bold face (weight 700).
pub const BOLD: &[u8] = include_bytes!("fonts/DejaVuSansCondensed-Bold.ttf");
/// Their family name, as templates write it in `font-family`.
pub const FAMILY: &str = "DejaVu Sans";

/// A hash of the fonts' bytes (part of every card's name).
pub fn fonts_hash() -> u64 {
    static HASH: OnceLock<u64> = OnceLock::new();
    *HASH.get_or_init(|| crate::hash::hash_value(&(REGULAR, BOLD)))
}

/// What ends a line cut short.
const ELLIPSIS: char = '…';

/// The advance of each character a face maps, in em (a fraction of the font size).
struct Advances {
    widths: HashMap<char, f32>,
}

impl Advances {
    fn of(bytes: &[u8]) -> Advances {
        let mut widths = HashMap::new();
        if let Ok(font) = FontRef::new(bytes) {
            let upem = f32::from(
                font.metrics(Size::unscaled(), LocationRef::default())
                    .units_per_em
                    .max(1),
            );
            let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
            for (code, glyph) in font.charmap().mappings() {
                if let (Some(c), Some(w)) = (char::from_u32(code), metrics.advance_width(glyph)) {
                    widths.insert(c, w / upem);
                }
            }
        }
        Advances { widths }
    }

    /// The width of `text` at `size` pixels; a character the face lacks counts as wide
    /// as an `M` (it is never drawn: see [`drawable`]).
    fn width(&self, text: &str, size: f32) -> f32 {
        let m = self.widths.get(&'M').copied().unwrap_or(0.8);
        text.chars()
            .map(|c| self.widths.get(&c).copied().unwrap_or(m))
            .sum::<f32>()
            * size
    }
}

fn faces() -> &'static [Advances; 2] {
    static FACES: OnceLock<[Advances; 2]> = OnceLock::new();
    FACES.get_or_init(|| [Advances::of(REGULAR), Advances::of(BOLD)])
}

fn face(bold: bool) -> &'static Advances {
    &faces()[usize::from(bold)]
}

/// One bit per character of the Basic Multilingual Plane: whether both faces have it (the
/// fonts have nothing beyond). Every build asks it of every card's text.
fn coverage() -> &'static [u64] {
    static BITS: OnceLock<Vec<u64>> = OnceLock::new();
    BITS.get_or_init(|| {
        let [regular, bold] = faces();
        let mut bits = vec![0u64; 0x10000 / 64];
        for c in regular
            .widths
            .keys()
            .filter(|c| bold.widths.contains_key(c))
        {
            let i = *c as usize;
            if i < 0x10000 {
                bits[i / 64] |= 1 << (i % 64);
            }
        }
        bits
    })
}

/// Whether both faces can draw every character of `text` (spaces and line breaks aside).
pub fn drawable(text: &str) -> bool {
    let bits = coverage();
    text.chars().all(|c| {
        let i = c as usize;
        (i < 0x10000 && bits[i / 64] & (1 << (i % 64)) != 0) || c.is_whitespace()
    })
}

/// The width of `text` at `size` pixels in the bold or the regular face (kerning left out,
/// which makes it a little wider than drawn: a line that fits here fits on the card).
pub fn width(text: &str, size: f32, bold: bool) -> f32 {
    face(bold).width(text, size)
}

/// `text` broken into at most `lines` lines no wider than `max` pixels at `size`: between
/// words, or inside a word longer than a line. When the text does not fit, the last line
/// ends with an ellipsis.
pub fn wrap(text: &str, size: f32, max: f32, lines: usize, bold: bool) -> Vec<String> {
    wrapped(text, size, max, lines, bold).0
}

/// The first of `sizes` at which `text` fits in `lines` lines of `max` pixels, with its
/// lines (see [`wrap`]); else the last size, its last line ending with an ellipsis.
pub fn fit(text: &str, sizes: &[f32], max: f32, lines: usize, bold: bool) -> (f32, Vec<String>) {
    let mut last = (0.0, Vec::new());
    for &size in sizes {
        let (out, cut) = wrapped(text, size, max, lines, bold);
        if !cut {
            return (size, out);
        }
        last = (size, out);
    }
    last
}

/// [`wrap`], and whether the text was cut short.
fn wrapped(text: &str, size: f32, max: f32, lines: usize, bold: bool) -> (Vec<String>, bool) {
    let f = face(bold);
    let fits = |s: &str| f.width(s, size) <= max;
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut words = text.split_whitespace().peekable();
    let mut cut = false;
    'words: while let Some(word) = words.next() {
        let joined = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if fits(&joined) {
            line = joined;
            continue;
        }
        // The word goes on a new line, broken where it is longer than a line.
        let mut rest = word;
        if !line.is_empty() {
            out.push(std::mem::take(&mut line));
        }
        while !rest.is_empty() {
            if out.len() == lines {
                cut = true;
                break 'words;
            }
            if fits(rest) {
                line = rest.to_string();
                break;
            }
            let mut end = rest.len();
            for (i, _) in rest.char_indices().rev() {
                end = i;
                if i > 0 && fits(&rest[..i]) {
                    break;
                }
            }
            // At least one character a line, however narrow the width.
            if end == 0 {
                end = rest.chars().next().map_or(rest.len(), char::len_utf8);
            }
            out.push(rest[..end].to_string());
            rest = &rest[end..];
        }
        if words.peek().is_some() && out.len() == lines {
            cut = true;
            break;
        }
    }
    if !line.is_empty() {
        if out.len() < lines {
            out.push(line);
        } else {
            cut = true;
        }
    }
    if cut && let Some(last) = out.last_mut() {
        *last = ellipsized(last, size, max, f);
    }
    (out, cut)
}

/// `line` with an ellipsis at its end, words (or characters) taken off until it fits.
fn ellipsized(line: &str, size: f32, max: f32, f: &Advances) -> String {
    let mut kept = line.trim_end().to_string();
    loop {
        let candidate = format!(
            "{}{ELLIPSIS}",
            kept.trim_end_matches([' ', ',', ';', ':', '-'])
        );
        if f.width(&candidate, size) <= max || kept.is_empty() {
            return candidate;
        }
        // Take off the last word when there are several, else the last character.
        match kept.trim_end().rfind(' ') {
            Some(i) if i > 0 => kept.truncate(i),
            _ => {
                kept.pop();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fonts_draw_european_languages_and_measure_text() {
        assert!(drawable(
            "València, Catalunya · Ελλάδα · България · Łódź · Ærø"
        ));
        assert!(!drawable("東京"));
        let short = width("iii", 40.0, false);
        let long = width("MMM", 40.0, false);
        assert!(short > 0.0 && long > short * 2.0);
        assert!(width("Turin", 40.0, true) > width("Turin", 40.0, false));
    }

    #[test]
    fn titles_wrap_between_words_and_end_with_an_ellipsis() {
        let one = wrap("CO-CITY", 64.0, 900.0, 3, true);
        assert_eq!(one, ["CO-CITY"]);
        let title = "Urban commons against poverty: pacts of collaboration between citizens and the city of Turin, with many more words than three lines can hold at this size";
        let lines = wrap(title, 64.0, 700.0, 3, true);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with('…'), "{lines:?}");
        for l in &lines {
            assert!(width(l, 64.0, true) <= 700.0, "{l} is too wide");
        }
        assert!(lines[0].starts_with("Urban commons"));
        // A word longer than a line is broken inside.
        let long = wrap(&"x".repeat(200), 64.0, 500.0, 2, true);
        assert_eq!(long.len(), 2);
        assert!(long[1].ends_with('…'));
        assert!(wrap("", 64.0, 500.0, 3, true).is_empty());
        // The largest size at which the whole title fits.
        let (size, lines) = fit(title, &[72.0, 56.0, 30.0], 1000.0, 3, true);
        assert_eq!(size, 30.0);
        assert!(!lines.last().unwrap().ends_with('…'));
        let (size, lines) = fit(&"word ".repeat(100), &[72.0, 56.0], 1000.0, 3, true);
        assert_eq!((size, lines.len()), (56.0, 3));
        assert!(lines[2].ends_with('…'));
        // Exactly three lines that fit: no ellipsis.
        let three = wrap(
            "abcd abcd abcd",
            64.0,
            width("abcd", 64.0, true) + 1.0,
            3,
            true,
        );
        assert_eq!(three, ["abcd", "abcd", "abcd"]);
    }
}
