//! 今日走访: the grid leader's day (第六条2). Three big cards, one per register — 特殊群体, 诉求较多居民, 问题较多小区 —
//! each done once a day, and the grid's WeChat group. Tapping a card opens the form in place: whom (from the
//! register), what was seen and said, an optional photo, and whether a concern is to be registered (then the capture
//! form opens, linked to the visit). The visit's id is made here and kept until it is saved, so a retry after a lost
//! signal records it once. A visit the server refused after it was kept on the phone is fixed here too
//! (`/visits?outbox=<id>`, 修改 on /outbox): its card's form opens filled from the record, with the server's reason.

mod fix;
mod form;
mod form_view;
mod queued;

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use shared::channels::{GridDay, Visit, VisitKind, VisitTarget};
use shared::dto::UnitRef;
use shared::{ApiError, Role};

use crate::api;
use crate::components::gatherings::raised_links;
use crate::components::{not_for_you, Loaded, TopBar};
use crate::format::{clock_time, day_title};
use crate::outbox;
use crate::state;
use fix::open_refused;
use form::VisitForm;
use form_view::VisitFormView;
use queued::{merge_day, queued_visits_memo, QueuedVisit, SlotVisits};

/// How many register visits make a full day.
const SLOTS: usize = VisitKind::REGISTERS.len();

/// Fields shown next to their input in the visit form; other errors go to the form's error box.
const INLINE_FIELDS: &[&str] = &["target_id", "note", "photo_id", "visited_at"];

/// The grids the account leads.
fn led_grids() -> Vec<UnitRef> {
    state::current()
        .map(|s| s.me.roles.iter().filter(|r| r.role == Role::GridLeader).map(|r| r.unit.clone()).collect())
        .unwrap_or_default()
}

/// The home page's tile for grid leaders: 今日走访 with the day's count (visits still on the phone count too).
#[component]
pub(crate) fn VisitsTile() -> impl IntoView {
    let queued = queued_visits_memo();
    // Loaded again whenever the visits on the phone change, so one the outbox has just sent is counted from the server.
    let day = LocalResource::new(move || {
        let queued = queued.get();
        async move {
            let d = api::get::<GridDay>("/api/visits/day").await?;
            Ok::<_, ApiError>((merge_day(&d, &queued).slots_done, d.items_raised))
        }
    });
    let text = move || match day.get() {
        Some(Ok((done, raised))) => format!("已走访 {done}/{SLOTS}，今日登记民情{raised}条"),
        _ => "每天走访特殊群体、诉求较多居民、问题较多小区各一次".to_string(),
    };
    let done = move || matches!(day.get(), Some(Ok((done, _))) if done >= SLOTS);
    view! {
        <a class="tile visits-tile" id="visits-link" href="/visits" class:all-done=done>
            <span class="tile-title">"今日走访"</span>
            <span class="tile-text" id="visits-tile-count">{text}</span>
        </a>
    }
}

#[component]
pub fn VisitsPage() -> impl IntoView {
    let grids = led_grids();
    let Some(first) = grids.first().cloned() else {
        return not_for_you("今日走访", "今日走访供网格长使用：每天走访特殊群体、诉求较多居民、问题较多小区各一次。")
            .into_any();
    };
    let asked: Option<i64> = use_query_map().get_untracked().get("grid_id").and_then(|v| v.parse().ok());
    let start = asked.filter(|g| grids.iter().any(|u| u.id == *g)).unwrap_or(first.id);
    let form = VisitForm::new(start);
    let queued = queued_visits_memo();
    // 修改 of a visit the server refused (`?outbox=<id>`): its card's form opens filled from the record.
    if let Some(id) = use_query_map().get_untracked().get("outbox") {
        let grid_ids: Vec<i64> = grids.iter().map(|g| g.id).collect();
        spawn_local(open_refused(form, grid_ids, id));
    }

    // The day and the registers, loaded together so the cards are drawn once per refresh; loaded again whenever the
    // visits on the phone change, so one the outbox has just sent shows as the server's, never twice and never gone.
    let day = LocalResource::new(move || {
        form.version.track();
        let g = form.grid_id.get();
        let queued = queued.get();
        async move {
            let day_path = format!("/api/visits/day?grid_id={g}");
            let targets_path = format!("/api/visit-targets?grid_id={g}");
            let (day, targets) =
                // Kept on the phone, so a visit can be recorded with no network.
                futures::future::join(
                    outbox::get_cached::<GridDay>(&day_path),
                    outbox::get_cached::<Vec<VisitTarget>>(&targets_path),
                )
                .await;
            Ok::<_, ApiError>((day?, targets?, queued))
        }
    });

    let grid_chips = (grids.len() > 1).then(|| {
        let chips = grids
            .iter()
            .map(|g| {
                let id = g.id;
                let on = move || form.grid_id.get() == id;
                view! {
                    <button type="button" class="chip" class:selected=on aria-pressed=move || on().to_string()
                        data-grid-id=id.to_string()
                        on:click=move |_| {
                            if form.grid_id.get_untracked() != id {
                                form.close();
                                form.done_note.set(None);
                                form.grid_id.set(id);
                            }
                        }>{g.name.clone()}</button>
                }
            })
            .collect_view();
        view! { <div class="chips grid-chips" role="group" aria-label="网格">{chips}</div> }
    });

    let body = view! {
        <Loaded resource=day let:value
            on_error=move || view! {
                <button type="button" class="big" on:click=move |_| form.version.update(|v| *v += 1)>"重新加载"</button>
            }>
            {
                let (d, t, q) = value;
                day_view(form, d, t, &q)
            }
        </Loaded>
    };

    view! {
        <div id="visits-page" class="page visits-page">
            <TopBar title="今日走访" back="/"/>
            {grid_chips}
            {move || form.done_note.get().map(|m| view! {
                <p id="visit-done" class="success" role="status">{m}
                    <button type="button" class="link-button" on:click=move |_| form.done_note.set(None)>"知道了"</button>
                </p>
            })}
            {body}
            <a id="registers-link" class="button big registers-button"
                href=move || format!("/visits/registers?grid_id={}", form.grid_id.get())>"登记册"</a>
        </div>
    }
    .into_any()
}

/// The day: its count and the four cards.
fn day_view(form: VisitForm, d: GridDay, targets: Vec<VisitTarget>, queued: &[QueuedVisit]) -> impl IntoView {
    let day = merge_day(&d, queued);
    // Every entry's name, those off the register too: a visit on the phone names its target by id.
    let names: HashMap<i64, String> = targets.iter().map(|t| (t.id, t.name.clone())).collect();
    let mut by_register: HashMap<VisitKind, Vec<VisitTarget>> = HashMap::new();
    for t in targets.into_iter().filter(|t| t.active) {
        by_register.entry(t.register).or_default().push(t);
    }
    let slots = day
        .slots
        .into_iter()
        .map(|s| {
            let entries = by_register.remove(&s.kind).unwrap_or_default();
            slot_card(form, s, entries, &names)
        })
        .collect_view();
    let all_done = day.slots_done >= SLOTS;
    view! {
        <section id="visits-summary" class="card visits-summary" class:all-done=all_done
            data-done=day.slots_done.to_string()>
            <div class="summary-head">
                <h2>{d.grid.name.clone()}</h2>
                <span class="muted">{day_title(d.date)}</span>
            </div>
            <p class="visits-count">"已走访 "<strong>{format!("{}/{SLOTS}", day.slots_done)}</strong>
                {all_done.then(|| view! { <span class="all-done-text">" 今日走访已完成"</span> })}
            </p>
            <p class="muted">"今日登记民情 "{d.items_raised}" 条"</p>
        </section>
        <div class="slot-list">
            {slots}
            {slot_card(form, day.wechat, Vec::new(), &names)}
        </div>
    }
}

/// One card: a register (or the WeChat group), what was done today, and the form when open.
fn slot_card(form: VisitForm, s: SlotVisits, entries: Vec<VisitTarget>, names: &HashMap<i64, String>) -> impl IntoView {
    let SlotVisits { kind, done, saved, queued } = s;
    let register = kind.is_register();
    let empty_register = register && entries.is_empty();
    let is_open = move || form.open.get() == Some(kind);
    let state_text = match (register, done) {
        (true, true) => "✓ 已走访".to_string(),
        (true, false) => "未走访".to_string(),
        (false, true) => format!("✓ 今日记录{}条", saved.len() + queued.len()),
        (false, false) => "今日未记录".to_string(),
    };
    let title = if register { kind.label() } else { "网格微信群" };
    let sub = match kind {
        VisitKind::SpecialGroup => "独居老人、残疾人、困难家庭等",
        VisitKind::ManyDemands => "利益诉求较多的居民",
        VisitKind::ProblemCompound => "问题较多的小区",
        VisitKind::WechatGroup => "群里居民反映的问题",
    };
    let visit_list = (!saved.is_empty() || !queued.is_empty()).then(|| {
        let queued = queued
            .into_iter()
            .map(|q| {
                let who = q.body.target_id.and_then(|id| names.get(&id).cloned());
                queued_line(q, who)
            })
            .collect_view();
        view! { <ul class="slot-visits">{saved.into_iter().map(visit_line).collect_view()}{queued}</ul> }
    });
    let open_entries = entries.clone();
    let on_card = move |_| {
        if !empty_register {
            form.open_card(kind, &open_entries);
        }
    };
    let prompt = move || {
        if is_open() {
            return None;
        }
        Some(if empty_register {
            view! {
                <p class="slot-empty">"登记册中还没有"{kind.label()}"，"
                    <a class="register-link" href=format!("/visits/registers?register={}", kind.code())>"请先到登记册添加"</a>
                </p>
            }
            .into_any()
        } else {
            let text = match (register, done) {
                (true, false) => "点此记录走访 ›",
                (true, true) => "再记录一次走访 ›",
                (false, _) => "点此记录群里反映的问题 ›",
            };
            view! { <p class="slot-action">{text}</p> }.into_any()
        })
    };
    view! {
        <section id=format!("slot-{}", kind.code()) class="card slot-card" class:done=done class:open=is_open
            class:wechat=!register data-kind=kind.code() on:click=on_card>
            <div class="slot-head">
                <div class="slot-name">
                    <span class="slot-title">{title}</span>
                    <span class="slot-sub">{sub}</span>
                </div>
                <span class="slot-state" class:done=done>{state_text}</span>
            </div>
            {visit_list}
            {prompt}
            {move || is_open().then(|| view! { <VisitFormView form=form kind=kind entries=entries.clone()/> })}
        </section>
    }
}

/// One visit already made: whom, when, what.
fn visit_line(v: Visit) -> impl IntoView {
    let who = v.target.as_ref().map(|t| t.name.clone());
    let items = raised_links(&v.items);
    view! {
        <li class="visit-line" data-visit-id=v.id.clone()>
            <div class="visit-line-head">
                {who.map(|w| view! { <strong class="visit-target">{w}</strong> })}
                <time class="muted">{clock_time(v.visited_at)}</time>
                {v.photo.is_some().then(|| view! { <span class="muted">"有照片"</span> })}
            </div>
            <p class="visit-note">{v.note.clone()}</p>
            {items}
        </li>
    }
}

/// One visit still on the phone: like a visit made, marked 待上传 — or 需要修改 with a way to /outbox when the
/// server refused it.
fn queued_line(q: QueuedVisit, who: Option<String>) -> impl IntoView {
    let marker = if q.refused {
        view! { <a class="queued-mark needs-fix" href="/outbox">"需要修改 ›"</a> }.into_any()
    } else {
        view! { <span class="queued-mark">"待上传"</span> }.into_any()
    };
    view! {
        <li class="visit-line queued-visit" data-visit-id=q.body.id.clone()
            data-state=if q.refused { "needs_fix" } else { "waiting" }>
            <div class="visit-line-head">
                {who.map(|w| view! { <strong class="visit-target">{w}</strong> })}
                <time class="muted">{clock_time(q.at)}</time>
                {q.body.photo_id.is_some().then(|| view! { <span class="muted">"有照片"</span> })}
                {marker}
            </div>
            <p class="visit-note">{q.body.note.clone()}</p>
        </li>
    }
}
