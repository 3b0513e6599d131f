//! Residents' voice on both engines: the outcome link (random, hashed, scoped to its item, rate-limited), the rating
//! and its 7-day window, follow-ups and sending an item back, and the weekly evaluation with its satisfaction rate.

use chrono::Duration;
use diesel::prelude::*;
use shared::item::{CreateItem, FeedbackMethod, Item, ItemStatus, SolveLocally, TellResident};
use shared::journey::ActionKind;
use shared::voice::Answer::{Basically, Dissatisfied, Satisfied};
use shared::voice::{AddFollowUpStep, DepartmentSatisfaction, FollowUpStep, Rate, SatisfactionReport, SendBack};
use tests::client::{dispatch_to, solved_sheet};
use tests::{spawn_app_with, TestApp};

use crate::items::{building, capture};
use crate::journey::{accepted_item, spawn_app, HOUSING};

/// An item the community solved and told the resident about; returns its id.
async fn closed_item(app: &TestApp, content: &str) -> String {
    let grid1 = app.token("grid1").await;
    let body = CreateItem { content: content.into(), ..capture(building(app, &grid1, 3).await) };
    let id = app.create_item(&grid1, &body).await.with_status(201).id;
    let secretary = app.token("community1").await;
    let solve = SolveLocally { version: 1, result: "已更换楼道灯。".into() };
    app.solve_locally(&secretary, &id, &solve).await.with_status(200);
    let tell = TellResident { version: 2, how: FeedbackMethod::Visit, note: None };
    app.tell_resident(&grid1, &id, &tell).await.with_status(200);
    id
}

async fn link(app: &TestApp, token: &str, id: &str) -> String {
    let link = app.resident_link(token, id).await.with_status(200);
    assert!(link.qr_svg.contains("<svg"));
    assert!(link.share_text.contains(&link.url));
    link.path.trim_start_matches("/r/").to_string()
}

/// The department returns the accepted item solved, the grid leader tells the resident, who rates through the link.
async fn resident_rates(app: &TestApp, accepted: &Item, answers: Rate) {
    let (dept1, grid1) = (app.token("dept1").await, app.token("grid1").await);
    let id = accepted.id.as_str();
    let item = app.return_sheet(&dept1, id, &solved_sheet(accepted.version, "已修复。")).await.with_status(200);
    let tell = TellResident { version: item.version, how: FeedbackMethod::Phone, note: None };
    app.tell_resident(&grid1, id, &tell).await.with_status(200);
    let token = link(app, &grid1, id).await;
    app.rate_as_resident(&token, &answers).await.with_status(200);
}

fn rate(
    timely: shared::voice::Answer,
    attitude: shared::voice::Answer,
    result: shared::voice::Answer,
    not_solved: bool,
) -> Rate {
    Rate { timely, attitude, result, not_solved, comment: None }
}

/// Reads a table's text column through a direct database connection of the test's engine.
fn token_hashes(app: &TestApp) -> Vec<String> {
    let url = app.state.settings.database_url();
    #[derive(QueryableByName)]
    struct H {
        #[diesel(sql_type = diesel::sql_types::Text)]
        token_hash: String,
    }
    let q = "SELECT token_hash FROM resident_links ORDER BY id";
    let rows: Vec<H> = if url.starts_with("postgres") {
        let mut c = diesel::PgConnection::establish(&url).unwrap();
        diesel::sql_query(q).load(&mut c).unwrap()
    } else {
        let mut c = diesel::SqliteConnection::establish(&url).unwrap();
        diesel::sql_query(q).load(&mut c).unwrap()
    };
    rows.into_iter().map(|h| h.token_hash).collect()
}

#[tokio::test]
async fn links_are_random_hashed_and_reach_only_their_own_item() {
    let app = spawn_app().await;
    let mine = closed_item(&app, "3号楼楼道灯坏了。").await;
    let other = closed_item(&app, "隔壁单元的下水道堵了，私事勿外传。").await;
    let grid1 = app.token("grid1").await;
    let first = link(&app, &grid1, &mine).await;
    let second = link(&app, &grid1, &mine).await;
    let _other_link = link(&app, &grid1, &other).await;
    assert_ne!(first, second);
    assert_eq!(second.len(), 43, "256 bits in URL-safe base64");
    // Only hashes are stored.
    let hashes = token_hashes(&app);
    assert_eq!(hashes.len(), 3);
    assert!(hashes.iter().all(|h| h.len() == 64 && h.chars().all(|c| c.is_ascii_hexdigit())));
    assert!(hashes.iter().all(|h| *h != first && *h != second));
    // A new link replaces the old; a made-up one is refused kindly.
    let old = app.resident_view(&first).await;
    assert_eq!((old.status, old.code()), (404, "not_found"));
    assert!(old.message().contains("链接无效或已过期"));
    assert_eq!(app.resident_view("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").await.status, 404);

    // The resident's page, as sent: what it shows and which keys it has.
    let view = app.get(None, &format!("/api/r/{second}")).await;
    assert_eq!(view.status, 200, "{:?}", view.body);
    let text = view.body.to_string();
    assert!(text.contains("3号楼楼道灯坏了") && text.contains("已更换楼道灯"));
    for secret in ["隔壁单元", "王建华", "刘伟", "张大爷", "13912345678", "5678"] {
        assert!(!text.contains(secret), "the resident's page shows {secret}: {text}");
    }
    let keys: Vec<&str> = view.body.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "can_rate",
            "community",
            "content",
            "item_type",
            "photos",
            "rating",
            "result",
            "satisfaction_rule",
            "status_label",
            "steps"
        ]
    );
    // Staff-only routes stay closed to the link.
    let r = app.client.get(app.url(&format!("/api/items/{mine}"))).bearer_auth(&second).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 401);
}

#[tokio::test]
async fn a_rating_can_be_changed_for_7_days_then_it_is_read_only() {
    let app = spawn_app().await;
    let grid1 = app.token("grid1").await;
    // Before there is a result, the resident can follow but not rate.
    let open_id = app.create_item(&grid1, &capture(building(&app, &grid1, 3).await)).await.ok().id;
    let early = link(&app, &grid1, &open_id).await;
    let view = app.resident_view(&early).await.ok();
    assert_eq!((view.can_rate, view.status_label.as_str()), (false, "社区正在研究处理"));
    let r = app.rate_as_resident(&early, &rate(Satisfied, Satisfied, Satisfied, false)).await;
    assert_eq!((r.status, r.code()), (409, "wrong_stage"));

    let id = closed_item(&app, "楼道灯坏了。").await;
    let token = link(&app, &grid1, &id).await;
    let r = app.rate_as_resident(&token, &rate(Satisfied, Basically, Satisfied, false)).await.with_status(200);
    assert_eq!(r.rating.unwrap().rate.attitude, Basically);
    app.state.clock.advance(Duration::days(6));
    let changed = Rate { comment: Some("谢谢社区".into()), ..rate(Satisfied, Satisfied, Satisfied, false) };
    let r = app.rate_as_resident(&token, &changed).await.with_status(200);
    assert_eq!(r.rating.unwrap().rate.comment.as_deref(), Some("谢谢社区"));
    app.state.clock.advance(Duration::days(1) + Duration::hours(1));
    let r = app.rate_as_resident(&token, &rate(Dissatisfied, Dissatisfied, Dissatisfied, true)).await;
    assert_eq!((r.status, r.code()), (409, "deadline_passed"));
    let view = app.resident_view(&token).await.ok();
    assert!(!view.can_rate);
    assert_eq!(view.rating.unwrap().rate.attitude, Satisfied);
    let r = app.put(None, &format!("/api/r/{token}/rating"), &serde_json::json!({"timely": "great"})).await;
    assert_eq!(r.status, 422, "{:?}", r.body);
}

#[tokio::test]
async fn links_are_rate_limited() {
    let app = spawn_app_with(|s| s.resident_requests_per_minute = 5).await;
    let id = closed_item(&app, "楼道灯坏了。").await;
    let grid1 = app.token("grid1").await;
    let token = link(&app, &grid1, &id).await;
    for _ in 0..5 {
        assert_eq!(app.resident_view(&token).await.status, 200);
    }
    let r = app.resident_view(&token).await;
    assert_eq!((r.status, r.code()), (429, "too_many_requests"), "{:?}", r.body);
    // Guessing is limited the same way.
    assert_eq!(app.resident_view("guess").await.status, 429);
}

#[tokio::test]
async fn not_solved_opens_a_follow_up_and_the_street_sends_the_item_back() {
    let app = spawn_app().await;
    let item = accepted_item(&app).await;
    let id = item.id.clone();
    let dept1 = app.token("dept1").await;
    let item = app.return_sheet(&dept1, &id, &solved_sheet(item.version, "已修复。")).await.with_status(200);
    let grid1 = app.token("grid1").await;
    let tell = TellResident { version: item.version, how: FeedbackMethod::Phone, note: None };
    app.tell_resident(&grid1, &id, &tell).await.with_status(200);
    let token = link(&app, &grid1, &id).await;
    let dispatcher = app.token("dispatcher1").await;
    let seen = app.item(&dispatcher, &id).await.ok();
    assert!(!seen.journey.actions.contains(&ActionKind::SendBack));

    app.rate_as_resident(&token, &rate(Satisfied, Satisfied, Dissatisfied, true)).await.with_status(200);
    // The community sees the follow-up; another community's secretary would not.
    let secretary = app.token("community1").await;
    let open = app.follow_ups(&secretary, "open=true").await.ok();
    assert_eq!(open.len(), 1, "{open:?}");
    assert_eq!(open[0].item_id.as_deref(), Some(id.as_str()));
    assert_eq!(open[0].department.as_ref().unwrap().name, HOUSING);
    let station2 = app.token("station2").await;
    let theirs = app.follow_ups(&station2, "open=true").await.ok();
    assert!(theirs.is_empty(), "{theirs:?}");
    // Its clock: the city's 5 days (本市规定); past them, not yet closed, it shows overdue.
    assert_eq!(open[0].due_at, Some(open[0].opened_at + Duration::days(5)));
    assert!(!open[0].overdue);
    app.state.clock.advance(Duration::days(5) + Duration::hours(1));
    let late = app.follow_ups(&secretary, "open=true").await.ok();
    assert!(late[0].overdue, "{late:?}");

    // "Not solved": the street sends it back to the department.
    let seen = app.item(&dispatcher, &id).await.ok();
    assert!(seen.journey.actions.contains(&ActionKind::SendBack), "{:?}", seen.journey);
    let resident = &seen.journey.resident_rating.as_ref().unwrap().rate;
    assert_eq!(resident.result, Dissatisfied);
    assert!(resident.not_solved);
    let back = SendBack { version: seen.version, note: "居民反映灯仍不亮".into() };
    let item = app.send_back(&dispatcher, &id, &back).await.with_status(200);
    assert_eq!(item.status, ItemStatus::Dispatched);
    assert_eq!(item.department.as_ref().unwrap().name, HOUSING);
    assert_eq!(item.ledger.outcome, None);
    let inbox = app.queue(&dept1, "stage=dispatched").await.ok();
    assert_eq!(inbox[0].id, id);
    let r = app.send_back(&dispatcher, &id, &SendBack { version: item.version, note: "再退".into() }).await;
    assert_eq!((r.status, r.code()), (409, "wrong_stage"));

    // The community works the follow-up through its four steps; it closes.
    let fid = open[0].id;
    let step = |step: FollowUpStep, text: &str| AddFollowUpStep { step, text: text.into() };
    for (s, text) in [
        (FollowUpStep::FindReason, "灯具老化，上次只换了灯泡"),
        (FollowUpStep::FeedBack, "已反馈住建局"),
        (FollowUpStep::AgreeMeasures, "更换整套灯具"),
        (FollowUpStep::Explain, "已向居民说明"),
    ] {
        let r = app.add_follow_up_step(&secretary, fid, &step(s, text)).await;
        assert_eq!(r.status, 200, "{s:?}: {:?}", r.body);
    }
    let all = app.follow_ups(&secretary, &format!("item_id={id}")).await.ok();
    assert!(all[0].closed_at.is_some());
    assert!(all[0].sent_back);
    assert_eq!(all[0].steps.len(), 4);
    let r = app.add_follow_up_step(&secretary, fid, &step(FollowUpStep::Explain, "x")).await;
    assert_eq!((r.status, r.code()), (409, "wrong_stage"));
    // A grid leader sees the community's follow-ups but does not record their steps.
    let r = app.add_follow_up_step(&grid1, fid, &step(FollowUpStep::Explain, "x")).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
}

#[tokio::test]
async fn a_department_still_handling_an_item_accepted_weeks_ago_is_rated_every_week() {
    let app = spawn_app().await;
    let held = accepted_item(&app).await;
    let dept1 = app.token("dept1").await;
    let done = accepted_item(&app).await;
    // Two weeks on: one sheet is still being worked on, the other was returned the week before.
    app.state.clock.advance(Duration::days(7));
    app.return_sheet(&dept1, &done.id, &solved_sheet(done.version, "已修复。")).await.with_status(200);
    app.state.clock.advance(Duration::days(7));
    backend::regulation::rounds::open_current_rounds(&app.state).await.unwrap();
    let grid1 = app.token("grid1").await;
    let rounds = app.eval_rounds(&grid1).await.ok();
    let today = chrono::TimeZone::from_utc_datetime(&app.state.tz, &app.state.clock.now_naive()).date_naive();
    let this_week = backend::regulation::rounds::week_start(today);
    let now: Vec<_> = rounds.iter().filter(|r| r.week_start == this_week).collect();
    assert_eq!(now.len(), 1, "the department still handling an item is rated this week: {rounds:?}");
    assert_eq!((now[0].department.name.as_str(), now[0].items), (HOUSING, 1), "only the item still held: {}", held.id);
    let last: Vec<_> = rounds.iter().filter(|r| r.week_start == this_week - Duration::days(7)).collect();
    assert_eq!(last.first().map(|r| r.items), Some(2), "last week it handled both: {rounds:?}");
}

#[tokio::test]
async fn weekly_rounds_open_once_for_the_departments_that_handled_items_and_rates_match_a_hand_count() {
    let app = spawn_app().await;
    let other = app.another_instance().await;
    let dispatcher = app.token("dispatcher1").await;
    // Housing accepts two items of 新华街道 this week; transport is dispatched one and returns it (退单).
    let a = accepted_item(&app).await;
    let _b = accepted_item(&app).await;
    let (c_id, v) = crate::journey::item_at_street(&app).await;
    let transport = app.unit_id(&dispatcher, "市交通运输局").await;
    app.dispatch(&dispatcher, &c_id, &dispatch_to(v, transport)).await.with_status(200);

    let (x, y) = tokio::join!(
        backend::regulation::rounds::open_current_rounds(&app.state),
        backend::regulation::rounds::open_current_rounds(&other.state)
    );
    assert_eq!(x.unwrap() + y.unwrap(), 1, "one round, opened once");
    assert_eq!(backend::regulation::rounds::open_current_rounds(&app.state).await.unwrap(), 0);
    let grid1 = app.token("grid1").await;
    let rounds = app.eval_rounds(&grid1).await.ok();
    assert_eq!(rounds.len(), 1, "{rounds:?}");
    assert_eq!(rounds[0].department.name, HOUSING);
    assert_eq!(rounds[0].items, 2);
    // Another street's raters do not see it.
    let grid2 = app.token("grid2").await;
    let theirs = app.eval_rounds(&grid2).await.ok();
    assert!(theirs.is_empty(), "{theirs:?}");

    // A hand-countable week: grid1 all 满意; station1 all 不满意; the resident of item a 满意/基本满意/不满意.
    let round = rounds[0].id;
    let r = app.rate_round(&grid1, round, &rate(Satisfied, Satisfied, Satisfied, false)).await.with_status(200);
    assert!(r.my_rating.is_some());
    let station1 = app.token("station1").await;
    let r = app.rate_round(&station1, round, &rate(Dissatisfied, Dissatisfied, Dissatisfied, false)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let dept1 = app.token("dept1").await;
    let r = app.rate_round(&dept1, round, &rate(Satisfied, Satisfied, Satisfied, false)).await;
    assert_eq!(r.status, 403, "the department does not rate itself");

    resident_rates(&app, &a, rate(Satisfied, Basically, Dissatisfied, false)).await;

    // Housing: 满意 3 + 1 = 4, 基本满意 1, 不满意 3 + 1 = 4 → (4 + 1) ÷ 9.
    let report = app.evaluation_results(&dispatcher, "period=week").await.ok();
    let housing = report.departments.iter().find(|d| d.department.name == HOUSING).unwrap();
    assert_eq!((housing.satisfied, housing.basically, housing.dissatisfied), (4, 1, 4));
    assert_eq!((housing.resident_ratings, housing.staff_ratings), (1, 2));
    assert!((housing.rate.unwrap() - 5.0 / 9.0).abs() < 1e-9);
    assert!(report.rule.contains("基本满意"));
    // The month holds the same week's answers; dissatisfied staff and resident ratings each opened a follow-up.
    let month = app.evaluation_results(&dispatcher, "period=month").await.ok();
    assert_eq!(month.overall.satisfied + month.overall.basically, 5);
    let follow_ups = app.follow_ups(&dispatcher, "open=true").await.ok();
    assert_eq!(follow_ups.len(), 2, "{follow_ups:?}");
    let r = app.evaluation_results(&dispatcher, "period=year").await;
    assert_eq!((r.status, r.field()), (422, Some("period")));
}

/// The department row of a satisfaction report.
fn department_row<'a>(report: &'a SatisfactionReport, name: &str) -> Option<&'a DepartmentSatisfaction> {
    report.departments.iter().find(|d| d.department.name == name)
}

/// (满意, 基本满意, 不满意) of one department in a report; zeros when it has no row.
fn answers(report: &SatisfactionReport, name: &str) -> (i64, i64, i64) {
    department_row(report, name).map_or((0, 0, 0), |d| (d.satisfied, d.basically, d.dissatisfied))
}

#[tokio::test]
async fn a_week_that_crosses_a_month_counts_each_rating_in_the_month_it_was_given_and_past_months_stay_put() {
    // Monday 30 November 2026, 10:00 city time: the week runs to Sunday 6 December.
    let app = tests::spawn_app_at_with(tests::city_time(2026, 11, 30, 10, 0), |s| {
        s.access_token_minutes = 90 * 24 * 60;
    })
    .await;
    let a = accepted_item(&app).await;
    backend::regulation::rounds::open_current_rounds(&app.state).await.unwrap();
    let (grid1, station1, dispatcher) =
        (app.token("grid1").await, app.token("station1").await, app.token("dispatcher1").await);
    let round = app.eval_rounds(&grid1).await.ok()[0].id;

    // Monday 30 November: the grid leader rates (three 满意): November's.
    let r = app.rate_round(&grid1, round, &rate(Satisfied, Satisfied, Satisfied, false)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let month = |date: &'static str| {
        let (app, dispatcher) = (&app, dispatcher.clone());
        async move { app.evaluation_results(&dispatcher, &format!("period=month&date={date}")).await.ok() }
    };
    let november_on_the_30th = month("2026-11-30").await;
    assert_eq!(answers(&november_on_the_30th, HOUSING), (3, 0, 0), "{november_on_the_30th:?}");

    // Wednesday 2 December: the station head rates the same round (three 基本满意) and the resident of item a rates
    // (满意, 满意, 不满意): both December's.
    app.set_time(tests::city_time(2026, 12, 2, 9, 0));
    let r = app.rate_round(&station1, round, &rate(Basically, Basically, Basically, false)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    resident_rates(&app, &a, rate(Satisfied, Satisfied, Dissatisfied, false)).await;

    // November is what it was when it ended.
    let november = month("2026-11-15").await;
    assert_eq!(november, november_on_the_30th);
    // December: the station head's three and the resident's three.
    let december = month("2026-12-02").await;
    assert_eq!(answers(&december, HOUSING), (2, 3, 1), "{december:?}");
    assert_eq!(department_row(&december, HOUSING).unwrap().resident_ratings, 1);
    // The week (asked by any of its days) holds all three ratings.
    for day in ["2026-11-30", "2026-12-06"] {
        let week = app.evaluation_results(&dispatcher, &format!("period=week&date={day}")).await.ok();
        assert_eq!(week.from.to_string(), "2026-11-30");
        assert_eq!(week.to.to_string(), "2026-12-06");
        assert_eq!(answers(&week, HOUSING), (5, 3, 1), "{week:?}");
        let row = department_row(&week, HOUSING).unwrap();
        assert_eq!((row.resident_ratings, row.staff_ratings), (1, 2));
    }

    // Monday 7 December: last week's round is still open; a rating given now counts in December and in its week,
    // not in the week it is given.
    app.set_time(tests::city_time(2026, 12, 7, 9, 0));
    let community1 = app.token("community1").await;
    let r = app.rate_round(&community1, round, &rate(Dissatisfied, Dissatisfied, Dissatisfied, false)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(answers(&month("2026-12-31").await, HOUSING), (2, 3, 4));
    let last_week = app.evaluation_results(&dispatcher, "period=week&date=2026-12-01").await.ok();
    assert_eq!(answers(&last_week, HOUSING), (5, 3, 4), "{last_week:?}");
    let this_week = app.evaluation_results(&dispatcher, "period=week").await.ok();
    assert_eq!(answers(&this_week, HOUSING), (0, 0, 0), "{this_week:?}");
    assert_eq!(month("2026-11-01").await, november_on_the_30th, "November is still what it was");
}
