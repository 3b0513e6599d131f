//! A list of ledger rows that loads page by page with a cursor (my items, the ledger).

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::item::{LedgerPage, LedgerRow};
use shared::ApiError;

use crate::{api, outbox};

/// Rows fetched per page.
const PAGE_SIZE: u32 = 20;

/// A list that loads page by page with a cursor: the rows so far, the next cursor, the total, and its state.
#[derive(Clone, Copy)]
pub struct Paged {
    pub rows: RwSignal<Vec<LedgerRow>>,
    pub next: RwSignal<Option<String>>,
    pub total: RwSignal<Option<i64>>,
    pub loading: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
    /// Bumped on every fresh start, so an answer to an older query is dropped.
    generation: RwSignal<u32>,
    /// Whether the first page is kept on the phone for reading with no signal (one's own items, issue 8).
    kept_on_phone: bool,
}

impl Paged {
    pub fn new() -> Self {
        Self {
            rows: RwSignal::new(Vec::new()),
            next: RwSignal::new(None),
            total: RwSignal::new(None),
            loading: RwSignal::new(false),
            error: RwSignal::new(None),
            generation: RwSignal::new(0),
            kept_on_phone: false,
        }
    }

    /// A list whose first page is kept on the phone, to be read with no signal.
    pub fn kept_on_phone() -> Self {
        Self { kept_on_phone: true, ..Self::new() }
    }

    /// Loads the first page of `base` (a path with its query, without cursor and limit), replacing the rows.
    pub fn start(self, base: String) {
        self.generation.update(|g| *g += 1);
        self.rows.set(Vec::new());
        self.next.set(None);
        self.total.set(None);
        self.fetch(base, None);
    }

    /// Loads the page after the last one.
    pub fn more(self, base: String) {
        if self.loading.get_untracked() {
            return;
        }
        if let Some(cursor) = self.next.get_untracked() {
            self.fetch(base, Some(cursor));
        }
    }

    fn fetch(self, base: String, cursor: Option<String>) {
        let generation = self.generation.get_untracked();
        self.loading.set(true);
        self.error.set(None);
        spawn_local(async move {
            let sep = if base.contains('?') { '&' } else { '?' };
            let first_page = cursor.is_none();
            let mut path = format!("{base}{sep}limit={PAGE_SIZE}");
            if let Some(c) = cursor {
                path.push_str(&format!("&cursor={}", api::encode(&c)));
            }
            let result = if first_page && self.kept_on_phone {
                outbox::get_cached::<LedgerPage>(&path).await
            } else {
                api::get::<LedgerPage>(&path).await
            };
            if self.generation.try_get_untracked() != Some(generation) {
                return;
            }
            match result {
                Ok(page) => {
                    self.rows.update(|r| r.extend(page.rows));
                    self.next.set(page.next_cursor);
                    self.total.set(Some(page.total));
                }
                Err(e) => self.error.set(Some(e)),
            }
            self.loading.set(false);
        });
    }
}
