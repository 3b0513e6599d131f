//! Residents' voice (第八条): the outcome link a resident opens without an account — what they raised, its way, the
//! result — and their one-tap rating of it, changeable for 7 days. The token has 256 random bits and only its
//! SHA-256 is stored; requests on links are rate-limited per address. A dissatisfied rating opens a follow-up.

use actix_web::{web, HttpRequest};
use base64::Engine as _;
use chrono::{Duration, NaiveDateTime};
use rand::RngCore;
use sha2::{Digest, Sha256};
use shared::item::ItemStatus;
use shared::journey::EventKind;
use shared::voice::{Rate, ResidentLink, ResidentStep, ResidentView, RATING_EDIT_DAYS, SATISFACTION_RULE};
use shared::{ApiError, ErrorCode, Outcome, Role};
use validator::Validate;

use crate::auth::AuthUser;
use crate::db::models::ItemRow;
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::notify::excerpt;
use crate::state::AppState;
use crate::views::rating::rating_dto;
use crate::views::utc;

/// How long a link works after it is issued.
pub const LINK_DAYS: i64 = 90;

/// The roles that hand a resident the link (the people who meet residents, and the street).
const ISSUERS: &[Role] = &[
    Role::GridLeader,
    Role::BuildingLeader,
    Role::StationHead,
    Role::CommunitySecretary,
    Role::StreetDispatcher,
    Role::StreetLeader,
];

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new token: 32 random bytes from the operating system, URL-safe base64 (43 characters).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn link_gone() -> AppError {
    AppError::Api(ApiError::new(ErrorCode::NotFound, "链接无效或已过期，请联系您的网格长"))
}

/// Refuses a client that asked too often.
fn limit(state: &AppState, req: &HttpRequest) -> Result<(), AppError> {
    let ip = super::support::client_ip(req, state.settings.trust_proxy);
    match state.resident_limiter.check_key(&ip) {
        Ok(()) => Ok(()),
        Err(_) => Err(AppError::Api(ApiError::new(ErrorCode::TooManyRequests, "请求过于频繁，请稍后再试"))),
    }
}

/// Issues a link for the resident who raised the item; earlier links of the item stop working.
#[utoipa::path(post, path = "/api/items/{id}/resident-link", tag = "voice", security(("bearer" = [])),
    responses((status = 200, body = ResidentLink), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn issue_link(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<ResidentLink>, AppError> {
    let id = id.into_inner();
    let now = state.clock.now_naive();
    let token = new_token();
    let token_hash = hash(&token);
    let content = state
        .db
        .write(move |conn| {
            let item = super::support::visible_item(conn, &user, &id)?;
            let may = user.roles.iter().any(|b| {
                ISSUERS.contains(&b.role) && AuthUser { roles: vec![b.clone()], ..user.clone() }.sees_item(&item)
            });
            if !may {
                return Err(AppError::forbidden());
            }
            db::voice::replace_link(conn, &item.id, &token_hash, user.id(), now, now + Duration::days(LINK_DAYS))?;
            db::items::add_event(
                conn,
                &item.id,
                now,
                user.id(),
                EventKind::ResidentLinkIssued,
                &serde_json::json!([]),
            )?;
            Ok(item.content)
        })
        .await?;
    let path = format!("/r/{token}");
    let url = format!("{}{path}", state.links().base.trim_end_matches('/'));
    let qr_svg = qrcode::QrCode::new(url.as_bytes())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("QR code: {e}")))?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    Ok(web::Json(ResidentLink {
        share_text: format!("【民情直通车】您反映的“{}”办理情况，请点击查看并评价：{url}", excerpt(&content, 20)),
        path,
        url,
        qr_svg,
        issued_at: utc(now),
    }))
}

/// The link's item, if the link works.
fn item_of_link(conn: &mut DbConn, token: &str, now: NaiveDateTime) -> Result<ItemRow, AppError> {
    let link = db::voice::link_by_hash(conn, &hash(token.trim()))?
        .filter(|l| l.revoked_at.is_none() && l.expires_at > now)
        .ok_or_else(link_gone)?;
    db::items::get(conn, &link.item_id)?.ok_or_else(link_gone)
}

fn rateable(item: &ItemRow) -> bool {
    matches!(item.status, ItemStatus::Solved | ItemStatus::Unsolved | ItemStatus::Closed)
}

/// The status in the resident's words.
fn status_words(item: &ItemRow) -> &'static str {
    let unsolved = item.outcome == Some(Outcome::Unsolvable);
    match item.status {
        ItemStatus::Collected => "社区正在研究处理",
        ItemStatus::AtStreet => "已报送街道，正在交办",
        ItemStatus::Dispatched => "已交办相关部门",
        ItemStatus::InProgress | ItemStatus::AwaitingSignoff => "相关部门正在办理",
        ItemStatus::Unsolved => "经沟通暂时无法解决",
        ItemStatus::Closed if unsolved => "经沟通暂时无法解决，已向您说明",
        ItemStatus::Solved | ItemStatus::Closed => "已办结",
    }
}

/// The item's way in the resident's words, from its history. Who did it inside the government is not shown.
fn steps(conn: &mut DbConn, item: &ItemRow) -> Result<Vec<ResidentStep>, AppError> {
    let community = db::org::get(conn, item.community_id)?;
    let street = db::org::get(conn, item.street_id)?;
    let mut out = Vec::new();
    for (e, _) in db::items::events(conn, &item.id)? {
        let changes: serde_json::Value = serde_json::from_str(&e.changes).unwrap_or_default();
        let department = changes
            .as_array()
            .and_then(|cs| cs.iter().find(|c| c["field"] == "department"))
            .and_then(|c| c["after"].as_str())
            .unwrap_or("相关部门")
            .to_string();
        let label = match e.kind {
            EventKind::Created => format!("{}已登记", community.name),
            EventKind::SolvedLocally => "社区已办结".into(),
            EventKind::SentToStreet => format!("已报送{}", street.name),
            EventKind::Dispatched => format!("已交办{department}"),
            EventKind::Accepted => "相关部门已接单".into(),
            EventKind::Rejected => format!("{}正在重新交办", street.name),
            EventKind::SheetReturned if item.status != ItemStatus::AwaitingSignoff => "部门已反馈办理结果".into(),
            EventKind::HeadSigned => "部门已说明暂无法解决的原因".into(),
            EventKind::ResidentTold => "已向您反馈办理结果".into(),
            EventKind::SentBack => "已退回部门重新办理".into(),
            _ => continue,
        };
        out.push(ResidentStep { label, at: utc(e.at) });
    }
    Ok(out)
}

fn view(conn: &mut DbConn, state: &AppState, item: &ItemRow, now: NaiveDateTime) -> Result<ResidentView, AppError> {
    let community = db::org::get(conn, item.community_id)?;
    let rating = db::voice::rating_of_item(conn, &item.id)?;
    let until = rating.as_ref().map(|r| r.created_at + Duration::days(RATING_EDIT_DAYS));
    let mut photos: Vec<_> = db::items::photos_of(conn, &item.id, "capture")?;
    photos.extend(db::items::photos_of(conn, &item.id, "result")?);
    Ok(ResidentView {
        community: community.name,
        item_type: item.item_type,
        content: item.content.clone(),
        status_label: status_words(item).into(),
        steps: steps(conn, item)?,
        result: item.result.clone().filter(|_| rateable(item)),
        photos: photos.iter().map(|p| crate::views::photo::photo_dto(state, p)).collect(),
        can_rate: rateable(item) && until.is_none_or(|u| now < u),
        rating: rating.as_ref().zip(until).map(|(r, u)| rating_dto(r, u)),
        satisfaction_rule: SATISFACTION_RULE.into(),
    })
}

/// What the resident sees through the link. No sign-in; a wrong or expired link is a 404 with a friendly message.
#[utoipa::path(get, path = "/api/r/{token}", tag = "voice",
    responses((status = 200, body = ResidentView), (status = 404, body = ApiError), (status = 429, body = ApiError)))]
pub async fn resident_view(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<web::Json<ResidentView>, AppError> {
    limit(&state, &req)?;
    let now = state.clock.now_naive();
    let st = state.clone();
    state
        .db
        .read(move |conn| {
            let item = item_of_link(conn, &token, now)?;
            view(conn, &st, &item, now)
        })
        .await
        .map(web::Json)
}

/// The resident rates the outcome: three answers, "not solved", a comment. It may be changed for 7 days after it is
/// first given; a dissatisfied answer or "not solved" opens a follow-up for the community.
#[utoipa::path(put, path = "/api/r/{token}/rating", tag = "voice", request_body = Rate,
    responses((status = 200, body = ResidentView), (status = 404, body = ApiError), (status = 409, body = ApiError,
        description = "wrong_stage before a result; deadline_passed after 7 days"), (status = 422, body = ApiError),
        (status = 429, body = ApiError)))]
pub async fn rate(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
    body: web::Json<Rate>,
) -> Result<web::Json<ResidentView>, AppError> {
    limit(&state, &req)?;
    let body = body.into_inner();
    body.validate()?;
    let now = state.clock.now_naive();
    let today = chrono::TimeZone::from_utc_datetime(&state.tz, &now).date_naive();
    let st = state.clone();
    state
        .db
        .write(move |conn| {
            let item = item_of_link(conn, &token, now)?;
            if !rateable(&item) {
                return Err(AppError::Api(ApiError::new(ErrorCode::WrongStage, "处理结果出来后才能评价")));
            }
            let comment = body.comment.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_string);
            let existing = db::voice::rating_of_item(conn, &item.id)?;
            if existing.as_ref().is_some_and(|r| now >= r.created_at + Duration::days(RATING_EDIT_DAYS)) {
                return Err(AppError::Api(ApiError::new(ErrorCode::DeadlinePassed, "评价已超过7天，不能再修改")));
            }
            let rating_id = db::voice::save_resident_rating(
                conn,
                &item,
                existing.map(|r| r.id),
                &body,
                comment.as_deref(),
                today,
                now,
            )?;
            if body.dissatisfied() {
                db::voice::open_follow_up(
                    conn,
                    rating_id,
                    Some(&item.id),
                    item.street_id,
                    Some(item.community_id),
                    item.department_id,
                    now,
                )?;
            }
            view(conn, &st, &item, now)
        })
        .await
        .map(web::Json)
}
