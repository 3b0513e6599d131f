//! A monthly report's badges: its status (草稿, 已报送), and 逾期报送 (submitted after the 5th) or 已逾期 (a draft past
//! the 5th), in the list of reports and on the report.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use shared::stats::{ReportStatus, ReportSummary};

/// The status badge, and 逾期报送 (submitted after the 5th) or 已逾期 (a draft past the 5th).
pub fn status_badges(s: &ReportSummary, now: DateTime<Utc>, id_prefix: Option<&str>) -> impl IntoView {
    let submitted = s.status == ReportStatus::Submitted;
    let late = if s.late {
        Some("逾期报送")
    } else if !submitted && now >= s.due_at {
        Some("已逾期")
    } else {
        None
    };
    let status_id = id_prefix.map(|p| format!("{p}-status"));
    let late_id = id_prefix.map(|p| format!("{p}-late"));
    view! {
        <span class="badge report-status" id=status_id class:submitted=submitted data-status=s.status.code()>
            {s.status.label()}
        </span>
        {late.map(|text| view! { <span class="badge late-badge" id=late_id>{text}</span> })}
        {s.unread.then(|| view! { <span class="badge danger unread-badge">"待阅"</span> })}
    }
}
