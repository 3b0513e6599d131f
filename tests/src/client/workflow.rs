//! The journey's actions on an item (第七条, 第八条): each answers the item as it now stands.

use shared::direct_line::NewLeaderReport;
use shared::item::{Item, SendToStreet, SolveLocally, TellResident};
use shared::journey::{
    CoHandling, DecideExtension, Dispatch, HeadSign, Reject, RequestExtension, ReturnSheet, VersionOnly,
};
use shared::onsite::{NewOnsiteRecord, OnsiteAttendee};
use shared::voice::SendBack;

use super::Answer;
use crate::TestApp;

impl TestApp {
    async fn action<B: serde::Serialize>(&self, token: &str, id: &str, action: &str, body: &B) -> Answer<Item> {
        self.post_as(token, &format!("/api/items/{id}/{action}"), body).await
    }

    /// `POST /api/items/{id}/onsite-records` (现场办公记录, 现场办公会).
    pub async fn record_onsite(&self, token: &str, id: &str, body: &NewOnsiteRecord) -> Answer<Item> {
        self.action(token, id, "onsite-records", body).await
    }

    /// `POST /api/items/{id}/leader-reports` (街道领导直报).
    pub async fn log_leader_report(&self, token: &str, id: &str, body: &NewLeaderReport) -> Answer<Item> {
        self.action(token, id, "leader-reports", body).await
    }

    /// The department's on-site office held now (第七条2), recorded by `token`.
    pub async fn hold_onsite_office(&self, token: &str, id: &str) -> Item {
        self.record_onsite(token, id, &onsite_office(self.state.clock.now())).await.with_status(200)
    }

    /// `POST /api/items/{id}/co-handling` (协办情况).
    pub async fn co_handling(&self, token: &str, id: &str, body: &CoHandling) -> Answer<Item> {
        self.action(token, id, "co-handling", body).await
    }

    /// `POST /api/items/{id}/solve-locally` (社区办结).
    pub async fn solve_locally(&self, token: &str, id: &str, body: &SolveLocally) -> Answer<Item> {
        self.action(token, id, "solve-locally", body).await
    }

    /// `POST /api/items/{id}/send-to-street` (报送街道).
    pub async fn send_to_street(&self, token: &str, id: &str, body: &SendToStreet) -> Answer<Item> {
        self.action(token, id, "send-to-street", body).await
    }

    /// `POST /api/items/{id}/tell-resident` (反馈居民).
    pub async fn tell_resident(&self, token: &str, id: &str, body: &TellResident) -> Answer<Item> {
        self.action(token, id, "tell-resident", body).await
    }

    /// `POST /api/items/{id}/dispatch` (派单).
    pub async fn dispatch(&self, token: &str, id: &str, body: &Dispatch) -> Answer<Item> {
        self.action(token, id, "dispatch", body).await
    }

    /// `POST /api/items/{id}/accept` (接单).
    pub async fn accept(&self, token: &str, id: &str, version: i64) -> Answer<Item> {
        self.action(token, id, "accept", &VersionOnly { version }).await
    }

    /// `POST /api/items/{id}/reject` (退单).
    pub async fn reject(&self, token: &str, id: &str, body: &Reject) -> Answer<Item> {
        self.action(token, id, "reject", body).await
    }

    /// `POST /api/items/{id}/request-extension` (申请延期).
    pub async fn request_extension(&self, token: &str, id: &str, body: &RequestExtension) -> Answer<Item> {
        self.action(token, id, "request-extension", body).await
    }

    /// `POST /api/items/{id}/decide-extension` (审批延期).
    pub async fn decide_extension(&self, token: &str, id: &str, body: &DecideExtension) -> Answer<Item> {
        self.action(token, id, "decide-extension", body).await
    }

    /// `POST /api/items/{id}/return-sheet` (返单).
    pub async fn return_sheet(&self, token: &str, id: &str, body: &ReturnSheet) -> Answer<Item> {
        self.action(token, id, "return-sheet", body).await
    }

    /// `POST /api/items/{id}/head-sign` (领导签字, or sent back).
    pub async fn head_sign(&self, token: &str, id: &str, body: &HeadSign) -> Answer<Item> {
        self.action(token, id, "head-sign", body).await
    }

    /// `POST /api/items/{id}/send-back` (退回部门重办).
    pub async fn send_back(&self, token: &str, id: &str, body: &SendBack) -> Answer<Item> {
        self.action(token, id, "send-back", body).await
    }
}

/// A sheet returned solved within the 10 days: only the result; the on-site office fields empty.
pub fn solved_sheet(version: i64, result: &str) -> ReturnSheet {
    ReturnSheet {
        version,
        solved: true,
        result: result.into(),
        solved_at: None,
        onsite: None,
        measures_clear: None,
        measures: None,
        unsolved_reason: None,
        countermeasures: None,
        photo_ids: Vec::new(),
    }
}

/// An on-site office or meeting held at `at`: the department's head and a residents' representative attended.
pub fn onsite_office(at: chrono::DateTime<chrono::Utc>) -> NewOnsiteRecord {
    NewOnsiteRecord {
        held_at: at,
        place: "和平社区3号楼前".into(),
        attendees: vec![
            OnsiteAttendee { name: "李局长".into(), role: "部门主要领导".into() },
            OnsiteAttendee { name: "王大姐".into(), role: "居民代表".into() },
        ],
        findings: "主管道老化，楼道渗水。".into(),
        measures: "联合物业更换主管道。".into(),
    }
}

/// A dispatch to one department, no co-handlers.
pub fn dispatch_to(version: i64, department_id: i64) -> Dispatch {
    Dispatch { version, department_id, co_department_ids: Vec::new() }
}
