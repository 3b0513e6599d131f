//! Residents' voice on both engines: the outcome link (random, hashed, scoped to its item, rate-limited), the rating
//! and its 7-day window, follow-ups and sending an item back, and the weekly evaluation with its satisfaction rate.

use chrono::Duration;
use diesel::prelude::*;
use serde_json::{json, Value};
use tests::{spawn_app_with, TestApp};

use crate::items::{building, capture};
use crate::journey::{accepted_item, act, spawn_app, HOUSING};

/// An item the community solved and told the resident about; returns its id.
async fn closed_item(app: &TestApp, content: &str) -> String {
    let grid1 = app.token("grid1").await;
    let mut body = capture(building(app, &grid1, 3).await);
    body["content"] = json!(content);
    let r = app.post(Some(&grid1), "/api/items", &body).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let id = r.body["id"].as_str().unwrap().to_string();
    let secretary = app.token("community1").await;
    act(app, &secretary, &id, "solve-locally", json!({"version": 1, "result": "已更换楼道灯。"})).await;
    act(app, &grid1, &id, "tell-resident", json!({"version": 2, "how": "visit"})).await;
    id
}

async fn link(app: &TestApp, token: &str, id: &str) -> String {
    let r = app.post(Some(token), &format!("/api/items/{id}/resident-link"), &json!({})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert!(r.body["qr_svg"].as_str().unwrap().contains("<svg"));
    assert!(r.body["share_text"].as_str().unwrap().contains(r.body["url"].as_str().unwrap()));
    r.body["path"].as_str().unwrap().trim_start_matches("/r/").to_string()
}

/// The department returns the accepted item solved, the grid leader tells the resident, who rates through the link.
async fn resident_rates(app: &TestApp, accepted: &Value, answers: Value) {
    let (dept1, grid1) = (app.token("dept1").await, app.token("grid1").await);
    let id = accepted["id"].as_str().unwrap().to_string();
    let sheet = json!({"version": accepted["version"], "solved": true, "result": "已修复。"});
    let item = act(app, &dept1, &id, "return-sheet", sheet).await;
    act(app, &grid1, &id, "tell-resident", json!({"version": item["version"], "how": "phone"})).await;
    let token = link(app, &grid1, &id).await;
    let r = app.put(None, &format!("/api/r/{token}/rating"), &answers).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
}

fn rate(timely: &str, attitude: &str, result: &str, not_solved: bool) -> Value {
    json!({"timely": timely, "attitude": attitude, "result": result, "not_solved": not_solved})
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
    let old = app.get(None, &format!("/api/r/{first}")).await;
    assert_eq!((old.status, old.code()), (404, "not_found"));
    assert!(old.body["message"].as_str().unwrap().contains("链接无效或已过期"));
    assert_eq!(app.get(None, "/api/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").await.status, 404);

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
    let r = app.post(Some(&grid1), "/api/items", &capture(building(&app, &grid1, 3).await)).await;
    let open_id = r.body["id"].as_str().unwrap().to_string();
    let early = link(&app, &grid1, &open_id).await;
    let view = app.get(None, &format!("/api/r/{early}")).await.body;
    assert_eq!((view["can_rate"].as_bool(), view["status_label"].as_str()), (Some(false), Some("社区正在研究处理")));
    let r = app.put(None, &format!("/api/r/{early}/rating"), &rate("satisfied", "satisfied", "satisfied", false)).await;
    assert_eq!((r.status, r.code()), (409, "wrong_stage"));

    let id = closed_item(&app, "楼道灯坏了。").await;
    let token = link(&app, &grid1, &id).await;
    let r = app.put(None, &format!("/api/r/{token}/rating"), &rate("satisfied", "basically", "satisfied", false)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["rating"]["rate"]["attitude"], "basically");
    app.state.clock.advance(Duration::days(6));
    let mut changed = rate("satisfied", "satisfied", "satisfied", false);
    changed["comment"] = json!("谢谢社区");
    let r = app.put(None, &format!("/api/r/{token}/rating"), &changed).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["rating"]["rate"]["comment"], "谢谢社区");
    app.state.clock.advance(Duration::days(1) + Duration::hours(1));
    let r = app
        .put(None, &format!("/api/r/{token}/rating"), &rate("dissatisfied", "dissatisfied", "dissatisfied", true))
        .await;
    assert_eq!((r.status, r.code()), (409, "deadline_passed"));
    let view = app.get(None, &format!("/api/r/{token}")).await.body;
    assert_eq!(view["can_rate"], false);
    assert_eq!(view["rating"]["rate"]["attitude"], "satisfied");
    let r = app.put(None, &format!("/api/r/{token}/rating"), &json!({"timely": "great"})).await;
    assert_eq!(r.status, 422, "{:?}", r.body);
}

#[tokio::test]
async fn links_are_rate_limited() {
    let app = spawn_app_with(|s| s.resident_requests_per_minute = 5).await;
    let id = closed_item(&app, "楼道灯坏了。").await;
    let grid1 = app.token("grid1").await;
    let token = link(&app, &grid1, &id).await;
    for _ in 0..5 {
        assert_eq!(app.get(None, &format!("/api/r/{token}")).await.status, 200);
    }
    let r = app.get(None, &format!("/api/r/{token}")).await;
    assert_eq!((r.status, r.code()), (429, "too_many_requests"), "{:?}", r.body);
    // Guessing is limited the same way.
    assert_eq!(app.get(None, "/api/r/guess").await.status, 429);
}

#[tokio::test]
async fn not_solved_opens_a_follow_up_and_the_street_sends_the_item_back() {
    let app = spawn_app().await;
    let item = accepted_item(&app).await;
    let id = item["id"].as_str().unwrap().to_string();
    let dept1 = app.token("dept1").await;
    let item = act(
        &app,
        &dept1,
        &id,
        "return-sheet",
        json!({"version": item["version"], "solved": true, "result": "已修复。"}),
    )
    .await;
    let grid1 = app.token("grid1").await;
    act(&app, &grid1, &id, "tell-resident", json!({"version": item["version"], "how": "phone"})).await;
    let token = link(&app, &grid1, &id).await;
    let dispatcher = app.token("dispatcher1").await;
    let seen = app.get(Some(&dispatcher), &format!("/api/items/{id}")).await.body;
    assert!(!seen["journey"]["actions"].as_array().unwrap().contains(&json!("send_back")));

    let r =
        app.put(None, &format!("/api/r/{token}/rating"), &rate("satisfied", "satisfied", "dissatisfied", true)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    // The community sees the follow-up; another community's secretary would not.
    let secretary = app.token("community1").await;
    let open = app.get(Some(&secretary), "/api/follow-ups?open=true").await.body;
    assert_eq!(open.as_array().unwrap().len(), 1, "{open:?}");
    assert_eq!(open[0]["item_id"], id.as_str());
    assert_eq!(open[0]["department"]["name"], HOUSING);
    let station2 = app.token("station2").await;
    assert_eq!(app.get(Some(&station2), "/api/follow-ups?open=true").await.body, json!([]));

    // "Not solved": the street sends it back to the department.
    let seen = app.get(Some(&dispatcher), &format!("/api/items/{id}")).await.body;
    assert!(seen["journey"]["actions"].as_array().unwrap().contains(&json!("send_back")), "{:?}", seen["journey"]);
    assert_eq!(seen["journey"]["resident_rating"]["rate"]["result"], "dissatisfied");
    assert_eq!(seen["journey"]["resident_rating"]["rate"]["not_solved"], true);
    let item =
        act(&app, &dispatcher, &id, "send-back", json!({"version": seen["version"], "note": "居民反映灯仍不亮"})).await;
    assert_eq!(item["status"], "dispatched");
    assert_eq!(item["department"]["name"], HOUSING);
    assert!(item["ledger"]["outcome"].is_null());
    let inbox = app.get(Some(&dept1), "/api/queue?stage=dispatched").await.body;
    assert_eq!(inbox[0]["id"], id.as_str());
    let r = app
        .post(
            Some(&dispatcher),
            &format!("/api/items/{id}/send-back"),
            &json!({"version": item["version"], "note": "再退"}),
        )
        .await;
    assert_eq!((r.status, r.code()), (409, "wrong_stage"));

    // The community works the follow-up through its four steps; it closes.
    let fid = open[0]["id"].as_i64().unwrap();
    for (step, text) in [
        ("find_reason", "灯具老化，上次只换了灯泡"),
        ("feed_back", "已反馈住建局"),
        ("agree_measures", "更换整套灯具"),
        ("explain", "已向居民说明"),
    ] {
        let r = app
            .post(Some(&secretary), &format!("/api/follow-ups/{fid}/steps"), &json!({"step": step, "text": text}))
            .await;
        assert_eq!(r.status, 200, "{step}: {:?}", r.body);
    }
    let all = app.get(Some(&secretary), &format!("/api/follow-ups?item_id={id}")).await.body;
    assert!(all[0]["closed_at"].is_string());
    assert_eq!(all[0]["sent_back"], true);
    assert_eq!(all[0]["steps"].as_array().unwrap().len(), 4);
    let r = app
        .post(Some(&secretary), &format!("/api/follow-ups/{fid}/steps"), &json!({"step": "explain", "text": "x"}))
        .await;
    assert_eq!((r.status, r.code()), (409, "wrong_stage"));
    // A grid leader sees the community's follow-ups but does not record their steps.
    let r =
        app.post(Some(&grid1), &format!("/api/follow-ups/{fid}/steps"), &json!({"step": "explain", "text": "x"})).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
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
    act(&app, &dispatcher, &c_id, "dispatch", json!({"version": v, "department_id": transport})).await;

    let (x, y) = tokio::join!(
        backend::regulation::rounds::open_current_rounds(&app.state),
        backend::regulation::rounds::open_current_rounds(&other.state)
    );
    assert_eq!(x.unwrap() + y.unwrap(), 1, "one round, opened once");
    assert_eq!(backend::regulation::rounds::open_current_rounds(&app.state).await.unwrap(), 0);
    let grid1 = app.token("grid1").await;
    let rounds = app.get(Some(&grid1), "/api/evaluation/rounds").await.body;
    assert_eq!(rounds.as_array().unwrap().len(), 1, "{rounds:?}");
    assert_eq!(rounds[0]["department"]["name"], HOUSING);
    assert_eq!(rounds[0]["items"], 2);
    // Another street's raters do not see it.
    let grid2 = app.token("grid2").await;
    assert_eq!(app.get(Some(&grid2), "/api/evaluation/rounds").await.body, json!([]));

    // A hand-countable week: grid1 all 满意; station1 all 不满意; the resident of item a 满意/基本满意/不满意.
    let round = rounds[0]["id"].as_i64().unwrap();
    let r = app
        .put(
            Some(&grid1),
            &format!("/api/evaluation/rounds/{round}/rating"),
            &rate("satisfied", "satisfied", "satisfied", false),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert!(r.body["my_rating"].is_object());
    let station1 = app.token("station1").await;
    let r = app
        .put(
            Some(&station1),
            &format!("/api/evaluation/rounds/{round}/rating"),
            &rate("dissatisfied", "dissatisfied", "dissatisfied", false),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let dept1 = app.token("dept1").await;
    let r = app
        .put(
            Some(&dept1),
            &format!("/api/evaluation/rounds/{round}/rating"),
            &rate("satisfied", "satisfied", "satisfied", false),
        )
        .await;
    assert_eq!(r.status, 403, "the department does not rate itself");

    resident_rates(&app, &a, rate("satisfied", "basically", "dissatisfied", false)).await;

    // Housing: 满意 3 + 1 = 4, 基本满意 1, 不满意 3 + 1 = 4 → (4 + 1) ÷ 9.
    let report = app.get(Some(&dispatcher), "/api/evaluation/results?period=week").await.body;
    let housing =
        report["departments"].as_array().unwrap().iter().find(|d| d["department"]["name"] == HOUSING).unwrap();
    assert_eq!(
        (housing["satisfied"].as_i64(), housing["basically"].as_i64(), housing["dissatisfied"].as_i64()),
        (Some(4), Some(1), Some(4))
    );
    assert_eq!((housing["resident_ratings"].as_i64(), housing["staff_ratings"].as_i64()), (Some(1), Some(2)));
    assert!((housing["rate"].as_f64().unwrap() - 5.0 / 9.0).abs() < 1e-9);
    assert!(report["rule"].as_str().unwrap().contains("基本满意"));
    // The month holds the same week's answers; dissatisfied staff and resident ratings each opened a follow-up.
    let month = app.get(Some(&dispatcher), "/api/evaluation/results?period=month").await.body;
    assert_eq!(month["overall"]["satisfied"].as_i64().unwrap() + month["overall"]["basically"].as_i64().unwrap(), 5);
    let follow_ups = app.get(Some(&dispatcher), "/api/follow-ups?open=true").await.body;
    assert_eq!(follow_ups.as_array().unwrap().len(), 2, "{follow_ups:?}");
    let r = app.get(Some(&dispatcher), "/api/evaluation/results?period=year").await;
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("period")));
}

/// The department row of a satisfaction report.
fn department_row<'a>(report: &'a Value, name: &str) -> Option<&'a Value> {
    report["departments"].as_array()?.iter().find(|d| d["department"]["name"] == name)
}

/// (满意, 基本满意, 不满意) of one department in a report; zeros when it has no row.
fn answers(report: &Value, name: &str) -> (i64, i64, i64) {
    department_row(report, name).map_or((0, 0, 0), |d| {
        (d["satisfied"].as_i64().unwrap(), d["basically"].as_i64().unwrap(), d["dissatisfied"].as_i64().unwrap())
    })
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
    let round = app.get(Some(&grid1), "/api/evaluation/rounds").await.body[0]["id"].as_i64().unwrap();
    let path = format!("/api/evaluation/rounds/{round}/rating");

    // Monday 30 November: the grid leader rates (three 满意): November's.
    let r = app.put(Some(&grid1), &path, &rate("satisfied", "satisfied", "satisfied", false)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let month = |date: &'static str| {
        let (app, dispatcher) = (&app, dispatcher.clone());
        async move { app.get(Some(&dispatcher), &format!("/api/evaluation/results?period=month&date={date}")).await.body }
    };
    let november_on_the_30th = month("2026-11-30").await;
    assert_eq!(answers(&november_on_the_30th, HOUSING), (3, 0, 0), "{november_on_the_30th}");

    // Wednesday 2 December: the station head rates the same round (three 基本满意) and the resident of item a rates
    // (满意, 满意, 不满意): both December's.
    app.set_time(tests::city_time(2026, 12, 2, 9, 0));
    let r = app.put(Some(&station1), &path, &rate("basically", "basically", "basically", false)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    resident_rates(&app, &a, rate("satisfied", "satisfied", "dissatisfied", false)).await;

    // November is what it was when it ended.
    let november = month("2026-11-15").await;
    assert_eq!(november, november_on_the_30th);
    // December: the station head's three and the resident's three.
    let december = month("2026-12-02").await;
    assert_eq!(answers(&december, HOUSING), (2, 3, 1), "{december}");
    assert_eq!((department_row(&december, HOUSING).unwrap()["resident_ratings"].as_i64()), Some(1));
    // The week (asked by any of its days) holds all three ratings.
    for day in ["2026-11-30", "2026-12-06"] {
        let week = app.get(Some(&dispatcher), &format!("/api/evaluation/results?period=week&date={day}")).await.body;
        assert_eq!(week["from"], "2026-11-30");
        assert_eq!(week["to"], "2026-12-06");
        assert_eq!(answers(&week, HOUSING), (5, 3, 1), "{week}");
        let row = department_row(&week, HOUSING).unwrap();
        assert_eq!((row["resident_ratings"].as_i64(), row["staff_ratings"].as_i64()), (Some(1), Some(2)));
    }

    // Monday 7 December: last week's round is still open; a rating given now counts in December and in its week,
    // not in the week it is given.
    app.set_time(tests::city_time(2026, 12, 7, 9, 0));
    let community1 = app.token("community1").await;
    let r = app.put(Some(&community1), &path, &rate("dissatisfied", "dissatisfied", "dissatisfied", false)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(answers(&month("2026-12-31").await, HOUSING), (2, 3, 4));
    let last_week = app.get(Some(&dispatcher), "/api/evaluation/results?period=week&date=2026-12-01").await.body;
    assert_eq!(answers(&last_week, HOUSING), (5, 3, 4), "{last_week}");
    let this_week = app.get(Some(&dispatcher), "/api/evaluation/results?period=week").await.body;
    assert_eq!(answers(&this_week, HOUSING), (0, 0, 0), "{this_week}");
    assert_eq!(month("2026-11-01").await, november_on_the_30th, "November is still what it was");
}
