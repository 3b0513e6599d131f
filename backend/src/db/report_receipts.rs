//! A submitted 民情专报 delivered to the city leaders (第七条3: 分别向市委书记、市长直接进行汇报), each of whom
//! marks it read.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::Role;

use super::schema::{report_receipts, user_roles, users};
use super::DbConn;

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

/// Delivers the report to each of these leaders (once each).
pub fn deliver(conn: &mut DbConn, report_id: i64, leaders: &[i64], at: NaiveDateTime) -> QueryResult<()> {
    let already: Vec<i64> = report_receipts::table
        .filter(report_receipts::report_id.eq(report_id))
        .select(report_receipts::user_id)
        .load(conn)?;
    for leader in leaders.iter().filter(|l| !already.contains(l)) {
        diesel::insert_into(report_receipts::table)
            .values((
                report_receipts::report_id.eq(report_id),
                report_receipts::user_id.eq(leader),
                report_receipts::delivered_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Marks the report read by the leader (the first time only); false when it was not delivered to them.
pub fn mark_read(conn: &mut DbConn, report_id: i64, user_id: i64, at: NaiveDateTime) -> QueryResult<bool> {
    let key = report_receipts::table
        .filter(report_receipts::report_id.eq(report_id))
        .filter(report_receipts::user_id.eq(user_id));
    let delivered: i64 = key.count().get_result(conn)?;
    if delivered == 0 {
        return Ok(false);
    }
    diesel::update(key.filter(report_receipts::read_at.is_null()))
        .set(report_receipts::read_at.eq(at))
        .execute(conn)?;
    Ok(true)
}

/// A receipt with the leader's name: (user id, name, delivered at, read at).
pub type Receipt = (i64, String, NaiveDateTime, Option<NaiveDateTime>);

/// The report's receipts with the leaders' names.
pub fn of_report(conn: &mut DbConn, report_id: i64) -> QueryResult<Vec<Receipt>> {
    report_receipts::table
        .inner_join(users::table.on(users::id.eq(report_receipts::user_id)))
        .filter(report_receipts::report_id.eq(report_id))
        .order(users::id)
        .select((users::id, users::display_name, report_receipts::delivered_at, report_receipts::read_at))
        .load(conn)
}

/// Of these reports, those delivered to the user and not yet read.
pub fn unread_by(conn: &mut DbConn, user_id: i64, report_ids: &[i64]) -> QueryResult<Vec<i64>> {
    report_receipts::table
        .filter(report_receipts::user_id.eq(user_id))
        .filter(report_receipts::report_id.eq_any(report_ids))
        .filter(report_receipts::read_at.is_null())
        .select(report_receipts::report_id)
        .load(conn)
}
