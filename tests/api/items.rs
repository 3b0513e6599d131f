//! Items: idempotent capture, the ledger number, validation by field, scope, phone masking, versioned corrections
//! and the history.

use serde_json::{json, Value};
use tests::{spawn_app, TestApp};

pub const GRID1: &str = "新华街道 / 和平社区 / 和平社区第一党群服务站 / 第一网格";

pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A valid capture at `place_id`.
pub fn capture(place_id: i64) -> Value {
    json!({
        "id": new_id(), "channel": "wechat_visit", "source": "visit", "item_type": "public_facilities",
        "level": "general", "place_id": place_id, "resident_name": "张大爷", "resident_phone": "13912345678",
        "callback_consent": true, "content": "3号楼楼道灯坏了一个多月，晚上看不见路。"
    })
}

pub async fn building(app: &TestApp, token: &str, n: u32) -> i64 {
    app.unit_id(token, &format!("{GRID1} / {n}号楼")).await
}

#[tokio::test]
async fn a_capture_retried_with_the_same_id_makes_one_item() {
    let app = spawn_app().await;
    let grid1 = app.token("grid1").await;
    let body = capture(building(&app, &grid1, 3).await);
    let first = app.post(Some(&grid1), "/api/items", &body).await;
    assert_eq!(first.status, 201, "{:?}", first.body);
    assert_eq!(first.body["seq"], 1);
    assert_eq!(first.body["community"]["name"], "和平社区");
    assert_eq!(first.body["place"]["full_name"], format!("{GRID1} / 3号楼"));
    assert_eq!(first.body["collector"]["name"], "王建华");
    assert_eq!(first.body["status"], "collected");
    assert_eq!(first.body["version"], 1);

    let again = app.post(Some(&grid1), "/api/items", &body).await;
    assert_eq!(again.status, 200);
    assert_eq!(again.body["id"], first.body["id"]);
    assert_eq!(again.body["seq"], 1);

    let mut changed = body.clone();
    changed["content"] = json!("另一件事");
    let clash = app.post(Some(&grid1), "/api/items", &changed).await;
    assert_eq!((clash.status, clash.body["field"].as_str()), (409, Some("id")));

    let mine = app.get(Some(&grid1), "/api/items/mine").await;
    assert_eq!(mine.body["total"], 1);
    // The next item of the community is number 2; another community starts at 1.
    let second = app.post(Some(&grid1), "/api/items", &capture(building(&app, &grid1, 1).await)).await;
    assert_eq!(second.body["seq"], 2);
    let grid2 = app.token("grid2").await;
    let other_grid = app.unit_id(&grid2, "福民街道 / 福民社区 / 福民社区党群服务站 / 第一网格").await;
    let other = app.post(Some(&grid2), "/api/items", &capture(other_grid)).await;
    assert_eq!((other.status, other.body["seq"].as_i64()), (201, Some(1)));
}

#[tokio::test]
async fn concurrent_captures_get_consecutive_numbers_without_gaps() {
    let app = spawn_app().await;
    let grid1 = app.token("grid1").await;
    let place = building(&app, &grid1, 2).await;
    let bodies: Vec<Value> = (0..6).map(|_| capture(place)).collect();
    let futures = bodies.iter().map(|b| app.post(Some(&grid1), "/api/items", b));
    let replies = futures::future::join_all(futures).await;
    let mut seqs: Vec<i64> = replies.iter().map(|r| r.body["seq"].as_i64().unwrap()).collect();
    seqs.sort();
    assert_eq!(seqs, vec![1, 2, 3, 4, 5, 6]);
}

#[tokio::test]
async fn each_bad_field_is_named() {
    let app = spawn_app().await;
    let grid1 = app.token("grid1").await;
    let place = building(&app, &grid1, 1).await;
    let grid2 = app.token("grid2").await;
    let other_grid = app.unit_id(&grid2, "福民街道 / 福民社区 / 福民社区党群服务站 / 第一网格").await;
    let cases: Vec<(&str, Value, &str)> = vec![
        ("content", json!("   "), "content"),
        ("content", json!("字".repeat(2001)), "content"),
        ("resident_phone", json!("1234"), "resident_phone"),
        ("place_id", json!(other_grid), "place_id"),
        ("place_id", json!(999999), "place_id"),
        ("source", json!("hotline"), "source"),
        ("id", json!("not-a-uuid"), "id"),
        ("collected_at", json!("2099-01-01T00:00:00Z"), "collected_at"),
        ("latitude", json!(123.0), "latitude"),
        ("resident_name", json!("名".repeat(41)), "resident_name"),
        ("photo_ids", json!((0..10).map(|_| new_id()).collect::<Vec<_>>()), "photo_ids"),
        ("photo_ids", json!([new_id()]), "photo_ids[0]"),
    ];
    for (key, value, field) in cases {
        let mut body = capture(place);
        body[key] = value;
        let r = app.post(Some(&grid1), "/api/items", &body).await;
        assert!(r.status == 422, "{key}: {} {:?}", r.status, r.body);
        assert_eq!(r.body["field"], field, "{key}: {:?}", r.body);
        assert!(!r.body["message"].as_str().unwrap().is_empty());
    }
    assert_eq!(app.get(Some(&grid1), "/api/items/mine").await.body["total"], 0);
    // Roles that do not capture cannot.
    let dept = app.token("dept1").await;
    assert_eq!(app.post(Some(&dept), "/api/items", &capture(place)).await.status, 403);
}

#[tokio::test]
async fn another_scope_cannot_read_an_item_and_phones_are_masked_for_non_callers() {
    let app = spawn_app().await;
    let grid1 = app.token("grid1").await;
    let item = app.post(Some(&grid1), "/api/items", &capture(building(&app, &grid1, 3).await)).await.body;
    let path = format!("/api/items/{}", item["id"].as_str().unwrap());
    assert_eq!(item["resident_phone"], "13912345678");
    for user in ["grid2", "station2", "dept1"] {
        let t = app.token(user).await;
        assert_eq!(app.get(Some(&t), &path).await.status, 404, "{user}");
        assert_eq!(app.get(Some(&t), &format!("{path}/events")).await.status, 404, "{user}");
        let ledger = app.get(Some(&t), "/api/ledger").await;
        assert_eq!(ledger.body["total"], 0, "{user}: {:?}", ledger.body);
    }
    for user in ["station1", "community1", "street1"] {
        let t = app.token(user).await;
        let r = app.get(Some(&t), &path).await;
        assert_eq!(r.status, 200, "{user}");
        assert_eq!(r.body["resident_phone"], "13912345678", "{user}");
    }
    let leader = app.token("leader1").await;
    let r = app.get(Some(&leader), &path).await;
    assert_eq!((r.status, r.body["resident_phone"].as_str()), (200, Some("139****5678")));
}

#[tokio::test]
async fn corrections_are_versioned_and_kept_in_the_history() {
    let app = spawn_app().await;
    let grid1 = app.token("grid1").await;
    let item = app.post(Some(&grid1), "/api/items", &capture(building(&app, &grid1, 3).await)).await.body;
    let path = format!("/api/items/{}", item["id"].as_str().unwrap());
    let r =
        app.patch(Some(&grid1), &path, &json!({"version": 1, "level": "major", "resident_phone": "13800001111"})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!((r.body["level"].as_str(), r.body["version"].as_i64()), (Some("major"), Some(2)));
    // Someone still holding version 1 is refused.
    let stale = app.patch(Some(&app.token("station1").await), &path, &json!({"version": 1, "content": "改内容"})).await;
    assert_eq!((stale.status, stale.code()), (409, "stale_version"));

    let events = app.get(Some(&grid1), &format!("{path}/events")).await.body;
    let events = events.as_array().unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["kind"], "created");
    assert_eq!(events[1]["actor"]["name"], "王建华");
    let changes = events[1]["changes"].as_array().unwrap();
    let level = changes.iter().find(|c| c["field"] == "level").unwrap();
    assert_eq!((level["before"].as_str(), level["after"].as_str()), (Some("一般性"), Some("重大性")));
    let phone = changes.iter().find(|c| c["field"] == "resident_phone").unwrap();
    assert_eq!(phone["after"], "138****1111");
    // No endpoint edits or deletes an event.
    let id = events[0]["id"].as_i64().unwrap();
    let del = app.client.delete(app.url(&format!("{path}/events/{id}"))).bearer_auth(&grid1).send().await.unwrap();
    assert!(del.status() == 404 || del.status() == 405);
}
