//! The HTTP handlers, one module per resource, and the conversions from rows into the API's DTOs.

pub mod accounts;
pub mod analysis;
pub mod auth;
pub mod dashboard;
pub mod evaluation;
pub mod follow_ups;
pub mod health;
pub mod hooks;
pub mod import;
pub mod items;
pub mod journey;
pub mod ledger;
pub mod me;
pub mod meetings;
pub mod org;
pub mod photos;
pub mod receptions;
pub mod reports;
pub mod routines;
pub mod settings;
pub mod stats;
pub mod supervision;
pub mod visits;
pub mod voice;
pub mod workflow;

use chrono::{NaiveDateTime, TimeZone, Utc};
use shared::dto::{Account, Me, OrgUnit, RoleScope, UnitRef};

use crate::auth::Binding;
use crate::db::models::{UnitRow, UserRow};
use crate::db::{self, DbConn};
use crate::error::AppError;

pub fn utc(t: NaiveDateTime) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&t)
}

pub fn unit_dto(row: &UnitRow, full_name: String) -> OrgUnit {
    OrgUnit {
        id: row.id,
        kind: row.kind(),
        name: row.name.clone(),
        parent_id: row.parent_id,
        full_name,
        active: row.active,
        updated_at: utc(row.updated_at),
    }
}

fn unit_ref(row: &UnitRow, full_name: String) -> UnitRef {
    UnitRef { id: row.id, kind: row.kind(), name: row.name.clone(), full_name }
}

fn role_scopes(conn: &mut DbConn, roles: &[Binding]) -> Result<Vec<RoleScope>, AppError> {
    let units: Vec<UnitRow> = roles.iter().map(|b| b.unit.clone()).collect();
    let names = db::org::full_names(conn, &units)?;
    Ok(roles
        .iter()
        .map(|b| RoleScope {
            role: b.role,
            role_label: b.role.label().to_string(),
            unit: unit_ref(&b.unit, names.get(&b.unit.id).cloned().unwrap_or_default()),
        })
        .collect())
}

pub fn me_dto(conn: &mut DbConn, user: &UserRow, roles: &[Binding]) -> Result<Me, AppError> {
    Ok(Me {
        id: user.id,
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        phone: user.phone.clone(),
        must_change_password: user.must_change_password,
        roles: role_scopes(conn, roles)?,
    })
}

/// Accounts with their roles, loading all roles and place names in a fixed number of queries.
pub fn account_dtos(conn: &mut DbConn, users: &[UserRow]) -> Result<Vec<Account>, AppError> {
    let ids: Vec<i64> = users.iter().map(|u| u.id).collect();
    let role_rows = db::accounts::roles_of_users(conn, &ids)?;
    let units: Vec<UnitRow> = role_rows.iter().map(|(_, u)| u.clone()).collect();
    let names = db::org::full_names(conn, &units)?;
    Ok(users
        .iter()
        .map(|u| Account {
            id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            phone: u.phone.clone(),
            active: u.active,
            must_change_password: u.must_change_password,
            roles: role_rows
                .iter()
                .filter(|(r, _)| r.user_id == u.id)
                .filter_map(|(r, unit)| {
                    let role = shared::Role::parse(&r.role)?;
                    Some(RoleScope {
                        role,
                        role_label: role.label().to_string(),
                        unit: unit_ref(unit, names.get(&unit.id).cloned().unwrap_or_default()),
                    })
                })
                .collect(),
            created_at: utc(u.created_at),
        })
        .collect())
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
