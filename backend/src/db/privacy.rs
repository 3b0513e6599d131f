//! Queries on residents' personal information: the items holding a phone number, the closed items whose retention
//! period is over, and masking an item's name, phone and address in place (its history's copies of them too), with a
//! record of the masking.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::item::ItemStatus;
use shared::privacy::MASKED_NAME;

use super::models::ItemRow;
use super::schema::{item_events, items, personal_data_masks};
use super::DbConn;

/// The items holding this (normalised) phone number, newest first.
pub fn items_of_phone(conn: &mut DbConn, phone: &str) -> QueryResult<Vec<ItemRow>> {
    items::table
        .filter(items::resident_phone.eq(phone))
        .order((items::collected_at.desc(), items::id.desc()))
        .select(ItemRow::as_select())
        .load(conn)
}

/// Up to `limit` closed items, closed before `cutoff`, that still hold a name, phone or address and were never masked.
pub fn due_for_masking(conn: &mut DbConn, cutoff: NaiveDateTime, limit: i64) -> QueryResult<Vec<ItemRow>> {
    let masked = personal_data_masks::table.select(personal_data_masks::item_id);
    items::table
        .filter(items::status.eq(ItemStatus::Closed))
        .filter(items::closed_at.lt(cutoff))
        .filter(items::id.ne_all(masked))
        .filter(
            items::resident_name.is_not_null().or(items::resident_phone.is_not_null()).or(items::address.is_not_null()),
        )
        .order(items::closed_at.asc())
        .limit(limit)
        .select(ItemRow::as_select())
        .load(conn)
}

/// Masks one item's resident name, phone and address (and their copies in its history), marks it as masked by `by`
/// (none: the retention job) for `reason`, and adds the masking to its history. Answers false when it held none.
pub fn mask(conn: &mut DbConn, item: &ItemRow, now: NaiveDateTime, by: Option<i64>, reason: &str) -> QueryResult<bool> {
    let held: Vec<&str> = [&item.resident_name, &item.resident_phone, &item.address]
        .into_iter()
        .filter_map(|v| v.as_deref())
        .filter(|v| !v.is_empty() && *v != MASKED_NAME)
        .collect();
    if held.is_empty() {
        return Ok(false);
    }
    diesel::update(items::table.find(&item.id))
        .set((
            items::resident_name.eq(item.resident_name.as_ref().map(|_| MASKED_NAME)),
            items::resident_phone.eq(None::<String>),
            items::address.eq(None::<String>),
            items::callback_consent.eq(false),
            items::version.eq(items::version + 1),
            items::updated_at.eq(now),
        ))
        .execute(conn)?;
    // The history keeps what each change wrote: the values of these fields are masked there, and the current ones
    // wherever else they stand as a whole value.
    let events: Vec<(i64, String)> = item_events::table
        .filter(item_events::item_id.eq(&item.id))
        .select((item_events::id, item_events::changes))
        .load(conn)?;
    for (id, changes) in events {
        let masked = mask_changes(&changes, &held);
        if masked != changes {
            diesel::update(item_events::table.find(id)).set(item_events::changes.eq(masked)).execute(conn)?;
        }
    }
    // One record per item: a later masking (another request) replaces the earlier one's record.
    diesel::delete(personal_data_masks::table.find(&item.id)).execute(conn)?;
    diesel::insert_into(personal_data_masks::table)
        .values((
            personal_data_masks::item_id.eq(&item.id),
            personal_data_masks::masked_at.eq(now),
            personal_data_masks::by_id.eq(by),
            personal_data_masks::reason.eq(reason),
        ))
        .execute(conn)?;
    Ok(true)
}

/// The fields of an event's changes that hold a resident's information.
const PERSONAL_FIELDS: &[&str] = &["resident_name", "resident_phone", "address"];

/// An event's changes (a JSON list of {field, label, before, after}) with every personal field's values, and any
/// value equal to one of `held`, masked.
fn mask_changes(changes: &str, held: &[&str]) -> String {
    let Ok(mut list) = serde_json::from_str::<Vec<serde_json::Value>>(changes) else { return changes.to_string() };
    for change in &mut list {
        let personal = change["field"].as_str().is_some_and(|f| PERSONAL_FIELDS.contains(&f));
        for side in ["before", "after"] {
            let v = &mut change[side];
            if v.is_string() && (personal || v.as_str().is_some_and(|s| held.contains(&s))) {
                *v = serde_json::Value::String(MASKED_NAME.into());
            }
        }
    }
    serde_json::to_string(&list).unwrap_or_else(|_| changes.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_historys_personal_values_are_masked_and_nothing_else() {
        let changes = r#"[{"field":"resident_phone","label":"联系电话","before":"13912345678","after":"13800001111"},
            {"field":"content","label":"收集内容","before":"旧","after":"新"},
            {"field":"note","label":"说明","before":null,"after":"张大爷"}]"#;
        let masked: Vec<serde_json::Value> = serde_json::from_str(&mask_changes(changes, &["张大爷"])).unwrap();
        assert_eq!(masked[0]["before"], MASKED_NAME);
        assert_eq!(masked[0]["after"], MASKED_NAME);
        assert_eq!(masked[1]["after"], "新");
        assert_eq!(masked[2]["after"], MASKED_NAME);
        assert_eq!(masked[2]["before"], serde_json::Value::Null);
        assert_eq!(mask_changes("not json", &[]), "not json");
    }
}
