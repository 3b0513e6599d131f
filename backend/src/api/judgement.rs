//! 研判 (第七条′, 第七条3): the city offices write their judgement of a month's analysis — risks and measures with a
//! holder and a due date — and submit it to the city's secretary and mayor, who mark it read; each measure's holder
//! (or the offices) records what came of it. The judgement shows on the analysis page of its month.

use actix_web::web;
use chrono::TimeZone;
use shared::judgement::{Judgement, MeasureOutcome, SaveJudgement};
use shared::{ApiError, ErrorCode, OrgKind};

use crate::auth::AuthUser;
use crate::db::receipts::Doc;
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use crate::views::judgement::{judgement_dto, records_outcome, writes};

fn today(state: &AppState) -> chrono::NaiveDate {
    state.tz.from_utc_datetime(&state.clock.now_naive()).date_naive()
}

fn load(conn: &mut DbConn, id: i64) -> Result<db::judgements::JudgementRow, AppError> {
    db::judgements::get(conn, id)?.ok_or_else(|| AppError::not_found("该研判"))
}

fn wrong_stage(message: &str) -> AppError {
    AppError::Api(ApiError::new(ErrorCode::WrongStage, message))
}

/// Writes the month's judgement, or rewrites it until it is submitted. The offices only.
#[utoipa::path(put, path = "/api/analysis/judgement", tag = "stats", security(("bearer" = [])), request_body = SaveJudgement,
    responses((status = 200, body = Judgement), (status = 403, body = ApiError),
              (status = 409, body = ApiError, description = "already submitted"), (status = 422, body = ApiError)))]
pub async fn save(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<SaveJudgement>,
) -> Result<web::Json<Judgement>, AppError> {
    if !writes(&user) {
        return Err(AppError::forbidden());
    }
    let body = body.into_inner();
    if let Some(refused) = ApiError::from_problems(body.problems()) {
        return Err(AppError::Api(refused));
    }
    let (now, today) = (state.clock.now_naive(), today(&state));
    let (year, month) = crate::stats::month_param(state.tz, now, Some(body.year), Some(body.month))?;
    state
        .db
        .write(move |conn| {
            if db::judgements::of_month(conn, year, month)?.is_some_and(|j| j.submitted_at.is_some()) {
                return Err(wrong_stage("本月研判已报送市领导，不能再修改"));
            }
            let mut measures = Vec::new();
            for (i, m) in body.measures.iter().enumerate() {
                let holder = db::org::get(conn, m.holder_id).ok().filter(|u| {
                    u.active && matches!(u.kind, OrgKind::Department | OrgKind::Street | OrgKind::Community)
                });
                if holder.is_none() {
                    return Err(AppError::field(
                        &format!("measures[{i}].holder_id"),
                        format!("第{}条措施的牵头单位不存在", i + 1),
                    ));
                }
                if m.due_on < today {
                    return Err(AppError::field(
                        &format!("measures[{i}].due_on"),
                        format!("第{}条措施的完成时限不能早于今天", i + 1),
                    ));
                }
                measures.push((m.measure.trim().to_string(), m.holder_id, m.due_on));
            }
            let id = db::judgements::save(conn, (year, month), body.risks.trim(), &measures, user.id(), now)?;
            let row = load(conn, id)?;
            judgement_dto(conn, &user, &row, today)
        })
        .await
        .map(web::Json)
}

/// Submits the judgement to the city leaders (市委书记, 市长): delivered to each in the app and through the city's
/// hooks. The offices only; once.
#[utoipa::path(post, path = "/api/analysis/judgement/{id}/submit", tag = "stats", security(("bearer" = [])),
    responses((status = 200, body = Judgement), (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 409, body = ApiError)))]
pub async fn submit(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<Judgement>, AppError> {
    if !writes(&user) {
        return Err(AppError::forbidden());
    }
    let (id, now, today, links) = (id.into_inner(), state.clock.now_naive(), today(&state), state.links());
    state
        .db
        .write(move |conn| {
            let row = load(conn, id)?;
            if db::judgements::measures_of(conn, id)?.is_empty() {
                return Err(AppError::field("measures", "请至少提出一条措施后再报送"));
            }
            if !db::judgements::submit(conn, id, user.id(), now)? {
                return Err(wrong_stage("本月研判已经报送"));
            }
            let leaders = db::receipts::city_leaders(conn)?;
            db::receipts::deliver(conn, Doc::Analysis(id), &leaders, now)?;
            if let Some(city) = db::org::city(conn)? {
                let msg = crate::notify::Message {
                    topic: "analysis_submitted",
                    title: format!("【民情分析研判】{}年{}月已报送", row.year, row.month),
                    body: format!("{}年{}月民情分析及研判已报送市委书记、市长，请阅。", row.year, row.month),
                    link: format!(
                        "{}/analysis?year={}&month={}",
                        links.base.trim_end_matches('/'),
                        row.year,
                        row.month
                    ),
                };
                crate::notify::enqueue(conn, city.id, None, &msg, now)?;
            }
            let row = load(conn, id)?;
            judgement_dto(conn, &user, &row, today)
        })
        .await
        .map(web::Json)
}

/// A city leader marks a delivered judgement read (the app does it when the leader opens its month).
#[utoipa::path(post, path = "/api/analysis/judgement/{id}/read", tag = "stats", security(("bearer" = [])),
    responses((status = 200, body = Judgement), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn mark_read(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<Judgement>, AppError> {
    let (id, now, today) = (id.into_inner(), state.clock.now_naive(), today(&state));
    state
        .db
        .write(move |conn| {
            let row = load(conn, id)?;
            if !db::receipts::mark_read(conn, Doc::Analysis(id), user.id(), now)? {
                return Err(AppError::Api(ApiError::new(ErrorCode::Forbidden, "这份研判没有报送给您")));
            }
            judgement_dto(conn, &user, &row, today)
        })
        .await
        .map(web::Json)
}

/// Records what came of a measure (落实情况), once, after the judgement was submitted: the holder unit or the offices.
#[utoipa::path(post, path = "/api/analysis/measures/{id}/outcome", tag = "stats", security(("bearer" = [])),
    request_body = MeasureOutcome,
    responses((status = 200, body = Judgement), (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn record_outcome(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: web::Json<MeasureOutcome>,
) -> Result<web::Json<Judgement>, AppError> {
    let body = body.into_inner();
    if let Some(refused) = ApiError::from_problems(body.problems()) {
        return Err(AppError::Api(refused));
    }
    let (id, now, today) = (id.into_inner(), state.clock.now_naive(), today(&state));
    state
        .db
        .write(move |conn| {
            let measure = db::judgements::measure(conn, id)?.ok_or_else(|| AppError::not_found("该措施"))?;
            if !records_outcome(&user, &measure) {
                return Err(AppError::forbidden());
            }
            let row = load(conn, measure.judgement_id)?;
            if row.submitted_at.is_none() {
                return Err(wrong_stage("研判报送后才能记录落实情况"));
            }
            if !db::judgements::record_outcome(conn, id, body.outcome.trim(), user.id(), now)? {
                return Err(AppError::Api(ApiError::new(ErrorCode::Conflict, "这条措施的落实情况已经记录")));
            }
            judgement_dto(conn, &user, &row, today)
        })
        .await
        .map(web::Json)
}
