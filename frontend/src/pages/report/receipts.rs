//! 报送市领导 (第七条3): a submitted report delivered to the city's secretary and mayor — who has read it and when,
//! for the street and the city offices to see; opening it as a leader it was delivered to marks it read.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::stats::{Report, ReportReceipt};

use crate::api;
use crate::format;
use crate::state;

/// Marks the report read once, when the viewer is a leader it was delivered to and has not read it yet; the page then
/// shows the receipt as the server keeps it.
pub(super) fn mark_read_once(current: RwSignal<Report>) {
    let Some(me) = state::current().map(|s| s.me.id) else { return };
    let (id, unread) =
        current.with_untracked(|r| (r.summary.id, r.receipts.iter().any(|x| x.leader.id == me && x.read_at.is_none())));
    if !unread {
        return;
    }
    spawn_local(async move {
        if let Ok(report) = api::post::<_, Report>(&format!("/api/reports/{id}/read"), &()).await {
            let _ = current.try_set(report);
        }
    });
}

/// The receipts, one line per leader: 已阅 with the time, or 未阅.
pub(super) fn receipts_view(receipts: Vec<ReportReceipt>) -> impl IntoView {
    (!receipts.is_empty()).then(|| {
        let rows = receipts
            .into_iter()
            .map(|r| {
                let read = r.read_at.is_some();
                let text = match r.read_at {
                    Some(at) => format!("{}：已阅（{}）", r.leader.name, format::short(at)),
                    None => format!("{}：未阅", r.leader.name),
                };
                view! { <li class="receipt" class:unread=!read data-read=read.to_string()>{text}</li> }
            })
            .collect_view();
        view! {
            <div id="report-receipts" class="report-receipts">
                <span class="report-meta-item">"报送市领导："</span>
                <ul>{rows}</ul>
            </div>
        }
    })
}
