//! 督查室催办 on a phone (第八条′): the supervision office chases an item from its page; the department answers with
//! what it will do and a promised date, and the supervision office sees the answer.

use fantoccini::Locator;
use serde_json::json;

use super::*;

#[tokio::test]
async fn the_supervision_office_chases_and_the_department_answers_with_a_promised_date() {
    skip_unless_enabled!();
    run("chases", |c, app| async move {
        let id = item_at_street(&app, "00000000-0000-4000-8000-0000000000c7", "2号楼电梯经常停运。").await?;
        let dispatcher = app.token("dispatcher1").await;
        let housing = app.unit_id(&dispatcher, "市住房和城乡建设局").await;
        let body = json!({"version": 2, "department_id": housing});
        let r = app.post(Some(&dispatcher), &format!("/api/items/{id}/dispatch"), &body).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        let dept1 = app.token("dept1").await;
        let r = app.post(Some(&dept1), &format!("/api/items/{id}/accept"), &json!({"version": 3})).await;
        assert_eq!(r.status, 200, "{:?}", r.body);

        sign_in(&c, &app.address, "supervisor1", &app.demo_password).await?;
        c.goto(&format!("{}/items/{id}", app.address)).await?;
        tap(&c, wait_for(&c, Locator::Id("item-chase-submit")).await?).await?;
        let asked = wait_for(&c, Locator::Css("#item-chase-form .field-error")).await?.text().await?;
        assert!(asked.contains("催办内容"), "{asked}");
        c.find(Locator::Id("item-chase-note")).await?.send_keys("请说明电梯维修进展。").await?;
        tap(&c, c.find(Locator::Id("item-chase-submit")).await?).await?;
        let waiting = wait_for(&c, Locator::Css(".chase-item .chase-waiting")).await?.text().await?;
        assert!(waiting.contains("待市住房和城乡建设局"), "{waiting}");

        switch_to(&c, &app.address, "dept1", &app.demo_password).await?;
        c.goto(&format!("{}/items/{id}", app.address)).await?;
        wait_for(&c, Locator::Css(".chase-reply-text")).await?.send_keys("已联系维保公司，周五前修复。").await?;
        tap(&c, c.find(Locator::Css(".chase-reply-submit")).await?).await?;
        let answer = wait_for(&c, Locator::Css(".chase-item .chase-answer")).await?.text().await?;
        assert!(answer.contains("周五前修复") && answer.contains("承诺"), "{answer}");
        screenshot(&c, "chases-answered").await;

        let supervisor = app.token("supervisor1").await;
        let item = app.get(Some(&supervisor), &format!("/api/items/{id}")).await;
        assert_eq!(item.body["journey"]["chases"][0]["reply"], "已联系维保公司，周五前修复。");
        Ok(())
    })
    .await;
}
