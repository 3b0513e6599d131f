//! Photos on their way to the server: shrunk in a canvas on the phone (longest side ≤ 1600 px, JPEG 0.8), then
//! uploaded as multipart form data through `XMLHttpRequest`, whose upload reports progress (fetch's does not).
//! Also the client-made ids (UUIDs) and the optional position of the capture form.

use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use shared::item::{UploadedPhoto, MAX_PHOTO_BYTES};
use shared::ApiError;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, CanvasRenderingContext2d, FormData, HtmlCanvasElement, ImageBitmap, PositionOptions, ProgressEvent,
    XmlHttpRequest,
};

use crate::api::{self, RawAnswer};

/// The longest side of a photo after shrinking, in pixels.
const MAX_SIDE: f64 = 1600.0;
/// The JPEG quality of a shrunk photo.
const JPEG_QUALITY: f64 = 0.8;
/// How long one upload may take before it counts as failed, in milliseconds.
const UPLOAD_TIMEOUT_MS: u32 = 120_000;

const UNREADABLE: &str = "无法读取这张照片，请换一张或重新拍摄";

/// A new version 4 UUID: `crypto.randomUUID()` where the page is a secure context, otherwise from `Math.random`.
pub fn new_uuid() -> String {
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let has_it = Reflect::get(&crypto, &JsValue::from_str("randomUUID")).map(|f| f.is_function()).unwrap_or(false);
        if has_it {
            return crypto.random_uuid();
        }
    }
    let mut bytes = [0u8; 16];
    for b in &mut bytes {
        *b = (js_sys::Math::random() * 256.0) as u8;
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// Shrinks a chosen photo to a JPEG with its longest side at most 1600 px (never enlarged). The browser decodes it
/// with `createImageBitmap`, which also applies the camera's EXIF orientation.
pub async fn shrink(file: &Blob) -> Result<Blob, String> {
    let window = web_sys::window().ok_or(UNREADABLE)?;
    let document = window.document().ok_or(UNREADABLE)?;
    let promise = window.create_image_bitmap_with_blob(file).map_err(|_| UNREADABLE.to_string())?;
    let bitmap: ImageBitmap = JsFuture::from(promise).await.map_err(|_| UNREADABLE.to_string())?.unchecked_into();
    let (w, h) = (f64::from(bitmap.width()), f64::from(bitmap.height()));
    if w < 1.0 || h < 1.0 {
        bitmap.close();
        return Err(UNREADABLE.into());
    }
    let scale = (MAX_SIDE / w.max(h)).min(1.0);
    let (tw, th) = ((w * scale).round().max(1.0), (h * scale).round().max(1.0));
    let canvas: HtmlCanvasElement =
        document.create_element("canvas").map_err(|_| UNREADABLE.to_string())?.unchecked_into();
    canvas.set_width(tw as u32);
    canvas.set_height(th as u32);
    let ctx: CanvasRenderingContext2d = canvas.get_context("2d").ok().flatten().ok_or(UNREADABLE)?.unchecked_into();
    // A transparent PNG would turn black in a JPEG.
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, tw, th);
    let drawn = ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, tw, th);
    bitmap.close();
    drawn.map_err(|_| UNREADABLE.to_string())?;
    let blob = to_jpeg(&canvas).await?;
    // Free the canvas memory at once (phones have little).
    canvas.set_width(0);
    canvas.set_height(0);
    Ok(blob)
}

async fn to_jpeg(canvas: &HtmlCanvasElement) -> Result<Blob, String> {
    let mut failed = false;
    let promise = Promise::new(&mut |resolve: Function, _reject: Function| {
        let callback = Closure::once_into_js(move |blob: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &blob);
        });
        failed = canvas
            .to_blob_with_type_and_encoder_options(
                callback.unchecked_ref(),
                "image/jpeg",
                &JsValue::from_f64(JPEG_QUALITY),
            )
            .is_err();
    });
    if failed {
        return Err(UNREADABLE.into());
    }
    let value = JsFuture::from(promise).await.map_err(|_| UNREADABLE.to_string())?;
    if value.is_null() || value.is_undefined() {
        return Err(UNREADABLE.into());
    }
    Ok(value.unchecked_into())
}

/// Whether the server takes this file as it is, when it could not be shrunk here.
pub fn acceptable_as_is(file: &Blob) -> bool {
    matches!(file.type_().as_str(), "image/jpeg" | "image/png" | "image/webp") && file.size() <= MAX_PHOTO_BYTES as f64
}

/// Uploads a photo under its client-made id (`POST /api/photos?id=…`, one part `file`), reporting the share sent
/// (0.0–1.0) as it goes. A retry with the same id is answered with the photo already stored.
pub async fn upload(id: &str, blob: &Blob, on_progress: impl Fn(f64) + 'static) -> Result<UploadedPhoto, ApiError> {
    let on_progress: Rc<dyn Fn(f64)> = Rc::new(on_progress);
    let path = format!("/api/photos?id={}", api::encode(id));
    let text = api::with_token(|token| {
        let path = path.clone();
        let blob = blob.clone();
        let on_progress = on_progress.clone();
        async move { send(&path, &blob, &token, on_progress).await }
    })
    .await?;
    api::decode_text(&text)
}

/// One upload attempt; `Err` only when the request never got an answer.
async fn send(path: &str, blob: &Blob, token: &str, on_progress: Rc<dyn Fn(f64)>) -> Result<RawAnswer, ApiError> {
    let fail = |_| api::offline_error();
    let xhr = XmlHttpRequest::new().map_err(fail)?;
    xhr.open_with_async("POST", path, true).map_err(fail)?;
    xhr.set_timeout(UPLOAD_TIMEOUT_MS);
    xhr.set_request_header("Authorization", &format!("Bearer {token}")).map_err(fail)?;
    let form = FormData::new().map_err(fail)?;
    form.append_with_blob_and_filename("file", blob, "photo.jpg").map_err(fail)?;

    on_progress(0.0);
    let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
        if e.length_computable() && e.total() > 0.0 {
            on_progress((e.loaded() / e.total()).clamp(0.0, 1.0));
        }
    });
    let upload = xhr.upload().ok();
    if let Some(u) = &upload {
        u.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    let finished = Promise::new(&mut |resolve: Function, reject: Function| {
        xhr.set_onload(Some(&resolve));
        xhr.set_onerror(Some(&reject));
        xhr.set_ontimeout(Some(&reject));
        xhr.set_onabort(Some(&reject));
    });
    let sent = xhr.send_with_opt_form_data(Some(&form));
    let result = match sent {
        Ok(()) => JsFuture::from(finished).await.map(|_| ()),
        Err(e) => Err(e),
    };
    if let Some(u) = &upload {
        u.set_onprogress(None);
    }
    xhr.set_onload(None);
    xhr.set_onerror(None);
    xhr.set_ontimeout(None);
    xhr.set_onabort(None);
    drop(progress);
    result.map_err(fail)?;
    Ok(RawAnswer { status: xhr.status().unwrap_or(0), text: xhr.response_text().ok().flatten().unwrap_or_default() })
}

/// A position from the browser: latitude, longitude and accuracy in metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Position {
    pub latitude: f64,
    pub longitude: f64,
    pub accuracy: f64,
}

/// Asks the browser for the position once; the error is a short note for the form.
pub async fn locate() -> Result<Position, String> {
    let geo = web_sys::window().and_then(|w| w.navigator().geolocation().ok()).ok_or("此设备不支持定位，可不填位置")?;
    let options = PositionOptions::new();
    options.set_enable_high_accuracy(true);
    options.set_timeout(15_000);
    options.set_maximum_age(60_000);
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        if geo.get_current_position_with_error_callback_and_options(&resolve, Some(&reject), &options).is_err() {
            let _ = reject.call1(&JsValue::NULL, &JsValue::NULL);
        }
    });
    let position = JsFuture::from(promise).await.map_err(|e| {
        let code = Reflect::get(&e, &JsValue::from_str("code")).ok().and_then(|c| c.as_f64());
        match code {
            Some(1.0) => "未获得定位权限，可不填位置直接保存".to_string(),
            Some(3.0) => "定位超时，可稍后重试或不填位置".to_string(),
            _ => "暂时无法获取位置，可不填位置直接保存".to_string(),
        }
    })?;
    let number = |obj: &JsValue, key: &str| Reflect::get(obj, &JsValue::from_str(key)).ok().and_then(|v| v.as_f64());
    let coords = Reflect::get(&position, &JsValue::from_str("coords"))
        .map_err(|_| "暂时无法获取位置，可不填位置直接保存".to_string())?;
    match (number(&coords, "latitude"), number(&coords, "longitude"), number(&coords, "accuracy")) {
        (Some(latitude), Some(longitude), accuracy) => {
            Ok(Position { latitude, longitude, accuracy: accuracy.unwrap_or(0.0).max(0.0) })
        }
        _ => Err("暂时无法获取位置，可不填位置直接保存".into()),
    }
}
