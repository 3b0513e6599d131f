//! Residents' personal information (《个人信息保护法》): a resident's name, phone and address on items are kept for a
//! stated period after the item closes (`retention_years`, three by default) and then masked in place; the city's
//! administrator finds a resident's items by phone number to answer a request, exports them, or masks them at once.
//! Every lookup, export and masking is written to the audit trail.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::item::ItemStatus;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;
#[cfg(feature = "validate")]
use validator::Validate;

/// What a masked resident name reads.
pub const MASKED_NAME: &str = "（已隐去）";

/// One item that holds a resident's information, as the administrator sees it to answer a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ResidentItem {
    /// The item.
    pub id: String,
    /// Its place, e.g. 新华街道 / 和平社区 / … / 3号楼.
    pub place: String,
    /// 收集时间.
    pub collected_at: DateTime<Utc>,
    /// 收集内容.
    pub content: String,
    /// 居民姓名.
    pub resident_name: Option<String>,
    /// 联系电话.
    pub resident_phone: Option<String>,
    /// 地址.
    pub address: Option<String>,
    /// Its stage.
    pub status: ItemStatus,
    /// When it closed, if it has.
    pub closed_at: Option<DateTime<Utc>>,
    /// When the retention period ends and the information is masked (closed items only).
    pub keep_until: Option<DateTime<Utc>>,
}

/// `GET /api/residents?phone=`: the items holding this phone number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ResidentData {
    /// The phone number asked about, normalised (11 digits).
    pub phone: String,
    /// The items, newest first.
    pub items: Vec<ResidentItem>,
    /// How many years after closure the information is kept.
    pub retention_years: i64,
}

/// `POST /api/residents/mask`: masks the name, phone and address on every item of this phone number now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(Validate))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MaskResident {
    /// 联系电话.
    #[cfg_attr(feature = "validate", validate(custom(function = "crate::validate::rules::phone")))]
    pub phone: String,
    /// Why (e.g. 居民本人申请删除, with the request's date).
    #[cfg_attr(feature = "validate", validate(custom(function = "crate::validate::rules::reason")))]
    pub reason: String,
}

/// What a masking did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Masked {
    /// Items masked.
    pub items: i64,
}
