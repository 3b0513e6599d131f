//! 民情事项办理全过程记录: one item's whole history, kept by the supervision office as evidence — the item's key facts,
//! then every recorded action oldest first (when, who, what, each change; chases included) and when it was printed.
//! Prints on A4 portrait with the table's header on every page. Anyone who can see the item can open it.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::item::{Item, ItemEvent};
use shared::ApiError;

use crate::api;
use crate::components::{evidence_record, Loaded, TopBar};
use crate::format;

/// The item and its history, oldest first.
async fn load(id: String) -> Result<(Item, Vec<ItemEvent>), ApiError> {
    let path = format!("/api/items/{}", api::encode(&id));
    let events_path = format!("{path}/events");
    let (item, events) = futures::future::join(api::get::<Item>(&path), api::get::<Vec<ItemEvent>>(&events_path)).await;
    let mut events = events?;
    events.sort_by(|a, b| a.at.cmp(&b.at).then(a.id.cmp(&b.id)));
    Ok((item?, events))
}

#[component]
pub fn EvidencePage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let record = LocalResource::new(move || load(id.get()));
    // The footer's time: when the page was drawn, renewed as the browser starts printing.
    let printed_at = RwSignal::new(format::now());
    let listener = window_event_listener_untyped("beforeprint", move |_| {
        let _ = printed_at.try_set(format::now());
    });
    on_cleanup(move || listener.remove());
    let print = move |_| {
        printed_at.set(format::now());
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    let body = move || {
        view! {
            <Loaded resource=record let:data
                on_error=move || view! {
                    <button type="button" class="no-print" on:click=move |_| record.refetch()>"重新加载"</button>
                }>
                {let (item, events) = data; evidence_record(item, events, printed_at)}
            </Loaded>
        }
    };
    view! {
        <div id="evidence-page" class="page wide evidence-page" data-item-id=move || id.get()>
            {move || view! { <TopBar title="民情事项办理全过程记录" back=format!("/items/{}", id.get())/> }}
            <div class="ledger-bar no-print">
                <span class="count">"A4纵向打印，作为督查证据存档"</span>
                <button type="button" id="evidence-print" class="primary" on:click=print>"打印"</button>
            </div>
            {body}
        </div>
    }
}
