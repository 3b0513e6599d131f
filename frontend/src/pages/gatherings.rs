//! Pieces shared by the meeting (民生会议) and reception (接待日) pages: the month bar kept in the address
//! (`?year=&month=`), the stations an account records at, a field's own message, the items raised at a meeting or
//! reception, and the buttons that register one there.

use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use shared::channels::RaisedItem;
use shared::dto::{Me, OrgUnit};
use shared::{ApiError, OrgKind, Role};

use crate::api;
use crate::components::names_field;
use crate::pages::places::{scopes_of, Places};
use crate::pages::stats::month_selects;
use crate::pages::CAPTURE_ROLES;
use crate::time;

/// How many years back the month bar reaches.
const YEARS_BACK: i32 = 5;

/// This month in the city.
pub(crate) fn this_month() -> (i32, u32) {
    let today = time::city_today();
    (today.year(), today.month())
}

/// The month `delta` months from `(year, month)`.
pub(crate) fn add_months((year, month): (i32, u32), delta: i32) -> (i32, u32) {
    let index = year * 12 + month as i32 - 1 + delta;
    (index.div_euclid(12), index.rem_euclid(12) as u32 + 1)
}

/// The month asked for by `?year=&month=`, else this month; never before YEARS_BACK years ago nor after `latest`.
pub(crate) fn month_from_query(latest: (i32, u32)) -> (i32, u32) {
    let this = this_month();
    let query = use_query_map().get_untracked();
    let year = query.get("year").and_then(|v| v.trim().parse::<i32>().ok()).filter(|y| *y >= this.0 - YEARS_BACK);
    let month = query.get("month").and_then(|v| v.trim().parse::<u32>().ok()).filter(|m| (1..=12).contains(m));
    match (year, month) {
        (Some(y), Some(m)) if (y, m) <= latest => (y, m),
        _ => this.min(latest),
    }
}

/// The year and month pickers with 上月/下月 (`#{prefix}-year`, `#{prefix}-month`, `#{prefix}-prev`,
/// `#{prefix}-next`); a change is written into the address (`{path}?year=&month=`) without a new history entry.
#[component]
pub(crate) fn MonthBar(
    prefix: &'static str,
    path: &'static str,
    year: RwSignal<i32>,
    month: RwSignal<u32>,
    /// The last month that can be picked.
    latest: (i32, u32),
    /// Buttons shown at the end of the bar.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let navigate = use_navigate();
    let earliest = (this_month().0 - YEARS_BACK, 1);
    let set_month = Callback::new(move |(y, m): (i32, u32)| {
        let (y, m) = (y, m).max(earliest).min(latest);
        year.set(y);
        month.set(m);
        navigate(
            &format!("{path}?year={y}&month={m}"),
            NavigateOptions { replace: true, scroll: false, ..Default::default() },
        );
    });
    let step = move |delta: i32| set_month.run(add_months((year.get_untracked(), month.get_untracked()), delta));
    let at_latest = move || (year.get(), month.get()) >= latest;
    let at_earliest = move || (year.get(), month.get()) <= earliest;
    view! {
        <div class="filter-grid">{month_selects(prefix, year, month, set_month)}</div>
        <div class="stats-bar">
            <button type="button" id=format!("{prefix}-prev") on:click=move |_| step(-1) disabled=at_earliest>
                "‹ 上月"
            </button>
            <button type="button" id=format!("{prefix}-next") on:click=move |_| step(1) disabled=at_latest>
                "下月 ›"
            </button>
            <span class="stats-bar-gap"></span>
            {children.map(|c| c())}
        </div>
    }
}

/// The places of the roles that record meetings and receptions (the capturing roles, and administrators).
pub(crate) fn recording_scopes(me: &Me) -> Vec<i64> {
    let mut roles: Vec<Role> = CAPTURE_ROLES.to_vec();
    roles.push(Role::Admin);
    scopes_of(me, &roles)
}

/// A station to pick: its id and a name read from the scope that holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StationChoice {
    pub id: i64,
    pub label: String,
}

/// The active stations within `scopes`, in the organisation's order.
pub(crate) async fn stations_within(scopes: Vec<i64>) -> Result<Vec<StationChoice>, ApiError> {
    Ok(stations_within_each(vec![scopes]).await?.pop().unwrap_or_default())
}

/// The active stations within each list of scopes, from one look at the organisation.
pub(crate) async fn stations_within_each(lists: Vec<Vec<i64>>) -> Result<Vec<Vec<StationChoice>>, ApiError> {
    if lists.iter().all(Vec::is_empty) {
        return Ok(lists.iter().map(|_| Vec::new()).collect());
    }
    let units = api::get::<Vec<OrgUnit>>("/api/org/units").await?;
    let places = Places::new(units);
    Ok(lists
        .iter()
        .map(|scopes| {
            places
                .in_scopes(scopes, &[OrgKind::Station])
                .into_iter()
                .map(|u| StationChoice { id: u.id, label: places.label_in(u.id, scopes) })
                .collect()
        })
        .collect())
}

/// A station select bound to `value`, marked when the error names `field`.
pub(crate) fn station_select(
    id: &'static str,
    stations: Vec<StationChoice>,
    value: RwSignal<Option<i64>>,
    error: RwSignal<Option<ApiError>>,
    field: &'static str,
) -> impl IntoView {
    let single = stations.len() == 1;
    let options = stations
        .into_iter()
        .map(|s| {
            let sid = s.id;
            view! { <option value=sid.to_string() selected=move || value.get() == Some(sid)>{s.label}</option> }
        })
        .collect_view();
    view! {
        <select id=id class:invalid=move || error.with(|e| names_field(e, field))
            on:change=move |ev| {
                value.set(event_target_value(&ev).parse().ok());
                clear_field(error, field);
            }>
            {(!single).then(|| view! { <option value="" selected=move || value.get().is_none()>"请选择服务站…"</option> })}
            {options}
        </select>
    }
}

/// Forgets the error once the field it names is changed.
pub(crate) fn clear_field(error: RwSignal<Option<ApiError>>, field: &str) {
    if names_field(&error.get_untracked(), field) {
        error.set(None);
    }
}

/// The message for `field`, under its input (for fields named at run time).
pub(crate) fn field_message(error: RwSignal<Option<ApiError>>, field: String) -> impl IntoView {
    move || {
        error
            .with(|e| {
                e.as_ref().and_then(|e| {
                    e.problems
                        .iter()
                        .find(|p| p.field.as_deref() == Some(field.as_str()))
                        .map(|p| p.message.clone())
                        .or_else(|| (e.field.as_deref() == Some(field.as_str())).then(|| e.message.clone()))
                })
            })
            .map(|m| view! { <p class="field-error">{m}</p> })
    }
}

/// The error with every field renamed by `rename` (those it answers `None` for stay).
pub(crate) fn rename_fields(mut e: ApiError, rename: impl Fn(&str) -> Option<String>) -> ApiError {
    if let Some(f) = e.field.as_deref().and_then(&rename) {
        e.field = Some(f);
    }
    for p in &mut e.problems {
        if let Some(f) = p.field.as_deref().and_then(&rename) {
            p.field = Some(f);
        }
    }
    e
}

/// The error when it names none of `fields` nor a part of one (`attendees.<category>`): shown in the form's error
/// box rather than under a field.
pub(crate) fn general_error(
    error: RwSignal<Option<ApiError>>,
    fields: &'static [&'static str],
) -> Signal<Option<ApiError>> {
    let inline =
        |f: &str| fields.iter().any(|x| f == *x || f.strip_prefix(x).is_some_and(|rest| rest.starts_with('.')));
    Signal::derive(move || error.get().filter(|e| !e.field.as_deref().is_some_and(inline)))
}

/// Reads an `<input type="date">` value.
pub(crate) fn parse_day(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").ok()
}

/// The value of an `<input type="date">`.
pub(crate) fn day_input(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// "11月5日 周三".
pub(crate) fn day_with_weekday(d: NaiveDate) -> String {
    format!("{}月{}日 {}", d.month(), d.day(), time::weekday_label(d))
}

/// "2026年11月5日（周三）".
pub(crate) fn long_day(d: NaiveDate) -> String {
    format!("{}（{}）", time::date_label(d), time::weekday_label(d))
}

/// "周一" … "周日" for 1 = Monday … 7 = Sunday.
pub(crate) fn weekday_name(weekday: u32) -> &'static str {
    match weekday {
        1 => "周一",
        2 => "周二",
        3 => "周三",
        4 => "周四",
        5 => "周五",
        6 => "周六",
        7 => "周日",
        _ => "",
    }
}

/// Prints the page.
pub(crate) fn print_page() {
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

/// Scrolls an element into view once it is drawn.
pub(crate) fn scroll_to(id: &'static str) {
    request_animation_frame(move || {
        if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id)) {
            el.scroll_into_view();
        }
    });
}

/// Scrolls to the first message of a form that would not save.
pub(crate) fn show_first_error(form_id: &'static str) {
    request_animation_frame(move || {
        let selector = format!("#{form_id} .field-error, #{form_id} .error-box");
        if let Some(el) =
            web_sys::window().and_then(|w| w.document()).and_then(|d| d.query_selector(&selector).ok().flatten())
        {
            el.scroll_into_view_with_bool(false);
        }
    });
}

/// Whether the account registers items (the capture page is theirs).
pub(crate) fn captures(me: &Me) -> bool {
    CAPTURE_ROLES.iter().any(|r| me.has_role(*r))
}

/// The two buttons that register an item at a meeting or reception: solved on the spot, or into the ledger.
/// `origin` is the capture page's query naming it, e.g. `meeting=<id>&station=<station id>`.
pub(crate) fn raise_buttons(prefix: &'static str, origin: String) -> impl IntoView {
    let later = format!("/capture?{origin}");
    let on_spot = format!("/capture?{origin}&on_spot=1");
    view! {
        <div class="raise-actions no-print">
            <a class="button primary" id=format!("{prefix}-raise-on-spot") href=on_spot>"登记现场解决的民情"</a>
            <a class="button" id=format!("{prefix}-raise") href=later>
                {if prefix == "meeting" { "登记会后办理的民情" } else { "登记民情" }}
            </a>
        </div>
    }
}

/// The items raised at a meeting or reception, each leading to its page.
pub(crate) fn raised_items(id: &'static str, items: Vec<RaisedItem>) -> impl IntoView {
    let on_spot = items.iter().filter(|i| i.solved_on_spot).count();
    let heading = if items.is_empty() {
        "收集的民情".to_string()
    } else {
        format!("收集的民情（{}件，其中现场解决{}件）", items.len(), on_spot)
    };
    let body = if items.is_empty() {
        view! { <p class="muted raised-empty">"还没有登记民情。"</p> }.into_any()
    } else {
        view! {
            <ul class="raised-list">
                {items
                    .into_iter()
                    .map(|i| {
                        let href = format!("/items/{}", api::encode(&i.id));
                        view! {
                            <li data-item-id=i.id.clone() data-on-spot=i.solved_on_spot.to_string()>
                                <a class="raised-item" href=href>
                                    <span class="raised-head">
                                        <span class="item-type">{i.item_type.label()}</span>
                                        {i.solved_on_spot.then(|| view! { <span class="badge on-spot">"现场解决"</span> })}
                                        <span class="badge status" data-status=i.status.code()>{i.status.label()}</span>
                                    </span>
                                    <span class="raised-summary">{i.summary}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="card raised-items" id=id>
            <h3>{heading}</h3>
            {body}
        </section>
    }
}
