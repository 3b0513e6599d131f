//! Satisfaction per department over a week or a month (第六条′, and 附件3's 测评满意率 read the same ratings): which
//! ratings fall in a period follows docs/api.md, "Weeks that cross a month".

use std::collections::HashMap;

use actix_web::web;
use chrono::{Datelike, Duration, NaiveDate, TimeZone};
use serde::Deserialize;
use shared::dto::UnitRef;
use shared::voice::{satisfaction_rate, DepartmentSatisfaction, SatisfactionReport, SATISFACTION_RULE};
use shared::{ApiError, OrgKind};

use crate::auth::AuthUser;
use crate::db;
use crate::db::models::RatingRow;
use crate::error::AppError;
use crate::regulation::rounds::week_start;
use crate::state::AppState;
use crate::views::people::unit_ref_short;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ResultParams {
    /// week or month.
    pub period: String,
    /// A day within the period, YYYY-MM-DD; today when absent.
    pub date: Option<String>,
    /// One street (city roles); street roles always see their own.
    pub street_id: Option<i64>,
}

/// The answer counts of ratings, as (satisfied, basically, dissatisfied).
fn count_answers(rows: &[&RatingRow]) -> (i64, i64, i64) {
    let mut c = (0, 0, 0);
    for r in rows {
        crate::stats::tally(&mut c, r.answers());
    }
    c
}

fn satisfaction(department: UnitRef, rows: &[&RatingRow]) -> DepartmentSatisfaction {
    let (satisfied, basically, dissatisfied) = count_answers(rows);
    DepartmentSatisfaction {
        department,
        resident_ratings: rows.iter().filter(|r| r.item_id.is_some()).count() as i64,
        staff_ratings: rows.iter().filter(|r| r.round_id.is_some()).count() as i64,
        satisfied,
        basically,
        dissatisfied,
        rate: satisfaction_rate(satisfied, basically, dissatisfied),
    }
}

/// Satisfaction per department over a week or a month, for a street or the city.
#[utoipa::path(get, path = "/api/evaluation/results", tag = "voice", security(("bearer" = [])), params(ResultParams),
    responses((status = 200, body = SatisfactionReport), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn results(
    state: web::Data<AppState>,
    user: AuthUser,
    params: web::Query<ResultParams>,
) -> Result<web::Json<SatisfactionReport>, AppError> {
    let params = params.into_inner();
    let today = state.tz.from_utc_datetime(&state.clock.now_naive()).date_naive();
    let day = match params.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => today,
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .ok()
            .filter(|d| (2000..=2100).contains(&d.year()))
            .ok_or_else(|| AppError::field("date", "日期格式应为 YYYY-MM-DD（2000至2100年）"))?,
    };
    let (from, to) = match params.period.as_str() {
        "week" => (week_start(day), week_start(day) + Duration::days(6)),
        "month" => match crate::stats::month_days(day.year(), day.month()) {
            Some((first, next)) => (first, next - Duration::days(1)),
            None => return Err(AppError::field("date", "日期不正确")),
        },
        _ => return Err(AppError::field("period", "统计周期应为 week（周）或 month（月）")),
    };
    let week = params.period == "week";
    let city_wide = user.roles.iter().any(|b| b.unit.kind == OrgKind::City);
    let own_streets: Vec<i64> =
        user.roles.iter().filter(|b| b.unit.kind == OrgKind::Street).map(|b| b.unit.id).collect();
    let own_departments: Vec<i64> =
        user.roles.iter().filter(|b| b.unit.kind == OrgKind::Department).map(|b| b.unit.id).collect();
    let street_id = match params.street_id {
        Some(s) if city_wide || own_streets.contains(&s) => Some(s),
        Some(_) => return Err(AppError::forbidden()),
        None if city_wide || !own_departments.is_empty() => None,
        None => match own_streets.first() {
            Some(s) => Some(*s),
            None => return Err(AppError::forbidden()),
        },
    };
    state
        .db
        .read(move |conn| {
            // A month: every rating first given in it. A week: the residents' ratings given in it, and the ratings
            // of the week's rounds, whenever in the following week they were given.
            let rows = if week {
                db::evaluation::ratings_of_week(conn, from, to, street_id)?
            } else {
                db::evaluation::ratings_first_given_between(conn, from, to, street_id)?
            };
            let round_depts = db::evaluation::departments_of_rounds_between(conn, week_start(from), to, street_id)?;
            let mut by_dept: HashMap<i64, Vec<&RatingRow>> = HashMap::new();
            for r in &rows {
                if let Some(d) = r.department_id {
                    by_dept.entry(d).or_default().push(r);
                }
            }
            for d in round_depts {
                by_dept.entry(d).or_default();
            }
            if !city_wide && street_id.is_none() {
                by_dept.retain(|d, _| own_departments.contains(d));
            }
            let ids: Vec<i64> = by_dept.keys().copied().collect();
            let depts = db::org::by_ids(conn, &ids)?;
            let mut departments: Vec<DepartmentSatisfaction> =
                depts.iter().map(|d| satisfaction(unit_ref_short(d), &by_dept[&d.id])).collect();
            departments.sort_by(|a, b| {
                b.rate
                    .unwrap_or(-1.0)
                    .total_cmp(&a.rate.unwrap_or(-1.0))
                    .then_with(|| a.department.name.cmp(&b.department.name))
            });
            let street = match street_id {
                Some(s) => {
                    let u = db::org::get(conn, s)?;
                    Some(unit_ref_short(&u))
                }
                None => None,
            };
            let all: Vec<&RatingRow> = if !city_wide && street_id.is_none() {
                by_dept.values().flatten().copied().collect()
            } else {
                rows.iter().collect()
            };
            let whole = UnitRef { id: 0, kind: OrgKind::City, name: "合计".into(), full_name: "合计".into() };
            Ok(SatisfactionReport {
                from,
                to,
                street,
                departments,
                overall: satisfaction(whole, &all),
                rule: SATISFACTION_RULE.into(),
            })
        })
        .await
        .map(web::Json)
}
