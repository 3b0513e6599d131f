//! Accounts, for administrators: list, create with roles, edit, disable, reset a password.
//! An administrator bound to a street manages only accounts whose roles all sit in that street.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use shared::dto::{Account, CreateAccount, ResetPassword, RoleGrant, UpdateAccount};
use shared::{ApiError, ErrorCode};
use validator::Validate;

use crate::auth::{self, AuthUser};
use crate::db::accounts::AccountField;
use crate::db::models::{NewUser, UnitRow, UserRow};
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// Search text: part of a username, name or phone number.
    pub q: Option<String>,
}

fn require_admin(user: &AuthUser) -> Result<Vec<UnitRow>, AppError> {
    let scopes: Vec<UnitRow> = user.admin_scopes().into_iter().cloned().collect();
    if scopes.is_empty() {
        return Err(AppError::forbidden());
    }
    Ok(scopes)
}

/// Checks that a role may be granted here by this administrator; returns the place or why not, in Chinese.
pub fn check_grant(conn: &mut DbConn, scopes: &[UnitRow], grant: &RoleGrant) -> Result<UnitRow, String> {
    let unit = match db::org::get(conn, grant.unit_id) {
        Ok(u) => u,
        Err(_) => return Err(format!("单位（编号{}）不存在", grant.unit_id)),
    };
    if !grant.role.scope_kinds().contains(&unit.kind) {
        let kinds: Vec<&str> = grant.role.scope_kinds().iter().map(|k| k.label()).collect();
        return Err(format!(
            "{}只能绑定到{}，不能绑定到{}“{}”",
            grant.role.label(),
            kinds.join("或"),
            unit.kind.label(),
            unit.name
        ));
    }
    if !unit.active {
        return Err(format!("“{}”已停用", unit.name));
    }
    if !scopes.iter().any(|s| s.contains(&unit)) {
        return Err(format!("“{}”不在您的管理范围内", unit.name));
    }
    Ok(unit)
}

fn check_grants(conn: &mut DbConn, scopes: &[UnitRow], grants: &[RoleGrant]) -> Result<(), AppError> {
    for (i, g) in grants.iter().enumerate() {
        check_grant(conn, scopes, g).map_err(|m| AppError::field(&format!("roles[{i}]"), m))?;
    }
    Ok(())
}

/// The account, if every role it holds lies within the administrator's scopes (accounts without roles: city admins).
fn account_in_scope(conn: &mut DbConn, scopes: &[UnitRow], id: i64) -> Result<UserRow, AppError> {
    let user = db::accounts::get(conn, id).map_err(|_| AppError::not_found("该账号"))?;
    let roles = auth::extract::roles_of(conn, id)?;
    let city_admin = scopes.iter().any(|s| s.parent_id.is_none());
    let inside =
        if roles.is_empty() { city_admin } else { roles.iter().all(|b| scopes.iter().any(|s| s.contains(&b.unit))) };
    if !inside {
        return Err(AppError::not_found("该账号"));
    }
    Ok(user)
}

fn normalize_phone(field: &str, phone: Option<&str>) -> Result<Option<String>, AppError> {
    match phone.map(str::trim).filter(|p| !p.is_empty()) {
        None => Ok(None),
        Some(p) => shared::validate::normalize_phone(p).map(Some).map_err(|m| AppError::field(field, m)),
    }
}

async fn hash(password: String) -> Result<String, AppError> {
    web::block(move || auth::hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?
        .map_err(AppError::Internal)
}

/// Accounts within the administrator's scope.
#[utoipa::path(get, path = "/api/accounts", tag = "accounts", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = Vec<Account>), (status = 403, body = ApiError)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<ListQuery>,
) -> Result<web::Json<Vec<Account>>, AppError> {
    let scopes = require_admin(&user)?;
    let text = q.into_inner().q;
    state
        .db
        .read(move |conn| {
            let refs: Vec<&UnitRow> = scopes.iter().collect();
            let rows = db::accounts::list_in_scopes(conn, &refs, text.as_deref())?;
            crate::views::account::account_dtos(conn, &rows)
        })
        .await
        .map(web::Json)
}

/// One account.
#[utoipa::path(get, path = "/api/accounts/{id}", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Account), (status = 404, body = ApiError)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<Account>, AppError> {
    let scopes = require_admin(&user)?;
    let id = id.into_inner();
    state
        .db
        .read(move |conn| {
            let row = account_in_scope(conn, &scopes, id)?;
            Ok(crate::views::account::account_dtos(conn, &[row])?.remove(0))
        })
        .await
        .map(web::Json)
}

/// Create an account with its roles. The person must change the first password at first sign-in.
#[utoipa::path(post, path = "/api/accounts", tag = "accounts", security(("bearer" = [])), request_body = CreateAccount,
    responses((status = 201, body = Account), (status = 403, body = ApiError), (status = 409, body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<CreateAccount>,
) -> Result<HttpResponse, AppError> {
    let scopes = require_admin(&user)?;
    let body = body.into_inner();
    body.validate()?;
    let phone = normalize_phone("phone", body.phone.as_deref())?;
    let password_hash = hash(body.password.clone()).await?;
    let now = state.clock.now_naive();
    let account = state
        .db
        .write(move |conn| {
            check_grants(conn, &scopes, &body.roles)?;
            if db::accounts::by_username(conn, &body.username)?.is_some() {
                return Err(conflict_on("username", "该用户名已被使用"));
            }
            if let Some(p) = &phone {
                if db::accounts::phone_taken(conn, p, None)? {
                    return Err(conflict_on("phone", "该手机号已被其他账号使用"));
                }
            }
            let row = db::accounts::insert(
                conn,
                &NewUser {
                    username: &body.username,
                    phone: phone.as_deref(),
                    display_name: body.display_name.trim(),
                    password_hash: &password_hash,
                    active: true,
                    must_change_password: true,
                    created_at: now,
                    updated_at: now,
                },
            )?;
            for g in &body.roles {
                db::accounts::add_role(conn, row.id, g, now)?;
            }
            db::audit::record(conn, now, Some(user.id()), "account.create", "user", Some(row.id),
                serde_json::json!({"username": row.username, "roles": body.roles.iter().map(|g| (g.role.code(), g.unit_id)).collect::<Vec<_>>()}))?;
            Ok(crate::views::account::account_dtos(conn, &[row])?.remove(0))
        })
        .await?;
    Ok(HttpResponse::Created().json(account))
}

fn conflict_on(field: &str, message: &str) -> AppError {
    AppError::Api(ApiError { code: ErrorCode::Conflict, ..ApiError::field(field, message) })
}

/// Edit an account: name, phone, roles, enabled. Disabling ends its sessions at once.
#[utoipa::path(patch, path = "/api/accounts/{id}", tag = "accounts", security(("bearer" = [])), request_body = UpdateAccount,
    responses((status = 200, body = Account), (status = 404, body = ApiError), (status = 409, body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: web::Json<UpdateAccount>,
) -> Result<web::Json<Account>, AppError> {
    let scopes = require_admin(&user)?;
    let body = body.into_inner();
    body.validate()?;
    let id = id.into_inner();
    let phone = match &body.phone {
        None => None,
        Some(p) => Some(normalize_phone("phone", Some(p))?),
    };
    if id == user.id() && body.active == Some(false) {
        return Err(AppError::field("active", "不能停用自己的账号"));
    }
    let now = state.clock.now_naive();
    state
        .db
        .write(move |conn| {
            let target = account_in_scope(conn, &scopes, id)?;
            let mut changes = serde_json::Map::new();
            if let Some(name) = body.display_name.as_deref().map(str::trim).filter(|n| *n != target.display_name) {
                db::accounts::set_field(conn, id, AccountField::DisplayName(name))?;
                changes.insert("display_name".into(), name.into());
            }
            if let Some(new_phone) = phone.filter(|p| *p != target.phone) {
                if let Some(p) = &new_phone {
                    if db::accounts::phone_taken(conn, p, Some(id))? {
                        return Err(conflict_on("phone", "该手机号已被其他账号使用"));
                    }
                }
                db::accounts::set_field(conn, id, AccountField::Phone(new_phone.as_deref()))?;
                changes.insert("phone".into(), serde_json::json!(new_phone));
            }
            if let Some(roles) = &body.roles {
                if roles.is_empty() {
                    return Err(AppError::field("roles", "至少分配一个角色"));
                }
                check_grants(conn, &scopes, roles)?;
                db::accounts::set_roles(conn, id, roles, now)?;
                changes.insert(
                    "roles".into(),
                    serde_json::json!(roles.iter().map(|g| (g.role.code(), g.unit_id)).collect::<Vec<_>>()),
                );
            }
            if let Some(active) = body.active.filter(|a| *a != target.active) {
                db::accounts::set_field(conn, id, AccountField::Active(active))?;
                if !active {
                    db::accounts::revoke_sessions(conn, id, "account_disabled", now, None)?;
                }
                changes.insert("active".into(), active.into());
            }
            if !changes.is_empty() {
                db::accounts::touch(conn, id, now)?;
                db::audit::record(conn, now, Some(user.id()), "account.update", "user", Some(id), changes.into())?;
            }
            let row = db::accounts::get(conn, id)?;
            Ok(crate::views::account::account_dtos(conn, &[row])?.remove(0))
        })
        .await
        .map(web::Json)
}

/// Set a temporary password: the account's sessions end and the person must choose a new password at next sign-in.
#[utoipa::path(post, path = "/api/accounts/{id}/reset-password", tag = "accounts", security(("bearer" = [])),
    request_body = ResetPassword, responses((status = 204), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn reset_password(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: web::Json<ResetPassword>,
) -> Result<HttpResponse, AppError> {
    let scopes = require_admin(&user)?;
    let body = body.into_inner();
    body.validate()?;
    let id = id.into_inner();
    let password_hash = hash(body.new_password).await?;
    let now = state.clock.now_naive();
    state
        .db
        .write(move |conn| {
            account_in_scope(conn, &scopes, id)?;
            db::accounts::set_password(conn, id, &password_hash, true, now)?;
            db::accounts::revoke_sessions(conn, id, "password_reset", now, None)?;
            db::audit::record(
                conn,
                now,
                Some(user.id()),
                "account.reset_password",
                "user",
                Some(id),
                serde_json::json!({}),
            )?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
