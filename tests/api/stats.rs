//! The monthly statistics table 附件3 on both engines, on a constructed month counted by hand: on time, with an
//! extension, after a 退单, solved after the on-site office on day 11, unsolvable with the head's signature, still in
//! progress past 10 days; the month boundary at midnight Beijing time; the zero denominator; the Excel export cell by
//! cell; the items behind a figure.

use chrono::{Duration, TimeZone, Utc};
use shared::dashboard::Dashboard;
use shared::item::{CreateItem, Item};
use shared::journey::{DecideExtension, HeadSign, Reject, RejectReason, RequestExtension, ReturnSheet};
use shared::stats::{EditReport, ReportStatus, ReportSummary, StatsRow};
use shared::voice::Answer::{Dissatisfied, Satisfied};
use shared::voice::Rate;
use shared::{ItemType, OrgKind};
use tests::client::{dispatch_to, solved_sheet};
use tests::TestApp;

use crate::journey::{dept_id, item_at_street, spawn_app, HOUSING};

/// Sends a new item to the street and dispatches it to housing; returns the item.
async fn dispatched(app: &TestApp) -> Item {
    let (id, v) = item_at_street(app).await;
    let dispatcher = app.token("dispatcher1").await;
    let housing = dept_id(app, &dispatcher, HOUSING).await;
    app.dispatch(&dispatcher, &id, &dispatch_to(v, housing)).await.with_status(200)
}

async fn accepted(app: &TestApp) -> Item {
    let item = dispatched(app).await;
    let dept1 = app.token("dept1").await;
    app.accept(&dept1, &item.id, item.version).await.with_status(200)
}

fn counts(row: &StatsRow) -> Vec<i64> {
    [
        &row.received,
        &row.on_time,
        &row.in_progress,
        &row.not_in_10_days,
        &row.solved_after_coordination,
        &row.unsolved_after_coordination,
    ]
    .iter()
    .map(|f| f.count)
    .collect()
}

/// The constructed month: item N accepted on 30 November at 23:58 Beijing time; A to E accepted on 1 December just
/// after midnight — A solved on day 3, B extended on day 4 and solved on day 8, C returned (退单) and dispatched again
/// and still in progress, D solved after the on-site office on day 11, E unsolvable and signed on day 11; A's resident
/// rates 满意, 满意, 不满意. Returns [N, A, B, C, D, E].
pub async fn constructed_december(app: &TestApp) -> [Item; 6] {
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
        let reject = Reject { version: item.version, reason: RejectReason::WrongPlace, note: None };
        let item = app.reject(&dept1, &item.id, &reject).await.with_status(200);
        let dispatcher = app.token("dispatcher1").await;
        let housing = dept_id(app, &dispatcher, HOUSING).await;
        let item = app.dispatch(&dispatcher, &item.id, &dispatch_to(item.version, housing)).await.with_status(200);
        app.accept(&dept1, &item.id, item.version).await.with_status(200)
    };
    let d = accepted(app).await;
    let e = accepted(app).await;
    let dept1 = app.token("dept1").await;
    let dispatcher = app.token("dispatcher1").await;

    // Day 3: A solved on time.
    app.state.clock.advance(Duration::days(3));
    let a = app.return_sheet(&dept1, &a.id, &solved_sheet(a.version, "修好了")).await.with_status(200);
    // Day 4: B asks for 5 more days and gets them; day 8: solved, on time.
    app.state.clock.advance(Duration::days(1));
    let ask = RequestExtension { version: b.version, reason: "需采购配件".into() };
    let b = app.request_extension(&dept1, &b.id, &ask).await.with_status(200);
    let decide = DecideExtension { version: b.version, approve: true, note: None };
    let b = app.decide_extension(&dispatcher, &b.id, &decide).await.with_status(200);
    app.state.clock.advance(Duration::days(4));
    app.return_sheet(&dept1, &b.id, &solved_sheet(b.version, "已更换")).await.with_status(200);
    // Day 11: D solved after the on-site office; E unsolvable, signed by the head. C is still being handled.
    app.state.clock.advance(Duration::days(3));
    app.hold_onsite_office(&dept1, &d.id).await;
    app.hold_onsite_office(&dept1, &e.id).await;
    let sheet = ReturnSheet {
        onsite: Some(true),
        measures_clear: Some(true),
        measures: Some("联合物业".into()),
        ..solved_sheet(d.version, "协调解决")
    };
    app.return_sheet(&dept1, &d.id, &sheet).await.with_status(200);
    let sheet = ReturnSheet {
        solved: false,
        onsite: Some(true),
        measures_clear: Some(false),
        unsolved_reason: Some("无资金".into()),
        countermeasures: Some("列入明年计划".into()),
        ..solved_sheet(e.version, "已现场查看")
    };
    let e = app.return_sheet(&dept1, &e.id, &sheet).await.with_status(200);
    let head = app.token("depthead1").await;
    app.head_sign(&head, &e.id, &HeadSign { version: e.version, approve: true, note: None }).await.with_status(200);
    // The resident of A rates: 满意, 满意, 不满意 → 2 of 3.
    let grid1 = app.token("grid1").await;
    let link = app.resident_link(&grid1, &a.id).await.ok();
    let token = link.path.trim_start_matches("/r/").to_string();
    let rate = Rate { timely: Satisfied, attitude: Satisfied, result: Dissatisfied, not_solved: false, comment: None };
    let r = app.rate_as_resident(&token, &rate).await;
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
    let t = app.monthly_stats(&street, "year=2026&month=12").await.with_status(200);
    assert_eq!(t.title, "新华街道民情办理情况统计表（2026年12月）");
    assert_eq!(t.rows.len(), 1, "only housing accepted items: {t:?}");
    let row = &t.rows[0];
    assert_eq!(row.unit.as_ref().unwrap().name, HOUSING);
    assert_eq!(counts(row), [5, 2, 1, 3, 1, 2]);
    assert_eq!(row.completion_rate, Some(0.5));
    assert!((row.satisfaction.unwrap() - 2.0 / 3.0).abs() < 1e-9);
    let mut on_time: Vec<&str> = row.on_time.item_ids.iter().map(String::as_str).collect();
    on_time.sort();
    let mut want = [a.id.as_str(), b.id.as_str()];
    want.sort();
    assert_eq!(on_time, want);
    assert_eq!(row.in_progress.item_ids, [c.id.as_str()]);
    assert_eq!(counts(&t.total), counts(row));
    assert!(t.definitions.iter().any(|d| d.contains("办结率 = 按时办结数量")));

    // November holds N alone, counted as of November's end (a closed month does not move): in progress two minutes
    // after it was accepted, not yet past 10 days; so the 办结率's denominator is 0 and it shows "—".
    let nov = app.monthly_stats(&street, "year=2026&month=11").await.ok();
    assert_eq!(nov.as_of, Utc.with_ymd_and_hms(2026, 11, 30, 16, 0, 0).unwrap(), "as of midnight, 1 December");
    assert_eq!(counts(&nov.rows[0]), [1, 0, 1, 0, 0, 0]);
    assert!(nov.rows[0].completion_rate.is_none());
    assert_eq!(nov.rows[0].received.item_ids, [n.id.as_str()]);

    // The items behind a figure open in the ledger.
    let ids = row.not_in_10_days.item_ids.join(",");
    let ledger = app.ledger(&street, &format!("ids={ids}")).await.ok();
    assert_eq!(ledger.total, 3);

    // The city sees the same figures; another street's leader cannot open this street's table.
    let leader = app.token("leader1").await;
    let city = app.monthly_stats(&leader, "year=2026&month=12").await.ok();
    assert_eq!(counts(&city.total), [5, 2, 1, 3, 1, 2]);
    let other_street = app.unit_id(&leader, "福民街道").await;
    let r = app.monthly_stats(&street, &format!("year=2026&month=12&street_id={other_street}")).await;
    assert_eq!(r.status, 403);
    let grid = app.monthly_stats(&grid1, "").await;
    assert_eq!(grid.status, 403);
    let r = app.monthly_stats(&street, "year=2026&month=13").await;
    assert_eq!((r.status, r.field()), (422, Some("month")));

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
    let table = app.monthly_stats(&street, "year=2026&month=12").await.ok();

    // A report can only be drafted for a month that has ended.
    let r = app.generate_report(&street, 2026, 12).await;
    assert_eq!((r.status, r.field()), (422, Some("month")), "{:?}", r.body);

    // 2 January: the job drafts December's report for every street, once even with two instances.
    app.set_time(Utc.with_ymd_and_hms(2027, 1, 2, 1, 0, 0).unwrap());
    other.set_time(Utc.with_ymd_and_hms(2027, 1, 2, 1, 0, 0).unwrap());
    let (x, y) = tokio::join!(
        backend::regulation::report_draft::draft_previous_month(&app.state),
        backend::regulation::report_draft::draft_previous_month(&other.state)
    );
    let streets = app.units(&app.token("admin").await).await.iter().filter(|u| u.kind == OrgKind::Street).count();
    assert_eq!(x.unwrap() + y.unwrap(), streets);
    assert_eq!(backend::regulation::report_draft::draft_previous_month(&app.state).await.unwrap(), 0);

    let street = app.token("street1").await;
    let list = app.reports(&street, "").await.ok();
    assert_eq!(list.len(), 1, "a street reads its own: {list:?}");
    let id = list[0].id;
    let report = app.report(&street, id).await.ok();
    assert_eq!(report.title, "新华街道民情专报（第1期）");
    // Items collected in December: A to E (N was collected in November), all 公共设施: solved A B D, unsolved E,
    // in progress C; none solved by the community alone. 办结率 is the table's; satisfaction 2 of 3 answers.
    let f = &report.figures;
    assert_eq!(f.completion_rate, table.total.completion_rate);
    // Counted as of December's end, as December's table now says too.
    let december_end = Utc.with_ymd_and_hms(2026, 12, 31, 16, 0, 0).unwrap();
    assert_eq!(report.figures_as_of, december_end);
    assert_eq!(app.monthly_stats(&street, "year=2026&month=12").await.ok().as_of, december_end);
    assert_eq!(
        report.section1,
        "截止本月5日，新华街道12月共收集民情事项1类、5件，已解决落实3件，正在解决中1件，目前尚未解决1件，其中街道社区自己解决0件，经与部门单位沟通解决3件。民情事项办结率达到50.0%，群众满意率达到66.7%。尚未解决事项涉及1类问题，涉及部门单位有市住房和城乡建设局。本月对各部门单位满意度测评结果高于90%的单位暂无，满意度测评结果低于50%的单位暂无，不满意的事项涉及1类、1件。"
    );
    let s2 = report.section2.as_str();
    assert!(
        s2.contains("未办结原因：无资金") && s2.contains("建议对策：列入明年计划") && s2.contains("居民评价不满意"),
        "{s2}"
    );

    // The street edits it (versioned), cannot submit without section 三, then submits late on 7 January.
    let edit = |version: i64, section1: &str, section2: &str, section3: &str| EditReport {
        version,
        section1: section1.into(),
        section2: section2.into(),
        section3: section3.into(),
    };
    let r = app.edit_report(&street, id, &edit(1, &report.section1, s2, "")).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = app.submit_report(&street, id, 2).await;
    assert_eq!((r.status, r.field()), (422, Some("section3")));
    let r = app.edit_report(&street, id, &edit(1, "x", "y", "z")).await;
    assert_eq!((r.status, r.code()), (409, "stale_version"));
    let r = app.edit_report(&street, id, &edit(2, &report.section1, s2, "1.加快老旧小区改造。")).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    app.set_time(Utc.with_ymd_and_hms(2027, 1, 6, 2, 0, 0).unwrap());
    let street = app.token("street1").await;
    let r = app.submit_report(&street, id, 3).await.with_status(200);
    assert_eq!(r.summary.status, ReportStatus::Submitted);
    assert!(r.summary.late, "6 January 10:00 Beijing is after the 5th");
    assert_eq!(r.versions.len(), 4);
    let r = app.edit_report(&street, id, &edit(4, "x", "y", "z")).await;
    assert_eq!((r.status, r.code()), (409, "wrong_stage"));

    // City leaders read every street's reports; a grid leader reads none.
    let leader = app.token("leader1").await;
    let all = app.reports(&leader, "").await.ok();
    assert_eq!(all.len(), streets);
    assert_eq!(app.report(&app.token("grid1").await, id).await.status, 404);
}

#[tokio::test]
async fn a_back_filled_month_takes_the_next_number_and_no_number_changes() {
    // Wednesday 2 December 2026, 09:00 city time.
    let app = crate::journey::spawn_app_at(tests::city_time(2026, 12, 2, 9, 0)).await;
    let other = app.another_instance().await;
    let street = app.token("street1").await;
    let number = |r: &ReportSummary| (r.month, r.number);

    // November is drafted first (第1期); September and October are back-filled afterwards, at once on two instances:
    // each takes its own next number and November keeps its 1.
    let nov = app.generate_report(&street, 2026, 11).await.with_status(200);
    assert_eq!(nov.title, "新华街道民情专报（第1期）");
    let (sep, oct) = tokio::join!(app.generate_report(&street, 2026, 9), other.generate_report(&street, 2026, 10));
    assert_eq!((sep.status, oct.status), (200, 200), "{:?} {:?}", sep.body, oct.body);
    let (sep, oct) = (sep.ok(), oct.ok());
    let mut back_filled = [sep.summary.number, oct.summary.number];
    back_filled.sort_unstable();
    assert_eq!(back_filled, [2, 3]);
    // Asking again gives the same report, not a new number; another year starts at 1.
    let again = app.generate_report(&street, 2026, 9).await.ok();
    assert_eq!(again.summary.id, sep.summary.id);
    let last_year = app.generate_report(&street, 2025, 12).await.ok();
    assert_eq!(last_year.title, "新华街道民情专报（第1期）");
    let list = app.reports(&street, "year=2026").await.ok();
    let mut numbers: Vec<(u32, i64)> = list.iter().map(number).collect();
    numbers.sort_unstable();
    assert_eq!(numbers[2], (11, 1), "{list:?}");
    assert_eq!(numbers.len(), 3);
}

#[tokio::test]
async fn the_dashboards_figures_equal_the_tables() {
    let app = spawn_app().await;
    constructed_december(&app).await;
    let leader = app.token("leader1").await;
    let table = app.monthly_stats(&leader, "year=2026&month=12").await.ok();
    let d: Dashboard = app.dashboard(&leader, "year=2026&month=12").await.with_status(200);
    // Departments are the table's rows: 办结率 2 ÷ (5 − 1), with its denominator.
    let housing = d.by_department.iter().find(|l| l.department.name == HOUSING).unwrap();
    assert_eq!((housing.completion.num, housing.completion.den), (2, 4));
    assert_eq!(housing.completion.rate, table.rows[0].completion_rate);
    assert_eq!(housing.received, table.rows[0].received.count);
    assert_eq!(d.overall.completion.rate, table.total.completion_rate);
    // Items collected in December: A to E; solved A B D, unsolvable E, in progress C.
    let o = &d.overall;
    assert_eq!((o.received, o.solved, o.in_progress), (5, 3, 1));
    // Dispatches made in December: A B D E, C twice (the first returned): accepted within a day 5 of 6, 退单 1 of 6.
    assert_eq!((o.response.num, o.response.den), (5, 6));
    assert_eq!((o.returned.num, o.returned.den), (1, 6));
    assert_eq!((o.satisfaction.num, o.satisfaction.den), (2, 3));
    let xinhua = d.by_street.iter().find(|s| s.street.name == "新华街道").unwrap();
    assert_eq!(xinhua.figures, *o, "one street holds everything");
    let fumin = d.by_street.iter().find(|s| s.street.name == "福民街道").unwrap();
    assert_eq!(fumin.figures.received, 0);
    let facilities = d.by_type.iter().find(|t| t.item_type == ItemType::PublicFacilities).unwrap();
    assert_eq!(facilities.figures.received, 5);
    assert_eq!(d.red_list[0].department.name, HOUSING);
    let trend = &d.trend;
    assert_eq!(trend.len(), 6);
    assert_eq!((trend[5].month, trend[5].received, trend[5].solved), (12, 5, 3));
    assert_eq!((trend[4].month, trend[4].received), (11, 1));
    // Now: N, C (in progress) and the closed-or-solved others still open until the residents are told.
    assert!(d.open_now >= 2);
    let grid1 = app.token("grid1").await;
    assert_eq!(app.dashboard(&grid1, "").await.status, 403);
}

#[tokio::test]
async fn the_monthly_analysis_finds_common_and_repeated_issues() {
    let app = spawn_app().await;
    let grid1 = app.token("grid1").await;
    let grid2 = app.token("grid2").await;
    let b3 = crate::items::building(&app, &grid1, 3).await;
    for _ in 0..2 {
        app.create_item(&grid1, &crate::items::capture(b3)).await.with_status(201);
    }
    let housing = CreateItem { item_type: ItemType::PropertyHousing, ..crate::items::capture(b3) };
    assert_eq!(app.create_item(&grid1, &housing).await.status, 201);
    let fumin_grid = app.unit_id(&grid2, "福民街道 / 福民社区 / 福民社区党群服务站 / 第一网格").await;
    assert_eq!(app.create_item(&grid2, &crate::items::capture(fumin_grid)).await.status, 201);

    let analyst = app.token("analyst1").await;
    let a = app.analysis(&analyst, "").await.with_status(200);
    assert_eq!(a.total, 4);
    assert_eq!(a.by_type[0].item_type, ItemType::PublicFacilities);
    assert_eq!((a.by_type[0].total, a.by_type[0].streets), (3, 2));
    let repeated = &a.repeated_places;
    assert_eq!(repeated.len(), 1, "{repeated:?}");
    assert!(repeated[0].name.ends_with("3号楼"));
    assert_eq!(repeated[0].count, 3);
    assert_eq!(a.by_community[0].name, "新华街道 / 和平社区");
    assert_eq!(a.unresolved_themes[0].name, "公共设施");
    assert_eq!(a.unresolved_themes[0].count, 3);

    let (status, bytes) = app.get_bytes(Some(&analyst), "/api/analysis/export").await;
    assert_eq!(status, 200);
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    use calamine::Reader;
    assert_eq!(wb.sheet_names(), ["按类型", "按社区", "同一地点多次反映", "尚未解决的主要问题"]);
    let sheet = wb.worksheet_range("按类型").unwrap();
    assert_eq!(sheet.get_value((1, 0)).map(|d| d.to_string()).unwrap_or_default(), "公共设施");
    assert_eq!(sheet.get_value((1, 2)).map(|d| d.to_string()).unwrap_or_default(), "2");
    let street = app.token("street1").await;
    assert_eq!(app.analysis(&street, "").await.status, 403);
}
