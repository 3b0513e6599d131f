//! Queries of the due-soon reminders: the items whose stage falls due soon, and one reminder row per item and due
//! time, whoever inserts it first.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::item::ItemStatus;

use super::models::ItemRow;
use super::schema::{items, reminders};
use super::DbConn;

/// At most this many items are reminded of in one round.
const ROUND_LIMIT: i64 = 200;

/// Items not closed whose stage falls due after `now` and before `soon`, the soonest first.
pub fn falling_due(conn: &mut DbConn, now: NaiveDateTime, soon: NaiveDateTime) -> QueryResult<Vec<ItemRow>> {
    items::table
        .filter(items::status.ne(ItemStatus::Closed))
        .filter(items::stage_due_at.gt(now))
        .filter(items::stage_due_at.lt(soon))
        .order(items::stage_due_at.asc())
        .limit(ROUND_LIMIT)
        .select(ItemRow::as_select())
        .load(conn)
}

/// The (item, due time) of every reminder already sent for these items.
pub fn sent_for(conn: &mut DbConn, item_ids: &[&str]) -> QueryResult<Vec<(String, NaiveDateTime)>> {
    reminders::table
        .filter(reminders::item_id.eq_any(item_ids))
        .select((reminders::item_id, reminders::due_at))
        .load(conn)
}

/// Records the reminder of an item's due time in a savepoint; false if another instance recorded it first (the
/// primary key refuses this one and only the savepoint is rolled back).
pub fn record(conn: &mut DbConn, item_id: &str, due_at: NaiveDateTime, now: NaiveDateTime) -> QueryResult<bool> {
    let inserted = conn.transaction::<_, diesel::result::Error, _>(|c| {
        diesel::insert_into(reminders::table)
            .values((reminders::item_id.eq(item_id), reminders::due_at.eq(due_at), reminders::sent_at.eq(now)))
            .execute(c)
    });
    match inserted {
        Ok(_) => Ok(true),
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(e) => Err(e),
    }
}
