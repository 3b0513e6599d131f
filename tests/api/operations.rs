//! Health, readiness, the OpenAPI document, the served app, and the error contract on unknown routes.

use tests::spawn_app;

#[tokio::test]
async fn health_and_readiness_report_the_engine() {
    let app = spawn_app().await;
    let h = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(h.status(), 200);
    // Every response names its request, as the log lines do.
    assert_eq!(h.headers()["x-request-id"].len(), 36);
    let r = app.readiness().await.with_status(200);
    assert_eq!(r.database, tests::backend_name());
}

#[tokio::test]
async fn the_openapi_document_lists_every_route_the_router_registers_and_no_other() {
    use backend::router::{API_ROUTES, LIMITED_API_ROUTES, ROOT_ROUTES};
    let app = spawn_app().await;
    let doc = app.get(None, "/api/openapi.json").await;
    assert_eq!(doc.status, 200);
    assert!(doc.body["openapi"].as_str().unwrap().starts_with("3."));
    let registered: Vec<(String, String)> = ROOT_ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .chain(
            API_ROUTES
                .iter()
                .chain(LIMITED_API_ROUTES.iter().map(|(r, _)| r))
                .map(|(m, p)| (m.to_string(), format!("/api{p}"))),
        )
        .collect();
    assert!(registered.len() > 80, "the router's list is read: {registered:?}");
    let mut missing = Vec::new();
    for (method, path) in &registered {
        if doc.body["paths"][path.as_str()].get(method.as_str()).is_none() {
            missing.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    assert!(missing.is_empty(), "routes missing from openapi.json: {missing:?}");
    // And the document names nothing the server does not answer.
    let mut documented = Vec::new();
    for (path, ops) in doc.body["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            documented.push((method.clone(), path.clone()));
        }
    }
    let extra: Vec<_> = documented.iter().filter(|d| !registered.contains(d)).collect();
    assert!(extra.is_empty(), "openapi.json documents routes the router does not register: {extra:?}");
    assert_eq!(documented.len(), registered.len());
    assert!(doc.body["components"]["schemas"].get("LoginRequest").is_some());
    assert!(doc.body["components"]["schemas"].get("ApiError").is_some());
    // Every schema an operation or another schema refers to is in the document.
    let text = doc.body.to_string();
    let dangling: std::collections::BTreeSet<&str> = text
        .split("\"#/components/schemas/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|name| doc.body["components"]["schemas"].get(*name).is_none())
        .collect();
    assert!(dangling.is_empty(), "openapi.json refers to schemas it does not define: {dangling:?}");
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
