//! Queries the city's dashboard and analysis read: a month's items, dispatches, ratings and direct reports, and the
//! items open now.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use shared::item::ItemStatus;
use shared::Level;

use super::models::{DirectReportRow, DispatchRow, ItemRow, RatingRow};
use super::schema::{direct_reports, dispatches, items, ratings};
use super::DbConn;

/// The items (of one street, when given) that reached the server from `from` (included) to `to` (excluded): an item
/// counts in the month it arrived, whenever a phone noted it. Each as it stood at `as_of` (`as_of::items_as_of`).
pub fn items_arrived_between(
    conn: &mut DbConn,
    (from, to): (NaiveDateTime, NaiveDateTime),
    street_id: Option<i64>,
    as_of: NaiveDateTime,
) -> QueryResult<Vec<ItemRow>> {
    let mut q = items::table
        .filter(items::created_at.ge(from))
        .filter(items::created_at.lt(to))
        .into_boxed::<super::items::Backend>();
    if let Some(s) = street_id {
        q = q.filter(items::street_id.eq(s));
    }
    let rows = q.order((items::created_at, items::id)).select(ItemRow::as_select()).load(conn)?;
    super::as_of::items_as_of(conn, rows, as_of)
}

/// The dispatches made from `from` (included) to `to` (excluded).
pub fn dispatched_between(conn: &mut DbConn, from: NaiveDateTime, to: NaiveDateTime) -> QueryResult<Vec<DispatchRow>> {
    dispatches::table
        .filter(dispatches::dispatched_at.ge(from))
        .filter(dispatches::dispatched_at.lt(to))
        .select(DispatchRow::as_select())
        .load(conn)
}

/// The street of each of these items.
pub fn streets_of_items(conn: &mut DbConn, item_ids: &[&str]) -> QueryResult<HashMap<String, i64>> {
    Ok(items::table
        .filter(items::id.eq_any(item_ids))
        .select((items::id, items::street_id))
        .load(conn)?
        .into_iter()
        .collect())
}

/// The ratings given from `first` to `last` (both included), of one street when given, with the answers they held
/// at `as_of` (`as_of::ratings_as_of`).
pub fn ratings_between(
    conn: &mut DbConn,
    (first, last): (NaiveDate, NaiveDate),
    street_id: Option<i64>,
    as_of: NaiveDateTime,
) -> QueryResult<Vec<RatingRow>> {
    let mut q = ratings::table
        .filter(ratings::rated_on.ge(first))
        .filter(ratings::rated_on.le(last))
        .order(ratings::id)
        .into_boxed::<super::items::Backend>();
    if let Some(s) = street_id {
        q = q.filter(ratings::street_id.eq(s));
    }
    let rows = q.select(RatingRow::as_select()).load(conn)?;
    super::as_of::ratings_as_of(conn, rows, as_of)
}

/// The direct reports (to the city leaders) of these items.
pub fn direct_reports_of_items(conn: &mut DbConn, item_ids: &[&str]) -> QueryResult<Vec<DirectReportRow>> {
    direct_reports::table
        .filter(direct_reports::item_id.eq_any(item_ids))
        .select(DirectReportRow::as_select())
        .load(conn)
}

/// The stage deadline and level of every item not closed.
pub fn open_items_due(conn: &mut DbConn) -> QueryResult<Vec<(Option<NaiveDateTime>, Level)>> {
    items::table.filter(items::status.ne(ItemStatus::Closed)).select((items::stage_due_at, items::level)).load(conn)
}

/// Items not closed, per stage, and how many of them are past their stage's deadline at `now`.
pub fn open_per_stage(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<(Vec<(ItemStatus, i64)>, i64)> {
    use diesel::dsl::count_star;
    let per_stage = items::table
        .filter(items::status.ne(ItemStatus::Closed))
        .group_by(items::status)
        .select((items::status, count_star()))
        .load(conn)?;
    let overdue = items::table
        .filter(items::status.ne(ItemStatus::Closed))
        .filter(items::stage_due_at.lt(now))
        .count()
        .get_result(conn)?;
    Ok((per_stage, overdue))
}
