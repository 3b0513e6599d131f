//! Delivering the outbox to the hooks. Each hook gets its messages in order, oldest first: a message is only tried
//! when every earlier one of its hook is delivered, so a hook that is down holds its queue until it is back. A
//! message is leased before it is sent, so several backend instances never send it at once; a failure waits longer
//! each time (the base doubling, at most an hour). Messages survive restarts: they live in the database.
//!
//! Formats: WeCom group robot (`msgtype: markdown`), DingTalk group robot (`msgtype: markdown`, signed with
//! HMAC-SHA256 of "timestamp\nsecret" when a secret is set), and a generic JSON body.

use base64::Engine as _;
use chrono::{Duration, NaiveDateTime};
use diesel::QueryResult;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use shared::journey::HookKind;

use crate::db;
use crate::db::models::{HookRow, OutboxRow};
use crate::error::AppError;
use crate::state::AppState;

/// How long a lease on a message lasts: longer than one delivery attempt may take.
const LEASE_SECS: i64 = 60;
/// The longest wait between attempts.
const MAX_BACKOFF_SECS: i64 = 3600;
/// Messages sent to one hook in one round at most.
const BATCH: usize = 20;

/// The body and URL of a request to a hook.
pub fn request_for(hook: &HookRow, msg: &OutboxRow, now_ms: i64) -> (String, Value) {
    let text = format!("### {}\n\n{}\n\n[查看详情]({})", msg.title, msg.body.replace('\n', "\n\n"), msg.link);
    match hook.kind {
        HookKind::Wecom => (hook.url.clone(), json!({"msgtype": "markdown", "markdown": {"content": text}})),
        HookKind::Dingtalk => {
            let url = match hook.secret.as_deref().filter(|s| !s.is_empty()) {
                Some(secret) => {
                    let sign = dingtalk_sign(secret, now_ms);
                    let sep = if hook.url.contains('?') { '&' } else { '?' };
                    format!("{}{sep}timestamp={now_ms}&sign={}", hook.url, urlencode(&sign))
                }
                None => hook.url.clone(),
            };
            (url, json!({"msgtype": "markdown", "markdown": {"title": msg.title, "text": text}}))
        }
        HookKind::Webhook => (
            hook.url.clone(),
            json!({
                "id": msg.id,
                "topic": msg.topic,
                "item_id": msg.item_id,
                "title": msg.title,
                "text": msg.body,
                "url": msg.link,
                "created_at": crate::views::utc(msg.created_at),
            }),
        ),
    }
}

/// DingTalk's signature: base64(HMAC-SHA256(key = secret, "timestamp\nsecret")).
pub fn dingtalk_sign(secret: &str, timestamp_ms: i64) -> String {
    // HMAC accepts a key of any length (a long one is hashed first), so this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(format!("{timestamp_ms}\n{secret}").as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The wait after the `attempts`-th failure.
pub fn backoff(base_secs: i64, attempts: i32) -> Duration {
    let factor = 1i64.checked_shl(attempts.saturating_sub(1).clamp(0, 20) as u32).unwrap_or(i64::MAX);
    Duration::seconds(base_secs.max(1).saturating_mul(factor).min(MAX_BACKOFF_SECS))
}

/// Sends one request; Ok when the hook took it (HTTP 2xx and, for the robots, `errcode` 0).
async fn send(state: &AppState, hook: &HookRow, msg: &OutboxRow) -> Result<(), String> {
    let (url, body) = request_for(hook, msg, state.clock.now().timestamp_millis());
    let resp = state
        .http
        .post(&url)
        .header("X-Minqing-Delivery", msg.id.to_string())
        .json(&body)
        .send()
        .await
        .map_err(|e| format!("连接失败：{e}"))?;
    let status = resp.status();
    let text = resp.text().await.unwrap_or_default();
    if !status.is_success() {
        return Err(format!("HTTP {status}: {}", crate::notify::excerpt(&text, 200)));
    }
    if hook.kind != HookKind::Webhook {
        if let Ok(v) = serde_json::from_str::<Value>(&text) {
            if let Some(code) = v.get("errcode").and_then(Value::as_i64).filter(|c| *c != 0) {
                let msg = v.get("errmsg").and_then(Value::as_str).unwrap_or("");
                return Err(format!("errcode {code}: {msg}"));
            }
        }
    }
    Ok(())
}

/// Takes the lease on the hook's oldest waiting message, if it is due and nobody holds it.
fn claim_next(
    conn: &mut crate::db::DbConn,
    hook_id: i64,
    now: NaiveDateTime,
) -> QueryResult<Option<(HookRow, OutboxRow)>> {
    let Some(msg) = db::hooks::oldest_waiting(conn, hook_id)? else {
        return Ok(None);
    };
    if msg.next_attempt_at > now || msg.lease_until.is_some_and(|l| l > now) {
        return Ok(None);
    }
    let hook = db::hooks::get(conn, hook_id)?;
    if !hook.active {
        return Ok(None);
    }
    let taken = db::hooks::lease(conn, msg.id, now, now + Duration::seconds(LEASE_SECS))?;
    Ok(taken.then_some((hook, msg)))
}

/// One round of delivery over every hook with waiting messages; returns how many were delivered.
pub async fn deliver(state: &AppState) -> Result<usize, AppError> {
    let hook_ids: Vec<i64> = state.db.read(|conn| Ok(db::hooks::with_waiting(conn)?)).await?;
    let mut delivered = 0;
    for hook_id in hook_ids {
        for _ in 0..BATCH {
            let now = state.clock.now_naive();
            let Some((hook, msg)) = state.db.write(move |conn| Ok(claim_next(conn, hook_id, now)?)).await? else {
                break;
            };
            let outcome = send(state, &hook, &msg).await;
            let now = state.clock.now_naive();
            let base = state.settings.outbox_retry_base_secs;
            let ok = outcome.is_ok();
            state
                .db
                .write(move |conn| {
                    let attempts = msg.attempts + 1;
                    match outcome {
                        Ok(()) => db::hooks::delivered(conn, msg.id, attempts, now)?,
                        Err(e) => {
                            tracing::warn!(hook = hook_id, message = msg.id, error = %e, "hook delivery failed");
                            db::hooks::failed(conn, msg.id, attempts, backoff(base, attempts), e, now)?
                        }
                    };
                    Ok(())
                })
                .await?;
            if !ok {
                break;
            }
            delivered += 1;
        }
    }
    Ok(delivered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dingtalk_signature_matches_the_documented_algorithm() {
        // Computed independently: printf '1700000000000\nSECtest' | openssl dgst -sha256 -hmac SECtest -binary | base64
        assert_eq!(dingtalk_sign("SECtest", 1_700_000_000_000), "aZLLrriXgn05YbwaGR7knYsLeJADjr9NwLaNNKpxh4g=");
        assert_eq!(urlencode("a+b/c="), "a%2Bb%2Fc%3D");
    }

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(10, 1), Duration::seconds(10));
        assert_eq!(backoff(10, 2), Duration::seconds(20));
        assert_eq!(backoff(10, 4), Duration::seconds(80));
        assert_eq!(backoff(10, 30), Duration::seconds(3600));
    }
}
