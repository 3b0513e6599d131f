//! Sign-in throttling, per account and per address, kept in the database so it holds across several instances.
//! An account is paused after too many failures in the window since its last success; an address after too many
//! failures in the window whatever the account.

use chrono::{Duration, NaiveDateTime};
use diesel::dsl::{count_star, max};
use diesel::prelude::*;
use shared::ErrorCode;

use crate::configuration::Settings;
use crate::db::models::NewLoginAttempt;
use crate::db::schema::login_attempts;
use crate::db::DbConn;
use crate::error::AppError;

pub fn check(
    conn: &mut DbConn,
    login: &str,
    ip: &str,
    now: NaiveDateTime,
    settings: &Settings,
) -> Result<(), AppError> {
    let window_start = now - Duration::minutes(settings.login_window_minutes);
    let last_success: Option<NaiveDateTime> = login_attempts::table
        .filter(login_attempts::login.eq(login))
        .filter(login_attempts::succeeded.eq(true))
        .select(max(login_attempts::at))
        .first(conn)?;
    let since = last_success.map_or(window_start, |s| s.max(window_start));
    let account_failures: i64 = login_attempts::table
        .filter(login_attempts::login.eq(login))
        .filter(login_attempts::succeeded.eq(false))
        .filter(login_attempts::at.gt(since))
        .select(count_star())
        .first(conn)?;
    let ip_failures: i64 = login_attempts::table
        .filter(login_attempts::ip.eq(ip))
        .filter(login_attempts::succeeded.eq(false))
        .filter(login_attempts::at.gt(window_start))
        .select(count_star())
        .first(conn)?;
    if account_failures >= settings.login_max_failures_per_account || ip_failures >= settings.login_max_failures_per_ip
    {
        return Err(AppError::new(
            ErrorCode::TooManyRequests,
            format!("登录失败次数过多，请{}分钟后再试", settings.login_window_minutes),
        ));
    }
    Ok(())
}

pub fn record(conn: &mut DbConn, login: &str, ip: &str, succeeded: bool, now: NaiveDateTime) -> Result<(), AppError> {
    diesel::insert_into(login_attempts::table)
        .values(NewLoginAttempt { login, ip, succeeded, at: now })
        .execute(conn)?;
    // Old attempts no longer count for anything.
    diesel::delete(login_attempts::table.filter(login_attempts::at.lt(now - Duration::days(2)))).execute(conn)?;
    Ok(())
}
