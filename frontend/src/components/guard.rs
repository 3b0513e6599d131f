//! Lets a page show only to a signed-in account: others go to /login, and an account that must replace its
//! password goes to /password first.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::state;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Access {
    SignedOut,
    MustChangePassword,
    Allowed,
}

#[component]
pub fn Guarded(
    /// True for the password page itself, which must stay reachable while the change is pending.
    #[prop(optional)]
    allow_pending: bool,
    children: ChildrenFn,
) -> impl IntoView {
    let session = state::session();
    let access = Memo::new(move |_| {
        session.with(|s| match s {
            None => Access::SignedOut,
            Some(s) if s.me.must_change_password && !allow_pending => Access::MustChangePassword,
            Some(_) => Access::Allowed,
        })
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        let to = match access.get() {
            Access::SignedOut => "/login",
            Access::MustChangePassword => "/password",
            Access::Allowed => return,
        };
        navigate(to, NavigateOptions { replace: true, ..Default::default() });
    });
    move || (access.get() == Access::Allowed).then(|| children())
}
