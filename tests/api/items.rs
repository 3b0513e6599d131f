//! Items: idempotent capture, the ledger number, validation by field, scope, phone masking, versioned corrections
//! and the history.

use serde_json::{json, Value};
use shared::item::{ChannelSource, CreateItem, ItemStatus, UpdateItem};
use shared::{Channel, ItemType, Level};
use tests::{spawn_app, TestApp};

pub const GRID1: &str = "新华街道 / 和平社区 / 和平社区第一党群服务站 / 第一网格";

pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A valid capture at `place_id`.
pub fn capture(place_id: i64) -> CreateItem {
    CreateItem {
        id: new_id(),
        collected_at: None,
        channel: Channel::WechatVisit,
        source: Some(ChannelSource::Visit),
        item_type: ItemType::PublicFacilities,
        level: Level::General,
        place_id,
        address: None,
        latitude: None,
        longitude: None,
        gps_accuracy_m: None,
        resident_name: Some("张大爷".into()),
        resident_phone: Some("13912345678".into()),
        callback_consent: true,
        content: "3号楼楼道灯坏了一个多月，晚上看不见路。".into(),
        photo_ids: Vec::new(),
        visit_id: None,
        meeting_id: None,
        reception_id: None,
        building_leader_id: None,
        solved_on_spot: None,
    }
}

/// A valid capture at `place_id` as JSON, for a test to spoil one field of.
pub fn capture_json(place_id: i64) -> Value {
    serde_json::to_value(capture(place_id)).unwrap()
}

pub async fn building(app: &TestApp, token: &str, n: u32) -> i64 {
    app.unit_id(token, &format!("{GRID1} / {n}号楼")).await
}

#[tokio::test]
async fn a_capture_retried_with_the_same_id_makes_one_item() {
    let app = spawn_app().await;
    let grid1 = app.token("grid1").await;
    let body = capture(building(&app, &grid1, 3).await);
    let first = app.create_item(&grid1, &body).await.with_status(201);
    assert_eq!(first.seq, 1);
    assert_eq!(first.community.name, "和平社区");
    assert_eq!(first.place.full_name, format!("{GRID1} / 3号楼"));
    assert_eq!(first.collector.name, "王建华");
    assert_eq!(first.status, ItemStatus::Collected);
    assert_eq!(first.version, 1);

    let again = app.create_item(&grid1, &body).await.with_status(200);
    assert_eq!(again.id, first.id);
    assert_eq!(again.seq, 1);

    let changed = CreateItem { content: "另一件事".into(), ..body.clone() };
    let clash = app.create_item(&grid1, &changed).await;
    assert_eq!((clash.status, clash.field()), (409, Some("id")));

    let mine = app.my_items(&grid1, "").await.ok();
    assert_eq!(mine.total, 1);
    // The next item of the community is number 2; another community starts at 1.
    let second = app.create_item(&grid1, &capture(building(&app, &grid1, 1).await)).await.ok();
    assert_eq!(second.seq, 2);
    let grid2 = app.token("grid2").await;
    let other_grid = app.unit_id(&grid2, "福民街道 / 福民社区 / 福民社区党群服务站 / 第一网格").await;
    let other = app.create_item(&grid2, &capture(other_grid)).await.with_status(201);
    assert_eq!(other.seq, 1);
}

#[tokio::test]
async fn concurrent_captures_get_consecutive_numbers_without_gaps() {
    let app = spawn_app().await;
    let grid1 = app.token("grid1").await;
    let place = building(&app, &grid1, 2).await;
    let bodies: Vec<CreateItem> = (0..6).map(|_| capture(place)).collect();
    let futures = bodies.iter().map(|b| app.create_item(&grid1, b));
    let replies = futures::future::join_all(futures).await;
    let mut seqs: Vec<i64> = replies.into_iter().map(|r| r.ok().seq).collect();
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
        let mut body = capture_json(place);
        body[key] = value;
        let r = app.post(Some(&grid1), "/api/items", &body).await;
        assert!(r.status == 422, "{key}: {} {:?}", r.status, r.body);
        assert_eq!(r.body["field"], field, "{key}: {:?}", r.body);
        assert!(!r.body["message"].as_str().unwrap().is_empty());
    }
    assert_eq!(app.my_items(&grid1, "").await.ok().total, 0);
    // Roles that do not capture cannot.
    let dept = app.token("dept1").await;
    assert_eq!(app.create_item(&dept, &capture(place)).await.status, 403);
}

#[tokio::test]
async fn another_scope_cannot_read_an_item_and_phones_are_masked_for_non_callers() {
    let app = spawn_app().await;
    let grid1 = app.token("grid1").await;
    let item = app.create_item(&grid1, &capture(building(&app, &grid1, 3).await)).await.ok();
    let id = item.id.as_str();
    assert_eq!(item.resident_phone.as_deref(), Some("13912345678"));
    for user in ["grid2", "station2", "dept1"] {
        let t = app.token(user).await;
        assert_eq!(app.item(&t, id).await.status, 404, "{user}");
        assert_eq!(app.item_events(&t, id).await.status, 404, "{user}");
        let ledger = app.ledger(&t, "").await.ok();
        assert_eq!(ledger.total, 0, "{user}: {ledger:?}");
    }
    for user in ["station1", "community1", "street1"] {
        let t = app.token(user).await;
        let r = app.item(&t, id).await;
        assert_eq!(r.status, 200, "{user}");
        assert_eq!(r.ok().resident_phone.as_deref(), Some("13912345678"), "{user}");
    }
    let leader = app.token("leader1").await;
    let r = app.item(&leader, id).await.with_status(200);
    assert_eq!(r.resident_phone.as_deref(), Some("139****5678"));
}

#[tokio::test]
async fn corrections_are_versioned_and_kept_in_the_history() {
    let app = spawn_app().await;
    let grid1 = app.token("grid1").await;
    let item = app.create_item(&grid1, &capture(building(&app, &grid1, 3).await)).await.ok();
    let id = item.id.as_str();
    let correction = UpdateItem {
        version: 1,
        level: Some(Level::Major),
        resident_phone: Some("13800001111".into()),
        ..Default::default()
    };
    let r = app.update_item(&grid1, id, &correction).await.with_status(200);
    assert_eq!((r.level, r.version), (Level::Major, 2));
    // Someone still holding version 1 is refused.
    let stale = UpdateItem { version: 1, content: Some("改内容".into()), ..Default::default() };
    let stale = app.update_item(&app.token("station1").await, id, &stale).await;
    assert_eq!((stale.status, stale.code()), (409, "stale_version"));

    let events = app.item_events(&grid1, id).await.ok();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].kind, "created");
    assert_eq!(events[1].actor.name, "王建华");
    let changes = &events[1].changes;
    let level = changes.iter().find(|c| c.field == "level").unwrap();
    assert_eq!((level.before.as_deref(), level.after.as_deref()), (Some("一般性"), Some("重大性")));
    let phone = changes.iter().find(|c| c.field == "resident_phone").unwrap();
    assert_eq!(phone.after.as_deref(), Some("138****1111"));
    // No endpoint edits or deletes an event.
    let event = events[0].id;
    let path = format!("/api/items/{id}/events/{event}");
    let del = app.client.delete(app.url(&path)).bearer_auth(&grid1).send().await.unwrap();
    assert!(del.status() == 404 || del.status() == 405);
}
