//! Numbers no one can bend (issue 16), tried as the insider would: a 返单 back-dated by its department, an item
//! registered as solved on the spot by someone who may not solve it, and a department's result photos.

use chrono::Duration;
use shared::item::{CorrectItem, ItemStatus, SendToStreet, UpdateItem};
use shared::journey::ReturnSheet;
use shared::{ItemType, Level, Outcome};
use tests::client::solved_sheet;

use crate::items::{building, capture, new_id};
use crate::journey::{accepted_item, spawn_app_at};
use crate::photos::png;

fn dispatch(item: &shared::item::Item) -> &shared::journey::DispatchInfo {
    item.journey.dispatch.as_ref().unwrap_or_else(|| panic!("no dispatch: {item:?}"))
}

#[tokio::test]
async fn the_servers_clock_decides_on_time_and_a_departments_noted_finish_is_only_a_note() {
    let app = spawn_app_at(tests::city_time(2026, 12, 1, 10, 0)).await;
    let dept1 = app.token("dept1").await;
    let honest = accepted_item(&app).await;
    let backdated = accepted_item(&app).await;
    let accepted_at = dispatch(&backdated).accepted_at.unwrap();

    // Day 3: the honest department returns its sheet on time.
    app.state.clock.advance(Duration::days(3));
    let done = app.return_sheet(&dept1, &honest.id, &solved_sheet(honest.version, "已修复。")).await.with_status(200);
    assert_eq!(dispatch(&done).solved_within_10_days, Some(true));

    // Day 12: the other returns its sheet and says the work was finished on day 3. The server's time decides: not
    // within 10 days, so the on-site office record is asked for; the noted time is kept beside it.
    app.state.clock.advance(Duration::days(9));
    let noted = accepted_at + Duration::days(3);
    let claim = ReturnSheet { solved_at: Some(noted), ..solved_sheet(backdated.version, "已修复。") };
    let r = app.return_sheet(&dept1, &backdated.id, &claim).await;
    assert_eq!((r.status, r.field()), (422, Some("onsite")), "{:?}", r.body);
    // A noted finish before 接单 or in the future is refused by field.
    let before = ReturnSheet { solved_at: Some(accepted_at - Duration::hours(1)), ..claim.clone() };
    let r = app.return_sheet(&dept1, &backdated.id, &before).await;
    assert_eq!((r.status, r.field()), (422, Some("solved_at")), "{:?}", r.body);
    let future = ReturnSheet { solved_at: Some(app.state.clock.now() + Duration::hours(1)), ..claim.clone() };
    let r = app.return_sheet(&dept1, &backdated.id, &future).await;
    assert_eq!((r.status, r.field()), (422, Some("solved_at")), "{:?}", r.body);

    app.hold_onsite_office(&dept1, &backdated.id).await;
    let with_record =
        ReturnSheet { onsite: Some(true), measures_clear: Some(true), measures: Some("更换管道".into()), ..claim };
    let item = app.return_sheet(&dept1, &backdated.id, &with_record).await.with_status(200);
    let now = app.state.clock.now();
    let d = dispatch(&item);
    assert_eq!(d.solved_within_10_days, Some(false));
    assert_eq!(item.ledger.outcome, Some(Outcome::SolvedAfterCoordination));
    assert_eq!(d.solved_at, Some(noted), "the department's note is kept");
    let closed_at = item.ledger.closed_at.unwrap();
    assert!((closed_at - now).num_seconds().abs() < 5, "办结时间 is the server's: {closed_at} vs {now}");
    assert!((d.returned_at.unwrap() - now).num_seconds().abs() < 5);

    // 附件3: the honest sheet is on time, the back-dated one is not, and counts as not solved within 10 days.
    let street = app.token("street1").await;
    let table = app.monthly_stats(&street, "year=2026&month=12").await.ok();
    assert_eq!(table.total.on_time.item_ids, std::slice::from_ref(&honest.id));
    assert_eq!(table.total.not_in_10_days.item_ids, std::slice::from_ref(&backdated.id));
    assert_eq!(table.total.solved_after_coordination.item_ids, [backdated.id]);
}

#[tokio::test]
async fn a_department_uploads_result_photos_for_its_return_and_a_reader_cannot_upload() {
    let app = spawn_app_at(tests::city_time(2026, 12, 1, 10, 0)).await;
    let item = accepted_item(&app).await;
    let dept1 = app.token("dept1").await;
    let pid = new_id();
    app.photo(&dept1, &pid, png(120, 90), "after.png").await.with_status(201);
    let sheet = ReturnSheet { photo_ids: vec![pid.clone()], ..solved_sheet(item.version, "已修复，见照片。") };
    let item = app.return_sheet(&dept1, &item.id, &sheet).await.with_status(200);
    let photos: Vec<&str> = item.journey.result_photos.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(photos, [pid.as_str()]);
    // Roles that neither capture nor return sheets upload nothing.
    let leader = app.token("leader1").await;
    assert_eq!(app.upload_photo(&leader, &new_id(), png(10, 10), "a.png").await.status, 403);
}

#[tokio::test]
async fn facts_freeze_once_the_community_acts_and_a_correction_is_its_own_recorded_action() {
    let app = spawn_app_at(tests::city_time(2026, 12, 1, 10, 0)).await;
    let grid1 = app.token("grid1").await;
    let secretary = app.token("community1").await;
    let item = app.create_item(&grid1, &capture(building(&app, &grid1, 3).await)).await.with_status(201);
    let id = item.id.as_str();
    // Before the community acts the grid leader edits freely; the community secretary has nothing to 更正 yet.
    let edit = UpdateItem { version: 1, content: Some("楼道灯坏了三盏。".into()), ..Default::default() };
    let item = app.update_item(&grid1, id, &edit).await.with_status(200);
    assert!(!item.journey.can_correct);
    let early =
        CorrectItem {
            version: item.version, reason: "写错了".into(), level: Some(Level::Major), ..Default::default()
        };
    assert_eq!(app.correct_item(&secretary, id, &early).await.code(), "wrong_stage");

    // Sent to the street: content, type, level and place are frozen for an edit, contact details are not.
    let item =
        app.send_to_street(&secretary, id, &SendToStreet { version: item.version, department_id: None }).await.ok();
    let rewrite =
        UpdateItem { version: item.version, content: Some("其实已经修好了。".into()), ..Default::default() };
    let r = app.update_item(&grid1, id, &rewrite).await;
    assert_eq!((r.status, r.code(), r.field()), (409, "wrong_stage", Some("content")), "{:?}", r.body);
    let retype = UpdateItem { version: item.version, item_type: Some(ItemType::SocialSecurity), ..Default::default() };
    assert_eq!(app.update_item(&grid1, id, &retype).await.field(), Some("item_type"));
    let phone = UpdateItem { version: item.version, resident_phone: Some("13800001111".into()), ..Default::default() };
    let item = app.update_item(&grid1, id, &phone).await.with_status(200);
    assert_eq!(item.status, ItemStatus::AtStreet);

    // A grid leader may not correct; a correction needs a reason and a change.
    let fix = CorrectItem {
        version: item.version,
        reason: "居民补充说明：是四盏灯".into(),
        content: Some("楼道灯坏了四盏。".into()),
        ..Default::default()
    };
    assert_eq!(app.correct_item(&grid1, id, &fix).await.status, 403);
    let no_reason = CorrectItem { reason: " ".into(), ..fix.clone() };
    assert_eq!(app.correct_item(&secretary, id, &no_reason).await.field(), Some("reason"));
    let nothing = CorrectItem { version: item.version, reason: "核对无误".into(), ..Default::default() };
    assert_eq!(app.correct_item(&secretary, id, &nothing).await.status, 422);
    let corrected = app.correct_item(&secretary, id, &fix).await.with_status(200);
    assert_eq!(corrected.content, "楼道灯坏了四盏。");
    assert_eq!(corrected.version, item.version + 1);
    let stale = app.correct_item(&secretary, id, &fix).await;
    assert_eq!(stale.code(), "stale_version");

    // The history records it as 更正 with the reason and the before and after.
    let events = app.item_events(&secretary, id).await.ok();
    let last = events.last().unwrap();
    assert_eq!((last.kind.as_str(), last.label.as_str()), ("corrected", "更正"));
    let reason = last.changes.iter().find(|c| c.field == "reason").unwrap();
    assert_eq!(reason.after.as_deref(), Some("居民补充说明：是四盏灯"));
    let content = last.changes.iter().find(|c| c.field == "content").unwrap();
    assert_eq!(content.before.as_deref(), Some("楼道灯坏了三盏。"));

    // The supervision office's record of the community counts it.
    let supervisor = app.token("supervisor1").await;
    let records = app.unit_records(&supervisor).await.ok();
    let community = records.iter().find(|r| r.unit.id == corrected.community.id).expect("the community's record");
    assert_eq!(community.corrections_90_days, 1);
}

#[tokio::test]
async fn a_closed_item_takes_no_edit_and_an_account_edits_only_through_a_role_over_the_item() {
    let app = spawn_app_at(tests::city_time(2026, 12, 1, 10, 0)).await;
    let grid1 = app.token("grid1").await;
    let secretary = app.token("community1").await;
    let item = app.create_item(&grid1, &capture(building(&app, &grid1, 3).await)).await.with_status(201);
    let solve = shared::item::SolveLocally { version: 1, result: "已联系物业更换。".into() };
    let item = app.solve_locally(&secretary, &item.id, &solve).await.with_status(200);
    let told =
        shared::item::TellResident { version: item.version, how: shared::item::FeedbackMethod::Visit, note: None };
    let item = app.tell_resident(&grid1, &item.id, &told).await.with_status(200);
    assert_eq!(item.status, ItemStatus::Closed);
    let phone = UpdateItem { version: item.version, resident_name: Some("王阿姨".into()), ..Default::default() };
    assert_eq!(app.update_item(&grid1, &item.id, &phone).await.code(), "wrong_stage");
    // Only the correction, with its reason, changes a closed item.
    let fix = CorrectItem {
        version: item.version,
        reason: "类型登记错误".into(),
        item_type: Some(ItemType::SafetyEnvironment),
        ..Default::default()
    };
    let fixed = app.correct_item(&secretary, &item.id, &fix).await.with_status(200);
    assert_eq!(fixed.item_type, ItemType::SafetyEnvironment);

    // A department handler sees an item its department holds, but holds no role over its place to edit it.
    let held = accepted_item(&app).await;
    let dept1 = app.token("dept1").await;
    let edit = UpdateItem { version: held.version, resident_name: Some("张三".into()), ..Default::default() };
    assert_eq!(app.update_item(&dept1, &held.id, &edit).await.status, 403);
}

#[tokio::test]
async fn a_co_handling_department_opens_its_item_and_records_its_part() {
    let app = spawn_app_at(tests::city_time(2026, 12, 1, 10, 0)).await;
    let (id, version) = crate::journey::item_at_street(&app).await;
    let dispatcher = app.token("dispatcher1").await;
    let housing = crate::journey::dept_id(&app, &dispatcher, crate::journey::HOUSING).await;
    let units = app.units(&dispatcher).await;
    let lead =
        units.iter().find(|u| u.kind == shared::OrgKind::Department && u.id != housing).expect("another department").id;
    let dispatch = shared::journey::Dispatch { version, department_id: lead, co_department_ids: vec![housing] };
    app.dispatch(&dispatcher, &id, &dispatch).await.with_status(200);

    // The housing bureau, told as 协办, opens the item and records what it did; the history keeps it.
    let dept1 = app.token("dept1").await;
    let item = app.item(&dept1, &id).await.with_status(200);
    assert!(item.journey.can_co_handle);
    assert!(item.journey.actions.is_empty(), "accepting and returning are the lead department's");
    // It is in the bureau's own queue, marked 协办, not only in its messages.
    let queue = app.queue(&dept1, "stage=dispatched").await.ok();
    let row = queue.iter().find(|r| r.id == id).unwrap_or_else(|| panic!("not in the queue: {queue:?}"));
    assert!(row.co_handling);
    let empty = shared::journey::CoHandling { note: " ".into() };
    assert_eq!(app.co_handling(&dept1, &id, &empty).await.field(), Some("note"));
    let note = shared::journey::CoHandling {
        note: "已派人核查楼内供水管线，配合责任部门更换阀门。".into()
    };
    app.co_handling(&dept1, &id, &note).await.with_status(200);
    let events = app.item_events(&dept1, &id).await.ok();
    let last = events.last().unwrap();
    assert_eq!((last.kind.as_str(), last.label.as_str()), ("co_handled", "协办情况"));
    assert!(last.changes.iter().any(|c| c.after.as_deref() == Some(crate::journey::HOUSING)));

    // Nobody else records a part: the street is not a co-handling department, another street does not see it.
    assert_eq!(app.co_handling(&dispatcher, &id, &note).await.status, 403);
    let grid2 = app.token("grid2").await;
    assert_eq!(app.item(&grid2, &id).await.status, 404);
}

#[tokio::test]
async fn a_closed_months_table_is_the_same_asked_on_the_1st_and_after_another_month_of_work() {
    // Accepted on 25 November; November closes with it in progress.
    let app = spawn_app_at(tests::city_time(2026, 11, 25, 10, 0)).await;
    let item = accepted_item(&app).await;
    let street = app.token("street1").await;
    app.set_time(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 30, 16, 10, 0).unwrap());
    let on_the_1st = app.monthly_stats(&street, "year=2026&month=11").await.ok();
    assert_eq!(on_the_1st.total.in_progress.item_ids, std::slice::from_ref(&item.id));
    // In December the department returns the sheet late, and time runs on: November's table does not move.
    app.state.clock.advance(Duration::days(19));
    let dept1 = app.token("dept1").await;
    app.hold_onsite_office(&dept1, &item.id).await;
    let late = ReturnSheet {
        onsite: Some(true),
        measures_clear: Some(true),
        measures: Some("联合物业".into()),
        ..solved_sheet(item.version, "协调解决")
    };
    app.return_sheet(&dept1, &item.id, &late).await.with_status(200);
    let street = app.token("street1").await;
    let later = app.monthly_stats(&street, "year=2026&month=11").await.ok();
    assert_eq!(later.total, on_the_1st.total);
    assert_eq!(later.as_of, on_the_1st.as_of);
}
