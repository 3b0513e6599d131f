//! Rows into the API's DTOs: the read model the handlers answer with and the jobs write messages from. Views read
//! through `db/` and know the regulation's rules, but nothing of HTTP.

pub mod account;
pub mod item;
pub mod journey;
pub mod judgement;
pub mod meeting;
pub mod people;
pub mod photo;
pub mod rating;
pub mod reception;
pub mod supervision;
pub mod visit;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

/// A stored time (UTC, naive) as the API's UTC timestamp.
pub fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    Utc.from_utc_datetime(&t)
}
