//! The city offices' judgement (研判) of a month's analysis and its measures (第七条′).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{analysis_judgements, analysis_measures};
use super::DbConn;

/// A judgement as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = analysis_judgements)]
pub struct JudgementRow {
    pub id: i64,
    pub year: i32,
    pub month: i32,
    pub risks: String,
    pub written_by: i64,
    pub updated_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
    pub submitted_by: Option<i64>,
}

/// A measure as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = analysis_measures)]
pub struct MeasureRow {
    pub id: i64,
    pub judgement_id: i64,
    pub measure: String,
    pub holder_id: i64,
    pub due_on: NaiveDate,
    pub outcome: Option<String>,
    pub outcome_at: Option<NaiveDateTime>,
    pub outcome_by: Option<i64>,
}

pub fn of_month(conn: &mut DbConn, year: i32, month: u32) -> QueryResult<Option<JudgementRow>> {
    analysis_judgements::table
        .filter(analysis_judgements::year.eq(year))
        .filter(analysis_judgements::month.eq(month as i32))
        .select(JudgementRow::as_select())
        .first(conn)
        .optional()
}

pub fn get(conn: &mut DbConn, id: i64) -> QueryResult<Option<JudgementRow>> {
    analysis_judgements::table.find(id).select(JudgementRow::as_select()).first(conn).optional()
}

/// Writes the month's judgement (a new one, or over an unsubmitted draft) with its measures in place of the old
/// ones; its id. `measures` are (measure, holder, due date).
pub fn save(
    conn: &mut DbConn,
    (year, month): (i32, u32),
    risks: &str,
    measures: &[(String, i64, NaiveDate)],
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    let id = match of_month(conn, year, month)? {
        Some(j) => {
            diesel::update(analysis_judgements::table.find(j.id))
                .set((
                    analysis_judgements::risks.eq(risks),
                    analysis_judgements::written_by.eq(by),
                    analysis_judgements::updated_at.eq(now),
                ))
                .execute(conn)?;
            diesel::delete(analysis_measures::table.filter(analysis_measures::judgement_id.eq(j.id))).execute(conn)?;
            j.id
        }
        None => diesel::insert_into(analysis_judgements::table)
            .values((
                analysis_judgements::year.eq(year),
                analysis_judgements::month.eq(month as i32),
                analysis_judgements::risks.eq(risks),
                analysis_judgements::written_by.eq(by),
                analysis_judgements::updated_at.eq(now),
            ))
            .returning(analysis_judgements::id)
            .get_result(conn)?,
    };
    for (measure, holder, due) in measures {
        diesel::insert_into(analysis_measures::table)
            .values((
                analysis_measures::judgement_id.eq(id),
                analysis_measures::measure.eq(measure),
                analysis_measures::holder_id.eq(holder),
                analysis_measures::due_on.eq(due),
            ))
            .execute(conn)?;
    }
    Ok(id)
}

/// Marks the judgement submitted; false when it already was.
pub fn submit(conn: &mut DbConn, id: i64, by: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(analysis_judgements::table.find(id).filter(analysis_judgements::submitted_at.is_null()))
        .set((analysis_judgements::submitted_at.eq(now), analysis_judgements::submitted_by.eq(by)))
        .execute(conn)?;
    Ok(n == 1)
}

/// The judgement's measures in the order written.
pub fn measures_of(conn: &mut DbConn, judgement_id: i64) -> QueryResult<Vec<MeasureRow>> {
    analysis_measures::table
        .filter(analysis_measures::judgement_id.eq(judgement_id))
        .order(analysis_measures::id)
        .select(MeasureRow::as_select())
        .load(conn)
}

pub fn measure(conn: &mut DbConn, id: i64) -> QueryResult<Option<MeasureRow>> {
    analysis_measures::table.find(id).select(MeasureRow::as_select()).first(conn).optional()
}

/// Records a measure's outcome, once; false when it already had one.
pub fn record_outcome(conn: &mut DbConn, id: i64, outcome: &str, by: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(analysis_measures::table.find(id).filter(analysis_measures::outcome_at.is_null()))
        .set((
            analysis_measures::outcome.eq(outcome),
            analysis_measures::outcome_at.eq(now),
            analysis_measures::outcome_by.eq(by),
        ))
        .execute(conn)?;
    Ok(n == 1)
}
