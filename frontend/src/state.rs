//! The session (tokens and the signed-in account) as one app-wide signal, kept in localStorage across reloads.

use std::cell::Cell;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use shared::dto::{Me, TokenResponse};

/// The localStorage key holding the session as JSON.
const STORAGE_KEY: &str = "minqing.session";

/// A signed-in session.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    pub me: Me,
}

impl Session {
    pub fn from_tokens(t: TokenResponse) -> Self {
        Self { access_token: t.access_token, refresh_token: t.refresh_token, me: t.user }
    }
}

thread_local! {
    static SESSION: Cell<Option<RwSignal<Option<Session>>>> = const { Cell::new(None) };
}

/// Creates the session signal from localStorage; called once by the app root.
pub fn init() -> RwSignal<Option<Session>> {
    let signal = RwSignal::new(load());
    SESSION.with(|s| s.set(Some(signal)));
    signal
}

/// The app-wide session signal (usable from async code, where contexts are out of reach).
pub fn session() -> RwSignal<Option<Session>> {
    SESSION.with(|s| s.get()).expect("state::init() runs before anything reads the session")
}

/// The session now, without subscribing.
pub fn current() -> Option<Session> {
    session().get_untracked()
}

/// Stores a new session (after sign-in or refresh).
pub fn set(session_value: Session) {
    save(Some(&session_value));
    session().set(Some(session_value));
}

/// Replaces the account details, keeping the tokens.
pub fn set_me(me: Me) {
    if let Some(mut s) = current() {
        s.me = me;
        set(s);
    }
}

/// Forgets the session: every guarded page then sends the person to /login.
pub fn clear() {
    save(None);
    session().set(None);
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn load() -> Option<Session> {
    let raw = storage()?.get_item(STORAGE_KEY).ok().flatten()?;
    serde_json::from_str(&raw).ok()
}

fn save(value: Option<&Session>) {
    let Some(storage) = storage() else { return };
    match value.and_then(|s| serde_json::to_string(s).ok()) {
        Some(json) => {
            let _ = storage.set_item(STORAGE_KEY, &json);
        }
        None => {
            let _ = storage.remove_item(STORAGE_KEY);
        }
    }
}

/// The signed-in account as a memo that changes only when the account details do (not on a token refresh).
pub fn me_memo() -> Memo<Option<Me>> {
    let session = session();
    Memo::new_with_compare(
        move |_| session.with(|s| s.as_ref().map(|s| s.me.clone())),
        |old, new| match (old, new) {
            (Some(Some(a)), Some(Some(b))) => !same_me(a, b),
            (Some(None), Some(None)) => false,
            _ => true,
        },
    )
}

fn same_me(a: &Me, b: &Me) -> bool {
    a.id == b.id
        && a.username == b.username
        && a.display_name == b.display_name
        && a.phone == b.phone
        && a.must_change_password == b.must_change_password
        && a.roles == b.roles
}
