//! A banner while the browser is offline, driven by the window's `online` and `offline` events.

use leptos::ev;
use leptos::prelude::*;

#[component]
pub fn OfflineBanner() -> impl IntoView {
    let online = RwSignal::new(web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(true));
    // The banner lives as long as the app, so the listeners are never removed.
    let _ = window_event_listener(ev::online, move |_| online.set(true));
    let _ = window_event_listener(ev::offline, move |_| online.set(false));
    move || {
        (!online.get()).then(|| view! { <div class="offline-banner" role="alert">"网络已断开，保存的内容留在手机上，联网后自动上传"</div> })
    }
}
