//! What a page shows of something it loads: the loading line until the first answer, then the answer — kept on
//! screen while it loads again — or the error in the error box. Leptos's `<Transition>` and `<ErrorBoundary>` over a
//! `LocalResource`, with the app's own loading line and error box.

use leptos::error::Errors;
use leptos::prelude::*;
use shared::ApiError;

use crate::components::{ErrorBox, Loading};

/// The first error of the boundary that is one of the API's (every error a page loads is).
fn api_error(errors: &Errors) -> Option<ApiError> {
    errors.iter().find_map(|(_, e)| e.downcast_ref::<ApiError>().cloned())
}

/// `children` of the resource's value once loaded; until then the loading line (`loading` its text), and on an error
/// the error box followed by `on_error` (a 重新加载 button, say).
#[component]
pub fn Loaded<T, F, V>(
    resource: LocalResource<Result<T, ApiError>>,
    /// The loading line's text, when not the usual one.
    #[prop(optional, into)]
    loading: Option<String>,
    /// Shown under the error box.
    #[prop(optional, into)]
    on_error: ViewFn,
    /// The view of the value.
    children: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let fallback = move || match loading.clone() {
        Some(text) => view! { <Loading text=text/> }.into_any(),
        None => view! { <Loading/> }.into_any(),
    };
    let on_error = StoredValue::new(on_error);
    view! {
        <Transition fallback=fallback>
            <ErrorBoundary fallback=move |errors| {
                let error = Signal::derive(move || errors.with(api_error));
                view! {
                    <ErrorBox error=error/>
                    {on_error.with_value(ViewFn::run)}
                }
            }>
                {move || {
                    let children = children.clone();
                    Suspend::new(async move { resource.await.map(children) })
                }}
            </ErrorBoundary>
        </Transition>
    }
}
