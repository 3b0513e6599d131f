//! What the city reads: the statistics table, the monthly report, the evidence print, the analysis and the weekly
//! evaluation.

use fantoccini::Locator;
use serde_json::json;

use super::*;

#[tokio::test]
async fn a_city_leader_reads_the_statistics_table_and_a_monthly_report_on_a_desk() {
    skip_unless_enabled!();
    run_on(Screen::Desk, "numbers", |c, app| async move {
        // One item dispatched to the housing bureau and accepted this month; October's report drafted.
        let grid1 = app.token("grid1").await;
        let grid = app.unit_id(&grid1, "新华街道 / 和平社区 / 和平社区第一党群服务站 / 第一网格").await;
        let body = json!({
            "id": "00000000-0000-4000-8000-0000000000cc", "channel": "wechat_visit", "source": "visit",
            "item_type": "property_housing", "level": "general", "place_id": grid, "content": "小区电梯频繁故障。",
        });
        let id = app.post(Some(&grid1), "/api/items", &body).await.body["id"].as_str().unwrap().to_string();
        let secretary = app.token("community1").await;
        let r = app.post(Some(&secretary), &format!("/api/items/{id}/send-to-street"), &json!({"version": 1})).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        let dispatcher = app.token("dispatcher1").await;
        let housing = app.unit_id(&dispatcher, "市住房和城乡建设局").await;
        let r = app
            .post(
                Some(&dispatcher),
                &format!("/api/items/{id}/dispatch"),
                &json!({"version": 2, "department_id": housing}),
            )
            .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        let dept1 = app.token("dept1").await;
        let r = app.post(Some(&dept1), &format!("/api/items/{id}/accept"), &json!({"version": 3})).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        let street = app.token("street1").await;
        let report = app.post(Some(&street), "/api/reports", &json!({"year": 2026, "month": 10})).await;
        assert_eq!(report.status, 200, "{:?}", report.body);
        let report_id = report.body["summary"]["id"].as_i64().unwrap();

        sign_in(&c, &app.address, "leader1", &app.demo_password).await?;
        tap(&c, c.find(Locator::Id("stats-link")).await?).await?;
        let table = wait_for(&c, Locator::Css(&format!("#stats-table tbody tr[data-unit-id='{housing}']"))).await?;
        let head = c.find(Locator::Css("#stats-table thead")).await?.text().await?;
        for column in [
            "序号",
            "责任单位",
            "民情接单数量",
            "按时办结数量",
            "正在处理数量",
            "办结率",
            "10日内未办结数量",
            "测评满意率",
        ] {
            assert!(head.contains(column), "附件3 has {column}:\n{head}");
        }
        let _ = table;
        tap(
            &c,
            c.find(Locator::Css(&format!("button.figure[data-column='received'][data-unit-id='{housing}']"))).await?,
        )
        .await?;
        wait_for(&c, Locator::Css(&format!("#figure-items tr[data-item-id='{id}']"))).await?;
        screenshot(&c, "leader1-2-stats").await;
        c.find(Locator::Id("figure-close")).await.ok();
        emulate_print(&c).await?;
        screenshot_page(&c, "leader1-3-stats-print").await;

        c.goto(&format!("{}/reports", app.address)).await?;
        tap(&c, wait_for(&c, Locator::Css(&format!("#report-list .report-row[data-report-id='{report_id}']"))).await?)
            .await?;
        let title = wait_for(&c, Locator::Id("report-title")).await?.text().await?;
        assert!(title.contains("新华街道民情专报（第1期）"), "{title}");
        let s1 = c.find(Locator::Id("report-section1")).await?.text().await?;
        assert!(s1.starts_with("截止本月5日，新华街道10月共收集民情事项"), "{s1}");
        assert!(c.find_all(Locator::Css("#report textarea")).await?.is_empty(), "a city leader reads, does not edit");
        emulate_print(&c).await?;
        screenshot_page(&c, "leader1-4-report-print").await;

        // The dashboard: the same figures, drawn.
        c.goto(&format!("{}/", app.address)).await?;
        tap(&c, wait_for(&c, Locator::Id("dashboard-link")).await?).await?;
        let open = wait_for(&c, Locator::Id("now-open")).await?.text().await?;
        assert_eq!(open.trim(), "1", "one item open in the city");
        let first = c.find(Locator::Css("#now-strip .now")).await?.html(false).await?;
        assert!(first.contains("now-major"), "major items lead the strip (第四条): {first}");
        wait_for(&c, Locator::Css("svg#chart-trend")).await?;
        wait_for(&c, Locator::Css("svg#chart-streets")).await?;
        let departments = c.find(Locator::Id("department-table")).await?.text().await?;
        assert!(departments.contains("市住房和城乡建设局"), "{departments}");
        let figures = c.find(Locator::Id("month-figures")).await?.text().await?;
        assert!(figures.contains("（1/1）"), "rates show their denominators:\n{figures}");
        screenshot(&c, "leader1-5-dashboard").await;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_supervisor_prints_an_items_evidence_and_a_city_office_reads_the_analysis() {
    skip_unless_enabled!();
    run_on(Screen::Desk, "evidence", |c, app| async move {
        use chrono::Datelike;
        const CONTENT: &str = "小区健身器材螺丝松动，老人锻炼时存在安全隐患。";
        // One item from the grid leader, its type corrected, sent to the street, through the API.
        let grid1 = app.token("grid1").await;
        let grid = app.unit_id(&grid1, "新华街道 / 和平社区 / 和平社区第一党群服务站 / 第一网格").await;
        let body = json!({
            "id": "00000000-0000-4000-8000-0000000000dd", "channel": "wechat_visit", "source": "visit",
            "item_type": "property_housing", "level": "general", "place_id": grid, "content": CONTENT,
        });
        let made = app.post(Some(&grid1), "/api/items", &body).await;
        assert_eq!(made.status, 201, "{:?}", made.body);
        let id = made.body["id"].as_str().ok_or("the item's id")?.to_string();
        let r = app
            .patch(Some(&grid1), &format!("/api/items/{id}"), &json!({"version": 1, "item_type": "public_facilities"}))
            .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        let secretary = app.token("community1").await;
        let r = app.post(Some(&secretary), &format!("/api/items/{id}/send-to-street"), &json!({"version": 2})).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        // The month it was collected in, in the city's time.
        let collected = made.body["collected_at"].as_str().ok_or("collected_at")?;
        let city = chrono::FixedOffset::east_opt(8 * 3600).ok_or("the city's offset")?;
        let collected = chrono::DateTime::parse_from_rfc3339(collected)?.with_timezone(&city);
        let (year, month) = (collected.year(), collected.month());

        // The supervision office opens the item's whole record from its page and prints it.
        sign_in(&c, &app.address, "supervisor1", &app.demo_password).await?;
        c.goto(&format!("{}/items/{id}", app.address)).await?;
        tap(&c, wait_for(&c, Locator::Id("evidence-link")).await?).await?;
        wait_for(&c, Locator::Css("#evidence-events tr.evidence-event[data-kind='sent_to_street']")).await?;
        let page = c.find(Locator::Id("evidence-page")).await?;
        assert_eq!(page.attr("data-item-id").await?.as_deref(), Some(id.as_str()));
        let facts = c.find(Locator::Id("evidence-facts")).await?.text().await?;
        for expected in [CONTENT, "公共设施", "一般性", "微信走访", "王建华", "待街道派单"] {
            assert!(facts.contains(expected), "the facts show {expected}:\n{facts}");
        }
        let head = c.find(Locator::Css("#evidence-events thead")).await?.text().await?;
        for column in ["序号", "时间", "操作人", "事项", "内容"] {
            assert!(head.contains(column), "the events table has the column {column}:\n{head}");
        }
        let rows = c.find_all(Locator::Css("#evidence-events tr.evidence-event")).await?;
        let mut kinds = Vec::new();
        for row in &rows {
            kinds.push(row.attr("data-kind").await?.unwrap_or_default());
        }
        assert_eq!(kinds, ["created", "updated", "sent_to_street"], "every event, oldest first");
        let created = rows[0].text().await?;
        assert!(created.contains("登记") && created.contains("王建华"), "the created event:\n{created}");
        let updated = rows[1].text().await?;
        assert!(updated.contains("类型：物业住房 → 公共设施"), "the correction, before → after:\n{updated}");
        let footer = c.find(Locator::Id("evidence-footer")).await?.text().await?;
        assert!(footer.contains("打印时间") && footer.contains(&id), "the footer:\n{footer}");
        wait_for(&c, Locator::Id("evidence-print")).await?;
        emulate_print(&c).await?;
        assert!(!c.find(Locator::Css(".topbar")).await?.is_displayed().await?, "the top bar is not printed");
        screenshot_page(&c, "evidence").await;

        // A city analyst reads the month's analysis: the type, counted once, opens the item.
        switch_to(&c, &app.address, "analyst1", &app.demo_password).await?;
        wait_for(&c, Locator::Id("analysis-link")).await?;
        c.goto(&format!("{}/analysis?year={year}&month={month}", app.address)).await?;
        let title = wait_for(&c, Locator::Id("analysis-title")).await?.text().await?;
        assert_eq!(title, format!("《民情分析》{year}年{month}月"));
        let row = wait_for(&c, Locator::Css("#analysis-types tr[data-type='public_facilities']")).await?;
        let count = row.find(Locator::Css("button.analysis-count[data-part='total']")).await?;
        assert_eq!(count.text().await?.trim(), "1", "one item of the type");
        let text = row.text().await?;
        assert!(text.contains("公共设施") && text.contains("新华街道"), "the type and its street:\n{text}");
        for table in ["analysis-communities", "analysis-repeated", "analysis-unresolved"] {
            wait_for(&c, Locator::Id(table)).await?;
        }
        let repeated = c.find(Locator::Id("analysis-repeated")).await?.text().await?;
        assert!(repeated.contains("本月无"), "one item is no repeated place:\n{repeated}");
        tap(&c, count).await?;
        let link = wait_for(&c, Locator::Css(&format!("#analysis-types a[href='/items/{id}']"))).await?;
        assert!(link.text().await?.contains(&id), "the link shows the item's id");
        wait_for(&c, Locator::Id("analysis-export")).await?;
        screenshot_page(&c, "analysis").await;
        tap(&c, link).await?;
        let root = wait_for(&c, Locator::Id("item-page")).await?;
        assert_eq!(root.attr("data-item-id").await?.as_deref(), Some(id.as_str()));
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn the_evaluation_page_reads_this_week_and_month_on_the_servers_day_with_the_month_rule() {
    skip_unless_enabled!();
    // Tuesday 1 December 2026, 09:00 city time: this week began on Monday 30 November, in the month before.
    let app = tests::spawn_app_at(tests::city_time(2026, 12, 1, 9, 0)).await;
    run_with(Screen::Phone, "evaluation_week_across_months", app, |c, app| async move {
        sign_in(&c, &app.address, "dispatcher1", &app.demo_password).await?;
        c.goto(&format!("{}/satisfaction", app.address)).await?;
        let period = |want: &'static str| {
            let c = c.clone();
            async move {
                until(&format!("the period {want}"), || async {
                    let text = wait_for(&c, Locator::Id("satisfaction-period")).await?.text().await?;
                    Ok(text.contains(want).then_some(()).ok_or(text))
                })
                .await
            }
        };
        period("2026年11月30日 至 2026年12月6日").await?;
        let rule = c.find(Locator::Id("satisfaction-period-rule")).await?.text().await?;
        assert!(rule.contains("跨月的一周，评价计入给出当天所在的月份"), "the page says the rule: {rule}");
        screenshot(&c, "evaluation-1-week").await;
        tap(&c, c.find(Locator::Css("button[data-period='month']")).await?).await?;
        period("2026年12月1日 至 2026年12月31日").await?;
        screenshot(&c, "evaluation-2-month").await;
        Ok(())
    })
    .await;
}
