//! The items behind a count: their ledger rows, and a list of links to their pages that shows each item's id at once,
//! then its place and summary once the ledger has answered (the id alone still leads to the item if it cannot).

use std::collections::HashMap;

use leptos::prelude::*;
use shared::item::{LedgerPage, LedgerRow};
use shared::ApiError;

use crate::api;

/// Item ids per ledger request: the server takes at most 500, and a shorter address travels better.
const IDS_PER_REQUEST: usize = 200;

/// The ledger rows of the given items (each once), newest first: in batches of ids, following every cursor.
pub async fn items_of(ids: Vec<String>) -> Result<Vec<LedgerRow>, ApiError> {
    let mut unique: Vec<String> = Vec::with_capacity(ids.len());
    for id in ids {
        if !unique.contains(&id) {
            unique.push(id);
        }
    }
    let mut rows: Vec<LedgerRow> = Vec::with_capacity(unique.len());
    for batch in unique.chunks(IDS_PER_REQUEST) {
        let list = batch.iter().map(|id| api::encode(id)).collect::<Vec<_>>().join(",");
        let base = format!("/api/ledger?limit=200&ids={list}");
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(c) => format!("{base}&cursor={}", api::encode(c)),
                None => base.clone(),
            };
            let page = api::get::<LedgerPage>(&path).await?;
            rows.extend(page.rows);
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
    }
    rows.sort_by(|a, b| b.collected_at.cmp(&a.collected_at).then_with(|| b.seq.cmp(&a.seq)));
    Ok(rows)
}

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
