//! 登记会议: the form that records a meeting — station, kind, day, who attended by category (count and names), the
//! minutes — kept by the page while it is closed, so nothing typed is lost and a record sent twice is made once.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use shared::channels::{Attendance, AttendeeCategory, Meeting, MeetingKind, NewMeeting, MAX_NOTE_CHARS};
use shared::{ApiError, ErrorCode, Problem};

use crate::api;
use crate::components::form_errors::{
    clear_field, field_message, general_error, problem, refusal, rename_fields, show_first_error,
};
use crate::components::gatherings::{station_select, StationChoice};
use crate::components::{names_field, ErrorBox, FieldError};
use crate::format::{self, day_input, parse_day};
use crate::photo;

/// The most a category may count.
const MAX_COUNT: u32 = 999;
/// The longest names of a category, in characters.
const MAX_NAMES_CHARS: usize = 500;
/// The form's fields whose errors show under them.
const INLINE_FIELDS: &[&str] = &["station_id", "kind", "held_on", "attendees", "minutes"];

/// The form's field for a category's count and names.
fn attendee_field(c: AttendeeCategory) -> String {
    format!("attendees.{}", c.code())
}

/// How often a meeting of the kind is due.
fn kind_hint(kind: MeetingKind) -> &'static str {
    match kind {
        MeetingKind::MonthlyTalk => "每月一次",
        MeetingKind::QuarterlyJoint => "每季度一次",
    }
}

/// One category's line of the form.
#[derive(Clone, Copy)]
struct AttendeeRow {
    category: AttendeeCategory,
    count: RwSignal<String>,
    names: RwSignal<String>,
}

/// What the meeting form holds; kept by the page so that closing and reopening the form (or a failed save) keeps
/// what was typed and the same id, and a record sent twice is made once.
#[derive(Clone, Copy)]
pub(super) struct MeetingForm {
    id: StoredValue<String>,
    station: RwSignal<Option<i64>>,
    kind: RwSignal<MeetingKind>,
    held_on: RwSignal<String>,
    rows: StoredValue<Vec<AttendeeRow>>,
    minutes: RwSignal<String>,
    /// The categories sent in the last request, in its order: the server names them by index.
    sent: StoredValue<Vec<AttendeeCategory>>,
}

impl MeetingForm {
    pub(super) fn new() -> Self {
        let rows = AttendeeCategory::ALL
            .iter()
            .map(|c| AttendeeRow {
                category: *c,
                count: RwSignal::new(String::new()),
                names: RwSignal::new(String::new()),
            })
            .collect();
        Self {
            id: StoredValue::new(photo::new_uuid()),
            station: RwSignal::new(None),
            kind: RwSignal::new(MeetingKind::MonthlyTalk),
            held_on: RwSignal::new(day_input(format::city_today())),
            rows: StoredValue::new(rows),
            minutes: RwSignal::new(String::new()),
            sent: StoredValue::new(Vec::new()),
        }
    }

    /// Everyone counted so far (what cannot be read counts 0).
    fn total(&self) -> u32 {
        self.rows.with_value(|rows| rows.iter().map(|r| r.count.with(|c| c.trim().parse::<u32>().unwrap_or(0))).sum())
    }

    /// The request, or every problem found before sending.
    fn request(&self, today: NaiveDate) -> Result<NewMeeting, ApiError> {
        let mut problems: Vec<Problem> = Vec::new();
        let station = self.station.get_untracked();
        if station.is_none() {
            problems.push(problem("station_id", "请选择召开会议的服务站"));
        }
        let held_on = parse_day(&self.held_on.get_untracked());
        match held_on {
            None => problems.push(problem("held_on", "请选择会议日期")),
            Some(d) if d > today => problems.push(problem("held_on", "日期不能晚于今天")),
            Some(_) => {}
        }
        let mut attendees: Vec<Attendance> = Vec::new();
        let mut total = 0u32;
        for row in self.rows.get_value() {
            let count_text = row.count.get_untracked();
            let names = row.names.get_untracked().trim().to_string();
            let count = match count_text.trim() {
                "" => Some(0),
                t => t.parse::<u32>().ok().filter(|n| *n <= MAX_COUNT),
            };
            let Some(count) = count else {
                problems.push(problem(&attendee_field(row.category), "人数应在0到999之间"));
                continue;
            };
            if names.chars().count() > MAX_NAMES_CHARS {
                problems.push(problem(&attendee_field(row.category), "参会人员不能超过500个字"));
                continue;
            }
            total += count;
            if count > 0 || !names.is_empty() {
                attendees.push(Attendance { category: row.category, count, names });
            }
        }
        if total == 0 && !problems.iter().any(|p| p.field.as_deref().is_some_and(|f| f.starts_with("attendees"))) {
            problems.push(problem("attendees", "请填写参会人数"));
        }
        let minutes = self.minutes.get_untracked().trim().to_string();
        if minutes.is_empty() {
            problems.push(problem("minutes", "请填写会议记录"));
        } else if minutes.chars().count() > MAX_NOTE_CHARS {
            problems.push(problem("minutes", format!("会议记录不能超过{MAX_NOTE_CHARS}个字")));
        }
        if let Some(e) = refusal(problems) {
            return Err(e);
        }
        match (station, held_on) {
            (Some(station_id), Some(held_on)) => Ok(NewMeeting {
                id: self.id.get_value(),
                station_id,
                kind: self.kind.get_untracked(),
                held_on,
                attendees,
                minutes,
            }),
            _ => Err(ApiError::field("station_id", "请选择召开会议的服务站")),
        }
    }

    /// The server's `attendees[i].count` (or `.names`, `.category`) as the form's field of that category.
    fn rename(&self, e: ApiError) -> ApiError {
        let sent = self.sent.get_value();
        rename_fields(e, |f| {
            let index = f.strip_prefix("attendees[")?.split(']').next()?.parse::<usize>().ok()?;
            sent.get(index).map(|c| attendee_field(*c))
        })
    }
}

/// The form recording a meeting.
#[component]
pub(super) fn MeetingFormView(form: MeetingForm, stations: Vec<StationChoice>, open: RwSignal<bool>) -> impl IntoView {
    if stations.len() == 1 && form.station.get_untracked().is_none() {
        form.station.set(stations.first().map(|s| s.id));
    }
    let today = format::city_today();
    let error = RwSignal::new(None::<ApiError>);
    let saving = RwSignal::new(false);
    let navigate = use_navigate();

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let body = match form.request(format::city_today()) {
            Ok(b) => b,
            Err(e) => {
                error.set(Some(e));
                show_first_error("meeting-form");
                return;
            }
        };
        form.sent.set_value(body.attendees.iter().map(|a| a.category).collect());
        error.set(None);
        saving.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::post::<_, Meeting>("/api/meetings", &body).await {
                Ok(m) => navigate(&format!("/meetings/{}", api::encode(&m.id)), Default::default()),
                Err(e) => {
                    let _ = error.try_set(Some(form.rename(e)));
                    let _ = saving.try_set(false);
                    show_first_error("meeting-form");
                }
            }
        });
    };

    let kinds = MeetingKind::ALL
        .iter()
        .map(|k| {
            let k = *k;
            view! {
                <label class="choice">
                    <input type="radio" name="meeting-kind" value=k.code() prop:checked=move || form.kind.get() == k
                        on:change=move |_| {
                            form.kind.set(k);
                            clear_field(error, "kind");
                        }/>
                    <span>{k.label()}</span>
                    <span class="small muted">{kind_hint(k)}</span>
                </label>
            }
        })
        .collect_view();
    let attendee_rows = form
        .rows
        .get_value()
        .into_iter()
        .map(|row| {
            let code = row.category.code();
            let label = row.category.label();
            let field = attendee_field(row.category);
            let marked = {
                let field = field.clone();
                move || error.with(|e| names_field(e, &field) || names_field(e, "attendees"))
            };
            let on_change = {
                let field = field.clone();
                move || {
                    clear_field(error, &field);
                    clear_field(error, "attendees");
                }
            };
            let on_change2 = on_change.clone();
            view! {
                <div class="attendee-row" data-category=code>
                    <label for=format!("attendees-{code}")>{label}</label>
                    <input id=format!("attendees-{code}") class="attendee-count" type="number" inputmode="numeric"
                        min="0" max=MAX_COUNT.to_string() step="1" placeholder="0" bind:value=row.count
                        class:invalid=marked on:input=move |_| on_change()/>
                    <input id=format!("attendees-{code}-names") class="attendee-names" type="text"
                        placeholder="姓名或单位" aria-label=format!("{label}姓名或单位") bind:value=row.names
                        on:input=move |_| on_change2()/>
                </div>
                {field_message(error, field)}
            }
        })
        .collect_view();
    let minutes_count = move || form.minutes.with(|m| m.trim().chars().count());
    let minutes_over = move || minutes_count() > MAX_NOTE_CHARS;
    let conflict = move || {
        error.with(|e| e.as_ref().is_some_and(|e| e.code == ErrorCode::Conflict)).then(|| {
            let href = format!("/meetings/{}", api::encode(&form.id.get_value()));
            view! { <p class="hint"><a href=href id="meeting-saved-link">"查看已保存的会议记录"</a></p> }
        })
    };

    view! {
        <form id="meeting-form" class="card form meeting-form" novalidate on:submit=save>
            <h3>"登记会议"</h3>
            <label for="meeting-station">"服务站"</label>
            {station_select("meeting-station", stations, form.station, error, "station_id")}
            <FieldError error=error field="station_id"/>
            <span class="form-label">"会议类型"</span>
            <div class="choice-row" role="radiogroup" aria-label="会议类型">{kinds}</div>
            <FieldError error=error field="kind"/>
            <label for="meeting-date">"会议日期"</label>
            <input id="meeting-date" type="date" max=day_input(today) bind:value=form.held_on
                class:invalid=move || error.with(|e| names_field(e, "held_on"))
                on:input=move |_| clear_field(error, "held_on")/>
            <FieldError error=error field="held_on"/>
            <fieldset class="attendees">
                <legend>"参会人员"</legend>
                <p class="hint">"填写各类参会人数，姓名或单位可不填。"</p>
                {attendee_rows}
                <p class="attendee-total">"合计 "<strong id="meeting-form-total">{move || form.total()}</strong>" 人"</p>
            </fieldset>
            <FieldError error=error field="attendees"/>
            <label for="meeting-minutes">"会议记录"</label>
            <textarea id="meeting-minutes" bind:value=form.minutes placeholder="会议议题、居民反映的问题、议定的事项…"
                class:invalid=move || error.with(|e| names_field(e, "minutes"))
                on:input=move |_| clear_field(error, "minutes")></textarea>
            <p class="counter" class:over=minutes_over>
                {move || format!("{}/{}", minutes_count(), MAX_NOTE_CHARS)}
            </p>
            <FieldError error=error field="minutes"/>
            <ErrorBox error=general_error(error, INLINE_FIELDS)/>
            {conflict}
            <p class="hint">"保存后可在会议记录中登记会上收集的民情。"</p>
            <div class="actions">
                <button type="submit" id="meeting-save" class="primary" disabled=move || saving.get()>
                    {move || if saving.get() { "正在保存…" } else { "保存会议记录" }}
                </button>
                <button type="button" id="meeting-cancel" on:click=move |_| open.set(false)>"收起"</button>
            </div>
        </form>
    }
}
