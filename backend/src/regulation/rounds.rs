//! The weekly evaluation's rounds (第六条′): weeks start on Monday; each week a round opens per street and department
//! that handled the street's items that week (accepted before its end, not returned before its start), and stays open
//! until the end of the following week.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone};
use diesel::QueryResult;

use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::state::AppState;

/// The Monday of the week of `day`.
pub fn week_start(day: NaiveDate) -> NaiveDate {
    day - Duration::days(day.weekday().num_days_from_monday() as i64)
}

/// Opens (once) the rounds of the week starting `monday`: one per street and department that handled the street's
/// items that week; keeps the item counts current. Safe with several instances: the (street, department, week) key
/// is unique and a second insert is rolled back to its savepoint. Returns how many rounds this call opened.
pub fn open_rounds(conn: &mut DbConn, tz: chrono_tz::Tz, monday: NaiveDate, now: NaiveDateTime) -> QueryResult<usize> {
    let (from, to) = (crate::stats::day_start(tz, monday), crate::stats::day_start(tz, monday + Duration::days(7)));
    let dispatches = db::evaluation::handled_between(conn, from, to)?;
    let mut handled: std::collections::BTreeMap<(i64, i64), i64> = Default::default();
    for key in dispatches {
        *handled.entry(key).or_default() += 1;
    }
    let mut opened = 0;
    for ((street_id, department_id), n) in handled {
        if db::evaluation::update_round_items(conn, street_id, department_id, monday, n)? {
            continue;
        }
        if db::evaluation::open_round(conn, street_id, department_id, monday, n, now)? {
            opened += 1;
        }
    }
    Ok(opened)
}

/// The job: this week's and last week's rounds.
pub async fn open_current_rounds(state: &AppState) -> Result<usize, AppError> {
    let now = state.clock.now_naive();
    let today = state.tz.from_utc_datetime(&now).date_naive();
    let tz = state.tz;
    state
        .db
        .write(move |conn| {
            let this = week_start(today);
            Ok(open_rounds(conn, tz, this - Duration::days(7), now)? + open_rounds(conn, tz, this, now)?)
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday() {
        let sunday = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert_eq!(week_start(sunday), NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        let monday = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(week_start(monday), monday);
    }
}
