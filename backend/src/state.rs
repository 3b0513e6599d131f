//! What every handler can reach: the database, the settings, the token keys, the clock and the city's time zone.

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
}
