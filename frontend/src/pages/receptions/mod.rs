//! 接待日 (第六条4): a month's reception schedule in the account's scope — what needs attention first (stations with
//! no reception, a host at two stations on one day, community secretaries without a fixed weekday, street leaders
//! with no reception), every reception by day (已接待 opens its record), the standing plans (取消 takes one off),
//! the form that puts the account's own reception on the schedule, and the form that records a reception held.

mod plan_form;
mod reception_form;
mod schedule;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::access;
use shared::channels::{ReceptionPlan, ReceptionSchedule, ScheduledReception};
use shared::dto::Me;
use shared::ApiError;

use crate::api;
use crate::components::gatherings::stations_within_each;
use crate::components::month_bar::{add_months, month_from_query, this_month};
use crate::components::screen::scroll_to;
use crate::components::{ErrorBox, Loaded, MonthBar, TopBar};
use crate::format::{day_input, long_day, weekday_name};
use crate::places::scopes_of;
use crate::state;
use plan_form::PlanForm;
use reception_form::{ReceptionDraft, ReceptionForm};
use schedule::{schedule_view, ScheduleCtx};

/// How many months ahead the schedule can be looked at.
const MONTHS_AHEAD: i32 = 12;

/// "每周三" or "2026年11月5日（周四）".
fn plan_when(p: &ReceptionPlan) -> String {
    match (p.weekday, p.on_date) {
        (Some(w), _) => format!("每{}", weekday_name(w)),
        (None, Some(d)) => long_day(d),
        (None, None) => String::new(),
    }
}

#[component]
pub fn ReceptionsPage() -> impl IntoView {
    let me: Option<Me> = state::current().map(|s| s.me);
    let me_id = me.as_ref().map_or(0, |m| m.id);
    let host_scopes = me.as_ref().map(|m| scopes_of(m, access::host_role)).unwrap_or_default();
    let is_host = !host_scopes.is_empty();
    // The stations of the roles that record receptions (the capturing roles, and administrators).
    let record_scopes = me.as_ref().map(|m| scopes_of(m, access::records_routines_role)).unwrap_or_default();

    let latest = add_months(this_month(), MONTHS_AHEAD);
    let (y, m) = month_from_query(latest);
    let (year, month) = (RwSignal::new(y), RwSignal::new(m));
    let version = RwSignal::new(0u32);
    let schedule = LocalResource::new(move || {
        version.track();
        let path = format!("/api/receptions/schedule?year={}&month={}", year.get(), month.get());
        async move { api::get::<ReceptionSchedule>(&path).await }
    });
    // [stations the account records at, stations it hosts receptions at].
    let stations = LocalResource::new(move || stations_within_each(vec![record_scopes.clone(), host_scopes.clone()]));
    let recording = Memo::new(move |_| match stations.get() {
        Some(Ok(lists)) => lists.first().cloned().unwrap_or_default(),
        _ => Vec::new(),
    });
    let hosting = Memo::new(move |_| match stations.get() {
        Some(Ok(lists)) => lists.get(1).cloned().unwrap_or_default(),
        _ => Vec::new(),
    });
    let stations_error = move || match stations.get() {
        Some(Err(e)) => Some(view! {
            <section class="card">
                <ErrorBox error=Signal::stored(Some(e))/>
                <button type="button" on:click=move |_| stations.refetch()>"重新加载"</button>
            </section>
        }),
        _ => None,
    };

    let plans = Signal::derive(move || match schedule.get() {
        Some(Ok(s)) => s.plans,
        _ => Vec::new(),
    });

    let draft = ReceptionDraft::new();
    let plan_error = RwSignal::new(None::<ApiError>);
    let removing = RwSignal::new(None::<i64>);
    let remove_plan = move |p: ReceptionPlan| {
        let question = format!("确定取消“{} {} {}”的接待安排吗？", plan_when(&p), p.station.name, p.host.name);
        let ok = web_sys::window().and_then(|w| w.confirm_with_message(&question).ok()).unwrap_or(false);
        if !ok || removing.get_untracked().is_some() {
            return;
        }
        removing.set(Some(p.id));
        plan_error.set(None);
        spawn_local(async move {
            match api::delete(&format!("/api/reception-plans/{}", p.id)).await {
                Ok(()) => version.update(|v| *v += 1),
                Err(e) => {
                    let _ = plan_error.try_set(Some(e));
                }
            }
            let _ = removing.try_set(None);
        });
    };
    let fill = move |d: ScheduledReception| {
        draft.station.set(Some(d.station.id));
        draft.host.set(if is_host && d.host.id == me_id { None } else { Some(d.host.clone()) });
        draft.held_on.set(day_input(d.date));
        scroll_to("reception-form");
    };
    let ctx = ScheduleCtx { me_id, recording, removing, remove: Callback::new(remove_plan), fill: Callback::new(fill) };

    let body = move || {
        view! {
            <Loaded resource=schedule let:s
                on_error=move || view! {
                    <button type="button" on:click=move |_| version.update(|v| *v += 1)>"重新加载"</button>
                }>
                {schedule_view(s, ctx, plan_error)}
            </Loaded>
        }
    };
    let record_button = move || {
        (!recording.get().is_empty()).then(|| {
            view! {
                <button type="button" id="reception-record-jump" class="primary" on:click=move |_| scroll_to("reception-form")>
                    "＋ 登记接待"
                </button>
            }
        })
    };
    let plan_form = move || {
        let list = hosting.get();
        (is_host && !list.is_empty()).then(|| {
            view! {
                <PlanForm stations=list me_id=me_id existing=plans
                    on_added=Callback::new(move |_| version.update(|v| *v += 1))/>
            }
        })
    };
    let reception_form = move || {
        let list = recording.get();
        (!list.is_empty()).then(|| view! { <ReceptionForm draft=draft stations=list is_host=is_host me_id=me_id/> })
    };

    view! {
        <div id="receptions-page" class="page wide receptions-page">
            <TopBar title="接待日" back="/"/>
            <section class="card filters stats-controls">
                <MonthBar prefix="receptions" path="/receptions" year=year month=month latest=latest>
                    {record_button}
                </MonthBar>
            </section>
            {body}
            {stations_error}
            <div class="reception-forms">
                {plan_form}
                {reception_form}
            </div>
        </div>
    }
}
