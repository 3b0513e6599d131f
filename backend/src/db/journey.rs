//! Queries of the journey past the community: dispatches, the department picker's experience counts, the leaders
//! to tell of a major item and their direct reports, and the work queues.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::item::ItemStatus;
use shared::{ItemType, Role};

use super::models::{DirectReportRow, DispatchRow, ItemRow, UnitRow};
use super::schema::{direct_reports, dispatches, items, user_roles, users};
use super::DbConn;

/// The item's current dispatch: the latest one its department did not return.
pub fn current_dispatch(conn: &mut DbConn, item_id: &str) -> QueryResult<Option<DispatchRow>> {
    dispatches::table
        .filter(dispatches::item_id.eq(item_id))
        .filter(dispatches::rejected_at.is_null())
        .order(dispatches::id.desc())
        .select(DispatchRow::as_select())
        .first(conn)
        .optional()
}

/// The item's dispatches its departments returned (退单), oldest first.
pub fn rejected_dispatches(conn: &mut DbConn, item_id: &str) -> QueryResult<Vec<DispatchRow>> {
    dispatches::table
        .filter(dispatches::item_id.eq(item_id))
        .filter(dispatches::rejected_at.is_not_null())
        .order(dispatches::id.asc())
        .select(DispatchRow::as_select())
        .load(conn)
}

/// Records a dispatch (派单).
pub fn insert_dispatch(
    conn: &mut DbConn,
    item_id: &str,
    department_id: i64,
    co_department_ids: &[i64],
    at: NaiveDateTime,
    by: i64,
) -> QueryResult<()> {
    diesel::insert_into(dispatches::table)
        .values((
            dispatches::item_id.eq(item_id),
            dispatches::department_id.eq(department_id),
            dispatches::co_department_ids.eq(serde_json::to_string(co_department_ids).unwrap_or_else(|_| "[]".into())),
            dispatches::dispatched_at.eq(at),
            dispatches::dispatched_by.eq(by),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Saves a changed dispatch. Callers hold the item's version, so no one else changes it meanwhile.
pub fn save_dispatch(conn: &mut DbConn, row: &DispatchRow) -> QueryResult<()> {
    diesel::update(dispatches::table.find(row.id)).set(row).execute(conn).map(|_| ())
}

/// Active departments with how many items of this type each accepted before, most experienced first.
pub fn department_experience(conn: &mut DbConn, item_type: ItemType) -> QueryResult<Vec<(UnitRow, i64)>> {
    let counts: Vec<(i64, i64)> = dispatches::table
        .inner_join(items::table)
        .filter(items::item_type.eq(item_type))
        .filter(dispatches::accepted_at.is_not_null())
        .group_by(dispatches::department_id)
        .select((dispatches::department_id, diesel::dsl::count_star()))
        .load(conn)?;
    let counts: std::collections::HashMap<i64, i64> = counts.into_iter().collect();
    let mut out: Vec<(UnitRow, i64)> = super::org::departments(conn)?
        .into_iter()
        .filter(|d| d.active)
        .map(|d| {
            let n = counts.get(&d.id).copied().unwrap_or(0);
            (d, n)
        })
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.name.cmp(&b.0.name)));
    Ok(out)
}

/// The active accounts told at once of a major item (第三条): the city leaders, and the leaders of its street.
pub fn leaders_of(conn: &mut DbConn, item: &ItemRow) -> QueryResult<Vec<i64>> {
    let mut ids: Vec<i64> = user_roles::table
        .inner_join(users::table)
        .filter(users::active.eq(true))
        .filter(
            user_roles::role
                .eq(Role::CityLeader)
                .or(user_roles::role.eq(Role::StreetLeader).and(user_roles::unit_id.eq(item.street_id))),
        )
        .select(users::id)
        .load(conn)?;
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Tells each leader of a major item once; returns the leaders newly told.
pub fn add_direct_reports(conn: &mut DbConn, item_id: &str, leaders: &[i64], at: NaiveDateTime) -> QueryResult<usize> {
    let told: Vec<i64> =
        direct_reports::table.filter(direct_reports::item_id.eq(item_id)).select(direct_reports::user_id).load(conn)?;
    let mut n = 0;
    for &uid in leaders.iter().filter(|u| !told.contains(u)) {
        n += diesel::insert_into(direct_reports::table)
            .values((
                direct_reports::item_id.eq(item_id),
                direct_reports::user_id.eq(uid),
                direct_reports::reported_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(n)
}

/// The leaders told of an item, with their names, in the order told.
pub fn direct_reports_of(conn: &mut DbConn, item_id: &str) -> QueryResult<Vec<(DirectReportRow, String)>> {
    direct_reports::table
        .inner_join(users::table)
        .filter(direct_reports::item_id.eq(item_id))
        .order(direct_reports::id.asc())
        .select((DirectReportRow::as_select(), users::display_name))
        .load(conn)
}

/// A leader's direct reports, newest first; only those not yet acknowledged when `pending`.
pub fn direct_reports_for(
    conn: &mut DbConn,
    user_id: i64,
    pending: bool,
) -> QueryResult<Vec<(DirectReportRow, ItemRow)>> {
    let mut q = direct_reports::table
        .inner_join(items::table)
        .filter(direct_reports::user_id.eq(user_id))
        .into_boxed::<super::items::Backend>();
    if pending {
        q = q.filter(direct_reports::acknowledged_at.is_null());
    }
    q.order(direct_reports::id.desc())
        .limit(100)
        .select((DirectReportRow::as_select(), ItemRow::as_select()))
        .load(conn)
}

/// Marks a leader's report acknowledged (the first time only); None when it is not theirs.
pub fn acknowledge(
    conn: &mut DbConn,
    id: i64,
    user_id: i64,
    at: NaiveDateTime,
) -> QueryResult<Option<(DirectReportRow, ItemRow)>> {
    diesel::update(
        direct_reports::table
            .filter(direct_reports::id.eq(id))
            .filter(direct_reports::user_id.eq(user_id))
            .filter(direct_reports::acknowledged_at.is_null()),
    )
    .set(direct_reports::acknowledged_at.eq(at))
    .execute(conn)?;
    direct_reports::table
        .inner_join(items::table)
        .filter(direct_reports::id.eq(id))
        .filter(direct_reports::user_id.eq(user_id))
        .select((DirectReportRow::as_select(), ItemRow::as_select()))
        .first(conn)
        .optional()
}

/// The items a department co-handles (协办): named on a dispatch that was not returned to the street.
fn co_handled_by(department_id: i64) -> super::items::Condition {
    // co_department_ids holds a JSON list of ids such as "[3,15]".
    let (only, first, middle, last) = (
        format!("[{department_id}]"),
        format!("[{department_id},%"),
        format!("%,{department_id},%"),
        format!("%,{department_id}]"),
    );
    let named = dispatches::co_department_ids
        .eq(only)
        .or(dispatches::co_department_ids.like(first))
        .or(dispatches::co_department_ids.like(middle))
        .or(dispatches::co_department_ids.like(last));
    let ids = dispatches::table.filter(dispatches::rejected_at.is_null()).filter(named).select(dispatches::item_id);
    Box::new(items::id.eq_any(ids).nullable())
}

/// Items at `status` under the viewer's scopes (places and departments, a department's co-handled items included),
/// the soonest due first.
pub fn queue(
    conn: &mut DbConn,
    scopes: &[UnitRow],
    status: ItemStatus,
    extension_pending: bool,
) -> QueryResult<Vec<ItemRow>> {
    let mut scope: Option<super::items::Condition> = None;
    for unit in scopes {
        let co_handled = (unit.kind == shared::OrgKind::Department).then(|| co_handled_by(unit.id));
        for c in super::items::under(unit).into_iter().chain(co_handled) {
            scope = Some(match scope {
                None => c,
                Some(prev) => Box::new(prev.or(c)),
            });
        }
    }
    let Some(scope) = scope else { return Ok(Vec::new()) };
    let mut q = items::table.into_boxed::<super::items::Backend>().filter(scope).filter(items::status.eq(status));
    if extension_pending {
        let pending = dispatches::table
            .filter(dispatches::rejected_at.is_null())
            .filter(dispatches::extension_requested_at.is_not_null())
            .filter(dispatches::extension_approved.is_null())
            .select(dispatches::item_id);
        q = q.filter(items::id.eq_any(pending));
    }
    // Major items first (第四条: 需马上解决; the codes sort "major" after "general"), then the soonest due.
    q.order((items::level.desc(), items::stage_due_at.asc(), items::collected_at.asc()))
        .limit(500)
        .select(ItemRow::as_select())
        .load(conn)
}

/// The pending extension requests among these items.
pub fn extension_pending_among(conn: &mut DbConn, item_ids: &[String]) -> QueryResult<Vec<String>> {
    dispatches::table
        .filter(dispatches::item_id.eq_any(item_ids))
        .filter(dispatches::rejected_at.is_null())
        .filter(dispatches::extension_requested_at.is_not_null())
        .filter(dispatches::extension_approved.is_null())
        .select(dispatches::item_id)
        .load(conn)
}

/// The unit holding an item at its stage, to be reminded or chased: the community (review, telling the resident),
/// the street (dispatching), the department (accepting, handling, signing); none once closed.
pub fn holder(item: &ItemRow) -> Option<i64> {
    match item.status {
        ItemStatus::Collected | ItemStatus::Solved | ItemStatus::Unsolved => Some(item.community_id),
        ItemStatus::AtStreet => Some(item.street_id),
        ItemStatus::Dispatched | ItemStatus::InProgress | ItemStatus::AwaitingSignoff => item.department_id,
        ItemStatus::Closed => None,
    }
}
