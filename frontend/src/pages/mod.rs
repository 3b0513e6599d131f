//! The app's pages, one module each, plus the page for unknown addresses.

mod accounts;
mod actions;
mod analysis;
mod capture;
mod clock;
mod coverage;
mod dashboard;
mod evaluation;
mod evidence;
mod follow_ups;
mod gatherings;
mod home;
mod hooks;
mod import;
mod item_links;
mod items;
mod journey;
mod ledger;
mod login;
mod meeting;
mod meetings;
mod org;
mod password;
mod places;
mod queue;
mod reception;
mod receptions;
mod registers;
mod report;
mod reports;
// The residents' page is mounted by the residents' build only (`--features resident`).
#[cfg_attr(not(feature = "resident"), allow(dead_code))]
mod resident;
mod resident_link;
mod satisfaction;
mod sheet;
mod stats;
mod supervision;
mod visits;

pub use accounts::AccountsPage;
pub use analysis::AnalysisPage;
pub use capture::CapturePage;
pub use clock::ClockPage;
pub use coverage::CoveragePage;
pub use dashboard::DashboardPage;
pub use evaluation::EvaluationPage;
pub use evidence::EvidencePage;
pub use follow_ups::FollowUpsPage;
pub use home::HomePage;
pub use hooks::HooksPage;
pub use import::ImportPage;
pub use items::{ItemPage, MyItemsPage};
pub use ledger::LedgerPage;
pub use login::LoginPage;
pub use meeting::MeetingPage;
pub use meetings::MeetingsPage;
pub use org::OrgPage;
pub use password::PasswordPage;
pub use queue::QueuePage;
pub use reception::ReceptionPage;
pub use receptions::ReceptionsPage;
pub use registers::RegistersPage;
pub use report::ReportPage;
pub use reports::ReportsPage;
#[cfg(feature = "resident")]
pub use resident::{InvalidResidentLink, ResidentPage};
pub use satisfaction::SatisfactionPage;
pub use sheet::SheetPage;
pub use stats::StatsPage;
pub use supervision::SupervisionPage;
pub use visits::VisitsPage;

use leptos::prelude::*;
use shared::dto::Me;
use shared::{OrgKind, Role};

use crate::components;

/// The roles that register items (民情), each within its place.
pub(crate) const CAPTURE_ROLES: &[Role] = &[
    Role::GridLeader,
    Role::BuildingLeader,
    Role::StationHead,
    Role::CommunitySecretary,
    Role::StreetDispatcher,
    Role::StreetLeader,
];

/// The roles that read the ledger (台账).
pub(crate) const LEDGER_ROLES: &[Role] = &[
    Role::StationHead,
    Role::CommunitySecretary,
    Role::StreetDispatcher,
    Role::StreetLeader,
    Role::CityLeader,
    Role::CityAnalyst,
    Role::Supervisor,
    Role::Admin,
];

/// Whether the account administers the whole city (the clocks, the holiday table, the notification hooks).
pub(crate) fn is_city_admin(me: &Me) -> bool {
    me.roles.iter().any(|r| r.role == Role::Admin && r.unit.kind == OrgKind::City)
}

/// Shown to an account whose roles do not reach a page.
pub(crate) fn not_for_you(title: &'static str, text: &'static str) -> impl IntoView {
    view! {
        <div class="page narrow">
            <components::TopBar title=title back="/"/>
            <div class="card center">
                <p>{text}</p>
                <a class="button" href="/">"返回首页"</a>
            </div>
        </div>
    }
}

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

/// The name of a place for people: its path from the street down, or its own name for the city.
pub(crate) fn place_name(full_name: &str, name: &str) -> String {
    if full_name.trim().is_empty() {
        name.to_string()
    } else {
        full_name.to_string()
    }
}
