//! Photo upload (multipart, one file a request, idempotent on the client's id) and serving through signed links.
//! Files are written before their record, so an upload cut off half-way leaves at most an unreferenced file that
//! no one can see; a photo is visible only once an item lists it.

use actix_multipart::Multipart;
use actix_web::{web, HttpResponse};
use chrono::Duration;
use futures_util::StreamExt;
use serde::Deserialize;
use shared::item::{UploadedPhoto, MAX_PHOTO_BYTES};
use shared::{ApiError, ErrorCode};

use crate::auth::AuthUser;
use crate::db;
use crate::db::models::PhotoRow;
use crate::error::AppError;
use crate::photos;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct UploadQuery {
    /// The photo's id, a UUID made by the client: a retried upload with the same id stores nothing twice.
    pub id: String,
}

fn uploaded(state: &AppState, row: &PhotoRow) -> UploadedPhoto {
    let exp = (state.clock.now() + Duration::hours(1)).timestamp();
    UploadedPhoto {
        id: row.id.clone(),
        width: row.width as u32,
        height: row.height as u32,
        bytes: row.bytes,
        thumb_url: crate::views::photo::photo_url(state, &row.id, "thumb", exp),
    }
}

/// Reads the one `file` part, refusing anything larger than the limit without reading it all.
async fn read_file(mut payload: Multipart) -> Result<Vec<u8>, AppError> {
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|_| AppError::field("file", "上传中断，请重试"))?;
        if field.name() != Some("file") {
            continue;
        }
        let mut bytes = Vec::new();
        let mut too_large = false;
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| AppError::field("file", "上传中断，请重试"))?;
            // Past the limit the rest is read and dropped, so the phone gets the answer instead of a cut connection.
            too_large |= bytes.len() + chunk.len() > MAX_PHOTO_BYTES;
            if !too_large {
                bytes.extend_from_slice(&chunk);
            }
        }
        if too_large {
            return Err(AppError::Api(ApiError {
                code: ErrorCode::PayloadTooLarge,
                ..ApiError::field("file", format!("照片不能超过{}MB", MAX_PHOTO_BYTES / 1024 / 1024))
            }));
        }
        if bytes.is_empty() {
            return Err(AppError::field("file", "照片文件是空的"));
        }
        return Ok(bytes);
    }
    Err(AppError::field("file", "请选择照片（表单字段 file）"))
}

/// Upload one photo for an item about to be registered, or for a department's 返单.
#[utoipa::path(post, path = "/api/photos", tag = "items", security(("bearer" = [])), params(UploadQuery),
    request_body(content_type = "multipart/form-data", description = "one part named `file`: a JPEG, PNG or WebP image"),
    responses((status = 201, body = UploadedPhoto), (status = 200, body = UploadedPhoto), (status = 413, body = ApiError),
              (status = 422, body = ApiError), (status = 409, body = ApiError)))]
pub async fn upload(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<UploadQuery>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    if !user.roles.iter().any(|b| shared::access::uploads_photos_role(b.role)) {
        return Err(AppError::forbidden());
    }
    let id = super::support::parse_uuid("id", &q.id)?;
    let uid = user.id();
    let (pid, st) = (id.clone(), state.clone());
    if let Some(existing) = state.db.read(move |conn| Ok(db::items::photo(conn, &pid)?)).await? {
        if existing.uploader_id != uid {
            return Err(AppError::conflict("该照片编号已被使用"));
        }
        return Ok(HttpResponse::Ok().json(uploaded(&st, &existing)));
    }
    let bytes = read_file(payload).await?;
    let processed = web::block(move || photos::process(&bytes))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?
        .map_err(|r| AppError::field("file", r.0))?;
    let (key, thumb_key) = (format!("photos/{id}.jpg"), format!("photos/{id}.thumb.jpg"));
    let size = processed.full.len() as i64;
    state.storage.put(&key, processed.full).await.map_err(AppError::internal_or_full)?;
    state.storage.put(&thumb_key, processed.thumb).await.map_err(AppError::internal_or_full)?;
    let row = PhotoRow {
        id: id.clone(),
        item_id: None,
        uploader_id: uid,
        storage_key: key,
        thumb_key,
        width: processed.width as i32,
        height: processed.height as i32,
        bytes: size,
        position: 0,
        created_at: state.clock.now_naive(),
        purpose: "capture".into(),
    };
    let r = row.clone();
    state
        .db
        .write(move |conn| match db::items::photo(conn, &r.id)? {
            // A concurrent retry of the same upload got here first: same files, one record.
            Some(existing) if existing.uploader_id == r.uploader_id => Ok(()),
            Some(_) => Err(AppError::conflict("该照片编号已被使用")),
            None => Ok(db::items::insert_photo(conn, &r)?),
        })
        .await?;
    Ok(HttpResponse::Created().json(uploaded(&state, &row)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct LinkQuery {
    /// The link's signature, from `Item.photos[].url`.
    pub t: String,
}

/// A photo (`full`) or its thumbnail (`thumb`), for the holder of a signed link.
#[utoipa::path(get, path = "/api/photos/{id}/{variant}", tag = "items", params(LinkQuery),
    responses((status = 200, content_type = "image/jpeg", description = "the photo"), (status = 404, body = ApiError)))]
pub async fn serve(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    q: web::Query<LinkQuery>,
) -> Result<HttpResponse, AppError> {
    let (id, variant) = path.into_inner();
    if !matches!(variant.as_str(), "full" | "thumb")
        || !state.keys.verify_link(&q.t, &format!("photo:{id}:{variant}"), state.clock.now().timestamp())
    {
        return Err(AppError::not_found("该照片"));
    }
    let pid = id.clone();
    let row = state
        .db
        .read(move |conn| Ok(db::items::photo(conn, &pid)?))
        .await?
        .ok_or_else(|| AppError::not_found("该照片"))?;
    let key = if variant == "thumb" { &row.thumb_key } else { &row.storage_key };
    let bytes = state.storage.get(key).await.map_err(AppError::Internal)?;
    Ok(HttpResponse::Ok()
        .content_type("image/jpeg")
        .insert_header(("Cache-Control", "private, max-age=3600"))
        .body(bytes))
}
