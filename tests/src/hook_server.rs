//! A local HTTP server standing in for the WeCom, DingTalk and webhook endpoints: it records what it is sent, and
//! can be "down" (answering 503) to test retries.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use serde_json::Value;

/// One request the hook server received.
#[derive(Debug, Clone)]
pub struct Received {
    /// Path and query, e.g. `/dingtalk?access_token=x&timestamp=…&sign=…`.
    pub path_and_query: String,
    /// The `X-Minqing-Delivery` header: the outbox message's id.
    pub delivery: Option<String>,
    pub body: Value,
    /// Whether it was taken (the server was up) or refused with 503.
    pub accepted: bool,
}

#[derive(Clone)]
struct Shared {
    up: Arc<AtomicBool>,
    log: Arc<Mutex<Vec<Received>>>,
}

pub struct HookServer {
    pub address: String,
    shared: Shared,
    server: Option<(actix_web::dev::ServerHandle, std::thread::JoinHandle<()>)>,
}

async fn receive(req: HttpRequest, body: web::Bytes, shared: web::Data<Shared>) -> HttpResponse {
    let up = shared.up.load(Ordering::SeqCst);
    shared.log.lock().unwrap().push(Received {
        path_and_query: req.uri().path_and_query().map(|p| p.to_string()).unwrap_or_default(),
        delivery: req.headers().get("X-Minqing-Delivery").and_then(|v| v.to_str().ok()).map(str::to_string),
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
        accepted: up,
    });
    if up {
        HttpResponse::Ok().json(serde_json::json!({"errcode": 0, "errmsg": "ok"}))
    } else {
        HttpResponse::ServiceUnavailable().body("down")
    }
}

impl HookServer {
    /// Starts the server, up or down.
    pub async fn start(up: bool) -> HookServer {
        let shared = Shared { up: Arc::new(AtomicBool::new(up)), log: Arc::default() };
        let for_server = shared.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let data = web::Data::new(for_server);
                let server =
                    HttpServer::new(move || App::new().app_data(data.clone()).default_service(web::to(receive)))
                        .workers(1)
                        .bind(("127.0.0.1", 0))
                        .expect("bind hook server");
                let port = server.addrs()[0].port();
                let server = server.run();
                let _ = tx.send((port, server.handle()));
                let _ = server.await;
            })
        });
        let (port, handle) = tokio::task::spawn_blocking(move || rx.recv()).await.unwrap().expect("hook server");
        HookServer { address: format!("http://127.0.0.1:{port}"), shared, server: Some((handle, thread)) }
    }

    pub fn set_up(&self, up: bool) {
        self.shared.up.store(up, Ordering::SeqCst);
    }

    /// Everything received so far, in order.
    pub fn received(&self) -> Vec<Received> {
        self.shared.log.lock().unwrap().clone()
    }

    /// What was taken (while up), in order.
    pub fn accepted(&self) -> Vec<Received> {
        self.received().into_iter().filter(|r| r.accepted).collect()
    }
}

impl Drop for HookServer {
    fn drop(&mut self) {
        if let Some((handle, thread)) = self.server.take() {
            drop(handle.stop(false));
            let _ = thread.join();
        }
    }
}
