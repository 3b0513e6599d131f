//! The community's actions (第七条1, 第七条4): solve the item itself (社区办结), send the sheet to the street, and
//! tell the resident the outcome.

use actix_web::web;
use serde_json::json;
use shared::item::{Item, ItemStatus, SendToStreet, SolveLocally, TellResident};
use shared::journey::ActionKind;
use shared::{ApiError, Outcome};
use validator::Validate;

use super::{change, department, perform};
use crate::api::support::trimmed;
use crate::auth::AuthUser;
use crate::db;
use crate::db::models::ItemRow;
use crate::error::AppError;
use crate::regulation::deadlines::{self};
use crate::state::AppState;

/// The community solved the item itself (街道社区办结). Next: tell the resident within 2 days.
#[utoipa::path(post, path = "/api/items/{id}/solve-locally", tag = "workflow", security(("bearer" = [])),
    request_body = SolveLocally,
    responses((status = 200, body = Item), (status = 409, body = ApiError, description = "stale_version or wrong_stage"),
              (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn solve_locally(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<SolveLocally>,
) -> Result<web::Json<Item>, AppError> {
    let body = body.into_inner();
    body.validate()?;
    let result = body.result.trim().to_string();
    perform(state, user, id.into_inner(), body.version, ActionKind::SolveLocally, move |c| {
        let changes = json!([
            change("outcome", "办结情况", Outcome::SolvedLocally.label()),
            change("result", "办理结果", result.clone()),
        ]);
        let new = ItemRow {
            status: ItemStatus::Solved,
            outcome: Some(Outcome::SolvedLocally),
            closed_at: Some(c.now),
            result: Some(result),
            stage_due_at: Some(c.calendar.due(c.now, deadlines::TELL_RESIDENT_DAYS)),
            ..c.old.clone()
        };
        Ok((new, changes))
    })
    .await
}

/// The community sends the item to its street on the sheet 《民情速递处置反馈单》, numbered per street and year.
#[utoipa::path(post, path = "/api/items/{id}/send-to-street", tag = "workflow", security(("bearer" = [])),
    request_body = SendToStreet,
    responses((status = 200, body = Item), (status = 409, body = ApiError, description = "stale_version or wrong_stage"),
              (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn send_to_street(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<SendToStreet>,
) -> Result<web::Json<Item>, AppError> {
    let body = body.into_inner();
    let proposed = match body.department_id {
        None => None,
        Some(dept_id) => Some(department(&state, "department_id", dept_id).await?),
    };
    let tz = state.tz;
    perform(state, user, id.into_inner(), body.version, ActionKind::SendToStreet, move |c| {
        let street = db::org::get(c.conn, c.old.street_id)?;
        let year: i32 = chrono::Datelike::year(&chrono::TimeZone::from_utc_datetime(&tz, &c.now));
        let sheet_no = db::items::next_sheet_no(c.conn, &street, year)?;
        let mut changes = vec![change("sheet_no", "反馈单编号", sheet_no.clone())];
        if let Some(d) = &proposed {
            changes.push(change("proposed_department", "建议交办部门", d.name.clone()));
        }
        let new = ItemRow {
            status: ItemStatus::AtStreet,
            sheet_no: Some(sheet_no),
            sent_at: Some(c.now),
            sent_by: Some(c.actor),
            proposed_department_id: proposed.map(|d| d.id),
            stage_due_at: Some(c.calendar.street_due(c.now, c.old.level)),
            ..c.old.clone()
        };
        Ok((new, serde_json::Value::Array(changes)))
    })
    .await
}

/// The resident was told the result (第八条): by whom, how and when. The item is then closed.
#[utoipa::path(post, path = "/api/items/{id}/tell-resident", tag = "workflow", security(("bearer" = [])),
    request_body = TellResident,
    responses((status = 200, body = Item), (status = 409, body = ApiError, description = "stale_version or wrong_stage"),
              (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn tell_resident(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<TellResident>,
) -> Result<web::Json<Item>, AppError> {
    let body = body.into_inner();
    body.validate()?;
    let how = body.how;
    let note = trimmed(body.note.as_deref());
    perform(state, user, id.into_inner(), body.version, ActionKind::TellResident, move |c| {
        let mut changes = vec![change("told_how", "反馈方式", how.label())];
        if let Some(n) = note {
            changes.push(change("note", "居民意见", n));
        }
        let new = ItemRow {
            status: ItemStatus::Closed,
            told_at: Some(c.now),
            told_by: Some(c.actor),
            told_how: Some(how),
            stage_due_at: None,
            ..c.old.clone()
        };
        Ok((new, serde_json::Value::Array(changes)))
    })
    .await
}
