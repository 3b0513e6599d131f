//! The photos of a form (a capture, a visit, a department's 返单): each chosen photo is shrunk on the phone, shown at
//! once, uploaded with its progress, may be tried again while its shrunk copy is here, and — when its upload failed
//! for want of a network — is handed to the outbox with the record. One model and one view for every form.

use std::cell::RefCell;
use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::{Blob, File, FileList};

use crate::{outbox, photo};

thread_local! {
    /// The shrunk photos not yet on the server, by photo id, for 重试 and the outbox (blobs cannot live in signals).
    static BLOBS: RefCell<HashMap<String, Blob>> = RefCell::new(HashMap::new());
}

/// Where a photo stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotState {
    Uploading,
    Done,
    Failed,
}

impl SlotState {
    /// The `data-state` of its element.
    pub fn code(self) -> &'static str {
        match self {
            SlotState::Uploading => "uploading",
            SlotState::Done => "done",
            SlotState::Failed => "failed",
        }
    }
}

/// One photo of a form.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    /// The photo's id (a UUID made here).
    pub id: String,
    pub state: SlotState,
    /// Share uploaded, 0.0–1.0.
    pub progress: f64,
    /// What the thumbnail shows: an object URL of the shrunk photo, or the server's signed thumbnail.
    pub preview: Option<String>,
    /// Whether `preview` is an object URL of ours, to be revoked.
    local_preview: bool,
    /// The server's thumbnail once uploaded.
    pub thumb_url: Option<String>,
    pub error: Option<String>,
    /// The upload failed for want of a network (or a busy server): the outbox can send it later.
    pub transient: bool,
}

impl Slot {
    fn uploading(id: String) -> Self {
        Self {
            id,
            state: SlotState::Uploading,
            progress: 0.0,
            preview: None,
            local_preview: false,
            thumb_url: None,
            error: None,
            transient: false,
        }
    }

    /// A photo on the server already, shown by its thumbnail (when known).
    pub fn uploaded(id: String, thumb_url: Option<String>) -> Self {
        Self { state: SlotState::Done, progress: 1.0, preview: thumb_url.clone(), thumb_url, ..Self::uploading(id) }
    }

    /// A photo kept on the phone with a record of the outbox, shown from its shrunk copy when there is one.
    pub fn kept(id: String, state: SlotState, copy: Option<&Blob>, error: Option<String>, transient: bool) -> Self {
        let preview = copy.and_then(|b| web_sys::Url::create_object_url_with_blob(b).ok());
        Self {
            state,
            progress: if state == SlotState::Done { 1.0 } else { 0.0 },
            local_preview: preview.is_some(),
            preview,
            error,
            transient,
            ..Self::uploading(id)
        }
    }

    /// Drops its shrunk copy and revokes its preview.
    fn forget(&self) {
        BLOBS.with(|b| b.borrow_mut().remove(&self.id));
        if self.local_preview {
            if let Some(url) = &self.preview {
                let _ = web_sys::Url::revoke_object_url(url);
            }
        }
    }

    /// Whether it may go to the outbox as it is: its upload failed for want of a network, and its shrunk copy is here.
    pub fn queueable(&self) -> bool {
        self.state == SlotState::Failed && self.transient && has_copy(&self.id)
    }
}

/// Whether the shrunk copy of the photo is still here (for 重试, or the outbox).
fn has_copy(id: &str) -> bool {
    BLOBS.with(|b| b.borrow().contains_key(id))
}

/// The photos of one form.
#[derive(Clone, Copy)]
pub struct PhotoSlots(RwSignal<Vec<Slot>>);

impl PhotoSlots {
    pub fn new(slots: Vec<Slot>) -> Self {
        Self(RwSignal::new(slots))
    }

    /// Reads the photos (tracked).
    pub fn with<R>(&self, f: impl FnOnce(&Vec<Slot>) -> R) -> R {
        self.0.with(f)
    }

    /// Reads the photos without tracking them.
    pub fn with_untracked<R>(&self, f: impl FnOnce(&Vec<Slot>) -> R) -> R {
        self.0.with_untracked(f)
    }

    /// The photos' ids, in order (tracked).
    pub fn ids(&self) -> Vec<String> {
        self.0.with(|v| v.iter().map(|s| s.id.clone()).collect())
    }

    /// How many photos there are (tracked).
    pub fn len(&self) -> usize {
        self.0.with(Vec::len)
    }

    /// Whether a photo is still on its way up (tracked).
    pub fn uploading(&self) -> bool {
        self.0.with(|v| v.iter().any(|s| s.state == SlotState::Uploading))
    }

    /// Shrinks and uploads a chosen photo.
    pub fn add(self, file: File) {
        let id = photo::new_uuid();
        self.0.update(|v| v.push(Slot::uploading(id.clone())));
        spawn_local(prepare_and_upload(self, id, file));
    }

    /// Adds the chosen photos while there is room for them (at most `max` in all); answers how many had no room.
    pub fn add_files(self, files: &FileList, max: usize) -> usize {
        let room = max.saturating_sub(self.0.with_untracked(Vec::len));
        let mut skipped = 0;
        for i in 0..files.length() {
            let Some(file) = files.get(i) else { continue };
            if i as usize >= room {
                skipped += 1;
                continue;
            }
            self.add(file);
        }
        skipped
    }

    /// Uploads a photo again from its shrunk copy.
    pub fn retry(self, id: String) {
        spawn_local(self.upload(id));
    }

    /// Takes a photo off the form.
    pub fn remove(self, id: &str) {
        self.0.update(|v| {
            if let Some(pos) = v.iter().position(|s| s.id == id) {
                v.remove(pos).forget();
            }
        });
    }

    /// Puts these photos in place of the form's (with the shrunk copies the outbox kept of them).
    pub fn replace(self, slots: Vec<Slot>, copies: Vec<(String, Blob)>) {
        let _ = self.0.try_update(|v| {
            v.iter().for_each(Slot::forget);
            BLOBS.with(|b| b.borrow_mut().extend(copies));
            *v = slots;
        });
    }

    /// Takes every photo off the form.
    pub fn clear(self) {
        self.replace(Vec::new(), Vec::new());
    }

    /// Drops the shrunk copies once the record went to the server or the outbox (the previews stay on screen).
    pub fn release(self) {
        if let Some(ids) = self.0.try_with_untracked(|v| v.iter().map(|s| s.id.clone()).collect::<Vec<_>>()) {
            BLOBS.with(|b| ids.iter().for_each(|id| drop(b.borrow_mut().remove(id))));
        }
    }

    /// The shrunk photos the outbox must upload with the record.
    pub fn queued(&self) -> Vec<(String, Blob)> {
        self.0.with_untracked(|v| {
            v.iter()
                .filter(|s| s.queueable())
                .filter_map(|s| BLOBS.with(|b| b.borrow().get(&s.id).cloned()).map(|blob| (s.id.clone(), blob)))
                .collect()
        })
    }

    /// Changes one photo if it is still on the form (it may have been taken off, or the page left, meanwhile).
    fn update(self, id: &str, f: impl FnOnce(&mut Slot)) -> bool {
        self.0.try_update(|v| v.iter_mut().find(|s| s.id == id).map(f).is_some()).unwrap_or(false)
    }

    /// Uploads (or uploads again) a photo from its shrunk copy.
    pub async fn upload(self, id: String) {
        let Some(blob) = BLOBS.with(|b| b.borrow().get(&id).cloned()) else {
            self.update(&id, |s| {
                s.state = SlotState::Failed;
                s.error = Some("照片已不在本机，请删除后重新选择".into());
            });
            return;
        };
        self.update(&id, |s| {
            s.state = SlotState::Uploading;
            s.progress = 0.0;
            s.error = None;
        });
        let progress_id = id.clone();
        let result = photo::upload(&id, &blob, move |p| {
            self.update(&progress_id, |s| s.progress = p);
        })
        .await;
        match result {
            Ok(uploaded) => {
                BLOBS.with(|b| b.borrow_mut().remove(&id));
                self.update(&id, |s| {
                    s.state = SlotState::Done;
                    s.progress = 1.0;
                    s.thumb_url = Some(uploaded.thumb_url);
                });
            }
            Err(e) => {
                self.update(&id, |s| {
                    s.state = SlotState::Failed;
                    s.transient = outbox::transient(&e);
                    s.error = Some(e.message);
                });
            }
        }
    }
}

/// Shrinks a chosen photo, shows it, and uploads it.
async fn prepare_and_upload(slots: PhotoSlots, id: String, file: File) {
    let blob: Blob = match photo::shrink(&file).await {
        Ok(b) => b,
        // Some formats decode on the server but not here: send those as they are when small enough.
        Err(_) if photo::acceptable_as_is(&file) => file.clone().into(),
        Err(message) => {
            slots.update(&id, |s| {
                s.state = SlotState::Failed;
                s.error = Some(message);
            });
            return;
        }
    };
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok();
    let still_here = slots.update(&id, |s| {
        s.preview = url.clone();
        s.local_preview = url.is_some();
    });
    if !still_here {
        if let Some(url) = url {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
        return;
    }
    BLOBS.with(|b| b.borrow_mut().insert(id.clone(), blob));
    slots.upload(id).await;
}

/// One photo: its thumbnail, progress, error and actions (重试 while its shrunk copy is here, when `retry`; 删除).
/// An `<li class="photo-slot">` of a list, or, `single`, the one `<div class="visit-photo">` of a form.
#[component]
pub fn PhotoSlotView(
    slots: PhotoSlots,
    id: String,
    /// Whether a failed upload may be tried again.
    #[prop(optional)]
    retry: bool,
    /// The form's only photo.
    #[prop(optional)]
    single: bool,
) -> impl IntoView {
    let find_id = id.clone();
    let slot = Memo::new(move |_| slots.with(|v| v.iter().find(|s| s.id == find_id).cloned()));
    let state = move || slot.with(|s| s.as_ref().map(|s| s.state).unwrap_or(SlotState::Failed));
    let remove_id = id.clone();
    let retry_id = id.clone();
    let can_retry = {
        let id = id.clone();
        move || retry && has_copy(&id)
    };
    let broken = RwSignal::new(false);
    let body = view! {
        <div class="photo-thumb">
            {move || match slot.with(|s| s.as_ref().and_then(|s| s.preview.clone())) {
                Some(src) if !broken.get() => view! {
                    <img src=src alt="照片" on:error=move |_| broken.set(true)/>
                }.into_any(),
                _ => view! {
                    <span class="photo-placeholder">
                        {move || if state() == SlotState::Done { "已上传" } else { "处理中…" }}
                    </span>
                }.into_any(),
            }}
            {move || (state() == SlotState::Uploading).then(|| {
                let pct = move || slot.with(|s| s.as_ref().map(|s| (s.progress * 100.0).round() as i64).unwrap_or(0));
                view! {
                    <div class="photo-progress" role="progressbar" aria-valuemin="0" aria-valuemax="100"
                        aria-valuenow=move || pct().to_string()>
                        <span style:width=move || format!("{}%", pct())></span>
                    </div>
                }
            })}
            {move || (state() == SlotState::Done).then(|| view! { <span class="photo-ok" aria-label="已上传">"✓"</span> })}
        </div>
        {move || (state() == SlotState::Failed).then(|| view! {
            <p class="photo-error">{move || slot.with(|s| s.as_ref().and_then(|s| s.error.clone()).unwrap_or_default())}</p>
        })}
        <div class="photo-actions">
            {move || (state() == SlotState::Failed && can_retry()).then(|| {
                let id = retry_id.clone();
                view! { <button type="button" class="photo-retry" on:click=move |_| slots.retry(id.clone())>"重试"</button> }
            })}
            <button type="button" class="photo-remove" on:click=move |_| slots.remove(&remove_id)>"删除"</button>
        </div>
    };
    if single {
        view! { <div class="visit-photo" data-state=move || state().code()>{body}</div> }.into_any()
    } else {
        view! { <li class="photo-slot" data-state=move || state().code() data-photo-id=id.clone()>{body}</li> }
            .into_any()
    }
}
