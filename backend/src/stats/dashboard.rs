//! The city dashboard's figures for a month: now and by month, overall and by street, type and department, with the
//! red and black lists. Department figures are 附件3's rows (`super::monthly`), so the dashboard and the table cannot
//! disagree.

use chrono::{Duration, TimeZone};
use shared::dashboard::{Dashboard, DepartmentLine, MonthFigures, Ratio, StreetLine, TrendPoint, TypeLine};
use shared::dto::UnitRef;
use shared::item::ItemStatus;
use shared::voice::Answer;
use shared::{ItemType, Level, OrgKind, Outcome};
use std::collections::HashMap;

use crate::db::models::{DirectReportRow, DispatchRow, ItemRow, UnitRow};
use crate::db::{self, figures, DbConn};
use crate::error::AppError;
use crate::regulation::deadlines;
use crate::state::AppState;

/// What the month's figures are made from.
struct Month<'a> {
    items: Vec<&'a ItemRow>,
    dispatches: Vec<&'a DispatchRow>,
    answers: (i64, i64, i64),
    reports: Vec<&'a DirectReportRow>,
}

/// A month's figures as of `as_of` (its end once it is over): what was received, solved, overdue, accepted in time,
/// returned and acknowledged by then.
fn month_figures(m: &Month, completion: Ratio, as_of: chrono::NaiveDateTime, accept_days: i64) -> MonthFigures {
    let solved = m.items.iter().filter(|i| i.outcome.is_some_and(|o| o != Outcome::Unsolvable)).count() as i64;
    let unsolvable = m.items.iter().filter(|i| i.outcome == Some(Outcome::Unsolvable)).count() as i64;
    let received = m.items.len() as i64;
    let in_time = |d: &DispatchRow| {
        d.accepted_at.is_some_and(|a| a <= as_of && a <= d.dispatched_at + Duration::days(accept_days))
    };
    let acknowledged: Vec<i64> = m
        .reports
        .iter()
        .filter_map(|r| r.acknowledged_at.filter(|a| *a <= as_of).map(|a| (a - r.reported_at).num_minutes()))
        .collect();
    let (s, b, d) = m.answers;
    MonthFigures {
        received,
        solved,
        in_progress: received - solved - unsolvable,
        overdue: m
            .items
            .iter()
            .filter(|i| i.status != ItemStatus::Closed && deadlines::overdue(i.stage_due_at, as_of))
            .count() as i64,
        completion,
        satisfaction: Ratio::of(s + b, s + b + d),
        response: Ratio::of(m.dispatches.iter().filter(|d| in_time(d)).count() as i64, m.dispatches.len() as i64),
        returned: Ratio::of(
            m.dispatches.iter().filter(|d| d.rejected_at.is_some_and(|r| r <= as_of)).count() as i64,
            m.dispatches.len() as i64,
        ),
        major: m.items.iter().filter(|i| i.level == Level::Major).count() as i64,
        major_acknowledged: Ratio::of(acknowledged.len() as i64, m.reports.len() as i64),
        minutes_to_acknowledge: (!acknowledged.is_empty())
            .then(|| acknowledged.iter().sum::<i64>() as f64 / acknowledged.len() as f64),
    }
}

fn completion_of(f: &super::UnitFigures) -> Ratio {
    Ratio::of(f.on_time.len() as i64, f.received.len() as i64 - f.in_progress.len() as i64)
}

pub fn dashboard(conn: &mut DbConn, state: &AppState, year: i32, month: u32) -> Result<Dashboard, AppError> {
    let now = state.clock.now_naive();
    let tz = state.tz;
    let (from, to) = super::month_bounds(tz, year, month).ok_or_else(|| AppError::field("month", "月份不正确"))?;
    let as_of = super::month_cutoff(tz, year, month, now);
    // 接单 in time: within the city's own clock (本市规定), in calendar days.
    let accept_days = i64::from(deadlines::city_clocks(conn)?.accept_days);
    let month_items = figures::items_arrived_between(conn, (from, to), None, as_of)?;
    let month_dispatches = figures::dispatched_between(conn, from, to)?;
    let dispatch_street = {
        let ids: Vec<&str> = month_dispatches.iter().map(|d| d.item_id.as_str()).collect();
        figures::streets_of_items(conn, &ids)?
    };
    let (first, last) =
        (tz.from_utc_datetime(&from).date_naive(), tz.from_utc_datetime(&to).date_naive() - Duration::days(1));
    let month_ratings: Vec<(i64, Answer, Answer, Answer)> = figures::ratings_between(conn, (first, last), None, as_of)?
        .into_iter()
        .map(|r| (r.street_id, r.timely, r.attitude, r.result))
        .collect();
    let major_ids: Vec<&str> = month_items.iter().filter(|i| i.level == Level::Major).map(|i| i.id.as_str()).collect();
    let mut month_reports = figures::direct_reports_of_items(conn, &major_ids)?;
    month_reports.retain(|r| r.reported_at <= as_of);
    let report_street: HashMap<&str, i64> = month_items.iter().map(|i| (i.id.as_str(), i.street_id)).collect();
    let item_type: HashMap<&str, ItemType> = month_items.iter().map(|i| (i.id.as_str(), i.item_type)).collect();

    // Departments: 附件3's rows for the whole city; streets: each street's 附件3 total for its 办结率.
    let (units, total) = super::monthly(conn, tz, year, month, None, now)?;
    let dept_ids: Vec<i64> = units.keys().copied().collect();
    let depts = db::org::by_ids(conn, &dept_ids)?;
    let unit_ref = |u: &UnitRow| UnitRef { id: u.id, kind: u.kind, name: u.name.clone(), full_name: u.name.clone() };
    let by_department: Vec<DepartmentLine> = depts
        .iter()
        .map(|d| {
            let f = &units[&d.id];
            let (s, b, x) = f.answers;
            DepartmentLine {
                department: unit_ref(d),
                completion: completion_of(f),
                satisfaction: Ratio::of(s + b, s + b + x),
                received: f.received.len() as i64,
            }
        })
        .collect();

    let all = Month {
        items: month_items.iter().collect(),
        dispatches: month_dispatches.iter().collect(),
        answers: month_ratings.iter().fold((0, 0, 0), |mut acc, (_, a, b, c)| {
            super::tally(&mut acc, [*a, *b, *c]);
            acc
        }),
        reports: month_reports.iter().collect(),
    };
    let overall = month_figures(&all, completion_of(&total), as_of, accept_days);

    let streets = db::org::active_of_kind(conn, OrgKind::Street)?;
    let street_totals = super::street_totals(conn, tz, year, month, now)?;
    let mut by_street = Vec::new();
    for s in &streets {
        let m = Month {
            items: month_items.iter().filter(|i| i.street_id == s.id).collect(),
            dispatches: month_dispatches.iter().filter(|d| dispatch_street.get(&d.item_id) == Some(&s.id)).collect(),
            answers: month_ratings.iter().filter(|r| r.0 == s.id).fold((0, 0, 0), |mut acc, (_, a, b, c)| {
                super::tally(&mut acc, [*a, *b, *c]);
                acc
            }),
            reports: month_reports.iter().filter(|r| report_street.get(r.item_id.as_str()) == Some(&s.id)).collect(),
        };
        let completion = street_totals.get(&s.id).map(completion_of).unwrap_or_default();
        by_street.push(StreetLine { street: unit_ref(s), figures: month_figures(&m, completion, as_of, accept_days) });
    }
    let by_type = ItemType::ALL
        .iter()
        .map(|t| {
            let m = Month {
                items: month_items.iter().filter(|i| i.item_type == *t).collect(),
                dispatches: month_dispatches
                    .iter()
                    .filter(|d| item_type.get(d.item_id.as_str()).is_some_and(|x| x == t))
                    .collect(),
                answers: (0, 0, 0),
                reports: month_reports
                    .iter()
                    .filter(|r| item_type.get(r.item_id.as_str()).is_some_and(|x| x == t))
                    .collect(),
            };
            TypeLine { item_type: *t, figures: month_figures(&m, Ratio::default(), as_of, accept_days) }
        })
        .collect();

    // Red and black lists: departments with a 办结率, best and worst five (ties by 满意率, then more sheets).
    let mut ranked: Vec<DepartmentLine> =
        by_department.iter().filter(|d| d.completion.rate.is_some()).cloned().collect();
    let key = |d: &DepartmentLine| (d.completion.rate.unwrap_or(0.0), d.satisfaction.rate.unwrap_or(0.0), d.received);
    ranked.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        kb.0.total_cmp(&ka.0).then(kb.1.total_cmp(&ka.1)).then(kb.2.cmp(&ka.2))
    });
    let red_list: Vec<DepartmentLine> = ranked.iter().take(5).cloned().collect();
    let black_list: Vec<DepartmentLine> = ranked.iter().rev().take(5).cloned().collect();

    let mut trend = Vec::new();
    let (mut y, mut m) = (year, month);
    for _ in 0..6 {
        let (f, t) = super::month_bounds(tz, y, m).ok_or_else(|| AppError::field("month", "月份不正确"))?;
        let rows = figures::items_arrived_between(conn, (f, t), None, super::month_cutoff(tz, y, m, now))?;
        let solved = rows.iter().filter(|i| i.outcome.is_some_and(|o| o != Outcome::Unsolvable)).count();
        trend.push(TrendPoint { year: y, month: m, received: rows.len() as i64, solved: solved as i64 });
        (y, m) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
    }
    trend.reverse();

    let open = figures::open_items_due(conn)?;
    Ok(Dashboard {
        year,
        month,
        open_now: open.len() as i64,
        overdue_now: open.iter().filter(|(due, _)| deadlines::overdue(*due, now)).count() as i64,
        major_open_now: open.iter().filter(|(_, l)| *l == Level::Major).count() as i64,
        overall,
        by_street,
        by_type,
        by_department,
        red_list,
        black_list,
        trend,
        late: super::late::late_lines(conn, tz, (year, month), None, now)?,
    })
}
