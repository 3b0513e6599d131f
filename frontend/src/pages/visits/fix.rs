//! 修改 of a visit the server refused after it was kept on the phone (`/visits?outbox=<id>`, from /outbox): its card's
//! form opens filled from the record, with the server's reason, and the record leaves the outbox once the visit is
//! saved.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use shared::channels::{NewVisit, VisitKind, VisitTarget};
use shared::{ApiError, ErrorCode};

use super::form::VisitForm;
use crate::components::photo_slots::{Slot, SlotState};
use crate::{format, outbox, photo};

/// A refused visit of the outbox being fixed in its card's form.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Fixing {
    /// The outbox record: it leaves the outbox once the fixed visit is on the server or queued again.
    pub(super) record_id: String,
    pub(super) kind: VisitKind,
    /// The time the visit is sent with: its own, or none when it is noted at the time of saving.
    pub(super) at: Option<DateTime<Utc>>,
    /// Its own time is before yesterday, when visits may no longer be noted: it is noted for today.
    pub(super) too_old: bool,
}

/// Whether a visit made at `at` may still be noted at `now`: yesterday or today in the city (as the server checks).
fn still_notable(at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    let today = format::city_time(now).date();
    today.pred_opt().is_some_and(|yesterday| format::city_time(at).date() >= yesterday)
}

/// Whether the fixed visit goes under the refused record's id. A refusal (422) saved nothing, so the id is free (and
/// an item raised at the visit stays linked to it); a 409 says the server holds another visit under this id, so the
/// fix needs an id of its own.
fn keeps_id(error: Option<&ApiError>) -> bool {
    !error.is_some_and(|e| e.code == ErrorCode::Conflict)
}

/// The register entry of a refused visit, when it is still on that register.
fn still_listed(body: &NewVisit, targets: &[VisitTarget]) -> Option<i64> {
    let id = body.target_id?;
    targets.iter().any(|t| t.id == id && t.active && t.register == body.kind).then_some(id)
}

/// How the fix of a refused record starts: the time it keeps, or none when it is noted at the time of saving.
fn fixing_of(record_id: &str, body: &NewVisit, queued_at: f64, error: Option<&ApiError>, now: DateTime<Utc>) -> Fixing {
    let was = body.visited_at.or_else(|| chrono::DateTime::from_timestamp_millis(queued_at as i64)).unwrap_or(now);
    let too_old = !still_notable(was, now);
    // Refused for its time (a phone clock ahead of the server's, too): noted at the time of saving.
    let refused_on_time = error.is_some_and(|e| e.field.as_deref() == Some("visited_at"));
    let at = (!too_old && !refused_on_time).then_some(was);
    Fixing { record_id: record_id.to_string(), kind: body.kind, at, too_old }
}

/// Reads the refused record `id` of the outbox and opens its card's form with it: kind, the entry when still on its
/// register, note, the photo when the record still holds it (or it is on the server already), and the server's
/// reason on the field it names. A record not refused (sent meanwhile, or waiting) is left to the outbox.
pub(super) async fn open_refused(form: VisitForm, grids: Vec<i64>, id: String) {
    let Some(record) = outbox::record(&id).await.filter(|r| r.needs_fix) else { return };
    let Some(body) = record.visit_body() else { return };
    let grid =
        body.grid_id.filter(|g| grids.contains(g)).or_else(|| form.grid_id.try_get_untracked()).unwrap_or_default();
    let targets_path = format!("/api/visit-targets?grid_id={grid}");
    let targets = outbox::get_cached::<Vec<VisitTarget>>(&targets_path).await.unwrap_or_default();
    let fixing = fixing_of(&id, &body, record.queued_at, record.error.as_ref(), format::now());
    let visit_id = if keeps_id(record.error.as_ref()) { id.clone() } else { photo::new_uuid() };
    let mut error = record.error.clone();
    // The photo: its shrunk copy from the record (to upload once more when it had not gone up), or, uploaded before
    // the visit was kept, the server's.
    let mut blob = None;
    let photo = body.photo_id.as_ref().and_then(|pid| {
        let queued = record.photos.iter().find(|p| &p.id == pid);
        let (state, transient) = match queued {
            None => (SlotState::Done, false),
            Some(p) if p.uploaded => (SlotState::Done, false),
            Some(p) if p.blob.is_some() => (SlotState::Failed, true),
            Some(_) => {
                // Named, never uploaded, and its copy is gone: the visit goes without it unless another is taken.
                if error.as_ref().is_none_or(|e| e.field.is_none() || e.field.as_deref() == Some("photo_id")) {
                    error = Some(ApiError::field("photo_id", "照片已不在本机，可重新拍照，或不带照片保存"));
                }
                return None;
            }
        };
        let copy = queued.and_then(|p| p.blob.clone());
        let error = transient.then(|| "照片还没有上传，联网后随走访一起上传".to_string());
        let slot = Slot::kept(pid.clone(), state, copy.as_ref(), error, transient);
        if transient {
            blob = copy.map(|b| (pid.clone(), b));
        }
        Some(slot)
    });
    if form.grid_id.try_get_untracked() != Some(grid) {
        let _ = form.grid_id.try_set(grid);
    }
    let target = still_listed(&body, &targets);
    let upload = photo.as_ref().filter(|p| p.transient).map(|p| p.id.clone());
    form.open_fix(fixing, visit_id, &body, target, photo, blob, error);
    // Online: the photo goes up now, as a photo picked in the form does.
    if let Some(pid) = upload.filter(|_| !outbox::offline()) {
        form.photo.upload(pid).await;
    }
}

/// Once the fixed visit is on the server, or queued again under another id, the refused record leaves the outbox
/// (queued under the same id, it was replaced).
pub(super) async fn leave_outbox(fixing: Option<Fixing>, id: &str, sent: bool) {
    if let Some(f) = fixing {
        if sent || f.record_id != id {
            outbox::remove(&f.record_id).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use shared::dto::UnitRef;
    use shared::OrgKind;

    const GRID: i64 = 7;

    fn grid(id: i64) -> UnitRef {
        UnitRef { id, kind: OrgKind::Grid, name: "第一网格".into(), full_name: "第一网格".into() }
    }

    /// A register visit kept on the phone, of entry 1.
    fn visit_body(id: &str) -> NewVisit {
        NewVisit {
            id: id.into(),
            grid_id: Some(GRID),
            kind: VisitKind::SpecialGroup,
            target_id: Some(1),
            visited_at: None,
            note: "待上传的走访".into(),
            photo_id: None,
        }
    }

    fn refused(field: &str, code: ErrorCode) -> ApiError {
        ApiError { code, ..ApiError::field(field, "被拒绝") }
    }

    #[test]
    fn a_refused_visit_keeps_its_time_while_it_may_still_be_noted() {
        // Now: 2026-03-02 10:00 in the city.
        let now = Utc.with_ymd_and_hms(2026, 3, 2, 2, 0, 0).unwrap();
        let mut body = visit_body("r");
        let target_gone = refused("target_id", ErrorCode::Validation);

        // 2026-03-01 00:30 in the city: yesterday, kept as it was.
        let yesterday = Utc.with_ymd_and_hms(2026, 2, 28, 16, 30, 0).unwrap();
        body.visited_at = Some(yesterday);
        let f = fixing_of("r", &body, 0.0, Some(&target_gone), now);
        assert_eq!(
            f,
            Fixing { record_id: "r".into(), kind: VisitKind::SpecialGroup, at: Some(yesterday), too_old: false }
        );

        // 2026-02-28 23:59 in the city: the day before yesterday, noted for today instead.
        let too_old = Utc.with_ymd_and_hms(2026, 2, 28, 15, 59, 0).unwrap();
        body.visited_at = Some(too_old);
        let f = fixing_of("r", &body, 0.0, Some(&refused("visited_at", ErrorCode::Validation)), now);
        assert!(f.at.is_none() && f.too_old, "{f:?}");

        // No time of its own: the time it was queued counts.
        body.visited_at = None;
        let f = fixing_of("r", &body, too_old.timestamp_millis() as f64, Some(&target_gone), now);
        assert!(f.at.is_none() && f.too_old, "{f:?}");
        let f = fixing_of("r", &body, yesterday.timestamp_millis() as f64, Some(&target_gone), now);
        assert_eq!(f.at, Some(yesterday));

        // Refused for its time although the phone thinks it recent (clocks apart): noted now, not said to be old.
        body.visited_at = Some(now);
        let f = fixing_of("r", &body, 0.0, Some(&refused("visited_at", ErrorCode::Validation)), now);
        assert!(f.at.is_none() && !f.too_old, "{f:?}");
    }

    #[test]
    fn a_refused_visit_keeps_its_id_unless_the_id_clashed() {
        assert!(keeps_id(Some(&refused("target_id", ErrorCode::Validation))), "a 422 saved nothing");
        assert!(keeps_id(Some(&refused("note", ErrorCode::Validation))));
        assert!(keeps_id(None));
        assert!(!keeps_id(Some(&refused("id", ErrorCode::Conflict))), "a 409: the server holds another visit");
    }

    #[test]
    fn a_refused_visit_keeps_its_entry_only_while_it_is_on_that_register() {
        let target = |id: i64, register: VisitKind, active: bool| VisitTarget {
            id,
            grid: grid(GRID),
            register,
            name: format!("对象{id}"),
            address: None,
            note: None,
            active,
            last_visited_on: None,
        };
        let body = visit_body("r");
        assert_eq!(body.target_id, Some(1));
        assert_eq!(still_listed(&body, &[target(1, VisitKind::SpecialGroup, true)]), Some(1));
        assert_eq!(still_listed(&body, &[target(1, VisitKind::SpecialGroup, false)]), None, "taken off");
        assert_eq!(still_listed(&body, &[target(1, VisitKind::ManyDemands, true)]), None, "another register");
        assert_eq!(still_listed(&body, &[target(2, VisitKind::SpecialGroup, true)]), None, "gone");
    }
}
