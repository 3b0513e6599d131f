//! The organisation tree: list what the account can see, add, rename, move and (de)activate places.
//! Nothing is ever deleted: a deactivated place keeps its history and disappears from pickers.

use std::collections::BTreeMap;

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use shared::dto::{CreateOrgUnit, OrgUnit, UpdateOrgUnit};
use shared::{ApiError, OrgKind};
use validator::Validate;

use crate::auth::AuthUser;
use crate::db::models::UnitRow;
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// Include deactivated places.
    #[serde(default)]
    pub include_inactive: bool,
}

/// Every place under the account's scopes, with their ancestors (so the tree is connected) and all departments.
#[utoipa::path(get, path = "/api/org/units", tag = "org", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = Vec<OrgUnit>), (status = 401, body = ApiError)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<ListQuery>,
) -> Result<web::Json<Vec<OrgUnit>>, AppError> {
    let include_inactive = q.include_inactive;
    state
        .db
        .read(move |conn| {
            let mut visible: BTreeMap<i64, UnitRow> = BTreeMap::new();
            let mut ancestor_ids: Vec<i64> = Vec::new();
            for binding in &user.roles {
                for u in db::org::subtree(conn, &binding.unit)? {
                    visible.insert(u.id, u);
                }
                ancestor_ids.extend(binding.unit.path_ids());
            }
            ancestor_ids.retain(|id| !visible.contains_key(id));
            for u in db::org::by_ids(conn, &ancestor_ids)? {
                visible.insert(u.id, u);
            }
            for u in db::org::departments(conn)? {
                visible.insert(u.id, u);
            }
            let mut rows: Vec<UnitRow> = visible.into_values().filter(|u| include_inactive || u.active).collect();
            rows.sort_by(|a, b| a.path.cmp(&b.path));
            let names = db::org::full_names(conn, &rows)?;
            Ok(rows
                .iter()
                .map(|u| crate::views::account::unit_dto(u, names.get(&u.id).cloned().unwrap_or_default()))
                .collect())
        })
        .await
        .map(web::Json)
}

/// One place.
#[utoipa::path(get, path = "/api/org/units/{id}", tag = "org", security(("bearer" = [])),
    responses((status = 200, body = OrgUnit), (status = 404, body = ApiError)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<OrgUnit>, AppError> {
    let id = id.into_inner();
    state
        .db
        .read(move |conn| {
            let unit = visible_unit(conn, &user, id)?;
            let name = db::org::full_name(conn, &unit)?;
            Ok(crate::views::account::unit_dto(&unit, name))
        })
        .await
        .map(web::Json)
}

fn visible_unit(conn: &mut DbConn, user: &AuthUser, id: i64) -> Result<UnitRow, AppError> {
    match db::org::get(conn, id) {
        Ok(u) if user.can_see(&u) || user.roles.iter().any(|b| u.contains(&b.unit)) => Ok(u),
        Ok(_) | Err(diesel::result::Error::NotFound) => Err(AppError::not_found("该单位")),
        Err(e) => Err(e.into()),
    }
}

fn check_parent_kind(kind: OrgKind, parent: &UnitRow) -> Result<(), AppError> {
    match kind.parent_kind() {
        None => Err(AppError::field("kind", "市级单位只有一个，不能再添加")),
        Some(expected) if expected != parent.kind => Err(AppError::field(
            "parent_id",
            format!("{}只能建在{}下，不能建在{}下", kind.label(), expected.label(), parent.kind.label()),
        )),
        Some(_) => Ok(()),
    }
}

fn check_name_free(conn: &mut DbConn, parent_id: i64, name: &str, except: Option<i64>) -> Result<(), AppError> {
    match db::org::child_by_name(conn, parent_id, name)? {
        Some(existing) if Some(existing.id) != except => Err(AppError::Api(ApiError {
            code: shared::ErrorCode::Conflict,
            ..ApiError::field("name", format!("同一上级下已有名为“{name}”的单位"))
        })),
        _ => Ok(()),
    }
}

/// Add a place under a parent of the right kind.
#[utoipa::path(post, path = "/api/org/units", tag = "org", security(("bearer" = [])), request_body = CreateOrgUnit,
    responses((status = 201, body = OrgUnit), (status = 403, body = ApiError), (status = 409, body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<CreateOrgUnit>,
) -> Result<HttpResponse, AppError> {
    let body = body.into_inner();
    body.validate()?;
    let now = state.clock.now_naive();
    let dto = state
        .db
        .write(move |conn| {
            let name = body.name.trim().to_string();
            let parent = match db::org::get(conn, body.parent_id) {
                Ok(p) => p,
                Err(diesel::result::Error::NotFound) => return Err(AppError::field("parent_id", "上级单位不存在")),
                Err(e) => return Err(e.into()),
            };
            if !user.can_manage_under(&parent) {
                return Err(AppError::forbidden());
            }
            check_parent_kind(body.kind, &parent)?;
            if !parent.active {
                return Err(AppError::conflict("上级单位已停用，不能在其下添加"));
            }
            check_name_free(conn, parent.id, &name, None)?;
            let unit = db::org::insert(conn, body.kind, &name, Some(&parent), now)?;
            db::audit::record(
                conn,
                now,
                Some(user.id()),
                "org.create",
                "org_unit",
                Some(unit.id),
                serde_json::json!({"kind": body.kind.code(), "name": name, "parent_id": parent.id}),
            )?;
            let full = db::org::full_name(conn, &unit)?;
            Ok(crate::views::account::unit_dto(&unit, full))
        })
        .await?;
    Ok(HttpResponse::Created().json(dto))
}

/// Rename, move or (de)activate a place.
#[utoipa::path(patch, path = "/api/org/units/{id}", tag = "org", security(("bearer" = [])), request_body = UpdateOrgUnit,
    responses((status = 200, body = OrgUnit), (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: web::Json<UpdateOrgUnit>,
) -> Result<web::Json<OrgUnit>, AppError> {
    let body = body.into_inner();
    body.validate()?;
    let id = id.into_inner();
    let now = state.clock.now_naive();
    state
        .db
        .write(move |conn| {
            let unit = visible_unit(conn, &user, id)?;
            if !user.can_manage(&unit) {
                return Err(AppError::forbidden());
            }
            let mut changes = serde_json::Map::new();
            if let Some(name) = body.name.as_deref().map(str::trim).filter(|n| *n != unit.name) {
                if let Some(parent_id) = unit.parent_id {
                    check_name_free(conn, parent_id, name, Some(unit.id))?;
                }
                db::org::rename(conn, unit.id, name, now)?;
                changes.insert("name".into(), serde_json::json!({"from": unit.name, "to": name}));
            }
            if let Some(parent_id) = body.parent_id.filter(|p| Some(*p) != unit.parent_id) {
                let new_parent = match db::org::get(conn, parent_id) {
                    Ok(p) => p,
                    Err(diesel::result::Error::NotFound) => {
                        return Err(AppError::field("parent_id", "新的上级单位不存在"))
                    }
                    Err(e) => return Err(e.into()),
                };
                check_parent_kind(unit.kind, &new_parent)?;
                if !user.can_manage_under(&new_parent) {
                    return Err(AppError::forbidden());
                }
                if !new_parent.active {
                    return Err(AppError::conflict("新的上级单位已停用"));
                }
                if unit.contains(&new_parent) {
                    return Err(AppError::conflict("不能移动到自己的下级单位之下"));
                }
                let current = db::org::get(conn, unit.id)?;
                check_name_free(conn, new_parent.id, &current.name, Some(unit.id))?;
                db::org::move_under(conn, &current, &new_parent, now)?;
                db::items::refile_under(conn, current.id)?;
                changes.insert("parent_id".into(), serde_json::json!({"from": unit.parent_id, "to": new_parent.id}));
            }
            if let Some(active) = body.active.filter(|a| *a != unit.active) {
                if unit.kind == OrgKind::City {
                    return Err(AppError::field("active", "市级单位不能停用"));
                }
                if !active && db::org::has_active_children(conn, unit.id)? {
                    return Err(AppError::conflict("该单位下还有启用中的下级单位，请先停用或移走它们"));
                }
                if active {
                    if let Some(parent_id) = unit.parent_id {
                        if !db::org::get(conn, parent_id)?.active {
                            return Err(AppError::conflict("上级单位已停用，请先启用上级单位"));
                        }
                    }
                }
                db::org::set_active(conn, unit.id, active, now)?;
                changes.insert("active".into(), serde_json::json!(active));
            }
            if !changes.is_empty() {
                db::audit::record(conn, now, Some(user.id()), "org.update", "org_unit", Some(unit.id), changes.into())?;
            }
            let updated = db::org::get(conn, unit.id)?;
            let full = db::org::full_name(conn, &updated)?;
            Ok(crate::views::account::unit_dto(&updated, full))
        })
        .await
        .map(web::Json)
}
