//! 居民个人信息, for the city's administrator (《个人信息保护法》): find a resident's items by phone number to answer
//! a request, export what is kept about them, or mask their name, phone and address at once with a reason. Every
//! lookup, export and masking is audited on the server.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::access;
use shared::privacy::{MaskResident, Masked, ResidentData, ResidentItem};
use shared::ApiError;

use crate::api;
use crate::components::{not_for_you, ErrorBox, FieldError, TopBar};
use crate::format;
use crate::state;

#[component]
pub fn PrivacyPage() -> impl IntoView {
    if !state::current().is_some_and(|s| access::is_city_admin(&s.me.roles)) {
        return not_for_you("居民个人信息", "居民个人信息的查询、导出和隐去由全市系统管理员办理。").into_any();
    }
    let phone = RwSignal::new(String::new());
    let found = RwSignal::new(None::<ResidentData>);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let number = phone.get_untracked().trim().to_string();
        if number.is_empty() {
            error.set(Some(ApiError::field("phone", "请填写居民的手机号")));
            return;
        }
        error.set(None);
        busy.set(true);
        spawn_local(async move {
            let path = format!("/api/residents?phone={}", api::encode(&number));
            match api::get::<ResidentData>(&path).await {
                Ok(d) => {
                    let _ = found.try_set(Some(d));
                }
                Err(e) => {
                    let _ = found.try_set(None);
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    view! {
        <div id="privacy-page" class="page">
            <TopBar title="居民个人信息" back="/"/>
            <section class="card">
                <p class="hint">
                    "按居民手机号查找其在各条民情中留下的姓名、电话和地址，用于答复居民查询、复制或删除的申请。\
                     结案满保存期限后，系统自动隐去这些信息。每次查询、导出和隐去都会记入操作日志。"
                </p>
                <form id="privacy-search" on:submit=search>
                    <label class="field">
                        <span>"居民手机号"</span>
                        <input type="tel" id="privacy-phone" inputmode="numeric" autocomplete="off"
                            prop:value=move || phone.get()
                            on:input=move |ev| phone.set(event_target_value(&ev))/>
                        <FieldError error=error field="phone"/>
                    </label>
                    <button type="submit" disabled=move || busy.get()>
                        {move || if busy.get() { "正在查找…" } else { "查找" }}
                    </button>
                </form>
                <ErrorBox error=error/>
            </section>
            {move || found.get().map(|d| view! { <Found data=d/> })}
        </div>
    }
    .into_any()
}

/// The items found, with export and masking.
#[component]
fn Found(data: ResidentData) -> impl IntoView {
    let phone = data.phone.clone();
    let count = data.items.len();
    let years = data.retention_years;
    let error = RwSignal::new(None::<ApiError>);
    let reason = RwSignal::new(String::new());
    let confirming = RwSignal::new(false);
    let done = RwSignal::new(None::<i64>);
    let export = {
        let phone = phone.clone();
        move |_| {
            let phone = phone.clone();
            spawn_local(async move {
                let path = format!("/api/residents/export?phone={phone}");
                if let Err(e) = api::download(&path, &format!("居民信息-{phone}.json")).await {
                    let _ = error.try_set(Some(e));
                }
            });
        }
    };
    let mask = {
        let phone = phone.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if !confirming.get_untracked() {
                confirming.set(true);
                return;
            }
            let body = MaskResident { phone: phone.clone(), reason: reason.get_untracked().trim().to_string() };
            spawn_local(async move {
                match api::post::<_, Masked>("/api/residents/mask", &body).await {
                    Ok(m) => {
                        let _ = done.try_set(Some(m.items));
                    }
                    Err(e) => {
                        let _ = error.try_set(Some(e));
                        let _ = confirming.try_set(false);
                    }
                }
            });
        }
    };
    let rows = data.items.into_iter().map(item_row).collect_view();
    view! {
        <section class="card" id="privacy-found" data-count=count.to_string()>
            <h3>{format!("{phone} 的民情：{count}条")}</h3>
            <p class="muted small">{format!("结案后保存{years}年，期满自动隐去姓名、电话和地址。")}</p>
            {move || done.get().map(|n| view! {
                <p class="success" role="status" id="privacy-done">{format!("已隐去{n}条民情中的个人信息。")}</p>
            })}
            {(count == 0).then(|| view! { <p class="muted" id="privacy-none">"没有找到含这个手机号的民情。"</p> })}
            <ul class="privacy-items" hidden=move || done.get().is_some()>{rows}</ul>
            {(count > 0).then(|| view! {
                <div class="actions">
                    <button type="button" id="privacy-export" on:click=export.clone()>"导出（JSON）"</button>
                </div>
                <form id="privacy-mask" on:submit=mask.clone() hidden=move || done.get().is_some()>
                    <label class="field">
                        <span>"隐去理由"</span>
                        <input type="text" id="privacy-reason" placeholder="如：居民本人12月1日书面申请删除"
                            prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                        <FieldError error=error field="reason"/>
                    </label>
                    <button type="submit" class="danger" id="privacy-mask-submit">
                        {move || if confirming.get() { "确认隐去（不可恢复）" } else { "隐去这些民情中的个人信息" }}
                    </button>
                </form>
            })}
            <ErrorBox error=error/>
        </section>
    }
}

fn item_row(i: ResidentItem) -> impl IntoView {
    let kept = i.keep_until.map(|t| format!("保存至{}", format::long(t)));
    view! {
        <li class="privacy-item" data-item-id=i.id.clone()>
            <a href=format!("/items/{}", i.id)>{i.place}</a>
            <span class="muted">" · "{format::short(i.collected_at)}" · "{i.status.label()}</span>
            <p>{i.content}</p>
            <p class="small">
                {format!(
                    "姓名：{}　电话：{}　地址：{}",
                    i.resident_name.unwrap_or_else(|| "—".into()),
                    i.resident_phone.unwrap_or_else(|| "—".into()),
                    i.address.unwrap_or_else(|| "—".into())
                )}
            </p>
            {kept.map(|k| view! { <p class="muted small">{k}</p> })}
        </li>
    }
}
