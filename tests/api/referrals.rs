//! 移交纪检监察 (第八条′) on both engines: the supervision office refers a unit or one of its items, records the
//! commission's answers forward only, and the dossier holds the unit's record and each item's evidence.

use chrono::Duration;
use serde_json::Value;
use shared::journey::{Reject, RejectReason};
use shared::referral::{Dossier, NewReferral, Referral, ReferralStatus, ReferralUpdate};
use shared::supervision::Chase;

use crate::journey::{item_at_street, spawn_app, HOUSING};

#[tokio::test]
async fn the_supervision_office_refers_a_unit_with_its_dossier_and_follows_the_commission() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let housing = app.unit_id(&admin, HOUSING).await;
    let (supervisor, leader, dept1, dispatcher) = (
        app.token("supervisor1").await,
        app.token("leader1").await,
        app.token("dept1").await,
        app.token("dispatcher1").await,
    );
    // The housing bureau holds one item and returned another (退单); the first is chased.
    let held = crate::journey::accepted_item(&app).await;
    let (returned, v) = item_at_street(&app).await;
    app.dispatch(&dispatcher, &returned, &tests::client::dispatch_to(v, housing)).await.with_status(200);
    let reject = Reject { version: v + 1, reason: RejectReason::NotOurDuty, note: Some("不归我们管".into()) };
    app.reject(&dept1, &returned, &reject).await.with_status(200);
    app.chase(&supervisor, &held.id, &Chase { note: "请说明进展".into() }).await.with_status(204);

    // Only the supervision office refers, with a reason; an item must have been with the unit.
    let unit_wide =
        NewReferral { unit_id: housing, item_id: None, reason: "多次催办不回复，推诿退单".into() };
    let refer = |token: &str, body: &NewReferral| {
        let (token, body) = (token.to_string(), body.clone());
        let app = &app;
        async move { app.post_as::<Referral, _>(&token, "/api/referrals", &body).await }
    };
    assert_eq!(refer(&dispatcher, &unit_wide).await.status, 403);
    assert_eq!(refer(&leader, &unit_wide).await.status, 403, "the leaders read referrals, they do not make them");
    let r = refer(&supervisor, &NewReferral { reason: "超期".into(), ..unit_wide.clone() }).await;
    assert_eq!((r.status, r.field()), (422, Some("reason")), "{:?}", r.body);
    let street = app.unit_id(&admin, "新华街道").await;
    let (other, _) = item_at_street(&app).await;
    let wrong_item = NewReferral { unit_id: housing, item_id: Some(other.clone()), ..unit_wide.clone() };
    let r = refer(&supervisor, &wrong_item).await;
    assert_eq!((r.status, r.field()), (422, Some("item_id")), "the housing bureau never had it: {:?}", r.body);
    let r = refer(&supervisor, &NewReferral { unit_id: 999_999, ..unit_wide.clone() }).await;
    assert_eq!((r.status, r.field()), (422, Some("unit_id")), "{:?}", r.body);

    let referral = refer(&supervisor, &unit_wide).await.with_status(201);
    assert_eq!((referral.status, referral.steps.len()), (ReferralStatus::Referred, 1));
    assert_eq!(referral.unit.id, housing);
    let one_item =
        NewReferral { unit_id: street, item_id: Some(other.clone()), reason: "街道超期未派单".into() };
    let item_referral = refer(&supervisor, &one_item).await.with_status(201);
    let events = app.item_events(&dispatcher, &other).await.ok();
    assert!(events.iter().any(|e| e.kind == "referred" && e.label == "移交纪检监察"), "{events:?}");

    // The dossier: the unit's record and each of its items with the history, the chase and the 退单 in it.
    let dossier = app.get_as::<Dossier>(&leader, &format!("/api/referrals/{}/dossier", referral.id)).await.ok();
    assert_eq!((dossier.record.chases_90_days, dossier.record.rejections_90_days), (1, 1), "{:?}", dossier.record);
    let ids: Vec<&str> = dossier.items.iter().map(|i| i.item.id.as_str()).collect();
    assert!(ids.contains(&held.id.as_str()) && ids.contains(&returned.as_str()), "{ids:?}");
    assert!(!ids.contains(&other.as_str()), "an item never with the unit is not in its dossier");
    let chased = dossier.items.iter().find(|i| i.item.id == held.id).unwrap();
    assert_eq!(chased.item.journey.chases.len(), 1);
    assert!(chased.events.iter().any(|e| e.kind == "chased"));
    let single = app.get_as::<Dossier>(&supervisor, &format!("/api/referrals/{}/dossier", item_referral.id)).await.ok();
    assert_eq!(single.items.len(), 1);
    assert_eq!(single.items[0].item.id, other);
    assert_eq!(app.get_as::<Value>(&dispatcher, &format!("/api/referrals/{}/dossier", referral.id)).await.status, 403);

    // The commission's answers, forward only; a conclusion needs its finding; nothing after it.
    app.state.clock.advance(Duration::days(3));
    let status = |s: ReferralStatus, note: &str| ReferralUpdate { status: s, note: note.into() };
    let path = format!("/api/referrals/{}/status", referral.id);
    let moved = app.post_as::<Referral, _>(&supervisor, &path, &status(ReferralStatus::Accepted, "已立案")).await.ok();
    assert_eq!((moved.status, moved.steps.len()), (ReferralStatus::Accepted, 2));
    let r = app.post_as::<Value, _>(&supervisor, &path, &status(ReferralStatus::Referred, "")).await;
    assert_eq!((r.status, r.code()), (409, "conflict"), "{:?}", r.body);
    let r = app.post_as::<Value, _>(&supervisor, &path, &status(ReferralStatus::Concluded, " ")).await;
    assert_eq!((r.status, r.field()), (422, Some("note")), "{:?}", r.body);
    assert_eq!(app.post_as::<Value, _>(&leader, &path, &status(ReferralStatus::Investigating, "")).await.status, 403);
    let done = status(ReferralStatus::Concluded, "对责任科室负责人诫勉谈话");
    let moved = app.post_as::<Referral, _>(&supervisor, &path, &done).await.ok();
    assert_eq!(moved.steps.last().map(|s| s.note.as_str()), Some("对责任科室负责人诫勉谈话"));
    let r = app.post_as::<Value, _>(&supervisor, &path, &done).await;
    assert_eq!(r.status, 409, "{:?}", r.body);

    let listed = app.get_as::<Vec<Referral>>(&leader, "/api/referrals").await.ok();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[1].status, ReferralStatus::Concluded, "newest first: {listed:?}");
    assert_eq!(app.get_as::<Value>(&dispatcher, "/api/referrals").await.status, 403);
}
