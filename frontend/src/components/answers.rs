//! The three questions of a rating (第六条′: 是否及时, 服务态度, 处理结果), each a row of three one-tap answers
//! (满意, 基本满意, 不满意): shared by the resident's page and the weekly evaluation of departments.

use leptos::prelude::*;
use shared::voice::{Answer, Rate};

/// One of the three questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    Timely,
    Attitude,
    Result,
}

impl Question {
    pub const ALL: [Question; 3] = [Question::Timely, Question::Attitude, Question::Result];

    /// The name in the data attributes (`data-q`), as in `Rate`'s fields.
    pub fn code(self) -> &'static str {
        match self {
            Question::Timely => "timely",
            Question::Attitude => "attitude",
            Question::Result => "result",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Question::Timely => "是否及时",
            Question::Attitude => "服务态度",
            Question::Result => "处理结果",
        }
    }

    /// This question's answer in a rating.
    pub fn of(self, rate: &Rate) -> Answer {
        match self {
            Question::Timely => rate.timely,
            Question::Attitude => rate.attitude,
            Question::Result => rate.result,
        }
    }
}

/// The answers given so far, one signal per question.
#[derive(Clone, Copy)]
pub struct Answers {
    timely: RwSignal<Option<Answer>>,
    attitude: RwSignal<Option<Answer>>,
    result: RwSignal<Option<Answer>>,
}

impl Answers {
    /// The answers of a rating given earlier, or none.
    pub fn new(rate: Option<&Rate>) -> Self {
        Self {
            timely: RwSignal::new(rate.map(|r| r.timely)),
            attitude: RwSignal::new(rate.map(|r| r.attitude)),
            result: RwSignal::new(rate.map(|r| r.result)),
        }
    }

    pub fn signal(self, q: Question) -> RwSignal<Option<Answer>> {
        match q {
            Question::Timely => self.timely,
            Question::Attitude => self.attitude,
            Question::Result => self.result,
        }
    }

    /// Takes the answers of a rating (the resident's page, when they change theirs).
    #[cfg_attr(not(feature = "resident"), allow(dead_code))]
    pub fn set(self, rate: &Rate) {
        for q in Question::ALL {
            self.signal(q).set(Some(q.of(rate)));
        }
    }

    /// Whether all three are answered (tracked).
    pub fn complete(self) -> bool {
        Question::ALL.iter().all(|q| self.signal(*q).with(Option::is_some))
    }

    /// The rating of these answers, once all three are given (tracked).
    pub fn rate(self, not_solved: bool, comment: &str) -> Option<Rate> {
        let comment = comment.trim();
        Some(Rate {
            timely: self.timely.get()?,
            attitude: self.attitude.get()?,
            result: self.result.get()?,
            not_solved,
            comment: (!comment.is_empty()).then(|| comment.to_string()),
        })
    }

    /// The same, untracked (in event handlers).
    pub fn rate_untracked(self, not_solved: bool, comment: &str) -> Option<Rate> {
        untrack(|| self.rate(not_solved, comment))
    }
}

/// The three rows of buttons. `on_tap` runs after an answer changed (not when the chosen one is tapped again).
#[component]
pub fn AnswerRows(
    answers: Answers,
    #[prop(into)] disabled: Signal<bool>,
    on_tap: Callback<Question>,
    /// Numbers the questions (1. 2. 3.), for the resident.
    #[prop(optional)]
    numbered: bool,
) -> impl IntoView {
    Question::ALL
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let q = *q;
            let value = answers.signal(q);
            let buttons = Answer::ALL
                .iter()
                .map(|a| {
                    let a = *a;
                    let on = move || value.get() == Some(a);
                    view! {
                        <button type="button" class="answer" class:selected=on data-q=q.code() data-a=a.code()
                            aria-pressed=move || on().to_string() disabled=move || disabled.get()
                            on:click=move |_| {
                                if value.get_untracked() != Some(a) {
                                    value.set(Some(a));
                                    on_tap.run(q);
                                }
                            }>{a.label()}</button>
                    }
                })
                .collect_view();
            view! {
                <div class="answer-row" role="group" aria-label=q.label() data-q=q.code()
                    data-answered=move || value.with(Option::is_some).to_string()>
                    <p class="answer-question">{numbered.then(|| format!("{}. ", i + 1))}{q.label()}</p>
                    <div class="answer-buttons">{buttons}</div>
                </div>
            }
        })
        .collect_view()
}

/// A rating as text, for reading: "是否及时：满意" per question.
pub fn rate_lines(rate: &Rate) -> impl IntoView {
    let rows = Question::ALL
        .iter()
        .map(|q| {
            let a = q.of(rate);
            view! {
                <li class="rate-line" data-q=q.code() data-a=a.code()>
                    <span class="rate-q">{q.label()}"："</span>
                    <strong class="rate-a" class:dissatisfied=a == Answer::Dissatisfied>{a.label()}</strong>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="rate-lines">{rows}</ul> }
}
