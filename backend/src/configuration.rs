//! Settings: defaults, then an optional TOML file (`MINQING_CONFIG`, or `minqing.toml` in the data directory),
//! then `MINQING_*` environment variables. Secrets are never printed.

use std::path::PathBuf;

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

/// Demo mode loads the demo city and its accounts on an empty database; production never does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Demo,
    Production,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Settings {
    /// Address to bind.
    pub host: String,
    /// Port to bind; 0 picks a free one (tests).
    pub port: u16,
    /// Where the SQLite database, the generated JWT secret and (later) uploads live.
    pub data_dir: PathBuf,
    /// `postgres://…` or a SQLite path / `sqlite://path`; empty means `<data_dir>/minqing.db`.
    pub database_url: String,
    /// Pooled connections per instance.
    pub db_pool_size: u32,
    /// SQLite's `synchronous` pragma: FULL (default) survives power loss after an acknowledged write.
    pub sqlite_synchronous: String,
    /// HMAC secret for access tokens. Empty: generated once and kept in `<data_dir>/jwt-secret`.
    /// Several instances must share one: set it explicitly there.
    pub jwt_secret: String,
    /// Minutes an access token lives.
    pub access_token_minutes: i64,
    /// Days a session (its refresh token) lives without use.
    pub refresh_token_days: i64,
    /// The city's time zone, used for every day, week and month boundary.
    pub timezone: String,
    /// The name of the city at the root of the organisation.
    pub city_name: String,
    /// demo or production.
    pub mode: Mode,
    /// Password of every demo account (demo mode only).
    pub demo_password: String,
    /// Password of the first administrator in production mode; empty: a random one, printed once.
    pub admin_password: String,
    /// Failed sign-ins per account in the window before it is throttled.
    pub login_max_failures_per_account: i64,
    /// Failed sign-ins per address in the window before it is throttled.
    pub login_max_failures_per_ip: i64,
    /// The throttling window in minutes.
    pub login_window_minutes: i64,
    /// Trust `X-Forwarded-For` for the client's address (only behind a proxy you run).
    pub trust_proxy: bool,
    /// Log as JSON lines instead of text.
    pub log_json: bool,
    /// The app's address as residents and officials reach it, for links in messages; empty: http://host:port.
    pub public_url: String,
    /// How often the background jobs run (deliver the outbox, send deadline reminders), in milliseconds; 0: never.
    pub jobs_interval_ms: u64,
    /// The first retry of a failed hook delivery waits this many seconds; each further one twice as long (≤ 1 h).
    pub outbox_retry_base_secs: i64,
    /// Requests a client address may make on residents' links per minute (a burst of as many is allowed).
    pub resident_requests_per_minute: u32,
    /// Photos go to this S3-compatible bucket instead of `<data_dir>/photos` when set.
    pub s3_bucket: String,
    /// The S3 endpoint (e.g. a MinIO URL); empty for AWS.
    pub s3_endpoint: String,
    /// The S3 region.
    pub s3_region: String,
    /// S3 credentials; empty to take them from the standard AWS environment variables.
    pub s3_access_key_id: String,
    pub s3_secret_access_key: String,
    /// Serve the web app from this folder (a `cargo xtask dist` output) instead of the one built into the binary;
    /// empty: the built-in one. A new web build can then be deployed without rebuilding the server.
    pub web_dir: String,
    /// Scheduled backups go here (`MINQING_BACKUP_DIR`); none when empty.
    pub backup_dir: String,
    /// A backup is made when the newest is this many hours old (`MINQING_BACKUP_EVERY_HOURS`).
    pub backup_every_hours: u64,
    /// How many scheduled backups are kept (`MINQING_BACKUP_KEEP`).
    pub backup_keep: usize,
    /// The bearer token of `GET /metrics`; empty: only callers on this machine may read them.
    pub metrics_token: String,
    /// Years after an item closes that its resident's name, phone and address are kept (`MINQING_RETENTION_YEARS`).
    pub retention_years: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            host: "127.0.0.1".into(),
            port: 8080,
            data_dir: PathBuf::from("data"),
            database_url: String::new(),
            db_pool_size: 8,
            sqlite_synchronous: "FULL".into(),
            jwt_secret: String::new(),
            access_token_minutes: 15,
            refresh_token_days: 30,
            timezone: "Asia/Shanghai".into(),
            city_name: "梅河口市".into(),
            mode: Mode::Production,
            demo_password: "Minqing2026".into(),
            admin_password: String::new(),
            login_max_failures_per_account: 5,
            login_max_failures_per_ip: 30,
            login_window_minutes: 15,
            trust_proxy: false,
            log_json: false,
            public_url: String::new(),
            jobs_interval_ms: 5000,
            outbox_retry_base_secs: 10,
            resident_requests_per_minute: 60,
            s3_bucket: String::new(),
            s3_endpoint: String::new(),
            s3_region: String::new(),
            s3_access_key_id: String::new(),
            s3_secret_access_key: String::new(),
            web_dir: String::new(),
            backup_dir: String::new(),
            backup_every_hours: 24,
            backup_keep: 14,
            metrics_token: String::new(),
            retention_years: 3,
        }
    }
}

impl Settings {
    /// Reads the settings from the defaults, the optional file and the environment.
    pub fn load() -> anyhow::Result<Settings> {
        let env_data_dir = std::env::var("MINQING_DATA_DIR").ok();
        let file = std::env::var("MINQING_CONFIG")
            .map(PathBuf::from)
            .unwrap_or_else(|_| PathBuf::from(env_data_dir.unwrap_or_else(|| "data".into())).join("minqing.toml"));
        let settings: Settings = Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file(&file))
            .merge(Env::prefixed("MINQING_").ignore(&["config"]))
            .extract()?;
        Ok(settings)
    }

    /// The database URL, defaulting to a SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        if self.database_url.trim().is_empty() {
            self.data_dir.join("minqing.db").to_string_lossy().into_owned()
        } else {
            self.database_url.clone()
        }
    }

    pub fn tz(&self) -> anyhow::Result<chrono_tz::Tz> {
        self.timezone.parse().map_err(|e| anyhow::anyhow!("timezone {:?}: {e}", self.timezone))
    }

    /// The settings as lines for the start-up log, secrets hidden.
    pub fn describe(&self) -> String {
        let hide = |s: &str| {
            if s.is_empty() {
                "(未设置)".to_string()
            } else {
                "******".to_string()
            }
        };
        let db_shown = mask_password(&self.database_url());
        format!(
            "web={} photos={} mode={:?} host={} port={} data_dir={} database={} pool={} sqlite_synchronous={} timezone={} jwt_secret={} access_token_minutes={} refresh_token_days={} trust_proxy={}",
            if self.web_dir.is_empty() { "built-in" } else { &self.web_dir },
            if self.s3_bucket.is_empty() { "local".to_string() } else { format!("s3:{} secret_key={}", self.s3_bucket, hide(&self.s3_secret_access_key)) },
            self.mode,
            self.host,
            self.port,
            self.data_dir.display(),
            db_shown,
            self.db_pool_size,
            self.sqlite_synchronous,
            self.timezone,
            hide(&self.jwt_secret),
            self.access_token_minutes,
            self.refresh_token_days,
            self.trust_proxy
        )
    }
}

/// `postgres://user:password@host/db` → `postgres://user:******@host/db`.
fn mask_password(url: &str) -> String {
    let (Some(scheme_end), Some(at)) = (url.find("://"), url.rfind('@')) else {
        return url.to_string();
    };
    let userinfo = &url[scheme_end + 3..at];
    match userinfo.find(':') {
        Some(colon) if at > scheme_end => {
            format!("{}{}:******{}", &url[..scheme_end + 3], &userinfo[..colon], &url[at..])
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_hides_secrets() {
        let s = Settings {
            jwt_secret: "topsecret".into(),
            database_url: "postgres://app:hunter2@db:5432/minqing".into(),
            ..Settings::default()
        };
        let text = s.describe();
        assert!(!text.contains("topsecret"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(text.contains("postgres://app:******@db:5432/minqing"), "{text}");
    }

    #[test]
    fn default_database_is_sqlite_in_data_dir() {
        let s = Settings::default();
        assert!(s.database_url().ends_with("minqing.db"));
        assert_eq!(s.tz().unwrap(), chrono_tz::Asia::Shanghai);
    }
}
