//! What the collection routines of 第六条 (visits, meetings, receptions) share: who may record them, names of people
//! and places, the items raised at them, and the idempotent create's request hash.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use shared::channels::RaisedItem;
use shared::dto::UnitRef;
use shared::item::{ItemStatus, PersonRef};
use shared::{ApiError, ErrorCode, ItemType, OrgKind, Role};

use crate::auth::AuthUser;
use crate::db::models::{ItemRow, UnitRow};
use crate::db::schema::{items, user_roles, users};
use crate::db::{self, DbConn};
use crate::error::AppError;

/// Whether the account records routines at this place: a capturing role (grid leader, station head, community
/// secretary, street staff) or an administrator bound at or above it.
pub fn records_at(user: &AuthUser, unit: &UnitRow) -> bool {
    user.roles.iter().any(|b| (b.role.captures() || b.role == Role::Admin) && b.unit.contains(unit))
}

/// An active unit of the given kind that the account may record at, or a field error naming `field`.
pub fn recording_unit(
    conn: &mut DbConn,
    user: &AuthUser,
    field: &str,
    id: i64,
    kind: OrgKind,
) -> Result<UnitRow, AppError> {
    let unit = db::org::get(conn, id).map_err(|_| AppError::field(field, format!("{}不存在", kind.label())))?;
    if unit.kind() != kind {
        return Err(AppError::field(field, format!("请选择{}", kind.label())));
    }
    if !unit.active {
        return Err(AppError::field(field, format!("该{}已停用", kind.label())));
    }
    if !records_at(user, &unit) {
        return Err(AppError::field(field, format!("该{}不在您负责的范围内", kind.label())));
    }
    Ok(unit)
}

/// A unit the account can see, or 404.
pub fn visible_unit(conn: &mut DbConn, user: &AuthUser, id: i64, kind: OrgKind) -> Result<UnitRow, AppError> {
    match db::org::get(conn, id) {
        Ok(u) if u.kind() == kind && user.can_see(&u) => Ok(u),
        _ => Err(AppError::not_found(kind.label())),
    }
}

/// Units as references with their full names.
pub fn unit_refs(conn: &mut DbConn, units: &[UnitRow]) -> Result<HashMap<i64, UnitRef>, AppError> {
    let names = db::org::full_names(conn, units)?;
    Ok(units
        .iter()
        .map(|u| {
            let r = UnitRef {
                id: u.id,
                kind: u.kind(),
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
    Ok(UnitRef { id: unit.id, kind: unit.kind(), name: unit.name.clone(), full_name })
}

/// People by id, with their display names.
pub fn people(conn: &mut DbConn, ids: &[i64]) -> Result<HashMap<i64, PersonRef>, AppError> {
    let rows: Vec<(i64, String)> =
        users::table.filter(users::id.eq_any(ids)).select((users::id, users::display_name)).load(conn)?;
    Ok(rows.into_iter().map(|(id, name)| (id, PersonRef { id, name })).collect())
}

/// Looks a person up in a map made by `people`, falling back to the bare id.
pub fn person(map: &HashMap<i64, PersonRef>, id: i64) -> PersonRef {
    map.get(&id).cloned().unwrap_or(PersonRef { id, name: format!("#{id}") })
}

/// The active holders of a role at each of the units, by unit.
pub fn holders(conn: &mut DbConn, role: Role, unit_ids: &[i64]) -> Result<HashMap<i64, Vec<PersonRef>>, AppError> {
    let rows: Vec<(i64, i64, String)> = user_roles::table
        .inner_join(users::table.on(users::id.eq(user_roles::user_id)))
        .filter(user_roles::role.eq(role.code()))
        .filter(user_roles::unit_id.eq_any(unit_ids))
        .filter(users::active.eq(true))
        .order(users::id)
        .select((user_roles::unit_id, users::id, users::display_name))
        .load(conn)?;
    let mut out: HashMap<i64, Vec<PersonRef>> = HashMap::new();
    for (unit, id, name) in rows {
        out.entry(unit).or_default().push(PersonRef { id, name });
    }
    Ok(out)
}

/// Whether the account holds the role at the unit.
pub fn holds(conn: &mut DbConn, user_id: i64, role: Role, unit_id: i64) -> Result<bool, AppError> {
    Ok(diesel::select(diesel::dsl::exists(
        user_roles::table
            .filter(user_roles::user_id.eq(user_id))
            .filter(user_roles::role.eq(role.code()))
            .filter(user_roles::unit_id.eq(unit_id)),
    ))
    .get_result(conn)?)
}

pub fn raised_item(row: &ItemRow) -> RaisedItem {
    RaisedItem {
        id: row.id.clone(),
        item_type: ItemType::parse(&row.item_type).unwrap_or(ItemType::OtherServices),
        summary: row.content.chars().take(40).collect(),
        status: ItemStatus::parse(&row.status).unwrap_or(ItemStatus::Collected),
        solved_on_spot: row.solved_on_spot,
    }
}

/// Which link of an item to follow.
pub enum RaisedAt<'a> {
    Visits(&'a [String]),
    Meetings(&'a [String]),
    Reception(&'a str),
}

/// The items raised at visits, meetings or a reception, oldest first.
pub fn raised_items(conn: &mut DbConn, at: RaisedAt<'_>) -> Result<Vec<ItemRow>, AppError> {
    let query = items::table.select(ItemRow::as_select()).order((items::collected_at, items::id)).into_boxed();
    let query = match at {
        RaisedAt::Visits(ids) => query.filter(items::visit_id.eq_any(ids.to_vec())),
        RaisedAt::Meetings(ids) => query.filter(items::meeting_id.eq_any(ids.to_vec())),
        RaisedAt::Reception(id) => query.filter(items::reception_id.eq(id.to_string())),
    };
    Ok(query.load(conn)?)
}

/// SHA-256 of a create request, to tell a retry from a different record with the same id.
pub fn request_hash<T: Serialize>(body: &T) -> Result<String, AppError> {
    Ok(hex::encode(Sha256::digest(serde_json::to_vec(body).map_err(|e| AppError::Internal(e.into()))?)))
}

/// The same id was used for a different record.
pub fn id_taken(what: &str) -> AppError {
    AppError::Api(ApiError {
        code: ErrorCode::Conflict,
        ..ApiError::field("id", format!("该编号的{what}已经登记过，且内容不同"))
    })
}

/// A day a meeting or reception was held: not after today, not more than a year back.
pub fn past_day(field: &str, day: NaiveDate, today: NaiveDate) -> Result<(), AppError> {
    if day > today {
        return Err(AppError::field(field, "日期不能晚于今天"));
    }
    if day < today - chrono::Duration::days(366) {
        return Err(AppError::field(field, "日期不能早于一年前"));
    }
    Ok(())
}

/// A required text of at most `max` characters, trimmed.
pub fn required_text(field: &str, label: &str, text: &str, max: usize) -> Result<String, AppError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(AppError::field(field, format!("请填写{label}")));
    }
    optional_text(field, label, t, max)
}

/// An optional text of at most `max` characters, trimmed.
pub fn optional_text(field: &str, label: &str, text: &str, max: usize) -> Result<String, AppError> {
    let t = text.trim();
    if t.chars().count() > max {
        return Err(AppError::field(field, format!("{label}不能超过{max}个字")));
    }
    Ok(t.to_string())
}

/// Active units of a kind within the account's sight, under `root` when given.
pub fn units_in_scope(
    conn: &mut DbConn,
    user: &AuthUser,
    kind: OrgKind,
    root: Option<&UnitRow>,
) -> Result<Vec<UnitRow>, AppError> {
    use crate::db::schema::org_units;
    let all: Vec<UnitRow> = org_units::table
        .filter(org_units::kind.eq(kind.code()))
        .filter(org_units::active.eq(true))
        .order(org_units::id)
        .select(UnitRow::as_select())
        .load(conn)?;
    Ok(all.into_iter().filter(|u| user.can_see(u) && root.is_none_or(|r| r.contains(u))).collect())
}

/// An item's links to where it was raised, checked.
pub struct OriginColumns {
    pub visit_id: Option<String>,
    pub meeting_id: Option<String>,
    pub reception_id: Option<String>,
    pub building_leader_id: Option<i64>,
    pub solved_on_spot: Option<String>,
}

/// Checks a new item's visit, meeting or reception (the channel must match and the place lie within it), its
/// building leader (of a building in the item's grid; the collector when a building leader registers it), and
/// whether it was solved on the spot (only at a meeting or reception).
pub fn item_origin(
    conn: &mut DbConn,
    user: &AuthUser,
    body: &shared::item::CreateItem,
    line: &crate::db::items::PlaceLine,
) -> Result<OriginColumns, AppError> {
    use crate::db::models::{MeetingRow, ReceptionRow, VisitRow};
    use crate::db::schema::{meetings, receptions, visits};
    use shared::Channel;

    let blank = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let (visit_id, meeting_id, reception_id) =
        (blank(&body.visit_id), blank(&body.meeting_id), blank(&body.reception_id));
    let links = [&visit_id, &meeting_id, &reception_id].iter().filter(|l| l.is_some()).count();
    if links > 1 {
        return Err(AppError::field("visit_id", "一条民情只能来自一次走访、一次会议或一次接待"));
    }
    let wrong_channel =
        |channel: Channel| AppError::field("channel", format!("从这里登记的民情，收集方式应为“{}”", channel.label()));
    let visit_id = match visit_id {
        None => None,
        Some(v) => {
            let v = super::items::parse_uuid("visit_id", &v)?;
            let visit: VisitRow = visits::table
                .find(&v)
                .select(VisitRow::as_select())
                .first(conn)
                .optional()?
                .ok_or_else(|| AppError::field("visit_id", "这次走访尚未保存，请先保存走访记录"))?;
            if body.channel != Channel::WechatVisit {
                return Err(wrong_channel(Channel::WechatVisit));
            }
            if line.grid_id != Some(visit.grid_id) {
                return Err(AppError::field("place_id", "地点应在走访的网格内"));
            }
            Some(v)
        }
    };
    let station_of = |station_id: i64, field: &str| -> Result<(), AppError> {
        if line.station_id != Some(station_id) {
            return Err(AppError::field(field, "地点应在该党群服务站的范围内"));
        }
        Ok(())
    };
    let meeting_id = match meeting_id {
        None => None,
        Some(m) => {
            let m = super::items::parse_uuid("meeting_id", &m)?;
            let meeting: MeetingRow = meetings::table
                .find(&m)
                .select(MeetingRow::as_select())
                .first(conn)
                .optional()?
                .ok_or_else(|| AppError::field("meeting_id", "这次会议尚未保存，请先保存会议记录"))?;
            if body.channel != Channel::Meeting {
                return Err(wrong_channel(Channel::Meeting));
            }
            station_of(meeting.station_id, "place_id")?;
            Some(m)
        }
    };
    let reception_id = match reception_id {
        None => None,
        Some(r) => {
            let r = super::items::parse_uuid("reception_id", &r)?;
            let reception: ReceptionRow = receptions::table
                .find(&r)
                .select(ReceptionRow::as_select())
                .first(conn)
                .optional()?
                .ok_or_else(|| AppError::field("reception_id", "这次接待尚未保存，请先保存接待记录"))?;
            if body.channel != Channel::Reception {
                return Err(wrong_channel(Channel::Reception));
            }
            station_of(reception.station_id, "place_id")?;
            Some(r)
        }
    };
    let solved_on_spot = blank(&body.solved_on_spot);
    if solved_on_spot.is_some() && meeting_id.is_none() && reception_id.is_none() {
        return Err(AppError::field("solved_on_spot", "只有会议或接待中现场解决的民情，才能直接登记为已办结"));
    }
    let building_leader_id = match body.building_leader_id {
        Some(id) => {
            let buildings: Vec<i64> = user_roles::table
                .filter(user_roles::user_id.eq(id))
                .filter(user_roles::role.eq(Role::BuildingLeader.code()))
                .select(user_roles::unit_id)
                .load(conn)?;
            let units = db::org::by_ids(conn, &buildings)?;
            if line.grid_id.is_none() || !units.iter().any(|b| b.parent_id == line.grid_id) {
                return Err(AppError::field("building_leader_id", "该楼长不在这条民情所在的网格"));
            }
            Some(id)
        }
        None => user
            .roles
            .iter()
            .any(|b| b.role == Role::BuildingLeader && Some(b.unit.id) == line.building_id)
            .then_some(user.id()),
    };
    Ok(OriginColumns { visit_id, meeting_id, reception_id, building_leader_id, solved_on_spot })
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
