//! Browser tests: headless Chromium, driven through chromedriver, signs in and uses the web app served by a test
//! server (API and the built `frontend/dist`). They run only with `MINQING_BROWSER_TESTS=1`, which `cargo xtask test`
//! sets when chromium and chromedriver are installed; build the app first (`cargo xtask dist`).
//! With `MINQING_SCREENSHOT_DIR=/some/dir` each test also saves screenshots of the pages it visits.

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

mod cdp;
mod dropping_proxy;

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// How long to wait for an element before failing.
const WAIT: Duration = Duration::from_secs(60);

fn enabled() -> bool {
    std::env::var("MINQING_BROWSER_TESTS").is_ok_and(|v| v.trim() == "1")
}

macro_rules! skip_unless_enabled {
    () => {
        if !crate::enabled() {
            eprintln!("browser tests skipped: MINQING_BROWSER_TESTS not set");
            return;
        }
    };
}

// After the macro, which their tests use.
mod routines;
mod shell;

/// A chromedriver child in its own process group; dropping it ends the driver and the browser it started.
struct Driver {
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

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// The size a browser opens at.
#[derive(Clone, Copy)]
enum Screen {
    /// A phone, 390×844, emulated as one.
    Phone,
    /// A desk, 1280×900.
    Desk,
}

/// Starts chromedriver and opens a fresh headless Chromium at phone size (390×844) or desk size.
async fn start_browser(screen: Screen) -> (Driver, Client) {
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
async fn screenshot(c: &Client, name: &str) {
    let Ok(dir) = std::env::var("MINQING_SCREENSHOT_DIR") else {
        return;
    };
    if let Ok(png) = c.screenshot().await {
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png);
    }
}

/// Saves a screenshot of one element (it may be taller than the window) when `MINQING_SCREENSHOT_DIR` is set.
async fn screenshot_of(e: &Element, name: &str) {
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
async fn screenshot_page(c: &Client, name: &str) {
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
async fn tap(c: &Client, e: Element) -> Result {
    let arg = serde_json::to_value(&e)?;
    c.execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg]).await?;
    e.click().await?;
    Ok(())
}

/// Polls `check` every 100 ms until it answers `Ok(Ok(value))`, up to `WAIT`; `Ok(Err(seen))` means "not yet", and
/// the last thing seen is in the failure message.
async fn until<T, F, Fut>(what: &str, mut check: F) -> Result<T>
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

async fn wait_for(c: &Client, locator: Locator<'_>) -> Result<Element> {
    Ok(c.wait().at_most(WAIT).every(Duration::from_millis(100)).for_element(locator).await?)
}

/// Signs in on /login and waits for the home page.
async fn sign_in(c: &Client, address: &str, login: &str, password: &str) -> Result<Element> {
    c.goto(&format!("{address}/login")).await?;
    wait_for(c, Locator::Id("login")).await?.send_keys(login).await?;
    c.find(Locator::Id("password")).await?.send_keys(password).await?;
    screenshot(c, &format!("{login}-1-login")).await;
    c.find(Locator::Id("login-submit")).await?.click().await?;
    wait_for(c, Locator::Css("#home .role-card")).await?;
    wait_for(c, Locator::Id("home")).await
}

/// The XPath of the tree node whose own name (not a descendant's) is `name`.
fn node_xpath(name: &str) -> String {
    format!(
        "//li[@data-unit-id][div[contains(@class,'unit-row')]//span[contains(@class,'unit-name') and normalize-space(.)='{name}']]"
    )
}

/// Waits for the tree node named `name` and opens it when it is closed.
async fn open_node(c: &Client, name: &str) -> Result<Element> {
    let node = wait_for(c, Locator::XPath(&node_xpath(name))).await?;
    if node.find_all(Locator::XPath("./ul[contains(@class,'unit-children')]")).await?.is_empty() {
        node.find(Locator::XPath("./div[contains(@class,'unit-row')]/button[contains(@class,'toggle')]"))
            .await?
            .click()
            .await?;
    }
    Ok(node)
}

/// Sets the browser's clock to the test server's (which starts on a named day, not today), so that the app and the
/// server agree on what day it is; called again after the test moves the server's clock.
async fn sync_clock(c: &Client, app: &TestApp) -> Result {
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
async fn run<F, Fut>(name: &str, scenario: F)
where
    F: FnOnce(Client, Arc<TestApp>) -> Fut,
    Fut: std::future::Future<Output = Result>,
{
    run_on(Screen::Phone, name, scenario).await
}

/// Like `run`, on a screen of the given size.
async fn run_on<F, Fut>(screen: Screen, name: &str, scenario: F)
where
    F: FnOnce(Client, Arc<TestApp>) -> Fut,
    Fut: std::future::Future<Output = Result>,
{
    run_with(screen, name, tests::spawn_app().await, scenario).await
}

/// Like `run_on`, with a server the test started.
async fn run_with<F, Fut>(screen: Screen, name: &str, app: TestApp, scenario: F)
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

#[tokio::test]
async fn grid_leader_signs_in_and_sees_home() {
    skip_unless_enabled!();
    run("grid_leader", |c, app| async move {
        let home = sign_in(&c, &app.address, "grid1", &app.demo_password).await?;
        let text = home.text().await?;
        screenshot(&c, "grid1-2-home").await;
        assert!(text.contains("网格长"), "the home page shows the role label 网格长:\n{text}");
        assert!(text.contains("第一网格"), "the home page shows the grid 第一网格:\n{text}");
        assert!(text.contains("王建华"), "the home page greets the grid leader by name:\n{text}");
        // A grid leader does not manage the organisation.
        assert!(c.find_all(Locator::Css("a[href='/admin/org']")).await?.is_empty(), "no org tile for a grid leader");

        // Signing out leads back to the sign-in form.
        c.find(Locator::Id("logout")).await?.click().await?;
        wait_for(&c, Locator::Id("login-submit")).await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn admin_adds_a_grid_and_sees_it_in_the_tree() {
    skip_unless_enabled!();
    run("admin_org", |c, app| async move {
        let home = sign_in(&c, &app.address, "admin", &app.demo_password).await?;
        let text = home.text().await?;
        assert!(text.contains("系统管理员"), "the admin's role label is shown:\n{text}");
        screenshot(&c, "admin-2-home").await;

        c.find(Locator::Css("a[href='/admin/org']")).await?.click().await?;
        wait_for(&c, Locator::Css("#org-tree [data-unit-id]")).await?;
        open_node(&c, "新华街道").await?;
        open_node(&c, "和平社区").await?;
        let station = open_node(&c, "和平社区第一党群服务站").await?;
        let station_id = station.attr("data-unit-id").await?;
        screenshot(&c, "admin-3-org").await;

        station
            .find(Locator::XPath("./div[contains(@class,'unit-row')]/button[contains(@class,'add-child')]"))
            .await?
            .click()
            .await?;
        let kind = wait_for(&c, Locator::Id("new-unit-kind")).await?;
        kind.find(Locator::Css("option[value='grid']")).await?.click().await?;
        c.find(Locator::Id("new-unit-name")).await?.send_keys("测试新网格").await?;
        screenshot(&c, "admin-4-add-form").await;
        c.find(Locator::Id("new-unit-submit")).await?.click().await?;

        let added = wait_for(&c, Locator::XPath(&node_xpath("测试新网格"))).await?;
        let kind_text = added.text().await?;
        assert!(kind_text.contains("网格"), "the new node shows its kind:\n{kind_text}");
        // It sits under the station (the tree is drawn anew after the change, so compare ids, not elements).
        let parent = added.find(Locator::XPath("ancestor::li[@data-unit-id][1]")).await?;
        assert_eq!(parent.attr("data-unit-id").await?, station_id, "the new grid is under the station");
        screenshot_of(&c.find(Locator::Id("org-tree")).await?, "admin-5-added").await;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn admin_opens_accounts_and_import() {
    skip_unless_enabled!();
    run("admin_pages", |c, app| async move {
        sign_in(&c, &app.address, "admin", &app.demo_password).await?;
        c.find(Locator::Css("a[href='/admin/accounts']")).await?.click().await?;
        wait_for(&c, Locator::Css(".account-list [data-account-id]")).await?;
        let text = c.find(Locator::Css(".account-list")).await?.text().await?;
        assert!(text.contains("grid1"), "the account list shows grid1:\n{text}");
        screenshot(&c, "admin-6-accounts").await;
        c.find(Locator::Id("new-account")).await?.click().await?;
        wait_for(&c, Locator::Css(".account-form .place-select")).await?;
        screenshot_of(&c.find(Locator::Css(".account-form")).await?, "admin-7-new-account").await;

        c.goto(&format!("{}/admin/import", app.address)).await?;
        wait_for(&c, Locator::Id("import-submit")).await?.click().await?;
        let error = wait_for(&c, Locator::Css(".error-box")).await?.text().await?;
        assert!(error.contains("请先选择"), "uploading without a file asks for one:\n{error}");

        // A workbook without the template's sheets: nothing is imported and every problem is listed.
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("空白.xlsx");
        rust_xlsxwriter::Workbook::new().save(&path)?;
        c.find(Locator::Id("import-file")).await?.send_keys(&path.to_string_lossy()).await?;
        c.find(Locator::Id("import-submit")).await?.click().await?;
        let table = wait_for(&c, Locator::Id("import-problems")).await?.text().await?;
        assert!(table.contains("工作表") && table.contains("问题"), "the problems table has its headers:\n{table}");
        screenshot_of(&c.find(Locator::Css("main")).await?, "admin-8-import").await;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn reset_password_must_be_changed_before_anything_else() {
    skip_unless_enabled!();
    run("reset_password", |c, app| async move {
        let admin = app.token("admin").await;
        let found = app.get(Some(&admin), "/api/accounts?q=grid1").await;
        let id = found
            .body
            .as_array()
            .and_then(|list| list.iter().find(|a| a["username"] == "grid1").and_then(|a| a["id"].as_i64()));
        let id = id.ok_or_else(|| format!("grid1 not found: {:?}", found.body))?;
        let reset = app
            .post(Some(&admin), &format!("/api/accounts/{id}/reset-password"), &json!({"new_password": "Temp2026pass"}))
            .await;
        assert_eq!(reset.status, 204, "reset: {:?}", reset.body);

        c.goto(&format!("{}/login", app.address)).await?;
        wait_for(&c, Locator::Id("login")).await?.send_keys("grid1").await?;
        c.find(Locator::Id("password")).await?.send_keys("Temp2026pass").await?;
        c.find(Locator::Id("login-submit")).await?.click().await?;
        wait_for(&c, Locator::Id("password-submit")).await?;
        // The home page is out of reach until the password is changed.
        c.goto(&format!("{}/", app.address)).await?;
        wait_for(&c, Locator::Id("password-submit")).await?;
        screenshot(&c, "grid1-3-must-change").await;

        c.find(Locator::Id("current-password")).await?.send_keys("Temp2026pass").await?;
        c.find(Locator::Id("new-password")).await?.send_keys("Mine2026pass").await?;
        c.find(Locator::Id("repeat-password")).await?.send_keys("Mine2026pass").await?;
        c.find(Locator::Id("password-submit")).await?.click().await?;
        let home = wait_for(&c, Locator::Css("#home .role-card")).await?.text().await?;
        assert!(home.contains("网格长"), "home after the change:\n{home}");
        assert_eq!(app.login("grid1", "Mine2026pass").await.status, 200, "the new password works");
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn an_expired_token_is_refreshed_and_an_expired_session_leads_to_sign_in() {
    skip_unless_enabled!();
    run("refresh", |c, app| async move {
        sign_in(&c, &app.address, "admin", &app.demo_password).await?;

        // The access token (15 minutes) has expired: the app refreshes it and the page loads as usual.
        app.state.clock.advance(chrono::Duration::minutes(16));
        c.find(Locator::Css("a[href='/admin/org']")).await?.click().await?;
        wait_for(&c, Locator::Css("#org-tree [data-unit-id]")).await?;
        assert_eq!(c.current_url().await?.path(), "/admin/org");

        // The refresh token (30 days) has expired too: the app sends the person to sign in.
        app.state.clock.advance(chrono::Duration::days(31));
        c.find(Locator::Css(".topbar .back")).await?.click().await?;
        wait_for(&c, Locator::Id("home")).await?;
        c.find(Locator::Css("a[href='/admin/accounts']")).await?.click().await?;
        wait_for(&c, Locator::Id("login-submit")).await?;
        assert_eq!(c.current_url().await?.path(), "/login");
        Ok(())
    })
    .await;
}

/// Writes a real JPEG photo (a 1200×900 gradient, as a phone camera might send a small one) and returns its path.
fn write_test_jpeg(dir: &std::path::Path) -> Result<std::path::PathBuf> {
    let img = image::RgbImage::from_fn(1200, 900, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    });
    let path = dir.join("photo.jpg");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85).encode_image(&img)?;
    Ok(path)
}

/// The `value` of an input or textarea.
async fn value_of(c: &Client, css: &str) -> Result<String> {
    Ok(c.find(Locator::Css(css)).await?.prop("value").await?.unwrap_or_default())
}

#[tokio::test]
async fn grid_leader_captures_an_item_with_a_photo() {
    skip_unless_enabled!();
    run("capture", |c, app| async move {
        const CONTENT: &str = "3号楼北侧路灯坏了一个星期，晚上出行不便，请尽快修理。";
        sign_in(&c, &app.address, "grid1", &app.demo_password).await?;
        c.find(Locator::Id("capture-button")).await?.click().await?;
        wait_for(&c, Locator::Id("capture-form")).await?;

        // The channel is preset for a grid leader: 微信走访, 入户走访.
        let channel = c.find(Locator::Css(".channel-group")).await?.text().await?;
        assert!(channel.contains("微信走访"), "the channel is preset:\n{channel}");
        let visit = c.find(Locator::Css("button[data-source='visit']")).await?;
        assert_eq!(visit.attr("aria-pressed").await?.as_deref(), Some("true"), "入户走访 is chosen");

        tap(&c, c.find(Locator::Css("button[data-type='public_facilities']")).await?).await?;

        // 重大性 asks first; cancelling keeps 一般性.
        tap(&c, c.find(Locator::Id("level-major")).await?).await?;
        let dialog = wait_for(&c, Locator::Css(".modal")).await?.text().await?;
        assert!(dialog.contains("直报市委书记、市长"), "the major-level dialog explains itself:\n{dialog}");
        c.find(Locator::Id("cancel-major")).await?.click().await?;
        let major = c.find(Locator::Id("level-major")).await?;
        assert_eq!(major.attr("aria-pressed").await?.as_deref(), Some("false"), "still 一般性 after cancelling");

        let building = wait_for(&c, Locator::Css("button[data-place-kind='building']")).await?;
        let building_name = building.text().await?;
        tap(&c, building).await?;

        c.find(Locator::Id("resident-name")).await?.send_keys("李大爷").await?;
        c.find(Locator::Id("resident-phone")).await?.send_keys("139 0000 1111").await?;
        c.find(Locator::Id("content")).await?.send_keys(CONTENT).await?;
        // Leaving the phone field normalises the number.
        assert_eq!(value_of(&c, "#resident-phone").await?, "13900001111", "the phone is normalised on blur");

        // The access token has expired by the time the photo goes up: the upload refreshes it and tries again.
        app.state.clock.advance(chrono::Duration::minutes(16));
        let dir = tempfile::tempdir()?;
        let jpeg = write_test_jpeg(dir.path())?;
        c.find(Locator::Id("photo-input")).await?.send_keys(&jpeg.to_string_lossy()).await?;
        wait_for(&c, Locator::Css(".photo-slot[data-state='done']")).await?;
        screenshot_page(&c, "grid1-4-capture-filled").await;

        // The draft survives a reload: fields, the chosen building and the uploaded photo.
        c.refresh().await?;
        wait_for(&c, Locator::Id("capture-form")).await?;
        wait_for(&c, Locator::Css(".photo-slot[data-state='done']")).await?;
        assert_eq!(value_of(&c, "#content").await?, CONTENT, "the content is restored from the draft");
        assert_eq!(value_of(&c, "#resident-name").await?, "李大爷");
        let chosen = wait_for(&c, Locator::Css("button[data-place-kind='building'][aria-pressed='true']")).await?;
        assert_eq!(chosen.text().await?, building_name, "the building is restored");

        c.find(Locator::Id("save-item")).await?.click().await?;
        let page = wait_for(&c, Locator::Css("#item-fields")).await?;
        let _ = page;
        let root = c.find(Locator::Id("item-page")).await?;
        let item_id = root.attr("data-item-id").await?.ok_or("the item page names its item")?;
        wait_for(&c, Locator::Css("#item-page .item-photo img")).await?;
        wait_for(&c, Locator::Css("#item-page .timeline .event")).await?;
        let text = root.text().await?;
        for expected in [CONTENT, "公共设施", "一般性", "微信走访", "王建华", "李大爷", &building_name, "照片（1张）"]
        {
            assert!(text.contains(expected), "the item page shows {expected}:\n{text}");
        }
        screenshot_page(&c, "grid1-5-item").await;

        // Saved: the draft is gone.
        let draft = c.execute("return localStorage.getItem('minqing.capture.draft');", vec![]).await?;
        assert!(draft.is_null(), "the draft is removed after saving: {draft}");

        c.goto(&format!("{}/items", app.address)).await?;
        let row = wait_for(&c, Locator::Css(&format!("#my-items .item-row[data-item-id='{item_id}']"))).await?;
        let row_text = row.text().await?;
        assert!(
            row_text.contains("公共设施") && row_text.contains("照片1张"),
            "my items lists the item with its type and photo count:\n{row_text}"
        );
        screenshot(&c, "grid1-6-my-items").await;

        // The station head finds it in the ledger.
        c.goto(&format!("{}/", app.address)).await?;
        wait_for(&c, Locator::Id("logout")).await?.click().await?;
        wait_for(&c, Locator::Id("login-submit")).await?;
        sign_in(&c, &app.address, "station1", &app.demo_password).await?;
        c.find(Locator::Id("ledger-link")).await?.click().await?;
        let row = wait_for(&c, Locator::Css(&format!("#ledger [data-item-id='{item_id}']"))).await?;
        let row_text = row.text().await?;
        assert!(
            row_text.contains("王建华") && row_text.contains("和平社区"),
            "the ledger row shows the collector and community:\n{row_text}"
        );
        wait_for(&c, Locator::Id("ledger-export")).await?;
        wait_for(&c, Locator::Id("ledger-print")).await?;
        screenshot_page(&c, "station1-7-ledger").await;

        // A row leads to the item page.
        row.find(Locator::Css(".c-summary")).await?.click().await?;
        let root = wait_for(&c, Locator::Id("item-page")).await?;
        assert_eq!(root.attr("data-item-id").await?.as_deref(), Some(item_id.as_str()));
        Ok(())
    })
    .await;
}

/// Shows the page as printed: the print rules of the stylesheet are applied to the screen (WebDriver cannot switch
/// the media type), for a screenshot of what 打印 gives.
async fn emulate_print(c: &Client) -> Result {
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

/// The number of ledger rows shown, waiting until it is `n`.
async fn wait_for_rows(c: &Client, n: usize) -> Result {
    until(&format!("the ledger shows {n} rows"), || async {
        let rows = c.find_all(Locator::Css("#ledger tbody tr[data-item-id]")).await?.len();
        Ok((rows == n).then_some(()).ok_or(format!("{rows} rows")))
    })
    .await
}

#[tokio::test]
async fn station_head_captures_a_major_item_and_reads_the_ledger_on_a_desk() {
    skip_unless_enabled!();
    run_on(Screen::Desk, "ledger_desk", |c, app| async move {
        // Two items from the grid leader, through the API.
        let grid1 = app.token("grid1").await;
        let grid = app.unit_id(&grid1, "新华街道 / 和平社区 / 和平社区第一党群服务站 / 第一网格").await;
        for (n, content) in ["2号楼电梯经常停运，老人上下楼困难。", "小区门口下水道堵塞，雨天积水。"].iter().enumerate()
        {
            let body = json!({
                "id": format!("00000000-0000-4000-8000-00000000000{n}"), "channel": "wechat_visit", "source": "visit",
                "item_type": "property_housing", "level": "general", "place_id": grid, "content": content,
            });
            let made = app.post(Some(&grid1), "/api/items", &body).await;
            assert_eq!(made.status, 201, "create: {:?}", made.body);
        }

        sign_in(&c, &app.address, "station1", &app.demo_password).await?;
        c.find(Locator::Id("capture-button")).await?.click().await?;
        wait_for(&c, Locator::Id("capture-form")).await?;
        let channel = c.find(Locator::Css(".channel-group")).await?.text().await?;
        assert!(channel.contains("电话信箱"), "a station head's channel is preset:\n{channel}");
        tap(&c, c.find(Locator::Css("button[data-source='hotline']")).await?).await?;
        tap(&c, c.find(Locator::Css("button[data-type='safety_environment']")).await?).await?;

        // Saving without content names the missing fields next to them.
        c.find(Locator::Id("save-item")).await?.click().await?;
        let errors = wait_for(&c, Locator::Css(".field-error")).await?;
        let _ = errors;
        let form_text = c.find(Locator::Id("capture-form")).await?.text().await?;
        assert!(
            form_text.contains("请填写居民反映的内容") && form_text.contains("请选择地点"),
            "the missing content and place are named:\n{form_text}"
        );

        tap(&c, c.find(Locator::Id("level-major")).await?).await?;
        wait_for(&c, Locator::Id("confirm-major")).await?.click().await?;
        let major = c.find(Locator::Id("level-major")).await?;
        assert_eq!(major.attr("aria-pressed").await?.as_deref(), Some("true"), "重大性 after confirming");

        // A station head picks a grid, then a building of it.
        tap(&c, wait_for(&c, Locator::Css("button[data-grid-id]")).await?).await?;
        tap(&c, wait_for(&c, Locator::Css("button[data-place-kind='building']")).await?).await?;
        c.find(Locator::Id("content")).await?.send_keys("居民来电反映：小区燃气管道有异味，担心泄漏。").await?;
        c.find(Locator::Id("save-item")).await?.click().await?;
        let root = wait_for(&c, Locator::Css("#item-fields")).await?;
        let text = root.text().await?;
        assert!(text.contains("重大性") && text.contains("电话信箱（民生服务热线）"), "the item page:\n{text}");

        c.goto(&format!("{}/ledger", app.address)).await?;
        wait_for_rows(&c, 3).await?;
        let count = c.find(Locator::Css(".ledger-bar .count")).await?.text().await?;
        assert_eq!(count, "共3条");
        let head = c.find(Locator::Css("#ledger thead")).await?.text().await?;
        for column in [
            "序号",
            "收集时间",
            "收集人",
            "收集方式",
            "类型",
            "级别",
            "是否办结",
            "办结时间",
            "办结情况",
            "是否向居民反馈结果",
            "反馈时间",
            "反馈人",
            "社区",
            "内容摘要",
        ] {
            assert!(head.contains(column), "the ledger has the column {column}:\n{head}");
        }
        screenshot(&c, "station1-9-ledger-desk").await;

        // Filtering by level leaves the major item alone.
        c.find(Locator::Css("#filter-level option[value='major']")).await?.click().await?;
        wait_for_rows(&c, 1).await?;
        let row = c.find(Locator::Css("#ledger tbody tr[data-item-id]")).await?.text().await?;
        assert!(row.contains("燃气管道"), "the major item remains:\n{row}");
        c.find(Locator::Css("#filter-level option[value='']")).await?.click().await?;
        wait_for_rows(&c, 3).await?;

        // The export downloads without an error.
        c.execute(
            "window.__downloads = 0; var made = URL.createObjectURL.bind(URL);
             URL.createObjectURL = function (b) { window.__downloads += 1; return made(b); };",
            vec![],
        )
        .await?;
        c.find(Locator::Id("ledger-export")).await?.click().await?;
        until("the export hands a file to the browser", || async {
            let n = c.execute("return window.__downloads;", vec![]).await?;
            let errors = c.find_all(Locator::Css(".error-box")).await?.len();
            Ok((n.as_u64() == Some(1) && errors == 0).then_some(()).ok_or(format!("{n} files, {errors} errors")))
        })
        .await?;
        wait_for(&c, Locator::XPath("//button[@id='ledger-export' and not(@disabled)]")).await?;
        assert!(c.find_all(Locator::Css(".error-box")).await?.is_empty(), "the export failed");

        emulate_print(&c).await?;
        screenshot(&c, "station1-10-ledger-print").await;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn community_secretary_chooses_the_channel_and_a_place_from_a_list() {
    skip_unless_enabled!();
    run("capture_community", |c, app| async move {
        sign_in(&c, &app.address, "community1", &app.demo_password).await?;
        c.find(Locator::Id("capture-button")).await?.click().await?;
        wait_for(&c, Locator::Id("capture-form")).await?;
        // No preset: the four channels to choose from.
        assert_eq!(c.find_all(Locator::Css("button[data-channel]")).await?.len(), 4, "four channels");
        tap(&c, c.find(Locator::Css("button[data-channel='reception']")).await?).await?;
        tap(&c, c.find(Locator::Css("button[data-type='social_security']")).await?).await?;
        let place = wait_for(&c, Locator::Css("#place-select option[value]:not([value=''])")).await?;
        let place_label = place.text().await?;
        assert!(place_label.contains("和平社区"), "the places are the community's own: {place_label}");
        // A grid of the community.
        let grid =
            c.find(Locator::XPath("//select[@id='place-select']/option[contains(., '第一网格（网格）')]")).await?;
        grid.click().await?;
        c.find(Locator::Id("content")).await?.send_keys("居民在定点接待日反映：养老金认证不会操作。").await?;
        screenshot_page(&c, "community1-1-capture").await;
        tap(&c, c.find(Locator::Id("save-item")).await?).await?;
        let root = wait_for(&c, Locator::Css("#item-fields")).await?;
        let text = root.text().await?;
        assert!(text.contains("定点接待") && text.contains("社会保障"), "the item page:\n{text}");
        Ok(())
    })
    .await;
}

/// Signs the current account out by forgetting the stored session, then signs `login` in.
async fn switch_to(c: &Client, address: &str, login: &str, password: &str) -> Result<Element> {
    c.execute("localStorage.clear(); sessionStorage.clear();", vec![]).await?;
    sign_in(c, address, login, password).await
}

#[tokio::test]
async fn a_major_item_reaches_the_city_leader_and_a_department_accepts_and_returns_a_sheet() {
    skip_unless_enabled!();
    run("journey", |c, app| async move {
        const CONTENT: &str = "6号楼外墙瓷砖大面积脱落，砸坏了楼下一辆车，随时可能伤人。";
        // The grid leader captures a major item.
        sign_in(&c, &app.address, "grid1", &app.demo_password).await?;
        c.find(Locator::Id("capture-button")).await?.click().await?;
        wait_for(&c, Locator::Id("capture-form")).await?;
        tap(&c, c.find(Locator::Css("button[data-type='safety_environment']")).await?).await?;
        tap(&c, c.find(Locator::Id("level-major")).await?).await?;
        wait_for(&c, Locator::Id("confirm-major")).await?.click().await?;
        tap(&c, wait_for(&c, Locator::Css("button[data-place-kind='building']")).await?).await?;
        c.find(Locator::Id("content")).await?.send_keys(CONTENT).await?;
        c.find(Locator::Id("save-item")).await?.click().await?;
        wait_for(&c, Locator::Css("#item-fields")).await?;

        // The city leader sees the 直报 banner at once and acknowledges it.
        switch_to(&c, &app.address, "leader1", &app.demo_password).await?;
        let banner = wait_for(&c, Locator::Id("direct-report-banner")).await?;
        let text = banner.text().await?;
        assert!(text.contains("直报") && text.contains("外墙瓷砖"), "the banner names the item:\n{text}");
        screenshot(&c, "leader1-1-direct-report").await;
        tap(&c, banner.find(Locator::Css("button[data-ack]")).await?).await?;
        c.wait().at_most(WAIT).for_element(Locator::XPath("//body[not(.//*[@id='direct-report-banner'])]")).await?;
        let leader = app.token("leader1").await;
        let all = app.get(Some(&leader), "/api/direct-reports").await.body;
        assert!(all[0]["acknowledged_at"].is_string(), "the acknowledgement is recorded: {all:?}");

        // An item sent to the street and dispatched to the housing bureau, through the API.
        let grid1 = app.token("grid1").await;
        let grid = app.unit_id(&grid1, "新华街道 / 和平社区 / 和平社区第一党群服务站 / 第一网格").await;
        let body = json!({
            "id": "00000000-0000-4000-8000-0000000000aa", "channel": "wechat_visit", "source": "visit",
            "item_type": "property_housing", "level": "general", "place_id": grid,
            "content": "小区消防通道被私家车长期占用。",
        });
        let made = app.post(Some(&grid1), "/api/items", &body).await;
        assert_eq!(made.status, 201, "{:?}", made.body);
        let id = made.body["id"].as_str().unwrap().to_string();
        let secretary = app.token("community1").await;
        let sent = app.post(Some(&secretary), &format!("/api/items/{id}/send-to-street"), &json!({"version": 1})).await;
        assert_eq!(sent.status, 200, "{:?}", sent.body);
        let dispatcher = app.token("dispatcher1").await;
        let housing = app.unit_id(&dispatcher, "市住房和城乡建设局").await;
        let body = json!({"version": 2, "department_id": housing});
        let dispatched = app.post(Some(&dispatcher), &format!("/api/items/{id}/dispatch"), &body).await;
        assert_eq!(dispatched.status, 200, "{:?}", dispatched.body);

        // The department handler finds it in the inbox, accepts it, and returns the sheet solved.
        switch_to(&c, &app.address, "dept1", &app.demo_password).await?;
        c.goto(&format!("{}/queue", app.address)).await?;
        let row = wait_for(&c, Locator::Css(&format!("a[href='/items/{id}']"))).await?;
        screenshot(&c, "dept1-1-inbox").await;
        tap(&c, row).await?;
        tap(&c, wait_for(&c, Locator::Css("button[data-action='accept']")).await?).await?;
        tap(&c, wait_for(&c, Locator::Id("action-submit")).await?).await?;
        tap(&c, wait_for(&c, Locator::Css("button[data-action='return_sheet']")).await?).await?;
        tap(&c, wait_for(&c, Locator::Id("solved-yes")).await?).await?;
        wait_for(&c, Locator::Id("action-result"))
            .await?
            .send_keys("已联系交警拖离车辆，并在通道处安装隔离桩。")
            .await?;
        screenshot(&c, "dept1-2-return-sheet").await;
        tap(&c, c.find(Locator::Id("action-submit")).await?).await?;
        let deadline = Instant::now() + WAIT;
        loop {
            let item = app.get(Some(&dispatcher), &format!("/api/items/{id}")).await.body;
            if item["status"] == "solved" {
                assert_eq!(item["ledger"]["outcome"], "solved_by_dept_in_10_days");
                break;
            }
            assert!(Instant::now() < deadline, "the sheet was not returned: {item:?}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }

        // The sheet's print view, laid out like 附件2.
        c.goto(&format!("{}/items/{id}/sheet", app.address)).await?;
        let sheet = wait_for(&c, Locator::Css(".sheet")).await?.text().await?;
        for label in
            ["民情速递处置反馈单", "收集时间", "交办责任单位或部门", "接单时间", "返单时间", "10日内", "主要领导签字"]
        {
            assert!(sheet.contains(label), "the sheet has {label}:\n{sheet}");
        }
        assert!(sheet.contains("新华街道2026") || sheet.contains("新华街道20"), "the sheet number:\n{sheet}");
        assert!(sheet.contains("市住房和城乡建设局"), "the department:\n{sheet}");
        emulate_print(&c).await?;
        screenshot_page(&c, "dept1-3-sheet-print").await;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_resident_rates_in_three_taps_and_the_community_sees_the_follow_up() {
    skip_unless_enabled!();
    run("resident", |c, app| async move {
        // An item the community solved and told the resident about, through the API.
        let grid1 = app.token("grid1").await;
        let grid = app.unit_id(&grid1, "新华街道 / 和平社区 / 和平社区第一党群服务站 / 第一网格").await;
        let body = json!({
            "id": "00000000-0000-4000-8000-0000000000bb", "channel": "wechat_visit", "source": "visit",
            "item_type": "public_facilities", "level": "general", "place_id": grid,
            "resident_name": "赵大妈", "resident_phone": "13911112222",
            "content": "楼下路灯不亮，晚上出门害怕。",
        });
        let made = app.post(Some(&grid1), "/api/items", &body).await;
        assert_eq!(made.status, 201, "{:?}", made.body);
        let id = made.body["id"].as_str().unwrap().to_string();
        let secretary = app.token("community1").await;
        let r = app
            .post(
                Some(&secretary),
                &format!("/api/items/{id}/solve-locally"),
                &json!({"version": 1, "result": "已更换路灯灯泡。"}),
            )
            .await;
        assert_eq!(r.status, 200, "{:?}", r.body);

        // The grid leader issues the link on the item page and sees its QR code.
        sign_in(&c, &app.address, "grid1", &app.demo_password).await?;
        c.goto(&format!("{}/items/{id}", app.address)).await?;
        tap(&c, wait_for(&c, Locator::Id("issue-resident-link")).await?).await?;
        wait_for(&c, Locator::Css("#resident-qr svg")).await?;
        let url = value_of(&c, "#resident-link-url").await?;
        assert!(url.contains("/r/"), "the link: {url}");
        screenshot(&c, "grid1-link-qr").await;

        // The resident opens it on their own phone: no account.
        c.execute("localStorage.clear(); sessionStorage.clear();", vec![]).await?;
        let path = &url[url.find("/r/").unwrap()..];
        c.goto(&format!("{}{path}", app.address)).await?;
        let page = wait_for(&c, Locator::Css("button[data-q='timely'][data-a='satisfied']")).await?;
        let text = c.find(Locator::Css("body")).await?.text().await?;
        assert!(text.contains("楼下路灯不亮") && text.contains("已更换路灯灯泡"), "the resident's page:\n{text}");
        assert!(!text.contains("赵大妈") && !text.contains("13911112222") && !text.contains("王建华"), "{text}");
        screenshot(&c, "resident-1-page").await;
        tap(&c, page).await?;
        tap(&c, c.find(Locator::Css("button[data-q='attitude'][data-a='basically']")).await?).await?;
        tap(&c, c.find(Locator::Css("button[data-q='result'][data-a='dissatisfied']")).await?).await?;
        let thanks = wait_for(&c, Locator::Id("rating-thanks")).await?.text().await?;
        assert!(thanks.contains("感谢您的评价"), "{thanks}");
        screenshot_page(&c, "resident-2-thanks").await;

        // The community sees the follow-up.
        sign_in(&c, &app.address, "community1", &app.demo_password).await?;
        c.goto(&format!("{}/follow-ups", app.address)).await?;
        let open = wait_for(&c, Locator::Css(&format!("#open-follow-ups .follow-up[data-item-id='{id}']"))).await?;
        let text = open.text().await?;
        assert!(text.contains("不满意"), "the follow-up shows the answers:\n{text}");
        screenshot(&c, "community1-follow-up").await;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_city_leader_reads_the_statistics_table_and_a_monthly_report_on_a_desk() {
    skip_unless_enabled!();
    run_on(Screen::Desk, "numbers", |c, app| async move {
        // One item dispatched to the housing bureau and accepted this month; October's report drafted.
        let grid1 = app.token("grid1").await;
        let grid = app.unit_id(&grid1, "新华街道 / 和平社区 / 和平社区第一党群服务站 / 第一网格").await;
        let body = json!({
            "id": "00000000-0000-4000-8000-0000000000cc", "channel": "wechat_visit", "source": "visit",
            "item_type": "property_housing", "level": "general", "place_id": grid, "content": "小区电梯频繁故障。",
        });
        let id = app.post(Some(&grid1), "/api/items", &body).await.body["id"].as_str().unwrap().to_string();
        let secretary = app.token("community1").await;
        let r = app.post(Some(&secretary), &format!("/api/items/{id}/send-to-street"), &json!({"version": 1})).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        let dispatcher = app.token("dispatcher1").await;
        let housing = app.unit_id(&dispatcher, "市住房和城乡建设局").await;
        let r = app
            .post(
                Some(&dispatcher),
                &format!("/api/items/{id}/dispatch"),
                &json!({"version": 2, "department_id": housing}),
            )
            .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        let dept1 = app.token("dept1").await;
        let r = app.post(Some(&dept1), &format!("/api/items/{id}/accept"), &json!({"version": 3})).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        let street = app.token("street1").await;
        let report = app.post(Some(&street), "/api/reports", &json!({"year": 2026, "month": 10})).await;
        assert_eq!(report.status, 200, "{:?}", report.body);
        let report_id = report.body["summary"]["id"].as_i64().unwrap();

        sign_in(&c, &app.address, "leader1", &app.demo_password).await?;
        tap(&c, c.find(Locator::Id("stats-link")).await?).await?;
        let table = wait_for(&c, Locator::Css(&format!("#stats-table tbody tr[data-unit-id='{housing}']"))).await?;
        let head = c.find(Locator::Css("#stats-table thead")).await?.text().await?;
        for column in [
            "序号",
            "责任单位",
            "民情接单数量",
            "按时办结数量",
            "正在处理数量",
            "办结率",
            "10日内未办结数量",
            "测评满意率",
        ] {
            assert!(head.contains(column), "附件3 has {column}:\n{head}");
        }
        let _ = table;
        tap(
            &c,
            c.find(Locator::Css(&format!("button.figure[data-column='received'][data-unit-id='{housing}']"))).await?,
        )
        .await?;
        wait_for(&c, Locator::Css(&format!("#figure-items tr[data-item-id='{id}']"))).await?;
        screenshot(&c, "leader1-2-stats").await;
        c.find(Locator::Id("figure-close")).await.ok();
        emulate_print(&c).await?;
        screenshot_page(&c, "leader1-3-stats-print").await;

        c.goto(&format!("{}/reports", app.address)).await?;
        tap(&c, wait_for(&c, Locator::Css(&format!("#report-list .report-row[data-report-id='{report_id}']"))).await?)
            .await?;
        let title = wait_for(&c, Locator::Id("report-title")).await?.text().await?;
        assert!(title.contains("新华街道民情专报（第1期）"), "{title}");
        let s1 = c.find(Locator::Id("report-section1")).await?.text().await?;
        assert!(s1.starts_with("截止本月5日，新华街道10月共收集民情事项"), "{s1}");
        assert!(c.find_all(Locator::Css("#report textarea")).await?.is_empty(), "a city leader reads, does not edit");
        emulate_print(&c).await?;
        screenshot_page(&c, "leader1-4-report-print").await;

        // The dashboard: the same figures, drawn.
        c.goto(&format!("{}/", app.address)).await?;
        tap(&c, wait_for(&c, Locator::Id("dashboard-link")).await?).await?;
        let open = wait_for(&c, Locator::Id("now-open")).await?.text().await?;
        assert_eq!(open.trim(), "1", "one item open in the city");
        wait_for(&c, Locator::Css("svg#chart-trend")).await?;
        wait_for(&c, Locator::Css("svg#chart-streets")).await?;
        let departments = c.find(Locator::Id("department-table")).await?.text().await?;
        assert!(departments.contains("市住房和城乡建设局"), "{departments}");
        let figures = c.find(Locator::Id("month-figures")).await?.text().await?;
        assert!(figures.contains("（1/1）"), "rates show their denominators:\n{figures}");
        screenshot(&c, "leader1-5-dashboard").await;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_supervisor_prints_an_items_evidence_and_a_city_office_reads_the_analysis() {
    skip_unless_enabled!();
    run_on(Screen::Desk, "evidence", |c, app| async move {
        use chrono::Datelike;
        const CONTENT: &str = "小区健身器材螺丝松动，老人锻炼时存在安全隐患。";
        // One item from the grid leader, its type corrected, sent to the street, through the API.
        let grid1 = app.token("grid1").await;
        let grid = app.unit_id(&grid1, "新华街道 / 和平社区 / 和平社区第一党群服务站 / 第一网格").await;
        let body = json!({
            "id": "00000000-0000-4000-8000-0000000000dd", "channel": "wechat_visit", "source": "visit",
            "item_type": "property_housing", "level": "general", "place_id": grid, "content": CONTENT,
        });
        let made = app.post(Some(&grid1), "/api/items", &body).await;
        assert_eq!(made.status, 201, "{:?}", made.body);
        let id = made.body["id"].as_str().ok_or("the item's id")?.to_string();
        let r = app
            .patch(Some(&grid1), &format!("/api/items/{id}"), &json!({"version": 1, "item_type": "public_facilities"}))
            .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        let secretary = app.token("community1").await;
        let r = app.post(Some(&secretary), &format!("/api/items/{id}/send-to-street"), &json!({"version": 2})).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        // The month it was collected in, in the city's time.
        let collected = made.body["collected_at"].as_str().ok_or("collected_at")?;
        let city = chrono::FixedOffset::east_opt(8 * 3600).ok_or("the city's offset")?;
        let collected = chrono::DateTime::parse_from_rfc3339(collected)?.with_timezone(&city);
        let (year, month) = (collected.year(), collected.month());

        // The supervision office opens the item's whole record from its page and prints it.
        sign_in(&c, &app.address, "supervisor1", &app.demo_password).await?;
        c.goto(&format!("{}/items/{id}", app.address)).await?;
        tap(&c, wait_for(&c, Locator::Id("evidence-link")).await?).await?;
        wait_for(&c, Locator::Css("#evidence-events tr.evidence-event[data-kind='sent_to_street']")).await?;
        let page = c.find(Locator::Id("evidence-page")).await?;
        assert_eq!(page.attr("data-item-id").await?.as_deref(), Some(id.as_str()));
        let facts = c.find(Locator::Id("evidence-facts")).await?.text().await?;
        for expected in [CONTENT, "公共设施", "一般性", "微信走访", "王建华", "待街道派单"] {
            assert!(facts.contains(expected), "the facts show {expected}:\n{facts}");
        }
        let head = c.find(Locator::Css("#evidence-events thead")).await?.text().await?;
        for column in ["序号", "时间", "操作人", "事项", "内容"] {
            assert!(head.contains(column), "the events table has the column {column}:\n{head}");
        }
        let rows = c.find_all(Locator::Css("#evidence-events tr.evidence-event")).await?;
        let mut kinds = Vec::new();
        for row in &rows {
            kinds.push(row.attr("data-kind").await?.unwrap_or_default());
        }
        assert_eq!(kinds, ["created", "updated", "sent_to_street"], "every event, oldest first");
        let created = rows[0].text().await?;
        assert!(created.contains("登记") && created.contains("王建华"), "the created event:\n{created}");
        let updated = rows[1].text().await?;
        assert!(updated.contains("类型：物业住房 → 公共设施"), "the correction, before → after:\n{updated}");
        let footer = c.find(Locator::Id("evidence-footer")).await?.text().await?;
        assert!(footer.contains("打印时间") && footer.contains(&id), "the footer:\n{footer}");
        wait_for(&c, Locator::Id("evidence-print")).await?;
        emulate_print(&c).await?;
        assert!(!c.find(Locator::Css(".topbar")).await?.is_displayed().await?, "the top bar is not printed");
        screenshot_page(&c, "evidence").await;

        // A city analyst reads the month's analysis: the type, counted once, opens the item.
        switch_to(&c, &app.address, "analyst1", &app.demo_password).await?;
        wait_for(&c, Locator::Id("analysis-link")).await?;
        c.goto(&format!("{}/analysis?year={year}&month={month}", app.address)).await?;
        let title = wait_for(&c, Locator::Id("analysis-title")).await?.text().await?;
        assert_eq!(title, format!("《民情分析》{year}年{month}月"));
        let row = wait_for(&c, Locator::Css("#analysis-types tr[data-type='public_facilities']")).await?;
        let count = row.find(Locator::Css("button.analysis-count[data-part='total']")).await?;
        assert_eq!(count.text().await?.trim(), "1", "one item of the type");
        let text = row.text().await?;
        assert!(text.contains("公共设施") && text.contains("新华街道"), "the type and its street:\n{text}");
        for table in ["analysis-communities", "analysis-repeated", "analysis-unresolved"] {
            wait_for(&c, Locator::Id(table)).await?;
        }
        let repeated = c.find(Locator::Id("analysis-repeated")).await?.text().await?;
        assert!(repeated.contains("本月无"), "one item is no repeated place:\n{repeated}");
        tap(&c, count).await?;
        let link = wait_for(&c, Locator::Css(&format!("#analysis-types a[href='/items/{id}']"))).await?;
        assert!(link.text().await?.contains(&id), "the link shows the item's id");
        wait_for(&c, Locator::Id("analysis-export")).await?;
        screenshot_page(&c, "analysis").await;
        tap(&c, link).await?;
        let root = wait_for(&c, Locator::Id("item-page")).await?;
        assert_eq!(root.attr("data-item-id").await?.as_deref(), Some(id.as_str()));
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_grid_leader_records_three_visits_one_raising_an_item_and_the_station_head_sees_today() {
    skip_unless_enabled!();
    // Monday 16 November 2026, 10:00: the week's first day, so the next day finds exactly one day missed.
    let app = tests::spawn_app_at(tests::city_time(2026, 11, 16, 10, 0)).await;
    run_with(Screen::Phone, "visits", app, |c, app| async move {
        const CONTENT: &str = "幸福家园小区东门路面塌陷一个大坑，雨天积水，老人孩子出行不安全。";
        sign_in(&c, &app.address, "grid1", &app.demo_password).await?;
        let tile = wait_for(&c, Locator::Id("visits-link")).await?;
        let deadline = Instant::now() + WAIT;
        while !tile.text().await?.contains("已走访 0/3") {
            assert!(Instant::now() < deadline, "the tile counts the day: {}", tile.text().await?);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        tap(&c, tile).await?;
        let summary = wait_for(&c, Locator::Id("visits-summary")).await?.text().await?;
        assert!(summary.contains("已走访 0/3"), "nothing visited yet:\n{summary}");
        wait_for(&c, Locator::Id("slot-wechat_group")).await?;
        screenshot_page(&c, "grid1-visits-1-day").await;

        // One visit on each register: tap the card, pick the entry, write the note, save. The third raises a concern.
        let visits = [
            ("special_group", "王秀兰（独居老人）", "老人身体还好，药按时吃，提醒冬天注意取暖。", false),
            ("many_demands", "孙志刚", "又问了小区停车位的事，已解释正在协调。", false),
            ("problem_compound", "幸福家园小区", "东门路面塌陷，居民意见很大。", true),
        ];
        for (n, (kind, target, note, raises)) in visits.into_iter().enumerate() {
            let card = wait_for(&c, Locator::Css(&format!("#slot-{kind}"))).await?;
            let text = card.text().await?;
            assert!(text.contains("未走访"), "the {kind} card is not done yet:\n{text}");
            tap(&c, card).await?;
            let form = wait_for(&c, Locator::Css(&format!("#slot-{kind} #visit-form"))).await?;
            let option = form
                .find(Locator::XPath(&format!(
                    ".//label[contains(@class,'target-option')][.//span[contains(@class,'target-name') and normalize-space(.)='{target}']]"
                )))
                .await?;
            tap(&c, option).await?;
            let radio = form.find(Locator::Css("input[name='target']:checked")).await?;
            assert!(radio.attr("value").await?.is_some_and(|v| !v.is_empty()), "an entry is chosen");
            c.find(Locator::Id("visit-note")).await?.send_keys(note).await?;
            if raises {
                tap(&c, c.find(Locator::Id("visit-raises-item")).await?).await?;
                screenshot_page(&c, "grid1-visits-2-form").await;
            }
            tap(&c, c.find(Locator::Id("visit-save")).await?).await?;
            if !raises {
                let done = wait_for(&c, Locator::Css(&format!("#slot-{kind}.done"))).await?.text().await?;
                assert!(done.contains("✓ 已走访") && done.contains(target), "the card shows the visit:\n{done}");
                let summary = wait_for(&c, Locator::Css(&format!("#visits-summary[data-done='{}']", n + 1))).await?;
                assert!(summary.text().await?.contains(&format!("已走访 {}/3", n + 1)));
            }
        }

        // The capture form opens linked to the visit: 微信走访, the grid preselected.
        let banner = wait_for(&c, Locator::Id("origin-banner")).await?.text().await?;
        assert_eq!(banner, "来自走访记录");
        let channel = c.find(Locator::Id("capture-origin")).await?.text().await?;
        assert!(channel.contains("微信走访"), "the channel is fixed:\n{channel}");
        assert!(c.current_url().await?.query().is_some_and(|q| q.contains("visit=")), "the address names the visit");
        wait_for(&c, Locator::Css("button[data-place-kind='grid'][aria-pressed='true']")).await?;
        let leaders = wait_for(&c, Locator::Css("#building-leader option[value]:not([value=''])")).await?.text().await?;
        assert!(leaders.contains("李秀英"), "the grid's building leaders can be credited: {leaders}");
        tap(&c, c.find(Locator::Css("button[data-type='public_facilities']")).await?).await?;
        c.find(Locator::Id("content")).await?.send_keys(CONTENT).await?;
        screenshot_page(&c, "grid1-visits-3-capture").await;
        tap(&c, c.find(Locator::Id("save-item")).await?).await?;

        // Back on the day: all three done, the item raised at the third visit.
        let summary = wait_for(&c, Locator::Css("#visits-summary[data-done='3']")).await?.text().await?;
        assert_eq!(c.current_url().await?.path(), "/visits");
        assert!(summary.contains("已走访 3/3") && summary.contains("今日登记民情 1 条"), "the day is complete:\n{summary}");
        let card = c.find(Locator::Id("slot-problem_compound")).await?.text().await?;
        assert!(card.contains("幸福家园小区") && card.contains("登记民情 1 条"), "the visit shows its item:\n{card}");
        screenshot_page(&c, "grid1-visits-4-done").await;

        // The item names where it came from.
        tap(&c, c.find(Locator::Css("#slot-problem_compound a.visit-raised-item")).await?).await?;
        let origin = wait_for(&c, Locator::Id("item-origin")).await?.text().await?;
        assert!(origin.contains("来自走访"), "the item page shows its origin:\n{origin}");
        let page = c.find(Locator::Id("item-page")).await?.text().await?;
        assert!(page.contains(CONTENT) && page.contains("微信走访"), "the item:\n{page}");

        // The registers: the day each entry was last visited; an entry added, then taken off.
        c.goto(&format!("{}/visits", app.address)).await?;
        tap(&c, wait_for(&c, Locator::Id("registers-link")).await?).await?;
        let special = wait_for(&c, Locator::Css("#register-special_group .register-entry")).await?;
        let _ = special;
        let register = c.find(Locator::Id("register-special_group")).await?.text().await?;
        assert!(register.contains("王秀兰（独居老人）") && register.contains("上次走访"), "last visits:\n{register}");
        assert!(register.contains("刘德顺（残疾人）") && register.contains("从未走访"), "never visited:\n{register}");
        let register_select = c.find(Locator::Id("target-register")).await?;
        register_select.find(Locator::Css("option[value='special_group']")).await?.click().await?;
        c.find(Locator::Id("target-name")).await?.send_keys("李桂兰（低保户）").await?;
        c.find(Locator::Id("target-address")).await?.send_keys("3号楼2单元101").await?;
        tap(&c, c.find(Locator::Id("target-save")).await?).await?;
        let added = wait_for(
            &c,
            Locator::XPath("//section[@id='register-special_group']//li[contains(@class,'register-entry')][contains(.,'李桂兰（低保户）')]"),
        )
        .await?;
        screenshot_page(&c, "grid1-visits-5-registers").await;
        c.execute("window.confirm = () => true;", vec![]).await?;
        tap(&c, added.find(Locator::Css("button.remove-target")).await?).await?;
        let deadline = Instant::now() + WAIT;
        while c.find(Locator::Id("register-special_group")).await?.text().await?.contains("李桂兰") {
            assert!(Instant::now() < deadline, "the entry is taken off the register");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }

        // The station head sees the station's grids today.
        switch_to(&c, &app.address, "station1", &app.demo_password).await?;
        tap(&c, wait_for(&c, Locator::Id("coverage-link")).await?).await?;
        let first = wait_for(&c, Locator::Css(".grid-coverage[data-grid='第一网格']")).await?;
        let text = first.text().await?;
        for expected in ["今日 3/3", "今日登记民情 1 条", "王建华", "本周漏访"] {
            assert!(text.contains(expected), "第一网格 shows {expected}:\n{text}");
        }
        assert_eq!(first.find_all(Locator::Css(".gc-marks .mark.done")).await?.len(), 3, "three ✓ marks");
        let second = c.find(Locator::Css(".grid-coverage[data-grid='第二网格']")).await?.text().await?;
        assert!(second.contains("今日 0/3"), "第二网格 has not visited:\n{second}");
        assert_eq!(c.find_all(Locator::Css(".grid-coverage[data-grid='第一网格'] .week-day")).await?.len(), 7);
        let date = wait_for(&c, Locator::Css(".coverage-date")).await?.text().await?;
        assert!(date.contains("今天"), "today's date is shown: {date}");
        screenshot_page(&c, "station1-coverage-1").await;

        // Tapping the grid opens its daily report: every visit, and the item raised with a link to it.
        tap(&c, first.find(Locator::Css(".grid-toggle")).await?).await?;
        let report = wait_for(&c, Locator::Css(".grid-coverage[data-grid='第一网格'] .grid-report")).await?;
        let text = report.text().await?;
        for expected in ["王秀兰（独居老人）", "孙志刚", "幸福家园小区", "东门路面塌陷，居民意见很大。", "公共设施"] {
            assert!(text.contains(expected), "the daily report shows {expected}:\n{text}");
        }
        report.find(Locator::Css("a.visit-raised-item[href^='/items/']")).await?;
        screenshot_page(&c, "station1-coverage-2-report").await;

        // Tuesday: Monday, with a register not visited, is a missed day.
        app.set_time(tests::city_time(2026, 11, 17, 9, 0));
        sync_clock(&c, &app).await?;
        tap(&c, c.find(Locator::Id("coverage-refresh")).await?).await?;
        let deadline = Instant::now() + WAIT;
        loop {
            let second = c.find(Locator::Css(".grid-coverage[data-grid='第二网格']")).await?.text().await?;
            if second.contains("本周漏访 1 天") {
                assert!(second.contains("漏访 ") && second.contains("特殊群体"), "the missed registers:\n{second}");
                break;
            }
            assert!(Instant::now() < deadline, "第二网格 missed yesterday:\n{second}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let first = c.find(Locator::Css(".grid-coverage[data-grid='第一网格']")).await?.text().await?;
        assert!(first.contains("本周漏访 0 天") && first.contains("今日 0/3"), "第一网格 did its day:\n{first}");
        c.find(Locator::Css(".grid-coverage[data-grid='第二网格'] .week-day.missed")).await?;
        screenshot_page(&c, "station1-coverage-3-next-day").await;
        Ok(())
    })
    .await;
}

/// Waits until the page is controlled by the app's service worker (its shell cached); on failure says what the
/// browser's registrations were doing.
async fn wait_for_service_worker(c: &Client) -> Result {
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
        Ok((state["controlled"].as_bool() == Some(true)).then_some(()).ok_or(state.to_string()))
    })
    .await
}

#[tokio::test]
async fn the_app_shell_opens_offline_after_one_online_visit() {
    skip_unless_enabled!();
    run("offline_shell", |c, app| async move {
        sign_in(&c, &app.address, "grid1", &app.demo_password).await?;
        wait_for_service_worker(&c).await?;

        // The network is cut (as DevTools' Offline switch does): the page and its wasm still open, from the shell the
        // service worker keeps, straight onto the grid leader's home with the offline banner.
        cdp::set_offline(&c, true).await?;
        c.goto(&format!("{}/", app.address)).await?;
        let home = wait_for(&c, Locator::Id("home")).await?;
        assert!(home.text().await?.contains("王建华"), "the signed-in home opens offline");
        let banner = wait_for(&c, Locator::Css(".offline-banner")).await?;
        assert!(banner.text().await?.contains("网络已断开"));
        screenshot(&c, "offline-1-home").await;
        // Another route of the app opens offline too (every route is the same page).
        c.goto(&format!("{}/capture", app.address)).await?;
        wait_for(&c, Locator::Id("content")).await?;
        screenshot(&c, "offline-2-capture").await;

        cdp::set_offline(&c, false).await?;
        c.goto(&format!("{}/", app.address)).await?;
        wait_for(&c, Locator::Id("home")).await?;
        let banners = c.find_all(Locator::Css(".offline-banner")).await?;
        assert!(banners.is_empty(), "no offline banner once the network is back");
        Ok(())
    })
    .await;
}

/// How many records the home screen says wait on the phone (0 when the line is not shown).
async fn outbox_count(c: &Client) -> Result<usize> {
    let links = c.find_all(Locator::Id("outbox-link")).await?;
    match links.first() {
        None => Ok(0),
        Some(link) => Ok(link.attr("data-count").await?.and_then(|n| n.parse().ok()).unwrap_or(0)),
    }
}

/// How many records the phone keeps in its outbox (IndexedDB `minqing`, store `outbox`), read directly.
async fn stored_outbox_records(c: &Client) -> Result<u64> {
    let n = c
        .execute_async(
            "var done = arguments[0];
             var open = indexedDB.open('minqing');
             // No database yet: leave it to the app to create (with its store), and count none.
             var absent = false;
             open.onupgradeneeded = function () { absent = true; open.transaction.abort(); };
             open.onerror = function () { done(absent ? 0 : -1); };
             open.onsuccess = function () {
                 var db = open.result;
                 if (!db.objectStoreNames.contains('outbox')) { db.close(); done(0); return; }
                 var count = db.transaction('outbox', 'readonly').objectStore('outbox').count();
                 count.onsuccess = function () { db.close(); done(count.result); };
                 count.onerror = function () { db.close(); done(-1); };
             };",
            vec![],
        )
        .await?;
    n.as_u64().ok_or_else(|| format!("could not read the outbox store: {n}").into())
}

/// Waits until the home screen says `n` records wait on the phone.
async fn wait_for_outbox_count(c: &Client, n: usize) -> Result {
    until(&format!("the home screen shows {n} records waiting"), || async {
        let now = outbox_count(c).await?;
        Ok((now == n).then_some(()).ok_or(format!("{now} records waiting")))
    })
    .await
}

#[tokio::test]
async fn a_grid_leader_captures_offline_and_the_outbox_sends_everything_once() {
    skip_unless_enabled!();
    run("outbox", |c, app| async move {
        let contents = ["地下室入口台阶破损，老人上下很危险。", "5号楼地下车库积水，车辆无法进出。"];
        const NOTE: &str = "群里居民反映地下室灯不亮，已记下。";
        const VISIT_NOTE: &str = "老人身体还好，提醒冬天注意取暖。";
        const TARGET: &str = "王秀兰（独居老人）";
        sign_in(&c, &app.address, "grid1", &app.demo_password).await?;
        // One online visit of the capture form and the day's visits keeps what they need to open offline.
        c.goto(&format!("{}/capture", app.address)).await?;
        wait_for(&c, Locator::Css("button[data-place-kind='building']")).await?;
        c.goto(&format!("{}/visits", app.address)).await?;
        wait_for(&c, Locator::Id("slot-wechat_group")).await?;
        c.goto(&format!("{}/", app.address)).await?;
        wait_for(&c, Locator::Id("home")).await?;
        wait_for_service_worker(&c).await?;
        assert_eq!(outbox_count(&c).await?, 0, "nothing waits at first");

        // No signal: two captures with a photo each and a visit are kept on the phone.
        cdp::set_offline(&c, true).await?;
        let dir = tempfile::tempdir()?;
        let jpeg = write_test_jpeg(dir.path())?;
        for content in contents {
            c.goto(&format!("{}/capture", app.address)).await?;
            wait_for(&c, Locator::Id("capture-form")).await?;
            tap(&c, wait_for(&c, Locator::Css("button[data-type='public_facilities']")).await?).await?;
            tap(&c, wait_for(&c, Locator::Css("button[data-place-kind='building']")).await?).await?;
            c.find(Locator::Id("content")).await?.send_keys(content).await?;
            c.find(Locator::Id("photo-input")).await?.send_keys(&jpeg.to_string_lossy()).await?;
            wait_for(&c, Locator::Css(".photo-slot[data-state='failed']")).await?;
            c.execute("window.__errs=[]; const o=console.error; console.error=function(...a){window.__errs.push(a.map(String).join(' ')); o.apply(console,a)}; const w=console.warn; console.warn=function(...a){window.__errs.push('W '+a.map(String).join(' ')); w.apply(console,a)}; window.addEventListener('error', e=>window.__errs.push('E '+String(e.message))); window.addEventListener('unhandledrejection', e=>window.__errs.push('R '+String(e.reason)));", vec![]).await?;
            tap(&c, c.find(Locator::Id("save-item")).await?).await?;
            let saved = match c.wait().at_most(WAIT).for_element(Locator::Id("outbox-saved")).await {
                Ok(e) => e.text().await?,
                Err(_) => {
                    let errs = c.execute("return JSON.stringify(window.__errs)", vec![]).await?;
                    return Err(format!("not saved; console: {errs}").into());
                }
            };
            assert!(saved.contains("已保存在手机上，联网后自动上传"), "the capture is kept on the phone: {saved}");
            assert_eq!(value_of(&c, "#content").await?, "", "the form is cleared");
        }
        c.goto(&format!("{}/visits", app.address)).await?;
        tap(&c, wait_for(&c, Locator::Id("slot-wechat_group")).await?).await?;
        wait_for(&c, Locator::Id("visit-note")).await?.send_keys(NOTE).await?;
        tap(&c, c.find(Locator::Id("visit-save")).await?).await?;
        let done = wait_for(&c, Locator::Id("visit-done")).await?.text().await?;
        assert!(done.contains("已保存在手机上"), "the visit is kept on the phone: {done}");
        // And a register visit: its card counts at once, before the server has it.
        tap(&c, wait_for(&c, Locator::Id("slot-special_group")).await?).await?;
        let form = wait_for(&c, Locator::Css("#slot-special_group #visit-form")).await?;
        let option = format!(".//label[contains(@class,'target-option')][contains(.,'{TARGET}')]");
        tap(&c, form.find(Locator::XPath(&option)).await?).await?;
        c.find(Locator::Id("visit-note")).await?.send_keys(VISIT_NOTE).await?;
        tap(&c, c.find(Locator::Id("visit-save")).await?).await?;
        let card = wait_for(&c, Locator::Css("#slot-special_group.done .queued-visit")).await?.text().await?;
        assert!(card.contains(TARGET) && card.contains("待上传"), "the visit counts, marked 待上传:\n{card}");
        let summary = wait_for(&c, Locator::Css("#visits-summary[data-done='1']")).await?.text().await?;
        assert!(summary.contains("已走访 1/3"), "the day counts the visit on the phone:\n{summary}");

        c.goto(&format!("{}/", app.address)).await?;
        wait_for(&c, Locator::Id("home")).await?;
        wait_for_outbox_count(&c, 4).await?;
        let line = c.find(Locator::Id("outbox-link")).await?.text().await?;
        assert!(line.contains("待上传 4 条"), "the home screen counts the records: {line}");
        screenshot(&c, "outbox-1-home-count").await;

        // The day, opened again with no signal, shows what is on the phone: the note and the visit, marked 待上传.
        c.goto(&format!("{}/visits", app.address)).await?;
        let wechat = wait_for(&c, Locator::Css("#slot-wechat_group.done .queued-visit[data-state='waiting']")).await?;
        let text = wechat.text().await?;
        assert!(text.contains(NOTE) && text.contains("待上传"), "the WeChat note waits on the phone:\n{text}");
        let card = c.find(Locator::Css("#slot-special_group.done")).await?.text().await?;
        assert!(card.contains(TARGET) && card.contains("✓ 已走访") && card.contains("待上传"), "the visit:\n{card}");
        let summary = wait_for(&c, Locator::Css("#visits-summary[data-done='1']")).await?.text().await?;
        assert!(summary.contains("已走访 1/3"), "the day counts the visit on the phone:\n{summary}");
        screenshot_page(&c, "outbox-2-visits-offline").await;

        // Closed and opened again with no signal: still there.
        c.goto(&format!("{}/", app.address)).await?;
        wait_for(&c, Locator::Id("home")).await?;
        wait_for_outbox_count(&c, 4).await?;
        tap(&c, c.find(Locator::Id("outbox-link")).await?).await?;
        wait_for(&c, Locator::Id("outbox-page")).await?;
        let deadline = Instant::now() + WAIT;
        while c.find_all(Locator::Css(".outbox-record")).await?.len() != 4 {
            assert!(Instant::now() < deadline, "the outbox page lists four records");
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        let page = c.find(Locator::Id("outbox-page")).await?.text().await?;
        for expected in ["民情", "走访", "待上传", "照片1张", "地下室入口台阶破损"] {
            assert!(page.contains(expected), "the outbox page shows {expected}:\n{page}");
        }
        screenshot_page(&c, "outbox-3-page").await;

        // The signal is back: the outbox sends by itself, while a retry storm (立即上传 pressed again and again, the
        // online event twice) sends nothing twice.
        cdp::set_offline(&c, false).await?;
        for _ in 0..4 {
            if let Some(button) = c.find_all(Locator::Id("outbox-send")).await?.into_iter().next() {
                let _ = button.click().await;
            }
        }
        c.execute(
            "window.dispatchEvent(new Event('online')); window.dispatchEvent(new Event('online'));",
            vec![],
        )
        .await?;
        let deadline = Instant::now() + Duration::from_secs(60);
        while !c.find_all(Locator::Css(".outbox-record")).await?.is_empty() {
            assert!(Instant::now() < deadline, "the outbox empties once the network is back");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        c.goto(&format!("{}/", app.address)).await?;
        wait_for(&c, Locator::Id("home")).await?;
        until("the phone's outbox store is empty", || async {
            let n = stored_outbox_records(&c).await?;
            Ok((n == 0).then_some(()).ok_or(format!("{n} records stored")))
        })
        .await?;
        wait_for_outbox_count(&c, 0).await?;
        assert!(c.find_all(Locator::Id("outbox-link")).await?.is_empty(), "the line is hidden at 0");

        // The server holds exactly those records, each once, with their photos.
        let token = app.token("grid1").await;
        let mine = app.get(Some(&token), "/api/items/mine").await;
        assert_eq!(mine.status, 200, "{:?}", mine.body);
        let rows = mine.body["rows"].as_array().cloned().unwrap_or_default();
        assert_eq!(rows.len(), 2, "exactly two items: {:?}", mine.body);
        for content in contents {
            let found: Vec<_> =
                rows.iter().filter(|r| r.to_string().contains(content)).collect();
            assert_eq!(found.len(), 1, "{content} is held once: {rows:?}");
            assert_eq!(found[0]["photo_count"].as_i64(), Some(1), "with its photo: {:?}", found[0]);
        }
        let day = app.get(Some(&token), "/api/visits/day").await;
        assert_eq!(day.status, 200, "{:?}", day.body);
        let mut visits = day.body["wechat"].as_array().cloned().unwrap_or_default();
        for slot in day.body["slots"].as_array().cloned().unwrap_or_default() {
            visits.extend(slot["visits"].as_array().cloned().unwrap_or_default());
        }
        let mut notes: Vec<String> = visits.iter().filter_map(|v| v["note"].as_str().map(str::to_string)).collect();
        notes.sort();
        let mut expected = vec![NOTE.to_string(), VISIT_NOTE.to_string()];
        expected.sort();
        assert_eq!(notes, expected, "exactly the two visits: {:?}", day.body);

        // The day loaded again: each shows once, as the server's, no longer 待上传.
        c.goto(&format!("{}/visits", app.address)).await?;
        wait_for(&c, Locator::Css("#slot-wechat_group.done .visit-line")).await?;
        let text = c.find(Locator::Id("slot-wechat_group")).await?.text().await?;
        assert_eq!(text.matches(NOTE).count(), 1, "the note shows once:\n{text}");
        assert!(!text.contains("待上传"), "the note is on the server:\n{text}");
        assert_eq!(c.find_all(Locator::Css(".queued-visit")).await?.len(), 0, "nothing waits on the phone");
        let card = c.find(Locator::Css("#slot-special_group.done")).await?.text().await?;
        assert_eq!(card.matches(VISIT_NOTE).count(), 1, "the visit shows once:\n{card}");
        let summary = c.find(Locator::Css("#visits-summary[data-done='1']")).await?.text().await?;
        assert!(summary.contains("已走访 1/3"), "the server counts the visit:\n{summary}");
        screenshot_page(&c, "outbox-4-visits-sent").await;

        // One's own recent items, read once online, can be read again with no signal.
        c.goto(&format!("{}/items", app.address)).await?;
        wait_for(&c, Locator::Css(".ledger-row, .item-row, li a[href^='/items/']")).await?;
        cdp::set_offline(&c, true).await?;
        c.goto(&format!("{}/items", app.address)).await?;
        let deadline = Instant::now() + WAIT;
        loop {
            let text = c.find(Locator::Css("body")).await?.text().await?;
            if contents.iter().all(|content| text.contains(&content.chars().take(8).collect::<String>())) {
                break;
            }
            assert!(Instant::now() < deadline, "my items are readable offline:\n{text}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        screenshot(&c, "outbox-5-my-items-offline").await;
        cdp::set_offline(&c, false).await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn an_answer_lost_after_the_server_saved_the_item_makes_no_second_item() {
    skip_unless_enabled!();
    run("lost_answer", |c, app| async move {
        const CONTENT: &str = "小区东门路灯不亮，晚上出行不便。";
        let upstream = app.address.trim_start_matches("http://").to_string();
        let proxy = dropping_proxy::DroppingProxy::start(upstream).await?;
        sign_in(&c, &proxy.address, "grid1", &app.demo_password).await?;
        c.goto(&format!("{}/capture", proxy.address)).await?;
        wait_for(&c, Locator::Id("capture-form")).await?;
        tap(&c, wait_for(&c, Locator::Css("button[data-type='public_facilities']")).await?).await?;
        tap(&c, wait_for(&c, Locator::Css("button[data-place-kind='building']")).await?).await?;
        c.find(Locator::Id("content")).await?.send_keys(CONTENT).await?;

        // The item reaches the server and is saved; the answer is lost on the way back, twice (the browser may send
        // a request again by itself once; the second loss reaches the app). The phone keeps the record in its outbox
        // and sends it again with the same id: the server answers with the item it already has.
        proxy.arm(2);
        tap(&c, c.find(Locator::Id("save-item")).await?).await?;
        let deadline = Instant::now() + WAIT;
        while proxy.dropped() < 2 {
            assert!(Instant::now() < deadline, "the proxy cut two answers, cut {}", proxy.dropped());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // The phone says it kept the item (or, had the browser's own retry got through, shows the item).
        wait_for(&c, Locator::Css("#outbox-saved, #item-page")).await?;
        c.goto(&format!("{}/outbox", proxy.address)).await?;
        wait_for(&c, Locator::Id("outbox-page")).await?;
        let deadline = Instant::now() + WAIT;
        loop {
            tokio::time::sleep(Duration::from_millis(300)).await;
            if c.find_all(Locator::Css(".outbox-record")).await?.is_empty() {
                break;
            }
            assert!(Instant::now() < deadline, "the outbox sends the record again and empties");
        }
        let token = app.token("grid1").await;
        let mine = app.get(Some(&token), "/api/items/mine").await.body;
        let rows = mine["rows"].as_array().cloned().unwrap_or_default();
        assert_eq!(rows.len(), 1, "exactly one item: {mine}");
        assert!(rows[0].to_string().contains("小区东门路灯不亮"), "{mine}");
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn what_was_captured_offline_survives_an_ended_session_and_is_sent_after_signing_in_again() {
    skip_unless_enabled!();
    run("offline_session", |c, app| async move {
        const CONTENT: &str = "楼顶水箱漏水，顶层住户家里渗水。";
        sign_in(&c, &app.address, "grid1", &app.demo_password).await?;
        c.goto(&format!("{}/capture", app.address)).await?;
        wait_for(&c, Locator::Css("button[data-place-kind='building']")).await?;
        wait_for_service_worker(&c).await?;

        // No signal, and meanwhile both tokens run out (31 days): capturing still works and keeps the item.
        cdp::set_offline(&c, true).await?;
        app.state.clock.advance(chrono::Duration::days(31));
        c.goto(&format!("{}/capture", app.address)).await?;
        tap(&c, wait_for(&c, Locator::Css("button[data-type='public_facilities']")).await?).await?;
        tap(&c, wait_for(&c, Locator::Css("button[data-place-kind='building']")).await?).await?;
        c.find(Locator::Id("content")).await?.send_keys(CONTENT).await?;
        tap(&c, c.find(Locator::Id("save-item")).await?).await?;
        wait_for(&c, Locator::Id("outbox-saved")).await?;

        // The signal is back: the session has ended, so the app asks for a sign-in; the item waits on the phone and
        // goes out once the grid leader has signed in again.
        cdp::set_offline(&c, false).await?;
        c.goto(&format!("{}/", app.address)).await?;
        let signed_out = c.wait().at_most(Duration::from_secs(20)).for_element(Locator::Id("login-submit")).await;
        if signed_out.is_err() {
            // Still on home: a request must meet the ended session first.
            c.goto(&format!("{}/outbox", app.address)).await?;
            if let Some(send) = c.find_all(Locator::Id("outbox-send")).await?.into_iter().next() {
                let _ = send.click().await;
            }
            wait_for(&c, Locator::Id("login-submit")).await?;
        }
        let token = app.token("grid1").await;
        let mine = app.get(Some(&token), "/api/items/mine").await.body;
        assert_eq!(mine["rows"].as_array().map_or(0, |r| r.len()), 0, "nothing could be sent without a session");
        sign_in(&c, &app.address, "grid1", &app.demo_password).await?;
        let deadline = Instant::now() + WAIT;
        loop {
            let mine = app.get(Some(&token), "/api/items/mine").await.body;
            let rows = mine["rows"].as_array().cloned().unwrap_or_default();
            if rows.len() == 1 && rows[0].to_string().contains("楼顶水箱漏水") && outbox_count(&c).await? == 0 {
                break;
            }
            assert!(Instant::now() < deadline, "the item is sent once after signing in again: {mine}");
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_capture_refused_after_it_was_queued_is_shown_fixed_and_sent() {
    skip_unless_enabled!();
    run("outbox_fix", |c, app| async move {
        const CONTENT: &str = "单元门禁坏了，外来人员随意进出。";
        sign_in(&c, &app.address, "grid1", &app.demo_password).await?;
        c.goto(&format!("{}/capture", app.address)).await?;
        wait_for(&c, Locator::Css("button[data-place-kind='building']")).await?;
        wait_for_service_worker(&c).await?;

        // Captured with no signal at a building…
        cdp::set_offline(&c, true).await?;
        c.goto(&format!("{}/capture", app.address)).await?;
        tap(&c, wait_for(&c, Locator::Css("button[data-type='property_housing']")).await?).await?;
        let building = wait_for(&c, Locator::Css("button[data-place-kind='building']")).await?;
        let building_id = building.attr("data-place-id").await?.ok_or("a building id")?;
        tap(&c, building).await?;
        c.find(Locator::Id("content")).await?.send_keys(CONTENT).await?;
        tap(&c, c.find(Locator::Id("save-item")).await?).await?;
        wait_for(&c, Locator::Id("outbox-saved")).await?;

        // …which the administrator takes out of use meanwhile: the server refuses the record, and the phone keeps it,
        // saying why.
        let admin = app.token("admin").await;
        let r = app.patch(Some(&admin), &format!("/api/org/units/{building_id}"), &json!({"active": false})).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        cdp::set_offline(&c, false).await?;
        c.goto(&format!("{}/outbox", app.address)).await?;
        let refused = wait_for(&c, Locator::Css(".outbox-record[data-state='needs_fix']")).await?;
        let text = refused.text().await?;
        assert!(
            text.contains("需要修改") && text.contains("该地点已停用"),
            "the refusal is shown on the record:\n{text}"
        );
        screenshot(&c, "outbox-fix-1-refused").await;

        // 修改: the form opens with what was captured; another building, saved again: sent, once.
        tap(&c, c.find(Locator::Css(".outbox-fix-link")).await?).await?;
        wait_for(&c, Locator::Id("capture-form")).await?;
        assert_eq!(value_of(&c, "#content").await?, CONTENT, "the stored capture is in the form");
        let other = wait_for(
            &c,
            Locator::Css(&format!("button[data-place-kind='building']:not([data-place-id='{building_id}'])")),
        )
        .await?;
        tap(&c, other).await?;
        tap(&c, c.find(Locator::Id("save-item")).await?).await?;
        let token = app.token("grid1").await;
        let deadline = Instant::now() + WAIT;
        loop {
            let mine = app.get(Some(&token), "/api/items/mine").await.body;
            let rows = mine["rows"].as_array().cloned().unwrap_or_default();
            if rows.len() == 1 {
                assert!(rows[0].to_string().contains("单元门禁坏了"), "{mine}");
                break;
            }
            assert!(rows.len() < 2, "one item, not two: {mine}");
            assert!(Instant::now() < deadline, "the fixed capture is sent: {mine}");
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        c.goto(&format!("{}/outbox", app.address)).await?;
        wait_for(&c, Locator::Id("outbox-page")).await?;
        let deadline = Instant::now() + WAIT;
        while !c.find_all(Locator::Css(".outbox-record")).await?.is_empty() {
            assert!(Instant::now() < deadline, "nothing is left on the phone");
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_visit_refused_after_it_was_queued_is_fixed_on_the_day_and_sent_once() {
    skip_unless_enabled!();
    run("outbox_visit_fix", |c, app| async move {
        const NOTE: &str = "老人说楼道灯坏了一个月，晚上下楼不方便。";
        const GONE: &str = "王秀兰（独居老人）";
        const OTHER: &str = "刘德顺（残疾人）";
        sign_in(&c, &app.address, "grid1", &app.demo_password).await?;
        // One online visit of the day keeps its registers on the phone.
        c.goto(&format!("{}/visits", app.address)).await?;
        wait_for(&c, Locator::Css("#slot-special_group")).await?;
        wait_for_service_worker(&c).await?;

        // No signal: a register visit with a note is kept on the phone.
        cdp::set_offline(&c, true).await?;
        c.goto(&format!("{}/visits", app.address)).await?;
        tap(&c, wait_for(&c, Locator::Id("slot-special_group")).await?).await?;
        let form = wait_for(&c, Locator::Css("#slot-special_group #visit-form")).await?;
        let option = |name: &str| format!(".//label[contains(@class,'target-option')][contains(.,'{name}')]");
        let gone = form.find(Locator::XPath(&option(GONE))).await?;
        let gone_id =
            gone.find(Locator::Css("input[name='target']")).await?.attr("value").await?.ok_or("an entry id")?;
        tap(&c, gone).await?;
        c.find(Locator::Id("visit-note")).await?.send_keys(NOTE).await?;
        tap(&c, c.find(Locator::Id("visit-save")).await?).await?;
        let done = wait_for(&c, Locator::Id("visit-done")).await?.text().await?;
        assert!(done.contains("已保存在手机上"), "the visit is kept on the phone: {done}");

        // Meanwhile the administrator takes that entry off the register: back online, the server refuses the record
        // and the phone keeps it, saying why.
        let admin = app.token("admin").await;
        let r = app.patch(Some(&admin), &format!("/api/visit-targets/{gone_id}"), &json!({"active": false})).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        cdp::set_offline(&c, false).await?;
        c.goto(&format!("{}/outbox", app.address)).await?;
        let refused = wait_for(&c, Locator::Css(".outbox-record[data-kind='visit'][data-state='needs_fix']")).await?;
        let record_id = refused.attr("data-id").await?.ok_or("the record's id")?;
        let text = refused.text().await?;
        assert!(
            text.contains("需要修改") && text.contains("走访对象不在本网格的登记册上"),
            "the refusal is shown on the record:\n{text}"
        );
        screenshot(&c, "outbox-visit-fix-1-refused").await;

        // 修改: the day's page opens with the visit's form filled, the server's reason on the entry list.
        tap(&c, refused.find(Locator::Css(".outbox-fix-link")).await?).await?;
        let form = wait_for(&c, Locator::Css("#slot-special_group #visit-form")).await?;
        assert_eq!(c.current_url().await?.path(), "/visits");
        let deadline = Instant::now() + WAIT;
        while value_of(&c, "#visit-note").await? != NOTE {
            assert!(Instant::now() < deadline, "the stored note fills the form");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let text = form.text().await?;
        assert!(text.contains("修改未能上传的走访"), "the form says what it fixes:\n{text}");
        let reason = wait_for(&c, Locator::Css("#slot-special_group #visit-form .target-list + .field-error")).await?;
        assert_eq!(reason.text().await?, "走访对象不在本网格的登记册上", "the reason is on the entry list");
        assert!(!text.contains(GONE), "the entry taken off is not offered:\n{text}");
        assert!(form.find_all(Locator::Css("input[name='target']:checked")).await?.is_empty(), "no entry chosen");
        screenshot_page(&c, "outbox-visit-fix-2-form").await;

        // Another entry of that register, saved: sent under the record's id, once.
        tap(&c, form.find(Locator::XPath(&option(OTHER))).await?).await?;
        assert!(c.find_all(Locator::Css("#visit-form .field-error")).await?.is_empty(), "the reason is cleared");
        tap(&c, c.find(Locator::Id("visit-save")).await?).await?;
        let done = wait_for(&c, Locator::Id("visit-done")).await?.text().await?;
        assert!(done.contains("已记录") && done.contains(OTHER), "the visit is recorded: {done}");
        screenshot_page(&c, "outbox-visit-fix-3-saved").await;

        let token = app.token("grid1").await;
        let day = app.get(Some(&token), "/api/visits/day").await;
        assert_eq!(day.status, 200, "{:?}", day.body);
        let mut visits = day.body["wechat"].as_array().cloned().unwrap_or_default();
        for slot in day.body["slots"].as_array().cloned().unwrap_or_default() {
            visits.extend(slot["visits"].as_array().cloned().unwrap_or_default());
        }
        assert_eq!(visits.len(), 1, "exactly one visit: {:?}", day.body);
        assert_eq!(visits[0]["id"].as_str(), Some(record_id.as_str()), "under the record's id: {:?}", visits[0]);
        assert_eq!(visits[0]["note"].as_str(), Some(NOTE), "{:?}", visits[0]);
        assert_eq!(visits[0]["target"]["name"].as_str(), Some(OTHER), "{:?}", visits[0]);
        assert_eq!(visits[0]["kind"].as_str(), Some("special_group"), "{:?}", visits[0]);

        // Nothing is left on the phone: the card shows the server's visit, and /outbox is empty.
        let deadline = Instant::now() + WAIT;
        loop {
            let card = wait_for(&c, Locator::Css("#slot-special_group.done")).await?.text().await?;
            if card.matches(NOTE).count() == 1 && !card.contains("需要修改") && !card.contains("待上传") {
                assert!(card.contains(OTHER), "the visit names its entry:\n{card}");
                break;
            }
            assert!(Instant::now() < deadline, "the visit shows once, as the server's:\n{card}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        c.goto(&format!("{}/outbox", app.address)).await?;
        wait_for(&c, Locator::Id("outbox-page")).await?;
        let deadline = Instant::now() + WAIT;
        while !c.find_all(Locator::Css(".outbox-record")).await?.is_empty() {
            assert!(Instant::now() < deadline, "nothing is left on the phone");
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        c.goto(&format!("{}/", app.address)).await?;
        wait_for(&c, Locator::Id("home")).await?;
        until("the phone's outbox store is empty", || async {
            let n = stored_outbox_records(&c).await?;
            Ok((n == 0).then_some(()).ok_or(format!("{n} records stored")))
        })
        .await?;
        wait_for_outbox_count(&c, 0).await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn the_evaluation_page_reads_this_week_and_month_on_the_servers_day_with_the_month_rule() {
    skip_unless_enabled!();
    // Tuesday 1 December 2026, 09:00 city time: this week began on Monday 30 November, in the month before.
    let app = tests::spawn_app_at(tests::city_time(2026, 12, 1, 9, 0)).await;
    run_with(Screen::Phone, "evaluation_week_across_months", app, |c, app| async move {
        sign_in(&c, &app.address, "dispatcher1", &app.demo_password).await?;
        c.goto(&format!("{}/satisfaction", app.address)).await?;
        let period = |want: &'static str| {
            let c = c.clone();
            async move {
                until(&format!("the period {want}"), || async {
                    let text = wait_for(&c, Locator::Id("satisfaction-period")).await?.text().await?;
                    Ok(text.contains(want).then_some(()).ok_or(text))
                })
                .await
            }
        };
        period("2026年11月30日 至 2026年12月6日").await?;
        let rule = c.find(Locator::Id("satisfaction-period-rule")).await?.text().await?;
        assert!(rule.contains("跨月的一周，评价计入给出当天所在的月份"), "the page says the rule: {rule}");
        screenshot(&c, "evaluation-1-week").await;
        tap(&c, c.find(Locator::Css("button[data-period='month']")).await?).await?;
        period("2026年12月1日 至 2026年12月31日").await?;
        screenshot(&c, "evaluation-2-month").await;
        Ok(())
    })
    .await;
}
