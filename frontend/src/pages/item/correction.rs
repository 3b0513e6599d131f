//! 更正: once the community has acted, an item's content, type, level are frozen; the community secretary or the
//! street corrects them here, with a reason that the history and the evidence page keep. Shown only when the server
//! offers it (`journey.can_correct`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::item::{CorrectItem, Item};
use shared::validate::{check_content, check_reason};
use shared::{ApiError, ErrorCode, ItemType, Level};

use crate::api;
use crate::components::form_errors::{general_error, problem, refusal, show_first_error};
use crate::components::{names_field, ErrorBox, FieldError};

const INLINE: &[&str] = &["reason", "content", "item_type", "level"];

/// The 更正 button and its form.
#[component]
pub fn CorrectionPanel(
    item: Item,
    /// Called with the corrected item and a short note.
    on_done: Callback<(Item, String)>,
    /// Called when the item changed meanwhile: the page reloads it.
    on_conflict: Callback<ApiError>,
) -> impl IntoView {
    if !item.journey.can_correct {
        return ().into_any();
    }
    let open = RwSignal::new(false);
    let (id, version) = (StoredValue::new(item.id.clone()), item.version);
    let original = StoredValue::new((item.content.clone(), item.item_type, item.level));
    let reason = RwSignal::new(String::new());
    let content = RwSignal::new(item.content.clone());
    let item_type = RwSignal::new(item.item_type);
    let level = RwSignal::new(item.level);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let submit = move || {
        if pending.get_untracked() {
            return;
        }
        let (was_content, was_type, was_level) = original.get_value();
        let text = content.get_untracked().trim().to_string();
        let mut problems = Vec::new();
        if let Err(m) = check_reason(&reason.get_untracked(), "更正理由") {
            problems.push(problem("reason", m));
        }
        if let Err(m) = check_content(&text) {
            problems.push(problem("content", m));
        }
        let body = CorrectItem {
            version,
            reason: reason.get_untracked().trim().to_string(),
            content: (text != was_content).then_some(text),
            item_type: Some(item_type.get_untracked()).filter(|t| *t != was_type),
            level: Some(level.get_untracked()).filter(|l| *l != was_level),
            place_id: None,
        };
        if problems.is_empty() && body.content.is_none() && body.item_type.is_none() && body.level.is_none() {
            problems.push(problem("content", "没有需要更正的内容：请修改收集内容、类型或级别"));
        }
        if let Some(e) = refusal(problems) {
            error.set(Some(e));
            show_first_error("correction-form");
            return;
        }
        pending.set(true);
        error.set(None);
        let path = format!("/api/items/{}/correct", api::encode(&id.get_value()));
        spawn_local(async move {
            let result = api::post::<_, Item>(&path, &body).await;
            let _ = pending.try_set(false);
            match result {
                Ok(item) => {
                    let _ = open.try_set(false);
                    let _ = on_done.try_run((item, "已更正，理由已记入办理过程。".into()));
                }
                Err(e) if matches!(e.code, ErrorCode::StaleVersion | ErrorCode::WrongStage) => {
                    let _ = on_conflict.try_run(e);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                    show_first_error("correction-form");
                }
            }
        });
    };
    let form = move || {
        let type_options = ItemType::ALL
            .iter()
            .map(|t| view! { <option value=t.code() selected=move || item_type.get() == *t>{t.label()}</option> })
            .collect_view();
        let level_options = Level::ALL
            .iter()
            .map(|l| view! { <option value=l.code() selected=move || level.get() == *l>{l.label()}</option> })
            .collect_view();
        view! {
            <form id="correction-form" class="form action-form" novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    submit();
                }>
                <h4>"更正"</h4>
                <p class="hint">"社区已处理这条民情，收集内容、类型和级别已锁定。更正将连同理由记入办理过程，并计入督查记录。"</p>
                <label for="correct-reason">"更正理由"</label>
                <textarea id="correct-reason" rows="2" bind:value=reason placeholder="为什么需要更正"
                    class:invalid=move || error.with(|e| names_field(e, "reason"))></textarea>
                <FieldError error=error field="reason"/>
                <label for="correct-content">"收集内容"</label>
                <textarea id="correct-content" rows="4" bind:value=content
                    class:invalid=move || error.with(|e| names_field(e, "content"))></textarea>
                <FieldError error=error field="content"/>
                <label for="correct-type">"类型"</label>
                <select id="correct-type" on:change=move |ev| {
                    if let Some(t) = ItemType::parse(&event_target_value(&ev)) {
                        item_type.set(t);
                    }
                }>{type_options}</select>
                <label for="correct-level">"级别"</label>
                <select id="correct-level" on:change=move |ev| {
                    if let Some(l) = Level::parse(&event_target_value(&ev)) {
                        level.set(l);
                    }
                }>{level_options}</select>
                <ErrorBox error=general_error(error, INLINE)/>
                <div class="actions">
                    <button type="submit" id="correct-submit" class="primary" disabled=move || pending.get()>
                        {move || if pending.get() { "正在提交…" } else { "提交更正" }}
                    </button>
                    <button type="button" on:click=move |_| {
                        error.set(None);
                        open.set(false);
                    }>"取消"</button>
                </div>
            </form>
        }
    };
    view! {
        <section id="correction-panel" class="card action-panel no-print">
            <button type="button" id="correct-open" class="action-button" class:selected=move || open.get()
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>"更正"</button>
            {move || open.get().then(form)}
        </section>
    }
    .into_any()
}
