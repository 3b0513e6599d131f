//! The department's actions (第七条2, 第七条3): accept (接单) or return (退单) the sheet, ask for 5 more days,
//! return the sheet (返单) with the result or the on-site office record, and the head's signature.

use actix_web::web;
use chrono::Duration;
use serde_json::json;
use shared::item::{Item, ItemStatus};
use shared::journey::{
    ActionKind, EventKind, HeadSign, Reject, RejectReason, RequestExtension, ReturnSheet, VersionOnly,
};
use shared::{ApiError, ErrorCode, Outcome};
use validator::Validate;

use super::{change, deadline_passed, perform, yes_no};
use crate::api::support::{parse_uuid, trimmed};
use crate::auth::AuthUser;
use crate::db;
use crate::db::models::ItemRow;
use crate::error::AppError;
use crate::notify;
use crate::regulation::deadlines::{self};
use crate::state::AppState;

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
        d.onsite_due_at = Some(c.calendar.due(c.now, deadlines::ONSITE_AFTER_DAYS));
        db::journey::save_dispatch(c.conn, &d)?;
        let changes = json!([change("due_at", "办理期限", c.links.local_time(due))]);
        let new = ItemRow { status: ItemStatus::InProgress, stage_due_at: Some(due), ..c.old.clone() };
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
        d.reject_reason = Some(reason);
        d.reject_note = note.clone();
        db::journey::save_dispatch(c.conn, &d)?;
        let dept = db::org::get(c.conn, d.department_id)?;
        let mut changes =
            vec![change("department", "退单部门", dept.name.clone()), change("reason", "退单理由", reason.label())];
        if let Some(n) = note {
            changes.push(change("note", "说明", n));
        }
        let new = ItemRow {
            status: ItemStatus::AtStreet,
            department_id: None,
            stage_due_at: Some(c.calendar.street_due(c.now, c.old.level)),
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
    // When the department says the work was finished: for the record only. 按时 and "within 10 days" are judged by
    // the server's time of this 返单. A phone's clock a few minutes fast is forgiven; the noted time never passes now.
    let noted_finish = body.solved_at.map_or(now, |t| t.naive_utc());
    if body.solved && noted_finish > now + Duration::minutes(5) {
        return Err(AppError::field("solved_at", "完成时间不能晚于现在"));
    }
    let noted_finish = noted_finish.min(now);
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
        if body.solved && noted_finish < accepted_at {
            return Err(AppError::field("solved_at", "完成时间不能早于接单时间"));
        }
        let ten_days = deadlines::ten_days_due(&d, &c.calendar)
            .unwrap_or_else(|| c.calendar.due(accepted_at, deadlines::ONSITE_AFTER_DAYS));
        let within_10 = body.solved && c.now <= ten_days;
        let result = body.result.trim().to_string();
        let mut changes =
            vec![change("solved", "是否办结", yes_no(body.solved)), change("result", "办理结果", result.clone())];
        // 第七条2: past day 10, and before declaring an item unsolvable (经多次沟通协调), an on-site office or meeting.
        let onsite_held = db::onsite::recorded(c.conn, d.id)?;
        if !body.solved && !onsite_held {
            return Err(AppError::field(
                "solved",
                "无法办结须先经现场办公、多次沟通协调：请先填写现场办公记录（第七条2）",
            ));
        }
        if !within_10 {
            if !onsite_held {
                return Err(AppError::field(
                    "onsite",
                    "已满10日未办结：请先由部门主要领导带队现场办公，填写现场办公记录后再返单（第七条2）",
                ));
            }
            let onsite = true;
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
        d.solved_at = body.solved.then_some(noted_finish);
        let mut new = ItemRow { result: Some(result), ..c.old.clone() };
        if body.solved {
            let outcome = if within_10 { Outcome::SolvedByDeptIn10Days } else { Outcome::SolvedAfterCoordination };
            d.returned_at = Some(c.now);
            d.returned_by = Some(c.actor);
            new.status = ItemStatus::Solved;
            new.outcome = Some(outcome);
            new.closed_at = Some(c.now);
            new.stage_due_at = Some(c.calendar.due(c.now, deadlines::TELL_RESIDENT_DAYS));
            changes.push(change("outcome", "办结情况", outcome.label()));
            let title = format!("【返单】{} 已办结，请2日内反馈居民", new.sheet_no.as_deref().unwrap_or(""));
            notify::tell_unit(c.conn, c.links, new.street_id, &new, "sheet_returned", title, c.now)?;
        } else {
            new.status = ItemStatus::AwaitingSignoff;
            new.stage_due_at = Some(c.calendar.signoff_due(c.now));
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
            new.status = ItemStatus::Unsolved;
            new.outcome = Some(Outcome::Unsolvable);
            new.stage_due_at = Some(c.calendar.due(c.now, deadlines::TELL_RESIDENT_DAYS));
            changes.push(change("outcome", "办结情况", Outcome::Unsolvable.label()));
            let title =
                format!("【返单】{} 经沟通仍无法办结，请2日内向居民解释", new.sheet_no.as_deref().unwrap_or(""));
            notify::tell_unit(c.conn, c.links, new.street_id, &new, "sheet_returned", title, c.now)?;
        } else {
            d.solved = None;
            d.solved_within_10_days = None;
            new.status = ItemStatus::InProgress;
            new.stage_due_at = d.due_at;
        }
        db::journey::save_dispatch(c.conn, &d)?;
        if !approve {
            c.event_kind = Some(EventKind::HeadSentBack);
        }
        Ok((new, serde_json::Value::Array(changes)))
    })
    .await
}
