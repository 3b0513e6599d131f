//! The HTTP handlers, one module per resource: parse the request, check who asks, call the layers below, answer.

pub mod accounts;
pub mod analysis;
pub mod auth;
pub mod dashboard;
pub mod evaluation;
pub mod follow_ups;
pub mod health;
pub mod hooks;
pub mod import;
pub mod items;
pub mod journey;
pub mod ledger;
pub mod me;
pub mod meetings;
pub mod metrics;
pub mod org;
pub mod photos;
pub mod receptions;
pub mod reports;
pub mod settings;
pub mod stats;
pub mod supervision;
pub mod support;
pub mod visits;
pub mod voice;
pub mod workflow;
