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
    "结账：月份结束（次月1日零时）后，本表按月末计，不再变动；此后补记的离线民情、更正和评价改动在表后单列，注明日期。",
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
    /// What was recorded about the month after it closed, oldest first; the figures above do not change for it.
    #[serde(default)]
    pub late: Vec<LateLine>,
}

/// A record made after a month closed that concerns the month: an item a phone noted in it that arrived later (it
/// counts in the month it arrived), a 更正 of one of its items, or a changed rating. Shown as its own dated line beside
/// the closed figures, which stay as they were.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LateLine {
    /// When it was recorded (the server's time).
    pub at: DateTime<Utc>,
    /// The item concerned.
    pub item_id: String,
    /// What was recorded, as staff read it.
    pub what: String,
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

/// The figures of section 一 of the 民情专报 (附件4), from the same query layer as the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReportFigures {
    /// 共收集民情事项*类.
    pub types: i64,
    /// *件.
    pub collected: i64,
    /// 已解决落实*件.
    pub solved: i64,
    /// 正在解决中*件.
    pub in_progress: i64,
    /// 目前尚未解决*件 (unsolvable after coordination).
    pub unsolved: i64,
    /// 其中街道社区自己解决*件.
    pub solved_locally: i64,
    /// 经与部门单位沟通解决*件.
    pub solved_with_departments: i64,
    /// 民情事项办结率 (the 附件3 table's total for the street and month).
    pub completion_rate: Option<f64>,
    /// 群众满意率 (all ratings of the month).
    pub satisfaction: Option<f64>,
    /// 尚未解决事项涉及*类问题.
    pub unsolved_types: i64,
    /// 涉及部门单位有….
    pub unsolved_departments: Vec<String>,
    /// 满意度测评结果高于90%的单位.
    pub above_90: Vec<String>,
    /// 满意度测评结果低于50%的单位.
    pub below_50: Vec<String>,
    /// 不满意的事项涉及*类.
    pub dissatisfied_types: i64,
    /// *件.
    pub dissatisfied_items: i64,
}

labelled_enum! {
    /// Where a 民情专报 stands.
    ReportStatus {
        /// 草稿: drafted on the 1st, edited by the street.
        Draft = "draft", "草稿";
        /// 已报送: submitted to the city (late after the 5th).
        Submitted = "submitted", "已报送";
    }
}

/// A 民情专报 in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReportSummary {
    /// Id.
    pub id: i64,
    /// The street.
    pub street: UnitRef,
    /// The year and month reported.
    pub year: i32,
    /// 1–12.
    pub month: u32,
    /// 第N期 (per street and year).
    pub number: i64,
    /// Status.
    pub status: ReportStatus,
    /// Due: the 5th of the following month, end of day (city time).
    pub due_at: DateTime<Utc>,
    /// Submitted at.
    pub submitted_at: Option<DateTime<Utc>>,
    /// Submitted after the 5th.
    pub late: bool,
    /// For a city leader it was delivered to: whether they have not read it yet.
    #[serde(default)]
    pub unread: bool,
}

/// A submitted report delivered to a city leader (第七条3), and when they read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReportReceipt {
    /// The leader (市委书记, 市长).
    pub leader: crate::item::PersonRef,
    /// Delivered at (the submission).
    pub delivered_at: DateTime<Utc>,
    /// Read at; none yet.
    pub read_at: Option<DateTime<Utc>>,
}

/// A saved version of a report's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReportVersion {
    /// 1, 2, ….
    pub version: i64,
    /// Saved at.
    pub saved_at: DateTime<Utc>,
    /// Saved by (the system for the draft).
    pub saved_by: String,
    /// 一、基本情况.
    pub section1: String,
    /// 二、存在的问题.
    pub section2: String,
    /// 三、解决措施及建议意见.
    pub section3: String,
}

/// `GET /api/reports/{id}`: the report with its figures and versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Report {
    /// The list's fields.
    pub summary: ReportSummary,
    /// 《**街道民情专报（第N期）》.
    pub title: String,
    /// 一、基本情况 (drafted from the figures in 附件4's sentence; the street may edit it).
    pub section1: String,
    /// 二、存在的问题 (drafted with the unsolved and dissatisfied items and their reasons).
    pub section2: String,
    /// 三、解决措施及建议意见 (the street writes it).
    pub section3: String,
    /// The figures section 一 was drafted from.
    pub figures: ReportFigures,
    /// The moment those figures are counted as of: the month's end (midnight of the 1st after, city time), as in the
    /// month's 附件3 (`StatsTable.as_of`).
    pub figures_as_of: DateTime<Utc>,
    /// The current version; send it back with a change.
    pub version: i64,
    /// Every saved version, newest first.
    pub versions: Vec<ReportVersion>,
    /// Once submitted: delivered to each city leader, and whether each has read it.
    #[serde(default)]
    pub receipts: Vec<ReportReceipt>,
}

/// `PUT /api/reports/{id}`: the street's edit of a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EditReport {
    /// The version last read.
    pub version: i64,
    /// 一、基本情况.
    pub section1: String,
    /// 二、存在的问题.
    pub section2: String,
    /// 三、解决措施及建议意见.
    pub section3: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_status_wire_name_is_its_code() {
        assert_eq!(serde_json::to_value(ReportStatus::Submitted).unwrap(), serde_json::json!("submitted"));
    }

    #[test]
    fn the_completion_rate_follows_the_regulation() {
        assert_eq!(completion_rate(10, 6, 2), Some(0.75));
        assert_eq!(completion_rate(3, 0, 3), None);
        assert_eq!(completion_rate(0, 0, 0), None);
        assert_eq!(percent(Some(0.75)), "75.0%");
        assert_eq!(percent(None), "—");
    }
}
