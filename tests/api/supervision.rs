//! Supervision (第八条′) on both engines: the city-wide overdue queue with days overdue, chase notices recorded on
//! the item and sent to the holder's hooks, and each unit's record with repeat offenders.

use chrono::Duration;
use serde_json::json;
use tests::hook_server::HookServer;

use crate::items::{building, capture};
use crate::journey::{item_at_street, spawn_app};

#[tokio::test]
async fn the_supervision_office_chases_overdue_units_and_sees_repeat_offenders() {
    let hooks = HookServer::start(true).await;
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let street_id = app.unit_id(&admin, "新华街道").await;
    let r = app
        .post(
            Some(&admin),
            "/api/hooks",
            &json!({"unit_id": street_id, "kind": "webhook", "url": format!("{}/street", hooks.address)}),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let (stuck, _) = item_at_street(&app).await;
    let grid1 = app.token("grid1").await;
    let fresh = app.post(Some(&grid1), "/api/items", &capture(building(&app, &grid1, 3).await)).await.body;

    // Two days on: the sheet has waited at the street a day past its 1-day limit; the new item is within its 3 days.
    app.state.clock.advance(Duration::days(2) + Duration::hours(1));
    let supervisor = app.token("supervisor1").await;
    let queue = app.get(Some(&supervisor), "/api/supervision/overdue").await;
    assert_eq!(queue.status, 200, "{:?}", queue.body);
    let queue = queue.body;
    assert_eq!(queue.as_array().unwrap().len(), 1, "{queue:?}");
    assert_eq!(queue[0]["id"], stuck.as_str());
    assert_eq!(queue[0]["status"], "at_street");
    assert_eq!(queue[0]["holder"]["name"], "新华街道");
    assert_eq!(queue[0]["days_overdue"], 1);
    let dispatcher = app.token("dispatcher1").await;
    assert_eq!(app.get(Some(&dispatcher), "/api/supervision/overdue").await.status, 403);

    // Chase notices: only the supervision office, only overdue items.
    let r = app.post(Some(&dispatcher), &format!("/api/items/{stuck}/chase"), &json!({"note": "请尽快派单"})).await;
    assert_eq!(r.status, 403);
    let fresh_id = fresh["id"].as_str().unwrap();
    let r = app.post(Some(&supervisor), &format!("/api/items/{fresh_id}/chase"), &json!({"note": "请尽快研判"})).await;
    assert_eq!((r.status, r.code()), (409, "wrong_stage"));
    for _ in 0..3 {
        let r =
            app.post(Some(&supervisor), &format!("/api/items/{stuck}/chase"), &json!({"note": "请于今日内派单"})).await;
        assert_eq!(r.status, 204, "{:?}", r.body);
    }
    let events = app.get(Some(&dispatcher), &format!("/api/items/{stuck}/events")).await.body;
    let chased: Vec<_> = events.as_array().unwrap().iter().filter(|e| e["kind"] == "chased").collect();
    assert_eq!(chased.len(), 3);
    assert_eq!(chased[0]["label"], "督查室催办");
    backend::outbox::deliver(&app.state).await.unwrap();
    let got = hooks.accepted();
    assert_eq!(got.iter().filter(|r| r.body["topic"] == "chase").count(), 3, "{got:?}");
    assert!(got.iter().any(|r| r.body["title"].as_str().unwrap().contains("督查室催办")), "{got:?}");

    let record = app.get(Some(&supervisor), "/api/supervision/units").await.body;
    let street = record.as_array().unwrap().iter().find(|u| u["unit"]["name"] == "新华街道").unwrap();
    assert_eq!(street["overdue_now"], 1);
    assert_eq!(street["chases_90_days"], 3);
    assert_eq!(street["items_chased_repeatedly"], 1);
    assert_eq!(street["repeat_offender"], true);
    assert_eq!(record[0]["unit"]["name"], "新华街道", "repeat offenders first");
    let queue = app.get(Some(&supervisor), "/api/supervision/overdue").await.body;
    assert_eq!(queue[0]["chases"], 3);
}
