//! The sender of the outbox: one pass at a time per page, in queued order — each photo not yet uploaded, then the
//! record itself; a record leaves the phone only once the server has confirmed it. Network trouble backs off
//! (5 s · 2^attempts, at most 10 min); a refusal (409/422) marks the record for the user to fix and goes on.

use std::cell::Cell;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::{ApiError, ErrorCode};

use super::{idb, now_ms, offline, records_of, refresh, sending, store, transient, Record};
use crate::{api, photo, state};

/// The longest wait between two attempts, in ms.
const MAX_DELAY_MS: f64 = 10.0 * 60.0 * 1000.0;

thread_local! {
    /// A pass is running.
    static RUNNING: Cell<bool> = const { Cell::new(false) };
    /// Something asked for a pass while one was running: run once more after it.
    static AGAIN: Cell<bool> = const { Cell::new(false) };
    /// The next pass ignores the backoff (the network came back, 立即上传, sign-in).
    static FORCE: Cell<bool> = const { Cell::new(false) };
    static TIMER: Cell<Option<TimeoutHandle>> = const { Cell::new(None) };
}

/// Starts a pass (right after a record is queued, or when the backoff timer fires).
pub fn kick() {
    start(false);
}

/// Starts a pass that does not wait for the backoff: at start, on sign-in, when the network comes back, 立即上传.
pub fn send_now() {
    start(true);
}

fn start(force: bool) {
    if force {
        FORCE.with(|f| f.set(true));
    }
    if RUNNING.with(|r| r.get()) {
        AGAIN.with(|a| a.set(true));
        return;
    }
    RUNNING.with(|r| r.set(true));
    spawn_local(async {
        loop {
            AGAIN.with(|a| a.set(false));
            let force = FORCE.with(|f| f.replace(false));
            pass(force).await;
            if !AGAIN.with(|a| a.get()) {
                break;
            }
        }
        let _ = sending().try_set(false);
        refresh().await;
        RUNNING.with(|r| r.set(false));
    });
}

/// Runs a pass again after `delay_ms`.
fn schedule(delay_ms: f64) {
    if let Some(old) = TIMER.with(|t| t.take()) {
        old.clear();
    }
    let delay = Duration::from_millis(delay_ms.clamp(0.0, MAX_DELAY_MS) as u64);
    if let Ok(handle) = set_timeout_with_handle(kick, delay) {
        TIMER.with(|t| t.set(Some(handle)));
    }
}

/// What became of one record.
enum Outcome {
    /// The server holds it.
    Sent,
    /// The server refused it: the user must fix or delete it.
    Refused(ApiError),
    /// The session is over: stop, keep everything.
    Stop,
    /// No network, or the server could not take it now: try again later.
    Later,
}

fn outcome_of(e: ApiError) -> Outcome {
    if transient(&e) {
        return Outcome::Later;
    }
    match e.code {
        ErrorCode::Unauthorized
        | ErrorCode::TokenExpired
        | ErrorCode::SessionEnded
        | ErrorCode::InvalidCredentials
        | ErrorCode::AccountDisabled
        | ErrorCode::PasswordChangeRequired => Outcome::Stop,
        _ => Outcome::Refused(e),
    }
}

async fn pass(force: bool) {
    if offline() {
        return;
    }
    let Some(user) = state::current().map(|s| s.me.id) else { return };
    for mut record in records_of(user).await.into_iter().filter(|r| !r.needs_fix) {
        // Signed out (or another account signed in) meanwhile: keep the rest.
        if state::current().map(|s| s.me.id) != Some(user) || offline() {
            return;
        }
        let now = now_ms();
        if !force && record.next_at > now {
            schedule(record.next_at - now);
            return;
        }
        let _ = sending().try_set(true);
        match send(&mut record).await {
            Outcome::Sent => {
                let _ = idb::delete(&record.id).await;
            }
            Outcome::Refused(e) => {
                record.needs_fix = true;
                record.error = Some(e);
                let _ = store(&record).await;
            }
            Outcome::Stop => return,
            Outcome::Later => {
                record.attempts = record.attempts.saturating_add(1);
                let delay = (5000.0 * 2f64.powi(record.attempts.min(30) as i32)).min(MAX_DELAY_MS);
                record.next_at = now_ms() + delay;
                let _ = store(&record).await;
                schedule(delay);
                return;
            }
        }
        refresh().await;
    }
}

/// Sends one record: its photos not yet uploaded, then the record.
async fn send(record: &mut Record) -> Outcome {
    for i in 0..record.photos.len() {
        if record.photos[i].uploaded {
            continue;
        }
        let Some(blob) = record.photos[i].blob.clone() else {
            return Outcome::Refused(api::local_error(
                ErrorCode::Validation,
                "照片已不在本机，请删除这条记录后重新登记",
            ));
        };
        let id = record.photos[i].id.clone();
        match photo::upload(&id, &blob, |_| {}).await {
            Ok(_) => {
                record.photos[i].uploaded = true;
                let _ = store(record).await;
            }
            Err(e) => return outcome_of(e),
        }
    }
    let body: serde_json::Value = match serde_json::from_str(&record.body) {
        Ok(b) => b,
        Err(_) => return Outcome::Refused(api::local_error(ErrorCode::Validation, "记录无法读取，请删除后重新登记")),
    };
    match api::post::<_, serde_json::Value>(record.kind.path(), &body).await {
        Ok(_) => Outcome::Sent,
        Err(e) => outcome_of(e),
    }
}
