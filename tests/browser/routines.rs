//! The collection routines' pages beyond the grid leader's day: the reception-day form (第六条4).

use fantoccini::Locator;

use super::{run_on, screenshot, sign_in, tap, wait_for, Screen};

#[tokio::test]
async fn a_station_head_records_a_reception_for_the_street_leader_offered_before_any_plan() {
    skip_unless_enabled!();
    run_on(Screen::Phone, "reception-hosts", |c, app| async move {
        let street1 = app.token("street1").await;
        let street_leader = app.get(Some(&street1), "/api/me").await.body["id"].as_i64().ok_or("street1's id")?;

        // Nothing is planned yet: the form still offers whoever may host at the station, with their roles.
        sign_in(&c, &app.address, "station1", &app.demo_password).await?;
        c.goto(&format!("{}/receptions", app.address)).await?;
        wait_for(&c, Locator::Css("#reception-host option[value]:not([value=''])")).await?;
        let select = wait_for(&c, Locator::Id("reception-host")).await?;
        let offered = select.text().await?;
        assert!(offered.contains("赵强（街道书记/主任）"), "{offered}");
        assert!(offered.contains("刘伟（社区书记）"), "{offered}");
        assert!(c.find_all(Locator::Id("reception-host-hint")).await?.is_empty(), "no 'nobody to host' hint");

        let leader_option = select.find(Locator::Css(&format!("option[value='{street_leader}']"))).await?;
        tap(&c, leader_option).await?;
        let residents = c.find(Locator::Id("reception-residents")).await?;
        residents.clear().await?;
        residents.send_keys("3").await?;
        c.find(Locator::Id("reception-notes")).await?.send_keys("接待居民3人，反映小区停车难。").await?;
        screenshot(&c, "reception-hosts-1-form").await;
        tap(&c, c.find(Locator::Id("reception-save")).await?).await?;

        // The record names the street leader as host, and so does the server.
        let host_cell = wait_for(&c, Locator::Id("reception-host-name")).await?;
        assert!(host_cell.text().await?.contains("赵强"), "{}", host_cell.text().await?);
        assert_eq!(host_cell.attr("data-host-id").await?, Some(street_leader.to_string()));
        screenshot(&c, "reception-hosts-2-record").await;
        Ok(())
    })
    .await;
}
