//! Queries the city's dashboard and analysis read: a month's items, dispatches, ratings and direct reports, and the
//! items open now.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use shared::item::ItemStatus;
use shared::voice::Answer;
use shared::{Level, Outcome};

use super::models::{DirectReportRow, DispatchRow, ItemRow, RatingRow};
use super::schema::{direct_reports, dispatches, items, ratings};
use super::DbConn;

/// The items collected from `from` (included) to `to` (excluded).
pub fn items_collected_between(conn: &mut DbConn, from: NaiveDateTime, to: NaiveDateTime) -> QueryResult<Vec<ItemRow>> {
    items::table
        .filter(items::collected_at.ge(from))
        .filter(items::collected_at.lt(to))
        .select(ItemRow::as_select())
        .load(conn)
}

/// The outcome (none while open) of each item collected from `from` (included) to `to` (excluded).
pub fn outcomes_collected_between(
    conn: &mut DbConn,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<Option<Outcome>>> {
    items::table
        .filter(items::collected_at.ge(from))
        .filter(items::collected_at.lt(to))
        .select(items::outcome)
        .load(conn)
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

/// The street and the three answers of every rating given from `first` to `last` (both included).
pub fn answers_rated_between(
    conn: &mut DbConn,
    first: NaiveDate,
    last: NaiveDate,
) -> QueryResult<Vec<(i64, Answer, Answer, Answer)>> {
    ratings::table
        .filter(ratings::rated_on.ge(first))
        .filter(ratings::rated_on.le(last))
        .select((ratings::street_id, ratings::timely, ratings::attitude, ratings::result))
        .load(conn)
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

/// A street's items collected from `from` (included) to `to` (excluded), in the order they were collected.
pub fn street_items_collected_between(
    conn: &mut DbConn,
    street_id: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<ItemRow>> {
    items::table
        .filter(items::street_id.eq(street_id))
        .filter(items::collected_at.ge(from))
        .filter(items::collected_at.lt(to))
        .order(items::collected_at)
        .select(ItemRow::as_select())
        .load(conn)
}

/// A street's ratings given from `first` to `last` (both included).
pub fn street_ratings_between(
    conn: &mut DbConn,
    street_id: i64,
    first: NaiveDate,
    last: NaiveDate,
) -> QueryResult<Vec<RatingRow>> {
    ratings::table
        .filter(ratings::street_id.eq(street_id))
        .filter(ratings::rated_on.ge(first))
        .filter(ratings::rated_on.le(last))
        .select(RatingRow::as_select())
        .load(conn)
}
