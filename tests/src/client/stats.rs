//! The figures: 附件3's monthly table, the monthly report (专报), the dashboard and the analysis.

use shared::dashboard::{Analysis, Dashboard};
use shared::journey::VersionOnly;
use shared::stats::{EditReport, Report, ReportSummary, StatsTable};

use super::items::with_query;
use super::Answer;
use crate::TestApp;

impl TestApp {
    /// `GET /api/stats/monthly?{query}`.
    pub async fn monthly_stats(&self, token: &str, query: &str) -> Answer<StatsTable> {
        self.get_as(token, &with_query("/api/stats/monthly", query)).await
    }

    /// `GET /api/reports?{query}`.
    pub async fn reports(&self, token: &str, query: &str) -> Answer<Vec<ReportSummary>> {
        self.get_as(token, &with_query("/api/reports", query)).await
    }

    /// `GET /api/reports/{id}`.
    pub async fn report(&self, token: &str, id: i64) -> Answer<Report> {
        self.get_as(token, &format!("/api/reports/{id}")).await
    }

    /// `POST /api/reports`: the street's report of a month, drafted now (the request body is the backend's own
    /// `GenerateReport`, which is not in `shared`).
    pub async fn generate_report(&self, token: &str, year: i32, month: u32) -> Answer<Report> {
        self.post_as(token, "/api/reports", &serde_json::json!({"year": year, "month": month})).await
    }

    /// `PUT /api/reports/{id}`.
    pub async fn edit_report(&self, token: &str, id: i64, body: &EditReport) -> Answer<Report> {
        self.put_as(token, &format!("/api/reports/{id}"), body).await
    }

    /// `POST /api/reports/{id}/submit`.
    pub async fn submit_report(&self, token: &str, id: i64, version: i64) -> Answer<Report> {
        self.post_as(token, &format!("/api/reports/{id}/submit"), &VersionOnly { version }).await
    }

    /// `GET /api/dashboard?{query}`.
    pub async fn dashboard(&self, token: &str, query: &str) -> Answer<Dashboard> {
        self.get_as(token, &with_query("/api/dashboard", query)).await
    }

    /// `GET /api/analysis?{query}`.
    pub async fn analysis(&self, token: &str, query: &str) -> Answer<Analysis> {
        self.get_as(token, &with_query("/api/analysis", query)).await
    }
}
