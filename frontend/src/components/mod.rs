//! Small pieces reused by the pages: the top bar, error box, loading line, offline banner, the sign-in guard, the
//! 直报 banner of the leaders, the three one-tap questions of a rating, and the dashboard's SVG charts.

mod answers;
mod chart;
mod direct_report;
mod error_box;
mod guard;
mod loading;
mod offline;
mod topbar;

pub use answers::{rate_lines, AnswerRows, Answers};
pub use chart::{bar_chart, column_chart};
pub use direct_report::DirectReportBanner;
pub use error_box::{names_field, ErrorBox, FieldError};
pub use guard::Guarded;
pub use loading::Loading;
pub use offline::OfflineBanner;
pub use topbar::TopBar;
