//! Change the password: the current one, a new one twice; required after an administrator reset.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use shared::dto::{ChangePasswordRequest, Me};
use shared::validate::check_password;
use shared::{ApiError, ErrorCode};

use crate::api;
use crate::components::{names_field, ErrorBox, FieldError, TopBar};
use crate::state;

#[component]
pub fn PasswordPage() -> impl IntoView {
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let navigate = use_navigate();
    let forced = state::current().is_some_and(|s| s.me.must_change_password);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let req =
            ChangePasswordRequest { current_password: current.get_untracked(), new_password: new.get_untracked() };
        let check = if req.current_password.is_empty() {
            Err(ApiError::field("current_password", "请输入当前密码"))
        } else if let Err(m) = check_password(&req.new_password) {
            Err(ApiError::field("new_password", m))
        } else if req.new_password != repeat.get_untracked() {
            Err(ApiError::field("repeat", "两次输入的新密码不一致，请重新输入"))
        } else if req.new_password == req.current_password {
            Err(ApiError::field("new_password", "新密码不能与当前密码相同"))
        } else {
            Ok(())
        };
        if let Err(e) = check {
            error.set(Some(e));
            return;
        }
        error.set(None);
        pending.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::post_no_content("/api/me/password", &req).await {
                Ok(()) => {
                    match api::get::<Me>("/api/me").await {
                        Ok(me) => state::set_me(me),
                        Err(_) => {
                            if let Some(mut s) = state::current() {
                                s.me.must_change_password = false;
                                state::set(s);
                            }
                        }
                    }
                    navigate("/", NavigateOptions { replace: true, ..Default::default() });
                }
                Err(e) => {
                    // The server names the wrong current password as a credentials error.
                    let e = if e.code == ErrorCode::InvalidCredentials && e.field.is_none() {
                        ApiError { field: Some("current_password".into()), ..e }
                    } else {
                        e
                    };
                    error.set(Some(e));
                }
            }
            pending.set(false);
        });
    };
    let logout = move |_| {
        spawn_local(async { api::logout().await });
    };
    let general_error = Signal::derive(move || {
        error.get().filter(|e| !matches!(e.field.as_deref(), Some("current_password" | "new_password" | "repeat")))
    });

    view! {
        <div class="page narrow">
            {if forced { view! { <TopBar title="设置新密码"/> } } else { view! { <TopBar title="修改密码" back="/"/> } }}
            {forced.then(|| view! {
                <p class="notice">"您的密码已由管理员重置，请先设置新密码再继续使用。"</p>
            })}
            <form class="card form" on:submit=on_submit novalidate>
                <label for="current-password">{if forced { "管理员给您的临时密码" } else { "当前密码" }}</label>
                <input id="current-password" type="password" autocomplete="current-password" bind:value=current
                    class:invalid=move || error.with(|e| names_field(e, "current_password"))/>
                <FieldError error=error field="current_password"/>
                <label for="new-password">"新密码"</label>
                <input id="new-password" type="password" autocomplete="new-password" bind:value=new
                    class:invalid=move || error.with(|e| names_field(e, "new_password"))/>
                <p class="hint">"至少8位，须同时包含字母和数字"</p>
                <FieldError error=error field="new_password"/>
                <label for="repeat-password">"再次输入新密码"</label>
                <input id="repeat-password" type="password" autocomplete="new-password" bind:value=repeat
                    class:invalid=move || error.with(|e| names_field(e, "repeat"))/>
                <FieldError error=error field="repeat"/>
                <ErrorBox error=general_error/>
                <button id="password-submit" type="submit" class="primary big" disabled=move || pending.get()>
                    {move || if pending.get() { "正在保存…" } else { "保存新密码" }}
                </button>
            </form>
            {forced.then(|| view! {
                <button class="link-button" type="button" on:click=logout>"退出登录"</button>
            })}
        </div>
    }
}
