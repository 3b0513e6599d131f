//! The city dashboard for a month; its figures are `crate::stats::dashboard`'s.

use actix_web::web;
use serde::Deserialize;
use shared::dashboard::Dashboard;

use crate::auth::AuthUser;
use crate::error::AppError;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct DashboardParams {
    /// The year; this month's when absent.
    pub year: Option<i32>,
    /// The month, 1–12.
    pub month: Option<u32>,
}

/// The city dashboard for a month (this month when absent).
#[utoipa::path(get, path = "/api/dashboard", tag = "stats", security(("bearer" = [])), params(DashboardParams),
    responses((status = 200, body = Dashboard), (status = 403, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
pub async fn dashboard(
    state: web::Data<AppState>,
    user: AuthUser,
    p: web::Query<DashboardParams>,
) -> Result<web::Json<Dashboard>, AppError> {
    if !user.reads_city_figures() {
        return Err(AppError::forbidden());
    }
    let (year, month) = crate::stats::month_param(state.tz, state.clock.now_naive(), p.year, p.month)?;
    let st = state.clone();
    state.db.read(move |conn| crate::stats::dashboard::dashboard(conn, &st, year, month)).await.map(web::Json)
}
