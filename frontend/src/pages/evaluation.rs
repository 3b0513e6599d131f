//! 每周测评 (第六条′): building leaders, grid leaders, station heads and community secretaries rate each week how
//! every department handled their street's items — the resident's three one-tap questions and a comment, saved on
//! every change while the round is open (until the end of the following week).

use chrono::{Datelike, Duration, NaiveDate};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::access;
use shared::voice::EvalRound;
use shared::{ApiError, ErrorCode};

use crate::api;
use crate::components::{not_for_you, AnswerRows, Answers, ErrorBox, Loaded, TopBar};
use crate::format;
use crate::state;

/// The longest comment, as the server checks it.
const MAX_COMMENT_CHARS: usize = 300;

/// "3月2日—3月8日".
fn week_label(monday: NaiveDate) -> String {
    let sunday = monday + Duration::days(6);
    format!("{}月{}日—{}月{}日", monday.month(), monday.day(), sunday.month(), sunday.day())
}

/// The Monday of the city's week now.
fn this_monday() -> NaiveDate {
    let today = format::city_today();
    today - Duration::days(today.weekday().num_days_from_monday() as i64)
}

#[component]
pub fn EvaluationPage() -> impl IntoView {
    if !state::current().is_some_and(|s| access::rates_departments(&s.me.roles)) {
        return not_for_you("每周测评", "每周测评由楼长、网格长、党群服务站站长和社区书记填写。").into_any();
    }
    let version = RwSignal::new(0u32);
    let rounds = LocalResource::new(move || {
        version.track();
        api::get::<Vec<EvalRound>>("/api/evaluation/rounds")
    });
    let body = view! {
        <Loaded resource=rounds let:value
            on_error=move || view! {
                <button type="button" on:click=move |_| version.update(|v| *v += 1)>"重新加载"</button>
            }>
            {match value {
                list if list.is_empty() => view! {
                    <div class="card center" id="no-rounds"><p class="muted">"本周和上周没有需要测评的部门。"</p></div>
                }
                .into_any(),
                mut list => {
                    list.sort_by(|a, b| {
                        b.week_start.cmp(&a.week_start).then_with(|| a.department.name.cmp(&b.department.name))
                    });
                    let monday = this_monday();
                    let mut weeks: Vec<(NaiveDate, Vec<EvalRound>)> = Vec::new();
                    for r in list {
                        match weeks.last_mut() {
                            Some((w, rs)) if *w == r.week_start => rs.push(r),
                            _ => weeks.push((r.week_start, vec![r])),
                        }
                    }
                    weeks
                        .into_iter()
                        .map(|(w, rs)| {
                            let name = if w == monday {
                                "本周"
                            } else if w == monday - Duration::days(7) {
                                "上周"
                            } else {
                                ""
                            };
                            let total = rs.len();
                            view! {
                                <section class="queue-section eval-week" data-week=w.to_string()>
                                    <h2 class="queue-title">{name}" "{week_label(w)}</h2>
                                    <p class="muted small">"共"{total}"个部门"</p>
                                    {rs.into_iter().map(|r| view! { <EvalCard round=r/> }).collect_view()}
                                </section>
                            }
                        })
                        .collect_view()
                        .into_any()
                }
            }}
        </Loaded>
    };
    view! {
        <div id="evaluation-page" class="page">
            <TopBar title="每周测评" back="/"/>
            <p class="hint">"对各部门单位办理本街道居民诉求的情况评价：处理是否及时、服务态度是否满意、处理结果是否满意。每点一下都会自动保存。"</p>
            {body}
        </div>
    }
    .into_any()
}

/// One department of one week: the three questions and a comment.
#[component]
fn EvalCard(round: EvalRound) -> impl IntoView {
    let id = round.id;
    let given = round.my_rating.as_ref().map(|r| &r.rate);
    let answers = Answers::new(given);
    let comment = RwSignal::new(given.and_then(|r| r.comment.clone()).unwrap_or_default());
    let rated = RwSignal::new(round.my_rating.is_some());
    let open = RwSignal::new(round.open);
    let saving = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    // Each save is numbered: only the answer to the last one counts.
    let seq = StoredValue::new(0u32);

    let save = move || {
        if !open.get_untracked() {
            return;
        }
        let text = comment.get_untracked();
        let Some(rate) = answers.rate_untracked(false, &text) else { return };
        if text.trim().chars().count() > MAX_COMMENT_CHARS {
            error.set(Some(ApiError::new(ErrorCode::Validation, format!("意见不能超过{MAX_COMMENT_CHARS}个字"))));
            return;
        }
        seq.update_value(|s| *s += 1);
        let mine = seq.get_value();
        saving.set(true);
        saved.set(false);
        error.set(None);
        spawn_local(async move {
            let result = api::put::<_, EvalRound>(&format!("/api/evaluation/rounds/{id}/rating"), &rate).await;
            if seq.try_get_value() != Some(mine) {
                return;
            }
            let _ = saving.try_set(false);
            match result {
                Ok(r) => {
                    let _ = rated.try_set(r.my_rating.is_some());
                    let _ = open.try_set(r.open);
                    let _ = saved.try_set(true);
                }
                Err(e) => {
                    if e.code == ErrorCode::DeadlinePassed {
                        let _ = open.try_set(false);
                    }
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let on_tap = Callback::new(move |_| save());
    let comment_id = format!("eval-comment-{id}");
    let complete = Memo::new(move |_| answers.complete());

    view! {
        <article class="card eval-round" data-round-id=id.to_string() data-rated=move || rated.get().to_string()>
            <div class="record-head">
                <strong class="eval-dept">{round.department.name.clone()}</strong>
                {move || rated.get().then(|| view! { <span class="badge rated-badge">"已评"</span> })}
                {move || (!open.get()).then(|| view! { <span class="badge closed-badge">"已截止"</span> })}
            </div>
            <p class="muted small">{round.street.name.clone()}" · "{week_label(round.week_start)}" · 办理本街道民情"{round.items}"件"</p>
            <AnswerRows answers=answers disabled=Signal::derive(move || !open.get()) on_tap=on_tap/>
            <label class="eval-comment-label" for=comment_id.clone()>"意见（可不填）"</label>
            <textarea id=comment_id class="eval-comment" rows="2" maxlength=MAX_COMMENT_CHARS.to_string()
                bind:value=comment disabled=move || !open.get() on:change=move |_| save()
                placeholder="不满意的，请写明原因"></textarea>
            <p class="eval-status small" role="status">
                {move || if saving.get() {
                    "正在保存…"
                } else if saved.get() {
                    "已保存"
                } else if !complete.get() && open.get() {
                    "三个问题都答完后自动保存"
                } else {
                    ""
                }}
            </p>
            <ErrorBox error=error/>
        </article>
    }
}
