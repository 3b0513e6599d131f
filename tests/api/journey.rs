//! The journey past the community, driven down every path on both engines: dispatched and solved within 5 days;
//! extended and solved by day 10; on-site office then solved; unsolvable with the head's sign-off; returned (退单)
//! and reassigned. Also: illegal actions, concurrent accepts, the queues, and the clocks with a holiday table.

use chrono::{Duration, TimeZone, Utc};
use serde_json::{json, Value};
use tests::{spawn_app_with, TestApp};

use crate::items::{building, capture};

pub const HOUSING: &str = "市住房和城乡建设局";

/// The id of a department by name.
pub async fn dept_id(app: &TestApp, token: &str, name: &str) -> i64 {
    app.unit_id(token, name).await
}

/// An item captured by grid1 and sent to 新华街道 by community1; returns (id, version).
pub async fn item_at_street(app: &TestApp) -> (String, i64) {
    let grid1 = app.token("grid1").await;
    let r = app.post(Some(&grid1), "/api/items", &capture(building(app, &grid1, 3).await)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let id = r.body["id"].as_str().unwrap().to_string();
    let secretary = app.token("community1").await;
    let r = app.post(Some(&secretary), &format!("/api/items/{id}/send-to-street"), &json!({"version": 1})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["status"], "at_street");
    (id, 2)
}

/// Acts and asserts success; returns the item.
pub async fn act(app: &TestApp, token: &str, id: &str, action: &str, body: Value) -> Value {
    let r = app.post(Some(token), &format!("/api/items/{id}/{action}"), &body).await;
    assert_eq!(r.status, 200, "{action}: {:?}", r.body);
    r.body
}

/// An item dispatched to the housing bureau and accepted by dept1; returns the item.
pub async fn accepted_item(app: &TestApp) -> Value {
    let (id, v) = item_at_street(app).await;
    let dispatcher = app.token("dispatcher1").await;
    let housing = dept_id(app, &dispatcher, HOUSING).await;
    let item = act(app, &dispatcher, &id, "dispatch", json!({"version": v, "department_id": housing})).await;
    let dept1 = app.token("dept1").await;
    act(app, &dept1, &id, "accept", json!({"version": item["version"]})).await
}

/// A server whose access tokens outlive the days these tests move the clock by.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|s| s.access_token_minutes = 90 * 24 * 60).await
}

/// Like `spawn_app`, on the day a test names.
pub async fn spawn_app_at(at: chrono::DateTime<Utc>) -> TestApp {
    tests::spawn_app_at_with(at, |s| s.access_token_minutes = 90 * 24 * 60).await
}

fn actions(item: &Value) -> Vec<&str> {
    item["journey"]["actions"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect()
}

/// The time in `value` is `expected`, give or take the seconds the test itself took.
fn assert_at(value: &Value, expected: &str) {
    let got = value.as_str().unwrap_or_else(|| panic!("no time: {value:?}")).parse::<chrono::DateTime<Utc>>().unwrap();
    let want = expected.parse::<chrono::DateTime<Utc>>().unwrap();
    assert!((got - want).num_seconds().abs() < 30, "{got} is not {want}");
}

fn v(item: &Value) -> i64 {
    item["version"].as_i64().unwrap()
}

#[tokio::test]
async fn dispatched_accepted_and_solved_within_5_days() {
    let app = spawn_app().await;
    let (id, version) = item_at_street(&app).await;
    let dispatcher = app.token("dispatcher1").await;
    let dept1 = app.token("dept1").await;

    // The dispatch board lists it; the picker offers departments; the department cannot see it yet.
    let board = app.get(Some(&dispatcher), "/api/queue?stage=at_street").await;
    assert_eq!(board.body.as_array().unwrap().len(), 1, "{:?}", board.body);
    let picks = app.get(Some(&dispatcher), "/api/departments/suggest?item_type=public_facilities").await.body;
    assert!(picks.as_array().unwrap().iter().any(|p| p["department"]["name"] == HOUSING));
    assert_eq!(app.get(Some(&dept1), &format!("/api/items/{id}")).await.status, 404);
    let item = app.get(Some(&dispatcher), &format!("/api/items/{id}")).await.body;
    assert_eq!(actions(&item), ["dispatch"]);

    let housing = dept_id(&app, &dispatcher, HOUSING).await;
    let ecology = dept_id(&app, &dispatcher, "市生态环境局").await;
    let item = act(
        &app,
        &dispatcher,
        &id,
        "dispatch",
        json!({"version": version, "department_id": housing, "co_department_ids": [ecology]}),
    )
    .await;
    assert_eq!(item["status"], "dispatched");
    assert_eq!(item["department"]["name"], HOUSING);
    assert_eq!(item["journey"]["dispatch"]["co_departments"][0]["name"], "市生态环境局");
    assert_eq!(actions(&item), Vec::<&str>::new(), "the street has nothing to do while the department decides");

    // The department's inbox has it, with accept and reject offered.
    let inbox = app.get(Some(&dept1), "/api/queue?stage=dispatched").await.body;
    assert_eq!(inbox[0]["id"], id.as_str());
    let seen = app.get(Some(&dept1), &format!("/api/items/{id}")).await.body;
    assert_eq!(actions(&seen), ["accept", "reject"]);

    app.state.clock.advance(Duration::hours(3));
    let item = act(&app, &dept1, &id, "accept", json!({"version": v(&item)})).await;
    assert_eq!(item["status"], "in_progress");
    let accepted_at = item["journey"]["dispatch"]["accepted_at"].as_str().unwrap().to_string();
    let due = item["journey"]["dispatch"]["due_at"].as_str().unwrap();
    let (a, d) = (accepted_at.parse::<chrono::DateTime<Utc>>().unwrap(), due.parse::<chrono::DateTime<Utc>>().unwrap());
    assert_eq!(d - a, Duration::days(5));
    assert_eq!(item["stage_due_at"], item["journey"]["dispatch"]["due_at"]);
    assert_eq!(item["journey"]["dispatch"]["accepted_by"]["name"], "孙磊");
    assert_eq!(actions(&item), ["request_extension", "return_sheet"]);
    assert_eq!(item["journey"]["dispatch"]["onsite_required"], false);

    // Solved on day 3.
    app.state.clock.advance(Duration::days(3));
    let item = act(
        &app,
        &dept1,
        &id,
        "return-sheet",
        json!({"version": v(&item), "solved": true, "result": "已更换楼道灯8盏。"}),
    )
    .await;
    assert_eq!(item["status"], "solved");
    assert_eq!(item["ledger"]["outcome"], "solved_by_dept_in_10_days");
    assert_eq!(item["ledger"]["closed"], true);
    assert_eq!(item["journey"]["dispatch"]["solved_within_10_days"], true);
    assert!(item["journey"]["dispatch"]["returned_at"].is_string());
    assert_eq!(actions(&item), Vec::<&str>::new(), "the department has nothing more to do");

    // The community tells the resident within 2 days.
    let secretary = app.token("community1").await;
    let seen = app.get(Some(&secretary), &format!("/api/items/{id}")).await.body;
    assert_eq!(actions(&seen), ["tell_resident"]);
    let item = act(&app, &secretary, &id, "tell-resident", json!({"version": v(&item), "how": "phone"})).await;
    assert_eq!(item["status"], "closed");

    let events = app.get(Some(&secretary), &format!("/api/items/{id}/events")).await.body;
    let kinds: Vec<&str> = events.as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["created", "sent_to_street", "dispatched", "accepted", "sheet_returned", "resident_told"]);
    assert_eq!(events[3]["label"], "接单");
}

#[tokio::test]
async fn extended_and_solved_by_day_10() {
    let app = spawn_app().await;
    let item = accepted_item(&app).await;
    let id = item["id"].as_str().unwrap().to_string();
    let (dept1, dispatcher) = (app.token("dept1").await, app.token("dispatcher1").await);
    let due = item["stage_due_at"].as_str().unwrap().parse::<chrono::DateTime<Utc>>().unwrap();

    app.state.clock.advance(Duration::days(4));
    let r = app
        .post(Some(&dept1), &format!("/api/items/{id}/request-extension"), &json!({"version": v(&item), "reason": " "}))
        .await;
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("reason")), "{:?}", r.body);
    let item =
        act(&app, &dept1, &id, "request-extension", json!({"version": v(&item), "reason": "需协调供电公司停电施工"}))
            .await;
    assert_eq!(item["journey"]["dispatch"]["extension"]["reason"], "需协调供电公司停电施工");
    // Asked once only.
    let again = app
        .post(
            Some(&dept1),
            &format!("/api/items/{id}/request-extension"),
            &json!({"version": v(&item), "reason": "再延"}),
        )
        .await;
    assert_eq!((again.status, again.code()), (409, "wrong_stage"));
    // The street sees the request on its board and approves it.
    let pending = app.get(Some(&dispatcher), "/api/queue?stage=in_progress&extension_pending=true").await.body;
    assert_eq!(pending[0]["extension_pending"], true);
    let seen = app.get(Some(&dispatcher), &format!("/api/items/{id}")).await.body;
    assert_eq!(actions(&seen), ["decide_extension"]);
    let item = act(&app, &dispatcher, &id, "decide-extension", json!({"version": v(&item), "approve": true})).await;
    let new_due = item["stage_due_at"].as_str().unwrap().parse::<chrono::DateTime<Utc>>().unwrap();
    assert_eq!(new_due - due, Duration::days(5));
    assert_eq!(item["journey"]["dispatch"]["extension"]["approved"], true);

    // Day 9: not overdue, solved within 10 days.
    app.state.clock.advance(Duration::days(5));
    let item = app.get(Some(&dept1), &format!("/api/items/{id}")).await.body;
    assert_eq!(item["overdue"], false);
    let item =
        act(&app, &dept1, &id, "return-sheet", json!({"version": v(&item), "solved": true, "result": "线路已改造。"}))
            .await;
    assert_eq!(item["ledger"]["outcome"], "solved_by_dept_in_10_days");
}

#[tokio::test]
async fn extensions_are_refused_after_the_deadline() {
    let app = spawn_app().await;
    let item = accepted_item(&app).await;
    let id = item["id"].as_str().unwrap().to_string();
    let (dept1, dispatcher) = (app.token("dept1").await, app.token("dispatcher1").await);
    app.state.clock.advance(Duration::days(4));
    let item = act(&app, &dept1, &id, "request-extension", json!({"version": v(&item), "reason": "等待材料"})).await;
    // The street lets the deadline pass: too late to approve, and the item is overdue.
    app.state.clock.advance(Duration::days(1) + Duration::hours(1));
    let late = app
        .post(
            Some(&dispatcher),
            &format!("/api/items/{id}/decide-extension"),
            &json!({"version": v(&item), "approve": true}),
        )
        .await;
    assert_eq!((late.status, late.code()), (409, "deadline_passed"), "{:?}", late.body);
    let seen = app.get(Some(&dispatcher), &format!("/api/items/{id}")).await.body;
    assert_eq!(seen["overdue"], true);
    assert!(!actions(&seen).contains(&"decide_extension"));
    let overdue = app.get(Some(&dispatcher), "/api/ledger?overdue=true").await.body;
    assert_eq!(overdue["total"], 1);
}

#[tokio::test]
async fn past_10_days_the_onsite_office_record_is_required_then_solved_after_coordination() {
    let app = spawn_app().await;
    let item = accepted_item(&app).await;
    let id = item["id"].as_str().unwrap().to_string();
    let dept1 = app.token("dept1").await;
    app.state.clock.advance(Duration::days(11));
    let seen = app.get(Some(&dept1), &format!("/api/items/{id}")).await.body;
    assert_eq!(seen["journey"]["dispatch"]["onsite_required"], true);
    let body = json!({"version": v(&item), "solved": true, "result": "经现场协调已解决。"});
    let r = app.post(Some(&dept1), &format!("/api/items/{id}/return-sheet"), &body).await;
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("onsite")), "{:?}", r.body);
    let r = app
        .post(
            Some(&dept1),
            &format!("/api/items/{id}/return-sheet"),
            &json!({"version": v(&item), "solved": true, "result": "经现场协调已解决。", "onsite": true, "measures_clear": true}),
        )
        .await;
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("measures")), "{:?}", r.body);
    let item = act(
        &app,
        &dept1,
        &id,
        "return-sheet",
        json!({"version": v(&item), "solved": true, "result": "经现场协调已解决。", "onsite": true,
               "measures_clear": true, "measures": "联合物业更换主线"}),
    )
    .await;
    assert_eq!(item["ledger"]["outcome"], "solved_after_coordination");
    assert_eq!(item["journey"]["dispatch"]["solved_within_10_days"], false);
    assert_eq!(item["journey"]["dispatch"]["onsite"], true);
    assert_eq!(item["journey"]["dispatch"]["measures"], "联合物业更换主线");
}

#[tokio::test]
async fn unsolvable_needs_the_heads_signature() {
    let app = spawn_app().await;
    let item = accepted_item(&app).await;
    let id = item["id"].as_str().unwrap().to_string();
    let (dept1, head) = (app.token("dept1").await, app.token("depthead1").await);
    app.state.clock.advance(Duration::days(10) + Duration::hours(2));
    let base = json!({"version": v(&item), "solved": false, "result": "已现场查看。", "onsite": true, "measures_clear": false});
    let r = app.post(Some(&dept1), &format!("/api/items/{id}/return-sheet"), &base).await;
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("unsolved_reason")), "{:?}", r.body);
    let mut body = base.clone();
    body["unsolved_reason"] = json!("涉及规划调整，本年度无资金");
    body["countermeasures"] = json!("列入明年老旧小区改造计划");
    let body_again = {
        let body = body.clone();
        move |item: &Value| {
            let mut b = body.clone();
            b["version"] = item["version"].clone();
            b
        }
    };
    let item = act(&app, &dept1, &id, "return-sheet", body).await;
    assert_eq!(item["status"], "awaiting_signoff");
    assert!(item["ledger"]["outcome"].is_null());

    // Only the head signs.
    let r = app
        .post(Some(&dept1), &format!("/api/items/{id}/head-sign"), &json!({"version": v(&item), "approve": true}))
        .await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    let seen = app.get(Some(&head), &format!("/api/items/{id}")).await.body;
    assert_eq!(actions(&seen), ["head_sign"]);
    // The head first sends it back to be worked on; the handler returns it again.
    let item =
        act(&app, &head, &id, "head-sign", json!({"version": v(&item), "approve": false, "note": "再协调一次"})).await;
    assert_eq!(item["status"], "in_progress");
    let mut again = body_again(&item);
    again["countermeasures"] = json!("列入明年老旧小区改造计划，先设置警示牌");
    let item = act(&app, &dept1, &id, "return-sheet", again).await;
    assert_eq!(item["status"], "awaiting_signoff");
    let item = act(&app, &head, &id, "head-sign", json!({"version": v(&item), "approve": true})).await;
    assert_eq!(item["status"], "unsolved");
    assert_eq!(item["ledger"]["outcome"], "unsolvable");
    assert_eq!(item["ledger"]["closed"], false);
    assert_eq!(item["journey"]["dispatch"]["signed_by"]["name"], "周明");
    assert_eq!(item["journey"]["dispatch"]["unsolved_reason"], "涉及规划调整，本年度无资金");

    // The resident is told and the item closes.
    let secretary = app.token("community1").await;
    let item = act(&app, &secretary, &id, "tell-resident", json!({"version": v(&item), "how": "visit"})).await;
    assert_eq!(item["status"], "closed");
    let events = app.get(Some(&secretary), &format!("/api/items/{id}/events")).await.body;
    let kinds: Vec<&str> = events.as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "created",
            "sent_to_street",
            "dispatched",
            "accepted",
            "sheet_returned",
            "head_sent_back",
            "sheet_returned",
            "head_signed",
            "resident_told"
        ]
    );
}

#[tokio::test]
async fn a_returned_item_goes_back_to_the_street_and_is_reassigned() {
    let app = spawn_app().await;
    let (id, version) = item_at_street(&app).await;
    let (dispatcher, dept1) = (app.token("dispatcher1").await, app.token("dept1").await);
    let housing = dept_id(&app, &dispatcher, HOUSING).await;
    let item = act(&app, &dispatcher, &id, "dispatch", json!({"version": version, "department_id": housing})).await;

    let r = app
        .post(Some(&dept1), &format!("/api/items/{id}/reject"), &json!({"version": v(&item), "reason": "other"}))
        .await;
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("note")), "{:?}", r.body);
    let item = act(
        &app,
        &dept1,
        &id,
        "reject",
        json!({"version": v(&item), "reason": "not_our_duty", "note": "路灯归城市管理部门"}),
    )
    .await;
    assert_eq!(item["status"], "at_street");
    assert!(item["department"].is_null());
    // The department no longer holds it.
    assert_eq!(app.get(Some(&dept1), &format!("/api/items/{id}")).await.status, 404);

    let transport = dept_id(&app, &dispatcher, "市交通运输局").await;
    let item = act(&app, &dispatcher, &id, "dispatch", json!({"version": v(&item), "department_id": transport})).await;
    assert_eq!(item["department"]["name"], "市交通运输局");
    assert_eq!(item["journey"]["rejections"][0]["department"]["name"], HOUSING);
    assert_eq!(item["journey"]["rejections"][0]["reason"], "not_our_duty");
    assert_eq!(item["journey"]["rejections"][0]["note"], "路灯归城市管理部门");
}

#[tokio::test]
async fn illegal_actions_are_409_with_a_code_and_two_accepts_have_one_winner() {
    let app = spawn_app().await;
    let (id, version) = item_at_street(&app).await;
    let (dispatcher, dept1, head) =
        (app.token("dispatcher1").await, app.token("dept1").await, app.token("depthead1").await);
    let secretary = app.token("community1").await;
    // Solving locally once at the street is the wrong stage.
    let r = app
        .post(Some(&secretary), &format!("/api/items/{id}/solve-locally"), &json!({"version": version, "result": "x"}))
        .await;
    assert_eq!((r.status, r.code()), (409, "wrong_stage"));
    // A department cannot dispatch; the street cannot accept what is not dispatched.
    let housing = dept_id(&app, &dispatcher, HOUSING).await;
    let r = app.post(Some(&dispatcher), &format!("/api/items/{id}/accept"), &json!({"version": version})).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    let r = app
        .post(
            Some(&dispatcher),
            &format!("/api/items/{id}/dispatch"),
            &json!({"version": version, "department_id": 999999}),
        )
        .await;
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("department_id")));
    let item = act(&app, &dispatcher, &id, "dispatch", json!({"version": version, "department_id": housing})).await;
    let r = app
        .post(
            Some(&dispatcher),
            &format!("/api/items/{id}/dispatch"),
            &json!({"version": v(&item), "department_id": housing}),
        )
        .await;
    assert_eq!((r.status, r.code()), (409, "wrong_stage"));
    let r = app
        .post(
            Some(&dept1),
            &format!("/api/items/{id}/return-sheet"),
            &json!({"version": v(&item), "solved": true, "result": "x"}),
        )
        .await;
    assert_eq!((r.status, r.code()), (409, "wrong_stage"));
    let r = app.post(Some(&dept1), &format!("/api/items/{id}/accept"), &json!({"version": v(&item) - 1})).await;
    assert_eq!((r.status, r.code()), (409, "stale_version"));

    // The handler and the head accept at the same moment: exactly one wins, the other is told it is stale.
    let path = format!("/api/items/{id}/accept");
    let body = json!({"version": v(&item)});
    let (a, b) = tokio::join!(app.post(Some(&dept1), &path, &body), app.post(Some(&head), &path, &body));
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{:?} {:?}", a.body, b.body);
    let loser = if a.status == 409 { a } else { b };
    assert_eq!(loser.code(), "stale_version");
    let events = app.get(Some(&dept1), &format!("/api/items/{id}/events")).await.body;
    assert_eq!(events.as_array().unwrap().iter().filter(|e| e["kind"] == "accepted").count(), 1);
}

#[tokio::test]
async fn working_day_clocks_skip_holidays_and_count_make_up_saturdays() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let dispatcher = app.token("dispatcher1").await;
    // Only the city's admin switches the clocks.
    let r = app.put(Some(&dispatcher), "/api/settings/clock", &json!({"working_days": true})).await;
    assert_eq!(r.status, 403);
    let r = app.put(Some(&admin), "/api/settings/clock", &json!({"working_days": true})).await;
    assert_eq!((r.status, r.body["working_days"].as_bool()), (200, Some(true)), "{:?}", r.body);
    // 2027: Friday 2027-01-01 is New Year's Day; suppose Saturday 2027-01-09 is a 调休 working day.
    let r = app
        .put(
            Some(&admin),
            "/api/holidays/2027",
            &json!({"days": [
                {"day": "2027-01-01", "workday": false, "name": "元旦"},
                {"day": "2027-01-09", "workday": true, "name": "元旦调休"},
                {"day": "2026-12-31", "workday": false, "name": "错年"}
            ]}),
        )
        .await;
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("days[2].day")), "{:?}", r.body);
    let r = app
        .put(
            Some(&admin),
            "/api/holidays/2027",
            &json!({"days": [
                {"day": "2027-01-01", "workday": false, "name": "元旦"},
                {"day": "2027-01-09", "workday": true, "name": "元旦调休"}
            ]}),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(app.get(Some(&admin), "/api/holidays?year=2027").await.body.as_array().unwrap().len(), 2);

    // Wednesday 2026-12-30, 10:00 in Beijing: the community sends the sheet; the street's 1 working day ends
    // Thursday 2026-12-31 at 10:00 Beijing time.
    let start = Utc.with_ymd_and_hms(2026, 12, 30, 2, 0, 0).unwrap() /* 10:00 Beijing */;
    app.set_time(start);
    let dispatcher = app.token("dispatcher1").await;
    let (id, version) = item_at_street(&app).await;
    let item = app.get(Some(&dispatcher), &format!("/api/items/{id}")).await.body;
    assert_at(&item["stage_due_at"], "2026-12-31T02:00:00Z");
    let housing = dept_id(&app, &dispatcher, HOUSING).await;
    act(&app, &dispatcher, &id, "dispatch", json!({"version": version, "department_id": housing})).await;
    // Accepted Thursday 2026-12-31 10:00: 5 working days are Mon 4, Tue 5, Wed 6, Thu 7, Fri 8 January (the holiday
    // on Friday 1 and the weekend skipped).
    app.set_time(start + Duration::days(1));
    let dept1 = app.token("dept1").await;
    let item = app.get(Some(&dept1), &format!("/api/items/{id}")).await.body;
    let item = act(&app, &dept1, &id, "accept", json!({"version": v(&item)})).await;
    assert_at(&item["stage_due_at"], "2027-01-08T02:00:00Z");
    // An approved extension of 5 working days from Friday 8: Saturday 9 (调休), Mon 11 … Thu 14.
    app.set_time(start + Duration::days(3));
    let item = act(&app, &dept1, &id, "request-extension", json!({"version": v(&item), "reason": "节日停工"})).await;
    let item = act(&app, &dispatcher, &id, "decide-extension", json!({"version": v(&item), "approve": true})).await;
    assert_at(&item["stage_due_at"], "2027-01-14T02:00:00Z");

    // Calendar days again: a new sheet is due a plain day later.
    let admin = app.token("admin").await;
    let r = app.put(Some(&admin), "/api/settings/clock", &json!({"working_days": false})).await;
    assert_eq!(r.status, 200);
    let (id2, _) = item_at_street(&app).await;
    let item = app.get(Some(&dispatcher), &format!("/api/items/{id2}")).await.body;
    let now = app.state.clock.now();
    let due = item["stage_due_at"].as_str().unwrap().parse::<chrono::DateTime<Utc>>().unwrap();
    assert!((due - now - Duration::days(1)).num_seconds().abs() < 60, "{due} vs {now}");
}
