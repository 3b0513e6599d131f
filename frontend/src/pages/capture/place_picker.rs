//! The place of an item, limited to the account's own places: a building leader's buildings, a grid leader's grid
//! and its buildings, a station head's grids then buildings, or a list of every place in scope for higher roles.

use std::collections::HashMap;

use leptos::prelude::*;
use shared::dto::OrgUnit;
use shared::item::ITEM_PLACE_KINDS;
use shared::{ApiError, OrgKind};

use super::context::{PickerMode, Profile};
use super::form::Form;
use crate::components::form_errors::clear_field;
use crate::components::{names_field, Loaded};
use crate::places::Places;

/// One place to choose.
fn place_chip(form: Form, error: RwSignal<Option<ApiError>>, unit: &OrgUnit, label: String) -> impl IntoView {
    let id = unit.id;
    let on = move || form.place_id.get() == Some(id);
    view! {
        <button type="button" class="chip" class:selected=on data-place-id=id.to_string()
            data-place-kind=unit.kind.code() aria-pressed=move || on().to_string()
            on:click=move |_| {
                form.place_id.set(Some(id));
                clear_field(error, "place_id");
            }>{label}</button>
    }
}

/// The place of the item, limited to the account's own places.
#[component]
pub(super) fn PlacePicker(
    form: Form,
    profile: Profile,
    units: LocalResource<Result<Vec<OrgUnit>, ApiError>>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    // A building leader with one building needs no tap.
    let scopes = profile.scopes.clone();
    Effect::new(move |_| {
        if profile.picker != PickerMode::Buildings || form.place_id.get_untracked().is_some() {
            return;
        }
        if let Some(Ok(list)) = units.get() {
            let places = Places::new(list);
            let own = places.in_scopes(&scopes, &[OrgKind::Building]);
            if let [only] = own.as_slice() {
                form.place_id.set(Some(only.id));
            }
        }
    });
    let scopes = profile.scopes.clone();
    view! {
        <Loaded resource=units loading="正在加载楼栋…" let:list
            on_error=move || view! {
                <button type="button" on:click=move |_| units.refetch()>"重新加载"</button>
            }>
            {
                let places = Places::new(list);
                match profile.picker {
                    PickerMode::Buildings => {
                        let own = places.in_scopes(&scopes, &[OrgKind::Building]);
                        view! {
                            <div class="chips" role="group" aria-label="楼栋">
                                {own.into_iter().map(|b| place_chip(form, error, b, b.name.clone())).collect_view()}
                            </div>
                        }
                        .into_any()
                    }
                    PickerMode::Grid => {
                        let grids = places.in_scopes(&scopes, &[OrgKind::Grid]);
                        let many = grids.len() > 1;
                        grids
                            .into_iter()
                            .map(|g| {
                                let buildings = places.children(g.id, OrgKind::Building);
                                view! {
                                    {many.then(|| view! { <p class="chip-group-title">{g.name.clone()}</p> })}
                                    <div class="chips" role="group" aria-label="楼栋">
                                        {buildings
                                            .into_iter()
                                            .map(|b| place_chip(form, error, b, b.name.clone()))
                                            .collect_view()}
                                        {place_chip(form, error, g, "不限楼栋".into())}
                                    </div>
                                }
                            })
                            .collect_view()
                            .into_any()
                    }
                    PickerMode::Station => station_picker(form, error, &places, &scopes).into_any(),
                    PickerMode::Select => {
                        let options: Vec<(i64, String)> = places
                            .in_scopes(&scopes, ITEM_PLACE_KINDS)
                            .into_iter()
                            .map(|u| (u.id, format!("{}（{}）", places.label_in(u.id, &scopes), u.kind.label())))
                            .collect();
                        view! {
                            <select id="place-select" aria-label="地点"
                                class:invalid=move || error.with(|e| names_field(e, "place_id"))
                                on:change=move |ev| {
                                    form.place_id.set(event_target_value(&ev).parse().ok());
                                    clear_field(error, "place_id");
                                }>
                                <option value="" selected=move || form.place_id.get().is_none()>"请选择地点…"</option>
                                {options
                                    .into_iter()
                                    .map(|(id, label)| view! {
                                        <option value=id.to_string() selected=move || form.place_id.get() == Some(id)>{label}</option>
                                    })
                                    .collect_view()}
                            </select>
                        }
                        .into_any()
                    }
                }
            }
        </Loaded>
    }
}

/// A station head's picker: the station or one of its grids, then a building of that grid.
fn station_picker(form: Form, error: RwSignal<Option<ApiError>>, places: &Places, scopes: &[i64]) -> impl IntoView {
    let stations = places.in_scopes(scopes, &[OrgKind::Station]);
    // The grid whose buildings to show: the chosen grid, or the grid of the chosen building.
    let grid_of: HashMap<i64, i64> = places
        .in_scopes(scopes, &[OrgKind::Grid, OrgKind::Building])
        .into_iter()
        .map(|u| {
            let grid = if u.kind == OrgKind::Grid { u.id } else { u.parent_id.unwrap_or(u.id) };
            (u.id, grid)
        })
        .collect();
    let building_rows: HashMap<i64, Vec<OrgUnit>> =
        grid_of.values().map(|g| (*g, places.children(*g, OrgKind::Building).into_iter().cloned().collect())).collect();
    let grid_units: HashMap<i64, OrgUnit> =
        grid_of.values().filter_map(|g| places.get(*g).cloned().map(|u| (*g, u))).collect();
    let chosen_grid = Memo::new(move |_| form.place_id.get().and_then(|p| grid_of.get(&p).copied()));
    let grid_chips = stations
        .iter()
        .map(|s| {
            let grids = places.children(s.id, OrgKind::Grid);
            view! {
                {(stations.len() > 1).then(|| view! { <p class="chip-group-title">{s.name.clone()}</p> })}
                <div class="chips" role="group" aria-label="网格">
                    {place_chip(form, error, s, "全站".into())}
                    {grids
                        .into_iter()
                        .map(|g| {
                            let gid = g.id;
                            let label = g.name.clone();
                            view! {
                                <button type="button" class="chip" class:selected=move || chosen_grid.get() == Some(gid)
                                    data-grid-id=gid.to_string()
                                    on:click=move |_| {
                                        form.place_id.set(Some(gid));
                                        clear_field(error, "place_id");
                                    }>{label}</button>
                            }
                        })
                        .collect_view()}
                </div>
            }
        })
        .collect_view();
    view! {
        {grid_chips}
        {move || chosen_grid.get().map(|g| {
            let buildings = building_rows.get(&g).cloned().unwrap_or_default();
            let grid = grid_units.get(&g).cloned();
            view! {
                <p class="chip-group-title">"楼栋"</p>
                <div class="chips" role="group" aria-label="楼栋">
                    {buildings.iter().map(|b| place_chip(form, error, b, b.name.clone())).collect_view()}
                    {grid.map(|g| place_chip(form, error, &g, "不限楼栋".into()))}
                </div>
            }
        })}
    }
}
