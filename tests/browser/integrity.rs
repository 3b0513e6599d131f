//! Facts that cannot be bent: a correction (更正) after the community acted, with its reason on the evidence page.

use fantoccini::Locator;

use super::*;

#[tokio::test]
async fn a_community_secretary_corrects_a_sent_items_type_with_a_reason_and_the_evidence_shows_it() {
    skip_unless_enabled!();
    run("correction", |c, app| async move {
        const REASON: &str = "居民复核后说明是供水问题，登记时类型选错";
        // An item registered by the grid leader and sent to the street by the community, through the API.
        let id =
            item_at_street(&app, "00000000-0000-4000-8000-0000000000c0", "3号楼地下室管道漏水，积水已经没过脚踝。")
                .await?;

        // The grid leader is offered no correction; the community secretary is.
        sign_in(&c, &app.address, "grid1", &app.demo_password).await?;
        c.goto(&format!("{}/items/{id}", app.address)).await?;
        wait_for(&c, Locator::Id("item-fields")).await?;
        assert!(c.find(Locator::Id("correct-open")).await.is_err(), "no 更正 for the grid leader");
        switch_to(&c, &app.address, "community1", &app.demo_password).await?;
        c.goto(&format!("{}/items/{id}", app.address)).await?;
        tap(&c, wait_for(&c, Locator::Id("correct-open")).await?).await?;
        // Without a reason the form says which field is missing, and nothing is sent.
        tap(&c, wait_for(&c, Locator::Id("correct-submit")).await?).await?;
        let missing = wait_for(&c, Locator::Css("#correction-form .field-error")).await?.text().await?;
        assert!(missing.contains("更正理由"), "the reason is asked for: {missing}");
        c.find(Locator::Id("correct-reason")).await?.send_keys(REASON).await?;
        c.find(Locator::Css("#correct-type option[value='public_facilities']")).await?.click().await?;
        screenshot(&c, "correction-form").await;
        tap(&c, c.find(Locator::Id("correct-submit")).await?).await?;
        let done = wait_for(&c, Locator::Id("action-done")).await?.text().await?;
        assert!(done.contains("已更正"), "the page says it is done: {done}");
        let fields = c.find(Locator::Id("item-fields")).await?.text().await?;
        assert!(fields.contains("公共设施"), "the corrected type shows:\n{fields}");

        // The evidence page shows the correction with its reason and the type before and after.
        c.goto(&format!("{}/items/{id}/evidence", app.address)).await?;
        let row = wait_for(&c, Locator::Css("#evidence-events tr.evidence-event[data-kind='corrected']")).await?;
        let text = row.text().await?;
        assert!(text.contains("更正") && text.contains("刘伟"), "the correction and who made it:\n{text}");
        assert!(text.contains(&format!("更正理由：{REASON}")), "the reason:\n{text}");
        assert!(text.contains("类型：物业住房 → 公共设施"), "before → after:\n{text}");
        screenshot_page(&c, "correction-evidence").await;
        Ok(())
    })
    .await;
}
