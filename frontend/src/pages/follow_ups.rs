//! 跟踪整改 (第六条′): every dissatisfied rating is followed up — find out why, feed it back to the department, agree
//! the measures, explain to the resident — and closes once all four steps are recorded. The list page (open ones
//! first), and the follow-ups on an item's page with the form for the next step. (退回部门重办, when the resident
//! says the problem is not solved, is one of the item's actions: see `actions.rs`.)

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::item::Item;
use shared::validate::check_reason;
use shared::voice::{AddFollowUpStep, FollowUp, FollowUpEntry, FollowUpStep};
use shared::{ApiError, ErrorCode, Problem, Role};

use crate::api;
use crate::components::{rate_lines, ErrorBox, FieldError, Loading, TopBar};
use crate::pages::not_for_you;
use crate::state;
use crate::time;

/// The roles that follow dissatisfied ratings up (the list page, and recording steps).
pub(crate) const FOLLOW_UP_ROLES: &[Role] = &[
    Role::StationHead,
    Role::CommunitySecretary,
    Role::StreetDispatcher,
    Role::StreetLeader,
    Role::DeptHandler,
    Role::DeptHead,
];

fn has_any(roles: &[Role]) -> bool {
    state::current().is_some_and(|s| roles.iter().any(|r| s.me.has_role(*r)))
}

/// A validation error found here, for one field.
fn refusal(field: &str, message: String) -> ApiError {
    ApiError {
        code: ErrorCode::Validation,
        message: message.clone(),
        field: Some(field.to_string()),
        problems: vec![Problem { sheet: None, row: None, column: None, field: Some(field.to_string()), message }],
    }
}

/// The error for the box under a form: anything not about `field` (shown next to it).
fn not_about(error: RwSignal<Option<ApiError>>, field: &'static str) -> Signal<Option<ApiError>> {
    Signal::derive(move || error.get().filter(|e| e.field.as_deref() != Some(field)))
}

/// How many of the four steps are recorded.
fn steps_done(f: &FollowUp) -> usize {
    FollowUpStep::ALL.iter().filter(|s| f.steps.iter().any(|e| e.step == **s)).count()
}

/// Open ones first (oldest first, as the longest waiting), then closed ones, newest first.
fn sort(list: &mut [FollowUp]) {
    list.sort_by(|a, b| match (a.closed_at, b.closed_at) {
        (None, None) => a.opened_at.cmp(&b.opened_at),
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (Some(x), Some(y)) => y.cmp(&x),
    });
}

#[component]
pub fn FollowUpsPage() -> impl IntoView {
    if !has_any(FOLLOW_UP_ROLES) {
        return not_for_you("跟踪整改", "跟踪整改供社区、服务站、街道和部门人员使用。").into_any();
    }
    let version = RwSignal::new(0u32);
    let show_closed = RwSignal::new(false);
    // The follow-up whose form is open (one at a time), and what the last one saved.
    let editing = RwSignal::new(None::<i64>);
    let saved = RwSignal::new(None::<String>);
    let may_step = has_any(FOLLOW_UP_ROLES);
    let on_saved = Callback::new(move |f: FollowUp| {
        saved.set(Some(saved_note(&f)));
        editing.set(None);
        version.update(|v| *v += 1);
    });
    let open = LocalResource::new(move || {
        version.track();
        async move {
            let mut list = api::get::<Vec<FollowUp>>("/api/follow-ups?open=true").await?;
            sort(&mut list);
            Ok::<_, ApiError>(list)
        }
    });
    let closed = LocalResource::new(move || {
        version.track();
        let wanted = show_closed.get();
        async move {
            if !wanted {
                return None;
            }
            // Without `open=true` the list holds every follow-up; the open ones are shown above.
            Some(api::get::<Vec<FollowUp>>("/api/follow-ups").await.map(|list| {
                let mut closed: Vec<FollowUp> = list.into_iter().filter(|f| f.closed_at.is_some()).collect();
                sort(&mut closed);
                closed
            }))
        }
    });
    let open_list = move || match open.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => view! { <ErrorBox error=Signal::stored(Some(e))/> }.into_any(),
        Some(Ok(list)) if list.is_empty() => view! {
            <p class="muted queue-empty" id="no-open-follow-ups">"没有待整改的不满意评价"</p>
        }
        .into_any(),
        Some(Ok(list)) => list
            .into_iter()
            .map(|f| {
                let record = may_step.then(|| {
                    let id = f.id;
                    let f = f.clone();
                    move || {
                        if editing.get() == Some(id) {
                            view! { <AddStepForm follow_up=f.clone() on_saved=on_saved/> }.into_any()
                        } else {
                            view! {
                                <button type="button" class="fu-record" data-follow-up-id=id.to_string()
                                    on:click=move |_| {
                                        saved.set(None);
                                        editing.set(Some(id));
                                    }>"记录整改进展"</button>
                            }
                            .into_any()
                        }
                    }
                });
                follow_up_card(f, true, record.into_any())
            })
            .collect_view()
            .into_any(),
    };
    let closed_list = move || match closed.get() {
        None => show_closed.get().then(|| view! { <Loading/> }.into_any()),
        Some(None) => None,
        Some(Some(Err(e))) => Some(view! { <ErrorBox error=Signal::stored(Some(e))/> }.into_any()),
        Some(Some(Ok(list))) if list.is_empty() => Some(view! { <p class="muted queue-empty">"暂无"</p> }.into_any()),
        Some(Some(Ok(list))) => {
            Some(list.into_iter().map(|f| follow_up_card(f, true, ().into_any())).collect_view().into_any())
        }
    };
    view! {
        <div id="follow-ups-page" class="page">
            <TopBar title="跟踪整改" back="/"/>
            <p class="hint">"居民或干部评价不满意的，要了解原因、反馈部门单位、明确整改措施，并向居民解释答复。"</p>
            <div class="toolbar">
                <button type="button" id="follow-ups-refresh" on:click=move |_| version.update(|v| *v += 1)>"刷新"</button>
            </div>
            {move || saved.get().map(|m| view! { <p id="follow-up-saved" class="success" role="status">{m}</p> })}
            <section class="queue-section" id="open-follow-ups">
                <h2 class="queue-title">"整改中"
                    {move || match open.get() {
                        Some(Ok(l)) if !l.is_empty() => Some(view! { <span class="queue-count">{l.len()}</span> }),
                        _ => None,
                    }}
                </h2>
                {open_list}
            </section>
            <section class="queue-section overview" id="closed-follow-ups">
                <h2 class="queue-title">"已完成"</h2>
                {move || (!show_closed.get()).then(|| view! {
                    <button type="button" id="show-closed-follow-ups" class="big" on:click=move |_| show_closed.set(true)>
                        "查看已完成的整改"
                    </button>
                })}
                {closed_list}
            </section>
        </div>
    }
    .into_any()
}

/// What is said once a step is recorded.
fn saved_note(f: &FollowUp) -> String {
    match f.closed_at {
        Some(_) => "已记录，四个步骤都已完成，整改结束".to_string(),
        None => format!("已记录：{}", f.steps.last().map(|e| e.step.label()).unwrap_or_default()),
    }
}

/// One follow-up: what was rated and how, the four steps as progress, each step recorded, and `extra` (a form).
fn follow_up_card(f: FollowUp, item_link: bool, extra: AnyView) -> AnyView {
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
            data-steps-done=done.to_string()>
            <div class="record-head">
                <strong class="fu-subject">{f.subject.clone()}</strong>
                <span class="badge" class:info=!closed>{if closed { "已完成" } else { "整改中" }}</span>
                {f.sent_back.then(|| view! { <span class="badge">"已退回部门重办"</span> })}
            </div>
            <p class="muted small">
                {(!places.is_empty()).then(|| format!("{} · ", places.join(" · ")))}
                "开始于 "{time::short(f.opened_at)}
                {f.closed_at.map(|at| format!(" · 完成于 {}", time::short(at)))}
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
            <p class="muted small">{e.by.name}" · "{time::long(e.at)}</p>
        </li>
    }
}

/// The follow-ups of one item, on its page; nothing when there are none (or the viewer may not see them).
#[component]
pub fn ItemFollowUps(item: RwSignal<Option<Result<Item, ApiError>>>) -> impl IntoView {
    // Reloaded whenever the item changes (a send-back marks its follow-up).
    let key = Memo::new(move |_| {
        item.with(|i| match i {
            Some(Ok(i)) => Some((i.id.clone(), i.version)),
            _ => None,
        })
    });
    let list = RwSignal::new(None::<Result<Vec<FollowUp>, ApiError>>);
    let saved = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let Some(wanted) = key.get() else { return };
        spawn_local(async move {
            let path = format!("/api/follow-ups?item_id={}", api::encode(&wanted.0));
            let result = api::get::<Vec<FollowUp>>(&path).await.map(|mut l| {
                sort(&mut l);
                l
            });
            if key.try_get_untracked().flatten().as_ref() == Some(&wanted) {
                let _ = list.try_set(Some(result));
            }
        });
    });
    let may_step = has_any(FOLLOW_UP_ROLES);
    let on_saved = Callback::new(move |f: FollowUp| {
        saved.set(Some(saved_note(&f)));
        list.update(|l| {
            if let Some(Ok(l)) = l {
                if let Some(old) = l.iter_mut().find(|o| o.id == f.id) {
                    *old = f;
                }
                sort(l);
            }
        });
    });

    move || match list.get() {
        None => None,
        Some(Err(e)) if matches!(e.code, ErrorCode::Forbidden | ErrorCode::NotFound) => None,
        Some(Err(e)) => Some(
            view! {
                <section class="card" id="item-follow-ups">
                    <h3>"跟踪整改"</h3>
                    <ErrorBox error=Signal::stored(Some(e))/>
                </section>
            }
            .into_any(),
        ),
        Some(Ok(l)) if l.is_empty() => None,
        Some(Ok(l)) => {
            // The form goes with the first open follow-up.
            let form_for = l.iter().find(|f| f.closed_at.is_none()).map(|f| f.id).filter(|_| may_step);
            let cards = l
                .into_iter()
                .map(|f| {
                    let form = (form_for == Some(f.id))
                        .then(|| view! { <AddStepForm follow_up=f.clone() on_saved=on_saved/> });
                    follow_up_card(f, false, form.into_any())
                })
                .collect_view();
            Some(
                view! {
                    <section class="card item-follow-ups" id="item-follow-ups">
                        <h3>"跟踪整改"</h3>
                        {move || saved.get().map(|m| view! {
                            <p id="follow-up-saved" class="success" role="status">{m}</p>
                        })}
                        {cards}
                    </section>
                }
                .into_any(),
            )
        }
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
fn AddStepForm(follow_up: FollowUp, on_saved: Callback<FollowUp>) -> impl IntoView {
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
            error.set(Some(refusal("text", m)));
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
            <ErrorBox error=not_about(error, "text")/>
            <div class="actions">
                <button type="submit" id="follow-up-submit" class="primary" disabled=move || pending.get()>
                    {move || if pending.get() { "正在保存…" } else { "保存" }}
                </button>
            </div>
        </form>
    }
}
