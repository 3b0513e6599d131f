//! Small pieces reused by the pages: the top bar, error box, loading line, offline banner, the sign-in guard, and
//! the 直报 banner of the leaders.

mod direct_report;
mod error_box;
mod guard;
mod loading;
mod offline;
mod topbar;

pub use direct_report::DirectReportBanner;
pub use error_box::{names_field, ErrorBox, FieldError};
pub use guard::Guarded;
pub use loading::Loading;
pub use offline::OfflineBanner;
pub use topbar::TopBar;
