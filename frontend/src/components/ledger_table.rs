//! The ledger's table (附件1's columns): its header, and a row that is a table row on a desk and a card on a phone,
//! opening the item (the ledger, and the items behind a figure of the statistics).

use leptos::prelude::*;
use shared::item::LedgerRow;

use crate::components::fields::{level_view, yes_no, EMPTY};
use crate::format;

/// A time to the minute, or the dash (and whether it is empty).
fn cell_time(at: Option<chrono::DateTime<chrono::Utc>>) -> (String, bool) {
    match at {
        Some(t) => (format::short(t), false),
        None => (EMPTY.to_string(), true),
    }
}

/// The header of 附件1's columns, as `ledger_row` fills them.
pub fn ledger_head() -> impl IntoView {
    view! {
        <thead>
            <tr>
                <th>"序号"</th><th>"收集时间"</th><th>"收集人"</th><th>"收集方式"</th><th>"类型"</th>
                <th>"级别"</th><th>"是否办结"</th><th>"办结时间"</th><th>"办结情况"</th>
                <th>"是否向居民反馈结果"</th><th>"反馈时间"</th><th>"反馈人"</th><th>"社区"</th>
                <th>"内容摘要"</th>
            </tr>
        </thead>
    }
}

/// One ledger row: a table row on a desk, a card on a phone (also the items behind a figure of the statistics).
pub fn ledger_row(r: LedgerRow, open: impl Fn(String) + Clone + 'static) -> impl IntoView {
    let href = format!("/items/{}", r.id);
    let id = r.id.clone();
    let l = &r.ledger;
    let channel = match r.source {
        Some(s) => format!("{}（{}）", r.channel.label(), s.label()),
        None => r.channel.label().to_string(),
    };
    let (closed_at, closed_at_empty) = cell_time(l.closed_at);
    let (told_at, told_at_empty) = cell_time(l.told_at);
    let outcome = l.outcome.map(|o| o.label()).unwrap_or(EMPTY);
    let told_by = l.told_by.clone().unwrap_or_else(|| EMPTY.into());
    let told_by_empty = l.told_by.is_none();
    view! {
        <tr data-item-id=r.id.clone() class="ledger-row" on:click=move |ev| {
            // The 序号 link navigates by itself.
            let from_link = ev
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                .and_then(|e| e.closest("a").ok().flatten())
                .is_some();
            if !from_link {
                open(id.clone());
            }
        }>
            <td class="c-seq" data-label="序号"><a href=href>{r.seq}</a></td>
            <td class="c-time" data-label="收集时间">{format::short(r.collected_at)}</td>
            <td class="c-collector" data-label="收集人">{r.collector.clone()}</td>
            <td class="c-channel" data-label="收集方式">{channel}</td>
            <td class="c-type" data-label="类型">{r.item_type.label()}</td>
            <td class="c-level" data-label="级别">{level_view(r.level)}</td>
            <td class="c-closed" data-label="是否办结">{yes_no(l.closed)}</td>
            <td class="c-closed-at" class:empty=closed_at_empty data-label="办结时间">{closed_at}</td>
            <td class="c-outcome" class:empty=l.outcome.is_none() data-label="办结情况">{outcome}</td>
            <td class="c-told" data-label="是否反馈">{yes_no(l.resident_told)}</td>
            <td class="c-told-at" class:empty=told_at_empty data-label="反馈时间">{told_at}</td>
            <td class="c-told-by" class:empty=told_by_empty data-label="反馈人">{told_by}</td>
            <td class="c-community" data-label="社区">{r.community.clone()}</td>
            <td class="c-summary" data-label="内容摘要">{r.summary.clone()}</td>
        </tr>
    }
}
