//! Import of the organisation and accounts from an Excel workbook, and its template.

use actix_web::{web, HttpResponse};
use shared::dto::ImportSummary;
use shared::{ApiError, ErrorCode};

use crate::auth::{self, AuthUser};
use crate::db;
use crate::error::AppError;
use crate::import;
use crate::state::AppState;

/// The largest workbook accepted.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn require_city_admin(user: &AuthUser) -> Result<(), AppError> {
    if user.is_city_admin() {
        Ok(())
    } else {
        Err(AppError::new(ErrorCode::Forbidden, "只有市级系统管理员可以批量导入"))
    }
}

/// The import template (.xlsx).
#[utoipa::path(get, path = "/api/import/template", tag = "import", security(("bearer" = [])),
    responses((status = 200, description = "the workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
              (status = 403, body = ApiError)))]
pub async fn template(user: AuthUser) -> Result<HttpResponse, AppError> {
    require_city_admin(&user)?;
    let bytes = import::template().map_err(|e| AppError::Internal(anyhow::anyhow!("building the template: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type(XLSX)
        .insert_header(("Content-Disposition", "attachment; filename=\"minqing-import-template.xlsx\"; filename*=UTF-8''%E6%B0%91%E6%83%85%E7%9B%B4%E9%80%9A%E8%BD%A6%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"))
        .body(bytes))
}

/// Import a filled-in template: everything or nothing. A bad file gets 422 `import_failed` with every problem.
#[utoipa::path(post, path = "/api/import", tag = "import", security(("bearer" = [])),
    request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    responses((status = 200, body = ImportSummary), (status = 422, body = ApiError), (status = 403, body = ApiError)))]
pub async fn upload(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Bytes,
) -> Result<web::Json<ImportSummary>, AppError> {
    require_city_admin(&user)?;
    if body.is_empty() {
        return Err(AppError::field("file", "请选择要导入的 Excel 文件"));
    }
    let bytes = body.to_vec();
    let mut parsed = web::block(move || import::parse(bytes))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?
        .map_err(failed)?;
    let passwords = parsed.passwords();
    parsed.hashes = web::block(move || {
        passwords.into_iter().map(|(u, p)| auth::hash_password(&p).map(|h| (u, h))).collect::<anyhow::Result<_>>()
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))??;
    let now = state.clock.now_naive();
    let actor = user.id();
    let outcome = state
        .db
        .write(move |conn| {
            let city = db::org::city(conn)?.ok_or_else(|| AppError::Internal(anyhow::anyhow!("no city root")))?;
            match import::apply(conn, &parsed, &city, actor, now)? {
                Ok(summary) => Ok(Ok(summary)),
                // Roll back everything this file did.
                Err(problems) => Err(AppError::Api(failed_error(problems))),
            }
        })
        .await;
    match outcome {
        Ok(Ok(summary)) => Ok(web::Json(summary)),
        Ok(Err(problems)) => Err(failed(problems)),
        Err(e) => Err(e),
    }
}

fn failed_error(problems: Vec<shared::Problem>) -> ApiError {
    ApiError {
        code: ErrorCode::ImportFailed,
        message: format!("文件中有{}处问题，未导入任何内容。请按提示修改后重新上传。", problems.len()),
        field: Some("file".into()),
        problems,
    }
}

fn failed(problems: Vec<shared::Problem>) -> AppError {
    AppError::Api(failed_error(problems))
}
