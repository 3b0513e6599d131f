//! 待办: the work queues of the account's roles, oldest due first — the community's review (待社区研判), the street's
//! dispatch board and extension requests, the department's inbox, work in hand and sign-off. Each row opens the item.

use leptos::prelude::*;
use shared::dto::Me;
use shared::item::ItemStatus;
use shared::journey::QueueRow;
use shared::{ApiError, Role};

use crate::api;
use crate::components::{ErrorBox, Loading, TopBar};
use crate::pages::items::level_view;
use crate::pages::journey::{due_badge, ticking_now};
use crate::pages::not_for_you;
use crate::state;
use crate::time;

/// One section of the queue page: one stage (and filter) of `GET /api/queue`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QueueSection {
    pub title: &'static str,
    pub stage: ItemStatus,
    pub extension_pending: bool,
    /// Whether the rows wait for this account to act (counted on the home page), or are shown for overview.
    pub actionable: bool,
}

impl QueueSection {
    const fn new(title: &'static str, stage: ItemStatus, extension_pending: bool, actionable: bool) -> Self {
        Self { title, stage, extension_pending, actionable }
    }

    pub fn path(&self) -> String {
        let mut path = format!("/api/queue?stage={}", self.stage.code());
        if self.extension_pending {
            path.push_str("&extension_pending=true");
        }
        path
    }

    /// The element id of the section: `queue-<stage>`, `queue-in_progress-extension` for extension requests.
    pub fn element_id(&self) -> String {
        if self.extension_pending {
            format!("queue-{}-extension", self.stage.code())
        } else {
            format!("queue-{}", self.stage.code())
        }
    }
}

/// The sections for the account's roles, each once, in the order of the journey.
pub(crate) fn queue_sections(me: &Me) -> Vec<QueueSection> {
    use ItemStatus::*;
    let mut out: Vec<QueueSection> = Vec::new();
    let mut add = |s: QueueSection| {
        if !out.iter().any(|o| o.stage == s.stage && o.extension_pending == s.extension_pending) {
            out.push(s);
        }
    };
    if me.has_role(Role::CommunitySecretary) {
        add(QueueSection::new("待社区研判", Collected, false, true));
    }
    if me.has_role(Role::StreetDispatcher) || me.has_role(Role::StreetLeader) {
        add(QueueSection::new("待街道派单", AtStreet, false, true));
        add(QueueSection::new("延期申请", InProgress, true, true));
    }
    if me.has_role(Role::DeptHandler) || me.has_role(Role::DeptHead) {
        add(QueueSection::new("待接单", Dispatched, false, true));
        add(QueueSection::new("办理中", InProgress, false, true));
        add(QueueSection::new("待领导签字", AwaitingSignoff, false, me.has_role(Role::DeptHead)));
    }
    if me.has_role(Role::StreetDispatcher) || me.has_role(Role::StreetLeader) {
        add(QueueSection::new("部门办理中", InProgress, false, false));
    }
    if me.has_role(Role::CommunitySecretary) {
        add(QueueSection::new("已办结待反馈居民", Solved, false, true));
        add(QueueSection::new("无法办结待反馈居民", Unsolved, false, true));
    }
    out
}

#[component]
pub fn QueuePage() -> impl IntoView {
    let sections = state::current().map(|s| queue_sections(&s.me)).unwrap_or_default();
    if sections.is_empty() {
        return not_for_you("待办", "待办供社区书记、街道和部门人员使用。").into_any();
    }
    let version = RwSignal::new(0u32);
    let now = ticking_now();
    view! {
        <div id="queue-page" class="page">
            <TopBar title="待办" back="/"/>
            <div class="toolbar">
                <button type="button" id="queue-refresh" on:click=move |_| version.update(|v| *v += 1)>"刷新"</button>
            </div>
            {sections.into_iter().map(|s| view! { <QueueSectionView section=s version=version now=now/> }).collect_view()}
        </div>
    }
    .into_any()
}

#[component]
fn QueueSectionView(
    section: QueueSection,
    version: RwSignal<u32>,
    now: RwSignal<chrono::DateTime<chrono::Utc>>,
) -> impl IntoView {
    let path = section.path();
    let rows = LocalResource::new(move || {
        version.track();
        let path = path.clone();
        async move { api::get::<Vec<QueueRow>>(&path).await }
    });
    let count = move || match rows.get() {
        Some(Ok(list)) => Some(view! { <span class="queue-count">{list.len()}</span> }),
        _ => None,
    };
    let body = move || match rows.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => view! { <ErrorBox error=Signal::stored(Some(e))/> }.into_any(),
        Some(Ok(list)) if list.is_empty() => view! { <p class="muted queue-empty">"暂无待办"</p> }.into_any(),
        Some(Ok(list)) => view! {
            <div class="item-list">{list.into_iter().map(|r| queue_row(r, now)).collect_view()}</div>
        }
        .into_any(),
    };
    view! {
        <section class="queue-section" id=section.element_id() data-stage=section.stage.code()
            class:overview=!section.actionable>
            <h2 class="queue-title">{section.title}{count}</h2>
            {body}
        </section>
    }
}

/// One row: a card that opens the item.
fn queue_row(r: QueueRow, now: RwSignal<chrono::DateTime<chrono::Utc>>) -> impl IntoView {
    let href = format!("/items/{}", r.id);
    let number = r.sheet_no.clone().unwrap_or_else(|| format!("序号 {}", r.seq));
    let due = r.stage_due_at;
    let (overdue, due_soon) = (r.overdue, r.due_soon);
    view! {
        <a class="card item-row queue-row" class:overdue=overdue href=href data-item-id=r.id.clone()>
            <div class="item-row-head">
                <span class="seq">{number}</span>
                <span class="item-type">{r.item_type.label()}</span>
                {level_view(r.level)}
                {due.map(|d| view! { <span class="queue-due">{move || due_badge(d, overdue, due_soon, now.get())}</span> })}
            </div>
            <p class="summary">{r.summary.clone()}</p>
            <div class="item-row-meta">
                <span class="place">{r.place.clone()}</span>
                {r.department.clone().map(|d| view! { <span class="queue-dept">{d}</span> })}
                {r.extension_pending.then(|| view! { <span class="badge info">"申请延期"</span> })}
                <span>"收集于 "{time::short(r.collected_at)}</span>
            </div>
        </a>
    }
}

/// How many items wait for the account, over its actionable sections.
pub(crate) async fn waiting_count(sections: Vec<QueueSection>) -> Result<usize, ApiError> {
    let mut total = 0;
    for s in sections.iter().filter(|s| s.actionable) {
        total += api::get::<Vec<QueueRow>>(&s.path()).await?.len();
    }
    Ok(total)
}
