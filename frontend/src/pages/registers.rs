//! 登记册: a grid's three visit registers (第六条2) — 特殊群体, 诉求较多居民, 问题较多小区 — with the day each entry was
//! last visited; add an entry, take one off (移出, kept for the history of its visits). A grid leader sees their own
//! grid; a station head and those above pick a grid of their places.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use shared::access;
use shared::channels::{NewVisitTarget, UpdateVisitTarget, VisitKind, VisitTarget};
use shared::dto::OrgUnit;
use shared::{ApiError, OrgKind, Role};

use crate::api;
use crate::components::form_errors::{clear_field, general_error};
use crate::components::{names_field, not_for_you, ErrorBox, FieldError, Loaded, Loading, TopBar};
use crate::format;
use crate::places::{scopes_of, Places};
use crate::state;

/// Errors shown next to their field in the add form.
const INLINE_FIELDS: &[&str] = &["register", "name", "address", "note"];

#[component]
pub fn RegistersPage() -> impl IntoView {
    let Some(me) = state::current().map(|s| s.me) else {
        return ().into_any();
    };
    let scopes = scopes_of(&me, access::register_role);
    if scopes.is_empty() {
        return not_for_you("登记册", "登记册供网格长、站长和社区、街道人员使用。").into_any();
    }
    let query = use_query_map().get_untracked();
    let asked_grid: Option<i64> = query.get("grid_id").and_then(|v| v.parse().ok());
    let asked_register = query.get("register").and_then(|v| VisitKind::parse(&v)).filter(|k| k.is_register());
    let leads_grid = me.has_role(Role::GridLeader);
    let back = if leads_grid {
        "/visits"
    } else if me.has_role(Role::StationHead) {
        "/coverage"
    } else {
        "/"
    };

    let units = LocalResource::new(|| api::get::<Vec<OrgUnit>>("/api/org/units"));
    let grid = RwSignal::new(None::<i64>);
    // The grids to choose from, in the server's order; the one asked for (or the only one) is chosen.
    let grid_scopes = scopes.clone();
    let grids = Memo::new(move |_| match units.get() {
        Some(Ok(list)) => {
            let places = Places::new(list);
            places
                .in_scopes(&grid_scopes, &[OrgKind::Grid])
                .into_iter()
                .map(|g| (g.id, places.label_in(g.id, &grid_scopes)))
                .collect::<Vec<_>>()
        }
        _ => Vec::new(),
    });
    let own_grids: Vec<i64> =
        me.roles.iter().filter(|r| r.role == Role::GridLeader).map(|r| r.unit.id).collect::<Vec<_>>();
    Effect::new(move |_| {
        let list = grids.get();
        if grid.get_untracked().is_some() || list.is_empty() {
            return;
        }
        let pick = asked_grid
            .filter(|g| list.iter().any(|(id, _)| id == g))
            .or_else(|| own_grids.iter().copied().find(|g| list.iter().any(|(id, _)| id == g)))
            .or_else(|| (list.len() == 1).then(|| list[0].0));
        if let Some(g) = pick {
            grid.set(Some(g));
        }
    });

    let version = RwSignal::new(0u32);
    let entries = LocalResource::new(move || {
        version.track();
        let g = grid.get();
        async move {
            match g {
                Some(g) => api::get::<Vec<VisitTarget>>(&format!("/api/visit-targets?grid_id={g}")).await.map(Some),
                None => Ok(None),
            }
        }
    });

    let picker = move || match units.get() {
        None => Some(view! { <Loading text="正在加载网格…"/> }.into_any()),
        Some(Err(e)) => Some(
            view! {
                <ErrorBox error=Signal::stored(Some(e))/>
                <button type="button" on:click=move |_| units.refetch()>"重新加载"</button>
            }
            .into_any(),
        ),
        Some(Ok(_)) => {
            let list = grids.get();
            if list.is_empty() {
                return Some(view! { <p class="card muted">"您负责的范围内还没有网格。"</p> }.into_any());
            }
            (list.len() > 1).then(|| {
                view! {
                    <label class="filter register-grid">
                        <span>"网格"</span>
                        <select id="register-grid" on:change=move |ev| {
                            grid.set(event_target_value(&ev).parse().ok());
                        }>
                            <option value="" selected=move || grid.get().is_none()>"请选择网格…"</option>
                            {list
                                .into_iter()
                                .map(|(id, label)| view! {
                                    <option value=id.to_string() selected=move || grid.get() == Some(id)>{label}</option>
                                })
                                .collect_view()}
                        </select>
                    </label>
                }
                .into_any()
            })
        }
    };

    let list = view! {
        <Loaded resource=entries let:value
            on_error=move || view! {
                <button type="button" on:click=move |_| version.update(|v| *v += 1)>"重新加载"</button>
            }>
            {match value {
                None => ().into_any(),
                Some(list) => {
                    let grid_name = list.first().map(|t| t.grid.name.clone()).or_else(|| {
                        let g = grid.get_untracked()?;
                        grids.with_untracked(|l| l.iter().find(|(id, _)| *id == g).map(|(_, n)| n.clone()))
                    });
                    let sections = VisitKind::REGISTERS
                        .iter()
                        .map(|k| {
                            let of_kind: Vec<VisitTarget> = list.iter().filter(|t| t.register == *k).cloned().collect();
                            register_section(*k, of_kind, version)
                        })
                        .collect_view();
                    view! {
                        {grid_name.map(|n| view! { <p class="muted register-grid-name">{n}</p> })}
                        {sections}
                    }
                    .into_any()
                }
            }}
        </Loaded>
    };

    view! {
        <div id="registers-page" class="page registers-page">
            <TopBar title="登记册" back=back/>
            <p class="hint">"网格长每天走访特殊群体、诉求较多居民、问题较多小区各一次，走访对象从这里选择。"</p>
            {picker}
            {list}
            {move || grid.get().map(|g| view! { <AddTarget grid_id=g version=version initial=asked_register/> })}
        </div>
    }
    .into_any()
}

/// One register: its entries with 移出.
fn register_section(kind: VisitKind, entries: Vec<VisitTarget>, version: RwSignal<u32>) -> impl IntoView {
    let count = entries.len();
    let rows = if entries.is_empty() {
        view! { <p class="muted register-empty">"还没有登记，请在下方添加。"</p> }.into_any()
    } else {
        view! { <ul class="register-entries">{entries.into_iter().map(|t| entry_row(t, version)).collect_view()}</ul> }
            .into_any()
    };
    view! {
        <section class="card register" id=format!("register-{}", kind.code())>
            <h3>{kind.label()}<span class="muted small">" · "{count}"户（处）"</span></h3>
            {rows}
        </section>
    }
}

fn entry_row(t: VisitTarget, version: RwSignal<u32>) -> impl IntoView {
    let id = t.id;
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let name = t.name.clone();
    let remove = move |_| {
        let ok = web_sys::window()
            .and_then(|w| w.confirm_with_message(&format!("将“{name}”移出登记册？以往的走访记录仍会保留。")).ok())
            .unwrap_or(false);
        if !ok {
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let body = UpdateVisitTarget { active: Some(false), ..Default::default() };
            match api::patch::<_, VisitTarget>(&format!("/api/visit-targets/{id}"), &body).await {
                Ok(_) => {
                    version.try_update(|v| *v += 1);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                    let _ = busy.try_set(false);
                }
            }
        });
    };
    let last = match t.last_visited_on {
        Some(d) => format!("上次走访 {}", format::date_label(d)),
        None => "从未走访".to_string(),
    };
    view! {
        <li class="register-entry" data-target-id=id.to_string()>
            <div class="reg-text">
                <strong class="reg-name">{t.name.clone()}</strong>
                {t.address.clone().map(|a| view! { <span class="reg-address">{a}</span> })}
                {t.note.clone().map(|n| view! { <span class="reg-note muted">{n}</span> })}
                <span class="reg-last" class:never=t.last_visited_on.is_none()>{last}</span>
                <ErrorBox error=error/>
            </div>
            <button type="button" class="danger remove-target" data-target-id=id.to_string()
                disabled=move || busy.get() on:click=remove>"移出"</button>
        </li>
    }
}

/// The add form.
#[component]
fn AddTarget(grid_id: i64, version: RwSignal<u32>, initial: Option<VisitKind>) -> impl IntoView {
    let register = RwSignal::new(initial);
    let name = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let saving = RwSignal::new(false);
    let added = RwSignal::new(None::<String>);
    let save = move |_| {
        if saving.get_untracked() {
            return;
        }
        let Some(kind) = register.get_untracked() else {
            error.set(Some(ApiError::field("register", "请选择登记册")));
            return;
        };
        let n = name.get_untracked().trim().to_string();
        if n.is_empty() {
            error.set(Some(ApiError::field("name", "请填写姓名或小区名称")));
            return;
        }
        let opt = |s: String| {
            let s = s.trim().to_string();
            (!s.is_empty()).then_some(s)
        };
        let body = NewVisitTarget {
            grid_id,
            register: kind,
            name: n,
            address: opt(address.get_untracked()),
            note: opt(note.get_untracked()),
        };
        error.set(None);
        added.set(None);
        saving.set(true);
        spawn_local(async move {
            match api::post::<_, VisitTarget>("/api/visit-targets", &body).await {
                Ok(t) => {
                    let _ = name.try_set(String::new());
                    let _ = address.try_set(String::new());
                    let _ = note.try_set(String::new());
                    let _ = added.try_set(Some(format!("已添加到{}：{}", t.register.label(), t.name)));
                    version.try_update(|v| *v += 1);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = saving.try_set(false);
        });
    };
    let general = general_error(error, INLINE_FIELDS);
    let clear = move |field: &'static str| clear_field(error, field);
    view! {
        <section class="card" id="target-form">
            <h3>"添加到登记册"</h3>
            {move || added.get().map(|m| view! { <p class="success" role="status">{m}</p> })}
            <div class="form">
                <label for="target-register">"登记册"</label>
                <select id="target-register" class:invalid=move || error.with(|e| names_field(e, "register"))
                    on:change=move |ev| {
                        register.set(VisitKind::parse(&event_target_value(&ev)));
                        clear("register");
                    }>
                    <option value="" selected=move || register.get().is_none()>"请选择…"</option>
                    {VisitKind::REGISTERS
                        .iter()
                        .map(|k| {
                            let k = *k;
                            view! { <option value=k.code() selected=move || register.get() == Some(k)>{k.label()}</option> }
                        })
                        .collect_view()}
                </select>
                <FieldError error=error field="register"/>
                <label for="target-name">"姓名或小区名称"</label>
                <input id="target-name" type="text" maxlength="60" autocomplete="off" bind:value=name
                    placeholder="如：王秀兰（独居老人）、幸福小区"
                    class:invalid=move || error.with(|e| names_field(e, "name"))
                    on:input=move |_| clear("name")/>
                <FieldError error=error field="name"/>
                <label for="target-address">"地址（可不填）"</label>
                <input id="target-address" type="text" maxlength="200" autocomplete="off" bind:value=address
                    placeholder="楼号、单元、门牌号"
                    class:invalid=move || error.with(|e| names_field(e, "address"))/>
                <FieldError error=error field="address"/>
                <label for="target-note">"说明（可不填）"</label>
                <input id="target-note" type="text" maxlength="200" autocomplete="off" bind:value=note
                    placeholder="为什么列入，如：低保户、常反映漏水"
                    class:invalid=move || error.with(|e| names_field(e, "note"))/>
                <FieldError error=error field="note"/>
                <ErrorBox error=general/>
                <button type="button" id="target-save" class="primary big" on:click=save disabled=move || saving.get()>
                    {move || if saving.get() { "正在添加…" } else { "添加" }}
                </button>
            </div>
        </section>
    }
}
