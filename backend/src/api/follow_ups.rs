//! Following up dissatisfied ratings (第六条′): find the reason, feed it back to the department, agree measures,
//! explain to the resident. Each step is recorded with who and when; the follow-up closes when all four are there.

use actix_web::web;
use chrono::NaiveDateTime;
use serde::Deserialize;
use shared::dto::UnitRef;
use shared::item::PersonRef;
use shared::voice::{AddFollowUpStep, FollowUp, FollowUpEntry, FollowUpStep};
use shared::{ApiError, ErrorCode, OrgKind, Role};
use validator::Validate;

use crate::auth::AuthUser;
use crate::db::models::FollowUpRow;
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::regulation::deadlines::Calendar;
use crate::state::AppState;
use crate::views::utc;

/// The roles that record follow-up steps: the community and station, the street, the department concerned.
const FOLLOWERS: &[Role] = &[
    Role::StationHead,
    Role::CommunitySecretary,
    Role::StreetDispatcher,
    Role::StreetLeader,
    Role::DeptHandler,
    Role::DeptHead,
];

/// Where an account's roles reach follow-ups: each role with its place, and for a place within a community, the
/// community (looked up once per request).
struct Reach(Vec<(Role, OrgKind, i64, Option<i64>)>);

impl Reach {
    fn of(conn: &mut DbConn, user: &AuthUser) -> Result<Reach, AppError> {
        let mut out = Vec::new();
        for b in &user.roles {
            let community = match b.unit.kind {
                OrgKind::Community | OrgKind::Station | OrgKind::Grid | OrgKind::Building => {
                    db::org::PlaceLine::of(conn, &b.unit)?.community_id
                }
                _ => None,
            };
            out.push((b.role, b.unit.kind, b.unit.id, community));
        }
        Ok(Reach(out))
    }

    /// Whether one of the roles (of `roles`, when given) reaches the follow-up.
    fn covers(&self, f: &FollowUpRow, roles: Option<&[Role]>) -> bool {
        self.0.iter().filter(|(role, ..)| roles.is_none_or(|r| r.contains(role))).any(|(_, kind, id, community)| {
            match kind {
                OrgKind::City => true,
                OrgKind::Street => f.street_id == *id,
                OrgKind::Department => f.department_id == Some(*id),
                _ => community.is_some() && f.community_id == *community,
            }
        })
    }
}

fn unit_ref(conn: &mut DbConn, id: Option<i64>) -> Result<Option<UnitRef>, AppError> {
    Ok(match id {
        Some(id) => {
            let u = db::org::get(conn, id)?;
            Some(UnitRef { id: u.id, kind: u.kind, full_name: db::org::full_name(conn, &u)?, name: u.name })
        }
        None => None,
    })
}

/// A follow-up as the app shows it; `clock` is the calendar (with the city's follow-up days) and the time now.
fn dto(conn: &mut DbConn, f: FollowUpRow, clock: &(Calendar, NaiveDateTime)) -> Result<FollowUp, AppError> {
    let (calendar, now) = clock;
    let due = calendar.follow_up_due(f.opened_at);
    let overdue = match f.closed_at {
        Some(closed) => closed > due,
        None => *now > due,
    };
    let rating = db::follow_ups::rating_followed_up(conn, f.rating_id)?;
    let steps = db::follow_ups::steps_with_names(conn, f.id)?;
    let subject = match (&f.item_id, rating.round_id) {
        (Some(item_id), _) => match db::items::get(conn, item_id)? {
            Some(item) => format!("居民评价：{}", crate::notify::excerpt(&item.content, 40)),
            None => "居民评价".into(),
        },
        (None, Some(round_id)) => {
            let round = db::follow_ups::round_rated(conn, round_id)?;
            let dept = db::org::get(conn, round.department_id)?;
            format!("每周测评：{}（{}周）", dept.name, round.week_start.format("%m月%d日"))
        }
        (None, None) => "评价".into(),
    };
    Ok(FollowUp {
        id: f.id,
        item_id: f.item_id.clone(),
        subject,
        community: unit_ref(conn, f.community_id)?,
        department: unit_ref(conn, f.department_id)?,
        rate: crate::views::rating::rate_of(&rating),
        opened_at: utc(f.opened_at),
        steps: steps
            .into_iter()
            .map(|(s, name)| FollowUpEntry {
                step: s.step,
                text: s.text,
                at: utc(s.at),
                by: PersonRef { id: s.by_id, name },
            })
            .collect(),
        closed_at: f.closed_at.map(utc),
        sent_back: f.sent_back_at.is_some(),
        due_at: Some(utc(due)),
        overdue,
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListParams {
    /// true: only those not yet closed.
    pub open: Option<bool>,
    /// Only those of this item.
    pub item_id: Option<String>,
}

/// The follow-ups within the account's community, street or department (the city sees all), open ones first.
#[utoipa::path(get, path = "/api/follow-ups", tag = "voice", security(("bearer" = [])), params(ListParams),
    responses((status = 200, body = Vec<FollowUp>)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    params: web::Query<ListParams>,
) -> Result<web::Json<Vec<FollowUp>>, AppError> {
    let params = params.into_inner();
    let (now, tz) = (state.clock.now_naive(), state.tz);
    state
        .db
        .read(move |conn| {
            let clock = (Calendar::load(conn, tz)?, now);
            let rows =
                db::follow_ups::latest_follow_ups(conn, params.open.unwrap_or(false), params.item_id.as_deref())?;
            let reach = Reach::of(conn, &user)?;
            let mut out = Vec::new();
            for f in rows.into_iter().filter(|f| reach.covers(f, None)) {
                out.push(dto(conn, f, &clock)?);
            }
            out.sort_by_key(|f| f.closed_at.is_some());
            Ok(out)
        })
        .await
        .map(web::Json)
}

/// Records a step of a follow-up; the follow-up closes once all four steps are recorded.
#[utoipa::path(post, path = "/api/follow-ups/{id}/steps", tag = "voice", security(("bearer" = [])),
    request_body = AddFollowUpStep,
    responses((status = 200, body = FollowUp), (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn add_step(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: web::Json<AddFollowUpStep>,
) -> Result<web::Json<FollowUp>, AppError> {
    let body = body.into_inner();
    body.validate()?;
    let id = id.into_inner();
    let (now, tz) = (state.clock.now_naive(), state.tz);
    state
        .db
        .write(move |conn| {
            let f = db::follow_ups::follow_up(conn, id)?.ok_or_else(|| AppError::not_found("该跟踪整改"))?;
            let reach = Reach::of(conn, &user)?;
            if !reach.covers(&f, None) {
                return Err(AppError::not_found("该跟踪整改"));
            }
            if !reach.covers(&f, Some(FOLLOWERS)) {
                return Err(AppError::forbidden());
            }
            if f.closed_at.is_some() {
                return Err(AppError::Api(ApiError::new(ErrorCode::WrongStage, "这项跟踪整改已经办结")));
            }
            let done = db::follow_ups::steps_done(conn, f.id)?;
            if done.contains(&body.step) {
                return Err(AppError::Api(ApiError {
                    code: ErrorCode::Conflict,
                    ..ApiError::field("step", format!("“{}”已经记录过了", body.step.label()))
                }));
            }
            let closes = done.len() + 1 == FollowUpStep::ALL.len();
            let f = db::follow_ups::record_step(conn, f.id, body.step, body.text.trim(), user.id(), now, closes)?;
            let clock = (Calendar::load(conn, tz)?, now);
            dto(conn, f, &clock)
        })
        .await
        .map(web::Json)
}
