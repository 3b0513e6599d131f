//! 民生会议 (第六条3): a month's meetings at the stations in the account's scope — whether each station held the
//! month's 民情恳谈会 and the quarter's 党建联席会 (未召开 in red) — the meetings held, each opening its record, and
//! the form to record one (station, kind, day, who attended by category, minutes).

mod form;

use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;
use shared::access;
use shared::channels::{Meeting, MeetingMonth, StationMeetings};

use crate::api;
use crate::components::gatherings::stations_within;
use crate::components::month_bar::{month_from_query, this_month};
use crate::components::screen::scroll_to;
use crate::components::{ErrorBox, Loaded, Loading, MonthBar, TopBar};
use crate::format::{day_input, day_with_weekday, long_day};
use crate::places::scopes_of;
use crate::state;
use form::{MeetingForm, MeetingFormView};

/// "11月5日" or 未召开 in red.
fn held_cell(id_attr: &'static str, on: Option<NaiveDate>) -> impl IntoView {
    match on {
        Some(d) => view! {
            <td class="c-held" data-column=id_attr data-held=day_input(d) title=long_day(d)>
                {format!("{}月{}日", d.month(), d.day())}
            </td>
        }
        .into_any(),
        None => view! {
            <td class="c-held" data-column=id_attr data-held="">
                <span class="routine-missing">"未召开"</span>
            </td>
        }
        .into_any(),
    }
}

#[component]
pub fn MeetingsPage() -> impl IntoView {
    // The stations of the roles that record meetings (the capturing roles, and administrators).
    let scopes = state::current().map(|s| scopes_of(&s.me, access::records_routines_role)).unwrap_or_default();
    let latest = this_month();
    let (y, m) = month_from_query(latest);
    let (year, month) = (RwSignal::new(y), RwSignal::new(m));
    let version = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        version.track();
        let path = format!("/api/meetings?year={}&month={}", year.get(), month.get());
        async move { api::get::<MeetingMonth>(&path).await }
    });
    let stations = LocalResource::new(move || stations_within(scopes.clone()));
    let can_record = move || matches!(stations.get(), Some(Ok(list)) if !list.is_empty());
    let open = RwSignal::new(false);
    let form = MeetingForm::new();

    let new_button = move || {
        can_record().then(|| {
            view! {
                <button type="button" id="meeting-new" class="primary" aria-expanded=move || open.get().to_string()
                    on:click=move |_| {
                        open.set(true);
                        scroll_to("meeting-form");
                    }>
                    "＋ 登记会议"
                </button>
            }
        })
    };
    let form_view = move || {
        open.get().then(|| match stations.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! {
                <section class="card">
                    <ErrorBox error=Signal::stored(Some(e))/>
                    <button type="button" on:click=move |_| stations.refetch()>"重新加载"</button>
                </section>
            }
            .into_any(),
            Some(Ok(list)) => view! { <MeetingFormView form=form stations=list open=open/> }.into_any(),
        })
    };

    let body = move || {
        view! {
            <Loaded resource=data let:d
                on_error=move || view! {
                    <button type="button" on:click=move |_| version.update(|v| *v += 1)>"重新加载"</button>
                }>
                {month_view(d)}
            </Loaded>
        }
    };

    view! {
        <div id="meetings-page" class="page wide meetings-page">
            <TopBar title="民生会议" back="/"/>
            <section class="card filters stats-controls">
                <MonthBar prefix="meetings" path="/meetings" year=year month=month latest=latest>
                    {new_button}
                </MonthBar>
            </section>
            {form_view}
            {body}
        </div>
    }
}

/// The stations' routine and the month's meetings.
fn month_view(d: MeetingMonth) -> impl IntoView {
    let quarter = (d.month - 1) / 3 + 1;
    let empty = d.stations.is_empty();
    let missing = d.stations.iter().filter(|s| s.missing_monthly_talk || s.missing_quarterly_joint).count();
    let rows = d.stations.into_iter().map(station_row).collect_view();
    let count = d.meetings.len();
    let meetings = if d.meetings.is_empty() {
        view! { <p class="card muted" id="meetings-empty">"本月还没有会议记录。"</p> }.into_any()
    } else {
        view! { <div id="meeting-list" class="item-list">{d.meetings.into_iter().map(meeting_row).collect_view()}</div> }
            .into_any()
    };
    view! {
        <section class="card routine-card" data-year=d.year.to_string() data-month=d.month.to_string()>
            <h3>{format!("会议制度落实（{}年{}月）", d.year, d.month)}</h3>
            <p class="hint">
                "民情恳谈会每月召开一次，党建联席会每季度召开一次（本月为第"{quarter}"季度）。"
                {(missing > 0).then(|| view! {
                    <span class="routine-missing" id="meeting-missing-count">{format!("{missing}个服务站还有会议未召开。")}</span>
                })}
            </p>
            <div class="table-wrap">
                <table id="meeting-stations" class="routine-table">
                    <thead>
                        <tr>
                            <th>"服务站"</th>
                            <th>"本月民情恳谈会"</th>
                            <th>"本季度党建联席会"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows}
                        {empty.then(|| view! {
                            <tr class="empty-row" id="meeting-stations-empty">
                                <td colspan="3">"您的范围内没有党群服务站。"</td>
                            </tr>
                        })}
                    </tbody>
                </table>
            </div>
        </section>
        <h3 class="section-title">{format!("本月会议（{count}次）")}</h3>
        {meetings}
    }
}

/// A station's line: its 民情恳谈会 this month and 党建联席会 this quarter.
fn station_row(s: StationMeetings) -> impl IntoView {
    let path = parent_path(&s.station.full_name);
    view! {
        <tr data-station-id=s.station.id.to_string() class:missing=s.missing_monthly_talk || s.missing_quarterly_joint>
            <td class="c-station">
                <span class="station-name">{s.station.name.clone()}</span>
                {path.map(|p| view! { <span class="station-path">{p}</span> })}
            </td>
            {held_cell("monthly_talk", s.monthly_talk_on)}
            {held_cell("quarterly_joint", s.quarterly_joint_on)}
        </tr>
    }
}

/// "新华街道 / 和平社区" of "新华街道 / 和平社区 / 和平社区第一党群服务站".
fn parent_path(full_name: &str) -> Option<String> {
    full_name.rsplit_once(" / ").map(|(parent, _)| parent.to_string()).filter(|p| !p.trim().is_empty())
}

/// One meeting of the month: a card opening its record.
fn meeting_row(m: Meeting) -> impl IntoView {
    let href = format!("/meetings/{}", api::encode(&m.id));
    let items = m.items.len();
    view! {
        <a class="card item-row meeting-row" href=href data-meeting-id=m.id.clone() data-kind=m.kind.code()>
            <div class="item-row-head">
                <span class="item-type">{m.kind.label()}</span>
                <span class="meeting-day">{day_with_weekday(m.held_on)}</span>
            </div>
            <p class="summary">{m.station.name.clone()}</p>
            <div class="item-row-meta">
                <span class="meeting-attendees">"参会人数 "{m.attendee_total}</span>
                <span class="meeting-items">"民情 "{items}</span>
                <span>"记录人 "{m.recorded_by.name.clone()}</span>
            </div>
        </a>
    }
}
