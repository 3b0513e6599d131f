//! The grid leader's visits and the station head's day.

use std::time::{Duration, Instant};

use fantoccini::Locator;

use super::*;

#[tokio::test]
async fn a_grid_leader_records_three_visits_one_raising_an_item_and_the_station_head_sees_today() {
    skip_unless_enabled!();
    // Monday 16 November 2026, 10:00: the week's first day, so the next day finds exactly one day missed.
    let app = tests::spawn_app_at(tests::city_time(2026, 11, 16, 10, 0)).await;
    run_with(Screen::Phone, "visits", app, |c, app| async move {
        const CONTENT: &str = "幸福家园小区东门路面塌陷一个大坑，雨天积水，老人孩子出行不安全。";
        sign_in(&c, &app.address, "grid1", &app.demo_password).await?;
        let tile = wait_for(&c, Locator::Id("visits-link")).await?;
        let deadline = Instant::now() + WAIT;
        while !tile.text().await?.contains("已走访 0/3") {
            assert!(Instant::now() < deadline, "the tile counts the day: {}", tile.text().await?);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        tap(&c, tile).await?;
        let summary = wait_for(&c, Locator::Id("visits-summary")).await?.text().await?;
        assert!(summary.contains("已走访 0/3"), "nothing visited yet:\n{summary}");
        wait_for(&c, Locator::Id("slot-wechat_group")).await?;
        screenshot_page(&c, "grid1-visits-1-day").await;

        // One visit on each register: tap the card, pick the entry, write the note, save. The third raises a concern.
        let visits = [
            ("special_group", "王秀兰（独居老人）", "老人身体还好，药按时吃，提醒冬天注意取暖。", false),
            ("many_demands", "孙志刚", "又问了小区停车位的事，已解释正在协调。", false),
            ("problem_compound", "幸福家园小区", "东门路面塌陷，居民意见很大。", true),
        ];
        for (n, (kind, target, note, raises)) in visits.into_iter().enumerate() {
            let card = wait_for(&c, Locator::Css(&format!("#slot-{kind}"))).await?;
            let text = card.text().await?;
            assert!(text.contains("未走访"), "the {kind} card is not done yet:\n{text}");
            tap(&c, card).await?;
            let form = wait_for(&c, Locator::Css(&format!("#slot-{kind} #visit-form"))).await?;
            let option = form
                .find(Locator::XPath(&format!(
                    ".//label[contains(@class,'target-option')][.//span[contains(@class,'target-name') and normalize-space(.)='{target}']]"
                )))
                .await?;
            tap(&c, option).await?;
            let radio = form.find(Locator::Css("input[name='target']:checked")).await?;
            assert!(radio.attr("value").await?.is_some_and(|v| !v.is_empty()), "an entry is chosen");
            c.find(Locator::Id("visit-note")).await?.send_keys(note).await?;
            if raises {
                tap(&c, c.find(Locator::Id("visit-raises-item")).await?).await?;
                screenshot_page(&c, "grid1-visits-2-form").await;
            }
            tap(&c, c.find(Locator::Id("visit-save")).await?).await?;
            if !raises {
                let done = wait_for(&c, Locator::Css(&format!("#slot-{kind}.done"))).await?.text().await?;
                assert!(done.contains("✓ 已走访") && done.contains(target), "the card shows the visit:\n{done}");
                let summary = wait_for(&c, Locator::Css(&format!("#visits-summary[data-done='{}']", n + 1))).await?;
                assert!(summary.text().await?.contains(&format!("已走访 {}/3", n + 1)));
            }
        }

        // The capture form opens linked to the visit: 微信走访, the grid preselected.
        let banner = wait_for(&c, Locator::Id("origin-banner")).await?.text().await?;
        assert_eq!(banner, "来自走访记录");
        let channel = c.find(Locator::Id("capture-origin")).await?.text().await?;
        assert!(channel.contains("微信走访"), "the channel is fixed:\n{channel}");
        assert!(c.current_url().await?.query().is_some_and(|q| q.contains("visit=")), "the address names the visit");
        wait_for(&c, Locator::Css("button[data-place-kind='grid'][aria-pressed='true']")).await?;
        let leaders = wait_for(&c, Locator::Css("#building-leader option[value]:not([value=''])")).await?.text().await?;
        assert!(leaders.contains("李秀英"), "the grid's building leaders can be credited: {leaders}");
        tap(&c, c.find(Locator::Css("button[data-type='public_facilities']")).await?).await?;
        c.find(Locator::Id("content")).await?.send_keys(CONTENT).await?;
        screenshot_page(&c, "grid1-visits-3-capture").await;
        tap(&c, c.find(Locator::Id("save-item")).await?).await?;

        // Back on the day: all three done, the item raised at the third visit.
        let summary = wait_for(&c, Locator::Css("#visits-summary[data-done='3']")).await?.text().await?;
        assert_eq!(c.current_url().await?.path(), "/visits");
        assert!(summary.contains("已走访 3/3") && summary.contains("今日登记民情 1 条"), "the day is complete:\n{summary}");
        let card = c.find(Locator::Id("slot-problem_compound")).await?.text().await?;
        assert!(card.contains("幸福家园小区") && card.contains("登记民情 1 条"), "the visit shows its item:\n{card}");
        screenshot_page(&c, "grid1-visits-4-done").await;

        // The item names where it came from.
        tap(&c, c.find(Locator::Css("#slot-problem_compound a.visit-raised-item")).await?).await?;
        let origin = wait_for(&c, Locator::Id("item-origin")).await?.text().await?;
        assert!(origin.contains("来自走访"), "the item page shows its origin:\n{origin}");
        let page = c.find(Locator::Id("item-page")).await?.text().await?;
        assert!(page.contains(CONTENT) && page.contains("微信走访"), "the item:\n{page}");

        // The registers: the day each entry was last visited; an entry added, then taken off.
        c.goto(&format!("{}/visits", app.address)).await?;
        tap(&c, wait_for(&c, Locator::Id("registers-link")).await?).await?;
        let special = wait_for(&c, Locator::Css("#register-special_group .register-entry")).await?;
        let _ = special;
        let register = c.find(Locator::Id("register-special_group")).await?.text().await?;
        assert!(register.contains("王秀兰（独居老人）") && register.contains("上次走访"), "last visits:\n{register}");
        assert!(register.contains("刘德顺（残疾人）") && register.contains("从未走访"), "never visited:\n{register}");
        let register_select = c.find(Locator::Id("target-register")).await?;
        register_select.find(Locator::Css("option[value='special_group']")).await?.click().await?;
        c.find(Locator::Id("target-name")).await?.send_keys("李桂兰（低保户）").await?;
        c.find(Locator::Id("target-address")).await?.send_keys("3号楼2单元101").await?;
        tap(&c, c.find(Locator::Id("target-save")).await?).await?;
        let added = wait_for(
            &c,
            Locator::XPath("//section[@id='register-special_group']//li[contains(@class,'register-entry')][contains(.,'李桂兰（低保户）')]"),
        )
        .await?;
        screenshot_page(&c, "grid1-visits-5-registers").await;
        c.execute("window.confirm = () => true;", vec![]).await?;
        tap(&c, added.find(Locator::Css("button.remove-target")).await?).await?;
        let deadline = Instant::now() + WAIT;
        while c.find(Locator::Id("register-special_group")).await?.text().await?.contains("李桂兰") {
            assert!(Instant::now() < deadline, "the entry is taken off the register");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }

        // The station head sees the station's grids today.
        switch_to(&c, &app.address, "station1", &app.demo_password).await?;
        tap(&c, wait_for(&c, Locator::Id("coverage-link")).await?).await?;
        let first = wait_for(&c, Locator::Css(".grid-coverage[data-grid='第一网格']")).await?;
        let text = first.text().await?;
        for expected in ["今日 3/3", "今日登记民情 1 条", "王建华", "本周漏访"] {
            assert!(text.contains(expected), "第一网格 shows {expected}:\n{text}");
        }
        assert_eq!(first.find_all(Locator::Css(".gc-marks .mark.done")).await?.len(), 3, "three ✓ marks");
        let second = c.find(Locator::Css(".grid-coverage[data-grid='第二网格']")).await?.text().await?;
        assert!(second.contains("今日 0/3"), "第二网格 has not visited:\n{second}");
        assert_eq!(c.find_all(Locator::Css(".grid-coverage[data-grid='第一网格'] .week-day")).await?.len(), 7);
        let date = wait_for(&c, Locator::Css(".coverage-date")).await?.text().await?;
        assert!(date.contains("今天"), "today's date is shown: {date}");
        screenshot_page(&c, "station1-coverage-1").await;

        // Tapping the grid opens its daily report: every visit, and the item raised with a link to it.
        tap(&c, first.find(Locator::Css(".grid-toggle")).await?).await?;
        let report = wait_for(&c, Locator::Css(".grid-coverage[data-grid='第一网格'] .grid-report")).await?;
        let text = report.text().await?;
        for expected in ["王秀兰（独居老人）", "孙志刚", "幸福家园小区", "东门路面塌陷，居民意见很大。", "公共设施"] {
            assert!(text.contains(expected), "the daily report shows {expected}:\n{text}");
        }
        report.find(Locator::Css("a.visit-raised-item[href^='/items/']")).await?;
        screenshot_page(&c, "station1-coverage-2-report").await;

        // Tuesday: Monday, with a register not visited, is a missed day.
        app.set_time(tests::city_time(2026, 11, 17, 9, 0));
        sync_clock(&c, &app).await?;
        tap(&c, c.find(Locator::Id("coverage-refresh")).await?).await?;
        let deadline = Instant::now() + WAIT;
        loop {
            let second = c.find(Locator::Css(".grid-coverage[data-grid='第二网格']")).await?.text().await?;
            if second.contains("本周漏访 1 天") {
                assert!(second.contains("漏访 ") && second.contains("特殊群体"), "the missed registers:\n{second}");
                break;
            }
            assert!(Instant::now() < deadline, "第二网格 missed yesterday:\n{second}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let first = c.find(Locator::Css(".grid-coverage[data-grid='第一网格']")).await?.text().await?;
        assert!(first.contains("本周漏访 0 天") && first.contains("今日 0/3"), "第一网格 did its day:\n{first}");
        c.find(Locator::Css(".grid-coverage[data-grid='第二网格'] .week-day.missed")).await?;
        screenshot_page(&c, "station1-coverage-3-next-day").await;
        Ok(())
    })
    .await;
}
