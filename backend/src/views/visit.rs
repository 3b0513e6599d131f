//! Visits and register entries as the API shows them: names of targets and visitors, photos, the items raised at
//! each, and a grid's day (the three register slots and the WeChat notes).

use std::collections::HashMap;

use chrono::NaiveDate;
use shared::channels::{GridDay, Slot, TargetRef, Visit, VisitKind, VisitTarget};
use shared::dto::UnitRef;
use shared::item::PersonRef;

use super::item::raised_item;
use super::people::{self, person};
use super::photo::photo_dto;
use super::utc;
use crate::db::items::RaisedAt;
use crate::db::models::{VisitRow, VisitTargetRow};
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::state::AppState;

pub fn target_dto(t: &VisitTargetRow, grid: &UnitRef, last: Option<NaiveDate>) -> VisitTarget {
    VisitTarget {
        id: t.id,
        grid: grid.clone(),
        register: t.register,
        name: t.name.clone(),
        address: t.address.clone(),
        note: t.note.clone(),
        active: t.active,
        last_visited_on: last,
    }
}

/// Register entries of one grid, each with the day it was last visited.
pub fn target_dtos(conn: &mut DbConn, rows: &[VisitTargetRow], grid: &UnitRef) -> Result<Vec<VisitTarget>, AppError> {
    let last: HashMap<i64, NaiveDate> = db::visits::last_visits(conn, &rows.iter().map(|r| r.id).collect::<Vec<_>>())?;
    Ok(rows.iter().map(|r| target_dto(r, grid, last.get(&r.id).copied())).collect())
}

/// Builds visits' API views: target names, visitor names, photos and the items raised at each.
pub fn visit_dtos(conn: &mut DbConn, state: &AppState, rows: &[VisitRow]) -> Result<Vec<Visit>, AppError> {
    let mut grid_ids: Vec<i64> = rows.iter().map(|r| r.grid_id).collect();
    grid_ids.sort_unstable();
    grid_ids.dedup();
    let grids = db::org::by_ids(conn, &grid_ids)?;
    let grids = people::unit_refs(conn, &grids)?;
    let people = people::people(conn, &rows.iter().map(|r| r.visitor_id).collect::<Vec<_>>())?;
    let target_ids: Vec<i64> = rows.iter().filter_map(|r| r.target_id).collect();
    let targets = db::visits::target_names(conn, &target_ids)?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let raised = db::items::raised_items(conn, RaisedAt::Visits(&ids))?;
    let photo_ids: Vec<&String> = rows.iter().filter_map(|r| r.photo_id.as_ref()).collect();
    let photos = db::items::photos_by_ids(conn, &photo_ids)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let photo = r.photo_id.as_ref().and_then(|pid| photos.get(pid)).map(|p| photo_dto(state, p));
        out.push(Visit {
            id: r.id.clone(),
            grid: grids.get(&r.grid_id).cloned().ok_or_else(|| AppError::not_found("网格"))?,
            visitor: person(&people, r.visitor_id),
            kind: r.kind,
            target: r.target_id.map(|id| TargetRef { id, name: targets.get(&id).cloned().unwrap_or_default() }),
            visited_at: utc(r.visited_at),
            day: r.day,
            note: r.note.clone(),
            photo,
            items: raised.iter().filter(|i| i.visit_id.as_deref() == Some(r.id.as_str())).map(raised_item).collect(),
            recorded_at: Some(utc(r.created_at)),
        });
    }
    Ok(out)
}

/// A grid's day from its visits of the day.
pub fn grid_day(
    conn: &mut DbConn,
    state: &AppState,
    grid: &UnitRef,
    leaders: Vec<PersonRef>,
    date: NaiveDate,
    rows: &[VisitRow],
) -> Result<GridDay, AppError> {
    let all = visit_dtos(conn, state, rows)?;
    let slots: Vec<Slot> = VisitKind::REGISTERS
        .iter()
        .map(|k| {
            let visits: Vec<Visit> = all.iter().filter(|v| v.kind == *k).cloned().collect();
            Slot { kind: *k, done: !visits.is_empty(), visits }
        })
        .collect();
    let wechat: Vec<Visit> = all.iter().filter(|v| v.kind == VisitKind::WechatGroup).cloned().collect();
    Ok(GridDay {
        grid: grid.clone(),
        leaders,
        date,
        slots_done: slots.iter().filter(|s| s.done).count() as u32,
        slots,
        wechat,
        items_raised: all.iter().map(|v| v.items.len() as u32).sum(),
    })
}
