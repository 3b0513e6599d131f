//! The street's actions on an item: 派单 (to a department, with co-handling departments), 审批延期, and 退回部门重办
//! when the resident says the problem is not solved.

use leptos::prelude::*;
use shared::item::Item;
use shared::journey::{ActionKind, DecideExtension, Dispatch};
use shared::validate::check_reason;
use shared::voice::SendBack;

use super::actions::{form_shell, load_suggestions, optional, suggestion_label, text_area, yes_no_choice, Ctx};
use crate::components::form_errors::problem;
use crate::components::{names_field, FieldError, Loaded};
use crate::format;

/// The most co-handling departments (协办) of one dispatch.
const MAX_CO_DEPARTMENTS: usize = 5;

#[component]
pub(super) fn DispatchForm(ctx: Ctx, item: Item) -> impl IntoView {
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
    let picker = view! {
        <Loaded resource=suggestions loading="正在加载部门…" let:list
            on_error=move || view! {
                <button type="button" on:click=move |_| suggestions.refetch()>"重新加载"</button>
            }>
            {
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
        </Loaded>
    };
    form_shell(ctx, ActionKind::Dispatch, &["department_id", "co_department_ids"], "确认派单", submit, picker)
}

#[component]
pub(super) fn DecideExtensionForm(ctx: Ctx, item: Item) -> impl IntoView {
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

/// 退回部门重办 (第六条′): the resident said the problem is not solved; the street sends the item back to the
/// department that handled it, which must accept it again.
#[component]
pub(super) fn SendBackForm(ctx: Ctx) -> impl IntoView {
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
