//! Reading the journey: an item's dispatch, returns, sign-off, direct reports and the actions open to the viewer;
//! the work queues (the community's review queue, the street's dispatch board, the department's inbox); the
//! department picker's suggestions; and the leaders' direct reports (直报) with their acknowledgement.

use std::collections::HashMap;

use actix_web::web;
use serde::Deserialize;
use shared::item::ItemStatus;
use shared::journey::{DepartmentSuggestion, DirectReport, QueueRow};
use shared::ItemType;

use crate::auth::AuthUser;
use crate::db::models::{DirectReportRow, ItemRow, UnitRow};
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::notify::excerpt;
use crate::regulation::deadlines;
use crate::state::AppState;
use crate::views::people::unit_ref_short;
use crate::views::utc;

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
    // The departments the account acts for: an item led by none of them is in the queue as co-handled (协办).
    let leads: Vec<i64> = scopes.iter().filter(|u| u.kind == shared::OrgKind::Department).map(|u| u.id).collect();
    let places = scopes.iter().any(|u| u.kind != shared::OrgKind::Department);
    let extension_only = params.extension_pending.unwrap_or(false);
    let tz = state.tz;
    state
        .db
        .read(move |conn| {
            let rows = db::journey::queue(conn, &scopes, stage, extension_only)?;
            let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
            let pending = db::journey::extension_pending_among(conn, &ids)?;
            // Day 10 (第七条2) of the items a department handles: shown on every queue that lists them.
            let (mut past_ten, mut onsite) = (Vec::new(), Vec::new());
            if stage == ItemStatus::InProgress {
                let calendar = deadlines::Calendar::load(conn, tz)?;
                past_ten = db::onsite::handling_dispatches(conn, &ids)?
                    .into_iter()
                    .filter(|d| deadlines::ten_days_due(d, &calendar).is_some_and(|ten| now > ten))
                    .map(|d| d.item_id)
                    .collect();
                onsite = db::onsite::items_recorded(conn, &ids)?;
            }
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
                    item_type: r.item_type,
                    level: r.level,
                    status: stage,
                    summary: excerpt(&r.content, 60),
                    collected_at: utc(r.collected_at),
                    stage_due_at: r.stage_due_at.map(utc),
                    overdue: deadlines::overdue(r.stage_due_at, now),
                    due_soon: deadlines::due_soon(r.stage_due_at, now),
                    department: r.department_id.and_then(|d| by_id.get(&d)).map(|u| u.name.clone()),
                    extension_pending: pending.contains(&r.id),
                    co_handling: !places && !leads.is_empty() && !r.department_id.is_some_and(|d| leads.contains(&d)),
                    past_ten_days: past_ten.contains(&r.id),
                    onsite_recorded: onsite.contains(&r.id),
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
            Ok(db::journey::department_experience(conn, item_type)?
                .into_iter()
                .map(|(d, handled)| DepartmentSuggestion { department: unit_ref_short(&d), handled })
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
        item_type: item.item_type,
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
