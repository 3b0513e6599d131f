//! A month closes (issue 16, part 2): after its end, its 附件3, dashboard and analysis read the same whenever asked,
//! whatever is done later; what is recorded later about it shows as its own dated line; a dispatch's day 10 keeps the
//! calendar it was accepted under.

use chrono::Duration;
use shared::item::{CorrectItem, CreateItem, FeedbackMethod, Item, SendToStreet, TellResident};
use shared::settings::ClockSettings;
use shared::voice::Answer::{Dissatisfied, Satisfied};
use shared::voice::Rate;
use shared::ItemType;
use tests::client::solved_sheet;
use tests::TestApp;

use crate::items::{building, capture};
use crate::journey::{accepted_item, spawn_app_at};

/// The department returns the accepted item solved and the grid leader tells the resident; returns the link's token.
async fn returned_and_told(app: &TestApp, accepted: &Item) -> String {
    let (dept1, grid1) = (app.token("dept1").await, app.token("grid1").await);
    let id = accepted.id.as_str();
    let item = app.return_sheet(&dept1, id, &solved_sheet(accepted.version, "已修复。")).await.with_status(200);
    let tell = TellResident { version: item.version, how: FeedbackMethod::Phone, note: None };
    app.tell_resident(&grid1, id, &tell).await.with_status(200);
    let link = app.resident_link(&grid1, id).await.with_status(200);
    link.path.trim_start_matches("/r/").to_string()
}

fn all(answer: shared::voice::Answer) -> Rate {
    Rate { timely: answer, attitude: answer, result: answer, not_solved: false, comment: None }
}

/// What the three readers of November say.
async fn november(
    app: &TestApp,
) -> (shared::stats::StatsTable, shared::dashboard::Dashboard, shared::dashboard::Analysis) {
    let (street, leader, analyst) =
        (app.token("street1").await, app.token("leader1").await, app.token("analyst1").await);
    (
        app.monthly_stats(&street, "year=2026&month=11").await.ok(),
        app.dashboard(&leader, "year=2026&month=11").await.ok(),
        app.analysis(&analyst, "year=2026&month=11").await.ok(),
    )
}

#[tokio::test]
async fn a_closed_month_reads_the_same_after_later_work_and_what_came_later_is_a_dated_line() {
    let app = spawn_app_at(tests::city_time(2026, 11, 25, 10, 0)).await;
    // 25 November: a sheet accepted, returned and rated 满意 by its resident.
    let rated = accepted_item(&app).await;
    let link = returned_and_told(&app, &rated).await;
    app.rate_as_resident(&link, &all(Satisfied)).await.with_status(200);
    // 28 November: an item left at the community (its 3 days run into December).
    app.set_time(tests::city_time(2026, 11, 28, 9, 0));
    let grid1 = app.token("grid1").await;
    let waiting = app.create_item(&grid1, &capture(building(&app, &grid1, 3).await)).await.with_status(201);

    // 1 December, ten past midnight: November is closed.
    app.set_time(tests::city_time(2026, 12, 1, 0, 10));
    let (table, dashboard, analysis) = november(&app).await;
    assert_eq!(dashboard.overall.received, 2);
    assert_eq!(dashboard.overall.solved, 1);
    assert_eq!(dashboard.overall.overdue, 0, "the community's 3 days had not run out by the month's end");
    assert_eq!(table.total.answers, 3);
    assert_eq!(table.total.satisfaction, Some(1.0));
    assert!(table.late.is_empty() && dashboard.late.is_empty());

    // December's work: the resident changes the rating, an item noted offline on 30 November arrives, the waiting item
    // goes overdue, is sent on and corrected to another type.
    app.rate_as_resident(&link, &all(Dissatisfied)).await.with_status(200);
    let grid1 = app.token("grid1").await;
    let noted = tests::city_time(2026, 11, 30, 23, 0);
    let offline = CreateItem { collected_at: Some(noted), ..capture(building(&app, &grid1, 3).await) };
    let offline = app.create_item(&grid1, &offline).await.with_status(201);
    app.set_time(tests::city_time(2026, 12, 6, 9, 0));
    let secretary = app.token("community1").await;
    let sent = app
        .send_to_street(&secretary, &waiting.id, &SendToStreet { version: waiting.version, department_id: None })
        .await
        .with_status(200);
    let fix = CorrectItem {
        version: sent.version,
        item_type: Some(ItemType::SocialSecurity),
        reason: "实为低保问题，类别记错".into(),
        ..Default::default()
    };
    app.correct_item(&secretary, &waiting.id, &fix).await.with_status(200);

    let (table2, dashboard2, analysis2) = november(&app).await;
    assert_eq!(table2.total, table.total, "附件3 of a closed month does not move");
    assert_eq!(table2.as_of, table.as_of);
    assert_eq!(dashboard2.overall, dashboard.overall, "nor does the dashboard's month");
    assert_eq!(dashboard2.by_type, dashboard.by_type);
    assert_eq!(dashboard2.by_street, dashboard.by_street);
    assert_eq!(dashboard2.trend.last(), dashboard.trend.last());
    assert_eq!(analysis2.by_type, analysis.by_type, "nor does the analysis");

    // What came later is listed, dated, each line naming its item.
    let said: Vec<(&str, &str)> = dashboard2.late.iter().map(|l| (l.item_id.as_str(), l.what.as_str())).collect();
    assert!(said.iter().any(|(id, w)| *id == offline.id && w.starts_with("离线记录于2026-11-30 23:00")), "{said:?}");
    assert!(said.iter().any(|(id, w)| *id == waiting.id && w.contains("更正") && w.contains("低保")), "{said:?}");
    assert!(said.iter().any(|(id, w)| *id == rated.id && w.contains("居民评价改动")), "{said:?}");
    assert!(
        table2.late.iter().any(|l| l.item_id == rated.id),
        "the table lists its rating's change: {:?}",
        table2.late
    );
    assert!(dashboard2.late.windows(2).all(|w| w[0].at <= w[1].at), "oldest first");

    // December counts what arrived in it, noted offline or not, and its own ratings.
    let leader = app.token("leader1").await;
    let december = app.dashboard(&leader, "year=2026&month=12").await.ok();
    assert_eq!(december.overall.received, 1, "the offline item counts in the month it arrived");
    assert!(december.late.is_empty(), "December is still open");
}

#[tokio::test]
async fn a_dispatchs_day_10_keeps_the_calendar_it_was_accepted_under() {
    // Thursday 3 December 2026; calendar days until the admin switches to working days.
    let app = spawn_app_at(tests::city_time(2026, 12, 3, 10, 0)).await;
    let before = accepted_item(&app).await;
    let admin = app.token("admin").await;
    app.set_clock_settings(&admin, &ClockSettings { working_days: true, city: None }).await.with_status(200);
    let after = accepted_item(&app).await;

    // Eleven calendar days on (8 working days): only the sheet accepted under calendar days has passed day 10.
    app.state.clock.advance(Duration::days(11));
    let street = app.token("street1").await;
    let t = app.monthly_stats(&street, "year=2026&month=12").await.ok();
    assert!(t.total.not_in_10_days.item_ids.contains(&before.id), "{:?}", t.total.not_in_10_days);
    assert!(!t.total.not_in_10_days.item_ids.contains(&after.id), "{:?}", t.total.not_in_10_days);
    let dept1 = app.token("dept1").await;
    let first = app.item(&dept1, &before.id).await.ok();
    let second = app.item(&dept1, &after.id).await.ok();
    assert!(first.journey.dispatch.as_ref().is_some_and(|d| d.onsite_required));
    assert!(second.journey.dispatch.as_ref().is_some_and(|d| !d.onsite_required));
    // Switching back does not move either.
    app.set_clock_settings(&admin, &ClockSettings { working_days: false, city: None }).await.with_status(200);
    let again = app.monthly_stats(&street, "year=2026&month=12").await.ok();
    assert_eq!(again.total.not_in_10_days, t.total.not_in_10_days);
}
