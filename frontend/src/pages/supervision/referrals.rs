//! 移交纪检监察 on the supervision page (第八条′): the referrals with where each stands and its steps, a link to its
//! printable dossier, the supervision office's form to refer a unit (or one of its overdue items) and to record what
//! the commission reported back.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::referral::{NewReferral, Referral, ReferralStatus, ReferralUpdate};
use shared::supervision::OverdueItem;
use shared::ApiError;

use crate::api;
use crate::components::{ErrorBox, Loaded};
use crate::format;

/// The referrals, newest first; the supervision office records each one's next step.
#[component]
pub fn ReferralList(version: RwSignal<u32>, supervisor: bool) -> impl IntoView {
    let referrals = LocalResource::new(move || {
        version.track();
        api::get::<Vec<Referral>>("/api/referrals")
    });
    view! {
        <section class="queue-section" id="referrals-section">
            <h2 class="queue-title">"移交纪检监察"</h2>
            <Loaded resource=referrals let:list>
                {if list.is_empty() {
                    view! { <p class="card muted" id="referrals-empty">"尚无移交纪检监察的单位或事项。"</p> }.into_any()
                } else {
                    let cards = list.into_iter().map(|r| referral_card(r, supervisor, version)).collect_view();
                    view! { <ul class="referrals" id="referrals">{cards}</ul> }.into_any()
                }}
            </Loaded>
        </section>
    }
}

fn referral_card(r: Referral, supervisor: bool, version: RwSignal<u32>) -> impl IntoView {
    let steps = r
        .steps
        .iter()
        .map(|s| {
            view! {
                <li class="referral-step" data-status=s.status.code()>
                    <span class="step-status">{s.status.label()}</span>
                    <span class="muted">{format!("{}　{}", format::short(s.at), s.by.name)}</span>
                    <span class="step-note">{s.note.clone()}</span>
                </li>
            }
        })
        .collect_view();
    let next: Vec<ReferralStatus> = ReferralStatus::ALL.iter().copied().filter(|s| r.status.may_become(*s)).collect();
    let update = (supervisor && !next.is_empty()).then(|| view! { <StatusForm id=r.id next=next version=version/> });
    let what = match &r.item_id {
        Some(item) => view! {
            <a href=format!("/items/{}", api::encode(item)) class="referral-item">"单件事项"</a>
        }
        .into_any(),
        None => view! { <span class="referral-item">"单位整体"</span> }.into_any(),
    };
    view! {
        <li class="card referral" data-referral-id=r.id.to_string() data-status=r.status.code()>
            <div class="referral-head">
                <strong class="referral-unit" title=r.unit.full_name.clone()>{r.unit.name.clone()}</strong>
                {what}
                <span class="badge referral-status" class:done={r.status == ReferralStatus::Concluded}>
                    {r.status.label()}
                </span>
                <a class="dossier-link" href=format!("/referrals/{}", r.id)>"卷宗"</a>
            </div>
            <p class="referral-reason">{r.reason.clone()}</p>
            <ol class="referral-steps">{steps}</ol>
            {update}
        </li>
    }
}

/// 记录处理情况: the commission's next answer.
#[component]
fn StatusForm(id: i64, next: Vec<ReferralStatus>, version: RwSignal<u32>) -> impl IntoView {
    let status = RwSignal::new(next[0]);
    let note = RwSignal::new(String::new());
    let (pending, error) = (RwSignal::new(false), RwSignal::new(None::<ApiError>));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let body = ReferralUpdate { status: status.get_untracked(), note: note.get_untracked().trim().to_string() };
        if let Some(refused) = ApiError::from_problems(body.problems()) {
            error.set(Some(refused));
            return;
        }
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            let result = api::post::<_, Referral>(&format!("/api/referrals/{id}/status"), &body).await;
            let _ = pending.try_set(false);
            match result {
                Ok(_) => version.update(|v| *v += 1),
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let options = next.iter().map(|s| view! { <option value=s.code()>{s.label()}</option> }).collect_view();
    view! {
        <form class="form referral-status-form" novalidate on:submit=submit>
            <label>
                "处理情况"
                <select class="referral-next"
                    on:change=move |ev| {
                        if let Some(s) = ReferralStatus::parse(&event_target_value(&ev)) {
                            status.set(s);
                        }
                    }>
                    {options}
                </select>
            </label>
            <textarea class="referral-note" rows="2" bind:value=note placeholder="纪检监察的反馈；办结时写明处理结果"></textarea>
            <ErrorBox error=error/>
            <button type="submit" class="primary referral-update" disabled=move || pending.get()>"记录"</button>
        </form>
    }
}

/// 移交纪检监察 of one unit: the reason, and optionally one of its overdue items instead of the whole unit.
#[component]
pub fn ReferralForm(
    unit_id: i64,
    unit_name: String,
    items: Vec<OverdueItem>,
    on_done: Callback<Option<String>>,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let item = RwSignal::new(String::new());
    let (pending, error) = (RwSignal::new(false), RwSignal::new(None::<ApiError>));
    let name = unit_name.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let item_id = Some(item.get_untracked()).filter(|i| !i.is_empty());
        let body = NewReferral { unit_id, item_id, reason: reason.get_untracked().trim().to_string() };
        if let Some(refused) = ApiError::from_problems(body.problems()) {
            error.set(Some(refused));
            return;
        }
        pending.set(true);
        error.set(None);
        let name = name.clone();
        spawn_local(async move {
            let result = api::post::<_, Referral>("/api/referrals", &body).await;
            let _ = pending.try_set(false);
            match result {
                Ok(_) => on_done.run(Some(format!("已将{name}移交纪检监察"))),
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let options = items
        .into_iter()
        .map(|i| {
            let label = format!("{}　{}", i.sheet_no.clone().unwrap_or_else(|| "未发单".into()), i.summary);
            view! { <option value=i.id>{label}</option> }
        })
        .collect_view();
    view! {
        <form id="referral-form" class="form referral-form" novalidate on:submit=submit>
            <label for="referral-scope">{format!("移交纪检监察：{unit_name}")}</label>
            <select id="referral-scope" on:change=move |ev| item.set(event_target_value(&ev))>
                <option value="">"单位整体（近90日超时、催办、退单事项）"</option>
                {options}
            </select>
            <label for="referral-reason">"移交理由"</label>
            <textarea id="referral-reason" rows="3" bind:value=reason
                placeholder="例如：近90日3次催办未按时回复，2次退单推诿"></textarea>
            <ErrorBox error=error/>
            <div class="actions">
                <button type="button" id="referral-cancel" on:click=move |_| on_done.run(None)>"取消"</button>
                <button type="submit" id="referral-submit" class="primary" disabled=move || pending.get()>"移交"</button>
            </div>
        </form>
    }
}
