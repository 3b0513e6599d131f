//! 督查室催办 on the item (第八条′): each chase with the chased unit's reply and promised date, red when it went
//! unanswered past its time; the reply form for an account of the chased unit; the chase form for the supervision
//! office, on any open item.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::item::Item;
use shared::supervision::{Chase, ChaseInfo, ChaseReply};
use shared::validate::check_reason;
use shared::ApiError;

use crate::api;
use crate::components::form_errors::field_refusal;
use crate::components::{ErrorBox, FieldError};
use crate::format;

/// The chases and the forms the viewer may use. `on_changed` reloads the item.
#[component]
pub fn ChasesPanel(item: Item, on_changed: Callback<String>) -> impl IntoView {
    let chases = item.journey.chases.clone();
    let can_chase = item.journey.can_chase;
    if chases.is_empty() && !can_chase {
        return ().into_any();
    }
    let item_id = item.id.clone();
    let list = chases.into_iter().map(|c| view! { <ChaseRow chase=c on_changed=on_changed/> }).collect_view();
    view! {
        <section id="chases-panel" class="card action-panel">
            <h4>"督查室催办"</h4>
            <ul class="chase-list">{list}</ul>
            {can_chase.then(|| view! { <ChaseForm item_id=item_id on_changed=on_changed/> })}
        </section>
    }
    .into_any()
}

#[component]
fn ChaseRow(chase: ChaseInfo, on_changed: Callback<String>) -> impl IntoView {
    let answer = match (&chase.reply, chase.promised_at) {
        (Some(reply), Some(promised)) => {
            Some(format!("{}回复：{reply}（承诺{}前办结）", chase.unit.name, format::short(promised)))
        }
        _ => None,
    };
    let waiting = chase.answer_due_at.filter(|_| chase.reply.is_none()).map(|due| {
        if chase.escalated {
            format!("逾期未回复（应于{}前回复），已报单位主要领导", format::short(due))
        } else {
            format!("待{}于{}前回复", chase.unit.name, format::short(due))
        }
    });
    let id = chase.id;
    view! {
        <li class="chase-item" class:escalated=chase.escalated data-chase-id=id.to_string()>
            <p><strong>{format::short(chase.at)}</strong>{format!(" 催办{}：{}", chase.unit.name, chase.note)}</p>
            {answer.map(|a| view! { <p class="chase-answer">{a}</p> })}
            {waiting.map(|w| view! { <p class="chase-waiting">{w}</p> })}
            {chase.can_reply.then(|| view! { <ReplyForm chase_id=id on_changed=on_changed/> })}
        </li>
    }
}

#[component]
fn ReplyForm(chase_id: i64, on_changed: Callback<String>) -> impl IntoView {
    let reply = RwSignal::new(String::new());
    let promised = RwSignal::new(format::to_input(format::now() + chrono::Duration::days(3)));
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = reply.get_untracked().trim().to_string();
        if let Err(m) = check_reason(&text, "回复") {
            error.set(Some(field_refusal("reply", m)));
            return;
        }
        let Some(at) = format::from_input(&promised.get_untracked()) else {
            error.set(Some(field_refusal("promised_at", "请填写承诺办结时间")));
            return;
        };
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            let body = ChaseReply { reply: text, promised_at: at };
            let result = api::post_no_content(&format!("/api/chases/{chase_id}/reply"), &body).await;
            let _ = pending.try_set(false);
            match result {
                Ok(()) => {
                    let _ = on_changed.try_run("已回复督查室。".into());
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    view! {
        <form class="form chase-reply-form" id=format!("chase-reply-{chase_id}") novalidate on:submit=submit>
            <label for=format!("chase-reply-text-{chase_id}")>"回复督查室"</label>
            <textarea id=format!("chase-reply-text-{chase_id}") class="chase-reply-text" rows="2" bind:value=reply
                placeholder="已做了什么，还将怎么办"></textarea>
            <FieldError error=error field="reply"/>
            <label for=format!("chase-promise-{chase_id}")>"承诺办结时间"</label>
            <input id=format!("chase-promise-{chase_id}") class="chase-promise" type="datetime-local"
                bind:value=promised/>
            <FieldError error=error field="promised_at"/>
            <ErrorBox error=Signal::derive(move || error.get().filter(|e| e.field.is_none()))/>
            <button type="submit" class="primary chase-reply-submit" disabled=move || pending.get()>"回复"</button>
        </form>
    }
}

#[component]
fn ChaseForm(item_id: String, on_changed: Callback<String>) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let item_id = StoredValue::new(item_id);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = note.get_untracked().trim().to_string();
        if let Err(m) = check_reason(&text, "催办内容") {
            error.set(Some(field_refusal("note", m)));
            return;
        }
        pending.set(true);
        error.set(None);
        let path = format!("/api/items/{}/chase", api::encode(&item_id.get_value()));
        spawn_local(async move {
            let result = api::post_no_content(&path, &Chase { note: text }).await;
            let _ = pending.try_set(false);
            match result {
                Ok(()) => {
                    let _ = on_changed.try_run("已催办，办理单位须在时限内回复。".into());
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    view! {
        <form class="form" id="item-chase-form" novalidate on:submit=submit>
            <label for="item-chase-note">"催办"</label>
            <textarea id="item-chase-note" rows="2" bind:value=note placeholder="如：请于明日12时前办结并反馈"></textarea>
            <FieldError error=error field="note"/>
            <ErrorBox error=Signal::derive(move || error.get().filter(|e| e.field.is_none()))/>
            <button type="submit" class="primary" id="item-chase-submit" disabled=move || pending.get()>"发送催办"</button>
        </form>
    }
}
