//! The regulation's clocks (第七条, 第八条): how long each stage may take, and when it is due. Days are calendar days,
//! as the regulation says 日; the due time keeps the time of day of the stage's start.

use chrono::{Duration, NaiveDateTime};

/// The community reviews and either solves the item or sends the sheet to the street within 3 days.
pub const COMMUNITY_REVIEW_DAYS: i64 = 3;
/// The resident is told the result within 2 days of it coming back.
pub const TELL_RESIDENT_DAYS: i64 = 2;
/// A stage due within this many hours counts as due soon.
pub const DUE_SOON_HOURS: i64 = 24;

/// When a stage that starts at `start` and may take `days` is due.
pub fn due(start: NaiveDateTime, days: i64) -> NaiveDateTime {
    start + Duration::days(days)
}

/// Whether a stage due at `due_at` is overdue at `now`.
pub fn overdue(due_at: Option<NaiveDateTime>, now: NaiveDateTime) -> bool {
    due_at.is_some_and(|d| d < now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_days_keep_the_time_of_day() {
        let start = chrono::NaiveDate::from_ymd_opt(2026, 12, 30).unwrap().and_hms_opt(9, 15, 0).unwrap();
        let d = due(start, COMMUNITY_REVIEW_DAYS);
        assert_eq!(d.to_string(), "2027-01-02 09:15:00");
        assert!(!overdue(Some(d), d));
        assert!(overdue(Some(d), d + Duration::seconds(1)));
        assert!(!overdue(None, d));
    }
}
