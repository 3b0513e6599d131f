//! 定点接待 (第六条4): the reception schedule — each street leader at the stations they are responsible for (包保) at
//! least once a month, each community secretary on a fixed weekday — its gaps and clashes, and each reception's record.

use actix_web::{web, HttpResponse};
use chrono::{Duration, TimeZone};
use shared::channels::{
    NewReception, NewReceptionPlan, Reception, ReceptionHost, ReceptionPlan, ReceptionSchedule, MAX_NOTE_CHARS,
};
use shared::{ApiError, OrgKind, Role};

use super::support;
use super::support::MonthParams;
use crate::auth::AuthUser;
use crate::db::models::{ReceptionRow, UnitRow};
use crate::db::org::PlaceLine;
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use crate::views::people;
use crate::views::reception::{month_schedule, plan_dtos, reception_dto, ScheduleScope};

/// The role a host receives with at a station: a street leader of its street or a secretary of its community.
fn host_role(conn: &mut DbConn, host_id: i64, station: &UnitRow) -> Result<Option<Role>, AppError> {
    let line = PlaceLine::of(conn, station)?;
    if let Some(street) = line.street_id {
        if db::accounts::holds(conn, host_id, Role::StreetLeader, street)? {
            return Ok(Some(Role::StreetLeader));
        }
    }
    if let Some(community) = line.community_id {
        if db::accounts::holds(conn, host_id, Role::CommunitySecretary, community)? {
            return Ok(Some(Role::CommunitySecretary));
        }
    }
    Ok(None)
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct HostsParams {
    /// The station.
    pub station_id: i64,
}

/// Who may hold a reception at a station (the forms offer them): the 街道书记/主任 of its street, then the 社区书记 of
/// its community, active accounts only.
#[utoipa::path(get, path = "/api/receptions/hosts", tag = "routines", security(("bearer" = [])), params(HostsParams),
    responses((status = 200, body = [ReceptionHost]), (status = 404, body = ApiError)))]
pub async fn hosts(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<HostsParams>,
) -> Result<web::Json<Vec<ReceptionHost>>, AppError> {
    let station_id = q.into_inner().station_id;
    let hosts = state
        .db
        .read(move |conn| {
            let station = support::visible_unit(conn, &user, station_id, OrgKind::Station)?;
            let line = PlaceLine::of(conn, &station)?;
            let mut out = Vec::new();
            for (role, unit) in [(Role::StreetLeader, line.street_id), (Role::CommunitySecretary, line.community_id)] {
                let Some(unit) = unit else { continue };
                for host in people::holders(conn, role, &[unit])?.remove(&unit).unwrap_or_default() {
                    out.push(ReceptionHost { host, host_role: role.label().to_string() });
                }
            }
            Ok(out)
        })
        .await?;
    Ok(web::Json(hosts))
}

/// Puts a reception on the schedule: weekly on a weekday, or once on a day.
#[utoipa::path(post, path = "/api/reception-plans", tag = "routines", security(("bearer" = [])), request_body = NewReceptionPlan,
    responses((status = 201, body = ReceptionPlan), (status = 422, body = ApiError)))]
pub async fn add_plan(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<NewReceptionPlan>,
) -> Result<HttpResponse, AppError> {
    let body = body.into_inner();
    match (body.weekday, body.on_date) {
        (Some(w), None) if (1..=7).contains(&w) => {}
        (Some(_), None) => return Err(AppError::field("weekday", "星期应在1（周一）到7（周日）之间")),
        (None, Some(_)) => {}
        _ => return Err(AppError::field("weekday", "请选择每周固定的星期，或某一天（二选一）")),
    }
    let now = state.clock.now_naive();
    let today = state.tz.from_utc_datetime(&now).date_naive();
    if let Some(d) = body.on_date {
        if d < today - Duration::days(62) || d > today + Duration::days(366) {
            return Err(AppError::field("on_date", "日期应在两个月前到一年内之间"));
        }
    }
    let plan = state
        .db
        .write(move |conn| {
            let station = support::recording_unit(conn, &user, "station_id", body.station_id, OrgKind::Station)?;
            if host_role(conn, body.host_id, &station)?.is_none() {
                return Err(AppError::field("host_id", "接待人应为本街道的书记/主任或本社区书记"));
            }
            let plan = db::routines::NewPlan {
                host_id: body.host_id,
                station_id: station.id,
                weekday: body.weekday.map(|w| w as i32),
                on_date: body.on_date,
                created_by: user.id(),
                created_at: now,
            };
            if db::routines::same_active_reception_plan(conn, &plan)?.is_some() {
                return Err(AppError::conflict("该接待安排已在日程上"));
            }
            let row = db::routines::insert_reception_plan(conn, &plan)?;
            Ok(plan_dtos(conn, &[row])?.remove(0))
        })
        .await?;
    Ok(HttpResponse::Created().json(plan))
}

/// Takes a reception off the schedule (kept for the history).
#[utoipa::path(delete, path = "/api/reception-plans/{id}", tag = "routines", security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ApiError)))]
pub async fn remove_plan(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    state
        .db
        .write(move |conn| {
            let row = db::routines::reception_plan(conn, id)?.ok_or_else(|| AppError::not_found("该接待安排"))?;
            let station = db::org::get(conn, row.station_id)?;
            if !support::records_at(&user, &station) {
                return Err(AppError::not_found("该接待安排"));
            }
            db::routines::deactivate_reception_plan(conn, id)?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Records a reception. The same record sent again answers the reception already made.
#[utoipa::path(post, path = "/api/receptions", tag = "routines", security(("bearer" = [])), request_body = NewReception,
    responses((status = 201, body = Reception), (status = 200, description = "the same record again", body = Reception),
              (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn record(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<NewReception>,
) -> Result<HttpResponse, AppError> {
    let body = body.into_inner();
    let id = support::parse_uuid("id", &body.id)?;
    let now = state.clock.now_naive();
    support::past_day("held_on", body.held_on, state.tz.from_utc_datetime(&now).date_naive())?;
    if body.residents > 9999 {
        return Err(AppError::field("residents", "接待人数应在0到9999之间"));
    }
    let notes = support::optional_text("notes", "接待记录", &body.notes, MAX_NOTE_CHARS)?;
    let host_id = body.host_id.unwrap_or(user.id());
    let hash = support::request_hash(&body)?;
    let (reception, created) = state
        .db
        .write(move |conn| {
            if let Some(existing) = db::routines::reception(conn, &id)? {
                if existing.request_hash == hash && existing.recorded_by == user.id() {
                    return Ok((reception_dto(conn, &existing)?, false));
                }
                return Err(support::id_taken("接待"));
            }
            let station = support::recording_unit(conn, &user, "station_id", body.station_id, OrgKind::Station)?;
            if host_role(conn, host_id, &station)?.is_none() {
                return Err(AppError::field("host_id", "接待人应为本街道的书记/主任或本社区书记"));
            }
            let row = ReceptionRow {
                id,
                station_id: station.id,
                host_id,
                held_on: body.held_on,
                residents: body.residents as i32,
                notes,
                recorded_by: user.id(),
                request_hash: hash,
                created_at: now,
            };
            db::routines::insert_reception(conn, &row)?;
            Ok((reception_dto(conn, &row)?, true))
        })
        .await?;
    Ok(if created { HttpResponse::Created().json(reception) } else { HttpResponse::Ok().json(reception) })
}

/// One reception with the items raised at it.
#[utoipa::path(get, path = "/api/receptions/{id}", tag = "routines", security(("bearer" = [])),
    responses((status = 200, body = Reception), (status = 404, body = ApiError)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<Reception>, AppError> {
    let id = id.into_inner();
    state
        .db
        .read(move |conn| {
            let row = db::routines::reception(conn, &id)?.ok_or_else(|| AppError::not_found("该接待"))?;
            support::visible_unit(conn, &user, row.station_id, OrgKind::Station)
                .map_err(|_| AppError::not_found("该接待"))?;
            reception_dto(conn, &row)
        })
        .await
        .map(web::Json)
}

/// The month's schedule in the viewer's scope: every planned or held reception by day, stations with none (gaps),
/// a host at two stations on one day (clashes), community secretaries without a fixed weekday and street leaders
/// with no reception this month.
#[utoipa::path(get, path = "/api/receptions/schedule", tag = "routines", security(("bearer" = [])), params(MonthParams),
    responses((status = 200, body = ReceptionSchedule), (status = 422, body = ApiError)))]
pub async fn schedule(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<MonthParams>,
) -> Result<web::Json<ReceptionSchedule>, AppError> {
    let q = q.into_inner();
    let (year, month) = crate::stats::month_param(state.tz, state.clock.now_naive(), q.year, q.month)?;
    let (first, next) = crate::stats::month_days(year, month).ok_or_else(|| AppError::field("month", "月份不正确"))?;
    state
        .db
        .read(move |conn| {
            let scope = ScheduleScope {
                stations: support::units_in_scope(conn, &user, OrgKind::Station, None)?,
                streets: support::units_in_scope(conn, &user, OrgKind::Street, None)?,
                communities: support::units_in_scope(conn, &user, OrgKind::Community, None)?,
            };
            month_schedule(conn, year, month, first, next, &scope)
        })
        .await
        .map(web::Json)
}
