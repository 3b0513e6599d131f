//! 接待日 (第六条4): a month's reception schedule in the account's scope — what needs attention first (stations with
//! no reception, a host at two stations on one day, community secretaries without a fixed weekday, street leaders
//! with no reception), every reception by day (已接待 opens its record), the standing plans (取消 takes one off),
//! the form that puts the account's own reception on the schedule, and the form that records a reception held.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use shared::access;
use shared::channels::{
    Clash, NewReception, NewReceptionPlan, Reception, ReceptionHost, ReceptionPlan, ReceptionSchedule,
    ScheduledReception, MAX_NOTE_CHARS,
};
use shared::dto::Me;
use shared::item::PersonRef;
use shared::{ApiError, ErrorCode, Problem, Role};

use crate::api;
use crate::components::form_errors::{clear_field, general_error, problem, refusal, show_first_error};
use crate::components::gatherings::{station_select, stations_within_each, StationChoice};
use crate::components::month_bar::{add_months, month_from_query, this_month};
use crate::components::screen::scroll_to;
use crate::components::{names_field, ErrorBox, FieldError, Loading, MonthBar, TopBar};
use crate::format::{self, day_input, day_with_weekday, long_day, parse_day, weekday_name};
use crate::photo;
use crate::places::scopes_of;
use crate::state;

/// How many months ahead the schedule can be looked at.
const MONTHS_AHEAD: i32 = 12;
/// The most residents one reception records.
const MAX_RESIDENTS: u32 = 9999;

const PLAN_FIELDS: &[&str] = &["station_id", "host_id", "weekday", "on_date"];
const RECEPTION_FIELDS: &[&str] = &["station_id", "host_id", "held_on", "residents", "notes"];

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

    let body = move || match schedule.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => view! {
            <ErrorBox error=Signal::stored(Some(e))/>
            <button type="button" on:click=move |_| version.update(|v| *v += 1)>"重新加载"</button>
        }
        .into_any(),
        Some(Ok(s)) => schedule_view(s, ctx, plan_error).into_any(),
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

/// What the schedule's rows act with.
#[derive(Clone, Copy)]
struct ScheduleCtx {
    me_id: i64,
    /// The stations the account records at: it may cancel their plans and record their receptions.
    recording: Memo<Vec<StationChoice>>,
    /// The plan being cancelled.
    removing: RwSignal<Option<i64>>,
    remove: Callback<ReceptionPlan>,
    /// Fills the reception form from a planned reception.
    fill: Callback<ScheduledReception>,
}

impl ScheduleCtx {
    fn records_at(&self, station_id: i64) -> bool {
        self.recording.with(|l| l.iter().any(|s| s.id == station_id))
    }
}

/// The warnings, the days and the plans of a month.
fn schedule_view(s: ReceptionSchedule, ctx: ScheduleCtx, plan_error: RwSignal<Option<ApiError>>) -> impl IntoView {
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

/// Weekly on a weekday, or once on a day.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PlanMode {
    Weekly,
    Once,
}

/// Puts the account's own reception on the schedule.
#[component]
fn PlanForm(
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

/// What the reception form holds; kept by the page so a planned reception can fill it, and a record sent twice
/// (the same id) is made once.
#[derive(Clone, Copy)]
struct ReceptionDraft {
    id: StoredValue<String>,
    station: RwSignal<Option<i64>>,
    /// None: the account itself.
    host: RwSignal<Option<PersonRef>>,
    held_on: RwSignal<String>,
    residents: RwSignal<String>,
    notes: RwSignal<String>,
}

impl ReceptionDraft {
    fn new() -> Self {
        Self {
            id: StoredValue::new(photo::new_uuid()),
            station: RwSignal::new(None),
            host: RwSignal::new(None),
            held_on: RwSignal::new(day_input(format::city_today())),
            residents: RwSignal::new(String::new()),
            notes: RwSignal::new(String::new()),
        }
    }

    /// The request, or every problem found before sending.
    fn request(&self, today: NaiveDate, is_host: bool) -> Result<NewReception, ApiError> {
        let mut problems: Vec<Problem> = Vec::new();
        let station = self.station.get_untracked();
        if station.is_none() {
            problems.push(problem("station_id", "请选择接待的服务站"));
        }
        let host = self.host.get_untracked().map(|p| p.id);
        if host.is_none() && !is_host {
            problems.push(problem("host_id", "请选择接待人"));
        }
        let held_on = parse_day(&self.held_on.get_untracked());
        match held_on {
            None => problems.push(problem("held_on", "请选择接待日期")),
            Some(d) if d > today => problems.push(problem("held_on", "日期不能晚于今天")),
            Some(_) => {}
        }
        let residents = match self.residents.get_untracked().trim() {
            "" => {
                problems.push(problem("residents", "请填写接待群众人数"));
                None
            }
            t => {
                let n = t.parse::<u32>().ok().filter(|n| *n <= MAX_RESIDENTS);
                if n.is_none() {
                    problems.push(problem("residents", "接待人数应在0到9999之间"));
                }
                n
            }
        };
        let notes = self.notes.get_untracked().trim().to_string();
        if notes.chars().count() > MAX_NOTE_CHARS {
            problems.push(problem("notes", format!("接待记录不能超过{MAX_NOTE_CHARS}个字")));
        }
        if let Some(e) = refusal(problems) {
            return Err(e);
        }
        match (station, held_on, residents) {
            (Some(station_id), Some(held_on), Some(residents)) => {
                Ok(NewReception { id: self.id.get_value(), station_id, host_id: host, held_on, residents, notes })
            }
            _ => Err(ApiError::field("station_id", "请选择接待的服务站")),
        }
    }
}

/// Records a reception held.
#[component]
fn ReceptionForm(draft: ReceptionDraft, stations: Vec<StationChoice>, is_host: bool, me_id: i64) -> impl IntoView {
    if stations.len() == 1 && draft.station.get_untracked().is_none() {
        draft.station.set(stations.first().map(|s| s.id));
    }
    let me_name = state::current().map(|s| s.me.display_name).unwrap_or_default();
    // Who may host at the chosen station (the street's leader, the community's secretary), but the account itself.
    let eligible = LocalResource::new(move || {
        let station = draft.station.get();
        async move {
            match station {
                Some(id) => api::get::<Vec<ReceptionHost>>(&format!("/api/receptions/hosts?station_id={id}")).await,
                None => Ok(Vec::new()),
            }
        }
    });
    let hosts = Memo::new(move |_| match eligible.get() {
        Some(Ok(list)) => list.into_iter().filter(|h| h.host.id != me_id).collect::<Vec<_>>(),
        _ => Vec::new(),
    });
    let error = RwSignal::new(None::<ApiError>);
    let saving = RwSignal::new(false);
    let navigate = use_navigate();

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let body = match draft.request(format::city_today(), is_host) {
            Ok(b) => b,
            Err(e) => {
                error.set(Some(e));
                show_first_error("reception-form");
                return;
            }
        };
        error.set(None);
        saving.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::post::<_, Reception>("/api/receptions", &body).await {
                Ok(r) => navigate(&format!("/receptions/{}", api::encode(&r.id)), Default::default()),
                Err(e) => {
                    let _ = error.try_set(Some(e));
                    let _ = saving.try_set(false);
                    show_first_error("reception-form");
                }
            }
        });
    };

    let host_options = move || {
        let mut list: Vec<(PersonRef, String)> = hosts.get().into_iter().map(|h| (h.host, h.host_role)).collect();
        // A host picked from a planned reception stays listed (the server checks them again on saving).
        if let Some(picked) = draft.host.get() {
            if !list.iter().any(|(p, _)| p.id == picked.id) {
                list.push((picked, String::new()));
            }
        }
        list.into_iter()
            .map(|(p, role)| {
                let pid = p.id;
                let label = if role.is_empty() { p.name } else { format!("{}（{role}）", p.name) };
                view! {
                    <option value=pid.to_string() selected=move || draft.host.with(|h| h.as_ref().map(|h| h.id) == Some(pid))>
                        {label}
                    </option>
                }
            })
            .collect_view()
    };
    let first_host_option =
        if is_host { format!("本人（{me_name}）") } else { "请选择接待人…".to_string() };
    let notes_count = move || draft.notes.with(|n| n.trim().chars().count());
    let notes_over = move || notes_count() > MAX_NOTE_CHARS;
    let conflict = move || {
        error.with(|e| e.as_ref().is_some_and(|e| e.code == ErrorCode::Conflict)).then(|| {
            let href = format!("/receptions/{}", api::encode(&draft.id.get_value()));
            view! { <p class="hint"><a href=href id="reception-saved-link">"查看已保存的接待记录"</a></p> }
        })
    };

    view! {
        <form id="reception-form" class="card form reception-form" novalidate on:submit=save>
            <h3>"登记接待"</h3>
            <label for="reception-station">"服务站"</label>
            {station_select("reception-station", stations, draft.station, error, "station_id")}
            <FieldError error=error field="station_id"/>
            <label for="reception-host">"接待人"</label>
            <select id="reception-host" class:invalid=move || error.with(|e| names_field(e, "host_id"))
                on:change=move |ev| {
                    let picked = event_target_value(&ev).parse::<i64>().ok();
                    let person = picked.and_then(|id| {
                        hosts.with_untracked(|l| l.iter().find(|h| h.host.id == id).map(|h| h.host.clone()))
                            .or_else(|| draft.host.get_untracked().filter(|p| p.id == id))
                    });
                    draft.host.set(person);
                    clear_field(error, "host_id");
                }>
                <option value="" selected=move || draft.host.with(Option::is_none)>{first_host_option}</option>
                {host_options}
            </select>
            {move || (!is_host && matches!(eligible.get(), Some(Ok(l)) if l.is_empty())).then(|| view! {
                <p class="hint" id="reception-host-hint">
                    "该服务站暂无可接待的账号：接待人须为本街道书记/主任或本社区书记，请联系管理员开通。"
                </p>
            })}
            <FieldError error=error field="host_id"/>
            <label for="reception-date">"接待日期"</label>
            <input id="reception-date" type="date" max=day_input(format::city_today()) bind:value=draft.held_on
                class:invalid=move || error.with(|e| names_field(e, "held_on"))
                on:input=move |_| clear_field(error, "held_on")/>
            <FieldError error=error field="held_on"/>
            <label for="reception-residents">"接待群众人数"</label>
            <input id="reception-residents" type="number" inputmode="numeric" min="0" max=MAX_RESIDENTS.to_string()
                step="1" bind:value=draft.residents class:invalid=move || error.with(|e| names_field(e, "residents"))
                on:input=move |_| clear_field(error, "residents")/>
            <FieldError error=error field="residents"/>
            <label for="reception-notes">"接待记录（可不填）"</label>
            <textarea id="reception-notes" bind:value=draft.notes placeholder="接待的群众、反映的问题、答复和处理情况…"
                class:invalid=move || error.with(|e| names_field(e, "notes"))
                on:input=move |_| clear_field(error, "notes")></textarea>
            <p class="counter" class:over=notes_over>
                {move || format!("{}/{}", notes_count(), MAX_NOTE_CHARS)}
            </p>
            <FieldError error=error field="notes"/>
            <ErrorBox error=general_error(error, RECEPTION_FIELDS)/>
            {conflict}
            <p class="hint">"保存后可在接待记录中登记接待时收集的民情。"</p>
            <div class="actions">
                <button type="submit" id="reception-save" class="primary" disabled=move || saving.get()>
                    {move || if saving.get() { "正在保存…" } else { "保存接待记录" }}
                </button>
            </div>
        </form>
    }
}
