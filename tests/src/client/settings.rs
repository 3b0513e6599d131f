//! Settings: the clocks (calendar or working days), the holiday table, and the notification hooks.

use shared::journey::{ClockSettings, Holiday, HolidayYear, Hook, NewHook, UpdateHook};

use super::Answer;
use crate::TestApp;

impl TestApp {
    /// `GET /api/settings/clock`.
    pub async fn clock_settings(&self, token: &str) -> Answer<ClockSettings> {
        self.get_as(token, "/api/settings/clock").await
    }

    /// `PUT /api/settings/clock`.
    pub async fn set_clock_settings(&self, token: &str, body: &ClockSettings) -> Answer<ClockSettings> {
        self.put_as(token, "/api/settings/clock", body).await
    }

    /// `GET /api/holidays?year={year}`.
    pub async fn holidays(&self, token: &str, year: i32) -> Answer<Vec<Holiday>> {
        self.get_as(token, &format!("/api/holidays?year={year}")).await
    }

    /// `PUT /api/holidays/{year}`.
    pub async fn set_holidays(&self, token: &str, year: i32, body: &HolidayYear) -> Answer<Vec<Holiday>> {
        self.put_as(token, &format!("/api/holidays/{year}"), body).await
    }

    /// `GET /api/hooks`.
    pub async fn hooks(&self, token: &str) -> Answer<Vec<Hook>> {
        self.get_as(token, "/api/hooks").await
    }

    /// `POST /api/hooks`.
    pub async fn create_hook(&self, token: &str, body: &NewHook) -> Answer<Hook> {
        self.post_as(token, "/api/hooks", body).await
    }

    /// `PATCH /api/hooks/{id}`.
    pub async fn update_hook(&self, token: &str, id: i64, body: &UpdateHook) -> Answer<Hook> {
        self.patch_as(token, &format!("/api/hooks/{id}"), body).await
    }
}
