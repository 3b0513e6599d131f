//! Times as the city reads them. The city is in Asia/Shanghai, which has had no daylight saving since 1991, so a
//! fixed +8 hours is exact (and keeps a time zone database out of the wasm).

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Timelike, Utc};

/// The city's offset from UTC.
const CITY_OFFSET_HOURS: i64 = 8;

/// The city's wall-clock time of an instant.
pub fn city_time(at: DateTime<Utc>) -> NaiveDateTime {
    at.naive_utc() + Duration::hours(CITY_OFFSET_HOURS)
}

/// Now, from the browser's clock (chrono's clock does not reach the browser's on wasm32-unknown-unknown).
pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// Today in the city.
pub fn city_today() -> NaiveDate {
    city_time(now()).date()
}

/// "11月29日 14:05", with the year in front when it is not this year.
pub fn short(at: DateTime<Utc>) -> String {
    let t = city_time(at);
    let day = format!("{}月{}日 {:02}:{:02}", t.month(), t.day(), t.hour(), t.minute());
    if t.year() == city_today().year() {
        day
    } else {
        format!("{}年{}", t.year(), day)
    }
}

/// "2025年11月29日 14:05".
pub fn long(at: DateTime<Utc>) -> String {
    let t = city_time(at);
    format!("{}年{}月{}日 {:02}:{:02}", t.year(), t.month(), t.day(), t.hour(), t.minute())
}

/// "2025年11月1日".
pub fn date_label(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// The first day of the month `d` is in.
pub fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}
