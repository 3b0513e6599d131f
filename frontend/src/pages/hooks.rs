//! 消息推送, for the city's administrator: the notification hooks of the city, the streets and the departments
//! (企业微信 and 钉钉 group robots, any webhook), with what waits to be delivered and the last error; add one,
//! enable or disable one.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::access;
use shared::dto::OrgUnit;
use shared::journey::{Hook, HookKind, NewHook, UpdateHook};
use shared::{ApiError, OrgKind};

use crate::api;
use crate::components::fields::place_name;
use crate::components::{names_field, not_for_you, ErrorBox, FieldError, Loaded, TopBar};
use crate::state;

/// The kinds of place that may have a hook, in the picker's order.
const HOOK_PLACES: &[(OrgKind, &str)] =
    &[(OrgKind::City, "全市（市领导）"), (OrgKind::Street, "街道"), (OrgKind::Department, "部门单位")];

/// Fields with a place of their own in the form.
const FORM_FIELDS: &[&str] = &["unit_id", "kind", "url", "secret"];

#[component]
pub fn HooksPage() -> impl IntoView {
    if !state::current().is_some_and(|s| access::is_city_admin(&s.me.roles)) {
        return not_for_you("消息推送", "消息推送由全市系统管理员设置。").into_any();
    }
    let version = RwSignal::new(0u32);
    let hooks = LocalResource::new(move || {
        version.track();
        api::get::<Vec<Hook>>("/api/hooks")
    });
    let adding = RwSignal::new(false);
    let notice = RwSignal::new(None::<String>);
    let added = Callback::new(move |hook: Hook| {
        adding.set(false);
        notice.set(Some(format!("已添加：{} · {}", hook.unit.name, hook.kind.label())));
        version.update(|v| *v += 1);
    });

    let list = view! {
        <Loaded resource=hooks let:value
            on_error=move || view! {
                <button type="button" on:click=move |_| version.update(|v| *v += 1)>"重新加载"</button>
            }>
            {match value {
                list if list.is_empty() => {
                    view! { <p class="muted" id="hooks-empty">"还没有推送地址。"</p> }.into_any()
                }
                list => view! {
                    <ul id="hook-list" class="account-list">
                        {list.into_iter().map(|h| view! { <HookCard hook=h version=version/> }).collect_view()}
                    </ul>
                }
                .into_any(),
            }}
        </Loaded>
    };

    view! {
        <div id="hooks-page" class="page wide">
            <TopBar title="消息推送" back="/"/>
            <p class="hint">
                "把待办提醒和重大民情直报推送到全市、街道或部门的工作群。"
            </p>
            {move || notice.get().map(|m| view! {
                <p class="success" role="status">{m}<button type="button" class="link-button"
                    on:click=move |_| notice.set(None)>"知道了"</button></p>
            })}
            {move || if adding.get() {
                view! { <HookForm done=added cancel=move || adding.set(false)/> }.into_any()
            } else {
                view! {
                    <button type="button" id="new-hook" class="primary big"
                        on:click=move |_| { notice.set(None); adding.set(true); }>"＋ 添加推送地址"</button>
                }
                .into_any()
            }}
            {list}
        </div>
    }
    .into_any()
}

/// One hook: whose, where it goes, how it is doing, and the switch.
#[component]
fn HookCard(hook: Hook, version: RwSignal<u32>) -> impl IntoView {
    let id = hook.id;
    let active = hook.active;
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let toggle = move |_| {
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            match api::patch::<_, Hook>(&format!("/api/hooks/{id}"), &UpdateHook { active: !active }).await {
                Ok(_) => {
                    let _ = version.try_update(|v| *v += 1);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = pending.try_set(false);
        });
    };
    view! {
        <li class="card account hook" class:inactive=!active data-hook-id=id.to_string()>
            <div class="account-head">
                <span class="account-name">{place_name(&hook.unit.full_name, &hook.unit.name)}</span>
                <span class="badge">{hook.kind.label()}</span>
                {(!active).then(|| view! { <span class="badge">"已停用"</span> })}
            </div>
            <p class="hook-url">{hook.url.clone()}</p>
            <p class="account-meta">
                <span class="hook-pending">"待发送："{hook.pending}"条"</span>
                {hook.has_secret.then(|| view! { <span>"已设置加签密钥"</span> })}
            </p>
            {hook.last_error.clone().map(|e| view! { <p class="error-text hook-error">"最近一次发送失败："{e}</p> })}
            <div class="actions">
                <button type="button" class="hook-toggle" class:danger=active on:click=toggle
                    disabled=move || pending.get()>
                    {move || match (pending.get(), active) {
                        (true, _) => "正在保存…",
                        (false, true) => "停用",
                        (false, false) => "启用",
                    }}
                </button>
            </div>
            <ErrorBox error=error/>
        </li>
    }
}

/// Adds a hook: whose, which kind, the URL and (for 钉钉) the signing secret.
#[component]
fn HookForm(done: Callback<Hook>, #[prop(into)] cancel: Callback<()>) -> impl IntoView {
    let units = LocalResource::new(|| api::get::<Vec<OrgUnit>>("/api/org/units"));
    let unit = RwSignal::new(None::<i64>);
    let kind = RwSignal::new(HookKind::Wecom);
    let url = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let Some(unit_id) = unit.get_untracked() else {
            error.set(Some(ApiError::field("unit_id", "请选择推送给谁")));
            return;
        };
        let address = url.get_untracked().trim().to_string();
        if !(address.starts_with("https://") || address.starts_with("http://")) {
            error.set(Some(ApiError::field("url", "请填写以 https:// 开头的网址")));
            return;
        }
        let kind = kind.get_untracked();
        let secret =
            Some(secret.get_untracked().trim().to_string()).filter(|s| !s.is_empty() && kind == HookKind::Dingtalk);
        error.set(None);
        pending.set(true);
        spawn_local(async move {
            let body = NewHook { unit_id, kind, url: address, secret };
            match api::post::<_, Hook>("/api/hooks", &body).await {
                Ok(hook) => {
                    let _ = done.try_run(hook);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = pending.try_set(false);
        });
    };

    let unit_options = move || match units.get() {
        Some(Ok(list)) => HOOK_PLACES
            .iter()
            .map(|(k, group)| {
                let options = list
                    .iter()
                    .filter(|u| u.active && u.kind == *k)
                    .map(|u| {
                        let uid = u.id;
                        view! {
                            <option value=uid.to_string() selected=move || unit.get() == Some(uid)>
                                {place_name(&u.full_name, &u.name)}
                            </option>
                        }
                    })
                    .collect_view();
                view! { <optgroup label=*group>{options}</optgroup> }
            })
            .collect_view()
            .into_any(),
        _ => ().into_any(),
    };
    let general_error =
        Signal::derive(move || error.get().filter(|e| !e.field.as_deref().is_some_and(|f| FORM_FIELDS.contains(&f))));
    let url_hint = move || match kind.get() {
        HookKind::Wecom => "群机器人的Webhook地址：https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…",
        HookKind::Dingtalk => "群机器人的Webhook地址：https://oapi.dingtalk.com/robot/send?access_token=…",
        HookKind::Webhook => "接收JSON（POST）的地址",
    };

    view! {
        <form class="card form account-form" id="hook-form" on:submit=on_submit novalidate>
            <h3>"添加推送地址"</h3>
            <label for="hook-unit">"推送给"</label>
            <select id="hook-unit" on:change=move |ev| unit.set(event_target_value(&ev).parse().ok())
                class:invalid=move || error.with(|e| names_field(e, "unit_id"))>
                <option value="" selected=move || unit.get().is_none()>"请选择全市、街道或部门…"</option>
                {unit_options}
            </select>
            {move || units.get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=Signal::stored(Some(e))/> })}
            <FieldError error=error field="unit_id"/>
            <label for="hook-kind">"类型"</label>
            <select id="hook-kind" on:change=move |ev| {
                if let Some(k) = HookKind::parse(&event_target_value(&ev)) {
                    kind.set(k);
                }
            }>
                {HookKind::ALL
                    .iter()
                    .map(|k| {
                        let k = *k;
                        view! { <option value=k.code() selected=move || kind.get() == k>{k.label()}</option> }
                    })
                    .collect_view()}
            </select>
            <FieldError error=error field="kind"/>
            <label for="hook-url">"网址"</label>
            <input id="hook-url" type="url" inputmode="url" autocapitalize="off" spellcheck="false" bind:value=url
                class:invalid=move || error.with(|e| names_field(e, "url"))/>
            <p class="hint">{url_hint}</p>
            <FieldError error=error field="url"/>
            {move || (kind.get() == HookKind::Dingtalk).then(|| view! {
                <label for="hook-secret">"加签密钥（SEC开头，可不填）"</label>
                <input id="hook-secret" type="text" autocapitalize="off" spellcheck="false" autocomplete="off"
                    bind:value=secret class:invalid=move || error.with(|e| names_field(e, "secret"))/>
                <FieldError error=error field="secret"/>
            })}
            <ErrorBox error=general_error/>
            <div class="actions">
                <button type="submit" id="hook-submit" class="primary" disabled=move || pending.get()>
                    {move || if pending.get() { "正在保存…" } else { "添加" }}
                </button>
                <button type="button" on:click=move |_| cancel.run(())>"取消"</button>
            </div>
        </form>
    }
}
