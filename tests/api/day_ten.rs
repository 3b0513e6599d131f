//! Day 10 (第七条2, issue 18): ten days after 接单 unsolved, the department and the street are told once through
//! their hooks and every queue marks the item; the department's head records the on-site office (or the street or
//! community its on-site meeting with residents' representatives), and only then is a late 返单 or any 无法办结 taken.

use chrono::Duration;
use shared::item::ItemStatus;
use shared::journey::{EventKind, HookKind, NewHook, QueueRow, ReturnSheet};
use shared::onsite::{OnsiteAttendee, OnsiteKind};
use shared::OrgKind;
use tests::client::{onsite_office, solved_sheet};
use tests::hook_server::HookServer;
use tests::TestApp;

use crate::journey::{accepted_item, item_at_street, spawn_app, HOUSING};

async fn add_hook(app: &TestApp, unit: &str, url: String) {
    let admin = app.token("admin").await;
    let unit_id = app.unit_id(&admin, unit).await;
    let hook = NewHook { unit_id, kind: HookKind::Webhook, url, secret: None };
    app.create_hook(&admin, &hook).await.with_status(201);
}

async fn in_progress(app: &TestApp, token: &str) -> Vec<QueueRow> {
    app.get_as::<Vec<QueueRow>>(token, "/api/queue?stage=in_progress").await.ok()
}

#[tokio::test]
async fn day_ten_is_told_once_to_the_department_and_the_street_and_marked_on_their_queues() {
    let hooks = HookServer::start(true).await;
    let app = spawn_app().await;
    let other = app.another_instance().await;
    add_hook(&app, "新华街道", format!("{}/street", hooks.address)).await;
    add_hook(&app, HOUSING, format!("{}/department", hooks.address)).await;
    let item = accepted_item(&app).await;
    let (dept1, head, dispatcher) =
        (app.token("dept1").await, app.token("depthead1").await, app.token("dispatcher1").await);

    // Day 9: nothing yet.
    app.state.clock.advance(Duration::days(9));
    assert_eq!(backend::jobs::tell_day_ten(&app.state).await.unwrap(), 0);
    assert!(!in_progress(&app, &dept1).await[0].past_ten_days);

    // Day 11: two instances run their jobs at once; the dispatch is told once.
    app.state.clock.advance(Duration::days(2));
    let (a, b) = tokio::join!(backend::jobs::tell_day_ten(&app.state), backend::jobs::tell_day_ten(&other.state));
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    assert_eq!(backend::jobs::tell_day_ten(&app.state).await.unwrap(), 0);
    backend::outbox::deliver(&app.state).await.unwrap();
    backend::outbox::deliver(&other.state).await.unwrap();
    // The dispatch itself was told to the department before; what day 10 sent:
    let got: Vec<_> = hooks.accepted().into_iter().filter(|r| r.body["topic"] == "day_ten").collect();
    let mut paths: Vec<&str> = got.iter().map(|r| r.path_and_query.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(paths, ["/department", "/street"], "{got:?}");
    for r in &got {
        assert_eq!(r.body["item_id"], item.id.as_str());
        assert!(r.body["title"].as_str().unwrap_or_default().contains("满10日未办结"), "{:?}", r.body);
    }

    // Every queue listing the item marks it: the department's handler and head, the street's.
    for token in [&dept1, &head, &dispatcher] {
        let rows = in_progress(&app, token).await;
        let row = rows.iter().find(|r| r.id == item.id).expect("the item is on the queue");
        assert!(row.past_ten_days && !row.onsite_recorded, "{row:?}");
    }

    // The head leads the on-site office; the queues show it recorded and the late 返单 goes through.
    let recorded = app.hold_onsite_office(&head, &item.id).await;
    let record = &recorded.journey.onsite_records[0];
    assert_eq!(record.kind, OnsiteKind::DepartmentOffice);
    assert_eq!(record.unit.name, HOUSING);
    assert_eq!(record.attendees.len(), 2);
    assert!(in_progress(&app, &dispatcher).await.iter().all(|r| r.onsite_recorded));
    let late = ReturnSheet {
        measures_clear: Some(true),
        measures: Some("联合物业更换主管道".into()),
        ..solved_sheet(recorded.version, "已更换。")
    };
    let done = app.return_sheet(&dept1, &item.id, &late).await.with_status(200);
    assert_eq!(done.journey.dispatch.as_ref().and_then(|d| d.onsite), Some(true), "是否现场办公 follows the record");
    let events = app.item_events(&dept1, &item.id).await.ok();
    assert!(events.iter().any(|e| e.kind == EventKind::OnsiteRecorded.code()));
}

#[tokio::test]
async fn only_the_handling_department_and_the_items_street_or_community_record_on_site() {
    let app = spawn_app().await;
    let (street_item, _) = item_at_street(&app).await;
    let (dept1, dispatcher, community, grid1) = (
        app.token("dept1").await,
        app.token("dispatcher1").await,
        app.token("community1").await,
        app.token("grid1").await,
    );
    let now = app.state.clock.now();
    // Before a department accepted it: nothing to record yet.
    let r = app.record_onsite(&dispatcher, &street_item, &onsite_office(now)).await;
    assert_eq!((r.status, r.code()), (409, "wrong_stage"), "{:?}", r.body);

    let item = accepted_item(&app).await;
    app.state.clock.advance(Duration::days(2));
    let now = app.state.clock.now();
    // A grid leader, and a department that does not hold the item, may not.
    let r = app.record_onsite(&grid1, &item.id, &onsite_office(now)).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    let station2 = app.token("station2").await;
    let r = app.record_onsite(&station2, &item.id, &onsite_office(now)).await;
    assert_eq!(r.status, 404, "{:?}", r.body);

    // The street's meeting needs a residents' representative (第七条2: 协调相关部门、居民代表).
    let officials_only = shared::onsite::NewOnsiteRecord {
        attendees: vec![OnsiteAttendee { name: "李局长".into(), role: "部门主要领导".into() }],
        ..onsite_office(now)
    };
    let r = app.record_onsite(&dispatcher, &item.id, &officials_only).await;
    assert_eq!((r.status, r.field()), (422, Some("attendees")), "{:?}", r.body);
    let met = app.record_onsite(&dispatcher, &item.id, &onsite_office(now)).await.with_status(200);
    let meeting = &met.journey.onsite_records[0];
    assert_eq!((meeting.kind, meeting.unit.kind), (OnsiteKind::StreetMeeting, OrgKind::Street));
    let met = app.record_onsite(&community, &item.id, &onsite_office(now)).await.with_status(200);
    assert_eq!(met.journey.onsite_records[1].unit.kind, OrgKind::Community);
    assert_eq!(met.journey.can_record_onsite, Some(OnsiteKind::StreetMeeting));

    // The department's own record: when and where it was held, checked field by field.
    let future = shared::onsite::NewOnsiteRecord { held_at: now + Duration::hours(2), ..onsite_office(now) };
    let r = app.record_onsite(&dept1, &item.id, &future).await;
    assert_eq!((r.status, r.field()), (422, Some("held_at")), "{:?}", r.body);
    let before_accept = shared::onsite::NewOnsiteRecord { held_at: now - Duration::days(3), ..onsite_office(now) };
    let r = app.record_onsite(&dept1, &item.id, &before_accept).await;
    assert_eq!((r.status, r.field()), (422, Some("held_at")), "{:?}", r.body);
    let nowhere = shared::onsite::NewOnsiteRecord { place: " ".into(), ..onsite_office(now) };
    let r = app.record_onsite(&dept1, &item.id, &nowhere).await;
    assert_eq!((r.status, r.field()), (422, Some("place")), "{:?}", r.body);
    let office = app.hold_onsite_office(&dept1, &item.id).await;
    assert_eq!(office.journey.onsite_records[2].kind, OnsiteKind::DepartmentOffice);
    assert_eq!(office.journey.can_record_onsite, Some(OnsiteKind::DepartmentOffice));
}

#[tokio::test]
async fn an_item_is_declared_unsolvable_only_after_an_on_site_record() {
    let app = spawn_app().await;
    let item = accepted_item(&app).await;
    let dept1 = app.token("dept1").await;
    // Day 1: "无法办结" at once is refused; the regulation allows it only after repeated coordination.
    app.state.clock.advance(Duration::days(1));
    let unsolvable = ReturnSheet {
        solved: false,
        measures_clear: Some(false),
        unsolved_reason: Some("涉及规划调整".into()),
        countermeasures: Some("列入明年计划".into()),
        ..solved_sheet(item.version, "已查看。")
    };
    let r = app.return_sheet(&dept1, &item.id, &unsolvable).await;
    assert_eq!((r.status, r.field()), (422, Some("solved")), "{:?}", r.body);
    let still = app.item(&dept1, &item.id).await.ok();
    assert_eq!(still.status, ItemStatus::InProgress, "nothing changed");
    // After the on-site office, it may go to the head for signature.
    app.hold_onsite_office(&dept1, &item.id).await;
    let signed = app.return_sheet(&dept1, &item.id, &unsolvable).await.with_status(200);
    assert_eq!(signed.status, ItemStatus::AwaitingSignoff);
    // Once returned, no more on-site records: the department no longer handles it.
    let r = app.record_onsite(&dept1, &item.id, &onsite_office(app.state.clock.now())).await;
    assert_eq!((r.status, r.code()), (409, "wrong_stage"), "{:?}", r.body);
}
