//! An item's journey across accounts: the direct line to the city leader, a department's sheet, the resident's
//! rating and its follow-up.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use serde_json::json;

use super::*;

#[tokio::test]
async fn a_major_item_reaches_the_city_leader_and_a_department_accepts_and_returns_a_sheet() {
    skip_unless_enabled!();
    run("journey", |c, app| async move {
        const CONTENT: &str = "6号楼外墙瓷砖大面积脱落，砸坏了楼下一辆车，随时可能伤人。";
        // The grid leader captures a major item.
        sign_in(&c, &app.address, "grid1", &app.demo_password).await?;
        c.find(Locator::Id("capture-button")).await?.click().await?;
        wait_for(&c, Locator::Id("capture-form")).await?;
        tap(&c, c.find(Locator::Css("button[data-type='safety_environment']")).await?).await?;
        tap(&c, c.find(Locator::Id("level-major")).await?).await?;
        wait_for(&c, Locator::Id("confirm-major")).await?.click().await?;
        tap(&c, wait_for(&c, Locator::Css("button[data-place-kind='building']")).await?).await?;
        c.find(Locator::Id("content")).await?.send_keys(CONTENT).await?;
        c.find(Locator::Id("save-item")).await?.click().await?;
        wait_for(&c, Locator::Css("#item-fields")).await?;

        // The city leader sees the 直报 banner at once and acknowledges it.
        switch_to(&c, &app.address, "leader1", &app.demo_password).await?;
        let banner = wait_for(&c, Locator::Id("direct-report-banner")).await?;
        let text = banner.text().await?;
        assert!(text.contains("直报") && text.contains("外墙瓷砖"), "the banner names the item:\n{text}");
        screenshot(&c, "leader1-1-direct-report").await;
        tap(&c, banner.find(Locator::Css("button[data-ack]")).await?).await?;
        c.wait().at_most(WAIT).for_element(Locator::XPath("//body[not(.//*[@id='direct-report-banner'])]")).await?;
        let leader = app.token("leader1").await;
        let all = app.get(Some(&leader), "/api/direct-reports").await.body;
        assert!(all[0]["acknowledged_at"].is_string(), "the acknowledgement is recorded: {all:?}");

        // An item sent to the street and dispatched to the housing bureau, through the API.
        let id = item_at_street(&app, "00000000-0000-4000-8000-0000000000aa", "小区消防通道被私家车长期占用。").await?;
        let dispatcher = app.token("dispatcher1").await;
        let housing = app.unit_id(&dispatcher, "市住房和城乡建设局").await;
        let body = json!({"version": 2, "department_id": housing});
        let dispatched = app.post(Some(&dispatcher), &format!("/api/items/{id}/dispatch"), &body).await;
        assert_eq!(dispatched.status, 200, "{:?}", dispatched.body);

        // The department handler finds it in the inbox, accepts it, and returns the sheet solved.
        switch_to(&c, &app.address, "dept1", &app.demo_password).await?;
        c.goto(&format!("{}/queue", app.address)).await?;
        let row = wait_for(&c, Locator::Css(&format!("a[href='/items/{id}']"))).await?;
        screenshot(&c, "dept1-1-inbox").await;
        tap(&c, row).await?;
        tap(&c, wait_for(&c, Locator::Css("button[data-action='accept']")).await?).await?;
        tap(&c, wait_for(&c, Locator::Id("action-submit")).await?).await?;
        tap(&c, wait_for(&c, Locator::Css("button[data-action='return_sheet']")).await?).await?;
        tap(&c, wait_for(&c, Locator::Id("solved-yes")).await?).await?;
        wait_for(&c, Locator::Id("action-result"))
            .await?
            .send_keys("已联系交警拖离车辆，并在通道处安装隔离桩。")
            .await?;
        screenshot(&c, "dept1-2-return-sheet").await;
        tap(&c, c.find(Locator::Id("action-submit")).await?).await?;
        let deadline = Instant::now() + WAIT;
        loop {
            let item = app.get(Some(&dispatcher), &format!("/api/items/{id}")).await.body;
            if item["status"] == "solved" {
                assert_eq!(item["ledger"]["outcome"], "solved_by_dept_in_10_days");
                break;
            }
            assert!(Instant::now() < deadline, "the sheet was not returned: {item:?}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }

        // The sheet's print view, laid out like 附件2.
        c.goto(&format!("{}/items/{id}/sheet", app.address)).await?;
        let sheet = wait_for(&c, Locator::Css(".sheet")).await?.text().await?;
        for label in
            ["民情速递处置反馈单", "收集时间", "交办责任单位或部门", "接单时间", "返单时间", "10日内", "主要领导签字"]
        {
            assert!(sheet.contains(label), "the sheet has {label}:\n{sheet}");
        }
        assert!(sheet.contains("新华街道2026") || sheet.contains("新华街道20"), "the sheet number:\n{sheet}");
        assert!(sheet.contains("市住房和城乡建设局"), "the department:\n{sheet}");
        emulate_print(&c).await?;
        screenshot_page(&c, "dept1-3-sheet-print").await;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_resident_rates_in_three_taps_and_the_community_sees_the_follow_up() {
    skip_unless_enabled!();
    run("resident", |c, app| async move {
        // An item the community solved and told the resident about, through the API.
        let grid1 = app.token("grid1").await;
        let grid = app.unit_id(&grid1, "新华街道 / 和平社区 / 和平社区第一党群服务站 / 第一网格").await;
        let body = json!({
            "id": "00000000-0000-4000-8000-0000000000bb", "channel": "wechat_visit", "source": "visit",
            "item_type": "public_facilities", "level": "general", "place_id": grid,
            "resident_name": "赵大妈", "resident_phone": "13911112222",
            "content": "楼下路灯不亮，晚上出门害怕。",
        });
        let made = app.post(Some(&grid1), "/api/items", &body).await;
        assert_eq!(made.status, 201, "{:?}", made.body);
        let id = made.body["id"].as_str().unwrap().to_string();
        let secretary = app.token("community1").await;
        let r = app
            .post(
                Some(&secretary),
                &format!("/api/items/{id}/solve-locally"),
                &json!({"version": 1, "result": "已更换路灯灯泡。"}),
            )
            .await;
        assert_eq!(r.status, 200, "{:?}", r.body);

        // The grid leader issues the link on the item page and sees its QR code.
        sign_in(&c, &app.address, "grid1", &app.demo_password).await?;
        c.goto(&format!("{}/items/{id}", app.address)).await?;
        tap(&c, wait_for(&c, Locator::Id("issue-resident-link")).await?).await?;
        wait_for(&c, Locator::Css("#resident-qr svg")).await?;
        let url = value_of(&c, "#resident-link-url").await?;
        assert!(url.contains("/r/"), "the link: {url}");
        screenshot(&c, "grid1-link-qr").await;

        // The resident opens it on their own phone: no account.
        c.execute("localStorage.clear(); sessionStorage.clear();", vec![]).await?;
        let path = &url[url.find("/r/").unwrap()..];
        c.goto(&format!("{}{path}", app.address)).await?;
        let page = wait_for(&c, Locator::Css("button[data-q='timely'][data-a='satisfied']")).await?;
        let text = c.find(Locator::Css("body")).await?.text().await?;
        assert!(text.contains("楼下路灯不亮") && text.contains("已更换路灯灯泡"), "the resident's page:\n{text}");
        assert!(!text.contains("赵大妈") && !text.contains("13911112222") && !text.contains("王建华"), "{text}");
        screenshot(&c, "resident-1-page").await;
        tap(&c, page).await?;
        tap(&c, c.find(Locator::Css("button[data-q='attitude'][data-a='basically']")).await?).await?;
        tap(&c, c.find(Locator::Css("button[data-q='result'][data-a='dissatisfied']")).await?).await?;
        let thanks = wait_for(&c, Locator::Id("rating-thanks")).await?.text().await?;
        assert!(thanks.contains("感谢您的评价"), "{thanks}");
        screenshot_page(&c, "resident-2-thanks").await;

        // The community sees the follow-up.
        sign_in(&c, &app.address, "community1", &app.demo_password).await?;
        c.goto(&format!("{}/follow-ups", app.address)).await?;
        let open = wait_for(&c, Locator::Css(&format!("#open-follow-ups .follow-up[data-item-id='{id}']"))).await?;
        let text = open.text().await?;
        assert!(text.contains("不满意"), "the follow-up shows the answers:\n{text}");
        screenshot(&c, "community1-follow-up").await;
        Ok(())
    })
    .await;
}
