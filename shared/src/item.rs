//! The item (民情事项): what a resident raised, where, through which channel, and its ledger fields (附件1);
//! its photos and its history of events.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "validate")]
use validator::Validate;

use crate::domain::{Channel, ItemType, Level, OrgKind, Outcome};
use crate::dto::UnitRef;
#[cfg(feature = "validate")]
use crate::validate::rules;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// The most photos one item may carry.
pub const MAX_PHOTOS_PER_ITEM: usize = 9;
/// The largest photo file accepted, in bytes (the app shrinks photos to well under this before upload).
pub const MAX_PHOTO_BYTES: usize = 10 * 1024 * 1024;
/// The longest 收集内容, in characters.
pub const MAX_CONTENT_CHARS: usize = 2000;

labelled_enum! {
    /// Where within a channel an item came from: the station's hotline, mailbox or opinion wall (电话信箱), a visit or
    /// the grid's WeChat group (微信走访).
    ChannelSource {
        /// 民生服务热线.
        Hotline = "hotline", "民生服务热线";
        /// 民意收集箱.
        Mailbox = "mailbox", "民意收集箱";
        /// 民意墙.
        OpinionWall = "opinion_wall", "民意墙";
        /// 入户走访.
        Visit = "visit", "入户走访";
        /// 网格微信群.
        WechatGroup = "wechat_group", "网格微信群";
    }
}

impl ChannelSource {
    /// The channel this source belongs to.
    pub fn channel(self) -> Channel {
        match self {
            ChannelSource::Hotline | ChannelSource::Mailbox | ChannelSource::OpinionWall => Channel::PhoneMailbox,
            ChannelSource::Visit | ChannelSource::WechatGroup => Channel::WechatVisit,
        }
    }
}

labelled_enum! {
    /// Where an item stands. Later stages (dispatch, department, feedback) are added by the workflow.
    ItemStatus {
        /// Registered in the community's ledger, awaiting the community's review (clock: 3 days).
        Collected = "collected", "待社区研判";
        /// The community sent the sheet 《民情速递处置反馈单》 to its street, which dispatches it to a department
        /// (also after a department returned it, 退单).
        AtStreet = "at_street", "待街道派单";
        /// Dispatched (派单) to a department, which accepts (接单) or returns it (退单).
        Dispatched = "dispatched", "待部门接单";
        /// Accepted; the department is handling it (clock: 5 days, 10 with an approved extension).
        InProgress = "in_progress", "部门办理中";
        /// The department found it unsolvable after coordination; its head signs the sheet (主要领导签字).
        AwaitingSignoff = "awaiting_signoff", "待部门领导签字";
        /// Solved; the resident is to be told the result (clock: 2 days, 第八条).
        Solved = "solved", "已办结待反馈";
        /// Returned unsolvable with the reason and countermeasures; the resident is to be told (clock: 2 days).
        Unsolved = "unsolved", "无法办结待反馈";
        /// Solved and the resident told.
        Closed = "closed", "已反馈居民";
    }
}

labelled_enum! {
    /// How the resident was told the result (第八条).
    FeedbackMethod {
        /// 电话.
        Phone = "phone", "电话";
        /// 上门.
        Visit = "visit", "上门";
        /// 微信.
        Wechat = "wechat", "微信";
    }
}

/// `POST /api/items/{id}/solve-locally`: the community solved the item itself (街道社区办结).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(Validate))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SolveLocally {
    /// The version last read.
    pub version: i64,
    /// How it was solved (办理结果), for the resident and the ledger.
    #[cfg_attr(feature = "validate", validate(custom(function = "rules::result")))]
    pub result: String,
}

/// `POST /api/items/{id}/send-to-street`: the community fills the sheet 《民情速递处置反馈单》 and sends it to its street.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(Validate))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SendToStreet {
    /// The version last read.
    pub version: i64,
    /// The department the community proposes (交办责任单位或部门), optional: the street decides.
    pub department_id: Option<i64>,
}

/// `POST /api/items/{id}/tell-resident`: the resident was told the result (第八条).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(Validate))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TellResident {
    /// The version last read.
    pub version: i64,
    /// How.
    pub how: FeedbackMethod,
    /// What the resident said, optional.
    #[cfg_attr(feature = "validate", validate(length(max = 500, message = "备注不能超过500个字")))]
    pub note: Option<String>,
}

/// `POST /api/items`: a new item. The id is made on the phone, so a retried create finds the item already made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(Validate))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CreateItem {
    /// A UUID made by the client.
    pub id: String,
    /// When the concern was raised; now when absent. Not in the future.
    pub collected_at: Option<DateTime<Utc>>,
    /// 收集方式.
    pub channel: Channel,
    /// Where within the channel (hotline, mailbox, opinion wall, visit, WeChat group), when known.
    pub source: Option<ChannelSource>,
    /// 类型.
    pub item_type: ItemType,
    /// 级别.
    pub level: Level,
    /// The place: a building, grid, station or community within the collector's scope.
    pub place_id: i64,
    /// Address text (door number, compound), optional.
    #[cfg_attr(feature = "validate", validate(length(max = 200, message = "地址不能超过200个字")))]
    pub address: Option<String>,
    /// GPS latitude, optional.
    #[cfg_attr(feature = "validate", validate(range(min = -90.0, max = 90.0, message = "纬度应在-90到90之间")))]
    pub latitude: Option<f64>,
    /// GPS longitude, optional.
    #[cfg_attr(feature = "validate", validate(range(min = -180.0, max = 180.0, message = "经度应在-180到180之间")))]
    pub longitude: Option<f64>,
    /// GPS accuracy in metres, optional.
    #[cfg_attr(feature = "validate", validate(range(min = 0.0, max = 100000.0, message = "定位精度不正确")))]
    pub gps_accuracy_m: Option<f64>,
    /// The resident's name, optional.
    #[cfg_attr(feature = "validate", validate(length(max = 40, message = "居民姓名不能超过40个字")))]
    pub resident_name: Option<String>,
    /// The resident's mobile number, optional.
    #[cfg_attr(feature = "validate", validate(custom(function = "rules::phone")))]
    pub resident_phone: Option<String>,
    /// Whether the resident agreed to be called back.
    #[serde(default)]
    pub callback_consent: bool,
    /// 收集内容: what the resident said.
    #[cfg_attr(feature = "validate", validate(custom(function = "rules::content")))]
    pub content: String,
    /// Photos uploaded beforehand through `POST /api/photos`, attached in the same transaction as the item.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = 9, message = "每条民情最多9张照片")))]
    pub photo_ids: Vec<String>,
    /// The visit it was raised at (channel 微信走访), optional.
    #[serde(default)]
    pub visit_id: Option<String>,
    /// The meeting it was raised at (channel 民生会议), optional.
    #[serde(default)]
    pub meeting_id: Option<String>,
    /// The reception it was raised at (channel 定点接待), optional.
    #[serde(default)]
    pub reception_id: Option<String>,
    /// The building leader (楼长) who reported it, credited with the collector; set by itself when a building leader
    /// registers it.
    #[serde(default)]
    pub building_leader_id: Option<i64>,
    /// Solved on the spot at the meeting or reception: how (办理结果). The item is registered as 街道社区办结.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = 2000, message = "办理结果不能超过2000个字")))]
    pub solved_on_spot: Option<String>,
}

/// `POST /api/items/{id}/correct`: a correction of the facts after the community acted on the item (they are frozen
/// then): by the community secretary or the street, with a reason, recorded as 更正 in the history, shown on the
/// evidence page and counted on the supervision office's unit records. Absent fields stay; at least one must change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(Validate))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CorrectItem {
    /// The version last read; a stale one is refused with 409.
    pub version: i64,
    /// Why the facts are corrected (更正理由).
    #[cfg_attr(feature = "validate", validate(custom(function = "rules::reason")))]
    pub reason: String,
    /// 类型.
    pub item_type: Option<ItemType>,
    /// 级别.
    pub level: Option<Level>,
    /// The place, within the item's community.
    pub place_id: Option<i64>,
    /// 收集内容.
    #[cfg_attr(feature = "validate", validate(custom(function = "rules::content")))]
    pub content: Option<String>,
}

/// `PATCH /api/items/{id}`: an edit while the community has not yet acted on the item. After that, content, type,
/// level and place are frozen (see `CorrectItem`), and a closed item takes no edits. Absent fields stay; `version`
/// must be the one last read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(Validate))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UpdateItem {
    /// The version the correction is based on; a stale one is refused with 409.
    pub version: i64,
    /// 类型.
    pub item_type: Option<ItemType>,
    /// 级别.
    pub level: Option<Level>,
    /// Where within the channel.
    pub source: Option<ChannelSource>,
    /// The place.
    pub place_id: Option<i64>,
    /// Address text.
    #[cfg_attr(feature = "validate", validate(length(max = 200, message = "地址不能超过200个字")))]
    pub address: Option<String>,
    /// The resident's name.
    #[cfg_attr(feature = "validate", validate(length(max = 40, message = "居民姓名不能超过40个字")))]
    pub resident_name: Option<String>,
    /// The resident's mobile number; an empty string removes it.
    pub resident_phone: Option<String>,
    /// Consent to be called back.
    pub callback_consent: Option<bool>,
    /// 收集内容.
    #[cfg_attr(feature = "validate", validate(custom(function = "rules::content")))]
    pub content: Option<String>,
}

/// A person, briefly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PersonRef {
    /// Account id.
    pub id: i64,
    /// Name.
    pub name: String,
}

/// A stored photo. The URLs carry a short-lived signature, so they work in an `<img>` without a header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Photo {
    /// Its id (made by the client).
    pub id: String,
    /// Width in pixels after re-encoding.
    pub width: u32,
    /// Height in pixels after re-encoding.
    pub height: u32,
    /// The photo (JPEG, metadata removed).
    pub url: String,
    /// A small version for lists.
    pub thumb_url: String,
}

/// The ledger's 是否办结 … 反馈人 columns (附件1); empty until the workflow reaches them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LedgerFields {
    /// 是否办结.
    pub closed: bool,
    /// 办结时间.
    pub closed_at: Option<DateTime<Utc>>,
    /// 办结情况.
    pub outcome: Option<Outcome>,
    /// 是否向居民反馈结果.
    pub resident_told: bool,
    /// 反馈时间.
    pub told_at: Option<DateTime<Utc>>,
    /// 反馈人.
    pub told_by: Option<String>,
}

/// An item as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Item {
    /// Its id (UUID).
    pub id: String,
    /// 序号: its number in its community's ledger.
    pub seq: i64,
    /// The community whose ledger holds it.
    pub community: UnitRef,
    /// The place it concerns (building, grid, station or community).
    pub place: UnitRef,
    /// 收集时间.
    pub collected_at: DateTime<Utc>,
    /// 收集人.
    pub collector: PersonRef,
    /// 收集方式.
    pub channel: Channel,
    /// Where within the channel.
    pub source: Option<ChannelSource>,
    /// 类型.
    pub item_type: ItemType,
    /// 级别.
    pub level: Level,
    /// Where it stands.
    pub status: ItemStatus,
    /// Address text.
    pub address: Option<String>,
    /// GPS latitude.
    pub latitude: Option<f64>,
    /// GPS longitude.
    pub longitude: Option<f64>,
    /// GPS accuracy in metres.
    pub gps_accuracy_m: Option<f64>,
    /// The resident's name.
    pub resident_name: Option<String>,
    /// The resident's phone: in full for roles that call residents back, otherwise masked (138****5678).
    pub resident_phone: Option<String>,
    /// Whether the resident agreed to be called back.
    pub callback_consent: bool,
    /// 收集内容.
    pub content: String,
    /// Photos.
    pub photos: Vec<Photo>,
    /// The ledger's closing and feedback columns.
    pub ledger: LedgerFields,
    /// How it was solved (办理结果), once solved.
    pub result: Option<String>,
    /// The sheet's number (新华街道2026001) once sent to the street.
    pub sheet_no: Option<String>,
    /// When the sheet was sent (发单时间).
    pub sent_at: Option<DateTime<Utc>>,
    /// The department the community proposed.
    pub proposed_department: Option<UnitRef>,
    /// The department holding it now (交办责任单位或部门), from dispatch until returned (退单) or closed.
    pub department: Option<UnitRef>,
    /// Dispatch, returns, sign-off, the direct line, and the actions the viewer may take now.
    pub journey: crate::journey::Journey,
    /// The visit, meeting or reception it was raised at and the building leader credited.
    #[serde(default)]
    pub origin: crate::channels::ItemOrigin,
    /// When the current stage is due (none once closed).
    pub stage_due_at: Option<DateTime<Utc>>,
    /// Whether the current stage is past its due time.
    pub overdue: bool,
    /// Incremented by every change; send it back with a correction.
    pub version: i64,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl Item {
    /// Whether its 收集时间 was noted before it reached the server (captured offline, or entered later): the noted
    /// time is kept for the record and shown as noted; every clock starts when it arrived (`created_at`).
    pub fn noted_before_arrival(&self) -> bool {
        self.created_at - self.collected_at >= chrono::Duration::minutes(NOTED_OFFLINE_MINUTES)
    }
}

/// A 收集时间 this many minutes or more before the item reached the server is shown as noted offline.
pub const NOTED_OFFLINE_MINUTES: i64 = 10;

/// One row of the ledger 《民情直通车台账》 (附件1), in its column order, plus what a list needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LedgerRow {
    /// Item id.
    pub id: String,
    /// 序号.
    pub seq: i64,
    /// 收集时间.
    pub collected_at: DateTime<Utc>,
    /// 收集人.
    pub collector: String,
    /// 收集方式.
    pub channel: Channel,
    /// Where within the channel.
    pub source: Option<ChannelSource>,
    /// 类型.
    pub item_type: ItemType,
    /// 级别.
    pub level: Level,
    /// 是否办结 … 反馈人.
    pub ledger: LedgerFields,
    /// Where it stands.
    pub status: ItemStatus,
    /// The community.
    pub community: String,
    /// The place, from the street down.
    pub place: String,
    /// The first 60 characters of 收集内容.
    pub summary: String,
    /// Photos attached.
    pub photo_count: i64,
    /// When the current stage is due (none once closed).
    pub stage_due_at: Option<DateTime<Utc>>,
    /// Whether the current stage is past its due time.
    pub overdue: bool,
}

/// A page of the ledger (or of my items), newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LedgerPage {
    /// The rows.
    pub rows: Vec<LedgerRow>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
    /// How many items match the filters.
    pub total: i64,
}

/// A changed field in an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FieldChange {
    /// The field's name, e.g. "level".
    pub field: String,
    /// Its Chinese label, e.g. "级别".
    pub label: String,
    /// Before, as shown to people.
    pub before: Option<String>,
    /// After, as shown to people.
    pub after: Option<String>,
}

/// One event of an item's history. Events are only ever added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ItemEvent {
    /// Event id.
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: PersonRef,
    /// What kind: "created", "updated", …
    pub kind: String,
    /// Its Chinese label.
    pub label: String,
    /// The fields changed, before → after.
    pub changes: Vec<FieldChange>,
}

/// What `POST /api/photos` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UploadedPhoto {
    /// The photo's id, to list in `CreateItem::photo_ids`.
    pub id: String,
    /// Width after re-encoding.
    pub width: u32,
    /// Height after re-encoding.
    pub height: u32,
    /// Bytes stored.
    pub bytes: i64,
    /// A signed link to the thumbnail, for the capture form.
    pub thumb_url: String,
}

/// Masks a phone number for people who need not call the resident: 13812345678 → 138****5678.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 7 {
        return "****".into();
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}****{tail}")
}

/// The kinds of place an item may be registered at.
pub const ITEM_PLACE_KINDS: &[OrgKind] = &[OrgKind::Community, OrgKind::Station, OrgKind::Grid, OrgKind::Building];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_phones() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("123"), "****");
    }

    #[test]
    fn sources_belong_to_their_channel() {
        assert_eq!(ChannelSource::OpinionWall.channel(), Channel::PhoneMailbox);
        assert_eq!(ChannelSource::WechatGroup.channel(), Channel::WechatVisit);
    }
}
