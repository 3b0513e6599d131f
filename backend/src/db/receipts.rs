//! What is delivered to the city leaders and read by them (第七条3: 分别向市委书记、市长直接进行汇报): a street's
//! submitted 民情专报, or the city offices' judgement (研判) of a month's analysis. Each leader marks it read.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::Role;

use super::schema::{receipts, user_roles, users};
use super::DbConn;

/// A document delivered to the leaders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doc {
    /// A street's 民情专报 (its id).
    Report(i64),
    /// The offices' judgement of a month's analysis (its id).
    Analysis(i64),
}

impl Doc {
    fn key(self) -> (&'static str, i64) {
        match self {
            Doc::Report(id) => ("report", id),
            Doc::Analysis(id) => ("analysis", id),
        }
    }
}

/// The active city leaders' accounts (市领导).
pub fn city_leaders(conn: &mut DbConn) -> QueryResult<Vec<i64>> {
    let mut ids: Vec<i64> = user_roles::table
        .inner_join(users::table)
        .filter(users::active.eq(true))
        .filter(user_roles::role.eq(Role::CityLeader))
        .select(users::id)
        .load(conn)?;
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Delivers the document to each of these leaders (once each).
pub fn deliver(conn: &mut DbConn, doc: Doc, leaders: &[i64], at: NaiveDateTime) -> QueryResult<()> {
    let (kind, id) = doc.key();
    let already: Vec<i64> = receipts::table
        .filter(receipts::doc_kind.eq(kind))
        .filter(receipts::doc_id.eq(id))
        .select(receipts::user_id)
        .load(conn)?;
    for leader in leaders.iter().filter(|l| !already.contains(l)) {
        diesel::insert_into(receipts::table)
            .values((
                receipts::doc_kind.eq(kind),
                receipts::doc_id.eq(id),
                receipts::user_id.eq(leader),
                receipts::delivered_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Marks the document read by the leader (the first time only); false when it was not delivered to them.
pub fn mark_read(conn: &mut DbConn, doc: Doc, user_id: i64, at: NaiveDateTime) -> QueryResult<bool> {
    let (kind, id) = doc.key();
    let key = receipts::table
        .filter(receipts::doc_kind.eq(kind))
        .filter(receipts::doc_id.eq(id))
        .filter(receipts::user_id.eq(user_id));
    let delivered: i64 = key.count().get_result(conn)?;
    if delivered == 0 {
        return Ok(false);
    }
    diesel::update(key.filter(receipts::read_at.is_null())).set(receipts::read_at.eq(at)).execute(conn)?;
    Ok(true)
}

/// A receipt with the leader's name: (user id, name, delivered at, read at).
pub type Receipt = (i64, String, NaiveDateTime, Option<NaiveDateTime>);

/// The document's receipts with the leaders' names.
pub fn of(conn: &mut DbConn, doc: Doc) -> QueryResult<Vec<Receipt>> {
    let (kind, id) = doc.key();
    receipts::table
        .inner_join(users::table.on(users::id.eq(receipts::user_id)))
        .filter(receipts::doc_kind.eq(kind))
        .filter(receipts::doc_id.eq(id))
        .order(users::id)
        .select((users::id, users::display_name, receipts::delivered_at, receipts::read_at))
        .load(conn)
}

/// Of these reports, those delivered to the user and not yet read.
pub fn unread_reports(conn: &mut DbConn, user_id: i64, report_ids: &[i64]) -> QueryResult<Vec<i64>> {
    receipts::table
        .filter(receipts::doc_kind.eq("report"))
        .filter(receipts::user_id.eq(user_id))
        .filter(receipts::doc_id.eq_any(report_ids))
        .filter(receipts::read_at.is_null())
        .select(receipts::doc_id)
        .load(conn)
}
