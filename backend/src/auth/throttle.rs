//! Sign-in throttling, per account and per address, kept in the database so it holds across several instances.
//! An account is paused after too many failures in the window since its last success; an address after too many
//! failures in the window whatever the account.

use chrono::{Duration, NaiveDateTime};
use shared::ErrorCode;

use crate::configuration::Settings;
use crate::db::login_attempts;
use crate::db::models::NewLoginAttempt;
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
    let last_success = login_attempts::last_success(conn, login)?;
    let since = last_success.map_or(window_start, |s| s.max(window_start));
    let account_failures = login_attempts::failures_of_login(conn, login, since)?;
    let ip_failures = login_attempts::failures_from(conn, ip, window_start)?;
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
    login_attempts::insert(conn, &NewLoginAttempt { login, ip, succeeded, at: now })?;
    // Old attempts no longer count for anything.
    login_attempts::forget_before(conn, now - Duration::days(2))?;
    Ok(())
}
