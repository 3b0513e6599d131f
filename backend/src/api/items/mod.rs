//! Items (民情事项): create (idempotent on the client's id), read, correct (versioned), and their history.

use actix_web::{web, HttpResponse};
use chrono::Duration;
use serde_json::json;
use shared::item::{CreateItem, Item, ItemEvent, ItemStatus, ITEM_PLACE_KINDS};
use shared::journey::EventKind;
use shared::ApiError;
use validator::Validate;

mod edit;
mod origin;

pub use edit::{__path_correct, __path_update, correct, update};

use super::support::{conflict_on, parse_uuid, request_hash, trimmed, visible_item};
use crate::auth::AuthUser;
use crate::db::models::{ItemRow, UnitRow};
use crate::db::org::PlaceLine;
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::regulation::deadlines::{self, Calendar};
use crate::regulation::journey;
use crate::state::AppState;
use crate::views::item::item_dto;

pub(super) fn normalize_phone(phone: Option<&str>) -> Result<Option<String>, AppError> {
    match phone.map(str::trim).filter(|p| !p.is_empty()) {
        None => Ok(None),
        Some(p) => shared::validate::normalize_phone(p).map(Some).map_err(|m| AppError::field("resident_phone", m)),
    }
}

/// The place an item is registered at: an active community, station, grid or building within a capture scope.
pub(super) fn capture_place(
    conn: &mut DbConn,
    user: &AuthUser,
    place_id: i64,
) -> Result<(UnitRow, PlaceLine), AppError> {
    let place = db::org::get(conn, place_id).map_err(|_| AppError::field("place_id", "地点不存在"))?;
    if !ITEM_PLACE_KINDS.contains(&place.kind) {
        return Err(AppError::field("place_id", "地点应为社区、党群服务站、网格或楼栋"));
    }
    if !user.capture_scopes().iter().any(|s| s.contains(&place)) {
        return Err(AppError::field("place_id", "该地点不在您负责的范围内"));
    }
    if !place.active {
        return Err(AppError::field("place_id", "该地点已停用"));
    }
    let line = PlaceLine::of(conn, &place)?;
    if line.street_id.is_none() || line.community_id.is_none() {
        return Err(AppError::field("place_id", "该地点不属于任何社区"));
    }
    Ok((place, line))
}

/// Register a resident's concern. The client makes the id: sending the same create again (after a lost answer)
/// returns the item already made; the same id with a different body is refused.
#[utoipa::path(post, path = "/api/items", tag = "items", security(("bearer" = [])), request_body = CreateItem,
    responses((status = 201, body = Item), (status = 200, description = "the same create again: the item already made", body = Item),
              (status = 409, body = ApiError), (status = 422, body = ApiError), (status = 403, body = ApiError)))]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<CreateItem>,
) -> Result<HttpResponse, AppError> {
    let body = body.into_inner();
    if user.capture_scopes().is_empty() {
        return Err(AppError::forbidden());
    }
    body.validate()?;
    let id = parse_uuid("id", &body.id)?;
    if let Some(source) = body.source {
        if source.channel() != body.channel {
            return Err(AppError::field(
                "source",
                format!("“{}”不属于收集方式“{}”", source.label(), body.channel.label()),
            ));
        }
    }
    let now = state.clock.now_naive();
    let collected_at = body.collected_at.map(|t| t.naive_utc()).unwrap_or(now);
    if collected_at > now + Duration::minutes(10) {
        return Err(AppError::field("collected_at", "收集时间不能晚于现在"));
    }
    if collected_at < now - Duration::days(366) {
        return Err(AppError::field("collected_at", "收集时间不能早于一年前"));
    }
    let resident_phone = normalize_phone(body.resident_phone.as_deref())?;
    let mut photo_ids = Vec::new();
    for (i, p) in body.photo_ids.iter().enumerate() {
        let pid = parse_uuid(&format!("photo_ids[{i}]"), p)?;
        if photo_ids.contains(&pid) {
            return Err(AppError::field(&format!("photo_ids[{i}]"), "同一张照片重复了"));
        }
        photo_ids.push(pid);
    }
    let request_hash = request_hash(&body)?;

    let st = state.clone();
    let (item, created) = state
        .db
        .write(move |conn| {
            if let Some(existing) = db::items::get(conn, &id)? {
                if existing.request_hash == request_hash && existing.collector_id == user.id() {
                    return Ok((item_dto(conn, &st, &user, &existing)?, false));
                }
                return Err(conflict_on("id", "该编号的民情已经登记过，且内容不同"));
            }
            let (place, line) = capture_place(conn, &user, body.place_id)?;
            for (i, pid) in photo_ids.iter().enumerate() {
                let field = format!("photo_ids[{i}]");
                match db::items::photo(conn, pid)? {
                    Some(p) if p.uploader_id == user.id() && p.item_id.is_none() => {}
                    Some(p) if p.item_id.is_some() => return Err(conflict_on(&field, "这张照片已属于另一条民情")),
                    _ => return Err(AppError::field(&field, "照片尚未上传成功，请重试上传")),
                }
            }
            let origin = origin::item_origin(conn, &user, &body, &line)?;
            // Every clock follows the calendar setting, and starts when the item reaches the server: a capture
            // noted offline keeps its noted time for the record, but the community could not act on it before.
            let calendar = Calendar::load(conn, st.tz)?;
            let community_id = line.community_id.unwrap_or(place.id);
            let seq = db::items::next_seq(conn, community_id)?;
            let row = ItemRow {
                id: id.clone(),
                seq,
                street_id: line.street_id.unwrap_or_default(),
                community_id,
                station_id: line.station_id,
                grid_id: line.grid_id,
                building_id: line.building_id,
                place_id: place.id,
                collected_at,
                collector_id: user.id(),
                channel: body.channel,
                source: body.source,
                item_type: body.item_type,
                level: body.level,
                status: ItemStatus::Collected,
                address: trimmed(body.address.as_deref()),
                latitude: body.latitude,
                longitude: body.longitude,
                gps_accuracy_m: body.gps_accuracy_m,
                resident_name: trimmed(body.resident_name.as_deref()),
                resident_phone,
                callback_consent: body.callback_consent,
                content: body.content.trim().to_string(),
                request_hash,
                version: 1,
                created_at: now,
                updated_at: now,
                stage_due_at: Some(calendar.community_due(now, body.level)),
                closed_at: None,
                outcome: None,
                result: None,
                told_at: None,
                told_by: None,
                told_how: None,
                sheet_no: None,
                sent_at: None,
                sent_by: None,
                proposed_department_id: None,
                department_id: None,
                visit_id: origin.visit_id,
                meeting_id: origin.meeting_id,
                reception_id: origin.reception_id,
                building_leader_id: origin.building_leader_id,
                solved_on_spot: false,
            };
            // Solved at the meeting or reception: registered as 街道社区办结, the resident to be told within 2 days;
            // only by a role that solves at that level over this item's place.
            if origin.solved_on_spot.is_some() && !journey::acts_on(&user, &row, shared::access::LOCAL_SOLVERS) {
                return Err(AppError::field(
                    "solved_on_spot",
                    "现场解决的民情须由社区书记或街道登记办结；请按会后办理登记，由社区审核",
                ));
            }
            let row = match &origin.solved_on_spot {
                None => row,
                Some(result) => ItemRow {
                    status: ItemStatus::Solved,
                    outcome: Some(shared::Outcome::SolvedLocally),
                    closed_at: Some(now),
                    result: Some(result.clone()),
                    solved_on_spot: true,
                    stage_due_at: Some(calendar.due(now, deadlines::TELL_RESIDENT_DAYS)),
                    ..row
                },
            };
            db::items::insert(conn, &row)?;
            for (i, pid) in photo_ids.iter().enumerate() {
                db::items::attach_photo(conn, pid, &id, i as i32)?;
            }
            db::items::add_event(conn, &id, now, user.id(), EventKind::Created, &json!([]))?;
            if let Some(result) = &origin.solved_on_spot {
                let changes = json!([
                    {"field": "outcome", "label": "办结情况", "before": null, "after": shared::Outcome::SolvedLocally.label()},
                    {"field": "result", "label": "办理结果（现场解决）", "before": null, "after": result},
                ]);
                db::items::add_event(conn, &id, now, user.id(), EventKind::SolvedLocally, &changes)?;
            }
            crate::notify::report_major(conn, &st.links(), &row, now)?;
            Ok((item_dto(conn, &st, &user, &row)?, true))
        })
        .await?;
    Ok(if created { HttpResponse::Created().json(item) } else { HttpResponse::Ok().json(item) })
}

/// One item.
#[utoipa::path(get, path = "/api/items/{id}", tag = "items", security(("bearer" = [])),
    responses((status = 200, body = Item), (status = 404, body = ApiError)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<Item>, AppError> {
    let id = id.into_inner();
    let st = state.clone();
    state
        .db
        .read(move |conn| {
            let row = visible_item(conn, &user, &id)?;
            item_dto(conn, &st, &user, &row)
        })
        .await
        .map(web::Json)
}

/// The item's history, oldest first. Events are only ever added: no endpoint edits or deletes one.
#[utoipa::path(get, path = "/api/items/{id}/events", tag = "items", security(("bearer" = [])),
    responses((status = 200, body = Vec<ItemEvent>), (status = 404, body = ApiError)))]
pub async fn events(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<Vec<ItemEvent>>, AppError> {
    let id = id.into_inner();
    state
        .db
        .read(move |conn| {
            visible_item(conn, &user, &id)?;
            crate::views::item::events_dto(conn, &id)
        })
        .await
        .map(web::Json)
}
