//! 跟踪整改 (第六条′): every dissatisfied rating is followed up — find out why, feed it back to the department, agree
//! the measures, explain to the resident — and closes once all four steps are recorded. The list page, open ones
//! first. (An item's own follow-ups are a panel of its page; 退回部门重办, when the resident says the problem is not
//! solved, is one of the item's actions.)

use leptos::prelude::*;
use shared::access;
use shared::voice::FollowUp;
use shared::ApiError;

use crate::api;
use crate::components::follow_ups::{follow_up_card, saved_note, sort, AddStepForm};
use crate::components::{not_for_you, ErrorBox, Loaded, Loading, TopBar};
use crate::state;

#[component]
pub fn FollowUpsPage() -> impl IntoView {
    let may_step = state::current().is_some_and(|s| access::follows_up(&s.me.roles));
    if !may_step {
        return not_for_you("跟踪整改", "跟踪整改供社区、服务站、街道和部门人员使用。").into_any();
    }
    let version = RwSignal::new(0u32);
    let show_closed = RwSignal::new(false);
    // The follow-up whose form is open (one at a time), and what the last one saved.
    let editing = RwSignal::new(None::<i64>);
    let saved = RwSignal::new(None::<String>);
    let on_saved = Callback::new(move |f: FollowUp| {
        saved.set(Some(saved_note(&f)));
        editing.set(None);
        version.update(|v| *v += 1);
    });
    let open = LocalResource::new(move || {
        version.track();
        async move {
            let mut list = api::get::<Vec<FollowUp>>("/api/follow-ups?open=true").await?;
            sort(&mut list);
            Ok::<_, ApiError>(list)
        }
    });
    let closed = LocalResource::new(move || {
        version.track();
        let wanted = show_closed.get();
        async move {
            if !wanted {
                return None;
            }
            // Without `open=true` the list holds every follow-up; the open ones are shown above.
            Some(api::get::<Vec<FollowUp>>("/api/follow-ups").await.map(|list| {
                let mut closed: Vec<FollowUp> = list.into_iter().filter(|f| f.closed_at.is_some()).collect();
                sort(&mut closed);
                closed
            }))
        }
    });
    let open_list = view! {
        <Loaded resource=open let:value>
            {match value {
                list if list.is_empty() => view! {
                    <p class="muted queue-empty" id="no-open-follow-ups">"没有待整改的不满意评价"</p>
                }
                .into_any(),
                list => list
                    .into_iter()
                    .map(|f| {
                        let record = may_step.then(|| {
                            let id = f.id;
                            let f = f.clone();
                            move || {
                                if editing.get() == Some(id) {
                                    view! { <AddStepForm follow_up=f.clone() on_saved=on_saved/> }.into_any()
                                } else {
                                    view! {
                                        <button type="button" class="fu-record" data-follow-up-id=id.to_string()
                                            on:click=move |_| {
                                                saved.set(None);
                                                editing.set(Some(id));
                                            }>"记录整改进展"</button>
                                    }
                                    .into_any()
                                }
                            }
                        });
                        follow_up_card(f, true, record.into_any())
                    })
                    .collect_view()
                    .into_any(),
            }}
        </Loaded>
    };
    let closed_list = move || match closed.get() {
        None => show_closed.get().then(|| view! { <Loading/> }.into_any()),
        Some(None) => None,
        Some(Some(Err(e))) => Some(view! { <ErrorBox error=Signal::stored(Some(e))/> }.into_any()),
        Some(Some(Ok(list))) if list.is_empty() => Some(view! { <p class="muted queue-empty">"暂无"</p> }.into_any()),
        Some(Some(Ok(list))) => {
            Some(list.into_iter().map(|f| follow_up_card(f, true, ().into_any())).collect_view().into_any())
        }
    };
    view! {
        <div id="follow-ups-page" class="page">
            <TopBar title="跟踪整改" back="/"/>
            <p class="hint">"居民或干部评价不满意的，要了解原因、反馈部门单位、明确整改措施，并向居民解释答复。"</p>
            <div class="toolbar">
                <button type="button" id="follow-ups-refresh" on:click=move |_| version.update(|v| *v += 1)>"刷新"</button>
            </div>
            {move || saved.get().map(|m| view! { <p id="follow-up-saved" class="success" role="status">{m}</p> })}
            <section class="queue-section" id="open-follow-ups">
                <h2 class="queue-title">"整改中"
                    {move || match open.get() {
                        Some(Ok(l)) if !l.is_empty() => Some(view! { <span class="queue-count">{l.len()}</span> }),
                        _ => None,
                    }}
                </h2>
                {open_list}
            </section>
            <section class="queue-section overview" id="closed-follow-ups">
                <h2 class="queue-title">"已完成"</h2>
                {move || (!show_closed.get()).then(|| view! {
                    <button type="button" id="show-closed-follow-ups" class="big" on:click=move |_| show_closed.set(true)>
                        "查看已完成的整改"
                    </button>
                })}
                {closed_list}
            </section>
        </div>
    }
    .into_any()
}
