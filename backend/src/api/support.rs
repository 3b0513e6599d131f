//! What the handlers share about requests: parsing ids, the common field checks and errors, the visibility checks
//! that turn a missing or unseen record into a 404, and who may record at a place. Handlers import this and the
//! layers below (views, regulation, db), never each other.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use shared::{ApiError, ErrorCode, OrgKind, Role};

use crate::auth::AuthUser;
use crate::db::models::{ItemRow, UnitRow};
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::regulation::journey;

/// The item changed since the caller read it.
pub fn stale() -> AppError {
    AppError::Api(ApiError {
        code: ErrorCode::StaleVersion,
        ..ApiError::field("version", "这条民情已被他人处理或修改，请刷新后再操作")
    })
}

pub fn conflict_on(field: &str, message: &str) -> AppError {
    AppError::Api(ApiError { code: ErrorCode::Conflict, ..ApiError::field(field, message) })
}

pub fn parse_uuid(field: &str, id: &str) -> Result<String, AppError> {
    uuid::Uuid::parse_str(id.trim())
        .map(|u| u.hyphenated().to_string())
        .map_err(|_| AppError::field(field, "编号格式不正确（应为 UUID）"))
}

pub fn trimmed(s: Option<&str>) -> Option<String> {
    s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// The item if the account may see it, else 404 (an item outside its places reads as missing). A department named
/// as co-handling (协办) on the item's current dispatch sees it too.
pub fn visible_item(conn: &mut DbConn, user: &AuthUser, id: &str) -> Result<ItemRow, AppError> {
    match db::items::get(conn, id)? {
        Some(row) if user.sees_item(&row) => Ok(row),
        Some(row) if user.roles.iter().any(|b| b.unit.kind == OrgKind::Department) => {
            // Only a department's account can be co-handling: the dispatch is read for it alone.
            let current = db::journey::current_dispatch(conn, &row.id)?;
            if journey::co_handling_departments(user, current.as_ref()).is_empty() {
                return Err(AppError::not_found("该民情"));
            }
            Ok(row)
        }
        _ => Err(AppError::not_found("该民情")),
    }
}

/// Whether the account records routines at this place: a capturing role (grid leader, station head, community
/// secretary, street staff) or an administrator bound at or above it.
pub fn records_at(user: &AuthUser, unit: &UnitRow) -> bool {
    user.roles.iter().any(|b| (b.role.captures() || b.role == Role::Admin) && b.unit.contains(unit))
}

/// An active unit of the given kind that the account may record at, or a field error naming `field`.
pub fn recording_unit(
    conn: &mut DbConn,
    user: &AuthUser,
    field: &str,
    id: i64,
    kind: OrgKind,
) -> Result<UnitRow, AppError> {
    let unit = db::org::get(conn, id).map_err(|_| AppError::field(field, format!("{}不存在", kind.label())))?;
    if unit.kind != kind {
        return Err(AppError::field(field, format!("请选择{}", kind.label())));
    }
    if !unit.active {
        return Err(AppError::field(field, format!("该{}已停用", kind.label())));
    }
    if !records_at(user, &unit) {
        return Err(AppError::field(field, format!("该{}不在您负责的范围内", kind.label())));
    }
    Ok(unit)
}

/// A unit the account can see, or 404.
pub fn visible_unit(conn: &mut DbConn, user: &AuthUser, id: i64, kind: OrgKind) -> Result<UnitRow, AppError> {
    match db::org::get(conn, id) {
        Ok(u) if u.kind == kind && user.can_see(&u) => Ok(u),
        _ => Err(AppError::not_found(kind.label())),
    }
}

/// SHA-256 of a create request, to tell a retry from a different record with the same id.
pub fn request_hash<T: Serialize>(body: &T) -> Result<String, AppError> {
    Ok(hex::encode(Sha256::digest(serde_json::to_vec(body).map_err(|e| AppError::Internal(e.into()))?)))
}

/// The same id was used for a different record.
pub fn id_taken(what: &str) -> AppError {
    AppError::Api(ApiError {
        code: ErrorCode::Conflict,
        ..ApiError::field("id", format!("该编号的{what}已经登记过，且内容不同"))
    })
}

/// A day a meeting or reception was held: not after today, not more than a year back.
pub fn past_day(field: &str, day: NaiveDate, today: NaiveDate) -> Result<(), AppError> {
    if day > today {
        return Err(AppError::field(field, "日期不能晚于今天"));
    }
    if day < today - chrono::Duration::days(366) {
        return Err(AppError::field(field, "日期不能早于一年前"));
    }
    Ok(())
}

/// A required text of at most `max` characters, trimmed.
pub fn required_text(field: &str, label: &str, text: &str, max: usize) -> Result<String, AppError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(AppError::field(field, format!("请填写{label}")));
    }
    optional_text(field, label, t, max)
}

/// An optional text of at most `max` characters, trimmed.
pub fn optional_text(field: &str, label: &str, text: &str, max: usize) -> Result<String, AppError> {
    let t = text.trim();
    if t.chars().count() > max {
        return Err(AppError::field(field, format!("{label}不能超过{max}个字")));
    }
    Ok(t.to_string())
}

/// Active units of a kind within the account's sight, under `root` when given.
pub fn units_in_scope(
    conn: &mut DbConn,
    user: &AuthUser,
    kind: OrgKind,
    root: Option<&UnitRow>,
) -> Result<Vec<UnitRow>, AppError> {
    let all = db::org::active_of_kind(conn, kind)?;
    Ok(all.into_iter().filter(|u| user.can_see(u) && root.is_none_or(|r| r.contains(u))).collect())
}

/// The client's address, for throttling and the session record.
pub fn client_ip(req: &actix_web::HttpRequest, trust_proxy: bool) -> String {
    if trust_proxy {
        if let Some(ip) = req.connection_info().realip_remote_addr() {
            return ip.to_string();
        }
    }
    req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_else(|| "unknown".into())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct MonthParams {
    /// The year; this month's when absent.
    pub year: Option<i32>,
    /// The month, 1–12.
    pub month: Option<u32>,
}
