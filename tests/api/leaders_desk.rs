//! Reports reach the leaders (第七条3: 分别向市委书记、市长直接进行汇报; issue 18): a submitted 民情专报 is delivered
//! to each city leader, who reads it; the street and the city offices see who read it and when.

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
