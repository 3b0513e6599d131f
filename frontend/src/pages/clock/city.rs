//! 本市规定的时限: the clocks the regulation does not set, which the city sets itself — the street's dispatch, the
//! department's 接单, the head's signature, a dissatisfied answer's follow-up (days), and how fast a major item must move at the community and the
//! street (hours, 第四条: 需马上解决). Shown apart from the regulation's own clocks, which are not settings.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::journey::ClockSettings;
use shared::settings::CityClocks;
use shared::ApiError;

use crate::api;
use crate::components::form_errors::refusal;
use crate::components::{ErrorBox, FieldError};

/// One number of the form: its field, label, unit and the value as typed.
#[derive(Clone, Copy)]
struct Number {
    field: &'static str,
    label: &'static str,
    unit: &'static str,
    text: RwSignal<String>,
}

impl Number {
    fn new(field: &'static str, label: &'static str, unit: &'static str, value: u16) -> Self {
        Number { field, label, unit, text: RwSignal::new(value.to_string()) }
    }

    /// The value typed (0 when it is not a number, which the range check then names).
    fn value(&self) -> u16 {
        self.text.get_untracked().trim().parse().unwrap_or(0)
    }
}

/// The form, once the settings are loaded.
#[component]
pub fn CityClocksForm(settings: RwSignal<Option<ClockSettings>>) -> impl IntoView {
    // Drawn once when the settings arrive; saving updates them without redrawing (the "saved" note stays).
    let loaded = Memo::new(move |_| settings.with(Option::is_some));
    move || {
        loaded.get().then(|| {
            let current = settings.get_untracked().and_then(|s| s.city).unwrap_or_default();
            view! { <Form settings=settings current=current/> }
        })
    }
}

#[component]
fn Form(settings: RwSignal<Option<ClockSettings>>, current: CityClocks) -> impl IntoView {
    let numbers = [
        Number::new("street_dispatch_days", "街道派单时限", "天", current.street_dispatch_days.into()),
        Number::new("accept_days", "部门接单时限", "天", current.accept_days.into()),
        Number::new("signoff_days", "部门主要领导签字时限", "天", current.signoff_days.into()),
        Number::new("major_community_hours", "重大事项在社区的时限", "小时", current.major_community_hours),
        Number::new("major_street_hours", "重大事项街道派单时限", "小时", current.major_street_hours),
        Number::new("follow_up_days", "跟踪整改时限", "天", current.follow_up_days.into()),
        Number::new("chase_reply_days", "催办回复时限", "天", current.chase_reply_days.into()),
    ];
    let error = RwSignal::new(None::<ApiError>);
    let saving = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let [a, b, c, d, e, f, g] = numbers.map(|n| n.value());
        let city = CityClocks {
            street_dispatch_days: a.min(255) as u8,
            accept_days: b.min(255) as u8,
            signoff_days: c.min(255) as u8,
            major_community_hours: d,
            major_street_hours: e,
            follow_up_days: f.min(255) as u8,
            chase_reply_days: g.min(255) as u8,
        };
        let problems = city.problems();
        saved.set(false);
        if !problems.is_empty() {
            error.set(refusal(problems));
            return;
        }
        let Some(now) = settings.get_untracked() else { return };
        let body = ClockSettings { working_days: now.working_days, city: Some(city) };
        error.set(None);
        saving.set(true);
        spawn_local(async move {
            match api::put::<_, ClockSettings>("/api/settings/clock", &body).await {
                Ok(s) => {
                    let _ = settings.try_set(Some(s));
                    let _ = saved.try_set(true);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = saving.try_set(false);
        });
    };
    let rows = numbers
        .into_iter()
        .map(|n| {
            let id = format!("city-{}", n.field.replace('_', "-"));
            let field: &'static str = match n.field {
                "street_dispatch_days" => "city.street_dispatch_days",
                "accept_days" => "city.accept_days",
                "signoff_days" => "city.signoff_days",
                "major_community_hours" => "city.major_community_hours",
                "major_street_hours" => "city.major_street_hours",
                "follow_up_days" => "city.follow_up_days",
                _ => "city.chase_reply_days",
            };
            view! {
                <label for=id.clone()>{n.label}</label>
                <div class="number-with-unit">
                    <input type="number" id=id inputmode="numeric" min="1" bind:value=n.text/>
                    <span>{n.unit}</span>
                </div>
                <FieldError error=error field=field/>
            }
        })
        .collect_view();
    view! {
        <section class="card" id="city-clocks">
            <h3>"本市规定的时限"</h3>
            <p class="hint">
                "《民情直通车制度》规定的时限（社区3日、部门5日、延期5日、10日现场办公、反馈居民2日）不可更改。\
                 以下时限制度未作规定，由本市自行确定，界面上标注为“本市规定”。重大事项“需马上解决办理”（第四条），按小时计。"
            </p>
            <form id="city-clocks-form" class="form" novalidate on:submit=save>
                {rows}
                <div class="actions">
                    <button type="submit" class="primary" id="city-clocks-save" disabled=move || saving.get()>
                        {move || if saving.get() { "正在保存…" } else { "保存" }}
                    </button>
                </div>
            </form>
            {move || saved.get().then(|| view! { <p class="success" role="status" id="city-clocks-saved">"已保存"</p> })}
            <ErrorBox error=Signal::derive(move || error.get().filter(|e| e.field.is_none()))/>
        </section>
    }
}
