//! The card 居民评价链接 on an item's page: staff issue the resident's link (a new one replaces earlier ones) and
//! show it as a QR code to scan, a link to copy, and a message to send by WeChat or SMS.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::voice::ResidentLink;
use shared::ApiError;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::api;
use crate::components::ErrorBox;
use crate::format;

#[component]
pub fn ResidentLinkCard(#[prop(into)] item_id: Signal<String>) -> impl IntoView {
    let link = RwSignal::new(None::<ResidentLink>);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let copied = RwSignal::new(None::<&'static str>);
    // Another item opened on the same page: its link is not this one's.
    Effect::new(move |_| {
        item_id.track();
        link.set(None);
        error.set(None);
        copied.set(None);
    });

    let issue = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        copied.set(None);
        let id = item_id.get_untracked();
        spawn_local(async move {
            let path = format!("/api/items/{}/resident-link", api::encode(&id));
            let result = api::post::<_, ResidentLink>(&path, &serde_json::json!({})).await;
            let _ = pending.try_set(false);
            if item_id.try_get_untracked().as_deref() != Some(id.as_str()) {
                return;
            }
            match result {
                Ok(l) => {
                    let _ = link.try_set(Some(l));
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };

    let shown = move || {
        link.get().map(|l| {
            let url = l.url.clone();
            let share = l.share_text.clone();
            view! {
                <div id="resident-qr" class="resident-qr" role="img" aria-label="居民评价二维码" inner_html=l.qr_svg></div>
                <p class="hint center">"请居民用微信扫一扫"</p>
                <label class="group-label" for="resident-link-url">"链接"</label>
                <div class="copy-row">
                    <input id="resident-link-url" type="text" readonly value=l.url.clone()
                        on:focus=move |ev| select_text(&event_target::<web_sys::HtmlInputElement>(&ev))/>
                    <button type="button" id="copy-resident-link"
                        on:click=move |_| copy(url.clone(), "resident-link-url", "链接已复制", copied)>"复制"</button>
                </div>
                <label class="group-label" for="resident-share-text">"发给居民的话"</label>
                <textarea id="resident-share-text" rows="4" readonly prop:value=share.clone()></textarea>
                <button type="button" id="copy-share-text" class="copy-share"
                    on:click=move |_| copy(share.clone(), "resident-share-text", "这段话已复制", copied)>"复制这段话"</button>
                <p class="muted small">"生成于 "{format::long(l.issued_at)}"。链接只显示这一次；重新生成后，之前的链接失效。"</p>
            }
        })
    };

    view! {
        <section class="card resident-link-card" id="resident-link-card">
            <h3>"居民评价链接"</h3>
            <p class="hint">"把链接或二维码发给居民：不用登录就能查看办理进度和结果，并对办理情况评价。"</p>
            {shown}
            {move || copied.get().map(|m| view! { <p id="copy-note" class="success" role="status">{m}</p> })}
            <ErrorBox error=error/>
            <button type="button" id="issue-resident-link" class="big" class:primary=move || link.with(Option::is_none)
                disabled=move || pending.get() on:click=issue>
                {move || if pending.get() {
                    "正在生成…"
                } else if link.with(Option::is_some) {
                    "重新生成"
                } else {
                    "生成评价链接和二维码"
                }}
            </button>
        </section>
    }
}

/// Selects the whole text of an input or textarea (`select()` exists on both).
fn select_text(el: &web_sys::Element) {
    if let Ok(f) = js_sys::Reflect::get(el, &"select".into()) {
        if let Some(f) = f.dyn_ref::<js_sys::Function>() {
            let _ = f.call0(el);
        }
    }
}

/// Copies `text` with the clipboard API where the browser offers it (https or localhost); otherwise, or when it
/// refuses, selects the text in its field for the person to copy by hand. `done` is said once copied.
fn copy(text: String, field_id: &'static str, done: &'static str, note: RwSignal<Option<&'static str>>) {
    let Some(window) = web_sys::window() else { return };
    let navigator = window.navigator();
    let by_hand = move || {
        if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(field_id)) {
            if let Some(h) = el.dyn_ref::<web_sys::HtmlElement>() {
                let _ = h.focus();
            }
            select_text(&el);
        }
        let _ = note.try_set(Some("已选中，请长按选中的文字，再点「复制」"));
    };
    let has_clipboard =
        js_sys::Reflect::get(&navigator, &"clipboard".into()).is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if !has_clipboard {
        by_hand();
        return;
    }
    let promise = navigator.clipboard().write_text(&text);
    spawn_local(async move {
        match JsFuture::from(promise).await {
            Ok(_) => {
                let _ = note.try_set(Some(done));
            }
            Err(_) => by_hand(),
        }
    });
}
