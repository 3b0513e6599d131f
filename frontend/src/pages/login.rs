//! Sign-in with a username or mobile number and a password; then on to /password or the home page.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use shared::dto::LoginRequest;
use shared::ApiError;

use crate::api;
use crate::components::{names_field, ErrorBox, FieldError};
use crate::state;

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let navigate = use_navigate();

    // Already signed in: nothing to do here.
    if let Some(s) = state::current() {
        let to = if s.me.must_change_password { "/password" } else { "/" };
        let navigate = navigate.clone();
        request_animation_frame(move || navigate(to, NavigateOptions { replace: true, ..Default::default() }));
    }

    let submit = Action::new_unsync(move |req: &LoginRequest| {
        let req = req.clone();
        let navigate = navigate.clone();
        async move {
            match api::login(&req).await {
                Ok(s) => {
                    let to = if s.me.must_change_password { "/password" } else { "/" };
                    navigate(to, NavigateOptions { replace: true, ..Default::default() });
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let pending = submit.pending();

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = LoginRequest { login: login.get_untracked().trim().to_string(), password: password.get_untracked() };
        if req.login.is_empty() {
            error.set(Some(ApiError::field("login", "请输入用户名或手机号")));
            return;
        }
        if req.password.is_empty() {
            error.set(Some(ApiError::field("password", "请输入密码")));
            return;
        }
        error.set(None);
        submit.dispatch(req);
    };
    let general_error =
        Signal::derive(move || error.get().filter(|e| !matches!(e.field.as_deref(), Some("login" | "password"))));

    view! {
        <div class="page narrow login-page">
            <div class="brand">
                <img src="/icons/icon.svg" alt="" width="72" height="72"/>
                <h1>"民情直通车"</h1>
                <p class="muted">"收集民情 · 直通办理"</p>
            </div>
            <form class="card form" on:submit=on_submit novalidate>
                <label for="login">"用户名或手机号"</label>
                <input id="login" name="login" type="text" autocomplete="username" autocapitalize="off"
                    spellcheck="false" bind:value=login class:invalid=move || error.with(|e| names_field(e, "login"))/>
                <FieldError error=error field="login"/>
                <label for="password">"密码"</label>
                <input id="password" name="password" type="password" autocomplete="current-password"
                    bind:value=password class:invalid=move || error.with(|e| names_field(e, "password"))/>
                <FieldError error=error field="password"/>
                <ErrorBox error=general_error/>
                <button id="login-submit" type="submit" class="primary big" disabled=move || pending.get()>
                    {move || if pending.get() { "正在登录…" } else { "登录" }}
                </button>
                <p class="hint">"忘记密码请联系系统管理员重置。"</p>
            </form>
        </div>
    }
}
