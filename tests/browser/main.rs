//! Browser tests: headless Chromium, driven through chromedriver, signs in and uses the web app served by a test
//! server (API and the built `frontend/dist`). They run only with `MINQING_BROWSER_TESTS=1`, which `cargo xtask test`
//! sets when chromium and chromedriver are installed; build the app first (`cargo xtask dist`).
//! With `MINQING_SCREENSHOT_DIR=/some/dir` each test also saves screenshots of the pages it visits.

use std::time::Duration;

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
mod accounts;
mod capture;
mod chases;
mod clock;
mod direct_line;
mod figures;
mod harness;
mod integrity;
mod journey;
mod leaders_desk;
mod offline;
mod onsite;
mod privacy;
mod routines;
mod shell;
mod visits;

pub(crate) use harness::*;
