//! 协办: a department named as co-handling on the dispatch records what it did while the lead department has the
//! sheet. Shown only when the server offers it (`journey.can_co_handle`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::item::Item;
use shared::journey::CoHandling;
use shared::validate::check_reason;
use shared::{ApiError, ErrorCode};

use crate::api;
use crate::components::form_errors::{general_error, problem, refusal, show_first_error};
use crate::components::{names_field, ErrorBox, FieldError};

/// The form that records a co-handling department's part.
#[component]
pub fn CoHandlingPanel(
    item: Item,
    /// Called with the item and a short note once recorded.
    on_done: Callback<(Item, String)>,
    /// Called when the item moved on meanwhile: the page reloads it.
    on_conflict: Callback<ApiError>,
) -> impl IntoView {
    if !item.journey.can_co_handle {
        return ().into_any();
    }
    let id = StoredValue::new(item.id.clone());
    let note = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let submit = move || {
        if pending.get_untracked() {
            return;
        }
        let text = note.get_untracked().trim().to_string();
        if let Err(m) = check_reason(&text, "协办情况") {
            error.set(refusal(vec![problem("note", m)]));
            show_first_error("co-handling-form");
            return;
        }
        pending.set(true);
        error.set(None);
        let path = format!("/api/items/{}/co-handling", api::encode(&id.get_value()));
        spawn_local(async move {
            let result = api::post::<_, Item>(&path, &CoHandling { note: text }).await;
            let _ = pending.try_set(false);
            match result {
                Ok(item) => {
                    let _ = note.try_set(String::new());
                    let _ = on_done.try_run((item, "协办情况已记入办理过程。".into()));
                }
                Err(e) if e.code == ErrorCode::WrongStage => {
                    let _ = on_conflict.try_run(e);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                    show_first_error("co-handling-form");
                }
            }
        });
    };
    view! {
        <section id="co-handling-panel" class="card action-panel no-print">
            <form id="co-handling-form" class="form action-form" novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    submit();
                }>
                <h4>"协办情况"</h4>
                <p class="hint">"本部门为协办部门：记录配合责任部门所做的工作，记入办理过程。"</p>
                <label for="co-handling-note">"协办情况"</label>
                <textarea id="co-handling-note" rows="3" bind:value=note placeholder="做了什么，结果如何"
                    class:invalid=move || error.with(|e| names_field(e, "note"))></textarea>
                <FieldError error=error field="note"/>
                <ErrorBox error=general_error(error, &["note"])/>
                <div class="actions">
                    <button type="submit" id="co-handling-submit" class="primary" disabled=move || pending.get()>
                        {move || if pending.get() { "正在提交…" } else { "提交协办情况" }}
                    </button>
                </div>
            </form>
        </section>
    }
    .into_any()
}
