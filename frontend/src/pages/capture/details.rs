//! The capture form's later sections: the building leader credited (代楼长登记), the resident, what was raised, solved
//! on the spot, the address and position, and the photos.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::channels::BuildingLeader;
use shared::item::{MAX_CONTENT_CHARS, MAX_PHOTOS_PER_ITEM};
use shared::validate::normalize_phone;
use shared::ApiError;

use super::form::{Form, MAX_RESULT_CHARS};
use crate::api;
use crate::components::form_errors::clear_field;
use crate::components::photo_slots::PhotoSlotView;
use crate::components::{names_field, FieldError};
use crate::photo;

/// 代楼长登记: a grid leader registers an item a building leader of the grid reported (optional).
#[component]
pub(super) fn BuildingLeaderPicker(form: Form, grids: Vec<i64>, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let own_grids = grids.clone();
    let leaders = LocalResource::new(move || {
        let grids = grids.clone();
        async move {
            let mut out: Vec<BuildingLeader> = Vec::new();
            for g in grids {
                out.extend(api::get::<Vec<BuildingLeader>>(&format!("/api/building-leaders?grid_id={g}")).await?);
            }
            Ok::<_, ApiError>(out)
        }
    });
    move || {
        let list = match leaders.get() {
            Some(Ok(list)) if !list.is_empty() => list,
            _ => return None,
        };
        let buildings: Vec<(i64, i64)> = list.iter().map(|b| (b.person.id, b.building.id)).collect();
        let own_grids = own_grids.clone();
        let choose = move |ev: leptos::ev::Event| {
            let chosen: Option<i64> = event_target_value(&ev).parse().ok();
            form.building_leader.set(chosen);
            // A building leader reports about their building: it becomes the place unless one was picked.
            let place = form.place_id.get_untracked();
            if place.is_none() || place.is_some_and(|p| own_grids.contains(&p)) {
                if let Some((_, building)) = chosen.and_then(|c| buildings.iter().find(|(p, _)| *p == c)) {
                    form.place_id.set(Some(*building));
                }
            }
            clear_field(error, "building_leader_id");
        };
        Some(view! {
            <section class="field-group building-leader-group">
                <label for="building-leader" class="group-label">"代楼长登记 "<span class="muted small">"（可不选）"</span></label>
                <select id="building-leader" on:change=choose
                    class:invalid=move || error.with(|e| names_field(e, "building_leader_id"))>
                    <option value="" selected=move || form.building_leader.get().is_none()>"不代楼长登记"</option>
                    {list
                        .into_iter()
                        .map(|b| {
                            let id = b.person.id;
                            view! {
                                <option value=id.to_string() selected=move || form.building_leader.get() == Some(id)>
                                    {format!("{}（{}）", b.person.name, b.building.name)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <FieldError error=error field="building_leader_id"/>
            </section>
        })
    }
}

/// 现场已解决: at a meeting or reception, an item solved there and then is registered as solved, with how.
#[component]
pub(super) fn OnSpotSection(form: Form, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let count = move || form.solved_result.with(|r| r.trim().chars().count());
    let over = move || count() > MAX_RESULT_CHARS;
    view! {
        <section class="field-group on-spot-group" id="on-spot-group">
            <label class="check">
                <input type="checkbox" id="solved-on-spot" bind:checked=form.on_spot/>
                "现场已解决"
            </label>
            {move || form.on_spot.get().then(|| view! {
                <label for="solved-result" class="group-label">"解决情况"</label>
                <textarea id="solved-result" rows="3" bind:value=form.solved_result
                    placeholder="现场是怎样解决的，作为办理结果告知居民"
                    class:invalid=move || error.with(|e| names_field(e, "solved_on_spot"))
                    on:input=move |_| {
                        clear_field(error, "solved_on_spot");
                    }></textarea>
                <p class="counter" class:over=over>{count}"/"{MAX_RESULT_CHARS}</p>
                <p class="hint">"登记后即为街道社区办结，请在2日内告知居民结果。"</p>
            })}
            <FieldError error=error field="solved_on_spot"/>
        </section>
    }
}

/// 居民: name and phone (both optional; the phone is tidied when the field is left), and 同意回访.
#[component]
pub(super) fn ResidentSection(form: Form, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let check_phone = move |_| {
        let raw = form.resident_phone.get_untracked();
        if raw.trim().is_empty() {
            clear_field(error, "resident_phone");
            return;
        }
        match normalize_phone(&raw) {
            Ok(p) => {
                if p != raw {
                    form.resident_phone.set(p);
                }
                clear_field(error, "resident_phone");
            }
            Err(m) => error.set(Some(ApiError::field("resident_phone", m))),
        }
    };
    view! {
        <section class="field-group">
            <h3>"居民"</h3>
            <div class="two-col">
                <div>
                    <label for="resident-name" class="small-label">"姓名（可不填）"</label>
                    <input id="resident-name" type="text" autocomplete="off" maxlength="40"
                        bind:value=form.resident_name
                        class:invalid=move || error.with(|e| names_field(e, "resident_name"))/>
                </div>
                <div>
                    <label for="resident-phone" class="small-label">"手机号（可不填）"</label>
                    <input id="resident-phone" type="tel" inputmode="numeric" autocomplete="off"
                        maxlength="20" bind:value=form.resident_phone on:blur=check_phone
                        class:invalid=move || error.with(|e| names_field(e, "resident_phone"))/>
                </div>
            </div>
            <FieldError error=error field="resident_name"/>
            <FieldError error=error field="resident_phone"/>
            <label class="check">
                <input type="checkbox" id="callback-consent" bind:checked=form.consent/>
                "同意回访"
            </label>
        </section>
    }
}

/// 收集内容, with its count of characters.
#[component]
pub(super) fn ContentSection(form: Form, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let content_count = move || form.content.with(|c| c.trim().chars().count());
    let content_over = move || content_count() > MAX_CONTENT_CHARS;
    view! {
        <section class="field-group">
            <label for="content" class="group-label">"收集内容"</label>
            <textarea id="content" rows="4" bind:value=form.content
                placeholder="居民反映的问题和诉求。可用输入法的语音输入。"
                class:invalid=move || error.with(|e| names_field(e, "content"))
                on:input=move |_| {
                    clear_field(error, "content");
                }></textarea>
            <p class="counter" class:over=content_over>
                {content_count}"/"{MAX_CONTENT_CHARS}
            </p>
            <FieldError error=error field="content"/>
        </section>
    }
}

/// 地址 and the position from the browser (`note` says why there is none).
#[component]
pub(super) fn AddressSection(
    form: Form,
    error: RwSignal<Option<ApiError>>,
    note: RwSignal<Option<String>>,
) -> impl IntoView {
    let locating = RwSignal::new(false);
    let locate = move |_| {
        locating.set(true);
        note.set(None);
        spawn_local(async move {
            match photo::locate().await {
                Ok(p) => {
                    let _ = form.position.try_set(Some(p));
                }
                Err(m) => {
                    let _ = note.try_set(Some(m));
                }
            }
            let _ = locating.try_set(false);
        });
    };
    view! {
        <section class="field-group">
            <label for="address" class="group-label">"地址（可不填）"</label>
            <div class="address-row">
                <input id="address" type="text" autocomplete="off" maxlength="200"
                    placeholder="门牌号、小区等" bind:value=form.address
                    class:invalid=move || error.with(|e| names_field(e, "address"))/>
                <button type="button" id="locate" on:click=locate disabled=move || locating.get()>
                    {move || if locating.get() { "定位中…" } else { "获取位置" }}
                </button>
            </div>
            {move || form.position.get().map(|p| view! {
                <p class="hint located">
                    {format!("已获取位置（精度约{}米）", p.accuracy.round() as i64)}
                    <button type="button" class="link-button" on:click=move |_| form.position.set(None)>"清除"</button>
                </p>
            })}
            {move || note.get().map(|m| view! { <p class="hint">{m}</p> })}
            <FieldError error=error field="address"/>
        </section>
    }
}

/// 照片: up to the most an item takes, from the camera or the album (`note` says when some had no room).
#[component]
pub(super) fn PhotoSection(
    form: Form,
    error: RwSignal<Option<ApiError>>,
    note: RwSignal<Option<String>>,
) -> impl IntoView {
    let on_files = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(files) = input.files() else { return };
        let skipped = form.slots.add_files(&files, MAX_PHOTOS_PER_ITEM);
        input.set_value("");
        note.set((skipped > 0).then(|| format!("每条民情最多{MAX_PHOTOS_PER_ITEM}张照片，有{skipped}张没有添加")));
        clear_field(error, "photo_ids");
    };
    view! {
        <section class="field-group">
            <h3>"照片" <span class="muted small">{format!("（可不拍，最多{MAX_PHOTOS_PER_ITEM}张）")}</span></h3>
            <ul class="photo-grid">
                <For each=move || form.slots.ids() key=|id| id.clone() let:id>
                    <PhotoSlotView slots=form.slots id=id retry=true/>
                </For>
                {move || (form.slots.len() < MAX_PHOTOS_PER_ITEM).then(|| view! {
                    <li class="photo-add">
                        <label for="photo-camera" class="button">"拍照"</label>
                        <label for="photo-input" class="button">"相册"</label>
                    </li>
                })}
            </ul>
            <input id="photo-input" class="visually-hidden" type="file" accept="image/*" multiple=true
                on:change=on_files/>
            <input id="photo-camera" class="visually-hidden" type="file" accept="image/*"
                capture="environment" on:change=on_files/>
            {move || note.get().map(|m| view! { <p class="hint">{m}</p> })}
            <FieldError error=error field="photo_ids"/>
        </section>
    }
}
