//! Request and response bodies of the API, one struct per body. Conversions from database rows live in the backend.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
#[cfg(feature = "validate")]
use validator::Validate;

use crate::domain::{OrgKind, Role};
#[cfg(feature = "validate")]
use crate::validate::rules;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

// ---------- sign-in ----------

/// `POST /api/auth/login`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(Validate))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LoginRequest {
    /// A username or a mobile number.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 64, message = "请输入用户名或手机号")))]
    pub login: String,
    /// The password.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 128, message = "请输入密码")))]
    pub password: String,
}

/// The answer to a sign-in or a refresh.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TokenResponse {
    /// A short-lived JWT to send as `Authorization: Bearer …`.
    pub access_token: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// A long-lived opaque token to get a new pair from `POST /api/auth/refresh`; single use.
    pub refresh_token: String,
    /// The signed-in account.
    pub user: Me,
}

/// `POST /api/auth/refresh` and `POST /api/auth/logout`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RefreshRequest {
    /// The refresh token from the last sign-in or refresh.
    pub refresh_token: String,
}

/// `POST /api/me/password`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(Validate))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ChangePasswordRequest {
    /// The password in use now.
    #[cfg_attr(feature = "validate", validate(length(min = 1, message = "请输入当前密码")))]
    pub current_password: String,
    /// The new password: at least 8 characters with letters and digits.
    #[cfg_attr(feature = "validate", validate(custom(function = "rules::password")))]
    pub new_password: String,
}

/// A place, briefly: enough to show where a role applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UnitRef {
    /// Its id.
    pub id: i64,
    /// Its kind.
    pub kind: OrgKind,
    /// Its own name, e.g. "和平社区".
    pub name: String,
    /// Its names from the street down, e.g. "新华街道 / 和平社区".
    pub full_name: String,
}

/// One role of an account, with the place it applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RoleScope {
    /// The role.
    pub role: Role,
    /// The role's Chinese label.
    pub role_label: String,
    /// The place it applies to: everything under it is in scope.
    pub unit: UnitRef,
}

/// `GET /api/me`: the signed-in account.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Me {
    /// Account id.
    pub id: i64,
    /// Username.
    pub username: String,
    /// The person's name.
    pub display_name: String,
    /// Mobile number, if recorded.
    pub phone: Option<String>,
    /// True after an administrator reset the password: the app asks for a new one before anything else.
    pub must_change_password: bool,
    /// Every role with its scope.
    pub roles: Vec<RoleScope>,
}

impl Me {
    /// Whether the account holds this role anywhere.
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.iter().any(|r| r.role == role)
    }
}

// ---------- organisation ----------

/// A place in the city's organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OrgUnit {
    /// Its id.
    pub id: i64,
    /// Its kind.
    pub kind: OrgKind,
    /// Its name.
    pub name: String,
    /// The place it sits under (none for the city).
    pub parent_id: Option<i64>,
    /// Its names from the street down.
    pub full_name: String,
    /// False once deactivated: kept for history, hidden from pickers.
    pub active: bool,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// `POST /api/org/units`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(Validate))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CreateOrgUnit {
    /// The kind; must fit under the parent's kind (a grid under a station, …).
    pub kind: OrgKind,
    /// The name, unique among its siblings.
    #[cfg_attr(feature = "validate", validate(custom(function = "rules::name")))]
    pub name: String,
    /// The parent place (the city for streets and departments).
    pub parent_id: i64,
}

/// `PATCH /api/org/units/{id}`: rename, move or (de)activate; absent fields stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(Validate))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UpdateOrgUnit {
    /// A new name.
    #[cfg_attr(feature = "validate", validate(custom(function = "rules::name")))]
    pub name: Option<String>,
    /// A new parent of the same kind as the old one.
    pub parent_id: Option<i64>,
    /// False to deactivate (only when nothing active sits under it), true to reactivate.
    pub active: Option<bool>,
}

// ---------- accounts ----------

/// A role to grant: the role and the place it applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RoleGrant {
    /// The role.
    pub role: Role,
    /// The place; its kind must be one the role binds to.
    pub unit_id: i64,
}

/// An account as administrators see it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Account {
    /// Account id.
    pub id: i64,
    /// Username.
    pub username: String,
    /// The person's name.
    pub display_name: String,
    /// Mobile number.
    pub phone: Option<String>,
    /// False when disabled: cannot sign in, sessions ended.
    pub active: bool,
    /// True until the person replaces a reset password.
    pub must_change_password: bool,
    /// Roles with scopes.
    pub roles: Vec<RoleScope>,
    /// Created at.
    pub created_at: DateTime<Utc>,
}

/// `POST /api/accounts`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(Validate))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CreateAccount {
    /// Username, unique.
    #[cfg_attr(feature = "validate", validate(custom(function = "rules::username")))]
    pub username: String,
    /// The person's name.
    #[cfg_attr(feature = "validate", validate(custom(function = "rules::name")))]
    pub display_name: String,
    /// Mobile number (optional, unique); also a sign-in name.
    #[cfg_attr(feature = "validate", validate(custom(function = "rules::phone")))]
    pub phone: Option<String>,
    /// The first password; the person must change it at first sign-in.
    #[cfg_attr(feature = "validate", validate(custom(function = "rules::password")))]
    pub password: String,
    /// At least one role.
    #[cfg_attr(feature = "validate", validate(length(min = 1, message = "至少分配一个角色")))]
    pub roles: Vec<RoleGrant>,
}

/// `PATCH /api/accounts/{id}`; absent fields stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(Validate))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UpdateAccount {
    /// The person's name.
    #[cfg_attr(feature = "validate", validate(custom(function = "rules::name")))]
    pub display_name: Option<String>,
    /// Mobile number; an empty string removes it.
    pub phone: Option<String>,
    /// False disables the account and ends its sessions at once.
    pub active: Option<bool>,
    /// Replaces all roles.
    pub roles: Option<Vec<RoleGrant>>,
}

/// `POST /api/accounts/{id}/reset-password`: a temporary password the person must change at next sign-in.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(Validate))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ResetPassword {
    /// The temporary password.
    #[cfg_attr(feature = "validate", validate(custom(function = "rules::password")))]
    pub new_password: String,
}

// ---------- import ----------

/// What an import of the organisation and accounts workbook created.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ImportSummary {
    /// Places created (existing ones matched by name path are kept).
    pub units_created: u32,
    /// Accounts created.
    pub accounts_created: u32,
    /// Roles granted (to new or existing accounts).
    pub roles_granted: u32,
}

// ---------- operations ----------

/// `GET /healthz` and `GET /readyz`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Health {
    /// "ok" when healthy.
    pub status: String,
    /// The database engine in use: "sqlite" or "postgres".
    pub database: String,
    /// The server's version.
    pub version: String,
}
