//! 更正: a correction of an item's frozen facts (content, type, level, place) after the community acted on it, by the
//! community secretary or the street over the item's place, with a reason; recorded as its own event in the history.

use actix_web::web;
use shared::item::{CorrectItem, Item, ItemStatus};
use shared::journey::EventKind;
use shared::{ApiError, ErrorCode};
use validator::Validate;

use super::edit::{change, move_place};
use crate::api::support::{stale, visible_item};
use crate::auth::AuthUser;
use crate::db;
use crate::error::AppError;
use crate::regulation::journey;
use crate::state::AppState;
use crate::views::item::item_dto;

/// Correct an item's facts once the community has acted on it (closed items included): a reason is required, at
/// least one fact must change, and the history records it as 更正 with the reason.
#[utoipa::path(post, path = "/api/items/{id}/correct", tag = "items", security(("bearer" = [])), request_body = CorrectItem,
    responses((status = 200, body = Item), (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn correct(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<CorrectItem>,
) -> Result<web::Json<Item>, AppError> {
    let body = body.into_inner();
    body.validate()?;
    let (id, now, st) = (id.into_inner(), state.clock.now_naive(), state.clone());
    state
        .db
        .write(move |conn| {
            let old = visible_item(conn, &user, &id)?;
            if !journey::may_correct(&user, &old) {
                if old.status == ItemStatus::Collected && journey::acts_on(&user, &old, shared::access::LOCAL_SOLVERS) {
                    return Err(AppError::Api(ApiError::new(
                        ErrorCode::WrongStage,
                        "社区尚未处理这条民情，请直接修改，无需更正",
                    )));
                }
                return Err(AppError::forbidden());
            }
            if body.version != old.version {
                return Err(stale());
            }
            let mut new = old.clone();
            let mut changes = Vec::new();
            if let Some(c) = body.content.as_deref().map(str::trim) {
                new.content = c.to_string();
                changes.extend(change("content", "收集内容", Some(old.content.clone()), Some(new.content.clone())));
            }
            if let Some(t) = body.item_type {
                new.item_type = t;
                changes.extend(change("item_type", "类型", Some(old.item_type.label().into()), Some(t.label().into())));
            }
            if let Some(l) = body.level {
                new.level = l;
                changes.extend(change("level", "级别", Some(old.level.label().into()), Some(l.label().into())));
            }
            if let Some(place_id) = body.place_id {
                changes.extend(move_place(conn, &user, &old, &mut new, place_id)?);
            }
            if changes.is_empty() {
                return Err(AppError::field("content", "没有需要更正的内容：请修改收集内容、类型、级别或地点"));
            }
            changes.push(serde_json::json!({
                "field": "reason", "label": "更正理由", "before": null, "after": body.reason.trim(),
            }));
            new.version = old.version + 1;
            new.updated_at = now;
            if !db::items::update_if_version(conn, &new, old.version)? {
                return Err(stale());
            }
            db::items::add_event(conn, &id, now, user.id(), EventKind::Corrected, &serde_json::Value::Array(changes))?;
            // Corrected to 重大性: the direct line tells the leaders at once.
            crate::notify::report_major(conn, &st.links(), &new, now)?;
            item_dto(conn, &st, &user, &new)
        })
        .await
        .map(web::Json)
}
