//! 待办: the work queues of the account's roles, oldest due first — the community's review (待社区研判), the street's
//! dispatch board and extension requests, the department's inbox, work in hand and sign-off. Each row opens the item.

use leptos::prelude::*;
use shared::access::{self, QueueSection};
use shared::journey::QueueRow;

use crate::api;
use crate::components::fields::{due_badge, level_view, ticking_now};
use crate::components::queue::{section_id, section_path, section_title};
use crate::components::{not_for_you, Loaded, TopBar};
use crate::format;
use crate::state;

#[component]
pub fn QueuePage() -> impl IntoView {
    let sections = state::current().map(|s| access::queue_sections(&s.me.roles)).unwrap_or_default();
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
    let path = section_path(&section);
    let rows = LocalResource::new(move || {
        version.track();
        let path = path.clone();
        async move { api::get::<Vec<QueueRow>>(&path).await }
    });
    let count = move || match rows.get() {
        Some(Ok(list)) => Some(view! { <span class="queue-count">{list.len()}</span> }),
        _ => None,
    };
    let body = view! {
        <Loaded resource=rows let:value>
            {match value {
                list if list.is_empty() => view! { <p class="muted queue-empty">"暂无待办"</p> }.into_any(),
                list => view! {
                    <div class="item-list">{list.into_iter().map(|r| queue_row(r, now)).collect_view()}</div>
                }
                .into_any(),
            }}
        </Loaded>
    };
    view! {
        <section class="queue-section" id=section_id(&section) data-stage=section.stage.code()
            class:overview=!section.actionable>
            <h2 class="queue-title">{section_title(&section)}{count}</h2>
            {body}
        </section>
    }
}

/// Day 10 (第七条2): red until an on-site office or meeting is recorded.
fn day_ten_badge(past_ten_days: bool, onsite_recorded: bool) -> Option<impl IntoView> {
    past_ten_days.then(|| {
        if onsite_recorded {
            view! { <span class="badge info day-ten">"满10日·已现场办公"</span> }.into_any()
        } else {
            view! { <span class="badge danger day-ten">"满10日未办结·须现场办公"</span> }.into_any()
        }
    })
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
                {r.co_handling.then(|| view! { <span class="badge muted co-handling">"协办"</span> })}
                {day_ten_badge(r.past_ten_days, r.onsite_recorded)}
                <span>"收集于 "{format::short(r.collected_at)}</span>
            </div>
        </a>
    }
}
