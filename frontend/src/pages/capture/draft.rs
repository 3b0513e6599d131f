//! The unfinished capture form kept in localStorage (a lost signal or a closed tab loses nothing), and a queued
//! item's body read back as a draft for 修改.

use serde::{Deserialize, Serialize};
use shared::item::{ChannelSource, CreateItem};
use shared::{Channel, ItemType, Level};

use super::context::{ChannelMode, Context, Origin};
use crate::components::photo_slots::Slot;
use crate::photo;

/// The localStorage key of the unfinished form.
const DRAFT_KEY: &str = "minqing.capture.draft";
/// The localStorage key of the unfinished form opened from a visit, meeting or reception (kept apart, so following a
/// visit never overwrites an unfinished ordinary draft).
const LINKED_DRAFT_KEY: &str = "minqing.capture.linked";

impl Context {
    /// The localStorage key of this form's draft.
    fn key(&self) -> &'static str {
        if self.origin.is_some() {
            LINKED_DRAFT_KEY
        } else {
            DRAFT_KEY
        }
    }
}

/// The unfinished form as kept in localStorage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Draft {
    /// Whose draft it is: another account signing in on the same phone does not get it.
    pub(super) user_id: i64,
    /// The new item's id, made when the form opened: a save retried after a network error makes no second item.
    pub(super) item_id: String,
    pub(super) channel: Option<Channel>,
    pub(super) source: Option<ChannelSource>,
    pub(super) item_type: Option<ItemType>,
    pub(super) level: Level,
    pub(super) place_id: Option<i64>,
    pub(super) resident_name: String,
    pub(super) resident_phone: String,
    pub(super) callback_consent: bool,
    pub(super) content: String,
    pub(super) address: String,
    pub(super) position: Option<(f64, f64, f64)>,
    /// Photos already uploaded.
    pub(super) photos: Vec<DraftPhoto>,
    /// The visit, meeting or reception it comes from.
    #[serde(default)]
    pub(super) origin: Option<Origin>,
    /// The place preselected by the address (not something filled in).
    #[serde(default)]
    pub(super) preset_place: Option<i64>,
    /// The building leader credited (代楼长登记).
    #[serde(default)]
    pub(super) building_leader_id: Option<i64>,
    /// Solved on the spot at the meeting or reception, and how.
    #[serde(default)]
    pub(super) solved_on_spot: bool,
    #[serde(default)]
    pub(super) preset_on_spot: bool,
    #[serde(default)]
    pub(super) solved_result: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct DraftPhoto {
    pub(super) id: String,
    pub(super) thumb_url: Option<String>,
}

impl DraftPhoto {
    /// The photo on the form again, uploaded.
    pub(super) fn slot(&self) -> Slot {
        Slot::uploaded(self.id.clone(), self.thumb_url.clone())
    }
}

impl Draft {
    pub(super) fn new(user_id: i64, mode: ChannelMode, ctx: &Context) -> Self {
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
    pub(super) fn started(&self) -> bool {
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
pub(super) fn draft_of(user_id: i64, b: &CreateItem) -> Draft {
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
pub(super) fn load_draft(user_id: i64, ctx: &Context) -> Option<Draft> {
    let raw = storage()?.get_item(ctx.key()).ok().flatten()?;
    serde_json::from_str::<Draft>(&raw).ok().filter(|d| d.user_id == user_id && d.origin == ctx.origin)
}

pub(super) fn save_draft(draft: &Draft) {
    let key = if draft.origin.is_some() { LINKED_DRAFT_KEY } else { DRAFT_KEY };
    if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(draft)) {
        let _ = s.set_item(key, &json);
    }
}

pub(super) fn clear_draft(ctx: &Context) {
    if let Some(s) = storage() {
        let _ = s.remove_item(ctx.key());
    }
}
