//! The small pieces of an item's fields, on its page, in lists and in the ledger: 是/否, the dash of an empty field, a
//! labelled field, a time or the dash, the level (red when major), a stage's clock as a badge with the time now
//! ticking, and a place's name.

use std::time::Duration;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use shared::Level;

use crate::format;

/// How often a clock's countdown is redrawn.
const TICK: Duration = Duration::from_secs(30);

/// The dash shown for an empty field.
pub const EMPTY: &str = "—";

/// "是" or "否".
pub fn yes_no(b: bool) -> &'static str {
    if b {
        "是"
    } else {
        "否"
    }
}

/// A label and its value, in a `<dl class="fields">`.
pub fn field(label: &'static str, value: impl IntoView) -> impl IntoView {
    view! {
        <div class="field-row">
            <dt>{label}</dt>
            <dd>{value}</dd>
        </div>
    }
}

/// The time to the minute, or the dash.
pub fn opt_time(at: Option<DateTime<Utc>>) -> String {
    at.map(format::long).unwrap_or_else(|| EMPTY.into())
}

/// The level, red when major.
pub fn level_view(level: Level) -> impl IntoView {
    view! { <span class="level" class:major=level == Level::Major>{level.label()}</span> }
}

/// The clock of a stage as a badge: "剩余2天3小时" (amber when due within a day) or "已超时1天" (red).
pub fn due_badge(due: DateTime<Utc>, overdue: bool, due_soon: bool, now: DateTime<Utc>) -> impl IntoView {
    let (text, late) = format::countdown(due, now);
    let late = late || overdue;
    let text = if late && !text.starts_with("已超时") { "已超时".to_string() } else { text };
    view! {
        <span class="due-badge" class:overdue=late class:due-soon=!late && due_soon data-overdue=late.to_string()>
            {text}
        </span>
    }
}

/// A signal with the time now, redrawn every half minute while its owner lives.
pub fn ticking_now() -> RwSignal<DateTime<Utc>> {
    let now = RwSignal::new(format::now());
    if let Ok(handle) = set_interval_with_handle(
        move || {
            let _ = now.try_set(format::now());
        },
        TICK,
    ) {
        on_cleanup(move || handle.clear());
    }
    now
}

/// The name of a place for people: its path from the street down, or its own name for the city.
pub fn place_name(full_name: &str, name: &str) -> String {
    if full_name.trim().is_empty() {
        name.to_string()
    } else {
        full_name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_read_from_the_street_down() {
        assert_eq!(place_name("新华街道 / 和平社区", "和平社区"), "新华街道 / 和平社区");
        assert_eq!(place_name(" ", "梅河口市"), "梅河口市");
        assert_eq!(yes_no(true), "是");
        assert_eq!(opt_time(None), EMPTY);
    }
}
