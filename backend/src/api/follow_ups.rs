//! Following up dissatisfied ratings (第六条′): find the reason, feed it back to the department, agree measures,
//! explain to the resident. Each step is recorded with who and when; the follow-up closes when all four are there.

use actix_web::web;
use diesel::prelude::*;
use serde::Deserialize;
use shared::dto::UnitRef;
use shared::item::PersonRef;
use shared::voice::{AddFollowUpStep, FollowUp, FollowUpEntry, FollowUpStep};
use shared::{ApiError, ErrorCode, OrgKind, Role};
use validator::Validate;

use crate::auth::AuthUser;
use crate::db::models::{FollowUpRow, FollowUpStepRow, RatingRow, RoundRow};
use crate::db::schema::{eval_rounds, follow_up_steps, follow_ups, ratings, users};
use crate::db::{self, DbConn};
use crate::error::AppError;
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
    fn of(conn: &mut DbConn, user: &AuthUser) -> QueryResult<Reach> {
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

fn dto(conn: &mut DbConn, f: FollowUpRow) -> Result<FollowUp, AppError> {
    let rating: RatingRow = ratings::table.find(f.rating_id).select(RatingRow::as_select()).first(conn)?;
    let steps: Vec<(FollowUpStepRow, String)> = follow_up_steps::table
        .inner_join(users::table)
        .filter(follow_up_steps::follow_up_id.eq(f.id))
        .order(follow_up_steps::id)
        .select((FollowUpStepRow::as_select(), users::display_name))
        .load(conn)?;
    let subject = match (&f.item_id, rating.round_id) {
        (Some(item_id), _) => match db::items::get(conn, item_id)? {
            Some(item) => format!("居民评价：{}", crate::notify::excerpt(&item.content, 40)),
            None => "居民评价".into(),
        },
        (None, Some(round_id)) => {
            let round: RoundRow = eval_rounds::table.find(round_id).select(RoundRow::as_select()).first(conn)?;
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
    state
        .db
        .read(move |conn| {
            let mut q = follow_ups::table.into_boxed::<db::items::Backend>();
            if params.open.unwrap_or(false) {
                q = q.filter(follow_ups::closed_at.is_null());
            }
            if let Some(item_id) = &params.item_id {
                q = q.filter(follow_ups::item_id.eq(item_id.clone()));
            }
            let rows: Vec<FollowUpRow> =
                q.order(follow_ups::id.desc()).limit(500).select(FollowUpRow::as_select()).load(conn)?;
            let reach = Reach::of(conn, &user)?;
            let mut out = Vec::new();
            for f in rows.into_iter().filter(|f| reach.covers(f, None)) {
                out.push(dto(conn, f)?);
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
    let now = state.clock.now_naive();
    state
        .db
        .write(move |conn| {
            let f: FollowUpRow = follow_ups::table
                .find(id)
                .select(FollowUpRow::as_select())
                .first(conn)
                .optional()?
                .ok_or_else(|| AppError::not_found("该跟踪整改"))?;
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
            let done: Vec<FollowUpStep> = follow_up_steps::table
                .filter(follow_up_steps::follow_up_id.eq(f.id))
                .select(follow_up_steps::step)
                .load(conn)?;
            if done.contains(&body.step) {
                return Err(AppError::Api(ApiError {
                    code: ErrorCode::Conflict,
                    ..ApiError::field("step", format!("“{}”已经记录过了", body.step.label()))
                }));
            }
            diesel::insert_into(follow_up_steps::table)
                .values((
                    follow_up_steps::follow_up_id.eq(f.id),
                    follow_up_steps::step.eq(body.step),
                    follow_up_steps::text.eq(body.text.trim()),
                    follow_up_steps::at.eq(now),
                    follow_up_steps::by_id.eq(user.id()),
                ))
                .execute(conn)?;
            if done.len() + 1 == FollowUpStep::ALL.len() {
                diesel::update(follow_ups::table.find(f.id)).set(follow_ups::closed_at.eq(now)).execute(conn)?;
            }
            let f = follow_ups::table.find(id).select(FollowUpRow::as_select()).first(conn)?;
            dto(conn, f)
        })
        .await
        .map(web::Json)
}
