//! The journey of an item past the community (第七条, 第八条, 附件2): the street's dispatch, the department's accept,
//! return (退单), extension and returned sheet (返单), the head's sign-off, the direct line for major items (第三条),
//! the work queues. The clocks' settings and the notification hooks are in `crate::settings` (re-exported here).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
#[cfg(feature = "validate")]
use validator::Validate;

use crate::domain::{ItemType, Level};
use crate::dto::UnitRef;
use crate::item::{ItemStatus, PersonRef};
#[cfg(feature = "validate")]
use crate::validate::rules;

pub use crate::settings::{ClockSettings, Holiday, HolidayYear, Hook, HookKind, NewHook, UpdateHook};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

labelled_enum! {
    /// Why a department returns a dispatched item to the street (退单).
    RejectReason {
        /// 非本单位职责.
        NotOurDuty = "not_our_duty", "非本单位职责";
        /// 属地不符.
        WrongPlace = "wrong_place", "属地不符";
        /// 职责交叉.
        OverlappingDuties = "overlapping_duties", "职责交叉";
        /// 其他 (the note says what).
        Other = "other", "其他";
    }
}

labelled_enum! {
    /// An action of the journey; an item lists those its viewer may take now.
    ActionKind {
        /// 社区办结.
        SolveLocally = "solve_locally", "社区办结";
        /// 报送街道.
        SendToStreet = "send_to_street", "报送街道";
        /// 派单.
        Dispatch = "dispatch", "派单";
        /// 接单.
        Accept = "accept", "接单";
        /// 退单.
        Reject = "reject", "退单";
        /// 申请延期.
        RequestExtension = "request_extension", "申请延期";
        /// 审批延期.
        DecideExtension = "decide_extension", "审批延期";
        /// 返单.
        ReturnSheet = "return_sheet", "返单";
        /// 领导签字.
        HeadSign = "head_sign", "领导签字";
        /// 反馈居民.
        TellResident = "tell_resident", "反馈居民";
        /// 退回部门重办: the resident said it is not solved (第六条′).
        SendBack = "send_back", "退回部门重办";
    }
}

labelled_enum! {
    /// What an event of an item's history records: its registration and edits, each action of the journey, the
    /// resident's link and the supervision office's chase.
    EventKind {
        /// 登记.
        Created = "created", "登记";
        /// 修改.
        Updated = "updated", "修改";
        /// 社区办结.
        SolvedLocally = "solved_locally", "社区办结";
        /// 报送街道.
        SentToStreet = "sent_to_street", "报送街道";
        /// 派单.
        Dispatched = "dispatched", "派单";
        /// 接单.
        Accepted = "accepted", "接单";
        /// 退单.
        Rejected = "rejected", "退单";
        /// 申请延期.
        ExtensionRequested = "extension_requested", "申请延期";
        /// 审批延期.
        ExtensionDecided = "extension_decided", "审批延期";
        /// 返单.
        SheetReturned = "sheet_returned", "返单";
        /// 领导签字.
        HeadSigned = "head_signed", "领导签字";
        /// 领导退回重办: the head sent the sheet back to the handler instead of signing.
        HeadSentBack = "head_sent_back", "领导退回重办";
        /// 反馈居民.
        ResidentTold = "resident_told", "反馈居民";
        /// 退回部门重办.
        SentBack = "sent_back", "退回部门重办";
        /// 发放评价链接.
        ResidentLinkIssued = "resident_link_issued", "发放评价链接";
        /// 督查室催办.
        Chased = "chased", "督查室催办";
        /// 更正: the facts corrected after the community acted, with a reason.
        Corrected = "corrected", "更正";
        /// 协办情况: what a co-handling department did.
        CoHandled = "co_handled", "协办情况";
        /// 个人信息已隐去: the resident's name, phone and address masked (retention period over, or on request).
        PersonalDataMasked = "personal_data_masked", "个人信息已隐去";
        /// An on-site office or meeting was recorded (第七条2).
        OnsiteRecorded = "onsite_recorded", "现场办公记录";
        /// A street leader logged their direct report to the city's leaders (第七条4).
        LeaderReported = "leader_reported", "街道领导直报";
        /// The chased unit answered a chase with a reply and a promised date (第八条′).
        ChaseAnswered = "chase_answered", "催办回复";
        /// The supervision office referred the item to 纪检监察 (第八条′).
        Referred = "referred", "移交纪检监察";
    }
}

/// `POST /api/items/{id}/dispatch`: the street dispatches the sheet to one responsible department (派单).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(Validate))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Dispatch {
    /// The version last read.
    pub version: i64,
    /// 交办责任单位或部门.
    pub department_id: i64,
    /// Co-handling departments (协办), optional.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = 5, message = "协办部门最多5个")))]
    pub co_department_ids: Vec<i64>,
}

/// `POST /api/items/{id}/accept` (接单), `…/head-sign` and other actions that carry only the version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct VersionOnly {
    /// The version last read.
    pub version: i64,
}

/// `POST /api/items/{id}/reject`: the department returns the item to the street (退单).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(Validate))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Reject {
    /// The version last read.
    pub version: i64,
    /// Why.
    pub reason: RejectReason,
    /// Details; required when the reason is 其他.
    #[cfg_attr(feature = "validate", validate(length(max = 500, message = "说明不能超过500个字")))]
    pub note: Option<String>,
}

/// `POST /api/items/{id}/request-extension`: the department asks for 5 more days, before its deadline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(Validate))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RequestExtension {
    /// The version last read.
    pub version: i64,
    /// 延期理由.
    #[cfg_attr(feature = "validate", validate(custom(function = "rules::reason")))]
    pub reason: String,
}

/// `POST /api/items/{id}/decide-extension`: the street approves or refuses the request, before the deadline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(Validate))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DecideExtension {
    /// The version last read.
    pub version: i64,
    /// Approve (5 more days) or refuse.
    pub approve: bool,
    /// A note, optional.
    #[cfg_attr(feature = "validate", validate(length(max = 500, message = "说明不能超过500个字")))]
    pub note: Option<String>,
}

/// `POST /api/items/{id}/co-handling`: a co-handling department (协办) records what it did; the history keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(Validate))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CoHandling {
    /// What the department did (协办情况).
    #[cfg_attr(feature = "validate", validate(custom(function = "rules::reason")))]
    pub note: String,
}

/// `POST /api/items/{id}/return-sheet`: the department returns the sheet (返单) with the result.
///
/// The server's time of the 返单 is its 办结时间: 按时 and "within 10 days" are judged by it. Solved within 10 days
/// of accepting: `solved`, `result`, and optionally `solved_at`. Otherwise the on-site office record is
/// required (`onsite`, `measures_clear`, `measures` when clear), then either solved after coordination, or unsolvable
/// with `unsolved_reason` and `countermeasures`, which goes to the department head to sign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(Validate))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReturnSheet {
    /// The version last read.
    pub version: i64,
    /// Whether it was solved.
    pub solved: bool,
    /// 办理结果: how it was solved, or what was done.
    #[cfg_attr(feature = "validate", validate(custom(function = "rules::result")))]
    pub result: String,
    /// When the work was actually finished, as the department notes it (for the record; it does not decide 按时);
    /// now when absent. Not in the future, not before it was accepted.
    pub solved_at: Option<DateTime<Utc>>,
    /// 是否现场办公.
    pub onsite: Option<bool>,
    /// 是否明确解决措施.
    pub measures_clear: Option<bool>,
    /// The measures agreed.
    #[cfg_attr(feature = "validate", validate(length(max = 500, message = "解决措施不能超过500个字")))]
    pub measures: Option<String>,
    /// 经沟通，仍无法处理原因.
    #[cfg_attr(feature = "validate", validate(length(max = 500, message = "无法处理原因不能超过500个字")))]
    pub unsolved_reason: Option<String>,
    /// 建议对策.
    #[cfg_attr(feature = "validate", validate(length(max = 500, message = "建议对策不能超过500个字")))]
    pub countermeasures: Option<String>,
    /// Photos of the result, uploaded beforehand through `POST /api/photos`.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = 9, message = "最多9张照片")))]
    pub photo_ids: Vec<String>,
}

/// `POST /api/items/{id}/head-sign`: the department head signs the unsolvable sheet (主要领导签字), or sends it back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(Validate))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct HeadSign {
    /// The version last read.
    pub version: i64,
    /// Sign (the sheet returns to the street) or send back to the handler.
    pub approve: bool,
    /// A note, optional.
    #[cfg_attr(feature = "validate", validate(length(max = 500, message = "说明不能超过500个字")))]
    pub note: Option<String>,
}

/// A department's request for 5 more days and the street's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ExtensionInfo {
    /// 延期理由.
    pub reason: String,
    /// Asked at.
    pub requested_at: DateTime<Utc>,
    /// Asked by.
    pub requested_by: PersonRef,
    /// Approved (true), refused (false), or not yet decided.
    pub approved: Option<bool>,
    /// Decided at.
    pub decided_at: Option<DateTime<Utc>>,
    /// Decided by.
    pub decided_by: Option<PersonRef>,
    /// The street's note.
    pub note: Option<String>,
}

/// The department's part of the sheet 附件2, for the current (or last) dispatch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DispatchInfo {
    /// 交办责任单位或部门.
    pub department: UnitRef,
    /// 协办部门.
    pub co_departments: Vec<UnitRef>,
    /// 派单时间.
    pub dispatched_at: DateTime<Utc>,
    /// 派单人.
    pub dispatched_by: PersonRef,
    /// 接单时间.
    pub accepted_at: Option<DateTime<Utc>>,
    /// 接单人.
    pub accepted_by: Option<PersonRef>,
    /// The department's deadline: 5 days after accepting, 10 with an approved extension.
    pub due_at: Option<DateTime<Utc>>,
    /// The extension asked for, if any.
    pub extension: Option<ExtensionInfo>,
    /// 返单时间.
    pub returned_at: Option<DateTime<Utc>>,
    /// 返单人.
    pub returned_by: Option<PersonRef>,
    /// Whether it was solved (once returned).
    pub solved: Option<bool>,
    /// When the department noted the work finished (for the record; 按时 goes by `returned_at`).
    pub solved_at: Option<DateTime<Utc>>,
    /// 10日内是否办结, by the server's time of the 返单.
    pub solved_within_10_days: Option<bool>,
    /// Whether 10 days (as the clocks count them) have passed since accepting, so a return needs the on-site office
    /// record (是否现场办公, 是否明确解决措施).
    pub onsite_required: bool,
    /// 是否现场办公.
    pub onsite: Option<bool>,
    /// 是否明确解决措施.
    pub measures_clear: Option<bool>,
    /// The measures.
    pub measures: Option<String>,
    /// 经沟通，仍无法处理原因.
    pub unsolved_reason: Option<String>,
    /// 建议对策.
    pub countermeasures: Option<String>,
    /// 主要领导签字: who signed and when.
    pub signed_by: Option<PersonRef>,
    /// Signed at.
    pub signed_at: Option<DateTime<Utc>>,
}

/// An earlier dispatch the department returned (退单).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Rejection {
    /// The department.
    pub department: UnitRef,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub by: PersonRef,
    /// Why.
    pub reason: RejectReason,
    /// Details.
    pub note: Option<String>,
}

/// A leader told at once of a major item (直报), and when they acknowledged it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DirectReportInfo {
    /// The leader.
    pub leader: PersonRef,
    /// When they were told.
    pub reported_at: DateTime<Utc>,
    /// When they acknowledged; none yet.
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// Minutes from report to acknowledgement.
    pub minutes_to_acknowledge: Option<i64>,
}

/// The journey part of an item: who holds it, the sheet's department half, and what the viewer may do now.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Journey {
    /// 发单人.
    pub sent_by: Option<PersonRef>,
    /// The current (or last accepted) dispatch.
    pub dispatch: Option<DispatchInfo>,
    /// Earlier dispatches returned by their department.
    pub rejections: Vec<Rejection>,
    /// Photos of the result.
    pub result_photos: Vec<crate::item::Photo>,
    /// The leaders told of a major item.
    pub direct_reports: Vec<DirectReportInfo>,
    /// The resident's rating through their link, and its satisfaction rate.
    pub resident_rating: Option<crate::voice::Rating>,
    /// Whether the current stage is due within a day.
    pub due_soon: bool,
    /// The actions the viewer may take now, in the order to offer them.
    pub actions: Vec<ActionKind>,
    /// Whether the viewer may correct the item's frozen facts (更正, with a reason) now.
    #[serde(default)]
    pub can_correct: bool,
    /// Whether the viewer's department co-handles (协办) the item and may record its part now.
    #[serde(default)]
    pub can_co_handle: bool,
    /// The on-site offices and meetings held on the current dispatch (第七条2), oldest first.
    #[serde(default)]
    pub onsite_records: Vec<crate::onsite::OnsiteRecord>,
    /// Which on-site record the viewer may add now: the department's office, or the street's or community's meeting.
    #[serde(default)]
    pub can_record_onsite: Option<crate::onsite::OnsiteKind>,
    /// A major item: the street leaders' own reports to the city's secretary and mayor (第七条4), oldest first.
    #[serde(default)]
    pub leader_reports: Vec<crate::direct_line::LeaderReport>,
    /// Whether the viewer, a leader of the item's street, may log such a report now (a major item).
    #[serde(default)]
    pub can_log_leader_report: bool,
    /// The supervision office's chases of the item with each unit's answer, oldest first.
    #[serde(default)]
    pub chases: Vec<crate::supervision::ChaseInfo>,
    /// Whether the viewer (the supervision office) may chase the item now: it is open.
    #[serde(default)]
    pub can_chase: bool,
}

/// A major item a leader is told of (直报), for the banner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DirectReport {
    /// The report's id, to acknowledge it.
    pub id: i64,
    /// The item.
    pub item_id: String,
    /// Street / community.
    pub place: String,
    /// 类型.
    pub item_type: ItemType,
    /// The first 60 characters of 收集内容.
    pub summary: String,
    /// When the leader was told.
    pub reported_at: DateTime<Utc>,
    /// When the leader acknowledged; none yet.
    pub acknowledged_at: Option<DateTime<Utc>>,
}

/// One row of a work queue: the review queue, the dispatch board, the department's inbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct QueueRow {
    /// Item id.
    pub id: String,
    /// 序号 in its community's ledger.
    pub seq: i64,
    /// The sheet's number, once sent to the street.
    pub sheet_no: Option<String>,
    /// Street / community / place.
    pub place: String,
    /// 类型.
    pub item_type: ItemType,
    /// 级别.
    pub level: Level,
    /// The stage.
    pub status: ItemStatus,
    /// The first 60 characters of 收集内容.
    pub summary: String,
    /// 收集时间.
    pub collected_at: DateTime<Utc>,
    /// When the current stage is due.
    pub stage_due_at: Option<DateTime<Utc>>,
    /// Past due.
    pub overdue: bool,
    /// Due within a day.
    pub due_soon: bool,
    /// The department holding it.
    pub department: Option<String>,
    /// A department's extension request waits for the street.
    pub extension_pending: bool,
    /// The viewer's department co-handles (协办) this item; another department leads it.
    #[serde(default)]
    pub co_handling: bool,
    /// Ten days have passed since 接单 unsolved (第七条2): the department's head must hold an on-site office.
    #[serde(default)]
    pub past_ten_days: bool,
    /// An on-site office or meeting is recorded on the current dispatch.
    #[serde(default)]
    pub onsite_recorded: bool,
}

/// A department offered in the dispatch picker, with how many items of the type it has handled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DepartmentSuggestion {
    /// The department.
    pub department: UnitRef,
    /// Items of this type it accepted before.
    pub handled: i64,
}
