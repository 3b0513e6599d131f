//! The forms under a place of the organisation tree: add a place below it, rename it, move it elsewhere.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::dto::{CreateOrgUnit, OrgUnit, UpdateOrgUnit};
use shared::validate::check_name;
use shared::{ApiError, OrgKind};

use super::Tree;
use crate::api;
use crate::components::fields::place_name;
use crate::components::{names_field, ErrorBox, FieldError};

/// Add a place under `parent`.
pub(super) fn add_view(tree: Tree, parent: OrgUnit) -> AnyView {
    let kinds = parent.kind.child_kinds();
    let kind = RwSignal::new(kinds[0]);
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let parent_id = parent.id;
    let panel = tree.panel;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let body =
            CreateOrgUnit { kind: kind.get_untracked(), name: name.get_untracked().trim().to_string(), parent_id };
        if let Err(m) = check_name(&body.name) {
            error.set(Some(ApiError::field("name", m)));
            return;
        }
        error.set(None);
        pending.set(true);
        let tree = tree.clone();
        spawn_local(async move {
            match api::post::<_, OrgUnit>("/api/org/units", &body).await {
                Ok(_) => {
                    tree.expanded.update_value(|e| {
                        e.insert(parent_id);
                    });
                    tree.panel.set(None);
                    tree.reload();
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    let general_error =
        Signal::derive(move || error.get().filter(|e| !matches!(e.field.as_deref(), Some("name" | "kind"))));
    view! {
        <form class="unit-panel form" on:submit=on_submit novalidate>
            <p class="panel-title">"在「"{parent.name.clone()}"」下添加"</p>
            <label for="new-unit-kind">"类型"</label>
            <select id="new-unit-kind" on:change=move |ev| {
                if let Some(k) = OrgKind::parse(&event_target_value(&ev)) {
                    kind.set(k);
                }
            }>
                {kinds
                    .iter()
                    .map(|k| {
                        let k = *k;
                        view! { <option value=k.code() selected=move || kind.get() == k>{k.label()}</option> }
                    })
                    .collect_view()}
            </select>
            <FieldError error=error field="kind"/>
            <label for="new-unit-name">"名称"</label>
            <input id="new-unit-name" type="text" bind:value=name placeholder="例如：第三网格" autocomplete="off"
                class:invalid=move || error.with(|e| names_field(e, "name"))/>
            <FieldError error=error field="name"/>
            <ErrorBox error=general_error/>
            <div class="actions">
                <button id="new-unit-submit" type="submit" class="primary" disabled=move || pending.get()>
                    {move || if pending.get() { "正在添加…" } else { "添加" }}
                </button>
                <button type="button" on:click=move |_| panel.set(None)>"取消"</button>
            </div>
        </form>
    }
    .into_any()
}

/// Give a place a new name.
pub(super) fn rename_view(tree: Tree, unit: OrgUnit) -> AnyView {
    let name = RwSignal::new(unit.name.clone());
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let id = unit.id;
    let panel = tree.panel;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let new_name = name.get_untracked().trim().to_string();
        if let Err(m) = check_name(&new_name) {
            error.set(Some(ApiError::field("name", m)));
            return;
        }
        error.set(None);
        pending.set(true);
        let tree = tree.clone();
        spawn_local(async move {
            let body = UpdateOrgUnit { name: Some(new_name), ..Default::default() };
            match api::patch::<_, OrgUnit>(&format!("/api/org/units/{id}"), &body).await {
                Ok(_) => {
                    tree.panel.set(None);
                    tree.reload();
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    let general_error = Signal::derive(move || error.get().filter(|e| e.field.as_deref() != Some("name")));
    view! {
        <form class="unit-panel form" on:submit=on_submit novalidate>
            <label for=format!("rename-{id}")>"新名称"</label>
            <input id=format!("rename-{id}") class="rename-input" type="text" bind:value=name autocomplete="off"
                class:invalid=move || error.with(|e| names_field(e, "name"))/>
            <FieldError error=error field="name"/>
            <ErrorBox error=general_error/>
            <div class="actions">
                <button type="submit" class="primary" disabled=move || pending.get()>
                    {move || if pending.get() { "正在保存…" } else { "保存" }}
                </button>
                <button type="button" on:click=move |_| panel.set(None)>"取消"</button>
            </div>
        </form>
    }
    .into_any()
}

/// Put a place under another parent of the same kind.
pub(super) fn move_view(tree: Tree, unit: OrgUnit) -> AnyView {
    let parent_kind = unit.kind.parent_kind();
    let mut candidates: Vec<(i64, String)> = tree
        .units
        .by_id
        .values()
        .filter(|u| {
            Some(u.kind) == parent_kind
                && u.active
                && Some(u.id) != unit.parent_id
                && tree.rights.can_add_under(&tree.units, u.id)
        })
        .map(|u| (u.id, place_name(&u.full_name, &u.name)))
        .collect();
    candidates.sort_by(|a, b| a.1.cmp(&b.1));
    let target = RwSignal::new(None::<i64>);
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let id = unit.id;
    let panel = tree.panel;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let Some(parent_id) = target.get_untracked() else {
            error.set(Some(ApiError::field("parent_id", "请选择新的上级")));
            return;
        };
        error.set(None);
        pending.set(true);
        let tree = tree.clone();
        spawn_local(async move {
            let body = UpdateOrgUnit { parent_id: Some(parent_id), ..Default::default() };
            match api::patch::<_, OrgUnit>(&format!("/api/org/units/{id}"), &body).await {
                Ok(_) => {
                    tree.expanded.update_value(|e| {
                        e.insert(parent_id);
                    });
                    tree.panel.set(None);
                    tree.reload();
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    let general_error = Signal::derive(move || error.get().filter(|e| e.field.as_deref() != Some("parent_id")));
    let kind_label = parent_kind.map(|k| k.label()).unwrap_or("上级");
    if candidates.is_empty() {
        return view! {
            <div class="unit-panel">
                <p class="muted">"没有可移入的其他"{kind_label}"。"</p>
                <button type="button" on:click=move |_| panel.set(None)>"关闭"</button>
            </div>
        }
        .into_any();
    }
    view! {
        <form class="unit-panel form" on:submit=on_submit novalidate>
            <label for=format!("move-{id}")>"移到哪个"{kind_label}"下"</label>
            <select id=format!("move-{id}") class="move-target" on:change=move |ev| {
                target.set(event_target_value(&ev).parse().ok());
            }>
                <option value="" selected=true>"请选择…"</option>
                {candidates
                    .into_iter()
                    .map(|(cid, label)| view! { <option value=cid.to_string()>{label}</option> })
                    .collect_view()}
            </select>
            <FieldError error=error field="parent_id"/>
            <ErrorBox error=general_error/>
            <div class="actions">
                <button type="submit" class="primary" disabled=move || pending.get()>
                    {move || if pending.get() { "正在移动…" } else { "移动" }}
                </button>
                <button type="button" on:click=move |_| panel.set(None)>"取消"</button>
            </div>
        </form>
    }
    .into_any()
}
