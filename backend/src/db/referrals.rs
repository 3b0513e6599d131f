//! Referrals to 纪检监察 (第八条′) and their steps.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::referral::ReferralStatus;

use super::schema::{dispatches, referral_steps, referrals};
use super::DbConn;

/// A referral as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = referrals)]
pub struct ReferralRow {
    pub id: i64,
    pub unit_id: i64,
    pub item_id: Option<String>,
    pub reason: String,
    pub status: ReferralStatus,
    pub referred_by: i64,
    pub referred_at: NaiveDateTime,
}

/// A step as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = referral_steps)]
pub struct StepRow {
    pub id: i64,
    pub referral_id: i64,
    pub status: ReferralStatus,
    pub note: String,
    pub at: NaiveDateTime,
    pub by_id: i64,
}

/// Records a referral and its first step (已移交 with the reason); the new id.
pub fn insert(
    conn: &mut DbConn,
    (unit_id, item_id): (i64, Option<&str>),
    reason: &str,
    by: i64,
    at: NaiveDateTime,
) -> QueryResult<i64> {
    let id: i64 = diesel::insert_into(referrals::table)
        .values((
            referrals::unit_id.eq(unit_id),
            referrals::item_id.eq(item_id),
            referrals::reason.eq(reason),
            referrals::status.eq(ReferralStatus::Referred),
            referrals::referred_by.eq(by),
            referrals::referred_at.eq(at),
        ))
        .returning(referrals::id)
        .get_result(conn)?;
    add_step(conn, id, ReferralStatus::Referred, reason, by, at)?;
    Ok(id)
}

/// Moves the referral from `from` to `to` and records the step; false when its status was no longer `from`.
pub fn advance(
    conn: &mut DbConn,
    id: i64,
    (from, to): (ReferralStatus, ReferralStatus),
    note: &str,
    by: i64,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(referrals::table.find(id).filter(referrals::status.eq(from)))
        .set(referrals::status.eq(to))
        .execute(conn)?;
    if n == 1 {
        add_step(conn, id, to, note, by, at)?;
    }
    Ok(n == 1)
}

fn add_step(
    conn: &mut DbConn,
    id: i64,
    status: ReferralStatus,
    note: &str,
    by: i64,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(referral_steps::table)
        .values((
            referral_steps::referral_id.eq(id),
            referral_steps::status.eq(status),
            referral_steps::note.eq(note),
            referral_steps::at.eq(at),
            referral_steps::by_id.eq(by),
        ))
        .execute(conn)
        .map(drop)
}

pub fn get(conn: &mut DbConn, id: i64) -> QueryResult<Option<ReferralRow>> {
    referrals::table.find(id).select(ReferralRow::as_select()).first(conn).optional()
}

/// Every referral, newest first.
pub fn all(conn: &mut DbConn) -> QueryResult<Vec<ReferralRow>> {
    referrals::table.order(referrals::id.desc()).select(ReferralRow::as_select()).load(conn)
}

/// The steps of these referrals, oldest first.
pub fn steps_of(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<StepRow>> {
    referral_steps::table
        .filter(referral_steps::referral_id.eq_any(ids))
        .order(referral_steps::id)
        .select(StepRow::as_select())
        .load(conn)
}

/// The items a department returned (退单) since `since`.
pub fn returned_by_since(conn: &mut DbConn, department_id: i64, since: NaiveDateTime) -> QueryResult<Vec<String>> {
    dispatches::table
        .filter(dispatches::department_id.eq(department_id))
        .filter(dispatches::rejected_at.ge(since))
        .select(dispatches::item_id)
        .load(conn)
}
