//! The item's journey (第七条, 第八条), one endpoint per action. Each checks the role and scope, the item's stage and
//! its version; a stale version or an action the stage does not allow is a 409 with its own code, and when two
//! people act at once exactly one wins. Every action writes an event to the item's history.
//!
//! Collected → the community solves it (社区办结) or sends the sheet to the street → the street dispatches it (派单)
//! → the department accepts (接单) or returns it (退单, back to the street) → it may ask for 5 more days, which the
//! street approves or refuses → it returns the sheet (返单): solved, or (past 10 days or unsolved) with the on-site
//! office record, and when still unsolvable with the head's signature → the resident is told → closed.

use actix_web::web;
use chrono::{Duration, NaiveDateTime};
use serde_json::json;
use shared::item::{Item, ItemStatus, SendToStreet, SolveLocally, TellResident};
use shared::journey::{
    ActionKind, DecideExtension, Dispatch, HeadSign, Reject, RejectReason, RequestExtension, ReturnSheet, VersionOnly,
};
use shared::{ApiError, ErrorCode, OrgKind, Outcome};
use validator::Validate;

use super::support::{parse_uuid, stale, trimmed, visible_item};
use crate::auth::AuthUser;
use crate::db;
use crate::db::models::{DispatchRow, ItemRow, UnitRow};
use crate::error::AppError;
use crate::notify;
use crate::regulation::deadlines::{self, Calendar};
use crate::regulation::journey::{acts_on, rule};
use crate::state::AppState;
use crate::views::item::item_dto;

fn wrong_stage(status: &str, action: &str) -> AppError {
    let stage = ItemStatus::parse(status).map_or(status.to_string(), |s| s.label().to_string());
    AppError::Api(ApiError::new(ErrorCode::WrongStage, format!("这条民情目前处于“{stage}”阶段，不能{action}")))
}

fn deadline_passed(message: &str) -> AppError {
    AppError::Api(ApiError::new(ErrorCode::DeadlinePassed, message))
}

/// What an action's change may use: the database, the item before, now, the actor, the clocks and the links.
struct Ctx<'a> {
    conn: &'a mut db::DbConn,
    old: &'a ItemRow,
    now: NaiveDateTime,
    actor: i64,
    calendar: Calendar,
    links: &'a notify::Links,
    /// The event's kind when it is not the action's own (the head sending a sheet back).
    event_kind: Option<&'static str>,
}

impl Ctx<'_> {
    /// The item's current dispatch; every department action has one.
    fn dispatch(&mut self) -> Result<DispatchRow, AppError> {
        db::journey::current_dispatch(self.conn, &self.old.id)?
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("item {} has no current dispatch", self.old.id)))
    }
}

type Change = (ItemRow, serde_json::Value);

/// Takes an action in one transaction: the item must be visible, the account must hold one of the action's roles
/// over it, and the item must be at one of the action's stages and at `version`. `change` returns the changed row
/// and the event's changes; the version and update time are set here, and the write only lands if nobody got there
/// first.
async fn perform<F>(
    state: web::Data<AppState>,
    user: AuthUser,
    id: String,
    version: i64,
    action: ActionKind,
    change: F,
) -> Result<web::Json<Item>, AppError>
where
    F: FnOnce(&mut Ctx) -> Result<Change, AppError> + Send + 'static,
{
    let now = state.clock.now_naive();
    let rule = rule(action);
    let st = state.clone();
    state
        .db
        .write(move |conn| {
            let old = visible_item(conn, &user, &id)?;
            if !acts_on(&user, &old, rule.roles) {
                return Err(AppError::forbidden());
            }
            if old.version != version {
                return Err(stale());
            }
            if !rule.stages.iter().any(|s| s.code() == old.status) {
                return Err(wrong_stage(&old.status, rule.verb));
            }
            let calendar = Calendar::load(conn, st.tz)?;
            let links = st.links();
            let mut ctx =
                Ctx { conn: &mut *conn, old: &old, now, actor: user.id(), calendar, links: &links, event_kind: None };
            let (changed, changes) = change(&mut ctx)?;
            let kind = ctx.event_kind.unwrap_or(rule.kind);
            let new = ItemRow { version: old.version + 1, updated_at: now, ..changed };
            if !db::items::update_if_version(conn, &new, old.version)? {
                return Err(stale());
            }
            db::items::add_event(conn, &new.id, now, user.id(), kind, &changes)?;
            item_dto(conn, &st, &user, &new)
        })
        .await
        .map(web::Json)
}

fn change(field: &str, label: &str, after: impl Into<serde_json::Value>) -> serde_json::Value {
    json!({"field": field, "label": label, "before": null, "after": after.into()})
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "是"
    } else {
        "否"
    }
}

/// An active department, or a field error.
async fn department(state: &web::Data<AppState>, field: &str, id: i64) -> Result<UnitRow, AppError> {
    match state.db.read(move |conn| Ok(db::org::get(conn, id).ok())).await? {
        Some(d) if d.kind() == OrgKind::Department && d.active => Ok(d),
        _ => Err(AppError::field(field, "请选择启用中的部门单位")),
    }
}

/// The community solved the item itself (街道社区办结). Next: tell the resident within 2 days.
#[utoipa::path(post, path = "/api/items/{id}/solve-locally", tag = "workflow", security(("bearer" = [])),
    request_body = SolveLocally,
    responses((status = 200, body = Item), (status = 409, body = ApiError, description = "stale_version or wrong_stage"),
              (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn solve_locally(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<SolveLocally>,
) -> Result<web::Json<Item>, AppError> {
    let body = body.into_inner();
    body.validate()?;
    let result = body.result.trim().to_string();
    perform(state, user, id.into_inner(), body.version, ActionKind::SolveLocally, move |c| {
        let changes = json!([
            change("outcome", "办结情况", Outcome::SolvedLocally.label()),
            change("result", "办理结果", result.clone()),
        ]);
        let new = ItemRow {
            status: ItemStatus::Solved.code().into(),
            outcome: Some(Outcome::SolvedLocally.code().into()),
            closed_at: Some(c.now),
            result: Some(result),
            stage_due_at: Some(c.calendar.due(c.now, deadlines::TELL_RESIDENT_DAYS)),
            ..c.old.clone()
        };
        Ok((new, changes))
    })
    .await
}

/// The community sends the item to its street on the sheet 《民情速递处置反馈单》, numbered per street and year.
#[utoipa::path(post, path = "/api/items/{id}/send-to-street", tag = "workflow", security(("bearer" = [])),
    request_body = SendToStreet,
    responses((status = 200, body = Item), (status = 409, body = ApiError, description = "stale_version or wrong_stage"),
              (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn send_to_street(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<SendToStreet>,
) -> Result<web::Json<Item>, AppError> {
    let body = body.into_inner();
    let proposed = match body.department_id {
        None => None,
        Some(dept_id) => Some(department(&state, "department_id", dept_id).await?),
    };
    let tz = state.tz;
    perform(state, user, id.into_inner(), body.version, ActionKind::SendToStreet, move |c| {
        let street = db::org::get(c.conn, c.old.street_id)?;
        let year: i32 = chrono::Datelike::year(&chrono::TimeZone::from_utc_datetime(&tz, &c.now));
        let sheet_no = db::items::next_sheet_no(c.conn, &street, year)?;
        let mut changes = vec![change("sheet_no", "反馈单编号", sheet_no.clone())];
        if let Some(d) = &proposed {
            changes.push(change("proposed_department", "建议交办部门", d.name.clone()));
        }
        let new = ItemRow {
            status: ItemStatus::AtStreet.code().into(),
            sheet_no: Some(sheet_no),
            sent_at: Some(c.now),
            sent_by: Some(c.actor),
            proposed_department_id: proposed.map(|d| d.id),
            stage_due_at: Some(c.calendar.due(c.now, deadlines::STREET_DISPATCH_DAYS)),
            ..c.old.clone()
        };
        Ok((new, serde_json::Value::Array(changes)))
    })
    .await
}

/// The street dispatches the sheet to one responsible department (派单), with optional co-handling departments.
/// The department's hooks are told. Next: the department accepts or returns it within 1 day.
#[utoipa::path(post, path = "/api/items/{id}/dispatch", tag = "workflow", security(("bearer" = [])),
    request_body = Dispatch,
    responses((status = 200, body = Item), (status = 409, body = ApiError, description = "stale_version or wrong_stage"),
              (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn dispatch(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<Dispatch>,
) -> Result<web::Json<Item>, AppError> {
    let body = body.into_inner();
    body.validate()?;
    let lead = department(&state, "department_id", body.department_id).await?;
    let mut co = Vec::new();
    for (i, dept_id) in body.co_department_ids.iter().enumerate() {
        let field = format!("co_department_ids[{i}]");
        if *dept_id == lead.id || co.iter().any(|d: &UnitRow| d.id == *dept_id) {
            return Err(AppError::field(&field, "协办部门不能与责任部门或其他协办部门重复"));
        }
        co.push(department(&state, &field, *dept_id).await?);
    }
    perform(state, user, id.into_inner(), body.version, ActionKind::Dispatch, move |c| {
        let co_ids: Vec<i64> = co.iter().map(|d| d.id).collect();
        db::journey::insert_dispatch(c.conn, &c.old.id, lead.id, &co_ids, c.now, c.actor)?;
        let mut changes = vec![change("department", "交办责任单位或部门", lead.name.clone())];
        if !co.is_empty() {
            let names: Vec<&str> = co.iter().map(|d| d.name.as_str()).collect();
            changes.push(change("co_departments", "协办部门", names.join("、")));
        }
        let new = ItemRow {
            status: ItemStatus::Dispatched.code().into(),
            department_id: Some(lead.id),
            stage_due_at: Some(c.calendar.due(c.now, deadlines::ACCEPT_DAYS)),
            ..c.old.clone()
        };
        let title = format!("【派单】{} 请接单", new.sheet_no.as_deref().unwrap_or("民情速递处置反馈单"));
        notify::tell_unit(c.conn, c.links, lead.id, &new, "dispatch", title.clone(), c.now)?;
        for d in &co {
            notify::tell_unit(c.conn, c.links, d.id, &new, "dispatch", format!("{title}（协办）"), c.now)?;
        }
        Ok((new, serde_json::Value::Array(changes)))
    })
    .await
}

/// The department accepts the sheet (接单). Its clock starts: 5 days.
#[utoipa::path(post, path = "/api/items/{id}/accept", tag = "workflow", security(("bearer" = [])),
    request_body = VersionOnly,
    responses((status = 200, body = Item), (status = 409, body = ApiError, description = "stale_version or wrong_stage"),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn accept(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<VersionOnly>,
) -> Result<web::Json<Item>, AppError> {
    perform(state, user, id.into_inner(), body.version, ActionKind::Accept, move |c| {
        let mut d = c.dispatch()?;
        let due = c.calendar.due(c.now, deadlines::DEPARTMENT_DAYS);
        d.accepted_at = Some(c.now);
        d.accepted_by = Some(c.actor);
        d.due_at = Some(due);
        db::journey::save_dispatch(c.conn, &d)?;
        let changes = json!([change("due_at", "办理期限", c.links.local_time(due))]);
        let new = ItemRow { status: ItemStatus::InProgress.code().into(), stage_due_at: Some(due), ..c.old.clone() };
        Ok((new, changes))
    })
    .await
}

/// The department returns the sheet to the street (退单) with a reason; the street dispatches it again.
#[utoipa::path(post, path = "/api/items/{id}/reject", tag = "workflow", security(("bearer" = [])),
    request_body = Reject,
    responses((status = 200, body = Item), (status = 409, body = ApiError, description = "stale_version or wrong_stage"),
              (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn reject(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<Reject>,
) -> Result<web::Json<Item>, AppError> {
    let body = body.into_inner();
    body.validate()?;
    let note = trimmed(body.note.as_deref());
    if body.reason == RejectReason::Other && note.is_none() {
        return Err(AppError::field("note", "退单理由选择“其他”时，请写明原因"));
    }
    let reason = body.reason;
    perform(state, user, id.into_inner(), body.version, ActionKind::Reject, move |c| {
        let mut d = c.dispatch()?;
        d.rejected_at = Some(c.now);
        d.rejected_by = Some(c.actor);
        d.reject_reason = Some(reason.code().into());
        d.reject_note = note.clone();
        db::journey::save_dispatch(c.conn, &d)?;
        let dept = db::org::get(c.conn, d.department_id)?;
        let mut changes =
            vec![change("department", "退单部门", dept.name.clone()), change("reason", "退单理由", reason.label())];
        if let Some(n) = note {
            changes.push(change("note", "说明", n));
        }
        let new = ItemRow {
            status: ItemStatus::AtStreet.code().into(),
            department_id: None,
            stage_due_at: Some(c.calendar.due(c.now, deadlines::STREET_DISPATCH_DAYS)),
            ..c.old.clone()
        };
        let title = format!("【退单】{} {}退回：{}", new.sheet_no.as_deref().unwrap_or(""), dept.name, reason.label());
        notify::tell_unit(c.conn, c.links, new.street_id, &new, "rejected", title, c.now)?;
        Ok((new, serde_json::Value::Array(changes)))
    })
    .await
}

/// The department asks for 5 more days, once, before its deadline.
#[utoipa::path(post, path = "/api/items/{id}/request-extension", tag = "workflow", security(("bearer" = [])),
    request_body = RequestExtension,
    responses((status = 200, body = Item), (status = 409, body = ApiError, description = "stale_version, wrong_stage or deadline_passed"),
              (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn request_extension(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<RequestExtension>,
) -> Result<web::Json<Item>, AppError> {
    let body = body.into_inner();
    body.validate()?;
    let reason = body.reason.trim().to_string();
    perform(state, user, id.into_inner(), body.version, ActionKind::RequestExtension, move |c| {
        let mut d = c.dispatch()?;
        if d.extension_requested_at.is_some() {
            return Err(AppError::Api(ApiError::new(ErrorCode::WrongStage, "这张反馈单已经申请过延期，只能延期一次")));
        }
        if d.due_at.is_none_or(|due| c.now >= due) {
            return Err(deadline_passed("已超过办理期限，不能再申请延期"));
        }
        d.extension_reason = Some(reason.clone());
        d.extension_requested_at = Some(c.now);
        d.extension_requested_by = Some(c.actor);
        db::journey::save_dispatch(c.conn, &d)?;
        let title = format!("【延期申请】{} 请在期限前审批", c.old.sheet_no.as_deref().unwrap_or(""));
        notify::tell_unit(c.conn, c.links, c.old.street_id, c.old, "extension_requested", title, c.now)?;
        Ok((c.old.clone(), json!([change("extension_reason", "延期理由", reason)])))
    })
    .await
}

/// The street approves (5 more days) or refuses the department's request, before the deadline.
#[utoipa::path(post, path = "/api/items/{id}/decide-extension", tag = "workflow", security(("bearer" = [])),
    request_body = DecideExtension,
    responses((status = 200, body = Item), (status = 409, body = ApiError, description = "stale_version, wrong_stage or deadline_passed"),
              (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn decide_extension(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<DecideExtension>,
) -> Result<web::Json<Item>, AppError> {
    let body = body.into_inner();
    body.validate()?;
    let note = trimmed(body.note.as_deref());
    let approve = body.approve;
    perform(state, user, id.into_inner(), body.version, ActionKind::DecideExtension, move |c| {
        let mut d = c.dispatch()?;
        if !d.extension_pending() {
            return Err(AppError::Api(ApiError::new(ErrorCode::WrongStage, "没有待审批的延期申请")));
        }
        let Some(due) = d.due_at.filter(|due| c.now < *due) else {
            return Err(deadline_passed("已超过办理期限，延期申请不能再审批"));
        };
        d.extension_approved = Some(approve);
        d.extension_decided_at = Some(c.now);
        d.extension_decided_by = Some(c.actor);
        d.extension_note = note.clone();
        let mut changes = vec![change("extension", "延期申请", if approve { "同意" } else { "不同意" })];
        let mut new = c.old.clone();
        if approve {
            let extended = c.calendar.due(due, deadlines::EXTENSION_DAYS);
            d.due_at = Some(extended);
            new.stage_due_at = Some(extended);
            changes.push(change("due_at", "办理期限", c.links.local_time(extended)));
        }
        if let Some(n) = note {
            changes.push(change("note", "说明", n));
        }
        db::journey::save_dispatch(c.conn, &d)?;
        Ok((new, serde_json::Value::Array(changes)))
    })
    .await
}

/// The department returns the sheet (返单). Solved within 10 days of accepting: done. Otherwise the on-site office
/// record is required; then solved after coordination, or unsolvable with the reason and countermeasures, which
/// waits for the department head's signature.
#[utoipa::path(post, path = "/api/items/{id}/return-sheet", tag = "workflow", security(("bearer" = [])),
    request_body = ReturnSheet,
    responses((status = 200, body = Item), (status = 409, body = ApiError, description = "stale_version or wrong_stage"),
              (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn return_sheet(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<ReturnSheet>,
) -> Result<web::Json<Item>, AppError> {
    let body = body.into_inner();
    body.validate()?;
    let now = state.clock.now_naive();
    let solved_at = body.solved_at.map_or(now, |t| t.naive_utc());
    if body.solved && solved_at > now + Duration::minutes(5) {
        return Err(AppError::field("solved_at", "办结时间不能晚于现在"));
    }
    let mut photo_ids = Vec::new();
    for (i, p) in body.photo_ids.iter().enumerate() {
        let pid = parse_uuid(&format!("photo_ids[{i}]"), p)?;
        if photo_ids.contains(&pid) {
            return Err(AppError::field(&format!("photo_ids[{i}]"), "同一张照片重复了"));
        }
        photo_ids.push(pid);
    }
    let uploader = user.id();
    perform(state, user, id.into_inner(), body.version, ActionKind::ReturnSheet, move |c| {
        let mut d = c.dispatch()?;
        let accepted_at = d.accepted_at.unwrap_or(d.dispatched_at);
        if body.solved && solved_at < accepted_at {
            return Err(AppError::field("solved_at", "办结时间不能早于接单时间"));
        }
        let ten_days = c.calendar.due(accepted_at, deadlines::ONSITE_AFTER_DAYS);
        let within_10 = body.solved && solved_at <= ten_days;
        let result = body.result.trim().to_string();
        let mut changes =
            vec![change("solved", "是否办结", yes_no(body.solved)), change("result", "办理结果", result.clone())];
        if !within_10 {
            let Some(onsite) = body.onsite else {
                return Err(AppError::field("onsite", "10日内未办结，请填写是否现场办公"));
            };
            let Some(clear) = body.measures_clear else {
                return Err(AppError::field("measures_clear", "10日内未办结，请填写是否明确解决措施"));
            };
            let measures = trimmed(body.measures.as_deref());
            if clear && measures.is_none() {
                return Err(AppError::field("measures", "请写明解决措施"));
            }
            d.onsite = Some(onsite);
            d.measures_clear = Some(clear);
            d.measures = measures.clone();
            changes.push(change("onsite", "是否现场办公", yes_no(onsite)));
            changes.push(change("measures_clear", "是否明确解决措施", yes_no(clear)));
            if let Some(m) = measures {
                changes.push(change("measures", "解决措施", m));
            }
        }
        if !body.solved {
            let Some(reason) = trimmed(body.unsolved_reason.as_deref()) else {
                return Err(AppError::field("unsolved_reason", "请填写经沟通仍无法处理的原因"));
            };
            let Some(counter) = trimmed(body.countermeasures.as_deref()) else {
                return Err(AppError::field("countermeasures", "请填写建议对策"));
            };
            changes.push(change("unsolved_reason", "经沟通，仍无法处理原因", reason.clone()));
            changes.push(change("countermeasures", "建议对策", counter.clone()));
            d.unsolved_reason = Some(reason);
            d.countermeasures = Some(counter);
        }
        for (i, pid) in photo_ids.iter().enumerate() {
            let field = format!("photo_ids[{i}]");
            match db::items::photo(c.conn, pid)? {
                Some(p) if p.uploader_id == uploader && p.item_id.is_none() => {
                    db::items::attach_photo_as(c.conn, pid, &c.old.id, i as i32, "result")?
                }
                Some(p) if p.item_id.is_some() => {
                    return Err(AppError::Api(ApiError {
                        code: ErrorCode::Conflict,
                        ..ApiError::field(&field, "这张照片已属于另一条民情")
                    }))
                }
                _ => return Err(AppError::field(&field, "照片尚未上传成功，请重试上传")),
            }
        }
        d.solved = Some(body.solved);
        d.solved_within_10_days = Some(within_10);
        d.solved_at = body.solved.then_some(solved_at);
        let mut new = ItemRow { result: Some(result), ..c.old.clone() };
        if body.solved {
            let outcome = if within_10 { Outcome::SolvedByDeptIn10Days } else { Outcome::SolvedAfterCoordination };
            d.returned_at = Some(c.now);
            d.returned_by = Some(c.actor);
            new.status = ItemStatus::Solved.code().into();
            new.outcome = Some(outcome.code().into());
            new.closed_at = Some(solved_at);
            new.stage_due_at = Some(c.calendar.due(c.now, deadlines::TELL_RESIDENT_DAYS));
            changes.push(change("outcome", "办结情况", outcome.label()));
            let title = format!("【返单】{} 已办结，请2日内反馈居民", new.sheet_no.as_deref().unwrap_or(""));
            notify::tell_unit(c.conn, c.links, new.street_id, &new, "sheet_returned", title, c.now)?;
        } else {
            new.status = ItemStatus::AwaitingSignoff.code().into();
            new.stage_due_at = Some(c.calendar.due(c.now, deadlines::SIGNOFF_DAYS));
        }
        db::journey::save_dispatch(c.conn, &d)?;
        Ok((new, serde_json::Value::Array(changes)))
    })
    .await
}

/// The department head signs the unsolvable sheet (主要领导签字), which returns it to the street; or sends it back
/// to the handler.
#[utoipa::path(post, path = "/api/items/{id}/head-sign", tag = "workflow", security(("bearer" = [])),
    request_body = HeadSign,
    responses((status = 200, body = Item), (status = 409, body = ApiError, description = "stale_version or wrong_stage"),
              (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn head_sign(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<HeadSign>,
) -> Result<web::Json<Item>, AppError> {
    let body = body.into_inner();
    body.validate()?;
    let note = trimmed(body.note.as_deref());
    let approve = body.approve;
    perform(state, user, id.into_inner(), body.version, ActionKind::HeadSign, move |c| {
        let mut d = c.dispatch()?;
        let mut changes = vec![change("signed", "主要领导签字", if approve { "签字" } else { "退回重办" })];
        if let Some(n) = note {
            changes.push(change("note", "说明", n));
        }
        let mut new = c.old.clone();
        if approve {
            d.signed_at = Some(c.now);
            d.signed_by = Some(c.actor);
            d.returned_at = Some(c.now);
            d.returned_by = Some(c.actor);
            new.status = ItemStatus::Unsolved.code().into();
            new.outcome = Some(Outcome::Unsolvable.code().into());
            new.stage_due_at = Some(c.calendar.due(c.now, deadlines::TELL_RESIDENT_DAYS));
            changes.push(change("outcome", "办结情况", Outcome::Unsolvable.label()));
            let title =
                format!("【返单】{} 经沟通仍无法办结，请2日内向居民解释", new.sheet_no.as_deref().unwrap_or(""));
            notify::tell_unit(c.conn, c.links, new.street_id, &new, "sheet_returned", title, c.now)?;
        } else {
            d.solved = None;
            d.solved_within_10_days = None;
            new.status = ItemStatus::InProgress.code().into();
            new.stage_due_at = d.due_at;
        }
        db::journey::save_dispatch(c.conn, &d)?;
        if !approve {
            c.event_kind = Some("head_sent_back");
        }
        Ok((new, serde_json::Value::Array(changes)))
    })
    .await
}

/// The resident was told the result (第八条): by whom, how and when. The item is then closed.
#[utoipa::path(post, path = "/api/items/{id}/tell-resident", tag = "workflow", security(("bearer" = [])),
    request_body = TellResident,
    responses((status = 200, body = Item), (status = 409, body = ApiError, description = "stale_version or wrong_stage"),
              (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn tell_resident(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<TellResident>,
) -> Result<web::Json<Item>, AppError> {
    let body = body.into_inner();
    body.validate()?;
    let how = body.how;
    let note = trimmed(body.note.as_deref());
    perform(state, user, id.into_inner(), body.version, ActionKind::TellResident, move |c| {
        let mut changes = vec![change("told_how", "反馈方式", how.label())];
        if let Some(n) = note {
            changes.push(change("note", "居民意见", n));
        }
        let new = ItemRow {
            status: ItemStatus::Closed.code().into(),
            told_at: Some(c.now),
            told_by: Some(c.actor),
            told_how: Some(how.code().into()),
            stage_due_at: None,
            ..c.old.clone()
        };
        Ok((new, serde_json::Value::Array(changes)))
    })
    .await
}

/// The resident said it is not solved (第六条′): the street sends the item back to the department that handled it,
/// which accepts it again. The follow-up records it; the item's outcome and feedback start again.
#[utoipa::path(post, path = "/api/items/{id}/send-back", tag = "workflow", security(("bearer" = [])),
    request_body = shared::voice::SendBack,
    responses((status = 200, body = Item), (status = 409, body = ApiError, description = "stale_version or wrong_stage"),
              (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn send_back(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<shared::voice::SendBack>,
) -> Result<web::Json<Item>, AppError> {
    let body = body.into_inner();
    body.validate()?;
    let note = body.note.trim().to_string();
    perform(state, user, id.into_inner(), body.version, ActionKind::SendBack, move |c| {
        if !db::voice::open_not_solved(c.conn, &c.old.id)? {
            return Err(AppError::Api(ApiError::new(
                ErrorCode::WrongStage,
                "居民没有反映“问题没有解决”，不能退回部门重办",
            )));
        }
        let Some(d) = db::journey::current_dispatch(c.conn, &c.old.id)? else {
            return Err(AppError::Api(ApiError::new(ErrorCode::WrongStage, "这条民情由社区办结，没有可退回的部门")));
        };
        db::journey::insert_dispatch(c.conn, &c.old.id, d.department_id, &d.co_departments(), c.now, c.actor)?;
        db::voice::mark_sent_back(c.conn, &c.old.id, c.now)?;
        let dept = db::org::get(c.conn, d.department_id)?;
        let new = ItemRow {
            status: ItemStatus::Dispatched.code().into(),
            department_id: Some(d.department_id),
            outcome: None,
            closed_at: None,
            told_at: None,
            told_by: None,
            told_how: None,
            stage_due_at: Some(c.calendar.due(c.now, deadlines::ACCEPT_DAYS)),
            ..c.old.clone()
        };
        let title = format!("【退回重办】{} 居民反映问题没有解决：{note}", new.sheet_no.as_deref().unwrap_or(""));
        notify::tell_unit(c.conn, c.links, d.department_id, &new, "sent_back", title, c.now)?;
        Ok((new, json!([change("department", "交办责任单位或部门", dept.name), change("note", "说明", note)])))
    })
    .await
}
