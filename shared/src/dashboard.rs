//! The city dashboard (issue 6): now and by month — received, solved, in progress, overdue, 办结率, 满意率, response
//! and return rates, major items and how fast leaders acknowledged them — overall and by street, type and department,
//! with the red and black lists. Every rate carries its numerator and denominator.

use serde::{Deserialize, Serialize};

use crate::domain::ItemType;
use crate::dto::UnitRef;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// A rate with what it is made of.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Ratio {
    /// The numerator.
    pub num: i64,
    /// The denominator.
    pub den: i64,
    /// num ÷ den; none when den is 0.
    pub rate: Option<f64>,
}

impl Ratio {
    pub fn of(num: i64, den: i64) -> Ratio {
        Ratio { num, den, rate: (den > 0).then(|| num as f64 / den as f64) }
    }
}

/// The month's figures of a scope (the city, a street, a type).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MonthFigures {
    /// Items collected in the month.
    pub received: i64,
    /// Of those, solved (by the community or a department).
    pub solved: i64,
    /// Of those, not yet solved nor found unsolvable.
    pub in_progress: i64,
    /// Of those, past their stage's deadline now.
    pub overdue: i64,
    /// 办结率 of the departments' sheets accepted in the month (附件3's total).
    pub completion: Ratio,
    /// 满意率: (满意 + 基本满意) ÷ answers of the month's ratings.
    pub satisfaction: Ratio,
    /// Response rate: dispatches of the month accepted within the 1-day accept limit ÷ dispatches of the month.
    pub response: Ratio,
    /// Return rate: dispatches of the month returned (退单) ÷ dispatches of the month.
    pub returned: Ratio,
    /// Major items collected in the month.
    pub major: i64,
    /// Their direct reports acknowledged, and the average minutes to acknowledge.
    pub major_acknowledged: Ratio,
    /// Average minutes from report to acknowledgement; none without acknowledgements.
    pub minutes_to_acknowledge: Option<f64>,
}

/// A department on the dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DepartmentLine {
    /// The department.
    pub department: UnitRef,
    /// 办结率 (附件3's row).
    pub completion: Ratio,
    /// 测评满意率.
    pub satisfaction: Ratio,
    /// Sheets accepted in the month.
    pub received: i64,
}

/// A street's month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StreetLine {
    /// The street.
    pub street: UnitRef,
    /// Its figures.
    pub figures: MonthFigures,
}

/// A type's month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TypeLine {
    /// 类型.
    pub item_type: ItemType,
    /// Its figures.
    pub figures: MonthFigures,
}

/// The month's trend point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TrendPoint {
    /// The year.
    pub year: i32,
    /// 1–12.
    pub month: u32,
    /// Items collected.
    pub received: i64,
    /// Of those, solved.
    pub solved: i64,
}

/// `GET /api/dashboard`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Dashboard {
    /// The month shown.
    pub year: i32,
    /// 1–12.
    pub month: u32,
    /// Open items now, city-wide.
    pub open_now: i64,
    /// Overdue now, city-wide.
    pub overdue_now: i64,
    /// Major items still open now.
    pub major_open_now: i64,
    /// The whole city in the month.
    pub overall: MonthFigures,
    /// Per street.
    pub by_street: Vec<StreetLine>,
    /// Per type.
    pub by_type: Vec<TypeLine>,
    /// Per department (附件3's rows for the city).
    pub by_department: Vec<DepartmentLine>,
    /// 红榜: the five best departments by 办结率 (then 满意率), with their denominators.
    pub red_list: Vec<DepartmentLine>,
    /// 黑榜: the five worst.
    pub black_list: Vec<DepartmentLine>,
    /// The last six months, oldest first.
    pub trend: Vec<TrendPoint>,
    /// What was recorded about the month after it closed (附件3's late lines for the city); the figures stay.
    #[serde(default)]
    pub late: Vec<crate::stats::LateLine>,
}

/// How often a type was raised in the month, and across how many streets (a common issue when several).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TypeSpread {
    /// 类型.
    pub item_type: ItemType,
    /// Items of the type.
    pub total: i64,
    /// Streets that raised it.
    pub streets: i64,
    /// Per street: name and count, most first.
    pub per_street: Vec<NamedCount>,
}

/// A name and a count, with the items counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NamedCount {
    /// e.g. 新华街道 / 和平社区 / … / 3号楼.
    pub name: String,
    /// How many.
    pub count: i64,
    /// The items.
    pub item_ids: Vec<String>,
}

/// `GET /api/analysis`: the monthly analysis for the city offices (第七条′).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Analysis {
    /// The year.
    pub year: i32,
    /// 1–12.
    pub month: u32,
    /// Items collected in the month, city-wide.
    pub total: i64,
    /// Per type, the most raised first, with its spread across streets.
    pub by_type: Vec<TypeSpread>,
    /// Per community, the most first.
    pub by_community: Vec<NamedCount>,
    /// Places (buildings, grids, stations) with two or more items in the month: repeated concerns at one place.
    pub repeated_places: Vec<NamedCount>,
    /// Per type, the items not solved yet (in progress or unsolvable), the most first.
    pub unresolved_themes: Vec<NamedCount>,
    /// The offices' written judgement (研判) of the month with its measures, once written.
    #[serde(default)]
    pub judgement: Option<crate::judgement::Judgement>,
}
