//! Queries on the follow-ups of dissatisfied ratings (第六条′) and their four steps. Opening one and sending an
//! item back: `voice.rs`.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::voice::FollowUpStep;

use super::items::Backend;
use super::models::{FollowUpRow, FollowUpStepRow, RatingRow, RoundRow};
use super::schema::{follow_up_steps, follow_ups, ratings, users};
use super::DbConn;

/// A follow-up by id.
pub fn follow_up(conn: &mut DbConn, id: i64) -> QueryResult<Option<FollowUpRow>> {
    follow_ups::table.find(id).select(FollowUpRow::as_select()).first(conn).optional()
}

/// The latest 500 follow-ups, newest first: only those not closed when `open_only`, only an item's when given.
pub fn latest_follow_ups(conn: &mut DbConn, open_only: bool, item_id: Option<&str>) -> QueryResult<Vec<FollowUpRow>> {
    let mut q = follow_ups::table.into_boxed::<Backend>();
    if open_only {
        q = q.filter(follow_ups::closed_at.is_null());
    }
    if let Some(item_id) = item_id {
        q = q.filter(follow_ups::item_id.eq(item_id.to_string()));
    }
    q.order(follow_ups::id.desc()).limit(500).select(FollowUpRow::as_select()).load(conn)
}

/// The rating a follow-up was opened on (NotFound if it is gone).
pub fn rating_followed_up(conn: &mut DbConn, rating_id: i64) -> QueryResult<RatingRow> {
    ratings::table.find(rating_id).select(RatingRow::as_select()).first(conn)
}

/// The weekly round a rater's rating was given in (NotFound if it is gone).
pub fn round_rated(conn: &mut DbConn, round_id: i64) -> QueryResult<RoundRow> {
    super::evaluation::round(conn, round_id)?.ok_or(diesel::result::Error::NotFound)
}

/// A follow-up's recorded steps, in the order recorded, each with its recorder's display name.
pub fn steps_with_names(conn: &mut DbConn, follow_up_id: i64) -> QueryResult<Vec<(FollowUpStepRow, String)>> {
    follow_up_steps::table
        .inner_join(users::table)
        .filter(follow_up_steps::follow_up_id.eq(follow_up_id))
        .order(follow_up_steps::id)
        .select((FollowUpStepRow::as_select(), users::display_name))
        .load(conn)
}

/// Which of the four steps a follow-up has recorded.
pub fn steps_done(conn: &mut DbConn, follow_up_id: i64) -> QueryResult<Vec<FollowUpStep>> {
    follow_up_steps::table
        .filter(follow_up_steps::follow_up_id.eq(follow_up_id))
        .select(follow_up_steps::step)
        .load(conn)
}

/// Records a step of a follow-up, closes the follow-up at the same time when `closes`, and returns it as stored.
pub fn record_step(
    conn: &mut DbConn,
    follow_up_id: i64,
    step: FollowUpStep,
    text: &str,
    by_id: i64,
    at: NaiveDateTime,
    closes: bool,
) -> QueryResult<FollowUpRow> {
    diesel::insert_into(follow_up_steps::table)
        .values((
            follow_up_steps::follow_up_id.eq(follow_up_id),
            follow_up_steps::step.eq(step),
            follow_up_steps::text.eq(text),
            follow_up_steps::at.eq(at),
            follow_up_steps::by_id.eq(by_id),
        ))
        .execute(conn)?;
    if closes {
        diesel::update(follow_ups::table.find(follow_up_id)).set(follow_ups::closed_at.eq(at)).execute(conn)?;
    }
    follow_ups::table.find(follow_up_id).select(FollowUpRow::as_select()).first(conn)
}
