//! 民情专报 (附件4): the monthly reports the account reads, newest first — street, month, 第N期, 草稿 or 已报送, the 5th
//! they are due, late submission — filtered by year and street; a street's leader or dispatcher drafts a finished
//! month here when it has no report yet (the server drafts the previous month on the 1st).

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use shared::access;
use shared::stats::{Report, ReportSummary};
use shared::ApiError;

use crate::api;
use crate::components::month_bar::{add_months, this_month};
use crate::components::{not_for_you, status_badges, ErrorBox, Loaded, TopBar};
use crate::format::{self, due_day, month_label};
use crate::places::streets_where;
use crate::state;

/// How many years back a report can be drafted.
const DRAFT_YEARS_BACK: i32 = 3;

#[component]
pub fn ReportsPage() -> impl IntoView {
    let Some(me) = state::current().map(|s| s.me).filter(|m| access::reads_figures(&m.roles)) else {
        return not_for_you("民情专报", "民情专报供街道书记/主任、街道派单员和市级人员查看。").into_any();
    };
    let editable = streets_where(&me, |role, _| access::report_editor_role(role));
    let version = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        version.track();
        api::get::<Vec<ReportSummary>>("/api/reports")
    });
    let all = Signal::derive(move || list.get().and_then(Result::ok).unwrap_or_default());
    // Filters, on the list already loaded: None is every year / every street.
    let year = RwSignal::new(None::<i32>);
    let street = RwSignal::new(None::<i64>);
    let now = format::now();

    let year_options = move || {
        let mut years: Vec<i32> = all.with(|l| l.iter().map(|r| r.year).collect());
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        years
            .into_iter()
            .map(|y| view! { <option value=y.to_string() selected=move || year.get() == Some(y)>{format!("{y}年")}</option> })
            .collect_view()
    };
    let street_filter = move || {
        let mut streets: Vec<(i64, String)> = Vec::new();
        all.with(|l| {
            for r in l {
                if !streets.iter().any(|(id, _)| *id == r.street.id) {
                    streets.push((r.street.id, r.street.name.clone()));
                }
            }
        });
        // One street has nothing to pick.
        (streets.len() > 1).then(|| {
            let options = streets
                .into_iter()
                .map(|(id, name)| {
                    view! { <option value=id.to_string() selected=move || street.get() == Some(id)>{name}</option> }
                })
                .collect_view();
            view! {
                <label class="filter">
                    <span>"街道"</span>
                    <select id="reports-street" on:change=move |ev| street.set(event_target_value(&ev).parse().ok())>
                        <option value="" selected=move || street.get().is_none()>"全部街道"</option>
                        {options}
                    </select>
                </label>
            }
        })
    };

    let rows = view! {
        <Loaded resource=list let:l
            on_error=move || view! {
                <button type="button" on:click=move |_| version.update(|v| *v += 1)>"重新加载"</button>
            }>
            <ReportList list=l year=year street=street now=now/>
        </Loaded>
    };

    view! {
        <div id="reports-page" class="page wide reports-page">
            <TopBar title="民情专报" back="/"/>
            {(!editable.is_empty()).then(|| view! { <GenerateForm streets=editable.clone() reports=all/> })}
            <section class="card filters report-filters">
                <div class="filter-grid">
                    <label class="filter">
                        <span>"年份"</span>
                        <select id="reports-year" on:change=move |ev| year.set(event_target_value(&ev).parse().ok())>
                            <option value="" selected=move || year.get().is_none()>"全部年份"</option>
                            {year_options}
                        </select>
                    </label>
                    {street_filter}
                </div>
            </section>
            {rows}
        </div>
    }
    .into_any()
}

/// The reports of the list that the filters keep (every year and street when none), or why there are none.
#[component]
fn ReportList(
    list: Vec<ReportSummary>,
    year: RwSignal<Option<i32>>,
    street: RwSignal<Option<i64>>,
    now: DateTime<Utc>,
) -> impl IntoView {
    move || {
        let (y, s) = (year.get(), street.get());
        let shown: Vec<ReportSummary> = list
            .iter()
            .filter(|r| y.is_none_or(|y| r.year == y) && s.is_none_or(|s| r.street.id == s))
            .cloned()
            .collect();
        if shown.is_empty() {
            return view! {
                <p class="card muted" id="reports-empty">"还没有专报。每月1日自动生成上月的专报草稿。"</p>
            }
            .into_any();
        }
        view! {
            <p class="count" id="reports-count">{format!("共{}期", shown.len())}</p>
            <div id="report-list" class="report-list">
                {shown.into_iter().map(|r| report_row(r, now)).collect_view()}
            </div>
        }
        .into_any()
    }
}

/// One report in the list: a row opening it.
fn report_row(r: ReportSummary, now: DateTime<Utc>) -> impl IntoView {
    let href = format!("/reports/{}", r.id);
    let submitted =
        r.submitted_at.map(|at| view! { <span class="report-submitted">"报送于 "{format::short(at)}</span> });
    view! {
        <a class="card report-row" href=href data-report-id=r.id.to_string() data-status=r.status.code()
            data-late=r.late.to_string()>
            <span class="report-row-title">
                <span class="report-street">{r.street.name.clone()}</span>
                <span class="report-month">{month_label(r.year, r.month)}</span>
                <span class="report-number">{format!("第{}期", r.number)}</span>
            </span>
            <span class="report-row-state">{status_badges(&r, now, None)}</span>
            <span class="report-row-meta">
                <span class="report-due">"报送期限 "{due_day(r.due_at)}</span>
                {submitted}
            </span>
        </a>
    }
}

/// The finished months of a year, within reach: every month of a past year, the months before this one this year.
fn finished_months(year: i32, this_year: i32, this_month: u32) -> u32 {
    if year < this_year {
        12
    } else if year == this_year {
        this_month - 1
    } else {
        0
    }
}

/// Drafts a finished month now (a street leader or dispatcher), or opens its report when there is one.
#[component]
fn GenerateForm(streets: Vec<(i64, String)>, reports: Signal<Vec<ReportSummary>>) -> impl IntoView {
    let (this_year, this_month) = this_month();
    // The month before this one.
    let (last_year, last_month) = add_months((this_year, this_month), -1);
    let year = RwSignal::new(last_year);
    let month = RwSignal::new(last_month);
    let street = RwSignal::new(streets.first().map(|(id, _)| *id).unwrap_or_default());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let navigate = use_navigate();

    // The report of the chosen street and month, if there is one.
    let existing = Memo::new(move |_| {
        let (y, m, s) = (year.get(), month.get(), street.get());
        reports.with(|l| l.iter().find(|r| r.street.id == s && r.year == y && r.month == m).map(|r| r.id))
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        if let Some(id) = existing.get_untracked() {
            navigate(&format!("/reports/{id}"), Default::default());
            return;
        }
        pending.set(true);
        error.set(None);
        let body = serde_json::json!({
            "street_id": street.get_untracked(),
            "year": year.get_untracked(),
            "month": month.get_untracked(),
        });
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = api::post::<_, Report>("/api/reports", &body).await;
            let _ = pending.try_set(false);
            match result {
                Ok(r) => navigate(&format!("/reports/{}", r.summary.id), Default::default()),
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };

    let year_options = (this_year - DRAFT_YEARS_BACK..=last_year)
        .rev()
        .map(|y| view! { <option value=y.to_string() selected=move || year.get() == y>{format!("{y}年")}</option> })
        .collect_view();
    let month_options = move || {
        (1..=finished_months(year.get(), this_year, this_month))
            .map(
                |m| view! { <option value=m.to_string() selected=move || month.get() == m>{format!("{m}月")}</option> },
            )
            .collect_view()
    };
    let street_picker = (streets.len() > 1).then(|| {
        let options = streets
            .iter()
            .cloned()
            .map(
                |(id, name)| view! { <option value=id.to_string() selected=move || street.get() == id>{name}</option> },
            )
            .collect_view();
        view! {
            <label class="filter">
                <span>"街道"</span>
                <select id="report-generate-street" on:change=move |ev| {
                    if let Ok(s) = event_target_value(&ev).parse() {
                        street.set(s);
                    }
                }>{options}</select>
            </label>
        }
    });

    view! {
        <form id="report-generate" class="card filters report-generate" novalidate on:submit=submit>
            <h3>"生成专报草稿"</h3>
            <p class="hint">"每月1日自动生成上月专报草稿；也可为已结束的月份立即生成。"</p>
            <div class="filter-grid">
                {street_picker}
                <label class="filter">
                    <span>"年份"</span>
                    <select id="report-generate-year" on:change=move |ev| {
                        if let Ok(y) = event_target_value(&ev).parse() {
                            year.set(y);
                            // Keep the month a finished one.
                            let last = finished_months(y, this_year, this_month);
                            if month.get_untracked() > last {
                                month.set(last.max(1));
                            }
                        }
                    }>{year_options}</select>
                </label>
                <label class="filter">
                    <span>"月份"</span>
                    <select id="report-generate-month" on:change=move |ev| {
                        if let Ok(m) = event_target_value(&ev).parse() {
                            month.set(m);
                        }
                    }>{month_options}</select>
                </label>
            </div>
            <div class="actions">
                {move || match existing.get() {
                    Some(id) => view! {
                        <p class="hint report-exists" id="report-generate-exists">
                            {format!("{}的专报已生成。", month_label(year.get(), month.get()))}
                            <a href=format!("/reports/{id}")>"查看"</a>
                        </p>
                    }
                    .into_any(),
                    None => view! {
                        <button type="submit" id="report-generate-submit" class="primary" disabled=move || pending.get()>
                            {move || if pending.get() { "正在生成…" } else { "生成草稿" }}
                        </button>
                    }
                    .into_any(),
                }}
            </div>
            <ErrorBox error=error/>
        </form>
    }
}
