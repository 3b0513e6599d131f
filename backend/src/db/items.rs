//! Queries on items: the ledger number, where an item is filed, its photos and its history, and the ledger itself
//! with filters and keyset paging (newest first, by `(collected_at, id)`, so page 1000 costs what page 1 does).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;
use shared::journey::EventKind;
use shared::OrgKind;

use super::models::{EventRow, ItemRow, NewEvent, PhotoRow, UnitRow};
use super::org::PlaceLine;
use super::schema::{item_counters, item_events, item_photos, items, sheet_counters, users};
use super::DbConn;

pub type Backend = <DbConn as diesel::Connection>::Backend;
pub type Condition =
    Box<dyn BoxableExpression<items::table, Backend, SqlType = diesel::sql_types::Nullable<diesel::sql_types::Bool>>>;

/// Files the items registered at a moved place, or anywhere under it, under their places' new line (after a move in
/// the tree): items keep their place; the street, community, station and grid they are filed under follow it.
pub fn refile_under(conn: &mut DbConn, unit_id: i64) -> QueryResult<()> {
    let moved = super::org::get(conn, unit_id)?;
    for place in super::org::subtree(conn, &moved)? {
        let line = PlaceLine::of(conn, &place)?;
        let (Some(street), Some(community)) = (line.street_id, line.community_id) else {
            continue;
        };
        diesel::update(items::table.filter(items::place_id.eq(place.id)))
            .set((
                items::street_id.eq(street),
                items::community_id.eq(community),
                items::station_id.eq(line.station_id),
                items::grid_id.eq(line.grid_id),
                items::building_id.eq(line.building_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The next 序号 of a community's ledger. Runs inside the create's transaction: the counter row is locked until
/// commit (PostgreSQL) or the whole write is serialised (SQLite), and a rollback gives the number back, so numbers
/// have neither gaps nor repeats.
pub fn next_seq(conn: &mut DbConn, community_id: i64) -> QueryResult<i64> {
    let updated: Option<i64> = diesel::update(item_counters::table.find(community_id))
        .set(item_counters::last_seq.eq(item_counters::last_seq + 1))
        .returning(item_counters::last_seq)
        .get_result(conn)
        .optional()?;
    match updated {
        Some(seq) => Ok(seq),
        None => {
            diesel::insert_into(item_counters::table)
                .values((item_counters::community_id.eq(community_id), item_counters::last_seq.eq(1i64)))
                .execute(conn)?;
            Ok(1)
        }
    }
}

/// The next sheet number of a street in a year (附件2: the street's name, the year, three digits: 新华街道2026001).
/// Like `next_seq`, it runs inside the sending transaction, so numbers have no gaps or repeats.
pub fn next_sheet_no(conn: &mut DbConn, street: &UnitRow, year: i32) -> QueryResult<String> {
    // The year's counter row may not exist yet; creating it in a savepoint lets a concurrent creator win quietly.
    let _ = conn.transaction::<_, diesel::result::Error, _>(|c| {
        diesel::insert_into(sheet_counters::table)
            .values((
                sheet_counters::street_id.eq(street.id),
                sheet_counters::year.eq(year),
                sheet_counters::last_seq.eq(0i64),
            ))
            .execute(c)
    });
    let seq: i64 = diesel::update(sheet_counters::table.find((street.id, year)))
        .set(sheet_counters::last_seq.eq(sheet_counters::last_seq + 1))
        .returning(sheet_counters::last_seq)
        .get_result(conn)?;
    Ok(format!("{}{}{:03}", street.name, year, seq))
}

pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<Option<ItemRow>> {
    items::table.find(id).select(ItemRow::as_select()).first(conn).optional()
}

pub fn insert(conn: &mut DbConn, row: &ItemRow) -> QueryResult<()> {
    diesel::insert_into(items::table).values(row).execute(conn)?;
    super::as_of::record_state(conn, row)
}

/// Writes a changed item if its version is still `expected_version`; false when someone else changed it first.
pub fn update_if_version(conn: &mut DbConn, row: &ItemRow, expected_version: i64) -> QueryResult<bool> {
    let n = diesel::update(items::table.find(&row.id).filter(items::version.eq(expected_version)))
        .set(row)
        .execute(conn)?;
    if n == 1 {
        super::as_of::record_state(conn, row)?;
    }
    Ok(n == 1)
}

pub fn add_event(
    conn: &mut DbConn,
    item_id: &str,
    at: NaiveDateTime,
    actor_id: i64,
    kind: EventKind,
    changes: &serde_json::Value,
) -> QueryResult<()> {
    diesel::insert_into(item_events::table)
        .values(NewEvent { item_id, at, actor_id, kind, changes: &changes.to_string() })
        .execute(conn)?;
    Ok(())
}

/// The item's events, oldest first, with the actor's name.
pub fn events(conn: &mut DbConn, item_id: &str) -> QueryResult<Vec<(EventRow, String)>> {
    item_events::table
        .inner_join(users::table)
        .filter(item_events::item_id.eq(item_id))
        .order(item_events::id)
        .select((EventRow::as_select(), users::display_name))
        .load(conn)
}

pub fn photo(conn: &mut DbConn, id: &str) -> QueryResult<Option<PhotoRow>> {
    item_photos::table.find(id).select(PhotoRow::as_select()).first(conn).optional()
}

/// These photos by id.
pub fn photos_by_ids(conn: &mut DbConn, ids: &[&String]) -> QueryResult<HashMap<String, PhotoRow>> {
    Ok(item_photos::table
        .filter(item_photos::id.eq_any(ids))
        .select(PhotoRow::as_select())
        .load::<PhotoRow>(conn)?
        .into_iter()
        .map(|p| (p.id.clone(), p))
        .collect())
}

/// Marks an uploaded photo as belonging to something other than an item (e.g. "visit").
pub fn set_photo_purpose(conn: &mut DbConn, id: &str, purpose: &str) -> QueryResult<()> {
    diesel::update(item_photos::table.find(id)).set(item_photos::purpose.eq(purpose)).execute(conn).map(drop)
}

pub fn insert_photo(conn: &mut DbConn, row: &PhotoRow) -> QueryResult<()> {
    diesel::insert_into(item_photos::table).values(row).execute(conn)?;
    Ok(())
}

/// The item's photos of one purpose: "capture" (what the collector took) or "result" (the department's).
pub fn photos_of(conn: &mut DbConn, item_id: &str, purpose: &str) -> QueryResult<Vec<PhotoRow>> {
    item_photos::table
        .filter(item_photos::item_id.eq(item_id))
        .filter(item_photos::purpose.eq(purpose))
        .order(item_photos::position)
        .select(PhotoRow::as_select())
        .load(conn)
}

pub fn attach_photo(conn: &mut DbConn, photo_id: &str, item_id: &str, position: i32) -> QueryResult<()> {
    attach_photo_as(conn, photo_id, item_id, position, "capture")
}

/// Attaches an uploaded photo to an item as one of its capture or result photos.
pub fn attach_photo_as(
    conn: &mut DbConn,
    photo_id: &str,
    item_id: &str,
    position: i32,
    purpose: &str,
) -> QueryResult<()> {
    diesel::update(item_photos::table.find(photo_id))
        .set((item_photos::item_id.eq(item_id), item_photos::position.eq(position), item_photos::purpose.eq(purpose)))
        .execute(conn)?;
    Ok(())
}

pub fn photo_counts(conn: &mut DbConn, item_ids: &[String]) -> QueryResult<HashMap<String, i64>> {
    let rows: Vec<(Option<String>, i64)> = item_photos::table
        .filter(item_photos::item_id.eq_any(item_ids))
        .group_by(item_photos::item_id)
        .select((item_photos::item_id, count_star()))
        .load(conn)?;
    Ok(rows.into_iter().filter_map(|(id, n)| id.map(|id| (id, n))).collect())
}

pub fn names_of(conn: &mut DbConn, user_ids: &[i64]) -> QueryResult<HashMap<i64, String>> {
    Ok(users::table
        .filter(users::id.eq_any(user_ids))
        .select((users::id, users::display_name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}

/// The condition "filed under this place" by the place's kind; for a department, "held by it now".
pub fn under(unit: &UnitRow) -> Option<Condition> {
    let id = unit.id;
    Some(match unit.kind {
        OrgKind::City => Box::new(items::street_id.eq(items::street_id).nullable()),
        OrgKind::Street => Box::new(items::street_id.eq(id).nullable()),
        OrgKind::Community => Box::new(items::community_id.eq(id).nullable()),
        OrgKind::Station => Box::new(items::station_id.eq(id)),
        OrgKind::Grid => Box::new(items::grid_id.eq(id)),
        OrgKind::Building => Box::new(items::building_id.eq(id)),
        OrgKind::Department => Box::new(items::department_id.eq(id)),
    })
}

/// What a ledger query asks for. All filters are optional; `scopes` are OR-ed, everything else AND-ed.
#[derive(Default)]
pub struct LedgerQuery {
    pub scopes: Vec<UnitRow>,
    pub within: Option<UnitRow>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    pub channel: Option<String>,
    pub item_type: Option<String>,
    pub level: Option<String>,
    pub status: Option<String>,
    pub collector_id: Option<i64>,
    /// Only items whose current stage was due before this time.
    pub overdue_at: Option<NaiveDateTime>,
    /// Only these items.
    pub ids: Option<Vec<String>>,
    pub before: Option<(NaiveDateTime, String)>,
    pub limit: i64,
}

impl LedgerQuery {
    fn filtered(&self) -> Option<items::BoxedQuery<'static, Backend>> {
        let mut scope: Option<Condition> = None;
        for unit in &self.scopes {
            if let Some(c) = under(unit) {
                scope = Some(match scope {
                    None => c,
                    Some(prev) => Box::new(prev.or(c)),
                });
            }
        }
        let scope = scope?;
        let mut q = items::table.into_boxed::<Backend>().filter(scope);
        if let Some(w) = self.within.as_ref().and_then(under) {
            q = q.filter(w);
        }
        if let Some(from) = self.from {
            q = q.filter(items::collected_at.ge(from));
        }
        if let Some(to) = self.to {
            q = q.filter(items::collected_at.lt(to));
        }
        if let Some(v) = &self.channel {
            q = q.filter(items::channel.eq(v.clone()));
        }
        if let Some(v) = &self.item_type {
            q = q.filter(items::item_type.eq(v.clone()));
        }
        if let Some(v) = &self.level {
            q = q.filter(items::level.eq(v.clone()));
        }
        if let Some(v) = &self.status {
            q = q.filter(items::status.eq(v.clone()));
        }
        if let Some(v) = self.collector_id {
            q = q.filter(items::collector_id.eq(v));
        }
        if let Some(now) = self.overdue_at {
            q = q.filter(items::stage_due_at.lt(now));
        }
        if let Some(ids) = &self.ids {
            q = q.filter(items::id.eq_any(ids.clone()));
        }
        Some(q)
    }

    /// The matching items of one page (newest first) and how many match in all.
    pub fn run(&self, conn: &mut DbConn) -> QueryResult<(Vec<ItemRow>, i64)> {
        let Some(count_q) = self.filtered() else {
            return Ok((Vec::new(), 0));
        };
        let total: i64 = count_q.select(count_star()).first(conn)?;
        let Some(mut q) = self.filtered() else {
            return Ok((Vec::new(), 0));
        };
        if let Some((at, id)) = &self.before {
            q = q.filter(items::collected_at.lt(*at).or(items::collected_at.eq(*at).and(items::id.lt(id.clone()))));
        }
        let rows = q
            .order((items::collected_at.desc(), items::id.desc()))
            .limit(self.limit)
            .select(ItemRow::as_select())
            .load(conn)?;
        Ok((rows, total))
    }
}

/// Which link of an item to follow.
pub enum RaisedAt<'a> {
    Visits(&'a [String]),
    Meetings(&'a [String]),
    Reception(&'a str),
}

/// The items raised at visits, meetings or a reception, oldest first.
pub fn raised_items(conn: &mut DbConn, at: RaisedAt<'_>) -> QueryResult<Vec<ItemRow>> {
    let query = items::table.select(ItemRow::as_select()).order((items::collected_at, items::id)).into_boxed();
    let query = match at {
        RaisedAt::Visits(ids) => query.filter(items::visit_id.eq_any(ids.to_vec())),
        RaisedAt::Meetings(ids) => query.filter(items::meeting_id.eq_any(ids.to_vec())),
        RaisedAt::Reception(id) => query.filter(items::reception_id.eq(id.to_string())),
    };
    query.load(conn)
}
