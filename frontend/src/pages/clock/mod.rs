//! 时限与节假日, for the city's administrator: whether the regulation's limits count calendar days (the default) or
//! working days, and the holiday table of a year — listed, and replaced from pasted lines such as
//! "2026-10-01 休 国庆节" or "2026-10-11 班 国庆调休", checked here line by line before the year is sent; and the
//! clocks the city sets itself (city.rs).

mod city;

use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::access;
use shared::journey::{ClockSettings, Holiday, HolidayYear};
use shared::{ApiError, Problem};

use crate::api;
use crate::components::{not_for_you, ErrorBox, Loaded, Loading, TopBar};
use crate::format;
use crate::state;

/// A day off in an import line.
const DAY_OFF: &str = "休";
/// A make-up working day in an import line.
const WORKDAY: &str = "班";

#[component]
pub fn ClockPage() -> impl IntoView {
    if !state::current().is_some_and(|s| access::is_city_admin(&s.me.roles)) {
        return not_for_you("时限与节假日", "时限与节假日由全市系统管理员设置。").into_any();
    }
    let settings = RwSignal::new(None::<ClockSettings>);
    let load_error = RwSignal::new(None::<ApiError>);
    spawn_local(async move {
        match api::get::<ClockSettings>("/api/settings/clock").await {
            Ok(s) => {
                let _ = settings.try_set(Some(s));
            }
            Err(e) => {
                let _ = load_error.try_set(Some(e));
            }
        }
    });
    view! {
        <div id="clock-page" class="page">
            <TopBar title="时限与节假日" back="/"/>
            <ClockSwitch settings=settings load_error=load_error/>
            <city::CityClocksForm settings=settings/>
            <HolidayTable/>
        </div>
    }
    .into_any()
}

/// Calendar days or working days.
#[component]
fn ClockSwitch(settings: RwSignal<Option<ClockSettings>>, load_error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let error = RwSignal::new(None::<ApiError>);
    let saving = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let toggle = move |ev: leptos::ev::Event| {
        let wanted = event_target_checked(&ev);
        let before = settings.get_untracked();
        settings.set(Some(ClockSettings { working_days: wanted, ..before.clone().unwrap_or_default() }));
        saving.set(true);
        saved.set(false);
        error.set(None);
        spawn_local(async move {
            let body = ClockSettings { working_days: wanted, city: None };
            match api::put::<_, ClockSettings>("/api/settings/clock", &body).await {
                Ok(s) => {
                    let _ = settings.try_set(Some(s));
                    let _ = saved.try_set(true);
                }
                Err(e) => {
                    let _ = settings.try_set(before);
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = saving.try_set(false);
        });
    };
    view! {
        <section class="card" id="clock-settings">
            <h3>"时限计算方式"</h3>
            <p class="hint">
                "法规规定以“日”计，默认按自然日；开启后按工作日计，跳过周末和节假日，调休上班日计入。"
            </p>
            {move || match (settings.get(), load_error.get()) {
                (_, Some(e)) => view! { <ErrorBox error=Signal::stored(Some(e))/> }.into_any(),
                (None, None) => view! { <Loading/> }.into_any(),
                (Some(s), None) => view! {
                    <label class="check switch">
                        <input type="checkbox" id="working-days" prop:checked=s.working_days
                            disabled=move || saving.get() on:change=toggle/>
                        <span>"按工作日计算时限"</span>
                    </label>
                    <p class="muted small" id="clock-mode">
                        {if s.working_days { "当前：按工作日计" } else { "当前：按自然日计" }}
                    </p>
                }
                .into_any(),
            }}
            {move || saved.get().then(|| view! { <p class="success" role="status">"已保存"</p> })}
            <ErrorBox error=error/>
        </section>
    }
}

/// One line of an import, read.
fn parse_line(line: &str, year: i32) -> Result<Holiday, String> {
    let mut parts = line.split_whitespace();
    let (Some(date), Some(kind)) = (parts.next(), parts.next()) else {
        return Err("格式应为“日期 休/班 名称”，如：2026-10-01 休 国庆节".into());
    };
    let name = parts.collect::<Vec<_>>().join(" ");
    let day = NaiveDate::parse_from_str(&date.replace(['/', '.'], "-"), "%Y-%m-%d")
        .map_err(|_| format!("日期“{date}”不正确，应为2026-10-01这样的格式"))?;
    if day.year() != year {
        return Err(format!("日期{date}不在{year}年"));
    }
    let workday = match kind {
        DAY_OFF | "休息" | "放假" => false,
        WORKDAY | "上班" | "调休上班" => true,
        _ => return Err(format!("第二项应为“休”或“班”，不是“{kind}”")),
    };
    if name.is_empty() {
        return Err("缺少名称，如：国庆节".into());
    }
    if name.chars().count() > 20 {
        return Err("名称不能超过20个字".into());
    }
    Ok(Holiday { day, workday, name })
}

/// Every non-empty line of an import, or the problems with their line numbers.
fn parse_import(text: &str, year: i32) -> Result<Vec<Holiday>, Vec<Problem>> {
    let mut days: Vec<(usize, Holiday)> = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match parse_line(line, year) {
            Ok(h) => {
                if let Some((first, _)) = days.iter().find(|(_, d)| d.day == h.day) {
                    problems.push(line_problem(number, format!("日期与第{first}行重复")));
                } else {
                    days.push((number, h));
                }
            }
            Err(m) => problems.push(line_problem(number, m)),
        }
    }
    if days.is_empty() && problems.is_empty() {
        problems.push(Problem {
            sheet: None,
            row: None,
            column: None,
            field: Some("days".into()),
            message: "请粘贴节假日，每行一天".into(),
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut list: Vec<Holiday> = days.into_iter().map(|(_, h)| h).collect();
    list.sort_by_key(|h| h.day);
    Ok(list)
}

fn line_problem(number: usize, message: String) -> Problem {
    Problem {
        sheet: None,
        row: Some(number as u32),
        column: None,
        field: Some("days".into()),
        message: format!("第{number}行：{message}"),
    }
}

/// A day as an import line.
fn as_line(h: &Holiday) -> String {
    format!("{} {} {}", h.day.format("%Y-%m-%d"), if h.workday { WORKDAY } else { DAY_OFF }, h.name)
}

/// The holiday table of a chosen year, and its import.
#[component]
fn HolidayTable() -> impl IntoView {
    let this_year = format::city_today().year();
    let year = RwSignal::new(this_year);
    let version = RwSignal::new(0u32);
    let days = LocalResource::new(move || {
        version.track();
        let y = year.get();
        async move { api::get::<Vec<Holiday>>(&format!("/api/holidays?year={y}")).await }
    });
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let saving = RwSignal::new(false);
    let notice = RwSignal::new(None::<String>);

    let fill = move |_| {
        if let Some(Ok(list)) = days.get_untracked() {
            text.set(list.iter().map(as_line).collect::<Vec<_>>().join("\n"));
        }
    };
    let import = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let y = year.get_untracked();
        notice.set(None);
        let list = match parse_import(&text.get_untracked(), y) {
            Ok(list) => list,
            Err(problems) => {
                let first = problems[0].message.clone();
                error.set(Some(ApiError {
                    code: shared::ErrorCode::Validation,
                    message: if problems.len() > 1 { format!("有{}行需要修改", problems.len()) } else { first },
                    field: None,
                    problems,
                }));
                return;
            }
        };
        let ok = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(&format!("将用这{}天替换{y}年的整张节假日表，确定吗？", list.len())).ok()
            })
            .unwrap_or(false);
        if !ok {
            return;
        }
        error.set(None);
        saving.set(true);
        spawn_local(async move {
            let count = list.len();
            match api::put::<_, Vec<Holiday>>(&format!("/api/holidays/{y}"), &HolidayYear { days: list }).await {
                Ok(_) => {
                    let _ = text.try_set(String::new());
                    let _ = notice.try_set(Some(format!("已保存{y}年节假日表，共{count}天")));
                    let _ = version.try_update(|v| *v += 1);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = saving.try_set(false);
        });
    };

    let empty_note = move || format!("{}年还没有节假日表。", year.get());
    let table = view! {
        <Loaded resource=days let:value>
            {match value {
                list if list.is_empty() => view! { <p class="muted" id="holiday-empty">{empty_note}</p> }.into_any(),
                list => view! {
                    <div class="table-wrap">
                        <table id="holiday-table" class="holiday-table">
                            <thead><tr><th>"日期"</th><th>"星期"</th><th>"类别"</th><th>"名称"</th></tr></thead>
                            <tbody>
                                {list
                                    .into_iter()
                                    .map(|h| view! {
                                        <tr class:workday=h.workday data-day=h.day.format("%Y-%m-%d").to_string()>
                                            <td>{h.day.format("%Y-%m-%d").to_string()}</td>
                                            <td>{format::weekday_label(h.day)}</td>
                                            <td>{if h.workday { "调休上班" } else { "休息" }}</td>
                                            <td>{h.name.clone()}</td>
                                        </tr>
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any(),
            }}
        </Loaded>
    };

    view! {
        <section class="card" id="holidays">
            <h3>"节假日表"</h3>
            <label class="filter year-pick">
                <span>"年份"</span>
                <select id="holiday-year" on:change=move |ev| {
                    if let Ok(y) = event_target_value(&ev).parse() {
                        year.set(y);
                        error.set(None);
                        notice.set(None);
                    }
                }>
                    {(this_year - 1..=this_year + 1)
                        .map(|y| view! { <option value=y.to_string() selected=move || year.get() == y>{y}"年"</option> })
                        .collect_view()}
                </select>
            </label>
            {table}
            <form class="form holiday-import" on:submit=import novalidate>
                <label for="holiday-import">"导入（替换整年）"</label>
                <p class="hint">"每行一天：日期 休/班 名称。例如："<br/>"2026-10-01 休 国庆节"<br/>"2026-10-11 班 国庆调休"</p>
                <textarea id="holiday-import" rows="8" bind:value=text
                    placeholder="2026-10-01 休 国庆节\n2026-10-11 班 国庆调休"></textarea>
                <ErrorBox error=error/>
                {move || notice.get().map(|m| view! { <p class="success" role="status" id="holiday-saved">{m}</p> })}
                <div class="actions">
                    <button type="button" id="holiday-fill" on:click=fill>"填入现有内容"</button>
                    <button type="submit" id="holiday-import-submit" class="primary" disabled=move || saving.get()>
                        {move || if saving.get() { "正在保存…" } else { "导入并替换" }}
                    </button>
                </div>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lines_and_names_bad_ones() {
        let days = parse_import("2026-10-01 休 国庆节\n\n2026-10-11 班 国庆调休", 2026).unwrap();
        assert_eq!(days.len(), 2);
        assert!(days[1].workday);
        let problems = parse_import("2026-10-01 休 国庆节\n2026-13-01 休 错\n2025-01-01 休 元旦", 2026).unwrap_err();
        assert_eq!(problems.len(), 2);
        assert!(problems[0].message.starts_with("第2行"));
        assert!(problems[1].message.starts_with("第3行"));
    }
}
