//! The weekly evaluation of departments (第六条′). Every week, for each street, a round opens for each department
//! that accepted the street's items that week; building leaders, grid leaders, station heads and community
//! secretaries of the street rate it on the three questions until the end of the following week. Residents rate
//! through their links. Results per department per week or month (`satisfaction`) use the one satisfaction rate of
//! `shared::voice`.

mod satisfaction;

pub use satisfaction::*;

use actix_web::web;
use chrono::{Duration, NaiveDate, TimeZone};
use shared::voice::{EvalRound, Rate};
use shared::{ApiError, ErrorCode, Role};
use validator::Validate;

use crate::auth::AuthUser;
use crate::db::models::RoundRow;
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::regulation::rounds::week_start;
use crate::state::AppState;
use crate::views::people::unit_ref_short;

/// The roles that rate departments in the weekly round.
const RATERS: &[Role] = &[Role::BuildingLeader, Role::GridLeader, Role::StationHead, Role::CommunitySecretary];

/// The streets and communities where the account rates: (street, community) per rater role.
fn rater_places(conn: &mut DbConn, user: &AuthUser) -> Result<Vec<(i64, Option<i64>)>, AppError> {
    let mut out = Vec::new();
    for b in user.roles.iter().filter(|b| RATERS.contains(&b.role)) {
        let line = db::org::PlaceLine::of(conn, &b.unit)?;
        if let Some(street) = line.street_id {
            out.push((street, line.community_id));
        }
    }
    Ok(out)
}

fn round_dto(conn: &mut DbConn, r: &RoundRow, rater: i64, this_week: NaiveDate) -> Result<EvalRound, AppError> {
    let street = db::org::get(conn, r.street_id)?;
    let dept = db::org::get(conn, r.department_id)?;
    let mine = db::evaluation::rating_in_round(conn, r.id, rater)?;
    let open = r.week_start >= this_week - Duration::days(7);
    let closes = r.week_start + Duration::days(14);
    Ok(EvalRound {
        id: r.id,
        street: unit_ref_short(&street),
        department: unit_ref_short(&dept),
        week_start: r.week_start,
        items: r.items,
        my_rating: mine.map(|m| crate::views::rating::rating_dto(&m, closes.and_time(chrono::NaiveTime::MIN))),
        open,
    })
}

/// The rounds the signed-in rater may rate: their street's, this week and last week.
#[utoipa::path(get, path = "/api/evaluation/rounds", tag = "voice", security(("bearer" = [])),
    responses((status = 200, body = Vec<EvalRound>)))]
pub async fn rounds(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<Vec<EvalRound>>, AppError> {
    let now = state.clock.now_naive();
    let this_week = week_start(state.tz.from_utc_datetime(&now).date_naive());
    state
        .db
        .read(move |conn| {
            let streets: Vec<i64> = rater_places(conn, &user)?.into_iter().map(|(s, _)| s).collect();
            let rows = db::evaluation::rounds_of_streets_since(conn, &streets, this_week - Duration::days(7))?;
            rows.iter().map(|r| round_dto(conn, r, user.id(), this_week)).collect()
        })
        .await
        .map(web::Json)
}

/// A rater rates a department in a round (again to change it, while the round is open). A dissatisfied answer opens
/// a follow-up for the rater's community.
#[utoipa::path(put, path = "/api/evaluation/rounds/{id}/rating", tag = "voice", security(("bearer" = [])),
    request_body = Rate,
    responses((status = 200, body = EvalRound), (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn rate_round(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: web::Json<Rate>,
) -> Result<web::Json<EvalRound>, AppError> {
    let body = body.into_inner();
    body.validate()?;
    let id = id.into_inner();
    let now = state.clock.now_naive();
    let today = state.tz.from_utc_datetime(&now).date_naive();
    let this_week = week_start(today);
    state
        .db
        .write(move |conn| {
            let round = db::evaluation::round(conn, id)?.ok_or_else(|| AppError::not_found("该测评"))?;
            let places = rater_places(conn, &user)?;
            let Some(&(_, community)) = places.iter().find(|(s, _)| *s == round.street_id) else {
                return Err(AppError::forbidden());
            };
            if round.week_start < this_week - Duration::days(7) {
                return Err(AppError::Api(ApiError::new(ErrorCode::DeadlinePassed, "这一周的测评已经结束")));
            }
            let comment = body.comment.as_deref().map(str::trim).filter(|c| !c.is_empty());
            let given = db::evaluation::RoundRating {
                rater_id: user.id(),
                community_id: community,
                rate: &body,
                comment,
                today,
                now,
            };
            let rating_id = db::evaluation::save_round_rating(conn, &round, &given)?;
            if body.dissatisfied() {
                db::voice::open_follow_up(
                    conn,
                    rating_id,
                    None,
                    round.street_id,
                    community,
                    Some(round.department_id),
                    now,
                )?;
            }
            round_dto(conn, &round, user.id(), this_week)
        })
        .await
        .map(web::Json)
}
