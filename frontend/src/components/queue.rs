//! The work queue (待办) as the app shows it: each section's title, its request and element id, how many items wait
//! for the account, and the home page's tile with that count. Which sections an account has is
//! `shared::access::queue_sections`.

use leptos::prelude::*;
use shared::access::{QueueSection, QueueView};
use shared::item::ItemStatus;
use shared::journey::QueueRow;
use shared::ApiError;

use crate::api;

/// The section's title, e.g. 待社区研判.
pub fn section_title(s: &QueueSection) -> &'static str {
    use ItemStatus::*;
    match (s.stage, s.extension_pending, s.view) {
        (Collected, ..) => "待社区研判",
        (AtStreet, ..) => "待街道派单",
        (InProgress, true, _) => "延期申请",
        (Dispatched, ..) => "待接单",
        (InProgress, false, QueueView::Street) => "部门办理中",
        (InProgress, false, _) => "办理中",
        (AwaitingSignoff, ..) => "待领导签字",
        (Solved, ..) => "已办结待反馈居民",
        (Unsolved, ..) => "无法办结待反馈居民",
        // No section lists closed items.
        (Closed, ..) => Closed.label(),
    }
}

/// The section's rows: `GET /api/queue` for its stage.
pub fn section_path(s: &QueueSection) -> String {
    let mut path = format!("/api/queue?stage={}", s.stage.code());
    if s.extension_pending {
        path.push_str("&extension_pending=true");
    }
    path
}

/// The element id of the section: `queue-<stage>`, `queue-in_progress-extension` for extension requests.
pub fn section_id(s: &QueueSection) -> String {
    if s.extension_pending {
        format!("queue-{}-extension", s.stage.code())
    } else {
        format!("queue-{}", s.stage.code())
    }
}

/// How many items wait for the account, over its actionable sections; and how many of the items being handled
/// passed day 10 without an on-site record (第七条2), which the department's head and the street are told of.
async fn waiting_count(sections: Vec<QueueSection>) -> Result<(usize, usize), ApiError> {
    let (mut total, mut day_ten) = (0, 0);
    let mut handled_seen = false;
    for s in &sections {
        let handling = s.stage == ItemStatus::InProgress && !s.extension_pending;
        if !s.actionable && !handling {
            continue;
        }
        let rows = api::get::<Vec<QueueRow>>(&section_path(s)).await?;
        if s.actionable {
            total += rows.len();
        }
        if handling && !handled_seen {
            handled_seen = true;
            day_ten += rows.iter().filter(|r| r.past_ten_days && !r.onsite_recorded).count();
        }
    }
    Ok((total, day_ten))
}

/// 待办 on the home page, with how many items wait (fetched once; the queue page has the details).
#[component]
pub fn QueueTile(sections: Vec<QueueSection>) -> impl IntoView {
    let text = sections.iter().filter(|s| s.actionable).map(section_title).collect::<Vec<_>>().join("、");
    let count = LocalResource::new(move || waiting_count(sections.clone()));
    let badge = move || match count.get() {
        Some(Ok((n, _))) if n > 0 => Some(view! { <span id="queue-count" class="count-badge">{n}</span> }),
        _ => None,
    };
    let day_ten = move || match count.get() {
        Some(Ok((_, n))) if n > 0 => Some(view! {
            <span id="queue-day-ten" class="queue-button-alert">
                {format!("{n}条部门接单已满10日未办结，须现场办公")}
            </span>
        }),
        _ => None,
    };
    view! {
        <a id="queue-link" class="button queue-button" href="/queue">
            <span class="queue-button-title">"待办"{badge}</span>
            <span class="queue-button-text">{text}</span>
            {day_ten}
        </a>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::access::queue_sections;
    use shared::{OrgKind, Role};

    #[test]
    fn sections_read_as_each_role_knows_them() {
        let titles = |grants: &[(Role, OrgKind)]| queue_sections(grants).iter().map(section_title).collect::<Vec<_>>();
        assert_eq!(
            titles(&[(Role::CommunitySecretary, OrgKind::Community)]),
            ["待社区研判", "已办结待反馈居民", "无法办结待反馈居民"]
        );
        assert_eq!(titles(&[(Role::StreetLeader, OrgKind::Street)]), ["待街道派单", "延期申请", "部门办理中"]);
        assert_eq!(titles(&[(Role::DeptHead, OrgKind::Department)]), ["待接单", "办理中", "待领导签字"]);
        let s = queue_sections(&[(Role::StreetDispatcher, OrgKind::Street)]);
        assert_eq!(section_path(&s[1]), "/api/queue?stage=in_progress&extension_pending=true");
        assert_eq!(section_id(&s[1]), "queue-in_progress-extension");
        assert_eq!(section_id(&s[0]), "queue-at_street");
    }
}
