//! 走访情况: the station head's view of the grid leaders' daily visits (第六条2). One card per grid: its leaders,
//! today's three register visits as ✓/✗ with 今日 n/3, the items raised today, and the week Monday–Sunday with the
//! missed days in red (漏访, naming the registers not visited). Tapping a grid opens its daily report: every visit
//! with whom, when and what, the items raised, and the notes from the grid's WeChat group.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::access;
use shared::channels::{DayCoverage, GridCoverage, GridDay, Slot, StationCoverage, Visit, VisitKind};
use shared::dto::OrgUnit;
use shared::{OrgKind, Role};

use crate::api;
use crate::components::gatherings::raised_links;
use crate::components::{not_for_you, Loaded, TopBar};
use crate::format::{self, clock_time, day_title};
use crate::places::{scopes_of, Places};
use crate::state;

/// How many register visits make a full day.
const SLOTS: usize = VisitKind::REGISTERS.len();

/// The home page's tile for station heads.
#[component]
pub(crate) fn CoverageTile() -> impl IntoView {
    view! {
        <a class="tile" id="coverage-link" href="/coverage">
            <span class="tile-title">"走访情况"</span>
            <span class="tile-text">"各网格今日走访、登记民情和本周漏访"</span>
        </a>
    }
}

#[component]
pub fn CoveragePage() -> impl IntoView {
    let Some(me) = state::current().map(|s| s.me) else {
        return ().into_any();
    };
    let asked: Option<i64> = use_query_map().get_untracked().get("station_id").and_then(|v| v.parse().ok());
    let reads = access::reads_coverage(&me.roles);
    if !reads && asked.is_none() {
        return not_for_you("走访情况", "走访情况供站长和社区、街道、市级人员查看。").into_any();
    }
    let own: Vec<i64> = me.roles.iter().filter(|r| r.role == Role::StationHead).map(|r| r.unit.id).collect();
    let only_own = match own.as_slice() {
        [one] => Some(*one),
        _ => None,
    };
    let initial = asked.or(only_own);
    let station = RwSignal::new(initial);
    // Several stations, or none of one's own and none asked for: a list to choose from.
    let needs_picker = own.len() > 1 || initial.is_none();
    let scopes = scopes_of(&me, access::ledger_role);

    let picker = needs_picker.then(|| view! { <StationPicker station=station scopes=scopes.clone()/> });

    let version = RwSignal::new(0u32);
    let coverage = LocalResource::new(move || {
        version.track();
        let s = station.get();
        async move {
            match s {
                Some(s) => api::get::<StationCoverage>(&format!("/api/visits/coverage?station_id={s}")).await.map(Some),
                None => Ok(None),
            }
        }
    });

    let body = view! {
        <Loaded resource=coverage let:value
            on_error=move || view! {
                <button type="button" class="big" on:click=move |_| version.update(|v| *v += 1)>"重新加载"</button>
            }>
            {match value {
                None => ().into_any(),
                Some(c) => station_view(c).into_any(),
            }}
        </Loaded>
    };

    view! {
        <div id="coverage-page" class="page coverage-page">
            <TopBar title="走访情况" back="/"/>
            {picker}
            {body}
            <div class="toolbar">
                <button type="button" id="coverage-refresh" on:click=move |_| version.update(|v| *v += 1)>"刷新"</button>
            </div>
        </div>
    }
    .into_any()
}

/// A select of the stations within the account's places.
#[component]
fn StationPicker(station: RwSignal<Option<i64>>, scopes: Vec<i64>) -> impl IntoView {
    let units = LocalResource::new(|| api::get::<Vec<OrgUnit>>("/api/org/units"));
    view! {
        <Loaded resource=units loading="正在加载服务站…" let:list>
            {
                let places = Places::new(list);
                let options: Vec<(i64, String)> = places
                    .in_scopes(&scopes, &[OrgKind::Station])
                    .into_iter()
                    .map(|s| (s.id, places.label_in(s.id, &scopes)))
                    .collect();
                if options.is_empty() {
                    return view! { <p class="card muted">"您的范围内没有党群服务站。"</p> }.into_any();
                }
                view! {
                    <label class="filter station-pick">
                        <span>"党群服务站"</span>
                        <select id="coverage-station" on:change=move |ev| station.set(event_target_value(&ev).parse().ok())>
                            <option value="" selected=move || station.get().is_none()>"请选择服务站…"</option>
                            {options
                                .into_iter()
                                .map(|(id, label)| view! {
                                    <option value=id.to_string() selected=move || station.get() == Some(id)>{label}</option>
                                })
                                .collect_view()}
                        </select>
                    </label>
                }
                .into_any()
            }
        </Loaded>
    }
}

fn station_view(c: StationCoverage) -> impl IntoView {
    let total = c.grids.len();
    let complete = c.grids.iter().filter(|g| g.today.slots_done as usize >= SLOTS).count();
    let missed: u32 = c.grids.iter().map(|g| g.missed_days).sum();
    let items: u32 = c.grids.iter().map(|g| g.today.items_raised).sum();
    let is_today = c.date == format::city_today();
    let any_missed = missed > 0;
    let date = c.date;
    let grids = if c.grids.is_empty() {
        view! { <p class="card muted">"这个服务站还没有网格。"</p> }.into_any()
    } else {
        c.grids.into_iter().map(move |g| grid_card(g, date)).collect_view().into_any()
    };
    view! {
        <section id="coverage-summary" class="card coverage-summary">
            <h2>{c.station.name.clone()}</h2>
            <p class="coverage-date">{if is_today { "今天 " } else { "" }}{day_title(c.date)}</p>
            <p>"今日走访完成 "<strong>{complete}"/"{total}</strong>" 个网格，登记民情 "<strong>{items}</strong>" 条"</p>
            <p class:bad=any_missed>"本周各网格共漏访 "{missed}" 天"</p>
        </section>
        <div class="coverage-list">{grids}</div>
    }
}

/// One grid: today at a glance and the week; its daily report when opened.
fn grid_card(g: GridCoverage, date: chrono::NaiveDate) -> impl IntoView {
    let open = RwSignal::new(false);
    let leaders = if g.leaders.is_empty() {
        "未配备网格长".to_string()
    } else {
        format!("网格长 {}", g.leaders.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join("、"))
    };
    let done = g.today.slots_done;
    let marks = g
        .today
        .slots
        .iter()
        .map(|s| {
            view! {
                <span class="mark" class:done=s.done data-kind=s.kind.code()>
                    <span class="mark-sign">{if s.done { "✓" } else { "✗" }}</span>
                    {s.kind.label()}
                </span>
            }
        })
        .collect_view();
    let missed_list: Vec<String> = g
        .week
        .iter()
        .filter(|d| d.missed)
        .map(|d| format!("{} {}", format::weekday_label(d.date), missing_names(&d.missing)))
        .collect();
    let week = g.week.iter().map(|d| week_day(d, date)).collect_view();
    let missed_days = g.missed_days;
    let any_missed = missed_days > 0;
    let complete = done as usize >= SLOTS;
    let report = g.today.clone();
    let name = g.grid.name.clone();
    let data_grid = name.clone();
    view! {
        <section class="card grid-coverage" data-grid=data_grid data-grid-id=g.grid.id.to_string()
            class:complete=complete class:open=move || open.get()>
            <button type="button" class="grid-toggle" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>
                <span class="gc-head">
                    <span class="gc-name">{name}</span>
                    <span class="gc-today" class:complete=complete>{format!("今日 {done}/{SLOTS}")}</span>
                </span>
                <span class="gc-leaders muted">{leaders}</span>
                <span class="gc-marks">{marks}</span>
                <span class="gc-items">"今日登记民情 "<strong>{g.today.items_raised}</strong>" 条"</span>
                <span class="gc-open">{move || if open.get() { "收起日报 ▲" } else { "查看日报 ▼" }}</span>
            </button>
            <ol class="week-strip" aria-label="本周">{week}</ol>
            <p class="gc-missed" class:bad=any_missed>"本周漏访 "<strong>{missed_days}</strong>" 天"</p>
            {(!missed_list.is_empty()).then(|| view! {
                <ul class="missed-list">
                    {missed_list.into_iter().map(|m| view! { <li>"漏访 "{m}</li> }).collect_view()}
                </ul>
            })}
            {move || open.get().then(|| daily_report(report.clone()))}
        </section>
    }
}

fn missing_names(kinds: &[VisitKind]) -> String {
    kinds.iter().map(|k| k.label()).collect::<Vec<_>>().join("、")
}

/// One day of the week strip.
fn week_day(d: &DayCoverage, date: chrono::NaiveDate) -> impl IntoView {
    let count = if d.future { "—".to_string() } else { format!("{}/{SLOTS}", d.slots_done) };
    let complete = d.slots_done as usize >= SLOTS;
    let is_day = d.date == date;
    let title = if d.missed { format!("漏访：{}", missing_names(&d.missing)) } else { String::new() };
    view! {
        <li class="week-day" class:missed=d.missed class:future=d.future class:today=is_day
            class:complete=complete data-date=d.date.to_string() title=title>
            <span class="wd-name">{format::weekday_label(d.date)}</span>
            <span class="wd-date">{format!("{}日", chrono::Datelike::day(&d.date))}</span>
            <span class="wd-count">{count}</span>
            {d.missed.then(|| view! { <span class="wd-missed">"漏访"</span> })}
        </li>
    }
}

/// The day's report of a grid: each register's visits, then the WeChat group.
fn daily_report(d: GridDay) -> impl IntoView {
    let nothing = d.slots.iter().all(|s| s.visits.is_empty()) && d.wechat.is_empty();
    let slots = d.slots.into_iter().map(report_slot).collect_view();
    let wechat = (!d.wechat.is_empty()).then(|| {
        view! {
            <div class="daily-slot wechat">
                <h4>"网格微信群"</h4>
                <ul class="daily-visits">{d.wechat.into_iter().map(report_visit).collect_view()}</ul>
            </div>
        }
    });
    view! {
        <div class="grid-report">
            <h3>{format!("{} 日报", format::date_label(d.date))}</h3>
            {nothing.then(|| view! { <p class="muted">"今日还没有走访记录。"</p> })}
            {slots}
            {wechat}
        </div>
    }
}

fn report_slot(s: Slot) -> impl IntoView {
    view! {
        <div class="daily-slot" class:done=s.done data-kind=s.kind.code()>
            <h4>{if s.done { "✓ " } else { "✗ " }}{s.kind.label()}</h4>
            {if s.visits.is_empty() {
                view! { <p class="muted">"未走访"</p> }.into_any()
            } else {
                view! { <ul class="daily-visits">{s.visits.into_iter().map(report_visit).collect_view()}</ul> }.into_any()
            }}
        </div>
    }
}

fn report_visit(v: Visit) -> impl IntoView {
    let photo = v.photo.clone();
    view! {
        <li class="daily-visit" data-visit-id=v.id.clone()>
            <div class="visit-line-head">
                {v.target.as_ref().map(|t| view! { <strong class="visit-target">{t.name.clone()}</strong> })}
                <time class="muted">{clock_time(v.visited_at)}</time>
                {v.noted_before_arrival().then(|| view! {
                    <span class="badge muted visit-offline" title="这次走访在没有信号时记录，之后才上传">
                        {format!("离线记录，{}到达", crate::format::short(v.recorded_at.unwrap_or(v.visited_at)))}
                    </span>
                })}
                <span class="muted">{v.visitor.name.clone()}</span>
            </div>
            <p class="visit-note">{v.note.clone()}</p>
            {photo.map(|p| view! {
                <a class="daily-photo" href=p.url.clone() target="_blank" rel="noopener">
                    <img src=p.thumb_url.clone() alt="走访照片"/>
                </a>
            })}
            {raised_links(&v.items)}
        </li>
    }
}
