//! Backups that restore (issue 17): a ledger with items at every stage, photos, events, ratings and a report is
//! backed up while captures keep arriving, restored into an empty place, and read back the same: every table's rows
//! as the manifest counted them, every item, history and photo byte as the running server had them.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use backend::backup::{self, restore, Manifest};
use shared::item::{CreateItem, FeedbackMethod, TellResident};
use shared::voice::{Answer, Rate};
use tests::client::solved_sheet;
use tests::TestApp;

use crate::items::{building, capture, new_id};
use crate::journey::{accepted_item, item_at_street, spawn_app_at};
use crate::photos::png;

/// Items at every stage (collected, at the street, accepted, returned, told and rated, one with a photo) and
/// November's 专报; returns the ids.
async fn a_ledger(app: &TestApp) -> Vec<String> {
    let grid1 = app.token("grid1").await;
    let mut ids = Vec::new();
    let photo = new_id();
    app.photo(&grid1, &photo, png(800, 600), "楼道.png").await.with_status(201);
    let body = CreateItem { photo_ids: vec![photo], ..capture(building(app, &grid1, 3).await) };
    ids.push(app.create_item(&grid1, &body).await.with_status(201).id);
    ids.push(item_at_street(app).await.0);
    ids.push(accepted_item(app).await.id);
    let done = accepted_item(app).await;
    let dept1 = app.token("dept1").await;
    let item = app.return_sheet(&dept1, &done.id, &solved_sheet(done.version, "已修复。")).await.with_status(200);
    let tell = TellResident { version: item.version, how: FeedbackMethod::Phone, note: None };
    app.tell_resident(&grid1, &done.id, &tell).await.with_status(200);
    let link = app.resident_link(&grid1, &done.id).await.with_status(200);
    let rate = Rate {
        timely: Answer::Satisfied,
        attitude: Answer::Basically,
        result: Answer::Satisfied,
        not_solved: false,
        comment: Some("修得很快".into()),
    };
    app.rate_as_resident(link.path.trim_start_matches("/r/"), &rate).await.with_status(200);
    ids.push(done.id);
    let street = app.token("street1").await;
    app.generate_report(&street, 2026, 11).await.with_status(200);
    ids
}

/// What a reader sees of an item: the item, its history, and each photo's length and a digest of its bytes.
async fn read(app: &TestApp, token: &str, id: &str) -> (serde_json::Value, serde_json::Value, Vec<(usize, u64)>) {
    let item = app.get(Some(token), &format!("/api/items/{id}")).await;
    assert_eq!(item.status, 200, "{id}: {:?}", item.body);
    let events = app.get(Some(token), &format!("/api/items/{id}/events")).await;
    let mut photos = Vec::new();
    for p in item.body["photos"].as_array().cloned().unwrap_or_default() {
        let (status, bytes) = app.get_bytes(None, p["url"].as_str().unwrap_or_default()).await;
        assert_eq!(status, 200);
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        bytes.hash(&mut h);
        photos.push((bytes.len(), h.finish()));
    }
    (item.body, events.body, photos)
}

#[tokio::test]
async fn a_backup_made_while_captures_continue_restores_every_row_and_photo_byte() {
    let at = tests::city_time(2026, 12, 2, 10, 0);
    let app = spawn_app_at(at).await;
    let ids = a_ledger(&app).await;
    // The server made its own signing secret (MINQING_JWT_SECRET unset): the backup carries it.
    std::fs::write(app.settings.data_dir.join(backup::SECRET_FILE), "s".repeat(64)).unwrap();
    let settings = backend::configuration::Settings { jwt_secret: String::new(), ..app.settings.clone() };

    // Captures keep arriving while the backup runs.
    let writing = Arc::new(AtomicBool::new(true));
    let (grid1, place) = (app.token("grid1").await, building(&app, &app.token("grid1").await, 3).await);
    let writer = {
        let (app_url, client, writing) = (app.address.clone(), app.client.clone(), writing.clone());
        tokio::spawn(async move {
            let mut made = 0;
            while writing.load(Ordering::Relaxed) {
                let r = client
                    .post(format!("{app_url}/api/items"))
                    .bearer_auth(&grid1)
                    .json(&capture(place))
                    .send()
                    .await
                    .expect("capture");
                assert_eq!(r.status().as_u16(), 201);
                made += 1;
            }
            made
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let folder = tempfile::tempdir().unwrap();
    let (made_at, manifest) = backup::backup(&settings, folder.path()).await.expect("backup");
    writing.store(false, Ordering::Relaxed);
    let captured_meanwhile = writer.await.unwrap();
    assert!(captured_meanwhile > 0, "no capture ran during the backup");
    assert!(made_at.file_name().unwrap().to_string_lossy().starts_with("minqing-backup-"));
    let on_disk: Manifest = serde_json::from_slice(&std::fs::read(made_at.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(on_disk, manifest);
    assert!(manifest.files.keys().any(|p| p.starts_with("photos/")), "{:?}", manifest.files.keys());
    assert!(manifest.files.contains_key(backup::SECRET_FILE));
    for table in ["items", "item_events", "item_photos", "dispatches", "ratings", "reports", "users"] {
        assert!(manifest.tables.get(table).is_some_and(|n| *n > 0), "{table}: {:?}", manifest.tables);
    }

    // Restored into an empty place, the restored server reads what the running one did.
    let place = tests::empty_place().await;
    let target = backend::configuration::Settings {
        data_dir: place.data_dir.clone(),
        database_url: place.database_url.clone(),
        ..settings.clone()
    };
    let restored = restore::restore(&target, &made_at, false).await.expect("restore");
    assert_eq!(restored.manifest, manifest);
    assert_eq!(restored.photos, manifest.files.keys().filter(|p| p.starts_with("photos/")).count());
    assert_eq!(std::fs::read(place.data_dir.join(backup::SECRET_FILE)).unwrap(), "s".repeat(64).into_bytes());
    // A second restore into the same place is refused: it holds a ledger now.
    let again = restore::restore(&target, &made_at, false).await.expect_err("a place holding a ledger");
    assert!(format!("{again:#}").contains("--force"), "{again:#}");

    let copy = tests::start_on(place, at, |_| {}).await;
    let (station, station_copy) = (app.token("station1").await, copy.token("station1").await);
    for id in &ids {
        let (item, events, photos) = read(&app, &station, id).await;
        let (item_copy, events_copy, photos_copy) = read(&copy, &station_copy, id).await;
        // Photo links carry a signature that expires a set time after it is made; the bytes are compared below.
        let unsigned = |mut v: serde_json::Value| {
            for p in v["photos"].as_array_mut().into_iter().flatten() {
                p.as_object_mut().map(|o| (o.remove("url"), o.remove("thumb_url")));
            }
            v
        };
        let (item, item_copy) = (unsigned(item), unsigned(item_copy));
        for (key, value) in item.as_object().into_iter().flatten() {
            assert_eq!(item_copy.get(key), Some(value), "{id}: {key}");
        }
        assert_eq!(events_copy, events, "{id}: its history");
        assert_eq!(photos_copy, photos, "{id}: its photos' bytes");
    }
    // Every item in the copy is whole: the manifest's count, each with its history.
    let leader = copy.token("leader1").await;
    let ledger = copy.ledger(&leader, "limit=100").await.ok();
    assert_eq!(ledger.total, manifest.tables["items"], "the copy holds the items the manifest counted");
    for row in ledger.rows {
        let events = copy.item_events(&leader, &row.id).await.ok();
        assert_eq!(events.first().map(|e| e.kind.as_str()), Some("created"), "{} is half-made", row.id);
    }
}

#[tokio::test]
async fn a_damaged_backup_is_refused_before_anything_is_touched() {
    let app = spawn_app_at(tests::city_time(2026, 12, 2, 10, 0)).await;
    a_ledger(&app).await;
    let folder = tempfile::tempdir().unwrap();
    let (made_at, manifest) = backup::backup(&app.settings, folder.path()).await.expect("backup");
    let photo = manifest.files.keys().find(|p| p.starts_with("photos/")).expect("a photo").clone();
    std::fs::write(made_at.join(&photo), b"not the photo").unwrap();
    let place = tests::empty_place().await;
    let target = backend::configuration::Settings {
        data_dir: place.data_dir.clone(),
        database_url: place.database_url.clone(),
        ..app.settings.clone()
    };
    let err = restore::restore(&target, &made_at, false).await.expect_err("damaged");
    assert!(format!("{err:#}").contains(&photo), "{err:#}");
    assert!(
        !place.data_dir.join("photos").exists()
            || std::fs::read_dir(place.data_dir.join("photos")).unwrap().next().is_none()
    );
    // A folder that is not a finished backup says so.
    let err = restore::restore(&target, folder.path(), false).await.expect_err("no manifest");
    assert!(format!("{err:#}").contains("manifest.json"), "{err:#}");
}
