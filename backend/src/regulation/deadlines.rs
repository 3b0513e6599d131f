//! The regulation's clocks (第七条, 第八条): how long each stage may take, and when it is due. Limits are calendar
//! days by default, as the regulation says 日; the admin may switch to working days, which skip weekends and the
//! holiday table's days off and count its make-up working days (调休). Due times keep the time of day of the stage's
//! start, in the city's time zone.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Weekday};
use diesel::prelude::*;
use shared::settings::CityClocks;
use shared::Level;

use crate::db::DbConn;

/// The community reviews and either solves the item or sends the sheet to the street within 3 days.
pub const COMMUNITY_REVIEW_DAYS: i64 = 3;
/// The department solves the item within 5 days of accepting it.
pub const DEPARTMENT_DAYS: i64 = 5;
/// An approved extension adds 5 days.
pub const EXTENSION_DAYS: i64 = 5;
/// What is not solved within 10 days of accepting needs the on-site office record.
pub const ONSITE_AFTER_DAYS: i64 = 10;
/// The resident is told the result within 2 days of it coming back.
pub const TELL_RESIDENT_DAYS: i64 = 2;
/// A stage due within this many hours counts as due soon, and its holder is reminded.
pub const DUE_SOON_HOURS: i64 = 12;

/// The settings key that switches the clocks to working days.
pub const WORKING_DAYS_KEY: &str = "clock.working_days";
/// The settings key of the clocks the city sets itself (`CityClocks` as JSON): the street's dispatch, the
/// department's 接单, the head's signature (the regulation sets none of them), and a major item's hours at the
/// community and the street (第四条: 需马上解决).
pub const CITY_CLOCKS_KEY: &str = "clock.city";

/// How days are counted.
#[derive(Debug, Clone)]
pub struct Calendar {
    tz: chrono_tz::Tz,
    working_days: bool,
    /// The holiday table: true for a make-up working day, false for a day off.
    table: HashMap<NaiveDate, bool>,
    /// The clocks the city sets itself.
    rules: CityClocks,
}

impl Calendar {
    /// Calendar days.
    pub fn calendar_days(tz: chrono_tz::Tz) -> Self {
        Calendar { tz, working_days: false, table: HashMap::new(), rules: CityClocks::default() }
    }

    /// Working days with this holiday table.
    pub fn working_days(tz: chrono_tz::Tz, table: HashMap<NaiveDate, bool>) -> Self {
        Calendar { tz, working_days: true, table, rules: CityClocks::default() }
    }

    /// The calendar as configured: the setting, and the holiday table when working days are on.
    pub fn load(conn: &mut DbConn, tz: chrono_tz::Tz) -> QueryResult<Self> {
        let rules = city_clocks(conn)?;
        let calendar = if working_days_on(conn)? {
            Self::working_days(tz, crate::db::settings::all_holidays(conn)?.into_iter().collect())
        } else {
            Self::calendar_days(tz)
        };
        Ok(calendar.with_rules(rules))
    }

    /// The same calendar with these city clocks.
    pub fn with_rules(self, rules: CityClocks) -> Self {
        Calendar { rules, ..self }
    }

    /// The community's review (第七条1: 3 days); a major item's, the city's hours (第四条: 需马上解决).
    pub fn community_due(&self, start: NaiveDateTime, level: Level) -> NaiveDateTime {
        match level {
            Level::Major => start + Duration::hours(self.rules.major_community_hours.into()),
            Level::General => self.due(start, COMMUNITY_REVIEW_DAYS),
        }
    }

    /// The street's dispatch (本市规定); a major item's in the city's hours.
    pub fn street_due(&self, start: NaiveDateTime, level: Level) -> NaiveDateTime {
        match level {
            Level::Major => start + Duration::hours(self.rules.major_street_hours.into()),
            Level::General => self.due(start, self.rules.street_dispatch_days.into()),
        }
    }

    /// The department's 接单 or 退单 (本市规定; the response rate's clock).
    pub fn accept_due(&self, start: NaiveDateTime) -> NaiveDateTime {
        self.due(start, self.rules.accept_days.into())
    }

    /// A dissatisfied answer's follow-up, all four steps (本市规定; 第六条′ says 及时).
    pub fn follow_up_due(&self, start: NaiveDateTime) -> NaiveDateTime {
        self.due(start, self.rules.follow_up_days.into())
    }

    /// A chased unit's answer (本市规定).
    pub fn chase_reply_due(&self, start: NaiveDateTime) -> NaiveDateTime {
        self.due(start, self.rules.chase_reply_days.into())
    }

    /// The department head's signature on an unsolvable sheet (本市规定).
    pub fn signoff_due(&self, start: NaiveDateTime) -> NaiveDateTime {
        self.due(start, self.rules.signoff_days.into())
    }

    /// Whether people work on this date: a 调休 day always, a holiday never, otherwise Monday to Friday.
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        self.table.get(&day).copied().unwrap_or(!matches!(day.weekday(), Weekday::Sat | Weekday::Sun))
    }

    /// When a stage that starts at `start` (UTC) and may take `days` is due (UTC).
    pub fn due(&self, start: NaiveDateTime, days: i64) -> NaiveDateTime {
        if !self.working_days {
            return start + Duration::days(days);
        }
        let local = self.tz.from_utc_datetime(&start).naive_local();
        let mut day = local.date();
        let mut counted = 0;
        while counted < days {
            // Only at the end of the calendar (year 262143) is there no next day; count calendar days there.
            let Some(next) = day.succ_opt() else { return start + Duration::days(days) };
            day = next;
            if self.is_working_day(day) {
                counted += 1;
            }
        }
        let due_local = day.and_time(local.time());
        match self.tz.from_local_datetime(&due_local).earliest() {
            Some(t) => t.naive_utc(),
            None => start + Duration::days(days),
        }
    }
}

/// The clocks the city set, or the defaults (1 day each; a major item 12 hours at the community, 4 at the street).
pub fn city_clocks(conn: &mut DbConn) -> QueryResult<CityClocks> {
    let stored = crate::db::settings::get(conn, CITY_CLOCKS_KEY)?;
    Ok(stored.and_then(|v| serde_json::from_str(&v).ok()).unwrap_or_default())
}

/// The clocks' settings as the API shows them.
pub fn clock_settings(conn: &mut DbConn) -> QueryResult<shared::settings::ClockSettings> {
    Ok(shared::settings::ClockSettings { working_days: working_days_on(conn)?, city: Some(city_clocks(conn)?) })
}

/// Whether the admin switched the clocks to working days.
pub fn working_days_on(conn: &mut DbConn) -> QueryResult<bool> {
    Ok(crate::db::settings::get(conn, WORKING_DAYS_KEY)?.as_deref() == Some("true"))
}

/// Day 10 after a dispatch's 接单 (第七条2): as fixed when it was accepted, or, for sheets accepted before that was
/// stored, by `calendar`; none before 接单.
pub fn ten_days_due(d: &crate::db::models::DispatchRow, calendar: &Calendar) -> Option<NaiveDateTime> {
    let accepted = d.accepted_at?;
    Some(d.onsite_due_at.unwrap_or_else(|| calendar.due(accepted, ONSITE_AFTER_DAYS)))
}

/// Whether a stage due at `due_at` is overdue at `now`.
pub fn overdue(due_at: Option<NaiveDateTime>, now: NaiveDateTime) -> bool {
    due_at.is_some_and(|d| d < now)
}

/// Whether a stage due at `due_at` is not yet overdue but due within `DUE_SOON_HOURS`.
pub fn due_soon(due_at: Option<NaiveDateTime>, now: NaiveDateTime) -> bool {
    due_at.is_some_and(|d| d >= now && d < now + Duration::hours(DUE_SOON_HOURS))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, 15, 0).unwrap()
    }

    #[test]
    fn calendar_days_keep_the_time_of_day() {
        let start = at(2026, 12, 30, 9);
        let d = Calendar::calendar_days(chrono_tz::Asia::Shanghai).due(start, COMMUNITY_REVIEW_DAYS);
        assert_eq!(d.to_string(), "2027-01-02 09:15:00");
        assert!(!overdue(Some(d), d));
        assert!(overdue(Some(d), d + Duration::seconds(1)));
        assert!(!overdue(None, d));
        assert!(due_soon(Some(d), d - Duration::hours(2)));
        assert!(!due_soon(Some(d), d - Duration::hours(30)));
    }

    #[test]
    fn working_days_skip_weekends_and_holidays_and_count_make_up_days() {
        let tz = chrono_tz::Asia::Shanghai;
        // 2026-09-30 is a Wednesday. 10-01..10-07 are the National Day holiday; Saturday 10-10 is a make-up day.
        let mut table = HashMap::new();
        for d in 1..=7 {
            table.insert(NaiveDate::from_ymd_opt(2026, 10, d).unwrap(), false);
        }
        table.insert(NaiveDate::from_ymd_opt(2026, 10, 10).unwrap(), true);
        let cal = Calendar::working_days(tz, table);
        // Accepted Wednesday 30 Sep, 10:15 Beijing time (02:15 UTC): 5 working days are Thu 8, Fri 9, Sat 10 (调休),
        // Mon 12, Tue 13 October.
        let start = at(2026, 9, 30, 2);
        assert_eq!(cal.due(start, 5).to_string(), "2026-10-13 02:15:00");
        // An ordinary week: Monday + 5 working days is the next Monday.
        assert_eq!(cal.due(at(2026, 11, 2, 1), 5).to_string(), "2026-11-09 01:15:00");
        // The day boundary is Beijing's: 23:30 UTC on Friday is Saturday morning in Beijing.
        let late_friday = NaiveDate::from_ymd_opt(2026, 11, 6).unwrap().and_hms_opt(23, 30, 0).unwrap();
        assert_eq!(cal.due(late_friday, 1).to_string(), "2026-11-08 23:30:00");
    }
}
