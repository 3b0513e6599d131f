//! People and places as references: the names the API shows beside ids.

use std::collections::HashMap;

use shared::dto::UnitRef;
use shared::item::PersonRef;
use shared::Role;

use crate::db::models::UnitRow;
use crate::db::{self, DbConn};
use crate::error::AppError;

/// The unit as a reference, with the full name the caller already has.
pub fn unit_ref_named(row: &UnitRow, full_name: String) -> UnitRef {
    UnitRef { id: row.id, kind: row.kind, name: row.name.clone(), full_name }
}

/// A unit known by its own name alone (departments, streets): its full name is its name.
pub fn unit_ref_short(row: &UnitRow) -> UnitRef {
    unit_ref_named(row, row.name.clone())
}

/// Units as references with their full names.
pub fn unit_refs(conn: &mut DbConn, units: &[UnitRow]) -> Result<HashMap<i64, UnitRef>, AppError> {
    let names = db::org::full_names(conn, units)?;
    Ok(units
        .iter()
        .map(|u| {
            let r = UnitRef {
                id: u.id,
                kind: u.kind,
                name: u.name.clone(),
                full_name: names.get(&u.id).cloned().unwrap_or_else(|| u.name.clone()),
            };
            (u.id, r)
        })
        .collect())
}

/// The unit as a reference with its full name.
pub fn unit_ref(conn: &mut DbConn, unit: &UnitRow) -> Result<UnitRef, AppError> {
    let full_name = db::org::full_name(conn, unit)?;
    Ok(UnitRef { id: unit.id, kind: unit.kind, name: unit.name.clone(), full_name })
}

/// People by id, with their display names.
pub fn people(conn: &mut DbConn, ids: &[i64]) -> Result<HashMap<i64, PersonRef>, AppError> {
    Ok(db::items::names_of(conn, ids)?.into_iter().map(|(id, name)| (id, PersonRef { id, name })).collect())
}

/// Looks a person up in a map made by `people`, falling back to the bare id.
pub fn person(map: &HashMap<i64, PersonRef>, id: i64) -> PersonRef {
    map.get(&id).cloned().unwrap_or(PersonRef { id, name: format!("#{id}") })
}

/// The active holders of a role at each of the units, by unit.
pub fn holders(conn: &mut DbConn, role: Role, unit_ids: &[i64]) -> Result<HashMap<i64, Vec<PersonRef>>, AppError> {
    let mut out: HashMap<i64, Vec<PersonRef>> = HashMap::new();
    for (unit, id, name) in db::accounts::active_holders(conn, role, unit_ids)? {
        out.entry(unit).or_default().push(PersonRef { id, name });
    }
    Ok(out)
}

/// Who of the city leaders a document (专报, 研判) was delivered to, and whether and when each read it.
pub fn receipts(conn: &mut DbConn, doc: db::receipts::Doc) -> Result<Vec<shared::stats::ReportReceipt>, AppError> {
    Ok(db::receipts::of(conn, doc)?
        .into_iter()
        .map(|(id, name, delivered, read)| shared::stats::ReportReceipt {
            leader: PersonRef { id, name },
            delivered_at: super::utc(delivered),
            read_at: read.map(super::utc),
        })
        .collect())
}
