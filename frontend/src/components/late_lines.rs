//! 结账后补记: what was recorded about a closed month after its end (an item noted in it that arrived later, a 更正, a
//! changed rating), each dated and opening its item; the month's figures above it do not change.

use leptos::prelude::*;
use shared::stats::LateLine;

use crate::format;

/// The late lines under a closed month's figures; nothing when there are none.
pub fn late_lines(id: &'static str, lines: Vec<LateLine>) -> impl IntoView {
    (!lines.is_empty()).then(|| {
        let rows = lines
            .into_iter()
            .map(|l| {
                let item = (!l.item_id.is_empty()).then(|| {
                    view! { <a class="late-item" href=format!("/items/{}", l.item_id)>{l.item_id.clone()}</a> }
                });
                view! {
                    <li class="late-line">
                        <span class="late-at">{format::long(l.at)}</span>" "{item}" "
                        <span class="late-what">{l.what}</span>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="late-lines" id=id>
                <h3>"结账后补记"</h3>
                <p class="hint">"本月已结账，以下为结账后记录的情况，单独列出，不改动上面的数字。"</p>
                <ul>{rows}</ul>
            </section>
        }
    })
}
