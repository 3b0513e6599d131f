//! The audit trail: who changed what, when. Rows are only ever added.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::models::NewAudit;
use super::schema::audit_log;
use super::DbConn;

pub fn record(
    conn: &mut DbConn,
    now: NaiveDateTime,
    actor_id: Option<i64>,
    action: &str,
    target_kind: &str,
    target_id: Option<i64>,
    detail: serde_json::Value,
) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values(NewAudit { at: now, actor_id, action, target_kind, target_id, detail: &detail.to_string() })
        .execute(conn)?;
    Ok(())
}
