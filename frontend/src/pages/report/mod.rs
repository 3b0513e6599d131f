//! One 民情专报 laid out like 附件4 — title, 市委、市政府：, the opening line, 一、基本情况, 二、存在的问题,
//! 三、解决措施及建议意见, the street's signature and seal, the date — printed alone on A4 portrait. While a draft, the
//! street's leader or dispatcher edits the three sections (each save a version), then submits it by the 5th. Every
//! saved version can be read again; the figures section 一 was drafted from sit in a 数据来源 box on screen.

mod editor;
mod history;
mod receipts;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::access;
use shared::stats::Report;

use crate::api;
use crate::components::screen::print_page;
use crate::components::{not_for_you, status_badges, ErrorBox, Loaded, TopBar};
use crate::format::{self, due_day};
use crate::places::streets_where;
use crate::state;
use editor::{EditBar, Editor, ReportDocument};
use history::{figures_view, versions_view};

/// The three sections: the field (and textarea id), the heading, the rows of its textarea.
const SECTIONS: [(&str, &str, u32); 3] =
    [("section1", "一、基本情况", 8), ("section2", "二、存在的问题", 10), ("section3", "三、解决措施及建议意见", 8)];
/// The text as paragraphs, one per line (empty lines kept), indented like a document.
fn paragraphs(text: &str) -> impl IntoView {
    text.split('\n')
        .map(|line| {
            let line = line.trim_end_matches('\r').to_string();
            let blank = line.trim().is_empty();
            view! { <p class:blank=blank>{line}</p> }
        })
        .collect_view()
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let Some(me) = state::current().map(|s| s.me).filter(|m| access::reads_figures(&m.roles)) else {
        return not_for_you("民情专报", "民情专报供街道书记/主任、街道派单员和市级人员查看。").into_any();
    };
    let editable: Vec<i64> =
        streets_where(&me, |role, _| access::report_editor_role(role)).into_iter().map(|(id, _)| id).collect();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let report = LocalResource::new(move || {
        let id = id.get();
        async move { api::get::<Report>(&format!("/api/reports/{}", api::encode(&id))).await }
    });
    let body = view! {
        <Loaded resource=report let:r
            on_error=move || view! {
                <button type="button" on:click=move |_| report.refetch()>"重新加载"</button>
            }>
            {
                let editor = editable.contains(&r.summary.street.id);
                view! { <ReportView report=r editor=editor/> }
            }
        </Loaded>
    };
    view! {
        <div id="report-page" class="page wide report-page">
            <TopBar title="民情专报" back="/reports"/>
            {body}
        </div>
    }
    .into_any()
}

/// The report, its status and actions, the editor while a draft, the versions and the figures.
#[component]
fn ReportView(report: Report, editor: bool) -> impl IntoView {
    let ed = Editor::new(report, editor);
    let Editor { current, editing, error, notice, .. } = ed;
    receipts::mark_read_once(current);
    let now = format::now();
    // The status bar: status, due, late, submitted, print.
    let status_bar = move || {
        let s = current.with(|r| r.summary.clone());
        let submitted = s.submitted_at.map(|at| {
            view! { <span id="report-submitted-at" class="report-meta-item">"报送时间："{format::long(at)}</span> }
        });
        view! {
            <div class="report-meta" data-status=s.status.code()>
                {status_badges(&s, now, Some("report"))}
                <span id="report-due" class="report-meta-item">"报送期限："{due_day(s.due_at)}</span>
                {submitted}
            </div>
            {current.with(|r| receipts::receipts_view(r.receipts.clone()))}
        }
    };
    let figures = current.with_untracked(|r| r.figures.clone());
    let figures_as_of = current.with_untracked(|r| r.figures_as_of);
    view! {
        <section class="card report-bar no-print">
            {status_bar}
            <div class="report-bar-actions">
                <span class="hint">"A4纵向打印，盖章后报送"</span>
                <button type="button" id="report-print" on:click=move |_| print_page()>"打印"</button>
            </div>
            {move || notice.get().map(|m| view! { <p id="report-notice" class="success" role="status">{m}</p> })}
            // Without the editor, errors (a conflict) show here.
            {move || (!editing.get()).then(|| view! { <ErrorBox error=error/> })}
        </section>
        <ReportDocument ed=ed/>
        <EditBar ed=ed/>
        {move || current.with(|r| versions_view(r.versions.clone(), r.version))}
        {figures_view(&figures, figures_as_of)}
    }
}
