//! The background jobs, run every `jobs_interval_ms` by each backend instance: deliver the outbox to the hooks,
//! remind the unit holding an item before its stage's deadline, and open the week's evaluation rounds (第六条′). Both are safe with several instances: a message is
//! leased before it is sent, and a reminder is one row per item and due time, inserted by whoever gets there first.
//! Overdue and due-soon themselves are computed in queries, so they are right without these jobs.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use shared::item::ItemStatus;

use crate::db::models::ItemRow;
use crate::db::schema::{items, reminders};
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
            if let Err(e) = run_once(&state).await {
                tracing::warn!(error = %e, "background jobs failed; will try again");
            }
        }
    });
}

/// One round of every job.
pub async fn run_once(state: &AppState) -> Result<(), AppError> {
    send_reminders(state).await?;
    crate::regulation::rounds::open_current_rounds(state).await?;
    crate::regulation::report_draft::draft_previous_month(state).await?;
    crate::outbox::deliver(state).await?;
    Ok(())
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
            let candidates: Vec<ItemRow> = items::table
                .filter(items::status.ne(ItemStatus::Closed))
                .filter(items::stage_due_at.gt(now))
                .filter(items::stage_due_at.lt(soon))
                .order(items::stage_due_at.asc())
                .limit(200)
                .select(ItemRow::as_select())
                .load(conn)?;
            let ids: Vec<&str> = candidates.iter().map(|i| i.id.as_str()).collect();
            let done: Vec<(String, NaiveDateTime)> = reminders::table
                .filter(reminders::item_id.eq_any(&ids))
                .select((reminders::item_id, reminders::due_at))
                .load(conn)?;
            let mut sent = 0;
            for item in candidates {
                let Some(due) = item.stage_due_at else { continue };
                if done.iter().any(|(id, d)| *id == item.id && *d == due) {
                    continue;
                }
                // The reminder's row is inserted in a savepoint: if another instance inserted it first, the primary
                // key refuses this one and only the savepoint is rolled back.
                let inserted = conn.transaction::<_, diesel::result::Error, _>(|c| {
                    diesel::insert_into(reminders::table)
                        .values((
                            reminders::item_id.eq(&item.id),
                            reminders::due_at.eq(due),
                            reminders::sent_at.eq(now),
                        ))
                        .execute(c)
                });
                match inserted {
                    Ok(_) => {}
                    Err(diesel::result::Error::DatabaseError(
                        diesel::result::DatabaseErrorKind::UniqueViolation,
                        _,
                    )) => continue,
                    Err(e) => return Err(e.into()),
                }
                sent += 1;
                if let Some(unit) = crate::db::journey::holder(&item) {
                    let stage = item.status.label();
                    let title = format!("【即将到期】{stage}，{}前须处理", links.local_time(due));
                    notify::tell_unit(conn, &links, unit, &item, "reminder", title, now)?;
                }
            }
            Ok(sent)
        })
        .await
}
