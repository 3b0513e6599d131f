//! Every route of the server, in one place.

use actix_web::web;

use crate::api::{
    accounts, auth, evaluation, follow_ups, health, hooks, import, items, journey, ledger, me, org, photos, settings,
    stats, voice, workflow,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .service(
            web::scope("/api")
                .route("/openapi.json", web::get().to(crate::openapi::serve))
                .route("/auth/login", web::post().to(auth::login))
                .route("/auth/refresh", web::post().to(auth::refresh))
                .route("/auth/logout", web::post().to(auth::logout))
                .route("/me", web::get().to(me::me))
                .route("/me/password", web::post().to(me::change_password))
                .route("/org/units", web::get().to(org::list))
                .route("/org/units", web::post().to(org::create))
                .route("/org/units/{id}", web::get().to(org::get))
                .route("/org/units/{id}", web::patch().to(org::update))
                .route("/accounts", web::get().to(accounts::list))
                .route("/accounts", web::post().to(accounts::create))
                .route("/accounts/{id}", web::get().to(accounts::get))
                .route("/accounts/{id}", web::patch().to(accounts::update))
                .route("/accounts/{id}/reset-password", web::post().to(accounts::reset_password))
                .route("/items", web::post().to(items::create))
                .route("/items/mine", web::get().to(ledger::mine))
                .route("/items/{id}", web::get().to(items::get))
                .route("/items/{id}", web::patch().to(items::update))
                .route("/items/{id}/events", web::get().to(items::events))
                .route("/items/{id}/solve-locally", web::post().to(workflow::solve_locally))
                .route("/items/{id}/tell-resident", web::post().to(workflow::tell_resident))
                .route("/items/{id}/send-to-street", web::post().to(workflow::send_to_street))
                .route("/items/{id}/dispatch", web::post().to(workflow::dispatch))
                .route("/items/{id}/accept", web::post().to(workflow::accept))
                .route("/items/{id}/reject", web::post().to(workflow::reject))
                .route("/items/{id}/request-extension", web::post().to(workflow::request_extension))
                .route("/items/{id}/decide-extension", web::post().to(workflow::decide_extension))
                .route("/items/{id}/return-sheet", web::post().to(workflow::return_sheet))
                .route("/items/{id}/head-sign", web::post().to(workflow::head_sign))
                .route("/items/{id}/send-back", web::post().to(workflow::send_back))
                .route("/items/{id}/resident-link", web::post().to(voice::issue_link))
                .route("/r/{token}", web::get().to(voice::resident_view))
                .route("/r/{token}/rating", web::put().to(voice::rate))
                .route("/follow-ups", web::get().to(follow_ups::list))
                .route("/follow-ups/{id}/steps", web::post().to(follow_ups::add_step))
                .route("/evaluation/rounds", web::get().to(evaluation::rounds))
                .route("/evaluation/rounds/{id}/rating", web::put().to(evaluation::rate_round))
                .route("/evaluation/results", web::get().to(evaluation::results))
                .route("/stats/monthly", web::get().to(stats::monthly))
                .route("/stats/monthly/export", web::get().to(stats::export))
                .route("/queue", web::get().to(journey::queue))
                .route("/departments/suggest", web::get().to(journey::suggest_departments))
                .route("/direct-reports", web::get().to(journey::direct_reports))
                .route("/direct-reports/{id}/acknowledge", web::post().to(journey::acknowledge))
                .route("/settings/clock", web::get().to(settings::get_clock))
                .route("/settings/clock", web::put().to(settings::put_clock))
                .route("/holidays", web::get().to(settings::list_holidays))
                .route("/holidays/{year}", web::put().to(settings::put_holidays))
                .route("/hooks", web::get().to(hooks::list))
                .route("/hooks", web::post().to(hooks::create))
                .route("/hooks/{id}", web::patch().to(hooks::update))
                .route("/photos", web::post().to(photos::upload))
                .route("/photos/{id}/{variant}", web::get().to(photos::serve))
                .route("/ledger", web::get().to(ledger::list))
                .route("/ledger/export", web::get().to(ledger::export))
                .route("/import/template", web::get().to(import::template))
                .service(
                    web::resource("/import")
                        .app_data(web::PayloadConfig::new(import::MAX_BYTES))
                        .route(web::post().to(import::upload)),
                )
                .default_service(web::to(crate::static_files::serve)),
        )
        .default_service(web::get().to(crate::static_files::serve));
}
