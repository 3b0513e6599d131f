//! Queries of the supervision office (第八条′): the city's overdue items and the chase notices (催办) sent.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::item::ItemStatus;

use super::models::ItemRow;
use super::schema::{chases, dispatches, item_events, items};
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
    /// The unit answers by then.
    pub answer_due_at: NaiveDateTime,
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
            chases::answer_due_at.eq(c.answer_due_at),
        ))
        .execute(conn)
        .map(drop)
}

/// A chase as stored, with the chased unit's answer.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = chases)]
pub struct ChaseRow {
    pub id: i64,
    pub item_id: String,
    pub unit_id: i64,
    pub stage: ItemStatus,
    pub note: String,
    pub at: NaiveDateTime,
    pub by_id: i64,
    pub answer_due_at: Option<NaiveDateTime>,
    pub reply: Option<String>,
    pub promised_at: Option<NaiveDateTime>,
    pub replied_at: Option<NaiveDateTime>,
    pub replied_by: Option<i64>,
    pub escalated_at: Option<NaiveDateTime>,
}

/// The chases of an item, oldest first.
pub fn chases_of_item(conn: &mut DbConn, item_id: &str) -> QueryResult<Vec<ChaseRow>> {
    chases::table.filter(chases::item_id.eq(item_id)).order(chases::id).select(ChaseRow::as_select()).load(conn)
}

pub fn chase(conn: &mut DbConn, id: i64) -> QueryResult<Option<ChaseRow>> {
    chases::table.find(id).select(ChaseRow::as_select()).first(conn).optional()
}

/// Records the chased unit's answer, once; false when it was already answered.
pub fn answer_chase(
    conn: &mut DbConn,
    id: i64,
    (reply, promised_at): (&str, NaiveDateTime),
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(chases::table.find(id).filter(chases::replied_at.is_null()))
        .set((
            chases::reply.eq(reply),
            chases::promised_at.eq(promised_at),
            chases::replied_at.eq(now),
            chases::replied_by.eq(by),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Chases not answered by their time and not yet escalated, oldest first.
pub fn unanswered_past_due(conn: &mut DbConn, now: NaiveDateTime, limit: i64) -> QueryResult<Vec<ChaseRow>> {
    chases::table
        .filter(chases::replied_at.is_null())
        .filter(chases::escalated_at.is_null())
        .filter(chases::answer_due_at.lt(now))
        .order(chases::id)
        .limit(limit)
        .select(ChaseRow::as_select())
        .load(conn)
}

/// Marks a chase escalated; false when another instance did so first.
pub fn mark_escalated(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(chases::table.find(id).filter(chases::escalated_at.is_null()))
        .set(chases::escalated_at.eq(now))
        .execute(conn)?;
    Ok(n == 1)
}

/// The unit of every chase since `since` not answered by its time (escalated, or past due and unanswered at `now`).
pub fn unanswered_since(conn: &mut DbConn, since: NaiveDateTime, now: NaiveDateTime) -> QueryResult<Vec<i64>> {
    chases::table
        .filter(chases::at.ge(since))
        .filter(chases::escalated_at.is_not_null().or(chases::replied_at.is_null().and(chases::answer_due_at.lt(now))))
        .select(chases::unit_id)
        .load(conn)
}

/// The department of every dispatch returned (退单) since `since`.
pub fn rejections_since(conn: &mut DbConn, since: NaiveDateTime) -> QueryResult<Vec<i64>> {
    dispatches::table.filter(dispatches::rejected_at.ge(since)).select(dispatches::department_id).load(conn)
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
