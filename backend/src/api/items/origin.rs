//! Where a new item was raised: the visit, meeting or reception it comes from, its building leader, and whether it
//! was solved on the spot, each checked against the item's channel and place.

use shared::{Channel, Role};

use crate::api::support::parse_uuid;
use crate::auth::AuthUser;
use crate::db::org::PlaceLine;
use crate::db::{self, DbConn};
use crate::error::AppError;

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
    line: &PlaceLine,
) -> Result<OriginColumns, AppError> {
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
            let v = parse_uuid("visit_id", &v)?;
            let visit = db::visits::get(conn, &v)?
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
            let m = parse_uuid("meeting_id", &m)?;
            let meeting = db::routines::meeting(conn, &m)?
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
            let r = parse_uuid("reception_id", &r)?;
            let reception = db::routines::reception(conn, &r)?
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
            let buildings = db::accounts::units_held(conn, id, Role::BuildingLeader)?;
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
