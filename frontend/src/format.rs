//! Dates and times as the city reads them: the city's clock, and every way the pages write a day, a time or a month
//! (and read one from an input). The city is in Asia/Shanghai, which has had no daylight saving since 1991, so a
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

/// 收集时间 as noted, and when the item reached the server if it was noted offline (or entered later):
/// "2026年11月18日 09:00（离线记录，2026年11月18日 10:30到达）". Every clock started when it arrived.
pub fn collected(item: &shared::item::Item) -> String {
    if item.noted_before_arrival() {
        format!("{}（离线记录，{}到达）", long(item.collected_at), long(item.created_at))
    } else {
        long(item.collected_at)
    }
}

/// 办结时间 of a 返单, the server's time that decides 按时, with the finish the department noted beside it when
/// that differs: "2026年11月20日 10:00（部门填报完成：2026年11月19日 18:00）".
pub fn finish(returned_at: DateTime<Utc>, noted: Option<DateTime<Utc>>) -> String {
    match noted {
        Some(n) if (returned_at - n).num_minutes().abs() >= 1 => {
            format!("{}（部门填报完成：{}）", long(returned_at), long(n))
        }
        _ => long(returned_at),
    }
}

/// "2025年11月29日 14:05:09": to the second, for records kept as evidence.
pub fn to_the_second(at: DateTime<Utc>) -> String {
    let t = city_time(at);
    format!("{}年{}月{}日 {:02}:{:02}:{:02}", t.year(), t.month(), t.day(), t.hour(), t.minute(), t.second())
}

/// "2025年11月1日".
pub fn date_label(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// The first day of the month `d` is in.
pub fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// "2025年11月29日".
pub fn day_of(at: DateTime<Utc>) -> String {
    date_label(city_time(at).date())
}

/// How long until `due` as people read a deadline: "剩余2天3小时", or "已超时1天5小时" past it (`true`).
pub fn countdown(due: DateTime<Utc>, now: DateTime<Utc>) -> (String, bool) {
    let overdue = now > due;
    let minutes = if overdue { (now - due).num_minutes() } else { (due - now).num_minutes() };
    let (days, hours, mins) = (minutes / (24 * 60), (minutes / 60) % 24, minutes % 60);
    let span = if days > 0 {
        format!("{days}天{hours}小时")
    } else if hours > 0 {
        format!("{hours}小时{mins}分钟")
    } else {
        format!("{}分钟", mins.max(1))
    };
    if overdue {
        (format!("已超时{span}"), true)
    } else {
        (format!("剩余{span}"), false)
    }
}

/// The value of an `<input type="datetime-local">` for an instant, in city time: "2025-11-29T14:05".
pub fn to_input(at: DateTime<Utc>) -> String {
    city_time(at).format("%Y-%m-%dT%H:%M").to_string()
}

/// Reads an `<input type="datetime-local">` value, taken as city time.
pub fn from_input(value: &str) -> Option<DateTime<Utc>> {
    let value = value.trim();
    let local = NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    Some((local - Duration::hours(CITY_OFFSET_HOURS)).and_utc())
}

/// "周一" … "周日".
pub fn weekday_label(d: NaiveDate) -> &'static str {
    ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][d.weekday().num_days_from_monday() as usize]
}

/// "周一" … "周日" for 1 = Monday … 7 = Sunday.
pub fn weekday_name(weekday: u32) -> &'static str {
    match weekday {
        1 => "周一",
        2 => "周二",
        3 => "周三",
        4 => "周四",
        5 => "周五",
        6 => "周六",
        7 => "周日",
        _ => "",
    }
}

/// Reads an `<input type="date">` value.
pub fn parse_day(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").ok()
}

/// The value of an `<input type="date">`.
pub fn day_input(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// "11月5日 周三".
pub fn day_with_weekday(d: NaiveDate) -> String {
    format!("{}月{}日 {}", d.month(), d.day(), weekday_label(d))
}

/// "2026年11月5日（周三）".
pub fn long_day(d: NaiveDate) -> String {
    format!("{}（{}）", date_label(d), weekday_label(d))
}

/// "2026年11月29日 周六".
pub fn day_title(d: NaiveDate) -> String {
    format!("{} {}", date_label(d), weekday_label(d))
}

/// "09:05", city time.
pub fn clock_time(at: DateTime<Utc>) -> String {
    city_time(at).format("%H:%M").to_string()
}

/// "2026年11月".
pub fn month_label(year: i32, month: u32) -> String {
    format!("{year}年{month}月")
}

/// The day a monthly report is due, "2026年12月5日" (`due_at` is the end of the 5th).
pub fn due_day(due_at: DateTime<Utc>) -> String {
    day_of(due_at - Duration::seconds(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn a_returns_finish_shows_the_departments_noted_time_only_when_it_differs() {
        let back = utc("2026-11-20T02:00:00Z");
        assert_eq!(finish(back, None), "2026年11月20日 10:00");
        assert_eq!(finish(back, Some(back - Duration::seconds(20))), "2026年11月20日 10:00");
        assert_eq!(
            finish(back, Some(utc("2026-11-19T10:00:00Z"))),
            "2026年11月20日 10:00（部门填报完成：2026年11月19日 18:00）"
        );
    }

    #[test]
    fn the_city_day_turns_at_midnight_city_time_not_utc() {
        // 15:59:59 UTC on 31 December is 23:59:59 in the city; a second later it is New Year's Day.
        assert_eq!(day_of(utc("2026-12-31T15:59:59Z")), "2026年12月31日");
        assert_eq!(day_of(utc("2026-12-31T16:00:00Z")), "2027年1月1日");
        assert_eq!(to_the_second(utc("2028-02-28T16:00:05Z")), "2028年2月29日 00:00:05");
        assert_eq!(long(utc("2026-11-30T16:00:00Z")), "2026年12月1日 00:00");
    }

    #[test]
    fn datetime_inputs_read_and_write_city_time() {
        let at = utc("2026-12-06T15:59:00Z");
        assert_eq!(to_input(at), "2026-12-06T23:59");
        assert_eq!(from_input("2026-12-06T23:59"), Some(at));
        assert_eq!(from_input(" 2026-12-06T23:59:30 "), Some(at + Duration::seconds(30)));
        assert_eq!(from_input("2026-02-30T10:00"), None, "no 30 February");
        assert_eq!(from_input("明天"), None);
    }

    #[test]
    fn months_and_weekdays() {
        let leap = NaiveDate::from_ymd_opt(2028, 2, 29).unwrap();
        assert_eq!(month_start(leap), NaiveDate::from_ymd_opt(2028, 2, 1).unwrap());
        assert_eq!(weekday_label(leap), "周二");
        assert_eq!(weekday_label(NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()), "周日");
        assert_eq!(date_label(leap), "2028年2月29日");
        assert_eq!(weekday_name(2), "周二");
        assert_eq!(weekday_name(8), "");
        assert_eq!(day_with_weekday(leap), "2月29日 周二");
        assert_eq!(long_day(leap), "2028年2月29日（周二）");
        assert_eq!(day_title(leap), "2028年2月29日 周二");
        assert_eq!(month_label(2028, 2), "2028年2月");
    }

    #[test]
    fn date_inputs_and_clock_times() {
        let leap = NaiveDate::from_ymd_opt(2028, 2, 29).unwrap();
        assert_eq!(day_input(leap), "2028-02-29");
        assert_eq!(parse_day(" 2028-02-29 "), Some(leap));
        assert_eq!(parse_day("2027-02-29"), None);
        assert_eq!(clock_time(utc("2026-12-31T16:05:00Z")), "00:05");
        // Due at the end of the 5th (midnight into the 6th, city time): the 5th.
        assert_eq!(due_day(utc("2026-12-05T16:00:00Z")), "2026年12月5日");
    }

    #[test]
    fn countdowns_read_as_people_say_them() {
        let due = utc("2026-12-01T02:00:00Z");
        assert_eq!(countdown(due, due - Duration::hours(51)), ("剩余2天3小时".to_string(), false));
        assert_eq!(countdown(due, due - Duration::seconds(20)), ("剩余1分钟".to_string(), false));
        assert_eq!(countdown(due, due + Duration::minutes(65)), ("已超时1小时5分钟".to_string(), true));
    }
}
