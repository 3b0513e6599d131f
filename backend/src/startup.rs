//! Builds the application from settings: database and migrations, secrets, first-run data, the HTTP server.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::{middleware, web, App, HttpServer};
use tracing_actix_web::TracingLogger;

use crate::auth::{self, JwtKeys};
use crate::clock::Clock;
use crate::configuration::{Mode, Settings};
use crate::db::{self, Db};
use crate::error;
use crate::state::AppState;

pub struct Application {
    port: u16,
    server: Server,
    state: AppState,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        Self::build_with_clock(settings, Clock::default()).await
    }

    /// Like `build`, on the given clock: tests start the server on the day they name, so that even the first-run data
    /// is made on that day.
    pub async fn build_with_clock(mut settings: Settings, clock: Clock) -> anyhow::Result<Application> {
        let tz = settings.tz()?;
        let listener = TcpListener::bind((settings.host.as_str(), settings.port))?;
        let port = listener.local_addr()?.port();
        settings.port = port;
        tracing::info!(settings = %settings.describe(), "starting 民情直通车");
        let url = settings.database_url();
        let (sync, pool) = (settings.sqlite_synchronous.clone(), settings.db_pool_size);
        let db = web::block(move || Db::connect(&url, &sync, pool)).await??;
        let secret = auth::load_or_create_secret(&settings.jwt_secret, &settings.data_dir)?;
        let settings_for_storage = settings.clone();
        let state = AppState {
            db,
            settings: Arc::new(settings),
            keys: JwtKeys::new(&secret),
            clock,
            tz,
            storage: crate::storage::Storage::from_settings(&settings_for_storage)?,
            http: reqwest::Client::builder().timeout(std::time::Duration::from_secs(10)).build()?,
            resident_limiter: Arc::new(governor::RateLimiter::keyed(governor::Quota::per_minute(
                std::num::NonZeroU32::new(settings_for_storage.resident_requests_per_minute)
                    .unwrap_or(std::num::NonZeroU32::MIN),
            ))),
        };
        let st = state.clone();
        let first_run = web::block(move || first_run(&st)).await??;

        crate::jobs::start(state.clone());
        crate::backup::schedule::start((*state.settings).clone());
        let data = web::Data::new(state.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .app_data(web::JsonConfig::default().limit(256 * 1024).error_handler(error::json_error_handler))
                .app_data(web::QueryConfig::default().error_handler(error::query_error_handler))
                .app_data(web::PathConfig::default().error_handler(error::path_error_handler))
                .wrap_fn(add_request_id_header)
                .wrap_fn(count_request)
                .wrap(middleware::Compress::default())
                .wrap(TracingLogger::default())
                .configure(crate::router::configure)
        })
        .listen(listener)?
        .run();

        let url = format!("http://{}:{}", state.settings.host, port);
        println!("民情直通车 已启动: {url}");
        if let Some(text) = first_run {
            println!("{text}");
        }
        Ok(Application { port, server, state })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// A handle to stop the server (tests stop theirs before the process exits).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// The state, for tests that move the clock or look into the database.
    pub fn state(&self) -> AppState {
        self.state.clone()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Echoes the request id that the log lines of this request carry, so a user's report can be found in the log.
fn add_request_id_header<S>(
    req: actix_web::dev::ServiceRequest,
    srv: &S,
) -> impl std::future::Future<Output = Result<actix_web::dev::ServiceResponse, actix_web::Error>>
where
    S: actix_web::dev::Service<
        actix_web::dev::ServiceRequest,
        Response = actix_web::dev::ServiceResponse,
        Error = actix_web::Error,
    >,
{
    use actix_web::HttpMessage;
    let id = req.extensions().get::<tracing_actix_web::RequestId>().map(|r| r.to_string());
    let fut = srv.call(req);
    async move {
        let mut res = fut.await?;
        if let Some(value) = id.and_then(|id| actix_web::http::header::HeaderValue::from_str(&id).ok()) {
            res.headers_mut().insert(actix_web::http::header::HeaderName::from_static("x-request-id"), value);
        }
        Ok(res)
    }
}

/// Counts each answered request in the metrics, by the route template it matched (never the raw path, so ids do not
/// make a series each) and its status.
fn count_request<S>(
    req: actix_web::dev::ServiceRequest,
    srv: &S,
) -> impl std::future::Future<Output = Result<actix_web::dev::ServiceResponse, actix_web::Error>>
where
    S: actix_web::dev::Service<
        actix_web::dev::ServiceRequest,
        Response = actix_web::dev::ServiceResponse,
        Error = actix_web::Error,
    >,
{
    let started = std::time::Instant::now();
    let method = req.method().to_string();
    let fut = srv.call(req);
    async move {
        let res = fut.await?;
        let route = res.request().match_pattern().unwrap_or_else(|| "(unmatched)".into());
        crate::metrics::METRICS.request(&method, &route, res.status().as_u16(), started.elapsed());
        Ok(res)
    }
}

/// On an empty database: the city root; in demo mode the demo city and its accounts; in production one
/// administrator. Returns what to print for the person starting the server.
fn first_run(state: &AppState) -> anyhow::Result<Option<String>> {
    let now = state.clock.now_naive();
    let settings = state.settings.clone();
    let text = state.db.write_blocking(|conn| {
        let city = match db::org::city(conn)? {
            Some(c) => c,
            None => db::org::insert(conn, shared::OrgKind::City, &settings.city_name, None, now)?,
        };
        if crate::demo::has_accounts(conn)? {
            return Ok(match settings.mode {
                Mode::Demo => Some(crate::demo::accounts_text(&settings.demo_password)),
                Mode::Production => None,
            });
        }
        match settings.mode {
            Mode::Demo => {
                crate::demo::load(conn, &city, &settings.demo_password, now)?;
                Ok(Some(crate::demo::accounts_text(&settings.demo_password)))
            }
            Mode::Production => {
                let (password, generated) = if settings.admin_password.is_empty() {
                    (auth::random_token()[..16].to_string(), true)
                } else {
                    (settings.admin_password.clone(), false)
                };
                crate::demo::create_first_admin(conn, &city, &password, now)?;
                Ok(Some(if generated {
                    format!("已创建管理员账号 admin，临时密码：{password}（首次登录后须修改；此密码只显示这一次）")
                } else {
                    "已创建管理员账号 admin（密码为 MINQING_ADMIN_PASSWORD；首次登录后须修改）".to_string()
                }))
            }
        }
    })?;
    Ok(text)
}
