//! 登记接待: records a reception held — station, host, day, how many residents came, the record — from the form or
//! filled from a planned reception of the schedule.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use shared::channels::{NewReception, Reception, ReceptionHost, MAX_NOTE_CHARS};
use shared::item::PersonRef;
use shared::{ApiError, ErrorCode, Problem};

use crate::api;
use crate::components::form_errors::{clear_field, general_error, problem, refusal, show_first_error};
use crate::components::gatherings::{station_select, StationChoice};
use crate::components::{names_field, ErrorBox, FieldError};
use crate::format::{self, day_input, parse_day};
use crate::photo;
use crate::state;

/// The most residents one reception records.
const MAX_RESIDENTS: u32 = 9999;
/// The fields whose errors show under them.
const RECEPTION_FIELDS: &[&str] = &["station_id", "host_id", "held_on", "residents", "notes"];

/// What the reception form holds; kept by the page so a planned reception can fill it, and a record sent twice
/// (the same id) is made once.
#[derive(Clone, Copy)]
pub(super) struct ReceptionDraft {
    pub(super) id: StoredValue<String>,
    pub(super) station: RwSignal<Option<i64>>,
    /// None: the account itself.
    pub(super) host: RwSignal<Option<PersonRef>>,
    pub(super) held_on: RwSignal<String>,
    pub(super) residents: RwSignal<String>,
    pub(super) notes: RwSignal<String>,
}

impl ReceptionDraft {
    pub(super) fn new() -> Self {
        Self {
            id: StoredValue::new(photo::new_uuid()),
            station: RwSignal::new(None),
            host: RwSignal::new(None),
            held_on: RwSignal::new(day_input(format::city_today())),
            residents: RwSignal::new(String::new()),
            notes: RwSignal::new(String::new()),
        }
    }

    /// The request, or every problem found before sending.
    fn request(&self, today: NaiveDate, is_host: bool) -> Result<NewReception, ApiError> {
        let mut problems: Vec<Problem> = Vec::new();
        let station = self.station.get_untracked();
        if station.is_none() {
            problems.push(problem("station_id", "请选择接待的服务站"));
        }
        let host = self.host.get_untracked().map(|p| p.id);
        if host.is_none() && !is_host {
            problems.push(problem("host_id", "请选择接待人"));
        }
        let held_on = parse_day(&self.held_on.get_untracked());
        match held_on {
            None => problems.push(problem("held_on", "请选择接待日期")),
            Some(d) if d > today => problems.push(problem("held_on", "日期不能晚于今天")),
            Some(_) => {}
        }
        let residents = match self.residents.get_untracked().trim() {
            "" => {
                problems.push(problem("residents", "请填写接待群众人数"));
                None
            }
            t => {
                let n = t.parse::<u32>().ok().filter(|n| *n <= MAX_RESIDENTS);
                if n.is_none() {
                    problems.push(problem("residents", "接待人数应在0到9999之间"));
                }
                n
            }
        };
        let notes = self.notes.get_untracked().trim().to_string();
        if notes.chars().count() > MAX_NOTE_CHARS {
            problems.push(problem("notes", format!("接待记录不能超过{MAX_NOTE_CHARS}个字")));
        }
        if let Some(e) = refusal(problems) {
            return Err(e);
        }
        match (station, held_on, residents) {
            (Some(station_id), Some(held_on), Some(residents)) => {
                Ok(NewReception { id: self.id.get_value(), station_id, host_id: host, held_on, residents, notes })
            }
            _ => Err(ApiError::field("station_id", "请选择接待的服务站")),
        }
    }
}

/// Records a reception held.
#[component]
pub(super) fn ReceptionForm(
    draft: ReceptionDraft,
    stations: Vec<StationChoice>,
    is_host: bool,
    me_id: i64,
) -> impl IntoView {
    if stations.len() == 1 && draft.station.get_untracked().is_none() {
        draft.station.set(stations.first().map(|s| s.id));
    }
    let me_name = state::current().map(|s| s.me.display_name).unwrap_or_default();
    // Who may host at the chosen station (the street's leader, the community's secretary), but the account itself.
    let eligible = LocalResource::new(move || {
        let station = draft.station.get();
        async move {
            match station {
                Some(id) => api::get::<Vec<ReceptionHost>>(&format!("/api/receptions/hosts?station_id={id}")).await,
                None => Ok(Vec::new()),
            }
        }
    });
    let hosts = Memo::new(move |_| match eligible.get() {
        Some(Ok(list)) => list.into_iter().filter(|h| h.host.id != me_id).collect::<Vec<_>>(),
        _ => Vec::new(),
    });
    let error = RwSignal::new(None::<ApiError>);
    let saving = RwSignal::new(false);
    let navigate = use_navigate();

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let body = match draft.request(format::city_today(), is_host) {
            Ok(b) => b,
            Err(e) => {
                error.set(Some(e));
                show_first_error("reception-form");
                return;
            }
        };
        error.set(None);
        saving.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::post::<_, Reception>("/api/receptions", &body).await {
                Ok(r) => navigate(&format!("/receptions/{}", api::encode(&r.id)), Default::default()),
                Err(e) => {
                    let _ = error.try_set(Some(e));
                    let _ = saving.try_set(false);
                    show_first_error("reception-form");
                }
            }
        });
    };

    let host_options = move || {
        let mut list: Vec<(PersonRef, String)> = hosts.get().into_iter().map(|h| (h.host, h.host_role)).collect();
        // A host picked from a planned reception stays listed (the server checks them again on saving).
        if let Some(picked) = draft.host.get() {
            if !list.iter().any(|(p, _)| p.id == picked.id) {
                list.push((picked, String::new()));
            }
        }
        list.into_iter()
            .map(|(p, role)| {
                let pid = p.id;
                let label = if role.is_empty() { p.name } else { format!("{}（{role}）", p.name) };
                view! {
                    <option value=pid.to_string() selected=move || draft.host.with(|h| h.as_ref().map(|h| h.id) == Some(pid))>
                        {label}
                    </option>
                }
            })
            .collect_view()
    };
    let first_host_option =
        if is_host { format!("本人（{me_name}）") } else { "请选择接待人…".to_string() };
    let notes_count = move || draft.notes.with(|n| n.trim().chars().count());
    let notes_over = move || notes_count() > MAX_NOTE_CHARS;
    let conflict = move || {
        error.with(|e| e.as_ref().is_some_and(|e| e.code == ErrorCode::Conflict)).then(|| {
            let href = format!("/receptions/{}", api::encode(&draft.id.get_value()));
            view! { <p class="hint"><a href=href id="reception-saved-link">"查看已保存的接待记录"</a></p> }
        })
    };

    view! {
        <form id="reception-form" class="card form reception-form" novalidate on:submit=save>
            <h3>"登记接待"</h3>
            <label for="reception-station">"服务站"</label>
            {station_select("reception-station", stations, draft.station, error, "station_id")}
            <FieldError error=error field="station_id"/>
            <label for="reception-host">"接待人"</label>
            <select id="reception-host" class:invalid=move || error.with(|e| names_field(e, "host_id"))
                on:change=move |ev| {
                    let picked = event_target_value(&ev).parse::<i64>().ok();
                    let person = picked.and_then(|id| {
                        hosts.with_untracked(|l| l.iter().find(|h| h.host.id == id).map(|h| h.host.clone()))
                            .or_else(|| draft.host.get_untracked().filter(|p| p.id == id))
                    });
                    draft.host.set(person);
                    clear_field(error, "host_id");
                }>
                <option value="" selected=move || draft.host.with(Option::is_none)>{first_host_option}</option>
                {host_options}
            </select>
            {move || (!is_host && matches!(eligible.get(), Some(Ok(l)) if l.is_empty())).then(|| view! {
                <p class="hint" id="reception-host-hint">
                    "该服务站暂无可接待的账号：接待人须为本街道书记/主任或本社区书记，请联系管理员开通。"
                </p>
            })}
            <FieldError error=error field="host_id"/>
            <label for="reception-date">"接待日期"</label>
            <input id="reception-date" type="date" max=day_input(format::city_today()) bind:value=draft.held_on
                class:invalid=move || error.with(|e| names_field(e, "held_on"))
                on:input=move |_| clear_field(error, "held_on")/>
            <FieldError error=error field="held_on"/>
            <label for="reception-residents">"接待群众人数"</label>
            <input id="reception-residents" type="number" inputmode="numeric" min="0" max=MAX_RESIDENTS.to_string()
                step="1" bind:value=draft.residents class:invalid=move || error.with(|e| names_field(e, "residents"))
                on:input=move |_| clear_field(error, "residents")/>
            <FieldError error=error field="residents"/>
            <label for="reception-notes">"接待记录（可不填）"</label>
            <textarea id="reception-notes" bind:value=draft.notes placeholder="接待的群众、反映的问题、答复和处理情况…"
                class:invalid=move || error.with(|e| names_field(e, "notes"))
                on:input=move |_| clear_field(error, "notes")></textarea>
            <p class="counter" class:over=notes_over>
                {move || format!("{}/{}", notes_count(), MAX_NOTE_CHARS)}
            </p>
            <FieldError error=error field="notes"/>
            <ErrorBox error=general_error(error, RECEPTION_FIELDS)/>
            {conflict}
            <p class="hint">"保存后可在接待记录中登记接待时收集的民情。"</p>
            <div class="actions">
                <button type="submit" id="reception-save" class="primary" disabled=move || saving.get()>
                    {move || if saving.get() { "正在保存…" } else { "保存接待记录" }}
                </button>
            </div>
        </form>
    }
}
