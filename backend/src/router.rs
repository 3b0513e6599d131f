//! Every route of the server, in one place. The `routes!` lists register the routes, name them (`ROOT_ROUTES`,
//! `API_ROUTES`) and give the OpenAPI document their operations (`openapi_paths`), so what the server answers and
//! what the document describes are one list: a handler cannot be served undocumented or documented unserved.

use actix_web::web;
use utoipa::openapi::path::PathsBuilder;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;

use crate::api::{
    accounts, analysis, auth, dashboard, evaluation, follow_ups, health, hooks, import, items, journey, judgement,
    ledger, me, meetings, metrics, org, photos, receptions, referrals, reports, residents, settings, stats,
    supervision, visits, voice, workflow,
};
use crate::openapi;

/// One route: its method as actix names it (`get`, `post`, …) and its path.
pub type RouteName = (&'static str, &'static str);

/// The schemas an operation's bodies and parameters refer to, by name.
pub type Schemas = Vec<(String, RefOr<Schema>)>;

/// Declares a route list: a constant naming every (method, path), a function registering them on `$on`, and one
/// adding their OpenAPI operations (from each handler's `#[utoipa::path]`) and the schemas those use.
macro_rules! routes {
    ($(#[$doc:meta])* $list:ident, $register:ident($on:ty), $document:ident {
        $($method:ident $path:literal => $module:ident::$handler:ident,)*
    }) => {
        $(#[$doc])*
        pub const $list: &[RouteName] = &[$((stringify!($method), $path)),*];

        fn $register(on: $on) -> $on {
            on$(.route($path, web::$method().to($module::$handler)))*
        }

        fn $document(paths: PathsBuilder, schemas: &mut Schemas) -> PathsBuilder {
            paste::paste! {
                $(<$module::[<__path_ $handler>] as utoipa::__dev::SchemaReferences>::schemas(schemas);)*
                paths$(.path_from::<$module::[<__path_ $handler>]>())*
            }
        }
    };
}

routes! {
    /// Routes at the root: health and readiness for operations.
    ROOT_ROUTES, root_routes(&mut web::ServiceConfig), root_paths {
        get "/healthz" => health::healthz,
        get "/readyz" => health::readyz,
        get "/metrics" => metrics::metrics,
    }
}

routes! {
    /// Routes under `/api` (paths here without the prefix), but for `LIMITED_API_ROUTES`.
    API_ROUTES, api_routes(actix_web::Scope), api_paths {
        get "/openapi.json" => openapi::serve,
        post "/auth/login" => auth::login,
        post "/auth/refresh" => auth::refresh,
        post "/auth/logout" => auth::logout,
        get "/me" => me::me,
        post "/me/password" => me::change_password,
        get "/org/units" => org::list,
        post "/org/units" => org::create,
        get "/org/units/{id}" => org::get,
        patch "/org/units/{id}" => org::update,
        get "/accounts" => accounts::list,
        post "/accounts" => accounts::create,
        get "/accounts/{id}" => accounts::get,
        patch "/accounts/{id}" => accounts::update,
        post "/accounts/{id}/reset-password" => accounts::reset_password,
        post "/items" => items::create,
        get "/items/mine" => ledger::mine,
        get "/items/{id}" => items::get,
        patch "/items/{id}" => items::update,
        get "/items/{id}/events" => items::events,
        post "/items/{id}/correct" => items::correct,
        post "/items/{id}/solve-locally" => workflow::solve_locally,
        post "/items/{id}/tell-resident" => workflow::tell_resident,
        post "/items/{id}/send-to-street" => workflow::send_to_street,
        post "/items/{id}/dispatch" => workflow::dispatch,
        post "/items/{id}/accept" => workflow::accept,
        post "/items/{id}/reject" => workflow::reject,
        post "/items/{id}/request-extension" => workflow::request_extension,
        post "/items/{id}/decide-extension" => workflow::decide_extension,
        post "/items/{id}/return-sheet" => workflow::return_sheet,
        post "/items/{id}/head-sign" => workflow::head_sign,
        post "/items/{id}/send-back" => workflow::send_back,
        post "/items/{id}/co-handling" => workflow::co_handling,
        post "/items/{id}/onsite-records" => workflow::record_onsite,
        post "/items/{id}/leader-reports" => workflow::log_leader_report,
        post "/items/{id}/resident-link" => voice::issue_link,
        get "/r/{token}" => voice::resident_view,
        put "/r/{token}/rating" => voice::rate,
        get "/follow-ups" => follow_ups::list,
        post "/follow-ups/{id}/steps" => follow_ups::add_step,
        get "/evaluation/rounds" => evaluation::rounds,
        put "/evaluation/rounds/{id}/rating" => evaluation::rate_round,
        get "/evaluation/results" => evaluation::results,
        get "/stats/monthly" => stats::monthly,
        get "/stats/monthly/export" => stats::export,
        get "/reports" => reports::list,
        get "/dashboard" => dashboard::dashboard,
        get "/analysis" => analysis::analysis,
        get "/analysis/export" => analysis::export,
        put "/analysis/judgement" => judgement::save,
        post "/analysis/judgement/{id}/submit" => judgement::submit,
        post "/analysis/judgement/{id}/read" => judgement::mark_read,
        post "/analysis/measures/{id}/outcome" => judgement::record_outcome,
        get "/supervision/overdue" => supervision::overdue,
        get "/supervision/units" => supervision::units,
        post "/items/{id}/chase" => supervision::chase,
        post "/chases/{id}/reply" => supervision::reply_to_chase,
        get "/referrals" => referrals::list,
        post "/referrals" => referrals::refer,
        post "/referrals/{id}/status" => referrals::update,
        get "/referrals/{id}/dossier" => referrals::dossier,
        post "/reports" => reports::generate,
        get "/reports/{id}" => reports::get,
        put "/reports/{id}" => reports::edit,
        post "/reports/{id}/submit" => reports::submit,
        post "/reports/{id}/read" => reports::mark_read,
        get "/queue" => journey::queue,
        get "/visit-targets" => visits::targets,
        post "/visit-targets" => visits::add_target,
        patch "/visit-targets/{id}" => visits::update_target,
        post "/visits" => visits::record,
        get "/visits/day" => visits::day,
        get "/visits/coverage" => visits::coverage,
        get "/building-leaders" => visits::building_leaders,
        get "/meetings" => meetings::month,
        post "/meetings" => meetings::record,
        get "/meetings/{id}" => meetings::get,
        post "/reception-plans" => receptions::add_plan,
        delete "/reception-plans/{id}" => receptions::remove_plan,
        post "/receptions" => receptions::record,
        get "/receptions/schedule" => receptions::schedule,
        get "/receptions/hosts" => receptions::hosts,
        get "/receptions/{id}" => receptions::get,
        get "/departments/suggest" => journey::suggest_departments,
        get "/direct-reports" => journey::direct_reports,
        post "/direct-reports/{id}/acknowledge" => journey::acknowledge,
        get "/settings/clock" => settings::get_clock,
        put "/settings/clock" => settings::put_clock,
        get "/holidays" => settings::list_holidays,
        put "/holidays/{year}" => settings::put_holidays,
        get "/hooks" => hooks::list,
        get "/residents" => residents::lookup,
        get "/residents/export" => residents::export,
        post "/residents/mask" => residents::mask,
        post "/hooks" => hooks::create,
        patch "/hooks/{id}" => hooks::update,
        post "/photos" => photos::upload,
        get "/photos/{id}/{variant}" => photos::serve,
        get "/ledger" => ledger::list,
        get "/ledger/export" => ledger::export,
        get "/import/template" => import::template,
    }
}

/// `/api` routes whose request bodies may be larger than the default limit, with their limit in bytes.
pub const LIMITED_API_ROUTES: &[(RouteName, usize)] = &[(("post", "/import"), import::MAX_BYTES)];

/// The OpenAPI operations of every route, and the schemas they use.
pub fn openapi_paths() -> (utoipa::openapi::Paths, Schemas) {
    let mut schemas = Schemas::new();
    let paths = api_paths(root_paths(PathsBuilder::new(), &mut schemas), &mut schemas);
    // The one route registered by hand (`configure`), for its larger body limit.
    <import::__path_upload as utoipa::__dev::SchemaReferences>::schemas(&mut schemas);
    (paths.path_from::<import::__path_upload>().build(), schemas)
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    root_routes(cfg).service(
        api_routes(web::scope("/api"))
            .service(
                web::resource("/import")
                    .app_data(web::PayloadConfig::new(import::MAX_BYTES))
                    .route(web::post().to(import::upload)),
            )
            .default_service(web::to(crate::static_files::serve)),
    );
    cfg.default_service(web::get().to(crate::static_files::serve));
}
