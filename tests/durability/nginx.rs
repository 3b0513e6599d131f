//! docs/deploy.md's nginx configuration, checked as CI runs it: extracted from the guide, accepted by `nginx -t`, and
//! serving the app over HTTPS in front of the real server with the guide's headers.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::server::{free_port, Server};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_documented_nginx_configuration_serves_the_app() {
    let Some(nginx) = Nginx::from_deploy_guide().await else {
        assert!(std::env::var("CI").is_err(), "CI must check docs/deploy.md's nginx configuration (install nginx)");
        println!("nginx is not installed here: the deployment guide's configuration is not checked");
        return;
    };
    let data = tempfile::tempdir().expect("temp dir");
    let app = Server::start(data.path(), None).await;
    let proxy = nginx.start(app.port()).await;
    // HTTP is sent to HTTPS; HTTPS reaches the server, with the guide's headers on every answer.
    let (status, headers, _) = curl(&["-s", "-D", "-", "-o", "/dev/null", &proxy.http("/readyz")]);
    assert_eq!(status, 301, "{headers}");
    let (status, headers, body) = curl(&["-sk", "-D", "-", &proxy.https("/readyz")]);
    assert_eq!(status, 200, "{headers}\n{body}");
    assert!(body.contains("\"ok\""), "{body}");
    let lower = headers.to_ascii_lowercase();
    for header in ["x-content-type-options: nosniff", "referrer-policy: same-origin", "x-frame-options: deny"] {
        assert!(lower.contains(header), "{header} missing:\n{headers}");
    }
    // Signing in works through it, and /metrics is not served to the world.
    let login = r#"{"login":"grid1","password":"Durable2026pass"}"#;
    let (status, _, body) =
        curl(&["-sk", "-D", "-", "-H", "Content-Type: application/json", "-d", login, &proxy.https("/api/auth/login")]);
    assert_eq!(status, 200, "{body}");
    let (status, _, _) = curl(&["-sk", "-D", "-", "-o", "/dev/null", &proxy.https("/metrics")]);
    assert_eq!(status, 404);
    println!("nginx: docs/deploy.md's configuration passed nginx -t and served the app over HTTPS");
}

/// Runs curl; answers the last status code seen in the headers it printed (`-D -`), the headers, and the body.
pub fn curl(args: &[&str]) -> (u16, String, String) {
    let out = Command::new("curl").args(args).output().expect("curl");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((text.as_str(), ""));
    let status = head
        .lines()
        .rfind(|l| l.starts_with("HTTP/"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

/// docs/deploy.md's nginx configuration, ready to run on free ports with a self-signed certificate.
pub struct Nginx {
    site: String,
    dir: tempfile::TempDir,
}

/// A running nginx; stopped when dropped.
pub struct Proxy {
    child: Child,
    http_port: u16,
    https_port: u16,
    _dir: tempfile::TempDir,
}

impl Nginx {
    /// The guide's configuration, checked with `nginx -t`; none when nginx is not installed.
    pub async fn from_deploy_guide() -> Option<Nginx> {
        let found = Command::new("nginx").arg("-v").stderr(Stdio::null()).status().is_ok_and(|s| s.success());
        if !found {
            return None;
        }
        let guide = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/deploy.md"))
            .expect("docs/deploy.md");
        let start = guide.find("<!-- nginx.conf begins -->").expect("the guide marks its nginx configuration");
        let end = guide.find("<!-- nginx.conf ends -->").expect("the end marker");
        let block = &guide[start..end];
        let site = block.split("```nginx").nth(1).and_then(|b| b.split("```").next()).expect("a fenced block");
        let dir = tempfile::tempdir().expect("nginx dir");
        let ok = Command::new("openssl")
            .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"])
            .arg("-keyout")
            .arg(dir.path().join("privkey.pem"))
            .arg("-out")
            .arg(dir.path().join("fullchain.pem"))
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "openssl could not make a test certificate");
        Some(Nginx { site: site.to_string(), dir })
    }

    /// Starts nginx in front of the server on `app_port`, after `nginx -t` accepts the configuration.
    pub async fn start(self, app_port: u16) -> Proxy {
        let (http_port, https_port) = (free_port(), free_port());
        let d = self.dir.path().display().to_string();
        let site = self
            .site
            .replace("127.0.0.1:8080", &format!("127.0.0.1:{app_port}"))
            .replace("listen 80;", &format!("listen 127.0.0.1:{http_port};"))
            .replace("listen 443 ssl;", &format!("listen 127.0.0.1:{https_port} ssl;"))
            .replace("/etc/ssl/minqing/", &format!("{d}/"));
        std::fs::write(self.dir.path().join("minqing.conf"), site).expect("site");
        let main = format!(
            "user root;\nworker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\nevents {{}}\n\
             http {{\n access_log off;\n client_body_temp_path {d}/body;\n proxy_temp_path {d}/proxy;\n \
             fastcgi_temp_path {d}/fastcgi;\n uwsgi_temp_path {d}/uwsgi;\n scgi_temp_path {d}/scgi;\n \
             include {d}/minqing.conf;\n}}\n"
        );
        let conf = self.dir.path().join("nginx.conf");
        std::fs::write(&conf, main).expect("nginx.conf");
        let test = Command::new("nginx").arg("-t").arg("-c").arg(&conf).arg("-p").arg(self.dir.path()).output();
        let test = test.expect("nginx -t");
        assert!(test.status.success(), "nginx -t refused docs/deploy.md:\n{}", String::from_utf8_lossy(&test.stderr));
        let child = Command::new("nginx")
            .args(["-g", "daemon off;", "-c"])
            .arg(&conf)
            .arg("-p")
            .arg(self.dir.path())
            // Its workers must not hold the test's output open: the test runner waits for that to close.
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start nginx");
        let proxy = Proxy { child, http_port, https_port, _dir: self.dir };
        for _ in 0..100 {
            if curl(&["-sk", "-D", "-", "-o", "/dev/null", &proxy.https("/healthz")]).0 == 200 {
                return proxy;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("nginx did not answer");
    }
}

impl Proxy {
    pub fn http(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.http_port)
    }
    pub fn https(&self, path: &str) -> String {
        format!("https://127.0.0.1:{}{path}", self.https_port)
    }
}

impl Drop for Proxy {
    /// SIGTERM, so the master stops its workers too (SIGKILL would leave them running); SIGKILL after 5 s.
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        for _ in 0..50 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
