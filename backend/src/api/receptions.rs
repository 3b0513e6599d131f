//! 定点接待 (第六条4): the reception schedule — each street leader at the stations they are responsible for (包保) at
//! least once a month, each community secretary on a fixed weekday — its gaps and clashes, and each reception's record.

use std::collections::{BTreeMap, HashMap};

use actix_web::{web, HttpResponse};
use chrono::{Datelike, Duration, NaiveDate, TimeZone};
use shared::channels::{
    Clash, NewReception, NewReceptionPlan, Reception, ReceptionHost, ReceptionPlan, ReceptionSchedule,
    ScheduledReception, MAX_NOTE_CHARS,
};
use shared::dto::UnitRef;
use shared::item::PersonRef;
use shared::{ApiError, OrgKind, Role};

use super::support;
use super::support::MonthParams;
use crate::auth::AuthUser;
use crate::db::items::RaisedAt;
use crate::db::models::{ReceptionPlanRow, ReceptionRow, UnitRow};
use crate::db::org::PlaceLine;
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use crate::views::item::raised_item;
use crate::views::people::{self, person};

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

fn plan_dtos(conn: &mut DbConn, rows: &[ReceptionPlanRow]) -> Result<Vec<ReceptionPlan>, AppError> {
    let stations = db::org::by_ids(conn, &rows.iter().map(|r| r.station_id).collect::<Vec<_>>())?;
    let refs = people::unit_refs(conn, &stations)?;
    let people = people::people(conn, &rows.iter().map(|r| r.host_id).collect::<Vec<_>>())?;
    // Every plan's host role from a few queries, however many plans: the stations' streets and communities, and who
    // holds the two roles there.
    let mut above: Vec<i64> = stations.iter().flat_map(|s| s.path_ids()).collect();
    above.sort_unstable();
    above.dedup();
    let kinds: HashMap<i64, OrgKind> = db::org::by_ids(conn, &above)?.iter().map(|u| (u.id, u.kind)).collect();
    let line =
        |station: &UnitRow, kind: OrgKind| station.path_ids().into_iter().find(|id| kinds.get(id) == Some(&kind));
    let streets: Vec<i64> = stations.iter().filter_map(|s| line(s, OrgKind::Street)).collect();
    let communities: Vec<i64> = stations.iter().filter_map(|s| line(s, OrgKind::Community)).collect();
    let leaders = people::holders(conn, Role::StreetLeader, &streets)?;
    let secretaries = people::holders(conn, Role::CommunitySecretary, &communities)?;
    let holds = |held: &HashMap<i64, Vec<PersonRef>>, unit: Option<i64>, host: i64| {
        unit.and_then(|u| held.get(&u)).is_some_and(|people| people.iter().any(|p| p.id == host))
    };
    let mut out = Vec::new();
    for r in rows {
        let station = stations.iter().find(|s| s.id == r.station_id).ok_or_else(|| AppError::not_found("服务站"))?;
        let role = if holds(&leaders, line(station, OrgKind::Street), r.host_id) {
            Some(Role::StreetLeader)
        } else if holds(&secretaries, line(station, OrgKind::Community), r.host_id) {
            Some(Role::CommunitySecretary)
        } else {
            None
        };
        out.push(ReceptionPlan {
            id: r.id,
            host: person(&people, r.host_id),
            host_role: role.map_or("", |r| r.label()).to_string(),
            station: refs.get(&r.station_id).cloned().ok_or_else(|| AppError::not_found("服务站"))?,
            weekday: r.weekday.map(|w| w as u32),
            on_date: r.on_date,
        });
    }
    Ok(out)
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

fn reception_dto(conn: &mut DbConn, row: &ReceptionRow) -> Result<Reception, AppError> {
    let station = db::org::get(conn, row.station_id)?;
    let station = people::unit_ref(conn, &station)?;
    let people = people::people(conn, &[row.host_id, row.recorded_by])?;
    let items = db::items::raised_items(conn, RaisedAt::Reception(&row.id))?;
    Ok(Reception {
        id: row.id.clone(),
        station,
        host: person(&people, row.host_id),
        held_on: row.held_on,
        residents: row.residents.max(0) as u32,
        notes: row.notes.clone(),
        recorded_by: person(&people, row.recorded_by),
        items: items.iter().map(raised_item).collect(),
    })
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

/// The days of a month a plan falls on.
fn plan_days(plan: &ReceptionPlanRow, first: NaiveDate, next: NaiveDate) -> Vec<NaiveDate> {
    match (plan.weekday, plan.on_date) {
        (Some(w), _) => first
            .iter_days()
            .take_while(|d| *d < next)
            .filter(|d| d.weekday().number_from_monday() as i32 == w)
            .collect(),
        (None, Some(d)) if d >= first && d < next => vec![d],
        _ => Vec::new(),
    }
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
            let stations = support::units_in_scope(conn, &user, OrgKind::Station, None)?;
            let ids: Vec<i64> = stations.iter().map(|s| s.id).collect();
            let refs: HashMap<i64, UnitRef> = people::unit_refs(conn, &stations)?;
            let plans = db::routines::active_reception_plans_at(conn, &ids)?;
            let held = db::routines::receptions_held_between(conn, &ids, first, next)?;
            let mut host_ids: Vec<i64> =
                plans.iter().map(|p| p.host_id).chain(held.iter().map(|r| r.host_id)).collect();
            let streets = support::units_in_scope(conn, &user, OrgKind::Street, None)?;
            let communities = support::units_in_scope(conn, &user, OrgKind::Community, None)?;
            let leaders = people::holders(conn, Role::StreetLeader, &streets.iter().map(|s| s.id).collect::<Vec<_>>())?;
            let secretaries =
                people::holders(conn, Role::CommunitySecretary, &communities.iter().map(|c| c.id).collect::<Vec<_>>())?;
            host_ids.extend(leaders.values().flatten().chain(secretaries.values().flatten()).map(|p| p.id));
            let people = people::people(conn, &host_ids)?;

            let mut days: Vec<ScheduledReception> = Vec::new();
            for p in &plans {
                for d in plan_days(p, first, next) {
                    if let Some(station) = refs.get(&p.station_id) {
                        days.push(ScheduledReception {
                            date: d,
                            plan_id: Some(p.id),
                            host: person(&people, p.host_id),
                            station: station.clone(),
                            reception_id: None,
                        });
                    }
                }
            }
            for r in &held {
                let planned = days.iter_mut().find(|e| {
                    e.reception_id.is_none()
                        && e.date == r.held_on
                        && e.host.id == r.host_id
                        && e.station.id == r.station_id
                });
                match planned {
                    Some(e) => e.reception_id = Some(r.id.clone()),
                    None => {
                        if let Some(station) = refs.get(&r.station_id) {
                            days.push(ScheduledReception {
                                date: r.held_on,
                                plan_id: None,
                                host: person(&people, r.host_id),
                                station: station.clone(),
                                reception_id: Some(r.id.clone()),
                            });
                        }
                    }
                }
            }
            days.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.station.full_name.cmp(&b.station.full_name)));

            let gaps: Vec<UnitRef> = stations
                .iter()
                .filter(|s| !days.iter().any(|d| d.station.id == s.id))
                .filter_map(|s| refs.get(&s.id).cloned())
                .collect();
            let mut by_host_day: BTreeMap<(NaiveDate, i64), Vec<UnitRef>> = BTreeMap::new();
            for d in &days {
                let stations = by_host_day.entry((d.date, d.host.id)).or_default();
                if !stations.iter().any(|s| s.id == d.station.id) {
                    stations.push(d.station.clone());
                }
            }
            let clashes: Vec<Clash> = by_host_day
                .into_iter()
                .filter(|(_, s)| s.len() > 1)
                .map(|((date, host), stations)| Clash { date, host: person(&people, host), stations })
                .collect();
            let mut secretaries_without_weekday: Vec<_> = secretaries
                .values()
                .flatten()
                .filter(|s| !plans.iter().any(|p| p.host_id == s.id && p.weekday.is_some()))
                .cloned()
                .collect();
            secretaries_without_weekday.sort_by_key(|p| p.id);
            secretaries_without_weekday.dedup_by_key(|p| p.id);
            let mut leaders_without_reception: Vec<_> =
                leaders.values().flatten().filter(|l| !days.iter().any(|d| d.host.id == l.id)).cloned().collect();
            leaders_without_reception.sort_by_key(|p| p.id);
            leaders_without_reception.dedup_by_key(|p| p.id);
            Ok(ReceptionSchedule {
                year,
                month,
                plans: plan_dtos(conn, &plans)?,
                days,
                gaps,
                secretaries_without_weekday,
                leaders_without_reception,
                clashes,
            })
        })
        .await
        .map(web::Json)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(weekday: Option<i32>, on_date: Option<NaiveDate>) -> ReceptionPlanRow {
        ReceptionPlanRow {
            id: 1,
            host_id: 1,
            station_id: 1,
            weekday,
            on_date,
            active: true,
            created_by: 1,
            created_at: chrono::NaiveDateTime::default(),
        }
    }

    #[test]
    fn a_weekly_plan_falls_on_every_such_weekday_of_the_month() -> Result<(), &'static str> {
        let (first, next) = crate::stats::month_days(2026, 12).ok_or("December 2026 has days")?;
        // December 2026 starts on a Tuesday: its Wednesdays are the 2nd, 9th, 16th, 23rd and 30th.
        let days: Vec<u32> = plan_days(&plan(Some(3), None), first, next).iter().map(|d| d.day()).collect();
        assert_eq!(days, [2, 9, 16, 23, 30]);
        let once = NaiveDate::from_ymd_opt(2026, 12, 31);
        assert_eq!(plan_days(&plan(None, once), first, next).len(), 1);
        assert!(plan_days(&plan(None, NaiveDate::from_ymd_opt(2027, 1, 1)), first, next).is_empty());
        Ok(())
    }
}
