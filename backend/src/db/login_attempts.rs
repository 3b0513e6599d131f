//! Queries on sign-in attempts, which the throttle counts per account and per address.

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, max};
use diesel::prelude::*;

use super::models::NewLoginAttempt;
use super::schema::login_attempts;
use super::DbConn;

/// When the text typed as login last signed in successfully.
pub fn last_success(conn: &mut DbConn, login: &str) -> QueryResult<Option<NaiveDateTime>> {
    login_attempts::table
        .filter(login_attempts::login.eq(login))
        .filter(login_attempts::succeeded.eq(true))
        .select(max(login_attempts::at))
        .first(conn)
}

/// Failed attempts with this login after `since`.
pub fn failures_of_login(conn: &mut DbConn, login: &str, since: NaiveDateTime) -> QueryResult<i64> {
    login_attempts::table
        .filter(login_attempts::login.eq(login))
        .filter(login_attempts::succeeded.eq(false))
        .filter(login_attempts::at.gt(since))
        .select(count_star())
        .first(conn)
}

/// Failed attempts from this address after `since`.
pub fn failures_from(conn: &mut DbConn, ip: &str, since: NaiveDateTime) -> QueryResult<i64> {
    login_attempts::table
        .filter(login_attempts::ip.eq(ip))
        .filter(login_attempts::succeeded.eq(false))
        .filter(login_attempts::at.gt(since))
        .select(count_star())
        .first(conn)
}

pub fn insert(conn: &mut DbConn, attempt: &NewLoginAttempt<'_>) -> QueryResult<()> {
    diesel::insert_into(login_attempts::table).values(attempt).execute(conn).map(drop)
}

/// Forgets the attempts made before `before`.
pub fn forget_before(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<()> {
    diesel::delete(login_attempts::table.filter(login_attempts::at.lt(before))).execute(conn).map(drop)
}
