//! The journey past the community, driven down every path on both engines: dispatched and solved within 5 days;
//! extended and solved by day 10; on-site office then solved; unsolvable with the head's sign-off; returned (退单)
//! and reassigned. Also: illegal actions, concurrent accepts, the queues, (The clocks with a holiday table: city_clocks.rs.)

use chrono::{DateTime, Duration, Utc};
use shared::item::{FeedbackMethod, Item, ItemStatus, SendToStreet, SolveLocally, TellResident};
use shared::journey::{
    ActionKind, DecideExtension, Dispatch, DispatchInfo, HeadSign, Reject, RejectReason, RequestExtension, ReturnSheet,
};
use shared::Outcome;
use tests::client::{dispatch_to, solved_sheet};
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
    let item = app.create_item(&grid1, &capture(building(app, &grid1, 3).await)).await.with_status(201);
    let secretary = app.token("community1").await;
    let send = SendToStreet { version: 1, department_id: None };
    let item = app.send_to_street(&secretary, &item.id, &send).await.with_status(200);
    assert_eq!(item.status, ItemStatus::AtStreet);
    (item.id, 2)
}

/// An item dispatched to the housing bureau and accepted by dept1; returns the item.
pub async fn accepted_item(app: &TestApp) -> Item {
    let (id, v) = item_at_street(app).await;
    let dispatcher = app.token("dispatcher1").await;
    let housing = dept_id(app, &dispatcher, HOUSING).await;
    let item = app.dispatch(&dispatcher, &id, &dispatch_to(v, housing)).await.with_status(200);
    let dept1 = app.token("dept1").await;
    app.accept(&dept1, &id, item.version).await.with_status(200)
}

/// A server whose access tokens outlive the days these tests move the clock by.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|s| s.access_token_minutes = 90 * 24 * 60).await
}

/// Like `spawn_app`, on the day a test names.
pub async fn spawn_app_at(at: chrono::DateTime<Utc>) -> TestApp {
    tests::spawn_app_at_with(at, |s| s.access_token_minutes = 90 * 24 * 60).await
}

/// The item's current (or last) dispatch.
fn dispatch(item: &Item) -> &DispatchInfo {
    item.journey.dispatch.as_ref().unwrap_or_else(|| panic!("no dispatch: {item:?}"))
}

/// The time `value` is `expected`, give or take the seconds the test itself took.
pub fn assert_at(value: Option<DateTime<Utc>>, expected: &str) {
    let got = value.unwrap_or_else(|| panic!("no time: {value:?}"));
    let want = expected.parse::<DateTime<Utc>>().unwrap();
    assert!((got - want).num_seconds().abs() < 30, "{got} is not {want}");
}

/// The kinds of the item's events, in order.
async fn event_kinds(app: &TestApp, token: &str, id: &str) -> Vec<String> {
    app.item_events(token, id).await.ok().into_iter().map(|e| e.kind).collect()
}

#[tokio::test]
async fn dispatched_accepted_and_solved_within_5_days() {
    let app = spawn_app().await;
    let (id, version) = item_at_street(&app).await;
    let dispatcher = app.token("dispatcher1").await;
    let dept1 = app.token("dept1").await;

    // The dispatch board lists it; the picker offers departments; the department cannot see it yet.
    let board = app.queue(&dispatcher, "stage=at_street").await.ok();
    assert_eq!(board.len(), 1, "{board:?}");
    let picks = app.suggest_departments(&dispatcher, "item_type=public_facilities").await.ok();
    assert!(picks.iter().any(|p| p.department.name == HOUSING));
    assert_eq!(app.item(&dept1, &id).await.status, 404);
    let item = app.item(&dispatcher, &id).await.ok();
    assert_eq!(item.journey.actions, [ActionKind::Dispatch]);

    let housing = dept_id(&app, &dispatcher, HOUSING).await;
    let ecology = dept_id(&app, &dispatcher, "市生态环境局").await;
    let body = Dispatch { version, department_id: housing, co_department_ids: vec![ecology] };
    let item = app.dispatch(&dispatcher, &id, &body).await.with_status(200);
    assert_eq!(item.status, ItemStatus::Dispatched);
    assert_eq!(item.department.as_ref().unwrap().name, HOUSING);
    assert_eq!(dispatch(&item).co_departments[0].name, "市生态环境局");
    assert_eq!(
        item.journey.actions,
        Vec::<ActionKind>::new(),
        "the street has nothing to do while the department decides"
    );

    // The department's inbox has it, with accept and reject offered.
    let inbox = app.queue(&dept1, "stage=dispatched").await.ok();
    assert_eq!(inbox[0].id, id);
    let seen = app.item(&dept1, &id).await.ok();
    assert_eq!(seen.journey.actions, [ActionKind::Accept, ActionKind::Reject]);

    app.state.clock.advance(Duration::hours(3));
    let item = app.accept(&dept1, &id, item.version).await.with_status(200);
    assert_eq!(item.status, ItemStatus::InProgress);
    let (a, d) = (dispatch(&item).accepted_at.unwrap(), dispatch(&item).due_at.unwrap());
    assert_eq!(d - a, Duration::days(5));
    assert_eq!(item.stage_due_at, dispatch(&item).due_at);
    assert_eq!(dispatch(&item).accepted_by.as_ref().unwrap().name, "孙磊");
    assert_eq!(item.journey.actions, [ActionKind::RequestExtension, ActionKind::ReturnSheet]);
    assert!(!dispatch(&item).onsite_required);

    // Solved on day 3.
    app.state.clock.advance(Duration::days(3));
    let item = app.return_sheet(&dept1, &id, &solved_sheet(item.version, "已更换楼道灯8盏。")).await.with_status(200);
    assert_eq!(item.status, ItemStatus::Solved);
    assert_eq!(item.ledger.outcome, Some(Outcome::SolvedByDeptIn10Days));
    assert!(item.ledger.closed);
    assert_eq!(dispatch(&item).solved_within_10_days, Some(true));
    assert!(dispatch(&item).returned_at.is_some());
    assert_eq!(item.journey.actions, Vec::<ActionKind>::new(), "the department has nothing more to do");

    // The community tells the resident within 2 days.
    let secretary = app.token("community1").await;
    let seen = app.item(&secretary, &id).await.ok();
    assert_eq!(seen.journey.actions, [ActionKind::TellResident]);
    let tell = TellResident { version: item.version, how: FeedbackMethod::Phone, note: None };
    let item = app.tell_resident(&secretary, &id, &tell).await.with_status(200);
    assert_eq!(item.status, ItemStatus::Closed);

    let events = app.item_events(&secretary, &id).await.ok();
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["created", "sent_to_street", "dispatched", "accepted", "sheet_returned", "resident_told"]);
    assert_eq!(events[3].label, "接单");
}

#[tokio::test]
async fn extended_and_solved_by_day_10() {
    let app = spawn_app().await;
    let item = accepted_item(&app).await;
    let id = item.id.clone();
    let (dept1, dispatcher) = (app.token("dept1").await, app.token("dispatcher1").await);
    let due = item.stage_due_at.unwrap();

    app.state.clock.advance(Duration::days(4));
    let ask = |reason: &str| RequestExtension { version: item.version, reason: reason.into() };
    let r = app.request_extension(&dept1, &id, &ask(" ")).await;
    assert_eq!((r.status, r.field()), (422, Some("reason")), "{:?}", r.body);
    let item = app.request_extension(&dept1, &id, &ask("需协调供电公司停电施工")).await.with_status(200);
    assert_eq!(dispatch(&item).extension.as_ref().unwrap().reason, "需协调供电公司停电施工");
    // Asked once only.
    let again = RequestExtension { version: item.version, reason: "再延".into() };
    let again = app.request_extension(&dept1, &id, &again).await;
    assert_eq!((again.status, again.code()), (409, "wrong_stage"));
    // The street sees the request on its board and approves it.
    let pending = app.queue(&dispatcher, "stage=in_progress&extension_pending=true").await.ok();
    assert!(pending[0].extension_pending);
    let seen = app.item(&dispatcher, &id).await.ok();
    assert_eq!(seen.journey.actions, [ActionKind::DecideExtension]);
    let decide = DecideExtension { version: item.version, approve: true, note: None };
    let item = app.decide_extension(&dispatcher, &id, &decide).await.with_status(200);
    let new_due = item.stage_due_at.unwrap();
    assert_eq!(new_due - due, Duration::days(5));
    assert_eq!(dispatch(&item).extension.as_ref().unwrap().approved, Some(true));

    // Day 9: not overdue, solved within 10 days.
    app.state.clock.advance(Duration::days(5));
    let item = app.item(&dept1, &id).await.ok();
    assert!(!item.overdue);
    let item = app.return_sheet(&dept1, &id, &solved_sheet(item.version, "线路已改造。")).await.with_status(200);
    assert_eq!(item.ledger.outcome, Some(Outcome::SolvedByDeptIn10Days));
}

#[tokio::test]
async fn extensions_are_refused_after_the_deadline() {
    let app = spawn_app().await;
    let item = accepted_item(&app).await;
    let id = item.id.clone();
    let (dept1, dispatcher) = (app.token("dept1").await, app.token("dispatcher1").await);
    app.state.clock.advance(Duration::days(4));
    let ask = RequestExtension { version: item.version, reason: "等待材料".into() };
    let item = app.request_extension(&dept1, &id, &ask).await.with_status(200);
    // The street lets the deadline pass: too late to approve, and the item is overdue.
    app.state.clock.advance(Duration::days(1) + Duration::hours(1));
    let decide = DecideExtension { version: item.version, approve: true, note: None };
    let late = app.decide_extension(&dispatcher, &id, &decide).await;
    assert_eq!((late.status, late.code()), (409, "deadline_passed"), "{:?}", late.body);
    let seen = app.item(&dispatcher, &id).await.ok();
    assert!(seen.overdue);
    assert!(!seen.journey.actions.contains(&ActionKind::DecideExtension));
    let overdue = app.ledger(&dispatcher, "overdue=true").await.ok();
    assert_eq!(overdue.total, 1);
}

#[tokio::test]
async fn past_10_days_the_onsite_office_record_is_required_then_solved_after_coordination() {
    let app = spawn_app().await;
    let item = accepted_item(&app).await;
    let id = item.id.clone();
    let dept1 = app.token("dept1").await;
    app.state.clock.advance(Duration::days(11));
    let seen = app.item(&dept1, &id).await.ok();
    assert!(dispatch(&seen).onsite_required);
    let body = solved_sheet(item.version, "经现场协调已解决。");
    let r = app.return_sheet(&dept1, &id, &body).await;
    assert_eq!((r.status, r.field()), (422, Some("onsite")), "{:?}", r.body);
    // Saying "yes" is not enough: the on-site office must be on record (第七条2).
    let body = ReturnSheet { onsite: Some(true), measures_clear: Some(true), ..body };
    let r = app.return_sheet(&dept1, &id, &body).await;
    assert_eq!((r.status, r.field()), (422, Some("onsite")), "{:?}", r.body);
    let recorded = app.hold_onsite_office(&dept1, &id).await;
    assert_eq!(recorded.journey.onsite_records.len(), 1);
    let r = app.return_sheet(&dept1, &id, &body).await;
    assert_eq!((r.status, r.field()), (422, Some("measures")), "{:?}", r.body);
    let body = ReturnSheet { measures: Some("联合物业更换主线".into()), ..body };
    let item = app.return_sheet(&dept1, &id, &body).await.with_status(200);
    assert_eq!(item.ledger.outcome, Some(Outcome::SolvedAfterCoordination));
    assert_eq!(dispatch(&item).solved_within_10_days, Some(false));
    assert_eq!(dispatch(&item).onsite, Some(true));
    assert_eq!(dispatch(&item).measures.as_deref(), Some("联合物业更换主线"));
}

#[tokio::test]
async fn unsolvable_needs_the_heads_signature() {
    let app = spawn_app().await;
    let item = accepted_item(&app).await;
    let id = item.id.clone();
    let (dept1, head) = (app.token("dept1").await, app.token("depthead1").await);
    app.state.clock.advance(Duration::days(10) + Duration::hours(2));
    app.hold_onsite_office(&dept1, &id).await;
    let base = ReturnSheet {
        solved: false,
        onsite: Some(true),
        measures_clear: Some(false),
        ..solved_sheet(item.version, "已现场查看。")
    };
    let r = app.return_sheet(&dept1, &id, &base).await;
    assert_eq!((r.status, r.field()), (422, Some("unsolved_reason")), "{:?}", r.body);
    let body = ReturnSheet {
        unsolved_reason: Some("涉及规划调整，本年度无资金".into()),
        countermeasures: Some("列入明年老旧小区改造计划".into()),
        ..base
    };
    let body_again = |item: &Item| ReturnSheet { version: item.version, ..body.clone() };
    let item = app.return_sheet(&dept1, &id, &body).await.with_status(200);
    assert_eq!(item.status, ItemStatus::AwaitingSignoff);
    assert_eq!(item.ledger.outcome, None);

    // Only the head signs.
    let sign = |item: &Item, approve: bool, note: Option<&str>| HeadSign {
        version: item.version,
        approve,
        note: note.map(Into::into),
    };
    let r = app.head_sign(&dept1, &id, &sign(&item, true, None)).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    let seen = app.item(&head, &id).await.ok();
    assert_eq!(seen.journey.actions, [ActionKind::HeadSign]);
    // The head first sends it back to be worked on; the handler returns it again.
    let item = app.head_sign(&head, &id, &sign(&item, false, Some("再协调一次"))).await.with_status(200);
    assert_eq!(item.status, ItemStatus::InProgress);
    let again = ReturnSheet {
        countermeasures: Some("列入明年老旧小区改造计划，先设置警示牌".into()),
        ..body_again(&item)
    };
    let item = app.return_sheet(&dept1, &id, &again).await.with_status(200);
    assert_eq!(item.status, ItemStatus::AwaitingSignoff);
    let item = app.head_sign(&head, &id, &sign(&item, true, None)).await.with_status(200);
    assert_eq!(item.status, ItemStatus::Unsolved);
    assert_eq!(item.ledger.outcome, Some(Outcome::Unsolvable));
    assert!(!item.ledger.closed);
    assert_eq!(dispatch(&item).signed_by.as_ref().unwrap().name, "周明");
    assert_eq!(dispatch(&item).unsolved_reason.as_deref(), Some("涉及规划调整，本年度无资金"));

    // The resident is told and the item closes.
    let secretary = app.token("community1").await;
    let tell = TellResident { version: item.version, how: FeedbackMethod::Visit, note: None };
    let item = app.tell_resident(&secretary, &id, &tell).await.with_status(200);
    assert_eq!(item.status, ItemStatus::Closed);
    assert_eq!(
        event_kinds(&app, &secretary, &id).await,
        [
            "created",
            "sent_to_street",
            "dispatched",
            "accepted",
            "onsite_recorded",
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
    let item = app.dispatch(&dispatcher, &id, &dispatch_to(version, housing)).await.with_status(200);

    let reject = Reject { version: item.version, reason: RejectReason::Other, note: None };
    let r = app.reject(&dept1, &id, &reject).await;
    assert_eq!((r.status, r.field()), (422, Some("note")), "{:?}", r.body);
    let reject =
        Reject {
            version: item.version, reason: RejectReason::NotOurDuty, note: Some("路灯归城市管理部门".into())
        };
    let item = app.reject(&dept1, &id, &reject).await.with_status(200);
    assert_eq!(item.status, ItemStatus::AtStreet);
    assert_eq!(item.department, None);
    // The department no longer holds it.
    assert_eq!(app.item(&dept1, &id).await.status, 404);

    let transport = dept_id(&app, &dispatcher, "市交通运输局").await;
    let item = app.dispatch(&dispatcher, &id, &dispatch_to(item.version, transport)).await.with_status(200);
    assert_eq!(item.department.as_ref().unwrap().name, "市交通运输局");
    let rejection = &item.journey.rejections[0];
    assert_eq!(rejection.department.name, HOUSING);
    assert_eq!(rejection.reason, RejectReason::NotOurDuty);
    assert_eq!(rejection.note.as_deref(), Some("路灯归城市管理部门"));
}

#[tokio::test]
async fn illegal_actions_are_409_with_a_code_and_two_accepts_have_one_winner() {
    let app = spawn_app().await;
    let (id, version) = item_at_street(&app).await;
    let (dispatcher, dept1, head) =
        (app.token("dispatcher1").await, app.token("dept1").await, app.token("depthead1").await);
    let secretary = app.token("community1").await;
    // Solving locally once at the street is the wrong stage.
    let r = app.solve_locally(&secretary, &id, &SolveLocally { version, result: "x".into() }).await;
    assert_eq!((r.status, r.code()), (409, "wrong_stage"));
    // A department cannot dispatch; the street cannot accept what is not dispatched.
    let housing = dept_id(&app, &dispatcher, HOUSING).await;
    let r = app.accept(&dispatcher, &id, version).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    let r = app.dispatch(&dispatcher, &id, &dispatch_to(version, 999999)).await;
    assert_eq!((r.status, r.field()), (422, Some("department_id")));
    let item = app.dispatch(&dispatcher, &id, &dispatch_to(version, housing)).await.with_status(200);
    let r = app.dispatch(&dispatcher, &id, &dispatch_to(item.version, housing)).await;
    assert_eq!((r.status, r.code()), (409, "wrong_stage"));
    let r = app.return_sheet(&dept1, &id, &solved_sheet(item.version, "x")).await;
    assert_eq!((r.status, r.code()), (409, "wrong_stage"));
    let r = app.accept(&dept1, &id, item.version - 1).await;
    assert_eq!((r.status, r.code()), (409, "stale_version"));

    // The handler and the head accept at the same moment: exactly one wins, the other is told it is stale.
    let (a, b) = tokio::join!(app.accept(&dept1, &id, item.version), app.accept(&head, &id, item.version));
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{:?} {:?}", a.body, b.body);
    let loser = if a.status == 409 { a } else { b };
    assert_eq!(loser.code(), "stale_version");
    let kinds = event_kinds(&app, &dept1, &id).await;
    assert_eq!(kinds.iter().filter(|k| *k == "accepted").count(), 1);
}
