//! What a page asks of the browser's window: print the page, bring an element into view once it is drawn.

use leptos::prelude::*;

/// Prints the page.
pub fn print_page() {
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

/// Scrolls an element into view once it is drawn.
pub fn scroll_to(id: &'static str) {
    request_animation_frame(move || {
        if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id)) {
            el.scroll_into_view();
        }
    });
}
