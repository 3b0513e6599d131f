//! The app's shell over the network: what a first load and a repeat load transfer (the staff's app and the
//! residents' small app), and the update prompt when a new build is deployed.

use std::path::Path;

use fantoccini::{Client, Locator};
use serde::Deserialize;

use super::{run, run_with, screenshot, sign_in, until, wait_for, wait_for_service_worker, Result, Screen};

/// What a first load of the staff's app may transfer at most (it is ≈ 0.9–1.1 MB today): a failing budget means
/// the app grew a lot, which old phones on slow networks feel first.
const STAFF_FIRST_LOAD_BUDGET: u64 = 1_400_000;
/// What a resident's first load of their link may transfer at most (≈ 0.2 MB today).
const RESIDENT_FIRST_LOAD_BUDGET: u64 = 350_000;
/// A repeat load with the shell cached downloads no app file: only response headers may count.
const REPEAT_LOAD_BUDGET: u64 = 2_000;

/// The residents' page's words for a link that is not one: the residents' app has run.
const INVALID_LINK: &str = "//*[contains(text(), '链接无效或已过期')]";

#[derive(Debug, Deserialize)]
struct Fetched {
    path: String,
    /// Bytes on the wire, headers included; 0 when the browser's caches answered.
    transfer: u64,
    /// The body as sent (compressed).
    encoded: u64,
    /// The body unpacked.
    decoded: u64,
}

/// Every file the current page fetched (its own document included), API calls left out, by the Resource Timing API.
async fn fetched_files(c: &Client) -> Result<Vec<Fetched>> {
    let value = c
        .execute(
            "return [performance.getEntriesByType('navigation')[0]]
                .concat(performance.getEntriesByType('resource'))
                .filter(function (e) { return new URL(e.name).pathname.indexOf('/api/') !== 0; })
                .map(function (e) {
                    return { path: new URL(e.name).pathname, transfer: e.transferSize,
                             encoded: e.encodedBodySize, decoded: e.decodedBodySize };
                });",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(value)?)
}

fn total_transfer(files: &[Fetched]) -> u64 {
    files.iter().map(|f| f.transfer).sum()
}

fn describe(files: &[Fetched]) -> String {
    files
        .iter()
        .map(|f| format!("{} {} B (body {} B, unpacked {} B)", f.path, f.transfer, f.encoded, f.decoded))
        .collect::<Vec<_>>()
        .join("; ")
}

#[tokio::test]
async fn the_staff_app_loads_once_and_a_repeat_load_transfers_no_app_file() {
    skip_unless_enabled!();
    run("transfer", |c, app| async move {
        // First load, nothing cached: the sign-in page with the whole app.
        c.goto(&format!("{}/login", app.address)).await?;
        wait_for(&c, Locator::Id("login")).await?;
        let first = fetched_files(&c).await?;
        let first_total = total_transfer(&first);
        eprintln!("staff app, first load: {first_total} B — {}", describe(&first));
        assert!(first.iter().any(|f| f.path == "/frontend_bg.wasm"), "the staff app's wasm: {}", describe(&first));
        assert!(first_total > 100_000, "a first load downloads the app: {}", describe(&first));
        assert!(
            first_total <= STAFF_FIRST_LOAD_BUDGET,
            "the staff app's first load transfers {first_total} B, over the budget of {STAFF_FIRST_LOAD_BUDGET} B: {}",
            describe(&first)
        );

        // Signed in once, the service worker keeps the shell; opening the app again downloads no app file.
        sign_in(&c, &app.address, "grid1", &app.demo_password).await?;
        wait_for_service_worker(&c).await?;
        c.goto(&format!("{}/", app.address)).await?;
        wait_for(&c, Locator::Id("home")).await?;
        let repeat = fetched_files(&c).await?;
        let repeat_total = total_transfer(&repeat);
        eprintln!("staff app, repeat load: {repeat_total} B — {}", describe(&repeat));
        assert!(repeat.iter().any(|f| f.path == "/frontend_bg.wasm"), "the wasm is loaded: {}", describe(&repeat));
        assert!(repeat_total <= REPEAT_LOAD_BUDGET, "a repeat load transfers {repeat_total} B: {}", describe(&repeat));

        // A resident's link opened on the same phone is the residents' own page, not the staff's cached app.
        c.goto(&format!("{}/r/NoSuchLink0000", app.address)).await?;
        wait_for(&c, Locator::XPath(INVALID_LINK)).await?;
        let files = fetched_files(&c).await?;
        assert!(files.iter().any(|f| f.path == "/resident_bg.wasm"), "{}", describe(&files));
        assert!(!files.iter().any(|f| f.path == "/frontend_bg.wasm"), "{}", describe(&files));
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_residents_link_loads_a_small_app_of_its_own_and_no_service_worker() {
    skip_unless_enabled!();
    run("resident-transfer", |c, app| async move {
        c.goto(&format!("{}/r/NoSuchLink0000", app.address)).await?;
        wait_for(&c, Locator::XPath(INVALID_LINK)).await?;
        screenshot(&c, "resident-invalid-link").await;
        let files = fetched_files(&c).await?;
        let total = total_transfer(&files);
        eprintln!("residents' link, first load: {total} B — {}", describe(&files));
        assert!(files.iter().any(|f| f.path == "/resident_bg.wasm"), "{}", describe(&files));
        assert!(!files.iter().any(|f| f.path.starts_with("/frontend")), "{}", describe(&files));
        assert!(
            total <= RESIDENT_FIRST_LOAD_BUDGET,
            "a resident's first load transfers {total} B, over the budget of {RESIDENT_FIRST_LOAD_BUDGET} B: {}",
            describe(&files)
        );
        // No service worker for a resident: they come once, on their own data plan. (The staff's page registers its
        // worker on `load`; wait until this page has had its `load`.)
        until("the residents' page finishes loading", || async {
            let state = c.execute("return document.readyState;", vec![]).await?;
            Ok((state.as_str() == Some("complete")).then_some(()).ok_or(state.to_string()))
        })
        .await?;
        let registered = c
            .execute_async(
                "var done = arguments[0];
                 navigator.serviceWorker.getRegistrations().then(function (r) { done(r.length); });",
                vec![],
            )
            .await?;
        assert_eq!(registered.as_u64(), Some(0), "a resident's link registers no service worker");
        Ok(())
    })
    .await;
}

/// The build hash `cargo xtask dist` stamped into a `sw.js`.
fn build_of(sw: &str) -> Option<String> {
    let start = sw.find("const BUILD = '")? + "const BUILD = '".len();
    Some(sw[start..].split('\'').next()?.to_string())
}

/// The shell caches the browser holds.
async fn shell_caches(c: &Client) -> Result<Vec<String>> {
    let keys =
        c.execute_async("var done = arguments[0]; caches.keys().then(function (k) { done(k); });", vec![]).await?;
    Ok(serde_json::from_value(keys)?)
}

/// A deployed web build in a folder of its own, which the test can replace while the server runs.
fn copy_dist(to: &Path) -> Result {
    copy_dist_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../frontend/dist"), to)
}

fn copy_dist_dir(from: &Path, to: &Path) -> Result {
    for entry in std::fs::read_dir(from)? {
        let path = entry?.path();
        let target = to.join(path.file_name().ok_or("a file name")?);
        if path.is_dir() {
            std::fs::create_dir_all(&target)?;
            copy_dist_dir(&path, &target)?;
        } else {
            std::fs::copy(&path, &target)?;
        }
    }
    Ok(())
}

#[tokio::test]
async fn a_new_build_is_offered_and_taken_only_when_the_user_taps_update() {
    skip_unless_enabled!();
    let web = tempfile::tempdir().expect("web dir");
    copy_dist(web.path()).expect("copy frontend/dist");
    let sw_path = web.path().join("sw.js");
    let old_build = build_of(&std::fs::read_to_string(&sw_path).expect("sw.js")).expect("a stamped build in sw.js");
    let web_dir = web.path().to_string_lossy().into_owned();
    let app = tests::spawn_app_with(|s| s.web_dir = web_dir).await;
    run_with(Screen::Phone, "update", app, |c, app| async move {
        sign_in(&c, &app.address, "grid1", &app.demo_password).await?;
        wait_for_service_worker(&c).await?;
        assert_eq!(shell_caches(&c).await?, vec![format!("minqing-shell-{old_build}")]);

        // A new build is deployed: its service worker carries another build hash (as `cargo xtask dist` stamps one).
        let new_build = format!("{old_build}n");
        let sw = std::fs::read_to_string(&sw_path)?;
        std::fs::write(&sw_path, sw.replace(&old_build, &new_build))?;
        for copy in ["sw.js.br", "sw.js.gz"] {
            let _ = std::fs::remove_file(sw_path.with_file_name(copy));
        }

        // The grid leader opens the capture form and starts typing; the browser finds the new version.
        c.goto(&format!("{}/capture", app.address)).await?;
        wait_for(&c, Locator::Id("content")).await?.send_keys("三楼楼道灯坏了").await?;
        c.execute("window.__sameDocument = true;", vec![]).await?;
        let banner = wait_for(&c, Locator::Css("#update-banner:not([hidden])")).await?;
        assert!(banner.text().await?.contains("有新版本"), "{}", banner.text().await?);
        screenshot(&c, "update-1-offered").await;
        // The offer leaves the form's save bar free (it sits at the top).
        let clear = c
            .execute(
                "var bar = document.querySelector('.save-bar').getBoundingClientRect();
                 var banner = document.getElementById('update-banner').getBoundingClientRect();
                 return banner.bottom <= bar.top || banner.top >= bar.bottom;",
                vec![],
            )
            .await?;
        assert_eq!(clear.as_bool(), Some(true), "the update offer covers the save bar");
        // Offered, not forced: the new worker has installed and waits; the page stays as it is, the half-written
        // form with it, the old build in charge.
        until("the new version waits for the user", || async {
            let state = c
                .execute_async(
                    "var done = arguments[0];
                     navigator.serviceWorker.getRegistration().then(function (r) {
                         done(r && r.waiting ? r.waiting.state : (r && r.installing ? 'installing' : 'none'));
                     });",
                    vec![],
                )
                .await?;
            Ok((state.as_str() == Some("installed")).then_some(()).ok_or(state.to_string()))
        })
        .await?;
        let same = c.execute("return window.__sameDocument === true;", vec![]).await?;
        assert_eq!(same.as_bool(), Some(true), "the page was not reloaded before the user agreed");
        let typed = c.execute("return document.getElementById('content').value;", vec![]).await?;
        assert_eq!(typed.as_str(), Some("三楼楼道灯坏了"));

        // 立即更新: the new worker takes over, the page reloads once, only the new build's shell is kept.
        c.find(Locator::Id("update-now")).await?.click().await?;
        until("the page reloads after 立即更新", || async {
            let same = c.execute("return window.__sameDocument === true;", vec![]).await?;
            Ok((same.as_bool() != Some(true)).then_some(()).ok_or("the same document".to_string()))
        })
        .await?;
        wait_for(&c, Locator::Id("content")).await?;
        wait_for_service_worker(&c).await?;
        let wanted = vec![format!("minqing-shell-{new_build}")];
        until("only the new build's shell is kept", || async {
            let caches = shell_caches(&c).await?;
            Ok((caches == wanted).then_some(()).ok_or(format!("{caches:?}")))
        })
        .await?;
        let hidden = c.execute("return document.getElementById('update-banner').hidden;", vec![]).await?;
        assert_eq!(hidden.as_bool(), Some(true), "no offer once the new version runs");
        screenshot(&c, "update-2-taken").await;
        Ok(())
    })
    .await;
    drop(web);
}
