//! Supervision (第八条′) on both engines: the city-wide overdue queue with days overdue, chase notices recorded on
//! the item and sent to the holder's hooks, and each unit's record with repeat offenders.

use chrono::Duration;
use shared::item::ItemStatus;
use shared::journey::{HookKind, NewHook};
use shared::supervision::Chase;
use tests::hook_server::HookServer;

use crate::items::{building, capture};
use crate::journey::{item_at_street, spawn_app};

fn chase(note: &str) -> Chase {
    Chase { note: note.into() }
}

#[tokio::test]
async fn the_supervision_office_chases_overdue_units_and_sees_repeat_offenders() {
    let hooks = HookServer::start(true).await;
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let street_id = app.unit_id(&admin, "新华街道").await;
    let hook =
        NewHook { unit_id: street_id, kind: HookKind::Webhook, url: format!("{}/street", hooks.address), secret: None };
    let r = app.create_hook(&admin, &hook).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let (stuck, _) = item_at_street(&app).await;
    let grid1 = app.token("grid1").await;
    let fresh = app.create_item(&grid1, &capture(building(&app, &grid1, 3).await)).await.ok();

    // Two days on: the sheet has waited at the street a day past its 1-day limit; the new item is within its 3 days.
    app.state.clock.advance(Duration::days(2) + Duration::hours(1));
    let supervisor = app.token("supervisor1").await;
    let queue = app.overdue(&supervisor).await.with_status(200);
    assert_eq!(queue.len(), 1, "{queue:?}");
    assert_eq!(queue[0].id, stuck);
    assert_eq!(queue[0].status, ItemStatus::AtStreet);
    assert_eq!(queue[0].holder.name, "新华街道");
    assert_eq!(queue[0].days_overdue, 1);
    let dispatcher = app.token("dispatcher1").await;
    assert_eq!(app.overdue(&dispatcher).await.status, 403);

    // Chase notices: only the supervision office, only overdue items.
    let r = app.chase(&dispatcher, &stuck, &chase("请尽快派单")).await;
    assert_eq!(r.status, 403);
    let r = app.chase(&supervisor, &fresh.id, &chase("请尽快研判")).await;
    assert_eq!((r.status, r.code()), (409, "wrong_stage"));
    for _ in 0..3 {
        let r = app.chase(&supervisor, &stuck, &chase("请于今日内派单")).await;
        assert_eq!(r.status, 204, "{:?}", r.body);
    }
    let events = app.item_events(&dispatcher, &stuck).await.ok();
    let chased: Vec<_> = events.iter().filter(|e| e.kind == "chased").collect();
    assert_eq!(chased.len(), 3);
    assert_eq!(chased[0].label, "督查室催办");
    backend::outbox::deliver(&app.state).await.unwrap();
    let got = hooks.accepted();
    assert_eq!(got.iter().filter(|r| r.body["topic"] == "chase").count(), 3, "{got:?}");
    assert!(got.iter().any(|r| r.body["title"].as_str().unwrap().contains("督查室催办")), "{got:?}");

    let record = app.unit_records(&supervisor).await.ok();
    let street = record.iter().find(|u| u.unit.name == "新华街道").unwrap();
    assert_eq!(street.overdue_now, 1);
    assert_eq!(street.chases_90_days, 3);
    assert_eq!(street.items_chased_repeatedly, 1);
    assert!(street.repeat_offender);
    assert_eq!(record[0].unit.name, "新华街道", "repeat offenders first");
    let queue = app.overdue(&supervisor).await.ok();
    assert_eq!(queue[0].chases, 3);
}
