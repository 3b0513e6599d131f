//! Queries on the notification hooks (WeCom, DingTalk, webhooks) and their outbox: messages queued in the
//! transaction that decided them, leased to one sender at a time, delivered or retried later.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use shared::journey::HookKind;

use super::models::{HookRow, OutboxRow};
use super::schema::{hooks, outbox};
use super::DbConn;

/// Every hook, in the order they were added.
pub fn all(conn: &mut DbConn) -> QueryResult<Vec<HookRow>> {
    hooks::table.order(hooks::id).select(HookRow::as_select()).load(conn)
}

pub fn get(conn: &mut DbConn, id: i64) -> QueryResult<HookRow> {
    hooks::table.find(id).select(HookRow::as_select()).first(conn)
}

/// Adds an active hook and answers its id.
pub fn insert(
    conn: &mut DbConn,
    unit_id: i64,
    kind: HookKind,
    url: &str,
    secret: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(hooks::table)
        .values((
            hooks::unit_id.eq(unit_id),
            hooks::kind.eq(kind),
            hooks::url.eq(url),
            hooks::secret.eq(secret),
            hooks::active.eq(true),
            hooks::created_at.eq(now),
        ))
        .returning(hooks::id)
        .get_result(conn)
}

/// Enables or disables a hook; false when there is no such hook.
pub fn set_active(conn: &mut DbConn, id: i64, active: bool) -> QueryResult<bool> {
    Ok(diesel::update(hooks::table.find(id)).set(hooks::active.eq(active)).execute(conn)? > 0)
}

/// The id and last error of each message still waiting for a hook, oldest first.
pub fn pending(conn: &mut DbConn, hook_id: i64) -> QueryResult<Vec<(i64, Option<String>)>> {
    outbox::table
        .filter(outbox::hook_id.eq(hook_id))
        .filter(outbox::delivered_at.is_null())
        .order(outbox::id.asc())
        .select((outbox::id, outbox::last_error))
        .load(conn)
}

/// The ids of a unit's active hooks.
pub fn active_of_unit(conn: &mut DbConn, unit_id: i64) -> QueryResult<Vec<i64>> {
    hooks::table
        .filter(hooks::unit_id.eq(unit_id))
        .filter(hooks::active.eq(true))
        .order(hooks::id)
        .select(hooks::id)
        .load(conn)
}

/// A message for a hook, due at once.
pub struct NewMessage<'a> {
    pub hook_id: i64,
    pub item_id: Option<&'a str>,
    pub topic: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub link: &'a str,
    pub now: NaiveDateTime,
}

pub fn queue(conn: &mut DbConn, m: &NewMessage<'_>) -> QueryResult<()> {
    diesel::insert_into(outbox::table)
        .values((
            outbox::hook_id.eq(m.hook_id),
            outbox::item_id.eq(m.item_id),
            outbox::topic.eq(m.topic),
            outbox::title.eq(m.title),
            outbox::body.eq(m.body),
            outbox::link.eq(m.link),
            outbox::created_at.eq(m.now),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(m.now),
        ))
        .execute(conn)
        .map(drop)
}

/// The hooks with messages waiting.
pub fn with_waiting(conn: &mut DbConn) -> QueryResult<Vec<i64>> {
    outbox::table.filter(outbox::delivered_at.is_null()).select(outbox::hook_id).distinct().load(conn)
}

/// A hook's oldest message not delivered.
pub fn oldest_waiting(conn: &mut DbConn, hook_id: i64) -> QueryResult<Option<OutboxRow>> {
    outbox::table
        .filter(outbox::hook_id.eq(hook_id))
        .filter(outbox::delivered_at.is_null())
        .order(outbox::id.asc())
        .select(OutboxRow::as_select())
        .first(conn)
        .optional()
}

/// Takes the lease on a waiting message until `until` if nobody holds it; false if someone does.
pub fn lease(conn: &mut DbConn, message_id: i64, now: NaiveDateTime, until: NaiveDateTime) -> QueryResult<bool> {
    let taken = diesel::update(
        outbox::table
            .filter(outbox::id.eq(message_id))
            .filter(outbox::delivered_at.is_null())
            .filter(outbox::lease_until.is_null().or(outbox::lease_until.le(now))),
    )
    .set(outbox::lease_until.eq(until))
    .execute(conn)?;
    Ok(taken == 1)
}

/// Marks a message delivered after its `attempts`-th try.
pub fn delivered(conn: &mut DbConn, message_id: i64, attempts: i32, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(outbox::table.find(message_id))
        .set((
            outbox::delivered_at.eq(now),
            outbox::lease_until.eq(None::<NaiveDateTime>),
            outbox::attempts.eq(attempts),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)
        .map(drop)
}

/// Records a failed `attempts`-th try and when to try again.
pub fn failed(
    conn: &mut DbConn,
    message_id: i64,
    attempts: i32,
    retry_in: Duration,
    error: String,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(outbox::table.find(message_id))
        .set((
            outbox::lease_until.eq(None::<NaiveDateTime>),
            outbox::attempts.eq(attempts),
            outbox::next_attempt_at.eq(now + retry_in),
            outbox::last_error.eq(Some(error)),
        ))
        .execute(conn)
        .map(drop)
}

/// Each hook's waiting (undelivered) messages: how many, and when the oldest was queued.
pub fn waiting_per_hook(conn: &mut DbConn) -> QueryResult<Vec<(i64, i64, Option<NaiveDateTime>)>> {
    use diesel::dsl::{count_star, min};
    outbox::table
        .filter(outbox::delivered_at.is_null())
        .group_by(outbox::hook_id)
        .select((outbox::hook_id, count_star(), min(outbox::created_at)))
        .load(conn)
}
