//! The journey of an item on its page: the stage panel (stage, its clock, the department holding it, the sheet),
//! and the department's half of the sheet 附件2 (dispatch, accept, extension, return, sign-off), earlier returns
//! (退单), the result's photos and, for a major item, the leaders told at once (直报).

use leptos::prelude::*;
use shared::item::{Item, ItemStatus, Photo};
use shared::journey::{DirectReportInfo, DispatchInfo, ExtensionInfo, Rejection};
use shared::Level;

use crate::components::fields::{due_badge, field, opt_time, ticking_now, yes_no, EMPTY};
use crate::format;

/// The top of the item page: where it stands, until when, who holds it, and its sheet.
#[component]
pub fn StagePanel(item: Item) -> impl IntoView {
    let now = ticking_now();
    let due = item.stage_due_at;
    let overdue = item.overdue;
    let due_soon = item.journey.due_soon;
    let closed = item.status == ItemStatus::Closed;
    let sheet_href = format!("/items/{}/sheet", item.id);
    let holder = item.department.clone().map(|d| d.name);
    view! {
        <section id="stage-panel" class="card stage-panel" class:overdue=move || due.is_some_and(|d| overdue || now.get() > d)
            data-status=item.status.code()>
            <div class="stage-head">
                <span class="stage-label">{item.status.label()}</span>
                {due.map(|d| view! { <span class="stage-clock">{move || due_badge(d, overdue, due_soon, now.get())}</span> })}
            </div>
            <dl class="fields stage-fields">
                {due.map(|d| field("截止时间", format::long(d)))}
                {due.and(shared::settings::clock_source(item.status, item.level)).map(|source| field("时限依据", source))}
                {closed.then(|| field("办结反馈", "已反馈居民，流程结束"))}
                {holder.map(|h| field("办理部门", h))}
                {item.sheet_no.clone().map(|no| field("反馈单编号", view! {
                    <span class="sheet-no">{no}</span>
                    <a id="print-sheet-link" class="sheet-link" href=sheet_href.clone()>"打印反馈单"</a>
                }))}
            </dl>
        </section>
    }
}

/// The sections of the journey below the item's own fields.
pub fn journey_sections(item: &Item) -> impl IntoView {
    let j = &item.journey;
    let result = item.result.clone().filter(|r| !r.trim().is_empty());
    let dispatch = j.dispatch.clone();
    let rejections = j.rejections.clone();
    let photos = j.result_photos.clone();
    let major = item.level == Level::Major;
    let reports = j.direct_reports.clone();
    let rating = j.resident_rating.clone();
    let proposed = item.proposed_department.clone().filter(|_| dispatch.is_none());
    let sent = item.sent_at.map(|at| {
        let by = j.sent_by.as_ref().map(|p| p.name.clone()).unwrap_or_else(|| EMPTY.into());
        (at, by)
    });
    view! {
        {result.map(|r| view! {
            <section class="card" id="item-result">
                <h3>"办理结果"</h3>
                <p class="content-text">{r}</p>
            </section>
        })}
        {(sent.is_some() || proposed.is_some()).then(|| view! {
            <section class="card" id="sheet-sent">
                <h3>"发单"</h3>
                <dl class="fields">
                    {sent.clone().map(|(at, by)| view! {
                        {field("发单时间", format::long(at))}
                        {field("发单人", by)}
                    })}
                    {proposed.map(|p| field("社区建议部门", p.name))}
                </dl>
            </section>
        })}
        {dispatch.map(dispatch_view)}
        {(!rejections.is_empty()).then(|| view! {
            <section class="card" id="rejections">
                <h3>"退单记录"</h3>
                <ul class="record-list">{rejections.into_iter().map(rejection_view).collect_view()}</ul>
            </section>
        })}
        {(!photos.is_empty()).then(|| photo_section("result-photos", "办结照片", photos))}
        {rating.map(rating_view)}
        {(major || !reports.is_empty()).then(|| view! {
            <section class="card" id="direct-reports">
                <h3>"直报市领导"</h3>
                {if reports.is_empty() {
                    view! { <p class="muted">"暂无直报记录"</p> }.into_any()
                } else {
                    view! { <ul class="record-list">{reports.into_iter().map(report_view).collect_view()}</ul> }.into_any()
                }}
            </section>
        })}
    }
}

/// The resident's rating with its satisfaction rate (the one rule of `shared::voice`).
fn rating_view(r: shared::voice::Rating) -> impl IntoView {
    let rate = &r.rate;
    let answers = rate.answers();
    let count = |a: shared::voice::Answer| answers.iter().filter(|x| **x == a).count() as i64;
    use shared::voice::Answer;
    let pct = shared::voice::satisfaction_rate(
        count(Answer::Satisfied),
        count(Answer::Basically),
        count(Answer::Dissatisfied),
    )
    .map(|p| format!("{:.1}%", p * 100.0))
    .unwrap_or_else(|| "—".into());
    view! {
        <section class="card" id="resident-rating">
            <h3>"居民评价"</h3>
            <dl class="fields">
                {field("是否及时", rate.timely.label())}
                {field("服务态度", rate.attitude.label())}
                {field("处理结果", rate.result.label())}
                {rate.not_solved.then(|| field("问题没有解决", "是"))}
                {rate.comment.clone().map(|c| field("意见", c))}
                {field("满意率", pct)}
                {field("评价时间", format::long(r.updated_at))}
            </dl>
            <p class="muted">{shared::voice::SATISFACTION_RULE}</p>
        </section>
    }
}

/// A grid of photos that open in full.
pub fn photo_section(id: &'static str, title: &'static str, photos: Vec<Photo>) -> impl IntoView {
    view! {
        <section class="card" id=id>
            <h3>{title}"（"{photos.len()}"张）"</h3>
            <ul class="photo-grid item-photos">
                {photos
                    .into_iter()
                    .map(|p| view! {
                        <li class="item-photo">
                            <a href=p.url target="_blank" rel="noopener">
                                <img src=p.thumb_url alt="照片" loading="lazy"/>
                            </a>
                        </li>
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

fn person(p: &Option<shared::item::PersonRef>) -> String {
    p.as_ref().map(|p| p.name.clone()).unwrap_or_else(|| EMPTY.into())
}

fn opt_yes_no(b: Option<bool>) -> &'static str {
    b.map(yes_no).unwrap_or(EMPTY)
}

/// The department's half of the sheet.
fn dispatch_view(d: DispatchInfo) -> impl IntoView {
    let co = (!d.co_departments.is_empty())
        .then(|| d.co_departments.iter().map(|u| u.name.clone()).collect::<Vec<_>>().join("、"));
    let returned = d.returned_at.is_some();
    let late_part = d.onsite.is_some()
        || d.measures_clear.is_some()
        || d.unsolved_reason.is_some()
        || d.countermeasures.is_some()
        || d.solved_within_10_days == Some(false);
    let signed = d.signed_by.as_ref().map(|p| {
        let at = d.signed_at.map(format::long).unwrap_or_default();
        format!("{} {}", p.name, at)
    });
    view! {
        <section class="card" id="dispatch-info">
            <h3>"部门办理（反馈单）"</h3>
            <dl class="fields">
                {field("交办责任单位或部门", d.department.name.clone())}
                {co.map(|c| field("协办部门", c))}
                {field("派单时间", format::long(d.dispatched_at))}
                {field("派单人", d.dispatched_by.name.clone())}
                {field("接单时间", opt_time(d.accepted_at))}
                {field("接单人", person(&d.accepted_by))}
                {d.due_at.map(|at| field("办理期限", format::long(at)))}
                {field("返单时间", opt_time(d.returned_at))}
                {returned.then(|| view! {
                    {field("返单人", person(&d.returned_by))}
                    {field("是否办结", opt_yes_no(d.solved))}
                    {field("10日内是否办结", opt_yes_no(d.solved_within_10_days))}
                    {field("办结时间", d.returned_at.filter(|_| d.solved == Some(true)).map(|r| format::finish(r, d.solved_at)).unwrap_or_else(|| "—".into()))}
                })}
                {late_part.then(|| view! {
                    {field("是否现场办公", opt_yes_no(d.onsite))}
                    {field("是否明确解决措施", opt_yes_no(d.measures_clear))}
                    {d.measures.clone().map(|m| field("解决措施", m))}
                    {d.unsolved_reason.clone().map(|m| field("经沟通，仍无法处理原因", m))}
                    {d.countermeasures.clone().map(|m| field("建议对策", m))}
                })}
                {signed.map(|s| field("主要领导签字", s))}
            </dl>
            {d.extension.clone().map(extension_view)}
        </section>
    }
}

fn extension_view(e: ExtensionInfo) -> impl IntoView {
    let decision = match e.approved {
        None => "待街道审批".to_string(),
        Some(ok) => {
            let who = person(&e.decided_by);
            let at = e.decided_at.map(format::long).unwrap_or_default();
            format!("{}（{} {}）", if ok { "同意延期5日" } else { "不同意延期" }, who, at)
        }
    };
    view! {
        <div class="extension-box" id="extension-info" data-approved=e.approved.map(|b| b.to_string()).unwrap_or_default()>
            <h4>"延期申请"</h4>
            <dl class="fields">
                {field("申请时间", format::long(e.requested_at))}
                {field("申请人", e.requested_by.name.clone())}
                {field("延期理由", e.reason.clone())}
                {field("审批结果", decision)}
                {e.note.clone().filter(|n| !n.trim().is_empty()).map(|n| field("审批意见", n))}
            </dl>
        </div>
    }
}

fn rejection_view(r: Rejection) -> impl IntoView {
    view! {
        <li class="record">
            <div class="record-head">
                <strong>{r.department.name.clone()}</strong>
                <span class="badge">{r.reason.label()}</span>
            </div>
            <p class="muted small">{r.by.name.clone()}" · "{format::long(r.at)}</p>
            {r.note.clone().filter(|n| !n.trim().is_empty()).map(|n| view! { <p class="record-note">{n}</p> })}
        </li>
    }
}

fn report_view(r: DirectReportInfo) -> impl IntoView {
    let acked = r.acknowledged_at.is_some();
    let ack = match (r.acknowledged_at, r.minutes_to_acknowledge) {
        (Some(at), Some(m)) => format!("已阅 {}（{}分钟后）", format::long(at), m),
        (Some(at), None) => format!("已阅 {}", format::long(at)),
        _ => "未阅".to_string(),
    };
    view! {
        <li class="record">
            <div class="record-head">
                <strong>{r.leader.name.clone()}</strong>
                <span class="badge" class:info=!acked>{if acked { "已阅" } else { "未阅" }}</span>
            </div>
            <p class="muted small">"直报时间："{format::long(r.reported_at)}</p>
            <p class="small">{ack}</p>
        </li>
    }
}
