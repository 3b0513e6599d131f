//! The follow-ups of dissatisfied ratings of one item, on its page, with the form for the next step; nothing when
//! there are none (or the viewer may not see them).

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::access;
use shared::item::Item;
use shared::voice::FollowUp;
use shared::{ApiError, ErrorCode};

use crate::api;
use crate::components::follow_ups::{follow_up_card, saved_note, sort, AddStepForm};
use crate::components::ErrorBox;
use crate::state;

/// The follow-ups of one item, on its page; nothing when there are none (or the viewer may not see them).
#[component]
pub fn ItemFollowUps(item: RwSignal<Option<Result<Item, ApiError>>>) -> impl IntoView {
    // Reloaded whenever the item changes (a send-back marks its follow-up).
    let key = Memo::new(move |_| {
        item.with(|i| match i {
            Some(Ok(i)) => Some((i.id.clone(), i.version)),
            _ => None,
        })
    });
    let list = RwSignal::new(None::<Result<Vec<FollowUp>, ApiError>>);
    let saved = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let Some(wanted) = key.get() else { return };
        spawn_local(async move {
            let path = format!("/api/follow-ups?item_id={}", api::encode(&wanted.0));
            let result = api::get::<Vec<FollowUp>>(&path).await.map(|mut l| {
                sort(&mut l);
                l
            });
            if key.try_get_untracked().flatten().as_ref() == Some(&wanted) {
                let _ = list.try_set(Some(result));
            }
        });
    });
    let may_step = state::current().is_some_and(|s| access::follows_up(&s.me.roles));
    let on_saved = Callback::new(move |f: FollowUp| {
        saved.set(Some(saved_note(&f)));
        list.update(|l| {
            if let Some(Ok(l)) = l {
                if let Some(old) = l.iter_mut().find(|o| o.id == f.id) {
                    *old = f;
                }
                sort(l);
            }
        });
    });

    move || match list.get() {
        None => None,
        Some(Err(e)) if matches!(e.code, ErrorCode::Forbidden | ErrorCode::NotFound) => None,
        Some(Err(e)) => Some(
            view! {
                <section class="card" id="item-follow-ups">
                    <h3>"跟踪整改"</h3>
                    <ErrorBox error=Signal::stored(Some(e))/>
                </section>
            }
            .into_any(),
        ),
        Some(Ok(l)) if l.is_empty() => None,
        Some(Ok(l)) => {
            // The form goes with the first open follow-up.
            let form_for = l.iter().find(|f| f.closed_at.is_none()).map(|f| f.id).filter(|_| may_step);
            let cards = l
                .into_iter()
                .map(|f| {
                    let form = (form_for == Some(f.id))
                        .then(|| view! { <AddStepForm follow_up=f.clone() on_saved=on_saved/> });
                    follow_up_card(f, false, form.into_any())
                })
                .collect_view();
            Some(
                view! {
                    <section class="card item-follow-ups" id="item-follow-ups">
                        <h3>"跟踪整改"</h3>
                        {move || saved.get().map(|m| view! {
                            <p id="follow-up-saved" class="success" role="status">{m}</p>
                        })}
                        {cards}
                    </section>
                }
                .into_any(),
            )
        }
    }
}
