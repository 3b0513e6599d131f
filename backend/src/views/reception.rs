//! Receptions (定点接待, 第六条4) as the API shows them: plans with their hosts' roles, a reception's record with the
//! items raised at it, and a month's schedule with its gaps and clashes.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use shared::channels::{Clash, Reception, ReceptionPlan, ReceptionSchedule, ScheduledReception};
use shared::dto::UnitRef;
use shared::item::PersonRef;
use shared::{OrgKind, Role};

use super::item::raised_item;
use super::people::{self, person};
use crate::db::items::RaisedAt;
use crate::db::models::{ReceptionPlanRow, ReceptionRow, UnitRow};
use crate::db::{self, DbConn};
use crate::error::AppError;

/// Plans as the API shows them, each with its host's role at the station.
pub fn plan_dtos(conn: &mut DbConn, rows: &[ReceptionPlanRow]) -> Result<Vec<ReceptionPlan>, AppError> {
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

/// A reception's record with its station, host, recorder and the items raised at it.
pub fn reception_dto(conn: &mut DbConn, row: &ReceptionRow) -> Result<Reception, AppError> {
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

/// The days of a month a plan falls on.
pub fn plan_days(plan: &ReceptionPlanRow, first: NaiveDate, next: NaiveDate) -> Vec<NaiveDate> {
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

/// The places in the viewer's scope a month's schedule covers.
pub struct ScheduleScope {
    pub stations: Vec<UnitRow>,
    pub streets: Vec<UnitRow>,
    pub communities: Vec<UnitRow>,
}

/// The month's schedule at the scope's stations: every planned or held reception by day, stations with none (gaps),
/// a host at two stations on one day (clashes), community secretaries without a fixed weekday and street leaders
/// with no reception this month. `first..next` are the month's days.
pub fn month_schedule(
    conn: &mut DbConn,
    year: i32,
    month: u32,
    first: NaiveDate,
    next: NaiveDate,
    scope: &ScheduleScope,
) -> Result<ReceptionSchedule, AppError> {
    let ids: Vec<i64> = scope.stations.iter().map(|s| s.id).collect();
    let refs: HashMap<i64, UnitRef> = people::unit_refs(conn, &scope.stations)?;
    let plans = db::routines::active_reception_plans_at(conn, &ids)?;
    let held = db::routines::receptions_held_between(conn, &ids, first, next)?;
    let mut host_ids: Vec<i64> = plans.iter().map(|p| p.host_id).chain(held.iter().map(|r| r.host_id)).collect();
    let leaders = people::holders(conn, Role::StreetLeader, &scope.streets.iter().map(|s| s.id).collect::<Vec<_>>())?;
    let secretaries =
        people::holders(conn, Role::CommunitySecretary, &scope.communities.iter().map(|c| c.id).collect::<Vec<_>>())?;
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
            e.reception_id.is_none() && e.date == r.held_on && e.host.id == r.host_id && e.station.id == r.station_id
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

    let gaps: Vec<UnitRef> = scope
        .stations
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
