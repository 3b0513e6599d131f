//! The OpenAPI document, generated from the handlers' annotations and the shared types: its operations come from the
//! router's one list of routes (`router::openapi_paths`), so it cannot drift from what the server answers.

use actix_web::HttpResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "民情直通车 API", description = "梅河口市民情直通车制度的信息系统接口。"),
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
    HttpResponse::Ok().json(document())
}

/// The whole document: this crate's header and shared schemas, with every route's operation and the schemas it uses.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    let (paths, schemas) = crate::router::openapi_paths();
    doc.paths = paths;
    let components = doc.components.get_or_insert_with(Default::default);
    for (name, schema) in schemas {
        components.schemas.entry(name).or_insert(schema);
    }
    doc
}
