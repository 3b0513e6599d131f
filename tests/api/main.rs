//! The API suite: one binary, a fresh server and database per test. Runs on SQLite by default and on PostgreSQL
//! with MINQING_TEST_BACKEND=postgres (see tests/src/lib.rs).

mod accounts;
mod auth;
mod backup;
mod city_clocks;
mod closed_months;
mod day_ten;
mod direct_line;
mod import;
mod integrity;
mod items;
mod journey;
mod leaders_desk;
mod ledger;
mod metrics;
mod operations;
mod org;
mod photos;
mod random_histories;
mod referrals;
mod residents;
mod routines;
mod stats;
mod supervision;
mod voice;
mod web;
mod workflow;
