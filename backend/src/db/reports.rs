//! Queries on the monthly 民情专报 (附件4) and the versions of its text.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::stats::ReportStatus;

use super::models::{ReportRow, ReportVersionRow};
use super::schema::{report_versions, reports, users};
use super::DbConn;

pub fn get(conn: &mut DbConn, id: i64) -> QueryResult<Option<ReportRow>> {
    reports::table.find(id).select(ReportRow::as_select()).first(conn).optional()
}

/// The id of a street's report of a month, if drafted.
pub fn of_month(conn: &mut DbConn, street_id: i64, year: i32, month: u32) -> QueryResult<Option<i64>> {
    reports::table
        .filter(reports::street_id.eq(street_id))
        .filter(reports::year.eq(year))
        .filter(reports::month.eq(month as i32))
        .select(reports::id)
        .first(conn)
        .optional()
}

/// Every report (of one year when given), newest month first, then by street.
pub fn list(conn: &mut DbConn, year: Option<i32>) -> QueryResult<Vec<ReportRow>> {
    let mut q = reports::table.into_boxed::<super::items::Backend>();
    if let Some(y) = year {
        q = q.filter(reports::year.eq(y));
    }
    q.order((reports::year.desc(), reports::month.desc(), reports::street_id)).select(ReportRow::as_select()).load(conn)
}

/// A report's saved versions, newest first, with the name of who saved each (none for the system's draft).
pub fn versions(conn: &mut DbConn, report_id: i64) -> QueryResult<Vec<(ReportVersionRow, Option<String>)>> {
    report_versions::table
        .left_join(users::table)
        .filter(report_versions::report_id.eq(report_id))
        .order(report_versions::version.desc())
        .select((ReportVersionRow::as_select(), users::display_name.nullable()))
        .load(conn)
}

/// The highest 第N期 number a street's reports of a year have.
pub fn last_number(conn: &mut DbConn, street_id: i64, year: i32) -> QueryResult<Option<i64>> {
    reports::table
        .filter(reports::street_id.eq(street_id))
        .filter(reports::year.eq(year))
        .select(diesel::dsl::max(reports::number))
        .first(conn)
}

/// A drafted report, as the system writes it on the 1st.
pub struct Draft<'a> {
    pub street_id: i64,
    pub year: i32,
    pub month: u32,
    pub number: i64,
    pub sections: (&'a str, &'a str),
    pub figures_json: &'a str,
    pub at: NaiveDateTime,
}

/// Inserts a draft and its first version in a transaction of their own (a savepoint inside the caller's): a clash
/// on a unique key leaves nothing behind.
pub fn insert_draft(conn: &mut DbConn, d: &Draft<'_>) -> QueryResult<i64> {
    let (s1, s2) = d.sections;
    conn.transaction(|c| {
        let id: i64 = diesel::insert_into(reports::table)
            .values((
                reports::street_id.eq(d.street_id),
                reports::year.eq(d.year),
                reports::month.eq(d.month as i32),
                reports::number.eq(d.number),
                reports::status.eq(ReportStatus::Draft),
                reports::section1.eq(s1),
                reports::section2.eq(s2),
                reports::section3.eq(""),
                reports::figures.eq(d.figures_json),
                reports::version.eq(1i64),
                reports::created_at.eq(d.at),
                reports::updated_at.eq(d.at),
            ))
            .returning(reports::id)
            .get_result(c)?;
        diesel::insert_into(report_versions::table)
            .values((
                report_versions::report_id.eq(id),
                report_versions::version.eq(1i64),
                report_versions::section1.eq(s1),
                report_versions::section2.eq(s2),
                report_versions::section3.eq(""),
                report_versions::saved_at.eq(d.at),
            ))
            .execute(c)?;
        Ok(id)
    })
}

/// Saves the three sections as version `expected + 1` if the report is still at `expected` (compare-and-set) and
/// records the version; `submitted` marks it submitted. False when someone saved first.
pub fn save_version(
    conn: &mut DbConn,
    report_id: i64,
    expected: i64,
    (s1, s2, s3): (&str, &str, &str),
    submitted: Option<NaiveDateTime>,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let next = expected + 1;
    let status = if submitted.is_some() { ReportStatus::Submitted } else { ReportStatus::Draft };
    let n = diesel::update(reports::table.filter(reports::id.eq(report_id)).filter(reports::version.eq(expected)))
        .set((
            reports::section1.eq(s1),
            reports::section2.eq(s2),
            reports::section3.eq(s3),
            reports::version.eq(next),
            reports::status.eq(status),
            reports::updated_at.eq(now),
            reports::submitted_at.eq(submitted),
            reports::submitted_by.eq(submitted.map(|_| by)),
        ))
        .execute(conn)?;
    if n == 0 {
        return Ok(false);
    }
    diesel::insert_into(report_versions::table)
        .values((
            report_versions::report_id.eq(report_id),
            report_versions::version.eq(next),
            report_versions::section1.eq(s1),
            report_versions::section2.eq(s2),
            report_versions::section3.eq(s3),
            report_versions::saved_at.eq(now),
            report_versions::saved_by.eq(by),
        ))
        .execute(conn)?;
    Ok(true)
}
