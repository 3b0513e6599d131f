//! Widgets with props and the small pieces several pages share: the top bar, error box, loading line, offline
//! banner, the sign-in guard, the 直报 banner of the leaders, the three one-tap questions of a rating, the dashboard's
//! SVG charts, an item's fields, form errors, the month bar, paging, the ledger's table, links to the items behind a
//! count, a closed month's late lines, the routines' stations and raised items, a report's badges, the work queue, follow-ups, an item's printed 全过程记录, the
//! photos of a form, and the page shown to an account whose roles do not reach a page.

mod answers;
mod chart;
mod direct_report;
mod error_box;
mod evidence;
pub mod fields;
pub mod follow_ups;
pub mod form_errors;
pub mod gatherings;
mod guard;
mod item_links;
mod late_lines;
pub mod ledger_table;
mod loaded;
mod loading;
pub mod month_bar;
mod not_for_you;
mod offline;
mod paged;
pub mod photo_slots;
pub mod queue;
mod report_badges;
pub mod screen;
mod topbar;

pub use answers::{rate_lines, AnswerRows, Answers};
pub use chart::{bar_chart, column_chart};
pub use direct_report::DirectReportBanner;
pub use error_box::{names_field, ErrorBox, FieldError};
pub use evidence::evidence_record;
pub use guard::Guarded;
pub use item_links::{items_of, ItemLinks};
pub use late_lines::late_lines;
pub use loaded::Loaded;
pub use loading::Loading;
pub use month_bar::MonthBar;
pub use not_for_you::not_for_you;
pub use offline::OfflineBanner;
pub use paged::Paged;
pub use queue::QueueTile;
pub use report_badges::status_badges;
pub use topbar::TopBar;
