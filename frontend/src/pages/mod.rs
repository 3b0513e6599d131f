//! The app's pages, one module each (an item's screen and its panels together in `item/`), plus the page for unknown
//! addresses. A page imports components, never another page.

mod accounts;
mod analysis;
mod capture;
mod clock;
mod coverage;
mod dashboard;
mod dossier;
mod evaluation;
mod follow_ups;
mod home;
mod hooks;
mod import;
mod item;
mod ledger;
mod login;
mod meeting;
mod meetings;
mod org;
mod password;
mod privacy;
mod queue;
mod reception;
mod receptions;
mod registers;
mod report;
mod reports;
// The residents' page is mounted by the residents' build only (`--features resident`).
#[cfg_attr(not(feature = "resident"), allow(dead_code))]
mod resident;
mod satisfaction;
mod stats;
mod supervision;
mod visits;

pub use accounts::AccountsPage;
pub use analysis::AnalysisPage;
pub use capture::CapturePage;
pub use clock::ClockPage;
pub use coverage::CoveragePage;
pub use dashboard::DashboardPage;
pub use dossier::DossierPage;
pub use evaluation::EvaluationPage;
pub use follow_ups::FollowUpsPage;
pub use home::HomePage;
pub use hooks::HooksPage;
pub use import::ImportPage;
pub use item::{EvidencePage, ItemPage, MyItemsPage, SheetPage};
pub use ledger::LedgerPage;
pub use login::LoginPage;
pub use meeting::MeetingPage;
pub use meetings::MeetingsPage;
pub use org::OrgPage;
pub use password::PasswordPage;
pub use privacy::PrivacyPage;
pub use queue::QueuePage;
pub use reception::ReceptionPage;
pub use receptions::ReceptionsPage;
pub use registers::RegistersPage;
pub use report::ReportPage;
pub use reports::ReportsPage;
#[cfg(feature = "resident")]
pub use resident::{InvalidResidentLink, ResidentPage};
pub use satisfaction::SatisfactionPage;
pub use stats::StatsPage;
pub use supervision::SupervisionPage;
pub use visits::VisitsPage;

use leptos::prelude::*;

/// Shown for an address the app does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <div class="page narrow">
            <div class="card center">
                <h2>"页面不存在"</h2>
                <p class="muted">"地址可能有误，请返回首页。"</p>
                <a class="button primary" href="/">"返回首页"</a>
            </div>
        </div>
    }
}
