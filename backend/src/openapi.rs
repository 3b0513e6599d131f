//! The OpenAPI document, generated from the handlers' annotations and the shared types, so it cannot drift.

use actix_web::HttpResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api;

#[derive(OpenApi)]
#[openapi(
    info(title = "民情直通车 API", description = "梅河口市民情直通车制度的信息系统接口。"),
    paths(
        api::health::healthz, api::health::readyz, crate::openapi::serve,
        api::auth::login, api::auth::refresh, api::auth::logout,
        api::me::me, api::me::change_password,
        api::org::list, api::org::get, api::org::create, api::org::update,
        api::accounts::list, api::accounts::get, api::accounts::create, api::accounts::update, api::accounts::reset_password,
        api::import::template, api::import::upload,
        api::items::create, api::items::get, api::items::update, api::items::events,
        api::photos::upload, api::photos::serve, api::ledger::list, api::ledger::mine, api::ledger::export,
        api::workflow::solve_locally, api::workflow::tell_resident, api::workflow::send_to_street,
        api::workflow::dispatch, api::workflow::accept, api::workflow::reject, api::workflow::request_extension,
        api::workflow::decide_extension, api::workflow::return_sheet, api::workflow::head_sign,
        api::journey::queue, api::journey::suggest_departments, api::journey::direct_reports, api::journey::acknowledge,
        api::settings::get_clock, api::settings::put_clock, api::settings::list_holidays, api::settings::put_holidays,
        api::hooks::list, api::hooks::create, api::hooks::update,
        api::workflow::send_back, api::voice::issue_link, api::voice::resident_view, api::voice::rate,
        api::follow_ups::list, api::follow_ups::add_step,
        api::evaluation::rounds, api::evaluation::rate_round, api::evaluation::results,
        api::stats::monthly, api::stats::export,
        api::supervision::overdue, api::supervision::units, api::supervision::chase,
        api::dashboard::dashboard, api::analysis::analysis, api::analysis::export,
        api::visits::targets, api::visits::add_target, api::visits::update_target, api::visits::record,
        api::visits::day, api::visits::coverage, api::visits::building_leaders, api::meetings::month,
        api::meetings::record, api::meetings::get, api::receptions::add_plan, api::receptions::remove_plan,
        api::receptions::record, api::receptions::schedule, api::receptions::hosts, api::receptions::get,
        api::reports::list, api::reports::get, api::reports::generate, api::reports::edit, api::reports::submit,
    ),
    components(schemas(shared::OrgKind, shared::Role, shared::Channel, shared::ItemType, shared::Level, shared::Outcome,
        shared::ErrorCode, shared::Problem, shared::item::ChannelSource, shared::item::ItemStatus, shared::item::FeedbackMethod,
        shared::journey::RejectReason, shared::journey::ActionKind, shared::journey::HookKind,
        shared::voice::Answer, shared::voice::FollowUpStep)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
            );
        }
    }
}

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "operations",
    responses((status = 200, description = "The OpenAPI 3 document of this API", content_type = "application/json")))]
pub async fn serve() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
