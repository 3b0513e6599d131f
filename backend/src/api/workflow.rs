//! The item's journey (第七条, 第八条), one endpoint per action. Each checks the role and scope, the item's stage and
//! its version; a stale version or an action the stage does not allow is a 409 with its own code, and when two
//! people act at once exactly one wins. Every action writes an event to the item's history.
//!
//! So far: the community solves the item itself (街道社区办结), and the resident is told the result. Dispatch to the
//! street and departments comes next on the same pattern.

use actix_web::web;
use chrono::NaiveDateTime;
use serde_json::json;
use shared::item::{Item, ItemStatus, SendToStreet, SolveLocally, TellResident};
use shared::{ApiError, ErrorCode, OrgKind, Outcome, Role};
use validator::Validate;

use crate::auth::AuthUser;
use crate::clocks;
use crate::db;
use crate::db::models::ItemRow;
use crate::error::AppError;
use crate::state::AppState;

fn wrong_stage(status: &str, action: &str) -> AppError {
    let stage = ItemStatus::parse(status).map_or(status.to_string(), |s| s.label().to_string());
    AppError::Api(ApiError::new(ErrorCode::WrongStage, format!("这条民情目前处于“{stage}”阶段，不能{action}")))
}

/// Whether the account holds one of `roles` over the item's place.
fn acts_on(user: &AuthUser, item: &ItemRow, roles: &[Role]) -> bool {
    user.roles
        .iter()
        .any(|b| roles.contains(&b.role) && AuthUser { roles: vec![b.clone()], ..user.clone() }.sees_item(item))
}

/// One action of the journey: who may take it, at which stage, and the event it records.
struct Action {
    roles: &'static [Role],
    stage: ItemStatus,
    /// Completes "不能…" in the wrong-stage message.
    verb: &'static str,
    /// The event's kind.
    kind: &'static str,
}

/// Takes an action in one transaction: the item must be visible, the account must hold one of the action's roles
/// over it, and the item must be at the action's stage and version. `change` returns the changed row and the
/// event's changes; the version and update time are set here, and the write only lands if nobody got there first.
async fn perform<F>(
    state: web::Data<AppState>,
    user: AuthUser,
    id: String,
    version: i64,
    action: Action,
    change: F,
) -> Result<web::Json<Item>, AppError>
where
    F: FnOnce(&ItemRow, NaiveDateTime, i64) -> (ItemRow, serde_json::Value) + Send + 'static,
{
    perform_with(state, user, id, version, action, move |_, old, now, actor| Ok(change(old, now, actor))).await
}

/// `perform` for actions whose change needs the database (a sheet number) and may fail.
async fn perform_with<F>(
    state: web::Data<AppState>,
    user: AuthUser,
    id: String,
    version: i64,
    action: Action,
    change: F,
) -> Result<web::Json<Item>, AppError>
where
    F: FnOnce(&mut db::DbConn, &ItemRow, NaiveDateTime, i64) -> Result<(ItemRow, serde_json::Value), AppError>
        + Send
        + 'static,
{
    let now = state.clock.now_naive();
    let st = state.clone();
    state
        .db
        .write(move |conn| {
            let old = super::items::visible_item(conn, &user, &id)?;
            if !acts_on(&user, &old, action.roles) {
                return Err(AppError::forbidden());
            }
            if old.version != version {
                return Err(super::items::stale());
            }
            if old.status != action.stage.code() {
                return Err(wrong_stage(&old.status, action.verb));
            }
            let (changed, changes) = change(conn, &old, now, user.id())?;
            let new = ItemRow { version: old.version + 1, updated_at: now, ..changed };
            if !db::items::update_if_version(conn, &new, old.version)? {
                return Err(super::items::stale());
            }
            db::items::add_event(conn, &new.id, now, user.id(), action.kind, &changes)?;
            super::items::item_dto(conn, &st, &user, &new)
        })
        .await
        .map(web::Json)
}

/// The community solved the item itself (街道社区办结). Next: tell the resident within 2 days.
#[utoipa::path(post, path = "/api/items/{id}/solve-locally", tag = "workflow", security(("bearer" = [])),
    request_body = SolveLocally,
    responses((status = 200, body = Item), (status = 409, body = ApiError, description = "stale_version or wrong_stage"),
              (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn solve_locally(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<SolveLocally>,
) -> Result<web::Json<Item>, AppError> {
    let body = body.into_inner();
    body.validate()?;
    let action = Action {
        roles: &[Role::CommunitySecretary, Role::StreetLeader, Role::StreetDispatcher],
        stage: ItemStatus::Collected,
        verb: "由社区办结",
        kind: "solved_locally",
    };
    let result = body.result.trim().to_string();
    perform(state, user, id.into_inner(), body.version, action, move |old, now, _| {
        let changes = json!([
            {"field": "outcome", "label": "办结情况", "before": null, "after": Outcome::SolvedLocally.label()},
            {"field": "result", "label": "办理结果", "before": null, "after": result},
        ]);
        let new = ItemRow {
            status: ItemStatus::Solved.code().into(),
            outcome: Some(Outcome::SolvedLocally.code().into()),
            closed_at: Some(now),
            result: Some(result),
            stage_due_at: Some(clocks::due(now, clocks::TELL_RESIDENT_DAYS)),
            ..old.clone()
        };
        (new, changes)
    })
    .await
}

/// The community sends the item to its street on the sheet 《民情速递处置反馈单》, numbered per street and year.
#[utoipa::path(post, path = "/api/items/{id}/send-to-street", tag = "workflow", security(("bearer" = [])),
    request_body = SendToStreet,
    responses((status = 200, body = Item), (status = 409, body = ApiError, description = "stale_version or wrong_stage"),
              (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn send_to_street(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<SendToStreet>,
) -> Result<web::Json<Item>, AppError> {
    let body = body.into_inner();
    let department = match body.department_id {
        None => None,
        Some(dept_id) => match state.db.read(move |conn| Ok(db::org::get(conn, dept_id).ok())).await? {
            Some(d) if d.kind() == OrgKind::Department && d.active => Some(d),
            _ => return Err(AppError::field("department_id", "请选择启用中的部门单位")),
        },
    };
    let action = Action {
        roles: &[Role::CommunitySecretary],
        stage: ItemStatus::Collected,
        verb: "报送街道",
        kind: "sent_to_street",
    };
    let tz = state.tz;
    perform_with(state, user, id.into_inner(), body.version, action, move |conn, old, now, actor| {
        let street = db::org::get(conn, old.street_id)?;
        let year: i32 = chrono::Datelike::year(&chrono::TimeZone::from_utc_datetime(&tz, &now));
        let sheet_no = db::items::next_sheet_no(conn, &street, year)?;
        let mut changes = vec![json!({"field": "sheet_no", "label": "反馈单编号", "before": null, "after": sheet_no})];
        if let Some(d) = &department {
            changes.push(
                json!({"field": "proposed_department", "label": "建议交办部门", "before": null, "after": d.name}),
            );
        }
        let new = ItemRow {
            status: ItemStatus::AtStreet.code().into(),
            sheet_no: Some(sheet_no),
            sent_at: Some(now),
            sent_by: Some(actor),
            proposed_department_id: department.map(|d| d.id),
            stage_due_at: None,
            ..old.clone()
        };
        Ok((new, serde_json::Value::Array(changes)))
    })
    .await
}

/// The resident was told the result (第八条): by whom, how and when. The item is then closed.
#[utoipa::path(post, path = "/api/items/{id}/tell-resident", tag = "workflow", security(("bearer" = [])),
    request_body = TellResident,
    responses((status = 200, body = Item), (status = 409, body = ApiError, description = "stale_version or wrong_stage"),
              (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn tell_resident(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<TellResident>,
) -> Result<web::Json<Item>, AppError> {
    let body = body.into_inner();
    body.validate()?;
    let action = Action {
        roles: &[
            Role::GridLeader,
            Role::BuildingLeader,
            Role::StationHead,
            Role::CommunitySecretary,
            Role::StreetLeader,
            Role::StreetDispatcher,
        ],
        stage: ItemStatus::Solved,
        verb: "反馈居民",
        kind: "resident_told",
    };
    let how = body.how;
    let note = body.note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_string);
    perform(state, user, id.into_inner(), body.version, action, move |old, now, actor| {
        let mut changes = vec![json!({"field": "told_how", "label": "反馈方式", "before": null, "after": how.label()})];
        if let Some(n) = note {
            changes.push(json!({"field": "note", "label": "居民意见", "before": null, "after": n}));
        }
        let new = ItemRow {
            status: ItemStatus::Closed.code().into(),
            told_at: Some(now),
            told_by: Some(actor),
            told_how: Some(how.code().into()),
            stage_due_at: None,
            ..old.clone()
        };
        (new, serde_json::Value::Array(changes))
    })
    .await
}
