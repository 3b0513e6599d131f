//! The 直报 banner (第三条, 第八条): a major item is reported at once to the city's secretary and mayor and to the
//! street's leaders. Their app asks for unacknowledged reports at start and every 30 seconds, and shows them in red
//! on every page until each is marked 已阅.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_location;
use shared::dto::Me;
use shared::journey::DirectReport;
use shared::{access, ApiError};

use crate::api;
use crate::state;

/// How often pending reports are asked for.
const POLL: Duration = Duration::from_secs(30);

/// Whether the account is told of major items directly (once its password is in order).
fn receives_reports(me: &Me) -> bool {
    !me.must_change_password && access::told_of_major_items(&me.roles)
}

#[component]
pub fn DirectReportBanner() -> impl IntoView {
    let me = state::me_memo();
    // Not on a resident's page, which shows nothing of the app, whoever is signed in on the phone.
    let location = use_location();
    let on_resident_page = Memo::new(move |_| location.pathname.with(|p| p.starts_with("/r/")));
    let eligible = Memo::new(move |_| !on_resident_page.get() && me.with(|m| m.as_ref().is_some_and(receives_reports)));
    let reports = RwSignal::new(Vec::<DirectReport>::new());
    let error = RwSignal::new(None::<ApiError>);
    // Acknowledgements on their way, so a poll answered meanwhile does not bring the report back.
    let acking = RwSignal::new(Vec::<i64>::new());

    let poll = move || {
        if !eligible.get_untracked() {
            return;
        }
        spawn_local(async move {
            // A failed poll keeps what is shown; the next one tries again.
            if let Ok(list) = api::get::<Vec<DirectReport>>("/api/direct-reports?pending=true").await {
                if eligible.try_get_untracked() == Some(true) {
                    let skip = acking.get_untracked();
                    let _ = reports.try_set(list.into_iter().filter(|r| !skip.contains(&r.id)).collect());
                }
            }
        });
    };
    Effect::new(move |_| {
        if eligible.get() {
            poll();
        } else {
            reports.set(Vec::new());
        }
    });
    if let Ok(handle) = set_interval_with_handle(poll, POLL) {
        on_cleanup(move || handle.clear());
    }

    let acknowledge = move |id: i64| {
        acking.update(|a| a.push(id));
        error.set(None);
        spawn_local(async move {
            let path = format!("/api/direct-reports/{id}/acknowledge");
            match api::post::<_, DirectReport>(&path, &serde_json::json!({})).await {
                Ok(_) => reports.update(|list| list.retain(|r| r.id != id)),
                Err(e) => error.set(Some(e)),
            }
            acking.update(|a| a.retain(|x| *x != id));
        });
    };

    move || {
        let list = reports.get();
        (!list.is_empty()).then(|| {
            view! {
                <div id="direct-report-banner" class="direct-banner no-print" role="alert">
                    <ul>
                        {list
                            .into_iter()
                            .map(|r| {
                                let id = r.id;
                                let href = format!("/items/{}", r.item_id);
                                view! {
                                    <li class="direct-report" data-report-id=id.to_string()>
                                        <p class="direct-text">
                                            <strong>"【直报】重大民情："</strong>
                                            {format!("{} {}：{}", r.place, r.item_type.label(), r.summary)}
                                        </p>
                                        <div class="direct-actions">
                                            <a class="button" href=href>"查看"</a>
                                            <button type="button" data-ack=id.to_string()
                                                disabled=move || acking.with(|a| a.contains(&id))
                                                on:click=move |_| acknowledge(id)>"已阅"</button>
                                        </div>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                    {move || error.get().map(|e| view! { <p class="direct-error">{e.message}</p> })}
                </div>
            }
        })
    }
}
