//! Reading the journey: an item's dispatch, returns, sign-off, direct reports and the actions open to the viewer;
//! the work queues (the community's review queue, the street's dispatch board, the department's inbox); the
//! department picker's suggestions; and the leaders' direct reports (直报) with their acknowledgement.

use std::collections::HashMap;

use actix_web::web;
use serde::Deserialize;
use shared::dto::UnitRef;
use shared::item::{ItemStatus, PersonRef};
use shared::journey::{
    DepartmentSuggestion, DirectReport, DirectReportInfo, DispatchInfo, ExtensionInfo, Journey, QueueRow, RejectReason,
    Rejection,
};
use shared::{ItemType, Level};

use super::utc;
use crate::auth::AuthUser;
use crate::clocks;
use crate::db::models::{DirectReportRow, ItemRow, UnitRow};
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::notify::excerpt;
use crate::state::AppState;

fn dept_ref(u: &UnitRow) -> UnitRef {
    UnitRef { id: u.id, kind: u.kind(), name: u.name.clone(), full_name: u.name.clone() }
}

/// The journey part of an item as `user` sees it.
pub fn journey_dto(conn: &mut DbConn, state: &AppState, user: &AuthUser, row: &ItemRow) -> Result<Journey, AppError> {
    let now = state.clock.now_naive();
    let current = db::journey::current_dispatch(conn, &row.id)?;
    let calendar = clocks::Calendar::load(conn, state.tz)?;
    let not_solved = super::voice::open_not_solved(conn, &row.id)?;
    let rejected = db::journey::rejected_dispatches(conn, &row.id)?;
    let reports = db::journey::direct_reports_of(conn, &row.id)?;
    let mut people: Vec<i64> = row.sent_by.into_iter().collect();
    let mut units: Vec<i64> = Vec::new();
    for d in current.iter().chain(rejected.iter()) {
        let who = [Some(d.dispatched_by), d.accepted_by, d.rejected_by, d.extension_requested_by];
        people.extend(who.into_iter().chain([d.extension_decided_by, d.returned_by, d.signed_by]).flatten());
        units.push(d.department_id);
        units.extend(d.co_departments());
    }
    let names = db::items::names_of(conn, &people)?;
    let person = |id: Option<i64>| id.map(|id| PersonRef { id, name: names.get(&id).cloned().unwrap_or_default() });
    let depts: HashMap<i64, UnitRow> = db::org::by_ids(conn, &units)?.into_iter().map(|u| (u.id, u)).collect();
    let dept = |id: i64| depts.get(&id).map(dept_ref);
    let dispatch = match &current {
        Some(d) => Some(DispatchInfo {
            department: dept(d.department_id).ok_or_else(|| AppError::not_found("部门"))?,
            co_departments: d.co_departments().into_iter().filter_map(dept).collect(),
            dispatched_at: utc(d.dispatched_at),
            dispatched_by: person(Some(d.dispatched_by)).unwrap_or(PersonRef { id: 0, name: String::new() }),
            accepted_at: d.accepted_at.map(utc),
            accepted_by: person(d.accepted_by),
            due_at: d.due_at.map(utc),
            extension: d.extension_requested_at.map(|at| ExtensionInfo {
                reason: d.extension_reason.clone().unwrap_or_default(),
                requested_at: utc(at),
                requested_by: person(d.extension_requested_by).unwrap_or(PersonRef { id: 0, name: String::new() }),
                approved: d.extension_approved,
                decided_at: d.extension_decided_at.map(utc),
                decided_by: person(d.extension_decided_by),
                note: d.extension_note.clone(),
            }),
            returned_at: d.returned_at.map(utc),
            returned_by: person(d.returned_by),
            solved: d.solved,
            solved_at: d.solved_at.map(utc),
            solved_within_10_days: d.solved_within_10_days,
            onsite_required: d.accepted_at.is_some_and(|a| now > calendar.due(a, clocks::ONSITE_AFTER_DAYS)),
            onsite: d.onsite,
            measures_clear: d.measures_clear,
            measures: d.measures.clone(),
            unsolved_reason: d.unsolved_reason.clone(),
            countermeasures: d.countermeasures.clone(),
            signed_by: person(d.signed_by),
            signed_at: d.signed_at.map(utc),
        }),
        None => None,
    };
    let rejections = rejected
        .iter()
        .filter_map(|d| {
            Some(Rejection {
                department: dept(d.department_id)?,
                at: utc(d.rejected_at?),
                by: person(d.rejected_by)?,
                reason: d.reject_reason.as_deref().and_then(RejectReason::parse).unwrap_or(RejectReason::Other),
                note: d.reject_note.clone(),
            })
        })
        .collect();
    let result_photos =
        db::items::photos_of(conn, &row.id, "result")?.iter().map(|p| super::items::photo_dto(state, p)).collect();
    let direct_reports = reports
        .into_iter()
        .map(|(r, name)| DirectReportInfo {
            leader: PersonRef { id: r.user_id, name },
            reported_at: utc(r.reported_at),
            acknowledged_at: r.acknowledged_at.map(utc),
            minutes_to_acknowledge: r.acknowledged_at.map(|a| (a - r.reported_at).num_minutes()),
        })
        .collect();
    Ok(Journey {
        sent_by: person(row.sent_by),
        dispatch,
        rejections,
        result_photos,
        direct_reports,
        resident_rating: super::voice::rating_of_item(conn, &row.id)?,
        due_soon: clocks::due_soon(row.stage_due_at, now),
        actions: super::workflow::available_actions(user, row, current.as_ref(), now, not_solved),
    })
}

/// The department holding the item now.
pub fn department_of(conn: &mut DbConn, row: &ItemRow) -> Result<Option<UnitRef>, AppError> {
    Ok(match row.department_id {
        Some(id) => Some(dept_ref(&db::org::get(conn, id)?)),
        None => None,
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct QueueParams {
    /// The stage (an ItemStatus code).
    pub stage: String,
    /// true: only items whose department's extension request waits for the street.
    pub extension_pending: Option<bool>,
}

/// A work queue: the items at one stage within the account's places and departments, the soonest due first.
#[utoipa::path(get, path = "/api/queue", tag = "workflow", security(("bearer" = [])), params(QueueParams),
    responses((status = 200, body = Vec<QueueRow>), (status = 422, body = shared::ApiError)))]
pub async fn queue(
    state: web::Data<AppState>,
    user: AuthUser,
    params: web::Query<QueueParams>,
) -> Result<web::Json<Vec<QueueRow>>, AppError> {
    let params = params.into_inner();
    let Some(stage) = ItemStatus::parse(&params.stage) else {
        return Err(AppError::field("stage", "阶段不正确"));
    };
    let now = state.clock.now_naive();
    let scopes: Vec<UnitRow> = user.roles.iter().map(|b| b.unit.clone()).collect();
    let extension_only = params.extension_pending.unwrap_or(false);
    state
        .db
        .read(move |conn| {
            let rows = db::journey::queue(conn, &scopes, stage.code(), extension_only)?;
            let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
            let pending = db::journey::extension_pending_among(conn, &ids)?;
            let mut unit_ids: Vec<i64> = rows.iter().map(|r| r.place_id).collect();
            unit_ids.extend(rows.iter().filter_map(|r| r.department_id));
            let units = db::org::by_ids(conn, &unit_ids)?;
            let names = db::org::full_names(conn, &units)?;
            let by_id: HashMap<i64, &UnitRow> = units.iter().map(|u| (u.id, u)).collect();
            Ok(rows
                .into_iter()
                .map(|r| QueueRow {
                    seq: r.seq,
                    sheet_no: r.sheet_no.clone(),
                    place: names.get(&r.place_id).cloned().unwrap_or_default(),
                    item_type: ItemType::parse(&r.item_type).unwrap_or(ItemType::OtherServices),
                    level: Level::parse(&r.level).unwrap_or(Level::General),
                    status: stage,
                    summary: excerpt(&r.content, 60),
                    collected_at: utc(r.collected_at),
                    stage_due_at: r.stage_due_at.map(utc),
                    overdue: clocks::overdue(r.stage_due_at, now),
                    due_soon: clocks::due_soon(r.stage_due_at, now),
                    department: r.department_id.and_then(|d| by_id.get(&d)).map(|u| u.name.clone()),
                    extension_pending: pending.contains(&r.id),
                    id: r.id,
                })
                .collect())
        })
        .await
        .map(web::Json)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SuggestParams {
    /// 类型 code of the item being dispatched.
    pub item_type: String,
}

/// The dispatch picker: every active department, those that accepted most items of this type first.
#[utoipa::path(get, path = "/api/departments/suggest", tag = "workflow", security(("bearer" = [])),
    params(SuggestParams), responses((status = 200, body = Vec<DepartmentSuggestion>)))]
pub async fn suggest_departments(
    state: web::Data<AppState>,
    _user: AuthUser,
    params: web::Query<SuggestParams>,
) -> Result<web::Json<Vec<DepartmentSuggestion>>, AppError> {
    let Some(item_type) = ItemType::parse(&params.item_type) else {
        return Err(AppError::field("item_type", "类型不正确"));
    };
    state
        .db
        .read(move |conn| {
            Ok(db::journey::department_experience(conn, item_type.code())?
                .into_iter()
                .map(|(d, handled)| DepartmentSuggestion { department: dept_ref(&d), handled })
                .collect())
        })
        .await
        .map(web::Json)
}

fn report_dto(conn: &mut DbConn, r: &DirectReportRow, item: &ItemRow) -> Result<DirectReport, AppError> {
    let place = db::org::get(conn, item.place_id)?;
    Ok(DirectReport {
        id: r.id,
        item_id: item.id.clone(),
        place: db::org::full_name(conn, &place)?,
        item_type: ItemType::parse(&item.item_type).unwrap_or(ItemType::OtherServices),
        summary: excerpt(&item.content, 60),
        reported_at: utc(r.reported_at),
        acknowledged_at: r.acknowledged_at.map(utc),
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ReportParams {
    /// true: only those not yet acknowledged (the banner).
    pub pending: Option<bool>,
}

/// The signed-in leader's direct reports of major items (直报), newest first.
#[utoipa::path(get, path = "/api/direct-reports", tag = "workflow", security(("bearer" = [])),
    params(ReportParams), responses((status = 200, body = Vec<DirectReport>)))]
pub async fn direct_reports(
    state: web::Data<AppState>,
    user: AuthUser,
    params: web::Query<ReportParams>,
) -> Result<web::Json<Vec<DirectReport>>, AppError> {
    let pending = params.pending.unwrap_or(false);
    state
        .db
        .read(move |conn| {
            db::journey::direct_reports_for(conn, user.id(), pending)?
                .iter()
                .map(|(r, item)| report_dto(conn, r, item))
                .collect()
        })
        .await
        .map(web::Json)
}

/// The leader acknowledges a direct report; the time to acknowledgement is kept (the first acknowledgement counts).
#[utoipa::path(post, path = "/api/direct-reports/{id}/acknowledge", tag = "workflow", security(("bearer" = [])),
    responses((status = 200, body = DirectReport), (status = 404, body = shared::ApiError)))]
pub async fn acknowledge(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<DirectReport>, AppError> {
    let id = id.into_inner();
    let now = state.clock.now_naive();
    state
        .db
        .write(move |conn| match db::journey::acknowledge(conn, id, user.id(), now)? {
            Some((r, item)) => report_dto(conn, &r, &item),
            None => Err(AppError::not_found("该直报")),
        })
        .await
        .map(web::Json)
}
