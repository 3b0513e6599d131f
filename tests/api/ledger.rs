//! The ledger: filters, keyset paging, the scope of each role, and the Excel export read back cell by cell.

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use chrono::Duration;
use shared::dto::UpdateOrgUnit;
use shared::item::CreateItem;
use shared::{ItemType, Level};
use tests::{spawn_app, TestApp};

use crate::items::{building, capture};

/// Seven items in 和平社区 over the last week: types and levels vary; one is in 福民社区.
async fn seed(app: &TestApp) -> Vec<String> {
    let grid1 = app.token("grid1").await;
    let place = building(app, &grid1, 1).await;
    let types = [
        ItemType::PublicFacilities,
        ItemType::PropertyHousing,
        ItemType::SocialSecurity,
        ItemType::PublicFacilities,
        ItemType::SafetyEnvironment,
        ItemType::OtherServices,
        ItemType::PublicFacilities,
    ];
    let mut ids = Vec::new();
    for (i, t) in types.iter().enumerate() {
        let body = CreateItem {
            item_type: *t,
            level: if i == 4 { Level::Major } else { Level::General },
            collected_at: Some(app.state.clock.now() - Duration::days(6 - i as i64) - Duration::hours(1)),
            content: format!("第{}件事", i + 1),
            ..capture(place)
        };
        ids.push(app.create_item(&grid1, &body).await.with_status(201).id);
    }
    let grid2 = app.token("grid2").await;
    let other = app.unit_id(&grid2, "福民街道 / 福民社区 / 福民社区党群服务站 / 第一网格").await;
    assert_eq!(app.create_item(&grid2, &capture(other)).await.status, 201);
    ids
}

#[tokio::test]
async fn the_ledger_filters_and_pages_newest_first_within_scope() {
    let app = spawn_app().await;
    let ids = seed(&app).await;
    let station = app.token("station1").await;
    let all = app.ledger(&station, "").await.ok();
    assert_eq!(all.total, 7);
    assert_eq!(all.rows[0].id, ids[6]);
    assert_eq!(all.rows[0].seq, 7);
    assert_eq!(all.rows[0].summary, "第7件事");
    assert_eq!(all.rows[0].collector, "王建华");

    let r = app.ledger(&station, "item_type=public_facilities").await.ok();
    assert_eq!(r.total, 3);
    let r = app.ledger(&station, "level=major").await.ok();
    assert_eq!((r.total, r.rows[0].seq), (1, 5));
    let today = (app.state.clock.now() + Duration::hours(8)).date_naive();
    let from = today - Duration::days(2);
    let r = app.ledger(&station, &format!("from={from}&to={today}")).await.ok();
    assert!(r.total >= 2 && r.total <= 3, "{r:?}");
    let r = app.ledger(&station, "channel=reception").await.ok();
    assert_eq!(r.total, 0);

    // Pages of three, following the cursor, give every row once, newest first.
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = app.ledger(&station, &format!("limit=3&cursor={cursor}")).await.ok();
        assert_eq!(page.total, 7);
        for row in &page.rows {
            seen.push(row.seq);
        }
        match page.next_cursor {
            Some(c) => cursor = c,
            None => break,
        }
    }
    assert_eq!(seen, vec![7, 6, 5, 4, 3, 2, 1]);

    // The city sees both communities; a filter by place narrows it.
    let leader = app.token("leader1").await;
    assert_eq!(app.ledger(&leader, "").await.ok().total, 8);
    let fumin = app.unit_id(&leader, "福民街道").await;
    assert_eq!(app.ledger(&leader, &format!("unit_id={fumin}")).await.ok().total, 1);
    // A place outside the account's scope is refused, as are bad values.
    let grid2 = app.token("grid2").await;
    let hp = app.unit_id(&leader, "新华街道 / 和平社区").await;
    let r = app.ledger(&grid2, &format!("unit_id={hp}")).await;
    assert_eq!((r.status, r.field()), (422, Some("unit_id")));
    assert_eq!(app.ledger(&station, "from=2026-13-01").await.field(), Some("from"));
    assert_eq!(app.ledger(&station, "level=urgent").await.field(), Some("level"));
    assert_eq!(app.ledger(&station, "cursor=garbage!").await.field(), Some("cursor"));
    assert_eq!(app.ledger(&station, "limit=1000").await.field(), Some("limit"));
}

fn cell(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
    range.get_value((row, col)).map(|d| d.to_string()).unwrap_or_default()
}

#[tokio::test]
async fn the_export_has_the_seed_columns_in_order_and_masks_phones_for_non_callers() {
    let app = spawn_app().await;
    seed(&app).await;
    let station = app.token("station1").await;
    let (status, bytes) = app.get_bytes(Some(&station), "/api/ledger/export?level=general").await;
    assert_eq!(status, 200);
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let sheet = wb.worksheet_range("民情直通车台账").unwrap();
    assert_eq!(cell(&sheet, 0, 0), "民情直通车台账");
    let headers: Vec<String> = (0..15).map(|c| cell(&sheet, 1, c)).collect();
    assert_eq!(
        headers,
        [
            "序号",
            "收集时间",
            "收集人",
            "收集方式",
            "类型",
            "级别",
            "是否办结",
            "办结时间",
            "办结情况（选项内打√）",
            "",
            "",
            "",
            "是否向居民反馈结果",
            "反馈时间",
            "反馈人"
        ]
    );
    let options: Vec<String> = (8..12).map(|c| cell(&sheet, 2, c)).collect();
    assert_eq!(
        options,
        ["街道社区办结", "部门单位10日内办结", "10日内未办结，经沟通已办结", "10日内未办结，经沟通仍无法办结"]
    );
    // Six general items, newest first: 序号 7 first.
    assert_eq!(sheet.height(), 3 + 6);
    assert_eq!(cell(&sheet, 3, 0), "7");
    assert_eq!(cell(&sheet, 3, 2), "王建华");
    assert_eq!(cell(&sheet, 3, 3), "微信走访（入户走访）");
    assert_eq!(cell(&sheet, 3, 4), "公共设施");
    assert_eq!(cell(&sheet, 3, 5), "一般性");
    assert_eq!(cell(&sheet, 3, 6), "否");
    assert_eq!(cell(&sheet, 3, 15), "和平社区");
    assert_eq!(cell(&sheet, 3, 18), "13912345678");
    assert_eq!(cell(&sheet, 3, 19), "第7件事");

    let leader = app.token("leader1").await;
    let (_, bytes) = app.get_bytes(Some(&leader), "/api/ledger/export").await;
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let sheet = wb.worksheet_range("民情直通车台账").unwrap();
    assert_eq!(sheet.height(), 3 + 8);
    assert_eq!(cell(&sheet, 3, 18), "139****5678");
    // Another grid's leader exports nothing of 和平社区.
    let (_, bytes) = app.get_bytes(Some(&app.token("grid2").await), "/api/ledger/export").await;
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let sheet = wb.worksheet_range("民情直通车台账").unwrap();
    assert_eq!(sheet.height(), 3 + 1);
    assert_ne!(cell(&sheet, 3, 15), "和平社区");
}

#[tokio::test]
async fn items_follow_their_grid_when_it_moves_to_another_station() {
    let app = spawn_app().await;
    seed(&app).await;
    let admin = app.token("admin").await;
    let grid = app.unit_id(&admin, crate::items::GRID1).await;
    let other_station = app.unit_id(&admin, "新华街道 / 和平社区 / 和平社区第二党群服务站").await;
    let body = UpdateOrgUnit { name: Some("第三网格".into()), parent_id: Some(other_station), active: None };
    let r = app.update_org_unit(&admin, grid, &body).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    // station1 no longer holds the grid, so no longer its items; the community still does.
    assert_eq!(app.ledger(&app.token("station1").await, "").await.ok().total, 0);
    assert_eq!(app.ledger(&app.token("community1").await, "").await.ok().total, 7);
    let r = app.ledger(&admin, &format!("unit_id={other_station}")).await.ok();
    assert_eq!(r.total, 7);
    assert!(r.rows[0].place.contains("和平社区第二党群服务站"), "{r:?}");
}
