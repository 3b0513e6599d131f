//! The notification hooks of the city (its leaders), the streets and the departments: WeCom and DingTalk group
//! robots and generic JSON webhooks. Kept by the city's administrator; the secret is stored but never shown.

use actix_web::web;
use shared::journey::{Hook, NewHook, UpdateHook};
use shared::OrgKind;
use validator::Validate;

use crate::auth::AuthUser;
use crate::db::models::{HookRow, UnitRow};
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::state::AppState;

fn hook_dto(conn: &mut DbConn, row: HookRow, unit: &UnitRow) -> Result<Hook, AppError> {
    let pending = db::hooks::pending(conn, row.id)?;
    Ok(Hook {
        id: row.id,
        unit: shared::dto::UnitRef {
            id: unit.id,
            kind: unit.kind,
            name: unit.name.clone(),
            full_name: db::org::full_name(conn, unit)?,
        },
        kind: row.kind,
        url: row.url,
        has_secret: row.secret.as_deref().is_some_and(|s| !s.is_empty()),
        active: row.active,
        pending: pending.len() as i64,
        last_error: pending.first().and_then(|(_, e)| e.clone()),
    })
}

/// Every hook, with how many messages wait and the last error.
#[utoipa::path(get, path = "/api/hooks", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = Vec<Hook>), (status = 403, body = shared::ApiError)))]
pub async fn list(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<Vec<Hook>>, AppError> {
    user.require_city_admin()?;
    state
        .db
        .read(|conn| {
            let rows = db::hooks::all(conn)?;
            rows.into_iter()
                .map(|r| {
                    let unit = db::org::get(conn, r.unit_id)?;
                    hook_dto(conn, r, &unit)
                })
                .collect()
        })
        .await
        .map(web::Json)
}

/// Adds a hook to the city, a street or a department.
#[utoipa::path(post, path = "/api/hooks", tag = "settings", security(("bearer" = [])), request_body = NewHook,
    responses((status = 201, body = Hook), (status = 403, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<NewHook>,
) -> Result<actix_web::HttpResponse, AppError> {
    user.require_city_admin()?;
    let body = body.into_inner();
    body.validate()?;
    let url = body.url.trim().to_string();
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(AppError::field("url", "网址应以 http:// 或 https:// 开头"));
    }
    let secret = body.secret.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let now = state.clock.now_naive();
    let hook = state
        .db
        .write(move |conn| {
            let unit = db::org::get(conn, body.unit_id).map_err(|_| AppError::field("unit_id", "单位不存在"))?;
            if !matches!(unit.kind, OrgKind::City | OrgKind::Street | OrgKind::Department) || !unit.active {
                return Err(AppError::field("unit_id", "只能为全市、街道或部门单位设置通知"));
            }
            let id = db::hooks::insert(conn, unit.id, body.kind, &url, secret.as_deref(), now)?;
            db::audit::record(
                conn,
                now,
                Some(user.id()),
                "hook.create",
                "hook",
                Some(id),
                serde_json::json!({ "unit": unit.id, "kind": body.kind.code() }),
            )?;
            let row = db::hooks::get(conn, id)?;
            hook_dto(conn, row, &unit)
        })
        .await?;
    Ok(actix_web::HttpResponse::Created().json(hook))
}

/// Enables or disables a hook. A disabled hook keeps its waiting messages; they go out when it is enabled again.
#[utoipa::path(patch, path = "/api/hooks/{id}", tag = "settings", security(("bearer" = [])), request_body = UpdateHook,
    responses((status = 200, body = Hook), (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: web::Json<UpdateHook>,
) -> Result<web::Json<Hook>, AppError> {
    user.require_city_admin()?;
    let (id, active) = (id.into_inner(), body.active);
    let now = state.clock.now_naive();
    state
        .db
        .write(move |conn| {
            if !db::hooks::set_active(conn, id, active)? {
                return Err(AppError::not_found("该通知"));
            }
            db::audit::record(
                conn,
                now,
                Some(user.id()),
                "hook.update",
                "hook",
                Some(id),
                serde_json::json!({ "active": active }),
            )?;
            let row = db::hooks::get(conn, id)?;
            let unit = db::org::get(conn, row.unit_id)?;
            hook_dto(conn, row, &unit)
        })
        .await
        .map(web::Json)
}
