//! My items (我登记的民情), newest first with paging, and one item's page: its stage and clock, the actions on offer,
//! content and photos, the journey (sheet, dispatch, returns, direct reports), its ledger fields in the ledger's
//! order, place, resident, the follow-ups of dissatisfied ratings, the resident's link, and its history (with a link
//! to the printable 全过程记录). The item's panels, its sheet and its evidence live beside this file.

mod actions;
mod chases;
mod co_handling;
mod correction;
mod department_actions;
mod evidence;
mod follow_ups;
mod journey;
mod leader_reports;
mod onsite;
mod resident_link;
mod return_sheet;
mod sheet;
mod street_actions;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use shared::access;
use shared::channels::ItemOrigin;
use shared::item::{Item, ItemEvent, LedgerRow};
use shared::ApiError;

use crate::api;
use crate::components::fields::{field, level_view, opt_time, place_name, yes_no, EMPTY};
use crate::components::{ErrorBox, Loaded, Loading, Paged, TopBar};
use crate::format;
use crate::state;
use actions::ActionPanel;
use chases::ChasesPanel;
use co_handling::CoHandlingPanel;
use correction::CorrectionPanel;
pub use evidence::EvidencePage;
use follow_ups::ItemFollowUps;
use journey::{journey_sections, photo_section, StagePanel};
use leader_reports::LeaderReportsPanel;
use onsite::OnsitePanel;
use resident_link::ResidentLinkCard;
pub use sheet::SheetPage;

/// The items I collected, newest first.
const MY_ITEMS: &str = "/api/items/mine";

#[component]
pub fn MyItemsPage() -> impl IntoView {
    let paged = Paged::kept_on_phone();
    paged.start(MY_ITEMS.to_string());

    let list = move || {
        let rows = paged.rows.get();
        if rows.is_empty() {
            return (paged.total.get() == Some(0)).then(|| {
                view! {
                    <div class="card center">
                        <p class="muted">"您还没有登记过民情。"</p>
                        <a class="button primary" href="/capture">"登记民情"</a>
                    </div>
                }
                .into_any()
            });
        }
        Some(rows.into_iter().map(item_row).collect_view().into_any())
    };

    view! {
        <div class="page">
            <TopBar title="我登记的民情" back="/"/>
            {move || paged.total.get().filter(|t| *t > 0).map(|t| view! { <p class="muted count">"共"{t}"条"</p> })}
            <div id="my-items" class="item-list">{list}</div>
            {move || paged.loading.get().then(|| view! { <Loading/> })}
            <ErrorBox error=paged.error/>
            {move || (paged.next.get().is_some() && !paged.loading.get()).then(|| view! {
                <button type="button" id="load-more" class="big" on:click=move |_| paged.more(MY_ITEMS.to_string())>"加载更多"</button>
            })}
            {move || (paged.error.get().is_some() && paged.rows.with(Vec::is_empty)).then(|| view! {
                <button type="button" class="big" on:click=move |_| paged.start(MY_ITEMS.to_string())>"重新加载"</button>
            })}
        </div>
    }
}

/// One row of my items: a card that leads to the item.
fn item_row(r: LedgerRow) -> impl IntoView {
    let href = format!("/items/{}", r.id);
    view! {
        <a class="card item-row" href=href data-item-id=r.id.clone()>
            <div class="item-row-head">
                <span class="seq">"序号 "{r.seq}</span>
                <span class="item-type">{r.item_type.label()}</span>
                {level_view(r.level)}
                <span class="badge status">{r.status.label()}</span>
            </div>
            <p class="summary">{r.summary.clone()}</p>
            <div class="item-row-meta">
                <span>{format::short(r.collected_at)}</span>
                <span class="place">{r.place.clone()}</span>
                {(r.photo_count > 0).then(|| view! { <span class="photo-count">"照片"{r.photo_count}"张"</span> })}
            </div>
        </a>
    }
}

#[component]
pub fn ItemPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let item = RwSignal::new(None::<Result<Item, ApiError>>);
    let events_version = RwSignal::new(0u32);
    // What the last action did, or why it could not be done (the item changed meanwhile).
    let done_note = RwSignal::new(None::<String>);
    let conflict = RwSignal::new(None::<ApiError>);

    let load = move || {
        let wanted = id.get_untracked();
        spawn_local(async move {
            let result = api::get::<Item>(&format!("/api/items/{}", api::encode(&wanted))).await;
            // Another item may have been opened meanwhile.
            if id.try_get_untracked().as_deref() == Some(wanted.as_str()) {
                let _ = item.try_set(Some(result));
            }
        });
    };
    Effect::new(move |_| {
        id.track();
        item.set(None);
        done_note.set(None);
        conflict.set(None);
        load();
    });
    let events = LocalResource::new(move || {
        let id = id.get();
        events_version.track();
        async move { api::get::<Vec<ItemEvent>>(&format!("/api/items/{}/events", api::encode(&id))).await }
    });
    let on_done = Callback::new(move |(updated, note): (Item, String)| {
        conflict.set(None);
        done_note.set(Some(note));
        item.set(Some(Ok(updated)));
        events_version.update(|v| *v += 1);
        scroll_to_top();
    });
    // A change answered without the item (a chase, a reply): reload it and say what was done.
    let on_changed = Callback::new(move |note: String| {
        conflict.set(None);
        done_note.set(Some(note));
        load();
        events_version.update(|v| *v += 1);
        scroll_to_top();
    });
    let on_conflict = Callback::new(move |e: ApiError| {
        done_note.set(None);
        conflict.set(Some(e));
        load();
        events_version.update(|v| *v += 1);
        scroll_to_top();
    });
    // Back to where people of this role come from: their work queue, their own items, or the ledger.
    let back = match state::current() {
        Some(s) if access::acts_in_queue(&s.me.roles) => "/queue",
        Some(s) if access::captures(&s.me.roles) => "/items",
        _ => "/ledger",
    };

    let body = move || match item.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => view! {
            <ErrorBox error=Signal::stored(Some(e))/>
            <button type="button" on:click=move |_| load()>"重新加载"</button>
        }
        .into_any(),
        Some(Ok(item)) => view! {
            <StagePanel item=item.clone()/>
            {move || done_note.get().map(|m| view! {
                <p id="action-done" class="success" role="status">{m}
                    <button type="button" class="link-button" on:click=move |_| done_note.set(None)>"知道了"</button>
                </p>
            })}
            <div id="action-conflict">
                <ErrorBox error=conflict/>
                {move || conflict.with(Option::is_some).then(|| view! {
                    <p class="hint">"已重新加载最新内容，请查看后再办理。"</p>
                })}
            </div>
            <ChasesPanel item=item.clone() on_changed=on_changed/>
            <LeaderReportsPanel item=item.clone() on_done=on_done on_conflict=on_conflict/>
            <OnsitePanel item=item.clone() on_done=on_done on_conflict=on_conflict/>
            <ActionPanel item=item.clone() on_done=on_done on_conflict=on_conflict/>
            <CorrectionPanel item=item.clone() on_done=on_done on_conflict=on_conflict/>
            <CoHandlingPanel item=item.clone() on_done=on_done on_conflict=on_conflict/>
            {item_view(item)}
        }
        .into_any(),
    };
    let history = view! {
        <Loaded resource=events let:value>
            {match value {
                list if list.is_empty() => view! { <p class="muted">"暂无记录"</p> }.into_any(),
                list => view! {
                    <ol class="timeline">{list.into_iter().map(event_view).collect_view()}</ol>
                }
                .into_any(),
            }}
        </Loaded>
    };

    // Kept across reloads of the item (a link just issued stays on screen after an action).
    let loaded = Memo::new(move |_| item.with(|i| matches!(i, Some(Ok(_)))));
    // The link is handed to residents by the people who register items (the server checks the same roles).
    let issues_links = state::current().is_some_and(|s| access::captures(&s.me.roles));
    let voice = move || {
        loaded.get().then(|| {
            view! {
                <ItemFollowUps item=item/>
                {issues_links.then(|| view! { <ResidentLinkCard item_id=id/> })}
            }
        })
    };

    // The whole history, printable as evidence.
    let evidence_href = move || format!("/items/{}/evidence", api::encode(&id.get()));

    view! {
        <div id="item-page" class="page" data-item-id=move || id.get()
            data-status=move || item.with(|i| i.as_ref().and_then(|i| i.as_ref().ok()).map(|i| i.status.code()))
            data-version=move || item.with(|i| i.as_ref().and_then(|i| i.as_ref().ok()).map(|i| i.version.to_string()))>
            <TopBar title="民情详情" back=back/>
            {body}
            {voice}
            <section class="card" id="item-history">
                <div class="section-head">
                    <h3>"处理记录"</h3>
                    <a id="evidence-link" class="evidence-link" href=evidence_href>"全过程记录"</a>
                </div>
                {history}
            </section>
        </div>
    }
}

fn scroll_to_top() {
    if let Some(w) = web_sys::window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

fn item_view(item: Item) -> impl IntoView {
    let channel = match item.source {
        Some(s) => format!("{}（{}）", item.channel.label(), s.label()),
        None => item.channel.label().to_string(),
    };
    let l = item.ledger.clone();
    let phone = item.resident_phone.clone().map(|p| {
        // A masked number (138****5678) cannot be called.
        if p.contains('*') {
            view! { <span>{p}</span> }.into_any()
        } else {
            view! { <a href=format!("tel:{p}")>{p.clone()}</a> }.into_any()
        }
    });
    let position = item.latitude.zip(item.longitude).map(|(lat, lon)| {
        let acc = item.gps_accuracy_m.map(|a| format!("，精度约{}米", a.round() as i64)).unwrap_or_default();
        format!("{lat:.6}, {lon:.6}{acc}")
    });
    let photos = item.photos.clone();
    let journey = journey_sections(&item);
    view! {
        <section class="card item-head">
            <div class="item-row-head">
                <span class="seq">"序号 "{item.seq}</span>
                <span class="item-type">{item.item_type.label()}</span>
                {level_view(item.level)}
                <span class="badge status">{item.status.label()}</span>
            </div>
            <p class="muted small">{place_name(&item.community.full_name, &item.community.name)}" · 台账"</p>
        </section>
        <section class="card">
            <h3>"收集内容"</h3>
            <p class="content-text">{item.content.clone()}</p>
        </section>
        {origin_view(&item.origin)}
        {(!photos.is_empty()).then(|| photo_section("item-photos", "照片", photos))}
        {journey}
        <section class="card">
            <dl class="fields" id="item-fields">
                {field("序号", item.seq.to_string())}
                {field("收集时间", format::collected(&item))}
                {field("收集人", item.collector.name.clone())}
                {field("收集方式", channel)}
                {field("类型", item.item_type.label())}
                {field("级别", level_view(item.level))}
                {field("是否办结", yes_no(l.closed))}
                {field("办结时间", opt_time(l.closed_at))}
                {field("办结情况", l.outcome.map(|o| o.label()).unwrap_or(EMPTY))}
                {field("是否向居民反馈结果", yes_no(l.resident_told))}
                {field("反馈时间", opt_time(l.told_at))}
                {field("反馈人", l.told_by.clone().unwrap_or_else(|| EMPTY.into()))}
            </dl>
        </section>
        <section class="card">
            <dl class="fields">
                {field("地点", place_name(&item.place.full_name, &item.place.name))}
                {item.address.clone().filter(|a| !a.is_empty()).map(|a| field("地址", a))}
                {position.map(|p| field("位置", p))}
                {field("居民", item.resident_name.clone().unwrap_or_else(|| "未留姓名".into()))}
                {field("联系电话", phone.unwrap_or_else(|| view! { <span>"未留电话"</span> }.into_any()))}
                {field("同意回访", yes_no(item.callback_consent))}
            </dl>
        </section>
    }
}

/// Where the item was raised beyond its channel: the visit, meeting or reception, the building leader credited, and
/// whether it was solved on the spot.
fn origin_view(o: &ItemOrigin) -> Option<impl IntoView> {
    let source = if o.visit_id.is_some() {
        Some(view! { <span id="origin-visit">"来自走访"</span> }.into_any())
    } else if let Some(id) = &o.meeting_id {
        Some(view! { <a id="origin-meeting" href=format!("/meetings/{}", api::encode(id))>"来自会议"</a> }.into_any())
    } else {
        o.reception_id.as_ref().map(|id| {
            view! { <a id="origin-reception" href=format!("/receptions/{}", api::encode(id))>"来自接待"</a> }.into_any()
        })
    };
    let leader = o.building_leader.as_ref().map(|p| format!("楼长 {}", p.name));
    if source.is_none() && leader.is_none() && !o.solved_on_spot {
        return None;
    }
    Some(view! {
        <section class="card item-origin" id="item-origin">
            <dl class="fields">
                {source.map(|s| field("来源", s))}
                {leader.map(|l| field("代楼长登记", view! { <span id="origin-building-leader">{l}</span> }))}
                {o.solved_on_spot.then(|| field("办结方式", view! { <span id="origin-on-spot" class="badge origin-on-spot">"现场解决"</span> }))}
            </dl>
        </section>
    })
}

fn event_view(e: ItemEvent) -> impl IntoView {
    view! {
        <li class="event">
            <div class="event-head">
                <strong>{e.label.clone()}</strong>
                <span class="muted">{e.actor.name.clone()}</span>
                <time class="muted">{format::long(e.at)}</time>
            </div>
            {(!e.changes.is_empty()).then(|| view! {
                <ul class="changes">
                    {e.changes
                        .into_iter()
                        .map(|c| view! {
                            <li>
                                <span class="change-label">{c.label}"："</span>
                                <span class="before">{c.before.unwrap_or_else(|| "（空）".into())}</span>
                                " → "
                                <span class="after">{c.after.unwrap_or_else(|| "（空）".into())}</span>
                            </li>
                        })
                        .collect_view()}
                </ul>
            })}
        </li>
    }
}
