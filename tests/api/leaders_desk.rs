//! Reports reach the leaders (第七条3: 分别向市委书记、市长直接进行汇报; issue 18): a submitted 民情专报 is delivered
//! to each city leader, who reads it; the street and the city offices see who read it and when. The offices'
//! judgement (研判) of a month's analysis goes the same way, and each of its measures gets its outcome.

use shared::stats::EditReport;

use crate::journey::spawn_app_at;

#[tokio::test]
async fn a_submitted_report_is_delivered_to_the_city_leaders_and_their_reading_is_seen() {
    let app = spawn_app_at(tests::city_time(2026, 12, 2, 10, 0)).await;
    let (street, leader, analyst) =
        (app.token("street1").await, app.token("leader1").await, app.token("analyst1").await);
    let draft = app.generate_report(&street, 2026, 11).await.with_status(200);
    let id = draft.summary.id;
    assert!(draft.receipts.is_empty(), "a draft is delivered to nobody");
    // A leader cannot mark a report read before it reached them.
    let r = app.post_as::<serde_json::Value, _>(&leader, &format!("/api/reports/{id}/read"), &()).await;
    assert_eq!(r.status, 403, "{:?}", r.body);

    let edit = EditReport {
        version: draft.version,
        section1: draft.section1.clone(),
        section2: draft.section2.clone(),
        section3: "加快老旧小区改造。".into(),
    };
    let edited = app.edit_report(&street, id, &edit).await.with_status(200);
    let submitted = app.submit_report(&street, id, edited.version).await.with_status(200);
    assert_eq!(submitted.receipts.len(), 1, "delivered to each 市领导 account: {:?}", submitted.receipts);
    assert_eq!(submitted.receipts[0].leader.name, "吴书记");
    assert_eq!(submitted.receipts[0].read_at, None);

    // The leader's list shows it unread until read; the street's does not.
    let theirs = app.reports(&leader, "").await.ok();
    assert!(theirs.iter().any(|r| r.id == id && r.unread), "{theirs:?}");
    assert!(app.reports(&street, "").await.ok().iter().all(|r| !r.unread));
    app.state.clock.advance(chrono::Duration::hours(2));
    let read = app.post_as::<shared::stats::Report, _>(&leader, &format!("/api/reports/{id}/read"), &()).await;
    let read = read.with_status(200);
    let when = read.receipts[0].read_at.expect("read");
    assert!((when - app.state.clock.now()).num_seconds().abs() < 5, "read at {when}");
    // Reading again keeps the first time.
    app.state.clock.advance(chrono::Duration::hours(1));
    app.post_as::<shared::stats::Report, _>(&leader, &format!("/api/reports/{id}/read"), &()).await.with_status(200);
    // The street and the city's analysts see it.
    for token in [&street, &analyst] {
        let seen = app.report(token, id).await.ok();
        assert_eq!(seen.receipts[0].read_at, Some(when));
    }
    assert!(app.reports(&leader, "").await.ok().iter().all(|r| !r.unread));
    // A street account cannot read on the leaders' behalf.
    let r = app.post_as::<serde_json::Value, _>(&street, &format!("/api/reports/{id}/read"), &()).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
}

#[tokio::test]
async fn the_offices_judge_the_month_and_the_leaders_read_it_and_each_measure_gets_its_outcome() {
    use chrono::{Duration, NaiveDate};
    use shared::dashboard::Analysis;
    use shared::judgement::{Judgement, MeasureDraft, MeasureOutcome, SaveJudgement};
    let app = spawn_app_at(tests::city_time(2026, 12, 2, 10, 0)).await;
    let (analyst, leader, supervisor, admin) = (
        app.token("analyst1").await,
        app.token("leader1").await,
        app.token("supervisor1").await,
        app.token("admin").await,
    );
    let housing = app.unit_id(&admin, crate::journey::HOUSING).await;
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
    let measure = |text: &str, due: NaiveDate| MeasureDraft { measure: text.into(), holder_id: housing, due_on: due };
    let mut body = SaveJudgement {
        year: 2026,
        month: 11,
        risks: "老旧小区供暖问题集中，多个街道反映，入冬后可能引发群体性上访。".into(),
        measures: vec![measure("开展供暖专项排查", day(15)), measure("公布供暖投诉电话", day(10))],
    };
    let path = "/api/analysis/judgement";
    // Only the offices write it; each problem names its field.
    assert_eq!(app.put_as::<serde_json::Value, _>(&supervisor, path, &body).await.status, 403);
    let mut bad = body.clone();
    bad.measures[1].due_on = day(1);
    let r = app.put_as::<serde_json::Value, _>(&analyst, path, &bad).await;
    assert_eq!((r.status, r.field()), (422, Some("measures[1].due_on")), "a past due date: {:?}", r.body);
    bad.measures[1].holder_id = 999_999;
    let r = app.put_as::<serde_json::Value, _>(&analyst, path, &bad).await;
    assert_eq!((r.status, r.field()), (422, Some("measures[1].holder_id")), "{:?}", r.body);

    let saved = app.put_as::<Judgement, _>(&analyst, path, &body).await.ok();
    assert_eq!(saved.measures.len(), 2);
    assert!(saved.submitted_at.is_none() && saved.receipts.is_empty(), "a draft reaches nobody");
    body.measures.pop();
    let saved = app.put_as::<Judgement, _>(&analyst, path, &body).await.ok();
    assert_eq!(saved.measures.len(), 1, "rewritten until submitted");
    let id = saved.id;
    let m = saved.measures[0].id;
    let outcome = MeasureOutcome { outcome: "已排查12个小区，修复管网3处".into() };
    let r =
        app.post_as::<serde_json::Value, _>(&analyst, &format!("/api/analysis/measures/{m}/outcome"), &outcome).await;
    assert_eq!((r.status, r.code()), (409, "wrong_stage"), "outcomes follow the submission: {:?}", r.body);

    // Submitted: delivered to the leaders; no more rewriting; the leader's reading is seen by the offices.
    let submitted = app.post_as::<Judgement, _>(&analyst, &format!("{path}/{id}/submit"), &()).await.ok();
    assert_eq!(submitted.receipts.len(), 1);
    assert_eq!(submitted.receipts[0].read_at, None);
    assert_eq!(app.put_as::<serde_json::Value, _>(&analyst, path, &body).await.status, 409);
    let r = app.post_as::<serde_json::Value, _>(&supervisor, &format!("{path}/{id}/read"), &()).await;
    assert_eq!(r.status, 403, "not delivered to the supervision office: {:?}", r.body);
    let read = app.post_as::<Judgement, _>(&leader, &format!("{path}/{id}/read"), &()).await.ok();
    assert!(read.receipts[0].read_at.is_some());
    let a = app.get_as::<Analysis>(&analyst, "/api/analysis?year=2026&month=11").await.ok();
    let j = a.judgement.expect("the month's judgement on its analysis");
    assert!(j.receipts[0].read_at.is_some());
    assert!(j.measures[0].can_record && !j.measures[0].overdue);

    // Past its due date with no outcome it is overdue; the holder records the outcome, once.
    app.state.clock.advance(Duration::days(14));
    let dept1 = app.token("dept1").await;
    let a = app.get_as::<Analysis>(&analyst, "/api/analysis?year=2026&month=11").await.ok();
    assert!(a.judgement.unwrap().measures[0].overdue);
    let r = app
        .post_as::<serde_json::Value, _>(&supervisor, &format!("/api/analysis/measures/{m}/outcome"), &outcome)
        .await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    let done = app.post_as::<Judgement, _>(&dept1, &format!("/api/analysis/measures/{m}/outcome"), &outcome).await.ok();
    assert_eq!(done.measures[0].outcome.as_deref(), Some("已排查12个小区，修复管网3处"));
    assert!(!done.measures[0].overdue && !done.measures[0].can_record);
    let r =
        app.post_as::<serde_json::Value, _>(&analyst, &format!("/api/analysis/measures/{m}/outcome"), &outcome).await;
    assert_eq!(r.status, 409, "{:?}", r.body);
}
