//! Residents' voice (第八条, 第六条′): the outcome link a resident opens without an account, the three questions with
//! their one-tap answers, the follow-up of every dissatisfied answer, and the weekly evaluation of departments.
//!
//! The satisfaction rate, everywhere: (满意 + 基本满意) ÷ all answers given, over the three questions. An answer of
//! 基本满意 counts as satisfied, as the regulation's reports do; a rating with "问题没有解决" still counts its three
//! answers as given, and opens a follow-up.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
#[cfg(feature = "validate")]
use validator::Validate;

use crate::domain::ItemType;
use crate::dto::UnitRef;
use crate::item::{PersonRef, Photo};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// How many days a resident may change a rating after first giving it.
pub const RATING_EDIT_DAYS: i64 = 7;

/// The rule of the satisfaction rate, as the app's help states it.
pub const SATISFACTION_RULE: &str =
    "满意率 =（满意 + 基本满意）÷ 全部回答数；每次评价含“是否及时、服务态度、处理结果”三个回答";

/// Which week and which month a rating counts in (docs/api.md, "Weeks that cross a month"): a month's figures are
/// final when the month ends.
pub const PERIOD_RULE: &str = "按周：该周测评的干部评价（含下周补评）和居民在该周给出的评价；\
    按月：当月给出的全部评价。跨月的一周，评价计入给出当天所在的月份，月份结束后数字不再变动。";

labelled_enum! {
    /// One answer to one of the three questions (第六条′).
    Answer {
        /// 满意.
        Satisfied = "satisfied", "满意";
        /// 基本满意.
        Basically = "basically", "基本满意";
        /// 不满意.
        Dissatisfied = "dissatisfied", "不满意";
    }
}

labelled_enum! {
    /// A step of following up a dissatisfied rating (第六条′).
    FollowUpStep {
        /// 了解原因.
        FindReason = "find_reason", "了解原因";
        /// 反馈部门单位.
        FeedBack = "feed_back", "反馈部门单位";
        /// 明确整改措施.
        AgreeMeasures = "agree_measures", "明确整改措施";
        /// 向居民解释答复.
        Explain = "explain", "向居民解释答复";
    }
}

/// The three answers, and what else a rater says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(Validate))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Rate {
    /// 是否及时.
    pub timely: Answer,
    /// 服务态度.
    pub attitude: Answer,
    /// 处理结果.
    pub result: Answer,
    /// 问题没有解决.
    #[serde(default)]
    pub not_solved: bool,
    /// A comment, optional.
    #[cfg_attr(feature = "validate", validate(length(max = 300, message = "意见不能超过300个字")))]
    pub comment: Option<String>,
}

impl Rate {
    /// The answers in the order of the questions.
    pub fn answers(&self) -> [Answer; 3] {
        [self.timely, self.attitude, self.result]
    }

    /// Whether this rating needs a follow-up: any 不满意, or "not solved".
    pub fn dissatisfied(&self) -> bool {
        self.not_solved || self.answers().contains(&Answer::Dissatisfied)
    }
}

/// A rating as given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Rating {
    /// The answers.
    pub rate: Rate,
    /// First given at.
    pub created_at: DateTime<Utc>,
    /// Last changed at.
    pub updated_at: DateTime<Utc>,
    /// Until when it may be changed (residents: 7 days after first giving it).
    pub editable_until: DateTime<Utc>,
}

/// `POST /api/items/{id}/resident-link`: a new link for the resident; earlier links of the item stop working.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ResidentLink {
    /// The path to open, `/r/<token>`; only shown now (the server keeps a hash).
    pub path: String,
    /// The full address, from the server's public URL.
    pub url: String,
    /// The same address as a QR code (SVG).
    pub qr_svg: String,
    /// Text to send by WeChat or SMS.
    pub share_text: String,
    /// Issued at.
    pub issued_at: DateTime<Utc>,
}

/// A step of the item's way, as the resident sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ResidentStep {
    /// e.g. 已登记, 已交办市住房和城乡建设局, 已办结.
    pub label: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// `GET /api/r/{token}`: what the resident sees, and nothing about anyone else.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ResidentView {
    /// The community, e.g. 和平社区.
    pub community: String,
    /// 类型.
    pub item_type: ItemType,
    /// What they raised (收集内容).
    pub content: String,
    /// Where it stands, in plain words.
    pub status_label: String,
    /// The way so far, oldest first.
    pub steps: Vec<ResidentStep>,
    /// The result (办理结果), once there is one.
    pub result: Option<String>,
    /// Photos taken when it was raised, and of the result.
    pub photos: Vec<Photo>,
    /// The resident's rating, once given.
    pub rating: Option<Rating>,
    /// Whether the resident may rate (or change the rating) now.
    pub can_rate: bool,
    /// The rule of the satisfaction rate.
    pub satisfaction_rule: String,
}

/// One recorded step of a follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FollowUpEntry {
    /// Which step.
    pub step: FollowUpStep,
    /// What was found, fed back, agreed or explained.
    pub text: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub by: PersonRef,
}

/// A follow-up of a dissatisfied rating, tracked to closure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FollowUp {
    /// Id.
    pub id: i64,
    /// The item rated, for a resident's rating.
    pub item_id: Option<String>,
    /// A line about what was rated.
    pub subject: String,
    /// The community that follows it up.
    pub community: Option<UnitRef>,
    /// The department concerned, if any.
    pub department: Option<UnitRef>,
    /// The rating that opened it.
    pub rate: Rate,
    /// Opened at.
    pub opened_at: DateTime<Utc>,
    /// The steps recorded so far.
    pub steps: Vec<FollowUpEntry>,
    /// Closed at (once every step is recorded).
    pub closed_at: Option<DateTime<Utc>>,
    /// Whether the street sent the item back to the department.
    pub sent_back: bool,
    /// When its four steps are due (本市规定: the city's follow-up clock from its opening).
    #[serde(default)]
    pub due_at: Option<DateTime<Utc>>,
    /// Not closed by then.
    #[serde(default)]
    pub overdue: bool,
}

/// `POST /api/follow-ups/{id}/steps`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(Validate))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AddFollowUpStep {
    /// Which step.
    pub step: FollowUpStep,
    /// What was found, fed back, agreed or explained.
    #[cfg_attr(feature = "validate", validate(custom(function = "crate::validate::rules::reason")))]
    pub text: String,
}

/// `POST /api/items/{id}/send-back`: the resident says it is not solved; the street sends it back to the department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(Validate))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SendBack {
    /// The version last read.
    pub version: i64,
    /// Why, for the department.
    #[cfg_attr(feature = "validate", validate(custom(function = "crate::validate::rules::reason")))]
    pub note: String,
}

/// A department to rate this week for a street (第六条′).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EvalRound {
    /// Id.
    pub id: i64,
    /// The street.
    pub street: UnitRef,
    /// The department rated.
    pub department: UnitRef,
    /// The Monday of the week.
    pub week_start: NaiveDate,
    /// Items of the street the department handled that week.
    pub items: i64,
    /// My rating, once given.
    pub my_rating: Option<Rating>,
    /// Whether I may rate now (until the end of the following week).
    pub open: bool,
}

/// A department's satisfaction over a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DepartmentSatisfaction {
    /// The department.
    pub department: UnitRef,
    /// Ratings by residents (through their links).
    pub resident_ratings: i64,
    /// Ratings by building leaders, grid leaders, station heads and community secretaries.
    pub staff_ratings: i64,
    /// Answers of 满意.
    pub satisfied: i64,
    /// Answers of 基本满意.
    pub basically: i64,
    /// Answers of 不满意.
    pub dissatisfied: i64,
    /// (满意 + 基本满意) ÷ all answers; none without answers.
    pub rate: Option<f64>,
}

/// `GET /api/evaluation/results`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SatisfactionReport {
    /// First day (inclusive).
    pub from: NaiveDate,
    /// Last day (inclusive).
    pub to: NaiveDate,
    /// The street, or none for the whole city.
    pub street: Option<UnitRef>,
    /// One row per department with answers or rounds, best first.
    pub departments: Vec<DepartmentSatisfaction>,
    /// All answers together.
    pub overall: DepartmentSatisfaction,
    /// The rule.
    pub rule: String,
}

/// The satisfaction rate of these answer counts: (满意 + 基本满意) ÷ all; none when there are no answers.
pub fn satisfaction_rate(satisfied: i64, basically: i64, dissatisfied: i64) -> Option<f64> {
    let all = satisfied + basically + dissatisfied;
    (all > 0).then(|| (satisfied + basically) as f64 / all as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_counts_basically_satisfied_as_satisfied() {
        assert_eq!(satisfaction_rate(0, 0, 0), None);
        assert_eq!(satisfaction_rate(2, 1, 1), Some(0.75));
        let r = Rate {
            timely: Answer::Satisfied,
            attitude: Answer::Basically,
            result: Answer::Satisfied,
            not_solved: false,
            comment: None,
        };
        assert!(!r.dissatisfied());
        assert!(Rate { not_solved: true, ..r.clone() }.dissatisfied());
        assert!(Rate { result: Answer::Dissatisfied, ..r }.dissatisfied());
    }
}
