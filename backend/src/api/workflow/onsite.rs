//! Day 10 (第七条2): the department handling an item records its on-site office (现场办公), or the item's street or
//! community its on-site meeting (现场办公会) with the department and residents' representatives. The record is kept on
//! the dispatch and written to the item's history; a 返单 after day 10, and any 无法办结, need one.

use actix_web::web;
use chrono::Duration;
use serde_json::json;
use shared::item::Item;
use shared::journey::EventKind;
use shared::onsite::{NewOnsiteRecord, OnsiteKind};
use shared::{ApiError, ErrorCode};

use crate::api::support::visible_item;
use crate::auth::AuthUser;
use crate::db;
use crate::db::onsite::NewOnsite;
use crate::error::AppError;
use crate::regulation::journey;
use crate::state::AppState;
use crate::views::item::item_dto;

/// Records an on-site office or meeting on the item's current dispatch.
#[utoipa::path(post, path = "/api/items/{id}/onsite-records", tag = "workflow", security(("bearer" = [])),
    request_body = NewOnsiteRecord,
    responses((status = 200, body = Item), (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 409, body = ApiError, description = "wrong_stage"), (status = 422, body = ApiError)))]
pub async fn record_onsite(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<NewOnsiteRecord>,
) -> Result<web::Json<Item>, AppError> {
    let body = body.into_inner();
    let (id, now, st) = (id.into_inner(), state.clock.now_naive(), state.clone());
    state
        .db
        .write(move |conn| {
            let item = visible_item(conn, &user, &id)?;
            let current = db::journey::current_dispatch(conn, &item.id)?;
            let Some(kind) = journey::onsite_kind_of_roles(&user, &item) else {
                return Err(AppError::forbidden());
            };
            let dispatch = match current {
                Some(d) if journey::onsite_handling(&item, Some(&d)) => d,
                _ => {
                    return Err(AppError::Api(ApiError::new(
                        ErrorCode::WrongStage,
                        "只有在部门接单后、返单前才能填写现场办公记录",
                    )))
                }
            };
            body.check(kind).map_err(AppError::Api)?;
            let held_at = body.held_at.naive_utc();
            if held_at > now + Duration::minutes(5) {
                return Err(AppError::field("held_at", "现场办公时间不能晚于现在"));
            }
            if dispatch.accepted_at.is_some_and(|accepted| held_at < accepted - Duration::minutes(5)) {
                return Err(AppError::field("held_at", "现场办公时间不能早于部门接单时间"));
            }
            let unit_id = match kind {
                OnsiteKind::DepartmentOffice => dispatch.department_id,
                // The street's meeting, or the community's when the account acts for the community.
                OnsiteKind::StreetMeeting => user
                    .roles
                    .iter()
                    .find(|b| b.unit.id == item.street_id)
                    .map_or(item.community_id, |_| item.street_id),
            };
            let attendees: Vec<_> = body
                .attendees
                .iter()
                .map(|a| shared::onsite::OnsiteAttendee { name: a.name.trim().into(), role: a.role.trim().into() })
                .collect();
            let (place, findings, measures) = (body.place.trim(), body.findings.trim(), body.measures.trim());
            let record = NewOnsite {
                item_id: &item.id,
                dispatch_id: dispatch.id,
                kind,
                unit_id,
                held_at: held_at.min(now),
                place,
                attendees: &attendees,
                findings,
                measures,
                recorded_by: user.id(),
                recorded_at: now,
            };
            db::onsite::insert(conn, &record)?;
            let who: Vec<String> = attendees.iter().map(|a| format!("{}（{}）", a.name, a.role)).collect();
            let changes = json!([
                {"field": "kind", "label": "现场办公", "before": null, "after": kind.label()},
                {"field": "place", "label": "地点", "before": null, "after": place},
                {"field": "attendees", "label": "参加人员", "before": null, "after": who.join("、")},
                {"field": "findings", "label": "掌握的问题症结", "before": null, "after": findings},
                {"field": "measures", "label": "研究商议的解决措施", "before": null, "after": measures},
            ]);
            db::items::add_event(conn, &item.id, now, user.id(), EventKind::OnsiteRecorded, &changes)?;
            item_dto(conn, &st, &user, &item)
        })
        .await
        .map(web::Json)
}
