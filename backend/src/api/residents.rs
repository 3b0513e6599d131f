//! Residents' rights over their information (《个人信息保护法》), for the city's administrator: find a resident's items
//! by phone number, export what is kept about them, or mask it at once. Each act is written to the audit trail with
//! the phone number it concerned.

use actix_web::{web, HttpResponse};
use chrono::{Duration, TimeZone};
use serde::Deserialize;
use shared::item::ItemStatus;
use shared::journey::EventKind;
use shared::privacy::{MaskResident, Masked, ResidentData, ResidentItem};
use validator::Validate;

use crate::auth::AuthUser;
use crate::db::models::ItemRow;
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use crate::views::utc;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PhoneParams {
    /// 联系电话 (11 digits; spaces, dashes and +86 allowed).
    pub phone: String,
}

/// A phone number as the audit trail keeps it: enough to match a request, not the number itself (139****5678).
fn shown(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 8 {
        return "****".into();
    }
    format!("{}****{}", chars[..3].iter().collect::<String>(), chars[chars.len() - 4..].iter().collect::<String>())
}

fn phone_of(raw: &str) -> Result<String, AppError> {
    shared::validate::normalize_phone(raw).map_err(|m| AppError::field("phone", m))
}

fn data(conn: &mut DbConn, state: &AppState, phone: &str) -> Result<ResidentData, AppError> {
    let rows = db::privacy::items_of_phone(conn, phone)?;
    let mut ids: Vec<i64> = rows.iter().map(|r| r.place_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let places = db::org::by_ids(conn, &ids)?;
    let names = db::org::full_names(conn, &places)?;
    let years = state.settings.retention_years;
    let item = |r: ItemRow| ResidentItem {
        place: names.get(&r.place_id).cloned().unwrap_or_default(),
        collected_at: utc(r.collected_at),
        content: r.content,
        resident_name: r.resident_name,
        resident_phone: r.resident_phone,
        address: r.address,
        status: r.status,
        keep_until: r
            .closed_at
            .filter(|_| r.status == ItemStatus::Closed)
            .map(|c| utc(c + Duration::days(365 * years))),
        closed_at: r.closed_at.map(utc),
        id: r.id,
    };
    Ok(ResidentData { phone: phone.to_string(), items: rows.into_iter().map(item).collect(), retention_years: years })
}

/// The items holding a resident's phone number, with what is kept and until when.
#[utoipa::path(get, path = "/api/residents", tag = "settings", security(("bearer" = [])), params(PhoneParams),
    responses((status = 200, body = ResidentData), (status = 403, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
pub async fn lookup(
    state: web::Data<AppState>,
    user: AuthUser,
    p: web::Query<PhoneParams>,
) -> Result<web::Json<ResidentData>, AppError> {
    user.require_city_admin()?;
    let phone = phone_of(&p.phone)?;
    let (st, now) = (state.clone(), state.clock.now_naive());
    state
        .db
        .write(move |conn| {
            let d = data(conn, &st, &phone)?;
            let detail = serde_json::json!({"phone": shown(&phone), "items": d.items.len()});
            db::audit::record(conn, now, Some(user.id()), "resident.lookup", "resident", None, detail)?;
            Ok(d)
        })
        .await
        .map(web::Json)
}

/// What is kept about a resident, as a JSON file to hand over (the resident's right to a copy).
#[utoipa::path(get, path = "/api/residents/export", tag = "settings", security(("bearer" = [])), params(PhoneParams),
    responses((status = 200, description = "a JSON file", content_type = "application/json"),
              (status = 403, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
pub async fn export(
    state: web::Data<AppState>,
    user: AuthUser,
    p: web::Query<PhoneParams>,
) -> Result<HttpResponse, AppError> {
    user.require_city_admin()?;
    let phone = phone_of(&p.phone)?;
    let (st, now) = (state.clone(), state.clock.now_naive());
    let (d, day) = state
        .db
        .write(move |conn| {
            let d = data(conn, &st, &phone)?;
            let detail = serde_json::json!({"phone": shown(&phone), "items": d.items.len()});
            db::audit::record(conn, now, Some(user.id()), "resident.export", "resident", None, detail)?;
            Ok((d, st.tz.from_utc_datetime(&now).format("%Y%m%d").to_string()))
        })
        .await?;
    let body = serde_json::to_vec_pretty(&d).map_err(|e| AppError::Internal(e.into()))?;
    Ok(HttpResponse::Ok()
        .content_type("application/json; charset=utf-8")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"resident-{}-{day}.json\"", d.phone)))
        .body(body))
}

/// Masks the name, phone and address on every item holding this phone number now (the resident asked, say).
#[utoipa::path(post, path = "/api/residents/mask", tag = "settings", security(("bearer" = [])), request_body = MaskResident,
    responses((status = 200, body = Masked), (status = 403, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
pub async fn mask(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<MaskResident>,
) -> Result<web::Json<Masked>, AppError> {
    user.require_city_admin()?;
    let body = body.into_inner();
    body.validate()?;
    let phone = phone_of(&body.phone)?;
    let reason = body.reason.trim().to_string();
    let now = state.clock.now_naive();
    state
        .db
        .write(move |conn| {
            let mut n = 0;
            for item in db::privacy::items_of_phone(conn, &phone)? {
                if db::privacy::mask(conn, &item, now, Some(user.id()), &reason)? {
                    let changes =
                        serde_json::json!([{"field": "reason", "label": "理由", "before": null, "after": reason}]);
                    db::items::add_event(conn, &item.id, now, user.id(), EventKind::PersonalDataMasked, &changes)?;
                    n += 1;
                }
            }
            let detail = serde_json::json!({"phone": shown(&phone), "items": n, "reason": reason});
            db::audit::record(conn, now, Some(user.id()), "resident.mask", "resident", None, detail)?;
            Ok(Masked { items: n })
        })
        .await
        .map(web::Json)
}
