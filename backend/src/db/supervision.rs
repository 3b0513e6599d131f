//! Queries of the supervision office (第八条′): the city's overdue items and the chase notices (催办) sent.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::item::ItemStatus;

use super::models::ItemRow;
use super::schema::{chases, item_events, items};
use super::DbConn;

/// At most this many overdue items are listed.
const OVERDUE_LIMIT: i64 = 2000;

/// Items not closed whose stage's clock ran out before `now`, the longest overdue first.
pub fn overdue_items(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<Vec<ItemRow>> {
    items::table
        .filter(items::status.ne(ItemStatus::Closed))
        .filter(items::stage_due_at.lt(now))
        .order(items::stage_due_at.asc())
        .limit(OVERDUE_LIMIT)
        .select(ItemRow::as_select())
        .load(conn)
}

/// One item id per chase of these items (an item chased twice appears twice).
pub fn chases_of_items(conn: &mut DbConn, item_ids: &[&str]) -> QueryResult<Vec<String>> {
    chases::table.filter(chases::item_id.eq_any(item_ids)).select(chases::item_id).load(conn)
}

/// A chase notice sent to the unit holding an item at its stage.
pub struct NewChase<'a> {
    pub item_id: &'a str,
    pub unit_id: i64,
    pub stage: ItemStatus,
    pub note: &'a str,
    pub at: NaiveDateTime,
    pub by_id: i64,
}

pub fn insert_chase(conn: &mut DbConn, c: &NewChase<'_>) -> QueryResult<()> {
    diesel::insert_into(chases::table)
        .values((
            chases::item_id.eq(c.item_id),
            chases::unit_id.eq(c.unit_id),
            chases::stage.eq(c.stage),
            chases::note.eq(c.note),
            chases::at.eq(c.at),
            chases::by_id.eq(c.by_id),
        ))
        .execute(conn)
        .map(drop)
}

/// The community and item of every correction (更正) since `since`.
pub fn corrections_since(conn: &mut DbConn, since: NaiveDateTime) -> QueryResult<Vec<(i64, String)>> {
    let corrected: Vec<String> = item_events::table
        .filter(item_events::kind.eq(shared::journey::EventKind::Corrected))
        .filter(item_events::at.ge(since))
        .select(item_events::item_id)
        .load(conn)?;
    let community: std::collections::HashMap<String, i64> = items::table
        .filter(items::id.eq_any(&corrected))
        .select((items::id, items::community_id))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    Ok(corrected.into_iter().filter_map(|item| Some((*community.get(&item)?, item))).collect())
}

/// The unit and item of every chase since `since`.
pub fn chases_since(conn: &mut DbConn, since: NaiveDateTime) -> QueryResult<Vec<(i64, String)>> {
    chases::table.filter(chases::at.ge(since)).select((chases::unit_id, chases::item_id)).load(conn)
}
