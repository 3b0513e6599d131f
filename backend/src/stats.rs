//! The one query layer for the city's figures (附件3 and what is built on it): every figure is computed here from the
//! dispatches and ratings as they are, never stored, and carries the items behind it. The definitions are those of
//! `shared::stats::STATS_DEFINITIONS`.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeZone};
use diesel::prelude::*;
use shared::voice::Answer;

use crate::clocks::{self, Calendar};
use crate::db::models::DispatchRow;
use crate::db::schema::{dispatches, items, ratings};
use crate::db::DbConn;

/// The first instant (UTC) of a month in the city's time zone, and of the next month.
pub fn month_bounds(tz: chrono_tz::Tz, year: i32, month: u32) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let start = |d: NaiveDate| tz.from_local_datetime(&d.and_hms_opt(0, 0, 0)?).earliest().map(|t| t.naive_utc());
    Some((start(first)?, start(next)?))
}

/// The figures of one responsible unit (or of all together), as the items behind each.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnitFigures {
    pub received: Vec<String>,
    pub on_time: Vec<String>,
    pub in_progress: Vec<String>,
    pub not_in_10_days: Vec<String>,
    pub solved_after_coordination: Vec<String>,
    pub unsolved_after_coordination: Vec<String>,
    /// Answers to the three questions: 满意, 基本满意, 不满意.
    pub answers: (i64, i64, i64),
}

impl UnitFigures {
    fn add(&mut self, other: &UnitFigures) {
        self.received.extend(other.received.iter().cloned());
        self.on_time.extend(other.on_time.iter().cloned());
        self.in_progress.extend(other.in_progress.iter().cloned());
        self.not_in_10_days.extend(other.not_in_10_days.iter().cloned());
        self.solved_after_coordination.extend(other.solved_after_coordination.iter().cloned());
        self.unsolved_after_coordination.extend(other.unsolved_after_coordination.iter().cloned());
        self.answers.0 += other.answers.0;
        self.answers.1 += other.answers.1;
        self.answers.2 += other.answers.2;
    }

    /// Counts one accepted dispatch as of `as_of`.
    fn count(&mut self, d: &DispatchRow, calendar: &Calendar, as_of: NaiveDateTime) {
        let Some(accepted) = d.accepted_at else { return };
        let id = d.item_id.clone();
        self.received.push(id.clone());
        let returned = d.returned_at.is_some_and(|r| r <= as_of);
        if !returned {
            self.in_progress.push(id.clone());
            if as_of > calendar.due(accepted, clocks::ONSITE_AFTER_DAYS) {
                self.not_in_10_days.push(id.clone());
                self.unsolved_after_coordination.push(id);
            }
            return;
        }
        let solved = d.solved == Some(true);
        if solved && d.solved_at.zip(d.due_at).is_some_and(|(s, due)| s <= due) {
            self.on_time.push(id.clone());
        }
        if d.solved_within_10_days == Some(false) || !solved {
            self.not_in_10_days.push(id.clone());
            if solved {
                self.solved_after_coordination.push(id);
            } else {
                self.unsolved_after_coordination.push(id);
            }
        }
    }
}

/// The monthly figures of each department that accepted items in the month (of one street, or the city), as of
/// `as_of`, with the total.
pub fn monthly(
    conn: &mut DbConn,
    tz: chrono_tz::Tz,
    year: i32,
    month: u32,
    street_id: Option<i64>,
    as_of: NaiveDateTime,
) -> QueryResult<(BTreeMap<i64, UnitFigures>, UnitFigures)> {
    let Some((from, to)) = month_bounds(tz, year, month) else { return Ok((BTreeMap::new(), UnitFigures::default())) };
    let calendar = Calendar::load(conn, tz)?;
    let mut q = dispatches::table
        .inner_join(items::table)
        .filter(dispatches::accepted_at.ge(from))
        .filter(dispatches::accepted_at.lt(to))
        .into_boxed::<crate::db::items::Backend>();
    if let Some(s) = street_id {
        q = q.filter(items::street_id.eq(s));
    }
    let rows: Vec<DispatchRow> = q.order(dispatches::id).select(DispatchRow::as_select()).load(conn)?;
    let mut units: BTreeMap<i64, UnitFigures> = BTreeMap::new();
    for d in &rows {
        units.entry(d.department_id).or_default().count(d, &calendar, as_of);
    }
    // 测评满意率: the month's ratings of each department (residents' and the weekly rounds').
    let first = NaiveDate::from_ymd_opt(year, month, 1).expect("valid month");
    let last = month_bounds(tz, year, month).map(|(_, next)| tz.from_utc_datetime(&next).date_naive().pred_opt());
    let last = last.flatten().unwrap_or(first);
    let mut rq = ratings::table
        .filter(ratings::rated_on.ge(first))
        .filter(ratings::rated_on.le(last))
        .filter(ratings::department_id.is_not_null())
        .into_boxed::<crate::db::items::Backend>();
    if let Some(s) = street_id {
        rq = rq.filter(ratings::street_id.eq(s));
    }
    let answers: Vec<(Option<i64>, String, String, String)> =
        rq.select((ratings::department_id, ratings::timely, ratings::attitude, ratings::result)).load(conn)?;
    for (dept, a, b, c) in answers {
        let Some(f) = dept.and_then(|d| units.get_mut(&d)) else { continue };
        for code in [a, b, c] {
            match Answer::parse(&code) {
                Some(Answer::Satisfied) => f.answers.0 += 1,
                Some(Answer::Basically) => f.answers.1 += 1,
                Some(Answer::Dissatisfied) => f.answers.2 += 1,
                None => {}
            }
        }
    }
    let mut total = UnitFigures::default();
    for f in units.values() {
        total.add(f);
    }
    Ok((units, total))
}

/// The month a moment falls in, in the city's time zone.
pub fn month_of(tz: chrono_tz::Tz, t: NaiveDateTime) -> (i32, u32) {
    let local = tz.from_utc_datetime(&t);
    (local.year(), local.month())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_start_at_midnight_in_beijing() {
        let (from, to) = month_bounds(chrono_tz::Asia::Shanghai, 2026, 12).unwrap();
        assert_eq!(from.to_string(), "2026-11-30 16:00:00");
        assert_eq!(to.to_string(), "2026-12-31 16:00:00");
        assert_eq!(month_of(chrono_tz::Asia::Shanghai, from), (2026, 12));
        assert_eq!(month_of(chrono_tz::Asia::Shanghai, from - chrono::Duration::seconds(1)), (2026, 11));
    }
}
