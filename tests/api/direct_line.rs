//! The direct line for major items (第三条, 第七条4) and the hooks: leaders told at once and acknowledging; the
//! WeCom, DingTalk and webhook formats against a local server; a hook down, then up, across a restart, receiving
//! each message once and in order; reminders before deadlines sent once with two backend instances.

use chrono::Duration;
use serde_json::Value;
use shared::item::{CreateItem, Item, UpdateItem};
use shared::journey::{Hook, HookKind, NewHook};
use shared::{Level, OrgKind};
use tests::hook_server::HookServer;
use tests::{spawn_app, spawn_app_with, TestApp};

use crate::items::{building, capture};

async fn major_item(app: &TestApp) -> Item {
    let grid1 = app.token("grid1").await;
    let body = CreateItem {
        level: Level::Major,
        content: "5号楼外墙大面积脱落，随时可能砸伤行人。".into(),
        ..capture(building(app, &grid1, 3).await)
    };
    app.create_item(&grid1, &body).await.with_status(201)
}

async fn add_hook(app: &TestApp, unit: &str, kind: HookKind, url: String, secret: Option<&str>) -> Hook {
    let admin = app.token("admin").await;
    let unit_id = if unit == "city" {
        app.units(&admin).await.iter().find(|u| u.kind == OrgKind::City).unwrap().id
    } else {
        app.unit_id(&admin, unit).await
    };
    let hook = NewHook { unit_id, kind, url, secret: secret.map(Into::into) };
    app.create_hook(&admin, &hook).await.with_status(201)
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
    let id = item.id.as_str();
    let (leader, street) = (app.token("leader1").await, app.token("street1").await);
    let pending = app.direct_reports(&leader, "pending=true").await.ok();
    assert_eq!(pending.len(), 1, "{pending:?}");
    assert_eq!(pending[0].item_id, id);
    assert!(pending[0].summary.contains("外墙"));
    assert_eq!(app.direct_reports(&street, "pending=true").await.ok().len(), 1);
    // Not the street's dispatcher, nor another street's leader.
    let dispatcher = app.token("dispatcher1").await;
    let theirs = app.direct_reports(&dispatcher, "pending=true").await.ok();
    assert!(theirs.is_empty(), "{theirs:?}");

    app.state.clock.advance(Duration::minutes(12));
    let report_id = pending[0].id;
    let r = app.acknowledge(&street, report_id).await;
    assert_eq!(r.status, 404, "one leader cannot acknowledge another's report");
    let r = app.acknowledge(&leader, report_id).await.with_status(200);
    assert!(r.acknowledged_at.is_some());
    let left = app.direct_reports(&leader, "pending=true").await.ok();
    assert!(left.is_empty(), "{left:?}");
    let seen = app.item(&leader, id).await.ok();
    let reports = &seen.journey.direct_reports;
    let mine = reports.iter().find(|r| r.leader.name == "吴书记").unwrap();
    assert_eq!(mine.minutes_to_acknowledge, Some(12));
    assert!(reports.iter().any(|r| r.leader.name == "赵强" && r.acknowledged_at.is_none()));

    // A general item raised to major later is reported then, once.
    let grid1 = app.token("grid1").await;
    let general = app.create_item(&grid1, &capture(building(&app, &grid1, 3).await)).await.ok().id;
    let none = app.direct_reports(&leader, "pending=true").await.ok();
    assert!(none.is_empty(), "{none:?}");
    let raise = UpdateItem { version: 1, level: Some(Level::Major), ..Default::default() };
    let r = app.update_item(&grid1, &general, &raise).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let more = UpdateItem {
        version: 2, content: Some("外墙脱落，补充：已拉警戒线。".into()), ..Default::default()
    };
    let r = app.update_item(&grid1, &general, &more).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let pending = app.direct_reports(&leader, "pending=true").await.ok();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].item_id, general);
}

#[tokio::test]
async fn hooks_get_wecom_dingtalk_and_webhook_formats() {
    let hooks = HookServer::start(true).await;
    let app = spawn_app().await;
    add_hook(&app, "city", HookKind::Wecom, format!("{}/wecom?key=abc", hooks.address), None).await;
    add_hook(&app, "city", HookKind::Dingtalk, format!("{}/dingtalk?access_token=t", hooks.address), Some("SECsecret"))
        .await;
    add_hook(&app, "新华街道", HookKind::Webhook, format!("{}/generic", hooks.address), None).await;
    let item = major_item(&app).await;
    let id = item.id.as_str();
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
    add_hook(&app, "city", HookKind::Webhook, format!("{}/hook", hooks.address), None).await;
    let first = major_item(&app).await;
    let second = major_item(&app).await;
    let admin = app.token("admin").await;
    // The hook refuses; the messages wait, with the error shown to the admin.
    eventually("a failed attempt", || hooks.received().len() >= 2).await;
    let listed = app.hooks(&admin).await.ok();
    assert_eq!(listed[0].pending, 2, "{listed:?}");
    assert!(listed[0].last_error.as_deref().unwrap().contains("503"));
    // Nothing after the first message was tried while the first was failing: order is kept.
    assert!(hooks.received().iter().all(|r| r.body["item_id"] == first.id.as_str()));

    // The server restarts; the hook comes back.
    let app = app.restart().await;
    hooks.set_up(true);
    app.state.clock.advance(Duration::hours(2));
    eventually("both delivered", || hooks.accepted().len() >= 2).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let accepted = hooks.accepted();
    let items: Vec<&Value> = accepted.iter().map(|r| &r.body["item_id"]).collect();
    assert_eq!(items, [first.id.as_str(), second.id.as_str()], "each once, in order");
    let admin = app.token("admin").await;
    assert_eq!(app.hooks(&admin).await.ok()[0].pending, 0);
}

#[tokio::test]
async fn a_reminder_before_a_deadline_is_sent_once_by_two_instances() {
    let hooks = HookServer::start(true).await;
    let app = crate::journey::spawn_app().await;
    let other = app.another_instance().await;
    add_hook(&app, "新华街道", HookKind::Webhook, format!("{}/street", hooks.address), None).await;
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
    let item = app.item(&dispatcher, &id).await.ok();
    assert!(item.journey.due_soon);
}

#[tokio::test]
async fn a_street_leader_logs_the_report_made_by_phone_on_a_major_item() {
    use shared::direct_line::{NewLeaderReport, ReportChannel};
    let app = spawn_app().await;
    let item = major_item(&app).await;
    let (street1, dispatcher, grid2) =
        (app.token("street1").await, app.token("dispatcher1").await, app.token("grid2").await);
    let now = app.state.clock.now();
    let call = NewLeaderReport {
        how: ReportChannel::Phone,
        to_whom: "市委书记".into(),
        reported_at: now,
        note: Some("已电话报告，要求今晚前排除险情".into()),
    };
    assert!(app.item(&street1, &item.id).await.ok().journey.can_log_leader_report);
    assert!(!app.item(&dispatcher, &item.id).await.ok().journey.can_log_leader_report);
    // Only a leader of the item's street logs one.
    assert_eq!(app.log_leader_report(&dispatcher, &item.id, &call).await.status, 403);
    assert_eq!(app.log_leader_report(&grid2, &item.id, &call).await.status, 404);
    // Each field checked by name.
    let nobody = NewLeaderReport { to_whom: " ".into(), ..call.clone() };
    let r = app.log_leader_report(&street1, &item.id, &nobody).await;
    assert_eq!((r.status, r.field()), (422, Some("to_whom")), "{:?}", r.body);
    let tomorrow = NewLeaderReport { reported_at: now + Duration::hours(3), ..call.clone() };
    let r = app.log_leader_report(&street1, &item.id, &tomorrow).await;
    assert_eq!((r.status, r.field()), (422, Some("reported_at")), "{:?}", r.body);
    let logged = app.log_leader_report(&street1, &item.id, &call).await.with_status(200);
    let report = &logged.journey.leader_reports[0];
    assert_eq!(
        (report.how, report.to_whom.as_str(), report.by.name.as_str()),
        (ReportChannel::Phone, "市委书记", "赵强")
    );
    let in_person = NewLeaderReport { how: ReportChannel::InPerson, to_whom: "市长".into(), note: None, ..call };
    let logged = app.log_leader_report(&street1, &item.id, &in_person).await.with_status(200);
    assert_eq!(logged.journey.leader_reports.len(), 2);
    let events = app.item_events(&street1, &item.id).await.ok();
    assert_eq!(events.iter().filter(|e| e.kind == "leader_reported").count(), 2);
    // A general item is not reported this way.
    let grid1 = app.token("grid1").await;
    let general = app.create_item(&grid1, &capture(building(&app, &grid1, 3).await)).await.with_status(201);
    let r = app.log_leader_report(&street1, &general.id, &in_person).await;
    assert_eq!((r.status, r.code()), (409, "wrong_stage"), "{:?}", r.body);
}
