//! The visits still on the phone (the outbox's records) beside the server's day: each counted once, in its card.

use leptos::prelude::*;
use shared::channels::{GridDay, NewVisit, Visit, VisitKind};

use crate::{format, outbox, state};

/// A visit kept in the outbox, not yet on the server.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct QueuedVisit {
    pub(super) body: NewVisit,
    /// When it was noted: its `visited_at`, or when it was queued.
    pub(super) at: chrono::DateTime<chrono::Utc>,
    /// The server refused it: it waits on /outbox for the user.
    pub(super) refused: bool,
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
pub(super) fn queued_visits_memo() -> Memo<Vec<QueuedVisit>> {
    let entries = outbox::entries();
    let user = state::session();
    Memo::new(move |_| {
        let me = user.with(|s| s.as_ref().map(|s| s.me.id));
        entries.with(|l| queued_visits(l, me))
    })
}

/// One card's visits: those the server holds and those still on the phone.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct SlotVisits {
    pub(super) kind: VisitKind,
    /// A visit on the server or on the phone.
    pub(super) done: bool,
    pub(super) saved: Vec<Visit>,
    pub(super) queued: Vec<QueuedVisit>,
}

/// A day as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct MergedDay {
    /// The three registers, in the server's order.
    pub(super) slots: Vec<SlotVisits>,
    pub(super) wechat: SlotVisits,
    /// Registers with a visit on the server or on the phone.
    pub(super) slots_done: usize,
}

/// The server's day with the visits on the phone for the same grid and day (city time) added to their cards; a
/// visit the server holds already (same id) is shown once, as the server's.
pub(super) fn merge_day(d: &GridDay, queued: &[QueuedVisit]) -> MergedDay {
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, NaiveDate, TimeZone, Utc};
    use shared::channels::Slot;
    use shared::dto::UnitRef;
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
            recorded_at: Some(at),
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
