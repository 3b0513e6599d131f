//! 今日走访: the grid leader's day (第六条2). Three big cards, one per register — 特殊群体, 诉求较多居民, 问题较多小区 —
//! each done once a day, and the grid's WeChat group. Tapping a card opens the form in place: whom (from the
//! register), what was seen and said, an optional photo, and whether a concern is to be registered (then the capture
//! form opens, linked to the visit). The visit's id is made here and kept until it is saved, so a retry after a lost
//! signal records it once. A visit the server refused after it was kept on the phone is fixed here too
//! (`/visits?outbox=<id>`, 修改 on /outbox): its card's form opens filled from the record, with the server's reason.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::channels::{GridDay, NewVisit, Visit, VisitKind, VisitTarget, MAX_NOTE_CHARS};
use shared::dto::UnitRef;
use shared::{ApiError, ErrorCode, Problem, Role};

use crate::api;
use crate::components::form_errors::{clear_field, general_error, problem, refusal};
use crate::components::gatherings::raised_links;
use crate::components::photo_slots::{PhotoSlotView, PhotoSlots, Slot, SlotState};
use crate::components::{names_field, not_for_you, ErrorBox, FieldError, Loading, TopBar};
use crate::format::{self, clock_time, day_title};
use crate::outbox;
use crate::photo;
use crate::state;

/// How many register visits make a full day.
const SLOTS: usize = VisitKind::REGISTERS.len();

/// Fields shown next to their input in the visit form; other errors go to the form's error box.
const INLINE_FIELDS: &[&str] = &["target_id", "note", "photo_id", "visited_at"];

/// The grids the account leads.
fn led_grids() -> Vec<UnitRef> {
    state::current()
        .map(|s| s.me.roles.iter().filter(|r| r.role == Role::GridLeader).map(|r| r.unit.clone()).collect())
        .unwrap_or_default()
}

/// The home page's tile for grid leaders: 今日走访 with the day's count (visits still on the phone count too).
#[component]
pub(crate) fn VisitsTile() -> impl IntoView {
    let queued = queued_visits_memo();
    // Loaded again whenever the visits on the phone change, so one the outbox has just sent is counted from the server.
    let day = LocalResource::new(move || {
        let queued = queued.get();
        async move {
            let d = api::get::<GridDay>("/api/visits/day").await?;
            Ok::<_, ApiError>((merge_day(&d, &queued).slots_done, d.items_raised))
        }
    });
    let text = move || match day.get() {
        Some(Ok((done, raised))) => format!("已走访 {done}/{SLOTS}，今日登记民情{raised}条"),
        _ => "每天走访特殊群体、诉求较多居民、问题较多小区各一次".to_string(),
    };
    let done = move || matches!(day.get(), Some(Ok((done, _))) if done >= SLOTS);
    view! {
        <a class="tile visits-tile" id="visits-link" href="/visits" class:all-done=done>
            <span class="tile-title">"今日走访"</span>
            <span class="tile-text" id="visits-tile-count">{text}</span>
        </a>
    }
}

// ---------- visits still on the phone ----------

/// A visit kept in the outbox, not yet on the server.
#[derive(Debug, Clone, PartialEq)]
struct QueuedVisit {
    body: NewVisit,
    /// When it was noted: its `visited_at`, or when it was queued.
    at: chrono::DateTime<chrono::Utc>,
    /// The server refused it: it waits on /outbox for the user.
    refused: bool,
}

/// The account's visits among the outbox's records.
fn queued_visits(entries: &[outbox::Entry], user: Option<i64>) -> Vec<QueuedVisit> {
    entries
        .iter()
        .filter(|e| Some(e.user_id) == user)
        .filter_map(|e| {
            let body = e.visit.clone()?;
            let at = body.visited_at.or_else(|| chrono::DateTime::from_timestamp_millis(e.queued_at as i64))?;
            Some(QueuedVisit { body, at, refused: e.needs_fix })
        })
        .collect()
}

/// The signed-in account's visits in the outbox; a new value only when they change.
fn queued_visits_memo() -> Memo<Vec<QueuedVisit>> {
    let entries = outbox::entries();
    let user = state::session();
    Memo::new(move |_| {
        let me = user.with(|s| s.as_ref().map(|s| s.me.id));
        entries.with(|l| queued_visits(l, me))
    })
}

/// One card's visits: those the server holds and those still on the phone.
#[derive(Debug, Clone, PartialEq)]
struct SlotVisits {
    kind: VisitKind,
    /// A visit on the server or on the phone.
    done: bool,
    saved: Vec<Visit>,
    queued: Vec<QueuedVisit>,
}

/// A day as the page shows it.
#[derive(Debug, Clone, PartialEq)]
struct MergedDay {
    /// The three registers, in the server's order.
    slots: Vec<SlotVisits>,
    wechat: SlotVisits,
    /// Registers with a visit on the server or on the phone.
    slots_done: usize,
}

/// The server's day with the visits on the phone for the same grid and day (city time) added to their cards; a
/// visit the server holds already (same id) is shown once, as the server's.
fn merge_day(d: &GridDay, queued: &[QueuedVisit]) -> MergedDay {
    let saved_ids: std::collections::HashSet<&str> =
        d.slots.iter().flat_map(|s| &s.visits).chain(&d.wechat).map(|v| v.id.as_str()).collect();
    let of_kind = |kind: VisitKind| -> Vec<QueuedVisit> {
        queued
            .iter()
            .filter(|q| q.body.kind == kind && q.body.grid_id == Some(d.grid.id))
            .filter(|q| format::city_time(q.at).date() == d.date && !saved_ids.contains(q.body.id.as_str()))
            .cloned()
            .collect()
    };
    let slot = |kind: VisitKind, server_done: bool, saved: &[Visit]| {
        let queued = of_kind(kind);
        SlotVisits { kind, done: server_done || !queued.is_empty(), saved: saved.to_vec(), queued }
    };
    let slots: Vec<SlotVisits> = d.slots.iter().map(|s| slot(s.kind, s.done, &s.visits)).collect();
    let slots_done = slots.iter().filter(|s| s.done).count();
    let wechat = slot(VisitKind::WechatGroup, !d.wechat.is_empty(), &d.wechat);
    MergedDay { slots, wechat, slots_done }
}

// ---------- 修改 of a visit the server refused ----------

/// A refused visit of the outbox being fixed in its card's form.
#[derive(Debug, Clone, PartialEq)]
struct Fixing {
    /// The outbox record: it leaves the outbox once the fixed visit is on the server or queued again.
    record_id: String,
    kind: VisitKind,
    /// The time the visit is sent with: its own, or none when it is noted at the time of saving.
    at: Option<chrono::DateTime<chrono::Utc>>,
    /// Its own time is before yesterday, when visits may no longer be noted: it is noted for today.
    too_old: bool,
}

/// Whether a visit made at `at` may still be noted at `now`: yesterday or today in the city (as the server checks).
fn still_notable(at: chrono::DateTime<chrono::Utc>, now: chrono::DateTime<chrono::Utc>) -> bool {
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
fn fixing_of(
    record_id: &str,
    body: &NewVisit,
    queued_at: f64,
    error: Option<&ApiError>,
    now: chrono::DateTime<chrono::Utc>,
) -> Fixing {
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
async fn open_refused(form: VisitForm, grids: Vec<i64>, id: String) {
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
async fn leave_outbox(fixing: Option<Fixing>, id: &str, sent: bool) {
    if let Some(f) = fixing {
        if sent || f.record_id != id {
            outbox::remove(&f.record_id).await;
        }
    }
}

// ---------- the form ----------

/// The visit form's state, shared by the cards (one form is open at a time).
#[derive(Clone, Copy)]
struct VisitForm {
    grid_id: RwSignal<i64>,
    /// The card whose form is open.
    open: RwSignal<Option<VisitKind>>,
    target: RwSignal<Option<i64>>,
    note: RwSignal<String>,
    raises_item: RwSignal<bool>,
    /// The visit's one optional photo.
    photo: PhotoSlots,
    error: RwSignal<Option<ApiError>>,
    saving: RwSignal<bool>,
    /// The id of the visit being recorded, by card: kept until it is saved, so a retry sends the same id.
    pending: StoredValue<HashMap<VisitKind, String>>,
    /// What the last save did.
    done_note: RwSignal<Option<String>>,
    /// Bumped to load the day again.
    version: RwSignal<u32>,
    /// A refused visit of the outbox being fixed in the open form.
    fixing: RwSignal<Option<Fixing>>,
    /// Scroll the open form into view once it is drawn (a fix opened from /outbox).
    reveal: StoredValue<bool>,
}

impl VisitForm {
    fn new(grid_id: i64) -> Self {
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
    fn open_card(&self, kind: VisitKind, entries: &[VisitTarget]) {
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

    fn close(&self) {
        self.stop_fixing();
        self.photo.clear();
        self.open.set(None);
        self.error.set(None);
    }

    /// Opens the form of a refused visit's card, filled from its record (called once the record is read).
    #[allow(clippy::too_many_arguments)]
    fn open_fix(
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
    fn stop_fixing(&self) {
        if let Some(f) = self.fixing.get_untracked() {
            self.pending.update_value(|m| {
                m.remove(&f.kind);
            });
            self.fixing.set(None);
        }
    }

    /// The fix under way in this card's form.
    fn fixing_of(&self, kind: VisitKind) -> Option<Fixing> {
        self.fixing.get_untracked().filter(|f| f.kind == kind)
    }

    /// The id for this card's visit: the one of an earlier attempt, or a new one.
    fn visit_id(&self, kind: VisitKind) -> String {
        self.pending.update_value(|m| {
            m.entry(kind).or_insert_with(photo::new_uuid);
        });
        self.pending.with_value(|m| m.get(&kind).cloned()).unwrap_or_else(photo::new_uuid)
    }

    fn uploading(&self) -> bool {
        self.photo.uploading()
    }

    /// Checks the form as the server will and builds the request.
    fn request(&self, kind: VisitKind) -> Result<NewVisit, ApiError> {
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
}

#[component]
pub fn VisitsPage() -> impl IntoView {
    let grids = led_grids();
    let Some(first) = grids.first().cloned() else {
        return not_for_you("今日走访", "今日走访供网格长使用：每天走访特殊群体、诉求较多居民、问题较多小区各一次。")
            .into_any();
    };
    let asked: Option<i64> = use_query_map().get_untracked().get("grid_id").and_then(|v| v.parse().ok());
    let start = asked.filter(|g| grids.iter().any(|u| u.id == *g)).unwrap_or(first.id);
    let form = VisitForm::new(start);
    let queued = queued_visits_memo();
    // 修改 of a visit the server refused (`?outbox=<id>`): its card's form opens filled from the record.
    if let Some(id) = use_query_map().get_untracked().get("outbox") {
        let grid_ids: Vec<i64> = grids.iter().map(|g| g.id).collect();
        spawn_local(open_refused(form, grid_ids, id));
    }

    // The day and the registers, loaded together so the cards are drawn once per refresh; loaded again whenever the
    // visits on the phone change, so one the outbox has just sent shows as the server's, never twice and never gone.
    let day = LocalResource::new(move || {
        form.version.track();
        let g = form.grid_id.get();
        let queued = queued.get();
        async move {
            let day_path = format!("/api/visits/day?grid_id={g}");
            let targets_path = format!("/api/visit-targets?grid_id={g}");
            let (day, targets) =
                // Kept on the phone, so a visit can be recorded with no network.
                futures::future::join(
                    outbox::get_cached::<GridDay>(&day_path),
                    outbox::get_cached::<Vec<VisitTarget>>(&targets_path),
                )
                .await;
            Ok::<_, ApiError>((day?, targets?, queued))
        }
    });

    let grid_chips = (grids.len() > 1).then(|| {
        let chips = grids
            .iter()
            .map(|g| {
                let id = g.id;
                let on = move || form.grid_id.get() == id;
                view! {
                    <button type="button" class="chip" class:selected=on aria-pressed=move || on().to_string()
                        data-grid-id=id.to_string()
                        on:click=move |_| {
                            if form.grid_id.get_untracked() != id {
                                form.close();
                                form.done_note.set(None);
                                form.grid_id.set(id);
                            }
                        }>{g.name.clone()}</button>
                }
            })
            .collect_view();
        view! { <div class="chips grid-chips" role="group" aria-label="网格">{chips}</div> }
    });

    let body = move || match day.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => view! {
            <ErrorBox error=Signal::stored(Some(e))/>
            <button type="button" class="big" on:click=move |_| form.version.update(|v| *v += 1)>"重新加载"</button>
        }
        .into_any(),
        Some(Ok((d, t, q))) => day_view(form, d, t, &q).into_any(),
    };

    view! {
        <div id="visits-page" class="page visits-page">
            <TopBar title="今日走访" back="/"/>
            {grid_chips}
            {move || form.done_note.get().map(|m| view! {
                <p id="visit-done" class="success" role="status">{m}
                    <button type="button" class="link-button" on:click=move |_| form.done_note.set(None)>"知道了"</button>
                </p>
            })}
            {body}
            <a id="registers-link" class="button big registers-button"
                href=move || format!("/visits/registers?grid_id={}", form.grid_id.get())>"登记册"</a>
        </div>
    }
    .into_any()
}

/// The day: its count and the four cards.
fn day_view(form: VisitForm, d: GridDay, targets: Vec<VisitTarget>, queued: &[QueuedVisit]) -> impl IntoView {
    let day = merge_day(&d, queued);
    // Every entry's name, those off the register too: a visit on the phone names its target by id.
    let names: HashMap<i64, String> = targets.iter().map(|t| (t.id, t.name.clone())).collect();
    let mut by_register: HashMap<VisitKind, Vec<VisitTarget>> = HashMap::new();
    for t in targets.into_iter().filter(|t| t.active) {
        by_register.entry(t.register).or_default().push(t);
    }
    let slots = day
        .slots
        .into_iter()
        .map(|s| {
            let entries = by_register.remove(&s.kind).unwrap_or_default();
            slot_card(form, s, entries, &names)
        })
        .collect_view();
    let all_done = day.slots_done >= SLOTS;
    view! {
        <section id="visits-summary" class="card visits-summary" class:all-done=all_done
            data-done=day.slots_done.to_string()>
            <div class="summary-head">
                <h2>{d.grid.name.clone()}</h2>
                <span class="muted">{day_title(d.date)}</span>
            </div>
            <p class="visits-count">"已走访 "<strong>{format!("{}/{SLOTS}", day.slots_done)}</strong>
                {all_done.then(|| view! { <span class="all-done-text">" 今日走访已完成"</span> })}
            </p>
            <p class="muted">"今日登记民情 "{d.items_raised}" 条"</p>
        </section>
        <div class="slot-list">
            {slots}
            {slot_card(form, day.wechat, Vec::new(), &names)}
        </div>
    }
}

/// One card: a register (or the WeChat group), what was done today, and the form when open.
fn slot_card(form: VisitForm, s: SlotVisits, entries: Vec<VisitTarget>, names: &HashMap<i64, String>) -> impl IntoView {
    let SlotVisits { kind, done, saved, queued } = s;
    let register = kind.is_register();
    let empty_register = register && entries.is_empty();
    let is_open = move || form.open.get() == Some(kind);
    let state_text = match (register, done) {
        (true, true) => "✓ 已走访".to_string(),
        (true, false) => "未走访".to_string(),
        (false, true) => format!("✓ 今日记录{}条", saved.len() + queued.len()),
        (false, false) => "今日未记录".to_string(),
    };
    let title = if register { kind.label() } else { "网格微信群" };
    let sub = match kind {
        VisitKind::SpecialGroup => "独居老人、残疾人、困难家庭等",
        VisitKind::ManyDemands => "利益诉求较多的居民",
        VisitKind::ProblemCompound => "问题较多的小区",
        VisitKind::WechatGroup => "群里居民反映的问题",
    };
    let visit_list = (!saved.is_empty() || !queued.is_empty()).then(|| {
        let queued = queued
            .into_iter()
            .map(|q| {
                let who = q.body.target_id.and_then(|id| names.get(&id).cloned());
                queued_line(q, who)
            })
            .collect_view();
        view! { <ul class="slot-visits">{saved.into_iter().map(visit_line).collect_view()}{queued}</ul> }
    });
    let open_entries = entries.clone();
    let on_card = move |_| {
        if !empty_register {
            form.open_card(kind, &open_entries);
        }
    };
    let prompt = move || {
        if is_open() {
            return None;
        }
        Some(if empty_register {
            view! {
                <p class="slot-empty">"登记册中还没有"{kind.label()}"，"
                    <a class="register-link" href=format!("/visits/registers?register={}", kind.code())>"请先到登记册添加"</a>
                </p>
            }
            .into_any()
        } else {
            let text = match (register, done) {
                (true, false) => "点此记录走访 ›",
                (true, true) => "再记录一次走访 ›",
                (false, _) => "点此记录群里反映的问题 ›",
            };
            view! { <p class="slot-action">{text}</p> }.into_any()
        })
    };
    view! {
        <section id=format!("slot-{}", kind.code()) class="card slot-card" class:done=done class:open=is_open
            class:wechat=!register data-kind=kind.code() on:click=on_card>
            <div class="slot-head">
                <div class="slot-name">
                    <span class="slot-title">{title}</span>
                    <span class="slot-sub">{sub}</span>
                </div>
                <span class="slot-state" class:done=done>{state_text}</span>
            </div>
            {visit_list}
            {prompt}
            {move || is_open().then(|| visit_form(form, kind, entries.clone()))}
        </section>
    }
}

/// One visit already made: whom, when, what.
fn visit_line(v: Visit) -> impl IntoView {
    let who = v.target.as_ref().map(|t| t.name.clone());
    let items = raised_links(&v.items);
    view! {
        <li class="visit-line" data-visit-id=v.id.clone()>
            <div class="visit-line-head">
                {who.map(|w| view! { <strong class="visit-target">{w}</strong> })}
                <time class="muted">{clock_time(v.visited_at)}</time>
                {v.photo.is_some().then(|| view! { <span class="muted">"有照片"</span> })}
            </div>
            <p class="visit-note">{v.note.clone()}</p>
            {items}
        </li>
    }
}

/// One visit still on the phone: like a visit made, marked 待上传 — or 需要修改 with a way to /outbox when the
/// server refused it.
fn queued_line(q: QueuedVisit, who: Option<String>) -> impl IntoView {
    let marker = if q.refused {
        view! { <a class="queued-mark needs-fix" href="/outbox">"需要修改 ›"</a> }.into_any()
    } else {
        view! { <span class="queued-mark">"待上传"</span> }.into_any()
    };
    view! {
        <li class="visit-line queued-visit" data-visit-id=q.body.id.clone()
            data-state=if q.refused { "needs_fix" } else { "waiting" }>
            <div class="visit-line-head">
                {who.map(|w| view! { <strong class="visit-target">{w}</strong> })}
                <time class="muted">{clock_time(q.at)}</time>
                {q.body.photo_id.is_some().then(|| view! { <span class="muted">"有照片"</span> })}
                {marker}
            </div>
            <p class="visit-note">{q.body.note.clone()}</p>
        </li>
    }
}

/// The form inside an open card.
fn visit_form(form: VisitForm, kind: VisitKind, entries: Vec<VisitTarget>) -> impl IntoView {
    let navigate = use_navigate();
    let register = kind.is_register();
    let save = move |_| {
        if form.saving.get_untracked() || form.uploading() {
            return;
        }
        let body = match form.request(kind) {
            Ok(b) => b,
            Err(e) => {
                form.error.set(Some(e));
                return;
            }
        };
        form.error.set(None);
        form.saving.set(true);
        let raises = form.raises_item.get_untracked();
        let navigate = navigate.clone();
        // A refused record of the outbox being fixed: it gives way to this save.
        let fixing = form.fixing_of(kind);
        // Kept on the phone for the outbox to send; then like a save (to the capture form when it raises an item).
        let kept = move |body: NewVisit, navigate: &dyn Fn(&str)| {
            form.pending.update_value(|m| {
                m.remove(&kind);
            });
            let _ = form.fixing.try_set(None);
            form.photo.release();
            if raises {
                let source = if kind.is_register() { "visit" } else { "wechat_group" };
                let grid = body.grid_id.unwrap_or_else(|| form.grid_id.get_untracked());
                navigate(&format!("/capture?visit={}&grid={grid}&source={source}", api::encode(&body.id)));
                return;
            }
            form.photo.clear();
            let _ = form.open.try_set(None);
            let _ = form.done_note.try_set(Some(outbox::SAVED_ON_PHONE.to_string()));
        };
        let photos = form.photo.queued();
        if outbox::offline() || !photos.is_empty() {
            spawn_local(async move {
                match outbox::queue_visit(&body, photos).await {
                    Ok(()) => {
                        leave_outbox(fixing, &body.id, false).await;
                        kept(body, &|to: &str| navigate(to, Default::default()));
                    }
                    Err(m) => {
                        let _ = form.error.try_set(Some(api::local_error(ErrorCode::Internal, &m)));
                    }
                }
                let _ = form.saving.try_set(false);
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
                        let _ = form.saving.try_set(false);
                        return;
                    }
                    Err(_) => Err(e),
                },
                other => other,
            };
            match result {
                Ok(v) => {
                    leave_outbox(fixing, &v.id, true).await;
                    let _ = form.fixing.try_set(None);
                    form.pending.update_value(|m| {
                        m.remove(&kind);
                    });
                    form.photo.release();
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
                    form.photo.clear();
                    let _ = form.open.try_set(None);
                    let _ = form.done_note.try_set(Some(format!("已记录：{label}{whom}")));
                    form.version.try_update(|v| *v += 1);
                }
                Err(e) => {
                    if e.code == ErrorCode::Conflict {
                        // This id was used with another record (an earlier attempt did land): start afresh.
                        form.pending.update_value(|m| {
                            m.remove(&kind);
                        });
                        form.version.try_update(|v| *v += 1);
                    }
                    let _ = form.error.try_set(Some(e));
                }
            }
            let _ = form.saving.try_set(false);
        });
    };
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        input.set_value("");
        form.photo.clear();
        form.photo.add(file);
        clear_field(form.error, "photo_id");
    };
    let note_count = move || form.note.with(|n| n.trim().chars().count());
    let note_over = move || note_count() > MAX_NOTE_CHARS;
    let targets = register.then(|| {
        let options = entries
            .into_iter()
            .map(|t| {
                let id = t.id;
                let checked = move || form.target.get() == Some(id);
                let last = match t.last_visited_on {
                    Some(d) => format!("上次走访 {}", format::date_label(d)),
                    None => "从未走访".to_string(),
                };
                view! {
                    <label class="target-option" class:selected=checked>
                        <input type="radio" name="target" value=id.to_string() prop:checked=checked
                            on:change=move |_| {
                                form.target.set(Some(id));
                                clear_field(form.error, "target_id");
                            }/>
                        <span class="target-text">
                            <span class="target-name">{t.name.clone()}</span>
                            {t.address.clone().map(|a| view! { <span class="target-address">{a}</span> })}
                            <span class="target-last">{last}</span>
                        </span>
                    </label>
                }
            })
            .collect_view();
        view! {
            <fieldset class="target-list">
                <legend>"走访对象"</legend>
                {options}
            </fieldset>
            <FieldError error=form.error field="target_id"/>
        }
    });
    // Drawn again only when another photo is taken (the photo itself follows its upload).
    let photo_id = Memo::new(move |_| form.photo.with(|v| v.first().map(|p| p.id.clone())));
    let photo_view = move || match photo_id.get() {
        None => view! {
            <div class="visit-photo-pick">
                <label for="visit-photo-camera" class="button">"拍照"</label>
                <label for="visit-photo-input" class="button">"相册"</label>
            </div>
        }
        .into_any(),
        Some(id) => view! { <PhotoSlotView slots=form.photo id=id retry=true single=true/> }.into_any(),
    };
    // A refused visit being fixed: say so, and when it is recorded.
    let fix_note = move || {
        form.fixing.get().filter(|f| f.kind == kind).map(|f| {
            let when = match f.at {
                Some(at) => format!("走访时间：{}", format::short(at)),
                None if f.too_old => "原走访时间已超过补记期限，将按今天记录".to_string(),
                None => "将按保存时的时间记录".to_string(),
            };
            view! {
                <div id="visit-fix" class="notice visit-fix">
                    <p class="visit-fix-title">"修改未能上传的走访"</p>
                    <p id="visit-fix-time" class="visit-fix-time" class:renoted=f.at.is_none()>{when}</p>
                </div>
            }
        })
    };
    let root = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(el) = root.get() {
            if form.reveal.try_get_value() == Some(true) {
                form.reveal.set_value(false);
                // The card, clear of the sticky top bar (`scroll-margin-top`).
                if let Some(card) = el.parent_element() {
                    request_animation_frame(move || card.scroll_into_view_with_bool(true));
                }
            }
        }
    });
    let note_label = if register { "走访情况" } else { "群里反映的情况" };
    let placeholder = if register {
        "看到了什么、居民说了什么。可用输入法的语音输入。"
    } else {
        "谁在群里反映了什么问题。"
    };
    view! {
        <div id="visit-form" class="visit-form" data-kind=kind.code() node_ref=root on:click=|ev| ev.stop_propagation()>
            {fix_note}
            <FieldError error=form.error field="visited_at"/>
            {targets}
            <label for="visit-note" class="group-label">{note_label}</label>
            <textarea id="visit-note" rows="4" bind:value=form.note placeholder=placeholder
                class:invalid=move || form.error.with(|e| names_field(e, "note"))
                on:input=move |_| {
                    clear_field(form.error, "note");
                }></textarea>
            <p class="counter" class:over=note_over>{note_count}"/"{MAX_NOTE_CHARS}</p>
            <FieldError error=form.error field="note"/>
            <p class="group-label">"照片 "<span class="muted small">"（可不拍）"</span></p>
            {photo_view}
            <input id="visit-photo-input" class="visually-hidden" type="file" accept="image/*" on:change=on_file/>
            <input id="visit-photo-camera" class="visually-hidden" type="file" accept="image/*" capture="environment"
                on:change=on_file/>
            <FieldError error=form.error field="photo_id"/>
            <label class="check raises-check">
                <input type="checkbox" id="visit-raises-item" bind:checked=form.raises_item/>
                "有诉求，登记民情"
            </label>
            <ErrorBox error=general_error(form.error, INLINE_FIELDS)/>
            <div class="actions visit-actions">
                <button type="button" id="visit-cancel" on:click=move |_| form.close()>"取消"</button>
                <button type="button" id="visit-save" class="primary" on:click=save
                    disabled=move || form.saving.get() || form.uploading()>
                    {move || if form.saving.get() {
                        "正在保存…"
                    } else if form.uploading() {
                        "照片上传中…"
                    } else if form.raises_item.get() {
                        "保存并登记民情"
                    } else {
                        "保存"
                    }}
                </button>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, NaiveDate, TimeZone, Utc};
    use shared::channels::Slot;
    use shared::item::PersonRef;
    use shared::OrgKind;

    const GRID: i64 = 7;
    const ME: i64 = 3;

    fn grid(id: i64) -> UnitRef {
        UnitRef { id, kind: OrgKind::Grid, name: "第一网格".into(), full_name: "第一网格".into() }
    }

    fn saved(id: &str, kind: VisitKind, at: DateTime<Utc>) -> Visit {
        Visit {
            id: id.into(),
            grid: grid(GRID),
            visitor: PersonRef { id: ME, name: "王建华".into() },
            kind,
            target: None,
            visited_at: at,
            day: format::city_time(at).date(),
            note: "已走访".into(),
            photo: None,
            items: Vec::new(),
        }
    }

    /// 2026-03-02 in the city; the server holds one WeChat note.
    fn day(wechat: Vec<Visit>) -> GridDay {
        GridDay {
            grid: grid(GRID),
            leaders: Vec::new(),
            date: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default(),
            slots: VisitKind::REGISTERS.iter().map(|&kind| Slot { kind, done: false, visits: Vec::new() }).collect(),
            wechat,
            slots_done: 0,
            items_raised: 0,
        }
    }

    fn entry(
        id: &str,
        user_id: i64,
        kind: VisitKind,
        grid_id: i64,
        visited_at: Option<DateTime<Utc>>,
    ) -> outbox::Entry {
        outbox::Entry {
            id: id.into(),
            user_id,
            kind: outbox::Kind::Visit,
            // 2026-03-02 08:00 in the city.
            queued_at: Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap().timestamp_millis() as f64,
            summary: String::new(),
            photo_count: 0,
            needs_fix: false,
            error: None,
            visit: Some(NewVisit {
                id: id.into(),
                grid_id: Some(grid_id),
                kind,
                target_id: kind.is_register().then_some(1),
                visited_at,
                note: "待上传的走访".into(),
                photo_id: None,
            }),
        }
    }

    #[test]
    fn visits_on_the_phone_count_in_their_slot_once() {
        // 2026-03-01 17:30 UTC is 2026-03-02 01:30 in the city: that day's visit.
        let late = Utc.with_ymd_and_hms(2026, 3, 1, 17, 30, 0).unwrap();
        // 2026-03-01 15:00 UTC is 23:00 the day before in the city.
        let day_before = Utc.with_ymd_and_hms(2026, 3, 1, 15, 0, 0).unwrap();
        let mut refused = entry("b", ME, VisitKind::ManyDemands, GRID, None);
        refused.needs_fix = true;
        let entries = vec![
            entry("a", ME, VisitKind::SpecialGroup, GRID, Some(late)),
            refused,
            entry("old", ME, VisitKind::ProblemCompound, GRID, Some(day_before)),
            entry("other-grid", ME, VisitKind::ProblemCompound, GRID + 1, None),
            entry("other-user", ME + 1, VisitKind::ProblemCompound, GRID, None),
            entry("sent", ME, VisitKind::WechatGroup, GRID, Some(late)),
            entry("w", ME, VisitKind::WechatGroup, GRID, None),
        ];
        let queued = queued_visits(&entries, Some(ME));
        assert_eq!(queued.len(), 6, "the other account's visit is left out");

        // The WeChat note "sent" is on the server already: shown once, as the server's.
        let merged = merge_day(&day(vec![saved("sent", VisitKind::WechatGroup, late)]), &queued);
        assert_eq!(merged.slots_done, 2, "特殊群体 and 诉求较多居民 are done on the phone");
        let ids = |s: &SlotVisits| s.queued.iter().map(|q| q.body.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&merged.slots[0]), ["a"]);
        assert!(merged.slots[0].done && !merged.slots[0].queued[0].refused);
        assert_eq!(ids(&merged.slots[1]), ["b"], "a visit without a time counts for the day it was queued");
        assert!(merged.slots[1].queued[0].refused, "a refused visit is marked");
        assert!(!merged.slots[2].done && merged.slots[2].queued.is_empty(), "another day, grid or account");
        assert_eq!(merged.wechat.saved.len(), 1);
        assert_eq!(ids(&merged.wechat), ["w"]);

        // Signed out: nothing of anyone's.
        assert!(queued_visits(&entries, None).is_empty());
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

    #[test]
    fn the_server_count_stands_without_the_phone() {
        let mut d = day(Vec::new());
        d.slots[2].done = true;
        d.slots[2].visits.push(saved(
            "s",
            VisitKind::ProblemCompound,
            Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap(),
        ));
        d.slots_done = 1;
        let merged = merge_day(&d, &[]);
        assert_eq!(merged.slots_done, 1);
        assert!(merged.slots[2].done && !merged.wechat.done);
    }
}
