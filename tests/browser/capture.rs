//! Capturing items on a phone and reading them in the ledger: photos, a major item, channel and place pickers.

use fantoccini::{Client, Locator};
use serde_json::json;

use super::*;

#[tokio::test]
async fn grid_leader_captures_an_item_with_a_photo() {
    skip_unless_enabled!();
    run("capture", |c, app| async move {
        const CONTENT: &str = "3号楼北侧路灯坏了一个星期，晚上出行不便，请尽快修理。";
        sign_in(&c, &app.address, "grid1", &app.demo_password).await?;
        c.find(Locator::Id("capture-button")).await?.click().await?;
        wait_for(&c, Locator::Id("capture-form")).await?;

        // The channel is preset for a grid leader: 微信走访, 入户走访.
        let channel = c.find(Locator::Css(".channel-group")).await?.text().await?;
        assert!(channel.contains("微信走访"), "the channel is preset:\n{channel}");
        let visit = c.find(Locator::Css("button[data-source='visit']")).await?;
        assert_eq!(visit.attr("aria-pressed").await?.as_deref(), Some("true"), "入户走访 is chosen");

        tap(&c, c.find(Locator::Css("button[data-type='public_facilities']")).await?).await?;

        // 重大性 asks first; cancelling keeps 一般性.
        tap(&c, c.find(Locator::Id("level-major")).await?).await?;
        let dialog = wait_for(&c, Locator::Css(".modal")).await?.text().await?;
        assert!(dialog.contains("直报市委书记、市长"), "the major-level dialog explains itself:\n{dialog}");
        c.find(Locator::Id("cancel-major")).await?.click().await?;
        let major = c.find(Locator::Id("level-major")).await?;
        assert_eq!(major.attr("aria-pressed").await?.as_deref(), Some("false"), "still 一般性 after cancelling");

        let building = wait_for(&c, Locator::Css("button[data-place-kind='building']")).await?;
        let building_name = building.text().await?;
        tap(&c, building).await?;

        c.find(Locator::Id("resident-name")).await?.send_keys("李大爷").await?;
        c.find(Locator::Id("resident-phone")).await?.send_keys("139 0000 1111").await?;
        c.find(Locator::Id("content")).await?.send_keys(CONTENT).await?;
        // Leaving the phone field normalises the number.
        assert_eq!(value_of(&c, "#resident-phone").await?, "13900001111", "the phone is normalised on blur");

        // The access token has expired by the time the photo goes up: the upload refreshes it and tries again.
        app.state.clock.advance(chrono::Duration::minutes(16));
        let dir = tempfile::tempdir()?;
        let jpeg = write_test_jpeg(dir.path())?;
        c.find(Locator::Id("photo-input")).await?.send_keys(&jpeg.to_string_lossy()).await?;
        wait_for(&c, Locator::Css(".photo-slot[data-state='done']")).await?;
        screenshot_page(&c, "grid1-4-capture-filled").await;

        // The draft survives a reload: fields, the chosen building and the uploaded photo.
        c.refresh().await?;
        wait_for(&c, Locator::Id("capture-form")).await?;
        wait_for(&c, Locator::Css(".photo-slot[data-state='done']")).await?;
        assert_eq!(value_of(&c, "#content").await?, CONTENT, "the content is restored from the draft");
        assert_eq!(value_of(&c, "#resident-name").await?, "李大爷");
        let chosen = wait_for(&c, Locator::Css("button[data-place-kind='building'][aria-pressed='true']")).await?;
        assert_eq!(chosen.text().await?, building_name, "the building is restored");

        c.find(Locator::Id("save-item")).await?.click().await?;
        let page = wait_for(&c, Locator::Css("#item-fields")).await?;
        let _ = page;
        let root = c.find(Locator::Id("item-page")).await?;
        let item_id = root.attr("data-item-id").await?.ok_or("the item page names its item")?;
        wait_for(&c, Locator::Css("#item-page .item-photo img")).await?;
        wait_for(&c, Locator::Css("#item-page .timeline .event")).await?;
        let text = root.text().await?;
        for expected in [CONTENT, "公共设施", "一般性", "微信走访", "王建华", "李大爷", &building_name, "照片（1张）"]
        {
            assert!(text.contains(expected), "the item page shows {expected}:\n{text}");
        }
        screenshot_page(&c, "grid1-5-item").await;

        // Saved: the draft is gone.
        let draft = c.execute("return localStorage.getItem('minqing.capture.draft');", vec![]).await?;
        assert!(draft.is_null(), "the draft is removed after saving: {draft}");

        c.goto(&format!("{}/items", app.address)).await?;
        let row = wait_for(&c, Locator::Css(&format!("#my-items .item-row[data-item-id='{item_id}']"))).await?;
        let row_text = row.text().await?;
        assert!(
            row_text.contains("公共设施") && row_text.contains("照片1张"),
            "my items lists the item with its type and photo count:\n{row_text}"
        );
        screenshot(&c, "grid1-6-my-items").await;

        // The station head finds it in the ledger.
        c.goto(&format!("{}/", app.address)).await?;
        wait_for(&c, Locator::Id("logout")).await?.click().await?;
        wait_for(&c, Locator::Id("login-submit")).await?;
        sign_in(&c, &app.address, "station1", &app.demo_password).await?;
        c.find(Locator::Id("ledger-link")).await?.click().await?;
        let row = wait_for(&c, Locator::Css(&format!("#ledger [data-item-id='{item_id}']"))).await?;
        let row_text = row.text().await?;
        assert!(
            row_text.contains("王建华") && row_text.contains("和平社区"),
            "the ledger row shows the collector and community:\n{row_text}"
        );
        wait_for(&c, Locator::Id("ledger-export")).await?;
        wait_for(&c, Locator::Id("ledger-print")).await?;
        screenshot_page(&c, "station1-7-ledger").await;

        // A row leads to the item page.
        row.find(Locator::Css(".c-summary")).await?.click().await?;
        let root = wait_for(&c, Locator::Id("item-page")).await?;
        assert_eq!(root.attr("data-item-id").await?.as_deref(), Some(item_id.as_str()));
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn station_head_captures_a_major_item_and_reads_the_ledger_on_a_desk() {
    skip_unless_enabled!();
    run_on(Screen::Desk, "ledger_desk", |c, app| async move {
        // Two items from the grid leader, through the API.
        let grid1 = app.token("grid1").await;
        let grid = app.unit_id(&grid1, "新华街道 / 和平社区 / 和平社区第一党群服务站 / 第一网格").await;
        for (n, content) in ["2号楼电梯经常停运，老人上下楼困难。", "小区门口下水道堵塞，雨天积水。"].iter().enumerate()
        {
            let body = json!({
                "id": format!("00000000-0000-4000-8000-00000000000{n}"), "channel": "wechat_visit", "source": "visit",
                "item_type": "property_housing", "level": "general", "place_id": grid, "content": content,
            });
            let made = app.post(Some(&grid1), "/api/items", &body).await;
            assert_eq!(made.status, 201, "create: {:?}", made.body);
        }

        sign_in(&c, &app.address, "station1", &app.demo_password).await?;
        c.find(Locator::Id("capture-button")).await?.click().await?;
        wait_for(&c, Locator::Id("capture-form")).await?;
        let channel = c.find(Locator::Css(".channel-group")).await?.text().await?;
        assert!(channel.contains("电话信箱"), "a station head's channel is preset:\n{channel}");
        tap(&c, c.find(Locator::Css("button[data-source='hotline']")).await?).await?;
        tap(&c, c.find(Locator::Css("button[data-type='safety_environment']")).await?).await?;

        // Saving without content names the missing fields next to them.
        c.find(Locator::Id("save-item")).await?.click().await?;
        let errors = wait_for(&c, Locator::Css(".field-error")).await?;
        let _ = errors;
        let form_text = c.find(Locator::Id("capture-form")).await?.text().await?;
        assert!(
            form_text.contains("请填写居民反映的内容") && form_text.contains("请选择地点"),
            "the missing content and place are named:\n{form_text}"
        );

        tap(&c, c.find(Locator::Id("level-major")).await?).await?;
        wait_for(&c, Locator::Id("confirm-major")).await?.click().await?;
        let major = c.find(Locator::Id("level-major")).await?;
        assert_eq!(major.attr("aria-pressed").await?.as_deref(), Some("true"), "重大性 after confirming");

        // A station head picks a grid, then a building of it.
        tap(&c, wait_for(&c, Locator::Css("button[data-grid-id]")).await?).await?;
        tap(&c, wait_for(&c, Locator::Css("button[data-place-kind='building']")).await?).await?;
        c.find(Locator::Id("content")).await?.send_keys("居民来电反映：小区燃气管道有异味，担心泄漏。").await?;
        c.find(Locator::Id("save-item")).await?.click().await?;
        let root = wait_for(&c, Locator::Css("#item-fields")).await?;
        let text = root.text().await?;
        assert!(text.contains("重大性") && text.contains("电话信箱（民生服务热线）"), "the item page:\n{text}");

        c.goto(&format!("{}/ledger", app.address)).await?;
        wait_for_rows(&c, 3).await?;
        let count = c.find(Locator::Css(".ledger-bar .count")).await?.text().await?;
        assert_eq!(count, "共3条");
        let head = c.find(Locator::Css("#ledger thead")).await?.text().await?;
        for column in [
            "序号",
            "收集时间",
            "收集人",
            "收集方式",
            "类型",
            "级别",
            "是否办结",
            "办结时间",
            "办结情况",
            "是否向居民反馈结果",
            "反馈时间",
            "反馈人",
            "社区",
            "内容摘要",
        ] {
            assert!(head.contains(column), "the ledger has the column {column}:\n{head}");
        }
        screenshot(&c, "station1-9-ledger-desk").await;

        // Filtering by level leaves the major item alone.
        c.find(Locator::Css("#filter-level option[value='major']")).await?.click().await?;
        wait_for_rows(&c, 1).await?;
        let row = c.find(Locator::Css("#ledger tbody tr[data-item-id]")).await?.text().await?;
        assert!(row.contains("燃气管道"), "the major item remains:\n{row}");
        c.find(Locator::Css("#filter-level option[value='']")).await?.click().await?;
        wait_for_rows(&c, 3).await?;

        // The export downloads without an error.
        c.execute(
            "window.__downloads = 0; var made = URL.createObjectURL.bind(URL);
             URL.createObjectURL = function (b) { window.__downloads += 1; return made(b); };",
            vec![],
        )
        .await?;
        c.find(Locator::Id("ledger-export")).await?.click().await?;
        until("the export hands a file to the browser", || async {
            let n = c.execute("return window.__downloads;", vec![]).await?;
            let errors = c.find_all(Locator::Css(".error-box")).await?.len();
            Ok((n.as_u64() == Some(1) && errors == 0).then_some(()).ok_or(format!("{n} files, {errors} errors")))
        })
        .await?;
        wait_for(&c, Locator::XPath("//button[@id='ledger-export' and not(@disabled)]")).await?;
        assert!(c.find_all(Locator::Css(".error-box")).await?.is_empty(), "the export failed");

        emulate_print(&c).await?;
        screenshot(&c, "station1-10-ledger-print").await;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn community_secretary_chooses_the_channel_and_a_place_from_a_list() {
    skip_unless_enabled!();
    run("capture_community", |c, app| async move {
        sign_in(&c, &app.address, "community1", &app.demo_password).await?;
        c.find(Locator::Id("capture-button")).await?.click().await?;
        wait_for(&c, Locator::Id("capture-form")).await?;
        // No preset: the four channels to choose from.
        assert_eq!(c.find_all(Locator::Css("button[data-channel]")).await?.len(), 4, "four channels");
        tap(&c, c.find(Locator::Css("button[data-channel='reception']")).await?).await?;
        tap(&c, c.find(Locator::Css("button[data-type='social_security']")).await?).await?;
        let place = wait_for(&c, Locator::Css("#place-select option[value]:not([value=''])")).await?;
        let place_label = place.text().await?;
        assert!(place_label.contains("和平社区"), "the places are the community's own: {place_label}");
        // A grid of the community.
        let grid =
            c.find(Locator::XPath("//select[@id='place-select']/option[contains(., '第一网格（网格）')]")).await?;
        grid.click().await?;
        c.find(Locator::Id("content")).await?.send_keys("居民在定点接待日反映：养老金认证不会操作。").await?;
        screenshot_page(&c, "community1-1-capture").await;
        tap(&c, c.find(Locator::Id("save-item")).await?).await?;
        let root = wait_for(&c, Locator::Css("#item-fields")).await?;
        let text = root.text().await?;
        assert!(text.contains("定点接待") && text.contains("社会保障"), "the item page:\n{text}");
        Ok(())
    })
    .await;
}

/// The number of ledger rows shown, waiting until it is `n`.
async fn wait_for_rows(c: &Client, n: usize) -> Result {
    until(&format!("the ledger shows {n} rows"), || async {
        let rows = c.find_all(Locator::Css("#ledger tbody tr[data-item-id]")).await?.len();
        Ok((rows == n).then_some(()).ok_or(format!("{rows} rows")))
    })
    .await
}
