//! The report while it is a draft: the editor of its three sections (each save a version, then 报送), and the report
//! laid out as 附件4 with a textarea per section.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::journey::VersionOnly;
use shared::stats::{EditReport, Report, ReportStatus};
use shared::{ApiError, ErrorCode};

use super::{paragraphs, SECTIONS};
use crate::api;
use crate::components::form_errors::{field_refusal, general_error};
use crate::components::{ErrorBox, FieldError};
use crate::format::{self, month_label};

/// The fields of the three sections, whose errors show under them.
const SECTION_FIELDS: &[&str] = &["section1", "section2", "section3"];

/// The report on screen and its editor: the three sections as typed, the report as saved, and the state of saving.
#[derive(Clone, Copy)]
pub(super) struct Editor {
    pub(super) texts: [RwSignal<String>; 3],
    pub(super) current: RwSignal<Report>,
    /// The account edits, and the report is a draft.
    pub(super) editing: Memo<bool>,
    pub(super) pending: RwSignal<Option<&'static str>>,
    pub(super) error: RwSignal<Option<ApiError>>,
    pub(super) notice: RwSignal<Option<String>>,
}

impl Editor {
    pub(super) fn new(report: Report, editor: bool) -> Self {
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

/// The report as 附件4 lays it out: title, 市委、市政府：, the opening line, the three sections, signature and date.
#[component]
pub(super) fn ReportDocument(ed: Editor) -> impl IntoView {
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
pub(super) fn EditBar(ed: Editor) -> impl IntoView {
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
