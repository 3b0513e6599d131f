//! Batch import for administrators: download the Excel template, upload a filled one, see what was created or
//! every problem by sheet, row and column.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::dto::ImportSummary;
use shared::{ApiError, ErrorCode, Problem};

use crate::api;
use crate::components::{ErrorBox, TopBar};

/// The name the downloaded template is saved under.
const TEMPLATE_NAME: &str = "民情直通车导入模板.xlsx";

#[component]
pub fn ImportPage() -> impl IntoView {
    let file_input = NodeRef::<html::Input>::new();
    let file_name = RwSignal::new(None::<String>);
    let downloading = RwSignal::new(false);
    let download_error = RwSignal::new(None::<ApiError>);
    let uploading = RwSignal::new(false);
    let summary = RwSignal::new(None::<ImportSummary>);
    let error = RwSignal::new(None::<ApiError>);

    let download = move |_| {
        downloading.set(true);
        download_error.set(None);
        spawn_local(async move {
            if let Err(e) = api::download("/api/import/template", TEMPLATE_NAME).await {
                download_error.set(Some(e));
            }
            downloading.set(false);
        });
    };

    let on_change = move |_| {
        let name = file_input.get().and_then(|i| i.files()).and_then(|f| f.get(0)).map(|f| f.name());
        file_name.set(name);
        summary.set(None);
        error.set(None);
    };

    let upload = move |_| {
        if uploading.get_untracked() {
            return;
        }
        let Some(file) = file_input.get().and_then(|i| i.files()).and_then(|f| f.get(0)) else {
            error.set(Some(api::local_error(ErrorCode::Validation, "请先选择要导入的Excel文件（.xlsx）")));
            return;
        };
        if !file.name().to_lowercase().ends_with(".xlsx") {
            error
                .set(Some(api::local_error(ErrorCode::Validation, "只能导入.xlsx格式的Excel文件，请用下载的模板填写")));
            return;
        }
        summary.set(None);
        error.set(None);
        uploading.set(true);
        spawn_local(async move {
            match api::upload::<ImportSummary>("/api/import", file.into(), api::XLSX).await {
                Ok(s) => summary.set(Some(s)),
                Err(e) => error.set(Some(e)),
            }
            uploading.set(false);
        });
    };

    // An import's own problems get a table; any other error the usual box.
    let problems = move || {
        error.get().filter(|e| e.code == ErrorCode::ImportFailed).map(|e| {
            view! {
                <section class="card problems">
                    <p class="error-text">{e.message}</p>
                    <div class="table-wrap">
                        <table id="import-problems">
                            <thead><tr><th>"工作表"</th><th>"行"</th><th>"列"</th><th>"问题"</th></tr></thead>
                            <tbody>{e.problems.into_iter().map(problem_row).collect_view()}</tbody>
                        </table>
                    </div>
                </section>
            }
        })
    };
    let other_error = Signal::derive(move || error.get().filter(|e| e.code != ErrorCode::ImportFailed));

    view! {
        <div class="page wide">
            <TopBar title="批量导入" back="/"/>
            <section class="card">
                <h3>"第一步：下载模板"</h3>
                <p class="muted">"模板含「填写说明」和示例行。请按模板填写街道、社区、服务站、网格、楼栋、部门和人员。"</p>
                <button id="download-template" type="button" on:click=download disabled=move || downloading.get()>
                    {move || if downloading.get() { "正在下载…" } else { "下载模板" }}
                </button>
                <ErrorBox error=download_error/>
            </section>
            <section class="card">
                <h3>"第二步：上传填好的文件"</h3>
                <label class="file-pick" for="import-file">
                    <span class="button">"选择文件"</span>
                    <span class="file-name">{move || file_name.get().unwrap_or_else(|| "未选择文件".into())}</span>
                </label>
                <input id="import-file" class="visually-hidden" type="file" accept=".xlsx" node_ref=file_input
                    on:change=on_change/>
                <button id="import-submit" type="button" class="primary big" on:click=upload
                    disabled=move || uploading.get()>
                    {move || if uploading.get() { "正在导入，请稍候…" } else { "上传导入" }}
                </button>
                <p class="hint">"整个文件一起检查：只要有一处错误，就不会导入任何数据。"</p>
                <ErrorBox error=other_error/>
            </section>
            {move || summary.get().map(|s| view! {
                <section class="card success-card" id="import-summary">
                    <h3>"导入成功"</h3>
                    <dl class="numbers">
                        <div><dt>"新建单位"</dt><dd>{s.units_created}</dd></div>
                        <div><dt>"新建账号"</dt><dd>{s.accounts_created}</dd></div>
                        <div><dt>"分配角色"</dt><dd>{s.roles_granted}</dd></div>
                    </dl>
                    <p class="hint">"新账号首次登录须修改初始密码。"</p>
                </section>
            })}
            {problems}
        </div>
    }
}

fn problem_row(p: Problem) -> impl IntoView {
    view! {
        <tr>
            <td>{p.sheet.unwrap_or_default()}</td>
            <td>{p.row.map(|r| r.to_string()).unwrap_or_default()}</td>
            <td>{p.column.unwrap_or_default()}</td>
            <td>{p.message}</td>
        </tr>
    }
}
