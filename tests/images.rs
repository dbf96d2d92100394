//! Responsive images: the files a photo becomes (widths, formats, sizes, EXIF rotation,
//! no metadata), the pages that name them, the problems an image can have, and the cache
//! folder that keeps them between builds.

mod common;

use casebook::diagnostics::Code;
use common::{Site, attrs, cached_images, practice, snapshot};
use image::{ImageEncoder, Rgb, RgbImage};

/// An EXIF block (TIFF, big-endian) with an orientation and a GPS-looking tag.
fn exif(orientation: u16) -> Vec<u8> {
    let mut t = b"MM\0*\0\0\0\x08".to_vec();
    t.extend_from_slice(&[0, 1]); // one entry
    t.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1]);
    t.extend_from_slice(&orientation.to_be_bytes());
    t.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    t.extend_from_slice(b"GPS 45.0703 N 7.6869 E");
    t
}

/// A JPEG of `w × h`: red on the left half, blue on the right, with EXIF `orientation`.
fn jpeg(w: u32, h: u32, orientation: u16) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, y| {
        if x < w / 2 {
            Rgb([220, 30, 30])
        } else {
            Rgb([30, 30, (y % 200 + 55) as u8])
        }
    });
    let mut out = Vec::new();
    let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
    enc.set_exif_metadata(exif(orientation)).unwrap();
    enc.write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(w, h, |x, _| image::Rgba([0, 120, 110, (x % 255) as u8]));
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgba8)
        .unwrap();
    out
}

fn site_with_photo(photo: &[u8]) -> Site {
    let site = Site::new();
    site.write_bytes("static/photos/hub.jpg", photo);
    site.write(
        "content/practices/co-city.md",
        &practice(
            "CO-CITY",
            "poverty",
            "image: { src: photos/hub.jpg, alt: Volunteers painting a mural, focus: [0.5, 0.2] }\n",
        ),
    );
    site.write(
        "content/practices/b-mincome.md",
        &practice("B-MINCOME", "poverty", ""),
    );
    site
}

/// The format and size of an output file.
fn kind(site: &Site, url: &str) -> (image::ImageFormat, u32, u32) {
    let bytes = std::fs::read(site.out().join(url.trim_start_matches('/'))).unwrap();
    let format = image::guess_format(&bytes).unwrap();
    let img = image::load_from_memory(&bytes).unwrap();
    (format, img.width(), img.height())
}

/// `(url, width)` of each entry of a `srcset`.
fn entries(srcset: &str) -> Vec<(String, u32)> {
    srcset
        .split(", ")
        .map(|e| {
            let (url, w) = e.rsplit_once(' ').unwrap();
            (url.to_string(), w.trim_end_matches('w').parse().unwrap())
        })
        .collect()
}

#[test]
fn a_photo_is_published_in_widths_and_formats_without_its_metadata() {
    let site = site_with_photo(&jpeg(2000, 1500, 1));
    site.build_ok();
    let page = site.html("en/practices/co-city/index.html");
    let webp = attrs(&page, ".practice-image source", "srcset");
    let webp = entries(&webp[0]);
    assert_eq!(
        webp.iter().map(|e| e.1).collect::<Vec<_>>(),
        [480, 800, 1200, 1600]
    );
    for (url, w) in &webp {
        let (format, width, height) = kind(&site, url);
        assert_eq!(
            (format, width, height),
            (image::ImageFormat::WebP, *w, w * 3 / 4)
        );
    }
    // One fallback, at the width `src` names: every browser of the last years takes a WebP.
    let jpg = entries(&attrs(&page, ".practice-image img", "srcset")[0]);
    assert_eq!(jpg.iter().map(|e| e.1).collect::<Vec<_>>(), [800]);
    for (url, w) in &jpg {
        assert_eq!(kind(&site, url), (image::ImageFormat::Jpeg, *w, w * 3 / 4));
        let bytes = std::fs::read(site.out().join(url.trim_start_matches('/'))).unwrap();
        assert!(
            !bytes.windows(4).any(|w| w == b"Exif"),
            "{url} keeps its EXIF"
        );
    }
    let img = |a: &str| attrs(&page, ".practice-image img", a)[0].clone();
    assert_eq!((img("width"), img("height")), ("800".into(), "600".into()));
    assert_eq!(img("alt"), "Volunteers painting a mural");
    assert_eq!(img("decoding"), "async");
    assert!(img("sizes").contains("48rem"));
    // The source's own path holds a copy without its metadata: links and open data name it.
    let original = std::fs::read(site.out().join("photos/hub.jpg")).unwrap();
    assert!(!original.windows(3).any(|w| w == b"GPS"));
    assert_eq!(
        kind(&site, "photos/hub.jpg"),
        (image::ImageFormat::Jpeg, 1600, 1200)
    );
    // The card: 3:2, lazy, small widths; the share card 1200 × 630.
    let catalogue = site.html("en/index.html");
    let card = entries(&attrs(&catalogue, ".card-image source", "srcset")[0]);
    assert_eq!(card.iter().map(|e| e.1).collect::<Vec<_>>(), [400, 800]);
    assert_eq!(
        kind(&site, &card[0].0),
        (image::ImageFormat::WebP, 400, 267)
    );
    assert_eq!(attrs(&catalogue, ".card-image img", "loading"), ["lazy"]);
    assert_eq!(
        attrs(&catalogue, ".card-image img", "alt"),
        ["Volunteers painting a mural"]
    );
    let og = attrs(&page, "meta[property='og:image']", "content");
    let og = og[0].strip_prefix("https://example.org").unwrap();
    assert_eq!(kind(&site, og), (image::ImageFormat::Jpeg, 1200, 630));
    assert_eq!(
        attrs(&page, "meta[property='og:image:width']", "content"),
        ["1200"]
    );
}

#[test]
fn exif_orientation_is_applied() {
    // Stored 1200 × 800, red on the left; orientation 6: shown turned a quarter clockwise,
    // 800 × 1200 with red on top.
    let site = site_with_photo(&jpeg(1200, 800, 6));
    site.build_ok();
    let page = site.html("en/practices/co-city/index.html");
    let jpg = entries(&attrs(&page, ".practice-image img", "srcset")[0]);
    assert_eq!(jpg.iter().map(|e| e.1).collect::<Vec<_>>(), [800]);
    let bytes = std::fs::read(site.out().join(jpg[0].0.trim_start_matches('/'))).unwrap();
    let img = image::load_from_memory(&bytes).unwrap().to_rgb8();
    assert_eq!(img.dimensions(), (800, 1200));
    let top = img.get_pixel(400, 160);
    let bottom = img.get_pixel(400, 1030);
    assert!(top[0] > 180 && top[2] < 80, "top is {top:?}");
    assert!(bottom[0] < 80, "bottom is {bottom:?}");
}

#[test]
fn an_image_with_transparency_falls_back_to_png_and_bodies_get_pictures() {
    let site = site_with_photo(&jpeg(1000, 800, 1));
    site.write_bytes("static/diagrams/plan.png", &png(900, 600));
    site.write(
        "content/practices/b-mincome.md",
        &practice("B-MINCOME", "poverty", "").replace(
            "Body of B-MINCOME.",
            "![The plan of the hub](/diagrams/plan.png \"Plan\")",
        ),
    );
    site.build_ok();
    let page = site.html("en/practices/b-mincome/index.html");
    let img = |a: &str| attrs(&page, ".practice-body picture img", a);
    assert_eq!(img("alt"), ["The plan of the hub"]);
    assert_eq!(img("title"), ["Plan"]);
    assert_eq!(img("loading"), ["lazy"]);
    assert_eq!(
        (img("width"), img("height")),
        (vec!["800".to_string()], vec!["533".to_string()])
    );
    let fallback = entries(&img("srcset")[0]);
    assert_eq!(fallback.iter().map(|e| e.1).collect::<Vec<_>>(), [800]);
    assert_eq!(
        kind(&site, &fallback[0].0),
        (image::ImageFormat::Png, 800, 533)
    );
    let webp = entries(&attrs(&page, ".practice-body picture source", "srcset")[0]);
    assert_eq!(
        webp.iter().map(|e| e.1).collect::<Vec<_>>(),
        [480, 800, 900]
    );
    // A source smaller than the hero wants is published at its own width.
    let hero = site.html("en/practices/co-city/index.html");
    let widths = entries(&attrs(&hero, ".practice-image source", "srcset")[0]);
    assert_eq!(
        widths.iter().map(|e| e.1).collect::<Vec<_>>(),
        [480, 800, 1000]
    );
}

/// The errors of a failed build, as `file:line:col message`.
fn errors(site: &Site, code: Code) -> Vec<String> {
    let failure = site.build().expect_err("the build should fail");
    failure
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| format!("{} {}", d.location.as_ref().unwrap(), d.message))
        .collect()
}

#[test]
fn a_corrupt_truncated_or_huge_image_is_a_located_error() {
    let site = site_with_photo(b"this is not a picture at all");
    assert_eq!(
        errors(&site, Code::ImageUnreadable),
        [
            "content/practices/co-city.md:8:15 static/photos/hub.jpg cannot be used: it is not a JPEG, PNG or WebP image"
        ]
    );
    let d = site.build().unwrap_err().diagnostics;
    assert!(d[0].hint.as_deref().unwrap().contains("save it again"));
    assert!(!site.out().exists(), "nothing is published");
    // Cut short after its header.
    let whole = jpeg(1600, 1200, 1);
    site.write_bytes("static/photos/hub.jpg", &whole[..whole.len() / 3]);
    let found = errors(&site, Code::ImageUnreadable);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("static/photos/hub.jpg cannot be used"),
        "{found:?}"
    );
    // A decompression bomb: a PNG whose header says 60,000 × 60,000 pixels.
    let mut bomb = png(8, 8);
    bomb[16..20].copy_from_slice(&60_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&60_000u32.to_be_bytes());
    let crc = crc32(&bomb[12..29]);
    bomb[29..33].copy_from_slice(&crc.to_be_bytes());
    site.write_bytes("static/photos/hub.jpg", &bomb);
    let found = errors(&site, Code::ImageUnreadable);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with("content/practices/co-city.md:8:15 "),
        "{found:?}"
    );
    assert!(found[0].contains("casebook decodes"), "{found:?}");
}

/// CRC-32 as PNG chunks use it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn check_warns_about_small_huge_and_external_images() {
    let site = site_with_photo(&jpeg(600, 400, 1));
    // 20.5 megapixels of one colour: a small file, a large picture.
    site.write_bytes("static/diagrams/huge.png", &png(5000, 4100));
    site.write(
        "content/practices/b-mincome.md",
        &practice("B-MINCOME", "poverty", "").replace(
            "Body of B-MINCOME.",
            "![A map](/diagrams/huge.png)\n\n![A photo](https://example.com/a.jpg)",
        ),
    );
    let (code, _, err) = site.cli(&["check"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("warning[W0512]"), "{err}");
    assert!(
        err.contains("static/photos/hub.jpg is 600 pixels wide"),
        "{err}"
    );
    assert!(err.contains("content/practices/co-city.md:8:15"), "{err}");
    assert!(err.contains("warning[W0511]"), "{err}");
    assert!(
        err.contains("static/diagrams/huge.png is 5000 × 4100 pixels"),
        "{err}"
    );
    assert!(err.contains("warning[W0513]"), "{err}");
    assert!(err.contains("content/practices/b-mincome.md:13:1"), "{err}");
}

#[test]
fn the_cache_keeps_processed_images_between_builds_and_prunes_unused_ones() {
    let site = site_with_photo(&jpeg(1800, 1200, 1));
    site.build_ok();
    let first = snapshot(&site.out());
    let cache = cached_images(site.root());
    assert!(cache.keys().any(|k| k.ends_with(".webp")), "{cache:?}");
    // A build into a new output folder takes every file from the cache: none is made again.
    std::fs::remove_dir_all(site.out()).unwrap();
    site.build_ok();
    assert_eq!(
        cached_images(site.root()),
        cache,
        "a file of the cache was written again"
    );
    assert_eq!(snapshot(&site.out()), first);
    // They are the cache's files, linked: 537 MB of photos are not copied at 1,000 practices.
    let webp = cache.keys().find(|k| k.ends_with(".webp")).unwrap();
    let published = std::fs::metadata(site.out().join("_images").join(webp)).unwrap();
    assert_eq!(
        std::os::unix::fs::MetadataExt::ino(&published),
        cache[webp].0,
        "{webp} was copied, not linked"
    );
    // A file of the cache changed behind casebook's back is not published: the output of a
    // build into a new folder is the same.
    let cached = site.root().join(".casebook/images").join(webp);
    std::fs::remove_file(&cached).unwrap();
    std::fs::write(&cached, b"not a picture").unwrap();
    std::fs::remove_dir_all(site.out()).unwrap();
    site.build_ok();
    assert!(
        snapshot(&site.out()) == first,
        "a changed cache file was published"
    );
    let cache = cached_images(site.root());
    // Another photo at the same path: new files, the old ones pruned; the output is the
    // one a fresh build makes.
    site.write_bytes("static/photos/hub.jpg", &jpeg(1700, 1200, 1));
    site.build_ok();
    let now = cached_images(site.root());
    assert!(
        cache
            .keys()
            .filter(|k| !["probes", "index", "names"].contains(&k.as_str()))
            .all(|k| !now.contains_key(k)),
        "{now:?}"
    );
    let rebuilt = snapshot(&site.out());
    std::fs::remove_dir_all(site.root().join(".casebook")).unwrap();
    std::fs::remove_dir_all(site.out()).unwrap();
    site.build_ok();
    assert_eq!(
        snapshot(&site.out()),
        rebuilt,
        "a rebuild differs from a fresh build"
    );
    // The photo leaves the front matter but stays in the body: its card and share card
    // leave the cache, though no source changed and nothing was made.
    site.write(
        "content/practices/co-city.md",
        &practice(
            "CO-CITY",
            "poverty",
            "image: { src: photos/hub.jpg, alt: Volunteers painting a mural }\n",
        )
        .replace("Body of CO-CITY.", "![Volunteers](/photos/hub.jpg)"),
    );
    site.build_ok();
    let before = cached_images(site.root());
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", "")
            .replace("Body of CO-CITY.", "![Volunteers](/photos/hub.jpg)"),
    );
    site.build_ok();
    let after = cached_images(site.root());
    let gone: Vec<&String> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    let new = after.keys().filter(|k| !before.contains_key(*k)).count();
    assert!(!gone.is_empty() && new == 0, "{gone:?} pruned, {new} made");
}

/// The record of the images' files beside the build's state (`state.images`).
fn images_record(site: &Site) -> std::path::PathBuf {
    let builds = site.root().join(".casebook/builds");
    let folder = std::fs::read_dir(&builds)
        .unwrap()
        .flatten()
        .next()
        .unwrap();
    folder.path().join("state.images")
}

/// Waits until the output's images' folder has not changed for more than two seconds: the
/// next build trusts it whole (it is sealed).
fn wait_until_images_settle(site: &Site) {
    wait_until_settled(site, "_images");
}

/// Waits until the output's `folder` has not changed for more than two seconds: the next
/// build seals it when it can.
fn wait_until_settled(site: &Site, folder: &str) {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(site.out().join(folder)).unwrap();
    let changed = meta.mtime().max(meta.ctime());
    let settled = std::time::UNIX_EPOCH + std::time::Duration::from_secs(changed as u64 + 3);
    if let Ok(wait) = settled.duration_since(std::time::SystemTime::now()) {
        std::thread::sleep(wait);
    }
}

/// The output of a build of `site` into another folder, with another cache folder.
fn built_elsewhere(site: &Site) -> std::collections::BTreeMap<String, Vec<u8>> {
    let elsewhere = tempfile::tempdir().unwrap();
    let (out, cache) = (elsewhere.path().join("out"), elsewhere.path().join("cache"));
    let (out_arg, cache_arg) = (out.to_str().unwrap(), cache.to_str().unwrap());
    let (code, _, err) = site.cli(&["build", "-q", "--output", out_arg, "--cache-dir", cache_arg]);
    assert_eq!(code, 0, "{err}");
    snapshot(&out)
}

#[test]
fn the_images_records_are_kept_apart_and_a_missing_or_damaged_one_is_made_again() {
    let site = site_with_photo(&jpeg(1800, 1200, 1));
    let first = site.build_ok();
    assert!(images_record(&site).exists());
    // Built again at once, while the images' folder is too new to be trusted whole: its
    // files are looked at one by one, with their records, and found as written.
    let again = site.build_ok();
    assert!(again.up_to_date, "{again:?}");
    assert_eq!(again.files, first.files);
    let mut edits = 0;
    let mut edit = || {
        edits += 1;
        let text = practice("B-MINCOME", "poverty", "");
        let text = text.replace("Body of B-MINCOME.", &format!("Edit {edits} of B-MINCOME."));
        site.write("content/practices/b-mincome.md", &text);
    };
    for (round, damage) in [None, Some(&b"not a record"[..])].into_iter().enumerate() {
        // Three edits, the images' folder settled before each: the second build finds it
        // sealed in the output and keeps it whole; the third finds the same folder in its
        // staging folder (a twin) and does not list it.
        for _ in 0..3 {
            wait_until_images_settle(&site);
            edit();
            site.build_ok();
        }
        wait_until_images_settle(&site);
        match damage {
            None => std::fs::remove_file(images_record(&site)).unwrap(),
            Some(bytes) => std::fs::write(images_record(&site), bytes).unwrap(),
        }
        // An edit that touches no image keeps the images' folder whole without its
        // records: the build does not need them.
        edit();
        let kept = site.build_ok();
        assert!(kept.rendered < kept.pages, "{damage:?}: {kept:?}");
        assert_eq!(kept.files, first.files, "{damage:?}");
        assert!(
            snapshot(&site.out()) == built_elsewhere(&site),
            "{damage:?}"
        );
        // The photo cropped elsewhere: its card files change. The build needs the images'
        // records, finds them missing or damaged, and publishes the images' files again:
        // none of the old card files stays.
        let focus = ["[0.1, 0.1]", "[0.9, 0.9]"][round];
        site.write(
            "content/practices/co-city.md",
            &practice(
                "CO-CITY",
                "poverty",
                &format!("image: {{ src: photos/hub.jpg, alt: Volunteers painting a mural, focus: {focus} }}\n"),
            ),
        );
        let rebuilt = site.build_ok();
        assert!(rebuilt.rendered < rebuilt.pages, "{damage:?}: {rebuilt:?}");
        assert_eq!(rebuilt.files, first.files, "{damage:?}");
        assert!(
            snapshot(&site.out()) == built_elsewhere(&site),
            "{damage:?}"
        );
        assert!(images_record(&site).exists(), "{damage:?}");
    }
}

#[test]
fn a_folder_of_photo_copies_sealed_like_the_images_follows_every_change() {
    // Enough photos in one folder for their copies at their own path to be sealed.
    let site = Site::new();
    for i in 0..40u32 {
        site.write_bytes(&format!("static/photos/p{i:02}.jpg"), &jpeg(60 + i, 40, 1));
        let image = format!("image: {{ src: photos/p{i:02}.jpg, alt: Photo {i} }}\n");
        site.write(
            &format!("content/practices/p{i:02}.md"),
            &practice(&format!("P{i:02}"), "poverty", &image),
        );
    }
    site.build_ok();
    let mut edits = 0;
    let mut settle_and_edit = |site: &Site| {
        // Settled before each build: the first seals the folder, the next find it
        // sealed in the output, then in their staging folder too (a twin).
        for _ in 0..3 {
            wait_until_settled(site, "photos");
            edits += 1;
            let image = "image: { src: photos/p00.jpg, alt: Photo 0 }\n";
            let text = practice("P00", "poverty", image);
            site.write(
                "content/practices/p00.md",
                &text.replace("Body of P00.", &format!("Edit {edits} of P00.")),
            );
            site.build_ok();
        }
        wait_until_settled(site, "photos");
    };
    settle_and_edit(&site);
    // A photo overwritten in place under static/: its copy follows.
    site.write_bytes("static/photos/p03.jpg", &jpeg(90, 60, 1));
    site.build_ok();
    assert_eq!(
        kind(&site, "photos/p03.jpg"),
        (image::ImageFormat::Jpeg, 90, 60)
    );
    assert!(snapshot(&site.out()) == built_elsewhere(&site));
    settle_and_edit(&site);
    // A copy deleted from the output behind casebook's back: nothing changed in the site,
    // yet the build does not call the output up to date, and puts the copy back.
    std::fs::remove_file(site.out().join("photos/p05.jpg")).unwrap();
    let rebuilt = site.build_ok();
    assert!(!rebuilt.up_to_date, "{rebuilt:?}");
    assert_eq!(
        kind(&site, "photos/p05.jpg"),
        (image::ImageFormat::Jpeg, 65, 40)
    );
    assert!(snapshot(&site.out()) == built_elsewhere(&site));
    settle_and_edit(&site);
    // A photo no practice shows any more is published as it is, beside the copies.
    site.write("content/practices/p07.md", &practice("P07", "poverty", ""));
    site.build_ok();
    let published = std::fs::read(site.out().join("photos/p07.jpg")).unwrap();
    assert_eq!(published, jpeg(67, 40, 1));
    assert!(snapshot(&site.out()) == built_elsewhere(&site));
    // And a new photo shown in its place gets its copy.
    settle_and_edit(&site);
    site.write_bytes("static/photos/p40.jpg", &jpeg(100, 50, 1));
    let image = "image: { src: photos/p40.jpg, alt: Photo 40 }\n";
    site.write(
        "content/practices/p07.md",
        &practice("P07", "poverty", image),
    );
    site.build_ok();
    assert_eq!(
        kind(&site, "photos/p40.jpg"),
        (image::ImageFormat::Jpeg, 100, 50)
    );
    assert!(snapshot(&site.out()) == built_elsewhere(&site));
}

#[test]
fn a_cache_on_another_file_system_is_copied_from_not_linked() {
    use std::os::unix::fs::MetadataExt;
    // /dev/shm is a memory file system on Linux: another device than the temporary folder.
    let site = site_with_photo(&jpeg(1800, 1200, 1));
    let device = |p: &std::path::Path| std::fs::metadata(p).map(|m| m.dev()).ok();
    let Some(cache) = tempfile::tempdir_in("/dev/shm")
        .ok()
        .filter(|c| device(c.path()) != device(site.root()))
    else {
        eprintln!("no second file system here: nothing to check");
        return;
    };
    let dir = cache.path().to_str().unwrap();
    let (code, _, err) = site.cli(&["build", "--quiet", "--cache-dir", dir]);
    assert_eq!(code, 0, "{err}");
    let first = snapshot(&site.out());
    std::fs::remove_dir_all(site.out()).unwrap();
    let (code, _, err) = site.cli(&["build", "--quiet", "--cache-dir", dir]);
    assert_eq!(code, 0, "{err}");
    assert!(snapshot(&site.out()) == first, "the output differs");
    let images = cache.path().join("images");
    let webp = std::fs::read_dir(&images)
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().ends_with(".webp"))
        .expect("a WebP in the cache");
    let published = site.out().join("_images").join(webp.file_name());
    assert_eq!(
        std::fs::read(&published).unwrap(),
        std::fs::read(webp.path()).unwrap()
    );
    assert_ne!(device(&published), device(&webp.path()));
}

/// One edit of the files of a site.
type Edit<'a> = Box<dyn Fn() + 'a>;

/// Front matter with a photo, for the edit fixture's practice `alpha`.
fn with_photo(text: &str, src: &str) -> String {
    text.replacen(
        "\nsummary:",
        &format!("\nimage: {{ src: {src}, alt: A photo }}\nsummary:"),
        1,
    )
}

#[test]
fn serve_and_build_rebuilds_after_image_edits_equal_fresh_builds() {
    for serving in [true, false] {
        let mut f = if serving {
            common::edits::Fixture::serving(7)
        } else {
            common::edits::Fixture::building(7)
        };
        let alpha = f.path("content/practices/alpha.md");
        let photo = f.path("static/photos/alpha.jpg");
        let text = std::fs::read_to_string(&alpha).unwrap();
        let steps: Vec<(&str, Edit)> = vec![
            (
                "a photo added",
                Box::new(|| {
                    std::fs::create_dir_all(photo.parent().unwrap()).unwrap();
                    std::fs::write(&photo, jpeg(1000, 700, 1)).unwrap();
                    std::fs::write(&alpha, with_photo(&text, "photos/alpha.jpg")).unwrap();
                }),
            ),
            (
                "the photo replaced by a turned one",
                Box::new(|| std::fs::write(&photo, jpeg(1000, 700, 6)).unwrap()),
            ),
            (
                "its focal point moved (the cards' crop, so their files' names, change)",
                Box::new(|| {
                    let t = with_photo(&text, "photos/alpha.jpg")
                        .replace("alt: A photo }", "alt: A photo, focus: [0.1, 0.9] }");
                    std::fs::write(&alpha, t).unwrap();
                }),
            ),
            (
                "a body image",
                Box::new(|| {
                    let t = with_photo(&text, "photos/alpha.jpg");
                    std::fs::write(&alpha, format!("{t}\n![A photo](/photos/alpha.jpg)\n"))
                        .unwrap();
                }),
            ),
            (
                "the photo taken out",
                Box::new(|| std::fs::write(&alpha, &text).unwrap()),
            ),
        ];
        for (step, (what, edit)) in steps.iter().enumerate() {
            edit();
            let outcome = f.apply(what.to_string(), vec![alpha.clone(), photo.clone()]);
            f.expect_ok(7, step, &outcome);
            if serving {
                while f.session().has_deferred_work() {
                    let settled = f.session().settle();
                    assert!(settled.errors.is_empty(), "{:#?}", settled.errors);
                }
            }
            f.assert_as_fresh(7);
        }
    }
}
