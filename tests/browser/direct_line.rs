//! 加急直报 on a phone (第七条4): the street leader logs on a major item the report made to the city's secretary by
//! phone, and it shows on the item.

use fantoccini::Locator;
use serde_json::json;

use super::*;

#[tokio::test]
async fn the_street_leader_logs_a_report_made_by_phone() {
    skip_unless_enabled!();
    run("direct-line", |c, app| async move {
        let grid1 = app.token("grid1").await;
        let building = app.unit_id(&grid1, "新华街道 / 和平社区 / 和平社区第一党群服务站 / 第一网格 / 3号楼").await;
        let body = json!({
            "id": "00000000-0000-4000-8000-0000000000f1", "channel": "wechat_visit", "source": "visit",
            "item_type": "safety_environment", "level": "major", "place_id": building,
            "content": "3号楼燃气泄漏，气味很大。", "callback_consent": false,
        });
        let made = app.post(Some(&grid1), "/api/items", &body).await;
        assert_eq!(made.status, 201, "{:?}", made.body);

        sign_in(&c, &app.address, "street1", &app.demo_password).await?;
        c.goto(&format!("{}/items/00000000-0000-4000-8000-0000000000f1", app.address)).await?;
        wait_for(&c, Locator::Id("leader-report-form")).await?;
        tap(&c, c.find(Locator::Id("leader-report-submit")).await?).await?;
        let asked = wait_for(&c, Locator::Css("#leader-report-form .field-error")).await?.text().await?;
        assert!(asked.contains("报告方式"), "{asked}");
        tap(&c, c.find(Locator::Css("button[data-how='phone']")).await?).await?;
        c.find(Locator::Id("leader-report-to")).await?.send_keys("市委书记").await?;
        c.find(Locator::Id("leader-report-note")).await?.send_keys("已报告，要求今晚前排除险情。").await?;
        tap(&c, c.find(Locator::Id("leader-report-submit")).await?).await?;
        let logged = wait_for(&c, Locator::Css(".leader-report")).await?.text().await?;
        assert!(logged.contains("电话") && logged.contains("向市委书记报告") && logged.contains("赵强"), "{logged}");
        screenshot(&c, "direct-line-logged").await;
        Ok(())
    })
    .await;
}
