//! The collection routines of 第六条 on both engines: a grid leader's week of visits with the station head's coverage
//! and missed days (days cut at midnight Asia/Shanghai), building leaders credited on items, meetings and their gaps,
//! the reception schedule's gaps and clashes, and items from each channel linked back to where they were raised.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use shared::channels::{
    Attendance, AttendeeCategory, DayCoverage, MeetingKind, MeetingMonth, NewMeeting, NewReception, NewReceptionPlan,
    NewVisit, NewVisitTarget, StationMeetings, UpdateVisitTarget, Visit, VisitKind, VisitTarget,
};
use shared::item::{CreateItem, ItemStatus};
use shared::{Channel, Outcome};
use tests::TestApp;

use crate::items::{building, capture, new_id, GRID1};
use crate::journey::{spawn_app, spawn_app_at};

const STATION1: &str = "新华街道 / 和平社区 / 和平社区第一党群服务站";
const STATION2: &str = "新华街道 / 和平社区 / 和平社区第二党群服务站";
const GUANGMING: &str = "新华街道 / 光明社区 / 光明社区党群服务站";

/// Sets the clock to a time in Asia/Shanghai (UTC+8).
fn at_shanghai(app: &TestApp, y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) {
    app.set_time(shanghai(y, m, d, h, min, s));
}

fn shanghai(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, s).unwrap() - chrono::Duration::hours(8)
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

async fn add_target(app: &TestApp, token: &str, grid: i64, register: VisitKind, name: &str) -> i64 {
    let body = NewVisitTarget { grid_id: grid, register, name: name.into(), address: None, note: None };
    app.add_visit_target(token, &body).await.with_status(201).id
}

/// A visit of this kind now (or at `at`), to `target`, by the grid leader of their one grid.
fn new_visit(kind: VisitKind, target: Option<i64>, at: Option<DateTime<Utc>>, note: &str) -> NewVisit {
    NewVisit { id: new_id(), grid_id: None, kind, target_id: target, visited_at: at, note: note.into(), photo_id: None }
}

async fn visit(app: &TestApp, token: &str, kind: VisitKind, target: Option<i64>, at: Option<DateTime<Utc>>) -> Visit {
    let r = app.record_visit(token, &new_visit(kind, target, at, "入户了解情况，无异常")).await;
    assert_eq!(r.status, 201, "{kind:?}: {:?}", r.body);
    r.ok()
}

fn slots(week: &[DayCoverage]) -> Vec<(String, u32, bool, bool)> {
    week.iter().map(|d| (d.date.to_string(), d.slots_done, d.missed, d.future)).collect()
}

#[tokio::test]
async fn a_grid_leaders_week_of_visits_and_the_station_heads_coverage() {
    let app = spawn_app_at(tests::city_time(2026, 11, 30, 9, 0)).await;
    let grid1 = app.token("grid1").await;
    let grid = app.unit_id(&grid1, GRID1).await;
    let special = add_target(&app, &grid1, grid, VisitKind::SpecialGroup, "王秀兰（独居老人）").await;
    let demands = add_target(&app, &grid1, grid, VisitKind::ManyDemands, "李德福").await;
    let compound = add_target(&app, &grid1, grid, VisitKind::ProblemCompound, "幸福小区").await;

    // Monday 30 November: all three registers. Tuesday: two of them and a WeChat-group note.
    at_shanghai(&app, 2026, 11, 30, 10, 0, 0);
    visit(&app, &grid1, VisitKind::SpecialGroup, Some(special), None).await;
    visit(&app, &grid1, VisitKind::ManyDemands, Some(demands), None).await;
    visit(&app, &grid1, VisitKind::ProblemCompound, Some(compound), None).await;
    at_shanghai(&app, 2026, 12, 1, 10, 0, 0);
    visit(&app, &grid1, VisitKind::SpecialGroup, Some(special), None).await;
    visit(&app, &grid1, VisitKind::WechatGroup, None, None).await;
    // Wednesday morning: a visit noted late at 23:59:59 on Tuesday counts for Tuesday; one at midnight for Wednesday.
    at_shanghai(&app, 2026, 12, 2, 10, 0, 0);
    let late = shanghai(2026, 12, 1, 23, 59, 59);
    let late = visit(&app, &grid1, VisitKind::ManyDemands, Some(demands), Some(late)).await;
    assert_eq!(late.day, date("2026-12-01"));
    let midnight = shanghai(2026, 12, 2, 0, 0, 0);
    let midnight = visit(&app, &grid1, VisitKind::ProblemCompound, Some(compound), Some(midnight)).await;
    assert_eq!(midnight.day, date("2026-12-02"));

    // The concern raised there goes into capture linked to the visit.
    let item = CreateItem { visit_id: Some(midnight.id.clone()), ..capture(building(&app, &grid1, 2).await) };
    let r = app.create_item(&grid1, &item).await.with_status(201);
    assert_eq!(r.origin.visit_id.as_ref(), Some(&midnight.id));
    assert_eq!(r.channel, Channel::WechatVisit);
    let item_id = r.id;

    // The grid leader's day (the daily report): one slot of three, the item raised.
    let day = app.visit_day(&grid1, "").await.with_status(200);
    assert_eq!(day.date, date("2026-12-02"));
    assert_eq!(day.slots_done, 1);
    assert_eq!(day.items_raised, 1);
    assert_eq!(day.slots[2].kind, VisitKind::ProblemCompound);
    assert_eq!(day.slots[2].visits[0].items[0].id, item_id);
    assert!(!day.slots[0].done);

    // The station head's coverage: Monday complete, Tuesday missed (no compound visited), today in progress, the rest
    // ahead; the station's second grid made no visit, so Monday and Tuesday are missed there.
    let station1 = app.token("station1").await;
    let cov = app.visit_coverage(&station1, "").await.with_status(200);
    assert_eq!(cov.week_start, date("2026-11-30"));
    let grids = &cov.grids;
    assert_eq!(grids.len(), 2);
    let first = &grids[0];
    assert_eq!(first.grid.name, "第一网格");
    assert_eq!(first.leaders[0].name, "王建华");
    let week = slots(&first.week);
    assert_eq!(week[0], ("2026-11-30".into(), 3, false, false));
    assert_eq!(week[1], ("2026-12-01".into(), 2, true, false));
    assert_eq!(week[2], ("2026-12-02".into(), 1, false, false));
    assert_eq!(week[3], ("2026-12-03".into(), 0, false, true));
    assert_eq!(first.week[1].missing, [VisitKind::ProblemCompound]);
    assert_eq!(first.week[1].visits, 3, "the WeChat note counts as a visit, not a register slot");
    assert_eq!(first.week[2].items_raised, 1);
    assert_eq!(first.missed_days, 1);
    assert_eq!(first.today.slots_done, 1);
    assert_eq!(grids[1].missed_days, 2);
    // The register shows when each entry was last visited.
    let targets = app.visit_targets(&grid1, &format!("grid_id={grid}")).await.ok();
    let compound_row = targets.iter().find(|t| t.id == compound).unwrap();
    assert_eq!(compound_row.last_visited_on, Some(date("2026-12-02")));
    // Another station's head cannot read this station; a grid leader of another street cannot record here.
    let station2 = app.token("station2").await;
    let other = app.unit_id(&app.token("admin").await, STATION1).await;
    assert_eq!(app.visit_coverage(&station2, &format!("station_id={other}")).await.status, 404);
    let grid2 = app.token("grid2").await;
    let there = NewVisit { grid_id: Some(grid), ..new_visit(VisitKind::WechatGroup, None, None, "x") };
    let r = app.record_visit(&grid2, &there).await;
    assert_eq!((r.status, r.field()), (422, Some("grid_id")), "{:?}", r.body);
}

#[tokio::test]
async fn a_visit_is_recorded_once_and_bad_visits_are_refused_by_field() {
    let app = spawn_app_at(tests::city_time(2026, 12, 2, 10, 0)).await;
    let grid1 = app.token("grid1").await;
    let grid = app.unit_id(&grid1, GRID1).await;
    let special = add_target(&app, &grid1, grid, VisitKind::SpecialGroup, "王秀兰").await;

    let body = new_visit(VisitKind::SpecialGroup, Some(special), None, "身体不错");
    assert_eq!(app.record_visit(&grid1, &body).await.status, 201);
    let again = app.record_visit(&grid1, &body).await;
    assert_eq!(again.status, 200, "a retry answers the visit already made");
    let again = again.ok();
    let changed = NewVisit { note: "别的内容".into(), ..body.clone() };
    assert_eq!(app.record_visit(&grid1, &changed).await.status, 409);
    let day = app.visit_day(&grid1, "").await.ok();
    assert_eq!(day.slots[0].visits.len(), 1);
    // A visit with its photo: the photo comes back with signed links.
    let photo_id = new_id();
    let up = app.photo(&grid1, &photo_id, crate::photos::png(64, 48), "visit.png").await;
    assert_eq!(up.status, 201, "{:?}", up.body);
    let with_photo = NewVisit {
        photo_id: Some(photo_id.clone()),
        ..new_visit(VisitKind::WechatGroup, None, None, "群里发来的照片")
    };
    let r = app.record_visit(&grid1, &with_photo).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let day = app.visit_day(&grid1, "").await.ok();
    let photo = day.wechat[0].photo.as_ref();
    assert_eq!(photo.map(|p| p.id.as_str()), Some(photo_id.as_str()));
    assert!(photo.is_some_and(|p| p.thumb_url.contains(&photo_id)), "{day:?}");

    let v = |kind: VisitKind, target: Option<i64>, note: &str| new_visit(kind, target, None, note);
    let refused = [
        (v(VisitKind::SpecialGroup, None, "x"), "target_id"),
        (v(VisitKind::ManyDemands, Some(special), "x"), "target_id"),
        (v(VisitKind::WechatGroup, Some(special), "x"), "target_id"),
        (v(VisitKind::SpecialGroup, Some(special), "  "), "note"),
        (NewVisit { id: "not-a-uuid".into(), ..v(VisitKind::WechatGroup, None, "x") }, "id"),
        (new_visit(VisitKind::WechatGroup, None, Some(shanghai(2026, 11, 29, 12, 0, 0)), "x"), "visited_at"),
        (NewVisit { photo_id: Some(new_id()), ..v(VisitKind::WechatGroup, None, "x") }, "photo_id"),
    ];
    for (body, field) in refused {
        let r = app.record_visit(&grid1, &body).await;
        assert_eq!((r.status, r.field()), (422, Some(field)), "{body:?}: {:?}", r.body);
    }
    let register =
        NewVisitTarget { grid_id: grid, register: VisitKind::WechatGroup, name: "x".into(), address: None, note: None };
    let r = app.add_visit_target(&grid1, &register).await;
    assert_eq!((r.status, r.field()), (422, Some("register")));
    // Taken off the register: no more visits to it, still listed with ?all=true.
    let off = UpdateVisitTarget { active: Some(false), ..Default::default() };
    let r = app.update_visit_target(&grid1, special, &off).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = app.record_visit(&grid1, &v(VisitKind::SpecialGroup, Some(special), "x")).await;
    assert_eq!((r.status, r.field()), (422, Some("target_id")));
    let listed = |list: Vec<VisitTarget>| list.into_iter().find(|t| t.id == special);
    let all = app.visit_targets(&grid1, &format!("grid_id={grid}&all=true")).await.ok();
    assert_eq!(listed(all).map(|t| t.active), Some(false));
    let active = app.visit_targets(&grid1, &format!("grid_id={grid}")).await.ok();
    assert_eq!(listed(active), None);

    // An item may name only a visit of its own grid, with the visit's channel.
    let visit_id = again.id;
    let item = CreateItem {
        visit_id: Some(visit_id.clone()),
        channel: Channel::Meeting,
        source: None,
        ..capture(building(&app, &grid1, 1).await)
    };
    let r = app.create_item(&grid1, &item).await;
    assert_eq!((r.status, r.field()), (422, Some("channel")), "{:?}", r.body);
    let item = CreateItem { visit_id: Some(new_id()), ..capture(building(&app, &grid1, 1).await) };
    let r = app.create_item(&grid1, &item).await;
    assert_eq!((r.status, r.field()), (422, Some("visit_id")));
    let item = CreateItem { solved_on_spot: Some("已解决".into()), ..capture(building(&app, &grid1, 1).await) };
    let r = app.create_item(&grid1, &item).await;
    assert_eq!((r.status, r.field()), (422, Some("solved_on_spot")));

    // A visit that landed but whose answer was lost, sent again by the phone three days later, is that visit (not
    // refused as too old, which would make the phone record it a second time); a new one that old is refused.
    let noted = new_visit(VisitKind::WechatGroup, None, Some(shanghai(2026, 12, 2, 9, 30, 0)), "群里反映停水");
    assert_eq!(app.record_visit(&grid1, &noted).await.status, 201);
    at_shanghai(&app, 2026, 12, 5, 8, 0, 0);
    let grid1 = app.token("grid1").await;
    let late = app.record_visit(&grid1, &noted).await;
    assert_eq!(late.status, 200, "{:?}", late.body);
    assert_eq!(late.ok().id, noted.id);
    let fresh = NewVisit { id: new_id(), ..noted.clone() };
    let r = app.record_visit(&grid1, &fresh).await;
    assert_eq!((r.status, r.field()), (422, Some("visited_at")), "{:?}", r.body);
}

#[tokio::test]
async fn building_leaders_are_credited_on_their_items() {
    let app = spawn_app().await;
    let grid1 = app.token("grid1").await;
    let louzhang = app.token("louzhang1").await;
    let grid = app.unit_id(&grid1, GRID1).await;
    let leaders = app.building_leaders(&grid1, &format!("grid_id={grid}")).await.ok();
    assert_eq!(leaders[0].person.name, "李秀英");
    assert_eq!(leaders[0].building.name, "1号楼");
    let louzhang_id = leaders[0].person.id;

    // The building leader reports in the app: credited, and the grid leader sees it in the grid.
    let r = app.create_item(&louzhang, &capture(building(&app, &louzhang, 1).await)).await.with_status(201);
    assert_eq!(r.origin.building_leader.as_ref().unwrap().name, "李秀英");
    assert_eq!(r.collector.name, "李秀英");
    let own = r.id;
    assert_eq!(app.item(&grid1, &own).await.status, 200);

    // The grid leader records one on the building leader's behalf: both credited.
    let body = CreateItem { building_leader_id: Some(louzhang_id), ..capture(building(&app, &grid1, 3).await) };
    let r = app.create_item(&grid1, &body).await.with_status(201);
    assert_eq!(r.origin.building_leader.as_ref().unwrap().name, "李秀英");
    assert_eq!(r.collector.name, "王建华");
    let ledger = app.ledger(&grid1, "").await.ok();
    let collectors: Vec<&str> = ledger.rows.iter().map(|r| r.collector.as_str()).collect();
    assert!(collectors.contains(&"王建华（楼长李秀英）") && collectors.contains(&"李秀英"), "{collectors:?}");
    // Someone who is not a building leader of the grid cannot be credited.
    let station1_id = app.me(&app.token("station1").await).await.ok().id;
    let body = CreateItem { building_leader_id: Some(station1_id), ..capture(building(&app, &grid1, 3).await) };
    let r = app.create_item(&grid1, &body).await;
    assert_eq!((r.status, r.field()), (422, Some("building_leader_id")), "{:?}", r.body);
}

fn meeting(station: i64, kind: MeetingKind, held_on: &str) -> NewMeeting {
    let attend =
        |category: AttendeeCategory, count: u32, names: &str| Attendance { category, count, names: names.into() };
    NewMeeting {
        id: new_id(),
        station_id: station,
        kind,
        held_on: date(held_on),
        attendees: vec![
            attend(AttendeeCategory::BuildingLeaders, 6, ""),
            attend(AttendeeCategory::Property, 1, "幸福物业"),
        ],
        minutes: "围绕小区停车和楼道照明议事。".into(),
    }
}

#[tokio::test]
async fn meetings_raise_items_solved_on_the_spot_or_into_the_ledger_and_gaps_are_flagged() {
    let app = spawn_app_at(tests::city_time(2026, 12, 10, 9, 0)).await;
    let station1 = app.token("station1").await;
    let s1 = app.unit_id(&station1, STATION1).await;
    // November's talk does not count for December; October's joint meeting counts for the quarter.
    for (kind, day) in [(MeetingKind::MonthlyTalk, "2026-11-30"), (MeetingKind::QuarterlyJoint, "2026-10-15")] {
        let r = app.record_meeting(&station1, &meeting(s1, kind, day)).await;
        assert_eq!(r.status, 201, "{:?}", r.body);
    }
    let secretary = app.token("community1").await;
    let month = app.meetings(&secretary, "year=2026&month=12").await.ok();
    let line = |m: &MeetingMonth, name: &str| -> StationMeetings {
        m.stations.iter().find(|s| s.station.full_name == name).unwrap().clone()
    };
    let first = line(&month, STATION1);
    assert_eq!((first.missing_monthly_talk, first.quarterly_joint_on), (true, Some(date("2026-10-15"))));
    assert!(!first.missing_quarterly_joint);
    let second = line(&month, STATION2);
    assert_eq!((second.missing_monthly_talk, second.missing_quarterly_joint), (true, true));
    assert_eq!(month.stations.len(), 2, "the community's two stations");

    // December's talk, one concern solved on the spot and one into the ledger.
    let talk = meeting(s1, MeetingKind::MonthlyTalk, "2026-12-05");
    let r = app.record_meeting(&station1, &talk).await.with_status(201);
    assert_eq!(r.attendee_total, 7);
    assert_eq!(app.record_meeting(&station1, &talk).await.status, 200, "the same record again");
    let meeting_id = r.id;
    let place = building(&app, &station1, 2).await;
    let solved = CreateItem {
        channel: Channel::Meeting,
        source: None,
        meeting_id: Some(meeting_id.clone()),
        solved_on_spot: Some("物业当场承诺本周内更换楼道灯，居民认可。".into()),
        ..capture(place)
    };
    // Only those who solve at the community's level register an item as solved (街道社区办结): the station head who
    // recorded the meeting registers it for the community to review; the community secretary, who was there, solves it.
    let r = app.create_item(&station1, &solved).await;
    assert_eq!((r.status, r.field()), (422, Some("solved_on_spot")), "{:?}", r.body);
    let r = app.create_item(&secretary, &solved).await.with_status(201);
    assert_eq!(r.status, ItemStatus::Solved);
    assert_eq!(r.ledger.outcome, Some(Outcome::SolvedLocally));
    assert!(r.origin.solved_on_spot);
    let solved_id = r.id;
    let events = app.item_events(&station1, &solved_id).await.ok();
    assert_eq!(events[1].kind, "solved_locally");
    let raised =
        CreateItem { channel: Channel::Meeting, source: None, meeting_id: Some(meeting_id.clone()), ..capture(place) };
    let r = app.create_item(&station1, &raised).await.with_status(201);
    assert_eq!(r.status, ItemStatus::Collected);

    let m = app.meeting(&secretary, &meeting_id).await.ok();
    let on_spot: Vec<bool> = m.items.iter().map(|i| i.solved_on_spot).collect();
    assert_eq!(on_spot.len(), 2);
    assert!(on_spot.contains(&true) && on_spot.contains(&false));
    let month = app.meetings(&secretary, "year=2026&month=12").await.ok();
    assert!(!line(&month, STATION1).missing_monthly_talk);
    assert_eq!(month.stations[0].station.full_name, STATION2, "stations missing a meeting come first");
    assert_eq!(month.meetings.len(), 1);
    assert_eq!(month.meetings[0].items.len(), 2, "the month's meetings with their items");
    assert_eq!(month.meetings[0].station.full_name, STATION1);
    // The street sees all its stations; the ledger shows the channel.
    let street = app.meetings(&app.token("street1").await, "year=2026&month=12").await.ok();
    assert_eq!(street.stations.len(), 3);
    let ledger = app.ledger(&secretary, "").await.ok();
    let channels: Vec<Channel> = ledger.rows.iter().map(|r| r.channel).collect();
    assert_eq!(channels, [Channel::Meeting, Channel::Meeting], "{ledger:?}");

    // Refusals by field: nobody attended, a future day, an item outside the station, a station out of scope.
    let empty = NewMeeting { attendees: Vec::new(), ..meeting(s1, MeetingKind::MonthlyTalk, "2026-12-05") };
    let future = meeting(s1, MeetingKind::MonthlyTalk, "2026-12-11");
    let s2 = app.unit_id(&app.token("admin").await, "福民街道 / 福民社区 / 福民社区党群服务站").await;
    for (body, field) in
        [(empty, "attendees"), (future, "held_on"), (meeting(s2, MeetingKind::MonthlyTalk, "2026-12-05"), "station_id")]
    {
        let r = app.record_meeting(&station1, &body).await;
        assert_eq!((r.status, r.field()), (422, Some(field)), "{:?}", r.body);
    }
    let outside = CreateItem { id: new_id(), place_id: app.unit_id(&secretary, STATION2).await, ..raised.clone() };
    let r = app.create_item(&secretary, &outside).await;
    assert_eq!((r.status, r.field()), (422, Some("place_id")), "{:?}", r.body);
}

#[tokio::test]
async fn the_reception_schedule_shows_gaps_clashes_and_what_was_held() {
    let app = spawn_app_at(tests::city_time(2026, 12, 1, 9, 0)).await;
    let street1 = app.token("street1").await;
    let secretary = app.token("community1").await;
    let s1 = app.unit_id(&street1, STATION1).await;
    let s2 = app.unit_id(&street1, STATION2).await;
    let gm = app.unit_id(&street1, GUANGMING).await;
    let me = |token: String| {
        let app = &app;
        async move { app.me(&token).await.ok().id }
    };
    let street_leader = me(street1.clone()).await;
    let community_secretary = me(secretary.clone()).await;

    // Who may host at a station: the street's leader, then the community's secretary (not another community's).
    let hosts = app.reception_hosts(&street1, &format!("station_id={s1}")).await.with_status(200);
    let pairs: Vec<(i64, &str)> = hosts.iter().map(|h| (h.host.id, h.host_role.as_str())).collect();
    assert_eq!(pairs, vec![(street_leader, "街道书记/主任"), (community_secretary, "社区书记")]);
    let hosts = app.reception_hosts(&street1, &format!("station_id={gm}")).await.ok();
    assert!(hosts.iter().all(|h| h.host.id != community_secretary), "{hosts:?}");
    assert_eq!(hosts[0].host.id, street_leader);
    let elsewhere = app.unit_id(&app.token("admin").await, "福民街道 / 福民社区 / 福民社区党群服务站").await;
    let r = app.reception_hosts(&street1, &format!("station_id={elsewhere}")).await;
    assert_eq!(r.status, 404, "another street's station is not in scope: {:?}", r.body);

    // Nothing planned: every station a gap, the secretary without a weekday, the street leader without a reception.
    let s = app.reception_schedule(&street1, "year=2026&month=12").await.ok();
    assert_eq!(s.gaps.len(), 3, "{s:?}");
    assert_eq!(s.secretaries_without_weekday[0].id, community_secretary);
    assert_eq!(s.leaders_without_reception[0].id, street_leader);

    // The street leader on the 10th at two stations (a clash); the secretary every Wednesday at the second station.
    let plan = |host: i64, station: i64, weekday: Option<u32>, on_date: Option<&str>| NewReceptionPlan {
        host_id: host,
        station_id: station,
        weekday,
        on_date: on_date.map(date),
    };
    let r = app.add_reception_plan(&street1, &plan(street_leader, s1, None, Some("2026-12-10"))).await;
    let r = r.with_status(201);
    assert_eq!(r.host_role, "街道书记/主任");
    let clash = app.add_reception_plan(&street1, &plan(street_leader, gm, None, Some("2026-12-10"))).await;
    let clash = clash.with_status(201);
    let r = app.add_reception_plan(&secretary, &plan(community_secretary, s2, Some(3), None)).await.with_status(201);
    assert_eq!(r.host_role, "社区书记");
    // The same plan twice is refused (the page refuses it too); the same host on another weekday is another plan.
    for (token, twice) in [
        (&secretary, plan(community_secretary, s2, Some(3), None)),
        (&street1, plan(street_leader, s1, None, Some("2026-12-10"))),
    ] {
        let r = app.add_reception_plan(token, &twice).await;
        assert_eq!((r.status, r.code()), (409, "conflict"), "{twice:?}: {:?}", r.body);
    }
    let s = app.reception_schedule(&street1, "year=2026&month=12").await.ok();
    assert_eq!(s.days.len(), 7, "two dated and five Wednesdays: {s:?}");
    assert!(s.gaps.is_empty());
    assert_eq!(s.clashes[0].date, date("2026-12-10"));
    assert_eq!(s.clashes[0].stations.len(), 2);
    assert!(s.secretaries_without_weekday.is_empty());
    assert!(s.leaders_without_reception.is_empty());

    // Moved off: the clash goes and 光明 is a gap again.
    let r = app.delete(Some(&street1), &format!("/api/reception-plans/{}", clash.id)).await;
    assert_eq!(r, 204);
    let s = app.reception_schedule(&street1, "year=2026&month=12").await.ok();
    assert!(s.clashes.is_empty());
    assert_eq!(s.gaps[0].full_name, GUANGMING);

    // The 10th: the planned reception is held and recorded, with one item raised; the month's schedule shows it held.
    at_shanghai(&app, 2026, 12, 10, 16, 0, 0);
    let held = NewReception {
        id: new_id(),
        station_id: s1,
        host_id: None,
        held_on: date("2026-12-10"),
        residents: 12,
        notes: "反映停车难等问题".into(),
    };
    let r = app.record_reception(&street1, &held).await.with_status(201);
    assert_eq!(r.host.id, street_leader);
    let reception_id = r.id;
    let item = CreateItem {
        channel: Channel::Reception,
        source: None,
        reception_id: Some(reception_id.clone()),
        ..capture(building(&app, &street1, 1).await)
    };
    let r = app.create_item(&street1, &item).await.with_status(201);
    assert_eq!(r.origin.reception_id.as_ref(), Some(&reception_id));
    let rec = app.reception(&secretary, &reception_id).await.ok();
    assert_eq!(rec.items.len(), 1);
    assert_eq!(rec.residents, 12);
    let s = app.reception_schedule(&street1, "year=2026&month=12").await.ok();
    let tenth: Vec<_> = s.days.iter().filter(|d| d.date == date("2026-12-10")).collect();
    assert_eq!(tenth.len(), 1);
    assert_eq!(tenth[0].reception_id.as_ref(), Some(&reception_id));
    // A reception held without a plan fills 光明's gap.
    let unplanned = NewReception {
        id: new_id(),
        station_id: gm,
        host_id: None,
        held_on: date("2026-12-09"),
        residents: 3,
        notes: String::new(),
    };
    let r = app.record_reception(&street1, &unplanned).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let s = app.reception_schedule(&street1, "year=2026&month=12").await.ok();
    assert!(s.gaps.is_empty(), "{s:?}");

    // Refusals by field.
    let grid1 = app.me(&app.token("grid1").await).await.ok().id;
    for (body, field) in [
        (plan(grid1, s1, Some(2), None), "host_id"),
        (plan(street_leader, s1, Some(8), None), "weekday"),
        (plan(street_leader, s1, Some(2), Some("2026-12-20")), "weekday"),
        (plan(street_leader, s1, None, None), "weekday"),
    ] {
        let r = app.add_reception_plan(&street1, &body).await;
        assert_eq!((r.status, r.field()), (422, Some(field)), "{body:?}: {:?}", r.body);
    }
    let tomorrow = NewReception {
        id: new_id(),
        station_id: s1,
        host_id: None,
        held_on: date("2026-12-11"),
        residents: 1,
        notes: String::new(),
    };
    let r = app.record_reception(&street1, &tomorrow).await;
    assert_eq!((r.status, r.field()), (422, Some("held_on")));
}
