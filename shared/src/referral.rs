//! 移交纪检监察 (第八条′): the supervision office hands a unit, or one of its items, to the discipline inspection
//! and supervision commission; the referral keeps its status as the commission reports back, and one printable
//! dossier holds the evidence: the unit's record, and each item's facts, history, chases and replies.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::dto::UnitRef;
use crate::error::Problem;
use crate::item::{Item, ItemEvent, PersonRef};
use crate::supervision::UnitRecord;

/// A referral's reason and a status note are at most this many characters.
pub const REFERRAL_TEXT_MAX: usize = 2000;

labelled_enum! {
    /// Where a referral stands, as the commission reports back.
    ReferralStatus {
        /// 已移交: handed over, not yet taken up.
        Referred = "referred", "已移交";
        /// 已受理: the commission took it up.
        Accepted = "accepted", "已受理";
        /// 核查中: being looked into.
        Investigating = "investigating", "核查中";
        /// 已办结: concluded, with the commission's finding in the note.
        Concluded = "concluded", "已办结";
    }
}

impl ReferralStatus {
    /// Whether the referral may move from this status to `next`: forward only, and not past 已办结.
    pub fn may_become(self, next: ReferralStatus) -> bool {
        self != ReferralStatus::Concluded && next > self
    }
}

/// `POST /api/referrals`: refer a unit, or one item of a unit, to 纪检监察.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewReferral {
    /// The unit referred (a community, street or department).
    pub unit_id: i64,
    /// One item of the unit; the unit's whole record when absent.
    #[serde(default)]
    pub item_id: Option<String>,
    /// Why (the facts: overdue, chases unanswered, 推诿扯皮…), 5–2000 characters.
    pub reason: String,
}

impl NewReferral {
    /// What is missing or too long, field by field.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        let reason = self.reason.trim().chars().count();
        if reason < 5 {
            out.push(Problem::on("reason", "请写明移交理由（至少5个字）"));
        } else if reason > REFERRAL_TEXT_MAX {
            out.push(Problem::on("reason", format!("移交理由最多{REFERRAL_TEXT_MAX}个字")));
        }
        if self.item_id.as_deref().is_some_and(|i| i.trim().is_empty()) {
            out.push(Problem::on("item_id", "事项编号不能为空"));
        }
        out
    }
}

/// `POST /api/referrals/{id}/status`: what the commission reported back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReferralUpdate {
    /// The new status: later than the current one.
    pub status: ReferralStatus,
    /// What the commission said (required when concluded: its finding), at most 2000 characters.
    #[serde(default)]
    pub note: String,
}

impl ReferralUpdate {
    /// What is missing or too long, field by field.
    pub fn problems(&self) -> Vec<Problem> {
        let note = self.note.trim().chars().count();
        let mut out = Vec::new();
        if self.status == ReferralStatus::Concluded && note < 2 {
            out.push(Problem::on("note", "办结时请写明纪检监察的处理结果"));
        }
        if note > REFERRAL_TEXT_MAX {
            out.push(Problem::on("note", format!("情况说明最多{REFERRAL_TEXT_MAX}个字")));
        }
        out
    }
}

/// One step of a referral's history: the status it reached, when, by whom, with what note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReferralStep {
    /// The status reached.
    pub status: ReferralStatus,
    /// The note (the reason for the first step).
    pub note: String,
    /// When it was recorded.
    pub at: DateTime<Utc>,
    /// Who recorded it.
    pub by: PersonRef,
}

/// A referral with its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Referral {
    /// Id.
    pub id: i64,
    /// The unit referred.
    pub unit: UnitRef,
    /// The item referred, when one was.
    pub item_id: Option<String>,
    /// Why.
    pub reason: String,
    /// Where it stands.
    pub status: ReferralStatus,
    /// Referred by.
    pub referred_by: PersonRef,
    /// Referred at.
    pub referred_at: DateTime<Utc>,
    /// Every step, oldest first (the referral itself first).
    pub steps: Vec<ReferralStep>,
}

/// One item's evidence in a dossier: its facts (the journey's chases and replies included) and its whole history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DossierItem {
    /// The item as its evidence page shows it.
    pub item: Item,
    /// Its history, oldest first.
    pub events: Vec<ItemEvent>,
}

/// `GET /api/referrals/{id}/dossier`: everything the commission receives, in one printable document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Dossier {
    /// The referral.
    pub referral: Referral,
    /// The unit's supervision record now.
    pub record: UnitRecord,
    /// The items: the one referred, or the unit's overdue, chased and returned (退单) items of the last 90 days.
    pub items: Vec<DossierItem>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_referral_moves_forward_only_and_stops_when_concluded() {
        use ReferralStatus::*;
        assert!(Referred.may_become(Accepted));
        assert!(Referred.may_become(Concluded));
        assert!(Investigating.may_become(Concluded));
        assert!(!Accepted.may_become(Referred));
        assert!(!Accepted.may_become(Accepted));
        assert!(!Concluded.may_become(Concluded));
    }

    #[test]
    fn a_referral_needs_a_reason_and_a_conclusion_needs_the_finding() {
        let r = NewReferral { unit_id: 1, item_id: None, reason: "超期".into() };
        assert_eq!(r.problems()[0].field.as_deref(), Some("reason"));
        let r = NewReferral { unit_id: 1, item_id: Some(" ".into()), reason: "多次催办未回复".into() };
        assert_eq!(r.problems()[0].field.as_deref(), Some("item_id"));
        let u = ReferralUpdate { status: ReferralStatus::Concluded, note: String::new() };
        assert_eq!(u.problems()[0].field.as_deref(), Some("note"));
        assert!(ReferralUpdate { status: ReferralStatus::Accepted, note: String::new() }.problems().is_empty());
    }
}
