//! Day 10 (第七条2): the on-site office (现场办公) a department holds on an item it has not solved within ten days
//! of 接单, and the on-site meeting (现场办公会) a street or community convenes with the department and residents'
//! representatives. A 返单 after day 10, and any 无法办结, needs one of these records on the dispatch.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::dto::UnitRef;
use crate::error::{ApiError, Problem};
use crate::item::PersonRef;

labelled_enum! {
    /// Who held it.
    OnsiteKind {
        /// The department's on-site office, led by its head (部门现场办公).
        DepartmentOffice = "department_office", "部门现场办公";
        /// The street's or community's on-site meeting with the department and residents' representatives (现场办公会).
        StreetMeeting = "street_meeting", "街道社区现场办公会";
    }
}

/// The role a street meeting must have among its attendees (第七条2: 协调相关部门、居民代表).
pub const RESIDENT_REPRESENTATIVE: &str = "居民代表";

/// Roles offered in the form; any other role may be typed.
pub const ATTENDEE_ROLES: &[&str] =
    &["部门主要领导", "部门承办人", "街道领导", "社区书记", "网格长", RESIDENT_REPRESENTATIVE, "物业代表"];

/// One person who attended, with their role (e.g. 部门主要领导, 居民代表).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OnsiteAttendee {
    /// Name (1–30 characters).
    pub name: String,
    /// Role or unit (1–30 characters).
    pub role: String,
}

/// `POST /api/items/{id}/onsite-records`: record an on-site office (the department handling the item) or an on-site
/// meeting (the item's street or community). Which one follows from the account's role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewOnsiteRecord {
    /// When it was held: not in the future, not before the department accepted the item.
    pub held_at: DateTime<Utc>,
    /// Where (1–100 characters).
    pub place: String,
    /// Who attended (1–30 people); a street meeting includes a 居民代表.
    pub attendees: Vec<OnsiteAttendee>,
    /// What was found (问题症结, 1–1000 characters).
    pub findings: String,
    /// The measures agreed (解决措施, 1–1000 characters).
    pub measures: String,
}

fn length_problem(field: &str, label: &str, text: &str, max: usize) -> Option<Problem> {
    let n = text.trim().chars().count();
    let message = if n == 0 {
        format!("请填写{label}")
    } else if n > max {
        format!("{label}不能超过{max}个字")
    } else {
        return None;
    };
    Some(problem(field, message))
}

fn problem(field: &str, message: impl Into<String>) -> Problem {
    Problem { sheet: None, row: None, column: None, field: Some(field.into()), message: message.into() }
}

impl NewOnsiteRecord {
    /// What is missing or too long, field by field (the app checks before sending; the server checks again).
    pub fn problems(&self, kind: OnsiteKind) -> Vec<Problem> {
        let mut out: Vec<Problem> = [
            length_problem("place", "地点", &self.place, 100),
            length_problem("findings", "掌握的问题症结", &self.findings, 1000),
            length_problem("measures", "研究商议的解决措施", &self.measures, 1000),
        ]
        .into_iter()
        .flatten()
        .collect();
        if self.attendees.is_empty() {
            out.push(problem("attendees", "请填写参加人员"));
        }
        if self.attendees.len() > 30 {
            out.push(problem("attendees", "参加人员最多30人"));
        }
        for (i, a) in self.attendees.iter().enumerate() {
            out.extend(length_problem(&format!("attendees[{i}].name"), "姓名", &a.name, 30));
            out.extend(length_problem(&format!("attendees[{i}].role"), "职务或身份", &a.role, 30));
        }
        let has_representative = self.attendees.iter().any(|a| a.role.trim() == RESIDENT_REPRESENTATIVE);
        if kind == OnsiteKind::StreetMeeting && !self.attendees.is_empty() && !has_representative {
            out.push(problem("attendees", "现场办公会须有居民代表参加（第七条2）"));
        }
        out
    }

    /// The problems as one 422 answer, or none.
    pub fn check(&self, kind: OnsiteKind) -> Result<(), ApiError> {
        ApiError::from_problems(self.problems(kind)).map_or(Ok(()), Err)
    }
}

/// An on-site office or meeting recorded on an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OnsiteRecord {
    /// Id.
    pub id: i64,
    /// The department's on-site office or the street's meeting.
    pub kind: OnsiteKind,
    /// The unit that held it.
    pub unit: UnitRef,
    /// When it was held.
    pub held_at: DateTime<Utc>,
    /// Where.
    pub place: String,
    /// Who attended.
    pub attendees: Vec<OnsiteAttendee>,
    /// 掌握的问题症结.
    pub findings: String,
    /// 研究商议的解决措施.
    pub measures: String,
    /// Who recorded it.
    pub recorded_by: PersonRef,
    /// When it was recorded (the server's time).
    pub recorded_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(roles: &[&str]) -> NewOnsiteRecord {
        NewOnsiteRecord {
            held_at: Utc::now(),
            place: "幸福小区3号楼".into(),
            attendees: roles.iter().map(|r| OnsiteAttendee { name: "王明".into(), role: (*r).into() }).collect(),
            findings: "主管道老化渗漏。".into(),
            measures: "本周五前更换主管道。".into(),
        }
    }

    #[test]
    fn a_street_meeting_needs_a_residents_representative() {
        assert!(record(&["部门主要领导"]).check(OnsiteKind::DepartmentOffice).is_ok());
        let e = record(&["部门主要领导"]).check(OnsiteKind::StreetMeeting).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("attendees"));
        assert!(record(&["部门主要领导", "居民代表"]).check(OnsiteKind::StreetMeeting).is_ok());
    }

    #[test]
    fn every_missing_field_is_named() {
        let mut r = record(&[]);
        r.place = " ".into();
        r.findings.clear();
        let fields: Vec<_> = r.problems(OnsiteKind::DepartmentOffice).into_iter().filter_map(|p| p.field).collect();
        assert_eq!(fields, ["place", "findings", "attendees"]);
        let mut r = record(&["居民代表"]);
        r.attendees[0].name = "".into();
        let e = r.check(OnsiteKind::StreetMeeting).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("attendees[0].name"));
        assert_eq!(e.message, "请填写姓名");
    }
}
