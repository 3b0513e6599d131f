//! The city's organisation: places, read and maintained, and the workbook that imports places and accounts.

use shared::dto::{CreateOrgUnit, ImportSummary, OrgUnit, UpdateOrgUnit};

use super::items::with_query;
use super::Answer;
use crate::TestApp;

impl TestApp {
    /// `GET /api/org/units?{query}`.
    pub async fn org_units(&self, token: &str, query: &str) -> Answer<Vec<OrgUnit>> {
        self.get_as(token, &with_query("/api/org/units", query)).await
    }

    /// `GET /api/org/units/{id}`.
    pub async fn org_unit(&self, token: &str, id: i64) -> Answer<OrgUnit> {
        self.get_as(token, &format!("/api/org/units/{id}")).await
    }

    /// `POST /api/org/units`: 201.
    pub async fn create_org_unit(&self, token: &str, body: &CreateOrgUnit) -> Answer<OrgUnit> {
        self.post_as(token, "/api/org/units", body).await
    }

    /// `PATCH /api/org/units/{id}`.
    pub async fn update_org_unit(&self, token: &str, id: i64, body: &UpdateOrgUnit) -> Answer<OrgUnit> {
        self.patch_as(token, &format!("/api/org/units/{id}"), body).await
    }

    /// `POST /api/import`: a workbook (or whatever `content_type` says) of places, departments and accounts.
    pub async fn import_workbook(&self, token: &str, bytes: Vec<u8>, content_type: &str) -> Answer<ImportSummary> {
        self.post_bytes(token, "/api/import", bytes, content_type).await.into()
    }
}
