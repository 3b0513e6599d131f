//! What every handler can reach: the database, the settings, the token keys, the clock, the city's time zone, the
//! photo storage and the HTTP client for hooks.

use std::sync::Arc;

use crate::auth::JwtKeys;
use crate::clock::Clock;
use crate::configuration::Settings;
use crate::db::Db;
use crate::storage::Storage;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub keys: JwtKeys,
    pub clock: Clock,
    pub tz: chrono_tz::Tz,
    pub storage: Storage,
    /// For delivering messages to hooks.
    pub http: reqwest::Client,
    /// Requests on residents' links, per client address.
    pub resident_limiter: std::sync::Arc<governor::DefaultKeyedRateLimiter<String>>,
}

impl AppState {
    /// Where links in messages point.
    pub fn links(&self) -> crate::notify::Links {
        let base = if self.settings.public_url.trim().is_empty() {
            format!("http://{}:{}", self.settings.host, self.settings.port)
        } else {
            self.settings.public_url.trim().to_string()
        };
        crate::notify::Links { base, tz: self.tz }
    }
}
