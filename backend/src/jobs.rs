//! The background jobs, run every `jobs_interval_ms` by each backend instance: deliver the outbox to the hooks,
//! remind the unit holding an item before its stage's deadline, and open the week's evaluation rounds (第六条′). Both are safe with several instances: a message is
//! leased before it is sent, and a reminder is one row per item and due time, inserted by whoever gets there first.
//! Overdue and due-soon themselves are computed in queries, so they are right without these jobs.

use chrono::Duration;

use crate::db;
use crate::error::AppError;
use crate::notify;
use crate::regulation::deadlines;
use crate::state::AppState;

/// Starts the jobs on the current runtime, unless the interval is 0.
pub fn start(state: AppState) {
    let every = state.settings.jobs_interval_ms;
    if every == 0 {
        return;
    }
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(std::time::Duration::from_millis(every));
        loop {
            tick.tick().await;
            // Each failure was logged with its job's name.
            let _ = run_once(&state).await;
        }
    });
}

/// One round of every job. Each runs whatever the others do (a failing report draft never holds back the hook
/// messages of major items); each result is noted in the metrics, and the first failure is answered.
pub async fn run_once(state: &AppState) -> Result<(), AppError> {
    let results = [
        ("reminders", send_reminders(state).await.map(|_| ())),
        ("evaluation_rounds", crate::regulation::rounds::open_current_rounds(state).await.map(|_| ())),
        ("report_drafts", crate::regulation::report_draft::draft_previous_month(state).await.map(|_| ())),
        ("outbox", crate::outbox::deliver(state).await.map(|_| ())),
    ];
    let mut first = None;
    for (job, result) in results {
        crate::metrics::METRICS.job(job, result.is_ok());
        if let Err(e) = result {
            tracing::warn!(job, error = %e, "background job failed; will try again");
            first.get_or_insert(e);
        }
    }
    first.map_or(Ok(()), Err)
}

/// Queues a reminder for each item whose stage falls due within `DUE_SOON_HOURS`, once per item and due time;
/// returns how many this call queued.
pub async fn send_reminders(state: &AppState) -> Result<usize, AppError> {
    let now = state.clock.now_naive();
    let links = state.links();
    state
        .db
        .write(move |conn| {
            let soon = now + Duration::hours(deadlines::DUE_SOON_HOURS);
            let candidates = db::reminders::falling_due(conn, now, soon)?;
            let ids: Vec<&str> = candidates.iter().map(|i| i.id.as_str()).collect();
            let done = db::reminders::sent_for(conn, &ids)?;
            let mut sent = 0;
            for item in candidates {
                let Some(due) = item.stage_due_at else { continue };
                if done.iter().any(|(id, d)| *id == item.id && *d == due) {
                    continue;
                }
                if !db::reminders::record(conn, &item.id, due, now)? {
                    continue;
                }
                sent += 1;
                if let Some(unit) = db::journey::holder(&item) {
                    let stage = item.status.label();
                    let title = format!("【即将到期】{stage}，{}前须处理", links.local_time(due));
                    notify::tell_unit(conn, &links, unit, &item, "reminder", title, now)?;
                }
            }
            Ok(sent)
        })
        .await
}
