//! SIGTERM drains (issue 17): a capture whose body is still on its way when the signal arrives is read to the end,
//! saved and acknowledged; the process exits cleanly only afterwards, and the capture is there after a restart.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::json;

use crate::server::Server;

/// Writes a request's head and the first half of its body, then (once `resume` fires) the rest; answers the reply.
fn post_in_two_halves(port: u16, token: &str, body: Vec<u8>, resume: std::sync::mpsc::Receiver<()>) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
    let head = format!(
        "POST /api/items HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let half = body.len() / 2;
    stream.write_all(head.as_bytes()).expect("head");
    stream.write_all(&body[..half]).expect("first half");
    stream.flush().expect("flush");
    resume.recv().expect("resume");
    stream.write_all(&body[half..]).expect("second half: the server closed the connection on SIGTERM");
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    String::from_utf8_lossy(&reply).to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_a_request_in_flight_before_exiting() {
    let data = tempfile::tempdir().expect("temp dir");
    let mut server = Server::start(data.path(), None).await;
    let c = server.client("grid1").await;
    let place = c.building().await;
    let id = uuid::Uuid::new_v4().to_string();
    let body = json!({
        "id": id, "channel": "wechat_visit", "source": "visit", "item_type": "public_facilities", "level": "general",
        "place_id": place, "callback_consent": false, "content": "关机时还在路上的一条记录：5号楼门禁坏了。",
        "photo_ids": [],
    });
    let (port, token) = (server.port(), c.token().to_string());
    let (resume, wait) = std::sync::mpsc::channel();
    let sender = std::thread::spawn(move || post_in_two_halves(port, &token, body.to_string().into_bytes(), wait));
    // The head and half the body are with the server; now the operator stops it.
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.terminate();
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(server.exited().is_none(), "minqing exited with a request still in flight");
    resume.send(()).expect("resume the sender");
    let reply = sender.join().expect("sender");
    assert!(reply.starts_with("HTTP/1.1 201"), "the capture in flight was not finished: {reply}");
    for _ in 0..300 {
        if server.exited().is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let status = server.exited().expect("minqing exits after draining");
    assert!(status.success(), "minqing exited with {status} after SIGTERM");
    // New connections are no longer taken once it has gone, and the capture is on disk.
    let server = Server::start(data.path(), None).await;
    let c = server.client("station1").await;
    let (status, item) = c.get(&format!("/api/items/{id}")).await.expect("server up");
    assert_eq!(status, 200, "the capture acknowledged during shutdown is missing: {item}");
    println!("sigterm: a capture half-sent when SIGTERM came was finished (201) and found after restart");
    server.stop_gracefully().await;
}
