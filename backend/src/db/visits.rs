//! Queries on the grid leader's visits (第六条2) and the grids' three visit registers.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use shared::channels::VisitKind;

use super::models::{VisitRow, VisitTargetRow};
use super::schema::{visit_targets, visits};
use super::DbConn;

/// A grid's register entries (with those taken off when `all`), unordered.
pub fn targets_of_grid(conn: &mut DbConn, grid_id: i64, all: bool) -> QueryResult<Vec<VisitTargetRow>> {
    let mut query = visit_targets::table.filter(visit_targets::grid_id.eq(grid_id)).into_boxed();
    if !all {
        query = query.filter(visit_targets::active.eq(true));
    }
    query.select(VisitTargetRow::as_select()).load(conn)
}

pub fn target(conn: &mut DbConn, id: i64) -> QueryResult<Option<VisitTargetRow>> {
    visit_targets::table.find(id).select(VisitTargetRow::as_select()).first(conn).optional()
}

/// A new register entry, as the grid leader typed it.
pub struct NewTarget<'a> {
    pub grid_id: i64,
    pub register: VisitKind,
    pub name: &'a str,
    pub address: Option<&'a str>,
    pub note: Option<&'a str>,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
}

pub fn insert_target(conn: &mut DbConn, t: &NewTarget<'_>) -> QueryResult<VisitTargetRow> {
    let id: i64 = diesel::insert_into(visit_targets::table)
        .values((
            visit_targets::grid_id.eq(t.grid_id),
            visit_targets::register.eq(t.register),
            visit_targets::name.eq(t.name),
            visit_targets::address.eq(t.address),
            visit_targets::note.eq(t.note),
            visit_targets::active.eq(true),
            visit_targets::created_by.eq(t.created_by),
            visit_targets::created_at.eq(t.created_at),
        ))
        .returning(visit_targets::id)
        .get_result(conn)?;
    visit_targets::table.find(id).select(VisitTargetRow::as_select()).first(conn)
}

/// Writes an entry's name, address, note and whether it is on the register.
pub fn save_target(conn: &mut DbConn, row: &VisitTargetRow) -> QueryResult<()> {
    diesel::update(visit_targets::table.find(row.id))
        .set((
            visit_targets::name.eq(&row.name),
            visit_targets::address.eq(&row.address),
            visit_targets::note.eq(&row.note),
            visit_targets::active.eq(row.active),
        ))
        .execute(conn)
        .map(drop)
}

/// The names of these register entries.
pub fn target_names(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, String>> {
    Ok(visit_targets::table
        .filter(visit_targets::id.eq_any(ids))
        .select((visit_targets::id, visit_targets::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}

/// The day each of these register entries was last visited (entries never visited are absent).
pub fn last_visits(conn: &mut DbConn, target_ids: &[i64]) -> QueryResult<HashMap<i64, NaiveDate>> {
    let rows: Vec<(Option<i64>, Option<NaiveDate>)> = visits::table
        .filter(visits::target_id.eq_any(target_ids))
        .group_by(visits::target_id)
        .select((visits::target_id, diesel::dsl::max(visits::day)))
        .load(conn)?;
    Ok(rows.into_iter().filter_map(|(t, d)| Some((t?, d?))).collect())
}

pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<Option<VisitRow>> {
    visits::table.find(id).select(VisitRow::as_select()).first(conn).optional()
}

pub fn insert(conn: &mut DbConn, row: &VisitRow) -> QueryResult<()> {
    diesel::insert_into(visits::table).values(row).execute(conn).map(drop)
}

/// Whether a visit already shows this photo.
pub fn photo_in_use(conn: &mut DbConn, photo_id: &str) -> QueryResult<bool> {
    let used: i64 = visits::table.filter(visits::photo_id.eq(photo_id)).count().get_result(conn)?;
    Ok(used > 0)
}

/// The visits of these grids from one day to another (both included), in the order they were made.
pub fn between(conn: &mut DbConn, grid_ids: &[i64], from: NaiveDate, to: NaiveDate) -> QueryResult<Vec<VisitRow>> {
    visits::table
        .filter(visits::grid_id.eq_any(grid_ids))
        .filter(visits::day.ge(from))
        .filter(visits::day.le(to))
        .order((visits::visited_at, visits::id))
        .select(VisitRow::as_select())
        .load(conn)
}
