//! Queries on residents' and raters' ratings and the follow-ups they open.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::models::RatingRow;
use super::schema::{follow_ups, ratings};
use super::DbConn;

/// The resident's rating of an item, if given.
pub fn rating_of_item(conn: &mut DbConn, item_id: &str) -> QueryResult<Option<RatingRow>> {
    ratings::table.filter(ratings::item_id.eq(item_id)).select(RatingRow::as_select()).first(conn).optional()
}

/// Whether the item has an open follow-up of a resident who said it is not solved.
pub fn open_not_solved(conn: &mut DbConn, item_id: &str) -> QueryResult<bool> {
    let n: i64 = follow_ups::table
        .inner_join(ratings::table)
        .filter(follow_ups::item_id.eq(item_id))
        .filter(follow_ups::closed_at.is_null())
        .filter(follow_ups::sent_back_at.is_null())
        .filter(ratings::not_solved.eq(true))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Opens the follow-up of a rating, once.
pub fn open_follow_up(
    conn: &mut DbConn,
    rating_id: i64,
    item_id: Option<&str>,
    street_id: i64,
    community_id: Option<i64>,
    department_id: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let exists: i64 = follow_ups::table.filter(follow_ups::rating_id.eq(rating_id)).count().get_result(conn)?;
    if exists == 0 {
        diesel::insert_into(follow_ups::table)
            .values((
                follow_ups::rating_id.eq(rating_id),
                follow_ups::item_id.eq(item_id),
                follow_ups::street_id.eq(street_id),
                follow_ups::community_id.eq(community_id),
                follow_ups::department_id.eq(department_id),
                follow_ups::opened_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Records that the street sent the item back to its department for the open "not solved" follow-ups.
pub fn mark_sent_back(conn: &mut DbConn, item_id: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        follow_ups::table
            .filter(follow_ups::item_id.eq(item_id))
            .filter(follow_ups::closed_at.is_null())
            .filter(follow_ups::sent_back_at.is_null()),
    )
    .set(follow_ups::sent_back_at.eq(now))
    .execute(conn)
}
