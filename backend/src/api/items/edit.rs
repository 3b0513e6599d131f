//! Changing an item: edited freely while the community has not acted on it; after that its facts (content, type,
//! level, place) are frozen and only contact details change, until it is closed; the frozen facts are then
//! corrected (更正) by the community secretary or the street with a reason, recorded as its own event.

use actix_web::web;
use chrono::NaiveDateTime;
use serde_json::json;
use shared::item::{mask_phone, CorrectItem, Item, ItemStatus, UpdateItem};
use shared::journey::EventKind;
use shared::{ApiError, ErrorCode};
use validator::Validate;

use super::{capture_place, normalize_phone};
use crate::api::support::{stale, trimmed, visible_item};
use crate::auth::AuthUser;
use crate::db::models::ItemRow;
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::regulation::journey;
use crate::state::AppState;
use crate::views::item::item_dto;

/// One line of the history: a field before and after, or nothing when it did not change.
fn change(field: &str, label: &str, before: Option<String>, after: Option<String>) -> Option<serde_json::Value> {
    (before != after).then(|| json!({"field": field, "label": label, "before": before, "after": after}))
}

/// A refusal of an edit to what is frozen at this stage.
fn frozen(field: Option<&str>, message: &str) -> AppError {
    let error = match field {
        Some(f) => ApiError::field(f, message),
        None => ApiError::new(ErrorCode::WrongStage, message),
    };
    AppError::Api(ApiError { code: ErrorCode::WrongStage, ..error })
}

/// Moves an item to another place of its own community (its 序号 belongs to the community's ledger), answering the
/// history's change.
fn move_place(
    conn: &mut DbConn,
    user: &AuthUser,
    old: &ItemRow,
    new: &mut ItemRow,
    place_id: i64,
) -> Result<Option<serde_json::Value>, AppError> {
    if place_id == old.place_id {
        return Ok(None);
    }
    let (place, line) = capture_place(conn, user, place_id)?;
    if line.community_id != Some(old.community_id) {
        return Err(AppError::field("place_id", "只能改到同一社区内的地点（序号属于社区台账）"));
    }
    let old_place = db::org::get(conn, old.place_id)?;
    let before = db::org::full_name(conn, &old_place)?;
    let after = db::org::full_name(conn, &place)?;
    new.place_id = place.id;
    new.station_id = line.station_id;
    new.grid_id = line.grid_id;
    new.building_id = line.building_id;
    Ok(change("place_id", "地点", Some(before), Some(after)))
}

/// The facts an edit or a correction may change: content, type, level and place.
struct Facts<'a> {
    content: Option<&'a str>,
    item_type: Option<shared::ItemType>,
    level: Option<shared::Level>,
    place_id: Option<i64>,
}

/// Applies the facts to `new`, answering the history's changes (only what really changed).
fn apply_facts(
    conn: &mut DbConn,
    user: &AuthUser,
    old: &ItemRow,
    new: &mut ItemRow,
    facts: Facts<'_>,
) -> Result<Vec<serde_json::Value>, AppError> {
    let mut changes = Vec::new();
    if let Some(t) = facts.item_type {
        new.item_type = t;
        changes.extend(change("item_type", "类型", Some(old.item_type.label().into()), Some(t.label().into())));
    }
    if let Some(l) = facts.level {
        new.level = l;
        changes.extend(change("level", "级别", Some(old.level.label().into()), Some(l.label().into())));
    }
    if let Some(place_id) = facts.place_id {
        changes.extend(move_place(conn, user, old, new, place_id)?);
    }
    if let Some(c) = facts.content {
        new.content = c.trim().to_string();
        changes.extend(change("content", "收集内容", Some(old.content.clone()), Some(new.content.clone())));
    }
    Ok(changes)
}

/// Saves a changed item if nobody changed it meanwhile, records the event, and tells the leaders when it became
/// 重大性 (the direct line).
fn save(
    conn: &mut DbConn,
    st: &AppState,
    user: &AuthUser,
    (old, mut new): (&ItemRow, ItemRow),
    kind: EventKind,
    changes: Vec<serde_json::Value>,
    now: NaiveDateTime,
) -> Result<Item, AppError> {
    new.version = old.version + 1;
    new.updated_at = now;
    if new.level == shared::Level::Major && old.level != shared::Level::Major {
        // Raised to 重大性 at the community or the street: its clock shortens to the city's hours from now (第四条).
        let calendar = crate::regulation::deadlines::Calendar::load(conn, st.tz)?;
        let sooner = match new.status {
            ItemStatus::Collected => Some(calendar.community_due(now, shared::Level::Major)),
            ItemStatus::AtStreet => Some(calendar.street_due(now, shared::Level::Major)),
            _ => None,
        };
        if let Some(sooner) = sooner {
            new.stage_due_at = Some(new.stage_due_at.map_or(sooner, |due| due.min(sooner)));
        }
    }
    if !db::items::update_if_version(conn, &new, old.version)? {
        return Err(stale());
    }
    db::items::add_event(conn, &old.id, now, user.id(), kind, &serde_json::Value::Array(changes))?;
    crate::notify::report_major(conn, &st.links(), &new, now)?;
    item_dto(conn, st, user, &new)
}

/// The facts frozen once the community has acted (报送街道 or 办结): content, type, level and place.
const FROZEN: [(&str, &str); 4] =
    [("content", "收集内容"), ("item_type", "类型"), ("level", "级别"), ("place_id", "地点")];

/// Edit an item while the community has not acted on it; after that only its contact details, until it is closed.
/// Content, type, level and place are then corrected with `POST /api/items/{id}/correct`. Every change is kept in
/// its history (before → after); a stale `version` is refused.
#[utoipa::path(patch, path = "/api/items/{id}", tag = "items", security(("bearer" = [])), request_body = UpdateItem,
    responses((status = 200, body = Item), (status = 404, body = ApiError), (status = 409, body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<UpdateItem>,
) -> Result<web::Json<Item>, AppError> {
    let body = body.into_inner();
    if user.capture_scopes().is_empty() {
        return Err(AppError::forbidden());
    }
    body.validate()?;
    let id = id.into_inner();
    let phone = match &body.resident_phone {
        None => None,
        Some(p) => Some(normalize_phone(Some(p))?),
    };
    let now = state.clock.now_naive();
    let st = state.clone();
    state
        .db
        .write(move |conn| {
            let old = visible_item(conn, &user, &id)?;
            // Through a role that registers items over this item's place, not a role held somewhere else.
            if !journey::acts_on(&user, &old, shared::access::CAPTURERS) {
                return Err(AppError::forbidden());
            }
            if body.version != old.version {
                return Err(stale());
            }
            if old.status == ItemStatus::Closed {
                return Err(frozen(None, "已办结的民情不能再修改；如需更正，请由社区书记或街道“更正”并写明理由"));
            }
            let touched = [
                body.content.as_deref().is_some_and(|c| c.trim() != old.content),
                body.item_type.is_some_and(|t| t != old.item_type),
                body.level.is_some_and(|l| l != old.level),
                body.place_id.is_some_and(|p| p != old.place_id),
            ];
            if old.status != ItemStatus::Collected {
                if let Some((field, label)) = FROZEN.iter().zip(touched).find(|(_, t)| *t).map(|(f, _)| *f) {
                    return Err(frozen(
                        Some(field),
                        &format!("社区已处理这条民情，{label}已锁定；如需更正，请由社区书记或街道“更正”并写明理由"),
                    ));
                }
            }
            let mut new = old.clone();
            let facts = Facts {
                content: body.content.as_deref(),
                item_type: body.item_type,
                level: body.level,
                place_id: body.place_id,
            };
            let mut changes = apply_facts(conn, &user, &old, &mut new, facts)?;
            if let Some(s) = body.source {
                let channel = old.channel;
                if s.channel() != channel {
                    return Err(AppError::field(
                        "source",
                        format!("“{}”不属于收集方式“{}”", s.label(), channel.label()),
                    ));
                }
                new.source = Some(s);
                changes.extend(change("source", "来源", old.source.map(|s| s.label().into()), Some(s.label().into())));
            }
            if let Some(a) = &body.address {
                new.address = trimmed(Some(a));
                changes.extend(change("address", "地址", old.address.clone(), new.address.clone()));
            }
            if let Some(n) = &body.resident_name {
                new.resident_name = trimmed(Some(n));
                changes.extend(change(
                    "resident_name",
                    "居民姓名",
                    old.resident_name.clone(),
                    new.resident_name.clone(),
                ));
            }
            if let Some(p) = &phone {
                new.resident_phone = p.clone();
                // The history shows phone numbers masked: it is read by more people than the item's phone field.
                changes.extend(change(
                    "resident_phone",
                    "居民电话",
                    old.resident_phone.as_deref().map(mask_phone),
                    new.resident_phone.as_deref().map(mask_phone),
                ));
            }
            if let Some(c) = body.callback_consent {
                new.callback_consent = c;
                let yn = |b: bool| Some(if b { "同意" } else { "不同意" }.to_string());
                changes.extend(change("callback_consent", "同意回访", yn(old.callback_consent), yn(c)));
            }
            if changes.is_empty() {
                return item_dto(conn, &st, &user, &old);
            }
            save(conn, &st, &user, (&old, new), EventKind::Updated, changes, now)
        })
        .await
        .map(web::Json)
}

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
            let facts = Facts {
                content: body.content.as_deref(),
                item_type: body.item_type,
                level: body.level,
                place_id: body.place_id,
            };
            let mut changes = apply_facts(conn, &user, &old, &mut new, facts)?;
            if changes.is_empty() {
                return Err(AppError::field("content", "没有需要更正的内容：请修改收集内容、类型、级别或地点"));
            }
            changes.push(json!({"field": "reason", "label": "更正理由", "before": null, "after": body.reason.trim()}));
            save(conn, &st, &user, (&old, new), EventKind::Corrected, changes, now)
        })
        .await
        .map(web::Json)
}
