//! The collection routines of 第六条: the grid leader's daily visits and registers, building leaders, meetings at the
//! stations, and reception days with their schedule.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::dto::UnitRef;
use crate::item::{ItemStatus, PersonRef, Photo};
use crate::ItemType;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// The longest note of a visit, minutes of a meeting or notes of a reception, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;

labelled_enum! {
    /// What a grid leader's visit was: one of the three daily register visits, or a concern read in the grid's
    /// WeChat group (第六条2).
    VisitKind {
        /// 走访特殊群体: one household of a special group.
        SpecialGroup = "special_group", "特殊群体";
        /// 走访利益诉求较多的居民.
        ManyDemands = "many_demands", "诉求较多居民";
        /// 走访问题较多的小区.
        ProblemCompound = "problem_compound", "问题较多小区";
        /// 网格微信群: a concern read in the grid's group.
        WechatGroup = "wechat_group", "网格微信群";
    }
}

impl VisitKind {
    /// The three registers, one visit a day each.
    pub const REGISTERS: [VisitKind; 3] = [VisitKind::SpecialGroup, VisitKind::ManyDemands, VisitKind::ProblemCompound];

    /// Whether a visit of this kind is to someone or somewhere on a register.
    pub fn is_register(self) -> bool {
        self != VisitKind::WechatGroup
    }
}

/// A household, resident or compound on one of a grid's registers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct VisitTarget {
    /// Id.
    pub id: i64,
    /// The grid whose register it is on.
    pub grid: UnitRef,
    /// Which register.
    pub register: VisitKind,
    /// The household, resident or compound, e.g. "王秀兰（独居老人）" or "幸福小区".
    pub name: String,
    /// Address, optional.
    pub address: Option<String>,
    /// Why it is on the register, optional.
    pub note: Option<String>,
    /// Off the register when false (kept for the history).
    pub active: bool,
    /// The last day it was visited (city time), if ever.
    pub last_visited_on: Option<NaiveDate>,
}

/// `POST /api/visit-targets`: put someone or somewhere on a register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewVisitTarget {
    /// The grid.
    pub grid_id: i64,
    /// The register: special_group, many_demands or problem_compound.
    pub register: VisitKind,
    /// Name (1–60 characters).
    pub name: String,
    /// Address, optional (up to 200).
    pub address: Option<String>,
    /// Why, optional (up to 200).
    pub note: Option<String>,
}

/// `PATCH /api/visit-targets/{id}`: correct an entry or take it off the register. Absent fields stay.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UpdateVisitTarget {
    /// Name.
    pub name: Option<String>,
    /// Address ("" clears it).
    pub address: Option<String>,
    /// Why ("" clears it).
    pub note: Option<String>,
    /// false takes it off the register.
    pub active: Option<bool>,
}

/// `POST /api/visits`: record a visit or a WeChat-group note. The client makes the id: the same record sent again
/// answers the visit already made; the same id with a different body is refused (409).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewVisit {
    /// A UUID made by the client.
    pub id: String,
    /// The grid; the visitor's own grid when absent and they have one.
    pub grid_id: Option<i64>,
    /// What kind of visit.
    pub kind: VisitKind,
    /// Whom or where, from the grid's register of that kind; required for the three register kinds, none for the
    /// WeChat group.
    pub target_id: Option<i64>,
    /// When; now when absent. Not in the future, not before yesterday.
    pub visited_at: Option<DateTime<Utc>>,
    /// What was seen and said (1–2000 characters).
    pub note: String,
    /// A photo uploaded beforehand through `POST /api/photos`, optional.
    pub photo_id: Option<String>,
}

/// A recorded visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Visit {
    /// Id (the client's UUID).
    pub id: String,
    /// The grid.
    pub grid: UnitRef,
    /// Who visited.
    pub visitor: PersonRef,
    /// What kind.
    pub kind: VisitKind,
    /// Whom or where (register kinds).
    pub target: Option<TargetRef>,
    /// When.
    pub visited_at: DateTime<Utc>,
    /// The day it counts for (city time).
    pub day: NaiveDate,
    /// The note.
    pub note: String,
    /// The photo, if any.
    pub photo: Option<Photo>,
    /// Items raised at this visit (captured with `visit_id`).
    pub items: Vec<RaisedItem>,
    /// When it reached the server; a visit noted offline (or entered later) arrived well after `visited_at`.
    #[serde(default)]
    pub recorded_at: Option<DateTime<Utc>>,
}

impl Visit {
    /// Whether its time was noted before it reached the server (offline), as an item's 收集时间 can be
    /// (`item::NOTED_OFFLINE_MINUTES`).
    pub fn noted_before_arrival(&self) -> bool {
        self.recorded_at
            .is_some_and(|r| r - self.visited_at >= chrono::Duration::minutes(crate::item::NOTED_OFFLINE_MINUTES))
    }
}

/// A register entry as named on a visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TargetRef {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
}

/// An item raised through a visit, meeting or reception.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RaisedItem {
    /// Item id.
    pub id: String,
    /// 类型.
    pub item_type: ItemType,
    /// The first characters of what was raised.
    pub summary: String,
    /// Where it stands.
    pub status: ItemStatus,
    /// Solved on the spot (at the meeting or reception).
    pub solved_on_spot: bool,
}

/// One register slot of a grid's day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Slot {
    /// The register.
    pub kind: VisitKind,
    /// Whether at least one visit of the kind was made that day.
    pub done: bool,
    /// The visits of the kind that day.
    pub visits: Vec<Visit>,
}

/// `GET /api/visits/day?grid_id=&date=`: a grid's day — the three register slots, the WeChat-group notes and the
/// items raised; the daily report to the station head.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GridDay {
    /// The grid.
    pub grid: UnitRef,
    /// The grid's leaders.
    pub leaders: Vec<PersonRef>,
    /// The day (city time).
    pub date: NaiveDate,
    /// The three register slots, in the regulation's order.
    pub slots: Vec<Slot>,
    /// Concerns read in the grid's WeChat group.
    pub wechat: Vec<Visit>,
    /// How many of the three slots were done.
    pub slots_done: u32,
    /// Items raised that day at the grid's visits and WeChat notes.
    pub items_raised: u32,
}

/// A grid's coverage on one day of the week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DayCoverage {
    /// The day.
    pub date: NaiveDate,
    /// How many of the three register slots were done (0–3).
    pub slots_done: u32,
    /// The registers not visited that day.
    pub missing: Vec<VisitKind>,
    /// Visits of any kind, WeChat notes included.
    pub visits: u32,
    /// Items raised.
    pub items_raised: u32,
    /// A past day with a register not visited.
    pub missed: bool,
    /// After today: nothing expected yet.
    pub future: bool,
}

/// A grid's line in the station head's coverage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GridCoverage {
    /// The grid.
    pub grid: UnitRef,
    /// Its leaders.
    pub leaders: Vec<PersonRef>,
    /// Today (or the day asked for) in full: the daily report.
    pub today: GridDay,
    /// Monday to Sunday of the week containing the day.
    pub week: Vec<DayCoverage>,
    /// Past days of the week with a register not visited.
    pub missed_days: u32,
}

/// `GET /api/visits/coverage?station_id=&date=`: each grid of a station, today and this week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StationCoverage {
    /// The station.
    pub station: UnitRef,
    /// The day (city time; today when not asked).
    pub date: NaiveDate,
    /// Monday of its week.
    pub week_start: NaiveDate,
    /// Its grids.
    pub grids: Vec<GridCoverage>,
}

/// A building leader who can be credited on an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BuildingLeader {
    /// The account.
    pub person: PersonRef,
    /// The building.
    pub building: UnitRef,
}

labelled_enum! {
    /// 民生会议 at a station (第六条3).
    MeetingKind {
        /// 民情恳谈会, once a month.
        MonthlyTalk = "monthly_talk", "民情恳谈会";
        /// 党建联席会, once a quarter.
        QuarterlyJoint = "quarterly_joint", "党建联席会";
    }
}

labelled_enum! {
    /// Who attends a meeting (第六条3).
    AttendeeCategory {
        /// 楼长.
        BuildingLeaders = "building_leaders", "楼长";
        /// 党员.
        PartyMembers = "party_members", "党员";
        /// 居民代表.
        ResidentReps = "resident_reps", "居民代表";
        /// 业主委员会成员.
        OwnersCommittee = "owners_committee", "业委会";
        /// 自管会成员.
        SelfManagement = "self_management", "自管会";
        /// 物业公司代表.
        Property = "property", "物业";
        /// 驻区企业事业单位.
        LocalUnits = "local_units", "驻区单位";
        /// 非公组织.
        NonPublic = "non_public", "非公组织";
        /// 党建联盟共建单位.
        Partners = "partners", "共建单位";
    }
}

/// How many of a category attended, with names when noted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Attendance {
    /// The category.
    pub category: AttendeeCategory,
    /// How many (0–999).
    pub count: u32,
    /// Names or units, optional.
    #[serde(default)]
    pub names: String,
}

/// `POST /api/meetings`: record a meeting. The client makes the id (same id and body → the meeting already made).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewMeeting {
    /// A UUID made by the client.
    pub id: String,
    /// The station it was held at.
    pub station_id: i64,
    /// Which meeting.
    pub kind: MeetingKind,
    /// The day it was held (not in the future).
    pub held_on: NaiveDate,
    /// Who attended, by category; at least one person in all.
    pub attendees: Vec<Attendance>,
    /// Minutes (1–2000 characters).
    pub minutes: String,
}

/// A recorded meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Meeting {
    /// Id.
    pub id: String,
    /// The station.
    pub station: UnitRef,
    /// Which meeting.
    pub kind: MeetingKind,
    /// The day.
    pub held_on: NaiveDate,
    /// Attendance by category.
    pub attendees: Vec<Attendance>,
    /// Everyone counted.
    pub attendee_total: u32,
    /// Minutes.
    pub minutes: String,
    /// Who recorded it.
    pub recorded_by: PersonRef,
    /// Items raised at it (solved on the spot or into the ledger).
    pub items: Vec<RaisedItem>,
}

/// A station's meeting routine in a month (and its quarter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StationMeetings {
    /// The station (full name).
    pub station: UnitRef,
    /// The month's 民情恳谈会, if held.
    pub monthly_talk_on: Option<NaiveDate>,
    /// The quarter's 党建联席会, if held.
    pub quarterly_joint_on: Option<NaiveDate>,
    /// No 民情恳谈会 this month.
    pub missing_monthly_talk: bool,
    /// No 党建联席会 this quarter.
    pub missing_quarterly_joint: bool,
}

/// `GET /api/meetings?year=&month=`: the meetings of the month in the viewer's scope and each station's routine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MeetingMonth {
    /// The year.
    pub year: i32,
    /// 1–12.
    pub month: u32,
    /// The meetings held in the month, newest first.
    pub meetings: Vec<Meeting>,
    /// Every station in scope, those missing a meeting first.
    pub stations: Vec<StationMeetings>,
}

/// `POST /api/reception-plans`: a standing reception on the schedule — a community secretary's fixed weekday, or a
/// street leader's dated reception at a station they are responsible for (包保).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewReceptionPlan {
    /// The host: a street leader of the station's street or a community secretary of its community.
    pub host_id: i64,
    /// The station.
    pub station_id: i64,
    /// Every week on this weekday, 1 = Monday … 7 = Sunday.
    pub weekday: Option<u32>,
    /// Once, on this day.
    pub on_date: Option<NaiveDate>,
}

/// Someone who may hold a reception at a station: the street's 书记/主任 or the community's 书记 (第六条4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReceptionHost {
    /// The person.
    pub host: PersonRef,
    /// Their role there: 街道书记/主任 or 社区书记.
    pub host_role: String,
}

/// A reception on the schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReceptionPlan {
    /// Id.
    pub id: i64,
    /// The host.
    pub host: PersonRef,
    /// The host's role there: 街道书记/主任 or 社区书记.
    pub host_role: String,
    /// The station.
    pub station: UnitRef,
    /// Weekly on this weekday (1 = Monday).
    pub weekday: Option<u32>,
    /// Once on this day.
    pub on_date: Option<NaiveDate>,
}

/// One day's reception in the month's schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ScheduledReception {
    /// The day.
    pub date: NaiveDate,
    /// The plan it comes from; none for a reception held without one.
    pub plan_id: Option<i64>,
    /// The host.
    pub host: PersonRef,
    /// The station.
    pub station: UnitRef,
    /// The record, once held.
    pub reception_id: Option<String>,
}

/// The same host at two stations on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Clash {
    /// The day.
    pub date: NaiveDate,
    /// The host.
    pub host: PersonRef,
    /// The stations.
    pub stations: Vec<UnitRef>,
}

/// `GET /api/receptions/schedule?year=&month=`: the month's reception schedule in the viewer's scope, its gaps and
/// clashes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReceptionSchedule {
    /// The year.
    pub year: i32,
    /// 1–12.
    pub month: u32,
    /// The standing plans in scope.
    pub plans: Vec<ReceptionPlan>,
    /// Every reception of the month, planned or held, by day.
    pub days: Vec<ScheduledReception>,
    /// Stations with no reception planned or held this month.
    pub gaps: Vec<UnitRef>,
    /// Community secretaries in scope without a fixed weekday.
    pub secretaries_without_weekday: Vec<PersonRef>,
    /// Street leaders in scope with no reception planned or held this month.
    pub leaders_without_reception: Vec<PersonRef>,
    /// The same host at two stations on one day.
    pub clashes: Vec<Clash>,
}

/// `POST /api/receptions`: the record of a reception. The client makes the id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewReception {
    /// A UUID made by the client.
    pub id: String,
    /// The station.
    pub station_id: i64,
    /// Who received; the one recording when absent.
    pub host_id: Option<i64>,
    /// The day (not in the future).
    pub held_on: NaiveDate,
    /// How many residents came (0–9999).
    pub residents: u32,
    /// Notes (up to 2000 characters).
    #[serde(default)]
    pub notes: String,
}

/// A reception's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Reception {
    /// Id.
    pub id: String,
    /// The station.
    pub station: UnitRef,
    /// Who received.
    pub host: PersonRef,
    /// The day.
    pub held_on: NaiveDate,
    /// Residents received.
    pub residents: u32,
    /// Notes.
    pub notes: String,
    /// Who recorded it.
    pub recorded_by: PersonRef,
    /// Items raised (solved on the spot or into the ledger).
    pub items: Vec<RaisedItem>,
}

/// Where an item came from beyond its channel: the visit, meeting or reception it was raised at and the building
/// leader who reported it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ItemOrigin {
    /// The visit (id) it was raised at.
    pub visit_id: Option<String>,
    /// The meeting (id).
    pub meeting_id: Option<String>,
    /// The reception (id).
    pub reception_id: Option<String>,
    /// The building leader credited.
    pub building_leader: Option<PersonRef>,
    /// Solved on the spot at the meeting or reception.
    pub solved_on_spot: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visit(visited: &str, recorded: Option<&str>) -> Visit {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        Visit {
            id: "v".into(),
            grid: UnitRef {
                id: 1, kind: crate::OrgKind::Grid, name: "第一网格".into(), full_name: "第一网格".into()
            },
            visitor: PersonRef { id: 1, name: "王建华".into() },
            kind: VisitKind::WechatGroup,
            target: None,
            visited_at: at(visited),
            day: at(visited).date_naive(),
            note: "已走访".into(),
            photo: None,
            items: Vec::new(),
            recorded_at: recorded.map(at),
        }
    }

    #[test]
    fn a_visit_that_arrived_ten_minutes_or_more_after_its_time_was_noted_offline() {
        assert!(visit("2026-12-01T01:00:00Z", Some("2026-12-01T01:10:00Z")).noted_before_arrival());
        assert!(!visit("2026-12-01T01:00:00Z", Some("2026-12-01T01:09:59Z")).noted_before_arrival());
        assert!(!visit("2026-12-01T01:00:00Z", None).noted_before_arrival());
    }
}
