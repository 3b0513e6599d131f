//! The form inside an open card: whom (from the register), what was seen and said, an optional photo, and whether a
//! concern is to be registered.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shared::channels::{VisitKind, VisitTarget, MAX_NOTE_CHARS};

use super::form::VisitForm;
use super::INLINE_FIELDS;
use crate::components::form_errors::{clear_field, general_error};
use crate::components::photo_slots::PhotoSlotView;
use crate::components::{names_field, ErrorBox, FieldError};
use crate::format;

/// The form inside an open card.
#[component]
pub(super) fn VisitFormView(form: VisitForm, kind: VisitKind, entries: Vec<VisitTarget>) -> impl IntoView {
    let navigate = use_navigate();
    let register = kind.is_register();
    let save = move |_| form.save(kind, navigate.clone());
    let note_count = move || form.note.with(|n| n.trim().chars().count());
    let note_over = move || note_count() > MAX_NOTE_CHARS;
    let root = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(el) = root.get() {
            if form.reveal.try_get_value() == Some(true) {
                form.reveal.set_value(false);
                // The card, clear of the sticky top bar (`scroll-margin-top`).
                if let Some(card) = el.parent_element() {
                    request_animation_frame(move || card.scroll_into_view_with_bool(true));
                }
            }
        }
    });
    let note_label = if register { "走访情况" } else { "群里反映的情况" };
    let placeholder = if register {
        "看到了什么、居民说了什么。可用输入法的语音输入。"
    } else {
        "谁在群里反映了什么问题。"
    };
    view! {
        <div id="visit-form" class="visit-form" data-kind=kind.code() node_ref=root on:click=|ev| ev.stop_propagation()>
            <FixNote form=form kind=kind/>
            <FieldError error=form.error field="visited_at"/>
            {register.then(|| view! { <TargetList form=form entries=entries/> })}
            <label for="visit-note" class="group-label">{note_label}</label>
            <textarea id="visit-note" rows="4" bind:value=form.note placeholder=placeholder
                class:invalid=move || form.error.with(|e| names_field(e, "note"))
                on:input=move |_| {
                    clear_field(form.error, "note");
                }></textarea>
            <p class="counter" class:over=note_over>{note_count}"/"{MAX_NOTE_CHARS}</p>
            <FieldError error=form.error field="note"/>
            <PhotoField form=form/>
            <label class="check raises-check">
                <input type="checkbox" id="visit-raises-item" bind:checked=form.raises_item/>
                "有诉求，登记民情"
            </label>
            <ErrorBox error=general_error(form.error, INLINE_FIELDS)/>
            <div class="actions visit-actions">
                <button type="button" id="visit-cancel" on:click=move |_| form.close()>"取消"</button>
                <button type="button" id="visit-save" class="primary" on:click=save
                    disabled=move || form.saving.get() || form.uploading()>
                    {move || if form.saving.get() {
                        "正在保存…"
                    } else if form.uploading() {
                        "照片上传中…"
                    } else if form.raises_item.get() {
                        "保存并登记民情"
                    } else {
                        "保存"
                    }}
                </button>
            </div>
        </div>
    }
}

/// 走访对象: the entries of the card's register, each with the day it was last visited.
#[component]
fn TargetList(form: VisitForm, entries: Vec<VisitTarget>) -> impl IntoView {
    let options = entries
        .into_iter()
        .map(|t| {
            let id = t.id;
            let checked = move || form.target.get() == Some(id);
            let last = match t.last_visited_on {
                Some(d) => format!("上次走访 {}", format::date_label(d)),
                None => "从未走访".to_string(),
            };
            view! {
                <label class="target-option" class:selected=checked>
                    <input type="radio" name="target" value=id.to_string() prop:checked=checked
                        on:change=move |_| {
                            form.target.set(Some(id));
                            clear_field(form.error, "target_id");
                        }/>
                    <span class="target-text">
                        <span class="target-name">{t.name.clone()}</span>
                        {t.address.clone().map(|a| view! { <span class="target-address">{a}</span> })}
                        <span class="target-last">{last}</span>
                    </span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="target-list">
            <legend>"走访对象"</legend>
            {options}
        </fieldset>
        <FieldError error=form.error field="target_id"/>
    }
}

/// 照片 (可不拍): the one photo, or the buttons that take it.
#[component]
fn PhotoField(form: VisitForm) -> impl IntoView {
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        input.set_value("");
        form.photo.clear();
        form.photo.add(file);
        clear_field(form.error, "photo_id");
    };
    // Drawn again only when another photo is taken (the photo itself follows its upload).
    let photo_id = Memo::new(move |_| form.photo.with(|v| v.first().map(|p| p.id.clone())));
    let photo_view = move || match photo_id.get() {
        None => view! {
            <div class="visit-photo-pick">
                <label for="visit-photo-camera" class="button">"拍照"</label>
                <label for="visit-photo-input" class="button">"相册"</label>
            </div>
        }
        .into_any(),
        Some(id) => view! { <PhotoSlotView slots=form.photo id=id retry=true single=true/> }.into_any(),
    };
    view! {
        <p class="group-label">"照片 "<span class="muted small">"（可不拍）"</span></p>
        {photo_view}
        <input id="visit-photo-input" class="visually-hidden" type="file" accept="image/*" on:change=on_file/>
        <input id="visit-photo-camera" class="visually-hidden" type="file" accept="image/*" capture="environment"
            on:change=on_file/>
        <FieldError error=form.error field="photo_id"/>
    }
}

/// A refused visit being fixed in this card's form: say so, and when it is recorded.
#[component]
fn FixNote(form: VisitForm, kind: VisitKind) -> impl IntoView {
    move || {
        form.fixing.get().filter(|f| f.kind == kind).map(|f| {
            let when = match f.at {
                Some(at) => format!("走访时间：{}", format::short(at)),
                None if f.too_old => "原走访时间已超过补记期限，将按今天记录".to_string(),
                None => "将按保存时的时间记录".to_string(),
            };
            view! {
                <div id="visit-fix" class="notice visit-fix">
                    <p class="visit-fix-title">"修改未能上传的走访"</p>
                    <p id="visit-fix-time" class="visit-fix-time" class:renoted=f.at.is_none()>{when}</p>
                </div>
            }
        })
    }
}
