//! 民情速递处置反馈单 (附件2) of one item, laid out as the regulation prints it, for A4 portrait: the part filled by
//! the street and community (collection, channel and type ticked, content, sending) and the part filled by the
//! department (accept, return, solved within 10 days, the 10-day record, the head's signature, the seal).

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::item::Item;
use shared::journey::DispatchInfo;
use shared::{Channel, ItemType};

use crate::api;
use crate::components::screen::print_page;
use crate::components::{Loaded, TopBar};
use crate::format;

const TICKED: &str = "☑";
const UNTICKED: &str = "☐";

fn tick(on: bool) -> &'static str {
    if on {
        TICKED
    } else {
        UNTICKED
    }
}

fn when(at: Option<DateTime<Utc>>) -> String {
    at.map(format::long).unwrap_or_default()
}

/// "是☑ 否☐", both empty when not known.
fn yes_no_ticks(answer: Option<bool>) -> impl IntoView {
    view! {
        <span class="ticks" data-answer=answer.map(|a| a.to_string()).unwrap_or_default()>
            <span class="tick-option">"是"{tick(answer == Some(true))}</span>
            <span class="tick-option">"否"{tick(answer == Some(false))}</span>
        </span>
    }
}

#[component]
pub fn SheetPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let item = LocalResource::new(move || {
        let id = id.get();
        async move { api::get::<Item>(&format!("/api/items/{}", api::encode(&id))).await }
    });
    let back = move || format!("/items/{}", id.get());
    let retry = move || {
        view! {
            <button type="button" class="no-print" on:click=move |_| item.refetch()>"重新加载"</button>
        }
    };
    view! {
        <div id="sheet-page" class="page wide sheet-page">
            {move || view! { <TopBar title="民情速递处置反馈单" back=back()/> }}
            <div class="ledger-bar no-print">
                <span class="count">"A4纵向打印，盖章后存档"</span>
                <button type="button" id="sheet-print" class="primary" on:click=move |_| print_page()>"打印"</button>
            </div>
            <Loaded resource=item on_error=retry let:item>{sheet_view(item)}</Loaded>
        </div>
    }
}

fn sheet_view(item: Item) -> impl IntoView {
    let j = &item.journey;
    let d = j.dispatch.clone();
    let department = d.as_ref().map(|d| d.department.name.clone()).or_else(|| item.department.clone().map(|u| u.name));
    let co = d.as_ref().filter(|d| !d.co_departments.is_empty()).map(|d| {
        format!("（协办：{}）", d.co_departments.iter().map(|u| u.name.clone()).collect::<Vec<_>>().join("、"))
    });
    // 发单 is the street's dispatch to the department (第七条1: 由街道通过工作群传递至相关涉事部门), which starts the
    // department's clock; blank until the street dispatches.
    let sent_at = d.as_ref().map(|d| d.dispatched_at);
    let sent_by = d.as_ref().map(|d| d.dispatched_by.name.clone()).unwrap_or_default();
    let within_10 = d.as_ref().and_then(|d| d.solved_within_10_days);
    // The 10-day part applies to a sheet not solved within 10 days.
    let late = within_10 == Some(false);
    // 办结时间 is the server's time of the 返单 (it decides 按时), with the department's noted finish beside it.
    let finished = |d: &DispatchInfo| d.returned_at.map(|r| format::finish(r, d.solved_at)).unwrap_or_default();
    let solved_at_10 = d.as_ref().filter(|_| within_10 == Some(true)).map(finished).unwrap_or_default();
    let after_talks = d.as_ref().filter(|_| late).and_then(|d| d.solved);
    let solved_at_late = d.as_ref().filter(|_| late && after_talks == Some(true)).map(finished).unwrap_or_default();
    let measures_clear = d.as_ref().and_then(|d| d.measures_clear);
    let measures = d.as_ref().and_then(|d| d.measures.clone());
    let signed = d.as_ref().and_then(|d| {
        d.signed_by.as_ref().map(|p| (p.name.clone(), d.signed_at.map(format::day_of).unwrap_or_default()))
    });

    // Channel and type options, side by side: four channels, five types.
    let option_rows = (0..ItemType::ALL.len())
        .map(|i| {
            let channel = Channel::ALL.get(i).copied();
            let item_type = ItemType::ALL[i];
            let span = ItemType::ALL.len().to_string();
            let lead = (i == 0).then(|| view! { <th rowspan=span.clone()>"收集方式"<br/>"（选项内打√）"</th> });
            let type_lead = (i == 0).then(|| view! { <th rowspan=span>"类型"<br/>"（选项内打√）"</th> });
            let channel_cells = match channel {
                Some(c) => view! {
                    <td class="option">{c.label()}</td>
                    <td class="tick" data-channel=c.code() data-checked=(item.channel == c).to_string()>
                        {tick(item.channel == c)}
                    </td>
                }
                .into_any(),
                None => view! { <td class="option"></td><td class="tick"></td> }.into_any(),
            };
            view! {
                <tr>
                    {lead}
                    {channel_cells}
                    {type_lead}
                    <td class="option">{item_type.label()}</td>
                    <td class="tick" data-type=item_type.code() data-checked=(item.item_type == item_type).to_string()>
                        {tick(item.item_type == item_type)}
                    </td>
                </tr>
            }
        })
        .collect_view();

    view! {
        <article class="sheet" id="sheet">
            <h2 class="sheet-title">"民情速递处置反馈单"</h2>
            <p class="sheet-no">"（编号：" <span id="sheet-no">{item.sheet_no.clone().unwrap_or_default()}</span> "）"</p>
            <div class="table-wrap">
                <table class="sheet-table">
                    <colgroup>
                        <col class="c-label"/><col class="c-value"/><col class="c-label"/>
                        <col class="c-value"/><col class="c-label"/><col class="c-value"/><col class="c-side"/>
                    </colgroup>
                    <tbody class="sheet-street">
                        <tr>
                            <th>"收集时间"</th>
                            <td id="sheet-collected-at">{format::collected(&item)}</td>
                            <th>"收集人"</th>
                            <td id="sheet-collector">{item.collector.name.clone()}</td>
                            <th>"收集社区"</th>
                            <td id="sheet-community">{item.community.name.clone()}</td>
                            <th class="side" rowspan="8">"此项内容由街道社区填写"</th>
                        </tr>
                        {option_rows}
                        <tr>
                            <th>"收集内容"</th>
                            <td colspan="5" class="content" id="sheet-content">{item.content.clone()}</td>
                        </tr>
                        <tr>
                            <th>"发单时间"</th>
                            <td id="sheet-sent-at">{when(sent_at)}</td>
                            <th>"发单人"</th>
                            <td id="sheet-sent-by">{sent_by}</td>
                            <th>"交办责任单位或部门"</th>
                            <td id="sheet-department">{department.unwrap_or_default()}{co}</td>
                        </tr>
                    </tbody>
                    <tbody class="sheet-department">
                        <tr>
                            <th>"接单时间"</th>
                            <td id="sheet-accepted-at">{when(d.as_ref().and_then(|d| d.accepted_at))}</td>
                            <th>"接单人"</th>
                            <td id="sheet-accepted-by">{d.as_ref().and_then(|d| d.accepted_by.clone()).map(|p| p.name).unwrap_or_default()}</td>
                            <th>"返单时间"</th>
                            <td id="sheet-returned-at">{when(d.as_ref().and_then(|d| d.returned_at))}</td>
                            <th class="side" rowspan="7">"此项内容由部门单位填写"</th>
                        </tr>
                        <tr>
                            <th rowspan="5">"处置办结情况"</th>
                            <th>"10日内"<br/>"是否办结"</th>
                            <td id="sheet-within-10">{yes_no_ticks(within_10)}</td>
                            <th>"办结时间"</th>
                            <td colspan="2" id="sheet-solved-at">{solved_at_10}</td>
                        </tr>
                        <tr>
                            <th rowspan="4">"10日内"<br/>"无法办结"</th>
                            <th>"是否现场办公"</th>
                            <td id="sheet-onsite">{yes_no_ticks(d.as_ref().and_then(|d| d.onsite))}</td>
                            <th>"是否明确"<br/>"解决措施"</th>
                            <td id="sheet-measures">
                                {yes_no_ticks(measures_clear)}
                                {measures.map(|m| view! { <span class="measures">{m}</span> })}
                            </td>
                        </tr>
                        <tr>
                            <th>"经沟通，是否办结"</th>
                            <td id="sheet-after-talks">{yes_no_ticks(after_talks)}</td>
                            <th>"办结时间"</th>
                            <td id="sheet-solved-at-late">{solved_at_late}</td>
                        </tr>
                        <tr>
                            <th>"经沟通，仍无法处理原因"</th>
                            <td colspan="3" id="sheet-unsolved-reason">
                                {d.as_ref().and_then(|d| d.unsolved_reason.clone()).unwrap_or_default()}
                            </td>
                        </tr>
                        <tr>
                            <th>"建议对策"</th>
                            <td colspan="3" id="sheet-countermeasures">
                                {d.as_ref().and_then(|d| d.countermeasures.clone()).unwrap_or_default()}
                            </td>
                        </tr>
                        <tr class="sign-row">
                            <th>"主要领导签字"<br/>"(责任单位或部门)"</th>
                            <td colspan="2" id="sheet-signed">
                                {signed.map(|(name, day)| view! {
                                    <span class="signer">{name}</span>
                                    <span class="sign-day">{day}</span>
                                })}
                            </td>
                            <th>"责任单位或部门盖章"</th>
                            <td colspan="2" class="seal" id="sheet-seal"></td>
                        </tr>
                    </tbody>
                </table>
            </div>
        </article>
    }
}
