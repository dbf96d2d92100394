//! Reading a source image: its size and kind from its header, or all its pixels, within
//! limits, with its EXIF orientation applied. A file that is not an image, is cut short or
//! would decode to more pixels than [`MAX_PIXELS`] is an [`Unreadable`], never a panic or
//! an exhausted machine.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageReader, Limits};

/// The most pixels a source may have (a 100-megapixel camera's photo): past this, its
/// header alone refuses it, before anything is allocated.
pub const MAX_PIXELS: u64 = 100_000_000;

/// The longest side a source may have.
const MAX_SIDE: u32 = 30_000;

/// What the header of a source says, its orientation applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Width as shown (after the EXIF rotation).
    pub width: u32,
    /// Height as shown.
    pub height: u32,
    /// Whether it has an alpha channel (then the fallback is a PNG).
    pub alpha: bool,
}

/// Why a source cannot be used, in words for the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable(pub String);

fn limits() -> Limits {
    let mut l = Limits::default();
    l.max_image_width = Some(MAX_SIDE);
    l.max_image_height = Some(MAX_SIDE);
    // Four bytes a pixel, and room for the decoder's own buffers.
    l.max_alloc = Some(MAX_PIXELS * 4 + (64 << 20));
    l
}

fn decoder(bytes: &[u8]) -> Result<impl ImageDecoder + '_, Unreadable> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| Unreadable(e.to_string()))?;
    match reader.format() {
        Some(image::ImageFormat::Jpeg | image::ImageFormat::Png | image::ImageFormat::WebP) => {}
        _ => {
            return Err(Unreadable(
                "it is not a JPEG, PNG or WebP image".to_string(),
            ));
        }
    }
    if reader.format() == Some(image::ImageFormat::Jpeg) && !jpeg_ends(bytes) {
        return Err(Unreadable(
            "the file ends before the image does (truncated?)".into(),
        ));
    }
    reader.limits(limits());
    let mut d = reader.into_decoder().map_err(explain)?;
    let (w, h) = d.dimensions();
    if w == 0 || h == 0 {
        return Err(Unreadable("it has no pixels".into()));
    }
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(Unreadable(format!(
            "it is {w} × {h} pixels, more than the {} megapixels casebook decodes",
            MAX_PIXELS / 1_000_000
        )));
    }
    // An unreadable EXIF block is no reason to refuse the picture.
    let _ = d.orientation();
    Ok(d)
}

/// Whether a JPEG has its end marker after its first scan: the decoder fills a file cut
/// short with grey, silently. (Compressed data never holds the marker's bytes; a phone's
/// motion photo appends a video after the marker, which is fine.)
fn jpeg_ends(bytes: &[u8]) -> bool {
    let Some(scan) = bytes.windows(2).position(|w| w == [0xFF, 0xDA]) else {
        return false;
    };
    bytes[scan..].windows(2).any(|w| w == [0xFF, 0xD9])
}

fn explain(e: image::ImageError) -> Unreadable {
    use image::ImageError as E;
    Unreadable(match e {
        E::Limits(_) => format!(
            "it is larger than the {} megapixels casebook decodes",
            MAX_PIXELS / 1_000_000
        ),
        E::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            "the file ends before the image does (truncated?)".into()
        }
        other => format!("it cannot be decoded ({other})"),
    })
}

fn rotated(o: image::metadata::Orientation) -> bool {
    use image::metadata::Orientation as O;
    matches!(
        o,
        O::Rotate90 | O::Rotate270 | O::Rotate90FlipH | O::Rotate270FlipH
    )
}

/// The size and kind of the image in `bytes`, from its header.
pub fn header(bytes: &[u8]) -> Result<Header, Unreadable> {
    let mut d = decoder(bytes)?;
    let (w, h) = d.dimensions();
    let turned = d.orientation().map(rotated).unwrap_or(false);
    let (width, height) = if turned { (h, w) } else { (w, h) };
    Ok(Header {
        width,
        height,
        alpha: d.color_type().has_alpha(),
    })
}

/// All the pixels of the image in `bytes`, turned as its EXIF orientation says, as 8-bit
/// RGB (or RGBA when it has alpha). Its metadata (EXIF, GPS, ICC) stays behind.
pub fn pixels(bytes: &[u8]) -> Result<DynamicImage, Unreadable> {
    let mut d = decoder(bytes)?;
    let orientation = d
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let alpha = d.color_type().has_alpha();
    let mut img = DynamicImage::from_decoder(d).map_err(explain)?;
    img.apply_orientation(orientation);
    Ok(if alpha {
        DynamicImage::ImageRgba8(img.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(img.into_rgb8())
    })
}
