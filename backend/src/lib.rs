//! The 民情直通车 server: configuration, database, sign-in, the organisation and accounts, served over HTTP.

pub mod api;
pub mod auth;
pub mod backup;
pub mod cli;
pub mod clock;
pub mod configuration;
pub mod db;
pub mod demo;
pub mod error;
pub mod import;
pub mod jobs;
pub mod metrics;
pub mod notify;
pub mod openapi;
pub mod outbox;
pub mod photos;
pub mod regulation;
pub mod router;
pub mod startup;
pub mod state;
pub mod static_files;
pub mod stats;
pub mod storage;
pub mod telemetry;
pub mod views;
