//! The street's actions (第七条2, 第八条): dispatch the sheet to a department (派单), decide on its request for more
//! time, and send an item back to its department when the resident says it is not solved.

use actix_web::web;
use serde_json::json;
use shared::item::{Item, ItemStatus};
use shared::journey::{ActionKind, DecideExtension, Dispatch};
use shared::{ApiError, ErrorCode};
use validator::Validate;

use super::{change, deadline_passed, department, perform};
use crate::api::support::trimmed;
use crate::auth::AuthUser;
use crate::db;
use crate::db::models::{ItemRow, UnitRow};
use crate::error::AppError;
use crate::notify;
use crate::regulation::deadlines::{self};
use crate::state::AppState;

/// The street dispatches the sheet to one responsible department (派单), with optional co-handling departments.
/// The department's hooks are told. Next: the department accepts or returns it within 1 day.
#[utoipa::path(post, path = "/api/items/{id}/dispatch", tag = "workflow", security(("bearer" = [])),
    request_body = Dispatch,
    responses((status = 200, body = Item), (status = 409, body = ApiError, description = "stale_version or wrong_stage"),
              (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn dispatch(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<Dispatch>,
) -> Result<web::Json<Item>, AppError> {
    let body = body.into_inner();
    body.validate()?;
    let lead = department(&state, "department_id", body.department_id).await?;
    let mut co = Vec::new();
    for (i, dept_id) in body.co_department_ids.iter().enumerate() {
        let field = format!("co_department_ids[{i}]");
        if *dept_id == lead.id || co.iter().any(|d: &UnitRow| d.id == *dept_id) {
            return Err(AppError::field(&field, "协办部门不能与责任部门或其他协办部门重复"));
        }
        co.push(department(&state, &field, *dept_id).await?);
    }
    perform(state, user, id.into_inner(), body.version, ActionKind::Dispatch, move |c| {
        let co_ids: Vec<i64> = co.iter().map(|d| d.id).collect();
        db::journey::insert_dispatch(c.conn, &c.old.id, lead.id, &co_ids, c.now, c.actor)?;
        let mut changes = vec![change("department", "交办责任单位或部门", lead.name.clone())];
        if !co.is_empty() {
            let names: Vec<&str> = co.iter().map(|d| d.name.as_str()).collect();
            changes.push(change("co_departments", "协办部门", names.join("、")));
        }
        let new = ItemRow {
            status: ItemStatus::Dispatched,
            department_id: Some(lead.id),
            stage_due_at: Some(c.calendar.accept_due(c.now)),
            ..c.old.clone()
        };
        let title = format!("【派单】{} 请接单", new.sheet_no.as_deref().unwrap_or("民情速递处置反馈单"));
        notify::tell_unit(c.conn, c.links, lead.id, &new, "dispatch", title.clone(), c.now)?;
        for d in &co {
            notify::tell_unit(c.conn, c.links, d.id, &new, "dispatch", format!("{title}（协办）"), c.now)?;
        }
        Ok((new, serde_json::Value::Array(changes)))
    })
    .await
}

/// The street approves (5 more days) or refuses the department's request, before the deadline.
#[utoipa::path(post, path = "/api/items/{id}/decide-extension", tag = "workflow", security(("bearer" = [])),
    request_body = DecideExtension,
    responses((status = 200, body = Item), (status = 409, body = ApiError, description = "stale_version, wrong_stage or deadline_passed"),
              (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn decide_extension(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<DecideExtension>,
) -> Result<web::Json<Item>, AppError> {
    let body = body.into_inner();
    body.validate()?;
    let note = trimmed(body.note.as_deref());
    let approve = body.approve;
    perform(state, user, id.into_inner(), body.version, ActionKind::DecideExtension, move |c| {
        let mut d = c.dispatch()?;
        if !d.extension_pending() {
            return Err(AppError::Api(ApiError::new(ErrorCode::WrongStage, "没有待审批的延期申请")));
        }
        let Some(due) = d.due_at.filter(|due| c.now < *due) else {
            return Err(deadline_passed("已超过办理期限，延期申请不能再审批"));
        };
        d.extension_approved = Some(approve);
        d.extension_decided_at = Some(c.now);
        d.extension_decided_by = Some(c.actor);
        d.extension_note = note.clone();
        let mut changes = vec![change("extension", "延期申请", if approve { "同意" } else { "不同意" })];
        let mut new = c.old.clone();
        if approve {
            let extended = c.calendar.due(due, deadlines::EXTENSION_DAYS);
            d.due_at = Some(extended);
            new.stage_due_at = Some(extended);
            changes.push(change("due_at", "办理期限", c.links.local_time(extended)));
        }
        if let Some(n) = note {
            changes.push(change("note", "说明", n));
        }
        db::journey::save_dispatch(c.conn, &d)?;
        Ok((new, serde_json::Value::Array(changes)))
    })
    .await
}

/// The resident said it is not solved (第六条′): the street sends the item back to the department that handled it,
/// which accepts it again. The follow-up records it; the item's outcome and feedback start again.
#[utoipa::path(post, path = "/api/items/{id}/send-back", tag = "workflow", security(("bearer" = [])),
    request_body = shared::voice::SendBack,
    responses((status = 200, body = Item), (status = 409, body = ApiError, description = "stale_version or wrong_stage"),
              (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn send_back(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<shared::voice::SendBack>,
) -> Result<web::Json<Item>, AppError> {
    let body = body.into_inner();
    body.validate()?;
    let note = body.note.trim().to_string();
    perform(state, user, id.into_inner(), body.version, ActionKind::SendBack, move |c| {
        if !db::voice::open_not_solved(c.conn, &c.old.id)? {
            return Err(AppError::Api(ApiError::new(
                ErrorCode::WrongStage,
                "居民没有反映“问题没有解决”，不能退回部门重办",
            )));
        }
        let Some(d) = db::journey::current_dispatch(c.conn, &c.old.id)? else {
            return Err(AppError::Api(ApiError::new(ErrorCode::WrongStage, "这条民情由社区办结，没有可退回的部门")));
        };
        db::journey::insert_dispatch(c.conn, &c.old.id, d.department_id, &d.co_departments(), c.now, c.actor)?;
        db::voice::mark_sent_back(c.conn, &c.old.id, c.now)?;
        let dept = db::org::get(c.conn, d.department_id)?;
        let new = ItemRow {
            status: ItemStatus::Dispatched,
            department_id: Some(d.department_id),
            outcome: None,
            closed_at: None,
            told_at: None,
            told_by: None,
            told_how: None,
            stage_due_at: Some(c.calendar.accept_due(c.now)),
            ..c.old.clone()
        };
        let title = format!("【退回重办】{} 居民反映问题没有解决：{note}", new.sheet_no.as_deref().unwrap_or(""));
        notify::tell_unit(c.conn, c.links, d.department_id, &new, "sent_back", title, c.now)?;
        Ok((new, json!([change("department", "交办责任单位或部门", dept.name), change("note", "说明", note)])))
    })
    .await
}
