//! Accounts for administrators: search, create with roles and places, edit, enable or disable, reset a password.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::dto::{Account, CreateAccount, OrgUnit, ResetPassword, RoleGrant, UpdateAccount};
use shared::validate::{check_name, check_password, check_username, normalize_phone};
use shared::{ApiError, Role};

use crate::api;
use crate::components::fields::place_name;
use crate::components::{names_field, ErrorBox, FieldError, Loading, TopBar};

/// What is open on the page; one form at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Editing {
    New,
    Edit(i64),
    Reset(i64),
}

/// Fields that have their own place in the account form; errors on others go to the form's error box.
const FORM_FIELDS: &[&str] = &["username", "display_name", "phone", "password", "roles"];

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

    let list = move || match accounts.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => view! {
            <ErrorBox error=Signal::stored(Some(e))/>
            <button type="button" on:click=move |_| version.update(|v| *v += 1)>"重新加载"</button>
        }
        .into_any(),
        Some(Ok(list)) if list.is_empty() => view! { <p class="muted">"没有找到账号。"</p> }.into_any(),
        Some(Ok(list)) => view! {
            <ul class="account-list">
                {list
                    .into_iter()
                    .map(|a| view! { <AccountCard account=a editing=editing places=Signal::derive(places) done=done/> })
                    .collect_view()}
            </ul>
        }
        .into_any(),
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

/// One role row of the form.
#[derive(Clone, Copy)]
struct RoleRow {
    key: usize,
    role: RwSignal<Role>,
    unit: RwSignal<Option<i64>>,
}

/// Create an account (no `existing`) or edit one.
#[component]
fn AccountForm(
    existing: Option<Account>,
    places: Arc<Vec<OrgUnit>>,
    done: Callback<String>,
    #[prop(into)] cancel: Callback<()>,
) -> impl IntoView {
    let is_new = existing.is_none();
    let id = existing.as_ref().map(|a| a.id);
    let username = RwSignal::new(existing.as_ref().map(|a| a.username.clone()).unwrap_or_default());
    let display_name = RwSignal::new(existing.as_ref().map(|a| a.display_name.clone()).unwrap_or_default());
    let phone = RwSignal::new(existing.as_ref().and_then(|a| a.phone.clone()).unwrap_or_default());
    let password = RwSignal::new(String::new());
    let next_key = StoredValue::new(0usize);
    let new_row = move |role: Role, unit: Option<i64>| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        RoleRow { key, role: RwSignal::new(role), unit: RwSignal::new(unit) }
    };
    let initial: Vec<RoleRow> = match &existing {
        Some(a) => a.roles.iter().map(|r| new_row(r.role, Some(r.unit.id))).collect(),
        None => vec![new_row(Role::GridLeader, None)],
    };
    let rows = RwSignal::new(initial);
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let name = display_name.get_untracked().trim().to_string();
        let phone_raw = phone.get_untracked().trim().to_string();
        let grants: Vec<Option<RoleGrant>> = rows
            .get_untracked()
            .iter()
            .map(|r| r.unit.get_untracked().map(|unit_id| RoleGrant { role: r.role.get_untracked(), unit_id }))
            .collect();
        let checked = (|| {
            if is_new {
                check_username(username.get_untracked().trim()).map_err(|m| ApiError::field("username", m))?;
            }
            check_name(&name).map_err(|m| ApiError::field("display_name", m))?;
            let phone = if phone_raw.is_empty() {
                None
            } else {
                Some(normalize_phone(&phone_raw).map_err(|m| ApiError::field("phone", m))?)
            };
            if is_new {
                check_password(&password.get_untracked()).map_err(|m| ApiError::field("password", m))?;
            }
            if grants.is_empty() {
                return Err(ApiError::field("roles", "至少分配一个角色"));
            }
            let roles: Option<Vec<RoleGrant>> = grants.into_iter().collect();
            let roles = roles.ok_or_else(|| ApiError::field("roles", "请为每个角色选择所属单位"))?;
            Ok((phone, roles))
        })();
        let (phone_value, roles) = match checked {
            Ok(v) => v,
            Err(e) => {
                error.set(Some(e));
                return;
            }
        };
        error.set(None);
        pending.set(true);
        spawn_local(async move {
            let result = match id {
                None => {
                    let body = CreateAccount {
                        username: username.get_untracked().trim().to_string(),
                        display_name: name.clone(),
                        phone: phone_value,
                        password: password.get_untracked(),
                        roles,
                    };
                    api::post::<_, Account>("/api/accounts", &body).await.map(|a| {
                        format!(
                            "已创建账号：{}（{}），请把初始密码告知本人，首次登录须修改。",
                            a.display_name, a.username
                        )
                    })
                }
                Some(id) => {
                    let body = UpdateAccount {
                        display_name: Some(name.clone()),
                        phone: Some(phone_value.unwrap_or_default()),
                        active: None,
                        roles: Some(roles),
                    };
                    api::patch::<_, Account>(&format!("/api/accounts/{id}"), &body)
                        .await
                        .map(|a| format!("已保存账号：{}", a.display_name))
                }
            };
            pending.set(false);
            match result {
                Ok(message) => done.run(message),
                Err(e) => error.set(Some(e)),
            }
        });
    };

    let general_error =
        Signal::derive(move || error.get().filter(|e| !e.field.as_deref().is_some_and(|f| FORM_FIELDS.contains(&f))));
    let prefix = id.map(|i| format!("acc-{i}")).unwrap_or_else(|| "acc-new".into());
    let fid = move |f: &str| format!("{prefix}-{f}");

    let row_view = {
        let places = places.clone();
        move |row: RoleRow| {
            let role_places = places.clone();
            let on_role = move |ev: leptos::ev::Event| {
                let Some(role) = Role::parse(&event_target_value(&ev)) else {
                    return;
                };
                row.role.set(role);
                // Keep the place only if it fits the new role; pick it when there is just one choice.
                let fitting: Vec<i64> = role_places
                    .iter()
                    .filter(|u| u.active && role.scope_kinds().contains(&u.kind))
                    .map(|u| u.id)
                    .collect();
                let keep = row.unit.get_untracked().filter(|u| fitting.contains(u));
                row.unit.set(keep.or(if fitting.len() == 1 { Some(fitting[0]) } else { None }));
            };
            let opt_places = places.clone();
            let options = move || {
                let role = row.role.get();
                opt_places
                    .iter()
                    .filter(|u| u.active && role.scope_kinds().contains(&u.kind))
                    .map(|u| {
                        let uid = u.id;
                        view! {
                            <option value=uid.to_string() selected=move || row.unit.get() == Some(uid)>
                                {place_name(&u.full_name, &u.name)}
                            </option>
                        }
                    })
                    .collect_view()
            };
            view! {
                <div class="role-row">
                    <select class="role-select" aria-label="角色" on:change=on_role>
                        {Role::ALL
                            .iter()
                            .map(|r| {
                                let r = *r;
                                view! { <option value=r.code() selected=move || row.role.get() == r>{r.label()}</option> }
                            })
                            .collect_view()}
                    </select>
                    <select class="place-select" aria-label="所属单位"
                        on:change=move |ev| row.unit.set(event_target_value(&ev).parse().ok())>
                        <option value="" selected=move || row.unit.get().is_none()>"请选择所属单位…"</option>
                        {options}
                    </select>
                    <button type="button" class="remove-role" aria-label="删除此角色"
                        on:click=move |_| rows.update(|rs| rs.retain(|r| r.key != row.key))>"删除"</button>
                </div>
            }
        }
    };

    view! {
        <form class="card form account-form" on:submit=on_submit novalidate>
            <h3>{if is_new { "新建账号" } else { "编辑账号" }}</h3>
            {is_new.then(|| view! {
                <label for=fid("username")>"用户名"</label>
                <input id=fid("username") class="username" type="text" autocapitalize="off" spellcheck="false"
                    autocomplete="off" bind:value=username placeholder="英文字母开头，如 wangli"
                    class:invalid=move || error.with(|e| names_field(e, "username"))/>
                <FieldError error=error field="username"/>
            })}
            <label for=fid("name")>"姓名"</label>
            <input id=fid("name") class="display-name" type="text" autocomplete="off" bind:value=display_name
                class:invalid=move || error.with(|e| names_field(e, "display_name"))/>
            <FieldError error=error field="display_name"/>
            <label for=fid("phone")>"手机号（可不填）"</label>
            <input id=fid("phone") class="phone" type="tel" inputmode="numeric" autocomplete="off" bind:value=phone
                class:invalid=move || error.with(|e| names_field(e, "phone"))/>
            <FieldError error=error field="phone"/>
            {is_new.then(|| view! {
                <label for=fid("password")>"初始密码"</label>
                <input id=fid("password") class="initial-password" type="text" autocomplete="new-password"
                    autocapitalize="off" spellcheck="false" bind:value=password
                    class:invalid=move || error.with(|e| names_field(e, "password"))/>
                <p class="hint">"至少8位，须同时包含字母和数字；本人首次登录时须修改"</p>
                <FieldError error=error field="password"/>
            })}
            <fieldset class="roles">
                <legend>"角色与所属单位"</legend>
                <For each=move || rows.get() key=|r| r.key children=row_view/>
                <button type="button" class="add-role"
                    on:click=move |_| { let r = new_row(Role::GridLeader, None); rows.update(|rs| rs.push(r)); }>
                    "＋ 添加角色"
                </button>
            </fieldset>
            <FieldError error=error field="roles"/>
            <ErrorBox error=general_error/>
            <div class="actions">
                <button type="submit" class="primary save-account" disabled=move || pending.get()>
                    {move || if pending.get() { "正在保存…" } else if is_new { "创建账号" } else { "保存" }}
                </button>
                <button type="button" on:click=move |_| cancel.run(())>"取消"</button>
            </div>
        </form>
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
