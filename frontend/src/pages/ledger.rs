//! 民情直通车台账: the ledger of 附件1 for station heads, community secretaries, street and city roles. Filters by
//! period, channel, type, level, status and place; pages with a cursor; cards on a phone, a table on a desk; export
//! to Excel and print on A4 landscape.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use shared::access;
use shared::dto::OrgUnit;
use shared::item::{ItemStatus, LedgerPage};
use shared::{ApiError, Channel, ItemType, Level, OrgKind};

use crate::api;
use crate::components::fields::place_name;
use crate::components::ledger_table::{ledger_head, ledger_row};
use crate::components::{not_for_you, ErrorBox, Loading, Paged, TopBar};
use crate::format;
use crate::places::{all_scopes, Places};
use crate::state;

/// The name the export is saved under.
const EXPORT_NAME: &str = "民情直通车台账.xlsx";
/// The most rows gathered for printing.
const PRINT_LIMIT: usize = 3000;

/// The filters, as the query string sends them.
#[derive(Clone, Copy)]
struct Filters {
    from: RwSignal<String>,
    to: RwSignal<String>,
    channel: RwSignal<String>,
    item_type: RwSignal<String>,
    level: RwSignal<String>,
    status: RwSignal<String>,
    unit_id: RwSignal<String>,
}

impl Filters {
    fn new() -> Self {
        let today = format::city_today();
        Self {
            from: RwSignal::new(format::month_start(today).format("%Y-%m-%d").to_string()),
            to: RwSignal::new(today.format("%Y-%m-%d").to_string()),
            channel: RwSignal::new(String::new()),
            item_type: RwSignal::new(String::new()),
            level: RwSignal::new(String::new()),
            status: RwSignal::new(String::new()),
            unit_id: RwSignal::new(String::new()),
        }
    }

    /// `?from=…&to=…` with every filter set (tracks them all).
    fn query(&self) -> String {
        let pairs = [
            ("from", self.from.get()),
            ("to", self.to.get()),
            ("channel", self.channel.get()),
            ("item_type", self.item_type.get()),
            ("level", self.level.get()),
            ("status", self.status.get()),
            ("unit_id", self.unit_id.get()),
        ];
        let parts: Vec<String> =
            pairs.into_iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", api::encode(&v))).collect();
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    /// The period for the printed title, e.g. "2025年11月1日至2025年11月30日".
    fn period(&self) -> String {
        let parse = |s: String| chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok();
        match (parse(self.from.get()), parse(self.to.get())) {
            (Some(f), Some(t)) => format!("{}至{}", format::date_label(f), format::date_label(t)),
            (Some(f), None) => format!("{}起", format::date_label(f)),
            (None, Some(t)) => format!("截至{}", format::date_label(t)),
            (None, None) => "全部".into(),
        }
    }
}

#[component]
pub fn LedgerPage() -> impl IntoView {
    let me = state::current().map(|s| s.me);
    let allowed = me.as_ref().is_some_and(|m| access::reads_ledger(&m.roles));
    if !allowed {
        return not_for_you("民情台账", "台账供站长、社区书记、街道和市级人员查看。").into_any();
    }
    let scopes = me.map(|m| all_scopes(&m)).unwrap_or_default();

    let filters = Filters::new();
    let paged = Paged::new();
    // Any change of a filter starts the list over.
    Effect::new(move |_| {
        let q = filters.query();
        paged.start(format!("/api/ledger{q}"));
    });

    let units = LocalResource::new(|| api::get::<Vec<OrgUnit>>("/api/org/units"));
    let place_options = move || {
        let Some(Ok(list)) = units.get() else {
            return Vec::new();
        };
        let places = Places::new(list);
        places
            .in_scopes(&scopes, &[OrgKind::Street, OrgKind::Community, OrgKind::Station, OrgKind::Grid])
            .into_iter()
            .map(|u| (u.id, place_name(&u.full_name, &u.name)))
            .collect::<Vec<_>>()
    };

    let exporting = RwSignal::new(false);
    let export_error = RwSignal::new(None::<ApiError>);
    let export = move |_| {
        exporting.set(true);
        export_error.set(None);
        let q = filters.query();
        spawn_local(async move {
            if let Err(e) = api::download(&format!("/api/ledger/export{q}"), EXPORT_NAME).await {
                let _ = export_error.try_set(Some(e));
            }
            let _ = exporting.try_set(false);
        });
    };

    let printing = RwSignal::new(false);
    let print = move |_| {
        printing.set(true);
        export_error.set(None);
        let base = format!("/api/ledger{}", filters.query());
        spawn_local(async move {
            // Print every row of the period, not only the pages loaded so far.
            let mut failed = None;
            while let Some(cursor) = paged.next.try_get_untracked().flatten() {
                if paged.rows.with_untracked(Vec::len) >= PRINT_LIMIT {
                    break;
                }
                let path = format!("{base}&limit=200&cursor={}", api::encode(&cursor));
                match api::get::<LedgerPage>(&path).await {
                    Ok(page) => {
                        let _ = paged.rows.try_update(|r| r.extend(page.rows));
                        let _ = paged.next.try_set(page.next_cursor);
                    }
                    Err(e) => {
                        failed = Some(e);
                        break;
                    }
                }
            }
            let _ = printing.try_set(false);
            match failed {
                Some(e) => {
                    let _ = export_error.try_set(Some(e));
                }
                None => {
                    // Let the rows draw before the print dialog takes the page.
                    request_animation_frame(|| {
                        if let Some(w) = web_sys::window() {
                            let _ = w.print();
                        }
                    });
                }
            }
        });
    };

    let navigate = use_navigate();
    let open = move |id: String| navigate(&format!("/items/{id}"), Default::default());

    let rows = move || {
        let open = open.clone();
        paged.rows.get().into_iter().map(move |r| ledger_row(r, open.clone())).collect_view()
    };

    view! {
        <div class="page wide ledger-page">
            <TopBar title="民情台账" back="/"/>
            <form class="card filters no-print" on:submit=|ev| ev.prevent_default()>
                <div class="filter-grid">
                    <label class="filter">
                        <span>"开始日期"</span>
                        <input type="date" id="filter-from" bind:value=filters.from/>
                    </label>
                    <label class="filter">
                        <span>"结束日期"</span>
                        <input type="date" id="filter-to" bind:value=filters.to/>
                    </label>
                    {select_filter("filter-channel", "收集方式", filters.channel,
                        Channel::ALL.iter().map(|c| (c.code().to_string(), c.label().to_string())).collect())}
                    {select_filter("filter-type", "类型", filters.item_type,
                        ItemType::ALL.iter().map(|c| (c.code().to_string(), c.label().to_string())).collect())}
                    {select_filter("filter-level", "级别", filters.level,
                        Level::ALL.iter().map(|c| (c.code().to_string(), c.label().to_string())).collect())}
                    {select_filter("filter-status", "状态", filters.status,
                        ItemStatus::ALL.iter().map(|c| (c.code().to_string(), c.label().to_string())).collect())}
                    <label class="filter wide-filter">
                        <span>"单位"</span>
                        <select id="filter-unit" on:change=move |ev| filters.unit_id.set(event_target_value(&ev))>
                            <option value="" selected=move || filters.unit_id.get().is_empty()>"全部"</option>
                            {move || place_options()
                                .into_iter()
                                .map(|(id, label)| {
                                    let value = id.to_string();
                                    let v = value.clone();
                                    view! {
                                        <option value=value selected=move || filters.unit_id.get() == v>{label}</option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </label>
                </div>
            </form>
            <div class="ledger-bar no-print">
                <span class="count">
                    {move || paged.total.get().map(|t| format!("共{t}条")).unwrap_or_default()}
                </span>
                <button type="button" id="ledger-export" on:click=export disabled=move || exporting.get()>
                    {move || if exporting.get() { "正在导出…" } else { "导出Excel" }}
                </button>
                <button type="button" id="ledger-print" on:click=print disabled=move || printing.get()>
                    {move || if printing.get() { "正在准备…" } else { "打印" }}
                </button>
            </div>
            <ErrorBox error=export_error/>
            <div class="print-title">
                <h2>"民情直通车台账"</h2>
                <p>"统计期间："{move || filters.period()}</p>
            </div>
            <div class="table-wrap ledger-wrap">
                <table id="ledger" class="ledger-table">
                    {ledger_head()}
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {move || (paged.total.get() == Some(0)).then(|| view! {
                <p class="muted center empty-ledger">"这段时间没有符合条件的民情。"</p>
            })}
            {move || paged.loading.get().then(|| view! { <Loading/> })}
            <ErrorBox error=paged.error/>
            {move || (paged.next.get().is_some() && !paged.loading.get()).then(|| {
                view! {
                    <button type="button" id="load-more" class="big no-print"
                        on:click=move |_| paged.more(format!("/api/ledger{}", filters.query_untracked()))>"加载更多"</button>
                }
            })}
        </div>
    }
    .into_any()
}

impl Filters {
    fn query_untracked(&self) -> String {
        untrack(|| self.query())
    }
}

/// A select over codes, with 全部 first.
fn select_filter(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    options: Vec<(String, String)>,
) -> impl IntoView {
    view! {
        <label class="filter">
            <span>{label}</span>
            <select id=id on:change=move |ev| value.set(event_target_value(&ev))>
                <option value="" selected=move || value.get().is_empty()>"全部"</option>
                {options
                    .into_iter()
                    .map(|(code, text)| {
                        let c = code.clone();
                        view! { <option value=code selected=move || value.get() == c>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
