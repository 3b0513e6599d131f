//! Supervision (第八条′): the supervision office's city-wide overdue queue by stage and unit with days overdue, chase
//! notices (催办) recorded on the item and sent to the holding unit's hooks, and each unit's record of chases with
//! repeat offenders flagged.

use std::collections::HashMap;

use actix_web::web;
use chrono::Duration;
use shared::dto::UnitRef;
use shared::journey::EventKind;
use shared::supervision::{Chase, ChaseReply, OverdueItem, UnitRecord};
use shared::{ApiError, ErrorCode, Role};
use validator::Validate;

use crate::auth::AuthUser;
use crate::db;
use crate::db::supervision::NewChase;
use crate::error::AppError;
use crate::notify::excerpt;
use crate::state::AppState;
use crate::views::utc;

/// Every overdue item of the city, the longest overdue first.
#[utoipa::path(get, path = "/api/supervision/overdue", tag = "supervision", security(("bearer" = [])),
    responses((status = 200, body = Vec<OverdueItem>), (status = 403, body = ApiError)))]
pub async fn overdue(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<Vec<OverdueItem>>, AppError> {
    if !user.reads_city_figures() {
        return Err(AppError::forbidden());
    }
    let now = state.clock.now_naive();
    state
        .db
        .read(move |conn| {
            let rows = db::supervision::overdue_items(conn, now)?;
            let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
            let chased = db::supervision::chases_of_items(conn, &ids)?;
            let mut unit_ids: Vec<i64> = rows.iter().map(|r| r.place_id).collect();
            unit_ids.extend(rows.iter().filter_map(db::journey::holder));
            let units = db::org::by_ids(conn, &unit_ids)?;
            let names = db::org::full_names(conn, &units)?;
            let by_id: HashMap<i64, _> = units.iter().map(|u| (u.id, u)).collect();
            let mut out = Vec::new();
            for r in rows {
                let (Some(due), Some(holder)) = (r.stage_due_at, db::journey::holder(&r).and_then(|h| by_id.get(&h)))
                else {
                    continue;
                };
                out.push(OverdueItem {
                    sheet_no: r.sheet_no.clone(),
                    place: names.get(&r.place_id).cloned().unwrap_or_default(),
                    summary: excerpt(&r.content, 60),
                    status: r.status,
                    holder: UnitRef {
                        id: holder.id,
                        kind: holder.kind,
                        name: holder.name.clone(),
                        full_name: names.get(&holder.id).cloned().unwrap_or_else(|| holder.name.clone()),
                    },
                    due_at: utc(due),
                    days_overdue: (now - due).num_days(),
                    chases: chased.iter().filter(|c| **c == r.id).count() as i64,
                    id: r.id,
                });
            }
            Ok(out)
        })
        .await
        .map(web::Json)
}

/// A chase notice (催办) to the unit holding an open item: recorded on the item's history and the unit's record, sent
/// to the unit's hooks, to be answered with a reply and a promised date within the city's time.
#[utoipa::path(post, path = "/api/items/{id}/chase", tag = "supervision", security(("bearer" = [])), request_body = Chase,
    responses((status = 204), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn chase(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<Chase>,
) -> Result<actix_web::HttpResponse, AppError> {
    if !user.roles.iter().any(|b| b.role == Role::Supervisor) {
        return Err(AppError::forbidden());
    }
    let body = body.into_inner();
    body.validate()?;
    let note = body.note.trim().to_string();
    let (id, now, links, tz) = (id.into_inner(), state.clock.now_naive(), state.links(), state.tz);
    state
        .db
        .write(move |conn| {
            let item = super::support::visible_item(conn, &user, &id)?;
            // Any open item may be chased, overdue or not (第八条′: 定期…跟踪督办).
            let Some(unit) = db::journey::holder(&item) else {
                return Err(AppError::Api(ApiError::new(ErrorCode::WrongStage, "这条民情已办结")));
            };
            let calendar = crate::regulation::deadlines::Calendar::load(conn, tz)?;
            let chase = NewChase {
                item_id: &item.id,
                unit_id: unit,
                stage: item.status,
                note: &note,
                at: now,
                by_id: user.id(),
                answer_due_at: calendar.chase_reply_due(now),
            };
            db::supervision::insert_chase(conn, &chase)?;
            let holder = db::org::get(conn, unit)?;
            let changes = serde_json::json!([
                {"field": "holder", "label": "催办单位", "before": null, "after": holder.name},
                {"field": "note", "label": "催办内容", "before": null, "after": note},
            ]);
            db::items::add_event(conn, &item.id, now, user.id(), EventKind::Chased, &changes)?;
            let title = format!("【督查室催办】{note}（请于{}前回复）", links.local_time(chase.answer_due_at));
            crate::notify::tell_unit(conn, &links, unit, &item, "chase", title, now)?;
            Ok(())
        })
        .await?;
    Ok(actix_web::HttpResponse::NoContent().finish())
}

/// The chased unit answers a chase: what it did or will do, and by when. Once; recorded on the item's history.
#[utoipa::path(post, path = "/api/chases/{id}/reply", tag = "supervision", security(("bearer" = [])),
    request_body = ChaseReply,
    responses((status = 204), (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 409, body = ApiError, description = "already answered"), (status = 422, body = ApiError)))]
pub async fn reply_to_chase(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: web::Json<ChaseReply>,
) -> Result<actix_web::HttpResponse, AppError> {
    let body = body.into_inner();
    body.validate()?;
    let (id, now) = (id.into_inner(), state.clock.now_naive());
    let promised = body.promised_at.naive_utc();
    if promised < now - Duration::minutes(5) {
        return Err(AppError::field("promised_at", "承诺办结时间不能早于现在"));
    }
    if promised > now + Duration::days(60) {
        return Err(AppError::field("promised_at", "承诺办结时间不能晚于60天后"));
    }
    let reply = body.reply.trim().to_string();
    state
        .db
        .write(move |conn| {
            let chase = db::supervision::chase(conn, id)?.ok_or_else(|| AppError::not_found("该催办"))?;
            let item =
                super::support::visible_item(conn, &user, &chase.item_id).map_err(|_| AppError::not_found("该催办"))?;
            if !user.roles.iter().any(|b| b.unit.id == chase.unit_id) {
                return Err(AppError::forbidden());
            }
            if !db::supervision::answer_chase(conn, chase.id, (&reply, promised), user.id(), now)? {
                return Err(AppError::Api(ApiError::new(ErrorCode::Conflict, "这次催办已经回复过了")));
            }
            let changes = serde_json::json!([
                {"field": "reply", "label": "催办回复", "before": null, "after": reply},
                {"field": "promised_at", "label": "承诺办结时间", "before": null,
                 "after": crate::views::utc(promised).to_rfc3339()},
            ]);
            db::items::add_event(conn, &item.id, now, user.id(), EventKind::ChaseAnswered, &changes)?;
            Ok(())
        })
        .await?;
    Ok(actix_web::HttpResponse::NoContent().finish())
}

/// Each unit's record: overdue now, chases in the last 90 days and those it did not answer in time, items chased
/// repeatedly, 退单 (a department), corrections of its items' facts (by community), repeat offenders first.
#[utoipa::path(get, path = "/api/supervision/units", tag = "supervision", security(("bearer" = [])),
    responses((status = 200, body = Vec<UnitRecord>), (status = 403, body = ApiError)))]
pub async fn units(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<Vec<UnitRecord>>, AppError> {
    if !user.reads_city_figures() {
        return Err(AppError::forbidden());
    }
    let now = state.clock.now_naive();
    state.db.read(move |conn| crate::views::supervision::unit_records(conn, now)).await.map(web::Json)
}
