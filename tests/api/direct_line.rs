//! The direct line for major items (第三条, 第七条4) and the hooks: leaders told at once and acknowledging; the
//! WeCom, DingTalk and webhook formats against a local server; a hook down, then up, across a restart, receiving
//! each message once and in order; reminders before deadlines sent once with two backend instances.

use chrono::Duration;
use serde_json::{json, Value};
use shared::OrgKind;
use tests::hook_server::HookServer;
use tests::{spawn_app, spawn_app_with, TestApp};

use crate::items::{building, capture, capture_json};

async fn major_item(app: &TestApp) -> Value {
    let grid1 = app.token("grid1").await;
    let mut body = capture_json(building(app, &grid1, 3).await);
    body["level"] = json!("major");
    body["content"] = json!("5号楼外墙大面积脱落，随时可能砸伤行人。");
    let r = app.post(Some(&grid1), "/api/items", &body).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.body
}

async fn add_hook(app: &TestApp, unit: &str, kind: &str, url: String, secret: Option<&str>) -> Value {
    let admin = app.token("admin").await;
    let unit_id = if unit == "city" {
        app.units(&admin).await.iter().find(|u| u.kind == OrgKind::City).unwrap().id
    } else {
        app.unit_id(&admin, unit).await
    };
    let r = app
        .post(Some(&admin), "/api/hooks", &json!({"unit_id": unit_id, "kind": kind, "url": url, "secret": secret}))
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.body
}

/// Waits until `check` holds, for up to 20 seconds.
async fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    for _ in 0..200 {
        if check() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

#[tokio::test]
async fn leaders_see_a_major_item_at_once_and_acknowledge_it() {
    let app = spawn_app().await;
    let item = major_item(&app).await;
    let id = item["id"].as_str().unwrap();
    let (leader, street) = (app.token("leader1").await, app.token("street1").await);
    let pending = app.get(Some(&leader), "/api/direct-reports?pending=true").await.body;
    assert_eq!(pending.as_array().unwrap().len(), 1, "{pending:?}");
    assert_eq!(pending[0]["item_id"], id);
    assert!(pending[0]["summary"].as_str().unwrap().contains("外墙"));
    assert_eq!(app.get(Some(&street), "/api/direct-reports?pending=true").await.body.as_array().unwrap().len(), 1);
    // Not the street's dispatcher, nor another street's leader.
    let dispatcher = app.token("dispatcher1").await;
    assert_eq!(app.get(Some(&dispatcher), "/api/direct-reports?pending=true").await.body, json!([]));

    app.state.clock.advance(Duration::minutes(12));
    let report_id = pending[0]["id"].as_i64().unwrap();
    let r = app.post(Some(&street), &format!("/api/direct-reports/{report_id}/acknowledge"), &json!({})).await;
    assert_eq!(r.status, 404, "one leader cannot acknowledge another's report");
    let r = app.post(Some(&leader), &format!("/api/direct-reports/{report_id}/acknowledge"), &json!({})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert!(r.body["acknowledged_at"].is_string());
    assert_eq!(app.get(Some(&leader), "/api/direct-reports?pending=true").await.body, json!([]));
    let seen = app.get(Some(&leader), &format!("/api/items/{id}")).await.body;
    let reports = seen["journey"]["direct_reports"].as_array().unwrap();
    let mine = reports.iter().find(|r| r["leader"]["name"] == "吴书记").unwrap();
    assert_eq!(mine["minutes_to_acknowledge"], 12);
    assert!(reports.iter().any(|r| r["leader"]["name"] == "赵强" && r["acknowledged_at"].is_null()));

    // A general item raised to major later is reported then, once.
    let grid1 = app.token("grid1").await;
    let r = app.post(Some(&grid1), "/api/items", &capture(building(&app, &grid1, 3).await)).await;
    let general = r.body["id"].as_str().unwrap().to_string();
    assert_eq!(app.get(Some(&leader), "/api/direct-reports?pending=true").await.body, json!([]));
    let r = app.patch(Some(&grid1), &format!("/api/items/{general}"), &json!({"version": 1, "level": "major"})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = app
        .patch(
            Some(&grid1),
            &format!("/api/items/{general}"),
            &json!({"version": 2, "content": "外墙脱落，补充：已拉警戒线。"}),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let pending = app.get(Some(&leader), "/api/direct-reports?pending=true").await.body;
    assert_eq!(pending.as_array().unwrap().len(), 1);
    assert_eq!(pending[0]["item_id"], general.as_str());
}

#[tokio::test]
async fn hooks_get_wecom_dingtalk_and_webhook_formats() {
    let hooks = HookServer::start(true).await;
    let app = spawn_app().await;
    add_hook(&app, "city", "wecom", format!("{}/wecom?key=abc", hooks.address), None).await;
    add_hook(&app, "city", "dingtalk", format!("{}/dingtalk?access_token=t", hooks.address), Some("SECsecret")).await;
    add_hook(&app, "新华街道", "webhook", format!("{}/generic", hooks.address), None).await;
    let item = major_item(&app).await;
    let id = item["id"].as_str().unwrap();
    backend::jobs::run_once(&app.state).await.unwrap();

    let got = hooks.accepted();
    assert_eq!(got.len(), 3, "{got:?}");
    let wecom = got.iter().find(|r| r.path_and_query.starts_with("/wecom")).unwrap();
    assert_eq!(wecom.body["msgtype"], "markdown");
    let text = wecom.body["markdown"]["content"].as_str().unwrap();
    assert!(text.contains("民情直报") && text.contains("外墙") && text.contains(&format!("/items/{id}")), "{text}");

    let ding = got.iter().find(|r| r.path_and_query.starts_with("/dingtalk")).unwrap();
    assert_eq!(ding.body["msgtype"], "markdown");
    assert!(ding.body["markdown"]["title"].as_str().unwrap().contains("民情直报"));
    let query: std::collections::HashMap<String, String> = ding
        .path_and_query
        .split_once('?')
        .unwrap()
        .1
        .split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (k.to_string(), v.to_string())
        })
        .collect();
    assert_eq!(query["access_token"], "t");
    let ts: i64 = query["timestamp"].parse().unwrap();
    assert!(
        (app.state.clock.now().timestamp_millis() - ts).abs() < 60_000,
        "DingTalk refuses timestamps older than an hour"
    );
    let sign = query["sign"].replace("%2B", "+").replace("%2F", "/").replace("%3D", "=");
    assert_eq!(sign, backend::outbox::dingtalk_sign("SECsecret", ts));

    let generic = got.iter().find(|r| r.path_and_query == "/generic").unwrap();
    assert_eq!(generic.body["topic"], "direct_report");
    assert_eq!(generic.body["item_id"], id);
    assert!(generic.body["url"].as_str().unwrap().ends_with(&format!("/items/{id}")));
    assert!(generic.delivery.is_some());

    // Delivered means delivered: another round sends nothing again.
    backend::jobs::run_once(&app.state).await.unwrap();
    assert_eq!(hooks.accepted().len(), 3);
}

#[tokio::test]
async fn a_hook_that_is_down_gets_every_message_once_in_order_after_a_restart() {
    let hooks = HookServer::start(false).await;
    let app = spawn_app_with(|s| {
        s.jobs_interval_ms = 100;
        s.outbox_retry_base_secs = 1;
    })
    .await;
    add_hook(&app, "city", "webhook", format!("{}/hook", hooks.address), None).await;
    let first = major_item(&app).await;
    let second = major_item(&app).await;
    let admin = app.token("admin").await;
    // The hook refuses; the messages wait, with the error shown to the admin.
    eventually("a failed attempt", || hooks.received().len() >= 2).await;
    let listed = app.get(Some(&admin), "/api/hooks").await.body;
    assert_eq!(listed[0]["pending"], 2, "{listed:?}");
    assert!(listed[0]["last_error"].as_str().unwrap().contains("503"));
    // Nothing after the first message was tried while the first was failing: order is kept.
    assert!(hooks.received().iter().all(|r| r.body["item_id"] == first["id"]));

    // The server restarts; the hook comes back.
    let app = app.restart().await;
    hooks.set_up(true);
    app.state.clock.advance(Duration::hours(2));
    eventually("both delivered", || hooks.accepted().len() >= 2).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let accepted = hooks.accepted();
    let items: Vec<&Value> = accepted.iter().map(|r| &r.body["item_id"]).collect();
    assert_eq!(items, [&first["id"], &second["id"]], "each once, in order");
    let admin = app.token("admin").await;
    assert_eq!(app.get(Some(&admin), "/api/hooks").await.body[0]["pending"], 0);
}

#[tokio::test]
async fn a_reminder_before_a_deadline_is_sent_once_by_two_instances() {
    let hooks = HookServer::start(true).await;
    let app = crate::journey::spawn_app().await;
    let other = app.another_instance().await;
    add_hook(&app, "新华街道", "webhook", format!("{}/street", hooks.address), None).await;
    let (id, _) = crate::journey::item_at_street(&app).await;
    // Not yet due soon: no reminder.
    assert_eq!(backend::jobs::send_reminders(&app.state).await.unwrap(), 0);
    // 2 hours before the street's 1-day deadline (the two instances read one clock), both run their jobs at once.
    app.state.clock.advance(Duration::hours(22));
    let (a, b) = tokio::join!(backend::jobs::send_reminders(&app.state), backend::jobs::send_reminders(&other.state));
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    assert_eq!(backend::jobs::send_reminders(&app.state).await.unwrap(), 0);
    backend::outbox::deliver(&app.state).await.unwrap();
    backend::outbox::deliver(&other.state).await.unwrap();
    let got = hooks.accepted();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].body["topic"], "reminder");
    assert_eq!(got[0].body["item_id"], id.as_str());
    // The item shows due soon.
    let dispatcher = app.token("dispatcher1").await;
    let item = app.get(Some(&dispatcher), &format!("/api/items/{id}")).await.body;
    assert_eq!(item["journey"]["due_soon"], true);
}
