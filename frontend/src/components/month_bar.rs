//! The month bar of the monthly pages (statistics, dashboard, analysis, meetings, receptions): year and month pickers
//! with 上月/下月, the month read from the address (`?year=&month=`), and the arithmetic of months.

use chrono::Datelike;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::format;

/// How many years back the year picker reaches.
const YEARS_BACK: i32 = 5;

/// This month in the city.
pub fn this_month() -> (i32, u32) {
    let today = format::city_today();
    (today.year(), today.month())
}

/// The month `delta` months from `(year, month)`.
pub fn add_months((year, month): (i32, u32), delta: i32) -> (i32, u32) {
    let index = year * 12 + month as i32 - 1 + delta;
    (index.div_euclid(12), index.rem_euclid(12) as u32 + 1)
}

/// The month asked for by `?year=&month=` (a link from another page), else this month; never before YEARS_BACK years
/// ago nor after `latest`.
pub fn month_from_query(latest: (i32, u32)) -> (i32, u32) {
    let query = use_query_map().get_untracked();
    month_asked(this_month(), latest, query.get("year").as_deref(), query.get("month").as_deref())
}

/// The month of `year` and `month` as the address gives them, when it is a month within reach.
fn month_asked(this: (i32, u32), latest: (i32, u32), year: Option<&str>, month: Option<&str>) -> (i32, u32) {
    let year = year.and_then(|v| v.trim().parse::<i32>().ok()).filter(|y| *y >= this.0 - YEARS_BACK);
    let month = month.and_then(|v| v.trim().parse::<u32>().ok()).filter(|m| (1..=12).contains(m));
    match (year, month) {
        (Some(y), Some(m)) if (y, m) <= latest => (y, m),
        _ => this.min(latest),
    }
}

/// The year and month pickers, `#{prefix}-year` and `#{prefix}-month`: the last YEARS_BACK years and this one.
fn month_selects(
    prefix: &str,
    year: RwSignal<i32>,
    month: RwSignal<u32>,
    set_month: Callback<(i32, u32)>,
) -> impl IntoView {
    let this_year = format::city_today().year();
    let year_options = move || {
        let first = (this_year - YEARS_BACK).min(year.get());
        (first..=this_year.max(year.get()))
            .rev()
            .map(|y| view! { <option value=y.to_string() selected=move || year.get() == y>{format!("{y}年")}</option> })
            .collect_view()
    };
    let month_options = move || {
        (1..=12u32)
            .map(
                |m| view! { <option value=m.to_string() selected=move || month.get() == m>{format!("{m}月")}</option> },
            )
            .collect_view()
    };
    view! {
        <label class="filter">
            <span>"年份"</span>
            <select id=format!("{prefix}-year") on:change=move |ev| {
                if let Ok(y) = event_target_value(&ev).parse() {
                    set_month.run((y, month.get_untracked()));
                }
            }>{year_options}</select>
        </label>
        <label class="filter">
            <span>"月份"</span>
            <select id=format!("{prefix}-month") on:change=move |ev| {
                if let Ok(m) = event_target_value(&ev).parse() {
                    set_month.run((year.get_untracked(), m));
                }
            }>{month_options}</select>
        </label>
    }
}

/// The year and month pickers (`#{prefix}-year`, `#{prefix}-month`) with more filters after them, then 上月/下月
/// (`#{prefix}-prev`, `#{prefix}-next`, which stops at `latest`) and the page's buttons.
#[component]
pub fn MonthBar(
    prefix: &'static str,
    year: RwSignal<i32>,
    month: RwSignal<u32>,
    /// The last month 下月 reaches.
    latest: (i32, u32),
    /// The page whose address keeps the month (`{path}?year=&month=`, replaced without a new history entry); the
    /// month then stays between YEARS_BACK years ago and `latest`. Without it any month may be picked.
    #[prop(optional)]
    path: Option<&'static str>,
    /// Told of every month picked, once `year` and `month` are set.
    #[prop(optional, into)]
    on_change: Option<Callback<(i32, u32)>>,
    /// More pickers beside the month's.
    #[prop(optional, into)]
    filters: ViewFn,
    /// Buttons shown at the end of the bar.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let navigate = use_navigate();
    let earliest = path.map(|_| (this_month().0 - YEARS_BACK, 1));
    let set_month = Callback::new(move |(y, m): (i32, u32)| {
        let (y, m) = match earliest {
            Some(first) => (y, m).max(first).min(latest),
            None => (y, m),
        };
        year.set(y);
        month.set(m);
        if let Some(path) = path {
            navigate(
                &format!("{path}?year={y}&month={m}"),
                NavigateOptions { replace: true, scroll: false, ..Default::default() },
            );
        }
        if let Some(told) = on_change {
            told.run((y, m));
        }
    });
    let step = move |delta: i32| set_month.run(add_months((year.get_untracked(), month.get_untracked()), delta));
    let at_latest = move || (year.get(), month.get()) >= latest;
    let at_earliest = move || earliest.is_some_and(|first| (year.get(), month.get()) <= first);
    view! {
        <div class="filter-grid">
            {month_selects(prefix, year, month, set_month)}
            {move || filters.run()}
        </div>
        <div class="stats-bar">
            <button type="button" id=format!("{prefix}-prev") on:click=move |_| step(-1) disabled=at_earliest>
                "‹ 上月"
            </button>
            <button type="button" id=format!("{prefix}-next") on:click=move |_| step(1) disabled=at_latest>
                "下月 ›"
            </button>
            <span class="stats-bar-gap"></span>
            {children.map(|c| c())}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_add_across_years() {
        assert_eq!(add_months((2026, 12), 1), (2027, 1));
        assert_eq!(add_months((2026, 1), -1), (2025, 12));
        assert_eq!(add_months((2026, 11), 12), (2027, 11));
        assert_eq!(add_months((2026, 3), -27), (2023, 12));
    }

    #[test]
    fn the_address_names_a_month_within_reach() {
        let this = (2026, 11);
        assert_eq!(month_asked(this, this, Some("2026"), Some("3")), (2026, 3));
        assert_eq!(month_asked(this, this, Some(" 2025 "), Some("12")), (2025, 12));
        assert_eq!(month_asked(this, this, Some("2026"), Some("12")), this, "after the latest");
        assert_eq!(month_asked(this, (2027, 11), Some("2027"), Some("2")), (2027, 2));
        assert_eq!(month_asked(this, this, Some("2020"), Some("5")), this, "more than five years back");
        assert_eq!(month_asked(this, this, Some("2026"), Some("13")), this);
        assert_eq!(month_asked(this, this, None, Some("5")), this);
        assert_eq!(month_asked(this, (2026, 9), None, None), (2026, 9), "never after the latest");
    }
}
