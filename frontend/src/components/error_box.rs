//! Shows an API error's Chinese message (and each problem when there are several), or a field's own error.

use leptos::prelude::*;
use shared::ApiError;

/// The error of a form or a page, with every listed problem when there is more than one.
#[component]
pub fn ErrorBox(#[prop(into)] error: Signal<Option<ApiError>>) -> impl IntoView {
    move || {
        error.get().map(|e| {
            let extra: Vec<String> =
                if e.problems.len() > 1 { e.problems.iter().map(|p| p.message.clone()).collect() } else { Vec::new() };
            view! {
                <div class="error-box" role="alert">
                    <p>{e.message}</p>
                    {(!extra.is_empty())
                        .then(|| view! { <ul>{extra.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul> })}
                </div>
            }
        })
    }
}

/// The message for one field, when the error names it (the server's `field`, or a check made before sending).
#[component]
pub fn FieldError(#[prop(into)] error: Signal<Option<ApiError>>, field: &'static str) -> impl IntoView {
    move || {
        error
            .with(|e| {
                e.as_ref().and_then(|e| {
                    e.problems
                        .iter()
                        .find(|p| p.field.as_deref() == Some(field))
                        .map(|p| p.message.clone())
                        .or_else(|| (e.field.as_deref() == Some(field)).then(|| e.message.clone()))
                })
            })
            .map(|m| view! { <p class="field-error">{m}</p> })
    }
}

/// Whether the error names this field, to mark its input.
pub fn names_field(error: &Option<ApiError>, field: &str) -> bool {
    error.as_ref().is_some_and(|e| {
        e.field.as_deref() == Some(field) || e.problems.iter().any(|p| p.field.as_deref() == Some(field))
    })
}
