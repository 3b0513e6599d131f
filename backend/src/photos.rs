//! Photo processing: the real type is read from the bytes (JPEG, PNG, WebP), the image is decoded under width,
//! height and memory limits (a decompression bomb is refused before it is allocated), turned upright, shrunk, and
//! re-encoded as JPEG — which drops EXIF, GPS and every other piece of metadata — with a thumbnail.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

/// The largest width or height decoded; anything bigger is refused unread.
pub const MAX_DIMENSION: u32 = 8000;
/// The most memory one decode may allocate.
pub const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;
/// The longest side of a stored photo.
pub const STORED_LONGEST_SIDE: u32 = 1600;
/// The longest side of a thumbnail.
pub const THUMB_LONGEST_SIDE: u32 = 320;

#[derive(Debug)]
pub struct Processed {
    pub full: Vec<u8>,
    pub thumb: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Why a photo was refused, in Chinese.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused(pub String);

pub fn process(bytes: &[u8]) -> Result<Processed, Refused> {
    let format = image::guess_format(bytes).map_err(|_| not_an_image())?;
    if !matches!(format, ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) {
        return Err(not_an_image());
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| refused_by(&e))?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| refused_by(&e))?;
    img.apply_orientation(orientation);
    let img = if img.width().max(img.height()) > STORED_LONGEST_SIDE {
        img.resize(STORED_LONGEST_SIDE, STORED_LONGEST_SIDE, image::imageops::FilterType::Triangle)
    } else {
        img
    };
    let full = encode_jpeg(&img, 82)?;
    let small = if img.width().max(img.height()) > THUMB_LONGEST_SIDE {
        img.thumbnail(THUMB_LONGEST_SIDE, THUMB_LONGEST_SIDE)
    } else {
        img.clone()
    };
    let thumb = encode_jpeg(&small, 75)?;
    Ok(Processed { full, thumb, width: img.width(), height: img.height() })
}

fn encode_jpeg(img: &DynamicImage, quality: u8) -> Result<Vec<u8>, Refused> {
    let rgb = img.to_rgb8();
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(&rgb)
        .map_err(|_| Refused("照片无法保存，请重新拍摄".into()))?;
    Ok(out)
}

fn not_an_image() -> Refused {
    Refused("只能上传 JPEG、PNG 或 WebP 格式的照片".into())
}

fn refused_by(e: &image::ImageError) -> Refused {
    match e {
        image::ImageError::Limits(_) => Refused(format!("照片尺寸过大（长宽不能超过{MAX_DIMENSION}像素）")),
        _ => Refused("照片文件已损坏或无法识别，请重新拍摄".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([200, 30, 30]));
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(img).write_to(&mut Cursor::new(&mut out), ImageFormat::Png).unwrap();
        out
    }

    #[test]
    fn shrinks_and_reencodes_as_jpeg() {
        let p = process(&png(3200, 1600)).unwrap();
        assert_eq!((p.width, p.height), (1600, 800));
        assert_eq!(&p.full[..2], &[0xFF, 0xD8]);
        assert_eq!(image::load_from_memory(&p.thumb).unwrap().width(), 320);
        let small = process(&png(200, 100)).unwrap();
        assert_eq!(image::load_from_memory(&small.thumb).unwrap().width(), 200, "a thumbnail never enlarges");
    }

    #[test]
    fn refuses_text_and_oversized_images() {
        assert_eq!(process(b"hello, not an image").unwrap_err(), not_an_image());
        let big = process(&png(MAX_DIMENSION + 1, 10)).unwrap_err();
        assert!(big.0.contains("尺寸过大"), "{big:?}");
    }
}
