//! 民情直通车 web app: the routes, the app shell and the wasm entry point. Client-side rendered with Leptos 0.8.

// The residents' build compiles the staff's pages but mounts none of them (the linker drops them).
#![cfg_attr(feature = "resident", allow(dead_code, unused_imports))]

mod api;
mod components;
mod format;
mod outbox;
mod pages;
mod photo;
mod places;
mod state;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use shared::dto::Me;
use wasm_bindgen::prelude::wasm_bindgen;

use components::{DirectReportBanner, Guarded, OfflineBanner};
use outbox::OutboxPage;
use pages::{
    AccountsPage, AnalysisPage, CapturePage, ClockPage, DashboardPage, DossierPage, EvaluationPage, EvidencePage,
    FollowUpsPage, HomePage, HooksPage, ImportPage, ItemPage, LedgerPage, LoginPage, MyItemsPage, NotFound, OrgPage,
    PasswordPage, PrivacyPage, QueuePage, ReportPage, ReportsPage, SatisfactionPage, SheetPage, StatsPage,
    SupervisionPage,
};
use pages::{CoveragePage, RegistersPage, VisitsPage};
use pages::{MeetingPage, MeetingsPage, ReceptionPage, ReceptionsPage};

/// Starts the app once the wasm module is loaded.
#[wasm_bindgen(start)]
pub fn main() {
    console_error_panic_hook::set_once();
    // The "正在加载…" placeholder of index.html goes once the app is here.
    if let Some(boot) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("boot")) {
        boot.remove();
    }
    #[cfg(feature = "resident")]
    leptos::mount::mount_to_body(ResidentApp);
    #[cfg(not(feature = "resident"))]
    leptos::mount::mount_to_body(App);
}

#[cfg(feature = "resident")]
use pages::{InvalidResidentLink, ResidentPage};

/// The residents' app (the `resident` build, served for /r/…): their page and nothing of the staff's app — no
/// account, no outbox, no service worker.
#[cfg(feature = "resident")]
#[component]
fn ResidentApp() -> impl IntoView {
    view! {
        <Router>
            <main class="app">
                <Routes fallback=|| view! { <InvalidResidentLink/> }>
                    <Route path=path!("/r/:token") view=ResidentPage/>
                </Routes>
            </main>
        </Router>
    }
}

#[cfg(not(feature = "resident"))]
#[component]
fn App() -> impl IntoView {
    let session = state::init();
    // The outbox starts sending what the phone keeps (now, on sign-in, when the network comes back).
    outbox::init();
    // The stored account details may be stale (roles changed, password reset): ask once at start.
    if session.get_untracked().is_some() {
        spawn_local(async {
            if let Ok(me) = api::get::<Me>("/api/me").await {
                state::set_me(me);
            }
        });
    }
    view! {
        <OfflineBanner/>
        <Router>
            <DirectReportBanner/>
            <main class="app">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/login") view=LoginPage/>
                    <Route path=path!("/password") view=|| view! { <Guarded allow_pending=true><PasswordPage/></Guarded> }/>
                    <Route path=path!("/") view=|| view! { <Guarded><HomePage/></Guarded> }/>
                    <Route path=path!("/outbox") view=|| view! { <Guarded><OutboxPage/></Guarded> }/>
                    <Route path=path!("/capture") view=|| view! { <Guarded><CapturePage/></Guarded> }/>
                    <Route path=path!("/items") view=|| view! { <Guarded><MyItemsPage/></Guarded> }/>
                    <Route path=path!("/items/:id") view=|| view! { <Guarded><ItemPage/></Guarded> }/>
                    <Route path=path!("/items/:id/sheet") view=|| view! { <Guarded><SheetPage/></Guarded> }/>
                    <Route path=path!("/items/:id/evidence") view=|| view! { <Guarded><EvidencePage/></Guarded> }/>
                    <Route path=path!("/queue") view=|| view! { <Guarded><QueuePage/></Guarded> }/>
                    <Route path=path!("/ledger") view=|| view! { <Guarded><LedgerPage/></Guarded> }/>
                    <Route path=path!("/follow-ups") view=|| view! { <Guarded><FollowUpsPage/></Guarded> }/>
                    <Route path=path!("/evaluation") view=|| view! { <Guarded><EvaluationPage/></Guarded> }/>
                    <Route path=path!("/dashboard") view=|| view! { <Guarded><DashboardPage/></Guarded> }/>
                    <Route path=path!("/stats") view=|| view! { <Guarded><StatsPage/></Guarded> }/>
                    <Route path=path!("/analysis") view=|| view! { <Guarded><AnalysisPage/></Guarded> }/>
                    <Route path=path!("/reports") view=|| view! { <Guarded><ReportsPage/></Guarded> }/>
                    <Route path=path!("/reports/:id") view=|| view! { <Guarded><ReportPage/></Guarded> }/>
                    <Route path=path!("/meetings") view=|| view! { <Guarded><MeetingsPage/></Guarded> }/>
                    <Route path=path!("/meetings/:id") view=|| view! { <Guarded><MeetingPage/></Guarded> }/>
                    <Route path=path!("/receptions") view=|| view! { <Guarded><ReceptionsPage/></Guarded> }/>
                    <Route path=path!("/receptions/:id") view=|| view! { <Guarded><ReceptionPage/></Guarded> }/>
                    <Route path=path!("/visits") view=|| view! { <Guarded><VisitsPage/></Guarded> }/>
                    <Route path=path!("/visits/registers") view=|| view! { <Guarded><RegistersPage/></Guarded> }/>
                    <Route path=path!("/coverage") view=|| view! { <Guarded><CoveragePage/></Guarded> }/>
                    <Route path=path!("/supervision") view=|| view! { <Guarded><SupervisionPage/></Guarded> }/>
                    <Route path=path!("/referrals/:id") view=|| view! { <Guarded><DossierPage/></Guarded> }/>
                    <Route path=path!("/satisfaction") view=|| view! { <Guarded><SatisfactionPage/></Guarded> }/>
                    <Route path=path!("/admin/org") view=|| view! { <Guarded><OrgPage/></Guarded> }/>
                    <Route path=path!("/admin/accounts") view=|| view! { <Guarded><AccountsPage/></Guarded> }/>
                    <Route path=path!("/admin/import") view=|| view! { <Guarded><ImportPage/></Guarded> }/>
                    <Route path=path!("/admin/clock") view=|| view! { <Guarded><ClockPage/></Guarded> }/>
                    <Route path=path!("/admin/hooks") view=|| view! { <Guarded><HooksPage/></Guarded> }/>
                    <Route path=path!("/admin/residents") view=|| view! { <Guarded><PrivacyPage/></Guarded> }/>
                </Routes>
            </main>
        </Router>
    }
}
