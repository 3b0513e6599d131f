//! `GET /metrics` (issue 17): what an operator watches shows while the server works — requests by route template,
//! the pool, each job's last run, the hook outbox, items open per stage — and only to whom it may.

use shared::settings::{HookKind, NewHook};

use crate::items::{building, capture};
use crate::journey::{accepted_item, item_at_street};

/// The value of one series in a Prometheus text answer.
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|l| l.strip_prefix(series).and_then(|rest| rest.trim().parse().ok()))
}

#[tokio::test]
async fn metrics_show_requests_jobs_the_outbox_and_open_items() {
    let app = tests::spawn_app_at(tests::city_time(2026, 12, 2, 10, 0)).await;
    let admin = app.token("admin").await;
    let street_id = app.unit_id(&admin, "新华街道").await;
    // A hook nobody answers (a closed port): its messages wait in the outbox.
    let hook =
        NewHook { unit_id: street_id, kind: HookKind::Webhook, url: "http://127.0.0.1:9/street".into(), secret: None };
    let hook = app.create_hook(&admin, &hook).await.with_status(201);
    item_at_street(&app).await;
    // A returned sheet tells the street: a message for its hook.
    let done = accepted_item(&app).await;
    let dept1 = app.token("dept1").await;
    app.return_sheet(&dept1, &done.id, &tests::client::solved_sheet(done.version, "已修复。")).await.with_status(200);
    let grid1 = app.token("grid1").await;
    app.create_item(&grid1, &capture(building(&app, &grid1, 3).await)).await.with_status(201);
    let _ = backend::jobs::run_once(&app.state).await;

    let (status, body) = app.get_bytes(None, "/metrics").await;
    assert_eq!(status, 200);
    let text = String::from_utf8(body).unwrap();
    let created = value(&text, r#"minqing_http_requests_total{method="POST",route="/api/items",status="201"}"#);
    assert!(created.is_some_and(|n| n >= 2.0), "{text}");
    assert!(text.contains(r#"minqing_http_request_seconds_bucket{method="POST",route="/api/items",le="#));
    assert!(text.contains(r#"route="/api/items/{id}/send-to-street""#), "routes by template, not by id");
    assert_eq!(value(&text, "minqing_database_up"), Some(1.0));
    assert!(value(&text, "minqing_db_pool_connections").is_some_and(|n| n >= 1.0));
    assert!(text.contains("minqing_db_pool_wait_seconds_count"));
    assert!(value(&text, r#"minqing_items_open{stage="collected"}"#).is_some_and(|n| n >= 1.0), "{text}");
    assert!(value(&text, r#"minqing_items_open{stage="at_street"}"#).is_some_and(|n| n >= 1.0), "{text}");
    let pending = format!(r#"minqing_outbox_pending{{hook="{}"}}"#, hook.id);
    assert!(value(&text, &pending).is_some_and(|n| n >= 1.0), "{text}");
    assert!(text.contains(&format!(r#"minqing_outbox_oldest_seconds{{hook="{}"}}"#, hook.id)));
    for job in ["reminders", "evaluation_rounds", "report_drafts"] {
        let series = format!(r#"minqing_job_last_success_timestamp_seconds{{job="{job}"}}"#);
        assert!(value(&text, &series).is_some_and(|t| t > 0.0), "{job}: {text}");
    }
}

#[tokio::test]
async fn with_a_token_set_metrics_need_it() {
    let app = tests::spawn_app_with(|s| s.metrics_token = "m".repeat(40)).await;
    let ask = |token: Option<String>| {
        let mut req = app.client.get(app.url("/metrics"));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        async move { req.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(ask(None).await, 401);
    assert_eq!(ask(Some("wrong".into())).await, 401);
    assert_eq!(ask(Some("m".repeat(40))).await, 200);
}
