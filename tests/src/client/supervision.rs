//! Supervision (第八条′): the overdue queue, chase notices and each unit's record.

use shared::supervision::{Chase, OverdueItem, UnitRecord};

use super::{Answer, NoContent};
use crate::TestApp;

impl TestApp {
    /// `GET /api/supervision/overdue`.
    pub async fn overdue(&self, token: &str) -> Answer<Vec<OverdueItem>> {
        self.get_as(token, "/api/supervision/overdue").await
    }

    /// `POST /api/items/{id}/chase`: 204.
    pub async fn chase(&self, token: &str, id: &str, body: &Chase) -> Answer<NoContent> {
        self.post_as(token, &format!("/api/items/{id}/chase"), body).await
    }

    /// `GET /api/supervision/units`.
    pub async fn unit_records(&self, token: &str) -> Answer<Vec<UnitRecord>> {
        self.get_as(token, "/api/supervision/units").await
    }
}
