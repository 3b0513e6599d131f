//! Health, readiness, the OpenAPI document, the served app, and the error contract on unknown routes.

use tests::spawn_app;

#[tokio::test]
async fn health_and_readiness_report_the_engine() {
    let app = spawn_app().await;
    let h = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(h.status(), 200);
    // Every response names its request, as the log lines do.
    assert_eq!(h.headers()["x-request-id"].len(), 36);
    let r = app.get(None, "/readyz").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["database"], tests::backend_name());
}

#[tokio::test]
async fn the_openapi_document_lists_every_endpoint() {
    let app = spawn_app().await;
    let doc = app.get(None, "/api/openapi.json").await;
    assert_eq!(doc.status, 200);
    assert!(doc.body["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/auth/login",
        "/api/auth/refresh",
        "/api/auth/logout",
        "/api/me",
        "/api/me/password",
        "/api/org/units",
        "/api/org/units/{id}",
        "/api/accounts",
        "/api/accounts/{id}",
        "/api/accounts/{id}/reset-password",
        "/api/import",
        "/api/items",
        "/api/items/{id}",
        "/api/items/{id}/events",
        "/api/items/mine",
        "/api/photos",
        "/api/ledger",
        "/api/ledger/export",
        "/api/import/template",
        "/healthz",
        "/readyz",
    ] {
        assert!(doc.body["paths"].get(path).is_some(), "{path} missing from openapi.json");
    }
    assert!(doc.body["components"]["schemas"].get("LoginRequest").is_some());
    assert!(doc.body["components"]["schemas"].get("ApiError").is_some());
}

#[tokio::test]
async fn unknown_api_routes_get_the_error_contract_and_app_routes_get_the_page() {
    let app = spawn_app().await;
    let r = app.get(None, "/api/nothing-here").await;
    assert_eq!((r.status, r.code()), (404, "not_found"));
    let page = app.client.get(app.url("/admin/org")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
}
