//! The outbox on the phone: captures and visit records saved on the device first (IndexedDB, photos as the shrunk
//! blobs) under their client-made ids, then sent in order by the sender (`sync`) whenever the network is there. The
//! pages queue records and read a summary of the signed-in account's records as signals.

mod idb;
mod page;
mod sync;

use std::cell::Cell;

use js_sys::{Array, Object, Reflect};
use leptos::prelude::*;
use serde::Serialize;
use shared::channels::NewVisit;
use shared::item::CreateItem;
use shared::{ApiError, ErrorCode};
use wasm_bindgen::{JsCast, JsValue};

use crate::{api, state};

pub use page::{OutboxLink, OutboxPage};
pub use sync::{kick, send_now};

/// What the user is told when a record is kept on the phone.
pub const SAVED_ON_PHONE: &str = "已保存在手机上，联网后自动上传";

/// What a record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Item,
    Visit,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Item => "item",
            Kind::Visit => "visit",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Item => "民情",
            Kind::Visit => "走访",
        }
    }

    fn parse(s: &str) -> Self {
        if s == "visit" {
            Kind::Visit
        } else {
            Kind::Item
        }
    }

    fn path(self) -> &'static str {
        match self {
            Kind::Item => "/api/items",
            Kind::Visit => "/api/visits",
        }
    }
}

/// A photo of a record: the shrunk JPEG, kept until the server confirms it.
#[derive(Clone)]
pub struct QueuedPhoto {
    pub id: String,
    pub blob: Option<web_sys::Blob>,
    pub uploaded: bool,
}

/// One record of the outbox, as stored.
#[derive(Clone)]
pub struct Record {
    pub id: String,
    pub user_id: i64,
    pub kind: Kind,
    pub queued_at: f64,
    /// The JSON body of `CreateItem` / `NewVisit`, as it is sent.
    pub body: String,
    pub photos: Vec<QueuedPhoto>,
    /// Waiting to be sent, or refused by the server (409/422) and waiting for the user.
    pub needs_fix: bool,
    /// The server's refusal (`ApiError`).
    pub error: Option<ApiError>,
    pub attempts: u32,
    pub next_at: f64,
}

/// What the pages show of a record.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: String,
    /// The account that made it.
    pub user_id: i64,
    pub kind: Kind,
    pub queued_at: f64,
    /// The first characters of the content or note.
    pub summary: String,
    pub photo_count: usize,
    pub needs_fix: bool,
    pub error: Option<ApiError>,
    /// A visit's body, so the day's page can show it before the server has it.
    pub visit: Option<NewVisit>,
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

impl Record {
    fn to_js(&self) -> JsValue {
        let obj = Object::new();
        set(&obj, "id", &JsValue::from_str(&self.id));
        set(&obj, "user_id", &JsValue::from_f64(self.user_id as f64));
        set(&obj, "kind", &JsValue::from_str(self.kind.code()));
        set(&obj, "queued_at", &JsValue::from_f64(self.queued_at));
        set(&obj, "body", &JsValue::from_str(&self.body));
        let photos = Array::new();
        for p in &self.photos {
            let po = Object::new();
            set(&po, "id", &JsValue::from_str(&p.id));
            set(&po, "blob", p.blob.as_ref().map(|b| b.as_ref()).unwrap_or(&JsValue::NULL));
            set(&po, "uploaded", &JsValue::from_bool(p.uploaded));
            photos.push(&po);
        }
        set(&obj, "photos", &photos);
        set(&obj, "state", &JsValue::from_str(if self.needs_fix { "needs_fix" } else { "waiting" }));
        let error = self.error.as_ref().and_then(|e| serde_json::to_string(e).ok());
        set(&obj, "error", &error.map(|e| JsValue::from_str(&e)).unwrap_or(JsValue::NULL));
        set(&obj, "attempts", &JsValue::from_f64(self.attempts as f64));
        set(&obj, "next_at", &JsValue::from_f64(self.next_at));
        obj.into()
    }

    fn from_js(v: &JsValue) -> Option<Self> {
        let id = get(v, "id").as_string()?;
        let photos = get(v, "photos")
            .dyn_into::<Array>()
            .map(|a| {
                a.iter()
                    .filter_map(|p| {
                        Some(QueuedPhoto {
                            id: get(&p, "id").as_string()?,
                            blob: get(&p, "blob").dyn_into::<web_sys::Blob>().ok(),
                            uploaded: get(&p, "uploaded").as_bool().unwrap_or(false),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(Self {
            id,
            user_id: get(v, "user_id").as_f64()? as i64,
            kind: Kind::parse(&get(v, "kind").as_string().unwrap_or_default()),
            queued_at: get(v, "queued_at").as_f64().unwrap_or(0.0),
            body: get(v, "body").as_string().unwrap_or_default(),
            photos,
            needs_fix: get(v, "state").as_string().is_some_and(|s| s == "needs_fix"),
            error: get(v, "error").as_string().and_then(|e| serde_json::from_str(&e).ok()),
            attempts: get(v, "attempts").as_f64().unwrap_or(0.0) as u32,
            next_at: get(v, "next_at").as_f64().unwrap_or(0.0),
        })
    }

    fn entry(&self) -> Entry {
        let body: serde_json::Value = serde_json::from_str(&self.body).unwrap_or_default();
        let text = match self.kind {
            Kind::Item => body.get("content"),
            Kind::Visit => body.get("note"),
        }
        .and_then(|v| v.as_str())
        .unwrap_or_default();
        let summary: String = text.chars().take(30).collect();
        let summary = if text.chars().count() > 30 { format!("{summary}…") } else { summary };
        let photo_count = match self.kind {
            Kind::Item => body.get("photo_ids").and_then(|v| v.as_array()).map(Vec::len).unwrap_or(0),
            Kind::Visit => usize::from(body.get("photo_id").is_some_and(|v| v.is_string())),
        };
        Entry {
            id: self.id.clone(),
            user_id: self.user_id,
            kind: self.kind,
            queued_at: self.queued_at,
            summary,
            photo_count,
            needs_fix: self.needs_fix,
            error: self.error.clone(),
            visit: (self.kind == Kind::Visit).then(|| serde_json::from_str(&self.body).ok()).flatten(),
        }
    }

    /// The item's body, for 修改.
    pub fn item_body(&self) -> Option<CreateItem> {
        (self.kind == Kind::Item).then(|| serde_json::from_str(&self.body).ok()).flatten()
    }

    /// The visit's body, for 修改.
    pub fn visit_body(&self) -> Option<NewVisit> {
        (self.kind == Kind::Visit).then(|| serde_json::from_str(&self.body).ok()).flatten()
    }
}

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Whether the browser says it is offline.
pub fn offline() -> bool {
    web_sys::window().is_some_and(|w| !w.navigator().on_line())
}

/// Whether a failed request may succeed later as it is: it never reached the server, or the server was unable
/// (5xx) or busy (429). Such a save goes to the outbox.
pub fn transient(e: &ApiError) -> bool {
    e.message == api::NETWORK_ERROR
        || matches!(e.code, ErrorCode::Unavailable | ErrorCode::Internal | ErrorCode::TooManyRequests)
}

#[derive(Clone, Copy)]
struct Signals {
    entries: RwSignal<Vec<Entry>>,
    sending: RwSignal<bool>,
}

thread_local! {
    static SIGNALS: Cell<Option<Signals>> = const { Cell::new(None) };
}

fn signals() -> Option<Signals> {
    SIGNALS.with(|s| s.get())
}

/// The signed-in account's records, oldest first.
pub fn entries() -> RwSignal<Vec<Entry>> {
    match signals() {
        Some(s) => s.entries,
        None => RwSignal::new(Vec::new()),
    }
}

/// Whether the sender is at work.
pub fn sending() -> RwSignal<bool> {
    match signals() {
        Some(s) => s.sending,
        None => RwSignal::new(false),
    }
}

/// Creates the signals and starts the sender: now when signed in, on every sign-in, and whenever the network comes
/// back. Called once by the app root.
pub fn init() {
    let signals = Signals { entries: RwSignal::new(Vec::new()), sending: RwSignal::new(false) };
    SIGNALS.with(|s| s.set(Some(signals)));
    let user = Memo::new(move |_| state::session().with(|s| s.as_ref().map(|s| s.me.id)));
    Effect::new(move |_| {
        if user.get().is_some() {
            send_now();
        } else {
            signals.entries.set(Vec::new());
        }
    });
    // The app lives as long as the page, so the listener is never removed.
    let _ = window_event_listener(leptos::ev::online, move |_| send_now());
}

/// The signed-in account's records, oldest first.
pub(crate) async fn records_of(user_id: i64) -> Vec<Record> {
    let mut list: Vec<Record> = idb::all()
        .await
        .unwrap_or_default()
        .iter()
        .filter_map(Record::from_js)
        .filter(|r| r.user_id == user_id)
        .collect();
    list.sort_by(|a, b| a.queued_at.total_cmp(&b.queued_at));
    list
}

/// Reads the records again into the signal.
pub(crate) async fn refresh() {
    let Some(s) = signals() else { return };
    let list = match state::current() {
        Some(session) => records_of(session.me.id).await.iter().map(Record::entry).collect(),
        None => Vec::new(),
    };
    let _ = s.entries.try_set(list);
}

pub(crate) async fn store(record: &Record) -> Result<(), String> {
    idb::put(&record.to_js()).await.map_err(|_| "无法保存在手机上，请检查浏览器存储空间".to_string())
}

/// One record by id, when it belongs to the signed-in account.
pub async fn record(id: &str) -> Option<Record> {
    let me = state::current()?.me.id;
    idb::get(id).await.ok().flatten().and_then(|v| Record::from_js(&v)).filter(|r| r.user_id == me)
}

async fn queue(
    kind: Kind,
    id: String,
    body: &impl Serialize,
    photos: Vec<(String, web_sys::Blob)>,
) -> Result<(), String> {
    let user_id = state::current().map(|s| s.me.id).ok_or_else(|| "登录已失效，请重新登录".to_string())?;
    let body = serde_json::to_string(body).map_err(|_| "数据无法保存，请重试".to_string())?;
    // Saving again under the same id (修改) keeps the photos still named and not yet uploaded.
    let earlier = record(&id).await;
    let mut queued: Vec<QueuedPhoto> =
        photos.into_iter().map(|(id, blob)| QueuedPhoto { id, blob: Some(blob), uploaded: false }).collect();
    if let Some(old) = &earlier {
        for p in &old.photos {
            if body.contains(&p.id) && !queued.iter().any(|q| q.id == p.id) {
                queued.push(p.clone());
            }
        }
    }
    let record = Record {
        id,
        user_id,
        kind,
        queued_at: earlier.as_ref().map(|r| r.queued_at).unwrap_or_else(now_ms),
        body,
        photos: queued,
        needs_fix: false,
        error: None,
        attempts: 0,
        next_at: 0.0,
    };
    store(&record).await?;
    refresh().await;
    kick();
    Ok(())
}

/// Queues a capture with the shrunk photos not yet uploaded.
pub async fn queue_item(body: &CreateItem, photos: Vec<(String, web_sys::Blob)>) -> Result<(), String> {
    queue(Kind::Item, body.id.clone(), body, photos).await
}

/// Queues a visit record with its photo when it is not uploaded yet.
pub async fn queue_visit(body: &NewVisit, photos: Vec<(String, web_sys::Blob)>) -> Result<(), String> {
    queue(Kind::Visit, body.id.clone(), body, photos).await
}

/// Deletes a record on the user's word.
pub async fn remove(id: &str) {
    if record(id).await.is_some() {
        let _ = idb::delete(id).await;
    }
    refresh().await;
}

fn cache_key(path: &str) -> Option<String> {
    state::current().map(|s| format!("minqing.cache.{}.{path}", s.me.id))
}

/// `GET` a JSON answer, keeping the last one on the phone (per account) so a form can be filled with no network:
/// when the request never reaches the server, the kept answer is used.
pub async fn get_cached<T: Serialize + serde::de::DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    match api::get::<T>(path).await {
        Ok(value) => {
            if let (Some(s), Some(key), Ok(json)) = (&storage, cache_key(path), serde_json::to_string(&value)) {
                let _ = s.set_item(&key, &json);
            }
            Ok(value)
        }
        Err(e) if transient(&e) => storage
            .zip(cache_key(path))
            .and_then(|(s, key)| s.get_item(&key).ok().flatten())
            .and_then(|json| serde_json::from_str(&json).ok())
            .ok_or(e),
        Err(e) => Err(e),
    }
}
