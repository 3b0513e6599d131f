//! 研判 (第七条′): the city offices' written judgement of a month's analysis — the risks they see and the measures
//! they propose, each with a holder, a due date and its outcome — submitted to the city's secretary and mayor, who
//! mark it read (第七条3).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::dto::UnitRef;
use crate::error::Problem;
use crate::item::PersonRef;
use crate::stats::ReportReceipt;

/// The judgement's text is at most this many characters.
pub const RISKS_MAX: usize = 5000;
/// A measure, or its outcome, is at most this many characters.
pub const MEASURE_MAX: usize = 500;
/// A judgement proposes at most this many measures.
pub const MEASURES_MAX: usize = 20;

/// A proposed measure as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MeasureDraft {
    /// What is to be done (2–500 characters).
    pub measure: String,
    /// The unit that holds it (牵头单位): a department, street or community.
    pub holder_id: i64,
    /// Due by (not before today).
    pub due_on: NaiveDate,
}

/// `PUT /api/analysis/judgement`: the offices write (or rewrite, until submitted) the month's judgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SaveJudgement {
    /// The analysis's year.
    pub year: i32,
    /// Its month, 1–12.
    pub month: u32,
    /// 风险研判: the risks the month shows (10–5000 characters).
    pub risks: String,
    /// The proposed measures (at most 20).
    #[serde(default)]
    pub measures: Vec<MeasureDraft>,
}

impl SaveJudgement {
    /// What is missing or too long, field by field (`measures[2].measure`).
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        let risks = self.risks.trim().chars().count();
        if risks < 10 {
            out.push(Problem::on("risks", "请写明风险研判（至少10个字）"));
        } else if risks > RISKS_MAX {
            out.push(Problem::on("risks", format!("风险研判最多{RISKS_MAX}个字")));
        }
        if self.measures.len() > MEASURES_MAX {
            out.push(Problem::on("measures", format!("措施最多{MEASURES_MAX}条")));
        }
        for (i, m) in self.measures.iter().enumerate() {
            let n = m.measure.trim().chars().count();
            if !(2..=MEASURE_MAX).contains(&n) {
                let field = format!("measures[{i}].measure");
                out.push(Problem::on(&field, format!("第{}条措施请写2至{MEASURE_MAX}个字", i + 1)));
            }
        }
        out
    }
}

/// `POST /api/analysis/measures/{id}/outcome`: what came of a measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MeasureOutcome {
    /// 落实情况 (2–500 characters).
    pub outcome: String,
}

impl MeasureOutcome {
    /// What is missing or too long.
    pub fn problems(&self) -> Vec<Problem> {
        let n = self.outcome.trim().chars().count();
        if (2..=MEASURE_MAX).contains(&n) {
            Vec::new()
        } else {
            vec![Problem::on("outcome", format!("落实情况请写2至{MEASURE_MAX}个字"))]
        }
    }
}

/// A measure with its holder and outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Measure {
    /// Id.
    pub id: i64,
    /// What is to be done.
    pub measure: String,
    /// 牵头单位.
    pub holder: UnitRef,
    /// Due by.
    pub due_on: NaiveDate,
    /// 落实情况, once recorded.
    pub outcome: Option<String>,
    /// Recorded at.
    pub outcome_at: Option<DateTime<Utc>>,
    /// Recorded by.
    pub outcome_by: Option<PersonRef>,
    /// Past its due date with no outcome (shown red).
    pub overdue: bool,
    /// Whether the viewer may record its outcome now (the offices or the holder, once submitted, not yet recorded).
    pub can_record: bool,
}

/// The month's judgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Judgement {
    /// Id.
    pub id: i64,
    /// The analysis's year.
    pub year: i32,
    /// Its month.
    pub month: u32,
    /// 风险研判.
    pub risks: String,
    /// 措施建议, in the order written.
    pub measures: Vec<Measure>,
    /// Written (last saved) by.
    pub written_by: PersonRef,
    /// Last saved at.
    pub updated_at: DateTime<Utc>,
    /// Submitted to the city leaders at; a draft until then.
    pub submitted_at: Option<DateTime<Utc>>,
    /// One per city leader once submitted: read or not, and when.
    pub receipts: Vec<ReportReceipt>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_judgement_names_the_field_of_each_problem() {
        let due = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        let j = SaveJudgement {
            year: 2026,
            month: 11,
            risks: "太短".into(),
            measures: vec![
                MeasureDraft { measure: "加装路灯".into(), holder_id: 1, due_on: due },
                MeasureDraft { measure: " ".into(), holder_id: 1, due_on: due },
            ],
        };
        let fields: Vec<_> = j.problems().into_iter().filter_map(|p| p.field).collect();
        assert_eq!(fields, ["risks", "measures[1].measure"]);
        assert_eq!(MeasureOutcome { outcome: "x".into() }.problems().len(), 1);
        assert!(MeasureOutcome { outcome: "已完成".into() }.problems().is_empty());
    }
}
