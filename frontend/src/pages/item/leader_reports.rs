//! 加急直报 (第七条4) on a major item: the street leaders' own reports to the city's secretary and mayor — by phone,
//! WeChat, SMS or in person, to whom and when — and the form a leader of the item's street logs one with
//! (`journey.can_log_leader_report`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::direct_line::{LeaderReport, NewLeaderReport, ReportChannel};
use shared::item::Item;
use shared::{ApiError, ErrorCode, Level};

use crate::api;
use crate::components::form_errors::{refusal, show_first_error};
use crate::components::{names_field, ErrorBox, FieldError};
use crate::format;

const CHANNELS: [ReportChannel; 4] =
    [ReportChannel::Phone, ReportChannel::Wechat, ReportChannel::Sms, ReportChannel::InPerson];

/// The reports logged, and the form for a leader of the item's street.
#[component]
pub fn LeaderReportsPanel(
    item: Item,
    /// Called with the item and a short note once logged.
    on_done: Callback<(Item, String)>,
    /// Called when the item moved on meanwhile: the page reloads it.
    on_conflict: Callback<ApiError>,
) -> impl IntoView {
    let reports = item.journey.leader_reports.clone();
    let may_log = item.journey.can_log_leader_report;
    if item.level != Level::Major || (reports.is_empty() && !may_log) {
        return ().into_any();
    }
    let list = reports.into_iter().map(report_view).collect_view();
    view! {
        <section id="leader-reports" class="card action-panel">
            <h4>"街道领导直报"</h4>
            <p class="hint">"重大性事项，街道党工委书记、办事处主任可通过电话、微信、短信、当面报告等方式，第一时间直接向市委书记、市长汇报（第七条4），并在此登记。"</p>
            <ul class="leader-report-list">{list}</ul>
            {may_log.then(|| view! { <LogForm item_id=item.id.clone() on_done=on_done on_conflict=on_conflict/> })}
        </section>
    }
    .into_any()
}

fn report_view(r: LeaderReport) -> impl IntoView {
    view! {
        <li class="leader-report">
            <p>
                <strong>{format!("{} {}", format::long(r.reported_at), r.how.label())}</strong>
                {format!("：{} 向{}报告", r.by.name, r.to_whom)}
            </p>
            {r.note.map(|n| view! { <p>{n}</p> })}
        </li>
    }
}

#[component]
fn LogForm(item_id: String, on_done: Callback<(Item, String)>, on_conflict: Callback<ApiError>) -> impl IntoView {
    let how = RwSignal::new(None::<ReportChannel>);
    let to_whom = RwSignal::new(String::new());
    let at = RwSignal::new(format::to_input(format::now()));
    let note = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let item_id = StoredValue::new(item_id);
    let submit = move || {
        if pending.get_untracked() {
            return;
        }
        let Some(channel) = how.get_untracked() else {
            error.set(Some(ApiError::field("how", "请选择报告方式")));
            show_first_error("leader-report-form");
            return;
        };
        let Some(when) = format::from_input(&at.get_untracked()) else {
            error.set(Some(ApiError::field("reported_at", "请填写报告时间")));
            show_first_error("leader-report-form");
            return;
        };
        let text = note.get_untracked().trim().to_string();
        let body = NewLeaderReport {
            how: channel,
            to_whom: to_whom.get_untracked().trim().to_string(),
            reported_at: when,
            note: (!text.is_empty()).then_some(text),
        };
        let problems = body.problems();
        if !problems.is_empty() {
            error.set(refusal(problems));
            show_first_error("leader-report-form");
            return;
        }
        pending.set(true);
        error.set(None);
        let path = format!("/api/items/{}/leader-reports", api::encode(&item_id.get_value()));
        spawn_local(async move {
            let result = api::post::<_, Item>(&path, &body).await;
            let _ = pending.try_set(false);
            match result {
                Ok(item) => {
                    let _ = on_done.try_run((item, "直报已登记，记入办理过程。".into()));
                }
                Err(e) if e.code == ErrorCode::WrongStage => {
                    let _ = on_conflict.try_run(e);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                    show_first_error("leader-report-form");
                }
            }
        });
    };
    let choices = CHANNELS
        .into_iter()
        .map(|c| {
            view! {
                <button type="button" class="choice" data-how=c.code() class:selected=move || how.get() == Some(c)
                    on:click=move |_| how.set(Some(c))>{c.label()}</button>
            }
        })
        .collect_view();
    view! {
        <form id="leader-report-form" class="form action-form" novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }>
            <p class="group-label">"报告方式"</p>
            <div class="choice-row">{choices}</div>
            <FieldError error=error field="how"/>
            <label for="leader-report-to">"报告对象"</label>
            <input id="leader-report-to" type="text" list="leader-report-whom" bind:value=to_whom placeholder="如：市委书记"
                class:invalid=move || error.with(|e| names_field(e, "to_whom"))/>
            <datalist id="leader-report-whom"><option value="市委书记"></option><option value="市长"></option></datalist>
            <FieldError error=error field="to_whom"/>
            <label for="leader-report-at">"报告时间"</label>
            <input id="leader-report-at" type="datetime-local" bind:value=at max=format::to_input(format::now())/>
            <FieldError error=error field="reported_at"/>
            <label for="leader-report-note">"报告内容（可不填）"</label>
            <textarea id="leader-report-note" rows="2" bind:value=note></textarea>
            <FieldError error=error field="note"/>
            <ErrorBox error=Signal::derive(move || error.get().filter(|e| e.field.is_none()))/>
            <div class="actions">
                <button type="submit" id="leader-report-submit" class="primary" disabled=move || pending.get()>
                    {move || if pending.get() { "正在登记…" } else { "登记直报" }}
                </button>
            </div>
        </form>
    }
}
