//! The resident's page (第八条, 第六条′), opened from the link or QR code the community sends: no account, no app
//! chrome, big text. What they raised, the way so far, the result with its photos, and the three questions with
//! one-tap answers — sent as soon as the third is answered, and changeable for 7 days.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use shared::voice::{Rating, ResidentStep, ResidentView, RATING_EDIT_DAYS};
use shared::{ApiError, ErrorCode};

use crate::api;
use crate::components::{rate_lines, AnswerRows, Answers};
use crate::format;

/// The longest comment, as the server checks it.
const MAX_COMMENT_CHARS: usize = 300;

/// Shown for a wrong, replaced or expired link.
const INVALID_LINK: &str = "链接无效或已过期，请联系您的网格长";

/// The resident's words for an error of this page.
fn message(e: &ApiError) -> String {
    match e.code {
        ErrorCode::NotFound => INVALID_LINK.into(),
        ErrorCode::TooManyRequests => "请求过于频繁，请稍后再试".into(),
        ErrorCode::WrongStage => "处理结果出来后才能评价".into(),
        ErrorCode::DeadlinePassed => format!("评价已超过{RATING_EDIT_DAYS}天，不能再修改"),
        _ => e.message.clone(),
    }
}

/// What the rating part shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The questions, to answer or to change.
    Form,
    /// The rating given, no longer changeable.
    ReadOnly,
    /// Nothing to rate yet (or any more); whether there is a result.
    NotYet(bool),
}

/// A link that is not one (the residents' app knows no other address).
#[component]
pub fn InvalidResidentLink() -> impl IntoView {
    view! {
        <div class="page narrow">
            <div class="card center">
                <p>{INVALID_LINK}</p>
            </div>
        </div>
    }
}

/// The rating part of the page: the rating stored, whether it may be given now, the answers on screen, and sending.
#[derive(Clone, Copy)]
struct RatingState {
    token: Memo<String>,
    rating: RwSignal<Option<Rating>>,
    can_rate: RwSignal<bool>,
    has_result: RwSignal<bool>,
    answers: Answers,
    not_solved: RwSignal<bool>,
    comment: RwSignal<String>,
    pending: RwSignal<bool>,
    error: RwSignal<Option<String>>,
    /// A rating was sent from this page (the thanks show).
    sent: RwSignal<bool>,
    /// The third answer has sent it once by itself.
    auto_sent: RwSignal<bool>,
}

impl RatingState {
    fn new(token: Memo<String>) -> Self {
        Self {
            token,
            rating: RwSignal::new(None),
            can_rate: RwSignal::new(false),
            has_result: RwSignal::new(false),
            answers: Answers::new(None),
            not_solved: RwSignal::new(false),
            comment: RwSignal::new(String::new()),
            pending: RwSignal::new(false),
            error: RwSignal::new(None),
            sent: RwSignal::new(false),
            auto_sent: RwSignal::new(false),
        }
    }

    /// Takes the server's view of the rating (and, `fill`, its answers into the form).
    fn take(self, v: &ResidentView, fill: bool) {
        self.rating.set(v.rating.clone());
        self.can_rate.set(v.can_rate);
        self.has_result.set(v.result.as_deref().is_some_and(|r| !r.trim().is_empty()));
        if let (true, Some(r)) = (fill, &v.rating) {
            self.answers.set(&r.rate);
            self.not_solved.set(r.rate.not_solved);
            self.comment.set(r.rate.comment.clone().unwrap_or_default());
        }
    }

    /// Sends the answers.
    fn send(self) {
        if self.pending.get_untracked() {
            return;
        }
        let text = self.comment.get_untracked();
        let Some(rate) = self.answers.rate_untracked(self.not_solved.get_untracked(), &text) else {
            self.error.set(Some("请先回答上面三个问题".into()));
            return;
        };
        if text.trim().chars().count() > MAX_COMMENT_CHARS {
            self.error.set(Some(format!("意见不能超过{MAX_COMMENT_CHARS}个字")));
            return;
        }
        self.pending.set(true);
        self.error.set(None);
        let path = format!("/api/r/{}/rating", api::encode(&self.token.get_untracked()));
        spawn_local(async move {
            let result = api::put_open::<_, ResidentView>(&path, &rate).await;
            let _ = self.pending.try_set(false);
            match result {
                Ok(v) => {
                    self.take(&v, false);
                    let _ = self.sent.try_set(true);
                }
                Err(e) => {
                    if matches!(e.code, ErrorCode::DeadlinePassed | ErrorCode::WrongStage) {
                        let _ = self.can_rate.try_set(false);
                    }
                    let _ = self.error.try_set(Some(message(&e)));
                }
            }
        });
    }
}

#[component]
pub fn ResidentPage() -> impl IntoView {
    let params = use_params_map();
    let token = Memo::new(move |_| params.with(|p| p.get("token").unwrap_or_default()));
    let data = RwSignal::new(None::<Result<ResidentView, ApiError>>);
    // The rating part, kept apart from `data` so that sending a rating does not redraw the page.
    let st = RatingState::new(token);

    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        doc.set_title("民情直通车 · 办理情况");
    }

    let load = move || {
        let wanted = token.get_untracked();
        data.set(None);
        spawn_local(async move {
            let result = api::get_open::<ResidentView>(&format!("/api/r/{}", api::encode(&wanted))).await;
            if token.try_get_untracked().as_deref() != Some(wanted.as_str()) {
                return;
            }
            if let Ok(v) = &result {
                st.take(v, true);
            }
            let _ = data.try_set(Some(result));
        });
    };
    Effect::new(move |_| {
        token.track();
        load();
    });

    let body = move || match data.get() {
        None => view! { <p class="r-loading" role="status">"正在加载…"</p> }.into_any(),
        Some(Err(e)) if e.code == ErrorCode::NotFound => view! {
            <section class="r-card" id="resident-invalid">
                <p class="r-big">{INVALID_LINK}</p>
            </section>
        }
        .into_any(),
        Some(Err(e)) => view! {
            <section class="r-card" id="resident-error">
                <p class="r-big" role="alert">{message(&e)}</p>
                <button type="button" id="resident-retry" class="r-submit" on:click=move |_| load()>"重新加载"</button>
            </section>
        }
        .into_any(),
        Some(Ok(v)) => view! {
            {item_part(v)}
            <RatingPart st=st/>
        }
        .into_any(),
    };

    view! {
        <div id="resident-page" class="resident">
            <header class="r-header">
                <p class="r-brand">"民情直通车"</p>
                <h1>"您反映问题的办理情况"</h1>
            </header>
            {body}
            <p class="r-foot">"如有疑问，请联系您的网格长或社区。"</p>
        </div>
    }
}

/// The rating: the form while it may be given, the rating given, or why there is none yet.
#[component]
fn RatingPart(st: RatingState) -> impl IntoView {
    let RatingState { rating, can_rate, has_result, error, .. } = st;
    let mode = Memo::new(move |_| {
        if can_rate.get() {
            Mode::Form
        } else if rating.with(Option::is_some) {
            Mode::ReadOnly
        } else {
            Mode::NotYet(has_result.get())
        }
    });
    move || match mode.get() {
        Mode::Form => view! { <RatingForm st=st/> }.into_any(),
        Mode::ReadOnly => view! {
            {move || error.get().map(|m| view! { <p id="rating-error" class="r-error" role="alert">{m}</p> })}
            {move || rating.get().map(rating_readonly)}
        }
        .into_any(),
        Mode::NotYet(result) => view! {
            <section class="r-card" id="rating-not-yet">
                <h2>"评价"</h2>
                {move || error.get().map(|m| view! { <p id="rating-error" class="r-error" role="alert">{m}</p> })}
                <p class="r-note">{if result {
                    "现在不能评价。如有问题，请联系您的网格长。"
                } else {
                    "处理结果出来后，您可以在这里评价。"
                }}</p>
            </section>
        }
        .into_any(),
    }
}

/// 请您评价: three questions answered with a tap each (the third sends a first rating by itself), 问题没有解决, a
/// comment, and 提交.
#[component]
fn RatingForm(st: RatingState) -> impl IntoView {
    let RatingState { rating, answers, not_solved, comment, pending, error, sent, auto_sent, .. } = st;
    let send = move || st.send();
    // Three taps are enough: the answer that completes the three sends a first rating by itself.
    let on_tap = Callback::new(move |_| {
        let complete = answers.rate_untracked(false, "").is_some();
        if complete && rating.get_untracked().is_none() && !auto_sent.get_untracked() {
            auto_sent.set(true);
            send();
        }
    });

    // The answers on screen differ from the rating stored.
    let dirty = Memo::new(move |_| {
        let current = answers.rate(not_solved.get(), &comment.get());
        rating.with(|r| r.as_ref().map(|r| &r.rate) != current.as_ref())
    });
    let complete = Memo::new(move |_| answers.complete());
    view! {
    <section class="r-card" id="rating-form">
        <h2>"请您评价"</h2>
        <p class="r-lead">"每个问题点一下即可，三个问题答完就会自动提交。"</p>
        {move || (rating.with(Option::is_some) && !sent.get()).then(|| {
            let until = rating.with(|r| r.as_ref().map(|r| format::long(r.editable_until))).unwrap_or_default();
            view! {
                <p id="rating-given" class="r-note">
                    "您已经评价过了。"{RATING_EDIT_DAYS}"天内可以修改（"{until}"前）。"
                </p>
            }
        })}
        <AnswerRows answers=answers disabled=pending on_tap=on_tap numbered=true/>
        {move || (sent.get() && !dirty.get() && !pending.get()).then(|| view! {
            <div id="rating-thanks" class="r-thanks" role="status">
                <p class="r-thanks-title">"感谢您的评价！"</p>
                <p>{RATING_EDIT_DAYS}"天内可以修改，改好后请点下方「提交修改」。"</p>
            </div>
        })}
        {move || pending.get().then(|| view! { <p class="r-note" role="status">"正在提交…"</p> })}
        {move || error.get().map(|m| view! { <p id="rating-error" class="r-error" role="alert">{m}</p> })}
        <label class="r-toggle" for="not-solved">
            <input type="checkbox" id="not-solved" prop:checked=move || not_solved.get()
                on:change=move |ev| not_solved.set(event_target_checked(&ev))/>
            <span>"问题没有解决"</span>
        </label>
        <label class="r-label" for="rating-comment">"还有什么想说的（可不填）"</label>
        <textarea id="rating-comment" rows="3" maxlength=MAX_COMMENT_CHARS.to_string() bind:value=comment
            placeholder="您的意见或建议"></textarea>
        {move || (sent.get() && dirty.get() && !pending.get()).then(|| view! {
            <p id="rating-dirty" class="r-note">"您改动了评价，请点「提交修改」保存。"</p>
        })}
        <button type="button" id="rating-submit" class="r-submit"
            disabled=move || !complete.get() || pending.get() on:click=move |_| send()>
            {move || if pending.get() {
                "正在提交…"
            } else if rating.with(Option::is_some) {
                "提交修改"
            } else {
                "提交评价"
            }}
        </button>
    </section>
    }
}

/// What was raised, where it stands, the way so far, the result and the photos.
fn item_part(v: ResidentView) -> impl IntoView {
    let result = v.result.clone().filter(|r| !r.trim().is_empty());
    let photos = v.photos.clone();
    let last = v.steps.len().saturating_sub(1);
    let steps = v.steps.into_iter().enumerate().map(|(i, s)| step_view(s, i == last)).collect_view();
    view! {
        <section class="r-card" id="resident-item">
            <p class="r-meta">{v.community}" · "{v.item_type.label()}</p>
            <h2>"您反映的问题"</h2>
            <p class="r-content">{v.content}</p>
        </section>
        <section class="r-card" id="resident-status">
            <h2>"目前进展"</h2>
            <p class="r-status-label" id="resident-status-label">{v.status_label}</p>
            <ol class="r-steps" id="resident-steps">{steps}</ol>
        </section>
        {result.map(|r| view! {
            <section class="r-card" id="resident-result">
                <h2>"处理结果"</h2>
                <p class="r-content">{r}</p>
            </section>
        })}
        {(!photos.is_empty()).then(|| view! {
            <section class="r-card" id="resident-photos">
                <h2>"照片"</h2>
                <p class="r-note">"点照片可以看大图"</p>
                <ul class="r-photos">
                    {photos
                        .into_iter()
                        .map(|p| view! {
                            <li>
                                <a href=p.url target="_blank" rel="noopener">
                                    <img src=p.thumb_url alt="照片" loading="lazy"/>
                                </a>
                            </li>
                        })
                        .collect_view()}
                </ul>
            </section>
        })}
    }
}

fn step_view(s: ResidentStep, current: bool) -> impl IntoView {
    view! {
        <li class="r-step" class:current=current>
            <span class="r-step-label">{s.label}</span>
            <span class="r-step-at">{format::long(s.at)}</span>
        </li>
    }
}

/// The rating given, when it can no longer be changed.
fn rating_readonly(r: Rating) -> impl IntoView {
    let comment = r.rate.comment.clone().filter(|c| !c.trim().is_empty());
    view! {
        <section class="r-card" id="rating-readonly">
            <h2>"您的评价"</h2>
            {rate_lines(&r.rate)}
            {r.rate.not_solved.then(|| view! { <p class="r-not-solved">"您反映：问题没有解决"</p> })}
            {comment.map(|c| view! { <p class="r-content">"您的意见："{c}</p> })}
            <p class="r-note">"评价时间："{format::long(r.updated_at)}</p>
        </section>
    }
}
