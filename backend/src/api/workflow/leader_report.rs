//! 加急直报 (第七条4): a leader of the item's street logs the report they made on a major item to the city's
//! secretary or mayor — by phone, WeChat, SMS or in person, to whom and when. Kept on the item and in its history.

use actix_web::web;
use chrono::Duration;
use serde_json::json;
use shared::direct_line::NewLeaderReport;
use shared::item::Item;
use shared::journey::EventKind;
use shared::{ApiError, ErrorCode, Level};

use crate::api::support::visible_item;
use crate::auth::AuthUser;
use crate::db;
use crate::db::leader_reports::NewReport;
use crate::error::AppError;
use crate::regulation::journey;
use crate::state::AppState;
use crate::views::item::item_dto;

/// Logs a street leader's direct report of a major item.
#[utoipa::path(post, path = "/api/items/{id}/leader-reports", tag = "workflow", security(("bearer" = [])),
    request_body = NewLeaderReport,
    responses((status = 200, body = Item), (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 409, body = ApiError, description = "wrong_stage: not a major item"), (status = 422, body = ApiError)))]
pub async fn log_leader_report(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<NewLeaderReport>,
) -> Result<web::Json<Item>, AppError> {
    let body = body.into_inner();
    if let Some(refused) = ApiError::from_problems(body.problems()) {
        return Err(AppError::Api(refused));
    }
    let (id, now, st) = (id.into_inner(), state.clock.now_naive(), state.clone());
    state
        .db
        .write(move |conn| {
            let item = visible_item(conn, &user, &id)?;
            if !journey::acts_on(&user, &item, &[shared::Role::StreetLeader]) {
                return Err(AppError::forbidden());
            }
            if item.level != Level::Major {
                return Err(AppError::Api(ApiError::new(ErrorCode::WrongStage, "只有重大性事项才需要街道领导直报")));
            }
            let at = body.reported_at.naive_utc();
            if at > now + Duration::minutes(5) {
                return Err(AppError::field("reported_at", "报告时间不能晚于现在"));
            }
            if at < item.collected_at - Duration::minutes(5) {
                return Err(AppError::field("reported_at", "报告时间不能早于收集时间"));
            }
            let (to_whom, note) = (body.to_whom.trim(), body.note.as_deref().map(str::trim).filter(|n| !n.is_empty()));
            let report = NewReport {
                item_id: &item.id,
                how: body.how,
                to_whom,
                reported_at: at.min(now),
                note,
                by_id: user.id(),
                recorded_at: now,
            };
            db::leader_reports::insert(conn, &report)?;
            let changes = json!([
                {"field": "how", "label": "报告方式", "before": null, "after": body.how.label()},
                {"field": "to_whom", "label": "报告对象", "before": null, "after": to_whom},
                {"field": "note", "label": "报告内容", "before": null, "after": note},
            ]);
            db::items::add_event(conn, &item.id, now, user.id(), EventKind::LeaderReported, &changes)?;
            item_dto(conn, &st, &user, &item)
        })
        .await
        .map(web::Json)
}
