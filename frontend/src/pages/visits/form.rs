//! The visit form's state, shared by the cards (one form is open at a time): what is filled in, the id kept until the
//! visit is saved (so a retry records it once), a refused record being fixed, and saving.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use shared::channels::{NewVisit, Visit, VisitKind, VisitTarget, MAX_NOTE_CHARS};
use shared::{ApiError, ErrorCode, Problem};

use super::fix::{leave_outbox, Fixing};
use crate::components::form_errors::{problem, refusal};
use crate::components::photo_slots::{PhotoSlots, Slot, SlotState};
use crate::{api, outbox, photo};

/// The visit form's state, shared by the cards (one form is open at a time).
#[derive(Clone, Copy)]
pub(super) struct VisitForm {
    pub(super) grid_id: RwSignal<i64>,
    /// The card whose form is open.
    pub(super) open: RwSignal<Option<VisitKind>>,
    pub(super) target: RwSignal<Option<i64>>,
    pub(super) note: RwSignal<String>,
    pub(super) raises_item: RwSignal<bool>,
    /// The visit's one optional photo.
    pub(super) photo: PhotoSlots,
    pub(super) error: RwSignal<Option<ApiError>>,
    pub(super) saving: RwSignal<bool>,
    /// The id of the visit being recorded, by card: kept until it is saved, so a retry sends the same id.
    pub(super) pending: StoredValue<HashMap<VisitKind, String>>,
    /// What the last save did.
    pub(super) done_note: RwSignal<Option<String>>,
    /// Bumped to load the day again.
    pub(super) version: RwSignal<u32>,
    /// A refused visit of the outbox being fixed in the open form.
    pub(super) fixing: RwSignal<Option<Fixing>>,
    /// Scroll the open form into view once it is drawn (a fix opened from /outbox).
    pub(super) reveal: StoredValue<bool>,
}

impl VisitForm {
    pub(super) fn new(grid_id: i64) -> Self {
        Self {
            grid_id: RwSignal::new(grid_id),
            open: RwSignal::new(None),
            target: RwSignal::new(None),
            note: RwSignal::new(String::new()),
            raises_item: RwSignal::new(false),
            photo: PhotoSlots::new(Vec::new()),
            error: RwSignal::new(None),
            saving: RwSignal::new(false),
            pending: StoredValue::new(HashMap::new()),
            done_note: RwSignal::new(None),
            version: RwSignal::new(0),
            fixing: RwSignal::new(None),
            reveal: StoredValue::new(false),
        }
    }

    /// Opens the form of a card, empty (one entry on the register is chosen already).
    pub(super) fn open_card(&self, kind: VisitKind, entries: &[VisitTarget]) {
        if self.open.get_untracked() == Some(kind) {
            return;
        }
        self.stop_fixing();
        self.photo.clear();
        self.target.set(match entries {
            [only] => Some(only.id),
            _ => None,
        });
        self.note.set(String::new());
        self.raises_item.set(false);
        self.error.set(None);
        self.done_note.set(None);
        self.open.set(Some(kind));
    }

    pub(super) fn close(&self) {
        self.stop_fixing();
        self.photo.clear();
        self.open.set(None);
        self.error.set(None);
    }

    /// Opens the form of a refused visit's card, filled from its record (called once the record is read).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn open_fix(
        &self,
        fixing: Fixing,
        id: String,
        body: &NewVisit,
        target: Option<i64>,
        photo: Option<Slot>,
        blob: Option<(String, web_sys::Blob)>,
        error: Option<ApiError>,
    ) {
        let kind = fixing.kind;
        self.photo.replace(photo.into_iter().collect(), blob.into_iter().collect());
        let _ = self.target.try_set(target);
        let _ = self.note.try_set(body.note.clone());
        let _ = self.raises_item.try_set(false);
        let _ = self.error.try_set(error);
        let _ = self.done_note.try_set(None);
        let _ = self.pending.try_update_value(|m| {
            m.insert(kind, id);
        });
        let _ = self.fixing.try_set(Some(fixing));
        self.reveal.try_set_value(true);
        let _ = self.open.try_set(Some(kind));
    }

    /// Leaves a fix unfinished: the record stays on /outbox, and the card's next visit gets an id of its own.
    pub(super) fn stop_fixing(&self) {
        if let Some(f) = self.fixing.get_untracked() {
            self.pending.update_value(|m| {
                m.remove(&f.kind);
            });
            self.fixing.set(None);
        }
    }

    /// The fix under way in this card's form.
    pub(super) fn fixing_of(&self, kind: VisitKind) -> Option<Fixing> {
        self.fixing.get_untracked().filter(|f| f.kind == kind)
    }

    /// The id for this card's visit: the one of an earlier attempt, or a new one.
    pub(super) fn visit_id(&self, kind: VisitKind) -> String {
        self.pending.update_value(|m| {
            m.entry(kind).or_insert_with(photo::new_uuid);
        });
        self.pending.with_value(|m| m.get(&kind).cloned()).unwrap_or_else(photo::new_uuid)
    }

    pub(super) fn uploading(&self) -> bool {
        self.photo.uploading()
    }

    /// Checks the form as the server will and builds the request.
    pub(super) fn request(&self, kind: VisitKind) -> Result<NewVisit, ApiError> {
        let mut problems: Vec<Problem> = Vec::new();
        let mut found = |field: &str, message: &str| problems.push(problem(field, message));
        let target = self.target.get_untracked();
        if kind.is_register() && target.is_none() {
            found("target_id", "请选择走访对象");
        }
        let note = self.note.get_untracked().trim().to_string();
        if note.is_empty() {
            found("note", if kind.is_register() { "请填写走访情况" } else { "请填写群里反映的情况" });
        } else if note.chars().count() > MAX_NOTE_CHARS {
            found("note", "内容不能超过2000个字");
        }
        let photo = self.photo.with_untracked(|v| v.first().cloned());
        let queued = !self.photo.queued().is_empty();
        if photo.as_ref().is_some_and(|p| p.state == SlotState::Failed) && !queued {
            found("photo_id", "照片没有上传成功，请点「重试」或删除照片");
        }
        if let Some(e) = refusal(problems) {
            return Err(e);
        }
        Ok(NewVisit {
            id: self.visit_id(kind),
            grid_id: Some(self.grid_id.get_untracked()),
            kind,
            target_id: if kind.is_register() { target } else { None },
            // When it was noted, on the phone: a resend after midnight (from the outbox) still counts for its day. A
            // fixed visit keeps its own time, unless it is too old to be noted.
            visited_at: Some(self.fixing_of(kind).and_then(|f| f.at).unwrap_or_else(crate::format::now)),
            note,
            photo_id: photo.filter(|p| p.state == SlotState::Done || queued).map(|p| p.id),
        })
    }

    /// Saves the card's visit: to the server, or to the outbox with no network or a photo still to upload (a refused
    /// record being fixed gives way to it); with 有诉求 it goes on to the capture form, linked to the visit.
    pub(super) fn save(self, kind: VisitKind, navigate: impl Fn(&str, NavigateOptions) + Clone + 'static) {
        if self.saving.get_untracked() || self.uploading() {
            return;
        }
        let body = match self.request(kind) {
            Ok(b) => b,
            Err(e) => {
                self.error.set(Some(e));
                return;
            }
        };
        self.error.set(None);
        self.saving.set(true);
        let raises = self.raises_item.get_untracked();
        // A refused record of the outbox being fixed: it gives way to this save.
        let fixing = self.fixing_of(kind);
        // Kept on the phone for the outbox to send; then like a save (to the capture form when it raises an item).
        let kept = move |body: NewVisit, navigate: &dyn Fn(&str)| {
            self.pending.update_value(|m| {
                m.remove(&kind);
            });
            let _ = self.fixing.try_set(None);
            self.photo.release();
            if raises {
                let source = if kind.is_register() { "visit" } else { "wechat_group" };
                let grid = body.grid_id.unwrap_or_else(|| self.grid_id.get_untracked());
                navigate(&format!("/capture?visit={}&grid={grid}&source={source}", api::encode(&body.id)));
                return;
            }
            self.photo.clear();
            let _ = self.open.try_set(None);
            let _ = self.done_note.try_set(Some(outbox::SAVED_ON_PHONE.to_string()));
        };
        let photos = self.photo.queued();
        if outbox::offline() || !photos.is_empty() {
            spawn_local(async move {
                match outbox::queue_visit(&body, photos).await {
                    Ok(()) => {
                        leave_outbox(fixing, &body.id, false).await;
                        kept(body, &|to: &str| navigate(to, Default::default()));
                    }
                    Err(m) => {
                        let _ = self.error.try_set(Some(api::local_error(ErrorCode::Internal, &m)));
                    }
                }
                let _ = self.saving.try_set(false);
            });
            return;
        }
        spawn_local(async move {
            let result = api::post::<_, Visit>("/api/visits", &body).await;
            // The request may or may not have landed: the outbox sends the very same body again (same id).
            let result = match result {
                Err(e) if outbox::transient(&e) => match outbox::queue_visit(&body, Vec::new()).await {
                    Ok(()) => {
                        leave_outbox(fixing, &body.id, false).await;
                        kept(body, &|to: &str| navigate(to, Default::default()));
                        let _ = self.saving.try_set(false);
                        return;
                    }
                    Err(_) => Err(e),
                },
                other => other,
            };
            match result {
                Ok(v) => {
                    leave_outbox(fixing, &v.id, true).await;
                    let _ = self.fixing.try_set(None);
                    self.pending.update_value(|m| {
                        m.remove(&kind);
                    });
                    self.photo.release();
                    if raises {
                        let source = if kind.is_register() { "visit" } else { "wechat_group" };
                        navigate(
                            &format!("/capture?visit={}&grid={}&source={source}", api::encode(&v.id), v.grid.id),
                            Default::default(),
                        );
                        return;
                    }
                    let whom = v.target.map(|t| format!(" {}", t.name)).unwrap_or_default();
                    let label = if kind.is_register() { kind.label() } else { "网格微信群" };
                    self.photo.clear();
                    let _ = self.open.try_set(None);
                    let _ = self.done_note.try_set(Some(format!("已记录：{label}{whom}")));
                    self.version.try_update(|v| *v += 1);
                }
                Err(e) => {
                    if e.code == ErrorCode::Conflict {
                        // This id was used with another record (an earlier attempt did land): start afresh.
                        self.pending.update_value(|m| {
                            m.remove(&kind);
                        });
                        self.version.try_update(|v| *v += 1);
                    }
                    let _ = self.error.try_set(Some(e));
                }
            }
            let _ = self.saving.try_set(false);
        });
    }
}
