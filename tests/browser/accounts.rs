//! Signing in, sessions and the administrator's pages: the home tiles, the organisation tree, accounts and
//! import, a reset password, expired tokens.

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use serde_json::json;

use super::*;

#[tokio::test]
async fn grid_leader_signs_in_and_sees_home() {
    skip_unless_enabled!();
    run("grid_leader", |c, app| async move {
        let home = sign_in(&c, &app.address, "grid1", &app.demo_password).await?;
        let text = home.text().await?;
        screenshot(&c, "grid1-2-home").await;
        assert!(text.contains("网格长"), "the home page shows the role label 网格长:\n{text}");
        assert!(text.contains("第一网格"), "the home page shows the grid 第一网格:\n{text}");
        assert!(text.contains("王建华"), "the home page greets the grid leader by name:\n{text}");
        // A grid leader does not manage the organisation.
        assert!(c.find_all(Locator::Css("a[href='/admin/org']")).await?.is_empty(), "no org tile for a grid leader");

        // Signing out leads back to the sign-in form.
        c.find(Locator::Id("logout")).await?.click().await?;
        wait_for(&c, Locator::Id("login-submit")).await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn admin_adds_a_grid_and_sees_it_in_the_tree() {
    skip_unless_enabled!();
    run("admin_org", |c, app| async move {
        let home = sign_in(&c, &app.address, "admin", &app.demo_password).await?;
        let text = home.text().await?;
        assert!(text.contains("系统管理员"), "the admin's role label is shown:\n{text}");
        screenshot(&c, "admin-2-home").await;

        c.find(Locator::Css("a[href='/admin/org']")).await?.click().await?;
        wait_for(&c, Locator::Css("#org-tree [data-unit-id]")).await?;
        open_node(&c, "新华街道").await?;
        open_node(&c, "和平社区").await?;
        let station = open_node(&c, "和平社区第一党群服务站").await?;
        let station_id = station.attr("data-unit-id").await?;
        screenshot(&c, "admin-3-org").await;

        station
            .find(Locator::XPath("./div[contains(@class,'unit-row')]/button[contains(@class,'add-child')]"))
            .await?
            .click()
            .await?;
        let kind = wait_for(&c, Locator::Id("new-unit-kind")).await?;
        kind.find(Locator::Css("option[value='grid']")).await?.click().await?;
        c.find(Locator::Id("new-unit-name")).await?.send_keys("测试新网格").await?;
        screenshot(&c, "admin-4-add-form").await;
        c.find(Locator::Id("new-unit-submit")).await?.click().await?;

        let added = wait_for(&c, Locator::XPath(&node_xpath("测试新网格"))).await?;
        let kind_text = added.text().await?;
        assert!(kind_text.contains("网格"), "the new node shows its kind:\n{kind_text}");
        // It sits under the station (the tree is drawn anew after the change, so compare ids, not elements).
        let parent = added.find(Locator::XPath("ancestor::li[@data-unit-id][1]")).await?;
        assert_eq!(parent.attr("data-unit-id").await?, station_id, "the new grid is under the station");
        screenshot_of(&c.find(Locator::Id("org-tree")).await?, "admin-5-added").await;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn admin_opens_accounts_and_import() {
    skip_unless_enabled!();
    run("admin_pages", |c, app| async move {
        sign_in(&c, &app.address, "admin", &app.demo_password).await?;
        c.find(Locator::Css("a[href='/admin/accounts']")).await?.click().await?;
        wait_for(&c, Locator::Css(".account-list [data-account-id]")).await?;
        let text = c.find(Locator::Css(".account-list")).await?.text().await?;
        assert!(text.contains("grid1"), "the account list shows grid1:\n{text}");
        screenshot(&c, "admin-6-accounts").await;
        c.find(Locator::Id("new-account")).await?.click().await?;
        wait_for(&c, Locator::Css(".account-form .place-select")).await?;
        screenshot_of(&c.find(Locator::Css(".account-form")).await?, "admin-7-new-account").await;

        c.goto(&format!("{}/admin/import", app.address)).await?;
        wait_for(&c, Locator::Id("import-submit")).await?.click().await?;
        let error = wait_for(&c, Locator::Css(".error-box")).await?.text().await?;
        assert!(error.contains("请先选择"), "uploading without a file asks for one:\n{error}");

        // A workbook without the template's sheets: nothing is imported and every problem is listed.
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("空白.xlsx");
        rust_xlsxwriter::Workbook::new().save(&path)?;
        c.find(Locator::Id("import-file")).await?.send_keys(&path.to_string_lossy()).await?;
        c.find(Locator::Id("import-submit")).await?.click().await?;
        let table = wait_for(&c, Locator::Id("import-problems")).await?.text().await?;
        assert!(table.contains("工作表") && table.contains("问题"), "the problems table has its headers:\n{table}");
        screenshot_of(&c.find(Locator::Css("main")).await?, "admin-8-import").await;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn reset_password_must_be_changed_before_anything_else() {
    skip_unless_enabled!();
    run("reset_password", |c, app| async move {
        let admin = app.token("admin").await;
        let found = app.get(Some(&admin), "/api/accounts?q=grid1").await;
        let id = found
            .body
            .as_array()
            .and_then(|list| list.iter().find(|a| a["username"] == "grid1").and_then(|a| a["id"].as_i64()));
        let id = id.ok_or_else(|| format!("grid1 not found: {:?}", found.body))?;
        let reset = app
            .post(Some(&admin), &format!("/api/accounts/{id}/reset-password"), &json!({"new_password": "Temp2026pass"}))
            .await;
        assert_eq!(reset.status, 204, "reset: {:?}", reset.body);

        c.goto(&format!("{}/login", app.address)).await?;
        wait_for(&c, Locator::Id("login")).await?.send_keys("grid1").await?;
        c.find(Locator::Id("password")).await?.send_keys("Temp2026pass").await?;
        c.find(Locator::Id("login-submit")).await?.click().await?;
        wait_for(&c, Locator::Id("password-submit")).await?;
        // The home page is out of reach until the password is changed.
        c.goto(&format!("{}/", app.address)).await?;
        wait_for(&c, Locator::Id("password-submit")).await?;
        screenshot(&c, "grid1-3-must-change").await;

        c.find(Locator::Id("current-password")).await?.send_keys("Temp2026pass").await?;
        c.find(Locator::Id("new-password")).await?.send_keys("Mine2026pass").await?;
        c.find(Locator::Id("repeat-password")).await?.send_keys("Mine2026pass").await?;
        c.find(Locator::Id("password-submit")).await?.click().await?;
        let home = wait_for(&c, Locator::Css("#home .role-card")).await?.text().await?;
        assert!(home.contains("网格长"), "home after the change:\n{home}");
        assert_eq!(app.login("grid1", "Mine2026pass").await.status, 200, "the new password works");
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn an_expired_token_is_refreshed_and_an_expired_session_leads_to_sign_in() {
    skip_unless_enabled!();
    run("refresh", |c, app| async move {
        sign_in(&c, &app.address, "admin", &app.demo_password).await?;

        // The access token (15 minutes) has expired: the app refreshes it and the page loads as usual.
        app.state.clock.advance(chrono::Duration::minutes(16));
        c.find(Locator::Css("a[href='/admin/org']")).await?.click().await?;
        wait_for(&c, Locator::Css("#org-tree [data-unit-id]")).await?;
        assert_eq!(c.current_url().await?.path(), "/admin/org");

        // The refresh token (30 days) has expired too: the app sends the person to sign in.
        app.state.clock.advance(chrono::Duration::days(31));
        c.find(Locator::Css(".topbar .back")).await?.click().await?;
        wait_for(&c, Locator::Id("home")).await?;
        c.find(Locator::Css("a[href='/admin/accounts']")).await?.click().await?;
        wait_for(&c, Locator::Id("login-submit")).await?;
        assert_eq!(c.current_url().await?.path(), "/login");
        Ok(())
    })
    .await;
}

/// The XPath of the tree node whose own name (not a descendant's) is `name`.
fn node_xpath(name: &str) -> String {
    format!(
        "//li[@data-unit-id][div[contains(@class,'unit-row')]//span[contains(@class,'unit-name') and normalize-space(.)='{name}']]"
    )
}

/// Waits for the tree node named `name` and opens it when it is closed.
async fn open_node(c: &Client, name: &str) -> Result<Element> {
    let node = wait_for(c, Locator::XPath(&node_xpath(name))).await?;
    if node.find_all(Locator::XPath("./ul[contains(@class,'unit-children')]")).await?.is_empty() {
        node.find(Locator::XPath("./div[contains(@class,'unit-row')]/button[contains(@class,'toggle')]"))
            .await?
            .click()
            .await?;
    }
    Ok(node)
}
