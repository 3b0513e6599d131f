//! One reception's record for A4 portrait (服务站, 接待人, 日期, 接待群众人数, 接待记录, 记录人), the items raised at
//! it, and the buttons that register one there.

use chrono::Datelike;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::access;
use shared::channels::Reception;

use crate::api;
use crate::components::fields::place_name;
use crate::components::gatherings::{raise_buttons, raised_items};
use crate::components::screen::print_page;
use crate::components::{Loaded, TopBar};
use crate::format::long_day;
use crate::state;

#[component]
pub fn ReceptionPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let reception = LocalResource::new(move || {
        let id = id.get();
        async move { api::get::<Reception>(&format!("/api/receptions/{}", api::encode(&id))).await }
    });
    let can_raise = state::current().is_some_and(|s| access::captures(&s.me.roles));
    let solves = state::current().is_some_and(|s| access::solves_locally(&s.me.roles));
    // Back to the month of the reception.
    let back = move || match reception.get() {
        Some(Ok(r)) => format!("/receptions?year={}&month={}", r.held_on.year(), r.held_on.month()),
        _ => "/receptions".to_string(),
    };
    let body = move || {
        view! {
            <Loaded resource=reception let:r
                on_error=move || view! {
                    <button type="button" class="no-print" on:click=move |_| reception.refetch()>"重新加载"</button>
                }>
                {
                    let origin = format!("reception={}&station={}", api::encode(&r.id), r.station.id);
                    let items = r.items.clone();
                    view! {
                        {sheet_view(r)}
                        {can_raise.then(|| raise_buttons("reception", origin, solves))}
                        {raised_items("reception-items", items)}
                    }
                }
            </Loaded>
        }
    };
    view! {
        <div id="reception-page" class="page wide sheet-page record-page">
            {move || view! { <TopBar title="接待记录" back=back()/> }}
            <div class="ledger-bar no-print">
                <span class="count">"A4纵向打印，存档备查"</span>
                <button type="button" id="reception-print" on:click=move |_| print_page()>"打印"</button>
            </div>
            {body}
        </div>
    }
}

/// The record sheet.
fn sheet_view(r: Reception) -> impl IntoView {
    let station = place_name(&r.station.full_name, &r.station.name);
    view! {
        <article class="sheet record-sheet" id="reception-sheet" data-reception-id=r.id.clone()>
            <h2 class="sheet-title">"接待日接待记录"</h2>
            <p class="record-sub">{r.station.name.clone()}</p>
            <div class="table-wrap">
                <table class="sheet-table record-table">
                    <colgroup>
                        <col class="c-label"/><col class="c-value"/><col class="c-label"/><col class="c-value"/>
                    </colgroup>
                    <tbody>
                        <tr>
                            <th>"服务站"</th>
                            <td colspan="3" class="left" id="reception-station-name" data-station-id=r.station.id.to_string()>
                                {station}
                            </td>
                        </tr>
                        <tr>
                            <th>"接待人"</th>
                            <td class="left" id="reception-host-name" data-host-id=r.host.id.to_string()>
                                {r.host.name.clone()}
                            </td>
                            <th>"日期"</th>
                            <td class="left" id="reception-held-on">{long_day(r.held_on)}</td>
                        </tr>
                        <tr>
                            <th>"接待群众人数"</th>
                            <td class="left" id="reception-residents-count">{r.residents}"人"</td>
                            <th>"记录人"</th>
                            <td class="left" id="reception-recorder">{r.recorded_by.name.clone()}</td>
                        </tr>
                        <tr>
                            <th>"接待记录"</th>
                            <td colspan="3" class="long" id="reception-notes-text">{r.notes.clone()}</td>
                        </tr>
                    </tbody>
                </table>
            </div>
        </article>
    }
}
