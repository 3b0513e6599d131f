//! Pieces of the routines' pages (第六条: visits, meetings, receptions): the stations an account picks from, the
//! buttons that register an item at a meeting or reception, the items raised there or at a visit, and printing.

use leptos::prelude::*;
use shared::channels::RaisedItem;
use shared::dto::OrgUnit;
use shared::{ApiError, OrgKind};

use crate::api;
use crate::components::form_errors::clear_field;
use crate::components::names_field;
use crate::places::Places;

/// A station to pick: its id and a name read from the scope that holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationChoice {
    pub id: i64,
    pub label: String,
}

/// The active stations within `scopes`, in the organisation's order.
pub async fn stations_within(scopes: Vec<i64>) -> Result<Vec<StationChoice>, ApiError> {
    Ok(stations_within_each(vec![scopes]).await?.pop().unwrap_or_default())
}

/// The active stations within each list of scopes, from one look at the organisation.
pub async fn stations_within_each(lists: Vec<Vec<i64>>) -> Result<Vec<Vec<StationChoice>>, ApiError> {
    if lists.iter().all(Vec::is_empty) {
        return Ok(lists.iter().map(|_| Vec::new()).collect());
    }
    let units = api::get::<Vec<OrgUnit>>("/api/org/units").await?;
    let places = Places::new(units);
    Ok(lists
        .iter()
        .map(|scopes| {
            places
                .in_scopes(scopes, &[OrgKind::Station])
                .into_iter()
                .map(|u| StationChoice { id: u.id, label: places.label_in(u.id, scopes) })
                .collect()
        })
        .collect())
}

/// A station select bound to `value`, marked when the error names `field`.
pub fn station_select(
    id: &'static str,
    stations: Vec<StationChoice>,
    value: RwSignal<Option<i64>>,
    error: RwSignal<Option<ApiError>>,
    field: &'static str,
) -> impl IntoView {
    let single = stations.len() == 1;
    let options = stations
        .into_iter()
        .map(|s| {
            let sid = s.id;
            view! { <option value=sid.to_string() selected=move || value.get() == Some(sid)>{s.label}</option> }
        })
        .collect_view();
    view! {
        <select id=id class:invalid=move || error.with(|e| names_field(e, field))
            on:change=move |ev| {
                value.set(event_target_value(&ev).parse().ok());
                clear_field(error, field);
            }>
            {(!single).then(|| view! { <option value="" selected=move || value.get().is_none()>"请选择服务站…"</option> })}
            {options}
        </select>
    }
}

/// The buttons that register an item at a meeting or reception: solved on the spot (for those who solve at the
/// community's level, `solves`), or into the ledger. `origin` is the capture page's query naming it, e.g.
/// `meeting=<id>&station=<station id>`.
pub fn raise_buttons(prefix: &'static str, origin: String, solves: bool) -> impl IntoView {
    let later = format!("/capture?{origin}");
    let on_spot = format!("/capture?{origin}&on_spot=1");
    view! {
        <div class="raise-actions no-print">
            {solves.then(|| view! {
                <a class="button primary" id=format!("{prefix}-raise-on-spot") href=on_spot>"登记现场解决的民情"</a>
            })}
            <a class="button" id=format!("{prefix}-raise") href=later>
                {if prefix == "meeting" { "登记会后办理的民情" } else { "登记民情" }}
            </a>
        </div>
    }
}

/// The items raised at a meeting or reception, each leading to its page.
pub fn raised_items(id: &'static str, items: Vec<RaisedItem>) -> impl IntoView {
    let on_spot = items.iter().filter(|i| i.solved_on_spot).count();
    let heading = if items.is_empty() {
        "收集的民情".to_string()
    } else {
        format!("收集的民情（{}件，其中现场解决{}件）", items.len(), on_spot)
    };
    let body = if items.is_empty() {
        view! { <p class="muted raised-empty">"还没有登记民情。"</p> }.into_any()
    } else {
        view! {
            <ul class="raised-list">
                {items
                    .into_iter()
                    .map(|i| {
                        let href = format!("/items/{}", api::encode(&i.id));
                        view! {
                            <li data-item-id=i.id.clone() data-on-spot=i.solved_on_spot.to_string()>
                                <a class="raised-item" href=href>
                                    <span class="raised-head">
                                        <span class="item-type">{i.item_type.label()}</span>
                                        {i.solved_on_spot.then(|| view! { <span class="badge on-spot">"现场解决"</span> })}
                                        <span class="badge status" data-status=i.status.code()>{i.status.label()}</span>
                                    </span>
                                    <span class="raised-summary">{i.summary}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="card raised-items" id=id>
            <h3>{heading}</h3>
            {body}
        </section>
    }
}

/// The items raised at a visit, each a link to its page.
pub fn raised_links(items: &[RaisedItem]) -> Option<impl IntoView> {
    (!items.is_empty()).then(|| {
        let links = items
            .iter()
            .map(|i| {
                view! {
                    <li>
                        <a class="visit-raised-item" href=format!("/items/{}", i.id) data-item-id=i.id.clone()>
                            <span class="visit-raised-head">
                                <span class="item-type">{i.item_type.label()}</span>
                                <span class="badge status">{i.status.label()}</span>
                            </span>
                            <span class="visit-raised-summary">{i.summary.clone()}</span>
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! {
            <div class="visit-raised">
                <p class="visit-raised-title">"登记民情 "{items.len()}" 条"</p>
                <ul class="visit-raised-list">{links}</ul>
            </div>
        }
    })
}
