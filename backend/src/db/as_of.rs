//! Items and ratings as they stood at a moment, for a closed month's figures (issue 16): each item write leaves a line
//! in `item_states` and each changed rating its former answers in `rating_revisions`, so a month counted as of its end
//! reads what was true then, whatever happened since. Also the records made after a month closed that concern it (the
//! late lines).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::item::ItemStatus;
use shared::journey::EventKind;
use shared::voice::Answer;
use shared::{ItemType, Level, Outcome};
use std::collections::HashMap;

use super::models::{ItemRow, RatingRow};
use super::schema::{item_events, item_states, items, rating_revisions, ratings};
use super::DbConn;

/// How many ids one `IN (…)` list holds, well under either engine's limit of bound values.
const CHUNK: usize = 5_000;

/// Notes an item's stage as just written (its `updated_at`).
pub fn record_state(conn: &mut DbConn, row: &ItemRow) -> QueryResult<()> {
    diesel::insert_into(item_states::table)
        .values((
            item_states::item_id.eq(&row.id),
            item_states::since.eq(row.updated_at),
            item_states::status.eq(row.status),
            item_states::outcome.eq(row.outcome),
            item_states::item_type.eq(row.item_type),
            item_states::level.eq(row.level),
            item_states::stage_due_at.eq(row.stage_due_at),
        ))
        .execute(conn)
        .map(|_| ())
}

type State = (String, ItemStatus, Option<Outcome>, ItemType, Level, Option<NaiveDateTime>);

/// The items that had reached the server by `as_of`, each as it stood then: its stage, outcome, type, level and stage
/// deadline. An item last written before `as_of` is as it is; one written since takes its last state up to `as_of`
/// (an item with no such state, from before states were kept, stays as it is).
pub fn items_as_of(conn: &mut DbConn, rows: Vec<ItemRow>, as_of: NaiveDateTime) -> QueryResult<Vec<ItemRow>> {
    let mut rows: Vec<ItemRow> = rows.into_iter().filter(|r| r.created_at <= as_of).collect();
    let changed: Vec<String> = rows.iter().filter(|r| r.updated_at > as_of).map(|r| r.id.clone()).collect();
    let mut then: HashMap<String, State> = HashMap::new();
    for ids in changed.chunks(CHUNK) {
        let states: Vec<State> = item_states::table
            .filter(item_states::item_id.eq_any(ids))
            .filter(item_states::since.le(as_of))
            .order((item_states::since.asc(), item_states::id.asc()))
            .select((
                item_states::item_id,
                item_states::status,
                item_states::outcome,
                item_states::item_type,
                item_states::level,
                item_states::stage_due_at,
            ))
            .load(conn)?;
        for s in states {
            then.insert(s.0.clone(), s);
        }
    }
    for r in &mut rows {
        if let Some((_, status, outcome, item_type, level, due)) = then.remove(&r.id) {
            (r.status, r.outcome, r.item_type, r.level, r.stage_due_at) = (status, outcome, item_type, level, due);
        }
    }
    Ok(rows)
}

type Revision = (i64, Answer, Answer, Answer, bool);

/// The ratings with the answers they held at `as_of`: a rating changed since takes the answers its first change
/// after `as_of` replaced.
pub fn ratings_as_of(conn: &mut DbConn, rows: Vec<RatingRow>, as_of: NaiveDateTime) -> QueryResult<Vec<RatingRow>> {
    let mut rows: Vec<RatingRow> = rows.into_iter().filter(|r| r.created_at <= as_of).collect();
    let changed: Vec<i64> = rows.iter().filter(|r| r.updated_at > as_of).map(|r| r.id).collect();
    let mut then: HashMap<i64, Revision> = HashMap::new();
    for ids in changed.chunks(CHUNK) {
        let revisions: Vec<Revision> = rating_revisions::table
            .filter(rating_revisions::rating_id.eq_any(ids))
            .filter(rating_revisions::replaced_at.gt(as_of))
            .order((rating_revisions::replaced_at.asc(), rating_revisions::id.asc()))
            .select((
                rating_revisions::rating_id,
                rating_revisions::timely,
                rating_revisions::attitude,
                rating_revisions::result,
                rating_revisions::not_solved,
            ))
            .load(conn)?;
        for r in revisions {
            then.entry(r.0).or_insert(r);
        }
    }
    for r in &mut rows {
        if let Some((_, timely, attitude, result, not_solved)) = then.remove(&r.id) {
            (r.timely, r.attitude, r.result, r.not_solved) = (timely, attitude, result, not_solved);
        }
    }
    Ok(rows)
}

/// Keeps a rating's answers before they are changed at `now`.
pub fn keep_revision(conn: &mut DbConn, rating_id: i64, now: NaiveDateTime) -> QueryResult<()> {
    let old: RatingRow = ratings::table.find(rating_id).select(RatingRow::as_select()).first(conn)?;
    diesel::insert_into(rating_revisions::table)
        .values((
            rating_revisions::rating_id.eq(rating_id),
            rating_revisions::replaced_at.eq(now),
            rating_revisions::timely.eq(old.timely),
            rating_revisions::attitude.eq(old.attitude),
            rating_revisions::result.eq(old.result),
            rating_revisions::not_solved.eq(old.not_solved),
            rating_revisions::comment.eq(old.comment),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A change of a rating: the rating, when, and the three answers it replaced.
pub type Replaced = (i64, NaiveDateTime, Answer, Answer, Answer);

/// The ratings' changes made after `after`, oldest first, with the answers each replaced.
pub fn revisions_after(conn: &mut DbConn, rating_ids: &[i64], after: NaiveDateTime) -> QueryResult<Vec<Replaced>> {
    let mut out = Vec::new();
    for ids in rating_ids.chunks(CHUNK) {
        out.extend(
            rating_revisions::table
                .filter(rating_revisions::rating_id.eq_any(ids))
                .filter(rating_revisions::replaced_at.gt(after))
                .order((rating_revisions::replaced_at.asc(), rating_revisions::id.asc()))
                .select((
                    rating_revisions::rating_id,
                    rating_revisions::replaced_at,
                    rating_revisions::timely,
                    rating_revisions::attitude,
                    rating_revisions::result,
                ))
                .load::<Replaced>(conn)?,
        );
    }
    Ok(out)
}

/// Items noted from `from` to `to` (excluded) that reached the server after `after` (captured offline), with the
/// street each is filed under.
pub fn noted_but_arrived_after(
    conn: &mut DbConn,
    (from, to): (NaiveDateTime, NaiveDateTime),
    after: NaiveDateTime,
    street_id: Option<i64>,
) -> QueryResult<Vec<ItemRow>> {
    let mut q = items::table
        .filter(items::collected_at.ge(from))
        .filter(items::collected_at.lt(to))
        .filter(items::created_at.gt(after))
        .into_boxed::<super::items::Backend>();
    if let Some(s) = street_id {
        q = q.filter(items::street_id.eq(s));
    }
    q.order(items::created_at).select(ItemRow::as_select()).load(conn)
}

/// The corrections (更正) made after `after` to items that reached the server from `from` to `to` (excluded): the
/// item, when, and the recorded changes.
pub fn corrections_after(
    conn: &mut DbConn,
    (from, to): (NaiveDateTime, NaiveDateTime),
    after: NaiveDateTime,
    street_id: Option<i64>,
) -> QueryResult<Vec<(String, NaiveDateTime, String)>> {
    let mut q = item_events::table
        .inner_join(items::table.on(items::id.eq(item_events::item_id)))
        .filter(item_events::kind.eq(EventKind::Corrected))
        .filter(item_events::at.gt(after))
        .filter(items::created_at.ge(from))
        .filter(items::created_at.lt(to))
        .into_boxed::<super::items::Backend>();
    if let Some(s) = street_id {
        q = q.filter(items::street_id.eq(s));
    }
    q.order(item_events::at).select((item_events::item_id, item_events::at, item_events::changes)).load(conn)
}
