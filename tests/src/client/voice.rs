//! Residents' voice: the outcome link and the resident's page and rating, follow-ups, and the weekly evaluation.

use shared::voice::{AddFollowUpStep, EvalRound, FollowUp, Rate, ResidentLink, ResidentView, SatisfactionReport};

use super::items::with_query;
use super::Answer;
use crate::TestApp;

impl TestApp {
    /// `POST /api/items/{id}/resident-link`: a new link for the resident (replacing the last).
    pub async fn resident_link(&self, token: &str, id: &str) -> Answer<ResidentLink> {
        self.post_as(token, &format!("/api/items/{id}/resident-link"), &serde_json::json!({})).await
    }

    /// `GET /api/r/{link}`: the resident's page, without an account.
    pub async fn resident_view(&self, link: &str) -> Answer<ResidentView> {
        self.get(None, &format!("/api/r/{link}")).await.into()
    }

    /// `PUT /api/r/{link}/rating`: the resident's rating, without an account.
    pub async fn rate_as_resident(&self, link: &str, body: &Rate) -> Answer<ResidentView> {
        self.put(None, &format!("/api/r/{link}/rating"), body).await.into()
    }

    /// `GET /api/follow-ups?{query}`.
    pub async fn follow_ups(&self, token: &str, query: &str) -> Answer<Vec<FollowUp>> {
        self.get_as(token, &with_query("/api/follow-ups", query)).await
    }

    /// `POST /api/follow-ups/{id}/steps`.
    pub async fn add_follow_up_step(&self, token: &str, id: i64, body: &AddFollowUpStep) -> Answer<FollowUp> {
        self.post_as(token, &format!("/api/follow-ups/{id}/steps"), body).await
    }

    /// `GET /api/evaluation/rounds`: the rounds the account rates.
    pub async fn eval_rounds(&self, token: &str) -> Answer<Vec<EvalRound>> {
        self.get_as(token, "/api/evaluation/rounds").await
    }

    /// `PUT /api/evaluation/rounds/{id}/rating`.
    pub async fn rate_round(&self, token: &str, id: i64, body: &Rate) -> Answer<EvalRound> {
        self.put_as(token, &format!("/api/evaluation/rounds/{id}/rating"), body).await
    }

    /// `GET /api/evaluation/results?{query}`.
    pub async fn evaluation_results(&self, token: &str, query: &str) -> Answer<SatisfactionReport> {
        self.get_as(token, &with_query("/api/evaluation/results", query)).await
    }
}
