//! The browser suite's harness: chromedriver and a headless Chromium per test, screenshots, waits, signing in,
//! the browser's clock set to the test server's, and small readings of the page shared by several topics.

use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use tests::TestApp;

use super::{cdp, Result, WAIT};

/// A chromedriver child in its own process group; dropping it ends the driver and the browser it started.
pub(crate) struct Driver {
    child: Child,
    port: u16,
    _profile: tempfile::TempDir,
}

extern "C" {
    /// libc's kill(2); std links libc already.
    fn kill(pid: i32, sig: i32) -> i32;
}

impl Drop for Driver {
    // The one unsafe call of the workspace: signalling the browser's process group.
    #[allow(unsafe_code)]
    fn drop(&mut self) {
        // The group id is the driver's pid (process_group(0)); Chromium's processes belong to it too. Signalled
        // through kill(2) with an exact negative group id: never a `kill` binary, whose parsing of "-PID" differs.
        let pgid = i32::try_from(self.child.id()).unwrap_or(0);
        if pgid > 1 {
            // SAFETY: kill(2) takes plain integers and has no memory effects.
            unsafe { kill(-pgid, 9) };
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// The size a browser opens at.
#[derive(Clone, Copy)]
pub(crate) enum Screen {
    /// A phone, 390×844, emulated as one.
    Phone,
    /// A desk, 1280×900.
    Desk,
}

/// Starts chromedriver and opens a fresh headless Chromium at phone size (390×844) or desk size.
pub(crate) async fn start_browser(screen: Screen) -> (Driver, Client) {
    let port = free_port();
    let profile = tempfile::tempdir().expect("profile dir");
    let driver_bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let child = Command::new(&driver_bin)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {driver_bin}: {e}"));
    let driver = Driver { child, port, _profile: profile };

    let deadline = Instant::now() + Duration::from_secs(15);
    while TcpStream::connect(("127.0.0.1", driver.port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not listen on port {} within 15 s", driver.port);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let size = match screen {
        Screen::Phone => "--window-size=390,844",
        Screen::Desk => "--window-size=1280,900",
    };
    let mut options = json!({
        "args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            size,
            format!("--user-data-dir={}", driver._profile.path().display()),
        ],
    });
    if let Screen::Phone = screen {
        // Headless windows are at least 500 px wide; this makes the page itself 390 px wide, as on a phone.
        options["mobileEmulation"] = json!({ "deviceMetrics": { "width": 390, "height": 844, "pixelRatio": 1.0 } });
    }
    let binary = std::env::var("CHROME_BIN").ok().or_else(|| {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())
            .map(String::from)
    });
    if let Some(binary) = binary {
        options["binary"] = json!(binary);
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("open a Chromium session through chromedriver");
    (driver, client)
}

/// Saves a screenshot when `MINQING_SCREENSHOT_DIR` is set.
pub(crate) async fn screenshot(c: &Client, name: &str) {
    let Ok(dir) = std::env::var("MINQING_SCREENSHOT_DIR") else {
        return;
    };
    if let Ok(png) = c.screenshot().await {
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png);
    }
}

/// Saves a screenshot of one element (it may be taller than the window) when `MINQING_SCREENSHOT_DIR` is set.
pub(crate) async fn screenshot_of(e: &Element, name: &str) {
    let Ok(dir) = std::env::var("MINQING_SCREENSHOT_DIR") else {
        return;
    };
    if let Ok(png) = e.screenshot().await {
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png);
    }
}

/// Saves screenshots of a whole long page, a window at a time (`name-1`, `name-2`, …), when
/// `MINQING_SCREENSHOT_DIR` is set; element screenshots stop at the window's edge.
pub(crate) async fn screenshot_page(c: &Client, name: &str) {
    if std::env::var("MINQING_SCREENSHOT_DIR").is_err() {
        return;
    }
    let height = c
        .execute("return document.documentElement.scrollHeight;", vec![])
        .await
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(844.0);
    let step = 760.0;
    let shots = ((height - 844.0).max(0.0) / step).ceil() as usize + 1;
    for i in 0..shots.min(6) {
        let _ = c.execute(&format!("window.scrollTo(0, {});", i as f64 * step), vec![]).await;
        tokio::time::sleep(Duration::from_millis(150)).await;
        screenshot(c, &format!("{name}-{}", i + 1)).await;
    }
    let _ = c.execute("window.scrollTo(0, 0);", vec![]).await;
}

/// Scrolls an element to the middle of the window and clicks it: the capture form's sticky save bar would take a
/// click aimed at something just above the window's bottom edge.
pub(crate) async fn tap(c: &Client, e: Element) -> Result {
    let arg = serde_json::to_value(&e)?;
    c.execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg]).await?;
    e.click().await?;
    Ok(())
}

/// Polls `check` every 100 ms until it answers `Ok(Ok(value))`, up to `WAIT`; `Ok(Err(seen))` means "not yet", and
/// the last thing seen is in the failure message.
pub(crate) async fn until<T, F, Fut>(what: &str, mut check: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<std::result::Result<T, String>>>,
{
    let deadline = Instant::now() + WAIT;
    loop {
        let seen = match check().await? {
            Ok(value) => return Ok(value),
            Err(seen) => seen,
        };
        if Instant::now() > deadline {
            return Err(format!("{what}: not within {} s; last seen: {seen}", WAIT.as_secs()).into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub(crate) async fn wait_for(c: &Client, locator: Locator<'_>) -> Result<Element> {
    Ok(c.wait().at_most(WAIT).every(Duration::from_millis(100)).for_element(locator).await?)
}

/// Signs in on /login and waits for the home page.
pub(crate) async fn sign_in(c: &Client, address: &str, login: &str, password: &str) -> Result<Element> {
    c.goto(&format!("{address}/login")).await?;
    wait_for(c, Locator::Id("login")).await?.send_keys(login).await?;
    c.find(Locator::Id("password")).await?.send_keys(password).await?;
    screenshot(c, &format!("{login}-1-login")).await;
    c.find(Locator::Id("login-submit")).await?.click().await?;
    wait_for(c, Locator::Css("#home .role-card")).await?;
    wait_for(c, Locator::Id("home")).await
}

/// Sets the browser's clock to the test server's (which starts on a named day, not today), so that the app and the
/// server agree on what day it is; called again after the test moves the server's clock.
pub(crate) async fn sync_clock(c: &Client, app: &TestApp) -> Result {
    cdp::set_clock_offset(c, app.state.clock.offset().num_milliseconds()).await?;
    let page_now = c.execute("return Date.now();", vec![]).await?.as_i64().unwrap_or_default();
    let server_now = app.state.clock.now().timestamp_millis();
    if (page_now - server_now).abs() > 60_000 {
        return Err(format!("the page's clock reads {page_now} ms, the server's {server_now} ms").into());
    }
    Ok(())
}

/// Runs a browser scenario at phone size, then closes the browser whatever happened; failures carry a screenshot
/// when asked.
pub(crate) async fn run<F, Fut>(name: &str, scenario: F)
where
    F: FnOnce(Client, Arc<TestApp>) -> Fut,
    Fut: std::future::Future<Output = Result>,
{
    run_on(Screen::Phone, name, scenario).await
}

/// Like `run`, on a screen of the given size.
pub(crate) async fn run_on<F, Fut>(screen: Screen, name: &str, scenario: F)
where
    F: FnOnce(Client, Arc<TestApp>) -> Fut,
    Fut: std::future::Future<Output = Result>,
{
    run_with(screen, name, tests::spawn_app().await, scenario).await
}

/// Like `run_on`, with a server the test started.
pub(crate) async fn run_with<F, Fut>(screen: Screen, name: &str, app: TestApp, scenario: F)
where
    F: FnOnce(Client, Arc<TestApp>) -> Fut,
    Fut: std::future::Future<Output = Result>,
{
    let app = Arc::new(app);
    let page = app.client.get(app.url("/")).send().await.expect("GET /").text().await.unwrap_or_default();
    assert!(page.contains("/frontend.js"), "the server does not serve the built web app; run `cargo xtask dist` first");
    let (driver, client) = start_browser(screen).await;
    sync_clock(&client, &app).await.expect("set the browser's clock to the server's");
    let result = scenario(client.clone(), app.clone()).await;
    if result.is_err() {
        screenshot(&client, &format!("{name}-failed")).await;
    }
    let _ = client.close().await;
    drop(driver);
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
}

/// Writes a real JPEG photo (a 1200×900 gradient, as a phone camera might send a small one) and returns its path.
pub(crate) fn write_test_jpeg(dir: &std::path::Path) -> Result<std::path::PathBuf> {
    let img = image::RgbImage::from_fn(1200, 900, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    });
    let path = dir.join("photo.jpg");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85).encode_image(&img)?;
    Ok(path)
}

/// The `value` of an input or textarea.
pub(crate) async fn value_of(c: &Client, css: &str) -> Result<String> {
    Ok(c.find(Locator::Css(css)).await?.prop("value").await?.unwrap_or_default())
}

/// Shows the page as printed: the print rules of the stylesheet are applied to the screen (WebDriver cannot switch
/// the media type), for a screenshot of what 打印 gives.
pub(crate) async fn emulate_print(c: &Client) -> Result {
    c.execute(
        r#"for (const sheet of document.styleSheets) {
             for (const rule of sheet.cssRules) {
               if (rule.media && rule.media.mediaText === 'print') { rule.media.mediaText = 'all'; }
               else if (rule.media && rule.media.mediaText.startsWith('screen')) { rule.media.mediaText = 'not all'; }
             }
           }"#,
        vec![],
    )
    .await?;
    Ok(())
}

/// Signs the current account out by forgetting the stored session, then signs `login` in.
pub(crate) async fn switch_to(c: &Client, address: &str, login: &str, password: &str) -> Result<Element> {
    c.execute("localStorage.clear(); sessionStorage.clear();", vec![]).await?;
    sign_in(c, address, login, password).await
}

/// Waits until the page is controlled by the app's service worker (its shell cached); on failure says what the
/// browser's registrations were doing.
pub(crate) async fn wait_for_service_worker(c: &Client) -> Result {
    // An active worker whose clients.claim() raced the page's own load leaves the page uncontrolled (seen once in CI);
    // a page loaded while a worker is active is always controlled, so after a few seconds the page is reloaded once.
    let started = Instant::now();
    let reloaded = std::cell::Cell::new(false);
    until("the service worker takes control of the page", || async {
        let state = c
            .execute_async(
                "var done = arguments[0];
                 if (!navigator.serviceWorker) { done({controlled: false, registrations: 'no serviceWorker API'}); return; }
                 navigator.serviceWorker.getRegistrations().then(function (regs) {
                     done({
                         controlled: !!navigator.serviceWorker.controller,
                         registrations: regs.map(function (r) {
                             var s = function (w) { return w ? w.state : null; };
                             return {installing: s(r.installing), waiting: s(r.waiting), active: s(r.active)};
                         }),
                     });
                 }, function (e) { done({controlled: false, registrations: String(e)}); });",
                vec![],
            )
            .await?;
        let controlled = state["controlled"].as_bool() == Some(true);
        let active = state["registrations"][0]["active"].as_str() == Some("activated");
        if !controlled && active && !reloaded.get() && started.elapsed() > Duration::from_secs(5) {
            reloaded.set(true);
            c.refresh().await?;
        }
        Ok(controlled.then_some(()).ok_or(state.to_string()))
    })
    .await
}

/// An item grid1 registers (a general 物业住房 concern in 第一网格, with the id given) and community1 sends to the
/// street, through the API; answers its id.
pub(crate) async fn item_at_street(app: &TestApp, id: &str, content: &str) -> Result<String> {
    let grid1 = app.token("grid1").await;
    let grid = app.unit_id(&grid1, "新华街道 / 和平社区 / 和平社区第一党群服务站 / 第一网格").await;
    let body = json!({
        "id": id, "channel": "wechat_visit", "source": "visit",
        "item_type": "property_housing", "level": "general", "place_id": grid, "content": content,
    });
    let made = app.post(Some(&grid1), "/api/items", &body).await;
    assert_eq!(made.status, 201, "{:?}", made.body);
    let secretary = app.token("community1").await;
    let sent = app.post(Some(&secretary), &format!("/api/items/{id}/send-to-street"), &json!({"version": 1})).await;
    assert_eq!(sent.status, 200, "{:?}", sent.body);
    Ok(id.to_string())
}
