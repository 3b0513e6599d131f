//! The numbers the city runs on: the monthly statistics table 《民情办理情况统计表》 (附件3). Every figure carries the
//! items behind it, so each number can be opened and counted by hand.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::dto::UnitRef;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// The definitions printed with the table, in the words staff read.
pub const STATS_DEFINITIONS: &[&str] = &[
    "统计月份：以部门单位接单时间（北京时间）所在月份计；同一事项退回重办再次接单的，再计一次。",
    "民情接单数量：本月接单的反馈单数（部门退单的不计）。",
    "按时办结数量：在办理期限内（接单后5日，经批准延期的10日）返单办结的数量。",
    "正在处理数量：截至统计时尚未返单的数量（含待部门领导签字）。",
    "办结率 = 按时办结数量 ÷（民情接单数量 − 正在处理数量）；分母为0时显示“—”。",
    "10日内未办结数量：接单后10日内未办结的数量（含经沟通已办结、经沟通仍无法办结、已超过10日仍在办理）。",
    "10日内未办结经沟通已办结数量：超过10日、经现场办公沟通后办结的数量。",
    "10日内未办结经沟通未办结数量：10日内未办结数量 − 经沟通已办结数量。",
    "测评满意率：本月对该单位的评价（居民评价与每周测评）中，（满意 + 基本满意）÷ 全部回答数。",
];

/// One number of the table and the items behind it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Figure {
    /// The number.
    pub count: i64,
    /// The items it counts (an item counts once per acceptance).
    pub item_ids: Vec<String>,
}

/// One row of 附件3: a responsible unit, or the total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StatsRow {
    /// 序号 (0 for the total row).
    pub seq: i64,
    /// 责任单位; none for the total row.
    pub unit: Option<UnitRef>,
    /// 民情接单数量.
    pub received: Figure,
    /// 按时办结数量.
    pub on_time: Figure,
    /// 正在处理数量.
    pub in_progress: Figure,
    /// 办结率 = 按时办结数量 ÷ (民情接单数量 − 正在处理数量); none when the denominator is 0.
    pub completion_rate: Option<f64>,
    /// 10日内未办结数量.
    pub not_in_10_days: Figure,
    /// 10日内未办结经沟通已办结数量.
    pub solved_after_coordination: Figure,
    /// 10日内未办结经沟通未办结数量.
    pub unsolved_after_coordination: Figure,
    /// 测评满意率; none without answers.
    pub satisfaction: Option<f64>,
    /// The answers behind the satisfaction rate.
    pub answers: i64,
}

/// `GET /api/stats/monthly`: 《**街道民情办理情况统计表（*年*月）》.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StatsTable {
    /// The street, or none for the whole city.
    pub street: Option<UnitRef>,
    /// The year.
    pub year: i32,
    /// The month, 1–12.
    pub month: u32,
    /// The title, e.g. 新华街道民情办理情况统计表（2026年11月）.
    pub title: String,
    /// The figures are as of this moment (in progress, not yet solved).
    pub as_of: DateTime<Utc>,
    /// One row per department that accepted items in the month, in 序号 order.
    pub rows: Vec<StatsRow>,
    /// 合计.
    pub total: StatsRow,
    /// How each column is counted.
    pub definitions: Vec<String>,
}

/// 办结率 = on time ÷ (received − in progress); none when the denominator is 0.
pub fn completion_rate(received: i64, on_time: i64, in_progress: i64) -> Option<f64> {
    let denominator = received - in_progress;
    (denominator > 0).then(|| on_time as f64 / denominator as f64)
}

/// A rate as staff read it: "87.5%", or "—".
pub fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_string(), |r| format!("{:.1}%", r * 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_completion_rate_follows_the_regulation() {
        assert_eq!(completion_rate(10, 6, 2), Some(0.75));
        assert_eq!(completion_rate(3, 0, 3), None);
        assert_eq!(completion_rate(0, 0, 0), None);
        assert_eq!(percent(Some(0.75)), "75.0%");
        assert_eq!(percent(None), "—");
    }
}
