//! Each unit's supervision record (第八条′): overdue now, chases and those not answered in time, items chased
//! repeatedly, 退单, corrections — for the record page and the 纪检监察 dossier.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};
use shared::dto::UnitRef;
use shared::supervision::UnitRecord;

use crate::db::{self, DbConn};
use crate::error::AppError;

/// Chases in this many days make a unit's record.
pub const RECORD_DAYS: i64 = 90;
/// This many chases in the record's window flag a repeat offender.
const REPEAT_OFFENDER_CHASES: i64 = 3;

/// Every unit with something on its record at `now`, repeat offenders first.
pub fn unit_records(conn: &mut DbConn, now: NaiveDateTime) -> Result<Vec<UnitRecord>, AppError> {
    let mut overdue_now: HashMap<i64, i64> = HashMap::new();
    for r in db::supervision::overdue_items(conn, now)? {
        if let Some(h) = db::journey::holder(&r) {
            *overdue_now.entry(h).or_default() += 1;
        }
    }
    let recent = db::supervision::chases_since(conn, now - Duration::days(RECORD_DAYS))?;
    let mut per_unit: HashMap<i64, Vec<String>> = HashMap::new();
    for (u, item) in recent {
        per_unit.entry(u).or_default().push(item);
    }
    let mut corrections: HashMap<i64, i64> = HashMap::new();
    for (community, _) in db::supervision::corrections_since(conn, now - Duration::days(RECORD_DAYS))? {
        *corrections.entry(community).or_default() += 1;
    }
    let since = now - Duration::days(RECORD_DAYS);
    let mut rejections: HashMap<i64, i64> = HashMap::new();
    for department in db::supervision::rejections_since(conn, since)? {
        *rejections.entry(department).or_default() += 1;
    }
    let mut unanswered: HashMap<i64, i64> = HashMap::new();
    for unit in db::supervision::unanswered_since(conn, since, now)? {
        *unanswered.entry(unit).or_default() += 1;
    }
    let mut ids: Vec<i64> = overdue_now
        .keys()
        .chain(per_unit.keys())
        .chain(corrections.keys())
        .chain(rejections.keys())
        .chain(unanswered.keys())
        .copied()
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let units = db::org::by_ids(conn, &ids)?;
    let names = db::org::full_names(conn, &units)?;
    let mut out: Vec<UnitRecord> = units
        .iter()
        .map(|u| {
            let chased = per_unit.get(&u.id).cloned().unwrap_or_default();
            let mut counts: HashMap<&str, i64> = HashMap::new();
            for i in &chased {
                *counts.entry(i.as_str()).or_default() += 1;
            }
            UnitRecord {
                unit: UnitRef {
                    id: u.id,
                    kind: u.kind,
                    name: u.name.clone(),
                    full_name: names.get(&u.id).cloned().unwrap_or_else(|| u.name.clone()),
                },
                overdue_now: overdue_now.get(&u.id).copied().unwrap_or(0),
                chases_90_days: chased.len() as i64,
                items_chased_repeatedly: counts.values().filter(|n| **n > 1).count() as i64,
                repeat_offender: chased.len() as i64 >= REPEAT_OFFENDER_CHASES,
                corrections_90_days: corrections.get(&u.id).copied().unwrap_or(0),
                rejections_90_days: rejections.get(&u.id).copied().unwrap_or(0),
                chases_unanswered: unanswered.get(&u.id).copied().unwrap_or(0),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.repeat_offender
            .cmp(&a.repeat_offender)
            .then(b.chases_90_days.cmp(&a.chases_90_days))
            .then(b.overdue_now.cmp(&a.overdue_now))
    });
    Ok(out)
}

/// One unit's record at `now` (all zeros when it has none).
pub fn unit_record(conn: &mut DbConn, unit: UnitRef, now: NaiveDateTime) -> Result<UnitRecord, AppError> {
    let found = unit_records(conn, now)?.into_iter().find(|r| r.unit.id == unit.id);
    Ok(found.unwrap_or(UnitRecord {
        unit,
        overdue_now: 0,
        chases_90_days: 0,
        items_chased_repeatedly: 0,
        repeat_offender: false,
        corrections_90_days: 0,
        rejections_90_days: 0,
        chases_unanswered: 0,
    }))
}
