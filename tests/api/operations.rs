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

/// Every route the router registers, as (method, full path).
fn registered_routes() -> impl Iterator<Item = (String, String)> {
    use backend::router::{API_ROUTES, LIMITED_API_ROUTES, ROOT_ROUTES};
    let api = API_ROUTES.iter().chain(LIMITED_API_ROUTES.iter().map(|(r, _)| r));
    ROOT_ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .chain(api.map(|(m, p)| (m.to_string(), format!("/api{p}"))))
}

#[tokio::test]
async fn the_openapi_document_lists_every_route_the_router_registers_and_no_other() {
    let app = spawn_app().await;
    let doc = app.get(None, "/api/openapi.json").await;
    assert_eq!(doc.status, 200);
    assert!(doc.body["openapi"].as_str().unwrap().starts_with("3."));
    let registered: Vec<(String, String)> = registered_routes().collect();
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

#[test]
fn the_readable_guide_docs_api_md_has_a_row_for_every_route_and_no_other() {
    let guide = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/api.md")).unwrap();
    // A route's row: `| GET | /api/items/{id} | …`, or `| GET, PUT | /api/x?query | …` for two methods of one path.
    let mut rows = std::collections::BTreeSet::new();
    for line in guide.lines() {
        let mut cells = line.split('|').map(str::trim).skip(1);
        let (Some(methods), Some(path)) = (cells.next(), cells.next()) else { continue };
        let path = path.split(['?', ' ']).next().unwrap_or_default();
        for method in methods.split(", ") {
            if matches!(method, "GET" | "POST" | "PUT" | "PATCH" | "DELETE") {
                rows.insert((method.to_lowercase(), path.to_string()));
            }
        }
    }
    let registered: std::collections::BTreeSet<(String, String)> = registered_routes().collect();
    let missing: Vec<_> = registered.difference(&rows).collect();
    assert!(missing.is_empty(), "docs/api.md has no row for: {missing:?}");
    let extra: Vec<_> = rows.difference(&registered).collect();
    assert!(extra.is_empty(), "docs/api.md lists routes the router does not register: {extra:?}");
}
