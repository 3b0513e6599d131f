//! The leaders' desks and the supervision office's teeth in the browser (issue 18): the city offices write and submit
//! the month's 研判 with a measure; the city leader opens it and it shows read; the supervision office refers a unit
//! to 纪检监察 and opens its printable dossier.

use fantoccini::Locator;
use serde_json::json;

use super::*;

/// Sets an input's value as typing would (date inputs take no keys in a locale-free way).
async fn set_value(c: &fantoccini::Client, css: &str, value: &str) -> Result {
    let script = "const e = document.querySelector(arguments[0]); e.value = arguments[1]; \
                  e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true}));";
    c.execute(script, vec![json!(css), json!(value)]).await?;
    Ok(())
}

#[tokio::test]
async fn the_offices_submit_a_judgement_the_leader_reads_it_and_a_unit_is_referred_with_its_dossier() {
    skip_unless_enabled!();
    let app = tests::spawn_app_at(tests::city_time(2026, 12, 2, 10, 0)).await;
    run_with(Screen::Desk, "leaders_desk", app, |c, app| async move {
        let admin = app.token("admin").await;
        let housing = app.unit_id(&admin, "市住房和城乡建设局").await;

        sign_in(&c, &app.address, "analyst1", &app.demo_password).await?;
        c.goto(&format!("{}/analysis?year=2026&month=11", app.address)).await?;
        wait_for(&c, Locator::Id("judgement-risks-input"))
            .await?
            .send_keys("老旧小区供暖投诉集中，入冬后风险上升。")
            .await?;
        c.find(Locator::Css(".measure-text")).await?.send_keys("开展供暖专项排查").await?;
        let option = format!(".measure-holder option[value='{housing}']");
        wait_for(&c, Locator::Css(&option)).await?;
        set_value(&c, ".measure-holder", &housing.to_string()).await?;
        set_value(&c, ".measure-due", "2026-12-20").await?;
        tap(&c, c.find(Locator::Id("judgement-submit")).await?).await?;
        let status = wait_for(&c, Locator::Id("judgement-status")).await?.text().await?;
        assert!(status.contains("报送市领导"), "{status}");
        let row = wait_for(&c, Locator::Css("#judgement-measures .measure")).await?.text().await?;
        assert!(row.contains("开展供暖专项排查") && row.contains("市住房和城乡建设局"), "{row}");
        let unread = wait_for(&c, Locator::Css("#judgement-receipts .receipt")).await?.text().await?;
        assert!(unread.contains("未阅"), "{unread}");

        switch_to(&c, &app.address, "leader1", &app.demo_password).await?;
        c.goto(&format!("{}/analysis?year=2026&month=11", app.address)).await?;
        until("the leader's reading to show", || async {
            let text = c.find(Locator::Css("#judgement-receipts .receipt")).await.ok();
            let text = match text {
                Some(e) => e.text().await.unwrap_or_default(),
                None => String::new(),
            };
            Ok(if text.contains("已阅") { Ok(()) } else { Err(text) })
        })
        .await?;
        screenshot(&c, "judgement-read").await;

        // The supervision office refers the housing bureau after chasing its item.
        let id = item_at_street(&app, "00000000-0000-4000-8000-0000000000d1", "3号楼暖气不热。").await?;
        let dispatcher = app.token("dispatcher1").await;
        let r = app
            .post(
                Some(&dispatcher),
                &format!("/api/items/{id}/dispatch"),
                &json!({"version": 2, "department_id": housing}),
            )
            .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        let supervisor = app.token("supervisor1").await;
        let r =
            app.post(Some(&supervisor), &format!("/api/items/{id}/chase"), &json!({"note": "请尽快接单办理"})).await;
        assert_eq!(r.status, 204, "{:?}", r.body);

        switch_to(&c, &app.address, "supervisor1", &app.demo_password).await?;
        c.goto(&format!("{}/supervision", app.address)).await?;
        tap(&c, wait_for(&c, Locator::Css(&format!(".refer[data-unit-id='{housing}']"))).await?).await?;
        tap(&c, wait_for(&c, Locator::Id("referral-submit")).await?).await?;
        let refused =
            wait_for(&c, Locator::Css("#referral-form .error-box, #referral-form .field-error")).await?.text().await?;
        assert!(refused.contains("移交理由"), "{refused}");
        c.find(Locator::Id("referral-reason")).await?.send_keys("多次催办不回复，推诿扯皮").await?;
        tap(&c, c.find(Locator::Id("referral-submit")).await?).await?;
        let card = wait_for(&c, Locator::Css(".referral[data-status='referred']")).await?.text().await?;
        assert!(card.contains("市住房和城乡建设局") && card.contains("已移交"), "{card}");
        tap(&c, c.find(Locator::Css(".referral .dossier-link")).await?).await?;
        let reason = wait_for(&c, Locator::Id("dossier-reason")).await?.text().await?;
        assert!(reason.contains("推诿扯皮"), "{reason}");
        let items = wait_for(&c, Locator::Css("#dossier-items .evidence")).await?;
        assert_eq!(items.attr("data-item-id").await?.as_deref(), Some(id.as_str()));
        screenshot(&c, "dossier").await;
        Ok(())
    })
    .await;
}
