//! Queries on the notification hooks (WeCom, DingTalk, webhooks) and the messages waiting for them.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::journey::HookKind;

use super::models::HookRow;
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
