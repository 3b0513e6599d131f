//! What the user sees of the outbox: the home screen's 「待上传 n 条」 line and the /outbox page listing every record
//! kept on the phone, with 立即上传, 修改 (a refused capture or visit) and 删除.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::ApiError;

use super::{entries, offline, remove, send_now, sending, Entry, Kind};
use crate::components::TopBar;

/// The home screen's line: how many records wait on the phone (nothing when none), and 正在上传… while sending.
#[component]
pub fn OutboxLink() -> impl IntoView {
    let list = entries();
    let count = move || list.with(Vec::len);
    let fix = move || list.with(|l| l.iter().filter(|e| e.needs_fix).count());
    move || {
        (count() > 0).then(|| {
            view! {
                <a id="outbox-link" class="outbox-link" href="/outbox" data-count=move || count().to_string()>
                    <span class="outbox-count">{move || format!("待上传 {} 条", count())}</span>
                    {move || (fix() > 0).then(|| view! { <span class="outbox-fix">{format!("（{} 条需要修改）", fix())}</span> })}
                    {move || sending().get().then(|| view! { <span class="outbox-sending">"正在上传…"</span> })}
                </a>
            }
        })
    }
}

/// The field an error names, in Chinese.
fn field_label(field: &str) -> &'static str {
    let base = field.split('[').next().unwrap_or(field);
    match base {
        "channel" => "收集方式",
        "source" => "来源",
        "item_type" => "类型",
        "level" => "级别",
        "place_id" => "地点",
        "resident_name" => "居民姓名",
        "resident_phone" => "手机号",
        "content" => "收集内容",
        "address" => "地址",
        "photo_ids" | "photo_id" => "照片",
        "visit_id" => "走访记录",
        "meeting_id" => "会议",
        "reception_id" => "接待",
        "building_leader_id" => "代楼长登记",
        "solved_on_spot" => "现场解决",
        "collected_at" => "收集时间",
        "visited_at" => "走访时间",
        "target_id" => "走访对象",
        "note" => "走访情况",
        "grid_id" => "网格",
        "id" => "编号",
        _ => "",
    }
}

fn error_line(e: &ApiError) -> String {
    match e.field.as_deref().map(field_label).filter(|l| !l.is_empty()) {
        Some(label) => format!("{label}：{}", e.message),
        None => e.message.clone(),
    }
}

/// When a record was queued, in the city's time like every other time in the app.
fn queued_time(ms: f64) -> String {
    chrono::DateTime::from_timestamp_millis(ms as i64).map(crate::format::short).unwrap_or_default()
}

#[component]
pub fn OutboxPage() -> impl IntoView {
    let list = entries();
    let note = RwSignal::new(None::<&'static str>);
    let send = move |_| {
        note.set(offline().then_some("网络已断开，联网后会自动上传"));
        send_now();
    };
    view! {
        <div id="outbox-page" class="page outbox-page">
            <TopBar title="待上传" back="/"/>
            <section class="card outbox-head">
                <p>{move || match list.with(Vec::len) {
                    0 => "手机上没有待上传的记录".to_string(),
                    n => format!("手机上有 {n} 条记录，联网后自动上传"),
                }}</p>
                {move || sending().get().then(|| view! { <p class="outbox-sending" role="status">"正在上传…"</p> })}
                {move || note.get().map(|m| view! { <p class="hint">{m}</p> })}
                <button type="button" id="outbox-send" class="primary big" on:click=send
                    disabled=move || list.with(Vec::is_empty)>"立即上传"</button>
            </section>
            <ul class="outbox-list">
                <For each=move || list.get() key=|e| (e.id.clone(), e.needs_fix, e.error.clone().map(|e| e.message)) let:entry>
                    {record_view(entry)}
                </For>
            </ul>
        </div>
    }
}

fn record_view(e: Entry) -> impl IntoView {
    let id = e.id.clone();
    let delete = move |_| {
        let ok = web_sys::window()
            .and_then(|w| w.confirm_with_message("删除后这条记录将不会上传，确定删除吗？").ok())
            .unwrap_or(false);
        if ok {
            let id = id.clone();
            spawn_local(async move { remove(&id).await });
        }
    };
    // 修改 reopens the form the record came from: the capture form, or the visit's card on the day's page.
    let fix_href = match e.kind {
        Kind::Item => format!("/capture?outbox={}", crate::api::encode(&e.id)),
        Kind::Visit => format!("/visits?outbox={}", crate::api::encode(&e.id)),
    };
    let can_fix = e.needs_fix;
    view! {
        <li class="card outbox-record" data-id=e.id.clone() data-kind=e.kind.code()
            data-state=if e.needs_fix { "needs_fix" } else { "waiting" }>
            <div class="outbox-record-head">
                <span class="badge outbox-kind">{e.kind.label()}</span>
                <span class="outbox-state" class:needs-fix=e.needs_fix>{if e.needs_fix { "需要修改" } else { "待上传" }}</span>
                <span class="muted small">{queued_time(e.queued_at)}</span>
            </div>
            <p class="outbox-summary">{e.summary.clone()}</p>
            {(e.photo_count > 0).then(|| view! { <p class="muted small">{format!("照片{}张", e.photo_count)}</p> })}
            {e.error.as_ref().map(|err| view! { <p class="field-error outbox-error" role="alert">{error_line(err)}</p> })}
            <div class="actions">
                {can_fix.then(|| view! { <a class="button outbox-fix-link" href=fix_href>"修改"</a> })}
                <button type="button" class="outbox-delete" on:click=delete>"删除"</button>
            </div>
        </li>
    }
}
