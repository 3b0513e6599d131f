//! Queries on the weekly evaluation of departments (第六条′): the rounds, the raters' ratings in them, and the
//! ratings a period's satisfaction counts.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use shared::voice::Rate;

use super::items::Backend;
use super::models::{RatingRow, RoundRow};
use super::schema::{dispatches, eval_rounds, items, ratings};
use super::DbConn;

/// A round by id.
pub fn round(conn: &mut DbConn, id: i64) -> QueryResult<Option<RoundRow>> {
    eval_rounds::table.find(id).select(RoundRow::as_select()).first(conn).optional()
}

/// The rounds of these streets whose week starts on or after `from_week`, newest week first.
pub fn rounds_of_streets_since(
    conn: &mut DbConn,
    street_ids: &[i64],
    from_week: NaiveDate,
) -> QueryResult<Vec<RoundRow>> {
    eval_rounds::table
        .filter(eval_rounds::street_id.eq_any(street_ids))
        .filter(eval_rounds::week_start.ge(from_week))
        .order((eval_rounds::week_start.desc(), eval_rounds::id))
        .select(RoundRow::as_select())
        .load(conn)
}

/// The rater's rating in a round, if given.
pub fn rating_in_round(conn: &mut DbConn, round_id: i64, rater_id: i64) -> QueryResult<Option<RatingRow>> {
    ratings::table
        .filter(ratings::round_id.eq(round_id))
        .filter(ratings::rater_id.eq(rater_id))
        .select(RatingRow::as_select())
        .first(conn)
        .optional()
}

/// A rater's answers in a round, with the rater's community and when they are given.
pub struct RoundRating<'a> {
    pub rater_id: i64,
    pub community_id: Option<i64>,
    pub rate: &'a Rate,
    pub comment: Option<&'a str>,
    pub today: NaiveDate,
    pub now: NaiveDateTime,
}

/// Gives the rater's rating in a round, or changes the one given (its first day stays); the rating's id.
pub fn save_round_rating(conn: &mut DbConn, round: &RoundRow, given: &RoundRating<'_>) -> QueryResult<i64> {
    let values = (
        ratings::timely.eq(given.rate.timely),
        ratings::attitude.eq(given.rate.attitude),
        ratings::result.eq(given.rate.result),
        ratings::not_solved.eq(given.rate.not_solved),
        ratings::comment.eq(given.comment),
        ratings::updated_at.eq(given.now),
    );
    let existing: Option<i64> = ratings::table
        .filter(ratings::round_id.eq(round.id))
        .filter(ratings::rater_id.eq(given.rater_id))
        .select(ratings::id)
        .first(conn)
        .optional()?;
    match existing {
        Some(rid) => {
            super::as_of::keep_revision(conn, rid, given.now)?;
            diesel::update(ratings::table.find(rid)).set(values).execute(conn)?;
            Ok(rid)
        }
        None => diesel::insert_into(ratings::table)
            .values((
                values,
                ratings::round_id.eq(round.id),
                ratings::rater_id.eq(given.rater_id),
                ratings::street_id.eq(round.street_id),
                ratings::community_id.eq(given.community_id),
                ratings::department_id.eq(round.department_id),
                // A round's ratings count in the round's week (through `round_id`) and in the month of the day they
                // are first given (docs/api.md, "Weeks that cross a month").
                ratings::rated_on.eq(given.today),
                ratings::created_at.eq(given.now),
            ))
            .returning(ratings::id)
            .get_result(conn),
    }
}

/// The ratings a week counts (of one street, when given): the residents' ratings given from `from` to `to`, and the
/// ratings of the rounds of the week starting on `from`, whenever they were given.
pub fn ratings_of_week(
    conn: &mut DbConn,
    from: NaiveDate,
    to: NaiveDate,
    street_id: Option<i64>,
) -> QueryResult<Vec<RatingRow>> {
    let rounds = eval_rounds::table.filter(eval_rounds::week_start.eq(from)).select(eval_rounds::id.nullable());
    let mut q = ratings::table
        .filter(
            ratings::round_id
                .is_null()
                .and(ratings::rated_on.ge(from))
                .and(ratings::rated_on.le(to))
                .or(ratings::round_id.eq_any(rounds)),
        )
        .into_boxed::<Backend>();
    if let Some(s) = street_id {
        q = q.filter(ratings::street_id.eq(s));
    }
    q.select(RatingRow::as_select()).load(conn)
}

/// Every rating first given from `from` to `to` (of one street, when given).
pub fn ratings_first_given_between(
    conn: &mut DbConn,
    from: NaiveDate,
    to: NaiveDate,
    street_id: Option<i64>,
) -> QueryResult<Vec<RatingRow>> {
    let mut q =
        ratings::table.filter(ratings::rated_on.ge(from)).filter(ratings::rated_on.le(to)).into_boxed::<Backend>();
    if let Some(s) = street_id {
        q = q.filter(ratings::street_id.eq(s));
    }
    q.select(RatingRow::as_select()).load(conn)
}

/// The department of each round whose week starts from `from_week` to `to` (of one street, when given), one entry
/// per round.
pub fn departments_of_rounds_between(
    conn: &mut DbConn,
    from_week: NaiveDate,
    to: NaiveDate,
    street_id: Option<i64>,
) -> QueryResult<Vec<i64>> {
    let mut q = eval_rounds::table
        .filter(eval_rounds::week_start.ge(from_week))
        .filter(eval_rounds::week_start.le(to))
        .into_boxed::<Backend>();
    if let Some(s) = street_id {
        q = q.filter(eval_rounds::street_id.eq(s));
    }
    q.select(eval_rounds::department_id).load(conn)
}

/// The (street, department) of each dispatch a department handled at some time in [from, to): accepted before the
/// week's end and not returned before its start (第六条′: every department still handling the street's items that week
/// is rated, not only those that accepted new ones).
pub fn handled_between(conn: &mut DbConn, from: NaiveDateTime, to: NaiveDateTime) -> QueryResult<Vec<(i64, i64)>> {
    dispatches::table
        .inner_join(items::table)
        .filter(dispatches::accepted_at.lt(to))
        .filter(dispatches::returned_at.is_null().or(dispatches::returned_at.ge(from)))
        .filter(dispatches::rejected_at.is_null())
        .select((items::street_id, dispatches::department_id))
        .load(conn)
}

/// Sets the item count of a street's round with a department for a week; false when there is no such round.
pub fn update_round_items(
    conn: &mut DbConn,
    street_id: i64,
    department_id: i64,
    monday: NaiveDate,
    items_handled: i64,
) -> QueryResult<bool> {
    let key = eval_rounds::table
        .filter(eval_rounds::street_id.eq(street_id))
        .filter(eval_rounds::department_id.eq(department_id))
        .filter(eval_rounds::week_start.eq(monday));
    let exists: i64 = key.count().get_result(conn)?;
    if exists == 0 {
        return Ok(false);
    }
    diesel::update(key).set(eval_rounds::items.eq(items_handled)).execute(conn)?;
    Ok(true)
}

/// Opens a round in a savepoint; false if another instance opened it first (the unique (street, department, week)
/// key refuses this one and only the savepoint is rolled back).
pub fn open_round(
    conn: &mut DbConn,
    street_id: i64,
    department_id: i64,
    monday: NaiveDate,
    items_handled: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let inserted = conn.transaction::<_, diesel::result::Error, _>(|c| {
        diesel::insert_into(eval_rounds::table)
            .values((
                eval_rounds::street_id.eq(street_id),
                eval_rounds::department_id.eq(department_id),
                eval_rounds::week_start.eq(monday),
                eval_rounds::items.eq(items_handled),
                eval_rounds::opened_at.eq(now),
            ))
            .execute(c)
    });
    match inserted {
        Ok(_) => Ok(true),
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(e) => Err(e),
    }
}
