//! Test harness shared by the API and browser suites: `spawn_app()` starts a real server on a free port over a
//! fresh database — a temp SQLite file, or (with `MINQING_TEST_BACKEND=postgres`) a new PostgreSQL database created
//! from `MINQING_TEST_POSTGRES_URL` and dropped afterwards — with the demo city loaded.
//!
//! No test runs on the real date. Every server starts its clock on a named day: the test's own (`spawn_app_at`), or
//! else the run's (`MINQING_TEST_START`, which the calendar sweep of `cargo xtask test` sets to hard days), or else
//! `DEFAULT_START`.
//!
//! Tests speak to the server through the typed client (`client`: a method per endpoint, taking and answering the
//! `shared` DTOs), or through the untyped `get`/`post`/… and `Reply` when they send what no DTO can express.

pub mod client;
pub mod hook_server;

pub use client::{Answer, NoContent};

use backend::clock::Clock;
use backend::configuration::{Mode, Settings};
use backend::startup::Application;
use backend::state::AppState;
use chrono::{DateTime, TimeZone, Utc};
use diesel::{Connection, PgConnection, RunQueryDsl};
use serde::Serialize;
use serde_json::Value;

/// The demo accounts' password in tests.
pub const DEMO_PASSWORD: &str = "Test2026pass";
/// The token secret in tests, so tests can forge and tamper with tokens.
pub const JWT_SECRET: &str = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz";

pub struct TestApp {
    /// e.g. `http://127.0.0.1:41234`
    pub address: String,
    pub demo_password: String,
    pub client: reqwest::Client,
    /// The server's state: its clock can be moved, its database queried.
    pub state: AppState,
    server: Option<(actix_web::dev::ServerHandle, std::thread::JoinHandle<()>)>,
    /// The settings it was started with (its data directory and database).
    pub settings: Settings,
    /// The test's database, dropped after the server stops; None for a second instance on another's database.
    _db: Option<TestDb>,
}

enum TestDb {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String, _dir: tempfile::TempDir },
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres { admin_url, name, .. } = self {
            if let Ok(mut conn) = PgConnection::establish(admin_url) {
                let _ =
                    diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).execute(&mut conn);
            }
        }
    }
}

/// Which engine this run of the suite uses.
pub fn backend_name() -> String {
    std::env::var("MINQING_TEST_BACKEND").unwrap_or_else(|_| "sqlite".into())
}

fn with_database(url: &str, name: &str) -> String {
    let scheme_end = url.find("://").map_or(0, |i| i + 3);
    let (base, query) = match url.find('?') {
        Some(q) => (&url[..q], &url[q..]),
        None => (url, ""),
    };
    match base[scheme_end..].find('/') {
        Some(slash) => format!("{}/{name}{query}", &base[..scheme_end + slash]),
        None => format!("{base}/{name}{query}"),
    }
}

/// The day a test server starts on when neither the test nor the run names one: an ordinary Wednesday in the middle
/// of a week and of a month, 10:00 city time.
pub const DEFAULT_START: &str = "2026-11-18T10:00:00+08:00";
/// The variable that starts every server of a run on another day (RFC 3339, e.g. `2026-12-01T00:00:30+08:00`).
pub const START_ENV: &str = "MINQING_TEST_START";

/// When this run's servers start: `MINQING_TEST_START`, or `DEFAULT_START`.
pub fn run_start() -> DateTime<Utc> {
    let named = std::env::var(START_ENV).ok().filter(|s| !s.trim().is_empty());
    let text = named.as_deref().unwrap_or(DEFAULT_START);
    DateTime::parse_from_rfc3339(text.trim())
        .unwrap_or_else(|e| panic!("{START_ENV}={text:?} is not an RFC 3339 time such as {DEFAULT_START}: {e}"))
        .with_timezone(&Utc)
}

/// A wall-clock time in the city (Asia/Shanghai, UTC+8 all year), as an instant.
pub fn city_time(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    chrono::FixedOffset::east_opt(8 * 3600)
        .and_then(|tz| tz.with_ymd_and_hms(y, m, d, h, min, 0).single())
        .unwrap_or_else(|| panic!("{y}-{m}-{d} {h}:{min} is not a time"))
        .with_timezone(&Utc)
}

/// A server over a fresh database whose clock starts at this run's start (see `run_start`).
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// A server whose clock starts at `at`, for a test written on a named day of the calendar.
pub async fn spawn_app_at(at: DateTime<Utc>) -> TestApp {
    spawn_app_at_with(at, |_| {}).await
}

/// Like `spawn_app_at`, after letting the test adjust the settings.
pub async fn spawn_app_at_with(at: DateTime<Utc>, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_with_clock(Clock::starting_at(at), adjust).await
}

/// Like `spawn_app`, after letting the test adjust the settings.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_with_clock(Clock::starting_at(run_start()), adjust).await
}

/// A fresh, empty place for a server's data: a temp data directory and, on PostgreSQL, a new database (dropped when
/// the place is).
pub struct Place {
    pub database_url: String,
    pub data_dir: std::path::PathBuf,
    db: TestDb,
}

/// An empty place on this run's engine.
pub async fn empty_place() -> Place {
    let dir = tempfile::tempdir().expect("temp dir");
    let data_dir = dir.path().to_path_buf();
    let (database_url, db) = if backend_name() == "postgres" {
        let admin_url = std::env::var("MINQING_TEST_POSTGRES_URL")
            .expect("MINQING_TEST_BACKEND=postgres needs MINQING_TEST_POSTGRES_URL");
        let name = format!("minqing_t_{}", uuid::Uuid::new_v4().simple());
        let (a, n) = (admin_url.clone(), name.clone());
        tokio::task::spawn_blocking(move || {
            let mut conn = PgConnection::establish(&a).expect("connect to MINQING_TEST_POSTGRES_URL");
            diesel::sql_query(format!("CREATE DATABASE \"{n}\"")).execute(&mut conn).expect("create test database");
        })
        .await
        .expect("create database task");
        (with_database(&admin_url, &name), TestDb::Postgres { admin_url, name, _dir: dir })
    } else {
        let url = dir.path().join("test.db").to_string_lossy().into_owned();
        (url, TestDb::Sqlite(dir))
    };
    Place { database_url, data_dir, db }
}

/// The settings of a test server over `place`.
pub fn settings_for(place: &Place) -> Settings {
    Settings {
        port: 0,
        data_dir: place.data_dir.clone(),
        database_url: place.database_url.clone(),
        db_pool_size: 4,
        jwt_secret: JWT_SECRET.into(),
        mode: Mode::Demo,
        demo_password: DEMO_PASSWORD.into(),
        // Background jobs run only in the tests that ask for them (or call `backend::jobs::run_once`).
        jobs_interval_ms: 0,
        ..Settings::default()
    }
}

/// Starts a server over `place` (one that holds data, a restored one say) on a clock starting at `at`.
pub async fn start_on(place: Place, at: DateTime<Utc>, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let mut settings = settings_for(&place);
    adjust(&mut settings);
    start(settings, Clock::starting_at(at), Some(place.db)).await
}

async fn spawn_with_clock(clock: Clock, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let place = empty_place().await;
    let mut settings = settings_for(&place);
    adjust(&mut settings);
    start(settings, clock, Some(place.db)).await
}

/// Starts a server with these settings and this clock on a database that exists.
async fn start(settings: Settings, clock: Clock, db: Option<TestDb>) -> TestApp {
    let for_app = settings.clone();
    // The server runs on a thread of its own, so it can be stopped and joined when the test ends: no thread may still
    // hold a database connection when the test process exits (libpq's teardown at exit crashes if one does).
    let (tx, rx) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            match Application::build_with_clock(for_app, clock).await {
                Ok(app) => {
                    let _ = tx.send(Ok((app.port(), app.state(), app.handle())));
                    let _ = app.run_until_stopped().await;
                }
                Err(e) => {
                    let _ = tx.send(Err(e.to_string()));
                }
            }
        })
    });
    let (port, state, handle) = tokio::task::spawn_blocking(move || rx.recv())
        .await
        .expect("start task")
        .expect("server thread")
        .expect("build application");
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        demo_password: DEMO_PASSWORD.into(),
        client: reqwest::Client::builder().build().expect("client"),
        state,
        server: Some((handle, thread)),
        settings,
        _db: db,
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A response read whole: status and JSON body (Null when the body is not JSON). The typed client's `Answer` is
/// one of these that knows the DTO of its successful body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

impl Reply {
    /// The error code of an error reply.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }
}

impl TestApp {
    /// Stops this server and starts a new one on the same database and files (a restart: its clock goes on from
    /// where this one's was).
    pub async fn restart(mut self) -> TestApp {
        self.stop();
        let db = self._db.take();
        start(self.settings.clone(), self.state.clock.clone(), db).await
    }

    /// Another instance of the backend on the same database, as in a city-wide deployment, reading the same clock
    /// (moving either moves both).
    pub async fn another_instance(&self) -> TestApp {
        start(self.settings.clone(), self.state.clock.clone(), None).await
    }

    fn stop(&mut self) {
        if let Some((handle, thread)) = self.server.take() {
            // Stop is sent at once; the server's own thread processes it, stops the workers and ends.
            drop(handle.stop(false));
            let _ = thread.join();
        }
    }

    /// Moves the server's clock to `at`, forward or back: for a test that walks through the days of a calendar (a
    /// week that starts on a Monday, the last minutes of a month). A test written on one named day starts there
    /// instead (`spawn_app_at`), so that the demo data is made on that day too.
    pub fn set_time(&self, at: chrono::DateTime<chrono::Utc>) {
        let now = self.state.clock.now();
        self.state.clock.advance(at - now);
    }

    pub async fn put<B: Serialize>(&self, token: Option<&str>, path: &str, body: &B) -> Reply {
        let mut req = self.client.put(self.url(path)).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        Self::read(req.send().await.expect("request")).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    async fn read(resp: reqwest::Response) -> Reply {
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap_or_default();
        Reply { status, body: serde_json::from_str(&text).unwrap_or(Value::Null) }
    }

    /// `POST /api/auth/login`, untyped (see `sign_in` for the typed answer).
    pub async fn login(&self, login: &str, password: &str) -> Reply {
        let body = shared::dto::LoginRequest { login: login.into(), password: password.into() };
        self.post(None, "/api/auth/login", &body).await
    }

    /// Signs a demo account in and returns its access token.
    pub async fn token(&self, username: &str) -> String {
        let r = self.sign_in(username, &self.demo_password).await;
        assert_eq!(r.status, 200, "login {username}: {:?}", r.body);
        r.ok().access_token
    }

    pub async fn get(&self, token: Option<&str>, path: &str) -> Reply {
        let mut req = self.client.get(self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        Self::read(req.send().await.expect("request")).await
    }

    pub async fn post<B: Serialize>(&self, token: Option<&str>, path: &str, body: &B) -> Reply {
        let mut req = self.client.post(self.url(path)).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        Self::read(req.send().await.expect("request")).await
    }

    pub async fn patch<B: Serialize>(&self, token: Option<&str>, path: &str, body: &B) -> Reply {
        let mut req = self.client.patch(self.url(path)).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        Self::read(req.send().await.expect("request")).await
    }

    /// A DELETE; answers the status.
    pub async fn delete(&self, token: Option<&str>, path: &str) -> u16 {
        let mut req = self.client.delete(self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.expect("request").status().as_u16()
    }

    pub async fn post_bytes(&self, token: &str, path: &str, bytes: Vec<u8>, content_type: &str) -> Reply {
        let resp = self
            .client
            .post(self.url(path))
            .bearer_auth(token)
            .header("Content-Type", content_type)
            .body(bytes)
            .send()
            .await
            .expect("request");
        Self::read(resp).await
    }

    /// Uploads a photo as multipart (part `file`) with the given client id.
    pub async fn upload_photo(&self, token: &str, id: &str, bytes: Vec<u8>, file_name: &str) -> Reply {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string());
        let form = reqwest::multipart::Form::new().part("file", part);
        let resp = self
            .client
            .post(self.url(&format!("/api/photos?id={id}")))
            .bearer_auth(token)
            .multipart(form)
            .send()
            .await
            .expect("request");
        Self::read(resp).await
    }

    /// Raw bytes of a GET (photos, exports).
    pub async fn get_bytes(&self, token: Option<&str>, path: &str) -> (u16, Vec<u8>) {
        let mut req = self.client.get(self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        (status, resp.bytes().await.map(|b| b.to_vec()).unwrap_or_default())
    }

    /// The organisation as the account sees it, deactivated places included.
    pub async fn units(&self, token: &str) -> Vec<shared::dto::OrgUnit> {
        self.org_units(token, "include_inactive=true").await.with_status(200)
    }

    /// The id of the place whose full name is `full_name` (e.g. "新华街道 / 和平社区").
    pub async fn unit_id(&self, token: &str, full_name: &str) -> i64 {
        self.units(token)
            .await
            .iter()
            .find(|u| u.full_name == full_name)
            .map(|u| u.id)
            .unwrap_or_else(|| panic!("no unit {full_name}"))
    }
}

/// A small deterministic generator (xorshift), so a failing seed of a randomized test can be replayed.
pub struct Rng(pub u64);

impl Rng {
    /// A number in 0..n.
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Datelike, Timelike};

    #[test]
    fn the_default_day_is_an_ordinary_wednesday_morning_in_the_city() {
        let at = chrono::DateTime::parse_from_rfc3339(super::DEFAULT_START).unwrap();
        assert_eq!(at.with_timezone(&chrono::Utc), super::city_time(2026, 11, 18, 10, 0));
        assert_eq!((at.weekday(), at.hour()), (chrono::Weekday::Wed, 10));
    }

    #[test]
    fn city_time_is_eight_hours_ahead_of_utc() {
        assert_eq!(super::city_time(2027, 1, 1, 0, 0).to_rfc3339(), "2026-12-31T16:00:00+00:00");
    }
    #[test]
    fn database_name_replaces_the_path() {
        assert_eq!(super::with_database("postgres://u@h:5432/postgres", "x"), "postgres://u@h:5432/x");
        assert_eq!(super::with_database("postgres://u@h/db?sslmode=disable", "x"), "postgres://u@h/x?sslmode=disable");
        assert_eq!(super::with_database("postgres://u@h", "x"), "postgres://u@h/x");
    }
}
