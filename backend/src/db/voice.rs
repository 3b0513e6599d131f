//! Queries on residents' outcome links, residents' and raters' ratings, and the follow-ups they open.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::models::{ItemRow, RatingRow, ResidentLinkRow};
use super::schema::{follow_ups, ratings, resident_links};
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

/// Revokes the item's working links and stores a new one's hash.
pub fn replace_link(
    conn: &mut DbConn,
    item_id: &str,
    token_hash: &str,
    issued_by: i64,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        resident_links::table.filter(resident_links::item_id.eq(item_id)).filter(resident_links::revoked_at.is_null()),
    )
    .set(resident_links::revoked_at.eq(now))
    .execute(conn)?;
    diesel::insert_into(resident_links::table)
        .values((
            resident_links::item_id.eq(item_id),
            resident_links::token_hash.eq(token_hash),
            resident_links::issued_at.eq(now),
            resident_links::issued_by.eq(issued_by),
            resident_links::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(drop)
}

/// The link stored with this token hash, working or not.
pub fn link_by_hash(conn: &mut DbConn, token_hash: &str) -> QueryResult<Option<ResidentLinkRow>> {
    resident_links::table
        .filter(resident_links::token_hash.eq(token_hash))
        .select(ResidentLinkRow::as_select())
        .first(conn)
        .optional()
}

/// Writes a resident's answers over the item's rating, or gives the item its first rating on `today`; answers the
/// rating's id.
pub fn save_resident_rating(
    conn: &mut DbConn,
    item: &ItemRow,
    existing: Option<i64>,
    rate: &shared::voice::Rate,
    comment: Option<&str>,
    today: chrono::NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    let values = (
        ratings::timely.eq(rate.timely),
        ratings::attitude.eq(rate.attitude),
        ratings::result.eq(rate.result),
        ratings::not_solved.eq(rate.not_solved),
        ratings::comment.eq(comment),
        ratings::updated_at.eq(now),
    );
    match existing {
        Some(id) => {
            super::as_of::keep_revision(conn, id, now)?;
            diesel::update(ratings::table.find(id)).set(values).execute(conn)?;
            Ok(id)
        }
        None => diesel::insert_into(ratings::table)
            .values((
                values,
                ratings::item_id.eq(&item.id),
                ratings::street_id.eq(item.street_id),
                ratings::community_id.eq(item.community_id),
                ratings::department_id.eq(item.department_id),
                ratings::rated_on.eq(today),
                ratings::created_at.eq(now),
            ))
            .returning(ratings::id)
            .get_result(conn),
    }
}
