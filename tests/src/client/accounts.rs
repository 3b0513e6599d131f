//! Accounts as administrators manage them.

use shared::dto::{Account, CreateAccount, ResetPassword, UpdateAccount};

use super::items::with_query;
use super::{Answer, NoContent};
use crate::TestApp;

impl TestApp {
    /// `GET /api/accounts?{query}`.
    pub async fn accounts(&self, token: &str, query: &str) -> Answer<Vec<Account>> {
        self.get_as(token, &with_query("/api/accounts", query)).await
    }

    /// `GET /api/accounts/{id}`.
    pub async fn account(&self, token: &str, id: i64) -> Answer<Account> {
        self.get_as(token, &format!("/api/accounts/{id}")).await
    }

    /// `POST /api/accounts`: 201.
    pub async fn create_account(&self, token: &str, body: &CreateAccount) -> Answer<Account> {
        self.post_as(token, "/api/accounts", body).await
    }

    /// `PATCH /api/accounts/{id}`.
    pub async fn update_account(&self, token: &str, id: i64, body: &UpdateAccount) -> Answer<Account> {
        self.patch_as(token, &format!("/api/accounts/{id}"), body).await
    }

    /// `POST /api/accounts/{id}/reset-password`: 204.
    pub async fn reset_password(&self, token: &str, id: i64, new_password: &str) -> Answer<NoContent> {
        let body = ResetPassword { new_password: new_password.into() };
        self.post_as(token, &format!("/api/accounts/{id}/reset-password"), &body).await
    }
}
