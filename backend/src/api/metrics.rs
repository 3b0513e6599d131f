//! `GET /metrics`: the operator's figures in Prometheus's text format (metrics.rs), with the outbox, the pool and the
//! items open counted at the scrape. Given to a bearer of `MINQING_METRICS_TOKEN`, or, without one, only to callers
//! on the machine itself (a Prometheus beside it, or a tunnel).

use actix_web::{web, HttpRequest, HttpResponse};

use crate::db;
use crate::metrics::METRICS;
use crate::state::AppState;

/// The metrics, for Prometheus.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain"),
              (status = 401, description = "no or a wrong bearer token"), (status = 403, description = "not from this machine")))]
pub async fn metrics(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    if let Some(refusal) = refused(&state.settings.metrics_token, &req) {
        return refusal;
    }
    let (open, idle) = state.db.pool_state();
    let now = state.clock.now_naive();
    let counted = state
        .db
        .read(move |conn| {
            let waiting = db::hooks::waiting_per_hook(conn)?;
            let open = db::figures::open_per_stage(conn, now)?;
            Ok((waiting, open))
        })
        .await;
    // The gauges below are set from this scrape's count and read back at once: concurrent scrapes (of one server,
    // or of several test servers in one process) must not interleave their values.
    let _scrape = SCRAPE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    METRICS.pool_connections.set(open as i64);
    METRICS.pool_idle.set(idle as i64);
    match counted {
        Ok((waiting, (per_stage, overdue))) => {
            METRICS.database_up.set(1);
            METRICS.outbox_pending.reset();
            METRICS.outbox_oldest_seconds.reset();
            for (hook, n, oldest) in waiting {
                let hook = hook.to_string();
                METRICS.outbox_pending.with_label_values(&[hook.as_str()]).set(n);
                let age = oldest.map_or(0.0, |t| (now - t).num_milliseconds() as f64 / 1000.0);
                METRICS.outbox_oldest_seconds.with_label_values(&[hook.as_str()]).set(age.max(0.0));
            }
            METRICS.items_open.reset();
            for (stage, n) in per_stage {
                METRICS.items_open.with_label_values(&[stage.code()]).set(n);
            }
            METRICS.items_overdue.set(overdue);
        }
        Err(e) => {
            tracing::warn!(error = ?e, "metrics: the database did not answer");
            METRICS.database_up.set(0);
        }
    }
    HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(METRICS.text())
}

/// Held while a scrape sets the gauges it counted and renders them.
static SCRAPE: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Why a caller may not read the metrics, if it may not.
fn refused(token: &str, req: &HttpRequest) -> Option<HttpResponse> {
    if !token.is_empty() {
        let given = req
            .headers()
            .get(actix_web::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let same = given.is_some_and(|g| {
            use sha2::{Digest, Sha256};
            Sha256::digest(g.as_bytes()) == Sha256::digest(token.as_bytes())
        });
        return (!same).then(|| HttpResponse::Unauthorized().body("metrics: a bearer token is required\n"));
    }
    let local = req.peer_addr().is_some_and(|a| a.ip().is_loopback());
    (!local).then(|| HttpResponse::Forbidden().body("metrics: set MINQING_METRICS_TOKEN to read them from elsewhere\n"))
}
