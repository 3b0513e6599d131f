//! The background jobs, run every `jobs_interval_ms` by each backend instance: deliver the outbox to the hooks,
//! remind the unit holding an item before its stage's deadline, tell the department and the street of day 10, and open the week's evaluation rounds (第六条′). Both are safe with several instances: a message is
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
        ("day_ten", tell_day_ten(state).await.map(|_| ())),
        ("chase_escalation", escalate_chases(state).await.map(|_| ())),
        ("evaluation_rounds", crate::regulation::rounds::open_current_rounds(state).await.map(|_| ())),
        ("report_drafts", crate::regulation::report_draft::draft_previous_month(state).await.map(|_| ())),
        ("outbox", crate::outbox::deliver(state).await.map(|_| ())),
        ("retention", mask_expired(state).await.map(|_| ())),
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

/// Day 10 (第七条2): each dispatch that reached ten days after 接单 unsolved is told once, to the department's hooks
/// (its head leads the on-site office) and the street's; the queues and the home page show it in the app. Answers how
/// many were told.
pub async fn tell_day_ten(state: &AppState) -> Result<usize, AppError> {
    let now = state.clock.now_naive();
    let (links, tz) = (state.links(), state.tz);
    state
        .db
        .write(move |conn| {
            let calendar = deadlines::Calendar::load(conn, tz)?;
            // Ten working days are never fewer than ten calendar days: these are all the candidates.
            let accepted_before = now - Duration::days(deadlines::ONSITE_AFTER_DAYS);
            let mut told = 0;
            for d in db::onsite::untold_before(conn, accepted_before, 500)? {
                if deadlines::ten_days_due(&d, &calendar).is_none_or(|ten| now <= ten) {
                    continue;
                }
                if !db::onsite::mark_told(conn, &d, now)? {
                    continue;
                }
                let Some(item) = db::items::get(conn, &d.item_id)? else { continue };
                let sheet = item.sheet_no.clone().unwrap_or_default();
                let to_department =
                    format!("【满10日未办结】{sheet} 请部门主要领导带队现场办公，明确解决措施（第七条2）");
                notify::tell_unit(conn, &links, d.department_id, &item, "day_ten", to_department, now)?;
                let to_street = format!("【满10日未办结】{sheet} 部门接单已满10日，请协调部门、居民代表召开现场办公会");
                notify::tell_unit(conn, &links, item.street_id, &item, "day_ten", to_street, now)?;
                told += 1;
            }
            Ok(told)
        })
        .await
}

/// A chase not answered by its time (第八条′) goes to the chased unit's head: a message to the unit's hooks, where
/// its leaders are, and the chase shows red on the item and counts on the unit's record. Once per chase; answers how
/// many were escalated.
pub async fn escalate_chases(state: &AppState) -> Result<usize, AppError> {
    let now = state.clock.now_naive();
    let links = state.links();
    state
        .db
        .write(move |conn| {
            let mut n = 0;
            for chase in db::supervision::unanswered_past_due(conn, now, 500)? {
                if !db::supervision::mark_escalated(conn, chase.id, now)? {
                    continue;
                }
                let Some(item) = db::items::get(conn, &chase.item_id)? else { continue };
                let title = format!("【催办逾期未回复】请单位主要领导督促办理并回复：{}", chase.note);
                notify::tell_unit(conn, &links, chase.unit_id, &item, "chase_escalated", title, now)?;
                n += 1;
            }
            Ok(n)
        })
        .await
}

/// Masks the resident's name, phone and address on items closed longer ago than `retention_years` (《个人信息保护法》:
/// kept no longer than needed), at most 1000 a run; answers how many.
pub async fn mask_expired(state: &AppState) -> Result<usize, AppError> {
    let now = state.clock.now_naive();
    let years = state.settings.retention_years.max(1);
    let cutoff = now - Duration::days(365 * years);
    state
        .db
        .write(move |conn| {
            let reason = format!("保存期满（结案后{years}年）");
            let mut n = 0;
            for item in db::privacy::due_for_masking(conn, cutoff, 1000)? {
                if db::privacy::mask(conn, &item, now, None, &reason)? {
                    n += 1;
                }
            }
            if n > 0 {
                let detail = serde_json::json!({"items": n, "reason": reason});
                db::audit::record(conn, now, None, "resident.retention", "item", None, detail)?;
            }
            Ok(n)
        })
        .await
}
