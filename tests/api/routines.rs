//! The collection routines of 第六条 on both engines: a grid leader's week of visits with the station head's coverage
//! and missed days (days cut at midnight Asia/Shanghai), building leaders credited on items, meetings and their gaps,
//! the reception schedule's gaps and clashes, and items from each channel linked back to where they were raised.

use chrono::{TimeZone, Utc};
use serde_json::{json, Value};
use tests::TestApp;

use crate::items::{building, capture, capture_json, new_id, GRID1};
use crate::journey::{spawn_app, spawn_app_at};

const STATION1: &str = "新华街道 / 和平社区 / 和平社区第一党群服务站";
const STATION2: &str = "新华街道 / 和平社区 / 和平社区第二党群服务站";
const GUANGMING: &str = "新华街道 / 光明社区 / 光明社区党群服务站";

/// Sets the clock to a time in Asia/Shanghai (UTC+8).
fn at_shanghai(app: &TestApp, y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) {
    app.set_time(Utc.with_ymd_and_hms(y, m, d, h, min, s).unwrap() - chrono::Duration::hours(8));
}

fn shanghai(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> String {
    (Utc.with_ymd_and_hms(y, m, d, h, min, s).unwrap() - chrono::Duration::hours(8)).to_rfc3339()
}

async fn add_target(app: &TestApp, token: &str, grid: i64, register: &str, name: &str) -> i64 {
    let r = app
        .post(Some(token), "/api/visit-targets", &json!({"grid_id": grid, "register": register, "name": name}))
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.body["id"].as_i64().unwrap()
}

async fn visit(app: &TestApp, token: &str, kind: &str, target: Option<i64>, at: Option<String>) -> Value {
    let body =
        json!({"id": new_id(), "kind": kind, "target_id": target, "visited_at": at, "note": "入户了解情况，无异常"});
    let r = app.post(Some(token), "/api/visits", &body).await;
    assert_eq!(r.status, 201, "{kind}: {:?}", r.body);
    r.body
}

fn slots(day: &Value) -> Vec<(String, u64, bool, bool)> {
    day.as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["date"].as_str().unwrap().to_string(),
                d["slots_done"].as_u64().unwrap(),
                d["missed"].as_bool().unwrap(),
                d["future"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_grid_leaders_week_of_visits_and_the_station_heads_coverage() {
    let app = spawn_app_at(tests::city_time(2026, 11, 30, 9, 0)).await;
    let grid1 = app.token("grid1").await;
    let grid = app.unit_id(&grid1, GRID1).await;
    let special = add_target(&app, &grid1, grid, "special_group", "王秀兰（独居老人）").await;
    let demands = add_target(&app, &grid1, grid, "many_demands", "李德福").await;
    let compound = add_target(&app, &grid1, grid, "problem_compound", "幸福小区").await;

    // Monday 30 November: all three registers. Tuesday: two of them and a WeChat-group note.
    at_shanghai(&app, 2026, 11, 30, 10, 0, 0);
    visit(&app, &grid1, "special_group", Some(special), None).await;
    visit(&app, &grid1, "many_demands", Some(demands), None).await;
    visit(&app, &grid1, "problem_compound", Some(compound), None).await;
    at_shanghai(&app, 2026, 12, 1, 10, 0, 0);
    visit(&app, &grid1, "special_group", Some(special), None).await;
    visit(&app, &grid1, "wechat_group", None, None).await;
    // Wednesday morning: a visit noted late at 23:59:59 on Tuesday counts for Tuesday; one at midnight for Wednesday.
    at_shanghai(&app, 2026, 12, 2, 10, 0, 0);
    let late = visit(&app, &grid1, "many_demands", Some(demands), Some(shanghai(2026, 12, 1, 23, 59, 59))).await;
    assert_eq!(late["day"], "2026-12-01");
    let midnight = visit(&app, &grid1, "problem_compound", Some(compound), Some(shanghai(2026, 12, 2, 0, 0, 0))).await;
    assert_eq!(midnight["day"], "2026-12-02");

    // The concern raised there goes into capture linked to the visit.
    let mut item = capture_json(building(&app, &grid1, 2).await);
    item["visit_id"] = midnight["id"].clone();
    let r = app.post(Some(&grid1), "/api/items", &item).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["origin"]["visit_id"], midnight["id"]);
    assert_eq!(r.body["channel"], "wechat_visit");
    let item_id = r.body["id"].as_str().unwrap().to_string();

    // The grid leader's day (the daily report): one slot of three, the item raised.
    let day = app.get(Some(&grid1), "/api/visits/day").await;
    assert_eq!(day.status, 200, "{:?}", day.body);
    assert_eq!(day.body["date"], "2026-12-02");
    assert_eq!(day.body["slots_done"], 1);
    assert_eq!(day.body["items_raised"], 1);
    assert_eq!(day.body["slots"][2]["kind"], "problem_compound");
    assert_eq!(day.body["slots"][2]["visits"][0]["items"][0]["id"], item_id.as_str());
    assert_eq!(day.body["slots"][0]["done"], false);

    // The station head's coverage: Monday complete, Tuesday missed (no compound visited), today in progress, the rest
    // ahead; the station's second grid made no visit, so Monday and Tuesday are missed there.
    let station1 = app.token("station1").await;
    let cov = app.get(Some(&station1), "/api/visits/coverage").await;
    assert_eq!(cov.status, 200, "{:?}", cov.body);
    assert_eq!(cov.body["week_start"], "2026-11-30");
    let grids = cov.body["grids"].as_array().unwrap();
    assert_eq!(grids.len(), 2);
    let first = &grids[0];
    assert_eq!(first["grid"]["name"], "第一网格");
    assert_eq!(first["leaders"][0]["name"], "王建华");
    let week = slots(&first["week"]);
    assert_eq!(week[0], ("2026-11-30".into(), 3, false, false));
    assert_eq!(week[1], ("2026-12-01".into(), 2, true, false));
    assert_eq!(week[2], ("2026-12-02".into(), 1, false, false));
    assert_eq!(week[3], ("2026-12-03".into(), 0, false, true));
    assert_eq!(first["week"][1]["missing"], json!(["problem_compound"]));
    assert_eq!(first["week"][1]["visits"], 3, "the WeChat note counts as a visit, not a register slot");
    assert_eq!(first["week"][2]["items_raised"], 1);
    assert_eq!(first["missed_days"], 1);
    assert_eq!(first["today"]["slots_done"], 1);
    assert_eq!(grids[1]["missed_days"], 2);
    // The register shows when each entry was last visited.
    let targets = app.get(Some(&grid1), &format!("/api/visit-targets?grid_id={grid}")).await.body;
    let compound_row = targets.as_array().unwrap().iter().find(|t| t["id"] == compound).unwrap();
    assert_eq!(compound_row["last_visited_on"], "2026-12-02");
    // Another station's head cannot read this station; a grid leader of another street cannot record here.
    let station2 = app.token("station2").await;
    let other = app.unit_id(&app.token("admin").await, STATION1).await;
    assert_eq!(app.get(Some(&station2), &format!("/api/visits/coverage?station_id={other}")).await.status, 404);
    let grid2 = app.token("grid2").await;
    let r = app
        .post(
            Some(&grid2),
            "/api/visits",
            &json!({"id": new_id(), "grid_id": grid, "kind": "wechat_group", "note": "x"}),
        )
        .await;
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("grid_id")), "{:?}", r.body);
}

#[tokio::test]
async fn a_visit_is_recorded_once_and_bad_visits_are_refused_by_field() {
    let app = spawn_app_at(tests::city_time(2026, 12, 2, 10, 0)).await;
    let grid1 = app.token("grid1").await;
    let grid = app.unit_id(&grid1, GRID1).await;
    let special = add_target(&app, &grid1, grid, "special_group", "王秀兰").await;

    let body = json!({"id": new_id(), "kind": "special_group", "target_id": special, "note": "身体不错"});
    assert_eq!(app.post(Some(&grid1), "/api/visits", &body).await.status, 201);
    let again = app.post(Some(&grid1), "/api/visits", &body).await;
    assert_eq!(again.status, 200, "a retry answers the visit already made");
    let mut changed = body.clone();
    changed["note"] = json!("别的内容");
    assert_eq!(app.post(Some(&grid1), "/api/visits", &changed).await.status, 409);
    let day = app.get(Some(&grid1), "/api/visits/day").await.body;
    assert_eq!(day["slots"][0]["visits"].as_array().unwrap().len(), 1);
    // A visit with its photo: the photo comes back with signed links.
    let photo_id = new_id();
    let up = app.upload_photo(&grid1, &photo_id, crate::photos::png(64, 48), "visit.png").await;
    assert_eq!(up.status, 201, "{:?}", up.body);
    let with_photo = json!({"id": new_id(), "kind": "wechat_group", "note": "群里发来的照片", "photo_id": photo_id});
    let r = app.post(Some(&grid1), "/api/visits", &with_photo).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let day = app.get(Some(&grid1), "/api/visits/day").await.body;
    assert_eq!(day["wechat"][0]["photo"]["id"], photo_id.as_str());
    assert!(day["wechat"][0]["photo"]["thumb_url"].as_str().is_some_and(|u| u.contains(&photo_id)), "{day}");

    let refused = [
        (json!({"id": new_id(), "kind": "special_group", "note": "x"}), "target_id"),
        (json!({"id": new_id(), "kind": "many_demands", "target_id": special, "note": "x"}), "target_id"),
        (json!({"id": new_id(), "kind": "wechat_group", "target_id": special, "note": "x"}), "target_id"),
        (json!({"id": new_id(), "kind": "special_group", "target_id": special, "note": "  "}), "note"),
        (json!({"id": "not-a-uuid", "kind": "wechat_group", "note": "x"}), "id"),
        (
            json!({"id": new_id(), "kind": "wechat_group", "note": "x", "visited_at": shanghai(2026, 11, 29, 12, 0, 0)}),
            "visited_at",
        ),
        (json!({"id": new_id(), "kind": "wechat_group", "note": "x", "photo_id": new_id()}), "photo_id"),
    ];
    for (body, field) in refused {
        let r = app.post(Some(&grid1), "/api/visits", &body).await;
        assert_eq!((r.status, r.body["field"].as_str()), (422, Some(field)), "{body}: {:?}", r.body);
    }
    let r = app
        .post(Some(&grid1), "/api/visit-targets", &json!({"grid_id": grid, "register": "wechat_group", "name": "x"}))
        .await;
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("register")));
    // Taken off the register: no more visits to it, still listed with ?all=true.
    let r = app.patch(Some(&grid1), &format!("/api/visit-targets/{special}"), &json!({"active": false})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = app
        .post(
            Some(&grid1),
            "/api/visits",
            &json!({"id": new_id(), "kind": "special_group", "target_id": special, "note": "x"}),
        )
        .await;
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("target_id")));
    let listed = |list: Value| list.as_array().unwrap().iter().find(|t| t["id"] == special).cloned();
    let all = app.get(Some(&grid1), &format!("/api/visit-targets?grid_id={grid}&all=true")).await.body;
    assert_eq!(listed(all).map(|t| t["active"].clone()), Some(json!(false)));
    let active = app.get(Some(&grid1), &format!("/api/visit-targets?grid_id={grid}")).await.body;
    assert_eq!(listed(active), None);

    // An item may name only a visit of its own grid, with the visit's channel.
    let visit_id = again.body["id"].clone();
    let mut item = capture_json(building(&app, &grid1, 1).await);
    item["visit_id"] = visit_id.clone();
    item["channel"] = json!("meeting");
    item["source"] = json!(null);
    let r = app.post(Some(&grid1), "/api/items", &item).await;
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("channel")), "{:?}", r.body);
    let mut item = capture_json(building(&app, &grid1, 1).await);
    item["visit_id"] = json!(new_id());
    let r = app.post(Some(&grid1), "/api/items", &item).await;
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("visit_id")));
    let mut item = capture_json(building(&app, &grid1, 1).await);
    item["solved_on_spot"] = json!("已解决");
    let r = app.post(Some(&grid1), "/api/items", &item).await;
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("solved_on_spot")));

    // A visit that landed but whose answer was lost, sent again by the phone three days later, is that visit (not
    // refused as too old, which would make the phone record it a second time); a new one that old is refused.
    let noted = json!({"id": new_id(), "kind": "wechat_group", "note": "群里反映停水", "visited_at": shanghai(2026, 12, 2, 9, 30, 0)});
    assert_eq!(app.post(Some(&grid1), "/api/visits", &noted).await.status, 201);
    at_shanghai(&app, 2026, 12, 5, 8, 0, 0);
    let grid1 = app.token("grid1").await;
    let late = app.post(Some(&grid1), "/api/visits", &noted).await;
    assert_eq!((late.status, &late.body["id"]), (200, &noted["id"]), "{:?}", late.body);
    let mut fresh = noted.clone();
    fresh["id"] = json!(new_id());
    let r = app.post(Some(&grid1), "/api/visits", &fresh).await;
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("visited_at")), "{:?}", r.body);
}

#[tokio::test]
async fn building_leaders_are_credited_on_their_items() {
    let app = spawn_app().await;
    let grid1 = app.token("grid1").await;
    let louzhang = app.token("louzhang1").await;
    let grid = app.unit_id(&grid1, GRID1).await;
    let leaders = app.get(Some(&grid1), &format!("/api/building-leaders?grid_id={grid}")).await.body;
    assert_eq!(leaders[0]["person"]["name"], "李秀英");
    assert_eq!(leaders[0]["building"]["name"], "1号楼");
    let louzhang_id = leaders[0]["person"]["id"].clone();

    // The building leader reports in the app: credited, and the grid leader sees it in the grid.
    let r = app.post(Some(&louzhang), "/api/items", &capture(building(&app, &louzhang, 1).await)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["origin"]["building_leader"]["name"], "李秀英");
    assert_eq!(r.body["collector"]["name"], "李秀英");
    let own = r.body["id"].as_str().unwrap().to_string();
    assert_eq!(app.get(Some(&grid1), &format!("/api/items/{own}")).await.status, 200);

    // The grid leader records one on the building leader's behalf: both credited.
    let mut body = capture_json(building(&app, &grid1, 3).await);
    body["building_leader_id"] = louzhang_id;
    let r = app.post(Some(&grid1), "/api/items", &body).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["origin"]["building_leader"]["name"], "李秀英");
    assert_eq!(r.body["collector"]["name"], "王建华");
    let ledger = app.get(Some(&grid1), "/api/ledger").await.body;
    let collectors: Vec<&str> =
        ledger["rows"].as_array().unwrap().iter().map(|r| r["collector"].as_str().unwrap()).collect();
    assert!(collectors.contains(&"王建华（楼长李秀英）") && collectors.contains(&"李秀英"), "{collectors:?}");
    // Someone who is not a building leader of the grid cannot be credited.
    let station1_id = app.get(Some(&app.token("station1").await), "/api/me").await.body["id"].clone();
    let mut body = capture_json(building(&app, &grid1, 3).await);
    body["building_leader_id"] = station1_id;
    let r = app.post(Some(&grid1), "/api/items", &body).await;
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("building_leader_id")), "{:?}", r.body);
}

fn meeting(station: i64, kind: &str, held_on: &str) -> Value {
    json!({
        "id": new_id(), "station_id": station, "kind": kind, "held_on": held_on,
        "attendees": [{"category": "building_leaders", "count": 6}, {"category": "property", "count": 1, "names": "幸福物业"}],
        "minutes": "围绕小区停车和楼道照明议事。"
    })
}

#[tokio::test]
async fn meetings_raise_items_solved_on_the_spot_or_into_the_ledger_and_gaps_are_flagged() {
    let app = spawn_app_at(tests::city_time(2026, 12, 10, 9, 0)).await;
    let station1 = app.token("station1").await;
    let s1 = app.unit_id(&station1, STATION1).await;
    // November's talk does not count for December; October's joint meeting counts for the quarter.
    for (kind, day) in [("monthly_talk", "2026-11-30"), ("quarterly_joint", "2026-10-15")] {
        let r = app.post(Some(&station1), "/api/meetings", &meeting(s1, kind, day)).await;
        assert_eq!(r.status, 201, "{:?}", r.body);
    }
    let secretary = app.token("community1").await;
    let month = app.get(Some(&secretary), "/api/meetings?year=2026&month=12").await.body;
    let line = |m: &Value, name: &str| -> Value {
        m["stations"].as_array().unwrap().iter().find(|s| s["station"]["full_name"] == name).unwrap().clone()
    };
    let first = line(&month, STATION1);
    assert_eq!(
        (first["missing_monthly_talk"].as_bool(), first["quarterly_joint_on"].as_str()),
        (Some(true), Some("2026-10-15"))
    );
    assert_eq!(first["missing_quarterly_joint"], false);
    let second = line(&month, STATION2);
    assert_eq!(
        (second["missing_monthly_talk"].as_bool(), second["missing_quarterly_joint"].as_bool()),
        (Some(true), Some(true))
    );
    assert_eq!(month["stations"].as_array().unwrap().len(), 2, "the community's two stations");

    // December's talk, one concern solved on the spot and one into the ledger.
    let talk = meeting(s1, "monthly_talk", "2026-12-05");
    let r = app.post(Some(&station1), "/api/meetings", &talk).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["attendee_total"], 7);
    assert_eq!(app.post(Some(&station1), "/api/meetings", &talk).await.status, 200, "the same record again");
    let meeting_id = r.body["id"].clone();
    let place = building(&app, &station1, 2).await;
    let mut solved = capture_json(place);
    solved["channel"] = json!("meeting");
    solved["source"] = json!(null);
    solved["meeting_id"] = meeting_id.clone();
    solved["solved_on_spot"] = json!("物业当场承诺本周内更换楼道灯，居民认可。");
    let r = app.post(Some(&station1), "/api/items", &solved).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["status"], "solved");
    assert_eq!(r.body["ledger"]["outcome"], "solved_locally");
    assert_eq!(r.body["origin"]["solved_on_spot"], true);
    let solved_id = r.body["id"].as_str().unwrap().to_string();
    let events = app.get(Some(&station1), &format!("/api/items/{solved_id}/events")).await.body;
    assert_eq!(events[1]["kind"], "solved_locally");
    let mut raised = capture_json(place);
    raised["channel"] = json!("meeting");
    raised["source"] = json!(null);
    raised["meeting_id"] = meeting_id.clone();
    let r = app.post(Some(&station1), "/api/items", &raised).await;
    assert_eq!((r.status, r.body["status"].as_str()), (201, Some("collected")));

    let m = app.get(Some(&secretary), &format!("/api/meetings/{}", meeting_id.as_str().unwrap())).await.body;
    let on_spot: Vec<bool> =
        m["items"].as_array().unwrap().iter().map(|i| i["solved_on_spot"].as_bool().unwrap()).collect();
    assert_eq!(on_spot.len(), 2);
    assert!(on_spot.contains(&true) && on_spot.contains(&false));
    let month = app.get(Some(&secretary), "/api/meetings?year=2026&month=12").await.body;
    assert_eq!(line(&month, STATION1)["missing_monthly_talk"], false);
    assert_eq!(month["stations"][0]["station"]["full_name"], STATION2, "stations missing a meeting come first");
    assert_eq!(month["meetings"].as_array().unwrap().len(), 1);
    assert_eq!(month["meetings"][0]["items"].as_array().unwrap().len(), 2, "the month's meetings with their items");
    assert_eq!(month["meetings"][0]["station"]["full_name"], STATION1);
    // The street sees all its stations; the ledger shows the channel.
    let street = app.get(Some(&app.token("street1").await), "/api/meetings?year=2026&month=12").await.body;
    assert_eq!(street["stations"].as_array().unwrap().len(), 3);
    let ledger = app.get(Some(&secretary), "/api/ledger").await.body;
    let channels: Vec<&str> =
        ledger["rows"].as_array().unwrap().iter().map(|r| r["channel"].as_str().unwrap()).collect();
    assert_eq!(channels, ["meeting", "meeting"], "{ledger}");

    // Refusals by field: nobody attended, a future day, an item outside the station, a station out of scope.
    let mut empty = meeting(s1, "monthly_talk", "2026-12-05");
    empty["attendees"] = json!([]);
    let future = meeting(s1, "monthly_talk", "2026-12-11");
    let s2 = app.unit_id(&app.token("admin").await, "福民街道 / 福民社区 / 福民社区党群服务站").await;
    for (body, field) in
        [(empty, "attendees"), (future, "held_on"), (meeting(s2, "monthly_talk", "2026-12-05"), "station_id")]
    {
        let r = app.post(Some(&station1), "/api/meetings", &body).await;
        assert_eq!((r.status, r.body["field"].as_str()), (422, Some(field)), "{:?}", r.body);
    }
    let mut outside = raised.clone();
    outside["id"] = json!(new_id());
    outside["place_id"] = json!(app.unit_id(&secretary, STATION2).await);
    let r = app.post(Some(&secretary), "/api/items", &outside).await;
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("place_id")), "{:?}", r.body);
}

#[tokio::test]
async fn the_reception_schedule_shows_gaps_clashes_and_what_was_held() {
    let app = spawn_app_at(tests::city_time(2026, 12, 1, 9, 0)).await;
    let street1 = app.token("street1").await;
    let secretary = app.token("community1").await;
    let s1 = app.unit_id(&street1, STATION1).await;
    let s2 = app.unit_id(&street1, STATION2).await;
    let gm = app.unit_id(&street1, GUANGMING).await;
    let me = |token: String| {
        let app = &app;
        async move { app.get(Some(&token), "/api/me").await.body["id"].as_i64().unwrap() }
    };
    let street_leader = me(street1.clone()).await;
    let community_secretary = me(secretary.clone()).await;

    // Who may host at a station: the street's leader, then the community's secretary (not another community's).
    let hosts = app.get(Some(&street1), &format!("/api/receptions/hosts?station_id={s1}")).await;
    assert_eq!(hosts.status, 200, "{:?}", hosts.body);
    let pairs: Vec<(i64, &str)> = hosts
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["host"]["id"].as_i64().unwrap(), h["host_role"].as_str().unwrap()))
        .collect();
    assert_eq!(pairs, vec![(street_leader, "街道书记/主任"), (community_secretary, "社区书记")]);
    let hosts = app.get(Some(&street1), &format!("/api/receptions/hosts?station_id={gm}")).await.body;
    assert!(hosts.as_array().unwrap().iter().all(|h| h["host"]["id"] != community_secretary), "{hosts}");
    assert_eq!(hosts[0]["host"]["id"], street_leader);
    let elsewhere = app.unit_id(&app.token("admin").await, "福民街道 / 福民社区 / 福民社区党群服务站").await;
    let r = app.get(Some(&street1), &format!("/api/receptions/hosts?station_id={elsewhere}")).await;
    assert_eq!(r.status, 404, "another street's station is not in scope: {:?}", r.body);

    // Nothing planned: every station a gap, the secretary without a weekday, the street leader without a reception.
    let s = app.get(Some(&street1), "/api/receptions/schedule?year=2026&month=12").await.body;
    assert_eq!(s["gaps"].as_array().unwrap().len(), 3, "{s}");
    assert_eq!(s["secretaries_without_weekday"][0]["id"], community_secretary);
    assert_eq!(s["leaders_without_reception"][0]["id"], street_leader);

    // The street leader on the 10th at two stations (a clash); the secretary every Wednesday at the second station.
    let plan = |host: i64, station: i64, weekday: Option<u32>, on_date: Option<&str>| json!({"host_id": host, "station_id": station, "weekday": weekday, "on_date": on_date});
    let r = app.post(Some(&street1), "/api/reception-plans", &plan(street_leader, s1, None, Some("2026-12-10"))).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["host_role"], "街道书记/主任");
    let clash =
        app.post(Some(&street1), "/api/reception-plans", &plan(street_leader, gm, None, Some("2026-12-10"))).await;
    assert_eq!(clash.status, 201);
    let r = app.post(Some(&secretary), "/api/reception-plans", &plan(community_secretary, s2, Some(3), None)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["host_role"], "社区书记");
    // The same plan twice is refused (the page refuses it too); the same host on another weekday is another plan.
    for (token, twice) in [
        (&secretary, plan(community_secretary, s2, Some(3), None)),
        (&street1, plan(street_leader, s1, None, Some("2026-12-10"))),
    ] {
        let r = app.post(Some(token), "/api/reception-plans", &twice).await;
        assert_eq!((r.status, r.body["code"].as_str()), (409, Some("conflict")), "{twice}: {:?}", r.body);
    }
    let s = app.get(Some(&street1), "/api/receptions/schedule?year=2026&month=12").await.body;
    assert_eq!(s["days"].as_array().unwrap().len(), 7, "two dated and five Wednesdays: {s}");
    assert!(s["gaps"].as_array().unwrap().is_empty());
    assert_eq!(s["clashes"][0]["date"], "2026-12-10");
    assert_eq!(s["clashes"][0]["stations"].as_array().unwrap().len(), 2);
    assert!(s["secretaries_without_weekday"].as_array().unwrap().is_empty());
    assert!(s["leaders_without_reception"].as_array().unwrap().is_empty());

    // Moved off: the clash goes and 光明 is a gap again.
    let r = app.delete(Some(&street1), &format!("/api/reception-plans/{}", clash.body["id"])).await;
    assert_eq!(r, 204);
    let s = app.get(Some(&street1), "/api/receptions/schedule?year=2026&month=12").await.body;
    assert!(s["clashes"].as_array().unwrap().is_empty());
    assert_eq!(s["gaps"][0]["full_name"], GUANGMING);

    // The 10th: the planned reception is held and recorded, with one item raised; the month's schedule shows it held.
    at_shanghai(&app, 2026, 12, 10, 16, 0, 0);
    let held = json!({"id": new_id(), "station_id": s1, "held_on": "2026-12-10", "residents": 12, "notes": "反映停车难等问题"});
    let r = app.post(Some(&street1), "/api/receptions", &held).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["host"]["id"], street_leader);
    let reception_id = r.body["id"].clone();
    let mut item = capture_json(building(&app, &street1, 1).await);
    item["channel"] = json!("reception");
    item["source"] = json!(null);
    item["reception_id"] = reception_id.clone();
    let r = app.post(Some(&street1), "/api/items", &item).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["origin"]["reception_id"], reception_id);
    let rec = app.get(Some(&secretary), &format!("/api/receptions/{}", reception_id.as_str().unwrap())).await.body;
    assert_eq!(rec["items"].as_array().unwrap().len(), 1);
    assert_eq!(rec["residents"], 12);
    let s = app.get(Some(&street1), "/api/receptions/schedule?year=2026&month=12").await.body;
    let tenth: Vec<&Value> = s["days"].as_array().unwrap().iter().filter(|d| d["date"] == "2026-12-10").collect();
    assert_eq!(tenth.len(), 1);
    assert_eq!(tenth[0]["reception_id"], reception_id);
    // A reception held without a plan fills 光明's gap.
    let r = app
        .post(
            Some(&street1),
            "/api/receptions",
            &json!({"id": new_id(), "station_id": gm, "held_on": "2026-12-09", "residents": 3}),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let s = app.get(Some(&street1), "/api/receptions/schedule?year=2026&month=12").await.body;
    assert!(s["gaps"].as_array().unwrap().is_empty(), "{s}");

    // Refusals by field.
    let grid1 = app.get(Some(&app.token("grid1").await), "/api/me").await.body["id"].as_i64().unwrap();
    for (body, field) in [
        (plan(grid1, s1, Some(2), None), "host_id"),
        (plan(street_leader, s1, Some(8), None), "weekday"),
        (plan(street_leader, s1, Some(2), Some("2026-12-20")), "weekday"),
        (plan(street_leader, s1, None, None), "weekday"),
    ] {
        let r = app.post(Some(&street1), "/api/reception-plans", &body).await;
        assert_eq!((r.status, r.body["field"].as_str()), (422, Some(field)), "{body}: {:?}", r.body);
    }
    let r = app
        .post(
            Some(&street1),
            "/api/receptions",
            &json!({"id": new_id(), "station_id": s1, "held_on": "2026-12-11", "residents": 1}),
        )
        .await;
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("held_on")));
}
