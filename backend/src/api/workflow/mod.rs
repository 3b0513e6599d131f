//! The item's journey (第七条, 第八条), one endpoint per action. Each checks the role and scope, the item's stage and
//! its version; a stale version or an action the stage does not allow is a 409 with its own code, and when two
//! people act at once exactly one wins. Every action writes an event to the item's history.
//!
//! Collected → the community solves it (社区办结) or sends the sheet to the street → the street dispatches it (派单)
//! → the department accepts (接单) or returns it (退单, back to the street) → it may ask for 5 more days, which the
//! street approves or refuses → it returns the sheet (返单): solved, or (past 10 days or unsolved) with the on-site
//! office record, and when still unsolvable with the head's signature → the resident is told → closed.

mod co_handling;
mod community;
mod department;
mod leader_report;
mod onsite;
mod street;

pub use co_handling::*;
pub use community::*;
pub use department::*;
pub use leader_report::*;
pub use onsite::*;
pub use street::*;

use actix_web::web;
use chrono::NaiveDateTime;
use serde_json::json;
use shared::item::{Item, ItemStatus};
use shared::journey::{ActionKind, EventKind};
use shared::{ApiError, ErrorCode, OrgKind};

use super::support::{stale, visible_item};
use crate::auth::AuthUser;
use crate::db;
use crate::db::models::{DispatchRow, ItemRow, UnitRow};
use crate::error::AppError;
use crate::notify;
use crate::regulation::deadlines::Calendar;
use crate::regulation::journey::{acts_on, rule};
use crate::state::AppState;
use crate::views::item::item_dto;

fn wrong_stage(stage: ItemStatus, action: &str) -> AppError {
    let stage = stage.label();
    AppError::Api(ApiError::new(ErrorCode::WrongStage, format!("这条民情目前处于“{stage}”阶段，不能{action}")))
}

fn deadline_passed(message: &str) -> AppError {
    AppError::Api(ApiError::new(ErrorCode::DeadlinePassed, message))
}

/// What an action's change may use: the database, the item before, now, the actor, the clocks and the links.
struct Ctx<'a> {
    conn: &'a mut db::DbConn,
    old: &'a ItemRow,
    now: NaiveDateTime,
    actor: i64,
    calendar: Calendar,
    links: &'a notify::Links,
    /// The event's kind when it is not the action's own (the head sending a sheet back).
    event_kind: Option<EventKind>,
}

impl Ctx<'_> {
    /// The item's current dispatch; every department action has one.
    fn dispatch(&mut self) -> Result<DispatchRow, AppError> {
        db::journey::current_dispatch(self.conn, &self.old.id)?
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("item {} has no current dispatch", self.old.id)))
    }
}

type Change = (ItemRow, serde_json::Value);

/// Takes an action in one transaction: the item must be visible, the account must hold one of the action's roles
/// over it, and the item must be at one of the action's stages and at `version`. `change` returns the changed row
/// and the event's changes; the version and update time are set here, and the write only lands if nobody got there
/// first.
async fn perform<F>(
    state: web::Data<AppState>,
    user: AuthUser,
    id: String,
    version: i64,
    action: ActionKind,
    change: F,
) -> Result<web::Json<Item>, AppError>
where
    F: FnOnce(&mut Ctx) -> Result<Change, AppError> + Send + 'static,
{
    let now = state.clock.now_naive();
    let rule = rule(action);
    let st = state.clone();
    state
        .db
        .write(move |conn| {
            let old = visible_item(conn, &user, &id)?;
            if !acts_on(&user, &old, rule.roles) {
                return Err(AppError::forbidden());
            }
            if old.version != version {
                return Err(stale());
            }
            if !rule.stages.contains(&old.status) {
                return Err(wrong_stage(old.status, rule.verb));
            }
            let calendar = Calendar::load(conn, st.tz)?;
            let links = st.links();
            let mut ctx =
                Ctx { conn: &mut *conn, old: &old, now, actor: user.id(), calendar, links: &links, event_kind: None };
            let (changed, changes) = change(&mut ctx)?;
            let kind = ctx.event_kind.unwrap_or(rule.kind);
            let new = ItemRow { version: old.version + 1, updated_at: now, ..changed };
            if !db::items::update_if_version(conn, &new, old.version)? {
                return Err(stale());
            }
            db::items::add_event(conn, &new.id, now, user.id(), kind, &changes)?;
            item_dto(conn, &st, &user, &new)
        })
        .await
        .map(web::Json)
}

fn change(field: &str, label: &str, after: impl Into<serde_json::Value>) -> serde_json::Value {
    json!({"field": field, "label": label, "before": null, "after": after.into()})
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "是"
    } else {
        "否"
    }
}

/// An active department, or a field error.
async fn department(state: &web::Data<AppState>, field: &str, id: i64) -> Result<UnitRow, AppError> {
    match state.db.read(move |conn| Ok(db::org::get(conn, id).ok())).await? {
        Some(d) if d.kind == OrgKind::Department && d.active => Ok(d),
        _ => Err(AppError::field(field, "请选择启用中的部门单位")),
    }
}
