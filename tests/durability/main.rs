//! Durability of the real server process (issue 17): captures with photos from several clients while the `minqing`
//! binary is killed with SIGKILL at random moments, ten times; after each restart every acknowledged capture is there
//! and whole, and no item is half-made. On SQLite always, on PostgreSQL when `MINQING_TEST_POSTGRES_URL` is set. Then a
//! full disk: writes answer 503 with a clear message, reads go on, nothing saved is lost, and writes succeed once
//! space is freed. SIGTERM finishes what is in flight (sigterm.rs); docs/deploy.md's nginx configuration serves
//! the app (nginx.rs).
//!
//! The binary is the one `cargo build -p backend --bin minqing` made beside this test (`cargo xtask test` builds it).

mod nginx;
mod server;
mod sigterm;

use std::time::Duration;

use serde_json::{json, Value};
use server::{Client, Server};
// The kill moments of a run can be replayed from its seed.
use tests::Rng;

/// A small PNG (the server re-encodes it as JPEG).
fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 128]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).expect("png");
    out.into_inner()
}

/// One capture with one photo; answers the item's id once the server acknowledged it (201), none if the server went
/// away first.
async fn capture(c: &Client, place: i64, n: usize) -> Option<String> {
    let photo = uuid::Uuid::new_v4().to_string();
    if !matches!(c.upload_photo(&photo, png()).await, Some(200 | 201)) {
        return None;
    }
    let id = uuid::Uuid::new_v4().to_string();
    let body = json!({
        "id": id, "channel": "wechat_visit", "source": "visit", "item_type": "public_facilities", "level": "general",
        "place_id": place, "resident_name": "张大爷", "resident_phone": "13912345678", "callback_consent": true,
        "content": format!("第{n}次走访：3号楼楼道灯坏了。"), "photo_ids": [photo],
    });
    match c.post("/api/items", &body).await {
        Some((201, _)) => Some(id),
        _ => None,
    }
}

/// Checks that every acknowledged item is present with its photo, and that every item has its history.
async fn check_whole(c: &Client, acknowledged: &[String]) -> usize {
    for id in acknowledged {
        let (status, item) = c.get(&format!("/api/items/{id}")).await.expect("server up");
        assert_eq!(status, 200, "acknowledged item {id} is missing after the restart: {item}");
        let photos = item["photos"].as_array().map_or(0, Vec::len);
        assert_eq!(photos, 1, "item {id} lost its photo: {item}");
        let url = item["photos"][0]["url"].as_str().unwrap_or_default().to_string();
        assert_eq!(c.get_status(&url).await, Some(200), "the photo of {id} cannot be read");
    }
    // No half-made item: each one the ledger lists has its creation in its history.
    let mut cursor: Option<String> = None;
    let mut seen = 0;
    loop {
        let path = match &cursor {
            Some(cur) => format!("/api/ledger?limit=200&cursor={cur}"),
            None => "/api/ledger?limit=200".to_string(),
        };
        let (status, page) = c.get(&path).await.expect("server up");
        assert_eq!(status, 200, "{page}");
        for row in page["rows"].as_array().cloned().unwrap_or_default() {
            let id = row["id"].as_str().unwrap_or_default();
            let (_, events) = c.get(&format!("/api/items/{id}/events")).await.expect("server up");
            assert_eq!(events[0]["kind"], "created", "item {id} is half-made: {events}");
            seen += 1;
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    seen
}

async fn kill_nine_ten_times(database_url: Option<String>, engine: &str) {
    let data = tempfile::tempdir().expect("temp dir");
    let mut rng = Rng(0x5DEE_CE66_D1CE_4E5B);
    let mut acknowledged: Vec<String> = Vec::new();
    let mut server = Server::start(data.path(), database_url.as_deref()).await;
    for round in 1..=10 {
        let c = server.client("grid1").await;
        let place = c.building().await;
        let writers: Vec<_> = (0..4)
            .map(|w| {
                let c = c.clone();
                tokio::spawn(async move {
                    let mut mine = Vec::new();
                    for n in 0.. {
                        match capture(&c, place, w * 1000 + n).await {
                            Some(id) => mine.push(id),
                            None => break,
                        }
                    }
                    mine
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(150 + rng.below(600))).await;
        server.kill();
        let mut this_round = 0;
        for w in writers {
            let ids = w.await.expect("writer");
            this_round += ids.len();
            acknowledged.extend(ids);
        }
        server = Server::start(data.path(), database_url.as_deref()).await;
        let c = server.client("station1").await;
        let total = check_whole(&c, &acknowledged).await;
        println!(
            "durability {engine} round {round}: {this_round} captures acknowledged before SIGKILL, {} in all, \
             {} found after restart, {total} items whole, lost: 0",
            acknowledged.len(),
            acknowledged.len()
        );
    }
    assert!(acknowledged.len() >= 10, "too few captures to prove anything: {}", acknowledged.len());
    // What an operator's Prometheus reads from the last run: the captures, the open items, the database.
    let c = server.client("station1").await;
    let (status, metrics) = c.text("/metrics").await.expect("server up");
    assert_eq!(status, 200, "{metrics}");
    let watched: Vec<&str> = metrics
        .lines()
        .filter(|l| {
            l.starts_with(r#"minqing_http_requests_total{method="GET",route="/api/items/{id}""#)
                || l.starts_with("minqing_items_open{")
                || l.starts_with("minqing_database_up")
                || l.starts_with("minqing_db_pool_connections")
        })
        .collect();
    assert!(watched.iter().any(|l| l.starts_with("minqing_items_open{stage=\"collected\"}")), "{metrics}");
    println!("durability {engine}: /metrics after the last restart:\n  {}", watched.join("\n  "));
    server.stop_gracefully().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_captures_survive_kill_9_on_sqlite() {
    kill_nine_ten_times(None, "sqlite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_captures_survive_kill_9_on_postgres() {
    let Some(db) = server::postgres_database().await else {
        println!("MINQING_TEST_POSTGRES_URL unset: the PostgreSQL kill -9 run is skipped");
        return;
    };
    kill_nine_ten_times(Some(db.url.clone()), "postgres").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_with_503_keeps_reads_and_recovers() {
    let Some(disk) = server::SmallDisk::mount(24) else {
        assert!(std::env::var("CI").is_err(), "CI must run the disk-full test (mounting a tmpfs needs root)");
        println!("cannot mount a tmpfs here (not root?): the disk-full test is skipped");
        return;
    };
    let server = Server::start(&disk.path, None).await;
    let c = server.client("grid1").await;
    let place = c.building().await;
    let mut saved = Vec::new();
    for n in 0..3 {
        saved.push(capture(&c, place, n).await.expect("room for the first captures"));
    }
    // Someone signed in before the disk filled (signing in records a session, a write).
    let reader = server.client("station1").await;
    // Fill the disk to the last byte, as a runaway log or a copied file would.
    let filler = disk.fill();
    let mut refused = None;
    for n in 0..50 {
        let photo = uuid::Uuid::new_v4().to_string();
        let up = c.upload_photo_answer(&photo, png()).await;
        let body = json!({
            "id": uuid::Uuid::new_v4().to_string(), "channel": "wechat_visit", "source": "visit",
            "item_type": "public_facilities", "level": "general", "place_id": place, "callback_consent": false,
            "content": format!("磁盘满时的第{n}条记录，内容写得长一些。{}", "楼道灯坏了。".repeat(200)),
            "photo_ids": [],
        });
        let created = c.post("/api/items", &body).await.expect("server up");
        for (status, answer) in [up, created] {
            assert!(status != 500, "a full disk must not answer 500: {answer}");
            if status == 503 {
                refused = Some(answer);
            }
        }
        if refused.is_some() {
            break;
        }
    }
    let refused: Value = refused.expect("a write on a full disk was refused with 503");
    assert_eq!(refused["code"], "unavailable", "{refused}");
    assert!(refused["message"].as_str().unwrap_or_default().contains("存储空间已满"), "{refused}");
    // Reads go on, and nothing saved is lost.
    for id in &saved {
        let (status, _) = reader.get(&format!("/api/items/{id}")).await.expect("server up");
        assert_eq!(status, 200, "{id} unreadable on a full disk");
    }
    // Space comes back: writes work again without a restart.
    drop(filler);
    let again = capture(&c, place, 99).await.expect("writes succeed once space is freed");
    saved.push(again);
    check_whole(&reader, &saved).await;
    println!(
        "disk full: {} writes saved, a write refused with 503 while full, all {} readable after",
        saved.len(),
        saved.len()
    );
    server.stop_gracefully().await;
}
