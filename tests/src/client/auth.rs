//! Signing in and out, refreshing, the signed-in account and its password; and the server's readiness.

use shared::dto::{ChangePasswordRequest, Health, LoginRequest, Me, RefreshRequest, TokenResponse};

use super::{Answer, NoContent};
use crate::TestApp;

impl TestApp {
    /// `POST /api/auth/login`.
    pub async fn sign_in(&self, login: &str, password: &str) -> Answer<TokenResponse> {
        let body = LoginRequest { login: login.into(), password: password.into() };
        self.post(None, "/api/auth/login", &body).await.into()
    }

    /// `POST /api/auth/refresh`.
    pub async fn refresh(&self, refresh_token: &str) -> Answer<TokenResponse> {
        self.post(None, "/api/auth/refresh", &RefreshRequest { refresh_token: refresh_token.into() }).await.into()
    }

    /// `POST /api/auth/logout`: 204; ends the token's session.
    pub async fn logout(&self, token: &str) -> Answer<NoContent> {
        self.post_as(token, "/api/auth/logout", &serde_json::json!({})).await
    }

    /// `GET /api/me`.
    pub async fn me(&self, token: &str) -> Answer<Me> {
        self.get_as(token, "/api/me").await
    }

    /// `POST /api/me/password`: 204.
    pub async fn change_password(&self, token: &str, current: &str, new: &str) -> Answer<NoContent> {
        let body = ChangePasswordRequest { current_password: current.into(), new_password: new.into() };
        self.post_as(token, "/api/me/password", &body).await
    }

    /// `GET /readyz`: 200 with the engine when the database answers, 503 when it does not.
    pub async fn readiness(&self) -> Answer<Health> {
        self.get(None, "/readyz").await.into()
    }
}
