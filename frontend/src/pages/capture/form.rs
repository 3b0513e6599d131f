//! The capture form's fields as signals, filled from a draft and read back as one, and checked as the server will
//! before the item is sent.

use leptos::prelude::*;
use shared::item::{ChannelSource, CreateItem};
use shared::validate::{check_content, normalize_phone};
use shared::{ApiError, Channel, ItemType, Level, Problem};

use super::context::Origin;
use super::draft::{Draft, DraftPhoto};
use crate::components::form_errors::{problem, refusal};
use crate::components::photo_slots::{PhotoSlots, SlotState};
use crate::photo::Position;

/// The longest 解决情况 of an item solved on the spot, in characters.
pub(super) const MAX_RESULT_CHARS: usize = 2000;

/// Every field of the form as a signal.
#[derive(Clone, Copy)]
pub(super) struct Form {
    pub(super) item_id: RwSignal<String>,
    pub(super) channel: RwSignal<Option<Channel>>,
    pub(super) source: RwSignal<Option<ChannelSource>>,
    pub(super) item_type: RwSignal<Option<ItemType>>,
    pub(super) level: RwSignal<Level>,
    pub(super) place_id: RwSignal<Option<i64>>,
    pub(super) resident_name: RwSignal<String>,
    pub(super) resident_phone: RwSignal<String>,
    pub(super) consent: RwSignal<bool>,
    pub(super) content: RwSignal<String>,
    pub(super) address: RwSignal<String>,
    pub(super) position: RwSignal<Option<Position>>,
    pub(super) slots: PhotoSlots,
    pub(super) origin: StoredValue<Option<Origin>>,
    pub(super) preset_place: StoredValue<Option<i64>>,
    pub(super) preset_on_spot: StoredValue<bool>,
    pub(super) building_leader: RwSignal<Option<i64>>,
    pub(super) on_spot: RwSignal<bool>,
    pub(super) solved_result: RwSignal<String>,
}

impl Form {
    pub(super) fn new(d: &Draft) -> Self {
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
    pub(super) fn fill(&self, d: &Draft) {
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
    pub(super) fn draft(&self, user_id: i64) -> Draft {
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
    pub(super) fn request(&self) -> Result<CreateItem, ApiError> {
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
