//! The follow-ups of dissatisfied ratings (跟踪整改, 第六条′) as the list page and an item's page show them: a card
//! with the rating, the four steps as progress and each step recorded, and the form that records the next step.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::validate::check_reason;
use shared::voice::{AddFollowUpStep, FollowUp, FollowUpEntry, FollowUpStep};
use shared::ApiError;

use crate::api;
use crate::components::form_errors::{field_refusal, general_error};
use crate::components::{rate_lines, ErrorBox, FieldError};
use crate::format;

/// How many of the four steps are recorded.
fn steps_done(f: &FollowUp) -> usize {
    FollowUpStep::ALL.iter().filter(|s| f.steps.iter().any(|e| e.step == **s)).count()
}

/// Open ones first (oldest first, as the longest waiting), then closed ones, newest first.
pub fn sort(list: &mut [FollowUp]) {
    list.sort_by(|a, b| match (a.closed_at, b.closed_at) {
        (None, None) => a.opened_at.cmp(&b.opened_at),
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (Some(x), Some(y)) => y.cmp(&x),
    });
}

/// What is said once a step is recorded.
pub fn saved_note(f: &FollowUp) -> String {
    match f.closed_at {
        Some(_) => "已记录，四个步骤都已完成，整改结束".to_string(),
        None => format!("已记录：{}", f.steps.last().map(|e| e.step.label()).unwrap_or_default()),
    }
}

/// One follow-up: what was rated and how, the four steps as progress, each step recorded, and `extra` (a form).
pub fn follow_up_card(f: FollowUp, item_link: bool, extra: AnyView) -> AnyView {
    let done = steps_done(&f);
    let closed = f.closed_at.is_some();
    let places: Vec<String> =
        [f.community.as_ref().map(|c| c.name.clone()), f.department.as_ref().map(|d| d.name.clone())]
            .into_iter()
            .flatten()
            .collect();
    let comment = f.rate.comment.clone().filter(|c| !c.trim().is_empty());
    let recorded: Vec<FollowUpStep> = f.steps.iter().map(|e| e.step).collect();
    let progress = FollowUpStep::ALL
        .iter()
        .map(|s| {
            let on = recorded.contains(s);
            view! { <li class="fu-step" class:done=on data-step=s.code()>{s.label()}</li> }
        })
        .collect_view();
    let href = f.item_id.as_ref().filter(|_| item_link).map(|id| format!("/items/{id}"));
    view! {
        <article class="card follow-up" data-follow-up-id=f.id.to_string()
            data-item-id=f.item_id.clone().unwrap_or_default() data-closed=closed.to_string()
            data-steps-done=done.to_string() data-overdue=f.overdue.to_string()>
            <div class="record-head">
                <strong class="fu-subject">{f.subject.clone()}</strong>
                <span class="badge" class:info=!closed>{if closed { "已完成" } else { "整改中" }}</span>
                {f.sent_back.then(|| view! { <span class="badge">"已退回部门重办"</span> })}
                {(f.overdue && !closed).then(|| view! { <span class="badge danger fu-overdue">"已超时"</span> })}
            </div>
            <p class="muted small">
                {(!places.is_empty()).then(|| format!("{} · ", places.join(" · ")))}
                "开始于 "{format::short(f.opened_at)}
                {f.due_at.filter(|_| !closed).map(|due| format!(" · 限{}前完成（本市规定）", format::short(due)))}
                {f.closed_at.map(|at| format!(" · 完成于 {}", format::short(at)))}
            </p>
            {rate_lines(&f.rate)}
            {f.rate.not_solved.then(|| view! { <p class="fu-not-solved">"反映问题没有解决"</p> })}
            {comment.map(|c| view! { <p class="quote">"意见："{c}</p> })}
            <ol class="fu-progress" aria-label="整改进度">{progress}</ol>
            <p class="small fu-count">"已完成 "{done}" / "{FollowUpStep::ALL.len()}" 步"</p>
            {(!f.steps.is_empty()).then(|| view! {
                <ul class="record-list fu-entries">{f.steps.clone().into_iter().map(entry_view).collect_view()}</ul>
            })}
            {extra}
            {href.map(|h| view! { <a class="button fu-item-link" href=h>"查看事项"</a> })}
        </article>
    }
    .into_any()
}

fn entry_view(e: FollowUpEntry) -> impl IntoView {
    view! {
        <li class="record" data-step=e.step.code()>
            <div class="record-head"><strong>{e.step.label()}</strong></div>
            <p class="record-note">{e.text}</p>
            <p class="muted small">{e.by.name}" · "{format::long(e.at)}</p>
        </li>
    }
}

/// What to write for each step.
fn step_hint(step: FollowUpStep) -> &'static str {
    match step {
        FollowUpStep::FindReason => "居民为什么不满意",
        FollowUpStep::FeedBack => "向哪个部门单位反馈了什么",
        FollowUpStep::AgreeMeasures => "与部门单位明确的整改措施、处理办法",
        FollowUpStep::Explain => "怎样向居民解释答复、做政策解释",
    }
}

/// Records the next step of a follow-up.
#[component]
pub fn AddStepForm(follow_up: FollowUp, on_saved: Callback<FollowUp>) -> impl IntoView {
    let recorded: Vec<FollowUpStep> = follow_up.steps.iter().map(|e| e.step).collect();
    let first = FollowUpStep::ALL.iter().copied().find(|s| !recorded.contains(s)).unwrap_or(FollowUpStep::Explain);
    let step = RwSignal::new(first);
    let text = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let id = follow_up.id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let body_text = text.get_untracked();
        if let Err(m) = check_reason(&body_text, "情况") {
            error.set(Some(field_refusal("text", m)));
            return;
        }
        pending.set(true);
        error.set(None);
        let body = AddFollowUpStep { step: step.get_untracked(), text: body_text.trim().to_string() };
        spawn_local(async move {
            let result = api::post::<_, FollowUp>(&format!("/api/follow-ups/{id}/steps"), &body).await;
            let _ = pending.try_set(false);
            match result {
                Ok(f) => {
                    let _ = on_saved.try_run(f);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    // Each step is recorded once.
    let options = FollowUpStep::ALL
        .iter()
        .filter(|s| !recorded.contains(s))
        .map(|s| {
            let s = *s;
            view! { <option value=s.code() selected=move || step.get() == s>{s.label()}</option> }
        })
        .collect_view();
    view! {
        <form id="follow-up-form" class="form fu-form" novalidate on:submit=submit>
            <h4>"记录整改进展"</h4>
            <label for="follow-up-step">"步骤"</label>
            <select id="follow-up-step" on:change=move |ev| {
                if let Some(s) = FollowUpStep::parse(&event_target_value(&ev)) {
                    step.set(s);
                }
            }>{options}</select>
            <label for="follow-up-text">"情况"</label>
            <textarea id="follow-up-text" rows="3" bind:value=text placeholder=move || step_hint(step.get())
                class:invalid=move || error.with(|e| e.as_ref().is_some_and(|e| e.field.as_deref() == Some("text")))>
            </textarea>
            <FieldError error=error field="text"/>
            <ErrorBox error=general_error(error, &["text"])/>
            <div class="actions">
                <button type="submit" id="follow-up-submit" class="primary" disabled=move || pending.get()>
                    {move || if pending.get() { "正在保存…" } else { "保存" }}
                </button>
            </div>
        </form>
    }
}
