//! The department's actions on an item: 接单, 退单 (with its reason), 申请延期, and the head's 签字 of a sheet
//! returned unsolved.

use leptos::prelude::*;
use shared::item::Item;
use shared::journey::{ActionKind, HeadSign, Reject, RejectReason, RequestExtension, VersionOnly};
use shared::validate::check_reason;

use super::actions::{form_shell, optional, text_area, yes_no_choice, Ctx};
use crate::components::form_errors::problem;
use crate::components::{names_field, FieldError};

#[component]
pub(super) fn AcceptForm(ctx: Ctx) -> impl IntoView {
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
pub(super) fn RejectForm(ctx: Ctx) -> impl IntoView {
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
pub(super) fn RequestExtensionForm(ctx: Ctx) -> impl IntoView {
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
pub(super) fn HeadSignForm(ctx: Ctx, item: Item) -> impl IntoView {
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
