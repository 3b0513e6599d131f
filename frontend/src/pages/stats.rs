//! 统计表: 《**街道民情办理情况统计表（*年*月）》 (附件3) of a month, for the account's street or, for city roles, any
//! street or the whole city. Every number opens the items behind it (so it can be counted by hand); export to Excel
//! and print on A4 landscape like the paper form, with 附件3's note and how each column is counted.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use shared::access;
use shared::dto::OrgUnit;
use shared::stats::{percent, Figure, StatsRow, StatsTable};
use shared::{ApiError, OrgKind};

use crate::api;
use crate::components::ledger_table::{ledger_head, ledger_row};
use crate::components::month_bar::{month_from_query, this_month};
use crate::components::screen::print_page;
use crate::components::{items_of, late_lines, not_for_you, ErrorBox, Loaded, Loading, MonthBar, TopBar};
use crate::format;
use crate::places::streets_where;
use crate::state;

/// 附件3's note under the table, word for word.
const NOTE: &str = "备注：1.办结率=按时办结数量÷（民情接单数量-正在处理数量）";

/// The figure whose items are open below the table.
#[derive(Clone, PartialEq)]
struct Picked {
    /// The unit's id, or "total" for the 合计 row.
    unit_key: String,
    unit_name: String,
    /// The StatsRow field, e.g. "on_time".
    column: &'static str,
    label: &'static str,
    count: i64,
    item_ids: Vec<String>,
}

/// The counted columns of 附件3: the StatsRow field, its header, the figure.
type Column = (&'static str, &'static str, fn(&StatsRow) -> &Figure);

const RECEIVED: Column = ("received", "民情接单数量", |r| &r.received);
const ON_TIME: Column = ("on_time", "按时办结数量", |r| &r.on_time);
const IN_PROGRESS: Column = ("in_progress", "正在处理数量", |r| &r.in_progress);
const NOT_IN_10_DAYS: Column = ("not_in_10_days", "10日内未办结数量", |r| &r.not_in_10_days);
const SOLVED_AFTER: Column =
    ("solved_after_coordination", "10日内未办结经沟通已办结数量", |r| &r.solved_after_coordination);
const UNSOLVED_AFTER: Column =
    ("unsolved_after_coordination", "10日内未办结经沟通未办结数量", |r| &r.unsolved_after_coordination);

#[component]
pub fn StatsPage() -> impl IntoView {
    let Some(me) = state::current().map(|s| s.me).filter(|m| access::reads_figures(&m.roles)) else {
        return not_for_you("统计表", "统计表供街道派单员、街道书记/主任和市级人员查看。").into_any();
    };
    // City roles read any street or the whole city; street roles (and a street's administrator) their streets.
    let city = access::reads_city_figures(&me.roles);
    let own_streets = if city { Vec::new() } else { streets_where(&me, access::street_wide) };

    let latest = this_month();
    let (first_year, first_month) = month_from_query(latest);
    let year = RwSignal::new(first_year);
    let month = RwSignal::new(first_month);
    // None: the whole city (city roles); a street role always has its street.
    let street = RwSignal::new(own_streets.first().map(|(id, _)| *id));
    let picked = RwSignal::new(None::<Picked>);

    let query = move || {
        let mut q = format!("?year={}&month={}", year.get(), month.get());
        if let Some(s) = street.get() {
            q.push_str(&format!("&street_id={s}"));
        }
        q
    };
    let version = RwSignal::new(0u32);
    let report = LocalResource::new(move || {
        version.track();
        let path = format!("/api/stats/monthly{}", query());
        async move { api::get::<StatsTable>(&path).await }
    });
    // Moving to another month or street closes the items of the old table.
    let month_changed = Callback::new(move |_: (i32, u32)| picked.set(None));

    let action_error = RwSignal::new(None::<ApiError>);
    let exporting = RwSignal::new(false);
    let export = move |_| {
        exporting.set(true);
        action_error.set(None);
        let q = untrack(query);
        let (y, m, s) = (year.get_untracked(), month.get_untracked(), street.get_untracked());
        // The file is named by the table's title when the table on screen is the one exported.
        let title = report
            .get_untracked()
            .and_then(Result::ok)
            .filter(|t| t.year == y && t.month == m && t.street.as_ref().map(|u| u.id) == s)
            .map(|t| t.title)
            .unwrap_or_else(|| format!("民情办理情况统计表（{y}年{m}月）"));
        spawn_local(async move {
            if let Err(e) = api::download(&format!("/api/stats/monthly/export{q}"), &format!("{title}.xlsx")).await {
                let _ = action_error.try_set(Some(e));
            }
            let _ = exporting.try_set(false);
        });
    };
    let street_picker =
        move || view! { <StreetPicker city=city own_streets=own_streets.clone() street=street picked=picked/> };
    let table = move || {
        view! {
            <Loaded resource=report let:t
                on_error=move || view! {
                    <button type="button" class="no-print" on:click=move |_| version.update(|v| *v += 1)>"重新加载"</button>
                }>
                {table_view(t, picked)}
            </Loaded>
        }
    };

    view! {
        <div id="stats-page" class="page wide stats-page">
            <TopBar title="统计表" back="/"/>
            <section class="card filters stats-controls no-print">
                <MonthBar prefix="stats" year=year month=month latest=latest on_change=month_changed
                    filters=street_picker>
                    <button type="button" id="stats-export" on:click=export disabled=move || exporting.get()>
                        {move || if exporting.get() { "正在导出…" } else { "导出Excel" }}
                    </button>
                    <button type="button" id="stats-print" on:click=move |_| print_page()>"打印"</button>
                </MonthBar>
                <ErrorBox error=action_error/>
            </section>
            {table}
            <FigureItems picked=picked/>
        </div>
    }
    .into_any()
}

/// 街道: a city role picks a street or the whole city; a street role with several streets picks one of them.
#[component]
fn StreetPicker(
    city: bool,
    own_streets: Vec<(i64, String)>,
    street: RwSignal<Option<i64>>,
    picked: RwSignal<Option<Picked>>,
) -> impl IntoView {
    // The streets a city role may pick.
    let streets = LocalResource::new(move || async move {
        if !city {
            return Ok(Vec::new());
        }
        let units = api::get::<Vec<OrgUnit>>("/api/org/units").await?;
        Ok::<_, ApiError>(
            units.into_iter().filter(|u| u.kind == OrgKind::Street && u.active).map(|u| (u.id, u.name)).collect(),
        )
    });
    move || {
        let options: Vec<(i64, String)> = if city {
            match streets.get() {
                Some(Ok(list)) => list,
                _ => Vec::new(),
            }
        } else {
            own_streets.clone()
        };
        // A street role with one street has nothing to pick.
        if !city && options.len() < 2 {
            return None;
        }
        let options = options
            .into_iter()
            .map(|(id, name)| {
                view! { <option value=id.to_string() selected=move || street.get() == Some(id)>{name}</option> }
            })
            .collect_view();
        Some(view! {
            <label class="filter wide-filter">
                <span>"街道"</span>
                <select id="stats-street" on:change=move |ev| {
                    street.set(event_target_value(&ev).parse().ok());
                    picked.set(None);
                }>
                    {city.then(|| view! { <option value="" selected=move || street.get().is_none()>"全市"</option> })}
                    {options}
                </select>
            </label>
        })
    }
}

/// The items behind the figure picked in the table, as ledger rows opening each item; 收起 closes them.
#[component]
fn FigureItems(picked: RwSignal<Option<Picked>>) -> impl IntoView {
    let figure_items = LocalResource::new(move || {
        let p = picked.get();
        async move {
            // The answer names its figure: a slow answer for a figure picked before is never shown under another.
            match p {
                Some(p) => Some(((p.unit_key, p.column), items_of(p.item_ids).await)),
                None => None,
            }
        }
    });

    // Once the items of a picked figure are drawn, bring them into view (the page has grown by then).
    Effect::new(move |_| {
        if matches!(figure_items.get(), Some(Some(_))) {
            request_animation_frame(|| {
                if let Some(el) =
                    web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("figure-items"))
                {
                    el.scroll_into_view();
                }
            });
        }
    });

    let navigate = use_navigate();
    let open = move |id: String| navigate(&format!("/items/{id}"), Default::default());
    let panel = move || {
        let open = open.clone();
        picked.get().map(|p| {
            let heading = format!("{} · {}（{}条）", p.unit_name, p.label, p.count);
            let count = p.count;
            let key = (p.unit_key.clone(), p.column);
            let list = move || {
                let open = open.clone();
                let answer = figure_items.get().flatten().filter(|(k, _)| *k == key).map(|(_, result)| result);
                match answer {
                    None => view! { <Loading/> }.into_any(),
                    Some(Err(e)) => view! {
                        <ErrorBox error=Signal::stored(Some(e))/>
                        <button type="button" on:click=move |_| figure_items.refetch()>"重新加载"</button>
                    }
                    .into_any(),
                    Some(Ok(rows)) if rows.is_empty() => view! {
                        <p class="muted" id="figure-none">"这些事项不在您可查看的范围内。"</p>
                    }
                    .into_any(),
                    Some(Ok(rows)) => {
                        let shown = rows.len();
                        let note = (shown as i64 != count).then(|| {
                            view! {
                                <p class="hint" id="figure-note">
                                    {format!("共{shown}件事项：同一事项退回重办后再次接单的，按接单次数计。")}
                                </p>
                            }
                        });
                        let rows = rows.into_iter().map(move |r| ledger_row(r, open.clone())).collect_view();
                        view! {
                            {note}
                            <div class="table-wrap ledger-wrap">
                                <table class="ledger-table figure-table">
                                    {ledger_head()}
                                    <tbody>{rows}</tbody>
                                </table>
                            </div>
                        }
                        .into_any()
                    }
                }
            };
            view! {
                <section id="figure-items" class="card figure-items no-print" data-column=p.column
                    data-unit-id=p.unit_key.clone() aria-live="polite">
                    <div class="figure-head">
                        <h3 id="figure-title">{heading}</h3>
                        <button type="button" class="link-button" id="figure-close" on:click=move |_| picked.set(None)>
                            "收起"
                        </button>
                    </div>
                    {list}
                </section>
            }
        })
    };
    panel
}

/// The title, 附件3's table with its 合计 row, the note, how each column is counted, and when it was counted.
fn table_view(t: StatsTable, picked: RwSignal<Option<Picked>>) -> impl IntoView {
    let empty = t.rows.is_empty();
    let rows = t.rows.iter().map(|r| row_view(r, picked)).collect_view();
    let total = row_view(&t.total, picked);
    let definitions = t.definitions.into_iter().map(|d| view! { <li>{d}</li> }).collect_view();
    view! {
        <section class="card stats-sheet" id="stats-sheet" data-year=t.year.to_string() data-month=t.month.to_string()
            data-street-id=t.street.as_ref().map(|u| u.id.to_string()).unwrap_or_default()>
            <h2 class="stats-title" id="stats-title">{t.title}</h2>
            <p class="hint stats-tip no-print">"点击数字可查看对应的民情事项。"</p>
            <div class="table-wrap stats-wrap">
                <table id="stats-table" class="stats-table">
                    <colgroup>
                        <col class="c-seq"/><col class="c-unit"/><col span="8" class="c-fig"/>
                    </colgroup>
                    <thead>
                        <tr>
                            <th class="c-seq">"序号"</th>
                            <th class="c-unit">"责任单位"</th>
                            <th>{RECEIVED.1}</th>
                            <th>{ON_TIME.1}</th>
                            <th>{IN_PROGRESS.1}</th>
                            <th>"办结率"</th>
                            <th>{NOT_IN_10_DAYS.1}</th>
                            <th>{SOLVED_AFTER.1}</th>
                            <th>{UNSOLVED_AFTER.1}</th>
                            <th>"测评满意率"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows}
                        {empty.then(|| view! {
                            <tr class="empty-row" id="stats-empty"><td colspan="10">"本月没有部门接单"</td></tr>
                        })}
                        {total}
                    </tbody>
                </table>
            </div>
            <p class="stats-note" id="stats-note">{NOTE}</p>
            <h3 class="stats-definitions-title">"统计口径"</h3>
            <ol class="stats-definitions" id="stats-definitions">{definitions}</ol>
            <p class="muted stats-as-of no-print" id="stats-as-of">"统计时间："{format::long(t.as_of)}</p>
            {late_lines("stats-late", t.late)}
        </section>
    }
}

/// One row of the table: a department, or 合计 (seq 0, no unit).
fn row_view(r: &StatsRow, picked: RwSignal<Option<Picked>>) -> impl IntoView {
    let total = r.unit.is_none();
    let unit_key = r.unit.as_ref().map_or_else(|| "total".to_string(), |u| u.id.to_string());
    let unit_name = r.unit.as_ref().map_or_else(|| "合计".to_string(), |u| u.name.clone());
    let cell = |c: Column| figure_cell(c, (c.2)(r), &unit_key, &unit_name, picked);
    let answers = (r.answers > 0).then(|| format!("{}个回答", r.answers));
    view! {
        <tr class:total=total data-unit-id=unit_key.clone()>
            <td class="c-seq">{(!total).then(|| r.seq.to_string())}</td>
            <td class="c-unit">{unit_name.clone()}</td>
            {cell(RECEIVED)}
            {cell(ON_TIME)}
            {cell(IN_PROGRESS)}
            <td class="c-rate" data-column="completion_rate">{percent(r.completion_rate)}</td>
            {cell(NOT_IN_10_DAYS)}
            {cell(SOLVED_AFTER)}
            {cell(UNSOLVED_AFTER)}
            <td class="c-rate" data-column="satisfaction" title=answers>{percent(r.satisfaction)}</td>
        </tr>
    }
}

/// A count: a button opening its items, or a plain 0.
fn figure_cell(
    (column, label, _): Column,
    f: &Figure,
    unit_key: &str,
    unit_name: &str,
    picked: RwSignal<Option<Picked>>,
) -> impl IntoView {
    if f.count == 0 {
        return view! { <td class="c-num" data-column=column>"0"</td> }.into_any();
    }
    let p = Picked {
        unit_key: unit_key.to_string(),
        unit_name: unit_name.to_string(),
        column,
        label,
        count: f.count,
        item_ids: f.item_ids.clone(),
    };
    let key = unit_key.to_string();
    let on = move || picked.with(|s| s.as_ref().is_some_and(|s| s.unit_key == key && s.column == column));
    let aria = format!("{unit_name}{label}{}条，查看事项", f.count);
    view! {
        <td class="c-num" data-column=column>
            <button type="button" class="figure" data-column=column data-unit-id=unit_key.to_string()
                class:selected=on.clone() aria-pressed=move || on().to_string() aria-label=aria
                on:click=move |_| {
                    picked.set(Some(p.clone()));
                }>
                {f.count}
            </button>
        </td>
    }
    .into_any()
}
