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

    // Chase notices: only the supervision office, on any open item (overdue or not).
    let r = app.chase(&dispatcher, &stuck, &chase("请尽快派单")).await;
    assert_eq!(r.status, 403);
    let r = app.chase(&supervisor, &fresh.id, &chase("请尽快研判")).await;
    assert_eq!(r.status, 204, "an item within its time may be chased too: {:?}", r.body);
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

#[tokio::test]
async fn a_chased_unit_answers_with_a_promised_date_or_is_escalated_and_its_record_counts_it() {
    use shared::journey::{Reject, RejectReason};
    use shared::supervision::ChaseReply;
    let hooks = HookServer::start(true).await;
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let housing = app.unit_id(&admin, crate::journey::HOUSING).await;
    let hook =
        NewHook { unit_id: housing, kind: HookKind::Webhook, url: format!("{}/housing", hooks.address), secret: None };
    app.create_hook(&admin, &hook).await.with_status(201);
    let item = crate::journey::accepted_item(&app).await;
    let (supervisor, dept1, dispatcher) =
        (app.token("supervisor1").await, app.token("dept1").await, app.token("dispatcher1").await);

    // Day 1, within the 5 days: chased twice.
    app.state.clock.advance(Duration::days(1));
    app.chase(&supervisor, &item.id, &chase("请说明进展")).await.with_status(204);
    app.chase(&supervisor, &item.id, &chase("请加快办理")).await.with_status(204);
    let seen = app.item(&dept1, &item.id).await.ok();
    assert_eq!(seen.journey.chases.len(), 2);
    assert!(seen.journey.chases.iter().all(|c| c.can_reply && !c.escalated));
    assert!(!app.item(&dispatcher, &item.id).await.ok().journey.chases[0].can_reply, "the street is not chased");
    let (first, second) = (seen.journey.chases[0].id, seen.journey.chases[1].id);

    // The department answers the first with what it will do and by when; not twice, not by another unit.
    let promise = app.state.clock.now() + Duration::days(2);
    let reply = ChaseReply { reply: "已联系施工队，周五前更换".into(), promised_at: promise };
    let path = |id: i64| format!("/api/chases/{id}/reply");
    let r = app.post_as::<serde_json::Value, _>(&dispatcher, &path(first), &reply).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    let past = ChaseReply { promised_at: app.state.clock.now() - Duration::days(1), ..reply.clone() };
    let r = app.post_as::<serde_json::Value, _>(&dept1, &path(first), &past).await;
    assert_eq!((r.status, r.field()), (422, Some("promised_at")), "{:?}", r.body);
    assert_eq!(app.post_as::<serde_json::Value, _>(&dept1, &path(first), &reply).await.status, 204);
    let r = app.post_as::<serde_json::Value, _>(&dept1, &path(first), &reply).await;
    assert_eq!((r.status, r.code()), (409, "conflict"), "{:?}", r.body);

    // The second goes unanswered past its day: escalated once, to the department's hooks, red on the item.
    app.state.clock.advance(Duration::days(1) + Duration::hours(1));
    assert_eq!(backend::jobs::escalate_chases(&app.state).await.unwrap(), 1);
    assert_eq!(backend::jobs::escalate_chases(&app.state).await.unwrap(), 0);
    backend::outbox::deliver(&app.state).await.unwrap();
    let got: Vec<_> = hooks.accepted().into_iter().filter(|r| r.body["topic"] == "chase_escalated").collect();
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].body["title"].as_str().unwrap_or_default().contains("主要领导"), "{got:?}");
    let seen = app.item(&dept1, &item.id).await.ok();
    let answered = seen.journey.chases.iter().find(|c| c.id == first).unwrap();
    assert_eq!(answered.reply.as_deref(), Some("已联系施工队，周五前更换"));
    assert!(!answered.escalated);
    let ignored = seen.journey.chases.iter().find(|c| c.id == second).unwrap();
    assert!(ignored.escalated && ignored.reply.is_none());
    let events = app.item_events(&dept1, &item.id).await.ok();
    assert_eq!(events.iter().filter(|e| e.kind == "chase_answered").count(), 1);

    // A 退单 counts on the department's record beside the chase it did not answer.
    let (other, v) = item_at_street(&app).await;
    app.dispatch(&dispatcher, &other, &tests::client::dispatch_to(v, housing)).await.with_status(200);
    let reject =
        Reject { version: v + 1, reason: RejectReason::NotOurDuty, note: Some("不属于本部门职责".into()) };
    app.reject(&dept1, &other, &reject).await.with_status(200);
    let record = app.unit_records(&supervisor).await.ok();
    let dept = record.iter().find(|u| u.unit.id == housing).expect("the department's record");
    assert_eq!((dept.chases_90_days, dept.chases_unanswered, dept.rejections_90_days), (2, 1, 1), "{dept:?}");
}
