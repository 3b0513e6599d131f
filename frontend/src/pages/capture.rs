//! 登记民情: the capture form. A grid leader on a doorstep registers what a resident raised in five taps plus typing:
//! type, place, (level), photo, save. The channel is preset by role, photos are shrunk and uploaded as soon as they
//! are chosen, and the unfinished form is kept in localStorage, so a lost signal or a closed tab loses nothing.
//!
//! Opened from a visit (`?visit=<id>&grid=<grid>&source=visit|wechat_group`), a meeting (`?meeting=<id>&station=`)
//! or a reception (`?reception=<id>&station=`), the channel is fixed, the place preselected, and the item is linked to
//! its origin; at a meeting or reception it may be registered as solved on the spot (`on_spot=1` ticks that). A grid
//! leader may register an item for one of the grid's building leaders (代楼长登记).

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use serde::{Deserialize, Serialize};
use shared::access;
use shared::channels::BuildingLeader;
use shared::dto::{Me, OrgUnit};
use shared::item::{ChannelSource, CreateItem, Item, ITEM_PLACE_KINDS, MAX_CONTENT_CHARS, MAX_PHOTOS_PER_ITEM};
use shared::validate::{check_content, normalize_phone};
use shared::{ApiError, Channel, ErrorCode, ItemType, Level, OrgKind, Problem, Role};

use crate::api;
use crate::components::form_errors::{clear_field, general_error, problem, refusal, show_first_error};
use crate::components::photo_slots::{PhotoSlotView, PhotoSlots, Slot, SlotState};
use crate::components::{names_field, ErrorBox, FieldError, Loading, TopBar};
use crate::outbox;
use crate::photo::{self, Position};
use crate::places::{scopes_of, Places};
use crate::state;

/// The localStorage key of the unfinished form.
const DRAFT_KEY: &str = "minqing.capture.draft";
/// The localStorage key of the unfinished form opened from a visit, meeting or reception (kept apart, so following a
/// visit never overwrites an unfinished ordinary draft).
const LINKED_DRAFT_KEY: &str = "minqing.capture.linked";
/// The longest 解决情况 of an item solved on the spot, in characters.
const MAX_RESULT_CHARS: usize = 2000;

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

/// Where the item was raised, when the form was opened from a visit, a meeting or a reception.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
enum Origin {
    Visit(String),
    Meeting(String),
    Reception(String),
}

impl Origin {
    fn channel(&self) -> Channel {
        match self {
            Origin::Visit(_) => Channel::WechatVisit,
            Origin::Meeting(_) => Channel::Meeting,
            Origin::Reception(_) => Channel::Reception,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Origin::Visit(_) => "visit",
            Origin::Meeting(_) => "meeting",
            Origin::Reception(_) => "reception",
        }
    }

    fn banner(&self) -> &'static str {
        match self {
            Origin::Visit(_) => "来自走访记录",
            Origin::Meeting(_) => "来自会议",
            Origin::Reception(_) => "来自接待",
        }
    }

    /// Whether items raised here may be registered as solved on the spot.
    fn solves_on_spot(&self) -> bool {
        !matches!(self, Origin::Visit(_))
    }

    /// Where the form leads after saving: back to the visit, meeting or reception.
    fn back(&self) -> String {
        match self {
            Origin::Visit(_) => "/visits".to_string(),
            Origin::Meeting(id) => format!("/meetings/{}", api::encode(id)),
            Origin::Reception(id) => format!("/receptions/{}", api::encode(id)),
        }
    }
}

/// What the address asks of the form: its origin, a place to preselect, the source, solved on the spot.
#[derive(Debug, Clone, Default, PartialEq)]
struct Context {
    origin: Option<Origin>,
    place: Option<i64>,
    source: Option<ChannelSource>,
    on_spot: bool,
    /// A record of the outbox to fix (`?outbox=<id>`).
    outbox: Option<String>,
}

impl Context {
    /// Reads `?visit=&meeting=&reception=&grid=&station=&source=&on_spot=1`.
    fn from_query() -> Self {
        let q = use_query_map().get_untracked();
        let text = |key: &str| q.get(key).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let origin = text("visit")
            .map(Origin::Visit)
            .or_else(|| text("meeting").map(Origin::Meeting))
            .or_else(|| text("reception").map(Origin::Reception));
        let place = text("grid").or_else(|| text("station")).and_then(|v| v.parse::<i64>().ok());
        let source = text("source").and_then(|v| ChannelSource::parse(&v));
        let on_spot = text("on_spot").is_some_and(|v| v == "1" || v == "true");
        Self { origin, place, source, on_spot, outbox: text("outbox") }
    }

    fn key(&self) -> &'static str {
        if self.origin.is_some() {
            LINKED_DRAFT_KEY
        } else {
            DRAFT_KEY
        }
    }
}

/// How the channel is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChannelMode {
    /// Grid and building leaders: 微信走访, 入户走访 or 网格微信群.
    Visit,
    /// Station heads: 电话信箱, from the hotline, the mailbox or the opinion wall.
    Station,
    /// Everyone else picks one of the four.
    Free,
}

/// How the place is picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PickerMode {
    /// A building leader: their building(s).
    Buildings,
    /// A grid leader: the buildings of their grid, or the grid itself.
    Grid,
    /// A station head: one of their grids, then a building of it.
    Station,
    /// Higher roles: a list of every place in scope.
    Select,
}

#[derive(Debug, Clone, PartialEq)]
struct Profile {
    channel: ChannelMode,
    picker: PickerMode,
    /// The places of the capturing roles.
    scopes: Vec<i64>,
}

fn profile(me: &Me) -> Option<Profile> {
    let roles: Vec<Role> = Role::ALL.iter().copied().filter(|r| access::capture_role(*r) && me.has_role(*r)).collect();
    if roles.is_empty() {
        return None;
    }
    let higher =
        roles.iter().any(|r| matches!(r, Role::CommunitySecretary | Role::StreetDispatcher | Role::StreetLeader));
    let channel = if higher {
        ChannelMode::Free
    } else if roles.contains(&Role::StationHead) {
        ChannelMode::Station
    } else {
        ChannelMode::Visit
    };
    let picker = match roles.as_slice() {
        [Role::GridLeader] => PickerMode::Grid,
        [Role::BuildingLeader] => PickerMode::Buildings,
        [Role::StationHead] => PickerMode::Station,
        _ => PickerMode::Select,
    };
    Some(Profile { channel, picker, scopes: scopes_of(me, access::capture_role) })
}

// ---------- the draft ----------

/// The unfinished form as kept in localStorage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Draft {
    /// Whose draft it is: another account signing in on the same phone does not get it.
    user_id: i64,
    /// The new item's id, made when the form opened: a save retried after a network error makes no second item.
    item_id: String,
    channel: Option<Channel>,
    source: Option<ChannelSource>,
    item_type: Option<ItemType>,
    level: Level,
    place_id: Option<i64>,
    resident_name: String,
    resident_phone: String,
    callback_consent: bool,
    content: String,
    address: String,
    position: Option<(f64, f64, f64)>,
    /// Photos already uploaded.
    photos: Vec<DraftPhoto>,
    /// The visit, meeting or reception it comes from.
    #[serde(default)]
    origin: Option<Origin>,
    /// The place preselected by the address (not something filled in).
    #[serde(default)]
    preset_place: Option<i64>,
    /// The building leader credited (代楼长登记).
    #[serde(default)]
    building_leader_id: Option<i64>,
    /// Solved on the spot at the meeting or reception, and how.
    #[serde(default)]
    solved_on_spot: bool,
    #[serde(default)]
    preset_on_spot: bool,
    #[serde(default)]
    solved_result: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct DraftPhoto {
    id: String,
    thumb_url: Option<String>,
}

impl DraftPhoto {
    /// The photo on the form again, uploaded.
    fn slot(&self) -> Slot {
        Slot::uploaded(self.id.clone(), self.thumb_url.clone())
    }
}

impl Draft {
    fn new(user_id: i64, mode: ChannelMode, ctx: &Context) -> Self {
        let (channel, source) = match (&ctx.origin, mode) {
            (Some(o @ Origin::Visit(_)), _) => (
                Some(o.channel()),
                Some(ctx.source.filter(|s| s.channel() == Channel::WechatVisit).unwrap_or(ChannelSource::Visit)),
            ),
            (Some(o), _) => (Some(o.channel()), None),
            (None, ChannelMode::Visit) => (Some(Channel::WechatVisit), Some(ChannelSource::Visit)),
            (None, ChannelMode::Station) => (Some(Channel::PhoneMailbox), None),
            (None, ChannelMode::Free) => (None, None),
        };
        let on_spot = ctx.on_spot && ctx.origin.as_ref().is_some_and(Origin::solves_on_spot);
        Self {
            user_id,
            item_id: photo::new_uuid(),
            channel,
            source,
            item_type: None,
            level: Level::General,
            place_id: ctx.place,
            resident_name: String::new(),
            resident_phone: String::new(),
            callback_consent: false,
            content: String::new(),
            address: String::new(),
            position: None,
            photos: Vec::new(),
            origin: ctx.origin.clone(),
            preset_place: ctx.place,
            building_leader_id: None,
            solved_on_spot: on_spot,
            preset_on_spot: on_spot,
            solved_result: String::new(),
        }
    }

    /// Whether anything was filled in beyond the presets.
    fn started(&self) -> bool {
        self.item_type.is_some()
            || self.level != Level::General
            || self.place_id != self.preset_place
            || !self.resident_name.trim().is_empty()
            || !self.resident_phone.trim().is_empty()
            || self.callback_consent
            || !self.content.trim().is_empty()
            || !self.address.trim().is_empty()
            || self.position.is_some()
            || !self.photos.is_empty()
            || self.building_leader_id.is_some()
            || self.solved_on_spot != self.preset_on_spot
            || !self.solved_result.trim().is_empty()
    }
}

/// A queued item's body as a draft, for 修改 (photos are set apart).
fn draft_of(user_id: i64, b: &CreateItem) -> Draft {
    let origin = b
        .visit_id
        .clone()
        .map(Origin::Visit)
        .or_else(|| b.meeting_id.clone().map(Origin::Meeting))
        .or_else(|| b.reception_id.clone().map(Origin::Reception));
    Draft {
        user_id,
        item_id: b.id.clone(),
        channel: Some(b.channel),
        source: b.source,
        item_type: Some(b.item_type),
        level: b.level,
        place_id: Some(b.place_id),
        resident_name: b.resident_name.clone().unwrap_or_default(),
        resident_phone: b.resident_phone.clone().unwrap_or_default(),
        callback_consent: b.callback_consent,
        content: b.content.clone(),
        address: b.address.clone().unwrap_or_default(),
        position: match (b.latitude, b.longitude, b.gps_accuracy_m) {
            (Some(la), Some(lo), Some(acc)) => Some((la, lo, acc)),
            _ => None,
        },
        photos: Vec::new(),
        origin,
        preset_place: None,
        building_leader_id: b.building_leader_id,
        solved_on_spot: b.solved_on_spot.is_some(),
        preset_on_spot: false,
        solved_result: b.solved_on_spot.clone().unwrap_or_default(),
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The stored draft of this account for this origin (an ordinary draft when there is none).
fn load_draft(user_id: i64, ctx: &Context) -> Option<Draft> {
    let raw = storage()?.get_item(ctx.key()).ok().flatten()?;
    serde_json::from_str::<Draft>(&raw).ok().filter(|d| d.user_id == user_id && d.origin == ctx.origin)
}

fn save_draft(draft: &Draft) {
    let key = if draft.origin.is_some() { LINKED_DRAFT_KEY } else { DRAFT_KEY };
    if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(draft)) {
        let _ = s.set_item(key, &json);
    }
}

fn clear_draft(ctx: &Context) {
    if let Some(s) = storage() {
        let _ = s.remove_item(ctx.key());
    }
}

// ---------- the form ----------

/// Every field of the form as a signal.
#[derive(Clone, Copy)]
struct Form {
    item_id: RwSignal<String>,
    channel: RwSignal<Option<Channel>>,
    source: RwSignal<Option<ChannelSource>>,
    item_type: RwSignal<Option<ItemType>>,
    level: RwSignal<Level>,
    place_id: RwSignal<Option<i64>>,
    resident_name: RwSignal<String>,
    resident_phone: RwSignal<String>,
    consent: RwSignal<bool>,
    content: RwSignal<String>,
    address: RwSignal<String>,
    position: RwSignal<Option<Position>>,
    slots: PhotoSlots,
    origin: StoredValue<Option<Origin>>,
    preset_place: StoredValue<Option<i64>>,
    preset_on_spot: StoredValue<bool>,
    building_leader: RwSignal<Option<i64>>,
    on_spot: RwSignal<bool>,
    solved_result: RwSignal<String>,
}

impl Form {
    fn new(d: &Draft) -> Self {
        Self {
            item_id: RwSignal::new(d.item_id.clone()),
            channel: RwSignal::new(d.channel),
            source: RwSignal::new(d.source),
            item_type: RwSignal::new(d.item_type),
            level: RwSignal::new(d.level),
            place_id: RwSignal::new(d.place_id),
            resident_name: RwSignal::new(d.resident_name.clone()),
            resident_phone: RwSignal::new(d.resident_phone.clone()),
            consent: RwSignal::new(d.callback_consent),
            content: RwSignal::new(d.content.clone()),
            address: RwSignal::new(d.address.clone()),
            position: RwSignal::new(d.position.map(|(latitude, longitude, accuracy)| Position {
                latitude,
                longitude,
                accuracy,
            })),
            slots: PhotoSlots::new(d.photos.iter().map(DraftPhoto::slot).collect()),
            origin: StoredValue::new(d.origin.clone()),
            preset_place: StoredValue::new(d.preset_place),
            preset_on_spot: StoredValue::new(d.preset_on_spot),
            building_leader: RwSignal::new(d.building_leader_id),
            on_spot: RwSignal::new(d.solved_on_spot),
            solved_result: RwSignal::new(d.solved_result.clone()),
        }
    }

    /// Puts a draft's values into the form.
    fn fill(&self, d: &Draft) {
        self.item_id.set(d.item_id.clone());
        self.channel.set(d.channel);
        self.source.set(d.source);
        self.item_type.set(d.item_type);
        self.level.set(d.level);
        self.place_id.set(d.place_id);
        self.resident_name.set(d.resident_name.clone());
        self.resident_phone.set(d.resident_phone.clone());
        self.consent.set(d.callback_consent);
        self.content.set(d.content.clone());
        self.address.set(d.address.clone());
        self.position.set(None);
        self.slots.replace(d.photos.iter().map(DraftPhoto::slot).collect(), Vec::new());
        self.origin.set_value(d.origin.clone());
        self.preset_place.set_value(d.preset_place);
        self.preset_on_spot.set_value(d.preset_on_spot);
        self.building_leader.set(d.building_leader_id);
        self.on_spot.set(d.solved_on_spot);
        self.solved_result.set(d.solved_result.clone());
    }

    /// The form as a draft (tracks every field).
    fn draft(&self, user_id: i64) -> Draft {
        Draft {
            user_id,
            item_id: self.item_id.get(),
            channel: self.channel.get(),
            source: self.source.get(),
            item_type: self.item_type.get(),
            level: self.level.get(),
            place_id: self.place_id.get(),
            resident_name: self.resident_name.get(),
            resident_phone: self.resident_phone.get(),
            callback_consent: self.consent.get(),
            content: self.content.get(),
            address: self.address.get(),
            position: self.position.get().map(|p| (p.latitude, p.longitude, p.accuracy)),
            photos: self.slots.with(|v| {
                v.iter()
                    .filter(|s| s.state == SlotState::Done)
                    .map(|s| DraftPhoto { id: s.id.clone(), thumb_url: s.thumb_url.clone() })
                    .collect()
            }),
            origin: self.origin.get_value(),
            preset_place: self.preset_place.get_value(),
            building_leader_id: self.building_leader.get(),
            solved_on_spot: self.on_spot.get(),
            preset_on_spot: self.preset_on_spot.get_value(),
            solved_result: self.solved_result.get(),
        }
    }

    /// Checks the form as the server will and builds the request, or the errors by field.
    fn request(&self) -> Result<CreateItem, ApiError> {
        let mut problems: Vec<Problem> = Vec::new();
        let mut found = |field: &str, message: String| problems.push(problem(field, message));
        let channel = self.channel.get_untracked();
        if channel.is_none() {
            found("channel", "请选择收集方式".into());
        }
        let item_type = self.item_type.get_untracked();
        if item_type.is_none() {
            found("item_type", "请选择类型".into());
        }
        let place_id = self.place_id.get_untracked();
        if place_id.is_none() {
            found("place_id", "请选择地点".into());
        }
        let name = self.resident_name.get_untracked().trim().to_string();
        if name.chars().count() > 40 {
            found("resident_name", "居民姓名不能超过40个字".into());
        }
        let phone_raw = self.resident_phone.get_untracked();
        let phone = if phone_raw.trim().is_empty() {
            None
        } else {
            match normalize_phone(&phone_raw) {
                Ok(p) => Some(p),
                Err(m) => {
                    found("resident_phone", m);
                    None
                }
            }
        };
        let content = self.content.get_untracked();
        if let Err(m) = check_content(&content) {
            found("content", m);
        }
        let address = self.address.get_untracked().trim().to_string();
        if address.chars().count() > 200 {
            found("address", "地址不能超过200个字".into());
        }
        let slots = self.slots.with_untracked(Vec::clone);
        if slots.iter().any(|s| s.state == SlotState::Failed && !s.queueable()) {
            found("photo_ids", "有照片没有上传成功，请点「重试」或删除该照片".into());
        }
        let origin = self.origin.get_value();
        let on_spot = self.on_spot.get_untracked() && origin.as_ref().is_some_and(Origin::solves_on_spot);
        let result = self.solved_result.get_untracked().trim().to_string();
        if on_spot && result.is_empty() {
            found("solved_on_spot", "请填写现场是怎样解决的".into());
        } else if on_spot && result.chars().count() > MAX_RESULT_CHARS {
            found("solved_on_spot", format!("解决情况不能超过{MAX_RESULT_CHARS}个字"));
        }
        if let Some(e) = refusal(problems) {
            return Err(e);
        }
        let position = self.position.get_untracked();
        let source = self.source.get_untracked().filter(|s| Some(s.channel()) == channel);
        Ok(CreateItem {
            id: self.item_id.get_untracked(),
            collected_at: None,
            channel: channel.unwrap_or(Channel::WechatVisit),
            source,
            item_type: item_type.unwrap_or(ItemType::OtherServices),
            level: self.level.get_untracked(),
            place_id: place_id.unwrap_or_default(),
            address: (!address.is_empty()).then_some(address),
            latitude: position.map(|p| p.latitude),
            longitude: position.map(|p| p.longitude),
            gps_accuracy_m: position.map(|p| p.accuracy),
            resident_name: (!name.is_empty()).then_some(name),
            resident_phone: phone,
            callback_consent: self.consent.get_untracked(),
            content: content.trim().to_string(),
            photo_ids: slots.into_iter().map(|s| s.id).collect(),
            visit_id: match &origin {
                Some(Origin::Visit(id)) => Some(id.clone()),
                _ => None,
            },
            meeting_id: match &origin {
                Some(Origin::Meeting(id)) => Some(id.clone()),
                _ => None,
            },
            reception_id: match &origin {
                Some(Origin::Reception(id)) => Some(id.clone()),
                _ => None,
            },
            building_leader_id: self.building_leader.get_untracked(),
            solved_on_spot: on_spot.then_some(result),
        })
    }
}

#[component]
pub fn CapturePage() -> impl IntoView {
    let me = state::current().map(|s| s.me);
    let Some((me, profile)) = me.and_then(|m| profile(&m).map(|p| (m, p))) else {
        return view! {
            <div class="page narrow">
                <TopBar title="登记民情" back="/"/>
                <div class="card center">
                    <p>"您的角色不登记民情。网格长、楼长、站长、社区书记和街道人员可以登记。"</p>
                    <a class="button" href="/">"返回首页"</a>
                </div>
            </div>
        }
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

#[component]
fn CaptureForm(me: Me, profile: Profile, ctx: Context) -> impl IntoView {
    let user_id = me.id;
    let restored = load_draft(user_id, &ctx);
    let was_restored = restored.as_ref().is_some_and(Draft::started);
    let draft = restored.unwrap_or_else(|| Draft::new(user_id, profile.channel, &ctx));
    let form = Form::new(&draft);
    let restored_note = RwSignal::new(was_restored);

    // Keep the draft on every change, until the item is saved.
    let finished = StoredValue::new(false);
    let units = LocalResource::new(|| outbox::get_cached::<Vec<OrgUnit>>("/api/org/units"));
    let error = RwSignal::new(None::<ApiError>);
    let saving = RwSignal::new(false);
    let confirm_major = RwSignal::new(false);
    let all_channels = RwSignal::new(profile.channel == ChannelMode::Free);
    let photo_note = RwSignal::new(None::<String>);
    let locating = RwSignal::new(false);
    let locate_note = RwSignal::new(None::<String>);
    let uploading = Memo::new(move |_| form.slots.uploading());
    let started = Memo::new(move |_| form.draft(user_id).started());
    // 修改 of a record the server refused (`?outbox=<id>`): its stored body fills the form, and saving replaces it.
    let editing = StoredValue::new(None::<(String, Option<chrono::DateTime<chrono::Utc>>)>);
    if let Some(id) = ctx.outbox.clone() {
        finished.set_value(true);
        restored_note.set(false);
        spawn_local(async move {
            if let Some(record) = outbox::record(&id).await {
                if let Some(body) = record.item_body() {
                    editing.set_value(Some((id, body.collected_at)));
                    // Each photo shown from the copy the outbox kept (which it still sends).
                    let copies: Vec<(String, Option<web_sys::Blob>)> = body
                        .photo_ids
                        .iter()
                        .map(|pid| {
                            (pid.clone(), record.photos.iter().find(|p| &p.id == pid).and_then(|p| p.blob.clone()))
                        })
                        .collect();
                    let draft = draft_of(user_id, &body);
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
                        let _ = error.try_set(Some(e));
                    }
                }
            }
        });
    }
    Effect::new(move |_| {
        let d = form.draft(user_id);
        if !finished.get_value() {
            save_draft(&d);
        }
    });

    // Kept on the phone, so the place can be picked with no network.

    let navigate = use_navigate();
    let ctx = StoredValue::new(ctx);
    let origin = ctx.with_value(|c| c.origin.clone());
    let back_href = origin.as_ref().map(Origin::back).unwrap_or_else(|| "/".to_string());
    let led_grids: Vec<i64> = me.roles.iter().filter(|r| r.role == Role::GridLeader).map(|r| r.unit.id).collect();
    // After a save kept on the phone: the form starts afresh (or goes back to where it came from).
    let saved_note = RwSignal::new(None::<&'static str>);
    let kept = move |navigate: &dyn Fn(&str)| {
        form.slots.release();
        if editing.get_value().is_some() {
            finished.set_value(true);
            navigate("/outbox");
            return;
        }
        ctx.with_value(clear_draft);
        if let Some(o) = ctx.with_value(|c| c.origin.clone()) {
            finished.set_value(true);
            navigate(&o.back());
            return;
        }
        form.fill(&ctx.with_value(|c| Draft::new(user_id, profile.channel, c)));
        let _ = restored_note.try_set(false);
        let _ = photo_note.try_set(None);
        let _ = saved_note.try_set(Some(outbox::SAVED_ON_PHONE));
        let _ = saving.try_set(false);
        if let Some(w) = web_sys::window() {
            w.scroll_to_with_x_and_y(0.0, 0.0);
        }
    };
    let save = move |_| {
        if saving.get_untracked() || uploading.get_untracked() {
            return;
        }
        let mut body = match form.request() {
            Ok(b) => b,
            Err(e) => {
                error.set(Some(e));
                show_first_error("capture-form");
                return;
            }
        };
        error.set(None);
        saved_note.set(None);
        saving.set(true);
        let navigate = navigate.clone();
        let photos = form.slots.queued();
        let editing_now = editing.get_value();
        // No network, a photo still to upload, or a record of the outbox being fixed: the outbox sends it.
        if outbox::offline() || !photos.is_empty() || editing_now.is_some() {
            body.collected_at = match editing_now {
                Some((_, at)) => at,
                None => Some(crate::format::now()),
            };
            spawn_local(async move {
                match outbox::queue_item(&body, photos).await {
                    Ok(()) => kept(&|to: &str| navigate(to, Default::default())),
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
                    finished.set_value(true);
                    ctx.with_value(clear_draft);
                    form.slots.release();
                    // Back to the visit, meeting or reception it came from; otherwise to the item.
                    let to = match ctx.with_value(|c| c.origin.clone()) {
                        Some(o) => o.back(),
                        None => format!("/items/{}", item.id),
                    };
                    navigate(&to, Default::default());
                }
                // The request may or may not have landed: the outbox sends the very same body again (same id).
                Err(e) if outbox::transient(&e) => match outbox::queue_item(&body, Vec::new()).await {
                    Ok(()) => kept(&|to: &str| navigate(to, Default::default())),
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
    };

    let discard = move |_| {
        let ok = web_sys::window()
            .and_then(|w| w.confirm_with_message("放弃后已填写的内容和照片都将清空，确定放弃吗？").ok())
            .unwrap_or(false);
        if !ok {
            return;
        }
        ctx.with_value(clear_draft);
        form.fill(&ctx.with_value(|c| Draft::new(user_id, profile.channel, c)));
        all_channels.set(profile.channel == ChannelMode::Free);
        error.set(None);
        restored_note.set(false);
        photo_note.set(None);
        locate_note.set(None);
    };

    let on_files = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(files) = input.files() else { return };
        let skipped = form.slots.add_files(&files, MAX_PHOTOS_PER_ITEM);
        input.set_value("");
        photo_note
            .set((skipped > 0).then(|| format!("每条民情最多{MAX_PHOTOS_PER_ITEM}张照片，有{skipped}张没有添加")));
        clear_field(error, "photo_ids");
    };

    let locate = move |_| {
        locating.set(true);
        locate_note.set(None);
        spawn_local(async move {
            match photo::locate().await {
                Ok(p) => {
                    let _ = form.position.try_set(Some(p));
                }
                Err(m) => {
                    let _ = locate_note.try_set(Some(m));
                }
            }
            let _ = locating.try_set(false);
        });
    };

    let check_phone = move |_| {
        let raw = form.resident_phone.get_untracked();
        if raw.trim().is_empty() {
            clear_field(error, "resident_phone");
            return;
        }
        match normalize_phone(&raw) {
            Ok(p) => {
                if p != raw {
                    form.resident_phone.set(p);
                }
                clear_field(error, "resident_phone");
            }
            Err(m) => error.set(Some(ApiError::field("resident_phone", m))),
        }
    };

    let conflict = move || {
        error.with(|e| e.as_ref().is_some_and(|e| e.code == ErrorCode::Conflict)).then(|| {
            let href = format!("/items/{}", form.item_id.get_untracked());
            view! { <p class="hint"><a href=href>"查看已保存的这条民情"</a></p> }
        })
    };
    let content_count = move || form.content.with(|c| c.trim().chars().count());
    let content_over = move || content_count() > MAX_CONTENT_CHARS;

    view! {
        <div class="page capture-page">
            <TopBar title="登记民情" back=back_href/>
            {move || saved_note.get().map(|m| view! {
                <p id="outbox-saved" class="success outbox-saved" role="status">{m}
                    <a href="/outbox" class="link-button">"查看待上传"</a>
                </p>
            })}
            {move || (restored_note.get() || started.get()).then(|| view! {
                <div class="draft-bar">
                    <span>{move || if restored_note.get() { "已恢复上次未保存的登记" } else { "草稿已自动保存" }}</span>
                    <button type="button" id="discard-draft" class="link-button" on:click=discard>"放弃草稿"</button>
                </div>
            })}
            <form id="capture-form" class="capture" novalidate on:submit=|ev| ev.prevent_default()>
                {match origin.clone() {
                    Some(o) => view! { <OriginSection form=form origin=o error=error/> }.into_any(),
                    None => view! { <ChannelSection form=form mode=profile.channel all=all_channels error=error/> }.into_any(),
                }}

                <section class="field-group">
                    <h3>"类型"</h3>
                    <div class="type-grid" role="group" aria-label="类型">
                        {ItemType::ALL
                            .iter()
                            .map(|t| {
                                let t = *t;
                                let on = move || form.item_type.get() == Some(t);
                                view! {
                                    <button type="button" class="type-button" class:selected=on data-type=t.code()
                                        aria-pressed=move || on().to_string()
                                        on:click=move |_| {
                                            form.item_type.set(Some(t));
                                            clear_field(error, "item_type");
                                        }>
                                        <span class="type-label">{t.label()}</span>
                                        <span class="type-examples">{t.examples()}</span>
                                    </button>
                                }
                            })
                            .collect_view()}
                    </div>
                    <FieldError error=error field="item_type"/>
                </section>

                <section class="field-group">
                    <h3>"级别"</h3>
                    <div class="segmented" role="group" aria-label="级别">
                        <button type="button" id="level-general" class:selected=move || form.level.get() == Level::General
                            aria-pressed=move || (form.level.get() == Level::General).to_string()
                            on:click=move |_| form.level.set(Level::General)>{Level::General.label()}</button>
                        <button type="button" id="level-major" class="major" class:selected=move || form.level.get() == Level::Major
                            aria-pressed=move || (form.level.get() == Level::Major).to_string()
                            on:click=move |_| {
                                if form.level.get_untracked() != Level::Major {
                                    confirm_major.set(true);
                                }
                            }>{Level::Major.label()}</button>
                    </div>
                    {move || (form.level.get() == Level::Major).then(|| view! {
                        <p class="hint major-hint">"将立即提醒街道书记、主任直报市委书记、市长"</p>
                    })}
                    <FieldError error=error field="level"/>
                </section>

                <section class="field-group">
                    <h3>"地点"</h3>
                    <PlacePicker form=form profile=profile.clone() units=units error=error/>
                    <FieldError error=error field="place_id"/>
                </section>

                {(!led_grids.is_empty()).then(|| view! {
                    <BuildingLeaderPicker form=form grids=led_grids.clone() error=error/>
                })}

                <section class="field-group">
                    <h3>"居民"</h3>
                    <div class="two-col">
                        <div>
                            <label for="resident-name" class="small-label">"姓名（可不填）"</label>
                            <input id="resident-name" type="text" autocomplete="off" maxlength="40"
                                bind:value=form.resident_name
                                class:invalid=move || error.with(|e| names_field(e, "resident_name"))/>
                        </div>
                        <div>
                            <label for="resident-phone" class="small-label">"手机号（可不填）"</label>
                            <input id="resident-phone" type="tel" inputmode="numeric" autocomplete="off"
                                maxlength="20" bind:value=form.resident_phone on:blur=check_phone
                                class:invalid=move || error.with(|e| names_field(e, "resident_phone"))/>
                        </div>
                    </div>
                    <FieldError error=error field="resident_name"/>
                    <FieldError error=error field="resident_phone"/>
                    <label class="check">
                        <input type="checkbox" id="callback-consent" bind:checked=form.consent/>
                        "同意回访"
                    </label>
                </section>

                <section class="field-group">
                    <label for="content" class="group-label">"收集内容"</label>
                    <textarea id="content" rows="4" bind:value=form.content
                        placeholder="居民反映的问题和诉求。可用输入法的语音输入。"
                        class:invalid=move || error.with(|e| names_field(e, "content"))
                        on:input=move |_| {
                            clear_field(error, "content");
                        }></textarea>
                    <p class="counter" class:over=content_over>
                        {content_count}"/"{MAX_CONTENT_CHARS}
                    </p>
                    <FieldError error=error field="content"/>
                </section>

                {origin.as_ref().is_some_and(Origin::solves_on_spot).then(|| view! {
                    <OnSpotSection form=form error=error/>
                })}

                <section class="field-group">
                    <label for="address" class="group-label">"地址（可不填）"</label>
                    <div class="address-row">
                        <input id="address" type="text" autocomplete="off" maxlength="200"
                            placeholder="门牌号、小区等" bind:value=form.address
                            class:invalid=move || error.with(|e| names_field(e, "address"))/>
                        <button type="button" id="locate" on:click=locate disabled=move || locating.get()>
                            {move || if locating.get() { "定位中…" } else { "获取位置" }}
                        </button>
                    </div>
                    {move || form.position.get().map(|p| view! {
                        <p class="hint located">
                            {format!("已获取位置（精度约{}米）", p.accuracy.round() as i64)}
                            <button type="button" class="link-button" on:click=move |_| form.position.set(None)>"清除"</button>
                        </p>
                    })}
                    {move || locate_note.get().map(|m| view! { <p class="hint">{m}</p> })}
                    <FieldError error=error field="address"/>
                </section>

                <section class="field-group">
                    <h3>"照片" <span class="muted small">{format!("（可不拍，最多{MAX_PHOTOS_PER_ITEM}张）")}</span></h3>
                    <ul class="photo-grid">
                        <For each=move || form.slots.ids() key=|id| id.clone() let:id>
                            <PhotoSlotView slots=form.slots id=id retry=true/>
                        </For>
                        {move || (form.slots.len() < MAX_PHOTOS_PER_ITEM).then(|| view! {
                            <li class="photo-add">
                                <label for="photo-camera" class="button">"拍照"</label>
                                <label for="photo-input" class="button">"相册"</label>
                            </li>
                        })}
                    </ul>
                    <input id="photo-input" class="visually-hidden" type="file" accept="image/*" multiple=true
                        on:change=on_files/>
                    <input id="photo-camera" class="visually-hidden" type="file" accept="image/*"
                        capture="environment" on:change=on_files/>
                    {move || photo_note.get().map(|m| view! { <p class="hint">{m}</p> })}
                    <FieldError error=error field="photo_ids"/>
                </section>

                <ErrorBox error=general_error(error, INLINE_FIELDS)/>
                {conflict}
                <div class="save-bar">
                    <button type="button" id="save-item" class="primary big" on:click=save
                        disabled=move || saving.get() || uploading.get()>
                        {move || if saving.get() {
                            "正在保存…"
                        } else if uploading.get() {
                            "照片上传中，请稍候…"
                        } else {
                            "保存"
                        }}
                    </button>
                </div>
            </form>
            {move || confirm_major.get().then(|| view! {
                <div class="modal-backdrop">
                    <div class="modal" role="dialog" aria-modal="true" aria-labelledby="confirm-major-title">
                        <h3 id="confirm-major-title">"确认为重大性事项"</h3>
                        <p>"重大性事项将立即提醒街道书记、主任直报市委书记、市长，确认吗？"</p>
                        <div class="actions">
                            <button type="button" id="cancel-major" on:click=move |_| confirm_major.set(false)>"取消"</button>
                            <button type="button" id="confirm-major" class="primary" on:click=move |_| {
                                form.level.set(Level::Major);
                                confirm_major.set(false);
                            }>"确认重大性"</button>
                        </div>
                    </div>
                </div>
            })}
        </div>
    }
}

/// 收集方式 and where within it.
#[component]
fn ChannelSection(
    form: Form,
    mode: ChannelMode,
    all: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let choose_channel = move |c: Channel| {
        form.channel.set(Some(c));
        if form.source.get_untracked().is_some_and(|s| s.channel() != c) {
            form.source.set(None);
        }
        clear_field(error, "channel");
    };
    let sources = move || {
        let Some(channel) = form.channel.get() else {
            return ().into_any();
        };
        let list: Vec<ChannelSource> = ChannelSource::ALL.iter().copied().filter(|s| s.channel() == channel).collect();
        if list.is_empty() {
            return ().into_any();
        }
        // A visit is either a visit or the WeChat group: a toggle. The station's sources are optional.
        let required = mode == ChannelMode::Visit && channel == Channel::WechatVisit;
        view! {
            <div class="chips small" role="group" aria-label="来源">
                {list
                    .into_iter()
                    .map(|s| {
                        let on = move || form.source.get() == Some(s);
                        view! {
                            <button type="button" class="chip" class:selected=on data-source=s.code()
                                aria-pressed=move || on().to_string()
                                on:click=move |_| {
                                    if form.source.get_untracked() == Some(s) && !required {
                                        form.source.set(None);
                                    } else {
                                        form.source.set(Some(s));
                                    }
                                }>{s.label()}</button>
                        }
                    })
                    .collect_view()}
            </div>
        }
        .into_any()
    };
    view! {
        <section class="field-group channel-group">
            <div class="channel-head">
                <h3>"收集方式"</h3>
                {move || (!all.get()).then(|| view! {
                    <span class="channel-name">{move || form.channel.get().map(|c| c.label()).unwrap_or("")}</span>
                    <button type="button" class="link-button small" id="other-channel"
                        on:click=move |_| all.set(true)>"其他方式"</button>
                })}
            </div>
            {move || all.get().then(|| view! {
                <div class="chips" role="group" aria-label="收集方式">
                    {Channel::ALL
                        .iter()
                        .map(|c| {
                            let c = *c;
                            let on = move || form.channel.get() == Some(c);
                            view! {
                                <button type="button" class="chip" class:selected=on data-channel=c.code()
                                    aria-pressed=move || on().to_string()
                                    on:click=move |_| choose_channel(c)>{c.label()}</button>
                            }
                        })
                        .collect_view()}
                </div>
            })}
            {sources}
            <FieldError error=error field="channel"/>
            <FieldError error=error field="source"/>
        </section>
    }
}

/// The fixed channel of an item raised at a visit, meeting or reception, under a banner naming where it comes from.
#[component]
fn OriginSection(form: Form, origin: Origin, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let source = move || form.source.get().map(|s| format!("（{}）", s.label()));
    view! {
        <section class="field-group channel-group origin-group" id="capture-origin" data-origin=origin.code()>
            <p class="origin-banner" id="origin-banner">{origin.banner()}</p>
            <div class="channel-head">
                <h3>"收集方式"</h3>
                <span class="channel-name">{origin.channel().label()}</span>
                <span class="muted">{source}</span>
            </div>
            <FieldError error=error field="channel"/>
            <FieldError error=error field="source"/>
            <FieldError error=error field="visit_id"/>
            <FieldError error=error field="meeting_id"/>
            <FieldError error=error field="reception_id"/>
        </section>
    }
}

/// 代楼长登记: a grid leader registers an item a building leader of the grid reported (optional).
#[component]
fn BuildingLeaderPicker(form: Form, grids: Vec<i64>, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let own_grids = grids.clone();
    let leaders = LocalResource::new(move || {
        let grids = grids.clone();
        async move {
            let mut out: Vec<BuildingLeader> = Vec::new();
            for g in grids {
                out.extend(api::get::<Vec<BuildingLeader>>(&format!("/api/building-leaders?grid_id={g}")).await?);
            }
            Ok::<_, ApiError>(out)
        }
    });
    move || {
        let list = match leaders.get() {
            Some(Ok(list)) if !list.is_empty() => list,
            _ => return None,
        };
        let buildings: Vec<(i64, i64)> = list.iter().map(|b| (b.person.id, b.building.id)).collect();
        let own_grids = own_grids.clone();
        let choose = move |ev: leptos::ev::Event| {
            let chosen: Option<i64> = event_target_value(&ev).parse().ok();
            form.building_leader.set(chosen);
            // A building leader reports about their building: it becomes the place unless one was picked.
            let place = form.place_id.get_untracked();
            if place.is_none() || place.is_some_and(|p| own_grids.contains(&p)) {
                if let Some((_, building)) = chosen.and_then(|c| buildings.iter().find(|(p, _)| *p == c)) {
                    form.place_id.set(Some(*building));
                }
            }
            clear_field(error, "building_leader_id");
        };
        Some(view! {
            <section class="field-group building-leader-group">
                <label for="building-leader" class="group-label">"代楼长登记 "<span class="muted small">"（可不选）"</span></label>
                <select id="building-leader" on:change=choose
                    class:invalid=move || error.with(|e| names_field(e, "building_leader_id"))>
                    <option value="" selected=move || form.building_leader.get().is_none()>"不代楼长登记"</option>
                    {list
                        .into_iter()
                        .map(|b| {
                            let id = b.person.id;
                            view! {
                                <option value=id.to_string() selected=move || form.building_leader.get() == Some(id)>
                                    {format!("{}（{}）", b.person.name, b.building.name)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <FieldError error=error field="building_leader_id"/>
            </section>
        })
    }
}

/// 现场已解决: at a meeting or reception, an item solved there and then is registered as solved, with how.
#[component]
fn OnSpotSection(form: Form, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let count = move || form.solved_result.with(|r| r.trim().chars().count());
    let over = move || count() > MAX_RESULT_CHARS;
    view! {
        <section class="field-group on-spot-group" id="on-spot-group">
            <label class="check">
                <input type="checkbox" id="solved-on-spot" bind:checked=form.on_spot/>
                "现场已解决"
            </label>
            {move || form.on_spot.get().then(|| view! {
                <label for="solved-result" class="group-label">"解决情况"</label>
                <textarea id="solved-result" rows="3" bind:value=form.solved_result
                    placeholder="现场是怎样解决的，作为办理结果告知居民"
                    class:invalid=move || error.with(|e| names_field(e, "solved_on_spot"))
                    on:input=move |_| {
                        clear_field(error, "solved_on_spot");
                    }></textarea>
                <p class="counter" class:over=over>{count}"/"{MAX_RESULT_CHARS}</p>
                <p class="hint">"登记后即为街道社区办结，请在2日内告知居民结果。"</p>
            })}
            <FieldError error=error field="solved_on_spot"/>
        </section>
    }
}

/// One place to choose.
fn place_chip(form: Form, error: RwSignal<Option<ApiError>>, unit: &OrgUnit, label: String) -> impl IntoView {
    let id = unit.id;
    let on = move || form.place_id.get() == Some(id);
    view! {
        <button type="button" class="chip" class:selected=on data-place-id=id.to_string()
            data-place-kind=unit.kind.code() aria-pressed=move || on().to_string()
            on:click=move |_| {
                form.place_id.set(Some(id));
                clear_field(error, "place_id");
            }>{label}</button>
    }
}

/// The place of the item, limited to the account's own places.
#[component]
fn PlacePicker(
    form: Form,
    profile: Profile,
    units: LocalResource<Result<Vec<OrgUnit>, ApiError>>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    // A building leader with one building needs no tap.
    let scopes = profile.scopes.clone();
    Effect::new(move |_| {
        if profile.picker != PickerMode::Buildings || form.place_id.get_untracked().is_some() {
            return;
        }
        if let Some(Ok(list)) = units.get() {
            let places = Places::new(list);
            let own = places.in_scopes(&scopes, &[OrgKind::Building]);
            if let [only] = own.as_slice() {
                form.place_id.set(Some(only.id));
            }
        }
    });
    let scopes = profile.scopes.clone();
    move || match units.get() {
        None => view! { <Loading text="正在加载楼栋…"/> }.into_any(),
        Some(Err(e)) => view! {
            <ErrorBox error=Signal::stored(Some(e))/>
            <button type="button" on:click=move |_| units.refetch()>"重新加载"</button>
        }
        .into_any(),
        Some(Ok(list)) => {
            let places = Places::new(list);
            match profile.picker {
                PickerMode::Buildings => {
                    let own = places.in_scopes(&scopes, &[OrgKind::Building]);
                    view! {
                        <div class="chips" role="group" aria-label="楼栋">
                            {own.into_iter().map(|b| place_chip(form, error, b, b.name.clone())).collect_view()}
                        </div>
                    }
                    .into_any()
                }
                PickerMode::Grid => {
                    let grids = places.in_scopes(&scopes, &[OrgKind::Grid]);
                    let many = grids.len() > 1;
                    grids
                        .into_iter()
                        .map(|g| {
                            let buildings = places.children(g.id, OrgKind::Building);
                            view! {
                                {many.then(|| view! { <p class="chip-group-title">{g.name.clone()}</p> })}
                                <div class="chips" role="group" aria-label="楼栋">
                                    {buildings
                                        .into_iter()
                                        .map(|b| place_chip(form, error, b, b.name.clone()))
                                        .collect_view()}
                                    {place_chip(form, error, g, "不限楼栋".into())}
                                </div>
                            }
                        })
                        .collect_view()
                        .into_any()
                }
                PickerMode::Station => station_picker(form, error, &places, &scopes).into_any(),
                PickerMode::Select => {
                    let options: Vec<(i64, String)> = places
                        .in_scopes(&scopes, ITEM_PLACE_KINDS)
                        .into_iter()
                        .map(|u| (u.id, format!("{}（{}）", places.label_in(u.id, &scopes), u.kind.label())))
                        .collect();
                    view! {
                        <select id="place-select" aria-label="地点"
                            class:invalid=move || error.with(|e| names_field(e, "place_id"))
                            on:change=move |ev| {
                                form.place_id.set(event_target_value(&ev).parse().ok());
                                clear_field(error, "place_id");
                            }>
                            <option value="" selected=move || form.place_id.get().is_none()>"请选择地点…"</option>
                            {options
                                .into_iter()
                                .map(|(id, label)| view! {
                                    <option value=id.to_string() selected=move || form.place_id.get() == Some(id)>{label}</option>
                                })
                                .collect_view()}
                        </select>
                    }
                    .into_any()
                }
            }
        }
    }
}

/// A station head's picker: the station or one of its grids, then a building of that grid.
fn station_picker(form: Form, error: RwSignal<Option<ApiError>>, places: &Places, scopes: &[i64]) -> impl IntoView {
    let stations = places.in_scopes(scopes, &[OrgKind::Station]);
    // The grid whose buildings to show: the chosen grid, or the grid of the chosen building.
    let grid_of: HashMap<i64, i64> = places
        .in_scopes(scopes, &[OrgKind::Grid, OrgKind::Building])
        .into_iter()
        .map(|u| {
            let grid = if u.kind == OrgKind::Grid { u.id } else { u.parent_id.unwrap_or(u.id) };
            (u.id, grid)
        })
        .collect();
    let building_rows: HashMap<i64, Vec<OrgUnit>> =
        grid_of.values().map(|g| (*g, places.children(*g, OrgKind::Building).into_iter().cloned().collect())).collect();
    let grid_units: HashMap<i64, OrgUnit> =
        grid_of.values().filter_map(|g| places.get(*g).cloned().map(|u| (*g, u))).collect();
    let chosen_grid = Memo::new(move |_| form.place_id.get().and_then(|p| grid_of.get(&p).copied()));
    let grid_chips = stations
        .iter()
        .map(|s| {
            let grids = places.children(s.id, OrgKind::Grid);
            view! {
                {(stations.len() > 1).then(|| view! { <p class="chip-group-title">{s.name.clone()}</p> })}
                <div class="chips" role="group" aria-label="网格">
                    {place_chip(form, error, s, "全站".into())}
                    {grids
                        .into_iter()
                        .map(|g| {
                            let gid = g.id;
                            let label = g.name.clone();
                            view! {
                                <button type="button" class="chip" class:selected=move || chosen_grid.get() == Some(gid)
                                    data-grid-id=gid.to_string()
                                    on:click=move |_| {
                                        form.place_id.set(Some(gid));
                                        clear_field(error, "place_id");
                                    }>{label}</button>
                            }
                        })
                        .collect_view()}
                </div>
            }
        })
        .collect_view();
    view! {
        {grid_chips}
        {move || chosen_grid.get().map(|g| {
            let buildings = building_rows.get(&g).cloned().unwrap_or_default();
            let grid = grid_units.get(&g).cloned();
            view! {
                <p class="chip-group-title">"楼栋"</p>
                <div class="chips" role="group" aria-label="楼栋">
                    {buildings.iter().map(|b| place_chip(form, error, b, b.name.clone())).collect_view()}
                    {grid.map(|g| place_chip(form, error, &g, "不限楼栋".into()))}
                </div>
            }
        })}
    }
}
