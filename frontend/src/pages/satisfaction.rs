//! 满意度: the satisfaction rate of each department over a week or a month (第六条′, the 测评满意率 of 附件3),
//! from residents' ratings and the weekly evaluation, for a street or the whole city, with the rule it follows.

use leptos::prelude::*;
use shared::access;
use shared::dto::OrgUnit;
use shared::voice::{DepartmentSatisfaction, SatisfactionReport, PERIOD_RULE, SATISFACTION_RULE};
use shared::{ApiError, OrgKind};

use crate::api;
use crate::components::{not_for_you, Loaded, TopBar};
use crate::format;
use crate::state;

/// "87.5%", or "—" without answers.
fn rate_text(rate: Option<f64>) -> String {
    rate.map(|r| format!("{:.1}%", r * 100.0)).unwrap_or_else(|| "—".into())
}

#[component]
pub fn SatisfactionPage() -> impl IntoView {
    let Some(me) = state::current().map(|s| s.me).filter(|m| access::reads_figures(&m.roles)) else {
        return not_for_you("满意度", "满意度供街道、市领导、市委办/市政府办、督查室和管理员查看。").into_any();
    };
    // A city-wide reader picks a street, or reads the whole city.
    let pick_street = access::reads_city_figures(&me.roles);
    let period = RwSignal::new("week");
    let date = RwSignal::new(format::city_today().to_string());
    let street = RwSignal::new(None::<i64>);
    let report = LocalResource::new(move || {
        let mut path = format!("/api/evaluation/results?period={}&date={}", period.get(), api::encode(&date.get()));
        if let Some(s) = street.get() {
            path.push_str(&format!("&street_id={s}"));
        }
        async move { api::get::<SatisfactionReport>(&path).await }
    });
    let streets = LocalResource::new(move || async move {
        if !pick_street {
            return Ok(Vec::new());
        }
        let units = api::get::<Vec<OrgUnit>>("/api/org/units").await?;
        Ok::<_, ApiError>(units.into_iter().filter(|u| u.kind == OrgKind::Street && u.active).collect::<Vec<_>>())
    });

    let period_button = move |code: &'static str, label: &'static str| {
        let on = move || period.get() == code;
        view! {
            <button type="button" data-period=code class:selected=on aria-pressed=move || on().to_string()
                on:click=move |_| period.set(code)>{label}</button>
        }
    };
    let street_picker = move || {
        pick_street.then(|| {
            let options = move || match streets.get() {
                Some(Ok(list)) => list
                    .into_iter()
                    .map(|u| {
                        let id = u.id;
                        view! { <option value=id.to_string() selected=move || street.get() == Some(id)>{u.name}</option> }
                    })
                    .collect_view()
                    .into_any(),
                _ => ().into_any(),
            };
            view! {
                <label class="filter wide-filter">
                    <span>"街道"</span>
                    <select id="satisfaction-street" on:change=move |ev| street.set(event_target_value(&ev).parse().ok())>
                        <option value="" selected=move || street.get().is_none()>"全市"</option>
                        {options}
                    </select>
                </label>
            }
        })
    };
    let table = view! {
        <Loaded resource=report let:r>{report_view(r)}</Loaded>
    };

    view! {
        <div id="satisfaction-page" class="page wide">
            <TopBar title="满意度" back="/"/>
            <section class="card filters">
                <div class="segmented period-switch" role="group" aria-label="统计周期">
                    {period_button("week", "本周")}
                    {period_button("month", "本月")}
                </div>
                <div class="filter-grid satisfaction-filters">
                    <label class="filter">
                        <span>"日期（所在的周或月）"</span>
                        <input id="satisfaction-date" type="date" prop:value=move || date.get()
                            on:change=move |ev| {
                                let v = event_target_value(&ev);
                                if chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d").is_ok() {
                                    date.set(v);
                                }
                            }/>
                    </label>
                    {street_picker}
                </div>
            </section>
            {table}
        </div>
    }
    .into_any()
}

fn report_view(r: SatisfactionReport) -> impl IntoView {
    let place = r.street.as_ref().map(|s| s.name.clone()).unwrap_or_else(|| "全市".into());
    let empty = r.departments.is_empty();
    let rows = r.departments.into_iter().map(|d| row(d, false)).collect_view();
    view! {
        <section class="card satisfaction-card">
            <h3 id="satisfaction-period">
                {place}" · "{format::date_label(r.from)}" 至 "{format::date_label(r.to)}
            </h3>
            {if empty {
                view! { <p class="muted" id="satisfaction-empty">"这段时间还没有评价。"</p> }.into_any()
            } else {
                ().into_any()
            }}
            <div class="table-wrap">
                <table id="satisfaction-table" class="satisfaction-table">
                    <thead>
                        <tr>
                            <th>"部门"</th>
                            <th>"居民评价"</th>
                            <th>"干部评价"</th>
                            <th>"满意"</th>
                            <th>"基本满意"</th>
                            <th>"不满意"</th>
                            <th>"满意率"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                    <tfoot>{row(r.overall, true)}</tfoot>
                </table>
            </div>
            <p class="hint" id="satisfaction-rule">{SATISFACTION_RULE}</p>
            <p class="hint" id="satisfaction-period-rule">{PERIOD_RULE}</p>
            <p class="hint">"满意率90%以上的部门标为绿色，低于50%的标为红色。"</p>
        </section>
    }
}

fn row(d: DepartmentSatisfaction, overall: bool) -> impl IntoView {
    let high = d.rate.is_some_and(|r| r >= 0.9);
    let low = d.rate.is_some_and(|r| r < 0.5);
    let name = if overall { "合计".to_string() } else { d.department.name.clone() };
    view! {
        <tr class:overall=overall id=overall.then_some("satisfaction-overall")
            data-department-id=(!overall).then(|| d.department.id.to_string())>
            <td class="c-dept">{name}</td>
            <td class="c-num">{d.resident_ratings}</td>
            <td class="c-num">{d.staff_ratings}</td>
            <td class="c-num">{d.satisfied}</td>
            <td class="c-num">{d.basically}</td>
            <td class="c-num">{d.dissatisfied}</td>
            <td class="c-rate" class:high=high class:low=low>{rate_text(d.rate)}</td>
        </tr>
    }
}
