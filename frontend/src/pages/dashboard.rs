//! 全市民情总览 (the city leaders' dashboard): now — in progress, overdue, major items open — and a month's figures,
//! every rate with its numerator and denominator; the six-month trend, streets and types as hand-drawn SVG charts;
//! the red and black lists and every department. Same figures as 附件3; prints on A4 landscape.

use leptos::prelude::*;
use shared::access;
use shared::dashboard::{Dashboard, DepartmentLine, Ratio};
use shared::stats::percent;

use crate::api;
use crate::components::month_bar::{month_from_query, this_month};
use crate::components::screen::print_page;
use crate::components::{bar_chart, column_chart, late_lines, not_for_you, Loaded, MonthBar, TopBar};

use crate::state;

/// "50.0%（2/4）": a rate with what it is made of.
fn ratio_text(r: &Ratio) -> String {
    format!("{}{}", percent(r.rate), of_text(r))
}

/// "（2/4）".
fn of_text(r: &Ratio) -> String {
    format!("（{}/{}）", r.num, r.den)
}

/// A table cell's rate: as `ratio_text`, free to wrap before the bracket on a phone.
fn rate_cell(r: &Ratio) -> impl IntoView {
    view! { <td class="c-rate">{percent(r.rate)}<wbr/>{of_text(r)}</td> }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    // The same city roles as the supervision office's queue.
    if !state::current().is_some_and(|s| access::reads_city_figures(&s.me.roles)) {
        return not_for_you("全市民情总览", "全市民情总览供市领导、市委办/市政府办、督查室和市级管理员查看。")
            .into_any();
    }
    let latest = this_month();
    let (y, m) = month_from_query(latest);
    let (year, month) = (RwSignal::new(y), RwSignal::new(m));
    let version = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        version.track();
        let path = format!("/api/dashboard?year={}&month={}", year.get(), month.get());
        async move { api::get::<Dashboard>(&path).await }
    });
    let body = move || {
        view! {
            <Loaded resource=data let:d
                on_error=move || view! {
                    <button type="button" class="no-print" on:click=move |_| version.update(|v| *v += 1)>"重新加载"</button>
                }>
                {dashboard_view(d)}
            </Loaded>
        }
    };

    view! {
        <div id="dashboard-page" class="page wide dashboard-page">
            <TopBar title="全市民情总览" back="/"/>
            <section class="card filters stats-controls no-print">
                <MonthBar prefix="dashboard" year=year month=month latest=latest>
                    <button type="button" id="dashboard-refresh" on:click=move |_| version.update(|v| *v += 1)>
                        "刷新"
                    </button>
                    <button type="button" id="dashboard-print" on:click=move |_| print_page()>"打印"</button>
                </MonthBar>
            </section>
            {body}
        </div>
    }
    .into_any()
}

/// A figure card: its name, the value and a line under it.
fn fig(key: &'static str, label: &'static str, value: String, sub: Option<String>, alert: bool) -> impl IntoView {
    view! {
        <div class="fig" data-figure=key class:alert=alert>
            <dt>{label}</dt>
            <dd class="fig-value">{value}</dd>
            {sub.map(|s| view! { <dd class="fig-sub">{s}</dd> })}
        </div>
    }
}

/// A rate's card: the percentage, and under it "（num/den）".
fn rate_fig(key: &'static str, label: &'static str, r: &Ratio) -> impl IntoView {
    fig(key, label, percent(r.rate), Some(of_text(r)), false)
}

/// The month shown: now, the month's figures, the charts, the lists and the departments.
fn dashboard_view(d: Dashboard) -> impl IntoView {
    let f = &d.overall;
    let (y, m) = (d.year, d.month);
    let minutes = f.minutes_to_acknowledge.map(|v| {
        if v < 1.0 {
            "，平均不足1分钟阅知".to_string()
        } else {
            format!("，平均{v:.0}分钟阅知")
        }
    });
    let acknowledged =
        format!("已阅{}/{}{}", f.major_acknowledged.num, f.major_acknowledged.den, minutes.unwrap_or_default());
    let figures = view! {
        {fig("received", "收集", f.received.to_string(), None, false)}
        {fig("solved", "已办结", f.solved.to_string(), None, false)}
        {fig("in_progress", "在办", f.in_progress.to_string(), None, false)}
        {fig("overdue", "超时", f.overdue.to_string(), None, f.overdue > 0)}
        {rate_fig("completion", "办结率", &f.completion)}
        {rate_fig("satisfaction", "满意率", &f.satisfaction)}
        {rate_fig("response", "响应率（接单及时）", &f.response)}
        {rate_fig("returned", "退单率", &f.returned)}
        {fig("major", "重大事项", f.major.to_string(), Some(acknowledged), false)}
    };

    let trend = d.trend.iter().map(|p| (format!("{}月", p.month), p.received, Some(p.solved))).collect();
    let streets =
        d.by_street.iter().map(|s| (s.street.name.clone(), s.figures.received, Some(s.figures.solved))).collect();
    let types = d.by_type.iter().map(|t| (t.item_type.label().to_string(), t.figures.received, None)).collect();
    let street_rows = d
        .by_street
        .iter()
        .map(|s| {
            view! {
                <tr data-street-id=s.street.id.to_string()>
                    <td title=s.street.full_name.clone()>{s.street.name.clone()}</td>
                    {rate_cell(&s.figures.completion)}
                    {rate_cell(&s.figures.satisfaction)}
                </tr>
            }
        })
        .collect_view();
    let departments_empty = d.by_department.is_empty();
    let department_rows = d
        .by_department
        .iter()
        .map(|l| {
            view! {
                <tr data-department-id=l.department.id.to_string()>
                    <td title=l.department.full_name.clone()>{l.department.name.clone()}</td>
                    <td class="c-num">{l.received}</td>
                    {rate_cell(&l.completion)}
                    {rate_cell(&l.satisfaction)}
                </tr>
            }
        })
        .collect_view();

    view! {
        <div id="dashboard" class="dashboard" data-year=y.to_string() data-month=m.to_string()>
            <h2 class="dash-title" id="dashboard-title">{format!("全市民情总览（{y}年{m}月）")}</h2>
            <section class="dash-now" id="now-strip" aria-label="现在">
                <p class="now-note">"现在 · 全市"</p>
                // Major items first (第四条: 需马上解决).
                <div class="now major" class:alert=(d.major_open_now > 0)>
                    <span class="now-label">"重大在办"</span>
                    <strong id="now-major">{d.major_open_now}</strong>
                </div>
                <div class="now">
                    <span class="now-label">"在办"</span>
                    <strong id="now-open">{d.open_now}</strong>
                </div>
                <a class="now overdue" href="/supervision" class:alert=(d.overdue_now > 0)>
                    <span class="now-label">"超时"</span>
                    <strong id="now-overdue">{d.overdue_now}</strong>
                </a>
            </section>
            <section class="card">
                <h3>{format!("{m}月情况")}</h3>
                <dl class="dash-figures" id="month-figures">{figures}</dl>
            </section>
            <div class="dash-grid">
                <section class="card">
                    <h3>"近六个月收集与办结"</h3>
                    {column_chart("chart-trend", "近六个月每月收集与办结件数".into(), ["收集", "已办结"], trend,
                        "近六个月暂无数据")}
                </section>
                <section class="card">
                    <h3>"按类型"</h3>
                    {bar_chart("chart-types", format!("{m}月各类型收集件数"), ["收集", ""], types, "本月暂无数据")}
                </section>
                <section class="card span-2">
                    <h3>"按街道"</h3>
                    <div class="dash-split">
                        {bar_chart("chart-streets", format!("{m}月各街道收集与办结件数"), ["收集", "办结"], streets,
                            "本月暂无数据")}
                        <div class="table-wrap">
                            <table class="dash-table" id="street-table">
                                <thead><tr><th>"街道"</th><th>"办结率"</th><th>"满意率"</th></tr></thead>
                                <tbody>{street_rows}</tbody>
                            </table>
                        </div>
                    </div>
                </section>
                {dept_list("red-list", "红榜", "办结率、满意率最高的五个部门", d.red_list)}
                {dept_list("black-list", "黑榜", "办结率、满意率最低的五个部门", d.black_list)}
                <section class="card span-2">
                    <h3>"各部门"</h3>
                    <div class="table-wrap">
                        <table class="dash-table" id="department-table">
                            <thead><tr><th>"部门"</th><th>"接单"</th><th>"办结率"</th><th>"满意率"</th></tr></thead>
                            <tbody>
                                {department_rows}
                                {departments_empty.then(|| view! {
                                    <tr class="empty-row"><td colspan="4">"本月没有部门接单"</td></tr>
                                })}
                            </tbody>
                        </table>
                    </div>
                </section>
            </div>
            {late_lines("dashboard-late", d.late)}
            <p class="dash-note" id="dashboard-note">
                "数据与《民情办理情况统计表》同源。"
                <a id="dashboard-stats-link" href=format!("/stats?year={y}&month={m}")>{format!("查看{y}年{m}月统计表")}</a>
                "　"
                <a id="dashboard-analysis-link" href=format!("/analysis?year={y}&month={m}")>
                    {format!("查看{y}年{m}月民情分析")}
                </a>
            </p>
        </div>
    }
}

/// 红榜 or 黑榜: each department with its 办结率, 满意率 and sheets received.
fn dept_list(id: &'static str, title: &'static str, hint: &'static str, lines: Vec<DepartmentLine>) -> impl IntoView {
    let body = if lines.is_empty() {
        view! { <p class="muted">"本月暂无部门接单"</p> }.into_any()
    } else {
        let items = lines
            .into_iter()
            .map(|l| {
                view! {
                    <li data-department-id=l.department.id.to_string()>
                        <span class="dl-name" title=l.department.full_name>{l.department.name}</span>
                        <span class="dl-figs">
                            <span>"办结率 "{ratio_text(&l.completion)}</span>
                            <span>"满意率 "{ratio_text(&l.satisfaction)}</span>
                            <span>"接单 "{l.received}"件"</span>
                        </span>
                    </li>
                }
            })
            .collect_view();
        view! { <ol>{items}</ol> }.into_any()
    };
    view! {
        <section class=format!("card dash-list {id}") id=id>
            <h3>{title}</h3>
            <p class="hint">{hint}</p>
            {body}
        </section>
    }
}
