//! The signed-in account of a request: the bearer token is checked, then its session, account and roles are loaded
//! from the database on every request, so ending a session or disabling an account takes effect at once.

use std::future::Future;
use std::pin::Pin;

use actix_web::{web, FromRequest, HttpRequest};
use shared::{ErrorCode, OrgKind, Role};

use super::TokenProblem;
use crate::db::models::{UnitRow, UserRow};
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::state::AppState;

/// One role of the account with the place it applies to.
#[derive(Debug, Clone)]
pub struct Binding {
    pub role: Role,
    pub unit: UnitRow,
}

/// A signed-in account whose password is in order. Handlers that take this refuse accounts that must first
/// change a reset password.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user: UserRow,
    pub session_id: String,
    pub roles: Vec<Binding>,
}

/// A signed-in account that may still have to change its password (for `/api/me`, the password change, sign-out).
#[derive(Debug, Clone)]
pub struct PendingAuthUser(pub AuthUser);

impl AuthUser {
    pub fn id(&self) -> i64 {
        self.user.id
    }

    /// Whether some role of the account reaches `unit` (the unit is its scope or under it).
    pub fn can_see(&self, unit: &UnitRow) -> bool {
        unit.kind == OrgKind::Department || self.roles.iter().any(|b| b.unit.contains(unit))
    }

    /// Whether the account may add places under `parent`.
    pub fn can_manage_under(&self, parent: &UnitRow) -> bool {
        self.roles.iter().any(|b| b.role.manages_org() && b.unit.contains(parent))
    }

    /// Whether the account may rename, move or deactivate `unit`: its scope must be above the unit (only an admin
    /// may change the place its own role is bound to).
    pub fn can_manage(&self, unit: &UnitRow) -> bool {
        self.roles
            .iter()
            .any(|b| b.role.manages_org() && b.unit.contains(unit) && (b.unit.id != unit.id || b.role == Role::Admin))
    }

    /// The places under which this account administers accounts.
    pub fn admin_scopes(&self) -> Vec<&UnitRow> {
        self.roles.iter().filter(|b| b.role.manages_accounts()).map(|b| &b.unit).collect()
    }

    /// Whether the account may register items (and where: under the places of these roles).
    pub fn capture_scopes(&self) -> Vec<&UnitRow> {
        self.roles.iter().filter(|b| b.role.captures()).map(|b| &b.unit).collect()
    }

    /// Whether the account sees residents' phone numbers in full (the roles that call residents back).
    pub fn sees_phones(&self) -> bool {
        self.roles.iter().any(|b| b.role.captures())
    }

    /// Whether an item filed under these places, or held by this department, is within one of the account's scopes.
    pub fn sees_item(&self, item: &crate::db::models::ItemRow) -> bool {
        self.roles.iter().any(|b| {
            let id = b.unit.id;
            match b.unit.kind {
                OrgKind::City => true,
                OrgKind::Street => item.street_id == id,
                OrgKind::Community => item.community_id == id,
                OrgKind::Station => item.station_id == Some(id),
                OrgKind::Grid => item.grid_id == Some(id),
                OrgKind::Building => item.building_id == Some(id),
                OrgKind::Department => item.department_id == Some(id),
            }
        })
    }

    pub fn is_city_admin(&self) -> bool {
        self.roles.iter().any(|b| b.role == Role::Admin && b.unit.kind == OrgKind::City)
    }

    /// Whether the account reads the whole city's figures: the city's leaders, offices, supervision office and admin.
    pub fn reads_city_figures(&self) -> bool {
        self.roles.iter().any(|b| {
            b.unit.kind == OrgKind::City
                && matches!(b.role, Role::CityLeader | Role::CityAnalyst | Role::Supervisor | Role::Admin)
        })
    }

    /// Ok for the city's administrator, 403 for anyone else.
    pub fn require_city_admin(&self) -> Result<(), crate::error::AppError> {
        if self.is_city_admin() {
            Ok(())
        } else {
            Err(crate::error::AppError::forbidden())
        }
    }
}

fn bearer(req: &HttpRequest) -> Option<String> {
    let header = req.headers().get(actix_web::http::header::AUTHORIZATION)?.to_str().ok()?;
    let token = header.strip_prefix("Bearer ").or_else(|| header.strip_prefix("bearer "))?;
    Some(token.trim().to_string())
}

async fn authenticate(req: HttpRequest) -> Result<AuthUser, AppError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("AppState missing")))?
        .clone();
    let token = bearer(&req).ok_or_else(|| AppError::new(ErrorCode::Unauthorized, "请先登录"))?;
    let now = state.clock.now();
    let claims = state.keys.verify(&token, now.timestamp()).map_err(|p| match p {
        TokenProblem::Expired => AppError::new(ErrorCode::TokenExpired, "登录已过期，请刷新"),
        TokenProblem::Invalid => AppError::new(ErrorCode::Unauthorized, "登录凭证无效，请重新登录"),
    })?;
    let user_id: i64 =
        claims.sub.parse().map_err(|_| AppError::new(ErrorCode::Unauthorized, "登录凭证无效，请重新登录"))?;
    let session_id = claims.sid;
    let now_naive = now.naive_utc();
    state.db.read(move |conn| load_account(conn, user_id, &session_id, now_naive)).await
}

/// Loads the session, the account and its roles, refusing ended sessions and disabled accounts.
pub fn load_account(
    conn: &mut DbConn,
    user_id: i64,
    session_id: &str,
    now: chrono::NaiveDateTime,
) -> Result<AuthUser, AppError> {
    let ended = || AppError::new(ErrorCode::SessionEnded, "登录已失效，请重新登录");
    let session = db::accounts::get_session(conn, session_id)?.ok_or_else(ended)?;
    if session.user_id != user_id || session.revoked_at.is_some() || session.expires_at <= now {
        return Err(ended());
    }
    let user = db::accounts::find(conn, user_id)?.ok_or_else(ended)?;
    if !user.active {
        return Err(AppError::new(ErrorCode::AccountDisabled, "账号已停用，请联系管理员"));
    }
    let roles = roles_of(conn, user_id)?;
    Ok(AuthUser { user, session_id: session.id, roles })
}

/// The roles of an account with their places.
pub fn roles_of(conn: &mut DbConn, user_id: i64) -> Result<Vec<Binding>, AppError> {
    let rows = db::accounts::roles_of_users(conn, &[user_id])?;
    Ok(rows.into_iter().map(|(role, unit)| Binding { role: role.role, unit }).collect())
}

impl FromRequest for PendingAuthUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _payload: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate(req).await.map(PendingAuthUser) })
    }
}

impl FromRequest for AuthUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _payload: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let user = authenticate(req).await?;
            if user.user.must_change_password {
                return Err(AppError::new(ErrorCode::PasswordChangeRequired, "管理员已重置您的密码，请先设置新密码"));
            }
            Ok(user)
        })
    }
}
