//! 现场办公 (第七条2): the on-site offices and meetings held on the item while a department handles it, and the form
//! that records one — the department's on-site office, or the street's or community's on-site meeting with residents'
//! representatives. The form shows only when the server offers it (`journey.can_record_onsite`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::item::Item;
use shared::onsite::{NewOnsiteRecord, OnsiteAttendee, OnsiteKind, OnsiteRecord, ATTENDEE_ROLES};
use shared::{ApiError, ErrorCode};

use crate::api;
use crate::components::form_errors::{refusal, show_first_error};
use crate::components::{names_field, ErrorBox, FieldError};
use crate::format;

/// The records held so far, and the form for the viewer's kind of record.
#[component]
pub fn OnsitePanel(
    item: Item,
    /// Called with the item and a short note once recorded.
    on_done: Callback<(Item, String)>,
    /// Called when the item moved on meanwhile: the page reloads it.
    on_conflict: Callback<ApiError>,
) -> impl IntoView {
    let records = item.journey.onsite_records.clone();
    let kind = item.journey.can_record_onsite;
    if records.is_empty() && kind.is_none() {
        return ().into_any();
    }
    let past_ten_days = item.journey.dispatch.as_ref().is_some_and(|d| d.onsite_required);
    let hint = match (kind, past_ten_days, records.is_empty()) {
        (Some(OnsiteKind::DepartmentOffice), true, true) => {
            Some("部门接单已满10日仍未办结：请由部门主要领导带队现场办公，查明症结、明确措施，记录后再返单。")
        }
        (Some(OnsiteKind::StreetMeeting), true, true) => {
            Some("部门接单已满10日仍未办结：可协调相关部门、居民代表召开现场办公会，共同研究解决措施。")
        }
        _ => None,
    };
    let list = records.into_iter().map(record_view).collect_view();
    view! {
        <section id="onsite-panel" class="card action-panel">
            <h4>"现场办公记录"</h4>
            {hint.map(|h| view! { <p class="hint warn" id="onsite-hint">{h}</p> })}
            <ul class="onsite-records">{list}</ul>
            {kind.map(|k| view! { <OnsiteForm item_id=item.id.clone() kind=k on_done=on_done on_conflict=on_conflict/> })}
        </section>
    }
    .into_any()
}

fn record_view(r: OnsiteRecord) -> impl IntoView {
    let who: Vec<String> = r.attendees.iter().map(|a| format!("{}（{}）", a.name, a.role)).collect();
    view! {
        <li class="onsite-record" data-kind=r.kind.code()>
            <p><strong>{r.kind.label()}</strong>" · "{r.unit.name.clone()}</p>
            <p>"时间："{format::long(r.held_at)}"　地点："{r.place.clone()}</p>
            <p>"参加人员："{who.join("、")}</p>
            <p>"掌握的问题症结："{r.findings.clone()}</p>
            <p>"研究商议的解决措施："{r.measures.clone()}</p>
            <p class="muted small">{format!("{} 记录于 {}", r.recorded_by.name, format::short(r.recorded_at))}</p>
        </li>
    }
}

/// One attendee row of the form.
#[derive(Clone, Copy)]
struct Row {
    key: usize,
    name: RwSignal<String>,
    role: RwSignal<String>,
}

#[component]
fn OnsiteForm(
    item_id: String,
    kind: OnsiteKind,
    on_done: Callback<(Item, String)>,
    on_conflict: Callback<ApiError>,
) -> impl IntoView {
    let opened = RwSignal::new(false);
    let held_at = RwSignal::new(format::to_input(format::now()));
    let place = RwSignal::new(String::new());
    let findings = RwSignal::new(String::new());
    let measures = RwSignal::new(String::new());
    let first_role = if kind == OnsiteKind::DepartmentOffice { "部门主要领导" } else { "居民代表" };
    let rows = RwSignal::new(vec![Row {
        key: 0,
        name: RwSignal::new(String::new()),
        role: RwSignal::new(first_role.to_string()),
    }]);
    let next_key = StoredValue::new(1usize);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let item_id = StoredValue::new(item_id);
    let add_row = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        rows.update(|r| r.push(Row { key, name: RwSignal::new(String::new()), role: RwSignal::new(String::new()) }));
    };
    let submit = move || {
        if pending.get_untracked() {
            return;
        }
        let Some(at) = format::from_input(&held_at.get_untracked()) else {
            error.set(Some(ApiError::field("held_at", "请填写现场办公时间")));
            show_first_error("onsite-form");
            return;
        };
        let body = NewOnsiteRecord {
            held_at: at,
            place: place.get_untracked().trim().to_string(),
            attendees: rows
                .get_untracked()
                .iter()
                .filter(|r| !(r.name.get_untracked().trim().is_empty() && r.role.get_untracked().trim().is_empty()))
                .map(|r| OnsiteAttendee {
                    name: r.name.get_untracked().trim().to_string(),
                    role: r.role.get_untracked().trim().to_string(),
                })
                .collect(),
            findings: findings.get_untracked().trim().to_string(),
            measures: measures.get_untracked().trim().to_string(),
        };
        let problems = body.problems(kind);
        if !problems.is_empty() {
            error.set(refusal(problems));
            show_first_error("onsite-form");
            return;
        }
        pending.set(true);
        error.set(None);
        let path = format!("/api/items/{}/onsite-records", api::encode(&item_id.get_value()));
        spawn_local(async move {
            let result = api::post::<_, Item>(&path, &body).await;
            let _ = pending.try_set(false);
            match result {
                Ok(item) => {
                    let _ = opened.try_set(false);
                    let _ = on_done.try_run((item, format!("{}已记录，记入办理过程。", kind.label())));
                }
                Err(e) if e.code == ErrorCode::WrongStage => {
                    let _ = on_conflict.try_run(e);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                    show_first_error("onsite-form");
                }
            }
        });
    };
    let title = match kind {
        OnsiteKind::DepartmentOffice => "填写现场办公记录",
        OnsiteKind::StreetMeeting => "记录现场办公会",
    };
    let attendee_rows = move || {
        rows.get()
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let name_field = format!("attendees[{i}].name");
                let role_field = format!("attendees[{i}].role");
                let (nf, rf) = (name_field.clone(), role_field.clone());
                let row_error = move || {
                    error
                        .with(|e| {
                            e.as_ref().and_then(|e| {
                                e.problems
                                    .iter()
                                    .find(|p| p.field.as_deref().is_some_and(|f| f == name_field || f == role_field))
                                    .map(|p| p.message.clone())
                            })
                        })
                        .map(|m| view! { <p class="field-error">{m}</p> })
                };
                view! {
                    <li class="onsite-attendee" data-key=r.key.to_string()>
                        <input type="text" class="attendee-name" placeholder="姓名" bind:value=r.name
                            class:invalid=move || error.with(|e| names_field(e, &nf))/>
                        <input type="text" class="attendee-role" placeholder="职务或身份" list="onsite-roles"
                            bind:value=r.role class:invalid=move || error.with(|e| names_field(e, &rf))/>
                        {row_error}
                    </li>
                }
            })
            .collect_view()
    };
    let roles = ATTENDEE_ROLES.iter().map(|r| view! { <option value=*r></option> }).collect_view();
    view! {
        {move || (!opened.get()).then(|| view! {
            <button type="button" id="onsite-open" class="button" on:click=move |_| opened.set(true)>{title}</button>
        })}
        <form id="onsite-form" class="form action-form" novalidate hidden=move || !opened.get()
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }>
            <p class="hint">
                {match kind {
                    OnsiteKind::DepartmentOffice => "由部门主要领导带队，深入街道社区调查，掌握问题症结，研究商议措施。",
                    OnsiteKind::StreetMeeting => "街道社区协调相关部门、居民代表召开现场办公会，须有居民代表参加。",
                }}
            </p>
            <label for="onsite-held-at">"时间"</label>
            <input id="onsite-held-at" type="datetime-local" bind:value=held_at max=format::to_input(format::now())
                class:invalid=move || error.with(|e| names_field(e, "held_at"))/>
            <FieldError error=error field="held_at"/>
            <label for="onsite-place">"地点"</label>
            <input id="onsite-place" type="text" bind:value=place placeholder="如：幸福小区3号楼前"
                class:invalid=move || error.with(|e| names_field(e, "place"))/>
            <FieldError error=error field="place"/>
            <p class="group-label">"参加人员（姓名、职务或身份）"</p>
            <ul class="attendee-rows" id="onsite-attendees">{attendee_rows}</ul>
            <datalist id="onsite-roles">{roles}</datalist>
            <FieldError error=error field="attendees"/>
            <button type="button" id="onsite-add-attendee" class="link-button" on:click=add_row>"添加一人"</button>
            <label for="onsite-findings">"掌握的问题症结"</label>
            <textarea id="onsite-findings" rows="3" bind:value=findings
                class:invalid=move || error.with(|e| names_field(e, "findings"))></textarea>
            <FieldError error=error field="findings"/>
            <label for="onsite-measures">"研究商议的解决措施"</label>
            <textarea id="onsite-measures" rows="3" bind:value=measures
                class:invalid=move || error.with(|e| names_field(e, "measures"))></textarea>
            <FieldError error=error field="measures"/>
            <ErrorBox error=Signal::derive(move || {
                error.get().filter(|e| e.field.is_none() && e.problems.iter().all(|p| p.field.is_none()))
            })/>
            <div class="actions">
                <button type="submit" id="onsite-submit" class="primary" disabled=move || pending.get()>
                    {move || if pending.get() { "正在提交…" } else { "提交记录" }}
                </button>
            </div>
        </form>
    }
}
