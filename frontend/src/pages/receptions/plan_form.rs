//! 安排我的接待日: puts the account's own reception on the schedule, weekly on a weekday or once on a day.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::channels::{NewReceptionPlan, ReceptionPlan};
use shared::{ApiError, Role};

use super::plan_when;
use crate::api;
use crate::components::form_errors::{clear_field, general_error};
use crate::components::gatherings::{station_select, StationChoice};
use crate::components::{names_field, ErrorBox, FieldError};
use crate::format::{self, day_input, parse_day, weekday_name};
use crate::state;

/// The fields whose errors show under them.
const PLAN_FIELDS: &[&str] = &["station_id", "host_id", "weekday", "on_date"];

/// Weekly on a weekday, or once on a day.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PlanMode {
    Weekly,
    Once,
}

/// Puts the account's own reception on the schedule.
#[component]
pub(super) fn PlanForm(
    stations: Vec<StationChoice>,
    me_id: i64,
    /// The plans on the schedule, so the same one is not added twice.
    existing: Signal<Vec<ReceptionPlan>>,
    on_added: Callback<()>,
) -> impl IntoView {
    let secretary = state::current().is_some_and(|s| s.me.has_role(Role::CommunitySecretary));
    let station = RwSignal::new(if stations.len() == 1 { stations.first().map(|s| s.id) } else { None });
    let mode = RwSignal::new(if secretary { PlanMode::Weekly } else { PlanMode::Once });
    let weekday = RwSignal::new(None::<u32>);
    let on_date = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let saving = RwSignal::new(false);
    let added = RwSignal::new(None::<String>);

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        added.set(None);
        let Some(station_id) = station.get_untracked() else {
            error.set(Some(ApiError::field("station_id", "请选择接待的服务站")));
            return;
        };
        let (weekday_value, date_value) = match mode.get_untracked() {
            PlanMode::Weekly => match weekday.get_untracked() {
                Some(w) => (Some(w), None),
                None => {
                    error.set(Some(ApiError::field("weekday", "请选择每周固定的接待日")));
                    return;
                }
            },
            PlanMode::Once => match parse_day(&on_date.get_untracked()) {
                Some(d) => (None, Some(d)),
                None => {
                    error.set(Some(ApiError::field("on_date", "请选择接待日期")));
                    return;
                }
            },
        };
        let twice = existing.with_untracked(|l| {
            l.iter().any(|p| {
                p.host.id == me_id
                    && p.station.id == station_id
                    && p.weekday == weekday_value
                    && p.on_date == date_value
            })
        });
        if twice {
            let field = if weekday_value.is_some() { "weekday" } else { "on_date" };
            error.set(Some(ApiError::field(field, "接待安排中已有这一项")));
            return;
        }
        let body = NewReceptionPlan { host_id: me_id, station_id, weekday: weekday_value, on_date: date_value };
        error.set(None);
        saving.set(true);
        spawn_local(async move {
            match api::post::<_, ReceptionPlan>("/api/reception-plans", &body).await {
                Ok(p) => {
                    let _ = added.try_set(Some(format!("已加入接待安排：{} {}", plan_when(&p), p.station.name)));
                    let _ = weekday.try_set(None);
                    let _ = on_date.try_set(String::new());
                    on_added.run(());
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = saving.try_set(false);
        });
    };

    let modes = [(PlanMode::Weekly, "weekly", "每周固定"), (PlanMode::Once, "once", "指定日期")]
        .into_iter()
        .map(|(m, code, label)| {
            view! {
                <label class="choice">
                    <input type="radio" name="plan-mode" value=code prop:checked=move || mode.get() == m
                        on:change=move |_| {
                            mode.set(m);
                            clear_field(error, "weekday");
                            clear_field(error, "on_date");
                        }/>
                    <span>{label}</span>
                </label>
            }
        })
        .collect_view();
    let weekday_options = move || {
        (1..=7u32)
            .map(|w| {
                view! { <option value=w.to_string() selected=move || weekday.get() == Some(w)>{weekday_name(w)}</option> }
            })
            .collect_view()
    };
    let today = day_input(format::city_today());

    view! {
        <form id="plan-form" class="card form plan-form" novalidate on:submit=save>
            <h3>"安排我的接待日"</h3>
            <p class="hint">"接待人为本人。社区书记请固定每周的接待日；街道书记/主任请选择到包保服务站接待的日期。"</p>
            <label for="plan-station">"服务站"</label>
            {station_select("plan-station", stations, station, error, "station_id")}
            <FieldError error=error field="station_id"/>
            <span class="form-label">"接待时间"</span>
            <div class="choice-row" role="radiogroup" aria-label="接待时间">{modes}</div>
            {move || match mode.get() {
                PlanMode::Weekly => view! {
                    <label for="plan-weekday" class="visually-hidden">"每周接待日"</label>
                    <select id="plan-weekday" class:invalid=move || error.with(|e| names_field(e, "weekday"))
                        on:change=move |ev| {
                            weekday.set(event_target_value(&ev).parse().ok());
                            clear_field(error, "weekday");
                        }>
                        <option value="" selected=move || weekday.get().is_none()>"请选择星期…"</option>
                        {weekday_options()}
                    </select>
                }
                .into_any(),
                PlanMode::Once => view! {
                    <label for="plan-date" class="visually-hidden">"接待日期"</label>
                    <input id="plan-date" type="date" min=today.clone() bind:value=on_date
                        class:invalid=move || error.with(|e| names_field(e, "on_date"))
                        on:input=move |_| clear_field(error, "on_date")/>
                }
                .into_any(),
            }}
            <FieldError error=error field="weekday"/>
            <FieldError error=error field="on_date"/>
            <FieldError error=error field="host_id"/>
            <ErrorBox error=general_error(error, PLAN_FIELDS)/>
            {move || added.get().map(|m| view! { <p class="success" id="plan-added">{m}</p> })}
            <div class="actions">
                <button type="submit" id="plan-save" class="primary" disabled=move || saving.get()>
                    {move || if saving.get() { "正在保存…" } else { "加入接待安排" }}
                </button>
            </div>
        </form>
    }
}
