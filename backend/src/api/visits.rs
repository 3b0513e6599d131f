//! The grid leader's day (第六条2): the grid's three visit registers, visits and WeChat-group notes recorded in two
//! taps (idempotent on the client's id), the day's report to the station head, and the station's coverage for the day
//! and the week with missed visits flagged.

use actix_web::{web, HttpResponse};
use chrono::{Datelike, Duration, NaiveDate, TimeZone};
use serde::Deserialize;
use shared::channels::{
    BuildingLeader, DayCoverage, GridCoverage, GridDay, NewVisit, NewVisitTarget, StationCoverage, UpdateVisitTarget,
    Visit, VisitKind, VisitTarget, MAX_NOTE_CHARS,
};
use shared::{ApiError, OrgKind, Role};

use super::support;
use crate::auth::AuthUser;
use crate::db;
use crate::db::items::RaisedAt;
use crate::db::models::{VisitRow, VisitTargetRow};
use crate::db::visits::NewTarget;
use crate::error::AppError;
use crate::state::AppState;
use crate::views::people;
use crate::views::visit;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct GridParams {
    /// The grid.
    pub grid_id: i64,
    /// Include entries taken off the register.
    #[serde(default)]
    pub all: bool,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct DayParams {
    /// The grid (day) or station (coverage); the viewer's own when absent.
    pub grid_id: Option<i64>,
    /// The station (coverage).
    pub station_id: Option<i64>,
    /// The day, city time; today when absent.
    pub date: Option<NaiveDate>,
}

/// A grid's registers, by register then name.
#[utoipa::path(get, path = "/api/visit-targets", tag = "routines", security(("bearer" = [])), params(GridParams),
    responses((status = 200, body = Vec<VisitTarget>), (status = 404, body = ApiError)))]
pub async fn targets(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<GridParams>,
) -> Result<web::Json<Vec<VisitTarget>>, AppError> {
    let q = q.into_inner();
    state
        .db
        .read(move |conn| {
            let grid = support::visible_unit(conn, &user, q.grid_id, OrgKind::Grid)?;
            let grid_ref = people::unit_ref(conn, &grid)?;
            let mut rows = db::visits::targets_of_grid(conn, grid.id, q.all)?;
            let order = |r: &VisitTargetRow| VisitKind::ALL.iter().position(|k| *k == r.register);
            rows.sort_by(|a, b| order(a).cmp(&order(b)).then_with(|| a.name.cmp(&b.name)));
            visit::target_dtos(conn, &rows, &grid_ref)
        })
        .await
        .map(web::Json)
}

/// Puts someone or somewhere on a grid's register (grid leader, station head and above).
#[utoipa::path(post, path = "/api/visit-targets", tag = "routines", security(("bearer" = [])), request_body = NewVisitTarget,
    responses((status = 201, body = VisitTarget), (status = 422, body = ApiError)))]
pub async fn add_target(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<NewVisitTarget>,
) -> Result<HttpResponse, AppError> {
    let body = body.into_inner();
    if !body.register.is_register() {
        return Err(AppError::field("register", "请选择特殊群体、诉求较多居民或问题较多小区"));
    }
    let name = support::required_text("name", "名称", &body.name, 60)?;
    let address = support::optional_text("address", "地址", body.address.as_deref().unwrap_or(""), 200)?;
    let note = support::optional_text("note", "说明", body.note.as_deref().unwrap_or(""), 200)?;
    let now = state.clock.now_naive();
    let target = state
        .db
        .write(move |conn| {
            let grid = support::recording_unit(conn, &user, "grid_id", body.grid_id, OrgKind::Grid)?;
            let row = db::visits::insert_target(
                conn,
                &NewTarget {
                    grid_id: grid.id,
                    register: body.register,
                    name: &name,
                    address: (!address.is_empty()).then_some(address.as_str()),
                    note: (!note.is_empty()).then_some(note.as_str()),
                    created_by: user.id(),
                    created_at: now,
                },
            )?;
            Ok(visit::target_dto(&row, &people::unit_ref(conn, &grid)?, None))
        })
        .await?;
    Ok(HttpResponse::Created().json(target))
}

/// Corrects a register entry or takes it off the register (kept for the history of its visits).
#[utoipa::path(patch, path = "/api/visit-targets/{id}", tag = "routines", security(("bearer" = [])), request_body = UpdateVisitTarget,
    responses((status = 200, body = VisitTarget), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn update_target(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: web::Json<UpdateVisitTarget>,
) -> Result<web::Json<VisitTarget>, AppError> {
    let body = body.into_inner();
    let id = id.into_inner();
    let name = body.name.as_deref().map(|n| support::required_text("name", "名称", n, 60)).transpose()?;
    let address = body.address.as_deref().map(|a| support::optional_text("address", "地址", a, 200)).transpose()?;
    let note = body.note.as_deref().map(|n| support::optional_text("note", "说明", n, 200)).transpose()?;
    state
        .db
        .write(move |conn| {
            let mut row = db::visits::target(conn, id)?.ok_or_else(|| AppError::not_found("该登记对象"))?;
            let grid = db::org::get(conn, row.grid_id)?;
            if !support::records_at(&user, &grid) {
                return Err(AppError::not_found("该登记对象"));
            }
            let blank = |s: String| (!s.is_empty()).then_some(s);
            if let Some(name) = name {
                row.name = name;
            }
            if let Some(address) = address {
                row.address = blank(address);
            }
            if let Some(note) = note {
                row.note = blank(note);
            }
            row.active = body.active.unwrap_or(row.active);
            db::visits::save_target(conn, &row)?;
            let grid_ref = people::unit_ref(conn, &grid)?;
            Ok(visit::target_dtos(conn, &[row], &grid_ref)?.remove(0))
        })
        .await
        .map(web::Json)
}

/// The grid the account records visits for when it names none: its only grid-leader grid.
fn own_grid(user: &AuthUser) -> Result<i64, AppError> {
    let grids: Vec<i64> = user.roles.iter().filter(|b| b.role == Role::GridLeader).map(|b| b.unit.id).collect();
    match grids.as_slice() {
        [one] => Ok(*one),
        [] => Err(AppError::field("grid_id", "请选择网格")),
        _ => Err(AppError::field("grid_id", "您负责多个网格，请选择网格")),
    }
}

/// Records a visit or a WeChat-group note. The same record sent again answers the visit already made.
#[utoipa::path(post, path = "/api/visits", tag = "routines", security(("bearer" = [])), request_body = NewVisit,
    responses((status = 201, body = Visit), (status = 200, description = "the same record again", body = Visit),
              (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn record(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<NewVisit>,
) -> Result<HttpResponse, AppError> {
    let body = body.into_inner();
    let id = support::parse_uuid("id", &body.id)?;
    let grid_id = match body.grid_id {
        Some(g) => g,
        None => own_grid(&user)?,
    };
    let note = support::required_text("note", "走访情况", &body.note, MAX_NOTE_CHARS)?;
    let photo_id = body.photo_id.as_deref().map(|p| support::parse_uuid("photo_id", p)).transpose()?;
    match (body.kind.is_register(), body.target_id) {
        (true, None) => return Err(AppError::field("target_id", "请选择走访对象")),
        (false, Some(_)) => return Err(AppError::field("target_id", "网格微信群记录不选走访对象")),
        _ => {}
    }
    let now = state.clock.now_naive();
    let visited_at = body.visited_at.map(|t| t.naive_utc()).unwrap_or(now);
    if visited_at > now + Duration::minutes(10) {
        return Err(AppError::field("visited_at", "走访时间不能晚于现在"));
    }
    let today = state.tz.from_utc_datetime(&now).date_naive();
    let day = state.tz.from_utc_datetime(&visited_at).date_naive();
    let too_old = day < today - Duration::days(1);
    let hash = support::request_hash(&body)?;
    let st = state.clone();
    let (visit, created) = state
        .db
        .write(move |conn| {
            if let Some(existing) = db::visits::get(conn, &id)? {
                if existing.request_hash == hash && existing.visitor_id == user.id() {
                    return Ok((visit::visit_dtos(conn, &st, &[existing])?.remove(0), false));
                }
                return Err(support::id_taken("走访"));
            }
            // Checked after the replay above: a visit that landed and is sent again days later is still that visit.
            if too_old {
                return Err(AppError::field("visited_at", "只能补记昨天和今天的走访"));
            }
            let grid = support::recording_unit(conn, &user, "grid_id", grid_id, OrgKind::Grid)?;
            if let Some(target_id) = body.target_id {
                match db::visits::target(conn, target_id)? {
                    Some(t) if t.grid_id == grid.id && t.register == body.kind && t.active => {}
                    Some(t) if t.grid_id == grid.id && t.register != body.kind => {
                        return Err(AppError::field("target_id", "走访对象不在这一类登记册上"))
                    }
                    _ => return Err(AppError::field("target_id", "走访对象不在本网格的登记册上")),
                }
            }
            if let Some(pid) = &photo_id {
                let used = db::visits::photo_in_use(conn, pid)?;
                match db::items::photo(conn, pid)? {
                    Some(p) if p.uploader_id == user.id() && p.item_id.is_none() && !used => {}
                    Some(_) if used => return Err(AppError::field("photo_id", "这张照片已属于另一次走访")),
                    _ => return Err(AppError::field("photo_id", "照片尚未上传成功，请重试上传")),
                }
                db::items::set_photo_purpose(conn, pid, "visit")?;
            }
            let row = VisitRow {
                id: id.clone(),
                grid_id: grid.id,
                visitor_id: user.id(),
                kind: body.kind,
                target_id: body.target_id,
                visited_at,
                day,
                note,
                photo_id,
                request_hash: hash,
                created_at: now,
            };
            db::visits::insert(conn, &row)?;
            Ok((visit::visit_dtos(conn, &st, &[row])?.remove(0), true))
        })
        .await?;
    Ok(if created { HttpResponse::Created().json(visit) } else { HttpResponse::Ok().json(visit) })
}

fn day_param(state: &AppState, date: Option<NaiveDate>) -> Result<(NaiveDate, NaiveDate), AppError> {
    let today = state.tz.from_utc_datetime(&state.clock.now_naive()).date_naive();
    let date = date.unwrap_or(today);
    if date.year() < 2000 || date.year() > 2100 {
        return Err(AppError::field("date", "日期不正确"));
    }
    Ok((date, today))
}

/// A grid's day: the three register slots, the WeChat notes, the items raised — the daily report to the station head.
#[utoipa::path(get, path = "/api/visits/day", tag = "routines", security(("bearer" = [])), params(DayParams),
    responses((status = 200, body = GridDay), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn day(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<DayParams>,
) -> Result<web::Json<GridDay>, AppError> {
    let q = q.into_inner();
    let (date, _) = day_param(&state, q.date)?;
    let grid_id = match q.grid_id {
        Some(g) => g,
        None => own_grid(&user)?,
    };
    let st = state.clone();
    state
        .db
        .read(move |conn| {
            let grid = support::visible_unit(conn, &user, grid_id, OrgKind::Grid)?;
            let grid_ref = people::unit_ref(conn, &grid)?;
            let leaders = people::holders(conn, Role::GridLeader, &[grid.id])?.remove(&grid.id).unwrap_or_default();
            let rows = db::visits::between(conn, &[grid.id], date, date)?;
            visit::grid_day(conn, &st, &grid_ref, leaders, date, &rows)
        })
        .await
        .map(web::Json)
}

/// The station a coverage request is about: the one asked for, or the viewer's own station.
fn coverage_station(user: &AuthUser, asked: Option<i64>) -> Result<i64, AppError> {
    if let Some(s) = asked {
        return Ok(s);
    }
    let own: Vec<i64> = user.roles.iter().filter(|b| b.unit.kind == OrgKind::Station).map(|b| b.unit.id).collect();
    match own.as_slice() {
        [one] => Ok(*one),
        _ => Err(AppError::field("station_id", "请选择党群服务站")),
    }
}

/// Each grid of a station: the day in full (the daily report) and Monday to Sunday of its week, a past day with a
/// register not visited flagged as missed.
#[utoipa::path(get, path = "/api/visits/coverage", tag = "routines", security(("bearer" = [])), params(DayParams),
    responses((status = 200, body = StationCoverage), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn coverage(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<DayParams>,
) -> Result<web::Json<StationCoverage>, AppError> {
    let q = q.into_inner();
    let (date, today) = day_param(&state, q.date)?;
    let station_id = coverage_station(&user, q.station_id)?;
    let week_start = date - Duration::days(date.weekday().num_days_from_monday() as i64);
    let week_end = week_start + Duration::days(6);
    let st = state.clone();
    state
        .db
        .read(move |conn| {
            let station = support::visible_unit(conn, &user, station_id, OrgKind::Station)?;
            let grids = db::org::active_children(conn, station.id, OrgKind::Grid)?;
            let grid_ids: Vec<i64> = grids.iter().map(|g| g.id).collect();
            let refs = people::unit_refs(conn, &grids)?;
            let mut leaders = people::holders(conn, Role::GridLeader, &grid_ids)?;
            let rows = db::visits::between(conn, &grid_ids, week_start, week_end)?;
            let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
            let raised = db::items::raised_items(conn, RaisedAt::Visits(&ids))?;
            let mut out = Vec::new();
            for g in &grids {
                let grid_ref = refs.get(&g.id).cloned().ok_or_else(|| AppError::not_found("网格"))?;
                let grid_leaders = leaders.remove(&g.id).unwrap_or_default();
                let of_grid: Vec<&VisitRow> = rows.iter().filter(|r| r.grid_id == g.id).collect();
                let week: Vec<DayCoverage> = (0..7)
                    .map(|n| {
                        let d = week_start + Duration::days(n);
                        let of_day: Vec<&&VisitRow> = of_grid.iter().filter(|r| r.day == d).collect();
                        let missing: Vec<VisitKind> = VisitKind::REGISTERS
                            .iter()
                            .copied()
                            .filter(|k| !of_day.iter().any(|r| r.kind == *k))
                            .collect();
                        let items_raised = raised
                            .iter()
                            .filter(|i| of_day.iter().any(|r| i.visit_id.as_deref() == Some(r.id.as_str())))
                            .count() as u32;
                        DayCoverage {
                            date: d,
                            slots_done: (VisitKind::REGISTERS.len() - missing.len()) as u32,
                            missed: d < today && !missing.is_empty(),
                            future: d > today,
                            missing,
                            visits: of_day.len() as u32,
                            items_raised,
                        }
                    })
                    .collect();
                let day_rows: Vec<VisitRow> = of_grid.iter().filter(|r| r.day == date).map(|r| (*r).clone()).collect();
                let today_report = visit::grid_day(conn, &st, &grid_ref, grid_leaders.clone(), date, &day_rows)?;
                out.push(GridCoverage {
                    grid: grid_ref,
                    leaders: grid_leaders,
                    today: today_report,
                    missed_days: week.iter().filter(|d| d.missed).count() as u32,
                    week,
                });
            }
            Ok(StationCoverage { station: people::unit_ref(conn, &station)?, date, week_start, grids: out })
        })
        .await
        .map(web::Json)
}

/// The building leaders of a grid's buildings, to credit on an item a grid leader registers for them.
#[utoipa::path(get, path = "/api/building-leaders", tag = "routines", security(("bearer" = [])), params(GridParams),
    responses((status = 200, body = Vec<BuildingLeader>), (status = 404, body = ApiError)))]
pub async fn building_leaders(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<GridParams>,
) -> Result<web::Json<Vec<BuildingLeader>>, AppError> {
    let q = q.into_inner();
    state
        .db
        .read(move |conn| {
            let grid = support::visible_unit(conn, &user, q.grid_id, OrgKind::Grid)?;
            let buildings = db::org::active_children(conn, grid.id, OrgKind::Building)?;
            let refs = people::unit_refs(conn, &buildings)?;
            let holders =
                people::holders(conn, Role::BuildingLeader, &buildings.iter().map(|b| b.id).collect::<Vec<_>>())?;
            let mut out = Vec::new();
            for b in &buildings {
                for p in holders.get(&b.id).into_iter().flatten() {
                    if let Some(r) = refs.get(&b.id) {
                        out.push(BuildingLeader { person: p.clone(), building: r.clone() });
                    }
                }
            }
            Ok(out)
        })
        .await
        .map(web::Json)
}
