//! The routines that raise items: visits (走访) and their targets, meetings (民生会议) and receptions (定点接待).

use shared::channels::{
    BuildingLeader, GridDay, Meeting, MeetingMonth, NewMeeting, NewReception, NewReceptionPlan, NewVisit,
    NewVisitTarget, Reception, ReceptionHost, ReceptionPlan, ReceptionSchedule, StationCoverage, UpdateVisitTarget,
    Visit, VisitTarget,
};

use super::items::with_query;
use super::Answer;
use crate::TestApp;

impl TestApp {
    /// `GET /api/visit-targets?{query}`.
    pub async fn visit_targets(&self, token: &str, query: &str) -> Answer<Vec<VisitTarget>> {
        self.get_as(token, &with_query("/api/visit-targets", query)).await
    }

    /// `POST /api/visit-targets`: 201.
    pub async fn add_visit_target(&self, token: &str, body: &NewVisitTarget) -> Answer<VisitTarget> {
        self.post_as(token, "/api/visit-targets", body).await
    }

    /// `PATCH /api/visit-targets/{id}`.
    pub async fn update_visit_target(&self, token: &str, id: i64, body: &UpdateVisitTarget) -> Answer<VisitTarget> {
        self.patch_as(token, &format!("/api/visit-targets/{id}"), body).await
    }

    /// `POST /api/visits`: 201, or 200 for the same record again.
    pub async fn record_visit(&self, token: &str, body: &NewVisit) -> Answer<Visit> {
        self.post_as(token, "/api/visits", body).await
    }

    /// `GET /api/visits/day?{query}`.
    pub async fn visit_day(&self, token: &str, query: &str) -> Answer<GridDay> {
        self.get_as(token, &with_query("/api/visits/day", query)).await
    }

    /// `GET /api/visits/coverage?{query}`.
    pub async fn visit_coverage(&self, token: &str, query: &str) -> Answer<StationCoverage> {
        self.get_as(token, &with_query("/api/visits/coverage", query)).await
    }

    /// `GET /api/building-leaders?{query}`.
    pub async fn building_leaders(&self, token: &str, query: &str) -> Answer<Vec<BuildingLeader>> {
        self.get_as(token, &with_query("/api/building-leaders", query)).await
    }

    /// `POST /api/meetings`: 201, or 200 for the same record again.
    pub async fn record_meeting(&self, token: &str, body: &NewMeeting) -> Answer<Meeting> {
        self.post_as(token, "/api/meetings", body).await
    }

    /// `GET /api/meetings/{id}`.
    pub async fn meeting(&self, token: &str, id: &str) -> Answer<Meeting> {
        self.get_as(token, &format!("/api/meetings/{id}")).await
    }

    /// `GET /api/meetings?{query}`: a month's meetings by station.
    pub async fn meetings(&self, token: &str, query: &str) -> Answer<MeetingMonth> {
        self.get_as(token, &with_query("/api/meetings", query)).await
    }

    /// `POST /api/reception-plans`: 201.
    pub async fn add_reception_plan(&self, token: &str, body: &NewReceptionPlan) -> Answer<ReceptionPlan> {
        self.post_as(token, "/api/reception-plans", body).await
    }

    /// `GET /api/receptions/hosts?{query}`.
    pub async fn reception_hosts(&self, token: &str, query: &str) -> Answer<Vec<ReceptionHost>> {
        self.get_as(token, &with_query("/api/receptions/hosts", query)).await
    }

    /// `GET /api/receptions/schedule?{query}`.
    pub async fn reception_schedule(&self, token: &str, query: &str) -> Answer<ReceptionSchedule> {
        self.get_as(token, &with_query("/api/receptions/schedule", query)).await
    }

    /// `POST /api/receptions`: 201, or 200 for the same record again.
    pub async fn record_reception(&self, token: &str, body: &NewReception) -> Answer<Reception> {
        self.post_as(token, "/api/receptions", body).await
    }

    /// `GET /api/receptions/{id}`.
    pub async fn reception(&self, token: &str, id: &str) -> Answer<Reception> {
        self.get_as(token, &format!("/api/receptions/{id}")).await
    }
}
