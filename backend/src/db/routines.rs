//! Queries on the collection routines of 第六条: meetings and receptions (visits: `visits.rs`).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::models::{MeetingRow, ReceptionPlanRow, ReceptionRow};
use super::schema::{meetings, reception_plans, receptions};
use super::DbConn;

/// A meeting by id.
pub fn meeting(conn: &mut DbConn, id: &str) -> QueryResult<Option<MeetingRow>> {
    meetings::table.find(id).select(MeetingRow::as_select()).first(conn).optional()
}

/// A reception by id.
pub fn reception(conn: &mut DbConn, id: &str) -> QueryResult<Option<ReceptionRow>> {
    receptions::table.find(id).select(ReceptionRow::as_select()).first(conn).optional()
}

/// Records a meeting.
pub fn insert_meeting(conn: &mut DbConn, row: &MeetingRow) -> QueryResult<()> {
    diesel::insert_into(meetings::table).values(row).execute(conn)?;
    Ok(())
}

/// The meetings at these stations held on days in `from..until`, newest first (then last recorded first).
pub fn meetings_held_between(
    conn: &mut DbConn,
    station_ids: &[i64],
    from: NaiveDate,
    until: NaiveDate,
) -> QueryResult<Vec<MeetingRow>> {
    meetings::table
        .filter(meetings::station_id.eq_any(station_ids))
        .filter(meetings::held_on.ge(from))
        .filter(meetings::held_on.lt(until))
        .order((meetings::held_on.desc(), meetings::created_at.desc()))
        .select(MeetingRow::as_select())
        .load(conn)
}

/// Records a reception.
pub fn insert_reception(conn: &mut DbConn, row: &ReceptionRow) -> QueryResult<()> {
    diesel::insert_into(receptions::table).values(row).execute(conn)?;
    Ok(())
}

/// The receptions held at these stations on days in `from..until`, by day then id.
pub fn receptions_held_between(
    conn: &mut DbConn,
    station_ids: &[i64],
    from: NaiveDate,
    until: NaiveDate,
) -> QueryResult<Vec<ReceptionRow>> {
    receptions::table
        .filter(receptions::station_id.eq_any(station_ids))
        .filter(receptions::held_on.ge(from))
        .filter(receptions::held_on.lt(until))
        .order((receptions::held_on, receptions::id))
        .select(ReceptionRow::as_select())
        .load(conn)
}

/// A reception plan by id, whether on the schedule or taken off it.
pub fn reception_plan(conn: &mut DbConn, id: i64) -> QueryResult<Option<ReceptionPlanRow>> {
    reception_plans::table.find(id).select(ReceptionPlanRow::as_select()).first(conn).optional()
}

/// The plans on the schedule at these stations, oldest first.
pub fn active_reception_plans_at(conn: &mut DbConn, station_ids: &[i64]) -> QueryResult<Vec<ReceptionPlanRow>> {
    reception_plans::table
        .filter(reception_plans::station_id.eq_any(station_ids))
        .filter(reception_plans::active.eq(true))
        .order(reception_plans::id)
        .select(ReceptionPlanRow::as_select())
        .load(conn)
}

/// A reception to put on the schedule: weekly on `weekday` (1 = Monday), or else once on `on_date`.
pub struct NewPlan {
    pub host_id: i64,
    pub station_id: i64,
    pub weekday: Option<i32>,
    pub on_date: Option<NaiveDate>,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
}

/// The id of a plan on the schedule with the same host, station and weekday (or, without a weekday, the same day).
pub fn same_active_reception_plan(conn: &mut DbConn, plan: &NewPlan) -> QueryResult<Option<i64>> {
    let same = reception_plans::table
        .filter(reception_plans::active.eq(true))
        .filter(reception_plans::host_id.eq(plan.host_id))
        .filter(reception_plans::station_id.eq(plan.station_id))
        .into_boxed();
    let same = match (plan.weekday, plan.on_date) {
        (Some(w), _) => same.filter(reception_plans::weekday.eq(w)),
        (None, d) => same.filter(reception_plans::on_date.eq(d)),
    };
    same.select(reception_plans::id).first::<i64>(conn).optional()
}

/// Puts a plan on the schedule; the row as stored.
pub fn insert_reception_plan(conn: &mut DbConn, plan: &NewPlan) -> QueryResult<ReceptionPlanRow> {
    let id: i64 = diesel::insert_into(reception_plans::table)
        .values((
            reception_plans::host_id.eq(plan.host_id),
            reception_plans::station_id.eq(plan.station_id),
            reception_plans::weekday.eq(plan.weekday),
            reception_plans::on_date.eq(plan.on_date),
            reception_plans::active.eq(true),
            reception_plans::created_by.eq(plan.created_by),
            reception_plans::created_at.eq(plan.created_at),
        ))
        .returning(reception_plans::id)
        .get_result(conn)?;
    reception_plans::table.find(id).select(ReceptionPlanRow::as_select()).first(conn)
}

/// Takes a plan off the schedule (the row stays for the history).
pub fn deactivate_reception_plan(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::update(reception_plans::table.find(id)).set(reception_plans::active.eq(false)).execute(conn)?;
    Ok(())
}
