//! The street leaders' own direct reports of major items (第七条4), logged on the item.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::direct_line::ReportChannel;

use super::schema::leader_reports;
use super::DbConn;

/// A logged report as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = leader_reports)]
pub struct LeaderReportRow {
    pub id: i64,
    pub item_id: String,
    pub how: ReportChannel,
    pub to_whom: String,
    pub reported_at: NaiveDateTime,
    pub note: Option<String>,
    pub by_id: i64,
    pub recorded_at: NaiveDateTime,
}

/// A report to log.
pub struct NewReport<'a> {
    pub item_id: &'a str,
    pub how: ReportChannel,
    pub to_whom: &'a str,
    pub reported_at: NaiveDateTime,
    pub note: Option<&'a str>,
    pub by_id: i64,
    pub recorded_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, r: &NewReport<'_>) -> QueryResult<()> {
    diesel::insert_into(leader_reports::table)
        .values((
            leader_reports::item_id.eq(r.item_id),
            leader_reports::how.eq(r.how),
            leader_reports::to_whom.eq(r.to_whom),
            leader_reports::reported_at.eq(r.reported_at),
            leader_reports::note.eq(r.note),
            leader_reports::by_id.eq(r.by_id),
            leader_reports::recorded_at.eq(r.recorded_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The reports logged on an item, in the order they were made.
pub fn of_item(conn: &mut DbConn, item_id: &str) -> QueryResult<Vec<LeaderReportRow>> {
    leader_reports::table
        .filter(leader_reports::item_id.eq(item_id))
        .order((leader_reports::reported_at.asc(), leader_reports::id.asc()))
        .select(LeaderReportRow::as_select())
        .load(conn)
}
