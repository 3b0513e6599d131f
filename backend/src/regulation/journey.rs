//! The journey's action table (第七条, 第八条): for each action, the roles that take it, the stages it is taken at,
//! the event it records and its own condition; and from these, the actions open to an account on an item now.

use chrono::NaiveDateTime;
use shared::item::ItemStatus;
use shared::journey::{ActionKind, EventKind};
use shared::onsite::OnsiteKind;
use shared::{OrgKind, Role};

use crate::auth::AuthUser;
use crate::db::models::{DispatchRow, ItemRow};

const STREET_ROLES: &[Role] = &[Role::StreetDispatcher, Role::StreetLeader];

const DEPARTMENT_ROLES: &[Role] = &[Role::DeptHandler, Role::DeptHead];

/// One action of the journey: who may take it, at which stages, and the event it records.
pub struct Action {
    pub roles: &'static [Role],
    pub stages: &'static [ItemStatus],
    /// Completes "不能…" in the wrong-stage message.
    pub verb: &'static str,
    /// The event's kind.
    pub kind: EventKind,
}

/// The rule of each action.
pub fn rule(action: ActionKind) -> Action {
    use EventKind as E;
    use ItemStatus as S;
    let (roles, stages, verb, kind): (&'static [Role], &'static [ItemStatus], _, _) = match action {
        ActionKind::SolveLocally => (shared::access::LOCAL_SOLVERS, &[S::Collected], "由社区办结", E::SolvedLocally),
        ActionKind::SendToStreet => (&[Role::CommunitySecretary], &[S::Collected], "报送街道", E::SentToStreet),
        ActionKind::Dispatch => (STREET_ROLES, &[S::AtStreet], "派单", E::Dispatched),
        ActionKind::Accept => (DEPARTMENT_ROLES, &[S::Dispatched], "接单", E::Accepted),
        ActionKind::Reject => (DEPARTMENT_ROLES, &[S::Dispatched], "退单", E::Rejected),
        ActionKind::RequestExtension => (DEPARTMENT_ROLES, &[S::InProgress], "申请延期", E::ExtensionRequested),
        ActionKind::DecideExtension => (STREET_ROLES, &[S::InProgress], "审批延期", E::ExtensionDecided),
        ActionKind::ReturnSheet => (DEPARTMENT_ROLES, &[S::InProgress], "返单", E::SheetReturned),
        ActionKind::HeadSign => (&[Role::DeptHead], &[S::AwaitingSignoff], "签字", E::HeadSigned),
        ActionKind::TellResident => (
            &[
                Role::GridLeader,
                Role::BuildingLeader,
                Role::StationHead,
                Role::CommunitySecretary,
                Role::StreetLeader,
                Role::StreetDispatcher,
            ],
            &[S::Solved, S::Unsolved],
            "反馈居民",
            E::ResidentTold,
        ),
        ActionKind::SendBack => (STREET_ROLES, &[S::Solved, S::Unsolved, S::Closed], "退回部门重办", E::SentBack),
    };
    Action { roles, stages, verb, kind }
}

/// Whether the account holds one of `roles` over the item's place (or, for a department, holds the item).
pub fn acts_on(user: &AuthUser, item: &ItemRow, roles: &[Role]) -> bool {
    user.roles
        .iter()
        .any(|b| roles.contains(&b.role) && AuthUser { roles: vec![b.clone()], ..user.clone() }.sees_item(item))
}

/// Whether the account may correct the item's facts (更正): once the community has acted on it (before that they
/// are simply edited), through a role that solves at the community's level over this item's place.
pub fn may_correct(user: &AuthUser, item: &ItemRow) -> bool {
    item.status != ItemStatus::Collected && acts_on(user, item, shared::access::LOCAL_SOLVERS)
}

/// The account's departments named as co-handling (协办) on the item's current dispatch: they see the item.
pub fn co_handling_departments(user: &AuthUser, current: Option<&DispatchRow>) -> Vec<i64> {
    let co = current.map(DispatchRow::co_departments).unwrap_or_default();
    user.roles
        .iter()
        .filter(|b| b.unit.kind == OrgKind::Department && DEPARTMENT_ROLES.contains(&b.role) && co.contains(&b.unit.id))
        .map(|b| b.unit.id)
        .collect()
}

/// Whether a co-handling department may record its part now: while the lead department has the sheet.
pub fn co_handles_now(user: &AuthUser, item: &ItemRow, current: Option<&DispatchRow>) -> bool {
    matches!(item.status, ItemStatus::Dispatched | ItemStatus::InProgress)
        && !co_handling_departments(user, current).is_empty()
}

/// The roles that convene a 现场办公会 with the department and residents' representatives (第七条2: 各街道社区).
const ONSITE_MEETING_ROLES: &[Role] = &[Role::StreetDispatcher, Role::StreetLeader, Role::CommunitySecretary];

/// Which on-site record the account may add now (第七条2), while the department that accepted the item handles it:
/// that department its on-site office, the item's street or community an on-site meeting.
pub fn onsite_kind_for(user: &AuthUser, item: &ItemRow, current: Option<&DispatchRow>) -> Option<OnsiteKind> {
    onsite_handling(item, current).then(|| onsite_kind_of_roles(user, item)).flatten()
}

/// Whether the department that accepted the item handles it now (between 接单 and 返单).
pub fn onsite_handling(item: &ItemRow, current: Option<&DispatchRow>) -> bool {
    item.status == ItemStatus::InProgress && current.is_some_and(|d| d.accepted_at.is_some())
}

/// The on-site record the account's roles over the item make, whatever its stage.
pub fn onsite_kind_of_roles(user: &AuthUser, item: &ItemRow) -> Option<OnsiteKind> {
    if acts_on(user, item, DEPARTMENT_ROLES) && user.roles.iter().any(|b| Some(b.unit.id) == item.department_id) {
        Some(OnsiteKind::DepartmentOffice)
    } else if acts_on(user, item, ONSITE_MEETING_ROLES) {
        Some(OnsiteKind::StreetMeeting)
    } else {
        None
    }
}

/// Whether the account may log its own direct report of the item to the city's leaders (第七条4): a leader of the
/// item's street (街道党工委书记, 办事处主任), on a major item.
pub fn logs_leader_report(user: &AuthUser, item: &ItemRow) -> bool {
    item.level == shared::Level::Major && acts_on(user, item, &[Role::StreetLeader])
}

/// Whether an action's own condition beyond role and stage holds: an extension asked for once, before the deadline;
/// a sheet sent back only to the department that had it, when the resident said it is not solved.
pub fn condition_holds(
    action: ActionKind,
    dispatch: Option<&DispatchRow>,
    now: NaiveDateTime,
    not_solved: bool,
) -> bool {
    let before_deadline = dispatch.and_then(|d| d.due_at).is_some_and(|due| now < due);
    match action {
        ActionKind::RequestExtension => before_deadline && dispatch.is_some_and(|d| d.extension_requested_at.is_none()),
        ActionKind::DecideExtension => before_deadline && dispatch.is_some_and(DispatchRow::extension_pending),
        ActionKind::SendBack => not_solved && dispatch.is_some(),
        _ => true,
    }
}

/// The actions the account may take on the item now, in the order to offer them. `not_solved`: a resident's
/// "not solved" waits in an open follow-up.
pub fn available_actions(
    user: &AuthUser,
    item: &ItemRow,
    dispatch: Option<&DispatchRow>,
    now: NaiveDateTime,
    not_solved: bool,
) -> Vec<ActionKind> {
    ActionKind::ALL
        .iter()
        .copied()
        .filter(|a| {
            let r = rule(*a);
            r.stages.contains(&item.status)
                && acts_on(user, item, r.roles)
                && condition_holds(*a, dispatch, now, not_solved)
        })
        .collect()
}
