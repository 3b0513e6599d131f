//! The item's journey so far: the community solves it itself, the resident is told; stages, versions, clocks and
//! the ledger's derived columns.

use chrono::Duration;
use serde_json::json;
use tests::{spawn_app, TestApp};

use crate::items::{building, capture};

async fn new_item(app: &TestApp) -> serde_json::Value {
    let grid1 = app.token("grid1").await;
    let r = app.post(Some(&grid1), "/api/items", &capture(building(app, &grid1, 3).await)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.body
}

#[tokio::test]
async fn the_community_solves_an_item_and_the_resident_is_told() {
    let app = spawn_app().await;
    let item = new_item(&app).await;
    let id = item["id"].as_str().unwrap();
    assert_eq!(item["overdue"], false);
    assert!(item["stage_due_at"].is_string());
    let secretary = app.token("community1").await;

    let solved = app
        .post(
            Some(&secretary),
            &format!("/api/items/{id}/solve-locally"),
            &json!({"version": 1, "result": "已联系物业更换楼道灯。"}),
        )
        .await;
    assert_eq!(solved.status, 200, "{:?}", solved.body);
    assert_eq!(solved.body["status"], "solved");
    assert_eq!(solved.body["ledger"]["closed"], true);
    assert_eq!(solved.body["ledger"]["outcome"], "solved_locally");
    assert_eq!(solved.body["ledger"]["resident_told"], false);
    assert_eq!(solved.body["result"], "已联系物业更换楼道灯。");

    // The grid leader tells the resident.
    let grid1 = app.token("grid1").await;
    let told = app
        .post(
            Some(&grid1),
            &format!("/api/items/{id}/tell-resident"),
            &json!({"version": 2, "how": "visit", "note": "居民表示满意"}),
        )
        .await;
    assert_eq!(told.status, 200, "{:?}", told.body);
    assert_eq!(told.body["status"], "closed");
    assert_eq!(told.body["ledger"]["resident_told"], true);
    assert_eq!(told.body["ledger"]["told_by"], "王建华");
    assert!(told.body["stage_due_at"].is_null());

    let events = app.get(Some(&grid1), &format!("/api/items/{id}/events")).await.body;
    let kinds: Vec<&str> = events.as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["created", "solved_locally", "resident_told"]);
    assert_eq!(events[2]["changes"][1]["after"], "居民表示满意");

    // The ledger and its export show the derived columns.
    let row = &app.get(Some(&secretary), "/api/ledger").await.body["rows"][0];
    assert_eq!((row["ledger"]["closed"].as_bool(), row["ledger"]["told_by"].as_str()), (Some(true), Some("王建华")));
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
    let id = item["id"].as_str().unwrap();
    let solve = format!("/api/items/{id}/solve-locally");
    let tell = format!("/api/items/{id}/tell-resident");
    let body = json!({"version": 1, "result": "已处理"});

    // A grid leader does not solve for the community; another community's secretary does not see the item.
    assert_eq!(app.post(Some(&app.token("grid1").await), &solve, &body).await.status, 403);
    assert_eq!(app.post(Some(&app.token("station2").await), &solve, &body).await.status, 404);
    let secretary = app.token("community1").await;
    // Telling the resident before there is a result is the wrong stage.
    let r = app.post(Some(&secretary), &tell, &json!({"version": 1, "how": "phone"})).await;
    assert_eq!((r.status, r.code()), (409, "wrong_stage"));
    let r = app.post(Some(&secretary), &solve, &json!({"version": 1, "result": "  "})).await;
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("result")));
    let r = app.post(Some(&secretary), &solve, &json!({"version": 7, "result": "已处理"})).await;
    assert_eq!((r.status, r.code()), (409, "stale_version"));

    // Two people solving at once: exactly one wins.
    let street = app.token("street1").await;
    let (a, b) = tokio::join!(app.post(Some(&secretary), &solve, &body), app.post(Some(&street), &solve, &body));
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    let loser = if a.status == 409 { &a } else { &b };
    assert!(["stale_version", "wrong_stage"].contains(&loser.code()), "{:?}", loser.body);
    let events = app.get(Some(&secretary), &format!("/api/items/{id}/events")).await.body;
    assert_eq!(events.as_array().unwrap().len(), 2);
    // Solving again is the wrong stage.
    let r = app.post(Some(&secretary), &solve, &json!({"version": 2, "result": "再办一次"})).await;
    assert_eq!((r.status, r.code()), (409, "wrong_stage"));
}

#[tokio::test]
async fn a_stage_past_its_clock_is_overdue_in_the_item_and_the_ledger() {
    let app = spawn_app().await;
    let item = new_item(&app).await;
    let id = item["id"].as_str().unwrap().to_string();
    let secretary = app.token("community1").await;
    assert_eq!(app.get(Some(&secretary), "/api/ledger?overdue=true").await.body["total"], 0);

    // Three days and a minute later the community review is overdue.
    app.state.clock.advance(Duration::days(3) + Duration::minutes(1));
    let secretary = app.token("community1").await;
    let r = app.get(Some(&secretary), &format!("/api/items/{id}")).await;
    assert_eq!(r.body["overdue"], true);
    let ledger = app.get(Some(&secretary), "/api/ledger?overdue=true").await.body;
    assert_eq!((ledger["total"].as_i64(), ledger["rows"][0]["overdue"].as_bool()), (Some(1), Some(true)));

    // Solving starts the 2-day clock to tell the resident: no longer overdue until that passes.
    let solved = app
        .post(Some(&secretary), &format!("/api/items/{id}/solve-locally"), &json!({"version": 1, "result": "已处理"}))
        .await;
    assert_eq!(solved.body["overdue"], false);
    assert_eq!(app.get(Some(&secretary), "/api/ledger?overdue=true").await.body["total"], 0);
    app.state.clock.advance(Duration::days(2) + Duration::minutes(1));
    let secretary = app.token("community1").await;
    assert_eq!(app.get(Some(&secretary), "/api/ledger?overdue=true").await.body["total"], 1);
}

#[tokio::test]
async fn sending_to_the_street_numbers_the_sheet_per_street_and_year_without_gaps() {
    let app = spawn_app().await;
    let grid1 = app.token("grid1").await;
    let place = building(&app, &grid1, 2).await;
    let mut ids = Vec::new();
    for _ in 0..50 {
        let r = app.post(Some(&grid1), "/api/items", &capture(place)).await;
        ids.push(r.body["id"].as_str().unwrap().to_string());
    }
    let secretary = app.token("community1").await;
    let dept = app.unit_id(&secretary, "市住房和城乡建设局").await;

    // A department that is not one is refused; the grid leader may not send.
    let first = format!("/api/items/{}/send-to-street", ids[0]);
    let r = app.post(Some(&secretary), &first, &json!({"version": 1, "department_id": place})).await;
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("department_id")));
    assert_eq!(app.post(Some(&grid1), &first, &json!({"version": 1})).await.status, 403);

    let bodies: Vec<(String, serde_json::Value)> = ids
        .iter()
        .map(|id| (format!("/api/items/{id}/send-to-street"), json!({"version": 1, "department_id": dept})))
        .collect();
    let replies =
        futures::future::join_all(bodies.iter().map(|(path, body)| app.post(Some(&secretary), path, body))).await;
    let year = chrono::Datelike::year(&(app.state.clock.now() + Duration::hours(8)));
    let mut numbers: Vec<String> = replies
        .iter()
        .map(|r| {
            assert_eq!(r.status, 200, "{:?}", r.body);
            assert_eq!(r.body["status"], "at_street");
            assert_eq!(r.body["proposed_department"]["name"], "市住房和城乡建设局");
            r.body["sheet_no"].as_str().unwrap().to_string()
        })
        .collect();
    numbers.sort();
    let expected: Vec<String> = (1..=50).map(|n| format!("新华街道{year}{n:03}")).collect();
    assert_eq!(numbers, expected);

    // Sent items are no longer the community's to solve.
    let r = app
        .post(Some(&secretary), &format!("/api/items/{}/solve-locally", ids[0]), &json!({"version": 2, "result": "x"}))
        .await;
    assert_eq!((r.status, r.code()), (409, "wrong_stage"));
    let events = app.get(Some(&secretary), &format!("/api/items/{}/events", ids[0])).await.body;
    assert_eq!(events[1]["label"], "报送街道");
}
