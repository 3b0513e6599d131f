//! Accounts, roles and units as the API shows them.

use shared::dto::{Account, Me, OrgUnit, RoleScope};

use super::people::unit_ref_named;
use crate::auth::Binding;
use crate::db::models::{UnitRow, UserRow};
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::views::utc;

pub fn unit_dto(row: &UnitRow, full_name: String) -> OrgUnit {
    OrgUnit {
        id: row.id,
        kind: row.kind,
        name: row.name.clone(),
        parent_id: row.parent_id,
        full_name,
        active: row.active,
        updated_at: utc(row.updated_at),
    }
}

fn role_scopes(conn: &mut DbConn, roles: &[Binding]) -> Result<Vec<RoleScope>, AppError> {
    let units: Vec<UnitRow> = roles.iter().map(|b| b.unit.clone()).collect();
    let names = db::org::full_names(conn, &units)?;
    Ok(roles
        .iter()
        .map(|b| RoleScope {
            role: b.role,
            role_label: b.role.label().to_string(),
            unit: unit_ref_named(&b.unit, names.get(&b.unit.id).cloned().unwrap_or_default()),
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
                .map(|(r, unit)| RoleScope {
                    role: r.role,
                    role_label: r.role.label().to_string(),
                    unit: unit_ref_named(unit, names.get(&unit.id).cloned().unwrap_or_default()),
                })
                .collect(),
            created_at: utc(u.created_at),
        })
        .collect())
}
