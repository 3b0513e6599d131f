//! The monthly 民情专报 (附件4, 第三条, 第七条3): on the 1st a draft for each street for the previous month, numbered
//! 第N期 per street and year; section 一 in the seed's own sentence from the same figures as 附件3, section 二 listing
//! the unsolved and dissatisfied items with their reasons, section 三 for the street. The street edits and submits by
//! the 5th (later is marked late); the city reads every street's; every saved text is kept as a version.

use actix_web::web;
use chrono::{Datelike, NaiveDateTime, TimeZone};
use serde::Deserialize;
use shared::dto::UnitRef;
use shared::journey::VersionOnly;
use shared::stats::{EditReport, Report, ReportStatus, ReportSummary, ReportVersion};
use shared::{ApiError, ErrorCode, OrgKind, Role};

use crate::auth::AuthUser;
use crate::db::models::ReportRow;
use crate::db::receipts::Doc;
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::regulation::report_draft::{draft, due_at};
use crate::state::AppState;
use crate::views::utc;

/// The roles that edit and submit their street's report.
const EDITORS: &[Role] = &[Role::StreetLeader, Role::StreetDispatcher];
/// The longest section, in characters.
const MAX_SECTION: usize = 10_000;

fn summary(conn: &mut DbConn, tz: chrono_tz::Tz, r: &ReportRow) -> Result<ReportSummary, AppError> {
    let street = db::org::get(conn, r.street_id)?;
    let due = due_at(tz, r.year, r.month as u32)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("report {} has month {}-{}", r.id, r.year, r.month)))?;
    Ok(ReportSummary {
        id: r.id,
        street: UnitRef { id: street.id, kind: street.kind, full_name: street.name.clone(), name: street.name },
        year: r.year,
        month: r.month as u32,
        number: r.number,
        status: r.status,
        due_at: utc(due),
        submitted_at: r.submitted_at.map(utc),
        late: r.submitted_at.is_some_and(|s| s >= due),
        unread: false,
    })
}

fn report_dto(conn: &mut DbConn, tz: chrono_tz::Tz, r: &ReportRow) -> Result<Report, AppError> {
    let s = summary(conn, tz, r)?;
    let versions = db::reports::versions(conn, r.id)?;
    let receipts = crate::views::people::receipts(conn, Doc::Report(r.id))?;
    Ok(Report {
        title: format!("{}民情专报（第{}期）", s.street.name, r.number),
        summary: s,
        section1: r.section1.clone(),
        section2: r.section2.clone(),
        section3: r.section3.clone(),
        figures: serde_json::from_str(&r.figures).map_err(|e| AppError::Internal(e.into()))?,
        figures_as_of: utc(crate::stats::month_cutoff(tz, r.year, r.month as u32, r.created_at)),
        version: r.version,
        versions: versions
            .into_iter()
            .map(|(v, by)| ReportVersion {
                version: v.version,
                saved_at: utc(v.saved_at),
                saved_by: by.unwrap_or_else(|| "系统生成".into()),
                section1: v.section1,
                section2: v.section2,
                section3: v.section3,
            })
            .collect(),
        receipts,
    })
}

/// Whether the account reads this street's reports: the street's own roles, and the city's.
fn reads(user: &AuthUser, street_id: i64) -> bool {
    user.roles
        .iter()
        .any(|b| b.unit.kind == OrgKind::City || (b.unit.kind == OrgKind::Street && b.unit.id == street_id))
}

fn edits(user: &AuthUser, street_id: i64) -> bool {
    user.roles.iter().any(|b| EDITORS.contains(&b.role) && b.unit.id == street_id)
}

fn load(conn: &mut DbConn, user: &AuthUser, id: i64) -> Result<ReportRow, AppError> {
    db::reports::get(conn, id)?.filter(|r| reads(user, r.street_id)).ok_or_else(|| AppError::not_found("该专报"))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListParams {
    /// Only this year.
    pub year: Option<i32>,
}

/// The reports the account reads, newest first.
#[utoipa::path(get, path = "/api/reports", tag = "stats", security(("bearer" = [])), params(ListParams),
    responses((status = 200, body = Vec<ReportSummary>)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    p: web::Query<ListParams>,
) -> Result<web::Json<Vec<ReportSummary>>, AppError> {
    let tz = state.tz;
    let year = p.year;
    state
        .db
        .read(move |conn| {
            let rows: Vec<ReportRow> =
                db::reports::list(conn, year)?.into_iter().filter(|r| reads(&user, r.street_id)).collect();
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            let unread = db::receipts::unread_reports(conn, user.id(), &ids)?;
            rows.iter().map(|r| Ok(ReportSummary { unread: unread.contains(&r.id), ..summary(conn, tz, r)? })).collect()
        })
        .await
        .map(web::Json)
}

/// One report with its figures and versions.
#[utoipa::path(get, path = "/api/reports/{id}", tag = "stats", security(("bearer" = [])),
    responses((status = 200, body = Report), (status = 404, body = ApiError)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<Report>, AppError> {
    let (tz, id) = (state.tz, id.into_inner());
    state
        .db
        .read(move |conn| {
            let r = load(conn, &user, id)?;
            report_dto(conn, tz, &r)
        })
        .await
        .map(web::Json)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct GenerateReport {
    /// The street; the account's own when absent.
    pub street_id: Option<i64>,
    /// The year reported.
    pub year: i32,
    /// The month reported, 1–12.
    pub month: u32,
}

/// Drafts a street's report for a month now (the job does it on the 1st); returns the existing one if there is.
#[utoipa::path(post, path = "/api/reports", tag = "stats", security(("bearer" = [])), request_body = GenerateReport,
    responses((status = 200, body = Report), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn generate(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<GenerateReport>,
) -> Result<web::Json<Report>, AppError> {
    let body = body.into_inner();
    if !(1..=12).contains(&body.month) {
        return Err(AppError::field("month", "月份应在1到12之间"));
    }
    let street_id = match body.street_id {
        Some(s) => s,
        None => user
            .roles
            .iter()
            .find(|b| b.unit.kind == OrgKind::Street)
            .map(|b| b.unit.id)
            .ok_or_else(AppError::forbidden)?,
    };
    if !edits(&user, street_id) && !user.is_city_admin() {
        return Err(AppError::forbidden());
    }
    let now = state.clock.now_naive();
    let tz = state.tz;
    let today = tz.from_utc_datetime(&now).date_naive();
    if (body.year, body.month) >= (today.year(), today.month()) {
        return Err(AppError::field("month", "只能为已经结束的月份生成专报"));
    }
    state
        .db
        .write(move |conn| {
            let street = db::org::get(conn, street_id).map_err(|_| AppError::field("street_id", "街道不存在"))?;
            if street.kind != OrgKind::Street {
                return Err(AppError::field("street_id", "请选择街道"));
            }
            let (id, _) = draft(conn, tz, &street, body.year, body.month, now)?;
            let r = load(conn, &user, id)?;
            report_dto(conn, tz, &r)
        })
        .await
        .map(web::Json)
}

fn check_text(field: &str, label: &str, text: &str) -> Result<(), AppError> {
    if text.chars().count() > MAX_SECTION {
        return Err(AppError::field(field, format!("{label}不能超过{MAX_SECTION}个字")));
    }
    Ok(())
}

/// The street edits its draft; each save is a new version.
#[utoipa::path(put, path = "/api/reports/{id}", tag = "stats", security(("bearer" = [])), request_body = EditReport,
    responses((status = 200, body = Report), (status = 403, body = ApiError), (status = 409, body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn edit(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: web::Json<EditReport>,
) -> Result<web::Json<Report>, AppError> {
    let body = body.into_inner();
    check_text("section1", "基本情况", &body.section1)?;
    check_text("section2", "存在的问题", &body.section2)?;
    check_text("section3", "解决措施及建议意见", &body.section3)?;
    let (now, tz, id) = (state.clock.now_naive(), state.tz, id.into_inner());
    state
        .db
        .write(move |conn| {
            let r = load(conn, &user, id)?;
            if !edits(&user, r.street_id) {
                return Err(AppError::forbidden());
            }
            if r.status != ReportStatus::Draft {
                return Err(AppError::Api(ApiError::new(ErrorCode::WrongStage, "专报已经报送，不能再修改")));
            }
            save(conn, &user, &r, body.version, (&body.section1, &body.section2, &body.section3), None, now)?;
            let r = load(conn, &user, id)?;
            report_dto(conn, tz, &r)
        })
        .await
        .map(web::Json)
}

/// Saves a new version if `version` is current (compare-and-set), optionally submitting.
fn save(
    conn: &mut DbConn,
    user: &AuthUser,
    r: &ReportRow,
    version: i64,
    sections: (&str, &str, &str),
    submit: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    if !db::reports::save_version(conn, r.id, version, sections, submit, user.id(), now)? {
        return Err(super::support::stale());
    }
    Ok(())
}

/// The street submits its report to the city leaders; after the 5th it is marked late.
#[utoipa::path(post, path = "/api/reports/{id}/submit", tag = "stats", security(("bearer" = [])), request_body = VersionOnly,
    responses((status = 200, body = Report), (status = 403, body = ApiError), (status = 409, body = ApiError)))]
pub async fn submit(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: web::Json<VersionOnly>,
) -> Result<web::Json<Report>, AppError> {
    let (now, tz, id, version) = (state.clock.now_naive(), state.tz, id.into_inner(), body.version);
    let links = state.links();
    state
        .db
        .write(move |conn| {
            let r = load(conn, &user, id)?;
            if !edits(&user, r.street_id) {
                return Err(AppError::forbidden());
            }
            if r.status != ReportStatus::Draft {
                return Err(AppError::Api(ApiError::new(ErrorCode::WrongStage, "专报已经报送")));
            }
            if r.section3.trim().is_empty() {
                return Err(AppError::field("section3", "请填写“三、解决措施及建议意见”后再报送"));
            }
            save(conn, &user, &r, version, (&r.section1, &r.section2, &r.section3), Some(now), now)?;
            // 第七条3: delivered to the city's secretary and mayor, in the app and through the city's hooks.
            let leaders = db::receipts::city_leaders(conn)?;
            db::receipts::deliver(conn, Doc::Report(r.id), &leaders, now)?;
            let r = load(conn, &user, id)?;
            let street = db::org::get(conn, r.street_id)?;
            if let Some(city) = db::org::city(conn)? {
                let msg = crate::notify::Message {
                    topic: "report_submitted",
                    title: format!("【民情专报】{}第{}期已报送", street.name, r.number),
                    body: format!("{}{}年{}月民情专报已报送市委书记、市长，请阅。", street.name, r.year, r.month),
                    link: format!("{}/reports/{}", links.base.trim_end_matches('/'), r.id),
                };
                crate::notify::enqueue(conn, city.id, None, &msg, now)?;
            }
            report_dto(conn, tz, &r)
        })
        .await
        .map(web::Json)
}

/// A city leader marks a delivered report read (the app does it when the leader opens it); the street and the city
/// offices see when. Answers the report.
#[utoipa::path(post, path = "/api/reports/{id}/read", tag = "stats", security(("bearer" = [])),
    responses((status = 200, body = Report), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn mark_read(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<Report>, AppError> {
    let (now, tz, id) = (state.clock.now_naive(), state.tz, id.into_inner());
    state
        .db
        .write(move |conn| {
            let r = load(conn, &user, id)?;
            if !db::receipts::mark_read(conn, Doc::Report(r.id), user.id(), now)? {
                return Err(AppError::Api(ApiError::new(ErrorCode::Forbidden, "这份专报没有报送给您")));
            }
            report_dto(conn, tz, &r)
        })
        .await
        .map(web::Json)
}
