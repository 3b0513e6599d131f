//! The one query layer for the city's figures (附件3 and what is built on it): every figure is computed here from the
//! dispatches and ratings as they are, never stored, and carries the items behind it. The definitions are those of
//! `shared::stats::STATS_DEFINITIONS`.

pub mod dashboard;
pub mod late;

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use diesel::prelude::*;
use shared::voice::Answer;

use crate::db::models::DispatchRow;
use crate::db::schema::{dispatches, items};
use crate::db::DbConn;
use crate::error::AppError;
use crate::regulation::deadlines::{self, Calendar};

/// The first day of a month and the first day of the next; none outside the calendar.
pub fn month_days(year: i32, month: u32) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    Some((first, next))
}

/// The instant (UTC) a local day starts in the city's time zone.
pub fn day_start(tz: chrono_tz::Tz, day: NaiveDate) -> NaiveDateTime {
    let midnight = day.and_time(NaiveTime::MIN);
    tz.from_local_datetime(&midnight).earliest().map_or(midnight, |t| t.naive_utc())
}

/// The first instant (UTC) of a month in the city's time zone, and of the next month.
pub fn month_bounds(tz: chrono_tz::Tz, year: i32, month: u32) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let (first, next) = month_days(year, month)?;
    Some((day_start(tz, first), day_start(tz, next)))
}

/// The month a request asks for — this month when absent — checked: year 2000–2100, month 1–12.
pub fn month_param(
    tz: chrono_tz::Tz,
    now: NaiveDateTime,
    year: Option<i32>,
    month: Option<u32>,
) -> Result<(i32, u32), AppError> {
    let (this_year, this_month) = month_of(tz, now);
    let (year, month) = (year.unwrap_or(this_year), month.unwrap_or(this_month));
    if !(1..=12).contains(&month) {
        return Err(AppError::field("month", "月份应在1到12之间"));
    }
    if !(2000..=2100).contains(&year) {
        return Err(AppError::field("year", "年份应在2000到2100之间"));
    }
    Ok((year, month))
}

/// Adds one rating's three answers to the counts of 满意, 基本满意, 不满意.
pub fn tally(counts: &mut (i64, i64, i64), answers: [Answer; 3]) {
    for answer in answers {
        match answer {
            Answer::Satisfied => counts.0 += 1,
            Answer::Basically => counts.1 += 1,
            Answer::Dissatisfied => counts.2 += 1,
        }
    }
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
        let Some(ten_days) = deadlines::ten_days_due(d, calendar) else { return };
        let id = d.item_id.clone();
        self.received.push(id.clone());
        let returned = d.returned_at.is_some_and(|r| r <= as_of);
        if !returned {
            self.in_progress.push(id.clone());
            if as_of > ten_days {
                self.not_in_10_days.push(id.clone());
                self.unsolved_after_coordination.push(id);
            }
            return;
        }
        let solved = d.solved == Some(true);
        // 按时 is judged by the server's time of the 返单, never by the finish time the department noted.
        if solved && d.returned_at.zip(d.due_at).is_some_and(|(r, due)| r <= due) {
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

/// The moment a month's figures are counted as of: its end (midnight of the 1st after, city time) once it is over,
/// else `now`. A closed month gives the same answer whenever it is asked.
pub fn month_cutoff(tz: chrono_tz::Tz, year: i32, month: u32, now: NaiveDateTime) -> NaiveDateTime {
    month_days(year, month).map_or(now, |(_, next)| now.min(day_start(tz, next)))
}

/// The monthly figures of each department that accepted items in the month (of one street, or the city), as of
/// `as_of` or the month's end if that came first (`month_cutoff`), with the total.
pub fn monthly(
    conn: &mut DbConn,
    tz: chrono_tz::Tz,
    year: i32,
    month: u32,
    street_id: Option<i64>,
    as_of: NaiveDateTime,
) -> QueryResult<(BTreeMap<i64, UnitFigures>, UnitFigures)> {
    let Some((first, next)) = month_days(year, month) else { return Ok((BTreeMap::new(), UnitFigures::default())) };
    let as_of = month_cutoff(tz, year, month, as_of);
    let calendar = Calendar::load(conn, tz)?;
    let mut units: BTreeMap<i64, UnitFigures> = BTreeMap::new();
    for (_, d) in accepted_in(conn, tz, (first, next), street_id)? {
        units.entry(d.department_id).or_default().count(&d, &calendar, as_of);
    }
    // 测评满意率: the month's ratings of each department (residents' and the weekly rounds'), as they stood then.
    let last = next.pred_opt().unwrap_or(first);
    for r in crate::db::figures::ratings_between(conn, (first, last), street_id, as_of)? {
        if let Some(f) = r.department_id.and_then(|d| units.get_mut(&d)) {
            tally(&mut f.answers, r.answers());
        }
    }
    let mut total = UnitFigures::default();
    for f in units.values() {
        total.add(f);
    }
    Ok((units, total))
}

/// The dispatches accepted between two local days (the second excluded), with their items' streets.
fn accepted_in(
    conn: &mut DbConn,
    tz: chrono_tz::Tz,
    (first, next): (NaiveDate, NaiveDate),
    street_id: Option<i64>,
) -> QueryResult<Vec<(i64, DispatchRow)>> {
    let mut q = dispatches::table
        .inner_join(items::table)
        .filter(dispatches::accepted_at.ge(day_start(tz, first)))
        .filter(dispatches::accepted_at.lt(day_start(tz, next)))
        .into_boxed::<crate::db::items::Backend>();
    if let Some(s) = street_id {
        q = q.filter(items::street_id.eq(s));
    }
    q.order(dispatches::id).select((items::street_id, DispatchRow::as_select())).load(conn)
}

/// Each street's monthly totals (附件3's 合计 per street, without the ratings) in one pass, for the dashboard.
pub fn street_totals(
    conn: &mut DbConn,
    tz: chrono_tz::Tz,
    year: i32,
    month: u32,
    as_of: NaiveDateTime,
) -> QueryResult<BTreeMap<i64, UnitFigures>> {
    let Some(days) = month_days(year, month) else { return Ok(BTreeMap::new()) };
    let as_of = month_cutoff(tz, year, month, as_of);
    let calendar = Calendar::load(conn, tz)?;
    let mut streets: BTreeMap<i64, UnitFigures> = BTreeMap::new();
    for (street, d) in accepted_in(conn, tz, days, None)? {
        streets.entry(street).or_default().count(&d, &calendar, as_of);
    }
    Ok(streets)
}

/// The month a moment falls in, in the city's time zone.
pub fn month_of(tz: chrono_tz::Tz, t: NaiveDateTime) -> (i32, u32) {
    let local = tz.from_utc_datetime(&t);
    (local.year(), local.month())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    /// A small deterministic generator, so a failure can be replayed.
    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
    }

    /// A random, consistent history of one accepted dispatch.
    fn random_dispatch(rng: &mut Rng, n: i64, base: NaiveDateTime) -> DispatchRow {
        let accepted = base + Duration::minutes(rng.below(30 * 24 * 60) as i64);
        let extended = rng.below(3) == 0;
        let due = accepted + Duration::days(if extended { 10 } else { 5 });
        let returned = rng.below(4) != 0;
        let solved = returned && rng.below(4) != 0;
        let returned_at = returned.then(|| accepted + Duration::minutes(rng.below(20 * 24 * 60) as i64));
        // What the department noted as the finish: any time from 接单 to the 返单, which must not matter.
        let solved_at = returned_at
            .filter(|_| solved)
            .map(|r| accepted + Duration::minutes(rng.below((r - accepted).num_minutes().max(1) as u64) as i64));
        DispatchRow {
            id: n,
            item_id: format!("item-{n}"),
            department_id: 1,
            co_department_ids: "[]".into(),
            dispatched_at: accepted - Duration::hours(1),
            dispatched_by: 1,
            accepted_at: Some(accepted),
            accepted_by: Some(1),
            rejected_at: None,
            rejected_by: None,
            reject_reason: None,
            reject_note: None,
            due_at: Some(due),
            extension_reason: None,
            extension_requested_at: None,
            extension_requested_by: None,
            extension_approved: extended.then_some(true),
            extension_decided_at: None,
            extension_decided_by: None,
            extension_note: None,
            returned_at,
            returned_by: returned.then_some(1),
            solved: returned.then_some(solved),
            solved_at,
            solved_within_10_days: returned
                .then(|| solved && returned_at.is_some_and(|r| r <= accepted + Duration::days(10))),
            onsite: None,
            measures_clear: None,
            measures: None,
            unsolved_reason: None,
            countermeasures: None,
            signed_at: None,
            signed_by: None,
            onsite_due_at: Some(accepted + Duration::days(10)),
        }
    }

    /// The columns recounted straight from the definitions, from the timestamps alone.
    fn recount(ds: &[DispatchRow], as_of: NaiveDateTime) -> [usize; 6] {
        let back = |d: &DispatchRow| d.returned_at.is_some_and(|r| r <= as_of);
        let ten = |d: &DispatchRow| d.accepted_at.unwrap() + Duration::days(10);
        let solved_in = |d: &DispatchRow, by: NaiveDateTime| d.solved == Some(true) && d.returned_at.unwrap() <= by;
        let received = ds.len();
        let in_progress = ds.iter().filter(|d| !back(d)).count();
        let on_time = ds.iter().filter(|d| back(d) && solved_in(d, d.due_at.unwrap())).count();
        let late = |d: &DispatchRow| if back(d) { !solved_in(d, ten(d)) } else { as_of > ten(d) };
        let not_in_10 = ds.iter().filter(|d| late(d)).count();
        let solved_after = ds.iter().filter(|d| late(d) && back(d) && d.solved == Some(true)).count();
        [received, on_time, in_progress, not_in_10, solved_after, not_in_10 - solved_after]
    }

    #[test]
    fn every_figure_equals_a_plain_recount_of_random_histories() {
        let calendar = Calendar::calendar_days(chrono_tz::Asia::Shanghai);
        let base = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap().and_hms_opt(16, 0, 0).unwrap();
        for seed in 1..=300u64 {
            let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let n = rng.below(40) as i64;
            let ds: Vec<DispatchRow> = (0..n).map(|i| random_dispatch(&mut rng, i, base)).collect();
            let as_of = base + Duration::hours(rng.below(50 * 24) as i64);
            let mut f = UnitFigures::default();
            for d in &ds {
                f.count(d, &calendar, as_of);
            }
            let got = [
                f.received.len(),
                f.on_time.len(),
                f.in_progress.len(),
                f.not_in_10_days.len(),
                f.solved_after_coordination.len(),
                f.unsolved_after_coordination.len(),
            ];
            assert_eq!(got, recount(&ds, as_of), "seed {seed}");
        }
    }

    #[test]
    fn months_start_at_midnight_in_beijing() {
        let (from, to) = month_bounds(chrono_tz::Asia::Shanghai, 2026, 12).unwrap();
        assert_eq!(from.to_string(), "2026-11-30 16:00:00");
        assert_eq!(to.to_string(), "2026-12-31 16:00:00");
        assert_eq!(month_of(chrono_tz::Asia::Shanghai, from), (2026, 12));
        assert_eq!(month_of(chrono_tz::Asia::Shanghai, from - chrono::Duration::seconds(1)), (2026, 11));
    }
}
