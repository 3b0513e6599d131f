//! An item as the API shows it: names of places and people, photos, the ledger's columns, its journey and origin,
//! the phone masked for those who do not call residents back.

use shared::channels::RaisedItem;
use shared::dto::UnitRef;
use shared::item::{mask_phone, Item, LedgerFields, PersonRef};

use super::people::{people, person};
use super::photo::photo_dto;
use crate::auth::AuthUser;
use crate::db::models::{ItemRow, UnitRow};
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::state::AppState;

/// Builds the API's view of an item: names of places and people, photos with signed links, the phone masked for
/// those who do not call residents back.
pub fn item_dto(conn: &mut DbConn, state: &AppState, user: &AuthUser, row: &ItemRow) -> Result<Item, AppError> {
    let community = db::org::get(conn, row.community_id)?;
    let place = db::org::get(conn, row.place_id)?;
    let names = db::org::full_names(conn, &[community.clone(), place.clone()])?;
    let unit_ref = |u: &UnitRow| UnitRef {
        id: u.id,
        kind: u.kind,
        name: u.name.clone(),
        full_name: names.get(&u.id).cloned().unwrap_or_default(),
    };
    let collector = db::accounts::get(conn, row.collector_id)?;
    let photos = db::items::photos_of(conn, &row.id, "capture")?.iter().map(|p| photo_dto(state, p)).collect();
    Ok(Item {
        id: row.id.clone(),
        seq: row.seq,
        community: unit_ref(&community),
        place: unit_ref(&place),
        collected_at: super::utc(row.collected_at),
        collector: PersonRef { id: collector.id, name: collector.display_name },
        channel: row.channel,
        source: row.source,
        item_type: row.item_type,
        level: row.level,
        status: row.status,
        address: row.address.clone(),
        latitude: row.latitude,
        longitude: row.longitude,
        gps_accuracy_m: row.gps_accuracy_m,
        resident_name: row.resident_name.clone(),
        resident_phone: row.resident_phone.as_deref().map(|p| {
            if user.sees_phones() {
                p.to_string()
            } else {
                mask_phone(p)
            }
        }),
        callback_consent: row.callback_consent,
        content: row.content.clone(),
        photos,
        ledger: ledger_fields(conn, row)?,
        result: row.result.clone(),
        sheet_no: row.sheet_no.clone(),
        sent_at: row.sent_at.map(super::utc),
        proposed_department: match row.proposed_department_id {
            Some(id) => {
                let d = db::org::get(conn, id)?;
                Some(UnitRef { id: d.id, kind: d.kind, full_name: d.name.clone(), name: d.name })
            }
            None => None,
        },
        department: super::journey::department_of(conn, row)?,
        journey: super::journey::journey_dto(conn, state, user, row)?,
        origin: origin_dto(conn, row)?,
        stage_due_at: row.stage_due_at.map(super::utc),
        overdue: crate::regulation::deadlines::overdue(row.stage_due_at, state.clock.now_naive()),
        version: row.version,
        created_at: super::utc(row.created_at),
        updated_at: super::utc(row.updated_at),
    })
}

/// The ledger's 是否办结 … 反馈人 columns of an item.
pub fn ledger_fields(conn: &mut DbConn, row: &ItemRow) -> Result<LedgerFields, AppError> {
    let told_by = match row.told_by {
        Some(id) => Some(db::accounts::get(conn, id)?.display_name),
        None => None,
    };
    Ok(ledger_fields_with(row, told_by))
}

pub fn ledger_fields_with(row: &ItemRow, told_by: Option<String>) -> LedgerFields {
    LedgerFields {
        closed: row.closed_at.is_some(),
        closed_at: row.closed_at.map(super::utc),
        outcome: row.outcome,
        resident_told: row.told_at.is_some(),
        told_at: row.told_at.map(super::utc),
        told_by,
    }
}

pub fn raised_item(row: &ItemRow) -> RaisedItem {
    RaisedItem {
        id: row.id.clone(),
        item_type: row.item_type,
        summary: row.content.chars().take(40).collect(),
        status: row.status,
        solved_on_spot: row.solved_on_spot,
    }
}

/// The origin of an item for its API view.
pub fn origin_dto(conn: &mut DbConn, row: &ItemRow) -> Result<shared::channels::ItemOrigin, AppError> {
    let building_leader = match row.building_leader_id {
        Some(id) => Some(person(&people(conn, &[id])?, id)),
        None => None,
    };
    Ok(shared::channels::ItemOrigin {
        visit_id: row.visit_id.clone(),
        meeting_id: row.meeting_id.clone(),
        reception_id: row.reception_id.clone(),
        building_leader,
        solved_on_spot: row.solved_on_spot,
    })
}

/// The item's history, oldest first, as the API shows it.
pub fn events_dto(conn: &mut DbConn, item_id: &str) -> Result<Vec<shared::item::ItemEvent>, AppError> {
    Ok(db::items::events(conn, item_id)?
        .into_iter()
        .map(|(e, name)| shared::item::ItemEvent {
            id: e.id,
            at: super::utc(e.at),
            actor: PersonRef { id: e.actor_id, name },
            kind: e.kind.code().into(),
            label: e.kind.label().into(),
            changes: serde_json::from_str::<Vec<shared::item::FieldChange>>(&e.changes).unwrap_or_default(),
        })
        .collect())
}
