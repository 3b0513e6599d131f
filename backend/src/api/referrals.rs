//! 移交纪检监察 (第八条′): the supervision office refers a unit, or one of its items, to the discipline inspection
//! commission, records the status the commission reports back, and prints one dossier of the evidence. City-wide
//! readers (the leaders, the offices) see the referrals; only the supervision office makes and moves them.

use actix_web::{web, HttpResponse};
use chrono::Duration;
use serde_json::json;
use shared::journey::EventKind;
use shared::referral::{Dossier, DossierItem, NewReferral, Referral, ReferralStep, ReferralUpdate};
use shared::{ApiError, ErrorCode, OrgKind};

use crate::auth::AuthUser;
use crate::db::referrals::{ReferralRow, StepRow};
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use crate::views::people::{people, person, unit_ref};
use crate::views::supervision::{unit_record, RECORD_DAYS};
use crate::views::utc;

/// A unit-wide dossier holds at most this many items (the longest overdue, most chased first).
const DOSSIER_ITEMS: usize = 50;

fn supervises(user: &AuthUser) -> Result<(), AppError> {
    if user.roles.iter().any(|b| b.role == shared::Role::Supervisor) {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

fn reads(user: &AuthUser) -> Result<(), AppError> {
    if user.reads_city_figures() {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

fn referral_dtos(conn: &mut DbConn, rows: &[ReferralRow]) -> Result<Vec<Referral>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let steps = db::referrals::steps_of(conn, &ids)?;
    let mut who: Vec<i64> = rows.iter().map(|r| r.referred_by).chain(steps.iter().map(|s| s.by_id)).collect();
    who.sort_unstable();
    who.dedup();
    let people = people(conn, &who)?;
    let step = |s: &StepRow| ReferralStep {
        status: s.status,
        note: s.note.clone(),
        at: utc(s.at),
        by: person(&people, s.by_id),
    };
    let mut out = Vec::new();
    for r in rows {
        let unit = db::org::get(conn, r.unit_id)?;
        out.push(Referral {
            id: r.id,
            unit: unit_ref(conn, &unit)?,
            item_id: r.item_id.clone(),
            reason: r.reason.clone(),
            status: r.status,
            referred_by: person(&people, r.referred_by),
            referred_at: utc(r.referred_at),
            steps: steps.iter().filter(|s| s.referral_id == r.id).map(step).collect(),
        });
    }
    Ok(out)
}

fn load(conn: &mut DbConn, id: i64) -> Result<ReferralRow, AppError> {
    db::referrals::get(conn, id)?.ok_or_else(|| AppError::not_found("该移交"))
}

/// Every referral, newest first.
#[utoipa::path(get, path = "/api/referrals", tag = "supervision", security(("bearer" = [])),
    responses((status = 200, body = Vec<Referral>), (status = 403, body = ApiError)))]
pub async fn list(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<Vec<Referral>>, AppError> {
    reads(&user)?;
    state
        .db
        .read(move |conn| {
            let rows = db::referrals::all(conn)?;
            referral_dtos(conn, &rows)
        })
        .await
        .map(web::Json)
}

/// Refers a unit, or one item of it, to 纪检监察. An item must have been with the unit (its community, its street,
/// or a department it was dispatched to); the referral is recorded on the item's history.
#[utoipa::path(post, path = "/api/referrals", tag = "supervision", security(("bearer" = [])), request_body = NewReferral,
    responses((status = 201, body = Referral), (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn refer(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<NewReferral>,
) -> Result<HttpResponse, AppError> {
    supervises(&user)?;
    let body = body.into_inner();
    if let Some(refused) = ApiError::from_problems(body.problems()) {
        return Err(AppError::Api(refused));
    }
    let now = state.clock.now_naive();
    let referral = state
        .db
        .write(move |conn| {
            let unit = db::org::get(conn, body.unit_id).map_err(|_| AppError::field("unit_id", "找不到该单位"))?;
            if !matches!(unit.kind, OrgKind::Community | OrgKind::Street | OrgKind::Department) {
                return Err(AppError::field("unit_id", "只能移交社区、街道或部门"));
            }
            let reason = body.reason.trim();
            let item_id = body.item_id.as_deref().map(str::trim);
            if let Some(item_id) = item_id {
                let item = super::support::visible_item(conn, &user, item_id)
                    .map_err(|_| AppError::field("item_id", "找不到该事项"))?;
                let dispatched_to: Vec<i64> = db::journey::current_dispatch(conn, &item.id)?
                    .into_iter()
                    .chain(db::journey::rejected_dispatches(conn, &item.id)?)
                    .map(|d| d.department_id)
                    .collect();
                let with_unit =
                    [item.community_id, item.street_id].contains(&unit.id) || dispatched_to.contains(&unit.id);
                if !with_unit {
                    return Err(AppError::field("item_id", "该事项没有经过这个单位办理"));
                }
                let changes = json!([
                    {"field": "unit", "label": "移交对象", "before": null, "after": unit.name},
                    {"field": "reason", "label": "移交理由", "before": null, "after": reason},
                ]);
                db::items::add_event(conn, &item.id, now, user.id(), EventKind::Referred, &changes)?;
            }
            let id = db::referrals::insert(conn, (unit.id, item_id), reason, user.id(), now)?;
            let detail = json!({"unit": unit.name, "item": item_id});
            db::audit::record(conn, now, Some(user.id()), "referral.create", "referral", Some(id), detail)?;
            let row = load(conn, id)?;
            Ok(referral_dtos(conn, &[row])?.remove(0))
        })
        .await?;
    Ok(HttpResponse::Created().json(referral))
}

/// Records what the commission reported back: the referral moves forward (已受理, 核查中, 已办结 with its finding).
#[utoipa::path(post, path = "/api/referrals/{id}/status", tag = "supervision", security(("bearer" = [])),
    request_body = ReferralUpdate,
    responses((status = 200, body = Referral), (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 409, body = ApiError, description = "not forward, or already concluded"), (status = 422, body = ApiError)))]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: web::Json<ReferralUpdate>,
) -> Result<web::Json<Referral>, AppError> {
    supervises(&user)?;
    let body = body.into_inner();
    if let Some(refused) = ApiError::from_problems(body.problems()) {
        return Err(AppError::Api(refused));
    }
    let (id, now) = (id.into_inner(), state.clock.now_naive());
    state
        .db
        .write(move |conn| {
            let row = load(conn, id)?;
            let refused = |what: String| AppError::Api(ApiError::new(ErrorCode::Conflict, what));
            if !row.status.may_become(body.status) {
                return Err(refused(format!("该移交已是“{}”，不能改为“{}”", row.status.label(), body.status.label())));
            }
            if !db::referrals::advance(conn, id, (row.status, body.status), body.note.trim(), user.id(), now)? {
                return Err(refused("该移交刚被他人更新，请刷新后再试".into()));
            }
            let row = load(conn, id)?;
            Ok(referral_dtos(conn, &[row])?.remove(0))
        })
        .await
        .map(web::Json)
}

/// The dossier: the referral, the unit's record, and each item's facts and whole history (chases and replies
/// included) — the item referred, or the unit's overdue, chased and returned items of the last 90 days.
#[utoipa::path(get, path = "/api/referrals/{id}/dossier", tag = "supervision", security(("bearer" = [])),
    responses((status = 200, body = Dossier), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn dossier(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<Dossier>, AppError> {
    reads(&user)?;
    let (id, now, st) = (id.into_inner(), state.clock.now_naive(), state.clone());
    state
        .db
        .read(move |conn| {
            let row = load(conn, id)?;
            let referral = referral_dtos(conn, std::slice::from_ref(&row))?.remove(0);
            let record = unit_record(conn, referral.unit.clone(), now)?;
            let item_ids = match &row.item_id {
                Some(item) => vec![item.clone()],
                None => unit_items(conn, row.unit_id, now)?,
            };
            let mut items = Vec::new();
            for item_id in item_ids {
                let Some(item) = db::items::get(conn, &item_id)? else { continue };
                items.push(DossierItem {
                    item: crate::views::item::item_dto(conn, &st, &user, &item)?,
                    events: crate::views::item::events_dto(conn, &item.id)?,
                });
            }
            Ok(Dossier { referral, record, items })
        })
        .await
        .map(web::Json)
}

/// The unit's items for its dossier: overdue with it now, then chased or returned by it in the record's window.
fn unit_items(conn: &mut DbConn, unit_id: i64, now: chrono::NaiveDateTime) -> Result<Vec<String>, AppError> {
    let since = now - Duration::days(RECORD_DAYS);
    let mut ids: Vec<String> = db::supervision::overdue_items(conn, now)?
        .into_iter()
        .filter(|r| db::journey::holder(r) == Some(unit_id))
        .map(|r| r.id)
        .collect();
    ids.extend(db::supervision::chases_since(conn, since)?.into_iter().filter(|(u, _)| *u == unit_id).map(|(_, i)| i));
    ids.extend(db::referrals::returned_by_since(conn, unit_id, since)?);
    let mut seen = std::collections::HashSet::new();
    ids.retain(|i| seen.insert(i.clone()));
    ids.truncate(DOSSIER_ITEMS);
    Ok(ids)
}
