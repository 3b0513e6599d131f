//! The account form: create an account (username, name, phone, first password, roles with their places) or edit
//! one (name, phone, roles).

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::dto::{Account, CreateAccount, OrgUnit, RoleGrant, UpdateAccount};
use shared::validate::{check_name, check_password, check_username, normalize_phone};
use shared::{ApiError, Role};

use crate::api;
use crate::components::fields::place_name;
use crate::components::form_errors::general_error;
use crate::components::{names_field, ErrorBox, FieldError};

/// Fields that have their own place in the account form; errors on others go to the form's error box.
const FORM_FIELDS: &[&str] = &["username", "display_name", "phone", "password", "roles"];

/// One role row of the form.
#[derive(Clone, Copy)]
struct RoleRow {
    key: usize,
    role: RwSignal<Role>,
    unit: RwSignal<Option<i64>>,
}

/// What the form holds.
#[derive(Clone, Copy)]
struct Fields {
    /// The account edited; none for a new one.
    id: Option<i64>,
    username: RwSignal<String>,
    display_name: RwSignal<String>,
    phone: RwSignal<String>,
    password: RwSignal<String>,
    rows: RwSignal<Vec<RoleRow>>,
    next_key: StoredValue<usize>,
    error: RwSignal<Option<ApiError>>,
    pending: RwSignal<bool>,
}

impl Fields {
    fn new(existing: Option<&Account>) -> Self {
        let fields = Self {
            id: existing.map(|a| a.id),
            username: RwSignal::new(existing.map(|a| a.username.clone()).unwrap_or_default()),
            display_name: RwSignal::new(existing.map(|a| a.display_name.clone()).unwrap_or_default()),
            phone: RwSignal::new(existing.and_then(|a| a.phone.clone()).unwrap_or_default()),
            password: RwSignal::new(String::new()),
            rows: RwSignal::new(Vec::new()),
            next_key: StoredValue::new(0usize),
            error: RwSignal::new(None),
            pending: RwSignal::new(false),
        };
        let initial: Vec<RoleRow> = match existing {
            Some(a) => a.roles.iter().map(|r| fields.new_row(r.role, Some(r.unit.id))).collect(),
            None => vec![fields.new_row(Role::GridLeader, None)],
        };
        fields.rows.set(initial);
        fields
    }

    fn new_row(&self, role: Role, unit: Option<i64>) -> RoleRow {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        RoleRow { key, role: RwSignal::new(role), unit: RwSignal::new(unit) }
    }

    /// The phone and the roles, or the first problem found before sending.
    fn checked(&self) -> Result<(Option<String>, Vec<RoleGrant>), ApiError> {
        let is_new = self.id.is_none();
        if is_new {
            check_username(self.username.get_untracked().trim()).map_err(|m| ApiError::field("username", m))?;
        }
        check_name(self.display_name.get_untracked().trim()).map_err(|m| ApiError::field("display_name", m))?;
        let phone_raw = self.phone.get_untracked().trim().to_string();
        let phone = if phone_raw.is_empty() {
            None
        } else {
            Some(normalize_phone(&phone_raw).map_err(|m| ApiError::field("phone", m))?)
        };
        if is_new {
            check_password(&self.password.get_untracked()).map_err(|m| ApiError::field("password", m))?;
        }
        let grants: Vec<Option<RoleGrant>> = self
            .rows
            .get_untracked()
            .iter()
            .map(|r| r.unit.get_untracked().map(|unit_id| RoleGrant { role: r.role.get_untracked(), unit_id }))
            .collect();
        if grants.is_empty() {
            return Err(ApiError::field("roles", "至少分配一个角色"));
        }
        let roles: Option<Vec<RoleGrant>> = grants.into_iter().collect();
        let roles = roles.ok_or_else(|| ApiError::field("roles", "请为每个角色选择所属单位"))?;
        Ok((phone, roles))
    }

    /// Creates or saves the account; `done` is told what was done.
    fn submit(self, done: Callback<String>) {
        if self.pending.get_untracked() {
            return;
        }
        let (phone_value, roles) = match self.checked() {
            Ok(v) => v,
            Err(e) => {
                self.error.set(Some(e));
                return;
            }
        };
        let name = self.display_name.get_untracked().trim().to_string();
        self.error.set(None);
        self.pending.set(true);
        spawn_local(async move {
            let result = match self.id {
                None => {
                    let body = CreateAccount {
                        username: self.username.get_untracked().trim().to_string(),
                        display_name: name.clone(),
                        phone: phone_value,
                        password: self.password.get_untracked(),
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
            self.pending.set(false);
            match result {
                Ok(message) => done.run(message),
                Err(e) => self.error.set(Some(e)),
            }
        });
    }
}

/// Create an account (no `existing`) or edit one.
#[component]
pub(super) fn AccountForm(
    existing: Option<Account>,
    places: Arc<Vec<OrgUnit>>,
    done: Callback<String>,
    #[prop(into)] cancel: Callback<()>,
) -> impl IntoView {
    let is_new = existing.is_none();
    let fields = Fields::new(existing.as_ref());
    let Fields { username, display_name, phone, password, rows, error, pending, .. } = fields;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        fields.submit(done);
    };
    let prefix = fields.id.map(|i| format!("acc-{i}")).unwrap_or_else(|| "acc-new".into());
    let fid = move |f: &str| format!("{prefix}-{f}");

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
                <For each=move || rows.get() key=|r| r.key let:row>
                    <RoleRowView row=row places=places.clone() rows=rows/>
                </For>
                <button type="button" class="add-role"
                    on:click=move |_| { let r = fields.new_row(Role::GridLeader, None); rows.update(|rs| rs.push(r)); }>
                    "＋ 添加角色"
                </button>
            </fieldset>
            <FieldError error=error field="roles"/>
            <ErrorBox error=general_error(error, FORM_FIELDS)/>
            <div class="actions">
                <button type="submit" class="primary save-account" disabled=move || pending.get()>
                    {move || if pending.get() { "正在保存…" } else if is_new { "创建账号" } else { "保存" }}
                </button>
                <button type="button" on:click=move |_| cancel.run(())>"取消"</button>
            </div>
        </form>
    }
}

/// One role of the account with its place; the places offered are those the role may be bound to.
#[component]
fn RoleRowView(row: RoleRow, places: Arc<Vec<OrgUnit>>, rows: RwSignal<Vec<RoleRow>>) -> impl IntoView {
    let role_places = places.clone();
    let on_role = move |ev: leptos::ev::Event| {
        let Some(role) = Role::parse(&event_target_value(&ev)) else {
            return;
        };
        row.role.set(role);
        // Keep the place only if it fits the new role; pick it when there is just one choice.
        let fitting: Vec<i64> =
            role_places.iter().filter(|u| u.active && role.scope_kinds().contains(&u.kind)).map(|u| u.id).collect();
        let keep = row.unit.get_untracked().filter(|u| fitting.contains(u));
        row.unit.set(keep.or(if fitting.len() == 1 { Some(fitting[0]) } else { None }));
    };
    let options = move || {
        let role = row.role.get();
        places
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
