//! The monthly statistics table 附件3 on both engines, on a constructed month counted by hand: on time, with an
//! extension, after a 退单, solved after the on-site office on day 11, unsolvable with the head's signature, still in
//! progress past 10 days; the month boundary at midnight Beijing time; the zero denominator; the Excel export cell by
//! cell; the items behind a figure.

use chrono::{Duration, TimeZone, Utc};
use serde_json::{json, Value};
use tests::TestApp;

use crate::journey::{act, dept_id, item_at_street, spawn_app, HOUSING};

/// Sends a new item to the street and dispatches it to housing; returns the item.
async fn dispatched(app: &TestApp) -> Value {
    let (id, v) = item_at_street(app).await;
    let dispatcher = app.token("dispatcher1").await;
    let housing = dept_id(app, &dispatcher, HOUSING).await;
    act(app, &dispatcher, &id, "dispatch", json!({"version": v, "department_id": housing})).await
}

async fn accepted(app: &TestApp) -> Value {
    let item = dispatched(app).await;
    let dept1 = app.token("dept1").await;
    act(app, &dept1, item["id"].as_str().unwrap(), "accept", json!({"version": item["version"]})).await
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

fn counts(row: &Value) -> Vec<i64> {
    ["received", "on_time", "in_progress", "not_in_10_days", "solved_after_coordination", "unsolved_after_coordination"]
        .iter()
        .map(|k| row[k]["count"].as_i64().unwrap())
        .collect()
}

/// The constructed month: item N accepted on 30 November at 23:58 Beijing time; A to E accepted on 1 December just
/// after midnight — A solved on day 3, B extended on day 4 and solved on day 8, C returned (退单) and dispatched again
/// and still in progress, D solved after the on-site office on day 11, E unsolvable and signed on day 11; A's resident
/// rates 满意, 满意, 不满意. Returns [N, A, B, C, D, E].
pub async fn constructed_december(app: &TestApp) -> [Value; 6] {
    // 23:58 on 30 November, Beijing time: item N is accepted in November.
    app.set_time(Utc.with_ymd_and_hms(2026, 11, 30, 15, 58, 0).unwrap());
    let n = accepted(app).await;
    // 00:00:30 on 1 December: A to E are accepted in December (C after a 退单 and a second dispatch).
    app.set_time(Utc.with_ymd_and_hms(2026, 11, 30, 16, 0, 30).unwrap());
    let a = accepted(app).await;
    let b = accepted(app).await;
    let c = {
        let item = dispatched(app).await;
        let dept1 = app.token("dept1").await;
        let item =
            act(app, &dept1, &id(&item), "reject", json!({"version": item["version"], "reason": "wrong_place"})).await;
        let dispatcher = app.token("dispatcher1").await;
        let housing = dept_id(app, &dispatcher, HOUSING).await;
        let item = act(
            app,
            &dispatcher,
            &id(&item),
            "dispatch",
            json!({"version": item["version"], "department_id": housing}),
        )
        .await;
        act(app, &dept1, &id(&item), "accept", json!({"version": item["version"]})).await
    };
    let d = accepted(app).await;
    let e = accepted(app).await;
    let dept1 = app.token("dept1").await;
    let dispatcher = app.token("dispatcher1").await;

    // Day 3: A solved on time.
    app.state.clock.advance(Duration::days(3));
    let a =
        act(app, &dept1, &id(&a), "return-sheet", json!({"version": a["version"], "solved": true, "result": "修好了"}))
            .await;
    // Day 4: B asks for 5 more days and gets them; day 8: solved, on time.
    app.state.clock.advance(Duration::days(1));
    let b =
        act(app, &dept1, &id(&b), "request-extension", json!({"version": b["version"], "reason": "需采购配件"})).await;
    let b = act(app, &dispatcher, &id(&b), "decide-extension", json!({"version": b["version"], "approve": true})).await;
    app.state.clock.advance(Duration::days(4));
    act(app, &dept1, &id(&b), "return-sheet", json!({"version": b["version"], "solved": true, "result": "已更换"}))
        .await;
    // Day 11: D solved after the on-site office; E unsolvable, signed by the head. C is still being handled.
    app.state.clock.advance(Duration::days(3));
    act(
        app,
        &dept1,
        &id(&d),
        "return-sheet",
        json!({"version": d["version"], "solved": true, "result": "协调解决", "onsite": true, "measures_clear": true, "measures": "联合物业"}),
    )
    .await;
    let e = act(
        app,
        &dept1,
        &id(&e),
        "return-sheet",
        json!({"version": e["version"], "solved": false, "result": "已现场查看", "onsite": true, "measures_clear": false,
               "unsolved_reason": "无资金", "countermeasures": "列入明年计划"}),
    )
    .await;
    let head = app.token("depthead1").await;
    act(app, &head, &id(&e), "head-sign", json!({"version": e["version"], "approve": true})).await;
    // The resident of A rates: 满意, 满意, 不满意 → 2 of 3.
    let grid1 = app.token("grid1").await;
    let link = app.post(Some(&grid1), &format!("/api/items/{}/resident-link", id(&a)), &json!({})).await;
    let token = link.body["path"].as_str().unwrap().trim_start_matches("/r/").to_string();
    let r = app
        .put(
            None,
            &format!("/api/r/{token}/rating"),
            &json!({"timely": "satisfied", "attitude": "satisfied", "result": "dissatisfied"}),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    [n, a, b, c, d, e]
}

#[tokio::test]
async fn the_monthly_table_matches_a_hand_count() {
    let app = spawn_app().await;
    let [n, a, b, c, _d, _e] = constructed_december(&app).await;
    let grid1 = app.token("grid1").await;

    // December, 新华街道, as of day 11: by hand —
    // received A B C D E = 5; on time A B = 2; in progress C = 1; 办结率 2 ÷ (5 − 1) = 50%;
    // not within 10 days C D E = 3; of which solved after coordination D = 1, not solved C E = 2; satisfaction 2/3.
    let street = app.token("street1").await;
    let t = app.get(Some(&street), "/api/stats/monthly?year=2026&month=12").await;
    assert_eq!(t.status, 200, "{:?}", t.body);
    let t = t.body;
    assert_eq!(t["title"], "新华街道民情办理情况统计表（2026年12月）");
    assert_eq!(t["rows"].as_array().unwrap().len(), 1, "only housing accepted items: {t:?}");
    let row = &t["rows"][0];
    assert_eq!(row["unit"]["name"], HOUSING);
    assert_eq!(counts(row), [5, 2, 1, 3, 1, 2]);
    assert_eq!(row["completion_rate"].as_f64(), Some(0.5));
    assert!((row["satisfaction"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-9);
    let mut on_time: Vec<&str> =
        row["on_time"]["item_ids"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    on_time.sort();
    let mut want = [id(&a), id(&b)];
    want.sort();
    assert_eq!(on_time, want.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(row["in_progress"]["item_ids"], json!([id(&c)]));
    assert_eq!(counts(&t["total"]), counts(row));
    assert!(t["definitions"].as_array().unwrap().iter().any(|d| d.as_str().unwrap().contains("办结率 = 按时办结数量")));

    // November holds N alone: still in progress, so the 办结率's denominator is 0 and it shows "—".
    let nov = app.get(Some(&street), "/api/stats/monthly?year=2026&month=11").await.body;
    assert_eq!(counts(&nov["rows"][0]), [1, 0, 1, 1, 0, 1]);
    assert!(nov["rows"][0]["completion_rate"].is_null());
    assert_eq!(nov["rows"][0]["received"]["item_ids"], json!([id(&n)]));

    // The items behind a figure open in the ledger.
    let ids = row["not_in_10_days"]["item_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect::<Vec<_>>()
        .join(",");
    let ledger = app.get(Some(&street), &format!("/api/ledger?ids={ids}")).await.body;
    assert_eq!(ledger["total"], 3);

    // The city sees the same figures; another street's leader cannot open this street's table.
    let leader = app.token("leader1").await;
    let city = app.get(Some(&leader), "/api/stats/monthly?year=2026&month=12").await.body;
    assert_eq!(counts(&city["total"]), [5, 2, 1, 3, 1, 2]);
    let other_street = app.unit_id(&leader, "福民街道").await;
    let r = app.get(Some(&street), &format!("/api/stats/monthly?year=2026&month=12&street_id={other_street}")).await;
    assert_eq!(r.status, 403);
    let grid = app.get(Some(&grid1), "/api/stats/monthly").await;
    assert_eq!(grid.status, 403);
    let r = app.get(Some(&street), "/api/stats/monthly?year=2026&month=13").await;
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("month")));

    // The Excel export, cell by cell, in 附件3's columns.
    let (status, bytes) = app.get_bytes(Some(&street), "/api/stats/monthly/export?year=2026&month=12").await;
    assert_eq!(status, 200);
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    use calamine::Reader;
    let sheet = wb.worksheet_range("民情办理情况统计表").unwrap();
    let cell = |r: u32, c: u32| sheet.get_value((r, c)).map(|d| d.to_string()).unwrap_or_default();
    assert_eq!(cell(0, 0), "新华街道民情办理情况统计表（2026年12月）");
    let header: Vec<String> = (0..10).map(|c| cell(1, c)).collect();
    assert_eq!(
        header,
        [
            "序号",
            "责任单位",
            "民情接单数量",
            "按时办结数量",
            "正在处理数量",
            "办结率",
            "10日内未办结数量",
            "10日内未办结经沟通已办结数量",
            "10日内未办结经沟通未办结数量",
            "测评满意率"
        ]
    );
    let housing_row: Vec<String> = (0..10).map(|c| cell(2, c)).collect();
    assert_eq!(housing_row, ["1", HOUSING, "5", "2", "1", "50.0%", "3", "1", "2", "66.7%"]);
    let total_row: Vec<String> = (0..10).map(|c| cell(3, c)).collect();
    assert_eq!(total_row, ["", "合计", "5", "2", "1", "50.0%", "3", "1", "2", "66.7%"]);
    assert!(cell(4, 0).starts_with("备注：1.办结率=按时办结数量÷（民情接单数量-正在处理数量）"));
}

#[tokio::test]
async fn the_monthly_report_is_drafted_from_the_tables_figures_edited_and_submitted() {
    let app = spawn_app().await;
    let other = app.another_instance().await;
    constructed_december(&app).await;
    let street = app.token("street1").await;
    let table = app.get(Some(&street), "/api/stats/monthly?year=2026&month=12").await.body;

    // A report can only be drafted for a month that has ended.
    let r = app.post(Some(&street), "/api/reports", &json!({"year": 2026, "month": 12})).await;
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("month")), "{:?}", r.body);

    // 2 January: the job drafts December's report for every street, once even with two instances.
    app.set_time(Utc.with_ymd_and_hms(2027, 1, 2, 1, 0, 0).unwrap());
    other.set_time(Utc.with_ymd_and_hms(2027, 1, 2, 1, 0, 0).unwrap());
    let (x, y) = tokio::join!(
        backend::regulation::report_draft::draft_previous_month(&app.state),
        backend::regulation::report_draft::draft_previous_month(&other.state)
    );
    let streets = app.units(&app.token("admin").await).await.iter().filter(|u| u["kind"] == "street").count();
    assert_eq!(x.unwrap() + y.unwrap(), streets);
    assert_eq!(backend::regulation::report_draft::draft_previous_month(&app.state).await.unwrap(), 0);

    let street = app.token("street1").await;
    let list = app.get(Some(&street), "/api/reports").await.body;
    assert_eq!(list.as_array().unwrap().len(), 1, "a street reads its own: {list:?}");
    let id = list[0]["id"].as_i64().unwrap();
    let report = app.get(Some(&street), &format!("/api/reports/{id}")).await.body;
    assert_eq!(report["title"], "新华街道民情专报（第1期）");
    // Items collected in December: A to E (N was collected in November), all 公共设施: solved A B D, unsolved E,
    // in progress C; none solved by the community alone. 办结率 is the table's; satisfaction 2 of 3 answers.
    let f = &report["figures"];
    assert_eq!(f["completion_rate"], table["total"]["completion_rate"]);
    assert_eq!(
        report["section1"],
        "截止本月5日，新华街道12月共收集民情事项1类、5件，已解决落实3件，正在解决中1件，目前尚未解决1件，其中街道社区自己解决0件，经与部门单位沟通解决3件。民情事项办结率达到50.0%，群众满意率达到66.7%。尚未解决事项涉及1类问题，涉及部门单位有市住房和城乡建设局。本月对各部门单位满意度测评结果高于90%的单位暂无，满意度测评结果低于50%的单位暂无，不满意的事项涉及1类、1件。"
    );
    let s2 = report["section2"].as_str().unwrap();
    assert!(
        s2.contains("未办结原因：无资金") && s2.contains("建议对策：列入明年计划") && s2.contains("居民评价不满意"),
        "{s2}"
    );

    // The street edits it (versioned), cannot submit without section 三, then submits late on 7 January.
    let r = app
        .put(
            Some(&street),
            &format!("/api/reports/{id}"),
            &json!({"version": 1, "section1": report["section1"], "section2": s2, "section3": ""}),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = app.post(Some(&street), &format!("/api/reports/{id}/submit"), &json!({"version": 2})).await;
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("section3")));
    let r = app
        .put(
            Some(&street),
            &format!("/api/reports/{id}"),
            &json!({"version": 1, "section1": "x", "section2": "y", "section3": "z"}),
        )
        .await;
    assert_eq!((r.status, r.code()), (409, "stale_version"));
    let r = app
        .put(
            Some(&street),
            &format!("/api/reports/{id}"),
            &json!({"version": 2, "section1": report["section1"], "section2": s2, "section3": "1.加快老旧小区改造。"}),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    app.set_time(Utc.with_ymd_and_hms(2027, 1, 6, 2, 0, 0).unwrap());
    let street = app.token("street1").await;
    let r = app.post(Some(&street), &format!("/api/reports/{id}/submit"), &json!({"version": 3})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["summary"]["status"], "submitted");
    assert_eq!(r.body["summary"]["late"], true, "6 January 10:00 Beijing is after the 5th");
    assert_eq!(r.body["versions"].as_array().unwrap().len(), 4);
    let r = app
        .put(
            Some(&street),
            &format!("/api/reports/{id}"),
            &json!({"version": 4, "section1": "x", "section2": "y", "section3": "z"}),
        )
        .await;
    assert_eq!((r.status, r.code()), (409, "wrong_stage"));

    // City leaders read every street's reports; a grid leader reads none.
    let leader = app.token("leader1").await;
    let all = app.get(Some(&leader), "/api/reports").await.body;
    assert_eq!(all.as_array().unwrap().len(), streets);
    assert_eq!(app.get(Some(&app.token("grid1").await), &format!("/api/reports/{id}")).await.status, 404);
}

#[tokio::test]
async fn a_back_filled_month_takes_the_next_number_and_no_number_changes() {
    // Wednesday 2 December 2026, 09:00 city time.
    let app = crate::journey::spawn_app_at(tests::city_time(2026, 12, 2, 9, 0)).await;
    let other = app.another_instance().await;
    let street = app.token("street1").await;
    let number = |r: &Value| (r["month"].as_i64().unwrap(), r["number"].as_i64().unwrap());

    // November is drafted first (第1期); September and October are back-filled afterwards, at once on two instances:
    // each takes its own next number and November keeps its 1.
    let nov = app.post(Some(&street), "/api/reports", &json!({"year": 2026, "month": 11})).await;
    assert_eq!(nov.status, 200, "{:?}", nov.body);
    assert_eq!(nov.body["title"], "新华街道民情专报（第1期）");
    let (september, october) = (json!({"year": 2026, "month": 9}), json!({"year": 2026, "month": 10}));
    let (sep, oct) = tokio::join!(
        app.post(Some(&street), "/api/reports", &september),
        other.post(Some(&street), "/api/reports", &october)
    );
    assert_eq!((sep.status, oct.status), (200, 200), "{:?} {:?}", sep.body, oct.body);
    let mut back_filled =
        [sep.body["summary"]["number"].as_i64().unwrap(), oct.body["summary"]["number"].as_i64().unwrap()];
    back_filled.sort_unstable();
    assert_eq!(back_filled, [2, 3]);
    // Asking again gives the same report, not a new number; another year starts at 1.
    let again = app.post(Some(&street), "/api/reports", &json!({"year": 2026, "month": 9})).await;
    assert_eq!(again.body["summary"]["id"], sep.body["summary"]["id"]);
    let last_year = app.post(Some(&street), "/api/reports", &json!({"year": 2025, "month": 12})).await;
    assert_eq!(last_year.body["title"], "新华街道民情专报（第1期）");
    let list = app.get(Some(&street), "/api/reports?year=2026").await.body;
    let mut numbers: Vec<(i64, i64)> = list.as_array().unwrap().iter().map(number).collect();
    numbers.sort_unstable();
    assert_eq!(numbers[2], (11, 1), "{list:?}");
    assert_eq!(numbers.len(), 3);
}

#[tokio::test]
async fn the_dashboards_figures_equal_the_tables() {
    let app = spawn_app().await;
    constructed_december(&app).await;
    let leader = app.token("leader1").await;
    let table = app.get(Some(&leader), "/api/stats/monthly?year=2026&month=12").await.body;
    let r = app.get(Some(&leader), "/api/dashboard?year=2026&month=12").await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let d = r.body;
    // Departments are the table's rows: 办结率 2 ÷ (5 − 1), with its denominator.
    let housing = d["by_department"].as_array().unwrap().iter().find(|l| l["department"]["name"] == HOUSING).unwrap();
    assert_eq!((housing["completion"]["num"].as_i64(), housing["completion"]["den"].as_i64()), (Some(2), Some(4)));
    assert_eq!(housing["completion"]["rate"], table["rows"][0]["completion_rate"]);
    assert_eq!(housing["received"], table["rows"][0]["received"]["count"]);
    assert_eq!(d["overall"]["completion"]["rate"], table["total"]["completion_rate"]);
    // Items collected in December: A to E; solved A B D, unsolvable E, in progress C.
    let o = &d["overall"];
    assert_eq!((o["received"].as_i64(), o["solved"].as_i64(), o["in_progress"].as_i64()), (Some(5), Some(3), Some(1)));
    // Dispatches made in December: A B D E, C twice (the first returned): accepted within a day 5 of 6, 退单 1 of 6.
    assert_eq!((o["response"]["num"].as_i64(), o["response"]["den"].as_i64()), (Some(5), Some(6)));
    assert_eq!((o["returned"]["num"].as_i64(), o["returned"]["den"].as_i64()), (Some(1), Some(6)));
    assert_eq!((o["satisfaction"]["num"].as_i64(), o["satisfaction"]["den"].as_i64()), (Some(2), Some(3)));
    let xinhua = d["by_street"].as_array().unwrap().iter().find(|s| s["street"]["name"] == "新华街道").unwrap();
    assert_eq!(xinhua["figures"], *o, "one street holds everything");
    let fumin = d["by_street"].as_array().unwrap().iter().find(|s| s["street"]["name"] == "福民街道").unwrap();
    assert_eq!(fumin["figures"]["received"], 0);
    let facilities = d["by_type"].as_array().unwrap().iter().find(|t| t["item_type"] == "public_facilities").unwrap();
    assert_eq!(facilities["figures"]["received"], 5);
    assert_eq!(d["red_list"][0]["department"]["name"], HOUSING);
    let trend = d["trend"].as_array().unwrap();
    assert_eq!(trend.len(), 6);
    assert_eq!(
        (trend[5]["month"].as_i64(), trend[5]["received"].as_i64(), trend[5]["solved"].as_i64()),
        (Some(12), Some(5), Some(3))
    );
    assert_eq!((trend[4]["month"].as_i64(), trend[4]["received"].as_i64()), (Some(11), Some(1)));
    // Now: N, C (in progress) and the closed-or-solved others still open until the residents are told.
    assert!(d["open_now"].as_i64().unwrap() >= 2);
    let grid1 = app.token("grid1").await;
    assert_eq!(app.get(Some(&grid1), "/api/dashboard").await.status, 403);
}

#[tokio::test]
async fn the_monthly_analysis_finds_common_and_repeated_issues() {
    let app = spawn_app().await;
    let grid1 = app.token("grid1").await;
    let grid2 = app.token("grid2").await;
    let b3 = crate::items::building(&app, &grid1, 3).await;
    for _ in 0..2 {
        let r = app.post(Some(&grid1), "/api/items", &crate::items::capture(b3)).await;
        assert_eq!(r.status, 201, "{:?}", r.body);
    }
    let mut housing = crate::items::capture_json(b3);
    housing["item_type"] = json!("property_housing");
    assert_eq!(app.post(Some(&grid1), "/api/items", &housing).await.status, 201);
    let fumin_grid = app.unit_id(&grid2, "福民街道 / 福民社区 / 福民社区党群服务站 / 第一网格").await;
    assert_eq!(app.post(Some(&grid2), "/api/items", &crate::items::capture(fumin_grid)).await.status, 201);

    let analyst = app.token("analyst1").await;
    let r = app.get(Some(&analyst), "/api/analysis").await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let a = r.body;
    assert_eq!(a["total"], 4);
    assert_eq!(a["by_type"][0]["item_type"], "public_facilities");
    assert_eq!((a["by_type"][0]["total"].as_i64(), a["by_type"][0]["streets"].as_i64()), (Some(3), Some(2)));
    let repeated = a["repeated_places"].as_array().unwrap();
    assert_eq!(repeated.len(), 1, "{repeated:?}");
    assert!(repeated[0]["name"].as_str().unwrap().ends_with("3号楼"));
    assert_eq!(repeated[0]["count"], 3);
    assert_eq!(a["by_community"][0]["name"], "新华街道 / 和平社区");
    assert_eq!(a["unresolved_themes"][0]["name"], "公共设施");
    assert_eq!(a["unresolved_themes"][0]["count"], 3);

    let (status, bytes) = app.get_bytes(Some(&analyst), "/api/analysis/export").await;
    assert_eq!(status, 200);
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    use calamine::Reader;
    assert_eq!(wb.sheet_names(), ["按类型", "按社区", "同一地点多次反映", "尚未解决的主要问题"]);
    let sheet = wb.worksheet_range("按类型").unwrap();
    assert_eq!(sheet.get_value((1, 0)).map(|d| d.to_string()).unwrap_or_default(), "公共设施");
    assert_eq!(sheet.get_value((1, 2)).map(|d| d.to_string()).unwrap_or_default(), "2");
    let street = app.token("street1").await;
    assert_eq!(app.get(Some(&street), "/api/analysis").await.status, 403);
}
