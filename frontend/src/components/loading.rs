//! The line shown while something loads.

use leptos::prelude::*;

#[component]
pub fn Loading(#[prop(optional, into)] text: Option<String>) -> impl IntoView {
    view! {
        <div class="loading" role="status">
            <span class="spinner" aria-hidden="true"></span>
            {text.unwrap_or_else(|| "加载中…".to_string())}
        </div>
    }
}
