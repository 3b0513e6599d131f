//! The journey part of an item as the viewer sees it: dispatch, returns, sign-off, direct reports, the resident's
//! rating and the actions open to the viewer now.

use std::collections::HashMap;

use shared::direct_line::LeaderReport;
use shared::dto::UnitRef;
use shared::item::PersonRef;
use shared::journey::{DirectReportInfo, DispatchInfo, ExtensionInfo, Journey, RejectReason, Rejection};
use shared::onsite::OnsiteRecord;
use shared::supervision::ChaseInfo;

use super::people::unit_ref_short;
use super::photo::photo_dto;
use crate::auth::AuthUser;
use crate::db::models::{ItemRow, UnitRow};
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::regulation::deadlines;
use crate::state::AppState;
use crate::views::utc;

/// The journey part of an item as `user` sees it.
pub fn journey_dto(conn: &mut DbConn, state: &AppState, user: &AuthUser, row: &ItemRow) -> Result<Journey, AppError> {
    let now = state.clock.now_naive();
    let current = db::journey::current_dispatch(conn, &row.id)?;
    let calendar = deadlines::Calendar::load(conn, state.tz)?;
    let not_solved = db::voice::open_not_solved(conn, &row.id)?;
    let rejected = db::journey::rejected_dispatches(conn, &row.id)?;
    let reports = db::journey::direct_reports_of(conn, &row.id)?;
    let onsite = match &current {
        Some(d) => db::onsite::of_dispatch(conn, d.id)?,
        None => Vec::new(),
    };
    let leader_reports =
        if row.level == shared::Level::Major { db::leader_reports::of_item(conn, &row.id)? } else { Vec::new() };
    let chases = db::supervision::chases_of_item(conn, &row.id)?;
    let mut people: Vec<i64> = row.sent_by.into_iter().collect();
    let mut units: Vec<i64> = chases.iter().map(|c| c.unit_id).collect();
    people.extend(onsite.iter().map(|r| r.recorded_by));
    people.extend(leader_reports.iter().map(|r| r.by_id));
    units.extend(onsite.iter().map(|r| r.unit_id));
    for d in current.iter().chain(rejected.iter()) {
        let who = [Some(d.dispatched_by), d.accepted_by, d.rejected_by, d.extension_requested_by];
        people.extend(who.into_iter().chain([d.extension_decided_by, d.returned_by, d.signed_by]).flatten());
        units.push(d.department_id);
        units.extend(d.co_departments());
    }
    let names = db::items::names_of(conn, &people)?;
    let person = |id: Option<i64>| id.map(|id| PersonRef { id, name: names.get(&id).cloned().unwrap_or_default() });
    let depts: HashMap<i64, UnitRow> = db::org::by_ids(conn, &units)?.into_iter().map(|u| (u.id, u)).collect();
    let dept = |id: i64| depts.get(&id).map(unit_ref_short);
    let dispatch = match &current {
        Some(d) => Some(DispatchInfo {
            department: dept(d.department_id).ok_or_else(|| AppError::not_found("部门"))?,
            co_departments: d.co_departments().into_iter().filter_map(dept).collect(),
            dispatched_at: utc(d.dispatched_at),
            dispatched_by: person(Some(d.dispatched_by)).unwrap_or(PersonRef { id: 0, name: String::new() }),
            accepted_at: d.accepted_at.map(utc),
            accepted_by: person(d.accepted_by),
            due_at: d.due_at.map(utc),
            extension: d.extension_requested_at.map(|at| ExtensionInfo {
                reason: d.extension_reason.clone().unwrap_or_default(),
                requested_at: utc(at),
                requested_by: person(d.extension_requested_by).unwrap_or(PersonRef { id: 0, name: String::new() }),
                approved: d.extension_approved,
                decided_at: d.extension_decided_at.map(utc),
                decided_by: person(d.extension_decided_by),
                note: d.extension_note.clone(),
            }),
            returned_at: d.returned_at.map(utc),
            returned_by: person(d.returned_by),
            solved: d.solved,
            solved_at: d.solved_at.map(utc),
            solved_within_10_days: d.solved_within_10_days,
            onsite_required: deadlines::ten_days_due(d, &calendar).is_some_and(|ten| now > ten),
            onsite: d.onsite,
            measures_clear: d.measures_clear,
            measures: d.measures.clone(),
            unsolved_reason: d.unsolved_reason.clone(),
            countermeasures: d.countermeasures.clone(),
            signed_by: person(d.signed_by),
            signed_at: d.signed_at.map(utc),
        }),
        None => None,
    };
    let rejections = rejected
        .iter()
        .filter_map(|d| {
            Some(Rejection {
                department: dept(d.department_id)?,
                at: utc(d.rejected_at?),
                by: person(d.rejected_by)?,
                reason: d.reject_reason.unwrap_or(RejectReason::Other),
                note: d.reject_note.clone(),
            })
        })
        .collect();
    let onsite_records = onsite
        .iter()
        .filter_map(|r| {
            Some(OnsiteRecord {
                id: r.id,
                kind: r.kind,
                unit: dept(r.unit_id)?,
                held_at: utc(r.held_at),
                place: r.place.clone(),
                attendees: r.attendees(),
                findings: r.findings.clone(),
                measures: r.measures.clone(),
                recorded_by: person(Some(r.recorded_by))?,
                recorded_at: utc(r.recorded_at),
            })
        })
        .collect();
    let leader_reports = leader_reports
        .iter()
        .map(|r| LeaderReport {
            id: r.id,
            how: r.how,
            to_whom: r.to_whom.clone(),
            reported_at: utc(r.reported_at),
            note: r.note.clone(),
            by: person(Some(r.by_id)).unwrap_or(PersonRef { id: r.by_id, name: String::new() }),
            recorded_at: utc(r.recorded_at),
        })
        .collect();
    let chases = chases
        .iter()
        .filter_map(|c| {
            Some(ChaseInfo {
                id: c.id,
                unit: dept(c.unit_id)?,
                stage: c.stage,
                note: c.note.clone(),
                at: utc(c.at),
                answer_due_at: c.answer_due_at.map(utc),
                reply: c.reply.clone(),
                promised_at: c.promised_at.map(utc),
                replied_at: c.replied_at.map(utc),
                escalated: c.escalated_at.is_some()
                    || (c.replied_at.is_none() && c.answer_due_at.is_some_and(|due| now > due)),
                can_reply: c.replied_at.is_none() && user.roles.iter().any(|b| b.unit.id == c.unit_id),
            })
        })
        .collect();
    let result_photos = db::items::photos_of(conn, &row.id, "result")?.iter().map(|p| photo_dto(state, p)).collect();
    let direct_reports = reports
        .into_iter()
        .map(|(r, name)| DirectReportInfo {
            leader: PersonRef { id: r.user_id, name },
            reported_at: utc(r.reported_at),
            acknowledged_at: r.acknowledged_at.map(utc),
            minutes_to_acknowledge: r.acknowledged_at.map(|a| (a - r.reported_at).num_minutes()),
        })
        .collect();
    Ok(Journey {
        sent_by: person(row.sent_by),
        dispatch,
        rejections,
        result_photos,
        direct_reports,
        resident_rating: super::rating::rating_of_item(conn, &row.id)?,
        due_soon: deadlines::due_soon(row.stage_due_at, now),
        actions: crate::regulation::journey::available_actions(user, row, current.as_ref(), now, not_solved),
        can_correct: crate::regulation::journey::may_correct(user, row),
        can_co_handle: crate::regulation::journey::co_handles_now(user, row, current.as_ref()),
        onsite_records,
        can_record_onsite: crate::regulation::journey::onsite_kind_for(user, row, current.as_ref()),
        leader_reports,
        can_log_leader_report: crate::regulation::journey::logs_leader_report(user, row),
        chases,
        can_chase: user.roles.iter().any(|b| b.role == shared::Role::Supervisor) && db::journey::holder(row).is_some(),
    })
}

/// The department holding the item now.
pub fn department_of(conn: &mut DbConn, row: &ItemRow) -> Result<Option<UnitRef>, AppError> {
    Ok(match row.department_id {
        Some(id) => Some(unit_ref_short(&db::org::get(conn, id)?)),
        None => None,
    })
}
