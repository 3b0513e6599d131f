//! A weak or missing signal: the app shell offline, the outbox sending everything once, lost answers, ended
//! sessions and records refused after they were queued.

use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use serde_json::json;

use super::*;

#[tokio::test]
async fn the_app_shell_opens_offline_after_one_online_visit() {
    skip_unless_enabled!();
    run("offline_shell", |c, app| async move {
        sign_in(&c, &app.address, "grid1", &app.demo_password).await?;
        wait_for_service_worker(&c).await?;

        // The network is cut (as DevTools' Offline switch does): the page and its wasm still open, from the shell the
        // service worker keeps, straight onto the grid leader's home with the offline banner.
        cdp::set_offline(&c, true).await?;
        c.goto(&format!("{}/", app.address)).await?;
        let home = wait_for(&c, Locator::Id("home")).await?;
        assert!(home.text().await?.contains("王建华"), "the signed-in home opens offline");
        let banner = wait_for(&c, Locator::Css(".offline-banner")).await?;
        assert!(banner.text().await?.contains("网络已断开"));
        screenshot(&c, "offline-1-home").await;
        // Another route of the app opens offline too (every route is the same page).
        c.goto(&format!("{}/capture", app.address)).await?;
        wait_for(&c, Locator::Id("content")).await?;
        screenshot(&c, "offline-2-capture").await;

        cdp::set_offline(&c, false).await?;
        c.goto(&format!("{}/", app.address)).await?;
        wait_for(&c, Locator::Id("home")).await?;
        let banners = c.find_all(Locator::Css(".offline-banner")).await?;
        assert!(banners.is_empty(), "no offline banner once the network is back");
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_grid_leader_captures_offline_and_the_outbox_sends_everything_once() {
    skip_unless_enabled!();
    run("outbox", |c, app| async move {
        let contents = ["地下室入口台阶破损，老人上下很危险。", "5号楼地下车库积水，车辆无法进出。"];
        const NOTE: &str = "群里居民反映地下室灯不亮，已记下。";
        const VISIT_NOTE: &str = "老人身体还好，提醒冬天注意取暖。";
        const TARGET: &str = "王秀兰（独居老人）";
        sign_in(&c, &app.address, "grid1", &app.demo_password).await?;
        // One online visit of the capture form and the day's visits keeps what they need to open offline.
        c.goto(&format!("{}/capture", app.address)).await?;
        wait_for(&c, Locator::Css("button[data-place-kind='building']")).await?;
        c.goto(&format!("{}/visits", app.address)).await?;
        wait_for(&c, Locator::Id("slot-wechat_group")).await?;
        c.goto(&format!("{}/", app.address)).await?;
        wait_for(&c, Locator::Id("home")).await?;
        wait_for_service_worker(&c).await?;
        assert_eq!(outbox_count(&c).await?, 0, "nothing waits at first");

        // No signal: two captures with a photo each and a visit are kept on the phone.
        cdp::set_offline(&c, true).await?;
        let dir = tempfile::tempdir()?;
        let jpeg = write_test_jpeg(dir.path())?;
        for content in contents {
            c.goto(&format!("{}/capture", app.address)).await?;
            wait_for(&c, Locator::Id("capture-form")).await?;
            tap(&c, wait_for(&c, Locator::Css("button[data-type='public_facilities']")).await?).await?;
            tap(&c, wait_for(&c, Locator::Css("button[data-place-kind='building']")).await?).await?;
            c.find(Locator::Id("content")).await?.send_keys(content).await?;
            c.find(Locator::Id("photo-input")).await?.send_keys(&jpeg.to_string_lossy()).await?;
            wait_for(&c, Locator::Css(".photo-slot[data-state='failed']")).await?;
            c.execute("window.__errs=[]; const o=console.error; console.error=function(...a){window.__errs.push(a.map(String).join(' ')); o.apply(console,a)}; const w=console.warn; console.warn=function(...a){window.__errs.push('W '+a.map(String).join(' ')); w.apply(console,a)}; window.addEventListener('error', e=>window.__errs.push('E '+String(e.message))); window.addEventListener('unhandledrejection', e=>window.__errs.push('R '+String(e.reason)));", vec![]).await?;
            tap(&c, c.find(Locator::Id("save-item")).await?).await?;
            let saved = match c.wait().at_most(WAIT).for_element(Locator::Id("outbox-saved")).await {
                Ok(e) => e.text().await?,
                Err(_) => {
                    let errs = c.execute("return JSON.stringify(window.__errs)", vec![]).await?;
                    return Err(format!("not saved; console: {errs}").into());
                }
            };
            assert!(saved.contains("已保存在手机上，联网后自动上传"), "the capture is kept on the phone: {saved}");
            assert_eq!(value_of(&c, "#content").await?, "", "the form is cleared");
        }
        c.goto(&format!("{}/visits", app.address)).await?;
        tap(&c, wait_for(&c, Locator::Id("slot-wechat_group")).await?).await?;
        wait_for(&c, Locator::Id("visit-note")).await?.send_keys(NOTE).await?;
        tap(&c, c.find(Locator::Id("visit-save")).await?).await?;
        let done = wait_for(&c, Locator::Id("visit-done")).await?.text().await?;
        assert!(done.contains("已保存在手机上"), "the visit is kept on the phone: {done}");
        // And a register visit: its card counts at once, before the server has it.
        tap(&c, wait_for(&c, Locator::Id("slot-special_group")).await?).await?;
        let form = wait_for(&c, Locator::Css("#slot-special_group #visit-form")).await?;
        let option = format!(".//label[contains(@class,'target-option')][contains(.,'{TARGET}')]");
        tap(&c, form.find(Locator::XPath(&option)).await?).await?;
        c.find(Locator::Id("visit-note")).await?.send_keys(VISIT_NOTE).await?;
        tap(&c, c.find(Locator::Id("visit-save")).await?).await?;
        let card = wait_for(&c, Locator::Css("#slot-special_group.done .queued-visit")).await?.text().await?;
        assert!(card.contains(TARGET) && card.contains("待上传"), "the visit counts, marked 待上传:\n{card}");
        let summary = wait_for(&c, Locator::Css("#visits-summary[data-done='1']")).await?.text().await?;
        assert!(summary.contains("已走访 1/3"), "the day counts the visit on the phone:\n{summary}");

        c.goto(&format!("{}/", app.address)).await?;
        wait_for(&c, Locator::Id("home")).await?;
        wait_for_outbox_count(&c, 4).await?;
        let line = c.find(Locator::Id("outbox-link")).await?.text().await?;
        assert!(line.contains("待上传 4 条"), "the home screen counts the records: {line}");
        screenshot(&c, "outbox-1-home-count").await;

        // The day, opened again with no signal, shows what is on the phone: the note and the visit, marked 待上传.
        c.goto(&format!("{}/visits", app.address)).await?;
        let wechat = wait_for(&c, Locator::Css("#slot-wechat_group.done .queued-visit[data-state='waiting']")).await?;
        let text = wechat.text().await?;
        assert!(text.contains(NOTE) && text.contains("待上传"), "the WeChat note waits on the phone:\n{text}");
        let card = c.find(Locator::Css("#slot-special_group.done")).await?.text().await?;
        assert!(card.contains(TARGET) && card.contains("✓ 已走访") && card.contains("待上传"), "the visit:\n{card}");
        let summary = wait_for(&c, Locator::Css("#visits-summary[data-done='1']")).await?.text().await?;
        assert!(summary.contains("已走访 1/3"), "the day counts the visit on the phone:\n{summary}");
        screenshot_page(&c, "outbox-2-visits-offline").await;

        // Closed and opened again with no signal: still there.
        c.goto(&format!("{}/", app.address)).await?;
        wait_for(&c, Locator::Id("home")).await?;
        wait_for_outbox_count(&c, 4).await?;
        tap(&c, c.find(Locator::Id("outbox-link")).await?).await?;
        wait_for(&c, Locator::Id("outbox-page")).await?;
        let deadline = Instant::now() + WAIT;
        while c.find_all(Locator::Css(".outbox-record")).await?.len() != 4 {
            assert!(Instant::now() < deadline, "the outbox page lists four records");
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        let page = c.find(Locator::Id("outbox-page")).await?.text().await?;
        for expected in ["民情", "走访", "待上传", "照片1张", "地下室入口台阶破损"] {
            assert!(page.contains(expected), "the outbox page shows {expected}:\n{page}");
        }
        screenshot_page(&c, "outbox-3-page").await;

        // The signal is back: the outbox sends by itself, while a retry storm (立即上传 pressed again and again, the
        // online event twice) sends nothing twice.
        cdp::set_offline(&c, false).await?;
        for _ in 0..4 {
            if let Some(button) = c.find_all(Locator::Id("outbox-send")).await?.into_iter().next() {
                let _ = button.click().await;
            }
        }
        c.execute(
            "window.dispatchEvent(new Event('online')); window.dispatchEvent(new Event('online'));",
            vec![],
        )
        .await?;
        let deadline = Instant::now() + Duration::from_secs(60);
        while !c.find_all(Locator::Css(".outbox-record")).await?.is_empty() {
            assert!(Instant::now() < deadline, "the outbox empties once the network is back");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        c.goto(&format!("{}/", app.address)).await?;
        wait_for(&c, Locator::Id("home")).await?;
        until("the phone's outbox store is empty", || async {
            let n = stored_outbox_records(&c).await?;
            Ok((n == 0).then_some(()).ok_or(format!("{n} records stored")))
        })
        .await?;
        wait_for_outbox_count(&c, 0).await?;
        assert!(c.find_all(Locator::Id("outbox-link")).await?.is_empty(), "the line is hidden at 0");

        // The server holds exactly those records, each once, with their photos.
        let token = app.token("grid1").await;
        let mine = app.get(Some(&token), "/api/items/mine").await;
        assert_eq!(mine.status, 200, "{:?}", mine.body);
        let rows = mine.body["rows"].as_array().cloned().unwrap_or_default();
        assert_eq!(rows.len(), 2, "exactly two items: {:?}", mine.body);
        for content in contents {
            let found: Vec<_> =
                rows.iter().filter(|r| r.to_string().contains(content)).collect();
            assert_eq!(found.len(), 1, "{content} is held once: {rows:?}");
            assert_eq!(found[0]["photo_count"].as_i64(), Some(1), "with its photo: {:?}", found[0]);
        }
        let day = app.get(Some(&token), "/api/visits/day").await;
        assert_eq!(day.status, 200, "{:?}", day.body);
        let mut visits = day.body["wechat"].as_array().cloned().unwrap_or_default();
        for slot in day.body["slots"].as_array().cloned().unwrap_or_default() {
            visits.extend(slot["visits"].as_array().cloned().unwrap_or_default());
        }
        let mut notes: Vec<String> = visits.iter().filter_map(|v| v["note"].as_str().map(str::to_string)).collect();
        notes.sort();
        let mut expected = vec![NOTE.to_string(), VISIT_NOTE.to_string()];
        expected.sort();
        assert_eq!(notes, expected, "exactly the two visits: {:?}", day.body);

        // The day loaded again: each shows once, as the server's, no longer 待上传.
        c.goto(&format!("{}/visits", app.address)).await?;
        wait_for(&c, Locator::Css("#slot-wechat_group.done .visit-line")).await?;
        let text = c.find(Locator::Id("slot-wechat_group")).await?.text().await?;
        assert_eq!(text.matches(NOTE).count(), 1, "the note shows once:\n{text}");
        assert!(!text.contains("待上传"), "the note is on the server:\n{text}");
        assert_eq!(c.find_all(Locator::Css(".queued-visit")).await?.len(), 0, "nothing waits on the phone");
        let card = c.find(Locator::Css("#slot-special_group.done")).await?.text().await?;
        assert_eq!(card.matches(VISIT_NOTE).count(), 1, "the visit shows once:\n{card}");
        let summary = c.find(Locator::Css("#visits-summary[data-done='1']")).await?.text().await?;
        assert!(summary.contains("已走访 1/3"), "the server counts the visit:\n{summary}");
        screenshot_page(&c, "outbox-4-visits-sent").await;

        // One's own recent items, read once online, can be read again with no signal.
        c.goto(&format!("{}/items", app.address)).await?;
        wait_for(&c, Locator::Css(".ledger-row, .item-row, li a[href^='/items/']")).await?;
        cdp::set_offline(&c, true).await?;
        c.goto(&format!("{}/items", app.address)).await?;
        let deadline = Instant::now() + WAIT;
        loop {
            let text = c.find(Locator::Css("body")).await?.text().await?;
            if contents.iter().all(|content| text.contains(&content.chars().take(8).collect::<String>())) {
                break;
            }
            assert!(Instant::now() < deadline, "my items are readable offline:\n{text}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        screenshot(&c, "outbox-5-my-items-offline").await;
        cdp::set_offline(&c, false).await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn an_answer_lost_after_the_server_saved_the_item_makes_no_second_item() {
    skip_unless_enabled!();
    run("lost_answer", |c, app| async move {
        const CONTENT: &str = "小区东门路灯不亮，晚上出行不便。";
        let upstream = app.address.trim_start_matches("http://").to_string();
        let proxy = dropping_proxy::DroppingProxy::start(upstream).await?;
        sign_in(&c, &proxy.address, "grid1", &app.demo_password).await?;
        c.goto(&format!("{}/capture", proxy.address)).await?;
        wait_for(&c, Locator::Id("capture-form")).await?;
        tap(&c, wait_for(&c, Locator::Css("button[data-type='public_facilities']")).await?).await?;
        tap(&c, wait_for(&c, Locator::Css("button[data-place-kind='building']")).await?).await?;
        c.find(Locator::Id("content")).await?.send_keys(CONTENT).await?;

        // The item reaches the server and is saved; the answer is lost on the way back, twice (the browser may send
        // a request again by itself once; the second loss reaches the app). The phone keeps the record in its outbox
        // and sends it again with the same id: the server answers with the item it already has.
        proxy.arm(2);
        tap(&c, c.find(Locator::Id("save-item")).await?).await?;
        let deadline = Instant::now() + WAIT;
        while proxy.dropped() < 2 {
            assert!(Instant::now() < deadline, "the proxy cut two answers, cut {}", proxy.dropped());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // The phone says it kept the item (or, had the browser's own retry got through, shows the item).
        wait_for(&c, Locator::Css("#outbox-saved, #item-page")).await?;
        c.goto(&format!("{}/outbox", proxy.address)).await?;
        wait_for(&c, Locator::Id("outbox-page")).await?;
        let deadline = Instant::now() + WAIT;
        loop {
            tokio::time::sleep(Duration::from_millis(300)).await;
            if c.find_all(Locator::Css(".outbox-record")).await?.is_empty() {
                break;
            }
            assert!(Instant::now() < deadline, "the outbox sends the record again and empties");
        }
        let token = app.token("grid1").await;
        let mine = app.get(Some(&token), "/api/items/mine").await.body;
        let rows = mine["rows"].as_array().cloned().unwrap_or_default();
        assert_eq!(rows.len(), 1, "exactly one item: {mine}");
        assert!(rows[0].to_string().contains("小区东门路灯不亮"), "{mine}");
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn what_was_captured_offline_survives_an_ended_session_and_is_sent_after_signing_in_again() {
    skip_unless_enabled!();
    run("offline_session", |c, app| async move {
        const CONTENT: &str = "楼顶水箱漏水，顶层住户家里渗水。";
        sign_in(&c, &app.address, "grid1", &app.demo_password).await?;
        c.goto(&format!("{}/capture", app.address)).await?;
        wait_for(&c, Locator::Css("button[data-place-kind='building']")).await?;
        wait_for_service_worker(&c).await?;

        // No signal, and meanwhile both tokens run out (31 days): capturing still works and keeps the item.
        cdp::set_offline(&c, true).await?;
        app.state.clock.advance(chrono::Duration::days(31));
        c.goto(&format!("{}/capture", app.address)).await?;
        tap(&c, wait_for(&c, Locator::Css("button[data-type='public_facilities']")).await?).await?;
        tap(&c, wait_for(&c, Locator::Css("button[data-place-kind='building']")).await?).await?;
        c.find(Locator::Id("content")).await?.send_keys(CONTENT).await?;
        tap(&c, c.find(Locator::Id("save-item")).await?).await?;
        wait_for(&c, Locator::Id("outbox-saved")).await?;

        // The signal is back: the session has ended, so the app asks for a sign-in; the item waits on the phone and
        // goes out once the grid leader has signed in again.
        cdp::set_offline(&c, false).await?;
        c.goto(&format!("{}/", app.address)).await?;
        let signed_out = c.wait().at_most(Duration::from_secs(20)).for_element(Locator::Id("login-submit")).await;
        if signed_out.is_err() {
            // Still on home: a request must meet the ended session first.
            c.goto(&format!("{}/outbox", app.address)).await?;
            if let Some(send) = c.find_all(Locator::Id("outbox-send")).await?.into_iter().next() {
                let _ = send.click().await;
            }
            wait_for(&c, Locator::Id("login-submit")).await?;
        }
        let token = app.token("grid1").await;
        let mine = app.get(Some(&token), "/api/items/mine").await.body;
        assert_eq!(mine["rows"].as_array().map_or(0, |r| r.len()), 0, "nothing could be sent without a session");
        sign_in(&c, &app.address, "grid1", &app.demo_password).await?;
        let deadline = Instant::now() + WAIT;
        loop {
            let mine = app.get(Some(&token), "/api/items/mine").await.body;
            let rows = mine["rows"].as_array().cloned().unwrap_or_default();
            if rows.len() == 1 && rows[0].to_string().contains("楼顶水箱漏水") && outbox_count(&c).await? == 0 {
                break;
            }
            assert!(Instant::now() < deadline, "the item is sent once after signing in again: {mine}");
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_capture_refused_after_it_was_queued_is_shown_fixed_and_sent() {
    skip_unless_enabled!();
    run("outbox_fix", |c, app| async move {
        const CONTENT: &str = "单元门禁坏了，外来人员随意进出。";
        sign_in(&c, &app.address, "grid1", &app.demo_password).await?;
        c.goto(&format!("{}/capture", app.address)).await?;
        wait_for(&c, Locator::Css("button[data-place-kind='building']")).await?;
        wait_for_service_worker(&c).await?;

        // Captured with no signal at a building…
        cdp::set_offline(&c, true).await?;
        c.goto(&format!("{}/capture", app.address)).await?;
        tap(&c, wait_for(&c, Locator::Css("button[data-type='property_housing']")).await?).await?;
        let building = wait_for(&c, Locator::Css("button[data-place-kind='building']")).await?;
        let building_id = building.attr("data-place-id").await?.ok_or("a building id")?;
        tap(&c, building).await?;
        c.find(Locator::Id("content")).await?.send_keys(CONTENT).await?;
        tap(&c, c.find(Locator::Id("save-item")).await?).await?;
        wait_for(&c, Locator::Id("outbox-saved")).await?;

        // …which the administrator takes out of use meanwhile: the server refuses the record, and the phone keeps it,
        // saying why.
        let admin = app.token("admin").await;
        let r = app.patch(Some(&admin), &format!("/api/org/units/{building_id}"), &json!({"active": false})).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        cdp::set_offline(&c, false).await?;
        c.goto(&format!("{}/outbox", app.address)).await?;
        let refused = wait_for(&c, Locator::Css(".outbox-record[data-state='needs_fix']")).await?;
        let text = refused.text().await?;
        assert!(
            text.contains("需要修改") && text.contains("该地点已停用"),
            "the refusal is shown on the record:\n{text}"
        );
        screenshot(&c, "outbox-fix-1-refused").await;

        // 修改: the form opens with what was captured; another building, saved again: sent, once.
        tap(&c, c.find(Locator::Css(".outbox-fix-link")).await?).await?;
        wait_for(&c, Locator::Id("capture-form")).await?;
        assert_eq!(value_of(&c, "#content").await?, CONTENT, "the stored capture is in the form");
        let other = wait_for(
            &c,
            Locator::Css(&format!("button[data-place-kind='building']:not([data-place-id='{building_id}'])")),
        )
        .await?;
        tap(&c, other).await?;
        tap(&c, c.find(Locator::Id("save-item")).await?).await?;
        let token = app.token("grid1").await;
        let deadline = Instant::now() + WAIT;
        loop {
            let mine = app.get(Some(&token), "/api/items/mine").await.body;
            let rows = mine["rows"].as_array().cloned().unwrap_or_default();
            if rows.len() == 1 {
                assert!(rows[0].to_string().contains("单元门禁坏了"), "{mine}");
                break;
            }
            assert!(rows.len() < 2, "one item, not two: {mine}");
            assert!(Instant::now() < deadline, "the fixed capture is sent: {mine}");
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        c.goto(&format!("{}/outbox", app.address)).await?;
        wait_for(&c, Locator::Id("outbox-page")).await?;
        let deadline = Instant::now() + WAIT;
        while !c.find_all(Locator::Css(".outbox-record")).await?.is_empty() {
            assert!(Instant::now() < deadline, "nothing is left on the phone");
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_visit_refused_after_it_was_queued_is_fixed_on_the_day_and_sent_once() {
    skip_unless_enabled!();
    run("outbox_visit_fix", |c, app| async move {
        const NOTE: &str = "老人说楼道灯坏了一个月，晚上下楼不方便。";
        const GONE: &str = "王秀兰（独居老人）";
        const OTHER: &str = "刘德顺（残疾人）";
        sign_in(&c, &app.address, "grid1", &app.demo_password).await?;
        // One online visit of the day keeps its registers on the phone.
        c.goto(&format!("{}/visits", app.address)).await?;
        wait_for(&c, Locator::Css("#slot-special_group")).await?;
        wait_for_service_worker(&c).await?;

        // No signal: a register visit with a note is kept on the phone.
        cdp::set_offline(&c, true).await?;
        c.goto(&format!("{}/visits", app.address)).await?;
        tap(&c, wait_for(&c, Locator::Id("slot-special_group")).await?).await?;
        let form = wait_for(&c, Locator::Css("#slot-special_group #visit-form")).await?;
        let option = |name: &str| format!(".//label[contains(@class,'target-option')][contains(.,'{name}')]");
        let gone = form.find(Locator::XPath(&option(GONE))).await?;
        let gone_id =
            gone.find(Locator::Css("input[name='target']")).await?.attr("value").await?.ok_or("an entry id")?;
        tap(&c, gone).await?;
        c.find(Locator::Id("visit-note")).await?.send_keys(NOTE).await?;
        tap(&c, c.find(Locator::Id("visit-save")).await?).await?;
        let done = wait_for(&c, Locator::Id("visit-done")).await?.text().await?;
        assert!(done.contains("已保存在手机上"), "the visit is kept on the phone: {done}");

        // Meanwhile the administrator takes that entry off the register: back online, the server refuses the record
        // and the phone keeps it, saying why.
        let admin = app.token("admin").await;
        let r = app.patch(Some(&admin), &format!("/api/visit-targets/{gone_id}"), &json!({"active": false})).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        cdp::set_offline(&c, false).await?;
        c.goto(&format!("{}/outbox", app.address)).await?;
        let refused = wait_for(&c, Locator::Css(".outbox-record[data-kind='visit'][data-state='needs_fix']")).await?;
        let record_id = refused.attr("data-id").await?.ok_or("the record's id")?;
        let text = refused.text().await?;
        assert!(
            text.contains("需要修改") && text.contains("走访对象不在本网格的登记册上"),
            "the refusal is shown on the record:\n{text}"
        );
        screenshot(&c, "outbox-visit-fix-1-refused").await;

        // 修改: the day's page opens with the visit's form filled, the server's reason on the entry list.
        tap(&c, refused.find(Locator::Css(".outbox-fix-link")).await?).await?;
        let form = wait_for(&c, Locator::Css("#slot-special_group #visit-form")).await?;
        assert_eq!(c.current_url().await?.path(), "/visits");
        let deadline = Instant::now() + WAIT;
        while value_of(&c, "#visit-note").await? != NOTE {
            assert!(Instant::now() < deadline, "the stored note fills the form");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let text = form.text().await?;
        assert!(text.contains("修改未能上传的走访"), "the form says what it fixes:\n{text}");
        let reason = wait_for(&c, Locator::Css("#slot-special_group #visit-form .target-list + .field-error")).await?;
        assert_eq!(reason.text().await?, "走访对象不在本网格的登记册上", "the reason is on the entry list");
        assert!(!text.contains(GONE), "the entry taken off is not offered:\n{text}");
        assert!(form.find_all(Locator::Css("input[name='target']:checked")).await?.is_empty(), "no entry chosen");
        screenshot_page(&c, "outbox-visit-fix-2-form").await;

        // Another entry of that register, saved: sent under the record's id, once.
        tap(&c, form.find(Locator::XPath(&option(OTHER))).await?).await?;
        assert!(c.find_all(Locator::Css("#visit-form .field-error")).await?.is_empty(), "the reason is cleared");
        tap(&c, c.find(Locator::Id("visit-save")).await?).await?;
        let done = wait_for(&c, Locator::Id("visit-done")).await?.text().await?;
        assert!(done.contains("已记录") && done.contains(OTHER), "the visit is recorded: {done}");
        screenshot_page(&c, "outbox-visit-fix-3-saved").await;

        let token = app.token("grid1").await;
        let day = app.get(Some(&token), "/api/visits/day").await;
        assert_eq!(day.status, 200, "{:?}", day.body);
        let mut visits = day.body["wechat"].as_array().cloned().unwrap_or_default();
        for slot in day.body["slots"].as_array().cloned().unwrap_or_default() {
            visits.extend(slot["visits"].as_array().cloned().unwrap_or_default());
        }
        assert_eq!(visits.len(), 1, "exactly one visit: {:?}", day.body);
        assert_eq!(visits[0]["id"].as_str(), Some(record_id.as_str()), "under the record's id: {:?}", visits[0]);
        assert_eq!(visits[0]["note"].as_str(), Some(NOTE), "{:?}", visits[0]);
        assert_eq!(visits[0]["target"]["name"].as_str(), Some(OTHER), "{:?}", visits[0]);
        assert_eq!(visits[0]["kind"].as_str(), Some("special_group"), "{:?}", visits[0]);

        // Nothing is left on the phone: the card shows the server's visit, and /outbox is empty.
        let deadline = Instant::now() + WAIT;
        loop {
            let card = wait_for(&c, Locator::Css("#slot-special_group.done")).await?.text().await?;
            if card.matches(NOTE).count() == 1 && !card.contains("需要修改") && !card.contains("待上传") {
                assert!(card.contains(OTHER), "the visit names its entry:\n{card}");
                break;
            }
            assert!(Instant::now() < deadline, "the visit shows once, as the server's:\n{card}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        c.goto(&format!("{}/outbox", app.address)).await?;
        wait_for(&c, Locator::Id("outbox-page")).await?;
        let deadline = Instant::now() + WAIT;
        while !c.find_all(Locator::Css(".outbox-record")).await?.is_empty() {
            assert!(Instant::now() < deadline, "nothing is left on the phone");
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        c.goto(&format!("{}/", app.address)).await?;
        wait_for(&c, Locator::Id("home")).await?;
        until("the phone's outbox store is empty", || async {
            let n = stored_outbox_records(&c).await?;
            Ok((n == 0).then_some(()).ok_or(format!("{n} records stored")))
        })
        .await?;
        wait_for_outbox_count(&c, 0).await?;
        Ok(())
    })
    .await;
}

/// How many records the home screen says wait on the phone (0 when the line is not shown).
async fn outbox_count(c: &Client) -> Result<usize> {
    let links = c.find_all(Locator::Id("outbox-link")).await?;
    match links.first() {
        None => Ok(0),
        Some(link) => Ok(link.attr("data-count").await?.and_then(|n| n.parse().ok()).unwrap_or(0)),
    }
}

/// How many records the phone keeps in its outbox (IndexedDB `minqing`, store `outbox`), read directly.
async fn stored_outbox_records(c: &Client) -> Result<u64> {
    let n = c
        .execute_async(
            "var done = arguments[0];
             var open = indexedDB.open('minqing');
             // No database yet: leave it to the app to create (with its store), and count none.
             var absent = false;
             open.onupgradeneeded = function () { absent = true; open.transaction.abort(); };
             open.onerror = function () { done(absent ? 0 : -1); };
             open.onsuccess = function () {
                 var db = open.result;
                 if (!db.objectStoreNames.contains('outbox')) { db.close(); done(0); return; }
                 var count = db.transaction('outbox', 'readonly').objectStore('outbox').count();
                 count.onsuccess = function () { db.close(); done(count.result); };
                 count.onerror = function () { db.close(); done(-1); };
             };",
            vec![],
        )
        .await?;
    n.as_u64().ok_or_else(|| format!("could not read the outbox store: {n}").into())
}

/// Waits until the home screen says `n` records wait on the phone.
async fn wait_for_outbox_count(c: &Client, n: usize) -> Result {
    until(&format!("the home screen shows {n} records waiting"), || async {
        let now = outbox_count(c).await?;
        Ok((now == n).then_some(()).ok_or(format!("{now} records waiting")))
    })
    .await
}
