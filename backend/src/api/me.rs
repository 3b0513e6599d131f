//! The signed-in account: who am I, and changing my own password.

use actix_web::{web, HttpResponse};
use shared::dto::{ChangePasswordRequest, Me};
use shared::ApiError;
use validator::Validate;

use crate::auth::{self, PendingAuthUser};
use crate::db;
use crate::error::AppError;
use crate::state::AppState;

/// The account, its roles and the place each role applies to.
#[utoipa::path(get, path = "/api/me", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = ApiError)))]
pub async fn me(state: web::Data<AppState>, user: PendingAuthUser) -> Result<web::Json<Me>, AppError> {
    let user = user.0;
    state.db.read(move |conn| crate::views::account::me_dto(conn, &user.user, &user.roles)).await.map(web::Json)
}

/// Change my password (also the way out of a forced change after a reset). Other sessions of the account end.
#[utoipa::path(post, path = "/api/me/password", tag = "me", security(("bearer" = [])), request_body = ChangePasswordRequest,
    responses((status = 204), (status = 422, body = ApiError), (status = 401, body = ApiError)))]
pub async fn change_password(
    state: web::Data<AppState>,
    user: PendingAuthUser,
    body: web::Json<ChangePasswordRequest>,
) -> Result<HttpResponse, AppError> {
    let body = body.into_inner();
    body.validate()?;
    let user = user.0;
    if body.current_password == body.new_password {
        return Err(AppError::field("new_password", "新密码不能与当前密码相同"));
    }
    let (current, stored) = (body.current_password.clone(), user.user.password_hash.clone());
    let ok = web::block(move || auth::verify_password(&current, &stored))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    if !ok {
        return Err(AppError::field("current_password", "当前密码不正确"));
    }
    let new_password = body.new_password;
    let hash = web::block(move || auth::hash_password(&new_password))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))??;
    let now = state.clock.now_naive();
    state
        .db
        .write(move |conn| {
            db::accounts::set_password(conn, user.user.id, &hash, false, now)?;
            db::accounts::revoke_sessions(conn, user.user.id, "password_changed", now, Some(&user.session_id))?;
            db::audit::record(
                conn,
                now,
                Some(user.user.id),
                "password.change",
                "user",
                Some(user.user.id),
                serde_json::json!({}),
            )?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
