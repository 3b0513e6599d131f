//! Queries on accounts, their roles and their sessions.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::dto::RoleGrant;
use shared::Role;

use super::models::{NewRefreshToken, NewRole, NewUser, RoleRow, SessionRow, UnitRow, UserRow};
use super::schema::{org_units, refresh_tokens, sessions, user_roles, users};
use super::DbConn;

/// Finds an account by username or mobile number.
pub fn find_by_login(conn: &mut DbConn, login: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::username.eq(login).or(users::phone.eq(login)))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn get(conn: &mut DbConn, id: i64) -> QueryResult<UserRow> {
    users::table.find(id).select(UserRow::as_select()).first(conn)
}

/// An account by id, if it exists.
pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<UserRow>> {
    users::table.find(id).select(UserRow::as_select()).first(conn).optional()
}

pub fn by_username(conn: &mut DbConn, username: &str) -> QueryResult<Option<UserRow>> {
    users::table.filter(users::username.eq(username)).select(UserRow::as_select()).first(conn).optional()
}

pub fn phone_taken(conn: &mut DbConn, phone: &str, except_user: Option<i64>) -> QueryResult<bool> {
    let mut q = users::table.filter(users::phone.eq(phone)).select(users::id).into_boxed();
    if let Some(id) = except_user {
        q = q.filter(users::id.ne(id));
    }
    Ok(q.first::<i64>(conn).optional()?.is_some())
}

pub fn add_role(conn: &mut DbConn, user_id: i64, grant: &RoleGrant, now: NaiveDateTime) -> QueryResult<bool> {
    let exists = diesel::select(diesel::dsl::exists(
        user_roles::table
            .filter(user_roles::user_id.eq(user_id))
            .filter(user_roles::role.eq(grant.role))
            .filter(user_roles::unit_id.eq(grant.unit_id)),
    ))
    .get_result::<bool>(conn)?;
    if exists {
        return Ok(false);
    }
    diesel::insert_into(user_roles::table)
        .values(NewRole { user_id, role: grant.role, unit_id: grant.unit_id, created_at: now })
        .execute(conn)?;
    Ok(true)
}

/// Replaces every role of the account.
pub fn set_roles(conn: &mut DbConn, user_id: i64, grants: &[RoleGrant], now: NaiveDateTime) -> QueryResult<()> {
    diesel::delete(user_roles::table.filter(user_roles::user_id.eq(user_id))).execute(conn)?;
    for g in grants {
        add_role(conn, user_id, g, now)?;
    }
    Ok(())
}

/// Every role row of the given accounts, with the place.
pub fn roles_of_users(conn: &mut DbConn, user_ids: &[i64]) -> QueryResult<Vec<(RoleRow, UnitRow)>> {
    user_roles::table
        .inner_join(org_units::table)
        .filter(user_roles::user_id.eq_any(user_ids))
        .order(user_roles::id)
        .select((RoleRow::as_select(), UnitRow::as_select()))
        .load(conn)
}

/// Accounts holding a role anywhere under one of `scopes` (all accounts for a city scope), filtered by a search
/// text on username, name or phone.
pub fn list_in_scopes(conn: &mut DbConn, scopes: &[&UnitRow], query: Option<&str>) -> QueryResult<Vec<UserRow>> {
    let whole_city = scopes.iter().any(|s| s.parent_id.is_none());
    let mut q = users::table.select(UserRow::as_select()).order(users::username).into_boxed();
    if !whole_city {
        let mut ids: Vec<i64> = Vec::new();
        for scope in scopes {
            let mut found: Vec<i64> = user_roles::table
                .inner_join(org_units::table)
                .filter(org_units::path.like(format!("{}%", scope.path)))
                .select(user_roles::user_id)
                .load(conn)?;
            ids.append(&mut found);
        }
        q = q.filter(users::id.eq_any(ids));
    }
    if let Some(text) = query.map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = format!("%{}%", text.replace(['%', '_'], ""));
        q = q.filter(
            users::username
                .like(pattern.clone())
                .or(users::display_name.like(pattern.clone()))
                .or(users::phone.like(pattern)),
        );
    }
    q.limit(500).load(conn)
}

/// Ends sessions of the account (all, or all but one) at once.
pub fn revoke_sessions(
    conn: &mut DbConn,
    user_id: i64,
    reason: &str,
    now: NaiveDateTime,
    except: Option<&str>,
) -> QueryResult<usize> {
    let mut q = diesel::update(sessions::table)
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::revoked_at.is_null())
        .into_boxed();
    if let Some(keep) = except {
        q = q.filter(sessions::id.ne(keep.to_string()));
    }
    q.set((sessions::revoked_at.eq(now), sessions::revoked_reason.eq(reason))).execute(conn)
}

pub fn revoke_session(conn: &mut DbConn, session_id: &str, reason: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(sessions::table.find(session_id))
        .filter(sessions::revoked_at.is_null())
        .set((sessions::revoked_at.eq(now), sessions::revoked_reason.eq(reason)))
        .execute(conn)
}

pub fn insert_session(conn: &mut DbConn, session: &SessionRow) -> QueryResult<()> {
    diesel::insert_into(sessions::table).values(session).execute(conn)?;
    Ok(())
}

pub fn get_session(conn: &mut DbConn, id: &str) -> QueryResult<Option<SessionRow>> {
    sessions::table.find(id).select(SessionRow::as_select()).first(conn).optional()
}

pub fn insert_refresh_token(
    conn: &mut DbConn,
    session_id: &str,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(refresh_tokens::table)
        .values(NewRefreshToken { session_id, token_hash, created_at: now })
        .execute(conn)?;
    Ok(())
}

/// Marks a refresh token spent. Returns false when it was already spent (by a concurrent refresh or a thief).
pub fn spend_refresh_token(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(refresh_tokens::table.find(id))
        .filter(refresh_tokens::used_at.is_null())
        .set(refresh_tokens::used_at.eq(now))
        .execute(conn)?;
    Ok(n == 1)
}

pub fn find_refresh_token(conn: &mut DbConn, token_hash: &str) -> QueryResult<Option<super::models::RefreshTokenRow>> {
    refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select(super::models::RefreshTokenRow::as_select())
        .first(conn)
        .optional()
}

/// The active holders of a role at each of the units: (unit, user, display name), by user id.
pub fn active_holders(conn: &mut DbConn, role: Role, unit_ids: &[i64]) -> QueryResult<Vec<(i64, i64, String)>> {
    user_roles::table
        .inner_join(users::table.on(users::id.eq(user_roles::user_id)))
        .filter(user_roles::role.eq(role))
        .filter(user_roles::unit_id.eq_any(unit_ids))
        .filter(users::active.eq(true))
        .order(users::id)
        .select((user_roles::unit_id, users::id, users::display_name))
        .load(conn)
}

/// Whether the account holds the role at the unit.
pub fn holds(conn: &mut DbConn, user_id: i64, role: Role, unit_id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        user_roles::table
            .filter(user_roles::user_id.eq(user_id))
            .filter(user_roles::role.eq(role))
            .filter(user_roles::unit_id.eq(unit_id)),
    ))
    .get_result(conn)
}

/// The units where the account holds the role.
pub fn units_held(conn: &mut DbConn, user_id: i64, role: Role) -> QueryResult<Vec<i64>> {
    user_roles::table
        .filter(user_roles::user_id.eq(user_id))
        .filter(user_roles::role.eq(role))
        .select(user_roles::unit_id)
        .load(conn)
}

/// Creates an account and answers it as stored.
pub fn insert(conn: &mut DbConn, user: &NewUser<'_>) -> QueryResult<UserRow> {
    let id: i64 = diesel::insert_into(users::table).values(user).returning(users::id).get_result(conn)?;
    get(conn, id)
}

/// One change to an account's own fields.
pub enum AccountField<'a> {
    DisplayName(&'a str),
    Phone(Option<&'a str>),
    Active(bool),
}

pub fn set_field(conn: &mut DbConn, id: i64, field: AccountField<'_>) -> QueryResult<()> {
    let target = users::table.find(id);
    match field {
        AccountField::DisplayName(name) => diesel::update(target).set(users::display_name.eq(name)).execute(conn),
        AccountField::Phone(phone) => diesel::update(target).set(users::phone.eq(phone)).execute(conn),
        AccountField::Active(active) => diesel::update(target).set(users::active.eq(active)).execute(conn),
    }
    .map(drop)
}

/// Marks an account changed at `now`.
pub fn touch(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.find(id)).set(users::updated_at.eq(now)).execute(conn).map(drop)
}

/// Stores a new password hash; `must_change` makes the person choose another at the next sign-in.
pub fn set_password(
    conn: &mut DbConn,
    id: i64,
    password_hash: &str,
    must_change: bool,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(password_hash),
            users::must_change_password.eq(must_change),
            users::updated_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}
