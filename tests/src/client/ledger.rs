//! The lists: the ledger, the work queues, the dispatch picker's suggestions and the direct line's reports.

use shared::item::LedgerPage;
use shared::journey::{DepartmentSuggestion, DirectReport, QueueRow};

use super::items::with_query;
use super::Answer;
use crate::TestApp;

impl TestApp {
    /// `GET /api/ledger?{query}` (`query` may be empty).
    pub async fn ledger(&self, token: &str, query: &str) -> Answer<LedgerPage> {
        self.get_as(token, &with_query("/api/ledger", query)).await
    }

    /// `GET /api/queue?{query}`: the review queue, the dispatch board, the department's inbox.
    pub async fn queue(&self, token: &str, query: &str) -> Answer<Vec<QueueRow>> {
        self.get_as(token, &with_query("/api/queue", query)).await
    }

    /// `GET /api/departments/suggest?{query}`.
    pub async fn suggest_departments(&self, token: &str, query: &str) -> Answer<Vec<DepartmentSuggestion>> {
        self.get_as(token, &with_query("/api/departments/suggest", query)).await
    }

    /// `GET /api/direct-reports?{query}`: the major items a leader is told of.
    pub async fn direct_reports(&self, token: &str, query: &str) -> Answer<Vec<DirectReport>> {
        self.get_as(token, &with_query("/api/direct-reports", query)).await
    }

    /// `POST /api/direct-reports/{id}/acknowledge`.
    pub async fn acknowledge(&self, token: &str, id: i64) -> Answer<DirectReport> {
        self.post_as(token, &format!("/api/direct-reports/{id}/acknowledge"), &serde_json::json!({})).await
    }
}
