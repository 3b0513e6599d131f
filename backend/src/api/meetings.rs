//! 民生会议 (第六条3): the monthly 民情恳谈会 and the quarterly 党建联席会 at each station — attendance by category,
//! minutes, the items raised — and the stations missing this month's or this quarter's meeting.

use actix_web::{web, HttpResponse};
use chrono::{NaiveDate, TimeZone};
use shared::channels::{Attendance, AttendeeCategory, Meeting, MeetingMonth, NewMeeting, MAX_NOTE_CHARS};
use shared::{ApiError, OrgKind};

use super::support::{self, MonthParams};
use crate::auth::AuthUser;
use crate::db;
use crate::db::models::MeetingRow;
use crate::error::AppError;
use crate::state::AppState;
use crate::views::meeting::{meeting_dto, meeting_dtos, station_lines};
use crate::views::people;

/// Records a meeting (station head, community secretary, street staff). The same record sent again answers the
/// meeting already made.
#[utoipa::path(post, path = "/api/meetings", tag = "routines", security(("bearer" = [])), request_body = NewMeeting,
    responses((status = 201, body = Meeting), (status = 200, description = "the same record again", body = Meeting),
              (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn record(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<NewMeeting>,
) -> Result<HttpResponse, AppError> {
    let body = body.into_inner();
    let id = support::parse_uuid("id", &body.id)?;
    let now = state.clock.now_naive();
    support::past_day("held_on", body.held_on, state.tz.from_utc_datetime(&now).date_naive())?;
    let minutes = support::required_text("minutes", "会议记录", &body.minutes, MAX_NOTE_CHARS)?;
    let mut attendees: Vec<Attendance> = Vec::new();
    for (i, a) in body.attendees.iter().enumerate() {
        if a.count > 999 {
            return Err(AppError::field(&format!("attendees[{i}].count"), "人数应在0到999之间"));
        }
        if attendees.iter().any(|b| b.category == a.category) {
            return Err(AppError::field(&format!("attendees[{i}].category"), "参会类别重复了"));
        }
        let names = support::optional_text(&format!("attendees[{i}].names"), "参会人员", &a.names, 500)?;
        attendees.push(Attendance { category: a.category, count: a.count, names });
    }
    if attendees.iter().map(|a| a.count).sum::<u32>() == 0 {
        return Err(AppError::field("attendees", "请填写参会人数"));
    }
    attendees.sort_by_key(|a| AttendeeCategory::ALL.iter().position(|c| *c == a.category));
    let hash = support::request_hash(&body)?;
    let attendees_json = serde_json::to_string(&attendees).map_err(|e| AppError::Internal(e.into()))?;
    let (meeting, created) = state
        .db
        .write(move |conn| {
            if let Some(existing) = db::routines::meeting(conn, &id)? {
                if existing.request_hash == hash && existing.recorded_by == user.id() {
                    return Ok((meeting_dto(conn, &existing)?, false));
                }
                return Err(support::id_taken("会议"));
            }
            let station = support::recording_unit(conn, &user, "station_id", body.station_id, OrgKind::Station)?;
            let row = MeetingRow {
                id,
                station_id: station.id,
                kind: body.kind,
                held_on: body.held_on,
                attendees: attendees_json,
                minutes,
                recorded_by: user.id(),
                request_hash: hash,
                created_at: now,
            };
            db::routines::insert_meeting(conn, &row)?;
            Ok((meeting_dto(conn, &row)?, true))
        })
        .await?;
    Ok(if created { HttpResponse::Created().json(meeting) } else { HttpResponse::Ok().json(meeting) })
}

/// One meeting with the items raised at it.
#[utoipa::path(get, path = "/api/meetings/{id}", tag = "routines", security(("bearer" = [])),
    responses((status = 200, body = Meeting), (status = 404, body = ApiError)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<Meeting>, AppError> {
    let id = id.into_inner();
    state
        .db
        .read(move |conn| {
            let row = db::routines::meeting(conn, &id)?.ok_or_else(|| AppError::not_found("该会议"))?;
            support::visible_unit(conn, &user, row.station_id, OrgKind::Station)
                .map_err(|_| AppError::not_found("该会议"))?;
            meeting_dto(conn, &row)
        })
        .await
        .map(web::Json)
}

/// The first day of the quarter a month is in.
fn quarter_start(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, (month - 1) / 3 * 3 + 1, 1)
}

/// The month's meetings in the viewer's scope and every station's routine: a station without the month's 民情恳谈会
/// or the quarter's 党建联席会 (up to the month's end) is flagged, those first.
#[utoipa::path(get, path = "/api/meetings", tag = "routines", security(("bearer" = [])), params(MonthParams),
    responses((status = 200, body = MeetingMonth), (status = 422, body = ApiError)))]
pub async fn month(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<MonthParams>,
) -> Result<web::Json<MeetingMonth>, AppError> {
    let q = q.into_inner();
    let (year, month) = crate::stats::month_param(state.tz, state.clock.now_naive(), q.year, q.month)?;
    let (first, next) = crate::stats::month_days(year, month).ok_or_else(|| AppError::field("month", "月份不正确"))?;
    let quarter = quarter_start(year, month).ok_or_else(|| AppError::field("month", "月份不正确"))?;
    state
        .db
        .read(move |conn| {
            let stations = support::units_in_scope(conn, &user, OrgKind::Station, None)?;
            let ids: Vec<i64> = stations.iter().map(|s| s.id).collect();
            let rows = db::routines::meetings_held_between(conn, &ids, quarter, next)?;
            let refs = people::unit_refs(conn, &stations)?;
            let lines = station_lines(&stations, &refs, &rows, first, quarter);
            let this_month: Vec<MeetingRow> = rows.iter().filter(|m| m.held_on >= first).cloned().collect();
            let meetings = meeting_dtos(conn, &this_month)?;
            Ok(MeetingMonth { year, month, meetings, stations: lines })
        })
        .await
        .map(web::Json)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    #[test]
    fn quarters_start_in_january_april_july_october() {
        let q = |m| quarter_start(2026, m).map(|d| d.month());
        assert_eq!([q(1), q(3), q(4), q(6), q(9), q(12)], [Some(1), Some(1), Some(4), Some(4), Some(7), Some(10)]);
    }
}
