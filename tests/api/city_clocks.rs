//! The clocks the city sets itself (issue 18): the street's dispatch, the department's 接单 and the head's signature
//! (the regulation sets none of them), and a major item's hours at the community and the street (第四条: 需马上解决);
//! major items first on every queue.

use chrono::Duration;
use shared::item::{CreateItem, ItemStatus, SendToStreet, UpdateItem};
use shared::journey::{ClockSettings, QueueRow};
use shared::settings::CityClocks;
use shared::Level;
use tests::client::dispatch_to;

use crate::items::{building, capture};
use crate::journey::{accepted_item, dept_id, spawn_app, HOUSING};

/// The test server's clock runs on while a request is served: a due time is the server's now plus the limit.
fn near(due: Option<chrono::DateTime<chrono::Utc>>, expected: chrono::DateTime<chrono::Utc>) {
    let due = due.expect("a due time");
    assert!((due - expected).num_seconds().abs() < 5, "due {due}, expected about {expected}");
}

#[tokio::test]
async fn the_city_sets_its_own_clocks_and_a_major_item_moves_in_hours() {
    let app = spawn_app().await;
    let (admin, grid1, community, dispatcher) = (
        app.token("admin").await,
        app.token("grid1").await,
        app.token("community1").await,
        app.token("dispatcher1").await,
    );
    let clocks = app.clock_settings(&dispatcher).await.ok();
    assert_eq!(clocks.city, Some(CityClocks::default()));
    assert_eq!(CityClocks::default().major_community_hours, 12);

    // Only the city's admin sets them, within range, named by field.
    let faster = CityClocks { accept_days: 2, major_street_hours: 2, ..CityClocks::default() };
    let body = ClockSettings { working_days: false, city: Some(faster) };
    assert_eq!(app.set_clock_settings(&dispatcher, &body).await.status, 403);
    let wrong = ClockSettings { city: Some(CityClocks { accept_days: 0, ..faster }), ..body.clone() };
    let r = app.set_clock_settings(&admin, &wrong).await;
    assert_eq!((r.status, r.field()), (422, Some("city.accept_days")), "{:?}", r.body);
    let saved = app.set_clock_settings(&admin, &body).await.with_status(200);
    assert_eq!(saved.city, Some(faster));
    // Switching the calendar alone leaves them as they are.
    let only_calendar = ClockSettings { working_days: false, city: None };
    assert_eq!(app.set_clock_settings(&admin, &only_calendar).await.with_status(200).city, Some(faster));

    // A major item: 12 hours at the community, then 2 at the street; a general one 3 days.
    let now = app.state.clock.now();
    let place = building(&app, &grid1, 3).await;
    let major =
        CreateItem { level: Level::Major, content: "5号楼燃气泄漏，气味很大。".into(), ..capture(place) };
    let major = app.create_item(&grid1, &major).await.with_status(201);
    near(major.stage_due_at, now + Duration::hours(12));
    let general = app.create_item(&grid1, &capture(place)).await.with_status(201);
    near(general.stage_due_at, now + Duration::days(3));
    let send = |v| SendToStreet { version: v, department_id: None };
    let at_street = app.send_to_street(&community, &major.id, &send(major.version)).await.with_status(200);
    near(at_street.stage_due_at, now + Duration::hours(2));
    let general_at_street = app.send_to_street(&community, &general.id, &send(general.version)).await.with_status(200);
    near(general_at_street.stage_due_at, now + Duration::days(1));
    // The department has the city's 2 days to accept.
    let housing = dept_id(&app, &dispatcher, HOUSING).await;
    let dispatched =
        app.dispatch(&dispatcher, &general.id, &dispatch_to(general_at_street.version, housing)).await.with_status(200);
    near(dispatched.stage_due_at, now + Duration::days(2));

    // Raised to major at the community, a general item's clock shortens to the city's hours from then.
    let later = app.create_item(&grid1, &capture(place)).await.with_status(201);
    app.state.clock.advance(Duration::hours(1));
    let raise = UpdateItem { version: later.version, level: Some(Level::Major), ..Default::default() };
    let raised = app.update_item(&grid1, &later.id, &raise).await.with_status(200);
    near(raised.stage_due_at, app.state.clock.now() + Duration::hours(12));
}

#[tokio::test]
async fn major_items_come_first_on_every_queue() {
    let app = spawn_app().await;
    let general = accepted_item(&app).await;
    // A major item accepted later, due later than the general one.
    app.state.clock.advance(Duration::hours(3));
    let grid1 = app.token("grid1").await;
    let major = CreateItem {
        level: Level::Major,
        content: "燃气管道破裂。".into(),
        ..capture(building(&app, &grid1, 3).await)
    };
    let major = app.create_item(&grid1, &major).await.with_status(201);
    let community = app.token("community1").await;
    let sent = app
        .send_to_street(&community, &major.id, &SendToStreet { version: major.version, department_id: None })
        .await
        .with_status(200);
    let dispatcher = app.token("dispatcher1").await;
    let housing = dept_id(&app, &dispatcher, HOUSING).await;
    let dispatched = app.dispatch(&dispatcher, &major.id, &dispatch_to(sent.version, housing)).await.with_status(200);
    let dept1 = app.token("dept1").await;
    let accepted = app.accept(&dept1, &major.id, dispatched.version).await.with_status(200);
    assert_eq!(accepted.status, ItemStatus::InProgress);
    assert!(accepted.stage_due_at > general.stage_due_at);
    for token in [&dept1, &dispatcher] {
        let rows = app.get_as::<Vec<QueueRow>>(token, "/api/queue?stage=in_progress").await.ok();
        let order: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(order, [major.id.as_str(), general.id.as_str()], "major first");
    }
}
