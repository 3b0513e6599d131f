//! A form's errors: the problems found before sending (in the server's shape), the message under each field, the
//! error box for what no field shows, clearing a field's message once it is changed, and scrolling to the first.

use leptos::prelude::*;
use shared::{ApiError, ErrorCode, Problem};

use crate::components::names_field;

/// A problem with one field, found before sending.
pub fn problem(field: &str, message: impl Into<String>) -> Problem {
    Problem { sheet: None, row: None, column: None, field: Some(field.to_string()), message: message.into() }
}

/// The problems found before sending as the server would answer them (the first one's message and field on top);
/// `None` when there are none.
pub fn refusal(problems: Vec<Problem>) -> Option<ApiError> {
    ApiError::from_problems(problems)
}

/// One problem with one field, found before sending.
pub fn field_refusal(field: &str, message: impl Into<String>) -> ApiError {
    let message = message.into();
    ApiError {
        code: ErrorCode::Validation,
        message: message.clone(),
        field: Some(field.to_string()),
        problems: vec![problem(field, message)],
    }
}

/// The error for the form's box: anything not shown under one of `fields` (or a part of one, `attendees.<category>`),
/// so nothing the server says is lost.
pub fn general_error(error: RwSignal<Option<ApiError>>, fields: &'static [&'static str]) -> Signal<Option<ApiError>> {
    Signal::derive(move || error.get().filter(|e| !shown_by_fields(e, fields)))
}

/// Whether every message of the error shows under one of `fields`.
fn shown_by_fields(e: &ApiError, fields: &[&str]) -> bool {
    let inline =
        |f: &str| fields.iter().any(|x| f == *x || f.strip_prefix(x).is_some_and(|rest| rest.starts_with('.')));
    let placed = |f: Option<&str>| f.is_some_and(inline);
    placed(e.field.as_deref()) && e.problems.iter().all(|p| placed(p.field.as_deref()))
}

/// Forgets the error once the field it names is changed.
pub fn clear_field(error: RwSignal<Option<ApiError>>, field: &str) {
    if names_field(&error.get_untracked(), field) {
        error.set(None);
    }
}

/// The message for `field`, under its input (for fields named at run time).
pub fn field_message(error: RwSignal<Option<ApiError>>, field: String) -> impl IntoView {
    move || {
        error
            .with(|e| {
                e.as_ref().and_then(|e| {
                    e.problems
                        .iter()
                        .find(|p| p.field.as_deref() == Some(field.as_str()))
                        .map(|p| p.message.clone())
                        .or_else(|| (e.field.as_deref() == Some(field.as_str())).then(|| e.message.clone()))
                })
            })
            .map(|m| view! { <p class="field-error">{m}</p> })
    }
}

/// The error with every field renamed by `rename` (those it answers `None` for stay).
pub fn rename_fields(mut e: ApiError, rename: impl Fn(&str) -> Option<String>) -> ApiError {
    if let Some(f) = e.field.as_deref().and_then(&rename) {
        e.field = Some(f);
    }
    for p in &mut e.problems {
        if let Some(f) = p.field.as_deref().and_then(&rename) {
            p.field = Some(f);
        }
    }
    e
}

/// Scrolls to the first message of the form `#form_id` once it is drawn.
pub fn show_first_error(form_id: &'static str) {
    request_animation_frame(move || {
        let selector = format!("#{form_id} .field-error, #{form_id} .error-box");
        if let Some(el) =
            web_sys::window().and_then(|w| w.document()).and_then(|d| d.query_selector(&selector).ok().flatten())
        {
            el.scroll_into_view_with_bool(false);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_found_here_read_like_the_servers() {
        assert!(refusal(Vec::new()).is_none());
        let e = refusal(vec![problem("note", "请填写"), problem("photo_id", "照片")]).unwrap();
        assert_eq!((e.code, e.message.as_str(), e.field.as_deref()), (ErrorCode::Validation, "请填写", Some("note")));
        assert_eq!(e.problems.len(), 2);
        assert_eq!(field_refusal("text", "请填写情况"), refusal(vec![problem("text", "请填写情况")]).unwrap());
    }

    #[test]
    fn the_box_shows_what_no_field_shows() {
        const FIELDS: &[&str] = &["station_id", "attendees"];
        let one = |field: &str| field_refusal(field, "不对");
        assert!(shown_by_fields(&one("station_id"), FIELDS));
        assert!(shown_by_fields(&one("attendees.residents"), FIELDS), "a part of a field");
        assert!(!shown_by_fields(&one("attendees_count"), FIELDS));
        assert!(!shown_by_fields(&one("minutes"), FIELDS));
        assert!(!shown_by_fields(&ApiError::new(ErrorCode::Conflict, "已存在"), FIELDS), "no field at all");
        // The server names a field here and another nowhere: the box shows it all.
        let mut both = refusal(vec![problem("station_id", "请选择"), problem("held_on", "日期")]).unwrap();
        assert!(!shown_by_fields(&both, FIELDS));
        both.problems.truncate(1);
        assert!(shown_by_fields(&both, FIELDS));
    }

    #[test]
    fn fields_are_renamed_where_the_renaming_knows_them() {
        let e = refusal(vec![problem("attendees[1].count", "人数"), problem("minutes", "记录")]).unwrap();
        let e = rename_fields(e, |f| (f == "attendees[1].count").then(|| "attendees.residents".to_string()));
        assert_eq!(e.field.as_deref(), Some("attendees.residents"));
        assert_eq!(e.problems[1].field.as_deref(), Some("minutes"));
    }
}
