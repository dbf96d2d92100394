//! Making the published files of one source: each [`Variant`] cropped, resized (with SIMD,
//! by `fast_image_resize`) and encoded as lossy WebP (libwebp), JPEG or PNG. The same
//! pixels and variants always give the same bytes.

use fast_image_resize::{self as fr, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::DynamicImage;

use super::variants::{Format, Variant};

/// WebP quality: photos stay sharp on a phone at a third of the JPEG's bytes.
const WEBP_QUALITY: f32 = 75.0;
/// JPEG quality of the fallbacks.
const JPEG_QUALITY: u8 = 80;
/// Sources wider than this are first brought down to it, once, and every variant is made
/// from that copy: the widest variant is 1,600 pixels, and a 12-megapixel photo is then
/// read once instead of once per variant.
const WORKING_WIDTH: u32 = 2400;

/// An image's pixels, 8-bit RGB or RGBA, row after row.
struct Pixels {
    width: u32,
    height: u32,
    alpha: bool,
    data: Vec<u8>,
}

impl Pixels {
    fn of(img: DynamicImage) -> Pixels {
        let (width, height) = (img.width(), img.height());
        match img {
            DynamicImage::ImageRgba8(b) => Pixels {
                width,
                height,
                alpha: true,
                data: b.into_raw(),
            },
            other => Pixels {
                width,
                height,
                alpha: false,
                data: other.into_rgb8().into_raw(),
            },
        }
    }

    fn pixel_type(&self) -> PixelType {
        if self.alpha {
            PixelType::U8x4
        } else {
            PixelType::U8x3
        }
    }

    /// The part `(left, top, width, height)` of these pixels, resized to `w × h`.
    fn resized(&self, crop: (f64, f64, f64, f64), w: u32, h: u32) -> Result<Pixels, String> {
        let src = fr::images::ImageRef::new(self.width, self.height, &self.data, self.pixel_type())
            .map_err(|e| e.to_string())?;
        let mut dst = fr::images::Image::new(w, h, self.pixel_type());
        let options = ResizeOptions::new()
            .resize_alg(ResizeAlg::Convolution(fr::FilterType::Lanczos3))
            .crop(crop.0, crop.1, crop.2, crop.3);
        Resizer::new()
            .resize(&src, &mut dst, &options)
            .map_err(|e| e.to_string())?;
        Ok(Pixels {
            width: w,
            height: h,
            alpha: self.alpha,
            data: dst.into_vec(),
        })
    }

    fn encode(&self, format: Format) -> Result<Vec<u8>, String> {
        let (w, h) = (self.width, self.height);
        let color = if self.alpha {
            image::ExtendedColorType::Rgba8
        } else {
            image::ExtendedColorType::Rgb8
        };
        let mut out = Vec::new();
        match format {
            Format::WebP => {
                let enc = if self.alpha {
                    webp::Encoder::from_rgba(&self.data, w, h)
                } else {
                    webp::Encoder::from_rgb(&self.data, w, h)
                };
                out.extend_from_slice(&enc.encode(WEBP_QUALITY));
            }
            Format::Jpeg => {
                use image::ImageEncoder;
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
                    .write_image(&self.data, w, h, color)
                    .map_err(|e| e.to_string())?;
            }
            Format::Png => {
                use image::ImageEncoder;
                image::codecs::png::PngEncoder::new(&mut out)
                    .write_image(&self.data, w, h, color)
                    .map_err(|e| e.to_string())?;
            }
        }
        Ok(out)
    }
}

/// A variant's width, height and crop box: variants of one shape share their pixels.
type Shape = (u32, u32, [u32; 4]);

/// The bytes of each of `variants` of the (decoded) source `img`, in their order.
pub fn variants(img: DynamicImage, variants: &[&Variant]) -> Result<Vec<Vec<u8>>, String> {
    let mut source = Pixels::of(img);
    // Crop boxes are in the source's pixels; a working copy scales them.
    let mut scale = 1.0;
    if source.width > WORKING_WIDTH {
        let h = ((u64::from(source.height) * u64::from(WORKING_WIDTH)) / u64::from(source.width))
            .max(1) as u32;
        scale = f64::from(WORKING_WIDTH) / f64::from(source.width);
        let full = (0.0, 0.0, f64::from(source.width), f64::from(source.height));
        source = source.resized(full, WORKING_WIDTH, h)?;
    }
    let mut out = Vec::with_capacity(variants.len());
    // WebP and its fallback share one resize.
    let mut last: Option<(Shape, Pixels)> = None;
    for v in variants {
        let key = (v.width, v.height, v.crop);
        let reuse = matches!(&last, Some((k, _)) if *k == key);
        if !reuse {
            let c = v.crop.map(f64::from);
            let crop = (c[0] * scale, c[1] * scale, c[2] * scale, c[3] * scale);
            last = Some((key, source.resized(crop, v.width, v.height)?));
        }
        let (_, pixels) = last.as_ref().expect("set above");
        out.push(pixels.encode(v.format)?);
    }
    Ok(out)
}
