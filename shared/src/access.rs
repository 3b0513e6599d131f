//! Who may see and do what: the rules of access, once, as functions of an account's roles and the kinds of place
//! they are bound to. The server enforces them; the app offers only what they allow (its tiles, pages and buttons).
//! Per-role rules are named `…_role(role)`; the rules of an account read all its roles (`&[impl Grant]`).

use crate::dto::RoleScope;
use crate::item::ItemStatus;
use crate::{OrgKind, Role};

/// One role of an account with the kind of place it is bound to: all a rule here reads.
pub trait Grant {
    /// The role.
    fn role(&self) -> Role;
    /// The kind of place the role is bound to.
    fn place_kind(&self) -> OrgKind;
}

impl Grant for RoleScope {
    fn role(&self) -> Role {
        self.role
    }

    fn place_kind(&self) -> OrgKind {
        self.unit.kind
    }
}

impl Grant for (Role, OrgKind) {
    fn role(&self) -> Role {
        self.0
    }

    fn place_kind(&self) -> OrgKind {
        self.1
    }
}

/// Whether one of the roles answers `rule`.
fn any_role<G: Grant>(grants: &[G], rule: impl Fn(Role) -> bool) -> bool {
    grants.iter().any(|g| rule(g.role()))
}

// ---------- registering items ----------

/// Whether the role registers residents' concerns (网格长, 楼长, 站长, 社区书记, 街道派单员, 街道书记/主任): it calls
/// residents back and sees their phone numbers, tells them the outcome and hands them their link.
pub fn capture_role(role: Role) -> bool {
    CAPTURERS.contains(&role)
}

/// The roles of `capture_role`.
pub const CAPTURERS: &[Role] = &[
    Role::GridLeader,
    Role::BuildingLeader,
    Role::StationHead,
    Role::CommunitySecretary,
    Role::StreetDispatcher,
    Role::StreetLeader,
];

/// Whether the account registers items (the capture page, my items, the resident's link), each within its place.
pub fn captures<G: Grant>(grants: &[G]) -> bool {
    any_role(grants, capture_role)
}

/// Whether the role uploads photos: the capture roles (with a new item) and the departments (with their 返单).
pub fn uploads_photos_role(role: Role) -> bool {
    capture_role(role) || matches!(role, Role::DeptHandler | Role::DeptHead)
}

/// The roles that solve an item at the community's level (街道社区办结): the community secretary and the street.
/// Only they register an item already solved at a meeting or reception; a grid leader or station head registers it
/// for the community to review.
pub const LOCAL_SOLVERS: &[Role] = &[Role::CommunitySecretary, Role::StreetLeader, Role::StreetDispatcher];

/// Whether the role corrects an item's frozen facts (更正) once the community has acted: those who solve at the
/// community's level.
pub fn corrects_role(role: Role) -> bool {
    LOCAL_SOLVERS.contains(&role)
}

/// Whether the account solves items at the community's level, so may register one solved on the spot.
pub fn solves_locally<G: Grant>(grants: &[G]) -> bool {
    any_role(grants, |r| LOCAL_SOLVERS.contains(&r))
}

/// Whether the role records the routines of 第六条 at its place and below (visits, meetings, receptions, the
/// registers): the capture roles, and administrators.
pub fn records_routines_role(role: Role) -> bool {
    capture_role(role) || role == Role::Admin
}

// ---------- reading ----------

/// Whether the role reads the ledger (台账) and the stations' visit coverage (走访情况): the station and above.
pub fn ledger_role(role: Role) -> bool {
    matches!(
        role,
        Role::StationHead
            | Role::CommunitySecretary
            | Role::StreetDispatcher
            | Role::StreetLeader
            | Role::CityLeader
            | Role::CityAnalyst
            | Role::Supervisor
            | Role::Admin
    )
}

/// Whether the account reads the ledger (台账).
pub fn reads_ledger<G: Grant>(grants: &[G]) -> bool {
    any_role(grants, ledger_role)
}

/// Whether the account reads the stations' visit coverage (走访情况), as it reads the ledger.
pub fn reads_coverage<G: Grant>(grants: &[G]) -> bool {
    any_role(grants, ledger_role)
}

/// Whether this role, bound to this kind of place, reads the whole city's figures (dashboard, analysis, the
/// supervision office's queue, the statistics and reports of every street, every street's satisfaction): the
/// city's leaders, offices, supervision office and administrator, bound to the city.
pub fn city_wide(role: Role, kind: OrgKind) -> bool {
    kind == OrgKind::City && matches!(role, Role::CityLeader | Role::CityAnalyst | Role::Supervisor | Role::Admin)
}

/// Whether the account reads the whole city's figures (全市民情总览, 民情分析, 督查室).
pub fn reads_city_figures<G: Grant>(grants: &[G]) -> bool {
    grants.iter().any(|g| city_wide(g.role(), g.place_kind()))
}

/// Whether this role, bound to this kind of place, reads its street's figures: the street's dispatcher, leaders
/// and administrator, bound to the street.
pub fn street_wide(role: Role, kind: OrgKind) -> bool {
    kind == OrgKind::Street && matches!(role, Role::StreetDispatcher | Role::StreetLeader | Role::Admin)
}

/// Whether the account reads monthly figures — the statistics (附件3), the reports (附件4) and the departments'
/// satisfaction — of its street, or of the whole city.
pub fn reads_figures<G: Grant>(grants: &[G]) -> bool {
    grants.iter().any(|g| city_wide(g.role(), g.place_kind()) || street_wide(g.role(), g.place_kind()))
}

/// Whether the role edits and submits its street's monthly report (专报): the street's leaders and dispatcher.
pub fn report_editor_role(role: Role) -> bool {
    matches!(role, Role::StreetLeader | Role::StreetDispatcher)
}

/// Whether the account sends chase notices (催办) on overdue items: the supervision office.
pub fn chases<G: Grant>(grants: &[G]) -> bool {
    any_role(grants, |r| r == Role::Supervisor)
}

/// Whether the account is told of major items at once (直报, 第三条): the city's leaders and the street's leaders.
pub fn told_of_major_items<G: Grant>(grants: &[G]) -> bool {
    any_role(grants, |r| matches!(r, Role::CityLeader | Role::StreetLeader))
}

// ---------- the residents' voice ----------

/// Whether the role rates departments in the weekly evaluation (每周测评): 楼长, 网格长, 站长, 社区书记.
pub fn rater_role(role: Role) -> bool {
    matches!(role, Role::BuildingLeader | Role::GridLeader | Role::StationHead | Role::CommunitySecretary)
}

/// Whether the account rates departments in the weekly evaluation.
pub fn rates_departments<G: Grant>(grants: &[G]) -> bool {
    any_role(grants, rater_role)
}

/// Whether the role follows dissatisfied ratings up (跟踪整改) and records their steps: the station, the community,
/// the street and the department concerned.
pub fn follow_up_role(role: Role) -> bool {
    matches!(
        role,
        Role::StationHead
            | Role::CommunitySecretary
            | Role::StreetDispatcher
            | Role::StreetLeader
            | Role::DeptHandler
            | Role::DeptHead
    )
}

/// Whether the account follows dissatisfied ratings up.
pub fn follows_up<G: Grant>(grants: &[G]) -> bool {
    any_role(grants, follow_up_role)
}

// ---------- the routines of 第六条 ----------

/// Whether the account keeps the daily visits (今日走访): a grid leader.
pub fn keeps_visits<G: Grant>(grants: &[G]) -> bool {
    any_role(grants, |r| r == Role::GridLeader)
}

/// Whether the account watches its station's visits (the home page's 走访情况 tile): a station head.
pub fn watches_station_visits<G: Grant>(grants: &[G]) -> bool {
    any_role(grants, |r| r == Role::StationHead)
}

/// Whether the role keeps a grid's visit registers (登记册): the capture roles bound at a grid or above.
pub fn register_role(role: Role) -> bool {
    capture_role(role) && role != Role::BuildingLeader
}

/// Whether the role keeps the stations' meetings and receptions (民生会议, 接待日, offered on the home page): the
/// capture roles bound at a station or above.
pub fn station_routine_role(role: Role) -> bool {
    register_role(role) && role != Role::GridLeader
}

/// Whether the home page offers the account 民生会议 and 接待日 (anyone signed in may open them, within its places).
pub fn keeps_station_routines<G: Grant>(grants: &[G]) -> bool {
    any_role(grants, station_routine_role)
}

/// Whether the role holds receptions (接待日) and so puts its own on the schedule: the street's leaders and the
/// community's secretary.
pub fn host_role(role: Role) -> bool {
    matches!(role, Role::StreetLeader | Role::CommunitySecretary)
}

// ---------- administration ----------

/// Whether the account administers the whole city (the clocks, the holiday table, the notification hooks, the
/// import): an administrator bound to the city.
pub fn is_city_admin<G: Grant>(grants: &[G]) -> bool {
    grants.iter().any(|g| g.role() == Role::Admin && g.place_kind() == OrgKind::City)
}

/// Whether the account maintains the organisation below one of its places (组织架构).
pub fn manages_org<G: Grant>(grants: &[G]) -> bool {
    any_role(grants, Role::manages_org)
}

/// Whether the account administers accounts (账号管理) within its places.
pub fn manages_accounts<G: Grant>(grants: &[G]) -> bool {
    any_role(grants, Role::manages_accounts)
}

// ---------- the work queue ----------

/// Whose part of an item's journey a queue section shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueView {
    /// The community: its review, and telling residents.
    Community,
    /// The street: dispatch, extension requests, and the departments' work in hand.
    Street,
    /// The department: its inbox, work in hand and sign-off.
    Department,
}

/// One section of the work queue (待办): one stage (and filter) of `GET /api/queue`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueSection {
    /// The stage listed.
    pub stage: ItemStatus,
    /// Only the items whose department asked for an extension.
    pub extension_pending: bool,
    /// Whether the rows wait for this account to act (counted on the home page), or are shown for overview.
    pub actionable: bool,
    /// Whose part of the journey it is.
    pub view: QueueView,
}

/// The queue sections of the account's roles, each stage once, in the order of the journey.
pub fn queue_sections<G: Grant>(grants: &[G]) -> Vec<QueueSection> {
    use ItemStatus::*;
    let has = |role: Role| any_role(grants, |r| r == role);
    let community = has(Role::CommunitySecretary);
    let street = has(Role::StreetDispatcher) || has(Role::StreetLeader);
    let department = has(Role::DeptHandler) || has(Role::DeptHead);
    let mut out: Vec<QueueSection> = Vec::new();
    let mut add = |stage: ItemStatus, extension_pending: bool, actionable: bool, view: QueueView| {
        if !out.iter().any(|o| o.stage == stage && o.extension_pending == extension_pending) {
            out.push(QueueSection { stage, extension_pending, actionable, view });
        }
    };
    if community {
        add(Collected, false, true, QueueView::Community);
    }
    if street {
        add(AtStreet, false, true, QueueView::Street);
        add(InProgress, true, true, QueueView::Street);
    }
    if department {
        add(Dispatched, false, true, QueueView::Department);
        add(InProgress, false, true, QueueView::Department);
        add(AwaitingSignoff, false, has(Role::DeptHead), QueueView::Department);
    }
    if street {
        add(InProgress, false, false, QueueView::Street);
    }
    if community {
        add(Solved, false, true, QueueView::Community);
        add(Unsolved, false, true, QueueView::Community);
    }
    out
}

/// Whether something in the account's queue waits for it to act.
pub fn acts_in_queue<G: Grant>(grants: &[G]) -> bool {
    queue_sections(grants).iter().any(|s| s.actionable)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every role bound to every kind of place it may be bound to.
    fn every_grant() -> Vec<(Role, OrgKind)> {
        Role::ALL.iter().flat_map(|r| r.scope_kinds().iter().map(move |k| (*r, *k))).collect()
    }

    fn roles_where(rule: fn(Role) -> bool) -> Vec<Role> {
        Role::ALL.iter().copied().filter(|r| rule(*r)).collect()
    }

    #[test]
    fn the_capture_roles_are_the_six_who_meet_residents() {
        use Role::*;
        assert_eq!(
            roles_where(capture_role),
            [GridLeader, BuildingLeader, StationHead, CommunitySecretary, StreetDispatcher, StreetLeader]
        );
        assert!(captures(&[(BuildingLeader, OrgKind::Building)]));
        assert!(!captures(&[(DeptHead, OrgKind::Department), (CityLeader, OrgKind::City)]));
        assert!(!captures::<(Role, OrgKind)>(&[]));
        assert!(records_routines_role(Admin) && records_routines_role(GridLeader) && !records_routines_role(DeptHead));
        for role in Role::ALL {
            assert_eq!(role.captures(), capture_role(*role), "{role:?}");
        }
    }

    #[test]
    fn the_ledger_is_read_from_the_station_up() {
        use Role::*;
        assert_eq!(
            roles_where(ledger_role),
            [
                StationHead,
                CommunitySecretary,
                StreetDispatcher,
                StreetLeader,
                CityLeader,
                CityAnalyst,
                Supervisor,
                Admin
            ]
        );
        assert!(reads_ledger(&[(StationHead, OrgKind::Station)]));
        assert!(!reads_ledger(&[(GridLeader, OrgKind::Grid), (DeptHandler, OrgKind::Department)]));
        assert!(!reads_coverage(&[(GridLeader, OrgKind::Grid)]));
        assert!(reads_coverage(&[(Admin, OrgKind::Street)]));
    }

    #[test]
    fn city_and_street_figures_follow_the_place_a_role_is_bound_to() {
        use Role::*;
        let city: Vec<_> = every_grant().into_iter().filter(|(r, k)| city_wide(*r, *k)).collect();
        assert_eq!(
            city,
            [
                (CityLeader, OrgKind::City),
                (CityAnalyst, OrgKind::City),
                (Supervisor, OrgKind::City),
                (Admin, OrgKind::City)
            ]
        );
        // Every role that may be bound to the city reads the city; nothing else does.
        for (r, k) in every_grant() {
            assert_eq!(city_wide(r, k), k == OrgKind::City, "{r:?} at {k:?}");
            assert_eq!(street_wide(r, k), k == OrgKind::Street, "{r:?} at {k:?}");
        }
        assert!(!city_wide(Admin, OrgKind::Street) && street_wide(Admin, OrgKind::Street));
        assert!(reads_city_figures(&[(Supervisor, OrgKind::City)]));
        assert!(!reads_city_figures(&[(Admin, OrgKind::Street), (StreetLeader, OrgKind::Street)]));
        assert!(reads_figures(&[(StreetDispatcher, OrgKind::Street)]));
        assert!(reads_figures(&[(CityAnalyst, OrgKind::City)]));
        assert!(!reads_figures(&[(CommunitySecretary, OrgKind::Community), (DeptHead, OrgKind::Department)]));
        assert_eq!(roles_where(report_editor_role), [StreetDispatcher, StreetLeader]);
    }

    #[test]
    fn satisfaction_is_read_by_the_street_and_city_roles() {
        use Role::*;
        // The roles the satisfaction page was offered to, bound where they may be.
        let offered = [StreetDispatcher, StreetLeader, CityLeader, CityAnalyst, Supervisor, Admin];
        for (r, k) in every_grant() {
            assert_eq!(reads_figures(&[(r, k)]), offered.contains(&r), "{r:?} at {k:?}");
        }
    }

    #[test]
    fn the_voice_and_the_routines() {
        use Role::*;
        assert_eq!(roles_where(rater_role), [GridLeader, BuildingLeader, StationHead, CommunitySecretary]);
        assert_eq!(
            roles_where(follow_up_role),
            [StationHead, CommunitySecretary, StreetDispatcher, StreetLeader, DeptHandler, DeptHead]
        );
        assert_eq!(
            roles_where(register_role),
            [GridLeader, StationHead, CommunitySecretary, StreetDispatcher, StreetLeader]
        );
        assert_eq!(
            roles_where(station_routine_role),
            [StationHead, CommunitySecretary, StreetDispatcher, StreetLeader]
        );
        assert_eq!(roles_where(host_role), [CommunitySecretary, StreetLeader]);
        assert!(rates_departments(&[(BuildingLeader, OrgKind::Building)]));
        assert!(follows_up(&[(DeptHandler, OrgKind::Department)]) && !follows_up(&[(GridLeader, OrgKind::Grid)]));
        assert!(keeps_visits(&[(GridLeader, OrgKind::Grid)]) && !keeps_visits(&[(StationHead, OrgKind::Station)]));
        assert!(watches_station_visits(&[(StationHead, OrgKind::Station)]));
        assert!(keeps_station_routines(&[(StreetDispatcher, OrgKind::Street)]));
        assert!(!keeps_station_routines(&[(GridLeader, OrgKind::Grid), (Admin, OrgKind::City)]));
        assert!(chases(&[(Supervisor, OrgKind::City)]) && !chases(&[(CityLeader, OrgKind::City)]));
        assert!(told_of_major_items(&[(StreetLeader, OrgKind::Street)]));
        assert!(!told_of_major_items(&[(StreetDispatcher, OrgKind::Street)]));
    }

    #[test]
    fn administrators() {
        use Role::*;
        assert!(is_city_admin(&[(Admin, OrgKind::City)]));
        assert!(!is_city_admin(&[(Admin, OrgKind::Street), (CityLeader, OrgKind::City)]));
        assert!(manages_accounts(&[(Admin, OrgKind::Street)]) && !manages_accounts(&[(StreetLeader, OrgKind::Street)]));
        assert!(manages_org(&[(StationHead, OrgKind::Station)]) && !manages_org(&[(GridLeader, OrgKind::Grid)]));
    }

    #[test]
    fn queue_sections_follow_the_journey_each_stage_once() {
        use ItemStatus::*;
        use Role::*;
        let stages = |grants: &[(Role, OrgKind)]| -> Vec<(ItemStatus, bool, bool)> {
            queue_sections(grants).iter().map(|s| (s.stage, s.extension_pending, s.actionable)).collect()
        };
        assert_eq!(
            stages(&[(CommunitySecretary, OrgKind::Community)]),
            [(Collected, false, true), (Solved, false, true), (Unsolved, false, true)]
        );
        assert_eq!(
            stages(&[(StreetDispatcher, OrgKind::Street)]),
            [(AtStreet, false, true), (InProgress, true, true), (InProgress, false, false)]
        );
        assert_eq!(
            stages(&[(DeptHandler, OrgKind::Department)]),
            [(Dispatched, false, true), (InProgress, false, true), (AwaitingSignoff, false, false)]
        );
        assert_eq!(stages(&[(DeptHead, OrgKind::Department)])[2], (AwaitingSignoff, false, true));
        // A street role that also works in a department sees the work in hand once, as the department's.
        let both = queue_sections(&[(StreetLeader, OrgKind::Street), (DeptHead, OrgKind::Department)]);
        let in_hand: Vec<_> = both.iter().filter(|s| s.stage == InProgress && !s.extension_pending).collect();
        assert_eq!(in_hand.len(), 1);
        assert_eq!(in_hand[0].view, QueueView::Department);
        assert!(queue_sections(&[(GridLeader, OrgKind::Grid), (CityLeader, OrgKind::City)]).is_empty());
        assert!(acts_in_queue(&[(DeptHandler, OrgKind::Department)]));
        assert!(!acts_in_queue(&[(Supervisor, OrgKind::City)]));
    }
}
