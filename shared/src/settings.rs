//! The city's settings of the journey: how the clocks count days (calendar or working days, with the holiday table
//! and its 调休 make-up working days), and the notification hooks (WeCom, DingTalk, webhooks) of the city, the
//! streets and the departments.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
#[cfg(feature = "validate")]
use validator::Validate;

use crate::dto::UnitRef;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

labelled_enum! {
    /// Where a notification hook delivers.
    HookKind {
        /// 企业微信 group robot (`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`).
        Wecom = "wecom", "企业微信群机器人";
        /// 钉钉 group robot, signed with its secret (加签).
        Dingtalk = "dingtalk", "钉钉群机器人";
        /// Any URL that takes a JSON POST.
        Webhook = "webhook", "通用Webhook";
    }
}

/// A day of the holiday table: a public holiday (休) or a make-up working day (调休上班).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Holiday {
    /// The date.
    pub day: NaiveDate,
    /// True for a make-up working day (a weekend worked), false for a day off.
    pub workday: bool,
    /// e.g. 国庆节.
    pub name: String,
}

/// The clocks' settings and one year of the holiday table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ClockSettings {
    /// Count limits in working days (skipping weekends and holidays, counting 调休 days) instead of calendar days.
    pub working_days: bool,
}

/// `PUT /api/holidays/{year}`: the year's table, replacing what was there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct HolidayYear {
    /// The days, all within the year.
    pub days: Vec<Holiday>,
}

/// A notification hook of a place (the city, a street, a department).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Hook {
    /// Id.
    pub id: i64,
    /// Whose hook: the city's leaders, a street's, a department's.
    pub unit: UnitRef,
    /// Kind.
    pub kind: HookKind,
    /// The URL.
    pub url: String,
    /// Whether a signing secret is stored (never shown).
    pub has_secret: bool,
    /// Enabled.
    pub active: bool,
    /// Messages waiting to be delivered.
    pub pending: i64,
    /// The last delivery error, if the oldest waiting message failed.
    pub last_error: Option<String>,
}

/// `POST /api/hooks`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(Validate))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewHook {
    /// The city, a street or a department.
    pub unit_id: i64,
    /// Kind.
    pub kind: HookKind,
    /// The URL (http or https).
    #[cfg_attr(
        feature = "validate",
        validate(url(message = "请填写正确的网址"), length(max = 500, message = "网址过长"))
    )]
    pub url: String,
    /// The DingTalk signing secret (SEC…), optional.
    #[cfg_attr(feature = "validate", validate(length(max = 200, message = "密钥过长")))]
    pub secret: Option<String>,
}

/// `PATCH /api/hooks/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UpdateHook {
    /// Enable or disable.
    pub active: bool,
}
