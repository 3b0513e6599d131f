//! The offices' judgement (研判) as the API shows it: its measures with holders, outcomes and whether overdue, and
//! its receipts from the city leaders.

use chrono::NaiveDate;
use shared::judgement::{Judgement, Measure};
use shared::{OrgKind, Role};

use super::people::{people, person, unit_refs};
use super::utc;
use crate::auth::AuthUser;
use crate::db::judgements::{JudgementRow, MeasureRow};
use crate::db::receipts::Doc;
use crate::db::{self, DbConn};
use crate::error::AppError;

/// Whether the account writes the judgement: the city offices (市委办/市政府办).
pub fn writes(user: &AuthUser) -> bool {
    user.roles.iter().any(|b| b.role == Role::CityAnalyst && b.unit.kind == OrgKind::City)
}

/// Whether the account records this measure's outcome: the offices, or an account of the holder unit.
pub fn records_outcome(user: &AuthUser, m: &MeasureRow) -> bool {
    writes(user) || user.roles.iter().any(|b| b.unit.id == m.holder_id)
}

/// The judgement with its measures (overdue against `today`, the city's date) and receipts.
pub fn judgement_dto(
    conn: &mut DbConn,
    user: &AuthUser,
    row: &JudgementRow,
    today: NaiveDate,
) -> Result<Judgement, AppError> {
    let measures = db::judgements::measures_of(conn, row.id)?;
    let holders = db::org::by_ids(conn, &measures.iter().map(|m| m.holder_id).collect::<Vec<_>>())?;
    let holders = unit_refs(conn, &holders)?;
    let mut who: Vec<i64> = measures.iter().filter_map(|m| m.outcome_by).collect();
    who.push(row.written_by);
    let people = people(conn, &who)?;
    let submitted = row.submitted_at.is_some();
    let measures = measures
        .iter()
        .map(|m| {
            Ok(Measure {
                id: m.id,
                measure: m.measure.clone(),
                holder: holders.get(&m.holder_id).cloned().ok_or_else(|| AppError::not_found("牵头单位"))?,
                due_on: m.due_on,
                outcome: m.outcome.clone(),
                outcome_at: m.outcome_at.map(utc),
                outcome_by: m.outcome_by.map(|id| person(&people, id)),
                overdue: m.outcome_at.is_none() && m.due_on < today,
                can_record: submitted && m.outcome_at.is_none() && records_outcome(user, m),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let receipts = super::people::receipts(conn, Doc::Analysis(row.id))?;
    Ok(Judgement {
        id: row.id,
        year: row.year,
        month: row.month as u32,
        risks: row.risks.clone(),
        measures,
        written_by: person(&people, row.written_by),
        updated_at: utc(row.updated_at),
        submitted_at: row.submitted_at.map(utc),
        receipts,
    })
}
