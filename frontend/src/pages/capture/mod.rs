//! 登记民情: the capture form. A grid leader on a doorstep registers what a resident raised in five taps plus typing:
//! type, place, (level), photo, save. The channel is preset by role, photos are shrunk and uploaded as soon as they
//! are chosen, and the unfinished form is kept in localStorage, so a lost signal or a closed tab loses nothing.
//!
//! Opened from a visit (`?visit=<id>&grid=<grid>&source=visit|wechat_group`), a meeting (`?meeting=<id>&station=`)
//! or a reception (`?reception=<id>&station=`), the channel is fixed, the place preselected, and the item is linked to
//! its origin; at a meeting or reception it may be registered as solved on the spot (`on_spot=1` ticks that). A grid
//! leader may register an item for one of the grid's building leaders (代楼长登记).

mod context;
mod details;
mod draft;
mod form;
mod place_picker;
mod sections;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use shared::dto::{Me, OrgUnit};
use shared::item::Item;
use shared::{ApiError, ErrorCode, Role};

use crate::api;
use crate::components::form_errors::{general_error, show_first_error};
use crate::components::photo_slots::{Slot, SlotState};
use crate::components::{not_for_you, ErrorBox, FieldError, TopBar};
use crate::outbox;
use crate::photo::Position;
use crate::state;
use context::{profile, ChannelMode, Context, Origin, PickerMode, Profile};
use details::{AddressSection, BuildingLeaderPicker, ContentSection, OnSpotSection, PhotoSection, ResidentSection};
use draft::{clear_draft, draft_of, load_draft, save_draft, Draft};
use form::Form;
use place_picker::PlacePicker;
use sections::{ChannelSection, ConfirmMajor, LevelSection, OriginSection, TypeSection};

/// Fields with a place of their own in the form; errors on any other field go to the form's error box.
const INLINE_FIELDS: &[&str] = &[
    "channel",
    "source",
    "item_type",
    "level",
    "place_id",
    "resident_name",
    "resident_phone",
    "content",
    "address",
    "photo_ids",
    "visit_id",
    "meeting_id",
    "reception_id",
    "building_leader_id",
    "solved_on_spot",
];

#[component]
pub fn CapturePage() -> impl IntoView {
    let me = state::current().map(|s| s.me);
    let Some((me, profile)) = me.and_then(|m| profile(&m).map(|p| (m, p))) else {
        return not_for_you("登记民情", "您的角色不登记民情。网格长、楼长、站长、社区书记和街道人员可以登记。")
            .into_any();
    };
    let ctx = Context::from_query();
    // From a meeting or reception, a list of places offers only those within its station (or the visit's grid).
    let profile = match (&ctx.origin, ctx.place) {
        (Some(_), Some(place)) if profile.picker == PickerMode::Select => Profile { scopes: vec![place], ..profile },
        _ => profile,
    };
    view! { <CaptureForm me=me profile=profile ctx=ctx/> }.into_any()
}

/// What the parts of the capture form share besides its fields: the account, where the form came from, the error,
/// the notes, and whether it is saving.
#[derive(Clone, Copy)]
struct Capture {
    user_id: i64,
    mode: ChannelMode,
    form: Form,
    ctx: StoredValue<Context>,
    error: RwSignal<Option<ApiError>>,
    saving: RwSignal<bool>,
    /// Said after a save kept on the phone.
    saved_note: RwSignal<Option<&'static str>>,
    /// The form was filled from a draft left unfinished.
    restored_note: RwSignal<bool>,
    photo_note: RwSignal<Option<String>>,
    locate_note: RwSignal<Option<String>>,
    all_channels: RwSignal<bool>,
    /// The draft is no longer kept (the item is saved, or a record of the outbox is being fixed).
    finished: StoredValue<bool>,
    /// 修改 of a record the server refused (`?outbox=<id>`): its id and when it was collected.
    editing: StoredValue<Option<(String, Option<DateTime<Utc>>)>>,
}

impl Capture {
    /// An empty form for this account and origin.
    fn fresh_draft(self) -> Draft {
        self.ctx.with_value(|c| Draft::new(self.user_id, self.mode, c))
    }

    /// Fills the form from the refused record `id` of the outbox: its stored body, and its photos from the copies the
    /// outbox kept (which it still sends); saving replaces the record.
    async fn fix_outbox_record(self, id: String) {
        let Some(record) = outbox::record(&id).await else { return };
        let Some(body) = record.item_body() else { return };
        let form = self.form;
        self.editing.set_value(Some((id, body.collected_at)));
        let copies: Vec<(String, Option<web_sys::Blob>)> = body
            .photo_ids
            .iter()
            .map(|pid| (pid.clone(), record.photos.iter().find(|p| &p.id == pid).and_then(|p| p.blob.clone())))
            .collect();
        let draft = draft_of(self.user_id, &body);
        form.fill(&draft);
        let _ = form.position.try_set(draft.position.map(|(latitude, longitude, accuracy)| Position {
            latitude,
            longitude,
            accuracy,
        }));
        form.slots.replace(
            copies
                .iter()
                .map(|(pid, copy)| Slot::kept(pid.clone(), SlotState::Done, copy.as_ref(), None, false))
                .collect(),
            copies.into_iter().filter_map(|(pid, copy)| copy.map(|b| (pid, b))).collect(),
        );
        if let Some(e) = record.error {
            let _ = self.error.try_set(Some(e));
        }
    }

    /// After a save kept on the phone: the form starts afresh (or goes back to where it came from).
    fn kept(self, navigate: &dyn Fn(&str)) {
        self.form.slots.release();
        if self.editing.get_value().is_some() {
            self.finished.set_value(true);
            navigate("/outbox");
            return;
        }
        self.ctx.with_value(clear_draft);
        if let Some(o) = self.ctx.with_value(|c| c.origin.clone()) {
            self.finished.set_value(true);
            navigate(&o.back());
            return;
        }
        self.form.fill(&self.fresh_draft());
        let _ = self.restored_note.try_set(false);
        let _ = self.photo_note.try_set(None);
        let _ = self.saved_note.try_set(Some(outbox::SAVED_ON_PHONE));
        let _ = self.saving.try_set(false);
        if let Some(w) = web_sys::window() {
            w.scroll_to_with_x_and_y(0.0, 0.0);
        }
    }

    /// Saves the item: to the server, or to the outbox with no network, a photo still to upload, or a record of the
    /// outbox being fixed.
    fn save(self, navigate: impl Fn(&str, NavigateOptions) + Clone + 'static) {
        let (form, error, saving) = (self.form, self.error, self.saving);
        let mut body = match form.request() {
            Ok(b) => b,
            Err(e) => {
                error.set(Some(e));
                show_first_error("capture-form");
                return;
            }
        };
        error.set(None);
        self.saved_note.set(None);
        saving.set(true);
        let photos = form.slots.queued();
        let editing_now = self.editing.get_value();
        if outbox::offline() || !photos.is_empty() || editing_now.is_some() {
            body.collected_at = match editing_now {
                Some((_, at)) => at,
                None => Some(crate::format::now()),
            };
            spawn_local(async move {
                match outbox::queue_item(&body, photos).await {
                    Ok(()) => self.kept(&|to: &str| navigate(to, Default::default())),
                    Err(m) => {
                        let _ = error.try_set(Some(api::local_error(ErrorCode::Internal, &m)));
                        let _ = saving.try_set(false);
                    }
                }
            });
            return;
        }
        spawn_local(async move {
            match api::post::<_, Item>("/api/items", &body).await {
                Ok(item) => {
                    self.finished.set_value(true);
                    self.ctx.with_value(clear_draft);
                    form.slots.release();
                    // Back to the visit, meeting or reception it came from; otherwise to the item.
                    let to = match self.ctx.with_value(|c| c.origin.clone()) {
                        Some(o) => o.back(),
                        None => format!("/items/{}", item.id),
                    };
                    navigate(&to, Default::default());
                }
                // The request may or may not have landed: the outbox sends the very same body again (same id).
                Err(e) if outbox::transient(&e) => match outbox::queue_item(&body, Vec::new()).await {
                    Ok(()) => self.kept(&|to: &str| navigate(to, Default::default())),
                    Err(_) => {
                        let _ = error.try_set(Some(e));
                        let _ = saving.try_set(false);
                        show_first_error("capture-form");
                    }
                },
                Err(e) => {
                    let _ = error.try_set(Some(e));
                    let _ = saving.try_set(false);
                    show_first_error("capture-form");
                }
            }
        });
    }

    /// 放弃草稿: empties the form once confirmed.
    fn discard(self) {
        let ok = web_sys::window()
            .and_then(|w| w.confirm_with_message("放弃后已填写的内容和照片都将清空，确定放弃吗？").ok())
            .unwrap_or(false);
        if !ok {
            return;
        }
        self.ctx.with_value(clear_draft);
        self.form.fill(&self.fresh_draft());
        self.all_channels.set(self.mode == ChannelMode::Free);
        self.error.set(None);
        self.restored_note.set(false);
        self.photo_note.set(None);
        self.locate_note.set(None);
    }
}

#[component]
fn CaptureForm(me: Me, profile: Profile, ctx: Context) -> impl IntoView {
    let user_id = me.id;
    let restored = load_draft(user_id, &ctx);
    let was_restored = restored.as_ref().is_some_and(Draft::started);
    let draft = restored.unwrap_or_else(|| Draft::new(user_id, profile.channel, &ctx));
    let form = Form::new(&draft);
    let outbox_record = ctx.outbox.clone();
    let origin = ctx.origin.clone();
    let capture = Capture {
        user_id,
        mode: profile.channel,
        form,
        ctx: StoredValue::new(ctx),
        error: RwSignal::new(None),
        saving: RwSignal::new(false),
        saved_note: RwSignal::new(None),
        restored_note: RwSignal::new(was_restored),
        photo_note: RwSignal::new(None),
        locate_note: RwSignal::new(None),
        all_channels: RwSignal::new(profile.channel == ChannelMode::Free),
        finished: StoredValue::new(false),
        editing: StoredValue::new(None),
    };
    let error = capture.error;
    if let Some(id) = outbox_record {
        capture.finished.set_value(true);
        capture.restored_note.set(false);
        spawn_local(capture.fix_outbox_record(id));
    }
    // Keep the draft on every change, until the item is saved.
    Effect::new(move |_| {
        let d = form.draft(user_id);
        if !capture.finished.get_value() {
            save_draft(&d);
        }
    });

    // Kept on the phone, so the place can be picked with no network.
    let units = LocalResource::new(|| outbox::get_cached::<Vec<OrgUnit>>("/api/org/units"));
    let uploading = Memo::new(move |_| form.slots.uploading());
    let confirm_major = RwSignal::new(false);
    let navigate = use_navigate();
    let save = move |_| {
        if !capture.saving.get_untracked() && !uploading.get_untracked() {
            capture.save(navigate.clone());
        }
    };
    let back_href = origin.as_ref().map(Origin::back).unwrap_or_else(|| "/".to_string());
    let led_grids: Vec<i64> = me.roles.iter().filter(|r| r.role == Role::GridLeader).map(|r| r.unit.id).collect();
    let conflict = move || {
        error.with(|e| e.as_ref().is_some_and(|e| e.code == ErrorCode::Conflict)).then(|| {
            let href = format!("/items/{}", form.item_id.get_untracked());
            view! { <p class="hint"><a href=href>"查看已保存的这条民情"</a></p> }
        })
    };

    view! {
        <div class="page capture-page">
            <TopBar title="登记民情" back=back_href/>
            <DraftBar capture=capture/>
            <form id="capture-form" class="capture" novalidate on:submit=|ev| ev.prevent_default()>
                {match origin.clone() {
                    Some(o) => view! { <OriginSection form=form origin=o error=error/> }.into_any(),
                    None => view! {
                        <ChannelSection form=form mode=profile.channel all=capture.all_channels error=error/>
                    }.into_any(),
                }}
                <TypeSection form=form error=error/>
                <LevelSection form=form error=error confirm_major=confirm_major/>
                <section class="field-group">
                    <h3>"地点"</h3>
                    <PlacePicker form=form profile=profile.clone() units=units error=error/>
                    <FieldError error=error field="place_id"/>
                </section>
                {(!led_grids.is_empty()).then(|| view! {
                    <BuildingLeaderPicker form=form grids=led_grids.clone() error=error/>
                })}
                <ResidentSection form=form error=error/>
                <ContentSection form=form error=error/>
                {origin.as_ref().is_some_and(Origin::solves_on_spot).then(|| view! {
                    <OnSpotSection form=form error=error/>
                })}
                <AddressSection form=form error=error note=capture.locate_note/>
                <PhotoSection form=form error=error note=capture.photo_note/>
                <ErrorBox error=general_error(error, INLINE_FIELDS)/>
                {conflict}
                <div class="save-bar">
                    <button type="button" id="save-item" class="primary big" on:click=save
                        disabled=move || capture.saving.get() || uploading.get()>
                        {move || if capture.saving.get() {
                            "正在保存…"
                        } else if uploading.get() {
                            "照片上传中，请稍候…"
                        } else {
                            "保存"
                        }}
                    </button>
                </div>
            </form>
            <ConfirmMajor form=form open=confirm_major/>
        </div>
    }
}

/// What was kept: a save kept on the phone, and the draft (restored, or saved as it is typed) with 放弃草稿.
#[component]
fn DraftBar(capture: Capture) -> impl IntoView {
    let (form, user_id) = (capture.form, capture.user_id);
    let started = Memo::new(move |_| form.draft(user_id).started());
    let restored_note = capture.restored_note;
    view! {
        {move || capture.saved_note.get().map(|m| view! {
            <p id="outbox-saved" class="success outbox-saved" role="status">{m}
                <a href="/outbox" class="link-button">"查看待上传"</a>
            </p>
        })}
        {move || (restored_note.get() || started.get()).then(|| view! {
            <div class="draft-bar">
                <span>{move || if restored_note.get() { "已恢复上次未保存的登记" } else { "草稿已自动保存" }}</span>
                <button type="button" id="discard-draft" class="link-button" on:click=move |_| capture.discard()>
                    "放弃草稿"
                </button>
            </div>
        })}
    }
}
