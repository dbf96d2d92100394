//! A phone-sized photo for benchmarks, and the time casebook takes to process one.
//!
//! - `cargo run --release --example photo -- make PATH [SEED] [WIDTH HEIGHT]`: writes a
//!   4000 × 3000 JPEG (12 megapixels, quality 90, with an EXIF block) of smooth gradients
//!   and grain, about the bytes of a phone's photo, or one of the size given (a 1700 × 1275
//!   photo becomes the same ten files, and a rebuild reads no pixels: its figures do not
//!   depend on the photo's size);
//! - `cargo run --release --example photo -- time PATH [RUNS]`: decodes it and makes every
//!   file a practice's photo becomes (hero, card, share card, the copy at its own path),
//!   RUNS times (default 5), and prints each time and the median.

use std::time::Instant;

use casebook::images::{Role, decode, encode, variants};
use image::{ImageEncoder, Rgb, RgbImage};

/// A phone's photo: 12 megapixels.
const PHONE: (u32, u32) = (4000, 3000);

fn make(path: &str, seed: u64, (w, h): (u32, u32)) {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let img = RgbImage::from_fn(w, h, |x, y| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let grain = (state % 24) as i32 - 12;
        let fx = f64::from(x) / f64::from(w);
        let fy = f64::from(y) / f64::from(h);
        let wave = ((fx * 9.0 + seed as f64).sin() * (fy * 7.0).cos() * 60.0) as i32;
        let c =
            |base: f64, k: f64| ((base + k * fx * 120.0) as i32 + wave + grain).clamp(0, 255) as u8;
        Rgb([c(90.0, 1.0), c(120.0 - 40.0 * fy, 0.5), c(150.0, -0.6)])
    });
    let mut out = Vec::new();
    let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
    let _ = enc.set_exif_metadata(
        b"MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x01\0\0\0\0\0\0".to_vec(),
    );
    enc.write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .expect("encode");
    std::fs::write(path, &out).expect("write the photo");
    println!("{path}: {w} × {h}, {:.1} MB", out.len() as f64 / 1e6);
}

fn time(path: &str, runs: usize) {
    let bytes = std::fs::read(path).expect("read the photo");
    let header = decode::header(&bytes).expect("a photo");
    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    let all: Vec<_> = [Role::Hero, Role::Card, Role::Share, Role::Original]
        .into_iter()
        .flat_map(|r| variants::of("photo.jpg", hash, &header, r, (0.5, 0.5)))
        .collect();
    let refs: Vec<_> = all.iter().collect();
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let pixels = decode::pixels(&bytes).expect("decode");
        let decoded = t.elapsed();
        let files = encode::variants(pixels, &refs).expect("encode");
        let total = t.elapsed();
        let size: usize = files.iter().map(Vec::len).sum();
        println!(
            "decode {:.0} ms, all {} files {:.0} ms ({:.0} KB)",
            decoded.as_secs_f64() * 1e3,
            files.len(),
            total.as_secs_f64() * 1e3,
            size as f64 / 1e3
        );
        if times.is_empty() {
            for (v, f) in all.iter().zip(&files) {
                println!(
                    "  {} {} × {}: {:.1} KB",
                    v.format.ext(),
                    v.width,
                    v.height,
                    f.len() as f64 / 1e3
                );
            }
        }
        times.push(total.as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    println!("median {:.0} ms", times[times.len() / 2] * 1e3);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["make", path] => make(path, 1, PHONE),
        ["make", path, seed] => make(path, seed.parse().unwrap_or(1), PHONE),
        ["make", path, seed, w, h] => make(
            path,
            seed.parse().unwrap_or(1),
            (w.parse().unwrap_or(PHONE.0), h.parse().unwrap_or(PHONE.1)),
        ),
        ["time", path] => time(path, 5),
        ["time", path, runs] => time(path, runs.parse().unwrap_or(5)),
        _ => eprintln!("usage: photo make PATH [SEED [WIDTH HEIGHT]] | photo time PATH [RUNS]"),
    }
}
