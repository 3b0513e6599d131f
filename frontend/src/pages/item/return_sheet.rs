//! 返单: the department's return of the sheet — solved or not, what was done, when, the 10-day part (现场办公, the
//! measures, why it cannot be solved and what is proposed) and the result's photos.

use leptos::prelude::*;
use shared::item::{Item, MAX_PHOTOS_PER_ITEM};
use shared::journey::{ActionKind, ReturnSheet};
use shared::validate::check_result;
use shared::Problem;

use super::actions::{form_shell, optional, text_area, yes_no_choice, Ctx};
use crate::components::form_errors::problem;
use crate::components::photo_slots::{PhotoSlotView, PhotoSlots, SlotState};
use crate::components::{names_field, FieldError};
use crate::format;

/// The fields of the 10-day part.
const LATE_FIELDS: &[&str] = &["onsite", "measures_clear", "measures", "unsolved_reason", "countermeasures"];

/// The answers of the 返单 form.
#[derive(Clone, Copy)]
struct Sheet {
    solved: RwSignal<Option<bool>>,
    result: RwSignal<String>,
    solved_at: RwSignal<String>,
    /// The time the form opened with: left as it is, no time is sent and the server takes the moment of the return
    /// (never before the accept).
    default_solved_at: StoredValue<String>,
    /// The server says 10 days (calendar or working, as configured) have passed since 接单.
    past_ten_days: bool,
    late_opened: RwSignal<bool>,
    /// The 10-day part shows when the item is not solved, is past 10 days, was opened, or the server asks for it.
    late_shown: Memo<bool>,
    /// On-site offices or meetings recorded on this dispatch (第七条2); a late or unsolvable return needs one.
    onsite_records: usize,
    measures_clear: RwSignal<Option<bool>>,
    measures: RwSignal<String>,
    unsolved_reason: RwSignal<String>,
    countermeasures: RwSignal<String>,
    photos: PhotoSlots,
}

impl Sheet {
    fn new(item: &Item, ctx: Ctx) -> Self {
        let past_ten_days = item.journey.dispatch.as_ref().is_some_and(|d| d.onsite_required);
        let solved = RwSignal::new(None::<bool>);
        let late_opened = RwSignal::new(past_ten_days);
        let default_solved_at = format::to_input(format::now());
        Self {
            solved,
            result: RwSignal::new(String::new()),
            solved_at: RwSignal::new(default_solved_at.clone()),
            default_solved_at: StoredValue::new(default_solved_at),
            past_ten_days,
            late_opened,
            late_shown: Memo::new(move |_| {
                solved.get() == Some(false)
                    || late_opened.get()
                    || ctx.error.with(|e| LATE_FIELDS.iter().any(|f| names_field(e, f)))
            }),
            onsite_records: item.journey.onsite_records.len(),
            measures_clear: RwSignal::new(None),
            measures: RwSignal::new(String::new()),
            unsolved_reason: RwSignal::new(String::new()),
            countermeasures: RwSignal::new(String::new()),
            photos: PhotoSlots::new(Vec::new()),
        }
    }

    /// The request, or every problem found before sending.
    fn request(&self, version: i64) -> Result<ReturnSheet, Vec<Problem>> {
        if self.photos.with_untracked(|v| v.iter().any(|p| p.state == SlotState::Uploading)) {
            return Err(vec![problem("photo_ids", "照片正在上传，请稍候再提交")]);
        }
        let mut problems = Vec::new();
        let Some(is_solved) = self.solved.get_untracked() else {
            return Err(vec![problem("solved", "请选择是否办结")]);
        };
        let text = self.result.get_untracked();
        if let Err(m) = check_result(&text) {
            problems.push(problem("result", m));
        }
        let typed_at = self.solved_at.get_untracked();
        let when = if is_solved && typed_at != self.default_solved_at.get_value() {
            match format::from_input(&typed_at) {
                Some(at) if at > format::now() + chrono::Duration::minutes(1) => {
                    problems.push(problem("solved_at", "完成时间不能晚于现在"));
                    None
                }
                Some(at) => Some(at),
                None => {
                    problems.push(problem("solved_at", "请填写完成时间"));
                    None
                }
            }
        } else {
            None
        };
        let late = self.late_shown.get_untracked();
        if !is_solved && self.onsite_records == 0 {
            problems.push(problem("solved", "无法办结须先经现场办公、多次沟通协调：请先填写现场办公记录"));
        } else if late && self.past_ten_days && self.onsite_records == 0 {
            problems.push(problem("onsite", "已满10日未办结：请先填写上方的现场办公记录，再返单"));
        }
        if late && (!is_solved || self.past_ten_days) && self.measures_clear.get_untracked().is_none() {
            problems.push(problem("measures_clear", "请选择是否明确解决措施"));
        }
        let measures_text = optional(self.measures.get_untracked()).filter(|_| late);
        if late && self.measures_clear.get_untracked() == Some(true) && measures_text.is_none() {
            problems.push(problem("measures", "请填写解决措施"));
        }
        let reason = optional(self.unsolved_reason.get_untracked()).filter(|_| !is_solved);
        let counter = optional(self.countermeasures.get_untracked()).filter(|_| !is_solved);
        if !is_solved {
            if reason.is_none() {
                problems.push(problem("unsolved_reason", "请填写经沟通仍无法处理的原因"));
            }
            if counter.is_none() {
                problems.push(problem("countermeasures", "请填写建议对策"));
            }
        }
        if self.photos.with_untracked(|v| v.iter().any(|p| p.state == SlotState::Failed)) {
            problems.push(problem("photo_ids", "有照片没有上传成功，请删除后重新选择"));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(ReturnSheet {
            version,
            solved: is_solved,
            result: text.trim().to_string(),
            solved_at: when,
            onsite: (late && self.onsite_records > 0).then_some(true),
            measures_clear: self.measures_clear.get_untracked().filter(|_| late),
            measures: measures_text,
            unsolved_reason: reason,
            countermeasures: counter,
            photo_ids: self.photos.with_untracked(|v| v.iter().map(|p| p.id.clone()).collect()),
        })
    }
}

#[component]
pub(super) fn ReturnSheetForm(ctx: Ctx, item: Item) -> impl IntoView {
    let sheet = Sheet::new(&item, ctx);
    let photos = sheet.photos;
    on_cleanup(move || photos.clear());
    let submit = move || match sheet.request(ctx.version) {
        Ok(body) => {
            let done = if body.solved {
                "已返单，街道社区将反馈居民"
            } else {
                "已返单，等待部门主要领导签字"
            };
            ctx.submit(ActionKind::ReturnSheet, body, done);
        }
        Err(problems) => ctx.refuse(problems),
    };
    let solved = sheet.solved;
    let result_label = move || if solved.get() == Some(false) { "办理情况" } else { "办理结果" };
    let fields = view! {
        <p class="group-label">"是否办结"</p>
        {yes_no_choice("solved", solved, "已办结", "无法办结")}
        <FieldError error=ctx.error field="solved"/>
        <label for="action-result">{result_label}</label>
        <textarea id="action-result" rows="4" bind:value=sheet.result placeholder="做了什么，结果如何"
            class:invalid=move || ctx.error.with(|e| names_field(e, "result"))></textarea>
        <FieldError error=ctx.error field="result"/>
        {move || (solved.get() == Some(true)).then(|| view! {
            <label for="solved-at">"实际完成时间"</label>
            <p class="hint">"办结时间以返单提交时间为准；如工作在此前已完成，可在这里注明。"</p>
            <input id="solved-at" type="datetime-local" bind:value=sheet.solved_at max=format::to_input(format::now())
                class:invalid=move || ctx.error.with(|e| names_field(e, "solved_at"))/>
            <FieldError error=ctx.error field="solved_at"/>
        })}
        <LatePart sheet=sheet ctx=ctx/>
        <ResultPhotos photos=photos ctx=ctx/>
    };
    form_shell(
        ctx,
        ActionKind::ReturnSheet,
        &[
            "solved",
            "result",
            "solved_at",
            "onsite",
            "measures_clear",
            "measures",
            "unsolved_reason",
            "countermeasures",
            "photo_ids",
        ],
        "确认返单",
        submit,
        fields,
    )
}

/// 10日内未办结: 现场办公, the measures, and for an item not solved why and what is proposed — or the link that opens it.
#[component]
fn LatePart(sheet: Sheet, ctx: Ctx) -> impl IntoView {
    let Sheet { solved, onsite_records, measures_clear, measures, unsolved_reason, countermeasures, .. } = sheet;
    move || {
        if sheet.late_shown.get() {
            view! {
                <fieldset class="late-part" id="late-part">
                    <legend>"10日内未办结"</legend>
                    <p class="hint">"受理超过10日仍未办结的，须现场办公、查明原因并向主要领导汇报。"</p>
                    <p class="group-label">"是否现场办公"</p>
                    <p id="onsite-status" class:warn=onsite_records == 0>
                        {if onsite_records == 0 {
                            "否：尚无现场办公记录，请先在上方“现场办公记录”中填写".to_string()
                        } else {
                            format!("是：已有现场办公记录{onsite_records}次")
                        }}
                    </p>
                    <FieldError error=ctx.error field="onsite"/>
                    <p class="group-label">"是否明确解决措施"</p>
                    {yes_no_choice("measures-clear", measures_clear, "是", "否")}
                    <FieldError error=ctx.error field="measures_clear"/>
                    {move || (measures_clear.get() == Some(true)).then(|| view! {
                        <label for="measures">"解决措施"</label>
                        <input id="measures" type="text" bind:value=measures
                            class:invalid=move || ctx.error.with(|e| names_field(e, "measures"))/>
                        <FieldError error=ctx.error field="measures"/>
                    })}
                    {move || (solved.get() == Some(false)).then(|| view! {
                        {text_area(ctx, "unsolved-reason", "经沟通，仍无法处理原因", "unsolved_reason", unsolved_reason, "")}
                        {text_area(ctx, "countermeasures", "建议对策", "countermeasures", countermeasures, "")}
                        <p class="hint">"提交后由部门主要领导签字，再退回街道。"</p>
                    })}
                </fieldset>
            }
            .into_any()
        } else {
            view! {
                <button type="button" id="open-late-part" class="link-button" on:click=move |_| sheet.late_opened.set(true)>
                    "超过10日才办结？填写现场办公情况"
                </button>
            }
            .into_any()
        }
    }
}

/// 办结照片: up to the most an item takes, from the camera or the album.
#[component]
fn ResultPhotos(photos: PhotoSlots, ctx: Ctx) -> impl IntoView {
    let on_files = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(files) = input.files() else { return };
        photos.add_files(&files, MAX_PHOTOS_PER_ITEM);
        input.set_value("");
    };
    view! {
        <p class="group-label">"办结照片（可不拍，最多"{MAX_PHOTOS_PER_ITEM}"张）"</p>
        <ul class="photo-grid">
            <For each=move || photos.ids() key=|id| id.clone() let:id>
                <PhotoSlotView slots=photos id=id/>
            </For>
            {move || (photos.len() < MAX_PHOTOS_PER_ITEM).then(|| view! {
                <li class="photo-add">
                    <label for="result-photo-camera" class="button">"拍照"</label>
                    <label for="result-photo-input" class="button">"相册"</label>
                </li>
            })}
        </ul>
        <input id="result-photo-input" class="visually-hidden" type="file" accept="image/*" multiple=true
            on:change=on_files/>
        <input id="result-photo-camera" class="visually-hidden" type="file" accept="image/*" capture="environment"
            on:change=on_files/>
        <FieldError error=ctx.error field="photo_ids"/>
    }
}
