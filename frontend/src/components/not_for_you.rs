//! The page an account sees when its roles do not reach a page: the page's title, why, and the way home.

use leptos::prelude::*;

use crate::components::TopBar;

/// Shown to an account whose roles do not reach a page.
pub fn not_for_you(title: &'static str, text: &'static str) -> impl IntoView {
    view! {
        <div class="page narrow">
            <TopBar title=title back="/"/>
            <div class="card center">
                <p>{text}</p>
                <a class="button" href="/">"返回首页"</a>
            </div>
        </div>
    }
}
