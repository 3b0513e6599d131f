//! 移交纪检监察卷宗 (第八条′): one printable document for the commission — the referral and its steps, the unit's
//! supervision record, then each item's 全过程记录 (facts, chases and replies, every action), each on a new page.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::referral::Dossier;
use shared::supervision::UnitRecord;

use crate::api;
use crate::components::{evidence_record, Loaded, TopBar};
use crate::format;

#[component]
pub fn DossierPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let dossier = LocalResource::new(move || {
        let path = format!("/api/referrals/{}/dossier", api::encode(&id.get()));
        async move { api::get::<Dossier>(&path).await }
    });
    let printed_at = RwSignal::new(format::now());
    let print = move |_| {
        printed_at.set(format::now());
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <div id="dossier-page" class="page wide evidence-page dossier-page">
            <TopBar title="移交纪检监察卷宗" back="/supervision"/>
            <div class="ledger-bar no-print">
                <span class="count">"A4纵向打印，每件事项另起一页"</span>
                <button type="button" id="dossier-print" class="primary" on:click=print>"打印"</button>
            </div>
            <Loaded resource=dossier let:d>
                {dossier_view(d, printed_at)}
            </Loaded>
        </div>
    }
}

fn dossier_view(d: Dossier, printed_at: RwSignal<chrono::DateTime<chrono::Utc>>) -> impl IntoView {
    let r = d.referral;
    let steps = r
        .steps
        .iter()
        .map(|s| {
            view! {
                <tr>
                    <td>{format::long(s.at)}</td>
                    <td>{s.status.label()}</td>
                    <td>{s.by.name.clone()}</td>
                    <td class="long">{s.note.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let count = d.items.len();
    let items = d
        .items
        .into_iter()
        .map(|i| view! { <div class="dossier-item page-break">{evidence_record(i.item, i.events, printed_at)}</div> })
        .collect_view();
    let scope = match &r.item_id {
        Some(_) => "单件事项".to_string(),
        None => format!("单位整体（附近90日超时、催办、退单事项{count}件）"),
    };
    view! {
        <article class="evidence dossier" id="dossier" data-referral-id=r.id.to_string()>
            <h2 class="evidence-title">"移交纪检监察卷宗"</h2>
            <p class="evidence-sub" id="dossier-unit">
                {format!("移交单位：{}　移交范围：{scope}　当前状态：{}", r.unit.full_name, r.status.label())}
            </p>
            <h3 class="evidence-heading">"一、移交理由"</h3>
            <p class="long" id="dossier-reason">{r.reason.clone()}</p>
            <p class="muted">{format!("{} 由{}移交", format::long(r.referred_at), r.referred_by.name)}</p>
            <h3 class="evidence-heading">"二、办理情况"</h3>
            <div class="table-wrap">
                <table class="evidence-table" id="dossier-steps">
                    <thead><tr><th>"时间"</th><th>"状态"</th><th>"记录人"</th><th>"情况"</th></tr></thead>
                    <tbody>{steps}</tbody>
                </table>
            </div>
            <h3 class="evidence-heading">"三、单位督办记录（近90日）"</h3>
            {record_table(&d.record)}
            <h3 class="evidence-heading">{format!("四、事项全过程记录（共{count}件）")}</h3>
            {(count == 0).then(|| view! { <p class="muted">"该单位近90日没有超时、催办或退单事项。"</p> })}
            <div id="dossier-items">{items}</div>
        </article>
    }
}

fn record_table(r: &UnitRecord) -> impl IntoView {
    let cell = |label: &'static str, n: i64| view! { <tr><th>{label}</th><td class="c-num">{n}</td></tr> };
    view! {
        <div class="table-wrap">
            <table class="evidence-facts" id="dossier-record">
                <tbody>
                    {cell("当前超时事项", r.overdue_now)}
                    {cell("被催办次数", r.chases_90_days)}
                    {cell("催办未按时回复", r.chases_unanswered)}
                    {cell("多次被催办的事项", r.items_chased_repeatedly)}
                    {cell("退单次数", r.rejections_90_days)}
                    {cell("更正次数", r.corrections_90_days)}
                </tbody>
            </table>
        </div>
    }
}
