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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ClockSettings {
    /// Count limits in working days (skipping weekends and holidays, counting 调休 days) instead of calendar days.
    pub working_days: bool,
    /// The clocks the city sets itself (本市规定). Always in answers; in `PUT`, absent leaves them as they are.
    #[serde(default)]
    pub city: Option<CityClocks>,
}

/// The clocks the regulation does not set, which the city sets itself (本市规定, shown so on screen): how long the
/// street may take to dispatch a sheet, a department to accept (接单) or return it, a department head to sign an
/// unsolvable sheet, the follow-up of a dissatisfied answer; and how fast a major item (第四条: 需马上解决办理) must move at the community and at the street,
/// in hours. The regulation's own clocks (3, 5, +5, 10 and 2 days) are not settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(default)]
pub struct CityClocks {
    /// 街道派单时限 (days, 1–10).
    pub street_dispatch_days: u8,
    /// 部门接单时限 (days, 1–10).
    pub accept_days: u8,
    /// 部门主要领导签字时限 (days, 1–10).
    pub signoff_days: u8,
    /// A major item's time at the community, from capture to the street (hours, 1–72).
    pub major_community_hours: u16,
    /// A major item's time at the street, to dispatch (hours, 1–72).
    pub major_street_hours: u16,
    /// 跟踪整改时限: a dissatisfied answer's follow-up, its four steps done (days, 1–30; 第六条′ says only 及时).
    pub follow_up_days: u8,
    /// 催办回复时限: a chased unit answers within this many days, or it is escalated to its head (1–10).
    pub chase_reply_days: u8,
}

impl Default for CityClocks {
    fn default() -> Self {
        CityClocks {
            street_dispatch_days: 1,
            accept_days: 1,
            signoff_days: 1,
            major_community_hours: 12,
            major_street_hours: 4,
            follow_up_days: 5,
            chase_reply_days: 1,
        }
    }
}

/// Where the current stage's clock comes from, as the app labels it: the regulation (制度规定, with its article) or
/// the city's own rule (本市规定). None when the stage has no clock.
pub fn clock_source(status: crate::item::ItemStatus, level: crate::Level) -> Option<&'static str> {
    use crate::item::ItemStatus::*;
    let major = level == crate::Level::Major;
    Some(match status {
        Collected if major => "本市规定（重大事项需马上解决，第四条）",
        Collected => "制度规定：社区3日内（第七条1）",
        AtStreet => "本市规定（制度未设街道派单时限）",
        Dispatched => "本市规定（制度未设接单时限）",
        InProgress => "制度规定：接单后5日，延期5日（第七条1）",
        AwaitingSignoff => "本市规定（制度未设签字时限）",
        Solved | Unsolved => "制度规定：2日内反馈居民（第八条）",
        Closed => return None,
    })
}

impl CityClocks {
    /// Values out of range, field by field (in Chinese).
    pub fn problems(&self) -> Vec<crate::Problem> {
        let mut out = Vec::new();
        let mut check = |field: &str, label: &str, value: u16, max: u16, unit: &str| {
            if value == 0 || value > max {
                out.push(crate::Problem {
                    sheet: None,
                    row: None,
                    column: None,
                    field: Some(format!("city.{field}")),
                    message: format!("{label}须在1至{max}{unit}之间"),
                });
            }
        };
        check("street_dispatch_days", "街道派单时限", self.street_dispatch_days.into(), 10, "天");
        check("accept_days", "部门接单时限", self.accept_days.into(), 10, "天");
        check("signoff_days", "部门主要领导签字时限", self.signoff_days.into(), 10, "天");
        check("major_community_hours", "重大事项社区时限", self.major_community_hours, 72, "小时");
        check("major_street_hours", "重大事项街道派单时限", self.major_street_hours, 72, "小时");
        check("follow_up_days", "跟踪整改时限", self.follow_up_days.into(), 30, "天");
        check("chase_reply_days", "催办回复时限", self.chase_reply_days.into(), 10, "天");
        out
    }
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

#[cfg(test)]
mod clock_tests {
    use super::*;

    #[test]
    fn city_clocks_out_of_range_are_named() {
        assert!(CityClocks::default().problems().is_empty());
        let bad = CityClocks { accept_days: 0, major_street_hours: 73, ..CityClocks::default() };
        let fields: Vec<_> = bad.problems().into_iter().filter_map(|p| p.field).collect();
        assert_eq!(fields, ["city.accept_days", "city.major_street_hours"]);
    }

    #[test]
    fn each_clock_says_whose_rule_it_is() {
        use crate::item::ItemStatus;
        use crate::Level;
        let source = |s, l| clock_source(s, l).unwrap_or_default();
        assert!(source(ItemStatus::Collected, Level::General).contains("第七条1"));
        assert!(source(ItemStatus::Collected, Level::Major).starts_with("本市规定"));
        for city in [ItemStatus::AtStreet, ItemStatus::Dispatched, ItemStatus::AwaitingSignoff] {
            assert!(source(city, Level::General).starts_with("本市规定"), "{city:?}");
        }
        assert!(source(ItemStatus::Solved, Level::General).contains("第八条"));
        assert_eq!(clock_source(ItemStatus::Closed, Level::General), None);
    }
}
