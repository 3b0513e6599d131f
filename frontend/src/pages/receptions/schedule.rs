//! A month's reception schedule: what needs attention first (stations with no reception, a host at two stations on
//! one day, community secretaries without a fixed weekday, street leaders with no reception), every reception by
//! day, and the standing plans.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use leptos::prelude::*;
use shared::channels::{Clash, ReceptionPlan, ReceptionSchedule, ScheduledReception};
use shared::item::PersonRef;
use shared::ApiError;

use super::plan_when;
use crate::api;
use crate::components::gatherings::StationChoice;
use crate::components::ErrorBox;
use crate::format::{self, day_input, day_with_weekday};

/// What the schedule's rows act with.
#[derive(Clone, Copy)]
pub(super) struct ScheduleCtx {
    pub(super) me_id: i64,
    /// The stations the account records at: it may cancel their plans and record their receptions.
    pub(super) recording: Memo<Vec<StationChoice>>,
    /// The plan being cancelled.
    pub(super) removing: RwSignal<Option<i64>>,
    pub(super) remove: Callback<ReceptionPlan>,
    /// Fills the reception form from a planned reception.
    pub(super) fill: Callback<ScheduledReception>,
}

impl ScheduleCtx {
    fn records_at(&self, station_id: i64) -> bool {
        self.recording.with(|l| l.iter().any(|s| s.id == station_id))
    }
}

/// The warnings, the days and the plans of a month.
pub(super) fn schedule_view(
    s: ReceptionSchedule,
    ctx: ScheduleCtx,
    plan_error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let all_set = s.gaps.is_empty()
        && s.clashes.is_empty()
        && s.secretaries_without_weekday.is_empty()
        && s.leaders_without_reception.is_empty();
    let warnings = if all_set {
        (!s.days.is_empty())
            .then(|| view! { <p class="success" id="reception-all-set">"本月各服务站都有接待安排，没有时间冲突。"</p> })
            .into_any()
    } else {
        warnings_view(&s).into_any()
    };
    view! {
        {warnings}
        {days_view(s.days, ctx)}
        {plans_view(s.plans, ctx, plan_error)}
    }
}

/// What needs attention: gaps, clashes, secretaries without a weekday, street leaders without a reception.
fn warnings_view(s: &ReceptionSchedule) -> impl IntoView {
    let names = |people: &[PersonRef]| people.iter().map(|p| p.name.clone()).collect::<Vec<_>>().join("、");
    let gaps = (!s.gaps.is_empty()).then(|| {
        let list =
            s.gaps.iter().map(|u| view! { <li data-station-id=u.id.to_string()>{u.name.clone()}</li> }).collect_view();
        view! {
            <div class="warn-block" id="reception-gaps">
                <h4>{format!("本月无接待的服务站（{}个）", s.gaps.len())}</h4>
                <ul class="warn-list">{list}</ul>
            </div>
        }
    });
    let clashes = (!s.clashes.is_empty()).then(|| {
        let list = s.clashes.iter().cloned().map(clash_line).collect_view();
        view! {
            <div class="warn-block" id="reception-clashes">
                <h4>"接待时间冲突（同一人同一天在多个服务站）"</h4>
                <ul class="warn-list">{list}</ul>
            </div>
        }
    });
    let secretaries = (!s.secretaries_without_weekday.is_empty()).then(|| {
        view! {
            <div class="warn-block" id="reception-secretaries">
                <h4>"未固定接待日的社区书记"</h4>
                <p>{names(&s.secretaries_without_weekday)}</p>
            </div>
        }
    });
    let leaders = (!s.leaders_without_reception.is_empty()).then(|| {
        view! {
            <div class="warn-block" id="reception-leaders">
                <h4>"本月未安排接待的街道领导"</h4>
                <p>{names(&s.leaders_without_reception)}</p>
            </div>
        }
    });
    view! {
        <section class="card routine-warn" id="reception-warnings" role="status">
            <h3>"需要关注"</h3>
            {gaps}
            {clashes}
            {secretaries}
            {leaders}
        </section>
    }
}

fn clash_line(c: Clash) -> impl IntoView {
    let stations = c.stations.iter().map(|u| u.name.clone()).collect::<Vec<_>>().join("、");
    view! {
        <li data-date=day_input(c.date) data-host-id=c.host.id.to_string()>
            <span class="clash-day">{day_with_weekday(c.date)}</span>
            <span class="clash-host">{c.host.name.clone()}</span>
            <span class="clash-stations">{stations}</span>
        </li>
    }
}

/// The month's receptions by day.
fn days_view(days: Vec<ScheduledReception>, ctx: ScheduleCtx) -> impl IntoView {
    let total = days.len();
    let held = days.iter().filter(|d| d.reception_id.is_some()).count();
    let mut by_day: BTreeMap<NaiveDate, Vec<ScheduledReception>> = BTreeMap::new();
    for d in days {
        by_day.entry(d.date).or_default().push(d);
    }
    let today = format::city_today();
    let body = if by_day.is_empty() {
        view! { <p class="muted" id="reception-days-empty">"本月还没有接待安排。"</p> }.into_any()
    } else {
        let groups = by_day
            .into_iter()
            .map(|(date, entries)| {
                let entries = entries.into_iter().map(|e| day_entry(e, today, ctx)).collect_view();
                view! {
                    <li class="day-group" data-date=day_input(date) class:today=date == today class:past=date < today>
                        <div class="day-head">
                            {day_with_weekday(date)}
                            {(date == today).then(|| view! { <span class="badge today-badge">"今天"</span> })}
                        </div>
                        <ul class="day-entries">{entries}</ul>
                    </li>
                }
            })
            .collect_view();
        view! { <ol id="reception-days" class="reception-days">{groups}</ol> }.into_any()
    };
    view! {
        <section class="card reception-schedule">
            <h3>{format!("本月接待（{total}次，已接待{held}次）")}</h3>
            {body}
        </section>
    }
}

/// One reception of a day: host, station, 已接待 (opening the record) or 待接待 (with 登记 where it can be).
fn day_entry(e: ScheduledReception, today: NaiveDate, ctx: ScheduleCtx) -> impl IntoView {
    let status = match &e.reception_id {
        Some(id) => {
            let href = format!("/receptions/{}", api::encode(id));
            view! { <a class="badge held" href=href>"已接待"</a> }.into_any()
        }
        None => view! { <span class="badge waiting" class:overdue=e.date < today>"待接待"</span> }.into_any(),
    };
    let fillable = e.reception_id.is_none() && e.date <= today;
    let station_id = e.station.id;
    let mine = e.host.id == ctx.me_id;
    let entry = e.clone();
    let fill = move || {
        (fillable && ctx.records_at(station_id)).then(|| {
            let entry = entry.clone();
            view! {
                <button type="button" class="link-button reception-fill" on:click=move |_| ctx.fill.run(entry.clone())>
                    "登记"
                </button>
            }
        })
    };
    view! {
        <li class="reception-entry" data-plan-id=e.plan_id.map(|p| p.to_string()).unwrap_or_default()
            data-reception-id=e.reception_id.clone().unwrap_or_default() data-station-id=station_id.to_string()
            data-host-id=e.host.id.to_string()>
            <span class="entry-host" class:mine=mine>{e.host.name.clone()}</span>
            <span class="entry-station">{e.station.name.clone()}</span>
            <span class="entry-status">{status}{fill}</span>
        </li>
    }
}

/// The standing plans, each with 取消 where the account records.
fn plans_view(plans: Vec<ReceptionPlan>, ctx: ScheduleCtx, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let count = plans.len();
    let body = if plans.is_empty() {
        view! { <p class="muted" id="reception-plans-empty">"还没有接待安排。"</p> }.into_any()
    } else {
        let rows = plans
            .into_iter()
            .map(|p| {
                let id = p.id;
                let station_id = p.station.id;
                let role =
                    (!p.host_role.is_empty()).then(|| view! { <span class="plan-role">{p.host_role.clone()}</span> });
                let plan = p.clone();
                let cancel = move || {
                    ctx.records_at(station_id).then(|| {
                        let plan = plan.clone();
                        view! {
                            <button type="button" class="danger plan-cancel" data-plan-id=id.to_string()
                                disabled=move || ctx.removing.get().is_some()
                                on:click=move |_| ctx.remove.run(plan.clone())>
                                {move || if ctx.removing.get() == Some(id) { "正在取消…" } else { "取消" }}
                            </button>
                        }
                    })
                };
                view! {
                    <li class="plan" data-plan-id=id.to_string() data-station-id=station_id.to_string()
                        data-weekday=p.weekday.map(|w| w.to_string()).unwrap_or_default()
                        data-on-date=p.on_date.map(day_input).unwrap_or_default()>
                        <span class="plan-text">
                            <span class="plan-when">{plan_when(&p)}</span>
                            <span class="plan-station">{p.station.name.clone()}</span>
                            <span class="plan-host">{p.host.name.clone()}{role}</span>
                        </span>
                        {cancel}
                    </li>
                }
            })
            .collect_view();
        view! { <ul id="reception-plans" class="plan-list">{rows}</ul> }.into_any()
    };
    view! {
        <section class="card reception-plans-card">
            <h3>{format!("接待安排（{count}项）")}</h3>
            <p class="hint">"社区书记每周固定一天在服务站接待群众；街道书记/主任每月到包保的服务站接待至少一次。"</p>
            {body}
            <ErrorBox error=error/>
        </section>
    }
}
