//! Day 10 on a phone (第七条2): the department head sees that an item passed ten days unsolved, records the on-site
//! office — when, where, who attended, what was found, the measures — and the 返单 form then reads 是否现场办公：是.
//! The printed sheet names the street's dispatch as 发单.

use fantoccini::Locator;
use serde_json::json;

use super::*;

#[tokio::test]
async fn the_department_head_records_the_on_site_office_after_day_ten() {
    skip_unless_enabled!();
    run("onsite", |c, app| async move {
        let id =
            item_at_street(&app, "00000000-0000-4000-8000-0000000000e1", "3号楼地下管道漏水，地下室积水。").await?;
        let dispatcher = app.token("dispatcher1").await;
        let housing = app.unit_id(&dispatcher, "市住房和城乡建设局").await;
        let dispatched = app
            .post(
                Some(&dispatcher),
                &format!("/api/items/{id}/dispatch"),
                &json!({"version": 2, "department_id": housing}),
            )
            .await;
        assert_eq!(dispatched.status, 200, "{:?}", dispatched.body);
        let dept1 = app.token("dept1").await;
        let accepted = app.post(Some(&dept1), &format!("/api/items/{id}/accept"), &json!({"version": 3})).await;
        assert_eq!(accepted.status, 200, "{:?}", accepted.body);

        // Eleven days later the item is still being handled.
        app.state.clock.advance(chrono::Duration::days(11));
        sync_clock(&c, &app).await?;
        sign_in(&c, &app.address, "depthead1", &app.demo_password).await?;
        let alert = wait_for(&c, Locator::Id("queue-day-ten")).await?.text().await?;
        assert!(alert.contains("1条") && alert.contains("满10日"), "the home page tells the head: {alert}");
        c.goto(&format!("{}/queue", app.address)).await?;
        let badge = wait_for(&c, Locator::Css(&format!("a[href='/items/{id}'] .day-ten"))).await?.text().await?;
        assert!(badge.contains("须现场办公"), "{badge}");
        screenshot(&c, "onsite-1-queue").await;
        tap(&c, c.find(Locator::Css(&format!("a[href='/items/{id}']"))).await?).await?;
        wait_for(&c, Locator::Id("onsite-hint")).await?;
        let panel = c.find(Locator::Id("stage-panel")).await?.html(false).await?;
        assert!(panel.contains("时限依据") && panel.contains("制度规定"), "whose clock it is:\n{panel}");
        tap(&c, c.find(Locator::Id("onsite-open")).await?).await?;

        // Sent empty, each missing field is named.
        tap(&c, wait_for(&c, Locator::Id("onsite-submit")).await?).await?;
        let missing = wait_for(&c, Locator::Css("#onsite-form .field-error")).await?.text().await?;
        assert!(missing.contains("地点"), "{missing}");

        c.find(Locator::Id("onsite-place")).await?.send_keys("3号楼地下室").await?;
        c.find(Locator::Css("#onsite-attendees li:nth-child(1) .attendee-name")).await?.send_keys("周明").await?;
        tap(&c, c.find(Locator::Id("onsite-add-attendee")).await?).await?;
        let second = wait_for(&c, Locator::Css("#onsite-attendees li:nth-child(2)")).await?;
        second.find(Locator::Css(".attendee-name")).await?.send_keys("王大姐").await?;
        second.find(Locator::Css(".attendee-role")).await?.send_keys("居民代表").await?;
        c.find(Locator::Id("onsite-findings")).await?.send_keys("主管道锈蚀穿孔。").await?;
        c.find(Locator::Id("onsite-measures")).await?.send_keys("本周内更换主管道，物业配合排水。").await?;
        screenshot(&c, "onsite-2-form").await;
        tap(&c, c.find(Locator::Id("onsite-submit")).await?).await?;
        let record = wait_for(&c, Locator::Css(".onsite-record")).await?.text().await?;
        assert!(record.contains("周明（部门主要领导）") && record.contains("王大姐（居民代表）"), "{record}");
        assert!(record.contains("3号楼地下室") && record.contains("更换主管道"), "{record}");
        assert!(!c.find(Locator::Id("onsite-form")).await?.is_displayed().await?, "the form closes once recorded");
        screenshot(&c, "onsite-3-recorded").await;

        // The 返单 form now reads 是否现场办公：是.
        tap(&c, wait_for(&c, Locator::Css("button[data-action='return_sheet']")).await?).await?;
        let status = wait_for(&c, Locator::Id("onsite-status")).await?.text().await?;
        assert!(status.contains("是") && status.contains("1次"), "{status}");
        let dept1 = app.token("dept1").await;
        let item = app.get(Some(&dept1), &format!("/api/items/{id}")).await;
        assert_eq!(item.body["journey"]["onsite_records"][0]["kind"], "department_office");

        // The printed sheet's 发单时间/发单人 are the street's dispatch, which started the department's clock.
        c.goto(&format!("{}/items/{id}/sheet", app.address)).await?;
        let sent_by = wait_for(&c, Locator::Id("sheet-sent-by")).await?.text().await?;
        assert_eq!(sent_by.trim(), "陈静", "the street's dispatcher");
        let sent_at = c.find(Locator::Id("sheet-sent-at")).await?.text().await?;
        assert!(!sent_at.trim().is_empty());
        Ok(())
    })
    .await;
}
