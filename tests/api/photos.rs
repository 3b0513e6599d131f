//! Photos: real JPEG and PNG accepted and served without EXIF, other files and decompression bombs refused,
//! size limits, and who may attach and see them.

use shared::item::CreateItem;
use tests::spawn_app;

use crate::items::{building, capture, new_id};

/// A JPEG carrying an EXIF segment with a GPS marker, as phones write them.
fn jpeg_with_exif() -> Vec<u8> {
    let img = image::RgbImage::from_fn(640, 480, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90).encode_image(&img).unwrap();
    let payload = b"Exif\0\0MM\0*\0\0\0\x08GPSLatitude 43.49N GPSLongitude 125.6E";
    let len = (payload.len() + 2) as u16;
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(payload);
    out.extend_from_slice(&plain[2..]);
    out
}

pub fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb([10, 120, 200]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img).write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for b in bytes {
        crc ^= *b as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A PNG that claims 20000×20000 pixels (1.2 GB decoded) in a few dozen bytes.
fn png_bomb() -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8], data: &[u8]| {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&20000u32.to_be_bytes());
    ihdr.extend_from_slice(&20000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(b"IHDR", &ihdr);
    chunk(b"IDAT", &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
    chunk(b"IEND", &[]);
    out
}

#[tokio::test]
async fn real_photos_are_accepted_and_served_without_exif() {
    let app = spawn_app().await;
    let grid1 = app.token("grid1").await;
    let original = jpeg_with_exif();
    assert!(original.windows(4).any(|w| w == b"Exif"));
    let jpeg_id = new_id();
    let up = app.photo(&grid1, &jpeg_id, original.clone(), "IMG_0001.jpg").await.with_status(201);
    assert_eq!((up.width, up.height), (640, 480));
    // A retried upload stores nothing twice.
    assert_eq!(app.photo(&grid1, &jpeg_id, original, "IMG_0001.jpg").await.status, 200);
    let png_id = new_id();
    let up = app.photo(&grid1, &png_id, png(2400, 1200), "screenshot.png").await.with_status(201);
    assert_eq!((up.width, up.height), (1600, 800));

    let body = CreateItem { photo_ids: vec![jpeg_id, png_id], ..capture(building(&app, &grid1, 3).await) };
    let item = app.create_item(&grid1, &body).await.with_status(201);
    let photos = &item.photos;
    assert_eq!(photos.len(), 2);
    let (status, served) = app.get_bytes(None, &photos[0].url).await;
    assert_eq!(status, 200);
    assert_eq!(&served[..2], &[0xFF, 0xD8]);
    assert!(!served.windows(4).any(|w| w == b"Exif"), "EXIF survived");
    assert!(!served.windows(11).any(|w| w == b"GPSLatitude"), "GPS survived");
    let (status, thumb) = app.get_bytes(None, &photos[1].thumb_url).await;
    assert_eq!(status, 200);
    assert_eq!(image::load_from_memory(&thumb).unwrap().width(), 320);
    // A link with a broken signature, or for the other variant, shows nothing.
    let url = &photos[0].url;
    assert_eq!(app.get_bytes(None, &format!("{url}x")).await.0, 404);
    assert_eq!(app.get_bytes(None, &url.replace("/full?", "/thumb?")).await.0, 404);
    // The ledger counts them.
    let ledger = app.ledger(&app.token("station1").await, "").await.ok();
    assert_eq!(ledger.rows[0].photo_count, 2);
}

#[tokio::test]
async fn non_images_bombs_and_oversized_uploads_are_refused() {
    let app = spawn_app().await;
    let grid1 = app.token("grid1").await;
    let r = app.photo(&grid1, &new_id(), b"just some text, honestly".to_vec(), "photo.jpg").await;
    assert_eq!((r.status, r.field()), (422, Some("file")));
    assert_eq!(r.message(), "只能上传 JPEG、PNG 或 WebP 格式的照片");

    let r = app.photo(&grid1, &new_id(), png_bomb(), "bomb.png").await;
    assert_eq!((r.status, r.field()), (422, Some("file")), "{:?}", r.body);
    assert!(r.message().contains("尺寸过大"), "{:?}", r.body);

    let mut big = jpeg_with_exif();
    big.resize(11 * 1024 * 1024, 0);
    let r = app.upload_photo(&grid1, &new_id(), big, "huge.jpg").await;
    assert_eq!((r.status, r.code()), (413, "payload_too_large"), "{:?}", r.body);

    let r = app.photo(&grid1, "nope", png(10, 10), "a.png").await;
    assert_eq!((r.status, r.field()), (422, Some("id")));
    let analyst = app.token("analyst1").await;
    assert_eq!(app.upload_photo(&analyst, &new_id(), png(10, 10), "a.png").await.status, 403);
}

#[tokio::test]
async fn a_photo_belongs_to_its_uploader_and_to_one_item() {
    let app = spawn_app().await;
    let grid1 = app.token("grid1").await;
    let station1 = app.token("station1").await;
    let pid = new_id();
    assert_eq!(app.upload_photo(&grid1, &pid, png(100, 100), "a.png").await.status, 201);
    // Someone else's upload cannot be attached, nor its id reused.
    let body = CreateItem { photo_ids: vec![pid.clone()], ..capture(building(&app, &station1, 1).await) };
    let r = app.create_item(&station1, &body).await;
    assert_eq!((r.status, r.field()), (422, Some("photo_ids[0]")));
    assert_eq!(app.upload_photo(&station1, &pid, png(100, 100), "a.png").await.status, 409);
    // Once attached it cannot move to a second item.
    let first = CreateItem { photo_ids: vec![pid.clone()], ..capture(building(&app, &grid1, 1).await) };
    assert_eq!(app.create_item(&grid1, &first).await.status, 201);
    let second = CreateItem { photo_ids: vec![pid.clone()], ..capture(building(&app, &grid1, 2).await) };
    let r = app.create_item(&grid1, &second).await;
    assert_eq!((r.status, r.field()), (409, Some("photo_ids[0]")));
}
