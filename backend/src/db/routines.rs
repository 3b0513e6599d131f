//! Queries on the collection routines of 第六条: visits, meetings and receptions.

use diesel::prelude::*;

use super::models::{MeetingRow, ReceptionRow, VisitRow};
use super::schema::{meetings, receptions, visits};
use super::DbConn;

pub fn visit(conn: &mut DbConn, id: &str) -> QueryResult<Option<VisitRow>> {
    visits::table.find(id).select(VisitRow::as_select()).first(conn).optional()
}

pub fn meeting(conn: &mut DbConn, id: &str) -> QueryResult<Option<MeetingRow>> {
    meetings::table.find(id).select(MeetingRow::as_select()).first(conn).optional()
}

pub fn reception(conn: &mut DbConn, id: &str) -> QueryResult<Option<ReceptionRow>> {
    receptions::table.find(id).select(ReceptionRow::as_select()).first(conn).optional()
}
