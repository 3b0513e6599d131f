//! 本市规定的时限 on the admin's phone: the clocks the regulation does not set are changed, checked by field, and saved.

use fantoccini::Locator;

use super::*;

#[tokio::test]
async fn the_administrator_sets_the_citys_own_clocks() {
    skip_unless_enabled!();
    run("clock", |c, app| async move {
        sign_in(&c, &app.address, "admin", &app.demo_password).await?;
        tap(&c, wait_for(&c, Locator::Id("clock-link")).await?).await?;
        let hint = wait_for(&c, Locator::Css("#city-clocks .hint")).await?.text().await?;
        assert!(hint.contains("本市") && hint.contains("不可更改"), "the regulation's clocks are set apart: {hint}");
        let accept = wait_for(&c, Locator::Id("city-accept-days")).await?;
        assert_eq!(accept.prop("value").await?.as_deref(), Some("1"));
        accept.clear().await?;
        accept.send_keys("0").await?;
        tap(&c, c.find(Locator::Id("city-clocks-save")).await?).await?;
        let refused = wait_for(&c, Locator::Css("#city-clocks-form .field-error")).await?.text().await?;
        assert!(refused.contains("部门接单时限"), "{refused}");
        accept.clear().await?;
        accept.send_keys("2").await?;
        let hours = c.find(Locator::Id("city-major-street-hours")).await?;
        hours.clear().await?;
        hours.send_keys("3").await?;
        tap(&c, c.find(Locator::Id("city-clocks-save")).await?).await?;
        wait_for(&c, Locator::Id("city-clocks-saved")).await?;
        screenshot(&c, "clock-city").await;
        let admin = app.token("admin").await;
        let saved = app.get(Some(&admin), "/api/settings/clock").await.body;
        assert_eq!(saved["city"]["accept_days"], 2, "{saved}");
        assert_eq!(saved["city"]["major_street_hours"], 3, "{saved}");
        assert_eq!(saved["working_days"], false, "{saved}");
        Ok(())
    })
    .await;
}
