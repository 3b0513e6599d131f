//! The items behind a count, as a list of links to their pages: each shows the item's id at once, then its place and
//! summary once the ledger has answered (the id alone still leads to the item if it cannot).

use std::collections::HashMap;

use leptos::prelude::*;

use crate::api;
use crate::pages::stats::items_of;

/// A link to each of `ids`, in the given order.
#[component]
pub fn ItemLinks(ids: Vec<String>) -> impl IntoView {
    let wanted = ids.clone();
    let rows = LocalResource::new(move || items_of(wanted.clone()));
    // id → "place · summary", once loaded.
    let details = Memo::new(move |_| {
        rows.get().and_then(Result::ok).map(|rows| {
            rows.into_iter().map(|r| (r.id, format!("{} · {}", r.place, r.summary))).collect::<HashMap<_, _>>()
        })
    });
    let links = ids
        .into_iter()
        .map(|id| {
            let href = format!("/items/{}", api::encode(&id));
            let (key, shown) = (id.clone(), id.clone());
            let detail = move || {
                details.with(|d| d.as_ref().and_then(|d| d.get(&key).cloned())).map(|text| {
                    view! { <span class="item-link-summary">{text}</span> }
                })
            };
            view! {
                <li data-item-id=id>
                    <a class="item-link" href=href>
                        <code class="item-link-id">{shown}</code>
                        {detail}
                    </a>
                </li>
            }
        })
        .collect_view();
    let failed = move || {
        matches!(rows.get(), Some(Err(_)))
            .then(|| view! { <p class="hint no-print">"事项摘要暂时无法加载，可点击编号查看事项。"</p> })
    };
    view! {
        <ul class="item-links">{links}</ul>
        {failed}
    }
}
