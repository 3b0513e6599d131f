//! Residents' personal information: the city's administrator finds a resident's item by phone number on a phone and
//! masks the name and number with a reason.

use fantoccini::Locator;
use serde_json::json;

use super::*;

#[tokio::test]
async fn the_administrator_finds_a_residents_item_by_phone_and_masks_it() {
    skip_unless_enabled!();
    run("privacy", |c, app| async move {
        let grid1 = app.token("grid1").await;
        let grid = app.unit_id(&grid1, "新华街道 / 和平社区 / 和平社区第一党群服务站 / 第一网格").await;
        let body = json!({
            "id": "00000000-0000-4000-8000-0000000000d1", "channel": "wechat_visit", "source": "visit",
            "item_type": "public_facilities", "level": "general", "place_id": grid,
            "content": "小区门口路灯不亮，晚上出行不便。", "resident_name": "赵大姐", "resident_phone": "13655556666",
            "callback_consent": true,
        });
        let made = app.post(Some(&grid1), "/api/items", &body).await;
        assert_eq!(made.status, 201, "{:?}", made.body);

        sign_in(&c, &app.address, "admin", &app.demo_password).await?;
        tap(&c, wait_for(&c, Locator::Id("privacy-link")).await?).await?;
        wait_for(&c, Locator::Id("privacy-phone")).await?.send_keys("136 5555 6666").await?;
        tap(&c, c.find(Locator::Css("#privacy-search button[type='submit']")).await?).await?;
        let found = wait_for(&c, Locator::Css("#privacy-found[data-count='1']")).await?.text().await?;
        assert!(found.contains("路灯不亮") && found.contains("赵大姐"), "the item and its resident:\n{found}");
        screenshot(&c, "privacy-found").await;

        // Masking asks for a reason, then for confirmation.
        tap(&c, c.find(Locator::Id("privacy-mask-submit")).await?).await?;
        let confirm = c.find(Locator::Id("privacy-mask-submit")).await?.text().await?;
        assert!(confirm.contains("确认"), "a second tap confirms: {confirm}");
        tap(&c, c.find(Locator::Id("privacy-mask-submit")).await?).await?;
        let missing = wait_for(&c, Locator::Css("#privacy-mask .field-error")).await?.text().await?;
        assert!(missing.contains("理由"), "the reason is asked for: {missing}");
        c.find(Locator::Id("privacy-reason")).await?.send_keys("居民本人电话申请删除").await?;
        tap(&c, c.find(Locator::Id("privacy-mask-submit")).await?).await?;
        tap(&c, c.find(Locator::Id("privacy-mask-submit")).await?).await?;
        let done = wait_for(&c, Locator::Id("privacy-done")).await?.text().await?;
        assert!(done.contains("已隐去1条"), "{done}");
        screenshot(&c, "privacy-masked").await;
        let item = app.get(Some(&grid1), "/api/items/00000000-0000-4000-8000-0000000000d1").await;
        assert_eq!(item.body["resident_name"], shared::privacy::MASKED_NAME);
        assert_eq!(item.body["resident_phone"], serde_json::Value::Null);
        Ok(())
    })
    .await;
}
