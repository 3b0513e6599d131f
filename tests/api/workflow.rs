//! The item's journey so far: the community solves it itself, the resident is told; stages, versions, clocks and
//! the ledger's derived columns.

use chrono::Duration;
use shared::item::{FeedbackMethod, Item, ItemStatus, SendToStreet, SolveLocally, TellResident};
use shared::Outcome;
use tests::{spawn_app, TestApp};

use crate::items::{building, capture};

async fn new_item(app: &TestApp) -> Item {
    let grid1 = app.token("grid1").await;
    app.create_item(&grid1, &capture(building(app, &grid1, 3).await)).await.with_status(201)
}

fn solve(version: i64, result: &str) -> SolveLocally {
    SolveLocally { version, result: result.into() }
}

#[tokio::test]
async fn the_community_solves_an_item_and_the_resident_is_told() {
    let app = spawn_app().await;
    let item = new_item(&app).await;
    let id = item.id.as_str();
    assert!(!item.overdue);
    assert!(item.stage_due_at.is_some());
    let secretary = app.token("community1").await;

    let solved = app.solve_locally(&secretary, id, &solve(1, "已联系物业更换楼道灯。")).await.with_status(200);
    assert_eq!(solved.status, ItemStatus::Solved);
    assert!(solved.ledger.closed);
    assert_eq!(solved.ledger.outcome, Some(Outcome::SolvedLocally));
    assert!(!solved.ledger.resident_told);
    assert_eq!(solved.result.as_deref(), Some("已联系物业更换楼道灯。"));

    // The grid leader tells the resident.
    let grid1 = app.token("grid1").await;
    let tell = TellResident { version: 2, how: FeedbackMethod::Visit, note: Some("居民表示满意".into()) };
    let told = app.tell_resident(&grid1, id, &tell).await.with_status(200);
    assert_eq!(told.status, ItemStatus::Closed);
    assert!(told.ledger.resident_told);
    assert_eq!(told.ledger.told_by.as_deref(), Some("王建华"));
    assert!(told.stage_due_at.is_none());

    let events = app.item_events(&grid1, id).await.ok();
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["created", "solved_locally", "resident_told"]);
    assert_eq!(events[2].changes[1].after.as_deref(), Some("居民表示满意"));

    // The ledger and its export show the derived columns.
    let row = &app.ledger(&secretary, "").await.ok().rows[0];
    assert_eq!((row.ledger.closed, row.ledger.told_by.as_deref()), (true, Some("王建华")));
    let (_, bytes) = app.get_bytes(Some(&secretary), "/api/ledger/export").await;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    use calamine::Reader;
    let sheet = wb.worksheet_range("民情直通车台账").unwrap();
    let cell = |c: u32| sheet.get_value((3, c)).map(|d| d.to_string()).unwrap_or_default();
    assert_eq!(
        (cell(6), cell(8), cell(9), cell(12), cell(14)),
        ("是".into(), "√".into(), "".into(), "是".into(), "王建华".into())
    );
}

#[tokio::test]
async fn actions_check_role_scope_stage_and_version() {
    let app = spawn_app().await;
    let item = new_item(&app).await;
    let id = item.id.as_str();
    let body = solve(1, "已处理");

    // A grid leader does not solve for the community; another community's secretary does not see the item.
    assert_eq!(app.solve_locally(&app.token("grid1").await, id, &body).await.status, 403);
    assert_eq!(app.solve_locally(&app.token("station2").await, id, &body).await.status, 404);
    let secretary = app.token("community1").await;
    // Telling the resident before there is a result is the wrong stage.
    let tell = TellResident { version: 1, how: FeedbackMethod::Phone, note: None };
    let r = app.tell_resident(&secretary, id, &tell).await;
    assert_eq!((r.status, r.code()), (409, "wrong_stage"));
    let r = app.solve_locally(&secretary, id, &solve(1, "  ")).await;
    assert_eq!((r.status, r.field()), (422, Some("result")));
    let r = app.solve_locally(&secretary, id, &solve(7, "已处理")).await;
    assert_eq!((r.status, r.code()), (409, "stale_version"));

    // Two people solving at once: exactly one wins.
    let street = app.token("street1").await;
    let (a, b) = tokio::join!(app.solve_locally(&secretary, id, &body), app.solve_locally(&street, id, &body));
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    let loser = if a.status == 409 { &a } else { &b };
    assert!(["stale_version", "wrong_stage"].contains(&loser.code()), "{:?}", loser.body);
    let events = app.item_events(&secretary, id).await.ok();
    assert_eq!(events.len(), 2);
    // Solving again is the wrong stage.
    let r = app.solve_locally(&secretary, id, &solve(2, "再办一次")).await;
    assert_eq!((r.status, r.code()), (409, "wrong_stage"));
}

#[tokio::test]
async fn a_stage_past_its_clock_is_overdue_in_the_item_and_the_ledger() {
    let app = spawn_app().await;
    let item = new_item(&app).await;
    let id = item.id.as_str();
    let secretary = app.token("community1").await;
    assert_eq!(app.ledger(&secretary, "overdue=true").await.ok().total, 0);

    // Three days and a minute later the community review is overdue.
    app.state.clock.advance(Duration::days(3) + Duration::minutes(1));
    let secretary = app.token("community1").await;
    let r = app.item(&secretary, id).await.ok();
    assert!(r.overdue);
    let ledger = app.ledger(&secretary, "overdue=true").await.ok();
    assert_eq!((ledger.total, ledger.rows[0].overdue), (1, true));

    // Solving starts the 2-day clock to tell the resident: no longer overdue until that passes.
    let solved = app.solve_locally(&secretary, id, &solve(1, "已处理")).await.ok();
    assert!(!solved.overdue);
    assert_eq!(app.ledger(&secretary, "overdue=true").await.ok().total, 0);
    app.state.clock.advance(Duration::days(2) + Duration::minutes(1));
    let secretary = app.token("community1").await;
    assert_eq!(app.ledger(&secretary, "overdue=true").await.ok().total, 1);
}

#[tokio::test]
async fn sending_to_the_street_numbers_the_sheet_per_street_and_year_without_gaps() {
    let app = spawn_app().await;
    let grid1 = app.token("grid1").await;
    let place = building(&app, &grid1, 2).await;
    let mut ids = Vec::new();
    for _ in 0..50 {
        ids.push(app.create_item(&grid1, &capture(place)).await.ok().id);
    }
    let secretary = app.token("community1").await;
    let dept = app.unit_id(&secretary, "市住房和城乡建设局").await;

    // A department that is not one is refused; the grid leader may not send.
    let r = app.send_to_street(&secretary, &ids[0], &SendToStreet { version: 1, department_id: Some(place) }).await;
    assert_eq!((r.status, r.field()), (422, Some("department_id")));
    let r = app.send_to_street(&grid1, &ids[0], &SendToStreet { version: 1, department_id: None }).await;
    assert_eq!(r.status, 403);

    let send = SendToStreet { version: 1, department_id: Some(dept) };
    let replies = futures::future::join_all(ids.iter().map(|id| app.send_to_street(&secretary, id, &send))).await;
    let year = chrono::Datelike::year(&(app.state.clock.now() + Duration::hours(8)));
    let mut numbers: Vec<String> = replies
        .into_iter()
        .map(|r| {
            let item = r.with_status(200);
            assert_eq!(item.status, ItemStatus::AtStreet);
            assert_eq!(item.proposed_department.unwrap().name, "市住房和城乡建设局");
            item.sheet_no.unwrap()
        })
        .collect();
    numbers.sort();
    let expected: Vec<String> = (1..=50).map(|n| format!("新华街道{year}{n:03}")).collect();
    assert_eq!(numbers, expected);

    // Sent items are no longer the community's to solve.
    let r = app.solve_locally(&secretary, &ids[0], &solve(2, "x")).await;
    assert_eq!((r.status, r.code()), (409, "wrong_stage"));
    let events = app.item_events(&secretary, &ids[0]).await.ok();
    assert_eq!(events[1].label, "报送街道");
}
