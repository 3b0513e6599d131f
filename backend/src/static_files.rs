//! Serves the built web app (frontend/dist): embedded into release binaries so one binary is a deployment, or read
//! from `MINQING_WEB_DIR`. Any path outside /api that is not a file gets the app's page — index.html, or for a
//! resident's link (/r/…) resident.html, the residents' small app — so the app's own routes survive a reload. A file
//! goes out as the brotli or gzip copy `cargo xtask dist` wrote beside it when the browser accepts one.

use std::borrow::Cow;
use std::path::{Component, Path};

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use rust_embed::RustEmbed;
use sha2::{Digest, Sha256};

use crate::state::AppState;

#[derive(RustEmbed)]
#[folder = "../frontend/dist"]
struct Assets;

const NOT_BUILT: &str = "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>民情直通车</title>\
<p>前端尚未构建。请运行 <code>cargo xtask serve</code>（或 <code>cargo xtask dist</code>）后刷新。</p></html>";

/// The content codings `cargo xtask dist` writes copies for, best first: (Content-Encoding, file suffix).
const CODINGS: [(&str, &str); 2] = [("br", "br"), ("gzip", "gz")];

/// A file of the web app and the hash its ETag is made of.
struct WebFile {
    data: Cow<'static, [u8]>,
    sha256: [u8; 32],
}

/// Where the web app's files come from: the binary or a folder.
enum WebFiles<'a> {
    Embedded,
    Dir(&'a Path),
}

/// Only plain relative names: no "..", no absolute paths, nothing outside the folder.
fn plain_name(name: &str) -> bool {
    !name.is_empty() && Path::new(name).components().all(|c| matches!(c, Component::Normal(_)))
}

impl WebFiles<'_> {
    /// Whether the file is there, without reading it (from a folder, reading and hashing every copy of a 4 MB wasm on
    /// each request would be wasted work).
    fn has(&self, name: &str) -> bool {
        plain_name(name)
            && match self {
                WebFiles::Embedded => Assets::get(name).is_some(),
                WebFiles::Dir(dir) => dir.join(name).is_file(),
            }
    }

    fn get(&self, name: &str) -> Option<WebFile> {
        if !plain_name(name) {
            return None;
        }
        match self {
            WebFiles::Embedded => Assets::get(name).map(|f| WebFile { sha256: f.metadata.sha256_hash(), data: f.data }),
            WebFiles::Dir(dir) => {
                let data = std::fs::read(dir.join(name)).ok()?;
                Some(WebFile { sha256: Sha256::digest(&data).into(), data: Cow::Owned(data) })
            }
        }
    }
}

pub async fn serve(req: HttpRequest) -> HttpResponse {
    let path = req.path().trim_start_matches('/');
    if path.starts_with("api/") || path == "api" {
        return crate::error::AppError::not_found("该接口").into_response();
    }
    let web_dir = req.app_data::<web::Data<AppState>>().map(|s| s.settings.web_dir.clone()).unwrap_or_default();
    let files = if web_dir.is_empty() { WebFiles::Embedded } else { WebFiles::Dir(Path::new(&web_dir)) };

    let page = if path.starts_with("r/") { "resident.html" } else { "index.html" };
    let name = if files.has(path) { path } else { page };
    let accepted = accepted_codings(req.headers().get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()));
    let copies: Vec<(&str, String)> = CODINGS
        .iter()
        .map(|(coding, suffix)| (*coding, format!("{name}.{suffix}")))
        .filter(|(_, copy)| files.has(copy))
        .collect();
    // Only the file that goes out is read: the best copy the browser takes, else the file itself.
    let chosen = copies.iter().find(|(coding, _)| accepted.contains(coding));
    let served = match chosen {
        Some((coding, copy)) => files.get(copy).map(|f| (Some(*coding), f)),
        None => files.get(name).map(|f| (None, f)),
    };
    let Some((coding, file)) = served else {
        return HttpResponse::Ok().content_type("text/html; charset=utf-8").body(NOT_BUILT);
    };
    let has_copies = !copies.is_empty();

    let etag = format!("\"{}\"", hex::encode(&file.sha256[..12]));
    let not_modified = req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str());
    let mut reply = if not_modified { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    reply
        .insert_header((header::ETAG, etag))
        // File names are not content-hashed, so browsers revalidate (a cheap 304) instead of caching blindly.
        .insert_header((header::CACHE_CONTROL, "no-cache"));
    if has_copies {
        reply.insert_header((header::VARY, "Accept-Encoding"));
    }
    if not_modified {
        return reply.finish();
    }
    if let Some(coding) = coding {
        // Set, so the compression middleware leaves the body as it is.
        reply.insert_header((header::CONTENT_ENCODING, coding));
    }
    reply.content_type(content_type(name)).body(file.data.into_owned())
}

/// The codings of an Accept-Encoding header that the browser accepts (q > 0), lower-cased.
fn accepted_codings(header: Option<&str>) -> Vec<&'static str> {
    let Some(header) = header else {
        return Vec::new();
    };
    CODINGS
        .iter()
        .map(|(coding, _)| *coding)
        .filter(|coding| {
            header.split(',').any(|part| {
                let mut pieces = part.split(';').map(str::trim);
                let name = pieces.next().unwrap_or_default();
                let q = pieces
                    .find_map(|p| p.strip_prefix("q=").or_else(|| p.strip_prefix("Q=")))
                    .map_or(1.0, |q| q.trim().parse::<f32>().unwrap_or(0.0));
                name.eq_ignore_ascii_case(coding) && q > 0.0
            })
        })
        .collect()
}

fn content_type(name: &str) -> String {
    let mime = mime_guess::from_path(name).first_or_octet_stream();
    if mime.type_() == "text" || name.ends_with(".js") || name.ends_with(".webmanifest") {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

trait IntoResponse {
    fn into_response(self) -> HttpResponse;
}

impl IntoResponse for crate::error::AppError {
    fn into_response(self) -> HttpResponse {
        actix_web::ResponseError::error_response(&self)
    }
}

#[cfg(test)]
mod tests {
    use super::accepted_codings;

    #[test]
    fn accept_encoding_is_read_with_its_weights() {
        assert_eq!(accepted_codings(Some("gzip, deflate, br, zstd")), vec!["br", "gzip"]);
        assert_eq!(accepted_codings(Some("gzip;q=1.0, br;q=0")), vec!["gzip"]);
        assert_eq!(accepted_codings(Some("BR")), vec!["br"]);
        assert_eq!(accepted_codings(Some("identity")), Vec::<&str>::new());
        assert_eq!(accepted_codings(None), Vec::<&str>::new());
    }
}
