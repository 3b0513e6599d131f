//! Chrome DevTools Protocol commands through chromedriver (`goog/cdp/execute`): cutting the browser's network for the
//! offline tests, the way DevTools' "Offline" switch does.

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::Client;
use serde_json::{json, Value};

#[derive(Debug)]
struct CdpCommand {
    cmd: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for CdpCommand {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/goog/cdp/execute", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({"cmd": self.cmd, "params": self.params}).to_string()))
    }
}

/// Runs one CDP command in the current page's target.
pub async fn execute(c: &Client, cmd: &'static str, params: Value) -> Result<Value, fantoccini::error::CmdError> {
    c.issue_cmd(CdpCommand { cmd, params }).await
}

/// Cuts the page's network (`offline = true`) or gives it back.
pub async fn set_offline(c: &Client, offline: bool) -> Result<(), fantoccini::error::CmdError> {
    execute(c, "Network.enable", json!({})).await?;
    let params = json!({"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1});
    execute(c, "Network.emulateNetworkConditions", params).await?;
    Ok(())
}

/// Sets the page's clock (`Date`, `Date.now()`) to run `offset_ms` ahead of the real time (behind when negative), in
/// this page and every page the tab opens after it, so the app's "today" is the test server's. Called again, the new
/// offset wins.
pub async fn set_clock_offset(c: &Client, offset_ms: i64) -> Result<(), fantoccini::error::CmdError> {
    let script = format!(
        "(function () {{
            if (!window.__realDate) {{
                var Real = Date;
                var Shifted = function (...args) {{
                    if (!new.target) {{ return new Shifted().toString(); }}
                    return args.length ? new Real(...args) : new Real(Real.now() + window.__clockOffset);
                }};
                Shifted.prototype = Real.prototype;
                Shifted.now = function () {{ return Real.now() + window.__clockOffset; }};
                Shifted.parse = Real.parse;
                Shifted.UTC = Real.UTC;
                window.__realDate = Real;
                window.Date = Shifted;
            }}
            window.__clockOffset = {offset_ms};
        }})();"
    );
    execute(c, "Page.enable", json!({})).await?;
    execute(c, "Page.addScriptToEvaluateOnNewDocument", json!({"source": script})).await?;
    execute(c, "Runtime.evaluate", json!({"expression": script})).await?;
    Ok(())
}
