//! The actions an item's viewer may take now, as the server lists them (`journey.actions`): one button each, opening
//! an inline form (社区办结, 报送街道, 派单, 接单, 退单, 申请延期, 审批延期, 返单, 领导签字, 反馈居民, 退回部门重办). The client never
//! works out who may do what; it only shows what it is offered and posts it with the version it read. The frame every
//! form shares and the community's and resident's forms are here; the street's, the department's and 返单 are beside.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;
use shared::item::{FeedbackMethod, Item, SendToStreet, SolveLocally, TellResident};
use shared::journey::{ActionKind, DepartmentSuggestion};
use shared::validate::check_result;
use shared::{ApiError, ErrorCode, Problem};

use super::department_actions::{AcceptForm, HeadSignForm, RejectForm, RequestExtensionForm};
use super::return_sheet::ReturnSheetForm;
use super::street_actions::{DecideExtensionForm, DispatchForm, SendBackForm};
use crate::api;
use crate::components::form_errors::{general_error, problem, refusal, show_first_error};
use crate::components::{names_field, ErrorBox, FieldError, Loading};

/// What every action form needs: the item, where it reports, and its own state.
#[derive(Clone, Copy)]
pub(super) struct Ctx {
    pub(super) item_id: StoredValue<String>,
    pub(super) version: i64,
    pub(super) open: RwSignal<Option<ActionKind>>,
    pub(super) pending: RwSignal<bool>,
    pub(super) error: RwSignal<Option<ApiError>>,
    pub(super) on_done: Callback<(Item, String)>,
    pub(super) on_conflict: Callback<ApiError>,
}

impl Ctx {
    /// Posts an action; the updated item goes to `on_done`, a stale version or a changed stage to `on_conflict`
    /// (the page shows it and reloads), any other error stays on the form.
    pub(super) fn submit<B: Serialize + 'static>(self, kind: ActionKind, body: B, done: &'static str) {
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
    pub(super) fn refuse(self, problems: Vec<Problem>) {
        if let Some(e) = refusal(problems) {
            self.error.set(Some(e));
            show_first_error("action-form");
        }
    }
}

/// Text, trimmed; `None` when empty.
pub(super) fn optional(text: String) -> Option<String> {
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
pub(super) fn form_shell(
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
pub(super) fn text_area(
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
pub(super) fn yes_no_choice(
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
pub(super) fn load_suggestions(item: &Item) -> LocalResource<Result<Vec<DepartmentSuggestion>, ApiError>> {
    let path = format!("/api/departments/suggest?item_type={}", item.item_type.code());
    LocalResource::new(move || {
        let path = path.clone();
        async move { api::get::<Vec<DepartmentSuggestion>>(&path).await }
    })
}

pub(super) fn suggestion_label(s: &DepartmentSuggestion) -> String {
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
