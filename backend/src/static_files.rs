//! Serves the built web app (frontend/dist), embedded into release binaries so one binary is a deployment.
//! Any path outside /api that is not a file gets index.html, so the app's own routes survive a reload.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use rust_embed::RustEmbed;
use sha2::{Digest, Sha256};

#[derive(RustEmbed)]
#[folder = "../frontend/dist"]
struct Assets;

const NOT_BUILT: &str = "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>民情直通车</title>\
<p>前端尚未构建。请运行 <code>cargo xtask serve</code>（或 <code>cargo xtask dist</code>）后刷新。</p></html>";

pub async fn serve(req: HttpRequest) -> HttpResponse {
    let path = req.path().trim_start_matches('/');
    if path.starts_with("api/") || path == "api" {
        return crate::error::AppError::not_found("该接口").into_response();
    }
    let (name, file) = match Assets::get(path).filter(|_| !path.is_empty()) {
        Some(f) => (path.to_string(), f),
        None => match Assets::get("index.html") {
            Some(f) => ("index.html".to_string(), f),
            None => return HttpResponse::Ok().content_type("text/html; charset=utf-8").body(NOT_BUILT),
        },
    };
    let etag = format!("\"{}\"", hex::encode(&Sha256::digest(&file.data)[..12]));
    if req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return HttpResponse::NotModified().insert_header((header::ETAG, etag)).finish();
    }
    let mime = mime_guess::from_path(&name).first_or_octet_stream();
    let content_type = if mime.type_() == "text" || name.ends_with(".js") || name.ends_with(".webmanifest") {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    };
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::ETAG, etag))
        // File names are not content-hashed, so browsers revalidate (a cheap 304) instead of caching blindly.
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(file.data.into_owned())
}

trait IntoResponse {
    fn into_response(self) -> HttpResponse;
}

impl IntoResponse for crate::error::AppError {
    fn into_response(self) -> HttpResponse {
        actix_web::ResponseError::error_response(&self)
    }
}
