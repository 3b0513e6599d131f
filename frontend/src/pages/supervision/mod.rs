//! 督查室 (第八条′): the city-wide queue of overdue items, the longest overdue first — sheet and place, what was
//! raised, the stage, the unit holding it, due, days past due, chases so far, a link to its 全过程记录 — with 催办 on
//! each row for the supervision office; below, each unit's record: overdue now, chases in 90 days, items chased
//! repeatedly, 屡催不改 — with 移交纪检监察 on each unit for the supervision office, and the referrals below.

mod referrals;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::access;

use shared::supervision::{Chase, OverdueItem, UnitRecord};
use shared::validate::check_reason;
use shared::ApiError;

use crate::api;
use crate::components::form_errors::field_refusal;
use crate::components::{not_for_you, ErrorBox, Loaded, TopBar};
use crate::format;
use crate::state;
use referrals::{ReferralForm, ReferralList};

/// "3天", or "不足1天" on the first day past due.
fn days_text(days: i64) -> String {
    if days < 1 {
        "不足1天".into()
    } else {
        format!("{days}天")
    }
}

#[component]
pub fn SupervisionPage() -> impl IntoView {
    let Some(me) = state::current().map(|s| s.me).filter(|m| access::reads_city_figures(&m.roles)) else {
        return not_for_you("督查室", "督查室页面供市委督查室、市领导和市委办/市政府办查看。").into_any();
    };
    // Only the supervision office sends chase notices.
    let chaser = access::chases(&me.roles);
    let version = RwSignal::new(0u32);
    let overdue = LocalResource::new(move || {
        version.track();
        api::get::<Vec<OverdueItem>>("/api/supervision/overdue")
    });
    let units = LocalResource::new(move || {
        version.track();
        api::get::<Vec<UnitRecord>>("/api/supervision/units")
    });
    // The row whose 催办 form is open, and the last notice sent.
    let chasing = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let reload = move || version.update(|v| *v += 1);
    // The unit whose 移交 form is open.
    let referring = RwSignal::new(None::<i64>);
    let on_referred = Callback::new(move |message: Option<String>| {
        referring.set(None);
        if message.is_some() {
            done.set(message);
            reload();
        }
    });
    let on_sent = Callback::new(move |holder: String| {
        chasing.set(None);
        done.set(Some(format!("已向{holder}发出催办")));
        reload();
    });

    let count = move || match overdue.get() {
        Some(Ok(l)) => Some(view! { <span class="queue-count" id="overdue-count">{l.len()}</span> }),
        _ => None,
    };
    let queue = view! {
        <Loaded resource=overdue let:value>
            {match value {
                list if list.is_empty() => {
                    view! { <p class="card muted" id="overdue-empty">"目前没有超时事项。"</p> }.into_any()
                }
                list => {
                    let cols = if chaser { 8 } else { 7 };
                    let rows = list.into_iter().map(|i| overdue_row(i, chaser, cols, chasing, on_sent)).collect_view();
                    view! {
                        <div class="table-wrap supervision-wrap">
                            <table id="overdue-table" class="supervision-table overdue-table">
                                <thead>
                                    <tr>
                                        <th>"编号/地点"</th>
                                        <th>"事项"</th>
                                        <th>"环节"</th>
                                        <th>"责任单位"</th>
                                        <th>"期限"</th>
                                        <th>"超时"</th>
                                        <th>"催办"</th>
                                        {chaser.then(|| view! { <th><span class="visually-hidden">"操作"</span></th> })}
                                    </tr>
                                </thead>
                                <tbody>{rows}</tbody>
                            </table>
                        </div>
                    }
                    .into_any()
                }
            }}
        </Loaded>
    };
    let records = view! {
        <Loaded resource=units let:value>
            {match value {
                list if list.is_empty() => {
                    view! { <p class="card muted" id="unit-records-empty">"近90日没有催办记录，也没有超时事项。"</p> }
                        .into_any()
                }
                list => {
                    let held = move || match overdue.get_untracked() {
                        Some(Ok(l)) => l,
                        _ => Vec::new(),
                    };
                    let rows = list
                        .into_iter()
                        .map(|r| unit_row(r, chaser.then_some((referring, on_referred)), held()))
                        .collect_view();
                    view! {
                    <div class="table-wrap supervision-wrap">
                        <table id="unit-records" class="supervision-table unit-records">
                            <thead>
                                <tr>
                                    <th>"单位"</th>
                                    <th>"当前超时"</th>
                                    <th>"近90日催办"</th>
                                    <th>"催办未按时回复"</th>
                                    <th>"多次被催办的事项"</th><th>"近90日退单"</th><th>"近90日更正"</th>
                                    {chaser.then(|| view! { <th><span class="visually-hidden">"操作"</span></th> })}
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                    }
                    .into_any()
                }
            }}
        </Loaded>
    };

    view! {
        <div id="supervision-page" class="page wide supervision-page">
            <TopBar title="督查室" back="/"/>
            <div class="toolbar">
                <button type="button" id="supervision-refresh" on:click=move |_| reload()>"刷新"</button>
            </div>
            {move || done.get().map(|m| view! { <p id="chase-done" class="success" role="status">{m}</p> })}
            <section class="queue-section" id="overdue-section">
                <h2 class="queue-title">"超时事项"{count}</h2>
                <p class="hint">"全市已超过办理时限的民情，超时最久的在前。"</p>
                {queue}
            </section>
            <section class="queue-section" id="unit-records-section">
                <h2 class="queue-title">"各单位督办记录"</h2>
                <p class="hint">"近90日被催办3次及以上的单位标记为“屡催不改”。"</p>
                {records}
            </section>
            <ReferralList version=version supervisor=chaser/>
        </div>
    }
    .into_any()
}

/// One overdue item, and under it the 催办 form when open.
fn overdue_row(
    i: OverdueItem,
    chaser: bool,
    cols: usize,
    chasing: RwSignal<Option<String>>,
    on_sent: Callback<String>,
) -> impl IntoView {
    let id = i.id.clone();
    let number = i.sheet_no.clone().unwrap_or_else(|| "未发单".into());
    let open = {
        let id = id.clone();
        move || chasing.with(|c| c.as_deref() == Some(id.as_str()))
    };
    let button = chaser.then(|| {
        let id = id.clone();
        let open = open.clone();
        view! {
            <td class="c-chase-action">
                <button type="button" class="chase" data-item-id=id.clone() aria-expanded=move || open().to_string()
                    on:click=move |_| {
                        let id = id.clone();
                        chasing.update(|c| *c = if c.as_deref() == Some(id.as_str()) { None } else { Some(id) });
                    }>
                    "催办"
                </button>
            </td>
        }
    });
    let form = chaser.then(|| {
        let item = i.clone();
        let open = open.clone();
        move || {
            open().then(|| {
                view! {
                    <tr class="chase-row" data-item-id=item.id.clone()>
                        <td colspan=cols.to_string()>
                            <ChaseForm item=item.clone() chasing=chasing on_sent=on_sent/>
                        </td>
                    </tr>
                }
            })
        }
    });
    view! {
        <tr class="overdue-row" data-item-id=id.clone() data-status=i.status.code() class:chasing=open>
            <td class="c-place" data-label="编号">
                <span class="sheet-no">{number}</span>
                <span class="place muted">{i.place.clone()}</span>
            </td>
            <td class="c-summary" data-label="事项">
                <a href=format!("/items/{}", api::encode(&id)) class="overdue-link">{i.summary.clone()}</a>
                <a href=format!("/items/{}/evidence", api::encode(&id)) class="evidence-link">"全过程记录"</a>
            </td>
            <td class="c-stage" data-label="环节">{i.status.label()}</td>
            <td class="c-holder" data-label="责任单位" title=i.holder.full_name.clone() data-unit-id=i.holder.id.to_string()>
                {i.holder.name.clone()}
            </td>
            <td class="c-due" data-label="期限">{format::short(i.due_at)}</td>
            <td class="c-days days-overdue" data-label="超时" data-days=i.days_overdue.to_string()>
                {days_text(i.days_overdue)}
            </td>
            <td class="c-chases chases" data-label="已催办" data-chases=i.chases.to_string()>{format!("{}次", i.chases)}</td>
            {button}
        </tr>
        {form}
    }
}

/// 催办: what the supervision office asks of the unit holding the item.
#[component]
fn ChaseForm(item: OverdueItem, chasing: RwSignal<Option<String>>, on_sent: Callback<String>) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let holder = item.holder.name.clone();
    let id = item.id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let text = note.get_untracked();
        if let Err(m) = check_reason(&text, "催办内容") {
            error.set(Some(field_refusal("note", m)));
            return;
        }
        pending.set(true);
        error.set(None);
        let (path, holder) = (format!("/api/items/{}/chase", api::encode(&id)), holder.clone());
        spawn_local(async move {
            let result = api::post_no_content(&path, &Chase { note: text.trim().to_string() }).await;
            let _ = pending.try_set(false);
            match result {
                Ok(()) => {
                    let _ = on_sent.try_run(holder);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    // Focus the note at once: the form opens to be written in.
    let note_ref = NodeRef::<leptos::html::Textarea>::new();
    Effect::new(move |_| {
        if let Some(el) = note_ref.get() {
            let _ = el.focus();
        }
    });
    view! {
        <form id="chase-form" class="form chase-form" novalidate on:submit=submit>
            <label for="chase-note">{format!("催办{}", item.holder.name)}</label>
            <textarea id="chase-note" rows="3" bind:value=note node_ref=note_ref
                placeholder="例如：请于明日12时前办结并反馈"
                class:invalid=move || error.with(|e| e.as_ref().is_some_and(|e| e.field.as_deref() == Some("note")))>
            </textarea>
            <p class="hint">"催办记入该事项的处理记录和单位的督办记录，并推送给责任单位。"</p>
            <ErrorBox error=error/>
            <div class="actions">
                <button type="button" id="chase-cancel" on:click=move |_| chasing.set(None)>"取消"</button>
                <button type="submit" id="chase-submit" class="primary" disabled=move || pending.get()>
                    {move || if pending.get() { "正在发送…" } else { "发出催办" }}
                </button>
            </div>
        </form>
    }
}

/// The supervision office's 移交 form: which unit's is open, and what to do once done.
type Referring = (RwSignal<Option<i64>>, Callback<Option<String>>);

/// One unit's record; for the supervision office, 移交纪检监察 with its form under the row.
fn unit_row(r: UnitRecord, referring: Option<Referring>, overdue: Vec<OverdueItem>) -> impl IntoView {
    let unit_id = r.unit.id;
    let action = referring.map(|(open, on_done)| {
        let shown = move || open.get() == Some(unit_id);
        let items: Vec<OverdueItem> = overdue.into_iter().filter(|i| i.holder.id == unit_id).collect();
        let name = r.unit.name.clone();
        let form = move || {
            shown().then(|| {
                view! {
                    <tr class="referral-row" data-unit-id=unit_id.to_string()>
                        <td colspan="8">
                            <ReferralForm unit_id=unit_id unit_name=name.clone() items=items.clone() on_done=on_done/>
                        </td>
                    </tr>
                }
            })
        };
        let button = view! {
            <td class="c-refer">
                <button type="button" class="refer" data-unit-id=unit_id.to_string()
                    on:click=move |_| open.update(|o| *o = if *o == Some(unit_id) { None } else { Some(unit_id) })>
                    "移交纪检监察"
                </button>
            </td>
        };
        (button, form)
    });
    let (button, form) = action.map_or((None, None), |(b, f)| (Some(b), Some(f)));
    view! {
        <tr class="unit-record" data-unit-id=r.unit.id.to_string() data-repeat-offender=r.repeat_offender.to_string()
            class:repeat=r.repeat_offender>
            <td class="c-unit" data-label="单位" title=r.unit.full_name.clone()>
                {r.unit.name.clone()}
                {r.repeat_offender.then(|| view! { <span class="badge repeat-offender">"屡催不改"</span> })}
            </td>
            <td class="c-num overdue-now" data-label="当前超时">{r.overdue_now}</td>
            <td class="c-num chases-90" data-label="近90日催办">{r.chases_90_days}</td>
            <td class="c-num chases-unanswered" class:overdue-text={r.chases_unanswered > 0} data-label="催办未按时回复">
                {r.chases_unanswered}
            </td>
            <td class="c-num chased-repeatedly" data-label="多次被催办的事项">{r.items_chased_repeatedly}</td>
            <td class="c-num rejections-90" data-label="近90日退单">{r.rejections_90_days}</td>
            <td class="c-num corrections-90" data-label="近90日更正">{r.corrections_90_days}</td>
            {button}
        </tr>
        {form}
    }
}
