//! Queries of day 10 (第七条2): the on-site offices and meetings recorded on a dispatch, and the dispatches that
//! reached day 10 unsolved, told once each.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::item::ItemStatus;
use shared::onsite::{OnsiteAttendee, OnsiteKind};

use super::models::DispatchRow;
use super::schema::{day_ten_notices, dispatches, items, onsite_records};
use super::DbConn;

/// An on-site record as stored; `attendees` is JSON.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = onsite_records)]
pub struct OnsiteRow {
    pub id: i64,
    pub item_id: String,
    pub dispatch_id: i64,
    pub kind: OnsiteKind,
    pub unit_id: i64,
    pub held_at: NaiveDateTime,
    pub place: String,
    pub attendees: String,
    pub findings: String,
    pub measures: String,
    pub recorded_by: i64,
    pub recorded_at: NaiveDateTime,
}

impl OnsiteRow {
    pub fn attendees(&self) -> Vec<OnsiteAttendee> {
        serde_json::from_str(&self.attendees).unwrap_or_default()
    }
}

/// A record to add.
pub struct NewOnsite<'a> {
    pub item_id: &'a str,
    pub dispatch_id: i64,
    pub kind: OnsiteKind,
    pub unit_id: i64,
    pub held_at: NaiveDateTime,
    pub place: &'a str,
    pub attendees: &'a [OnsiteAttendee],
    pub findings: &'a str,
    pub measures: &'a str,
    pub recorded_by: i64,
    pub recorded_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, r: &NewOnsite<'_>) -> QueryResult<()> {
    let attendees = serde_json::to_string(r.attendees).unwrap_or_else(|_| "[]".into());
    diesel::insert_into(onsite_records::table)
        .values((
            onsite_records::item_id.eq(r.item_id),
            onsite_records::dispatch_id.eq(r.dispatch_id),
            onsite_records::kind.eq(r.kind),
            onsite_records::unit_id.eq(r.unit_id),
            onsite_records::held_at.eq(r.held_at),
            onsite_records::place.eq(r.place),
            onsite_records::attendees.eq(attendees),
            onsite_records::findings.eq(r.findings),
            onsite_records::measures.eq(r.measures),
            onsite_records::recorded_by.eq(r.recorded_by),
            onsite_records::recorded_at.eq(r.recorded_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The records of one dispatch, oldest first.
pub fn of_dispatch(conn: &mut DbConn, dispatch_id: i64) -> QueryResult<Vec<OnsiteRow>> {
    onsite_records::table
        .filter(onsite_records::dispatch_id.eq(dispatch_id))
        .order((onsite_records::held_at.asc(), onsite_records::id.asc()))
        .select(OnsiteRow::as_select())
        .load(conn)
}

/// Whether the dispatch has an on-site record.
pub fn recorded(conn: &mut DbConn, dispatch_id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(onsite_records::table.filter(onsite_records::dispatch_id.eq(dispatch_id))))
        .get_result(conn)
}

/// Of these items, those whose current dispatch has an on-site record.
pub fn items_recorded(conn: &mut DbConn, item_ids: &[String]) -> QueryResult<Vec<String>> {
    onsite_records::table
        .inner_join(dispatches::table.on(dispatches::id.eq(onsite_records::dispatch_id)))
        .filter(onsite_records::item_id.eq_any(item_ids))
        .filter(dispatches::rejected_at.is_null())
        .select(onsite_records::item_id)
        .distinct()
        .load(conn)
}

/// The accepted, unreturned dispatches of these items (one per item being handled).
pub fn handling_dispatches(conn: &mut DbConn, item_ids: &[String]) -> QueryResult<Vec<DispatchRow>> {
    dispatches::table
        .filter(dispatches::item_id.eq_any(item_ids))
        .filter(dispatches::accepted_at.is_not_null())
        .filter(dispatches::returned_at.is_null())
        .filter(dispatches::rejected_at.is_null())
        .select(DispatchRow::as_select())
        .load(conn)
}

/// Dispatches being handled (the item in progress), accepted before `accepted_before`, not yet told of day 10: the
/// candidates for the day-10 notice (whether day 10 has come is the calendar's answer, per dispatch).
pub fn untold_before(conn: &mut DbConn, accepted_before: NaiveDateTime, limit: i64) -> QueryResult<Vec<DispatchRow>> {
    let told = day_ten_notices::table.select(day_ten_notices::dispatch_id);
    dispatches::table
        .inner_join(items::table.on(items::id.eq(dispatches::item_id)))
        .filter(items::status.eq(ItemStatus::InProgress))
        .filter(dispatches::accepted_at.le(accepted_before))
        .filter(dispatches::returned_at.is_null())
        .filter(dispatches::rejected_at.is_null())
        .filter(dispatches::id.ne_all(told))
        .order(dispatches::accepted_at.asc())
        .limit(limit)
        .select(DispatchRow::as_select())
        .load(conn)
}

/// Notes that the dispatch's day 10 was told; false when another instance did so first.
pub fn mark_told(conn: &mut DbConn, d: &DispatchRow, now: NaiveDateTime) -> QueryResult<bool> {
    // A savepoint: the unique violation of a second instance must not spoil the round's transaction.
    let inserted = conn.transaction::<_, diesel::result::Error, _>(|c| {
        diesel::insert_into(day_ten_notices::table)
            .values((
                day_ten_notices::dispatch_id.eq(d.id),
                day_ten_notices::item_id.eq(&d.item_id),
                day_ten_notices::told_at.eq(now),
            ))
            .execute(c)
    });
    match inserted {
        Ok(_) => Ok(true),
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(e) => Err(e),
    }
}
