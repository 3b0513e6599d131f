//! Sign-in, token refresh and sign-out.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Duration;
use shared::dto::{LoginRequest, RefreshRequest, TokenResponse};
use shared::{ApiError, ErrorCode};
use validator::Validate;

use crate::auth::{self, extract, Claims, PendingAuthUser};
use crate::db::models::{SessionRow, UserRow};
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::state::AppState;

/// Sign in with a username or mobile number and a password.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = ApiError), (status = 403, body = ApiError),
              (status = 429, body = ApiError)))]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> Result<web::Json<TokenResponse>, AppError> {
    let body = body.into_inner();
    body.validate()?;
    let login = normalize_login(&body.login);
    let ip = super::support::client_ip(&req, state.settings.trust_proxy);
    let user_agent = req
        .headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(200).collect::<String>());
    let now = state.clock.now_naive();

    let (settings, login_c, ip_c) = (state.settings.clone(), login.clone(), ip.clone());
    let user = state
        .db
        .read(move |conn| {
            auth::throttle::check(conn, &login_c, &ip_c, now, &settings)?;
            Ok(db::accounts::find_by_login(conn, &login_c)?)
        })
        .await?;

    let hash = user.as_ref().map(|u| u.password_hash.clone()).unwrap_or_else(|| auth::dummy_hash().to_string());
    let password = body.password;
    let password_ok = web::block(move || auth::verify_password(&password, &hash))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?
        && user.is_some();

    let st = state.clone();
    state
        .db
        .write(move |conn| {
            auth::throttle::record(conn, &login, &ip, password_ok, now)?;
            let Some(user) = user.filter(|_| password_ok) else {
                return Ok(Err(AppError::new(ErrorCode::InvalidCredentials, "用户名或密码错误")));
            };
            if !user.active {
                return Ok(Err(AppError::new(ErrorCode::AccountDisabled, "账号已停用，请联系管理员")));
            }
            let session = SessionRow {
                id: uuid::Uuid::new_v4().to_string(),
                user_id: user.id,
                created_at: now,
                expires_at: now + Duration::days(st.settings.refresh_token_days),
                revoked_at: None,
                revoked_reason: None,
                user_agent,
                ip: Some(ip.clone()),
            };
            db::accounts::insert_session(conn, &session)?;
            Ok(Ok(issue_tokens(conn, &st, &user, &session.id)?))
        })
        .await?
        .map(web::Json)
}

/// Logins are matched as typed, except that a mobile number is normalised (spaces, dashes, +86 dropped).
fn normalize_login(login: &str) -> String {
    let trimmed = login.trim();
    shared::validate::normalize_phone(trimmed).unwrap_or_else(|_| trimmed.to_string())
}

/// A new access token and a new refresh token for the session.
fn issue_tokens(
    conn: &mut DbConn,
    state: &AppState,
    user: &UserRow,
    session_id: &str,
) -> Result<TokenResponse, AppError> {
    let now = state.clock.now();
    let ttl = Duration::minutes(state.settings.access_token_minutes);
    let access_token = state.keys.issue(&Claims {
        sub: user.id.to_string(),
        sid: session_id.to_string(),
        iat: now.timestamp(),
        exp: (now + ttl).timestamp(),
    })?;
    let refresh_token = auth::random_token();
    db::accounts::insert_refresh_token(conn, session_id, &auth::token_hash(&refresh_token), now.naive_utc())?;
    let roles = extract::roles_of(conn, user.id)?;
    Ok(TokenResponse {
        access_token,
        expires_in: ttl.num_seconds(),
        refresh_token,
        user: crate::views::account::me_dto(conn, user, &roles)?,
    })
}

/// Trade a refresh token for a new pair. Each refresh token works once; presenting a spent one ends the session,
/// since it means the token was copied.
#[utoipa::path(post, path = "/api/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = ApiError)))]
pub async fn refresh(
    state: web::Data<AppState>,
    body: web::Json<RefreshRequest>,
) -> Result<web::Json<TokenResponse>, AppError> {
    let hash = auth::token_hash(body.refresh_token.trim());
    let st = state.clone();
    state
        .db
        .write(move |conn| {
            let now = st.clock.now_naive();
            let ended = || AppError::new(ErrorCode::SessionEnded, "登录已失效，请重新登录");
            let Some(token) = db::accounts::find_refresh_token(conn, &hash)? else {
                return Ok(Err(ended()));
            };
            let Some(session) = db::accounts::get_session(conn, &token.session_id)? else {
                return Ok(Err(ended()));
            };
            if session.revoked_at.is_some() || session.expires_at <= now {
                return Ok(Err(ended()));
            }
            if !db::accounts::spend_refresh_token(conn, token.id, now)? {
                db::accounts::revoke_session(conn, &session.id, "refresh_token_reused", now)?;
                tracing::warn!(session = %session.id, "a spent refresh token was presented; session ended");
                return Ok(Err(ended()));
            }
            let user = db::accounts::get(conn, session.user_id)?;
            if !user.active {
                return Ok(Err(AppError::new(ErrorCode::AccountDisabled, "账号已停用，请联系管理员")));
            }
            Ok(Ok(issue_tokens(conn, &st, &user, &session.id)?))
        })
        .await?
        .map(web::Json)
}

/// End this session: its access and refresh tokens stop working at once.
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ApiError)))]
pub async fn logout(state: web::Data<AppState>, user: PendingAuthUser) -> Result<HttpResponse, AppError> {
    let now = state.clock.now_naive();
    let session_id = user.0.session_id.clone();
    state.db.write(move |conn| Ok(db::accounts::revoke_session(conn, &session_id, "logout", now)?)).await?;
    Ok(HttpResponse::NoContent().finish())
}
