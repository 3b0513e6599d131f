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
