//! Photos as the API shows them: sizes and signed links that work for an hour.

use chrono::Duration;
use shared::item::Photo;

use crate::db::models::PhotoRow;
use crate::state::AppState;

/// How long a signed photo link works.
const PHOTO_LINK_HOURS: i64 = 1;

pub fn photo_dto(state: &AppState, p: &PhotoRow) -> Photo {
    let exp = (state.clock.now() + Duration::hours(PHOTO_LINK_HOURS)).timestamp();
    Photo {
        id: p.id.clone(),
        width: p.width as u32,
        height: p.height as u32,
        url: photo_url(state, &p.id, "full", exp),
        thumb_url: photo_url(state, &p.id, "thumb", exp),
    }
}

pub fn photo_url(state: &AppState, id: &str, variant: &str, exp: i64) -> String {
    let sig = state.keys.sign_link(&format!("photo:{id}:{variant}"), exp);
    format!("/api/photos/{id}/{variant}?t={sig}")
}
