//! 民情事项办理全过程记录 of one item, as printed: the item's key facts, then every recorded action oldest first
//! (when, who, what, each change; chases included). The evidence page prints one; a 纪检监察 dossier prints several.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use shared::item::{FieldChange, Item, ItemEvent};
use shared::voice::Rating;

use crate::components::fields::{place_name, yes_no, EMPTY};
use crate::format;

fn when(at: Option<DateTime<Utc>>) -> String {
    at.map(format::long).unwrap_or_else(|| EMPTY.into())
}

/// The deadline of the current stage, and whether it has passed: "2026年11月30日 14:05（已超时1天2小时）".
fn deadline(item: &Item, now: DateTime<Utc>) -> (String, bool) {
    match item.stage_due_at {
        None => (EMPTY.into(), false),
        Some(due) => {
            let (left, late) = format::countdown(due, now);
            let late = late || item.overdue;
            (format!("{}（{}）", format::long(due), left), late)
        }
    }
}

/// The resident's rating in one line: the three answers, "问题没有解决", the comment and when.
fn rating_text(r: &Rating) -> String {
    let rate = &r.rate;
    let mut parts = vec![
        format!("是否及时：{}", rate.timely.label()),
        format!("服务态度：{}", rate.attitude.label()),
        format!("处理结果：{}", rate.result.label()),
    ];
    if rate.not_solved {
        parts.push("问题没有解决".into());
    }
    if let Some(c) = rate.comment.as_ref().filter(|c| !c.trim().is_empty()) {
        parts.push(format!("意见：{c}"));
    }
    format!("{}（{}）", parts.join("；"), format::long(r.updated_at))
}

/// A row of the facts: two labels and their values.
fn fact_pair(a: &'static str, a_value: String, b: &'static str, b_value: String) -> impl IntoView {
    view! {
        <tr>
            <th>{a}</th><td>{a_value}</td>
            <th>{b}</th><td>{b_value}</td>
        </tr>
    }
}

/// A row of the facts with one label and a long value across the table.
fn fact_wide(id: &'static str, label: &'static str, value: String) -> impl IntoView {
    view! {
        <tr>
            <th>{label}</th>
            <td colspan="3" class="long" id=id>{value}</td>
        </tr>
    }
}

/// The printed record: title, the item's facts, every event, the footer.
pub fn evidence_record(item: Item, events: Vec<ItemEvent>, printed_at: RwSignal<DateTime<Utc>>) -> impl IntoView {
    let l = &item.ledger;
    let channel = match item.source {
        Some(s) => format!("{}（{}）", item.channel.label(), s.label()),
        None => item.channel.label().to_string(),
    };
    let mut place = place_name(&item.place.full_name, &item.place.name);
    if let Some(address) = item.address.as_ref().filter(|a| !a.trim().is_empty()) {
        place = format!("{place}（{address}）");
    }
    let department = item
        .department
        .clone()
        .or_else(|| item.journey.dispatch.as_ref().map(|d| d.department.clone()))
        .map(|u| u.name)
        .unwrap_or_else(|| EMPTY.into());
    let (due, late) = deadline(&item, format::now());
    let closed = if l.closed { format!("是（{}）", when(l.closed_at)) } else { yes_no(false).to_string() };
    let told = if l.resident_told {
        let by = l.told_by.clone().map(|b| format!("，{b}")).unwrap_or_default();
        format!("是（{}{by}）", when(l.told_at))
    } else {
        yes_no(false).to_string()
    };
    let sent_by = item.journey.sent_by.as_ref().map(|p| p.name.clone()).unwrap_or_else(|| EMPTY.into());
    let result = item.result.clone().filter(|r| !r.trim().is_empty());
    // A department's noted finish that differs from the 返单's server time is shown beside it, never instead of it.
    let finished = item
        .journey
        .dispatch
        .as_ref()
        .filter(|d| d.solved == Some(true) && d.solved_at.is_some())
        .and_then(|d| d.returned_at.map(|r| format::finish(r, d.solved_at)))
        .filter(|text| text.contains('（'));
    let rating = item.journey.resident_rating.as_ref().map(rating_text);
    let count = events.len();
    let rows = events.into_iter().enumerate().map(|(i, e)| event_row(i + 1, e)).collect_view();
    let item_id = item.id.clone();

    view! {
        <article class="evidence" id="evidence" data-item-id=item.id.clone()>
            <h2 class="evidence-title">"民情事项办理全过程记录"</h2>
            <p class="evidence-sub">
                "反馈单编号：" <span id="evidence-sheet-no">{item.sheet_no.clone().unwrap_or_else(|| "未发单".into())}</span>
                "　台账序号：" {format!("{} 第{}号", item.community.name, item.seq)}
            </p>
            <h3 class="evidence-heading">"一、事项基本情况"</h3>
            <div class="table-wrap">
                <table class="evidence-facts" id="evidence-facts">
                    <colgroup>
                        <col class="c-label"/><col class="c-value"/><col class="c-label"/><col class="c-value"/>
                    </colgroup>
                    <tbody>
                        {fact_wide("evidence-content", "收集内容", item.content.clone())}
                        {fact_pair("类型", item.item_type.label().into(), "级别", item.level.label().into())}
                        {fact_pair("收集方式", channel, "地点", place)}
                        {fact_pair("收集人", item.collector.name.clone(), "收集时间", format::collected(&item))}
                        <tr>
                            <th>"当前环节"</th>
                            <td id="evidence-status" data-status=item.status.code()>{item.status.label()}</td>
                            <th>"办理时限"</th>
                            <td id="evidence-due" class:overdue-text=late data-overdue=late.to_string()>{due}</td>
                        </tr>
                        {fact_pair("办理部门", department, "发单时间", when(item.sent_at))}
                        {fact_pair("是否办结", closed, "办结情况", l.outcome.map(|o| o.label()).unwrap_or(EMPTY).into())}
                        {fact_pair("反馈居民", told, "发单人", sent_by)}
                        {finished.map(|f| fact_wide("evidence-closed-at", "办结时间", f))}
                        {result.map(|r| fact_wide("evidence-result", "办理结果", r))}
                        {rating.map(|r| fact_wide("evidence-rating", "居民评价", r))}
                    </tbody>
                </table>
            </div>
            <h3 class="evidence-heading">{format!("二、办理过程（共{count}条记录）")}</h3>
            <div class="table-wrap">
                <table class="evidence-table" id="evidence-events">
                    <colgroup>
                        <col class="c-seq"/><col class="c-at"/><col class="c-actor"/><col class="c-label"/>
                        <col class="c-changes"/>
                    </colgroup>
                    <thead>
                        <tr><th>"序号"</th><th>"时间"</th><th>"操作人"</th><th>"事项"</th><th>"内容"</th></tr>
                    </thead>
                    <tbody>
                        {rows}
                        {(count == 0).then(|| view! { <tr class="empty-row"><td colspan="5">"暂无记录"</td></tr> })}
                    </tbody>
                </table>
            </div>
            <p class="evidence-footer" id="evidence-footer">
                <span>
                    "打印时间："
                    <span id="evidence-printed-at">{move || format::to_the_second(printed_at.get())}</span>
                </span>
                <span>"事项ID：" <code id="evidence-item-id">{item_id}</code></span>
            </p>
        </article>
    }
}

/// One recorded action: its number, time to the second, who, what, and each change "字段：旧 → 新".
fn event_row(seq: usize, e: ItemEvent) -> impl IntoView {
    view! {
        <tr class="evidence-event" data-event-id=e.id.to_string() data-kind=e.kind.clone()>
            <td class="c-seq">{seq}</td>
            <td class="c-at"><time datetime=e.at.to_rfc3339()>{format::to_the_second(e.at)}</time></td>
            <td class="c-actor">{e.actor.name.clone()}</td>
            <td class="c-label">{e.label.clone()}</td>
            <td class="c-changes">{e.changes.into_iter().map(change_line).collect_view()}</td>
        </tr>
    }
}

fn change_line(c: FieldChange) -> impl IntoView {
    let empty = || "（空）".to_string();
    // A correction's reason is a statement, not a value that changed.
    if c.field == "reason" && c.before.is_none() {
        return view! {
            <div class="change" data-field=c.field>
                <span class="change-label">{c.label}"："</span>
                <span class="change-after">{c.after.unwrap_or_else(empty)}</span>
            </div>
        }
        .into_any();
    }
    view! {
        <div class="change" data-field=c.field>
            <span class="change-label">{c.label}"："</span>
            <span class="change-before">{c.before.unwrap_or_else(empty)}</span>
            " → "
            <span class="change-after">{c.after.unwrap_or_else(empty)}</span>
        </div>
    }
    .into_any()
}
