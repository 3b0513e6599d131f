//! The capture form's first sections: how the concern was collected (or the origin it was raised at), its type, and
//! its level with the confirmation a major item asks for.

use leptos::prelude::*;
use shared::item::ChannelSource;
use shared::{ApiError, Channel, ItemType, Level};

use super::context::{ChannelMode, Origin};
use super::form::Form;
use crate::components::form_errors::clear_field;
use crate::components::FieldError;

/// 收集方式 and where within it.
#[component]
pub(super) fn ChannelSection(
    form: Form,
    mode: ChannelMode,
    all: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let choose_channel = move |c: Channel| {
        form.channel.set(Some(c));
        if form.source.get_untracked().is_some_and(|s| s.channel() != c) {
            form.source.set(None);
        }
        clear_field(error, "channel");
    };
    let sources = move || {
        let Some(channel) = form.channel.get() else {
            return ().into_any();
        };
        let list: Vec<ChannelSource> = ChannelSource::ALL.iter().copied().filter(|s| s.channel() == channel).collect();
        if list.is_empty() {
            return ().into_any();
        }
        // A visit is either a visit or the WeChat group: a toggle. The station's sources are optional.
        let required = mode == ChannelMode::Visit && channel == Channel::WechatVisit;
        view! {
            <div class="chips small" role="group" aria-label="来源">
                {list
                    .into_iter()
                    .map(|s| {
                        let on = move || form.source.get() == Some(s);
                        view! {
                            <button type="button" class="chip" class:selected=on data-source=s.code()
                                aria-pressed=move || on().to_string()
                                on:click=move |_| {
                                    if form.source.get_untracked() == Some(s) && !required {
                                        form.source.set(None);
                                    } else {
                                        form.source.set(Some(s));
                                    }
                                }>{s.label()}</button>
                        }
                    })
                    .collect_view()}
            </div>
        }
        .into_any()
    };
    view! {
        <section class="field-group channel-group">
            <div class="channel-head">
                <h3>"收集方式"</h3>
                {move || (!all.get()).then(|| view! {
                    <span class="channel-name">{move || form.channel.get().map(|c| c.label()).unwrap_or("")}</span>
                    <button type="button" class="link-button small" id="other-channel"
                        on:click=move |_| all.set(true)>"其他方式"</button>
                })}
            </div>
            {move || all.get().then(|| view! {
                <div class="chips" role="group" aria-label="收集方式">
                    {Channel::ALL
                        .iter()
                        .map(|c| {
                            let c = *c;
                            let on = move || form.channel.get() == Some(c);
                            view! {
                                <button type="button" class="chip" class:selected=on data-channel=c.code()
                                    aria-pressed=move || on().to_string()
                                    on:click=move |_| choose_channel(c)>{c.label()}</button>
                            }
                        })
                        .collect_view()}
                </div>
            })}
            {sources}
            <FieldError error=error field="channel"/>
            <FieldError error=error field="source"/>
        </section>
    }
}

/// The fixed channel of an item raised at a visit, meeting or reception, under a banner naming where it comes from.
#[component]
pub(super) fn OriginSection(form: Form, origin: Origin, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let source = move || form.source.get().map(|s| format!("（{}）", s.label()));
    view! {
        <section class="field-group channel-group origin-group" id="capture-origin" data-origin=origin.code()>
            <p class="origin-banner" id="origin-banner">{origin.banner()}</p>
            <div class="channel-head">
                <h3>"收集方式"</h3>
                <span class="channel-name">{origin.channel().label()}</span>
                <span class="muted">{source}</span>
            </div>
            <FieldError error=error field="channel"/>
            <FieldError error=error field="source"/>
            <FieldError error=error field="visit_id"/>
            <FieldError error=error field="meeting_id"/>
            <FieldError error=error field="reception_id"/>
        </section>
    }
}

/// 类型: one big button per type, with the regulation's examples.
#[component]
pub(super) fn TypeSection(form: Form, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    view! {
        <section class="field-group">
            <h3>"类型"</h3>
            <div class="type-grid" role="group" aria-label="类型">
                {ItemType::ALL
                    .iter()
                    .map(|t| {
                        let t = *t;
                        let on = move || form.item_type.get() == Some(t);
                        view! {
                            <button type="button" class="type-button" class:selected=on data-type=t.code()
                                aria-pressed=move || on().to_string()
                                on:click=move |_| {
                                    form.item_type.set(Some(t));
                                    clear_field(error, "item_type");
                                }>
                                <span class="type-label">{t.label()}</span>
                                <span class="type-examples">{t.examples()}</span>
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <FieldError error=error field="item_type"/>
        </section>
    }
}

/// 级别: 一般性, or 重大性 once confirmed (`confirm_major` opens the question).
#[component]
pub(super) fn LevelSection(
    form: Form,
    error: RwSignal<Option<ApiError>>,
    confirm_major: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <section class="field-group">
            <h3>"级别"</h3>
            <div class="segmented" role="group" aria-label="级别">
                <button type="button" id="level-general" class:selected=move || form.level.get() == Level::General
                    aria-pressed=move || (form.level.get() == Level::General).to_string()
                    on:click=move |_| form.level.set(Level::General)>{Level::General.label()}</button>
                <button type="button" id="level-major" class="major" class:selected=move || form.level.get() == Level::Major
                    aria-pressed=move || (form.level.get() == Level::Major).to_string()
                    on:click=move |_| {
                        if form.level.get_untracked() != Level::Major {
                            confirm_major.set(true);
                        }
                    }>{Level::Major.label()}</button>
            </div>
            {move || (form.level.get() == Level::Major).then(|| view! {
                <p class="hint major-hint">"将立即提醒街道书记、主任直报市委书记、市长"</p>
            })}
            <FieldError error=error field="level"/>
        </section>
    }
}

/// The question a major item asks before it is one: it goes to the city's leaders at once.
#[component]
pub(super) fn ConfirmMajor(form: Form, open: RwSignal<bool>) -> impl IntoView {
    move || {
        open.get().then(|| {
            view! {
                <div class="modal-backdrop">
                    <div class="modal" role="dialog" aria-modal="true" aria-labelledby="confirm-major-title">
                        <h3 id="confirm-major-title">"确认为重大性事项"</h3>
                        <p>"重大性事项将立即提醒街道书记、主任直报市委书记、市长，确认吗？"</p>
                        <div class="actions">
                            <button type="button" id="cancel-major" on:click=move |_| open.set(false)>"取消"</button>
                            <button type="button" id="confirm-major" class="primary" on:click=move |_| {
                                form.level.set(Level::Major);
                                open.set(false);
                            }>"确认重大性"</button>
                        </div>
                    </div>
                </div>
            }
        })
    }
}
