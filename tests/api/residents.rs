//! Residents' personal information (issue 17): the city's administrator finds a resident's items by phone number,
//! exports them and masks them, each act audited; the retention job masks what was closed longer than the period.

use chrono::Duration;
use diesel::prelude::*;
use shared::item::{CreateItem, FeedbackMethod, SolveLocally, TellResident, UpdateItem};
use shared::privacy::{MaskResident, ResidentData, MASKED_NAME};
use tests::TestApp;

use crate::items::{building, capture};
use crate::journey::spawn_app_at;

const PHONE: &str = "13700002222";

/// What the database holds of an item's history and the audit trail, as text.
fn raw(app: &TestApp, item_id: &str) -> (Vec<String>, Vec<String>) {
    use backend::db::schema::{audit_log, item_events};
    let mut conn = app.state.db.conn().expect("conn");
    let events = item_events::table
        .filter(item_events::item_id.eq(item_id))
        .select(item_events::changes)
        .load::<String>(&mut *conn)
        .expect("events");
    let audit = audit_log::table
        .filter(audit_log::action.like("resident.%"))
        .order(audit_log::id)
        .select(audit_log::action.concat(" ").concat(audit_log::detail))
        .load::<String>(&mut *conn)
        .expect("audit");
    (events, audit)
}

/// An item of the resident's, its phone changed once (so its history holds two numbers); returns its id.
async fn an_item_of_the_resident(app: &TestApp) -> String {
    let grid1 = app.token("grid1").await;
    let body = CreateItem {
        resident_name: Some("李阿姨".into()),
        address: Some("和平小区3号楼2单元401".into()),
        ..capture(building(app, &grid1, 3).await)
    };
    let item = app.create_item(&grid1, &body).await.with_status(201);
    let fix = UpdateItem { version: 1, resident_phone: Some(PHONE.into()), ..Default::default() };
    app.update_item(&grid1, &item.id, &fix).await.with_status(200);
    item.id
}

#[tokio::test]
async fn the_administrator_finds_exports_and_masks_a_residents_items_and_each_act_is_audited() {
    let app = spawn_app_at(tests::city_time(2026, 12, 2, 10, 0)).await;
    let id = an_item_of_the_resident(&app).await;
    let admin = app.token("admin").await;

    // Only the city's administrator, and only with a real number.
    assert_eq!(app.get(Some(&app.token("street1").await), &format!("/api/residents?phone={PHONE}")).await.status, 403);
    let bad = app.get(Some(&admin), "/api/residents?phone=123").await;
    assert_eq!((bad.status, bad.body["field"].as_str()), (422, Some("phone")));

    let found = app.get(Some(&admin), "/api/residents?phone=137-0000-2222").await;
    assert_eq!(found.status, 200, "{:?}", found.body);
    let found: ResidentData = serde_json::from_value(found.body).unwrap();
    assert_eq!(found.phone, PHONE);
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].id, id);
    assert_eq!(found.items[0].resident_name.as_deref(), Some("李阿姨"));
    assert_eq!(found.retention_years, 3);

    let (status, file) = app.get_bytes(Some(&admin), &format!("/api/residents/export?phone={PHONE}")).await;
    assert_eq!(status, 200);
    let exported: ResidentData = serde_json::from_slice(&file).unwrap();
    assert_eq!(exported, found);

    let no_reason =
        app.post(Some(&admin), "/api/residents/mask", &MaskResident { phone: PHONE.into(), reason: " ".into() }).await;
    assert_eq!((no_reason.status, no_reason.body["field"].as_str()), (422, Some("reason")));
    let body = MaskResident { phone: PHONE.into(), reason: "居民本人2026年12月1日书面申请删除".into() };
    let masked = app.post(Some(&admin), "/api/residents/mask", &body).await;
    assert_eq!((masked.status, masked.body["items"].as_i64()), (200, Some(1)), "{:?}", masked.body);

    // The item keeps its facts; the person is gone from it and from its history.
    let item = app.item(&app.token("station1").await, &id).await.ok();
    assert_eq!(item.resident_name.as_deref(), Some(MASKED_NAME));
    assert_eq!((item.resident_phone, item.address), (None, None));
    assert!(item.content.contains("楼道灯"));
    let (events, _) = raw(&app, &id);
    for e in &events {
        assert!(!e.contains(PHONE) && !e.contains("13912345678") && !e.contains("李阿姨"), "history keeps it: {e}");
    }
    let history = app.item_events(&admin, &id).await.ok();
    assert_eq!(history.last().map(|e| e.kind.as_str()), Some("personal_data_masked"));
    // Found no more by the number.
    let again: ResidentData =
        serde_json::from_value(app.get(Some(&admin), &format!("/api/residents?phone={PHONE}")).await.body).unwrap();
    assert!(again.items.is_empty());
    // Each act is in the audit trail, the number not spelled out.
    let (_, audit) = raw(&app, &id);
    let actions: Vec<&str> = audit.iter().map(|a| a.split(' ').next().unwrap_or("")).collect();
    assert_eq!(actions, ["resident.lookup", "resident.export", "resident.mask", "resident.lookup"], "{audit:?}");
    assert!(audit.iter().all(|a| !a.contains(PHONE) && a.contains("137****2222")), "{audit:?}");
}

#[tokio::test]
async fn the_retention_job_masks_what_closed_longer_ago_than_the_period_and_nothing_else() {
    let app = spawn_app_at(tests::city_time(2026, 12, 2, 10, 0)).await;
    let grid1 = app.token("grid1").await;
    let secretary = app.token("community1").await;
    // Closed now: solved by the community and the resident told.
    let old = app.create_item(&grid1, &capture(building(&app, &grid1, 3).await)).await.ok();
    app.solve_locally(&secretary, &old.id, &SolveLocally { version: 1, result: "已修好。".into() })
        .await
        .with_status(200);
    let tell = TellResident { version: 2, how: FeedbackMethod::Visit, note: None };
    app.tell_resident(&grid1, &old.id, &tell).await.with_status(200);
    let open = app.create_item(&grid1, &capture(building(&app, &grid1, 3).await)).await.ok();

    // A day short of three years: nothing is masked yet.
    app.state.clock.advance(Duration::days(365 * 3 - 1));
    assert_eq!(backend::jobs::mask_expired(&app.state).await.unwrap(), 0);
    app.state.clock.advance(Duration::days(2));
    assert_eq!(backend::jobs::mask_expired(&app.state).await.unwrap(), 1);
    assert_eq!(backend::jobs::mask_expired(&app.state).await.unwrap(), 0, "once");
    let station = app.token("station1").await;
    let masked = app.item(&station, &old.id).await.ok();
    assert_eq!((masked.resident_name.as_deref(), masked.resident_phone.as_deref()), (Some(MASKED_NAME), None));
    let still = app.item(&station, &open.id).await.ok();
    assert_eq!(still.resident_name.as_deref(), Some("张大爷"), "an open item keeps its resident");
    let (_, audit) = raw(&app, &old.id);
    assert!(audit.iter().any(|a| a.starts_with("resident.retention")), "{audit:?}");
}
