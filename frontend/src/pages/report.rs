//! One 民情专报 laid out like 附件4 — title, 市委、市政府：, the opening line, 一、基本情况, 二、存在的问题,
//! 三、解决措施及建议意见, the street's signature and seal, the date — printed alone on A4 portrait. While a draft, the
//! street's leader or dispatcher edits the three sections (each save a version), then submits it by the 5th. Every
//! saved version can be read again; the figures section 一 was drafted from sit in a 数据来源 box on screen.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use shared::access;
use shared::journey::VersionOnly;
use shared::stats::{percent, EditReport, Report, ReportFigures, ReportStatus, ReportVersion};
use shared::{ApiError, ErrorCode};

use crate::api;
use crate::components::form_errors::{field_refusal, general_error};
use crate::components::screen::print_page;
use crate::components::{not_for_you, status_badges, ErrorBox, FieldError, Loading, TopBar};
use crate::format::{self, due_day, month_label};
use crate::places::streets_where;
use crate::state;

/// The three sections: the field (and textarea id), the heading, the rows of its textarea.
const SECTIONS: [(&str, &str, u32); 3] =
    [("section1", "一、基本情况", 8), ("section2", "二、存在的问题", 10), ("section3", "三、解决措施及建议意见", 8)];
/// The fields of the three sections, whose errors show under them.
const SECTION_FIELDS: &[&str] = &["section1", "section2", "section3"];

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
    let body = move || match report.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => view! {
            <ErrorBox error=Signal::stored(Some(e))/>
            <button type="button" on:click=move |_| report.refetch()>"重新加载"</button>
        }
        .into_any(),
        Some(Ok(r)) => {
            let editor = editable.contains(&r.summary.street.id);
            view! { <ReportView report=r editor=editor/> }.into_any()
        }
    };
    view! {
        <div id="report-page" class="page wide report-page">
            <TopBar title="民情专报" back="/reports"/>
            {body}
        </div>
    }
    .into_any()
}

/// The report on screen and its editor: the three sections as typed, the report as saved, and the state of saving.
#[derive(Clone, Copy)]
struct Editor {
    texts: [RwSignal<String>; 3],
    current: RwSignal<Report>,
    /// The account edits, and the report is a draft.
    editing: Memo<bool>,
    pending: RwSignal<Option<&'static str>>,
    error: RwSignal<Option<ApiError>>,
    notice: RwSignal<Option<String>>,
}

impl Editor {
    fn new(report: Report, editor: bool) -> Self {
        let texts = [
            RwSignal::new(report.section1.clone()),
            RwSignal::new(report.section2.clone()),
            RwSignal::new(report.section3.clone()),
        ];
        let current = RwSignal::new(report);
        Self {
            texts,
            current,
            editing: Memo::new(move |_| editor && current.with(|r| r.summary.status == ReportStatus::Draft)),
            pending: RwSignal::new(None),
            error: RwSignal::new(None),
            notice: RwSignal::new(None),
        }
    }

    /// Section `i` as saved.
    fn saved_text(&self, i: usize) -> String {
        self.current.with(|r| [&r.section1, &r.section2, &r.section3][i].clone())
    }

    /// Whether a section was changed since it was saved.
    fn dirty(&self) -> bool {
        (0..3).any(|i| self.texts[i].with(|t| *t != self.saved_text(i)))
    }

    /// After a conflict: the report as it is now. A stale version keeps the editor's text (to save over it, having
    /// read the other version below); a report submitted meanwhile shows its submitted text.
    fn reload(self, keep_text: bool) {
        let id = self.current.with_untracked(|r| r.summary.id);
        spawn_local(async move {
            if let Ok(r) = api::get::<Report>(&format!("/api/reports/{id}")).await {
                if !keep_text {
                    for (i, t) in [&r.section1, &r.section2, &r.section3].into_iter().enumerate() {
                        let _ = self.texts[i].try_set(t.clone());
                    }
                }
                let _ = self.current.try_set(r);
            }
        });
    }

    /// Saves the text when changed (a new version), then submits when asked.
    fn send(self, submit: bool) {
        if self.pending.get_untracked().is_some() {
            return;
        }
        let [s1, s2, s3] = self.texts.map(|t| t.get_untracked());
        if submit && s3.trim().is_empty() {
            self.error.set(Some(field_refusal("section3", "请填写“三、解决措施及建议意见”后再报送")));
            focus("section3");
            return;
        }
        let changed = untrack(|| self.dirty());
        if !submit && !changed {
            self.notice.set(Some("内容没有修改，无需保存".into()));
            self.error.set(None);
            return;
        }
        let (id, version) = self.current.with_untracked(|r| (r.summary.id, r.version));
        self.pending.set(Some(if submit { "submit" } else { "save" }));
        self.error.set(None);
        self.notice.set(None);
        spawn_local(async move {
            let path = format!("/api/reports/{id}");
            let mut result: Result<Option<Report>, ApiError> = Ok(None);
            let mut version = version;
            if changed {
                let body = EditReport { version, section1: s1, section2: s2, section3: s3 };
                result = api::put::<_, Report>(&path, &body).await.map(Some);
                if let Ok(Some(r)) = &result {
                    version = r.version;
                    let _ = self.current.try_set(r.clone());
                }
            }
            if submit && result.is_ok() {
                result = api::post::<_, Report>(&format!("{path}/submit"), &VersionOnly { version }).await.map(Some);
                if let Ok(Some(r)) = &result {
                    let _ = self.current.try_set(r.clone());
                }
            }
            let _ = self.pending.try_set(None);
            match result {
                Ok(_) => {
                    let text = if submit { "已报送市委、市政府" } else { "已保存" };
                    let _ = self.notice.try_set(Some(text.into()));
                }
                Err(e) if e.code == ErrorCode::StaleVersion => {
                    // The server's message speaks of items; say it of the report.
                    let message = "专报已被他人修改并保存。您的修改还在：可在下方修改记录中查看对方保存的内容，再次保存将以您的内容为准。".to_string();
                    let _ = self.error.try_set(Some(ApiError { message, ..e }));
                    self.reload(true);
                }
                Err(e) if e.code == ErrorCode::WrongStage => {
                    let _ = self.error.try_set(Some(e));
                    self.reload(false);
                }
                Err(e) => {
                    if let Some(f) = e.field.clone() {
                        focus(&f);
                    }
                    let _ = self.error.try_set(Some(e));
                }
            }
        });
    }
}

/// The report, its status and actions, the editor while a draft, the versions and the figures.
#[component]
fn ReportView(report: Report, editor: bool) -> impl IntoView {
    let ed = Editor::new(report, editor);
    let Editor { current, editing, error, notice, .. } = ed;
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
        }
    };
    let figures = current.with_untracked(|r| r.figures.clone());
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
        {figures_view(&figures)}
    }
}

/// The report as 附件4 lays it out: title, 市委、市政府：, the opening line, the three sections, signature and date.
#[component]
fn ReportDocument(ed: Editor) -> impl IntoView {
    let current = ed.current;
    // The title, street and month never change; the status, version and date do.
    let (title, street, month, report_id) = current.with_untracked(|r| {
        (
            r.title.clone(),
            r.summary.street.name.clone(),
            month_label(r.summary.year, r.summary.month),
            r.summary.id.to_string(),
        )
    });
    let date = move || current.with(|r| r.summary.submitted_at.map(format::day_of).unwrap_or_default());
    view! {
        <article id="report" class="report-doc" data-report-id=report_id
            data-status=move || current.with(|r| r.summary.status.code())
            data-version=move || current.with(|r| r.version.to_string())>
            <h2 id="report-title" class="report-title">{title}</h2>
            <p class="report-to">"市委、市政府："</p>
            <p class="report-intro" id="report-intro">
                {format!("按照民情直通车工作要求，{street}将{month}民情收集梳理、处置办结及反馈评价情况汇报如下：")}
            </p>
            <ReportSection ed=ed i=0/>
            <ReportSection ed=ed i=1/>
            <ReportSection ed=ed i=2/>
            <div class="report-sign">
                <p id="report-signature" class="report-signature">{format!("{street}党工委  {street}办事处（盖章）")}</p>
                <p id="report-date" class="report-date">{date}</p>
            </div>
        </article>
    }
}

/// One of the three sections: its textarea while editing (and the text as typed on paper), else the text saved.
#[component]
fn ReportSection(ed: Editor, i: usize) -> impl IntoView {
    let Editor { texts, editing, error, .. } = ed;
    let (field, heading, rows) = SECTIONS[i];
    let text = texts[i];
    let body = move || {
        if editing.get() {
            view! {
                <textarea id=field class="report-textarea no-print" rows=rows bind:value=text
                    aria-label=heading
                    class:invalid=move || error.with(|e| e.as_ref().is_some_and(|e| e.field.as_deref() == Some(field)))>
                </textarea>
                <div class="no-print"><FieldError error=error field=field/></div>
                // On paper: the text as it stands in the editor.
                <div class="report-text print-only">{move || paragraphs(&text.get())}</div>
            }
            .into_any()
        } else {
            let saved = ed.saved_text(i);
            let empty = saved.trim().is_empty();
            view! {
                <div class="report-text">{paragraphs(&saved)}</div>
                {empty.then(|| view! { <p class="muted no-print report-unwritten">"（尚未填写）"</p> })}
            }
            .into_any()
        }
    };
    view! {
        <h3 class="report-heading">{heading}</h3>
        <div class="report-section" id=format!("report-{field}")>{body}</div>
    }
}

/// Under a draft being edited: what no section shows of an error, whether something is unsaved, 保存 and 报送.
#[component]
fn EditBar(ed: Editor) -> impl IntoView {
    let Editor { editing, pending, error, .. } = ed;
    move || {
        editing.get().then(|| {
            view! {
                <div class="save-bar report-save-bar">
                    <ErrorBox error=general_error(error, SECTION_FIELDS)/>
                    <p class="hint report-save-hint">
                        {move || if ed.dirty() { "有未保存的修改。" } else { "" }}
                        "报送后不能再修改；请在每月5日前报送。"
                    </p>
                    <div class="actions">
                        <button type="button" id="report-save" on:click=move |_| ed.send(false)
                            disabled=move || pending.get().is_some()>
                            {move || if pending.get() == Some("save") { "正在保存…" } else { "保存" }}
                        </button>
                        <button type="button" id="report-submit" class="primary" on:click=move |_| ed.send(true)
                            disabled=move || pending.get().is_some()>
                            {move || if pending.get() == Some("submit") { "正在报送…" } else { "报送" }}
                        </button>
                    </div>
                </div>
            }
        })
    }
}

/// Puts the cursor in a section's textarea and brings it into view.
fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id)) {
        el.scroll_into_view();
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}

/// Every saved version, newest first; clicking one shows its text, read-only.
fn versions_view(versions: Vec<ReportVersion>, current: i64) -> impl IntoView {
    let open = RwSignal::new(None::<i64>);
    let items = versions
        .into_iter()
        .map(|v| {
            let n = v.version;
            let shown = move || open.get() == Some(n);
            let text = move |t: &String| paragraphs(t);
            let body = {
                let v = v.clone();
                move || {
                    shown().then(|| {
                        let parts = [&v.section1, &v.section2, &v.section3]
                            .into_iter()
                            .zip(SECTIONS)
                            .map(|(t, (_, heading, _))| {
                                view! {
                                    <h4 class="report-heading">{heading}</h4>
                                    <div class="report-text">{text(t)}</div>
                                }
                            })
                            .collect_view();
                        view! { <div class="version-view" id="report-version-view" data-version=n.to_string()>{parts}</div> }
                    })
                }
            };
            view! {
                <li class="report-version" data-version=n.to_string() class:open=shown>
                    <button type="button" class="version-button" aria-expanded=move || shown().to_string()
                        on:click=move |_| open.update(|o| *o = if *o == Some(n) { None } else { Some(n) })>
                        <span class="version-no">{format!("第{n}版")}</span>
                        {(n == current).then(|| view! { <span class="badge info">"当前"</span> })}
                        <span class="version-at">{format::long(v.saved_at)}</span>
                        <span class="version-by">{v.saved_by.clone()}</span>
                    </button>
                    {body}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card no-print report-versions-card">
            <h3>"修改记录"</h3>
            <p class="hint">"每次保存都留有一版，点击查看当时的内容。"</p>
            <ol id="report-versions" class="report-versions">{items}</ol>
        </section>
    }
}

fn names(list: &[String]) -> String {
    if list.is_empty() {
        "无".into()
    } else {
        list.join("、")
    }
}

/// The figures section 一 was drafted from, folded.
fn figures_view(f: &ReportFigures) -> impl IntoView {
    let rows: Vec<(&str, String)> = vec![
        ("收集民情事项", format!("{}类、{}件", f.types, f.collected)),
        ("已解决落实", format!("{}件", f.solved)),
        ("其中街道社区自己解决", format!("{}件", f.solved_locally)),
        ("经与部门单位沟通解决", format!("{}件", f.solved_with_departments)),
        ("正在解决中", format!("{}件", f.in_progress)),
        ("目前尚未解决", format!("{}件，涉及{}类问题", f.unsolved, f.unsolved_types)),
        ("尚未解决涉及部门单位", names(&f.unsolved_departments)),
        ("民情事项办结率", percent(f.completion_rate)),
        ("群众满意率", percent(f.satisfaction)),
        ("满意度测评高于90%的单位", names(&f.above_90)),
        ("满意度测评低于50%的单位", names(&f.below_50)),
        ("不满意的事项", format!("{}类、{}件", f.dissatisfied_types, f.dissatisfied_items)),
    ];
    let rows = rows
        .into_iter()
        .map(|(label, value)| {
            view! {
                <div class="field-row">
                    <dt>{label}</dt>
                    <dd>{value}</dd>
                </div>
            }
        })
        .collect_view();
    view! {
        <details id="report-figures" class="card no-print report-figures">
            <summary>"数据来源"</summary>
            <p class="hint">
                "“一、基本情况”生成草稿时依据的数字：按本月收集的民情事项和本月评价计算；办结率取统计表（附件3）合计。"
            </p>
            <dl class="fields">{rows}</dl>
        </details>
    }
}
