//! The organisation tree: expandable places from the city down, and for each place add a child, rename, move,
//! deactivate or reactivate, as far as the account's roles allow.

mod forms;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::dto::{OrgUnit, UpdateOrgUnit};
use shared::{ApiError, OrgKind, Role};

use crate::api;
use crate::components::{ErrorBox, Loading, TopBar};
use crate::state;
use forms::{add_view, move_view, rename_view};

/// The form open under a node; one at a time in the whole tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Panel {
    Menu,
    Add,
    Rename,
    Move,
}

/// The places as loaded, indexed for the tree.
struct Units {
    by_id: HashMap<i64, OrgUnit>,
    /// Children ids by parent id, in the server's order; `None` holds the roots.
    children: HashMap<Option<i64>, Vec<i64>>,
}

impl Units {
    fn new(list: Vec<OrgUnit>) -> Self {
        let ids: HashSet<i64> = list.iter().map(|u| u.id).collect();
        let mut children: HashMap<Option<i64>, Vec<i64>> = HashMap::new();
        for u in &list {
            // A place whose parent is out of sight is shown as a root.
            let parent = u.parent_id.filter(|p| ids.contains(p));
            children.entry(parent).or_default().push(u.id);
        }
        Self { by_id: list.into_iter().map(|u| (u.id, u)).collect(), children }
    }

    /// Whether `id` is `ancestor` or sits somewhere under it.
    fn within(&self, id: i64, ancestor: i64) -> bool {
        let mut cur = Some(id);
        while let Some(c) = cur {
            if c == ancestor {
                return true;
            }
            cur = self.by_id.get(&c).and_then(|u| u.parent_id);
        }
        false
    }

    fn ancestors(&self, id: i64) -> Vec<i64> {
        let mut out = Vec::new();
        let mut cur = self.by_id.get(&id).and_then(|u| u.parent_id);
        while let Some(c) = cur {
            out.push(c);
            cur = self.by_id.get(&c).and_then(|u| u.parent_id);
        }
        out
    }
}

/// Where the account may change the organisation: admins within their scope, the other managing roles below it.
#[derive(Default)]
struct Rights {
    admin_scopes: Vec<i64>,
    manager_scopes: Vec<i64>,
}

impl Rights {
    fn can_add_under(&self, units: &Units, id: i64) -> bool {
        self.admin_scopes.iter().chain(&self.manager_scopes).any(|s| units.within(id, *s))
    }

    fn can_edit(&self, units: &Units, unit: &OrgUnit) -> bool {
        unit.kind != OrgKind::City
            && (self.admin_scopes.iter().any(|s| units.within(unit.id, *s))
                || self.manager_scopes.iter().any(|s| *s != unit.id && units.within(unit.id, *s)))
    }
}

/// Everything a node needs, cheap to clone into closures.
#[derive(Clone)]
struct Tree {
    units: Arc<Units>,
    rights: Arc<Rights>,
    show_inactive: bool,
    expanded: StoredValue<HashSet<i64>>,
    panel: RwSignal<Option<(i64, Panel)>>,
    version: RwSignal<u32>,
}

impl Tree {
    fn visible_children(&self, id: Option<i64>) -> Vec<i64> {
        self.units
            .children
            .get(&id)
            .map(|ids| {
                ids.iter()
                    .copied()
                    .filter(|c| self.show_inactive || self.units.by_id.get(c).is_some_and(|u| u.active))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn reload(&self) {
        self.version.update(|v| *v += 1);
    }
}

#[component]
pub fn OrgPage() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let loaded = LocalResource::new(move || {
        version.track();
        api::get::<Vec<OrgUnit>>("/api/org/units?include_inactive=true")
    });
    let show_inactive = RwSignal::new(false);
    let expanded = StoredValue::new(HashSet::<i64>::new());
    let panel = RwSignal::new(None::<(i64, Panel)>);
    let first_load = StoredValue::new(true);

    let tree_view = move || match loaded.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => view! {
            <ErrorBox error=Signal::stored(Some(e))/>
            <button type="button" on:click=move |_| version.update(|v| *v += 1)>"重新加载"</button>
        }
        .into_any(),
        Some(Ok(list)) => {
            let units = Units::new(list);
            let me = state::current().map(|s| s.me);
            let mut rights = Rights::default();
            for r in me.iter().flat_map(|m| m.roles.iter()) {
                if r.role == Role::Admin {
                    rights.admin_scopes.push(r.unit.id);
                } else if r.role.manages_org() {
                    rights.manager_scopes.push(r.unit.id);
                }
            }
            if first_load.get_value() {
                // Open the roots and the way down to each of the account's places.
                first_load.set_value(false);
                expanded.update_value(|e| {
                    e.extend(units.children.get(&None).into_iter().flatten().copied());
                    for r in me.iter().flat_map(|m| m.roles.iter()) {
                        e.extend(units.ancestors(r.unit.id));
                        e.insert(r.unit.id);
                    }
                });
            }
            let tree = Tree {
                units: Arc::new(units),
                rights: Arc::new(rights),
                show_inactive: show_inactive.get(),
                expanded,
                panel,
                version,
            };
            let roots = tree.visible_children(None);
            if roots.is_empty() {
                view! { <p class="muted">"还没有可显示的组织。"</p> }.into_any()
            } else {
                view! {
                    <ul class="tree">{roots.into_iter().map(|id| node_view(tree.clone(), id)).collect_view()}</ul>
                }
                .into_any()
            }
        }
    };

    view! {
        <div class="page wide">
            <TopBar title="组织架构" back="/"/>
            <div class="toolbar">
                <label class="check">
                    <input type="checkbox" id="show-inactive" bind:checked=show_inactive/>
                    "显示已停用"
                </label>
            </div>
            <div id="org-tree">{tree_view}</div>
        </div>
    }
}

/// One place, its actions and (when open) its children.
fn node_view(tree: Tree, id: i64) -> AnyView {
    let Some(unit) = tree.units.by_id.get(&id).cloned() else {
        return ().into_any();
    };
    let kids = tree.visible_children(Some(id));
    let has_kids = !kids.is_empty();
    let open = RwSignal::new(has_kids && tree.expanded.with_value(|e| e.contains(&id)));
    let expanded = tree.expanded;
    let toggle = move |_| {
        if !has_kids {
            return;
        }
        open.update(|o| *o = !*o);
        let now = open.get_untracked();
        expanded.update_value(|e| {
            if now {
                e.insert(id);
            } else {
                e.remove(&id);
            }
        });
    };
    let panel_signal = tree.panel;
    let my_panel = Memo::new(move |_| panel_signal.get().filter(|(p, _)| *p == id).map(|(_, p)| p));
    let can_add = unit.active && !unit.kind.child_kinds().is_empty() && tree.rights.can_add_under(&tree.units, id);
    let can_edit = tree.rights.can_edit(&tree.units, &unit);
    let switch_panel = move |p: Panel| {
        panel_signal.update(|cur| *cur = if *cur == Some((id, p)) { None } else { Some((id, p)) });
    };

    let panel_tree = tree.clone();
    let panel_unit = unit.clone();
    let panel_view = move || {
        my_panel.get().map(|p| match p {
            Panel::Menu => menu_view(panel_tree.clone(), panel_unit.clone()),
            Panel::Add => add_view(panel_tree.clone(), panel_unit.clone()),
            Panel::Rename => rename_view(panel_tree.clone(), panel_unit.clone()),
            Panel::Move => move_view(panel_tree.clone(), panel_unit.clone()),
        })
    };
    let kids_tree = tree.clone();
    let kids_view = move || {
        open.get().then(|| {
            view! {
                <ul class="unit-children">
                    {kids.iter().map(|k| node_view(kids_tree.clone(), *k)).collect_view()}
                </ul>
            }
        })
    };

    view! {
        <li class="unit" class:inactive=!unit.active data-unit-id=id.to_string()>
            <div class="unit-row">
                <button type="button" class="toggle" on:click=toggle disabled=!has_kids
                    aria-label=move || if open.get() { "收起" } else { "展开" }>
                    {move || if !has_kids { "·" } else if open.get() { "▾" } else { "▸" }}
                </button>
                <div class="unit-text" on:click=toggle>
                    <span class="unit-name">{unit.name.clone()}</span>
                    <span class="unit-kind">
                        {unit.kind.label()}
                        {(!unit.active).then(|| view! { <span class="badge">"已停用"</span> })}
                    </span>
                </div>
                {can_add.then(|| view! {
                    <button type="button" class="add-child" aria-label="添加下级"
                        on:click=move |_| switch_panel(Panel::Add)>"＋下级"</button>
                })}
                {can_edit.then(|| view! {
                    <button type="button" class="unit-more" aria-label="更多操作"
                        on:click=move |_| switch_panel(Panel::Menu)>"⋯"</button>
                })}
            </div>
            {panel_view}
            {kids_view}
        </li>
    }
    .into_any()
}

/// Rename, move, deactivate or reactivate.
fn menu_view(tree: Tree, unit: OrgUnit) -> AnyView {
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let id = unit.id;
    let active = unit.active;
    let panel = tree.panel;
    let movable = unit.kind.parent_kind().is_some_and(|k| k != OrgKind::City);
    let toggle_active = move |_| {
        if active {
            let ok = web_sys::window()
                .and_then(|w| w.confirm_with_message("停用后该单位将不再出现在选择列表中，确定停用吗？").ok())
                .unwrap_or(false);
            if !ok {
                return;
            }
        }
        pending.set(true);
        let tree = tree.clone();
        spawn_local(async move {
            let body = UpdateOrgUnit { active: Some(!active), ..Default::default() };
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
    view! {
        <div class="unit-panel menu">
            <button type="button" class="rename" on:click=move |_| panel.set(Some((id, Panel::Rename)))>"重命名"</button>
            {movable.then(|| view! {
                <button type="button" class="move" on:click=move |_| panel.set(Some((id, Panel::Move)))>"移动"</button>
            })}
            <button type="button" class=if active { "deactivate danger" } else { "activate" }
                on:click=toggle_active disabled=move || pending.get()>
                {move || match (pending.get(), active) {
                    (true, _) => "正在保存…",
                    (false, true) => "停用",
                    (false, false) => "启用",
                }}
            </button>
            <button type="button" class="cancel" on:click=move |_| panel.set(None)>"取消"</button>
            <ErrorBox error=error/>
        </div>
    }
    .into_any()
}
