//! Queries on the organisation tree. Each place keeps its path of ids from the root ('/1/4/9/'), so "everything
//! under X" is a prefix match and a scope check needs no recursion.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::OrgKind;

use super::models::{NewUnit, UnitRow};
use super::schema::{item_counters, org_units};
use super::DbConn;

pub fn get(conn: &mut DbConn, id: i64) -> QueryResult<UnitRow> {
    org_units::table.find(id).select(UnitRow::as_select()).first(conn)
}

pub fn city(conn: &mut DbConn) -> QueryResult<Option<UnitRow>> {
    org_units::table
        .filter(org_units::parent_id.is_null())
        .filter(org_units::kind.eq(OrgKind::City))
        .select(UnitRow::as_select())
        .first(conn)
        .optional()
}

/// The unit and everything under it.
pub fn subtree(conn: &mut DbConn, root: &UnitRow) -> QueryResult<Vec<UnitRow>> {
    org_units::table
        .filter(org_units::path.like(format!("{}%", root.path)))
        .order(org_units::path)
        .select(UnitRow::as_select())
        .load(conn)
}

pub fn by_ids(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<UnitRow>> {
    org_units::table.filter(org_units::id.eq_any(ids)).select(UnitRow::as_select()).load(conn)
}

pub fn departments(conn: &mut DbConn) -> QueryResult<Vec<UnitRow>> {
    org_units::table
        .filter(org_units::kind.eq(OrgKind::Department))
        .order(org_units::name)
        .select(UnitRow::as_select())
        .load(conn)
}

/// The active units of a kind, in the order they were made.
pub fn active_of_kind(conn: &mut DbConn, kind: OrgKind) -> QueryResult<Vec<UnitRow>> {
    org_units::table
        .filter(org_units::kind.eq(kind))
        .filter(org_units::active.eq(true))
        .order(org_units::id)
        .select(UnitRow::as_select())
        .load(conn)
}

/// The active units of a kind directly under a unit, by name.
pub fn active_children(conn: &mut DbConn, parent_id: i64, kind: OrgKind) -> QueryResult<Vec<UnitRow>> {
    org_units::table
        .filter(org_units::parent_id.eq(parent_id))
        .filter(org_units::kind.eq(kind))
        .filter(org_units::active.eq(true))
        .order((org_units::name, org_units::id))
        .select(UnitRow::as_select())
        .load(conn)
}

pub fn child_by_name(conn: &mut DbConn, parent_id: i64, name: &str) -> QueryResult<Option<UnitRow>> {
    org_units::table
        .filter(org_units::parent_id.eq(parent_id))
        .filter(org_units::name.eq(name))
        .select(UnitRow::as_select())
        .first(conn)
        .optional()
}

/// Whether anything active sits directly under the unit.
pub fn has_active_children(conn: &mut DbConn, id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        org_units::table.filter(org_units::parent_id.eq(id)).filter(org_units::active.eq(true)),
    ))
    .get_result(conn)
}

/// Inserts a place under `parent` (none only for the city) and sets its path from its new id.
pub fn insert(
    conn: &mut DbConn,
    kind: OrgKind,
    name: &str,
    parent: Option<&UnitRow>,
    now: NaiveDateTime,
) -> QueryResult<UnitRow> {
    let row: UnitRow = diesel::insert_into(org_units::table)
        .values(NewUnit {
            kind,
            name,
            parent_id: parent.map(|p| p.id),
            path: "",
            active: true,
            created_at: now,
            updated_at: now,
        })
        .returning(org_units::id)
        .get_result::<i64>(conn)
        .and_then(|id| get(conn, id))?;
    let path = format!("{}{}/", parent.map_or("/", |p| p.path.as_str()), row.id);
    diesel::update(org_units::table.find(row.id)).set(org_units::path.eq(&path)).execute(conn)?;
    if kind == OrgKind::Community {
        // Each community numbers its own ledger (序号) from 1; the counter row is what concurrent creates lock.
        diesel::insert_into(item_counters::table)
            .values((item_counters::community_id.eq(row.id), item_counters::last_seq.eq(0i64)))
            .execute(conn)?;
    }
    Ok(UnitRow { path, ..row })
}

/// Moves a place under a new parent, rewriting the paths of everything under it; the items filed under it follow
/// with `items::refile_under`.
pub fn move_under(conn: &mut DbConn, unit: &UnitRow, new_parent: &UnitRow, now: NaiveDateTime) -> QueryResult<()> {
    let old_prefix = unit.path.clone();
    let new_prefix = format!("{}{}/", new_parent.path, unit.id);
    for row in subtree(conn, unit)? {
        let rest = &row.path[old_prefix.len()..];
        diesel::update(org_units::table.find(row.id))
            .set(org_units::path.eq(format!("{new_prefix}{rest}")))
            .execute(conn)?;
    }
    diesel::update(org_units::table.find(unit.id))
        .set((org_units::parent_id.eq(new_parent.id), org_units::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// Full names ("新华街道 / 和平社区 / …", from below the city down) for the given units, loading the ancestors
/// they need in one query.
pub fn full_names(conn: &mut DbConn, units: &[UnitRow]) -> QueryResult<HashMap<i64, String>> {
    let mut known: HashMap<i64, UnitRow> = units.iter().map(|u| (u.id, u.clone())).collect();
    let missing: Vec<i64> = units
        .iter()
        .flat_map(|u| u.path_ids())
        .filter(|id| !known.contains_key(id))
        .collect::<std::collections::HashSet<_>>()
        .into_iter()
        .collect();
    if !missing.is_empty() {
        for u in by_ids(conn, &missing)? {
            known.insert(u.id, u);
        }
    }
    Ok(units.iter().map(|u| (u.id, full_name_from(&known, u))).collect())
}

fn full_name_from(known: &HashMap<i64, UnitRow>, unit: &UnitRow) -> String {
    if unit.kind == OrgKind::City {
        return unit.name.clone();
    }
    unit.path_ids()
        .iter()
        .filter_map(|id| known.get(id))
        .filter(|u| u.kind != OrgKind::City)
        .map(|u| u.name.as_str())
        .collect::<Vec<_>>()
        .join(" / ")
}

pub fn full_name(conn: &mut DbConn, unit: &UnitRow) -> QueryResult<String> {
    Ok(full_names(conn, std::slice::from_ref(unit))?.remove(&unit.id).unwrap_or_else(|| unit.name.clone()))
}

/// The street, community, station, grid and building an item at a place is filed under.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlaceLine {
    pub street_id: Option<i64>,
    pub community_id: Option<i64>,
    pub station_id: Option<i64>,
    pub grid_id: Option<i64>,
    pub building_id: Option<i64>,
}

impl PlaceLine {
    pub fn of(conn: &mut DbConn, place: &UnitRow) -> QueryResult<PlaceLine> {
        let mut line = PlaceLine::default();
        for unit in by_ids(conn, &place.path_ids())? {
            match unit.kind {
                OrgKind::Street => line.street_id = Some(unit.id),
                OrgKind::Community => line.community_id = Some(unit.id),
                OrgKind::Station => line.station_id = Some(unit.id),
                OrgKind::Grid => line.grid_id = Some(unit.id),
                OrgKind::Building => line.building_id = Some(unit.id),
                OrgKind::City | OrgKind::Department => {}
            }
        }
        Ok(line)
    }
}

/// Renames a unit.
pub fn rename(conn: &mut DbConn, id: i64, name: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(org_units::table.find(id))
        .set((org_units::name.eq(name), org_units::updated_at.eq(now)))
        .execute(conn)
        .map(drop)
}

/// Enables or disables a unit.
pub fn set_active(conn: &mut DbConn, id: i64, active: bool, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(org_units::table.find(id))
        .set((org_units::active.eq(active), org_units::updated_at.eq(now)))
        .execute(conn)
        .map(drop)
}
