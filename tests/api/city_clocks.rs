//! The clocks the city sets itself (issue 18): the street's dispatch, the department's 接单 and the head's signature
//! (the regulation sets none of them), and a major item's hours at the community and the street (第四条: 需马上解决);
//! major items first on every queue; and every clock counted in working days with a holiday table.

use chrono::Duration;
use chrono::{NaiveDate, TimeZone, Utc};
use shared::item::{CreateItem, ItemStatus, SendToStreet, UpdateItem};
use shared::journey::{ClockSettings, DecideExtension, Holiday, HolidayYear, QueueRow, RequestExtension};
use shared::settings::CityClocks;
use shared::Level;
use tests::client::dispatch_to;

use crate::items::{building, capture};
use crate::journey::{accepted_item, assert_at, dept_id, item_at_street, spawn_app, HOUSING};

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

#[tokio::test]
async fn working_day_clocks_skip_holidays_and_count_make_up_saturdays() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let dispatcher = app.token("dispatcher1").await;
    // Only the city's admin switches the clocks.
    let r = app.set_clock_settings(&dispatcher, &ClockSettings { working_days: true, city: None }).await;
    assert_eq!(r.status, 403);
    let r = app.set_clock_settings(&admin, &ClockSettings { working_days: true, city: None }).await.with_status(200);
    assert!(r.working_days);
    // 2027: Friday 2027-01-01 is New Year's Day; suppose Saturday 2027-01-09 is a 调休 working day.
    let day = |d: &str, workday: bool, name: &str| Holiday {
        day: d.parse::<NaiveDate>().unwrap(),
        workday,
        name: name.into(),
    };
    let days = vec![day("2027-01-01", false, "元旦"), day("2027-01-09", true, "元旦调休")];
    let mut wrong_year = days.clone();
    wrong_year.push(day("2026-12-31", false, "错年"));
    let r = app.set_holidays(&admin, 2027, &HolidayYear { days: wrong_year }).await;
    assert_eq!((r.status, r.field()), (422, Some("days[2].day")), "{:?}", r.body);
    let r = app.set_holidays(&admin, 2027, &HolidayYear { days }).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(app.holidays(&admin, 2027).await.ok().len(), 2);

    // Wednesday 2026-12-30, 10:00 in Beijing: the community sends the sheet; the street's 1 working day ends
    // Thursday 2026-12-31 at 10:00 Beijing time.
    let start = Utc.with_ymd_and_hms(2026, 12, 30, 2, 0, 0).unwrap() /* 10:00 Beijing */;
    app.set_time(start);
    let dispatcher = app.token("dispatcher1").await;
    let (id, version) = item_at_street(&app).await;
    let item = app.item(&dispatcher, &id).await.ok();
    assert_at(item.stage_due_at, "2026-12-31T02:00:00Z");
    let housing = dept_id(&app, &dispatcher, HOUSING).await;
    app.dispatch(&dispatcher, &id, &dispatch_to(version, housing)).await.with_status(200);
    // Accepted Thursday 2026-12-31 10:00: 5 working days are Mon 4, Tue 5, Wed 6, Thu 7, Fri 8 January (the holiday
    // on Friday 1 and the weekend skipped).
    app.set_time(start + Duration::days(1));
    // The community's 3 days follow the setting too: captured on Thursday, reviewed by Wednesday 6 January. A capture
    // noted offline the day before starts its clock when it reaches the server.
    let grid1 = app.token("grid1").await;
    let noted = app.state.clock.now() - Duration::days(1);
    let offline = CreateItem { collected_at: Some(noted), ..capture(building(&app, &grid1, 3).await) };
    let captured = app.create_item(&grid1, &offline).await.with_status(201);
    assert_at(captured.stage_due_at, "2027-01-06T02:00:00Z");
    let dept1 = app.token("dept1").await;
    let item = app.item(&dept1, &id).await.ok();
    let item = app.accept(&dept1, &id, item.version).await.with_status(200);
    assert_at(item.stage_due_at, "2027-01-08T02:00:00Z");
    // An approved extension of 5 working days from Friday 8: Saturday 9 (调休), Mon 11 … Thu 14.
    app.set_time(start + Duration::days(3));
    let ask = RequestExtension { version: item.version, reason: "节日停工".into() };
    let item = app.request_extension(&dept1, &id, &ask).await.with_status(200);
    let decide = DecideExtension { version: item.version, approve: true, note: None };
    let item = app.decide_extension(&dispatcher, &id, &decide).await.with_status(200);
    assert_at(item.stage_due_at, "2027-01-14T02:00:00Z");

    // Calendar days again: a new sheet is due a plain day later.
    let admin = app.token("admin").await;
    let r = app.set_clock_settings(&admin, &ClockSettings { working_days: false, city: None }).await;
    assert_eq!(r.status, 200);
    let (id2, _) = item_at_street(&app).await;
    let item = app.item(&dispatcher, &id2).await.ok();
    let now = app.state.clock.now();
    let due = item.stage_due_at.unwrap();
    assert!((due - now - Duration::days(1)).num_seconds().abs() < 60, "{due} vs {now}");
}
