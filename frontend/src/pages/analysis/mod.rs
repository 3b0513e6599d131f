//! 民情分析 (第七条′) for the city offices: a month's items by type with the streets that raised each (共性问题 when
//! two or more did), by community, repeated at one place, and the types with the most unresolved items. Every count
//! opens the items behind it; export to Excel. The API lets only city-wide readers in; others see its refusal.

mod judgement;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::dashboard::{Analysis, NamedCount, TypeSpread};
use shared::ApiError;

use crate::api;
use crate::components::month_bar::{month_from_query, this_month};
use crate::components::screen::print_page;
use crate::components::{ErrorBox, ItemLinks, Loaded, MonthBar, TopBar};

/// Shown for a section with nothing in the month.
const NONE_THIS_MONTH: &str = "本月无";

/// The count whose items are open: its table, its row, which count of the row, and the items.
#[derive(Clone, PartialEq)]
struct Opened {
    table: &'static str,
    row: String,
    part: String,
    title: String,
    ids: Vec<String>,
}

/// Where a count sits, to open its items under its row.
#[derive(Clone)]
struct CountAt {
    table: &'static str,
    row: String,
    part: String,
    /// Names the items when they are open, e.g. "物业住房 · 新华街道".
    title: String,
}

#[component]
pub fn AnalysisPage() -> impl IntoView {
    let latest = this_month();
    let (y, m) = month_from_query(latest);
    let (year, month) = (RwSignal::new(y), RwSignal::new(m));
    let opened = RwSignal::new(None::<Opened>);
    let version = RwSignal::new(0u32);
    let query = move || format!("?year={}&month={}", year.get(), month.get());
    let data = LocalResource::new(move || {
        version.track();
        let path = format!("/api/analysis{}", query());
        async move { api::get::<Analysis>(&path).await }
    });
    // Another month closes the items of the old one.
    let month_changed = Callback::new(move |_: (i32, u32)| opened.set(None));

    let action_error = RwSignal::new(None::<ApiError>);
    let exporting = RwSignal::new(false);
    let export = move |_| {
        exporting.set(true);
        action_error.set(None);
        let (y, m) = (year.get_untracked(), month.get_untracked());
        let path = format!("/api/analysis/export{}", untrack(query));
        spawn_local(async move {
            if let Err(e) = api::download(&path, &format!("民情分析-{y}年{m}月.xlsx")).await {
                let _ = action_error.try_set(Some(e));
            }
            let _ = exporting.try_set(false);
        });
    };

    let body = move || {
        view! {
            <Loaded resource=data let:a
                on_error=move || view! {
                    <button type="button" class="no-print" on:click=move |_| version.update(|v| *v += 1)>"重新加载"</button>
                }>
                {analysis_view(a, opened, version)}
            </Loaded>
        }
    };

    view! {
        <div id="analysis-page" class="page wide analysis-page">
            <TopBar title="民情分析" back="/"/>
            <section class="card filters stats-controls no-print">
                <MonthBar prefix="analysis" year=year month=month latest=latest on_change=month_changed>
                    <button type="button" id="analysis-export" on:click=export disabled=move || exporting.get()>
                        {move || if exporting.get() { "正在导出…" } else { "导出Excel" }}
                    </button>
                    <button type="button" id="analysis-print" on:click=move |_| print_page()>"打印"</button>
                </MonthBar>
                <ErrorBox error=action_error/>
            </section>
            {body}
        </div>
    }
}

/// The month's analysis: title, total and the four sections.
fn analysis_view(a: Analysis, opened: RwSignal<Option<Opened>>, version: RwSignal<u32>) -> impl IntoView {
    let (y, m) = (a.year, a.month);
    let types = a.by_type.into_iter().map(|t| type_row(t, opened)).collect::<Vec<_>>();
    let communities = named_rows("analysis-communities", a.by_community, opened);
    let repeated = named_rows("analysis-repeated", a.repeated_places, opened);
    let unresolved = named_rows("analysis-unresolved", a.unresolved_themes, opened);
    view! {
        <section class="card analysis-sheet" id="analysis" data-year=y.to_string() data-month=m.to_string()>
            <h2 class="analysis-title" id="analysis-title">{format!("《民情分析》{y}年{m}月")}</h2>
            <p class="analysis-total" id="analysis-total">
                "本月全市共收集民情"<strong>{a.total}</strong>"件"
            </p>
            <p class="hint center no-print">"点击数字可查看对应的民情事项。"</p>

            <h3 class="analysis-heading">"一、各类型民情及街道分布"</h3>
            <p class="hint">"同一类型在两个及以上街道出现的，标记为“共性问题”。"</p>
            <div class="table-wrap">
                <table id="analysis-types" class="analysis-table analysis-types">
                    <thead>
                        <tr><th>"类型"</th><th class="c-num">"件数"</th><th class="c-num">"涉及街道数"</th><th>"各街道件数"</th></tr>
                    </thead>
                    <tbody>{empty_or(types, 4)}</tbody>
                </table>
            </div>

            <h3 class="analysis-heading">"二、各社区民情件数"</h3>
            {named_table("analysis-communities", "社区", "件数", communities)}

            <h3 class="analysis-heading">"三、同一地点重复反映"</h3>
            <p class="hint">"本月同一楼栋、网格或服务站反映两件及以上的地点。"</p>
            {named_table("analysis-repeated", "地点", "件数", repeated)}

            <h3 class="analysis-heading">"四、未解决问题较多的类型"</h3>
            <p class="hint">"本月收集、至今尚未办结（含经沟通仍无法办结）的事项，按类型统计。"</p>
            {named_table("analysis-unresolved", "类型", "未解决件数", unresolved)}
            <judgement::JudgementPanel year=y month=m judgement=a.judgement version=version/>
        </section>
    }
}

/// The rows of a table, or one row saying 本月无 across `columns`.
fn empty_or(rows: Vec<AnyView>, columns: u32) -> AnyView {
    if rows.is_empty() {
        view! { <tr class="empty-row"><td colspan=columns.to_string()>{NONE_THIS_MONTH}</td></tr> }.into_any()
    } else {
        rows.into_iter().collect_view().into_any()
    }
}

/// A two-column table of names and counts.
fn named_table(id: &'static str, name_head: &'static str, count_head: &'static str, rows: Vec<AnyView>) -> AnyView {
    view! {
        <div class="table-wrap">
            <table id=id class="analysis-table">
                <thead><tr><th>{name_head}</th><th class="c-num">{count_head}</th></tr></thead>
                <tbody>{empty_or(rows, 2)}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// One type: its count, how many streets raised it, and each street's count.
fn type_row(t: TypeSpread, opened: RwSignal<Option<Opened>>) -> AnyView {
    const TABLE: &str = "analysis-types";
    let label = t.item_type.label();
    let code = t.item_type.code().to_string();
    let common = t.streets >= 2;
    // The type's items: those of every street.
    let all_ids: Vec<String> = t.per_street.iter().flat_map(|s| s.item_ids.iter().cloned()).collect();
    let at = |part: &str, title: String| CountAt { table: TABLE, row: code.clone(), part: part.to_string(), title };
    let total = count_button(at("total", label.to_string()), t.total, all_ids, opened);
    let streets = t
        .per_street
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let place = at(&format!("street:{}", s.name), format!("{label} · {}", s.name));
            view! {
                {(i > 0).then_some("、")}
                <span class="street-count" data-street=s.name.clone()>
                    {s.name.clone()}" "{count_button(place, s.count, s.item_ids, opened)}
                </span>
            }
        })
        .collect_view();
    view! {
        <tr data-type=code.clone() data-common=common.to_string() class:common=common>
            <td class="c-name">
                {label}
                {common.then(|| view! { <span class="badge common-issue">"共性问题"</span> })}
            </td>
            <td class="c-num" data-count=t.total.to_string()>{total}</td>
            <td class="c-num c-street-total">{t.streets}</td>
            <td class="c-streets">{streets}</td>
        </tr>
        {items_row(TABLE, code, 4, opened)}
    }
    .into_any()
}

/// The rows of a table of names and counts.
fn named_rows(table: &'static str, list: Vec<NamedCount>, opened: RwSignal<Option<Opened>>) -> Vec<AnyView> {
    list.into_iter()
        .map(|n| {
            let at = CountAt { table, row: n.name.clone(), part: "total".into(), title: n.name.clone() };
            view! {
                <tr data-name=n.name.clone()>
                    <td class="c-name">{n.name.clone()}</td>
                    <td class="c-num" data-count=n.count.to_string()>
                        {count_button(at, n.count, n.item_ids, opened)}
                    </td>
                </tr>
                {items_row(table, n.name, 2, opened)}
            }
            .into_any()
        })
        .collect()
}

/// A count as a button that opens (or closes) its items under its row; a plain number when it has none.
fn count_button(at: CountAt, count: i64, ids: Vec<String>, opened: RwSignal<Option<Opened>>) -> AnyView {
    if count == 0 || ids.is_empty() {
        return view! { <span class="analysis-count-plain">{count}</span> }.into_any();
    }
    let CountAt { table, row, part, title } = at;
    let is_open = {
        let (row, part) = (row.clone(), part.clone());
        move || opened.with(|o| o.as_ref().is_some_and(|o| o.table == table && o.row == row && o.part == part))
    };
    let aria = format!("{title}{count}件，查看事项");
    let toggle = {
        let is_open = is_open.clone();
        let (row, part) = (row.clone(), part.clone());
        move |_| {
            if is_open() {
                opened.set(None);
            } else {
                let (row, part, title, ids) = (row.clone(), part.clone(), title.clone(), ids.clone());
                opened.set(Some(Opened { table, row, part, title, ids }));
            }
        }
    };
    view! {
        <button type="button" class="figure analysis-count" data-part=part aria-label=aria
            class:selected=is_open.clone() aria-expanded=move || is_open().to_string() on:click=toggle>
            {count}
        </button>
    }
    .into_any()
}

/// The items of the open count of this row, in a row of their own under it.
fn items_row(table: &'static str, row: String, columns: u32, opened: RwSignal<Option<Opened>>) -> impl IntoView {
    // Only a change to this row's open count redraws the list.
    let mine = Memo::new(move |_| opened.with(|o| o.as_ref().filter(|o| o.table == table && o.row == row).cloned()));
    move || {
        mine.get().map(|o| {
            let heading = format!("{}（{}件）", o.title, o.ids.len());
            view! {
                <tr class="analysis-items-row" data-part=o.part.clone()>
                    <td colspan=columns.to_string()>
                        <div class="analysis-items" aria-live="polite">
                            <div class="figure-head">
                                <p class="analysis-items-title">{heading}</p>
                                <button type="button" class="link-button no-print" on:click=move |_| opened.set(None)>
                                    "收起"
                                </button>
                            </div>
                            <ItemLinks ids=o.ids/>
                        </div>
                    </td>
                </tr>
            }
        })
    }
}
