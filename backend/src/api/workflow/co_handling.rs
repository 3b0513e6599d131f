//! 协办: a department named as co-handling on the dispatch opens the item and records what it did, while the lead
//! department has the sheet. The record is an event of the item's history; the item itself does not change.

use actix_web::web;
use serde_json::json;
use shared::item::Item;
use shared::journey::{CoHandling, EventKind};
use shared::{ApiError, ErrorCode};
use validator::Validate;

use crate::api::support::visible_item;
use crate::auth::AuthUser;
use crate::db;
use crate::error::AppError;
use crate::regulation::journey;
use crate::state::AppState;
use crate::views::item::item_dto;

/// A co-handling department records its part (协办情况).
#[utoipa::path(post, path = "/api/items/{id}/co-handling", tag = "workflow", security(("bearer" = [])),
    request_body = CoHandling,
    responses((status = 200, body = Item), (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 409, body = ApiError, description = "wrong_stage"), (status = 422, body = ApiError)))]
pub async fn co_handling(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<CoHandling>,
) -> Result<web::Json<Item>, AppError> {
    let body = body.into_inner();
    body.validate()?;
    let note = body.note.trim().to_string();
    let (id, now, st) = (id.into_inner(), state.clock.now_naive(), state.clone());
    state
        .db
        .write(move |conn| {
            let item = visible_item(conn, &user, &id)?;
            let current = db::journey::current_dispatch(conn, &item.id)?;
            let departments = journey::co_handling_departments(&user, current.as_ref());
            let Some(department) = departments.first() else {
                return Err(AppError::forbidden());
            };
            if !journey::co_handles_now(&user, &item, current.as_ref()) {
                return Err(AppError::Api(ApiError::new(
                    ErrorCode::WrongStage,
                    "只有在责任部门办理期间才能记录协办情况",
                )));
            }
            let department = db::org::get(conn, *department)?;
            let changes = json!([
                {"field": "co_department", "label": "协办部门", "before": null, "after": department.name},
                {"field": "note", "label": "协办情况", "before": null, "after": note},
            ]);
            db::items::add_event(conn, &item.id, now, user.id(), EventKind::CoHandled, &changes)?;
            item_dto(conn, &st, &user, &item)
        })
        .await
        .map(web::Json)
}
