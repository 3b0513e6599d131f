//! Accounts for administrators: search, create with roles and places, edit, enable or disable, reset a password.

mod form;

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::dto::{Account, OrgUnit, ResetPassword, UpdateAccount};
use shared::validate::check_password;
use shared::ApiError;

use crate::api;
use crate::components::fields::place_name;
use crate::components::{names_field, ErrorBox, FieldError, Loaded, Loading, TopBar};
use form::AccountForm;

/// What is open on the page; one form at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Editing {
    New,
    Edit(i64),
    Reset(i64),
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    let query = RwSignal::new(String::new());
    let applied = RwSignal::new(String::new());
    let version = RwSignal::new(0u32);
    let accounts = LocalResource::new(move || {
        version.track();
        let q = applied.get();
        async move {
            let path =
                if q.is_empty() { "/api/accounts".to_string() } else { format!("/api/accounts?q={}", api::encode(&q)) };
            api::get::<Vec<Account>>(&path).await
        }
    });
    let units = LocalResource::new(|| api::get::<Vec<OrgUnit>>("/api/org/units"));
    let editing = RwSignal::new(None::<Editing>);
    let notice = RwSignal::new(None::<String>);
    let done = Callback::new(move |message: String| {
        editing.set(None);
        notice.set(Some(message));
        version.update(|v| *v += 1);
    });

    let on_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        applied.set(query.get_untracked().trim().to_string());
    };

    // The places to choose from, once loaded.
    let places = move || units.get().and_then(|r| r.ok()).map(Arc::new);

    let new_form = move || {
        (editing.get() == Some(Editing::New)).then(|| match places() {
            Some(p) => {
                view! { <AccountForm existing=None places=p done=done cancel=move || editing.set(None)/> }.into_any()
            }
            None => view! { <Loading text="正在加载组织…"/> }.into_any(),
        })
    };

    let list = view! {
        <Loaded resource=accounts let:value
            on_error=move || view! {
                <button type="button" on:click=move |_| version.update(|v| *v += 1)>"重新加载"</button>
            }>
            {match value {
                list if list.is_empty() => view! { <p class="muted">"没有找到账号。"</p> }.into_any(),
                list => view! {
                    <ul class="account-list">
                        {list
                            .into_iter()
                            .map(|a| view! { <AccountCard account=a editing=editing places=Signal::derive(places) done=done/> })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
            }}
        </Loaded>
    };

    view! {
        <div class="page wide">
            <TopBar title="账号管理" back="/"/>
            <form class="search" on:submit=on_search role="search">
                <input id="account-search" type="search" placeholder="姓名、用户名或手机号" bind:value=query
                    enterkeyhint="search"/>
                <button type="submit">"搜索"</button>
            </form>
            {move || notice.get().map(|m| view! {
                <p class="success" role="status">{m}<button type="button" class="link-button"
                    on:click=move |_| notice.set(None)>"知道了"</button></p>
            })}
            <button id="new-account" type="button" class="primary big"
                on:click=move |_| { notice.set(None); editing.set(Some(Editing::New)); }>"＋ 新建账号"</button>
            {new_form}
            {list}
        </div>
    }
}

/// One account: who, which roles where, and its actions.
#[component]
fn AccountCard(
    account: Account,
    editing: RwSignal<Option<Editing>>,
    places: Signal<Option<Arc<Vec<OrgUnit>>>>,
    done: Callback<String>,
) -> impl IntoView {
    let id = account.id;
    let active = account.active;
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let name = account.display_name.clone();
    let toggle_active = move |_| {
        if active {
            let ok = web_sys::window()
                .and_then(|w| w.confirm_with_message("停用后该账号将无法登录，并立即退出所有设备。确定停用吗？").ok())
                .unwrap_or(false);
            if !ok {
                return;
            }
        }
        pending.set(true);
        error.set(None);
        let name = name.clone();
        spawn_local(async move {
            let body = UpdateAccount { active: Some(!active), ..Default::default() };
            match api::patch::<_, Account>(&format!("/api/accounts/{id}"), &body).await {
                Ok(_) => done.run(format!("已{}账号：{}", if active { "停用" } else { "启用" }, name)),
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    let edit_account = account.clone();
    let form = move || match editing.get() {
        Some(Editing::Edit(e)) if e == id => Some(match places.get() {
            Some(p) => view! {
                <AccountForm existing=Some(edit_account.clone()) places=p done=done cancel=move || editing.set(None)/>
            }
            .into_any(),
            None => view! { <Loading text="正在加载组织…"/> }.into_any(),
        }),
        Some(Editing::Reset(e)) if e == id => {
            Some(view! { <ResetForm id=id done=done cancel=move || editing.set(None)/> }.into_any())
        }
        _ => None,
    };
    let toggle = move |what: Editing| editing.update(|cur| *cur = if *cur == Some(what) { None } else { Some(what) });

    view! {
        <li class="card account" class:inactive=!active data-account-id=id.to_string()>
            <div class="account-head">
                <span class="account-name">{account.display_name.clone()}</span>
                {(!active).then(|| view! { <span class="badge">"已停用"</span> })}
                {account.must_change_password.then(|| view! { <span class="badge info">"待改密码"</span> })}
            </div>
            <p class="account-meta">
                <span>"用户名："{account.username.clone()}</span>
                <span>"手机："{account.phone.clone().unwrap_or_else(|| "未填写".into())}</span>
            </p>
            <ul class="account-roles">
                {account
                    .roles
                    .iter()
                    .map(|r| view! {
                        <li><span class="role-label">{r.role_label.clone()}</span>" "
                            {place_name(&r.unit.full_name, &r.unit.name)}</li>
                    })
                    .collect_view()}
            </ul>
            <div class="actions">
                <button type="button" class="edit" on:click=move |_| toggle(Editing::Edit(id))>"编辑"</button>
                <button type="button" class="reset" on:click=move |_| toggle(Editing::Reset(id))>"重置密码"</button>
                <button type="button" class=if active { "danger" } else { "" } on:click=toggle_active
                    disabled=move || pending.get()>
                    {move || match (pending.get(), active) {
                        (true, _) => "正在保存…",
                        (false, true) => "停用",
                        (false, false) => "启用",
                    }}
                </button>
            </div>
            <ErrorBox error=error/>
            {form}
        </li>
    }
}

/// Give an account a temporary password.
#[component]
fn ResetForm(id: i64, done: Callback<String>, #[prop(into)] cancel: Callback<()>) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let new_password = password.get_untracked();
        if let Err(m) = check_password(&new_password) {
            error.set(Some(ApiError::field("new_password", m)));
            return;
        }
        error.set(None);
        pending.set(true);
        spawn_local(async move {
            let body = ResetPassword { new_password };
            let result = api::post_no_content(&format!("/api/accounts/{id}/reset-password"), &body).await;
            pending.set(false);
            match result {
                Ok(()) => done.run("密码已重置，请把临时密码告知本人；本人登录后须修改密码。".into()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let general_error = Signal::derive(move || error.get().filter(|e| e.field.as_deref() != Some("new_password")));
    view! {
        <form class="form reset-form" on:submit=on_submit novalidate>
            <label for=format!("reset-{id}")>"临时密码"</label>
            <input id=format!("reset-{id}") type="text" autocomplete="new-password" autocapitalize="off"
                spellcheck="false" bind:value=password
                class:invalid=move || error.with(|e| names_field(e, "new_password"))/>
            <p class="hint">"重置后该账号会退出所有设备，下次登录须修改密码"</p>
            <FieldError error=error field="new_password"/>
            <ErrorBox error=general_error/>
            <div class="actions">
                <button type="submit" class="primary" disabled=move || pending.get()>
                    {move || if pending.get() { "正在重置…" } else { "确认重置" }}
                </button>
                <button type="button" on:click=move |_| cancel.run(())>"取消"</button>
            </div>
        </form>
    }
}
