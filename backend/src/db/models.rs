//! Rows as stored, with separate structs for inserts. Coded columns hold the shared enums (stored as their codes;
//! an unknown code fails the read). Conversions into the API's DTOs live in `views/`.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::channels::{MeetingKind, VisitKind};
use shared::item::{ChannelSource, FeedbackMethod, ItemStatus};
use shared::journey::{EventKind, HookKind, RejectReason};
use shared::stats::ReportStatus;
use shared::voice::{Answer, FollowUpStep};
use shared::{Channel, ItemType, Level, OrgKind, Outcome, Role};

use super::schema::*;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = org_units)]
pub struct UnitRow {
    pub id: i64,
    pub kind: OrgKind,
    pub name: String,
    pub parent_id: Option<i64>,
    pub path: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl UnitRow {
    /// Whether `other` is this unit or sits under it.
    pub fn contains(&self, other: &UnitRow) -> bool {
        other.path.starts_with(&self.path)
    }

    /// The ids on the way from the root down to this unit, itself included.
    pub fn path_ids(&self) -> Vec<i64> {
        self.path.split('/').filter_map(|s| s.parse().ok()).collect()
    }
}

#[derive(Insertable)]
#[diesel(table_name = org_units)]
pub struct NewUnit<'a> {
    pub kind: OrgKind,
    pub name: &'a str,
    pub parent_id: Option<i64>,
    pub path: &'a str,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub phone: Option<String>,
    pub display_name: String,
    pub password_hash: String,
    pub active: bool,
    pub must_change_password: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub phone: Option<&'a str>,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub active: bool,
    pub must_change_password: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = user_roles)]
pub struct RoleRow {
    pub id: i64,
    pub user_id: i64,
    pub role: Role,
    pub unit_id: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = user_roles)]
pub struct NewRole {
    pub user_id: i64,
    pub role: Role,
    pub unit_id: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: String,
    pub user_id: i64,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub revoked_reason: Option<String>,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshTokenRow {
    pub id: i64,
    pub session_id: String,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = refresh_tokens)]
pub struct NewRefreshToken<'a> {
    pub session_id: &'a str,
    pub token_hash: &'a str,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = login_attempts)]
pub struct NewLoginAttempt<'a> {
    pub login: &'a str,
    pub ip: &'a str,
    pub succeeded: bool,
    pub at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = audit_log)]
pub struct NewAudit<'a> {
    pub at: NaiveDateTime,
    pub actor_id: Option<i64>,
    pub action: &'a str,
    pub target_kind: &'a str,
    pub target_id: Option<i64>,
    pub detail: &'a str,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = items)]
#[diesel(treat_none_as_null = true)]
pub struct ItemRow {
    pub id: String,
    pub seq: i64,
    pub street_id: i64,
    pub community_id: i64,
    pub station_id: Option<i64>,
    pub grid_id: Option<i64>,
    pub building_id: Option<i64>,
    pub place_id: i64,
    pub collected_at: NaiveDateTime,
    pub collector_id: i64,
    pub channel: Channel,
    pub source: Option<ChannelSource>,
    pub item_type: ItemType,
    pub level: Level,
    pub status: ItemStatus,
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub gps_accuracy_m: Option<f64>,
    pub resident_name: Option<String>,
    pub resident_phone: Option<String>,
    pub callback_consent: bool,
    pub content: String,
    pub request_hash: String,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub stage_due_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub outcome: Option<Outcome>,
    pub result: Option<String>,
    pub told_at: Option<NaiveDateTime>,
    pub told_by: Option<i64>,
    pub told_how: Option<FeedbackMethod>,
    pub sheet_no: Option<String>,
    pub sent_at: Option<NaiveDateTime>,
    pub sent_by: Option<i64>,
    pub proposed_department_id: Option<i64>,
    pub department_id: Option<i64>,
    pub visit_id: Option<String>,
    pub meeting_id: Option<String>,
    pub reception_id: Option<String>,
    pub building_leader_id: Option<i64>,
    pub solved_on_spot: bool,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = item_photos)]
pub struct PhotoRow {
    pub id: String,
    pub item_id: Option<String>,
    pub uploader_id: i64,
    pub storage_key: String,
    pub thumb_key: String,
    pub width: i32,
    pub height: i32,
    pub bytes: i64,
    pub position: i32,
    pub created_at: NaiveDateTime,
    /// "capture" or "result" (the department's photos of the result).
    pub purpose: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = item_events)]
pub struct EventRow {
    pub id: i64,
    pub item_id: String,
    pub at: NaiveDateTime,
    pub actor_id: i64,
    pub kind: EventKind,
    pub changes: String,
}

#[derive(Insertable)]
#[diesel(table_name = item_events)]
pub struct NewEvent<'a> {
    pub item_id: &'a str,
    pub at: NaiveDateTime,
    pub actor_id: i64,
    pub kind: EventKind,
    pub changes: &'a str,
}

/// One dispatch of an item to a department, from 派单 to 返单 (or 退单).
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = dispatches)]
#[diesel(treat_none_as_null = true)]
pub struct DispatchRow {
    pub id: i64,
    pub item_id: String,
    pub department_id: i64,
    pub co_department_ids: String,
    pub dispatched_at: NaiveDateTime,
    pub dispatched_by: i64,
    pub accepted_at: Option<NaiveDateTime>,
    pub accepted_by: Option<i64>,
    pub rejected_at: Option<NaiveDateTime>,
    pub rejected_by: Option<i64>,
    pub reject_reason: Option<RejectReason>,
    pub reject_note: Option<String>,
    pub due_at: Option<NaiveDateTime>,
    pub extension_reason: Option<String>,
    pub extension_requested_at: Option<NaiveDateTime>,
    pub extension_requested_by: Option<i64>,
    pub extension_approved: Option<bool>,
    pub extension_decided_at: Option<NaiveDateTime>,
    pub extension_decided_by: Option<i64>,
    pub extension_note: Option<String>,
    pub returned_at: Option<NaiveDateTime>,
    pub returned_by: Option<i64>,
    pub solved: Option<bool>,
    pub solved_at: Option<NaiveDateTime>,
    pub solved_within_10_days: Option<bool>,
    pub onsite: Option<bool>,
    pub measures_clear: Option<bool>,
    pub measures: Option<String>,
    pub unsolved_reason: Option<String>,
    pub countermeasures: Option<String>,
    pub signed_at: Option<NaiveDateTime>,
    pub signed_by: Option<i64>,
    /// Day 10 after 接单 (第七条2), fixed by the calendar in force when the department accepted.
    pub onsite_due_at: Option<NaiveDateTime>,
}

impl DispatchRow {
    /// The co-handling departments' ids.
    pub fn co_departments(&self) -> Vec<i64> {
        serde_json::from_str(&self.co_department_ids).unwrap_or_default()
    }

    /// An extension was asked for and not yet decided.
    pub fn extension_pending(&self) -> bool {
        self.extension_requested_at.is_some() && self.extension_approved.is_none()
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = holidays)]
pub struct HolidayRow {
    pub day: chrono::NaiveDate,
    pub workday: bool,
    pub name: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = hooks)]
pub struct HookRow {
    pub id: i64,
    pub unit_id: i64,
    pub kind: HookKind,
    pub url: String,
    pub secret: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: i64,
    pub hook_id: i64,
    pub item_id: Option<String>,
    pub topic: String,
    pub title: String,
    pub body: String,
    pub link: String,
    pub created_at: NaiveDateTime,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub lease_until: Option<NaiveDateTime>,
    pub delivered_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = direct_reports)]
pub struct DirectReportRow {
    pub id: i64,
    pub item_id: String,
    pub user_id: i64,
    pub reported_at: NaiveDateTime,
    pub acknowledged_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = resident_links)]
pub struct ResidentLinkRow {
    pub id: i64,
    pub item_id: String,
    pub token_hash: String,
    pub issued_at: NaiveDateTime,
    pub issued_by: i64,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = eval_rounds)]
pub struct RoundRow {
    pub id: i64,
    pub street_id: i64,
    pub department_id: i64,
    pub week_start: chrono::NaiveDate,
    pub items: i64,
    pub opened_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ratings)]
pub struct RatingRow {
    pub id: i64,
    pub item_id: Option<String>,
    pub round_id: Option<i64>,
    pub rater_id: Option<i64>,
    pub street_id: i64,
    pub community_id: Option<i64>,
    pub department_id: Option<i64>,
    pub timely: Answer,
    pub attitude: Answer,
    pub result: Answer,
    pub not_solved: bool,
    pub comment: Option<String>,
    pub rated_on: chrono::NaiveDate,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl RatingRow {
    /// The three answers: 是否及时, 服务态度, 处理结果.
    pub fn answers(&self) -> [Answer; 3] {
        [self.timely, self.attitude, self.result]
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = follow_ups)]
pub struct FollowUpRow {
    pub id: i64,
    pub rating_id: i64,
    pub item_id: Option<String>,
    pub street_id: i64,
    pub community_id: Option<i64>,
    pub department_id: Option<i64>,
    pub opened_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
    pub sent_back_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = follow_up_steps)]
pub struct FollowUpStepRow {
    pub id: i64,
    pub follow_up_id: i64,
    pub step: FollowUpStep,
    pub text: String,
    pub at: NaiveDateTime,
    pub by_id: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = reports)]
pub struct ReportRow {
    pub id: i64,
    pub street_id: i64,
    pub year: i32,
    pub month: i32,
    pub number: i64,
    pub status: ReportStatus,
    pub section1: String,
    pub section2: String,
    pub section3: String,
    pub figures: String,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
    pub submitted_by: Option<i64>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = report_versions)]
pub struct ReportVersionRow {
    pub id: i64,
    pub report_id: i64,
    pub version: i64,
    pub section1: String,
    pub section2: String,
    pub section3: String,
    pub saved_at: NaiveDateTime,
    pub saved_by: Option<i64>,
}

/// A household, resident or compound on a grid's visit register.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::db::schema::visit_targets)]
pub struct VisitTargetRow {
    pub id: i64,
    pub grid_id: i64,
    pub register: VisitKind,
    pub name: String,
    pub address: Option<String>,
    pub note: Option<String>,
    pub active: bool,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
}

/// A grid leader's visit or WeChat-group note.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::db::schema::visits)]
pub struct VisitRow {
    pub id: String,
    pub grid_id: i64,
    pub visitor_id: i64,
    pub kind: VisitKind,
    pub target_id: Option<i64>,
    pub visited_at: NaiveDateTime,
    pub day: chrono::NaiveDate,
    pub note: String,
    pub photo_id: Option<String>,
    pub request_hash: String,
    pub created_at: NaiveDateTime,
}

/// A meeting at a station.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::db::schema::meetings)]
pub struct MeetingRow {
    pub id: String,
    pub station_id: i64,
    pub kind: MeetingKind,
    pub held_on: chrono::NaiveDate,
    pub attendees: String,
    pub minutes: String,
    pub recorded_by: i64,
    pub request_hash: String,
    pub created_at: NaiveDateTime,
}

/// A standing reception on the schedule.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = crate::db::schema::reception_plans)]
pub struct ReceptionPlanRow {
    pub id: i64,
    pub host_id: i64,
    pub station_id: i64,
    pub weekday: Option<i32>,
    pub on_date: Option<chrono::NaiveDate>,
    pub active: bool,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
}

/// A reception's record.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::db::schema::receptions)]
pub struct ReceptionRow {
    pub id: String,
    pub station_id: i64,
    pub host_id: i64,
    pub held_on: chrono::NaiveDate,
    pub residents: i32,
    pub notes: String,
    pub recorded_by: i64,
    pub request_hash: String,
    pub created_at: NaiveDateTime,
}

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;
    use diesel::dsl::sql;
    use diesel::prelude::*;
    use diesel::sql_types::Text;
    use shared::item::ItemStatus;
    use shared::OrgKind;

    use super::UnitRow;
    use crate::db::schema::org_units;
    use crate::db::DbConn;

    /// A migrated in-memory database, through the same connection type as the server's.
    fn database() -> DbConn {
        let mut conn = DbConn::Sqlite(diesel::SqliteConnection::establish(":memory:").unwrap());
        super::super::run_migrations(&mut conn).unwrap();
        conn
    }

    #[test]
    fn a_coded_column_holds_the_code_and_reads_back_the_enum() {
        let mut conn = database();
        let code: String = diesel::select(ItemStatus::InProgress.into_sql::<Text>()).get_result(&mut conn).unwrap();
        assert_eq!(code, "in_progress");
        let status: ItemStatus = diesel::select(sql::<Text>("'awaiting_signoff'")).get_result(&mut conn).unwrap();
        assert_eq!(status, ItemStatus::AwaitingSignoff);
        let kind: Option<OrgKind> =
            diesel::select(sql::<diesel::sql_types::Nullable<Text>>("NULL")).get_result(&mut conn).unwrap();
        assert_eq!(kind, None);
    }

    /// The whole message of an error, its causes included, as the log shows an internal error.
    fn logged(err: diesel::result::Error) -> String {
        match crate::error::AppError::from(err) {
            crate::error::AppError::Internal(cause) => format!("{cause:#}"),
            other => panic!("not an internal error: {other:?}"),
        }
    }

    #[test]
    fn an_unknown_code_in_a_row_is_an_error_naming_the_type_and_the_value() {
        let mut conn = database();
        // A label is what people see, never what is stored: it does not read either.
        let label = diesel::select(sql::<Text>("'部门办理中'")).get_result::<ItemStatus>(&mut conn).unwrap_err();
        assert!(logged(label).ends_with(r#"unknown ItemStatus code "部门办理中" in the database"#));
        conn.batch_execute(
            "INSERT INTO org_units (kind, name, parent_id, path, active, created_at, updated_at) \
             VALUES ('planet', '火星', NULL, '', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
        )
        .unwrap();
        let err = org_units::table.select(UnitRow::as_select()).load(&mut conn).unwrap_err();
        assert_eq!(logged(err), r#"Error deserializing field 'kind': unknown OrgKind code "planet" in the database"#);
    }
}
