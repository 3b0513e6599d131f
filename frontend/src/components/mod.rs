//! Small pieces reused by the pages: the top bar, error box, loading line, offline banner and the sign-in guard.

mod error_box;
mod guard;
mod loading;
mod offline;
mod topbar;

pub use error_box::{names_field, ErrorBox, FieldError};
pub use guard::Guarded;
pub use loading::Loading;
pub use offline::OfflineBanner;
pub use topbar::TopBar;
