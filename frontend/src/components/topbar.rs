//! The bar at the top of every signed-in page: an optional back link and the page title.

use leptos::prelude::*;

#[component]
pub fn TopBar(
    /// The page title.
    #[prop(into)]
    title: String,
    /// Where 返回 leads; no back link when absent.
    #[prop(optional, into)]
    back: Option<String>,
) -> impl IntoView {
    view! {
        <header class="topbar">
            {back.map(|href| view! { <a class="back" href=href aria-label="返回">"‹ 返回"</a> })}
            <h1>{title}</h1>
        </header>
    }
}
