//! Supervision (第八条′, 市委督查室): the city-wide overdue queue, chase notices (催办) and each unit's record.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
#[cfg(feature = "validate")]
use validator::Validate;

use crate::dto::UnitRef;
use crate::item::ItemStatus;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// An overdue item in the supervision queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OverdueItem {
    /// Item id.
    pub id: String,
    /// The sheet number, once sent to the street.
    pub sheet_no: Option<String>,
    /// Street / community / place.
    pub place: String,
    /// The first 60 characters of 收集内容.
    pub summary: String,
    /// The stage it is stuck at.
    pub status: ItemStatus,
    /// The unit holding it: the community, the street or the department.
    pub holder: UnitRef,
    /// When the stage was due.
    pub due_at: DateTime<Utc>,
    /// Whole days past due (0 on the first day).
    pub days_overdue: i64,
    /// Chase notices already sent for this item.
    pub chases: i64,
}

/// `POST /api/items/{id}/chase`: a chase notice to the unit holding an overdue item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(Validate))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Chase {
    /// What the supervision office asks, e.g. 请于明日12时前办结并反馈.
    #[cfg_attr(feature = "validate", validate(custom(function = "crate::validate::rules::reason")))]
    pub note: String,
}

/// A unit's supervision record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UnitRecord {
    /// The unit.
    pub unit: UnitRef,
    /// Items overdue with it now.
    pub overdue_now: i64,
    /// Chase notices in the last 90 days.
    pub chases_90_days: i64,
    /// Items chased more than once in the last 90 days.
    pub items_chased_repeatedly: i64,
    /// Flagged as a repeat offender (3 or more chases in 90 days).
    pub repeat_offender: bool,
    /// Corrections (更正) of its items' facts in the last 90 days, by the community whose ledger holds them.
    #[serde(default)]
    pub corrections_90_days: i64,
    /// Dispatches it returned (退单) in the last 90 days (a department; 推诿扯皮 is part of its record).
    #[serde(default)]
    pub rejections_90_days: i64,
    /// Chases in the last 90 days it did not answer in time.
    #[serde(default)]
    pub chases_unanswered: i64,
}

/// A chase notice on an item, with the chased unit's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ChaseInfo {
    /// Id.
    pub id: i64,
    /// The unit chased (the one holding the item then).
    pub unit: UnitRef,
    /// The stage it was chased at.
    pub stage: ItemStatus,
    /// What the supervision office asked.
    pub note: String,
    /// Sent at.
    pub at: DateTime<Utc>,
    /// To be answered by.
    pub answer_due_at: Option<DateTime<Utc>>,
    /// The unit's reply.
    pub reply: Option<String>,
    /// The date the unit promised.
    pub promised_at: Option<DateTime<Utc>>,
    /// Answered at.
    pub replied_at: Option<DateTime<Utc>>,
    /// Not answered by its time: escalated to the unit's head (shown red).
    pub escalated: bool,
    /// Whether the viewer may answer it now (an account of the chased unit, not yet answered).
    pub can_reply: bool,
}

/// `POST /api/chases/{id}/reply`: the chased unit answers with what it will do and by when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(Validate))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ChaseReply {
    /// What it did or will do.
    #[cfg_attr(feature = "validate", validate(custom(function = "crate::validate::rules::reason")))]
    pub reply: String,
    /// By when it promises to finish: not in the past, within 60 days.
    pub promised_at: DateTime<Utc>,
}
