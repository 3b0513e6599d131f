//! What a report was made of and how it changed: every saved version (read-only), and the figures section 一 was
//! drafted from.

use leptos::prelude::*;
use shared::stats::{percent, ReportFigures, ReportVersion};

use super::{paragraphs, SECTIONS};
use crate::format;

/// Every saved version, newest first; clicking one shows its text, read-only.
pub(super) fn versions_view(versions: Vec<ReportVersion>, current: i64) -> impl IntoView {
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
pub(super) fn figures_view(f: &ReportFigures, as_of: chrono::DateTime<chrono::Utc>) -> impl IntoView {
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
            <p class="hint" id="report-figures-as-of">{format!("数据截至{}，与当月统计表（附件3）一致。", format::long(as_of))}</p>
            <dl class="fields">{rows}</dl>
        </details>
    }
}
