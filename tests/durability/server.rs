//! The real `minqing` process for the durability tests: started on a data directory (and a database), signed into
//! over HTTP, killed with SIGKILL or stopped with SIGTERM; a small disk to fill; a PostgreSQL database of its own.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

const PASSWORD: &str = "Durable2026pass";

/// The binary built beside this test (target/<profile>/minqing).
fn binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test path");
    let profile_dir = exe.parent().and_then(Path::parent).expect("target/<profile>");
    let bin = profile_dir.join("minqing");
    assert!(bin.exists(), "{} is missing: run `cargo build -p backend --bin minqing` first", bin.display());
    bin
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

pub struct Server {
    child: Child,
    base: String,
    _logs: tempfile::TempDir,
}

impl Server {
    /// Starts the server on `data_dir` (SQLite there, or `database_url`) in demo mode and waits until it is ready.
    pub async fn start(data_dir: &Path, database_url: Option<&str>) -> Server {
        let port = free_port();
        // Logs live off the data disk, so a full data disk does not also silence them.
        let logs = tempfile::tempdir().expect("log dir");
        let log = std::fs::File::create(logs.path().join("server.log")).expect("log file");
        let mut cmd = Command::new(binary());
        cmd.env("MINQING_DATA_DIR", data_dir)
            .env("MINQING_PORT", port.to_string())
            .env("MINQING_HOST", "127.0.0.1")
            .env("MINQING_MODE", "demo")
            .env("MINQING_DEMO_PASSWORD", PASSWORD)
            .env("MINQING_JOBS_INTERVAL_MS", "0")
            .env("MINQING_SQLITE_SYNCHRONOUS", "FULL")
            .env("MINQING_ACCESS_TOKEN_MINUTES", "600")
            .env("RUST_LOG", "warn")
            .env_remove("MINQING_DATABASE_URL")
            .env_remove("MINQING_CONFIG")
            .stdout(Stdio::from(log.try_clone().expect("log")))
            .stderr(Stdio::from(log));
        if let Some(url) = database_url {
            cmd.env("MINQING_DATABASE_URL", url);
        }
        let child = cmd.spawn().expect("start minqing");
        let server = Server { child, base: format!("http://127.0.0.1:{port}"), _logs: logs };
        let http = reqwest::Client::new();
        for _ in 0..600 {
            if let Ok(r) = http.get(format!("{}/readyz", server.base)).send().await {
                if r.status().is_success() {
                    return server;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let log = std::fs::read_to_string(server._logs.path().join("server.log")).unwrap_or_default();
        panic!("minqing did not become ready in 60 s; its log:\n{log}");
    }

    /// Signs a demo account in.
    pub async fn client(&self, username: &str) -> Client {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().expect("client");
        let r = http
            .post(format!("{}/api/auth/login", self.base))
            .json(&serde_json::json!({"login": username, "password": PASSWORD}))
            .send()
            .await
            .expect("login");
        let body: Value = r.json().await.expect("login answer");
        let token = body["access_token"].as_str().unwrap_or_else(|| panic!("login {username}: {body}")).to_string();
        Client { http, base: self.base.clone(), token }
    }

    /// SIGKILL: no chance to finish anything.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Sends SIGTERM and returns at once.
    pub fn terminate(&self) {
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
    }

    /// Whether the process has exited, with its status.
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// SIGTERM, then waits for the process to exit (it drains what is in flight first).
    pub async fn stop_gracefully(mut self) {
        self.terminate();
        for _ in 0..300 {
            if let Ok(Some(status)) = self.child.try_wait() {
                assert!(status.success(), "minqing exited with {status} after SIGTERM");
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.kill();
        panic!("minqing did not stop within 30 s of SIGTERM");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A signed-in account over HTTP. `None` answers mean the server was not there (killed).
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Client {
    /// The account's bearer token, for a request written by hand.
    pub fn token(&self) -> &str {
        &self.token
    }

    pub async fn post(&self, path: &str, body: &Value) -> Option<(u16, Value)> {
        let r = self.http.post(format!("{}{path}", self.base)).bearer_auth(&self.token).json(body).send().await.ok()?;
        let status = r.status().as_u16();
        Some((status, r.json().await.unwrap_or(Value::Null)))
    }

    pub async fn get(&self, path: &str) -> Option<(u16, Value)> {
        let r = self.http.get(format!("{}{path}", self.base)).bearer_auth(&self.token).send().await.ok()?;
        let status = r.status().as_u16();
        Some((status, r.json().await.unwrap_or(Value::Null)))
    }

    /// A plain-text answer read without signing in (`/metrics` from the loopback address).
    pub async fn text(&self, path: &str) -> Option<(u16, String)> {
        let r = self.http.get(format!("{}{path}", self.base)).send().await.ok()?;
        let status = r.status().as_u16();
        Some((status, r.text().await.ok()?))
    }

    pub async fn get_status(&self, path: &str) -> Option<u16> {
        let r = self.http.get(format!("{}{path}", self.base)).send().await.ok()?;
        let status = r.status().as_u16();
        r.bytes().await.ok()?;
        Some(status)
    }

    pub async fn upload_photo(&self, id: &str, bytes: Vec<u8>) -> Option<u16> {
        let part = reqwest::multipart::Part::bytes(bytes).file_name("photo.png");
        let form = reqwest::multipart::Form::new().part("file", part);
        let url = format!("{}/api/photos?id={id}", self.base);
        let r = self.http.post(url).bearer_auth(&self.token).multipart(form).send().await.ok()?;
        let status = r.status().as_u16();
        r.bytes().await.ok()?;
        Some(status)
    }

    /// Like `upload_photo`, with the answer's body.
    pub async fn upload_photo_answer(&self, id: &str, bytes: Vec<u8>) -> (u16, Value) {
        let part = reqwest::multipart::Part::bytes(bytes).file_name("photo.png");
        let form = reqwest::multipart::Form::new().part("file", part);
        let url = format!("{}/api/photos?id={id}", self.base);
        let r = self.http.post(url).bearer_auth(&self.token).multipart(form).send().await.expect("server up");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// A building the account captures at.
    pub async fn building(&self) -> i64 {
        let (_, units) = self.get("/api/org/units").await.expect("server up");
        units
            .as_array()
            .and_then(|u| u.iter().find(|u| u["kind"] == "building"))
            .and_then(|u| u["id"].as_i64())
            .unwrap_or_else(|| panic!("no building among {units}"))
    }
}

/// A small tmpfs for a data directory, unmounted when dropped; none where mounting is not allowed.
pub struct SmallDisk {
    pub path: PathBuf,
    _dir: tempfile::TempDir,
}

impl SmallDisk {
    pub fn mount(megabytes: u32) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| SmallDisk { path: dir.path().to_path_buf(), _dir: dir })
    }

    /// Fills the disk; the space comes back when the answer is dropped.
    pub fn fill(&self) -> Filler {
        use std::io::Write;
        let path = self.path.join("filler");
        let mut f = std::fs::File::create(&path).expect("filler");
        let block = vec![0u8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
        let small = [0u8; 512];
        while f.write_all(&small).is_ok() {}
        let _ = f.sync_all();
        Filler(path)
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

/// The file filling a disk; removed when dropped.
pub struct Filler(PathBuf);

impl Drop for Filler {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A PostgreSQL database of the test's own (from `MINQING_TEST_POSTGRES_URL`), dropped afterwards.
pub struct PgDatabase {
    pub url: String,
    admin_url: String,
    name: String,
}

pub async fn postgres_database() -> Option<PgDatabase> {
    let admin_url = std::env::var("MINQING_TEST_POSTGRES_URL").ok().filter(|u| !u.is_empty())?;
    let name = format!("minqing_d_{}", uuid::Uuid::new_v4().simple());
    let (a, n) = (admin_url.clone(), name.clone());
    tokio::task::spawn_blocking(move || {
        use diesel::{Connection, RunQueryDsl};
        let mut conn = diesel::PgConnection::establish(&a).expect("connect to MINQING_TEST_POSTGRES_URL");
        diesel::sql_query(format!("CREATE DATABASE \"{n}\"")).execute(&mut conn).expect("create database");
    })
    .await
    .expect("create database task");
    let url = match admin_url.rfind('/') {
        Some(i) if admin_url[..i].contains("://") && i > admin_url.find("://").unwrap_or(0) + 2 => {
            format!("{}/{name}", &admin_url[..i])
        }
        _ => format!("{admin_url}/{name}"),
    };
    Some(PgDatabase { url, admin_url, name })
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        use diesel::{Connection, RunQueryDsl};
        if let Ok(mut conn) = diesel::PgConnection::establish(&self.admin_url) {
            let _ =
                diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name)).execute(&mut conn);
        }
    }
}

impl Server {
    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.base.rsplit(':').next().and_then(|p| p.parse().ok()).expect("port")
    }
}
