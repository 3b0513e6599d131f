//! 五、研判与措施 (第七条′, 第七条3) under the month's analysis: the offices write the risks and the measures (each
//! with a 牵头单位 and a 完成时限) and submit them to the city leaders; the leaders' reading shows as receipts (opening
//! the month as a leader it was delivered to marks it read); each measure's outcome is recorded once, red when late.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::dto::OrgUnit;
use shared::judgement::{Judgement, Measure, MeasureDraft, MeasureOutcome, SaveJudgement};
use shared::{ApiError, OrgKind, Role};

use crate::api;
use crate::components::ErrorBox;
use crate::format;
use crate::state;

/// Whether the signed-in account writes the judgement: the city offices.
fn writes() -> bool {
    state::current().is_some_and(|s| s.me.roles.iter().any(|g| g.role == Role::CityAnalyst))
}

/// The month's judgement: the editor for the offices until submitted, else the judgement with its measures.
#[component]
pub fn JudgementPanel(year: i32, month: u32, judgement: Option<Judgement>, version: RwSignal<u32>) -> impl IntoView {
    if let Some(j) = judgement.as_ref() {
        mark_read_once(j, version);
    }
    let editing = writes() && judgement.as_ref().is_none_or(|j| j.submitted_at.is_none());
    let body = match (editing, judgement) {
        (true, j) => view! { <JudgementEditor year=year month=month judgement=j version=version/> }.into_any(),
        (false, Some(j)) => judgement_view(j, version).into_any(),
        (false, None) => {
            view! { <p class="muted" id="judgement-none">"市委办、市政府办尚未形成本月研判。"</p> }.into_any()
        }
    };
    view! {
        <section class="judgement" id="judgement">
            <h3 class="analysis-heading">"五、研判与措施"</h3>
            {body}
        </section>
    }
}

fn mark_read_once(j: &Judgement, version: RwSignal<u32>) {
    let Some(me) = state::current().map(|s| s.me.id) else { return };
    if !j.receipts.iter().any(|r| r.leader.id == me && r.read_at.is_none()) {
        return;
    }
    let id = j.id;
    spawn_local(async move {
        if api::post::<_, Judgement>(&format!("/api/analysis/judgement/{id}/read"), &()).await.is_ok() {
            let _ = version.try_update(|v| *v += 1);
        }
    });
}

fn judgement_view(j: Judgement, version: RwSignal<u32>) -> impl IntoView {
    let receipts = j
        .receipts
        .iter()
        .map(|r| {
            let text = match r.read_at {
                Some(at) => format!("{}：已阅（{}）", r.leader.name, format::short(at)),
                None => format!("{}：未阅", r.leader.name),
            };
            view! { <li class="receipt" class:unread=r.read_at.is_none() data-read=r.read_at.is_some().to_string()>{text}</li> }
        })
        .collect_view();
    let status = match j.submitted_at {
        Some(at) => format!("{}报送市领导", format::short(at)),
        None => "草稿，尚未报送".into(),
    };
    let rows = j.measures.into_iter().map(|m| measure_row(m, version)).collect_view();
    view! {
        <p class="judgement-status muted" id="judgement-status">{format!("{}（{}）", status, j.written_by.name)}</p>
        <p class="long judgement-risks" id="judgement-risks">{j.risks}</p>
        <div class="table-wrap">
            <table class="analysis-table" id="judgement-measures">
                <thead><tr><th>"措施"</th><th>"牵头单位"</th><th>"完成时限"</th><th>"落实情况"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <div class="report-receipts" id="judgement-receipts">
            <span class="report-meta-item">"报送市领导："</span>
            <ul>{receipts}</ul>
        </div>
    }
}

fn measure_row(m: Measure, version: RwSignal<u32>) -> impl IntoView {
    let outcome = match (&m.outcome, m.can_record) {
        (Some(o), _) => view! { <span class="measure-outcome">{o.clone()}</span> }.into_any(),
        (None, true) => view! { <OutcomeForm id=m.id version=version/> }.into_any(),
        (None, false) => view! { <span class="muted">"待落实"</span> }.into_any(),
    };
    view! {
        <tr class="measure" data-measure-id=m.id.to_string() data-overdue=m.overdue.to_string()>
            <td>{m.measure.clone()}</td>
            <td>{m.holder.name.clone()}</td>
            <td class:overdue-text=m.overdue>
                {format::long_day(m.due_on)}{m.overdue.then_some("（逾期）")}
            </td>
            <td>{outcome}</td>
        </tr>
    }
}

#[component]
fn OutcomeForm(id: i64, version: RwSignal<u32>) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let (pending, error) = (RwSignal::new(false), RwSignal::new(None::<ApiError>));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = MeasureOutcome { outcome: text.get_untracked().trim().to_string() };
        if let Some(refused) = ApiError::from_problems(body.problems()) {
            error.set(Some(refused));
            return;
        }
        pending.set(true);
        spawn_local(async move {
            let r = api::post::<_, Judgement>(&format!("/api/analysis/measures/{id}/outcome"), &body).await;
            let _ = pending.try_set(false);
            match r {
                Ok(_) => version.update(|v| *v += 1),
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    view! {
        <form class="outcome-form no-print" novalidate on:submit=submit>
            <input type="text" class="outcome-text" bind:value=text placeholder="落实情况"/>
            <button type="submit" class="outcome-save" disabled=move || pending.get()>"记录"</button>
            <ErrorBox error=error/>
        </form>
    }
}

/// One measure row as edited.
#[derive(Clone)]
struct Row {
    measure: RwSignal<String>,
    holder: RwSignal<String>,
    due: RwSignal<String>,
}

impl Row {
    fn new(m: Option<&Measure>) -> Self {
        Row {
            measure: RwSignal::new(m.map(|m| m.measure.clone()).unwrap_or_default()),
            holder: RwSignal::new(m.map(|m| m.holder.id.to_string()).unwrap_or_default()),
            due: RwSignal::new(m.map(|m| format::day_input(m.due_on)).unwrap_or_default()),
        }
    }
}

#[component]
fn JudgementEditor(year: i32, month: u32, judgement: Option<Judgement>, version: RwSignal<u32>) -> impl IntoView {
    let risks = RwSignal::new(judgement.as_ref().map(|j| j.risks.clone()).unwrap_or_default());
    let rows = RwSignal::new(match judgement.as_ref() {
        Some(j) => j.measures.iter().map(|m| Row::new(Some(m))).collect::<Vec<_>>(),
        None => vec![Row::new(None)],
    });
    let saved_id = judgement.as_ref().map(|j| j.id);
    let units = LocalResource::new(|| api::get::<Vec<OrgUnit>>("/api/org/units"));
    let holders = move || -> Vec<(String, String)> {
        match units.get() {
            Some(Ok(list)) => list
                .into_iter()
                .filter(|u| u.active && matches!(u.kind, OrgKind::Department | OrgKind::Street | OrgKind::Community))
                .map(|u| (u.id.to_string(), u.full_name))
                .collect(),
            _ => Vec::new(),
        }
    };
    let (pending, error, saved) =
        (RwSignal::new(false), RwSignal::new(None::<ApiError>), RwSignal::new(None::<String>));
    let body = move || -> Result<SaveJudgement, ApiError> {
        let mut measures = Vec::new();
        for (i, r) in rows.get_untracked().iter().enumerate() {
            let text = r.measure.get_untracked();
            if text.trim().is_empty() && r.holder.get_untracked().is_empty() {
                continue;
            }
            let holder_id = r.holder.get_untracked().parse::<i64>().map_err(|_| {
                crate::components::form_errors::field_refusal(
                    &format!("measures[{i}].holder_id"),
                    format!("请选择第{}条措施的牵头单位", i + 1),
                )
            })?;
            let due_on = format::parse_day(&r.due.get_untracked()).ok_or_else(|| {
                crate::components::form_errors::field_refusal(
                    &format!("measures[{i}].due_on"),
                    format!("请填写第{}条措施的完成时限", i + 1),
                )
            })?;
            measures.push(MeasureDraft { measure: text.trim().to_string(), holder_id, due_on });
        }
        let body = SaveJudgement { year, month, risks: risks.get_untracked().trim().to_string(), measures };
        match ApiError::from_problems(body.problems()) {
            Some(refused) => Err(refused),
            None => Ok(body),
        }
    };
    let save = move |then_submit: bool| {
        let body = match body() {
            Ok(b) => b,
            Err(e) => {
                error.set(Some(e));
                return;
            }
        };
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            let mut result = api::put::<_, Judgement>("/api/analysis/judgement", &body).await;
            if then_submit {
                if let Ok(j) = &result {
                    result = api::post::<_, Judgement>(&format!("/api/analysis/judgement/{}/submit", j.id), &()).await;
                }
            }
            let _ = pending.try_set(false);
            match result {
                Ok(_) => {
                    let _ = saved.try_set(Some(if then_submit { "已报送市领导" } else { "已保存" }.into()));
                    version.update(|v| *v += 1);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let row_view = move |(i, r): (usize, Row)| {
        let options = move || {
            holders()
                .into_iter()
                .map(|(id, name)| {
                    let selected = r.holder.get_untracked() == id;
                    view! { <option value=id selected=selected>{name}</option> }
                })
                .collect_view()
        };
        view! {
            <li class="measure-edit" data-row=i.to_string()>
                <input type="text" class="measure-text" placeholder="措施" bind:value=r.measure/>
                <select class="measure-holder" on:change=move |ev| r.holder.set(event_target_value(&ev))>
                    <option value="">"牵头单位"</option>
                    {options}
                </select>
                <input type="date" class="measure-due" bind:value=r.due/>
            </li>
        }
    };
    view! {
        <form class="form judgement-form no-print" id="judgement-form" novalidate on:submit=|ev| ev.prevent_default()>
            <label for="judgement-risks-input">"风险研判"</label>
            <textarea id="judgement-risks-input" rows="5" bind:value=risks
                placeholder="本月民情反映出的风险、趋势和需要市领导关注的问题"></textarea>
            <span class="label">"措施建议（牵头单位、完成时限）"</span>
            <ol class="measure-rows">{move || rows.get().into_iter().enumerate().map(row_view).collect_view()}</ol>
            <button type="button" id="judgement-add-measure"
                on:click=move |_| rows.update(|r| r.push(Row::new(None)))>"增加一条措施"</button>
            <ErrorBox error=error/>
            {move || saved.get().map(|m| view! { <p class="success" id="judgement-saved" role="status">{m}</p> })}
            <div class="actions">
                <button type="button" id="judgement-save" disabled=move || pending.get() on:click=move |_| save(false)>
                    "保存"
                </button>
                <button type="button" id="judgement-submit" class="primary" disabled=move || pending.get()
                    on:click=move |_| save(true)>
                    {if saved_id.is_some() { "报送市领导" } else { "保存并报送市领导" }}
                </button>
            </div>
        </form>
    }
}
