//! Queries on the city's settings (key and value) and the holiday table with its 调休 make-up working days.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::models::HolidayRow;
use super::schema::{holidays, settings};
use super::DbConn;

/// A setting's stored value, if set.
pub fn get(conn: &mut DbConn, key: &str) -> QueryResult<Option<String>> {
    settings::table.find(key).select(settings::value).first(conn).optional()
}

/// Sets a setting, replacing its value.
pub fn set(conn: &mut DbConn, key: &str, value: &str) -> QueryResult<()> {
    diesel::delete(settings::table.find(key)).execute(conn)?;
    diesel::insert_into(settings::table).values((settings::key.eq(key), settings::value.eq(value))).execute(conn)?;
    Ok(())
}

/// Every day of the holiday table and whether it is a make-up working day.
pub fn all_holidays(conn: &mut DbConn) -> QueryResult<Vec<(NaiveDate, bool)>> {
    holidays::table.select((holidays::day, holidays::workday)).load(conn)
}

/// The holiday table from `from` to `to` (both included), by day.
pub fn holidays_between(conn: &mut DbConn, from: NaiveDate, to: NaiveDate) -> QueryResult<Vec<HolidayRow>> {
    holidays::table
        .filter(holidays::day.ge(from))
        .filter(holidays::day.le(to))
        .order(holidays::day)
        .select(HolidayRow::as_select())
        .load(conn)
}

/// Replaces the holiday table from `from` to `to` (both included) with these days.
pub fn replace_holidays(conn: &mut DbConn, from: NaiveDate, to: NaiveDate, rows: &[HolidayRow]) -> QueryResult<()> {
    diesel::delete(holidays::table.filter(holidays::day.ge(from)).filter(holidays::day.le(to))).execute(conn)?;
    for r in rows {
        diesel::insert_into(holidays::table).values(r).execute(conn)?;
    }
    Ok(())
}
