//! The clocks' settings (calendar or working days) and the holiday table with its 调休 make-up working days,
//! edited and imported a year at a time by the city's administrator.

use actix_web::web;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use shared::journey::{ClockSettings, Holiday, HolidayYear};

use crate::auth::AuthUser;
use crate::db;
use crate::db::models::HolidayRow;
use crate::error::AppError;
use crate::regulation::deadlines::{self, WORKING_DAYS_KEY};
use crate::state::AppState;

/// How the clocks count days.
#[utoipa::path(get, path = "/api/settings/clock", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = ClockSettings)))]
pub async fn get_clock(state: web::Data<AppState>, _user: AuthUser) -> Result<web::Json<ClockSettings>, AppError> {
    state.db.read(|conn| Ok(deadlines::clock_settings(conn)?)).await.map(web::Json)
}

/// Switches the clocks between calendar and working days, and sets the city's own clocks (本市规定). Deadlines
/// already set stay; new ones follow.
#[utoipa::path(put, path = "/api/settings/clock", tag = "settings", security(("bearer" = [])),
    request_body = ClockSettings, responses((status = 200, body = ClockSettings), (status = 403, body = shared::ApiError)))]
pub async fn put_clock(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<ClockSettings>,
) -> Result<web::Json<ClockSettings>, AppError> {
    user.require_city_admin()?;
    let working = body.working_days;
    let city = body.city;
    if let Some(refused) = city.and_then(|c| shared::ApiError::from_problems(c.problems())) {
        return Err(AppError::Api(refused));
    }
    let now = state.clock.now_naive();
    state
        .db
        .write(move |conn| {
            let before = deadlines::clock_settings(conn)?;
            db::settings::set(conn, WORKING_DAYS_KEY, &working.to_string())?;
            if let Some(city) = city {
                let json = serde_json::to_string(&city).map_err(|e| AppError::Internal(e.into()))?;
                db::settings::set(conn, deadlines::CITY_CLOCKS_KEY, &json)?;
            }
            let after = deadlines::clock_settings(conn)?;
            db::audit::record(
                conn,
                now,
                Some(user.id()),
                "clock.settings",
                "settings",
                None,
                serde_json::json!({ "before": before, "after": after }),
            )?;
            Ok(after)
        })
        .await
        .map(web::Json)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct YearParams {
    /// The year, e.g. 2026.
    pub year: i32,
}

fn year_rows(conn: &mut db::DbConn, year: i32) -> Result<Vec<Holiday>, AppError> {
    let (from, to) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31));
    let (Some(from), Some(to)) = (from, to) else {
        return Err(AppError::field("year", "年份不正确"));
    };
    Ok(db::settings::holidays_between(conn, from, to)?
        .into_iter()
        .map(|r| Holiday { day: r.day, workday: r.workday, name: r.name })
        .collect())
}

/// One year of the holiday table.
#[utoipa::path(get, path = "/api/holidays", tag = "settings", security(("bearer" = [])), params(YearParams),
    responses((status = 200, body = Vec<Holiday>)))]
pub async fn list_holidays(
    state: web::Data<AppState>,
    _user: AuthUser,
    params: web::Query<YearParams>,
) -> Result<web::Json<Vec<Holiday>>, AppError> {
    let year = params.year;
    state.db.read(move |conn| year_rows(conn, year)).await.map(web::Json)
}

/// Replaces one year of the holiday table, all or nothing.
#[utoipa::path(put, path = "/api/holidays/{year}", tag = "settings", security(("bearer" = [])),
    request_body = HolidayYear,
    responses((status = 200, body = Vec<Holiday>), (status = 403, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
pub async fn put_holidays(
    state: web::Data<AppState>,
    user: AuthUser,
    year: web::Path<i32>,
    body: web::Json<HolidayYear>,
) -> Result<web::Json<Vec<Holiday>>, AppError> {
    user.require_city_admin()?;
    let year = year.into_inner();
    if !(2000..=2100).contains(&year) {
        return Err(AppError::field("year", "年份应在2000到2100之间"));
    }
    let mut rows = Vec::new();
    for (i, d) in body.into_inner().days.into_iter().enumerate() {
        if d.day.year() != year {
            return Err(AppError::field(&format!("days[{i}].day"), format!("{} 不在{year}年内", d.day)));
        }
        if rows.iter().any(|r: &HolidayRow| r.day == d.day) {
            return Err(AppError::field(&format!("days[{i}].day"), format!("{} 重复了", d.day)));
        }
        let name = d.name.trim().to_string();
        if name.chars().count() > 40 {
            return Err(AppError::field(&format!("days[{i}].name"), "名称不能超过40个字"));
        }
        rows.push(HolidayRow { day: d.day, workday: d.workday, name });
    }
    let now = state.clock.now_naive();
    state
        .db
        .write(move |conn| {
            let (Some(from), Some(to)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31))
            else {
                return Err(AppError::field("year", "年份不正确"));
            };
            db::settings::replace_holidays(conn, from, to, &rows)?;
            db::audit::record(
                conn,
                now,
                Some(user.id()),
                "holidays.replace",
                "holidays",
                None,
                serde_json::json!({ "year": year, "days": rows.len() }),
            )?;
            year_rows(conn, year)
        })
        .await
        .map(web::Json)
}
