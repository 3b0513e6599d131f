//! Liveness and readiness for load balancers and orchestrators.

use actix_web::{web, HttpResponse};
use shared::dto::Health;

use crate::state::AppState;

fn health(state: &AppState, status: &str) -> Health {
    Health {
        status: status.into(),
        database: state.db.engine().name().into(),
        version: env!("CARGO_PKG_VERSION").into(),
    }
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, body = Health)))]
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(health(&state, "ok"))
}

/// The process can reach its database.
#[utoipa::path(get, path = "/readyz", tag = "operations", responses((status = 200, body = Health), (status = 503, body = Health)))]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let ok = state.db.read(|conn| Ok(crate::db::ping(conn)?)).await.is_ok();
    if ok {
        HttpResponse::Ok().json(health(&state, "ok"))
    } else {
        HttpResponse::ServiceUnavailable().json(health(&state, "database unreachable"))
    }
}
