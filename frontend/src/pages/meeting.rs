//! One meeting's record, laid out as a minute sheet for A4 portrait (会议类型, 时间, 地点, 参会人员 by category with
//! counts and names, 合计, 会议记录, 记录人), the items raised at it, and the buttons that register one there.

use chrono::Datelike;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::access;
use shared::channels::{AttendeeCategory, Meeting};

use crate::api;
use crate::components::fields::place_name;
use crate::components::gatherings::{raise_buttons, raised_items};
use crate::components::screen::print_page;
use crate::components::{Loaded, TopBar};
use crate::format::long_day;
use crate::state;

#[component]
pub fn MeetingPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let meeting = LocalResource::new(move || {
        let id = id.get();
        async move { api::get::<Meeting>(&format!("/api/meetings/{}", api::encode(&id))).await }
    });
    let can_raise = state::current().is_some_and(|s| access::captures(&s.me.roles));
    let solves = state::current().is_some_and(|s| access::solves_locally(&s.me.roles));
    // Back to the month of the meeting.
    let back = move || match meeting.get() {
        Some(Ok(m)) => format!("/meetings?year={}&month={}", m.held_on.year(), m.held_on.month()),
        _ => "/meetings".to_string(),
    };
    let body = move || {
        view! {
            <Loaded resource=meeting let:m
                on_error=move || view! {
                    <button type="button" class="no-print" on:click=move |_| meeting.refetch()>"重新加载"</button>
                }>
                {
                    let origin = format!("meeting={}&station={}", api::encode(&m.id), m.station.id);
                    let items = m.items.clone();
                    view! {
                        {sheet_view(m)}
                        {can_raise.then(|| raise_buttons("meeting", origin, solves))}
                        {raised_items("meeting-items", items)}
                    }
                }
            </Loaded>
        }
    };
    view! {
        <div id="meeting-page" class="page wide sheet-page record-page">
            {move || view! { <TopBar title="民生会议记录" back=back()/> }}
            <div class="ledger-bar no-print">
                <span class="count">"A4纵向打印，存档备查"</span>
                <button type="button" id="meeting-print" on:click=move |_| print_page()>"打印"</button>
            </div>
            {body}
        </div>
    }
}

/// The minute sheet.
fn sheet_view(m: Meeting) -> impl IntoView {
    // Every category in the regulation's order, so the sheet reads like the paper form.
    let lines: Vec<(AttendeeCategory, u32, String)> = AttendeeCategory::ALL
        .iter()
        .map(|c| {
            let a = m.attendees.iter().find(|a| a.category == *c);
            (*c, a.map_or(0, |a| a.count), a.map(|a| a.names.clone()).unwrap_or_default())
        })
        .collect();
    let span = (lines.len() + 2).to_string();
    let rows = lines
        .into_iter()
        .map(|(c, count, names)| {
            view! {
                <tr class="attendee-line" data-category=c.code() data-count=count.to_string()>
                    <td>{c.label()}</td>
                    <td class="c-count" class:zero=count == 0>{count}</td>
                    <td class="left">{names}</td>
                </tr>
            }
        })
        .collect_view();
    let station = place_name(&m.station.full_name, &m.station.name);
    view! {
        <article class="sheet record-sheet" id="meeting-sheet" data-meeting-id=m.id.clone() data-kind=m.kind.code()>
            <h2 class="sheet-title">{format!("{}记录", m.kind.label())}</h2>
            <p class="record-sub">{m.station.name.clone()}</p>
            <div class="table-wrap">
                <table class="sheet-table record-table">
                    <colgroup>
                        <col class="c-label"/><col class="c-cat"/><col class="c-num"/><col class="c-names"/>
                    </colgroup>
                    <tbody>
                        <tr>
                            <th>"会议类型"</th>
                            <td colspan="3" class="left" id="meeting-kind">{m.kind.label()}</td>
                        </tr>
                        <tr>
                            <th>"时间"</th>
                            <td colspan="3" class="left" id="meeting-held-on">{long_day(m.held_on)}</td>
                        </tr>
                        <tr>
                            <th>"地点"</th>
                            <td colspan="3" class="left" id="meeting-station-name" data-station-id=m.station.id.to_string()>
                                {station}
                            </td>
                        </tr>
                        <tr>
                            <th rowspan=span>"参会人员"</th>
                            <th>"类别"</th>
                            <th>"人数"</th>
                            <th>"姓名或单位"</th>
                        </tr>
                        {rows}
                        <tr class="total-line">
                            <td>"合计"</td>
                            <td class="c-count" id="meeting-total">{m.attendee_total}</td>
                            <td class="left">"人"</td>
                        </tr>
                        <tr>
                            <th>"会议记录"</th>
                            <td colspan="3" class="long" id="meeting-minutes-text">{m.minutes.clone()}</td>
                        </tr>
                        <tr>
                            <th>"记录人"</th>
                            <td colspan="3" class="left" id="meeting-recorder">{m.recorded_by.name.clone()}</td>
                        </tr>
                    </tbody>
                </table>
            </div>
        </article>
    }
}
