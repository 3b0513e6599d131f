//! Where the capture form was opened from and for whom: the origin (a visit, meeting or reception) and the query
//! that names it, and the account's profile (how its channel is chosen, how its place is picked, its places).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};
use shared::access;
use shared::dto::Me;
use shared::item::ChannelSource;
use shared::{Channel, Role};

use crate::api;
use crate::places::scopes_of;

/// Where the item was raised, when the form was opened from a visit, a meeting or a reception.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub(super) enum Origin {
    Visit(String),
    Meeting(String),
    Reception(String),
}

impl Origin {
    pub(super) fn channel(&self) -> Channel {
        match self {
            Origin::Visit(_) => Channel::WechatVisit,
            Origin::Meeting(_) => Channel::Meeting,
            Origin::Reception(_) => Channel::Reception,
        }
    }

    pub(super) fn code(&self) -> &'static str {
        match self {
            Origin::Visit(_) => "visit",
            Origin::Meeting(_) => "meeting",
            Origin::Reception(_) => "reception",
        }
    }

    pub(super) fn banner(&self) -> &'static str {
        match self {
            Origin::Visit(_) => "来自走访记录",
            Origin::Meeting(_) => "来自会议",
            Origin::Reception(_) => "来自接待",
        }
    }

    /// Whether items raised here may be registered as solved on the spot.
    pub(super) fn solves_on_spot(&self) -> bool {
        !matches!(self, Origin::Visit(_))
    }

    /// Where the form leads after saving: back to the visit, meeting or reception.
    pub(super) fn back(&self) -> String {
        match self {
            Origin::Visit(_) => "/visits".to_string(),
            Origin::Meeting(id) => format!("/meetings/{}", api::encode(id)),
            Origin::Reception(id) => format!("/receptions/{}", api::encode(id)),
        }
    }
}

/// What the address asks of the form: its origin, a place to preselect, the source, solved on the spot.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Context {
    pub(super) origin: Option<Origin>,
    pub(super) place: Option<i64>,
    pub(super) source: Option<ChannelSource>,
    pub(super) on_spot: bool,
    /// A record of the outbox to fix (`?outbox=<id>`).
    pub(super) outbox: Option<String>,
}

impl Context {
    /// Reads `?visit=&meeting=&reception=&grid=&station=&source=&on_spot=1`.
    pub(super) fn from_query() -> Self {
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
}

/// How the channel is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ChannelMode {
    /// Grid and building leaders: 微信走访, 入户走访 or 网格微信群.
    Visit,
    /// Station heads: 电话信箱, from the hotline, the mailbox or the opinion wall.
    Station,
    /// Everyone else picks one of the four.
    Free,
}

/// How the place is picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PickerMode {
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
pub(super) struct Profile {
    pub(super) channel: ChannelMode,
    pub(super) picker: PickerMode,
    /// The places of the capturing roles.
    pub(super) scopes: Vec<i64>,
}

pub(super) fn profile(me: &Me) -> Option<Profile> {
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
