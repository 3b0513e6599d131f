//! Meetings (民生会议, 第六条3) as the API shows them: each with its station, recorder and the items raised at it, and
//! every station's line of the month (the month's 民情恳谈会 and the quarter's 党建联席会, or their absence).

use std::collections::HashMap;

use chrono::NaiveDate;
use shared::channels::{Attendance, Meeting, MeetingKind, StationMeetings};
use shared::dto::UnitRef;

use super::item::raised_item;
use super::people;
use crate::db::items::RaisedAt;
use crate::db::models::{MeetingRow, UnitRow};
use crate::db::{self, DbConn};
use crate::error::AppError;

/// One meeting with its station, recorder and items.
pub fn meeting_dto(conn: &mut DbConn, row: &MeetingRow) -> Result<Meeting, AppError> {
    meeting_dtos(conn, std::slice::from_ref(row))?.pop().ok_or_else(|| AppError::not_found("会议"))
}

/// Meetings with their stations, recorders and items, from a few queries however many there are.
pub fn meeting_dtos(conn: &mut DbConn, rows: &[MeetingRow]) -> Result<Vec<Meeting>, AppError> {
    let stations = db::org::by_ids(conn, &rows.iter().map(|r| r.station_id).collect::<Vec<_>>())?;
    let refs = people::unit_refs(conn, &stations)?;
    let people = people::people(conn, &rows.iter().map(|r| r.recorded_by).collect::<Vec<_>>())?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let items = db::items::raised_items(conn, RaisedAt::Meetings(&ids))?;
    rows.iter()
        .map(|row| {
            let attendees: Vec<Attendance> = serde_json::from_str(&row.attendees).unwrap_or_default();
            Ok(Meeting {
                id: row.id.clone(),
                station: refs.get(&row.station_id).cloned().ok_or_else(|| AppError::not_found("服务站"))?,
                kind: row.kind,
                held_on: row.held_on,
                attendee_total: attendees.iter().map(|a| a.count).sum(),
                attendees,
                minutes: row.minutes.clone(),
                recorded_by: people::person(&people, row.recorded_by),
                items: items
                    .iter()
                    .filter(|i| i.meeting_id.as_deref() == Some(row.id.as_str()))
                    .map(raised_item)
                    .collect(),
            })
        })
        .collect()
}

/// Each station's line: the day of the month's 民情恳谈会 (from `first`) and of the quarter's 党建联席会 (from
/// `quarter`) among `rows`, those missing one first.
pub fn station_lines(
    stations: &[UnitRow],
    refs: &HashMap<i64, UnitRef>,
    rows: &[MeetingRow],
    first: NaiveDate,
    quarter: NaiveDate,
) -> Vec<StationMeetings> {
    let mut lines: Vec<StationMeetings> = stations
        .iter()
        .filter_map(|s| refs.get(&s.id))
        .map(|r| {
            let held = |kind: MeetingKind, from: NaiveDate| {
                rows.iter()
                    .filter(|m| m.station_id == r.id && m.kind == kind && m.held_on >= from)
                    .map(|m| m.held_on)
                    .max()
            };
            let talk = held(MeetingKind::MonthlyTalk, first);
            let joint = held(MeetingKind::QuarterlyJoint, quarter);
            StationMeetings {
                station: r.clone(),
                monthly_talk_on: talk,
                quarterly_joint_on: joint,
                missing_monthly_talk: talk.is_none(),
                missing_quarterly_joint: joint.is_none(),
            }
        })
        .collect();
    lines.sort_by_key(|l| !(l.missing_monthly_talk || l.missing_quarterly_joint));
    lines
}
