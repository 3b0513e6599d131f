//! The street leaders' own direct reports of a major item (第七条4): the 街道党工委书记 or 办事处主任 reports to the
//! 市委书记 and the 市长 at once by phone, WeChat, SMS or in person, and logs on the item how, to whom and when.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::error::Problem;
use crate::item::PersonRef;

labelled_enum! {
    /// How the report was made (第七条4).
    ReportChannel {
        /// 电话.
        Phone = "phone", "电话";
        /// 微信.
        Wechat = "wechat", "微信";
        /// 短信.
        Sms = "sms", "短信";
        /// 当面报告.
        InPerson = "in_person", "当面报告";
    }
}

/// `POST /api/items/{id}/leader-reports`: a street leader logs the report they made on a major item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewLeaderReport {
    /// How.
    pub how: ReportChannel,
    /// To whom, e.g. 市委书记 or 市长 with the name (1–50 characters).
    pub to_whom: String,
    /// When the report was made: not in the future, not before the item was captured.
    pub reported_at: DateTime<Utc>,
    /// What was said or decided, optional (at most 500 characters).
    #[serde(default)]
    pub note: Option<String>,
}

impl NewLeaderReport {
    /// What is missing or too long, field by field.
    pub fn problems(&self) -> Vec<Problem> {
        let problem = |field: &str, message: &str| Problem {
            sheet: None,
            row: None,
            column: None,
            field: Some(field.into()),
            message: message.into(),
        };
        let mut out = Vec::new();
        match self.to_whom.trim().chars().count() {
            0 => out.push(problem("to_whom", "请填写向谁报告，如：市委书记")),
            n if n > 50 => out.push(problem("to_whom", "报告对象不能超过50个字")),
            _ => {}
        }
        if self.note.as_deref().is_some_and(|n| n.trim().chars().count() > 500) {
            out.push(problem("note", "报告内容不能超过500个字"));
        }
        out
    }
}

/// A logged report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LeaderReport {
    /// Id.
    pub id: i64,
    /// How.
    pub how: ReportChannel,
    /// To whom.
    pub to_whom: String,
    /// When it was made.
    pub reported_at: DateTime<Utc>,
    /// What was said or decided.
    pub note: Option<String>,
    /// The street leader who made it.
    pub by: PersonRef,
    /// When it was logged (the server's time).
    pub recorded_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_whom_is_required_and_bounded() {
        let r = NewLeaderReport { how: ReportChannel::Phone, to_whom: " ".into(), reported_at: Utc::now(), note: None };
        assert_eq!(r.problems()[0].field.as_deref(), Some("to_whom"));
        let r = NewLeaderReport { to_whom: "市委书记".into(), note: Some("字".repeat(501)), ..r };
        assert_eq!(r.problems().len(), 1);
        assert_eq!(r.problems()[0].field.as_deref(), Some("note"));
    }
}
