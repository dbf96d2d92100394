//! Draws the demo catalogue's illustrations: for each practice of content/practices/ with
//! `coordinates`, a locator map (the theme's country outlines, the practice's country
//! picked out, a dot at its city) written to static/images/<slug>-map.png.
//!
//! `cargo run --release --example demo_images` (from the repository root). The pictures
//! are the project's own work, from public-domain outlines (see themes/default/map/).

use std::path::Path;

use casebook::theme::map::Map;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{ExtendedColorType, ImageEncoder, Rgb, RgbImage, imageops};

/// The picture's size, and how many times finer it is drawn before being scaled down
/// (smooth edges).
const WIDTH: u32 = 1200;
const HEIGHT: u32 = 800;
const FINE: u32 = 2;
/// Map units across the picture (about 1,300 km).
const SPAN: f64 = 300.0;

const SEA: Rgb<u8> = Rgb([0xe6, 0xee, 0xf8]);
const LAND: Rgb<u8> = Rgb([0xfb, 0xfa, 0xf6]);
const PICKED: Rgb<u8> = Rgb([0xa9, 0xc6, 0xe8]);
const BORDER: Rgb<u8> = Rgb([0x8a, 0x97, 0xab]);
const DOT: Rgb<u8> = Rgb([0xc0, 0x56, 0x00]);
const RING: Rgb<u8> = Rgb([0xff, 0xff, 0xff]);
const HALO: Rgb<u8> = Rgb([0xf3, 0xd9, 0xc4]);

/// A country's outline: closed rings of points.
type Rings = Vec<Vec<(f64, f64)>>;

/// The closed rings of an SVG path of `M x y l dx dy … z` commands, in map units.
fn rings(d: &str) -> Rings {
    let mut out: Rings = Vec::new();
    let mut numbers: Vec<f64> = Vec::new();
    let mut command = ' ';
    let mut at = (0.0, 0.0);
    let mut flush = |command: char, numbers: &mut Vec<f64>, out: &mut Rings| {
        for pair in numbers.chunks_exact(2) {
            match command {
                'M' => {
                    at = (pair[0], pair[1]);
                    out.push(vec![at]);
                }
                'l' => {
                    at = (at.0 + pair[0], at.1 + pair[1]);
                    if let Some(r) = out.last_mut() {
                        r.push(at);
                    }
                }
                _ => {}
            }
        }
        numbers.clear();
    };
    let mut token = String::new();
    for c in d.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || c == '.' || (c == '-' && token.is_empty()) {
            token.push(c);
            continue;
        }
        if !token.is_empty() {
            numbers.push(token.parse().unwrap_or(0.0));
            token.clear();
        }
        if c == '-' {
            token.push(c);
        } else if c.is_ascii_alphabetic() {
            flush(command, &mut numbers, &mut out);
            command = c;
        }
    }
    flush(command, &mut numbers, &mut out);
    out
}

/// Fills the rings (even-odd) with `colour`, `to_px` taking map units to pixels.
fn fill(
    img: &mut RgbImage,
    rings: &[Vec<(f64, f64)>],
    to_px: &dyn Fn((f64, f64)) -> (f64, f64),
    colour: Rgb<u8>,
) {
    let edges: Vec<((f64, f64), (f64, f64))> = rings
        .iter()
        .flat_map(|r| {
            let pts: Vec<(f64, f64)> = r.iter().map(|&p| to_px(p)).collect();
            (0..pts.len()).map(move |i| (pts[i], pts[(i + 1) % pts.len()]))
        })
        .collect();
    for y in 0..img.height() {
        let sy = f64::from(y) + 0.5;
        let mut xs: Vec<f64> = edges
            .iter()
            .filter(|(a, b)| (a.1 <= sy) != (b.1 <= sy))
            .map(|(a, b)| a.0 + (sy - a.1) * (b.0 - a.0) / (b.1 - a.1))
            .collect();
        xs.sort_by(f64::total_cmp);
        for pair in xs.chunks_exact(2) {
            let from = pair[0].round().clamp(0.0, f64::from(img.width())) as u32;
            let to = pair[1].round().clamp(0.0, f64::from(img.width())) as u32;
            for x in from..to {
                img.put_pixel(x, y, colour);
            }
        }
    }
}

/// Draws the outlines of the rings, `width` pixels thick.
fn outline(
    img: &mut RgbImage,
    rings: &[Vec<(f64, f64)>],
    to_px: &dyn Fn((f64, f64)) -> (f64, f64),
    width: f64,
) {
    for r in rings {
        for i in 0..r.len() {
            let (a, b) = (to_px(r[i]), to_px(r[(i + 1) % r.len()]));
            let steps = ((b.0 - a.0).abs().max((b.1 - a.1).abs()) as usize).max(1);
            for s in 0..=steps {
                let t = s as f64 / steps as f64;
                disc(
                    img,
                    (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t),
                    width / 2.0,
                    BORDER,
                );
            }
        }
    }
}

fn disc(img: &mut RgbImage, (cx, cy): (f64, f64), r: f64, colour: Rgb<u8>) {
    let (x0, x1) = ((cx - r).floor().max(0.0) as u32, (cx + r).ceil() as u32);
    let (y0, y1) = ((cy - r).floor().max(0.0) as u32, (cy + r).ceil() as u32);
    for y in y0..y1.min(img.height()) {
        for x in x0..x1.min(img.width()) {
            let (dx, dy) = (f64::from(x) + 0.5 - cx, f64::from(y) + 0.5 - cy);
            if dx * dx + dy * dy <= r * r {
                img.put_pixel(x, y, colour);
            }
        }
    }
}

/// `key: value` of the front matter of `text`, as written.
fn field<'t>(text: &'t str, key: &str) -> Option<&'t str> {
    text.lines()
        .take_while(|l| !l.is_empty())
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .map(str::trim)
}

fn draw(map: &Map, country: &str, (lat, lon): (f64, f64)) -> RgbImage {
    let (w, h) = (WIDTH * FINE, HEIGHT * FINE);
    let (cx, cy) = map.project(lat, lon);
    let scale = f64::from(w) / SPAN;
    let to_px = move |(x, y): (f64, f64)| {
        (
            (x - cx) * scale + f64::from(w) / 2.0,
            (y - cy) * scale + f64::from(h) / 2.0,
        )
    };
    let mut img = RgbImage::from_pixel(w, h, SEA);
    let view = [cx - SPAN, cy - SPAN, SPAN * 2.0, SPAN * 2.0];
    let shapes: Vec<(&str, Rings)> = map
        .outlines_in(view)
        .map(|(code, d)| (code, rings(d)))
        .collect();
    for (code, r) in &shapes {
        fill(
            &mut img,
            r,
            &to_px,
            if *code == country { PICKED } else { LAND },
        );
    }
    for (_, r) in &shapes {
        outline(&mut img, r, &to_px, 1.5 * f64::from(FINE));
    }
    let centre = (f64::from(w) / 2.0, f64::from(h) / 2.0);
    let f = f64::from(FINE);
    disc(&mut img, centre, 46.0 * f, HALO);
    disc(&mut img, centre, 17.0 * f, RING);
    disc(&mut img, centre, 12.0 * f, DOT);
    imageops::resize(&img, WIDTH, HEIGHT, imageops::FilterType::Triangle)
}

fn main() {
    let root = Path::new(".");
    let text = std::fs::read_to_string(root.join("themes/default/map/europe.json"))
        .expect("run from the repository root");
    let map = Map::parse(&text, Path::new("europe.json")).expect("the theme's map");
    let mut files: Vec<_> = std::fs::read_dir(root.join("content/practices"))
        .expect("content/practices")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().matches('.').count() == 1)
        })
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("a practice file");
        let (Some(country), Some(coords)) = (field(&text, "country"), field(&text, "coordinates"))
        else {
            continue;
        };
        let numbers: Vec<f64> = coords
            .trim_matches(|c| c == '[' || c == ']')
            .split(',')
            .filter_map(|n| n.trim().parse().ok())
            .collect();
        let [lat, lon] = numbers[..] else { continue };
        let slug = path.file_stem().unwrap().to_string_lossy().into_owned();
        let img = draw(&map, country, (lat, lon));
        let out = root.join(format!("static/images/{slug}-map.png"));
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
        let mut bytes = Vec::new();
        PngEncoder::new_with_quality(&mut bytes, CompressionType::Best, FilterType::Adaptive)
            .write_image(img.as_raw(), WIDTH, HEIGHT, ExtendedColorType::Rgb8)
            .expect("encode the picture");
        std::fs::write(&out, bytes).expect("write the picture");
        let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
        println!("{} ({} KB)", out.display(), size / 1024);
    }
}
