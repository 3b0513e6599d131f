//! The actions an item's viewer may take now, as the server lists them (`journey.actions`): one button each, opening
//! an inline form (社区办结, 报送街道, 派单, 接单, 退单, 申请延期, 审批延期, 返单, 领导签字, 反馈居民, 退回部门重办). The client never
//! works out who may do what; it only shows what it is offered and posts it with the version it read.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;
use shared::item::{FeedbackMethod, Item, SendToStreet, SolveLocally, TellResident, MAX_PHOTOS_PER_ITEM};
use shared::journey::{
    ActionKind, DecideExtension, DepartmentSuggestion, Dispatch, HeadSign, Reject, RejectReason, RequestExtension,
    ReturnSheet, VersionOnly,
};
use shared::validate::{check_reason, check_result};
use shared::voice::SendBack;
use shared::{ApiError, ErrorCode, Problem};

use crate::api;
use crate::components::form_errors::{general_error, problem, refusal, show_first_error};
use crate::components::photo_slots::{PhotoSlotView, PhotoSlots, SlotState};
use crate::components::{names_field, ErrorBox, FieldError, Loading};
use crate::format;

/// The most co-handling departments (协办) of one dispatch.
const MAX_CO_DEPARTMENTS: usize = 5;

/// What every action form needs: the item, where it reports, and its own state.
#[derive(Clone, Copy)]
struct Ctx {
    item_id: StoredValue<String>,
    version: i64,
    open: RwSignal<Option<ActionKind>>,
    pending: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
    on_done: Callback<(Item, String)>,
    on_conflict: Callback<ApiError>,
}

impl Ctx {
    /// Posts an action; the updated item goes to `on_done`, a stale version or a changed stage to `on_conflict`
    /// (the page shows it and reloads), any other error stays on the form.
    fn submit<B: Serialize + 'static>(self, kind: ActionKind, body: B, done: &'static str) {
        if self.pending.get_untracked() {
            return;
        }
        self.pending.set(true);
        self.error.set(None);
        let path = format!("/api/items/{}/{}", api::encode(&self.item_id.get_value()), kind.code().replace('_', "-"));
        spawn_local(async move {
            let result = api::post::<_, Item>(&path, &body).await;
            let _ = self.pending.try_set(false);
            match result {
                // The page may have been left meanwhile: then nobody is told.
                Ok(item) => {
                    let _ = self.on_done.try_run((item, done.to_string()));
                }
                Err(e) if matches!(e.code, ErrorCode::StaleVersion | ErrorCode::WrongStage) => {
                    let _ = self.on_conflict.try_run(e);
                }
                Err(e) => {
                    let _ = self.error.try_set(Some(e));
                    show_first_error("action-form");
                }
            }
        });
    }

    /// Shows errors found before sending.
    fn refuse(self, problems: Vec<Problem>) {
        if let Some(e) = refusal(problems) {
            self.error.set(Some(e));
            show_first_error("action-form");
        }
    }
}

/// Text, trimmed; `None` when empty.
fn optional(text: String) -> Option<String> {
    let t = text.trim().to_string();
    (!t.is_empty()).then_some(t)
}

/// The buttons of the actions on offer and the form of the one chosen.
#[component]
pub fn ActionPanel(
    item: Item,
    /// Called with the updated item and a short note of what was done.
    on_done: Callback<(Item, String)>,
    /// Called when the item changed meanwhile (stale version, another stage): the page reloads it.
    on_conflict: Callback<ApiError>,
) -> impl IntoView {
    let actions = item.journey.actions.clone();
    if actions.is_empty() {
        return ().into_any();
    }
    let ctx = Ctx {
        item_id: StoredValue::new(item.id.clone()),
        version: item.version,
        open: RwSignal::new(None),
        pending: RwSignal::new(false),
        error: RwSignal::new(None),
        on_done,
        on_conflict,
    };
    // One action on offer opens at once.
    if let [only] = actions.as_slice() {
        ctx.open.set(Some(*only));
    }
    let buttons = actions
        .iter()
        .map(|a| {
            let a = *a;
            let on = move || ctx.open.get() == Some(a);
            view! {
                <button type="button" class="action-button" class:selected=on data-action=a.code()
                    aria-expanded=move || on().to_string()
                    on:click=move |_| {
                        if ctx.open.get_untracked() != Some(a) {
                            ctx.error.set(None);
                            ctx.open.set(Some(a));
                        }
                    }>{a.label()}</button>
            }
        })
        .collect_view();
    let form = move || ctx.open.get().map(|kind| action_form(kind, &item, ctx));
    view! {
        <section id="action-panel" class="card action-panel">
            <h3>"办理"</h3>
            <div class="action-buttons">{buttons}</div>
            {form}
        </section>
    }
    .into_any()
}

fn action_form(kind: ActionKind, item: &Item, ctx: Ctx) -> AnyView {
    match kind {
        ActionKind::SolveLocally => view! { <SolveLocallyForm ctx=ctx/> }.into_any(),
        ActionKind::SendToStreet => view! { <SendToStreetForm ctx=ctx item=item.clone()/> }.into_any(),
        ActionKind::Dispatch => view! { <DispatchForm ctx=ctx item=item.clone()/> }.into_any(),
        ActionKind::Accept => view! { <AcceptForm ctx=ctx/> }.into_any(),
        ActionKind::Reject => view! { <RejectForm ctx=ctx/> }.into_any(),
        ActionKind::RequestExtension => view! { <RequestExtensionForm ctx=ctx/> }.into_any(),
        ActionKind::DecideExtension => view! { <DecideExtensionForm ctx=ctx item=item.clone()/> }.into_any(),
        ActionKind::ReturnSheet => view! { <ReturnSheetForm ctx=ctx item=item.clone()/> }.into_any(),
        ActionKind::HeadSign => view! { <HeadSignForm ctx=ctx item=item.clone()/> }.into_any(),
        ActionKind::TellResident => view! { <TellResidentForm ctx=ctx item=item.clone()/> }.into_any(),
        ActionKind::SendBack => view! { <SendBackForm ctx=ctx/> }.into_any(),
    }
}

/// The frame of every action form: title, fields, the error box, 提交 (`#action-submit`) and 取消.
fn form_shell(
    ctx: Ctx,
    kind: ActionKind,
    inline: &'static [&'static str],
    submit_label: &'static str,
    on_submit: impl Fn() + 'static,
    fields: impl IntoView,
) -> impl IntoView {
    view! {
        <form id="action-form" class="form action-form" data-form=kind.code() novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                on_submit();
            }>
            <h4>{kind.label()}</h4>
            {fields}
            <ErrorBox error=general_error(ctx.error, inline)/>
            <div class="actions">
                <button type="submit" id="action-submit" class="primary" disabled=move || ctx.pending.get()>
                    {move || if ctx.pending.get() { "正在提交…" } else { submit_label }}
                </button>
                <button type="button" class="action-cancel" on:click=move |_| {
                    ctx.error.set(None);
                    ctx.open.set(None);
                }>"取消"</button>
            </div>
        </form>
    }
}

/// A labelled textarea bound to `value`, marked when the error names `field`.
fn text_area(
    ctx: Ctx,
    id: &'static str,
    label: &'static str,
    field: &'static str,
    value: RwSignal<String>,
    placeholder: &'static str,
) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <textarea id=id rows="3" bind:value=value placeholder=placeholder
            class:invalid=move || ctx.error.with(|e| names_field(e, field))></textarea>
        <FieldError error=ctx.error field=field/>
    }
}

/// Two buttons for a yes/no question (`#<id>-yes`, `#<id>-no`); unanswered until tapped.
fn yes_no_choice(
    id: &'static str,
    value: RwSignal<Option<bool>>,
    yes: &'static str,
    no: &'static str,
) -> impl IntoView {
    let choice = move |answer: bool, text: &'static str| {
        let on = move || value.get() == Some(answer);
        view! {
            <button type="button" id=format!("{id}-{}", if answer { "yes" } else { "no" }) class:selected=on
                aria-pressed=move || on().to_string() on:click=move |_| value.set(Some(answer))>{text}</button>
        }
    };
    view! {
        <div class="segmented" role="group" data-choice=id>
            {choice(true, yes)}
            {choice(false, no)}
        </div>
    }
}

/// The departments in the order the server suggests them, with how many items of the type each has handled.
fn load_suggestions(item: &Item) -> LocalResource<Result<Vec<DepartmentSuggestion>, ApiError>> {
    let path = format!("/api/departments/suggest?item_type={}", item.item_type.code());
    LocalResource::new(move || {
        let path = path.clone();
        async move { api::get::<Vec<DepartmentSuggestion>>(&path).await }
    })
}

fn suggestion_label(s: &DepartmentSuggestion) -> String {
    format!("{}（已办{}件）", s.department.name, s.handled)
}

// ---------- the community ----------

#[component]
fn SolveLocallyForm(ctx: Ctx) -> impl IntoView {
    let result = RwSignal::new(String::new());
    let submit = move || {
        let text = result.get_untracked();
        if let Err(m) = check_result(&text) {
            return ctx.refuse(vec![problem("result", m)]);
        }
        let body = SolveLocally { version: ctx.version, result: text.trim().to_string() };
        ctx.submit(ActionKind::SolveLocally, body, "已由社区办结，请在2日内反馈居民");
    };
    form_shell(
        ctx,
        ActionKind::SolveLocally,
        &["result"],
        "确认办结",
        submit,
        view! {
            <p class="hint">"社区自行解决的，填写办理结果后办结。"</p>
            {text_area(ctx, "action-result", "办理结果", "result", result, "怎样解决的，结果如何")}
        },
    )
}

#[component]
fn SendToStreetForm(ctx: Ctx, item: Item) -> impl IntoView {
    let suggestions = load_suggestions(&item);
    let department = RwSignal::new(None::<i64>);
    let submit = move || {
        let body = SendToStreet { version: ctx.version, department_id: department.get_untracked() };
        ctx.submit(ActionKind::SendToStreet, body, "已填写反馈单并报送街道");
    };
    let options = move || {
        let Some(Ok(list)) = suggestions.get() else {
            return ().into_any();
        };
        list.iter()
            .map(|s| {
                let id = s.department.id;
                let selected = move || department.get() == Some(id);
                view! { <option value=id.to_string() selected=selected>{suggestion_label(s)}</option> }
            })
            .collect_view()
            .into_any()
    };
    form_shell(
        ctx,
        ActionKind::SendToStreet,
        &["department_id"],
        "报送街道",
        submit,
        view! {
            <p class="hint">"生成《民情速递处置反馈单》并报送街道，由街道派单给责任部门。"</p>
            <label for="action-department">"建议交办部门（可不选）"</label>
            <select id="action-department" on:change=move |ev| department.set(event_target_value(&ev).parse().ok())
                class:invalid=move || ctx.error.with(|e| names_field(e, "department_id"))>
                <option value="" selected=move || department.get().is_none()>"由街道决定"</option>
                {options}
            </select>
            {move || match suggestions.get() {
                None => Some(view! { <Loading text="正在加载部门…"/> }.into_any()),
                Some(Err(e)) => Some(view! { <ErrorBox error=Signal::stored(Some(e))/> }.into_any()),
                Some(Ok(_)) => None,
            }}
            <FieldError error=ctx.error field="department_id"/>
        },
    )
}

// ---------- the street ----------

#[component]
fn DispatchForm(ctx: Ctx, item: Item) -> impl IntoView {
    let suggestions = load_suggestions(&item);
    // The community's proposal, unless that department already returned the item.
    let returned_by: Vec<i64> = item.journey.rejections.iter().map(|r| r.department.id).collect();
    let proposed = item.proposed_department.as_ref().map(|d| d.id).filter(|id| !returned_by.contains(id));
    let department = RwSignal::new(proposed);
    let co = RwSignal::new(Vec::<i64>::new());
    let submit = move || {
        let Some(department_id) = department.get_untracked() else {
            return ctx.refuse(vec![problem("department_id", "请选择交办责任单位或部门")]);
        };
        let co_department_ids: Vec<i64> = co.get_untracked().into_iter().filter(|c| *c != department_id).collect();
        if co_department_ids.len() > MAX_CO_DEPARTMENTS {
            return ctx.refuse(vec![problem("co_department_ids", format!("协办部门最多{MAX_CO_DEPARTMENTS}个"))]);
        }
        let body = Dispatch { version: ctx.version, department_id, co_department_ids };
        ctx.submit(ActionKind::Dispatch, body, "已派单");
    };
    let returned = returned_by.clone();
    let picker = move || match suggestions.get() {
        None => view! { <Loading text="正在加载部门…"/> }.into_any(),
        Some(Err(e)) => view! {
            <ErrorBox error=Signal::stored(Some(e))/>
            <button type="button" on:click=move |_| suggestions.refetch()>"重新加载"</button>
        }
        .into_any(),
        Some(Ok(list)) => {
            let returned = returned.clone();
            let options = list
                .iter()
                .map(|s| {
                    let id = s.department.id;
                    let mut label = suggestion_label(s);
                    if returned.contains(&id) {
                        label.push_str("·曾退单");
                    }
                    view! { <option value=id.to_string() selected=move || department.get() == Some(id)>{label}</option> }
                })
                .collect_view();
            let checks = list
                .iter()
                .map(|s| {
                    let id = s.department.id;
                    let name = s.department.name.clone();
                    view! {
                        <label class="check co-check" class:hidden=move || department.get() == Some(id)>
                            <input type="checkbox" class="co-department" value=id.to_string()
                                prop:checked=move || co.with(|c| c.contains(&id))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    co.update(|c| {
                                        c.retain(|x| *x != id);
                                        if on {
                                            c.push(id);
                                        }
                                    });
                                }/>
                            {name}
                        </label>
                    }
                })
                .collect_view();
            view! {
                <label for="action-department">"交办责任单位或部门"</label>
                <select id="action-department" on:change=move |ev| department.set(event_target_value(&ev).parse().ok())
                    class:invalid=move || ctx.error.with(|e| names_field(e, "department_id"))>
                    <option value="" selected=move || department.get().is_none()>"请选择部门…"</option>
                    {options}
                </select>
                <p class="hint">"按办理过同类事项的数量排序"</p>
                <FieldError error=ctx.error field="department_id"/>
                <details class="co-departments">
                    <summary>"协办部门（可不选，最多"{MAX_CO_DEPARTMENTS}"个）"</summary>
                    <div class="co-list">{checks}</div>
                </details>
                <FieldError error=ctx.error field="co_department_ids"/>
            }
            .into_any()
        }
    };
    form_shell(ctx, ActionKind::Dispatch, &["department_id", "co_department_ids"], "确认派单", submit, picker)
}

#[component]
fn DecideExtensionForm(ctx: Ctx, item: Item) -> impl IntoView {
    let request = item.journey.dispatch.as_ref().and_then(|d| d.extension.clone());
    let approve = RwSignal::new(None::<bool>);
    let note = RwSignal::new(String::new());
    let submit = move || {
        let Some(approve) = approve.get_untracked() else {
            return ctx.refuse(vec![problem("approve", "请选择同意或不同意")]);
        };
        let body = DecideExtension { version: ctx.version, approve, note: optional(note.get_untracked()) };
        ctx.submit(ActionKind::DecideExtension, body, if approve { "已同意延期5日" } else { "已不同意延期" });
    };
    form_shell(
        ctx,
        ActionKind::DecideExtension,
        &["approve", "note"],
        "提交审批",
        submit,
        view! {
            {request.map(|r| view! {
                <div class="quote" id="extension-request">
                    <p class="small muted">{r.requested_by.name.clone()}" 申请于 "{format::long(r.requested_at)}</p>
                    <p><strong>"延期理由："</strong>{r.reason.clone()}</p>
                </div>
            })}
            <p class="group-label">"是否同意延期5日"</p>
            {yes_no_choice("decide", approve, "同意", "不同意")}
            <FieldError error=ctx.error field="approve"/>
            {text_area(ctx, "action-note", "审批意见（可不填）", "note", note, "")}
        },
    )
}

// ---------- the department ----------

#[component]
fn AcceptForm(ctx: Ctx) -> impl IntoView {
    let submit =
        move || ctx.submit(ActionKind::Accept, VersionOnly { version: ctx.version }, "已接单，请在5日内办结返单");
    form_shell(
        ctx,
        ActionKind::Accept,
        &[],
        "确认接单",
        submit,
        view! {
            <p class="hint">"接单后开始计时：须在5日内办结并返单；特殊情况可申请延期5日。不属于本单位的，请点「退单」。"</p>
        },
    )
}

#[component]
fn RejectForm(ctx: Ctx) -> impl IntoView {
    let reason = RwSignal::new(None::<RejectReason>);
    let note = RwSignal::new(String::new());
    let submit = move || {
        let Some(reason) = reason.get_untracked() else {
            return ctx.refuse(vec![problem("reason", "请选择退单原因")]);
        };
        let note = optional(note.get_untracked());
        if reason == RejectReason::Other && note.is_none() {
            return ctx.refuse(vec![problem("note", "退单原因为「其他」时，请写明原因")]);
        }
        if note.as_ref().is_some_and(|n| n.chars().count() > 500) {
            return ctx.refuse(vec![problem("note", "说明不能超过500个字")]);
        }
        ctx.submit(ActionKind::Reject, Reject { version: ctx.version, reason, note }, "已退单，退回街道重新派单");
    };
    let note_label =
        move || if reason.get() == Some(RejectReason::Other) { "说明（必填）" } else { "说明（可不填）" };
    form_shell(
        ctx,
        ActionKind::Reject,
        &["reason", "note"],
        "确认退单",
        submit,
        view! {
            <label for="reject-reason">"退单原因"</label>
            <select id="reject-reason" on:change=move |ev| reason.set(RejectReason::parse(&event_target_value(&ev)))
                class:invalid=move || ctx.error.with(|e| names_field(e, "reason"))>
                <option value="" selected=move || reason.get().is_none()>"请选择…"</option>
                {RejectReason::ALL
                    .iter()
                    .map(|r| {
                        let r = *r;
                        view! { <option value=r.code() selected=move || reason.get() == Some(r)>{r.label()}</option> }
                    })
                    .collect_view()}
            </select>
            <FieldError error=ctx.error field="reason"/>
            <label for="action-note">{note_label}</label>
            <textarea id="action-note" rows="3" bind:value=note placeholder="例如：应由哪个部门办理"
                class:invalid=move || ctx.error.with(|e| names_field(e, "note"))></textarea>
            <FieldError error=ctx.error field="note"/>
        },
    )
}

#[component]
fn RequestExtensionForm(ctx: Ctx) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let submit = move || {
        let text = reason.get_untracked();
        if let Err(m) = check_reason(&text, "延期理由") {
            return ctx.refuse(vec![problem("reason", m)]);
        }
        let body = RequestExtension { version: ctx.version, reason: text.trim().to_string() };
        ctx.submit(ActionKind::RequestExtension, body, "已提交延期申请，等待街道审批");
    };
    form_shell(
        ctx,
        ActionKind::RequestExtension,
        &["reason"],
        "提交申请",
        submit,
        view! {
            <p class="hint">"特殊情况可延期5日，须在办理期限前申请，由街道审批。"</p>
            {text_area(ctx, "action-reason", "延期理由", "reason", reason, "为什么5日内无法办结")}
        },
    )
}

#[component]
fn HeadSignForm(ctx: Ctx, item: Item) -> impl IntoView {
    let d = item.journey.dispatch.as_ref();
    // What the handler wrote, for the head to read before signing.
    let lines: Vec<(&'static str, String)> = [
        ("办理情况：", item.result.clone()),
        ("是否现场办公：", d.and_then(|d| d.onsite).map(|b| if b { "是" } else { "否" }.to_string())),
        ("解决措施：", d.and_then(|d| d.measures.clone())),
        ("经沟通，仍无法处理原因：", d.and_then(|d| d.unsolved_reason.clone())),
        ("建议对策：", d.and_then(|d| d.countermeasures.clone())),
    ]
    .into_iter()
    .filter_map(|(label, text)| text.filter(|t| !t.trim().is_empty()).map(|t| (label, t)))
    .collect();
    let approve = RwSignal::new(None::<bool>);
    let note = RwSignal::new(String::new());
    let submit = move || {
        let Some(approve) = approve.get_untracked() else {
            return ctx.refuse(vec![problem("approve", "请选择签字或退回")]);
        };
        let body = HeadSign { version: ctx.version, approve, note: optional(note.get_untracked()) };
        ctx.submit(ActionKind::HeadSign, body, if approve { "已签字，反馈单退回街道" } else { "已退回经办人" });
    };
    form_shell(
        ctx,
        ActionKind::HeadSign,
        &["approve", "note"],
        "提交",
        submit,
        view! {
            {(!lines.is_empty()).then(|| view! {
                <div class="quote" id="signoff-summary">
                    {lines.into_iter().map(|(label, text)| view! { <p><strong>{label}</strong>{text}</p> }).collect_view()}
                </div>
            })}
            <p class="group-label">"主要领导意见"</p>
            {yes_no_choice("sign", approve, "签字", "退回")}
            <FieldError error=ctx.error field="approve"/>
            {text_area(ctx, "action-note", "意见（可不填）", "note", note, "")}
        },
    )
}

// ---------- 返单 ----------

#[component]
fn ReturnSheetForm(ctx: Ctx, item: Item) -> impl IntoView {
    let now = format::now();
    // The server says whether 10 days (calendar or working, as configured) have passed since 接单.
    let past_ten_days = item.journey.dispatch.as_ref().is_some_and(|d| d.onsite_required);

    let solved = RwSignal::new(None::<bool>);
    let result = RwSignal::new(String::new());
    // Left as it is, the time is not sent: the server takes the moment of the return (never before the accept).
    let default_solved_at = format::to_input(now);
    let solved_at = RwSignal::new(default_solved_at.clone());
    let late_opened = RwSignal::new(past_ten_days);
    let onsite = RwSignal::new(None::<bool>);
    let measures_clear = RwSignal::new(None::<bool>);
    let measures = RwSignal::new(String::new());
    let unsolved_reason = RwSignal::new(String::new());
    let countermeasures = RwSignal::new(String::new());
    let photos = PhotoSlots::new(Vec::new());
    on_cleanup(move || photos.clear());

    const LATE_FIELDS: &[&str] = &["onsite", "measures_clear", "measures", "unsolved_reason", "countermeasures"];
    // The 10-day part shows when the item is not solved, is past 10 days, was opened, or the server asks for it.
    let late_shown = Memo::new(move |_| {
        solved.get() == Some(false)
            || late_opened.get()
            || ctx.error.with(|e| LATE_FIELDS.iter().any(|f| names_field(e, f)))
    });
    let late_required = move || solved.get_untracked() == Some(false) || past_ten_days;
    let uploading = Memo::new(move |_| photos.uploading());

    let submit = move || {
        if uploading.get_untracked() {
            return ctx.refuse(vec![problem("photo_ids", "照片正在上传，请稍候再提交")]);
        }
        let mut problems = Vec::new();
        let Some(is_solved) = solved.get_untracked() else {
            return ctx.refuse(vec![problem("solved", "请选择是否办结")]);
        };
        let text = result.get_untracked();
        if let Err(m) = check_result(&text) {
            problems.push(problem("result", m));
        }
        let typed_at = solved_at.get_untracked();
        let when = if is_solved && typed_at != default_solved_at {
            match format::from_input(&typed_at) {
                Some(at) if at > format::now() + chrono::Duration::minutes(1) => {
                    problems.push(problem("solved_at", "办结时间不能晚于现在"));
                    None
                }
                Some(at) => Some(at),
                None => {
                    problems.push(problem("solved_at", "请填写办结时间"));
                    None
                }
            }
        } else {
            None
        };
        let late = late_shown.get_untracked();
        if late && late_required() {
            if onsite.get_untracked().is_none() {
                problems.push(problem("onsite", "请选择是否现场办公"));
            }
            if measures_clear.get_untracked().is_none() {
                problems.push(problem("measures_clear", "请选择是否明确解决措施"));
            }
        }
        let measures_text = optional(measures.get_untracked()).filter(|_| late);
        if late && measures_clear.get_untracked() == Some(true) && measures_text.is_none() {
            problems.push(problem("measures", "请填写解决措施"));
        }
        let reason = optional(unsolved_reason.get_untracked()).filter(|_| !is_solved);
        let counter = optional(countermeasures.get_untracked()).filter(|_| !is_solved);
        if !is_solved {
            if reason.is_none() {
                problems.push(problem("unsolved_reason", "请填写经沟通仍无法处理的原因"));
            }
            if counter.is_none() {
                problems.push(problem("countermeasures", "请填写建议对策"));
            }
        }
        let failed = photos.with_untracked(|v| v.iter().any(|p| p.state == SlotState::Failed));
        if failed {
            problems.push(problem("photo_ids", "有照片没有上传成功，请删除后重新选择"));
        }
        if !problems.is_empty() {
            return ctx.refuse(problems);
        }
        let body = ReturnSheet {
            version: ctx.version,
            solved: is_solved,
            result: text.trim().to_string(),
            solved_at: when,
            onsite: onsite.get_untracked().filter(|_| late),
            measures_clear: measures_clear.get_untracked().filter(|_| late),
            measures: measures_text,
            unsolved_reason: reason,
            countermeasures: counter,
            photo_ids: photos.with_untracked(|v| v.iter().map(|p| p.id.clone()).collect()),
        };
        ctx.submit(
            ActionKind::ReturnSheet,
            body,
            if is_solved {
                "已返单，街道社区将反馈居民"
            } else {
                "已返单，等待部门主要领导签字"
            },
        );
    };

    let on_files = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(files) = input.files() else { return };
        photos.add_files(&files, MAX_PHOTOS_PER_ITEM);
        input.set_value("");
    };

    let result_label = move || if solved.get() == Some(false) { "办理情况" } else { "办理结果" };
    let fields = view! {
        <p class="group-label">"是否办结"</p>
        {yes_no_choice("solved", solved, "已办结", "无法办结")}
        <FieldError error=ctx.error field="solved"/>
        <label for="action-result">{result_label}</label>
        <textarea id="action-result" rows="4" bind:value=result placeholder="做了什么，结果如何"
            class:invalid=move || ctx.error.with(|e| names_field(e, "result"))></textarea>
        <FieldError error=ctx.error field="result"/>
        {move || (solved.get() == Some(true)).then(|| view! {
            <label for="solved-at">"办结时间"</label>
            <input id="solved-at" type="datetime-local" bind:value=solved_at max=format::to_input(format::now())
                class:invalid=move || ctx.error.with(|e| names_field(e, "solved_at"))/>
            <FieldError error=ctx.error field="solved_at"/>
        })}
        {move || if late_shown.get() {
            view! {
                <fieldset class="late-part" id="late-part">
                    <legend>"10日内未办结"</legend>
                    <p class="hint">"受理超过10日仍未办结的，须现场办公、查明原因并向主要领导汇报。"</p>
                    <p class="group-label">"是否现场办公"</p>
                    {yes_no_choice("onsite", onsite, "是", "否")}
                    <FieldError error=ctx.error field="onsite"/>
                    <p class="group-label">"是否明确解决措施"</p>
                    {yes_no_choice("measures-clear", measures_clear, "是", "否")}
                    <FieldError error=ctx.error field="measures_clear"/>
                    {move || (measures_clear.get() == Some(true)).then(|| view! {
                        <label for="measures">"解决措施"</label>
                        <input id="measures" type="text" bind:value=measures
                            class:invalid=move || ctx.error.with(|e| names_field(e, "measures"))/>
                        <FieldError error=ctx.error field="measures"/>
                    })}
                    {move || (solved.get() == Some(false)).then(|| view! {
                        {text_area(ctx, "unsolved-reason", "经沟通，仍无法处理原因", "unsolved_reason", unsolved_reason, "")}
                        {text_area(ctx, "countermeasures", "建议对策", "countermeasures", countermeasures, "")}
                        <p class="hint">"提交后由部门主要领导签字，再退回街道。"</p>
                    })}
                </fieldset>
            }
            .into_any()
        } else {
            view! {
                <button type="button" id="open-late-part" class="link-button" on:click=move |_| late_opened.set(true)>
                    "超过10日才办结？填写现场办公情况"
                </button>
            }
            .into_any()
        }}
        <p class="group-label">"办结照片（可不拍，最多"{MAX_PHOTOS_PER_ITEM}"张）"</p>
        <ul class="photo-grid">
            <For each=move || photos.ids() key=|id| id.clone() let:id>
                <PhotoSlotView slots=photos id=id/>
            </For>
            {move || (photos.len() < MAX_PHOTOS_PER_ITEM).then(|| view! {
                <li class="photo-add">
                    <label for="result-photo-camera" class="button">"拍照"</label>
                    <label for="result-photo-input" class="button">"相册"</label>
                </li>
            })}
        </ul>
        <input id="result-photo-input" class="visually-hidden" type="file" accept="image/*" multiple=true
            on:change=on_files/>
        <input id="result-photo-camera" class="visually-hidden" type="file" accept="image/*" capture="environment"
            on:change=on_files/>
        <FieldError error=ctx.error field="photo_ids"/>
    };
    form_shell(
        ctx,
        ActionKind::ReturnSheet,
        &[
            "solved",
            "result",
            "solved_at",
            "onsite",
            "measures_clear",
            "measures",
            "unsolved_reason",
            "countermeasures",
            "photo_ids",
        ],
        "确认返单",
        submit,
        fields,
    )
}

// ---------- the resident ----------

#[component]
fn TellResidentForm(ctx: Ctx, item: Item) -> impl IntoView {
    let how = RwSignal::new(None::<FeedbackMethod>);
    let note = RwSignal::new(String::new());
    let phone = item.resident_phone.clone().filter(|p| !p.contains('*'));
    let submit = move || {
        let Some(how) = how.get_untracked() else {
            return ctx.refuse(vec![problem("how", "请选择反馈方式")]);
        };
        let body = TellResident { version: ctx.version, how, note: optional(note.get_untracked()) };
        ctx.submit(ActionKind::TellResident, body, "已记录反馈居民");
    };
    form_shell(
        ctx,
        ActionKind::TellResident,
        &["how", "note"],
        "确认已反馈",
        submit,
        view! {
            <p class="hint">"把办理结果告知居民并作解释，然后在这里记录。"</p>
            {phone.map(|p| view! {
                <p class="resident-call">"居民电话："<a href=format!("tel:{p}")>{p.clone()}</a></p>
            })}
            <p class="group-label">"反馈方式"</p>
            <div class="chips" role="group" aria-label="反馈方式">
                {FeedbackMethod::ALL
                    .iter()
                    .map(|m| {
                        let m = *m;
                        let on = move || how.get() == Some(m);
                        view! {
                            <button type="button" class="chip" class:selected=on data-how=m.code()
                                aria-pressed=move || on().to_string() on:click=move |_| how.set(Some(m))>{m.label()}</button>
                        }
                    })
                    .collect_view()}
            </div>
            <FieldError error=ctx.error field="how"/>
            {text_area(ctx, "action-note", "居民意见（可不填）", "note", note, "居民怎么说")}
        },
    )
}

/// 退回部门重办 (第六条′): the resident said the problem is not solved; the street sends the item back to the
/// department that handled it, which must accept it again.
#[component]
fn SendBackForm(ctx: Ctx) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let submit = move || {
        let text = note.get_untracked();
        if let Err(m) = check_reason(&text, "退回说明") {
            return ctx.refuse(vec![problem("note", m)]);
        }
        let body = SendBack { version: ctx.version, note: text.trim().to_string() };
        ctx.submit(ActionKind::SendBack, body, "已退回部门重办，等待部门重新接单");
    };
    form_shell(
        ctx,
        ActionKind::SendBack,
        &["note"],
        "确认退回",
        submit,
        view! {
            <p class="hint">"居民反映问题没有解决：退回原办理部门重新办理，部门须重新接单。"</p>
            {text_area(ctx, "action-note", "退回说明", "note", note, "居民反映的情况，请部门重新办理什么")}
        },
    )
}
